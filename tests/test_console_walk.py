"""Every command, walked for a Brazilian client and a Spanish one: no English sentence on the console.

One walk per language (a copy of the example client with its language changed), shared by the
tests below: every command once, with small exports, the HTML reports alone, `--help` of every
command, and a few bad inputs. The commands read the console's language from the client's folder
(the system's locale says C); those without a client folder (help, the questionnaire's export,
batch) from the locale.

STILL_ENGLISH lists what another part of the work is converting at the same time, by step: a
piece of each sentence still English there and the reason (who converts it); a sentence found there
is let through, and an entry no walk meets any longer fails, so that the list empties as the parts
are merged. It is empty now: every part is merged.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from smarketing_assess.core.console import messages, say_in
from smarketing_assess.core.resources import examples_dir, notebooks_dir
from smarketing_assess.ui.cli import main
from tests.english import english_sentences

FIXTURES = Path(__file__).parent / "fixtures"
LOCALES = {"pt-BR": "pt_BR.UTF-8", "es": "es_ES.UTF-8"}

# step -> (a piece of each English sentence still expected there, the reason it is still English)
STILL_ENGLISH: dict[str, list[tuple[str, str]]] = {}  # every part is merged: nothing left


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


HELP_STEPS = [("help", *path) for path in [(), *_commands(main)]]


def _client(base: Path, language: str, name: str = "client", slug: str | None = None) -> Path:
    folder = base / name
    shutil.copytree(examples_dir() / "brightline-sensors", folder)
    yaml = folder / "client.yaml"
    text = yaml.read_text(encoding="utf-8").replace("language: en", f"language: {language}")
    if slug:
        text = f"slug: {slug}\n" + "\n".join(ln for ln in text.splitlines() if not ln.startswith("slug:")) + "\n"
    yaml.write_text(text, encoding="utf-8")
    return folder


def _walk(base: Path, language: str) -> dict[str, str]:
    """Every step's console output (stdout and stderr as the consultant sees them), by step."""
    client = _client(base, language)
    reports, out = base / "reports", {}
    plain = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
    local = {**plain, "LANG": LOCALES[language]}
    runner = CliRunner()

    def step(name: str, *args: object, env: dict[str, str] = plain) -> None:
        result = runner.invoke(main, [str(a) for a in args], env=env)
        # the tests' notebook kernel runs in this process: its debugger's start-up notes are no console text
        out[name] = "\n".join(ln for ln in result.output.splitlines() if not re.match(r"\d+\.\d+s - ", ln))
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
            (name, result.output, result.exception)

    step("validate", "validate", client, "--period", "2026-Q2")
    step("assess", "assess", client, "--period", "2026-Q1", "-o", base / "assessment.json")
    step("run", "run", client, "--period", "2026-Q2", "--reports", reports, "--html-only", "--quiet")
    step("run again", "run", client, "--period", "2026-Q2", "--reports", reports, "--html-only", "--quiet")
    step("progress", "progress", client, "--reports", reports, "--quiet", "--no-pdf")
    step("plan metrics", "plan", "metrics", client, "--period", "2026-Q2")
    step("plan check", "plan", "check", client)
    step("plan agree", "plan", "agree", client)
    step("plan new over a plan", "plan", "new", client, "--period", "2026-Q1")
    step("review", "review", client, "--month", "2026-05", "--reports", reports, "--quiet", "--no-pdf")
    step("ads", "ads", client, FIXTURES / "ads" / "meta.csv", "--period", "2026-Q1", "--channel", "Paid search")
    step("ads to a channel that is none", "ads", client, FIXTURES / "ads" / "meta.csv", "--period", "2026-Q1")
    step("crm", "crm", client, "--period", "2026-Q2", "--leads", FIXTURES / "crm" / "hubspot" / "contacts.csv",
         "--deals", FIXTURES / "crm" / "hubspot" / "deals.csv", "--force")
    step("crm-history", "crm-history", client, "--leads", FIXTURES / "crm" / "history" / "leads.csv",
         "--deals", FIXTURES / "crm" / "history" / "deals.csv", "--mapping", "generic")
    (client / "plan.yaml").unlink()
    step("plan new", "plan", "new", client, "--period", "2026-Q1")
    forms = FIXTURES / "forms" / "typeform.csv"
    step("questionnaire import", "questionnaire", "import", forms, client, "--period", "2026-Q3")
    step("questionnaire import again", "questionnaire", "import", forms, client, "--period", "2026-Q3")
    step("a wrong --map", "questionnaire", "import", forms, client, "--period", "2026-Q3", "--map", "nonsense")
    step("questionnaire export", "questionnaire", "export", "--format", "md", "-o", base / "q.md", env=local)
    step("questionnaire export again", "questionnaire", "export", "--format", "md", "-o", base / "q.md", env=local)
    shutil.copy(notebooks_dir() / "baseline_report.ipynb", base / "plain.ipynb")
    step("publish", "publish", base / "plain.ipynb", "--reports", base / "published", "--no-pdf", env=local)
    portfolio = base / "portfolio"
    for name in ("north", "south"):  # two clients whose client.yaml lacks what a report needs: quick to fail
        (portfolio / name / "2026-Q1").mkdir(parents=True)
        (portfolio / name / "client.yaml").write_text(f"name: {name}\nlanguage: {language}\n", encoding="utf-8")
    step("batch", "batch", portfolio, "--period", "2026-Q1", "--jobs", "1", "--reports", base / "batch",
         "--no-pdf", env=local)
    # bad inputs: a wrong period, a missing folder, a broken funnel.csv, a month that is none
    step("a wrong period", "validate", client, "--period", "2026-Q5")
    step("a missing folder", "validate", base / "nowhere", env=local)
    step("a folder that is no client", "validate", portfolio, env=local)
    step("a wrong month", "review", client, "--month", "May", "--reports", reports)
    (client / "2026-Q2" / "funnel.csv").write_text("stage,count\nleads,many\n", encoding="utf-8")
    step("a broken funnel.csv", "validate", client, "--period", "2026-Q2")
    step("run on a broken funnel.csv", "run", client, "--period", "2026-Q2", "--reports", reports, "--html-only",
         "--quiet", "--force")
    for help_step in HELP_STEPS:
        step(" ".join(help_step), *help_step[1:], "--help", env=local)
    return out


