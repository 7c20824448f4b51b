"""Fixtures shared by the test modules: the example client, the question bank, and the
example's first quarter assessed once per test run."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.agreed import AgreedPlan
from smarketing_assess.model.assessment import Assessment, to_json
from smarketing_assess.model.goals import Goal
from smarketing_assess.running.pipeline import assess

EXAMPLE = examples_dir() / "brightline-sensors"


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    """The shipped question bank."""
    return load_question_bank()


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """A copy of the example client that a test may change."""
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


EXAMPLE_LANGUAGES = ("en", "pt-BR", "es", "it")
EXAMPLE_PERIODS = ("2026-Q1", "2026-Q2")


@pytest.fixture(scope="session")
def example_reports(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The example's report (HTML, with its PDF, slides and workbook beside it) of each quarter in
    each language, run once for the whole test run: (period, language) -> report.html."""
    from smarketing_assess.running.execute import run_baseline

    folder = tmp_path_factory.mktemp("example-reports")
    return {(period, language): Path(run_baseline(EXAMPLE, Period.parse(period), folder, language=language,
                                                  progress=False).report)
            for period in EXAMPLE_PERIODS for language in EXAMPLE_LANGUAGES}


@pytest.fixture(scope="session")
def q1_assessment() -> Assessment:
    """The example's 2026-Q1, assessed once for the whole run (tests must not change it)."""
    return assess(EXAMPLE, Period.parse("2026-Q1"))


def goal(gid: str, metric: str, baseline: float, target: float, better: str, deadline: str,
         unit: str = "count") -> Goal:
    """A goal as the playbook would propose it."""
    return Goal(id=gid, owner="joint", priority=5, metric=metric, unit=unit, baseline=baseline, target=target,
                better=better, deadline=deadline, evidence=[])


def quarter_like(base: Assessment, period: str, facts: dict[str, float | None], goals: list[Goal],
                 questions: dict[str, str] | None = None, plan: AgreedPlan | None = None) -> Assessment:
    """`base` moved to another period, with the facts, goals, question fingerprints and agreed plan
    (none unless given) given."""
    return dataclasses.replace(base, period=period, facts=facts, goals=goals, plan=plan, sla_months=[],
                               questions=questions if questions is not None else dict(base.questions))


def store(reports: Path, slug: str, assessment: Assessment, folder: str | None = None) -> Path:
    """Write an assessment where `run` leaves it: reports/<slug>/<period>/assessment.json."""
    path = reports / slug / (folder or assessment.period) / "assessment.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(assessment), encoding="utf-8")
    return path


def deck_text(content: bytes) -> str:
    """Every text of a slide deck: its text boxes and its tables' cells, slide by slide."""
    import io

    from pptx import Presentation

    out = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(out)


def readable(path: Path) -> str:
    """What a reader of an output file sees, as text: a workbook's every cell, a deck's every text,
    a PDF's pages' text, any other file's text."""
    if path.suffix == ".pptx":
        return deck_text(path.read_bytes())
    if path.suffix == ".pdf":
        import pypdf

        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    if path.suffix == ".xlsx":
        import openpyxl

        return "\n".join(str(c.value) for ws in openpyxl.load_workbook(path) for row in ws.iter_rows()
                         for c in row if c.value is not None)
    return path.read_text(encoding="utf-8", errors="replace")


def edit_csv(path: Path, change: Callable[[dict[str, str]], None]) -> list[dict[str, str]]:
    """Rewrite a CSV file with `change` applied to each row (a row may gain columns); the rows written."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows
