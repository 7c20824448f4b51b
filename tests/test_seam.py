"""assessment.json is the only seam between computing and presenting: it validates against
its shipped JSON Schema, holds no sentence, reads back to the same bytes, is computed once
per period per command, and any report over it reads in one language."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from smarketing_assess.core.period import Period
from smarketing_assess.core.translations import catalog_source, catalogs
from smarketing_assess.model.assessment import SCHEMA_FILE, from_json, json_schema, to_json
from smarketing_assess.records.history import STATUSES as GOAL_STATUSES
from smarketing_assess.running import pipeline
from smarketing_assess.running.execute import run_baseline, run_progress
from smarketing_assess.running.notebooks import baseline_report
from smarketing_assess.ui.cli import main

Q1, Q2 = Period.parse("2026-Q1"), Period.parse("2026-Q2")
# Where client text (its own names) may sit in an assessment: everything else is a number, a code or an id.
CLIENT_TEXT = (r"client\.(name|industry)", r"channels\.channels\.\d+\.(channel|notes)",
               r"channels\.recommendation\.\w+_channel", r"crm\.segments\.\d+\.segment", r"crm\.mapping",
               # the agreed plan's own words: who signed it, how they meet, a goal the client added, its owner
               r"plan\.by\.\d+", r"plan\.review", r"plan\.goals\.\d+\.(title|person)",
               r"sla_months\.\d+\.results\.\d+\.(title|person|remedy)",
               # the same plan's goals as the comparison with the quarter before judged them
               r"since\.goals\.\d+\.agreed\.(title|person)",
               # the settings' own texts, kept as the judgement used them (the playbook's goal texts and
               # metric labels, the benchmarks' sources): copied from the settings, never made by the model
               r"wording\.ranges\.\w+\.source\.(publisher|title|url)", r"wording\.goals\.\w+\.(title|why)\.[\w-]+",
               r"wording\.metrics\.[\w.]+\.label\.[\w-]+",
               # and the question bank's names: teams, dimensions, maturity levels and their descriptions
               r"wording\.bank\.(teams|dimensions)\.\w+\.[\w-]+",
               r"wording\.bank\.levels\.\d+\.(name|description)\.[\w-]+")


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The periods assessed from their inputs, in this process, while the test runs."""
    calls: list[str] = []
    real = pipeline.build_assessment
    monkeypatch.setattr(pipeline, "build_assessment", lambda *a, **k: calls.append(str(a[1])) or real(*a, **k))
    return calls


