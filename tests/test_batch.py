"""The portfolio batch: every client's baseline and progress reports, two at a time, going on
past a client that fails and saying so in its table and exit status."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.running.batch import clients_in, run_client
from smarketing_assess.ui.cli import main

EXAMPLE = examples_dir() / "brightline-sensors"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    for name in ("north", "south"):
        client = folder / name
        shutil.copytree(EXAMPLE, client)
        text = (client / "client.yaml").read_text(encoding="utf-8")
        lines = [ln for ln in text.splitlines() if not ln.startswith(("name:", "slug:"))]
        (client / "client.yaml").write_text(f"name: {name.title()} Ltd\nslug: {name}\n" + "\n".join(lines) + "\n",
                                            encoding="utf-8")
    broken = folder / "broken"
    (broken / "2026-Q1").mkdir(parents=True)
    (broken / "client.yaml").write_text("name: Broken\n", encoding="utf-8")  # no currency, goal, ...
    (folder / "notes").mkdir()  # not a client: no client.yaml
    return folder


def test_clients_are_the_folders_with_a_profile(portfolio):
    assert [p.name for p in clients_in(portfolio)] == ["broken", "north", "south"]


def test_a_failing_client_is_a_result_not_an_exception(portfolio, tmp_path):
    result = run_client(portfolio / "broken", Period.parse("2026-Q1"), tmp_path / "reports")
    assert not result.ok and "currency" in result.note and result.report is None


@pytest.mark.kernel
def test_batch_runs_every_client_and_goes_on_past_a_failure(portfolio, tmp_path):
    reports = tmp_path / "reports"
    runner = CliRunner()
    first = runner.invoke(main, ["batch", str(portfolio), "--period", "2026-Q1", "--jobs", "2",
                                 "--reports", str(reports)])
    assert first.exit_code == 1, first.output  # one client failed
    # the table's lines (the progress bar on the other stream may run into the first one)
    lines = {m.group(1): m.group(0) for m in re.finditer(r"(north|south|broken) +(ok|failed) .*", first.output)}
    assert "FAILED" in lines["broken"] and "currency" in lines["broken"]
    # the table shows the index the quarter's assessment holds as the reports write it: 28, as the
    # example's "since last quarter" section says (see test_history), not 28.0
    stored = json.loads((reports / "north" / "2026-Q1" / "assessment.json").read_text(encoding="utf-8"))
    q1_index = stored["scores"]["alignment_index"]
    assert q1_index == 28
    assert re.search(r"2026-Q1 +28 ", lines["north"]) and "28.0" not in lines["north"]
    assert "north/2026-Q1/report.html" in lines["north"]
    assert "progress" not in lines["north"]  # one quarter: no progress report yet
    assert "2 of 3 clients done, 1 failed" in first.output
    assert (reports / "north" / "2026-Q1" / "report.pdf").is_file()
    second = runner.invoke(main, ["batch", str(portfolio), "--period", "2026-Q2", "--jobs", "2",
                                  "--reports", str(reports), "--no-pdf"])
    assert second.exit_code == 1
    for name in ("north", "south"):
        assert (reports / name / "2026-Q2" / "report.html").is_file()
        assert (reports / name / "progress.html").is_file()
        assert not (reports / name / "2026-Q2" / "report.pdf").exists()  # --no-pdf
        assert not (reports / name / "progress.pdf").exists()
        assert (reports / name / "2026-Q2" / "report.pptx").is_file()
        assert "Since 2026-Q1" in (reports / name / "2026-Q2" / "report.html").read_text(encoding="utf-8")
    assert not (reports / "broken").exists()


def test_two_clients_with_one_slug_stop_the_batch_before_anything_runs(portfolio, tmp_path):
    # "south" now takes the name and slug of "north": both would report into reports/north
    text = (portfolio / "south" / "client.yaml").read_text(encoding="utf-8")
    (portfolio / "south" / "client.yaml").write_text(text.replace("slug: south", "slug: north"), encoding="utf-8")
    reports = tmp_path / "reports"
    result = CliRunner().invoke(main, ["batch", str(portfolio), "--period", "2026-Q1", "--reports", str(reports)])
    assert result.exit_code == 1
    assert f"'{portfolio / 'north'}'" in result.output and f"'{portfolio / 'south'}'" in result.output
    assert "the same folder 'north'" in result.output and "slug" in result.output
    assert not reports.exists()  # nothing ran, nothing was written
