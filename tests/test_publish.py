"""`publish`: a baseline notebook executed with papermill's own command line becomes the report folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import papermill
import pytest
from click.testing import CliRunner

from smarketing_assess.core.resources import examples_dir, notebooks_dir
from smarketing_assess.ui.cli import main


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[Path, Path]:
    """The example's 2026-Q1 executed by papermill itself, as a consultant would from the command line."""
    base = tmp_path_factory.mktemp("publish")
    client = base / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", client)
    (base / "out").mkdir()
    papermill.execute_notebook(str(notebooks_dir() / "baseline_report.ipynb"), str(base / "out.ipynb"),
                               parameters={"client_dir": str(client), "period": "2026-Q1",
                                           "output_dir": str(base / "out")}, progress_bar=False, kernel_name="python3")
    return base / "out.ipynb", client


def test_a_notebook_executed_elsewhere_is_published_with_the_checks_of_run(executed, tmp_path):
    notebook, _client = executed
    runner = CliRunner()
    reports = tmp_path / "reports"
    done = runner.invoke(main, ["publish", str(notebook), "--reports", str(reports)])
    assert done.exit_code == 0, done.output
    folder = reports / "brightline-sensors" / "2026-Q1"
    assert sorted(p.name for p in folder.iterdir()) == ["assessment.json", "baseline_report.ipynb", "presented.json",
                                                        "report.html", "report.pdf", "report.pptx", "report.xlsx"]
    assert (folder / "assessment.json").read_text(encoding="utf-8") == \
        (notebook.parent / "out" / "assessment.json").read_text(encoding="utf-8")
    assert "The agreed plan" in (folder / "report.html").read_text(encoding="utf-8")
    again = runner.invoke(main, ["publish", str(notebook), "--reports", str(reports)])
    assert again.exit_code == 1 and "already exists" in again.output
    forced = runner.invoke(main, ["publish", str(notebook), "--reports", str(reports), "--force"])
    assert forced.exit_code == 0 and (folder.parent / "2026-Q1.previous-1" / "report.html").is_file()


def test_a_notebook_whose_inputs_changed_since_or_that_failed_is_not_published(executed, tmp_path):
    notebook, client = executed
    funnel = client / "2026-Q1" / "funnel.csv"
    original = funnel.read_text(encoding="utf-8")
    funnel.write_text(original.replace("420", "421", 1), encoding="utf-8")
    try:
        changed = CliRunner().invoke(main, ["publish", str(notebook), "--reports", str(tmp_path / "r")])
        assert changed.exit_code == 1 and "is not the one" in changed.output
    finally:
        funnel.write_text(original, encoding="utf-8")
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"][-1]["outputs"] = [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": []}]
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(data), encoding="utf-8")
    failed = CliRunner().invoke(main, ["publish", str(broken), "--reports", str(tmp_path / "r")])
    assert failed.exit_code == 1 and "did not run whole" in failed.output
    assert not (tmp_path / "r").exists()
    plain = tmp_path / "plain.ipynb"
    shutil.copy(notebooks_dir() / "baseline_report.ipynb", plain)
    unrun = CliRunner().invoke(main, ["publish", str(plain), "--reports", str(tmp_path / "r")])
    assert unrun.exit_code == 1 and "is not the baseline notebook executed by papermill" in unrun.output
