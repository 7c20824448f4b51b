"""Starting a client: `init` writes client.yaml, the first quarter's blank files and a README."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from smarketing_assess.config.client import load_client
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.presenting.texts import check_language
from smarketing_assess.ui.cli import main


def test_init_asks_what_is_missing_and_writes_a_client_that_validates(tmp_path):
    folder = tmp_path / "acme"
    # the name, currency and reps come from the prompts; the rest from options
    result = CliRunner().invoke(main, ["init", str(folder), "--language", "PT_br", "--revenue-goal", "250000",
                                       "--deal-size", "12500", "--period", "2026-Q3"],
                                input="Acme Sensores\nbrl\n4\n")
    assert result.exit_code == 0, result.output
    client = load_client(folder / "client.yaml")
    assert (client.name, client.currency, client.language, client.revenue_goal, client.average_deal_size,
            client.sales_reps) == ("Acme Sensores", "BRL", "pt-BR", 250_000, 12_500, 4)
    assert yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))["followup_sla_hours"] == 24
    for name in ("responses.csv", "funnel.csv", "channels.csv"):  # the shipped blanks, header only
        assert (folder / "2026-Q3" / name).read_text(encoding="utf-8") == \
            (templates_dir() / "inputs" / name).read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Acme Sensores") and "smarketing-assess validate acme --period 2026-Q3" in readme
    assert "respondente" in readme  # in the client's language
    again = CliRunner().invoke(main, ["init", str(folder), "--name", "Other", "--currency", "EUR", "--language", "en",
                                      "--revenue-goal",
                                      "1", "--deal-size", "1", "--reps", "1", "--period", "2026-Q3"])
    assert again.exit_code == 1 and "already holds a client" in again.output
    assert load_client(folder / "client.yaml").name == "Acme Sensores"  # untouched


def test_a_value_client_yaml_would_refuse_writes_nothing(tmp_path):
    folder = tmp_path / "acme"
    result = CliRunner().invoke(main, ["init", str(folder), "--name", "Acme", "--currency", "euros", "--language",
                                       "fr", "--revenue-goal", "0", "--deal-size", "100", "--reps", "2"])
    assert result.exit_code == 1
    assert "currency" in result.output and "language" in result.output and "revenue_goal" in result.output
    assert not folder.exists() or not any(folder.rglob("*.*"))


@pytest.mark.parametrize("code", ["pt-BR", "pt-br", "PT-BR", "pt_BR", " Pt_Br "])
def test_language_codes_are_read_in_any_case(code):
    assert check_language(code) == "pt-BR"


def test_jupyter_checkpoint_folders_in_a_client_folder_change_nothing(tmp_path):
    import shutil

    from smarketing_assess.core.period import Period
    from smarketing_assess.core.resources import examples_dir
    from smarketing_assess.model.assessment import to_json
    from smarketing_assess.running.pipeline import assess

    folder = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", folder)
    before = to_json(assess(folder, Period.parse("2026-Q1")))
    # JupyterLab keeps a copy of every file opened in it: a stale funnel, a stale plan, stale answers
    for sub, name in (("2026-Q1", "funnel.csv"), ("plans", "2026-04-20.yaml"), ("2026-Q1", "responses.csv")):
        stale = (folder / sub / name).read_text(encoding="utf-8").replace("2026", "2025")  # an older edit
        (folder / sub / ".ipynb_checkpoints").mkdir(exist_ok=True)
        (folder / sub / ".ipynb_checkpoints" / name.replace(".", "-checkpoint.")).write_text(stale, encoding="utf-8")
    (folder / ".ipynb_checkpoints" / "2026-Q3").mkdir(parents=True)
    assert to_json(assess(folder, Period.parse("2026-Q1"))) == before


@pytest.mark.parametrize("command", [["run"], ["validate"], ["plan", "check"], ["review", "--month", "2026-05"],
                                     ["progress"]])
def test_a_folder_that_is_not_a_client_says_so_and_how_to_start_one(tmp_path, command):
    missing = CliRunner().invoke(main, [*command, str(tmp_path / "nosuch")])
    assert missing.exit_code == 2 and f"no folder {tmp_path / 'nosuch'}" in missing.output
    assert "smarketing-assess init" in missing.output
    empty = CliRunner().invoke(main, [*command, str(tmp_path)])
    assert empty.exit_code == 2 and "is not a client folder: it has no client.yaml" in empty.output


def test_a_period_in_any_case_makes_the_folder_of_its_canonical_name(tmp_path):
    # `--period 2026-q3` was refused; it is 2026-Q3, the folder name every command reads
    result = CliRunner().invoke(main, ["init", str(tmp_path / "acme"), "--name", "Acme", "--currency", "EUR",
                                       "--language", "en", "--revenue-goal", "1000", "--deal-size", "100",
                                       "--reps", "2", "--period", "2026-q3"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "acme").iterdir() if p.is_dir()] == ["2026-Q3"]
    assert "--period 2026-Q3" in (tmp_path / "acme" / "README.md").read_text(encoding="utf-8")
