"""One command-line style: every command and option explained in full sentences, one name for
an output file, one error prefix."""

from __future__ import annotations

import inspect
import re

import click
from click.testing import CliRunner

from smarketing_assess.core.console import messages, say_in
from smarketing_assess.ui import cli
from smarketing_assess.ui.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if isinstance(cmd, click.Group):
            out += commands(cmd, (*prefix, name))
    return out


ALL = commands(main)


def test_every_command_and_option_is_explained():
    assert len(ALL) >= 20
    for path, cmd in ALL:
        assert cmd.help, path
        short = cmd.get_short_help_str(limit=10_000)
        assert short.endswith(".") and not short.endswith("..."), (path, short)  # a whole sentence
        for p in cmd.params:
            if isinstance(p, click.Option) and p.name != "help":
                assert p.help, (path, p.name)


def test_the_command_list_never_cuts_a_sentence():
    for args in ([], ["plan"], ["questionnaire"]):
        shown = CliRunner().invoke(main, [*args, "--help"]).output
        assert "..." not in shown.split("Commands:")[1], args


def test_a_file_written_is_named_with_output_everywhere():
    for path, cmd in ALL:
        for p in cmd.params:
            if isinstance(p, click.Option) and isinstance(p.type, click.Path) and not p.type.exists \
                    and p.type.dir_okay is False and p.name in ("out", "output"):
                assert "--output" in p.opts and "-o" in p.opts, path


def test_one_error_prefix_and_one_warning_prefix():
    source = inspect.getsource(cli)
    assert not re.search(r"""echo\(f?["'](error|warning):""", source)  # "Error:", as click's own messages


def test_every_stop_on_a_refusal_says_error_first():

    source = inspect.getsource(cli)
    # each message printed just before exiting with status 1 starts with "Error:" (or lists problems first)
    for block in re.findall(r"(click\.echo\([^\n]*\n(?:[^\n]*\n)?)\s*sys\.exit\(EXIT_INVALID\)", source):
        if "failed" in block:  # batch: a line per client above, then the count of those that failed
            continue
        keys = re.findall(r'say\("([a-z_.]+)"', block)
        assert keys or 'echo(f"Error: ' in block or 'echo("Error: ' in block or "exc.closing" in block, block
        for key in keys:  # said in every language with that language's own "Error:" first
            for language, text in messages()[key].items():
                assert text.startswith(say_in(language, "cli.error", message="")), (key, language, text)


def test_the_questionnaire_export_takes_a_language_in_any_case(tmp_path):
    out = tmp_path / "q.md"
    done = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "--lang", "PT_br", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("# Questionário de alinhamento entre vendas e marketing")


def test_progress_and_review_say_their_no_pdf_writes_no_workbook_or_slides():
    # progress and review write an HTML page and its PDF only; run writes the workbook and slides too
    for args in (["progress"], ["review"]):
        shown = " ".join(CliRunner().invoke(main, [*args, "--help"], env={"LANG": "C"}).output.split())
        assert "without its PDF (faster)" in shown and "workbook" not in shown and "slides" not in shown, args
    shown = " ".join(CliRunner().invoke(main, ["run", "--help"], env={"LANG": "C"}).output.split())
    assert "Write no PDF beside the HTML (faster; the workbook and slides are still written)." in shown


def test_the_english_help_lives_in_the_console_texts_alone():
    # the commands carry no text of their own: what --help shows is the console text, set at import
    assert main.commands["validate"].help == messages()["help.validate"]["en"]
    period = next(p for p in main.commands["validate"].params if p.name == "period")
    assert period.help == messages()["help.common.period"]["en"]  # an option several commands share
    assert "def validate" in inspect.getsource(cli) and "List every problem" not in inspect.getsource(cli)



def test_a_wrong_month_is_refused_in_the_clients_spanish(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: es"), encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(client), "--month", "2026-13"], env={"LANG": "C"})
    assert result.exit_code == 2
    assert ("Valor no válido para --month: '2026-13' no es un mes escrito YYYY-MM, como 2026-05"
            in " ".join(result.output.split()))


def test_a_questionnaire_exported_over_a_file_is_refused_in_the_systems_language(tmp_path):
    out = tmp_path / "q.md"
    out.write_text("mine", encoding="utf-8")
    # the questionnaire's own language defaults to English: no choice of the console's language
    result = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "-o", str(out)],
                                env={"LANG": "pt_BR.UTF-8"})
    assert result.exit_code == 1
    assert result.output == f"Erro: {out} já existe; escolha outro nome com --output\n"
    assert out.read_text(encoding="utf-8") == "mine"



def test_a_full_disk_is_said_in_the_systems_language(tmp_path, monkeypatch):
    import errno

    from smarketing_assess.core import storage

    def full(path, content):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage, "write_new", full)
    out = tmp_path / "q.md"
    result = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "-o", str(out)],
                                env={"LANG": "es_ES.UTF-8"})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (f"Error: No queda espacio libre en el disco: {out}. Los archivos que se estaban "
                             "escribiendo quedaron como estaban; libere espacio o corrija el permiso y vuelva a "
                             "ejecutar el comando.\n")


def test_the_help_is_english_again_after_a_command_in_another_language():
    shown = CliRunner().invoke(main, ["validate", "--help"], env={"LANG": "it_IT.UTF-8"}).output
    assert "Elenca ogni problema" in shown
    assert main.commands["validate"].help == messages()["help.validate"]["en"]  # as mkdocs-click reads it
