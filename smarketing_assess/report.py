"""Run the baseline notebook with papermill and publish the report folder whole.

`run_baseline` validates the inputs first (nothing runs on invalid input), checks the
papermill parameters against those the notebook declares, executes the notebook once
in one kernel, exports it to one self-contained HTML file with the nbconvert template
under `templates/report/`, and moves the finished folder into
`reports/<client-slug>/<period>/` in a single rename. An existing report is replaced
only when asked, and then kept beside the new one.
"""

from __future__ import annotations

import functools
import json
import math
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smarketing_assess.period import Period
from smarketing_assess.resources import notebooks_dir, templates_dir

BASELINE_NOTEBOOK = "baseline_report.ipynb"
FAILED_DIR = ".failed"


class ReportError(RuntimeError):
    """The notebook could not be run or exported; the message says where and why."""


class ReportExists(ReportError):
    """The period already has a different report and --force was not given."""


@dataclass(frozen=True)
class RunResult:
    folder: Path
    report: Path
    notebook: Path
    assessment: Path
    previous: Path | None  # where the replaced report was kept
    up_to_date: bool = False  # the existing report already matches these inputs


# --------------------------------------------------------------------- parameters

def declared_parameters(notebook: Path) -> set[str]:
    """The names the notebook's `parameters` cell declares (as papermill reads them)."""
    stat = Path(notebook).stat()
    return set(_declared(str(notebook), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _declared(notebook: str, _mtime: int, _size: int) -> frozenset[str]:  # read again when the file changes
    import papermill

    return frozenset(papermill.inspect_notebook(notebook))


def _json_safe(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_safe(v) for k, v in value.items())
    return False


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Only names the notebook declares, only JSON values: nothing a parameter holds can run as code."""
    declared = declared_parameters(notebook)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ValueError(f"parameters not declared by {notebook.name}: {', '.join(map(repr, unknown))}; "
                         f"it declares {', '.join(sorted(declared))}")
    bad = sorted(k for k, v in parameters.items() if not _json_safe(v))
    if bad:
        raise ValueError(f"parameters must be JSON values (text, numbers, true/false, null, lists, "
                         f"mappings): {', '.join(bad)}")
    # papermill writes each value as a Python literal; a round trip through JSON proves it is plain data
    json.dumps(parameters, allow_nan=False)


# ------------------------------------------------------------------------- export

def _exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="smarketing", extra_template_basedirs=[str(templates_dir() / "report")])


class _Warm:
    """Builds a value in a background thread (while the kernel works); `get` waits for it."""

    def __init__(self, build: Any) -> None:
        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = build()
            except BaseException as exc:  # handed to the caller of get()
                self._error = exc

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def get(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


@functools.cache
def _warm_exporter() -> Any:  # one per process: a batch worker exports many reports with it
    """An HTML exporter with its template already compiled (by rendering an empty notebook)."""
    import nbformat

    exporter = _exporter()
    exporter.from_notebook_node(nbformat.v4.new_notebook())
    return exporter


def export_html(notebook_path: Path, title: str, language: str, exporter: Any = None) -> str:
    """The executed notebook as one HTML file: only the sections the cells display."""
    import nbformat

    nb = nbformat.read(notebook_path, as_version=4)
    nb.metadata["smarketing"] = {"title": title, "language": language}
    body, _resources = (exporter or _exporter()).from_notebook_node(nb)
    return body


# ---------------------------------------------------------------------------- run

def _failed_cell(exc: Exception, notebook: Path) -> str:
    """Name the cell papermill stopped at as the notebook's author sees it: its position in
    the notebook (papermill's own index counts the cell it injects), its tag, its first line."""
    source = getattr(exc, "source", "") or ""
    where = "a cell"
    try:
        import nbformat

        cells = nbformat.read(notebook, as_version=4).cells
        index = next(i for i, c in enumerate(cells) if c.cell_type == "code" and c.source == source)
        tags = [t for t in cells[index].metadata.get("tags", []) if t.startswith("section-")]
        where = f"cell {index}" + (f" ({tags[0]})" if tags else "")
    except (StopIteration, OSError, ValueError):
        pass
    first = next((ln.strip() for ln in source.splitlines() if ln.strip() and not ln.startswith("#")), "")
    where += f": {first}" if first else ""
    return f"{where} failed with {getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', exc)}"


# What the kernel imports while it starts, so that the notebook's cells find it loaded.
PRELOAD = "import smarketing_assess.sections"


@contextmanager
def _kernel(preload: str = PRELOAD) -> Iterator[Any]:
    """A Python kernel started now, talking over Unix sockets in a private folder (not TCP
    ports), importing the package while the caller goes on; shut down on leaving."""
    from jupyter_client.manager import KernelManager

    class OwnedKernelManager(KernelManager):
        """Closes the clients it hands out: papermill's client leaves them open when it does not
        own the kernel manager."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.clients: list[Any] = []

        def client(self, **kwargs: Any) -> Any:
            if self.clients and self.clients[-1].channels_running:
                return self.clients[-1]  # a kernel serving many notebooks: one connection for all
            kc = super().client(**kwargs)
            self.clients.append(kc)
            return kc

        def release_clients(self) -> None:
            for kc in self.clients:
                kc.stop_channels()
            self.clients.clear()

        def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            self.release_clients()
            if self.has_kernel:
                super().shutdown_kernel(now=now, restart=restart)

    with tempfile.TemporaryDirectory(prefix="smarketing-kernel-") as sockets:
        km = OwnedKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"),
                                client_class="smarketing_assess.kernel_client.ReusedClient")
        km.start_kernel(extra_arguments=[f"--IPKernelApp.exec_lines={preload}",
                                          "--HistoryManager.enabled=False"])  # no history file for a batch run
        try:
            yield km
        finally:
            km.shutdown_kernel(now=True)
            km.context.term()


def _execute(km: Any, notebook: Path, executed: Path, parameters: dict[str, Any], reports_dir: Path, name: str,
             progress: bool, keep: bool = False) -> None:
    """Run the notebook with papermill in the kernel `km`, shut down afterwards unless `keep` (a
    kernel serving one notebook after another); a failing cell is a ReportError naming it, and the
    partly executed notebook is kept under reports/.failed/.

    A kept kernel is not cleared between notebooks: each notebook's first cell builds the one
    object every later cell uses, from the parameters papermill has just set, and papermill stops
    at the first cell that fails, so nothing of an earlier client can reach a later report."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, progress_bar=progress,
                                   kernel_name="python3", language="python", km=km,
                                   request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        failed = reports_dir / FAILED_DIR
        failed.mkdir(parents=True, exist_ok=True)
        kept = failed / f"{name}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.ipynb"
        shutil.copyfile(executed, kept)
        raise ReportError(f"{_failed_cell(exc, notebook)}; the partly executed notebook is kept at {kept}") from None
    finally:
        if not keep:
            km.shutdown_kernel(now=True)  # its work is done: free it before the export


@contextmanager
def _given_or_new(kernel: Any, preload: str) -> Iterator[tuple[Any, bool]]:
    """The kernel passed in (kept running), or a new one for this run (shut down after it)."""
    if kernel is not None:
        yield kernel, True
    else:
        with _kernel(preload) as km:
            yield km, False


def run_baseline(client_dir: Path, period: Period, reports_dir: Path = Path("reports"), *, force: bool = False,
                 language: str | None = None, progress: bool = True, notebook: Path | None = None,
                 kernel: Any = None) -> RunResult:
    """Validate, execute the baseline notebook and publish `reports/<slug>/<period>/` whole.

    The kernel is started first and imports the package while the inputs are validated
    here; no cell of the notebook runs, and nothing is written, unless they are valid.
    """
    client_dir = Path(client_dir).resolve()
    notebook = notebook or notebooks_dir() / BASELINE_NOTEBOOK
    with _given_or_new(kernel, PRELOAD) as (km, keep):
        from smarketing_assess.assessment import assess, to_json
        from smarketing_assess.questionnaire import load_question_bank
        from smarketing_assess.textfiles import keep_previous
        from smarketing_assess.texts import text

        bank = load_question_bank()
        if language and language not in bank.languages:
            raise ValueError(f"no texts in language {language!r}; available: {', '.join(bank.languages)}")
        assessment = assess(client_dir, period, bank, language)  # raises InputError before any cell runs
        lang = language or assessment.client.language
        if lang not in bank.languages:
            raise ValueError(f"no texts in language {lang!r}; available: {', '.join(bank.languages)}")
        target = Path(reports_dir) / assessment.client.slug / str(period)
        files = {"report": target / "report.html", "notebook": target / BASELINE_NOTEBOOK,
                 "assessment": target / "assessment.json"}
        if target.exists() and not force:
            same = (files["assessment"].is_file() and files["report"].is_file()
                    and files["assessment"].read_text(encoding="utf-8") == to_json(assessment))
            if same:
                return RunResult(target, **files, previous=None, up_to_date=True)
            raise ReportExists(f"{target} already holds a report for {period}; pass --force to replace it "
                               "(the old one is kept beside it)")
        parameters = {"client_dir": str(client_dir), "period": str(period), "output_dir": "",
                      "language": language or ""}
        check_parameters(notebook, parameters)

        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{period}.", dir=target.parent))  # same disk: one rename
        parameters["output_dir"] = str(work)
        executed = work / BASELINE_NOTEBOOK
        exporter = _Warm(_warm_exporter)  # nbconvert loads while the kernel runs the cells
        try:
            _execute(km, notebook, executed, parameters, Path(reports_dir), f"{assessment.client.slug}-{period}",
                     progress, keep)
            if not (work / "assessment.json").is_file():
                raise ReportError(f"{notebook.name} ran but wrote no assessment.json")
            title = f"{assessment.client.name} · {text('report.title', lang)} · {period}"
            (work / "report.html").write_text(export_html(executed, title, lang, exporter.get()), encoding="utf-8")
            previous = keep_previous(target)  # the old report folder, as <period>.previous-N
            os.replace(work, target)
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return RunResult(target, **files, previous=previous)


PROGRESS_NOTEBOOK = "progress_report.ipynb"


@dataclass(frozen=True)
class ProgressResult:
    report: Path
    notebook: Path
    previous: Path | None  # where the replaced progress report was kept
    up_to_date: bool = False  # the existing report already covers these quarters


def run_progress(client_dir: Path, reports_dir: Path = Path("reports"), *, force: bool = False,
                 language: str | None = None, progress: bool = True, kernel: Any = None) -> ProgressResult:
    """Execute the progress notebook on the client's assessed quarters and publish
    `reports/<slug>/progress.html`. An existing report is replaced only with `force` (and then kept
    as `progress.previous-N.html`); with the same quarters as before it is up to date."""
    from smarketing_assess.client import load_client
    from smarketing_assess.history import load_history
    from smarketing_assess.textfiles import checksum, keep_previous, write_text_atomic
    from smarketing_assess.texts import text

    client_dir = Path(client_dir).resolve()
    client = load_client(client_dir / "client.yaml")
    folder = Path(reports_dir) / client.client_slug
    quarters = load_history(Path(reports_dir), client.client_slug)
    if len(quarters) < 2:
        raise ReportError(f"a progress report needs the baseline reports of two quarters in {folder} (found "
                          f"{', '.join(str(q.period) for q in quarters) or 'none'}); run `smarketing-assess run` "
                          "for each quarter first")
    lang = language or client.language
    from smarketing_assess.questionnaire import load_question_bank

    if lang not in load_question_bank().languages:
        raise ValueError(f"no texts in language {lang!r}; available: {', '.join(load_question_bank().languages)}")
    report, executed_path, stamp = folder / "progress.html", folder / PROGRESS_NOTEBOOK, folder / "progress.json"
    covered = json.dumps({"language": lang, "quarters": {str(q.period): checksum(q.path) for q in quarters}},
                         indent=2, sort_keys=True) + "\n"
    if report.exists() and not force:
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == covered:
            return ProgressResult(report, executed_path, None, up_to_date=True)
        raise ReportExists(f"{report} already exists for other quarters or inputs; pass --force to replace it "
                           "(the old one is kept beside it)")
    notebook = notebooks_dir() / PROGRESS_NOTEBOOK
    parameters = {"client_dir": str(client_dir), "reports_dir": str(Path(reports_dir).resolve()),
                  "language": language or ""}
    check_parameters(notebook, parameters)
    work = Path(tempfile.mkdtemp(prefix=".progress.", dir=folder))
    try:
        with _given_or_new(kernel, "import smarketing_assess.progress") as (km, keep):
            exporter = _Warm(_warm_exporter)
            executed = work / PROGRESS_NOTEBOOK
            _execute(km, notebook, executed, parameters, Path(reports_dir), f"{client.client_slug}-progress",
                     progress, keep)
            title = f"{client.name} · {text('progress.title', lang)} · {quarters[0].period} – {quarters[-1].period}"
            html = export_html(executed, title, lang, exporter.get())
        previous = keep_previous(report) if report.exists() else None
        write_text_atomic(report, html)
        os.replace(executed, executed_path)
        write_text_atomic(stamp, covered)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ProgressResult(report, executed_path, previous)


def refresh_progress(client_dir: Path, reports_dir: Path = Path("reports"), *, language: str | None = None,
                     progress: bool = True, kernel: Any = None) -> ProgressResult:
    """The progress report brought up to date with the quarters assessed so far: left alone when
    it already covers them, otherwise written again with the old one kept beside it."""
    try:
        return run_progress(client_dir, reports_dir, language=language, progress=progress, kernel=kernel)
    except ReportExists:
        return run_progress(client_dir, reports_dir, force=True, language=language, progress=progress, kernel=kernel)


@contextmanager
def shared_kernel() -> Iterator[Any]:
    """One kernel for many notebooks in turn (see `run_baseline`'s and `run_progress`'s `kernel`)."""
    with _kernel(PRELOAD + ", smarketing_assess.progress") as km:
        yield km
