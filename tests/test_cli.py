"""The command line: arguments pass through, exit codes, nothing written on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.core.resources import examples_dir
from smarketing_assess.ui.cli import main

EXAMPLE = examples_dir() / "brightline-sensors"
BAD = Path(__file__).parent / "fixtures" / "bad"
BAD_FILES = sorted(BAD.glob("*/*.csv"))


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_validate_says_all_is_well():
    result = run("validate", EXAMPLE, "--period", "2026-Q1")
    assert result.exit_code == 0, result.output
    assert "all inputs are valid" in result.output


def test_assess_writes_the_file_and_prints_a_summary(tmp_path):
    out = tmp_path / "a.json"
    result = run("assess", EXAMPLE, "--period", "2026-Q1", "--out", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["period"] == "2026-Q1"
    assert "Alignment index" in result.output and "Starting goals" in result.output
    assert result.output.strip().endswith(f"Wrote {out}")


def test_default_output_goes_under_reports_and_period_defaults_to_latest(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("assess", client)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "brightline-sensors" / "2026-Q2" / "assessment.json").is_file()


def test_existing_output_is_never_overwritten_without_force(client, tmp_path):
    out = tmp_path / "a.json"
    assert run("assess", client, "--period", "2026-Q1", "--out", out).exit_code == 0
    first = out.read_text()
    again = run("assess", client, "--period", "2026-Q1", "--out", out)
    assert again.exit_code == 0 and "Unchanged" in again.output

    (client / "client.yaml").write_text(
        (client / "client.yaml").read_text().replace("revenue_goal: 400000", "revenue_goal: 500000"))
    refused = run("assess", client, "--period", "2026-Q1", "--out", out)
    assert refused.exit_code == 1
    assert f"Error: {out} already exists with different content; pass --force to replace it (the old file is " \
        "kept beside it)." in refused.output
    assert out.read_text() == first

    forced = run("assess", client, "--period", "2026-Q1", "--out", out, "--force")
    assert forced.exit_code == 0
    assert f"Kept the previous file as {tmp_path / 'a.previous-1.json'}\nWrote {out}" in forced.output
    assert (tmp_path / "a.previous-1.json").read_text() == first
    assert json.loads(out.read_text())["sla"]["revenue_goal"] == 500000


@pytest.mark.parametrize("bad", BAD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bad_fixture_gives_a_clear_message_and_writes_nothing(bad, client, tmp_path):
    target = client / "2026-Q1" / f"{bad.parent.name}.csv"
    shutil.copy(bad, target)
    out = tmp_path / "out" / "assessment.json"
    result = run("assess", client, "--period", "2026-Q1", "--out", out)
    assert result.exit_code == 1, result.output
    assert f"2026-Q1/{target.name}" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: invalid input,")
    assert not out.parent.exists()
    assert run("validate", client, "--period", "2026-Q1").exit_code == 1


def test_there_are_bad_fixtures_for_every_input_kind():
    assert {p.parent.name for p in BAD_FILES} == {"responses", "funnel", "channels"}


def test_a_malformed_period_is_a_usage_error():
    result = run("assess", EXAMPLE, "--period", "2026-5")
    assert result.exit_code == 2
    assert "YYYY-Qn" in result.output


def test_a_missing_period_folder_is_reported(tmp_path):
    result = run("validate", EXAMPLE, "--period", "2031-Q1")
    assert result.exit_code == 1
    assert "no folder for period 2031-Q1" in result.output


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "smarketing_assess", "validate", str(EXAMPLE), "--period", "2026-Q2"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "all inputs are valid" in done.stdout


def test_summary_sets_beliefs_beside_facts_and_needs_beside_now(tmp_path):
    result = run("assess", EXAMPLE, "--period", "2026-Q1", "--out", tmp_path / "a.json")
    # leads a month: 1350 / 3 = 450 now; needed: 400000 / 15000 = 26.67 -> 27 customers, / (21/127) / (127/420)
    # / (420/1350) = 1,735.71 -> 1,736 leads for the quarter, a third of it a month: 578.7, as in the SLA text
    assert "New leads a month: sales " in result.output and "; data 450" in result.output
    assert "leads a month: needed 578.7, now 450" in result.output
    assert "about 578.7 new leads a month" in result.output


def test_demo_names_a_stored_assessment_it_cannot_read(tmp_path):
    broken = tmp_path / "brightline-sensors" / "2026-Q1" / "assessment.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    result = run("demo", "--reports", tmp_path, "--quiet")
    assert result.exit_code == 1
    assert str(broken) in result.output and "not a readable assessment" in result.output
    assert broken.read_text(encoding="utf-8") == "{not json"  # left as it was
    assert not (tmp_path / "brightline-sensors" / "2026-Q1" / "report.html").exists()