def strings(node, path: str = "") -> list[tuple[str, str]]:
    """Every text value of a JSON document with its dotted path."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in strings(v, f"{path}.{k}" if path else k)]
    if isinstance(node, list):
        return [s for i, v in enumerate(node) for s in strings(v, f"{path}.{i}")]
    return [(path, node)] if isinstance(node, str) else []


def test_the_shipped_schema_is_the_one_the_classes_give():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema()


def test_demo_computes_each_quarter_once_and_writes_valid_sentence_free_assessments(tmp_path, counted):
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--reports", str(tmp_path), "--quiet", "--no-pdf"])
    assert first.exit_code == 0, first.output
    # one computation per quarter; the notebooks and the progress report read what was stored
    assert counted == ["2026-Q1", "2026-Q2"]
    schema = json_schema()
    for quarter in ("2026-Q1", "2026-Q2"):
        text = (tmp_path / "brightline-sensors" / quarter / "assessment.json").read_text(encoding="utf-8")
        data = json.loads(text)
        jsonschema.validate(data, schema)
        assert to_json(from_json(text)) == text  # load -> dump gives the same bytes
        free = [(p, s) for p, s in strings(data) if not any(re.fullmatch(c, p) for c in CLIENT_TEXT)]
        # a goal's status is a code of its own, some of two words ("on track"): never a sentence
        sentences = [(p, s) for p, s in free if " " in s
                     and not (re.fullmatch(r"since\.goals\.\d+\.status", p) and s in GOAL_STATUSES)]
        assert sentences == []  # no sentence: codes, ids, dates and checksums only
    counted.clear()
    again = runner.invoke(main, ["demo", "--reports", str(tmp_path), "--quiet", "--no-pdf"])
    assert again.exit_code == 0, again.output
    assert counted == []  # everything up to date: nothing assessed again


def test_run_in_another_language_renders_without_recomputing_and_keeps_both(tmp_path, counted):
    first = run_baseline(EXAMPLE, Q1, tmp_path, progress=False, paper=False)
    assert counted == ["2026-Q1"] and first.report.name == "report.html"
    stored = first.assessment.read_text(encoding="utf-8")
    italian = run_baseline(EXAMPLE, Q1, tmp_path, language="it", progress=False, paper=False)
    assert counted == ["2026-Q1"]  # not assessed again
    assert (italian.report.name, italian.assessed, italian.previous) == ("report.it.html", False, None)
    assert first.report.is_file() and italian.report.is_file()  # both languages side by side
    assert italian.assessment.read_text(encoding="utf-8") == stored  # the record is untouched
    assert '<html lang="it">' in italian.report.read_text(encoding="utf-8")
    assert run_baseline(EXAMPLE, Q1, tmp_path, language="it", progress=False, paper=False).up_to_date


def test_the_notebook_given_the_assessment_computes_nothing(tmp_path, counted):
    run_baseline(EXAMPLE, Q1, tmp_path, progress=False, paper=False)
    run_baseline(EXAMPLE, Q2, tmp_path, progress=False, paper=False)
    counted.clear()
    stored = tmp_path / "brightline-sensors" / "2026-Q2" / "assessment.json"
    report = baseline_report(EXAMPLE, "2026-Q2", assessment=stored, reports_dir=tmp_path)
    assert "Since 2026-Q1" in report.since_last_quarter()  # 2026-Q1 read from its stored report
    assert report.previous_origin == "stored"
    assert counted == []


def _fragments(language: str) -> set[str]:
    """Stretches of 25 characters or more of one language's catalog texts (between placeholders)."""
    source = catalog_source() if language == "en" else catalogs()[language]
    out = set()
    for text in source.values():
        for part in re.split(r"\{[a-z_]+\}|\s\|\s", text):
            part = part.strip(" .,:;()")
            if len(part) >= 25:
                out.add(part)
    return out


def test_a_progress_report_over_quarters_reported_in_other_languages_reads_in_one(tmp_path):
    run_baseline(EXAMPLE, Q1, tmp_path, language="pt-BR", progress=False, paper=False)
    run_baseline(EXAMPLE, Q2, tmp_path, language="it", progress=False, paper=False)
    result = run_progress(EXAMPLE, tmp_path, language="es", progress=False, paper=False)
    assert result.report.name == "progress.es.html" and result.assessed_now == ()
    shown = html.unescape(result.report.read_text(encoding="utf-8"))
    assert "Informe de evolución" in shown
    for other in ("en", "pt-BR", "it"):
        left = sorted(f for f in _fragments(other) - _fragments("es") if f in shown)
        assert left == [], (other, left[:3])


def test_an_edited_input_makes_the_stored_assessment_out_of_date(tmp_path, client, counted):
    from smarketing_assess.running.execute import ReportExists

    run_baseline(client, Q1, tmp_path, progress=False, paper=False)
    funnel = client / "2026-Q1" / "funnel.csv"
    funnel.write_text(funnel.read_text(encoding="utf-8").replace("420,130", "421,130"), encoding="utf-8")
    with pytest.raises(ReportExists, match="made from other inputs"):
        run_baseline(client, Q1, tmp_path, language="it", progress=False, paper=False)
    assert not (tmp_path / "brightline-sensors" / "2026-Q1" / "report.it.html").exists()
    replaced = run_baseline(client, Q1, tmp_path, force=True, progress=False, paper=False)
    assert counted == ["2026-Q1", "2026-Q1"] and replaced.previous is not None
    assert json.loads(replaced.assessment.read_text())["funnel"]["counts"]["leads"] == 421 + 450 + 480


