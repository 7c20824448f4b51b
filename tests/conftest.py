"""Fixtures shared by the test modules: the example client, the question bank, the example's
first quarter assessed once per test run, and the kernel the notebooks run in.

Every notebook a test runs (through `run`, `progress`, `review` or their functions) runs in a
kernel inside the test process, started once for the whole run: the same notebook, papermill
and export as a report has, without a new Python process per report. The tests marked
`kernel`, and the fixtures that enter `real_kernels()`, run the notebook end to end in a
kernel of its own, as a consultant's command does.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.assessment import to_json
from smarketing_assess.records.agreed import AgreedPlan
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.goals import Goal
from smarketing_assess.running import execute
from smarketing_assess.running.pipeline import assess

EXAMPLE = examples_dir() / "brightline-sensors"


def pytest_configure(config):
    config.addinivalue_line("markers", "kernel: runs its notebooks end to end, each in a kernel process of its own")


# ------------------------------------------------------------------ the notebooks' kernel

_OWN_PROCESS = execute._kernel  # how `run` starts a kernel: a new process per report


def _in_process_manager() -> Any:
    """A kernel manager whose kernel lives in this process, with the calls papermill makes."""
    from ipykernel.inprocess.blocking import BlockingInProcessKernelClient
    from ipykernel.inprocess.manager import InProcessKernelManager

    class Client(BlockingInProcessKernelClient):
        def wait_for_ready(self, timeout: float | None = None) -> None:
            super().wait_for_ready()

    class Manager(InProcessKernelManager):
        def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            """Left running after each report: the next one reuses it (`close` stops it)."""

        def close(self) -> None:
            super().shutdown_kernel()

    manager = Manager()
    manager.client_factory = Client
    return manager


_SHARED: list[Any] = []  # the one in-process kernel manager, started by the first notebook that runs


@contextmanager
def _in_process(preload: str = execute.PRELOAD) -> Iterator[Any]:
    """Stands in for `execute._kernel`: the test process's own kernel, started once."""
    if not _SHARED:
        km = _in_process_manager()
        km.start_kernel()
        km.kernel.shell.run_cell(preload, store_history=False)
        _SHARED.append(km)
    yield _SHARED[0]


@pytest.fixture(scope="session", autouse=True)
def notebooks_in_process() -> Iterator[None]:
    """Every notebook of the run executes in the in-process kernel (see the module's docstring)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(execute, "_kernel", _in_process)
        yield
    while _SHARED:
        _SHARED.pop().close()


@pytest.fixture(scope="session", autouse=True)
def each_pdf_laid_out_once() -> Iterator[None]:
    """The same HTML gives the same PDF: a report drawn again from the same inputs (the example,
    by many tests) is laid out on paper once per run, the first time it is asked for."""
    from smarketing_assess.presenting import document

    laid_out: dict[str, bytes] = {}
    real = document.pdf

    def pdf(html: str) -> bytes:
        if html not in laid_out:
            laid_out[html] = real(html)
        return laid_out[html]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(document, "pdf", pdf)
        yield


@contextmanager
def real_kernels() -> Iterator[None]:
    """Inside it, each notebook runs in a kernel process of its own, as `run` starts it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(execute, "_kernel", _OWN_PROCESS)
        yield


@pytest.fixture(autouse=True)
def _kernel_of_a_marked_test(request) -> Iterator[None]:
    if request.node.get_closest_marker("kernel") is None:
        yield
    else:
        with real_kernels():
            yield


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
    """The example's report (HTML, with its slides and workbook beside it, and in English its PDF)
    of each quarter in each language, run once for the whole test run: (period, language) ->
    report.html. The tests lay the other languages out on paper themselves."""
    from smarketing_assess.running.execute import run_baseline

    folder = tmp_path_factory.mktemp("example-reports")
    return {(period, language): Path(run_baseline(EXAMPLE, Period.parse(period), folder, language=language,
                                                  progress=False, paper=language == "en").report)
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