@pytest.fixture(scope="module", params=list(LOCALES))
def walk(request, tmp_path_factory) -> tuple[str, dict[str, str]]:
    return request.param, _walk(tmp_path_factory.mktemp(f"walk-{request.param}"), request.param)


STEPS = ["validate", "assess", "run", "run again", "progress", "plan metrics", "plan check", "plan agree",
         "plan new over a plan", "review", "ads", "ads to a channel that is none",
         "crm", "crm-history", "plan new", "questionnaire import", "questionnaire import again", "a wrong --map",
         "questionnaire export",
         "questionnaire export again", "publish", "batch", "a wrong period", "a missing folder",
         "a folder that is no client", "a wrong month", "a broken funnel.csv", "run on a broken funnel.csv"]


def test_no_step_of_the_walk_says_an_english_sentence(walk):
    language, out = walk
    assert set(out) == {*STEPS, *(" ".join(s) for s in HELP_STEPS)}
    found = {}
    for name, text in out.items():
        known = [piece for piece, _ in STILL_ENGLISH.get(name, [])]
        english = [s for s in english_sentences(text) if not any(piece in s for piece in known)]
        if english:
            found[name] = english
    assert found == {}, (language, {name: out[name] for name in found})


def test_the_list_of_english_still_left_names_only_what_the_walk_still_meets(walk):
    _, out = walk
    stale = [(name, piece) for name, entries in STILL_ENGLISH.items() for piece, _ in entries
             if not any(piece in s for s in english_sentences(out[name]))]
    assert stale == []


def test_the_walk_hears_the_clients_language(walk):
    language, out = walk
    # the cli's own words, as the catalog has them for the language
    assert say_in(language, "cli.valid", folder="", period="").split(": ")[1] in " ".join(out["validate"].split())
    assert say_in(language, "help.progress.no_pdf") in " ".join(out["help progress"].split())
    assert say_in(language, "cli.bad_month", found="May") in " ".join(out["a wrong month"].split())
    assert say_in(language, "problems.closing.one", count=1) in out["run on a broken funnel.csv"]
    assert (say_in(language, "batch.done", done=0, total=2) + say_in(language, "batch.and_failed", count=2)
            in out["batch"])
    assert say_in(language, "cli.bad_map", found="nonsense") in " ".join(out["a wrong --map"].split())
    # the typeform fixture holds two respondents: stored the first time, already imported the second
    stored = say_in(language, "cli.imported.other", count="2", already="0", file="|", folder="|").split("|")[0]
    again = say_in(language, "cli.imported.other", count="0", already="2", file="|", folder="|").split("|")[0]
    assert stored in out["questionnaire import"] and again in out["questionnaire import again"]


# ------------------------------------------------------------------ the detector itself


@pytest.mark.parametrize("line", [
    "2026-Q2: the report is up to date with the inputs",
    "Error: no client folder (with a client.yaml) under portfolio",
    "  --no-pdf   Write no PDF beside the HTML (faster; the workbook and slides are still written).",
    "Warning: channels.csv row 3: 'Paid search' has no spend for this quarter",
    "kept the previous file as /tmp/x/channels.previous-1.csv",
    "Unchanged: reports/brightline/2026-Q1/assessment.json",
    "wrote plan.yaml",
])
def test_english_lines_are_found(line):
    assert english_sentences(line) == [line.strip()]


@pytest.mark.parametrize("line", [
    "2026-Q2: o relatório está em dia com os dados de entrada",
    "Erro: nenhuma pasta de cliente (com client.yaml) em portfolio",
    "  --no-pdf   Escribe solo el HTML del informe de evolución, sin su PDF (más rápido).",
    "Aviso: channels.csv linha 3: 'Paid search for the team' não tem investimento neste trimestre",
    "a pasta /work/the/folder/of/the/client não existe; `smarketing-assess init the client` começa um cliente nela",
    "Uso: smarketing-assess plan agree [OPTIONS] CLIENT_DIR",
    "Aviso: 2026-Q2/funnel.csv: esperado: month, visitors, followed_up, hours_to_first_contact",
    "manual.<name>: um número que o cliente informa à mão todo mês (indique unit e better)",
    "  --links TEAM=N  Cria mais N links de respondente para TEAM (sales, marketing, leadership ou any)",
    "'ptbr' não é um idioma que o toolkit fala: fala en, es, it, pt-BR.",
    "Sem mudança: reports/brightline/2026-Q1/assessment.json",
    "gravado: plan.yaml",
    "  run        Gera o relatório de diagnóstico de um período.",
])
def test_portuguese_and_spanish_lines_are_not_english(line):
    assert english_sentences(line) == []


def test_every_cli_text_is_translated_into_something_the_detector_does_not_take_for_english():
    for key, texts in messages().items():
        if key.startswith(("cli.", "help.")):
            for language in LOCALES:
                text = re.sub(r"\{\w+\}", "", texts[language]).replace("\n", " ")  # the placeholders' names
                assert english_sentences(text) == [], (key, language)