def test_a_corrupt_stored_assessment_names_the_file(tmp_path):
    from smarketing_assess.core.errors import InputError
    from smarketing_assess.running.store import read_stored

    path = Path(tmp_path) / "assessment.json"
    path.write_text('{"schema_version": 2, "period": "2026-Q1"}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_stored(path)
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.message == "not a valid assessment"


PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
NO_SENTENCE = "The model makes no sentence: it never reads the report's texts"
MODEL_LIBRARIES = "The model draws, lays out and formats nothing: no charting, templating, locale or document library"
ONLY_RECORDS = "Reports read only the records: presenting imports nothing from the model"
READING_LIBRARIES = "Reading draws and lays out nothing: no charting, templating or document library"


def test_the_stages_import_only_downwards():
    """The import-linter contracts of pyproject.toml: ui > running > presenting | reading > model > records >
    config > core, reports that reach only the records, no text catalog in the model or the records, and no
    drawing or layout library in the model, the records or reading."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(PYPROJECT)) == 0


def test_the_contracts_forbid_the_layout_libraries_and_allow_no_indirect_import():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert config["include_external_packages"] is True  # without it a third-party package cannot be forbidden
    contracts = {c["name"]: c for c in config["contracts"]}
    forbidden = {name: (set(c["source_modules"]), set(c["forbidden_modules"]))
                 for name, c in contracts.items() if c["type"] == "forbidden"}
    seam = {"smarketing_assess.model", "smarketing_assess.records"}
    assert forbidden[NO_SENTENCE] == (seam, {"smarketing_assess.core.catalogs"})
    assert forbidden[ONLY_RECORDS] == ({"smarketing_assess.presenting"}, {"smarketing_assess.model"})
    assert forbidden[MODEL_LIBRARIES] == (seam,
                                          {"matplotlib", "jinja2", "babel", "openpyxl", "pptx", "weasyprint"})
    assert forbidden[READING_LIBRARIES] == ({"smarketing_assess.reading"},
                                            {"matplotlib", "jinja2", "pptx", "weasyprint"})
    assert not [name for name, c in contracts.items() if c.get("allow_indirect_imports")]


@pytest.mark.parametrize(("module", "line", "broken"), [
    (None, "", None),  # the copy itself keeps every contract
    ("model/funnel.py", "import matplotlib.pyplot", MODEL_LIBRARIES),
    ("model/scoring.py", "from babel.numbers import format_decimal", MODEL_LIBRARIES),
    ("records/funnel.py", "import jinja2", MODEL_LIBRARIES),
    ("reading/numbers.py", "import jinja2", READING_LIBRARIES),
    # a renderer that reaches a computing module, directly or through a helper of presenting
    ("presenting/tables.py", "from smarketing_assess.model.evidence import wilson", ONLY_RECORDS),
    ("presenting/formatting.py", "import smarketing_assess.model.history", ONLY_RECORDS),
    # not in the model itself: through a settings module the model imports
    ("config/client.py", "from smarketing_assess.core.catalogs import text", NO_SENTENCE),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, broken):
    """A copy of the package with one import added, checked by import-linter in a process of its own."""
    package = PYPROJECT.parent / "smarketing_assess"
    shutil.copytree(package, tmp_path / "smarketing_assess", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    if module is not None:
        target = tmp_path / "smarketing_assess" / module
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()", "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tmp_path), "COLUMNS": "400", "NO_COLOR": "1"},
                          timeout=120)
    # the report as words: without the colours a terminal may ask for, on one line
    said = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", done.stdout).split())
    if broken is None:
        assert done.returncode == 0, done.stdout
        assert "Contracts: 5 kept, 0 broken." in said
    else:
        assert done.returncode == 1, done.stdout
        assert f"{broken} BROKEN" in said
        assert "Contracts: 4 kept, 1 broken." in said
