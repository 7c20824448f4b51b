"""Run the report notebooks with papermill and publish what they make, whole.

`run_baseline` assesses the quarter once (or reuses its current stored assessment; nothing
runs on invalid input), checks the papermill parameters against those the notebook
declares, executes the notebook in one kernel on that assessment, exports it to one
self-contained HTML file with the nbconvert template under `templates/report/`, and moves
the finished folder into `reports/<client-slug>/<period>/` in a single rename.
`run_progress` does the same for the progress report over all of a client's quarters, and
`run_review` for a month's review, judged once here and stored as its record. All three go
through one publish path (`_publish`), each saying only what differs (`Job`). An existing
report is replaced only when asked, and then kept beside the new one.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smarketing_assess.config.brand import Brand, brand_of
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import notebooks_dir, templates_dir
from smarketing_assess.core.storage import (
    default_reports,
    folder_mode,
    keep_previous,
    leftovers,
    write_files_together,
    write_new,
    write_text_atomic,
)

if TYPE_CHECKING:
    from smarketing_assess.running import store

FAILED_DIR = ".failed"


class ReportError(RuntimeError):
    """The notebook could not be run or exported; the message says where and why."""


class ReportExists(ReportError):
    """The period already has a different report and --force was not given."""


@dataclass(frozen=True)
class RunResult:
    """Where `run_baseline` wrote the quarter's report, and what it did."""

    folder: Path
    report: Path
    notebook: Path
    assessment: Path
    previous: Path | None  # where the replaced report was kept
    up_to_date: bool = False  # the existing report already matches these inputs
    assessed: bool = True  # False: rendered from the stored assessment, not computed again
    others: tuple[Path, ...] = ()  # where its other forms go: the PDF, the slides, the workbook


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
        raise ValueError(say("run.undeclared", notebook=notebook.name, names=", ".join(map(repr, unknown)),
                             declared=", ".join(sorted(declared))))
    bad = sorted(k for k, v in parameters.items() if not _json_safe(v))
    if bad:
        raise ValueError(say("run.not_json", names=", ".join(bad)))
    # papermill writes each value as a Python literal; a round trip through JSON proves it is plain data
    json.dumps(parameters, allow_nan=False)


# ------------------------------------------------------------------------- export

def _exporter() -> Any:
    from nbconvert import HTMLExporter

    exporter: Callable[..., Any] = HTMLExporter  # nbconvert has no annotations
    return exporter(template_name="smarketing", extra_template_basedirs=[str(templates_dir() / "report")])


def _read_notebook(path: Path) -> Any:
    """A notebook file as nbformat's node (version 4 of the format)."""
    import nbformat

    read: Callable[..., Any] = nbformat.read  # nbformat has no annotations
    return read(path, as_version=4)


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
    from nbformat.v4 import new_notebook

    exporter = _exporter()
    empty: Callable[[], Any] = new_notebook  # nbformat has no annotations
    exporter.from_notebook_node(empty())
    return exporter


@dataclass(frozen=True)
class Look:
    """How a client's reports look on screen and on paper: the consultancy's brand, the paper,
    and the running footer of the PDF's pages."""

    brand: Brand | None
    paper: str
    footer: str


def look_of(client: ClientProfile, brand: Brand | None, language: str, what: str) -> Look:
    """A client's look for one report (`what`: its period, month or span of quarters)."""
    from smarketing_assess.config.client import paper_of

    return Look(brand, paper_of(client), " · ".join((client.name, what, text("report.confidential", language))))


def export_html(notebook_path: Path, title: str, language: str, exporter: Any = None, look: Look | None = None) -> str:
    """The executed notebook as one HTML file: only the sections the cells display, a contents
    list after the executive page, the brand's colours and the paper for printing."""
    from smarketing_assess.presenting.document import with_contents

    nb = _read_notebook(notebook_path)
    meta: dict[str, str] = {"title": title, "language": language,
                            "kind": re.sub(r"[^a-z_]", "", Path(notebook_path).stem.split(".")[0])}
    if look is not None:
        meta |= {"paper": look.paper, "footer": look.footer}
        if look.brand is not None:  # colours checked as #rrggbb when the brand was read
            meta |= {"accent": look.brand.accent, "ink": look.brand.ink, "contact": look.brand.contact or ""}
    nb.metadata["smarketing"] = meta
    body, _resources = (exporter or _exporter()).from_notebook_node(nb)
    return with_contents(body, text("report.contents", language))


def presentation_stamp(client_dir: Path, period: Period, client: ClientProfile) -> str:
    """What a baseline report shows beside its assessment, as a stamp: the brand file, its logo and
    the quarter's commentary (their checksums). A report whose stamp differs is out of date."""
    from smarketing_assess.config.commentary import COMMENTARY
    from smarketing_assess.core.storage import checksum
    from smarketing_assess.core.yamlfile import load_yaml
    from smarketing_assess.running import store

    files = [client_dir / str(period) / COMMENTARY]
    if client.brand:
        brand = client_dir / client.brand
        files.append(brand)
        try:  # a brand file that cannot be read is reported with the inputs, not here
            settings = load_yaml(brand) if brand.is_file() else None
        except InputError:
            settings = None
        logo = settings.get("logo") if isinstance(settings, dict) else None
        if isinstance(logo, str):
            files.append(brand.parent / logo)
    return store.stamp({str(os.path.relpath(f, client_dir)): checksum(f) for f in files if f.is_file()})


# ---------------------------------------------------------------------------- run

def _failed_cell(exc: Exception, notebook: Path) -> str:
    """Name the cell papermill stopped at as the notebook's author sees it: its position in
    the notebook (papermill's own index counts the cell it injects), its tag, its first line."""
    source = getattr(exc, "source", "") or ""
    where = say("run.a_cell")
    try:
        cells = _read_notebook(notebook).cells
        index = next(i for i, c in enumerate(cells) if c.cell_type == "code" and c.source == source)
        tags = [t for t in cells[index].metadata.get("tags", []) if t.startswith("section-")]
        where = say("run.cell", index=index) + (f" ({tags[0]})" if tags else "")
    except (StopIteration, OSError, ValueError):
        pass
    first = next((ln.strip() for ln in source.splitlines() if ln.strip() and not ln.startswith("#")), "")
    where += f": {first}" if first else ""
    return say("run.failed_with", cell=where, error=f"{getattr(exc, 'ename', type(exc).__name__)}: "
               f"{getattr(exc, 'evalue', exc)}")


# What the kernel imports while it starts, so that the notebook's cells find it loaded.
PRELOAD = "import smarketing_assess.running.notebooks"


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
                                client_class="smarketing_assess.running.kernel_client.ReusedClient")
        km.start_kernel(extra_arguments=[f"--IPKernelApp.exec_lines={preload}",
                                          "--HistoryManager.enabled=False"])  # no history file for a batch run
        try:
            yield km
        finally:
            km.shutdown_kernel(now=True)
            km.context.term()


def _execute(km: Any, notebook: Path, executed: Path, parameters: dict[str, Any], reports_dir: Path, name: str,
             progress: bool, keep: bool = False, label: str = "") -> None:
    """Run the notebook with papermill in the kernel `km`, shut down afterwards unless `keep` (a
    kernel serving one notebook after another); a failing cell is a ReportError naming it, and the
    partly executed notebook is kept under reports/.failed/.

    A kept kernel is not cleared between notebooks: each notebook's first cell builds the one
    object every later cell uses, from the parameters papermill has just set, and papermill stops
    at the first cell that fails, so nothing of an earlier client can reach a later report."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        bar: dict[str, str] | bool = {"desc": label or name} if progress else False  # which report the bar is for
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, progress_bar=bar,
                                   kernel_name="python3", language="python", km=km,
                                   request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        failed = reports_dir / FAILED_DIR
        failed.mkdir(parents=True, exist_ok=True)
        kept = failed / f"{name}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.ipynb"
        shutil.copyfile(executed, kept)
        raise ReportError(say("run.cell_failed", cell=_failed_cell(exc, notebook), kept=kept)) from None
    finally:
        if not keep:
            km.shutdown_kernel(now=True)  # its work is done: free it before the export


def _without_machine_paths(executed: Path, paths: dict[Path, str]) -> None:
    """Write the executed notebook again with every absolute path of this machine replaced by what a
    reader of the report folder can use: each path in `paths` by its stand-in (longest first), so
    that the published notebook names `brightline-sensors`, not the consultant's home folder."""
    text = executed.read_text(encoding="utf-8")
    for path, stand_in in sorted(paths.items(), key=lambda kv: -len(str(kv[0]))):
        text = text.replace(json.dumps(str(path))[1:-1], json.dumps(stand_in)[1:-1])
    write_text_atomic(executed, text)


@contextmanager
def _given_or_new(kernel: Any, preload: str) -> Iterator[tuple[Any, bool]]:
    """The kernel passed in (kept running), or a new one for this run (shut down after it)."""
    if kernel is not None:
        yield kernel, True
    else:
        with _kernel(preload) as km:
            yield km, False


# ------------------------------------------------------------------------ publish

# How a report's files reach its folder (`Job.placement`)
WHOLE = "whole"  # the work folder becomes the report folder; the old folder is kept beside it
REPLACE = "replace"  # the files replace theirs in a shared folder; the reports they replace are kept beside them
ADD = "add"  # the files are added to a folder that holds the report in other languages; none is replaced


@dataclass(frozen=True)
class Job:
    """One report to publish: everything in which the baseline, the progress report and the review differ."""

    kind: str  # report, progress, review (as `store.names` knows them)
    folder: Path  # where the report goes
    names: store.Names  # its file names there
    notebook: Path  # the notebook executed
    parameters: Callable[[Path], dict[str, Any]]  # the notebook's parameters, given the work folder
    language: str
    title: str
    look: Look
    label: str  # which report the progress bar is for
    reports_dir: Path  # where a failed run's notebook is kept (reports/.failed/)
    failed: str  # the name it is kept under
    stand_ins: dict[Path, str]  # this machine's paths in the notebook, and what the published one says instead
    documents: Callable[[str], dict[str, bytes]]  # the other forms by name (pdf, slides, workbook), given the HTML
    placement: str = REPLACE  # WHOLE, REPLACE or ADD
    records: dict[str, bytes] = field(default_factory=dict)  # record files beside the report (name -> content)
    inputs: dict[str, bytes] = field(default_factory=dict)  # files the notebook reads, not published


def _publish(job: Job, km: Any, keep: bool, progress: bool) -> Path | None:
    """The one publish path of every report: a temporary folder beside the report's, its records and
    inputs written there, the notebook executed with papermill, exported, this machine's paths taken
    out of it, and everything moved into place whole, the previous report kept beside. Returns where
    the previous report was kept."""
    work = _work_folder(job)
    try:
        for name, content in {**job.records, **job.inputs}.items():  # the notebook reads them from here
            (work / name).write_bytes(content)
        parameters = job.parameters(work)
        check_parameters(job.notebook, parameters)
        exporter = _Warm(_warm_exporter)  # nbconvert loads while the kernel runs the cells
        executed = work / job.names.notebook
        _execute(km, job.notebook, executed, parameters, job.reports_dir, job.failed, progress, keep, job.label)
        html = export_html(executed, job.title, job.language, exporter.get(), job.look)
        _without_machine_paths(executed, {work: ".", **{work / n: n for n in job.records}, **job.stand_ins})
        outputs = {job.names.html: html.encode("utf-8"),
                   **{getattr(job.names, form): content for form, content in job.documents(html).items()}}
        return _place(job, work, outputs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _work_folder(job: Job) -> Path:
    """A new temporary folder on the report folder's disk (so that moving in is a rename), after
    removing what a run killed halfway left there."""
    where, prefix = (job.folder, job.kind) if job.placement == REPLACE else (job.folder.parent, job.folder.name)
    where.mkdir(parents=True, exist_ok=True)
    leftovers(where)
    work = Path(tempfile.mkdtemp(prefix=f".{prefix}.", dir=where))
    if job.placement == WHOLE:
        work.chmod(folder_mode())  # it becomes the report folder: the umask's mode, not a temporary one
    return work


def _place(job: Job, work: Path, outputs: dict[str, bytes]) -> Path | None:
    """Move the report's files into its folder whole (see `Job.placement`); where the previous report was kept."""
    if job.placement == WHOLE:
        for name, content in outputs.items():
            (work / name).write_bytes(content)
        for name in job.inputs:
            (work / name).unlink()
        previous = keep_previous(job.folder)  # the old report folder, as <name>.previous-N
        os.replace(work, job.folder)
        return previous
    notebook = job.folder / job.names.notebook
    if job.placement == ADD:  # beside the same report in other languages: nothing there is replaced
        write_new(job.folder / job.names.html, outputs.pop(job.names.html))
        for name, content in {**outputs, **job.records}.items():
            if not (job.folder / name).exists():
                write_new(job.folder / name, content)
        os.replace(work / job.names.notebook, notebook)
        return None
    files = {job.folder / n: c for n, c in {**outputs, **job.records}.items()}
    files[notebook] = (work / job.names.notebook).read_bytes()
    kept = [p for p in (job.folder / job.names.html, job.folder / job.names.pdf, notebook) if p in files and p.exists()]
    aside = dict(zip(kept, write_files_together(files, kept), strict=False))
    return aside.get(job.folder / job.names.html)


def _pdf_only(paper: bool) -> Callable[[str], dict[str, bytes]]:
    """The other forms of a report that has only one: its PDF (none when `paper` is False)."""
    def documents(html: str) -> dict[str, bytes]:
        from smarketing_assess.presenting.document import pdf

        return {"pdf": pdf(html)} if paper else {}
    return documents


def _up_to_date(report: Path, same: bool, force: bool, other: str) -> bool:
    """Whether an existing report was written from the same inputs (`same`: its record says so);
    ReportExists when it was written from something else and `force` is not given."""
    if not report.exists() or force:
        return False
    if same:
        return True
    raise ReportExists(say("run.exists_from", report=report, other=other))


# ------------------------------------------------------------------------ baseline

def run_baseline(client_dir: Path, period: Period, reports_dir: Path = Path("reports"), *, force: bool = False,
                 language: str | None = None, progress: bool = True, notebook: Path | None = None,
                 kernel: Any = None, paper: bool = True, documents: bool = True,
                 earlier_unsent: bool = False) -> RunResult:
    """Assess a quarter once, execute the baseline notebook on that assessment and publish
    `reports/<slug>/<period>/` whole.

    A period whose stored assessment is current (same schema, same input checksums) is not
    assessed again: its report in another language is rendered from the stored assessment and
    added beside the others (`report.<lang>.html`), and a report that exists already is up to
    date. Changed inputs need `force`, and then the old folder is kept as `<period>.previous-N`.
    Beside the HTML it writes the workbook, the slides and (unless `paper` is False) the PDF; with
    `documents` False, the HTML alone.
    A changed commentary or brand makes the report out of date as changed inputs do.
    A version whose respondents differ from an earlier published version's by fewer than the anonymity
    threshold is refused (`published.DifferencingRefused`), unless `earlier_unsent` says the earlier
    versions were never given to anyone; each published version's respondents are recorded (hashed).
    The kernel starts first and imports the package while the inputs are validated here; no
    cell runs, and nothing is written, unless they are valid.
    """
    from smarketing_assess.model.assessment import to_json
    from smarketing_assess.running import published, store

    client_dir = Path(client_dir).resolve()
    notebook = notebook or notebooks_dir() / store.NOTEBOOKS["report"]
    with _given_or_new(kernel, PRELOAD) as (km, keep):
        bank, client, lang = _client_of(client_dir, period, language)
        target = store.period_folder(Path(reports_dir), client.client_slug, period)
        files = store.names("report", lang, client.language).paths(target)
        stamp = presentation_stamp(client_dir, period, client)
        stored, done = _stored(client_dir, period, target, files, stamp, force)
        if done is not None:
            return done
        assessment, shown = _checked(client_dir, period, bank, stored, Path(reports_dir))  # before any cell runs
        content = to_json(assessment)
        if force and stored is None and _same_report(files, store.presented(target) == stamp, content):
            # the same inputs and the same toolkit: the report there is this one; nothing to keep aside
            return _baseline_result(files, None, up_to_date=True)
        records = {} if stored else {store.ASSESSMENT: content, store.PRESENTED: stamp}
        guarded = None if stored else published.guard(client_dir, period, assessment, bank,
                                                      earlier_unsent=earlier_unsent)
        job = _baseline_job(Placed(client_dir, Path(reports_dir), client, lang, files), period, notebook,
                            records, shown, paper and documents, documents)
        previous = _publish(job, km, keep, progress)
        published.remember(guarded)
    return _baseline_result(files, previous, assessed=stored is None)


def _baseline_result(files: dict[str, Path], previous: Path | None, *, up_to_date: bool = False,
                     assessed: bool = True) -> RunResult:
    return RunResult(files["html"].parent, files["html"], files["notebook"], files["record"], previous, up_to_date,
                     assessed, (files["pdf"], files["slides"], files["workbook"]))


def _client_of(client_dir: Path, period: Period, language: str | None) -> tuple[Any, ClientProfile, str]:
    """The question bank, the client and the report's language, checked (InputError naming every
    problem of the period's files when client.yaml cannot be read)."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.presenting.texts import check_language

    bank = load_question_bank()
    if language:
        check_language(language, bank)
    try:
        client = load_client(client_dir / "client.yaml")
    except InputError:
        from smarketing_assess.running.pipeline import assess

        assess(client_dir, period, bank)  # raises every problem of every file, client.yaml's among them
        raise
    return bank, client, check_language(language or client.language, bank)


def _stored(client_dir: Path, period: Period, target: Path, files: dict[str, Path], stamp: str,
            force: bool) -> tuple[Any, RunResult | None]:
    """The period's stored assessment when it is current and may be rendered again (never with
    `force`), and the result when its report is up to date already; ReportExists when the folder
    holds a report of other inputs, commentary or brand and `force` is not given."""
    from smarketing_assess.running import store

    if force:
        return None, None
    if not files["record"].is_file():
        if target.exists():
            raise ReportExists(say("run.holds_report", folder=target, period=period))
        return None, None
    stored, _why = store.current(client_dir, period, files["record"])
    if stored is None:
        raise ReportExists(say("run.holds_other_inputs", folder=target, period=period))
    if store.presented(target) != stamp:  # the folder's reports, in any language, show another commentary or brand
        raise ReportExists(say("run.holds_other_look", folder=target, period=period))
    if files["html"].is_file():
        return stored, _baseline_result(files, None, up_to_date=True, assessed=False)
    return stored, None


def _same_report(files: dict[str, Path], presented_same: bool, assessment_text: str) -> bool:
    """Whether the folder's report is the one these inputs give: same assessment, same commentary and brand."""
    return files["html"].is_file() and files["record"].is_file() and presented_same \
        and files["record"].read_text(encoding="utf-8") == assessment_text


@dataclass(frozen=True)
class Placed:
    """Whose report, where, in which language: what the baseline's publishing steps share."""

    client_dir: Path
    reports_dir: Path
    client: ClientProfile
    language: str
    files: dict[str, Path]  # the report's files by form (`store.Names.paths`)


def _baseline_job(at: Placed, period: Period, notebook: Path, records: dict[str, str], shown: dict[str, Any],
                  paper: bool, documents: bool) -> Job:
    """The baseline report as the publish path makes it: with the assessment computed now (in
    `records`, with what the report shows beside it), a new period folder moved in whole; from
    the stored one, another language added to the folder. The workbook and slides are made while
    the kernel works."""
    from smarketing_assess.model.assessment import from_json
    from smarketing_assess.presenting.baseline import BaselineReport
    from smarketing_assess.running import store
    from smarketing_assess.running.notebooks import earlier_quarter

    files, lang, client = at.files, at.language, at.client
    stored, content = files["record"], records.get(store.ASSESSMENT)
    assessment = from_json(content, store.ASSESSMENT) if content is not None else store.read_stored(stored)[0]

    def parameters(work: Path) -> dict[str, Any]:
        return {"client_dir": str(at.client_dir), "period": str(period),
                "assessment": str(stored if content is None else work / store.ASSESSMENT),
                "reports_dir": str(at.reports_dir.resolve()), "language": lang}

    side = _Warm(lambda: tables_and_slides(BaselineReport(
        assessment, lang, **shown, **earlier_quarter(at.client_dir, assessment, at.reports_dir)),
        paper) if documents else {})

    def others(html: str) -> dict[str, bytes]:
        from smarketing_assess.presenting.document import pdf

        made: dict[str, bytes] = side.get()
        return made | {"pdf": pdf(html)} if paper else made

    return Job("report", files["html"].parent, store.names("report", lang, client.language), notebook, parameters,
               lang, f"{client.name} · {text('report.title', lang)} · {period}",
               look_of(client, shown["brand"], lang, str(period)),
               say("run.bar.report", client=client.name, period=period), at.reports_dir,
               f"{client.client_slug}-{period}",
               {stored: store.ASSESSMENT, at.client_dir: at.client_dir.name,
                at.reports_dir.resolve(): at.reports_dir.resolve().name, notebook: notebook.name},
               others, WHOLE if content is not None else ADD,
               records={name: body.encode("utf-8") for name, body in records.items()})
def _checked(client_dir: Path, period: Period, bank: Any, stored: Any, reports_dir: Path) -> tuple[Any, dict[str, Any]]:
    """The quarter's assessment (the stored one when current; else assessed now, with its comparison
    with the quarter before) and what the report shows beside it (brand, commentary); every problem of
    all of them in one InputError."""
    from smarketing_assess.running.notebooks import compared, presentation
    from smarketing_assess.running.pipeline import assess

    problems, assessment, shown = [], stored, {}
    try:
        assessment = stored or compared(client_dir, assess(client_dir, period, bank), reports_dir)
    except InputError as exc:
        problems += exc.problems
    try:
        shown = presentation(client_dir, period)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return assessment, shown


def baseline_documents(report: Any, html: str, paper: bool = True) -> dict[str, bytes]:
    """The baseline report's other forms, beside its HTML: the workbook, the slides and the PDF."""
    from smarketing_assess.presenting.document import pdf

    out = tables_and_slides(report)
    if paper:
        out["pdf"] = pdf(html)
    return out


def tables_and_slides(report: Any, paper: bool = False) -> dict[str, bytes]:
    """The workbook and the slides of a baseline report: what needs the assessment only, not the
    executed notebook, so `run` makes them while the kernel works. With `paper`, the PDF's
    typesetting is warmed up too (its imports, fonts and stylesheet machinery, on a tiny page)."""
    from smarketing_assess.presenting.slides import deck
    from smarketing_assess.presenting.workbook import workbook

    if paper:
        _warm_typesetting()
    return {"workbook": workbook(report.assessment, report.words), "slides": deck(report)}


@functools.cache
def _warm_typesetting() -> None:  # once per process
    from smarketing_assess.presenting.document import pdf

    pdf("<p>warm</p>")



# ------------------------------------------------------------------------ progress

@dataclass(frozen=True)
class ProgressResult:
    """Where `run_progress` wrote the progress report."""

    report: Path
    notebook: Path
    previous: Path | None  # where the replaced progress report was kept
    up_to_date: bool = False  # the existing report already covers these quarters
    assessed_now: tuple[str, ...] = ()  # quarters computed from their inputs, having no current stored assessment


def run_progress(client_dir: Path, reports_dir: Path = Path("reports"), *, force: bool = False,
                 language: str | None = None, progress: bool = True, kernel: Any = None,
                 paper: bool = True, earlier_unsent: bool = False) -> ProgressResult:
    """Execute the progress notebook on the client's quarters and publish `reports/<slug>/progress.html`
    (`progress.<lang>.html` in a language other than the client's).

    Each quarter's stored assessment is read; only a quarter without a current one is assessed
    from its inputs (once, here: the notebook receives what was computed). An existing report is
    replaced only with `force` (and then kept as `progress.previous-N.html`); with the same quarters
    as before it is up to date. A quarter assessed here is published here: it is checked against,
    and recorded with, the period's earlier published versions as `run_baseline` does."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.model.assessment import to_json
    from smarketing_assess.model.progress import to_json as progress_json
    from smarketing_assess.presenting.texts import check_language
    from smarketing_assess.running import published, store

    client_dir = Path(client_dir).resolve()
    client = load_client(client_dir / "client.yaml")
    brand = brand_of(client_dir, client.brand)
    lang = check_language(language or client.language)
    folder = store.client_folder(Path(reports_dir), client.client_slug)
    names = store.names("progress", lang, client.language)
    with _given_or_new(kernel, PRELOAD) as (km, keep):  # the kernel starts while the quarters are read
        quarters = store.client_history(client_dir, Path(reports_dir), client.client_slug)
        if len(quarters) < 2:
            raise ReportError(say("run.two_quarters", client=client.name, folder=client_dir, reports=folder,
                                  found=", ".join(str(q.period) for q in quarters) or say("run.none")))
        report, executed_path, record = folder / names.html, folder / names.notebook, folder / names.record
        texts = {str(q.period): to_json(q.assessment) for q in quarters}
        judged = store.judged_progress(quarters)  # the verdicts, once: the notebook reads them
        verdicts = progress_json(judged)
        assessed_now = tuple(str(q.period) for q in quarters if q.origin != "stored")
        same = store.progress_inputs(record) == judged.inputs
        if _up_to_date(report, same, force, say("run.other_quarters")):
            return ProgressResult(report, executed_path, None, up_to_date=True)
        bank = load_question_bank()
        guarded = [published.guard(client_dir, q.period, q.assessment, bank, earlier_unsent=earlier_unsent)
                   for q in quarters if q.origin != "stored"]  # a quarter shown here for the first time is published
        notebook = notebooks_dir() / store.NOTEBOOKS["progress"]
        computed = {f"{q.period}.{store.ASSESSMENT}": texts[str(q.period)].encode("utf-8")
                    for q in quarters if q.origin != "stored"}

        def parameters(work: Path) -> dict[str, Any]:
            return {"client_dir": str(client_dir), "quarters": str(work / "quarters.json"), "language": lang}

        # every quarter as a file: stored, or computed here (named relative to the list)
        manifest = [{"assessment": str(q.path.resolve()) if q.path and q.origin == "stored"
                     else f"{q.period}.{store.ASSESSMENT}", "origin": q.origin} for q in quarters]
        span = f"{quarters[0].period} – {quarters[-1].period}"
        job = Job("progress", folder, names, notebook, parameters, lang,
                  f"{client.name} · {text('progress.title', lang)} · {span}", look_of(client, brand, lang, span),
                  say("run.bar.progress", client=client.name), Path(reports_dir), f"{client.client_slug}-progress",
                  {client_dir: client_dir.name, Path(reports_dir).resolve(): Path(reports_dir).resolve().name,
                   notebook: notebook.name}, _pdf_only(paper), records={names.record: verdicts.encode("utf-8")},
                  inputs={**computed, "quarters.json": (json.dumps(manifest, indent=2) + "\n").encode("utf-8"),
                          store.PROGRESS: verdicts.encode("utf-8")})
        previous = _publish(job, km, keep, progress)
        for each in guarded:
            published.remember(each)
    return ProgressResult(report, executed_path, previous, assessed_now=assessed_now)


def refresh_progress(client_dir: Path, reports_dir: Path = Path("reports"), *, language: str | None = None,
                     progress: bool = True, kernel: Any = None, paper: bool = True) -> ProgressResult:
    """The progress report brought up to date with the quarters assessed so far: left alone when
    it already covers them, otherwise written again with the old one kept beside it."""
    try:
        return run_progress(client_dir, reports_dir, language=language, progress=progress, kernel=kernel, paper=paper)
    except ReportExists:
        return run_progress(client_dir, reports_dir, force=True, language=language, progress=progress, kernel=kernel,
                            paper=paper)


# ------------------------------------------------------------------------ publish a notebook run elsewhere

@dataclass
class Published:
    """Where `publish` put a notebook executed elsewhere."""

    report: Path
    notebook: Path
    assessment: Path
    previous: Path | None  # the report folder it replaced, kept beside it


def publish(executed: Path, reports_dir: Path | None = None, *, force: bool = False,
            paper: bool = True) -> Published:
    """Turn a baseline notebook executed elsewhere (papermill's own command line, JupyterLab) into
    the quarter's report folder, with the checks `run` makes: the notebook ran whole, the client
    folder and quarter it names are valid inputs, and the assessment it showed is the one those
    inputs give now (passed as `assessment`, or written into `output_dir`). Writes
    `reports/<slug>/<period>/` as `run` does (by default beside the client folder); an existing
    folder is replaced only with `force`, and then kept beside it. Raises ReportError or InputError, writing nothing."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.model.assessment import to_json
    from smarketing_assess.presenting.texts import check_language
    from smarketing_assess.running import store
    from smarketing_assess.running.notebooks import baseline_report, compared, presentation
    from smarketing_assess.running.pipeline import assess

    try:
        nb = _read_notebook(executed)
    except (OSError, ValueError) as exc:
        raise ReportError(say("run.not_notebook", notebook=executed, error=exc)) from None
    meta = nb.metadata.get("papermill") or {}
    parameters = meta.get("parameters") or {}
    if Path(str(meta.get("input_path", ""))).name != store.NOTEBOOKS["report"] or not parameters.get("client_dir"):
        raise ReportError(say("run.not_baseline", notebook=executed, source=store.NOTEBOOKS["report"]))
    failed = [i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("papermill", {}).get("exception")
              or any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    if failed or meta.get("exception"):
        raise ReportError(say("run.not_whole", notebook=executed, cell=failed[0] if failed else "?"))
    client_dir = Path(parameters["client_dir"])
    client = load_client(client_dir / "client.yaml")
    reports_dir = reports_dir if reports_dir is not None else default_reports(client_dir)
    period = Period.parse(str(parameters.get("period") or "")) if parameters.get("period") else None
    if period is None:
        raise ReportError(say("run.no_period", notebook=executed))
    # the inputs as they are now (InputError when they are not valid), compared with the quarter before as the
    # notebook compared them, from the reports it was given
    earlier = Path(str(parameters["reports_dir"])) if parameters.get("reports_dir") else None
    assessment = compared(client_dir, assess(client_dir, period), earlier)
    shown_file = Path(str(parameters["assessment"])) if parameters.get("assessment") else \
        Path(str(parameters.get("output_dir") or ".")) / store.ASSESSMENT
    if not shown_file.is_file() or shown_file.read_text(encoding="utf-8") != to_json(assessment):
        raise ReportError(say("run.other_assessment", shown=shown_file, folder=client_dir, period=period))
    lang = check_language(str(parameters.get("language") or client.language))
    target = store.period_folder(reports_dir, client.client_slug, period)
    files = store.names("report", lang, client.language).paths(target)
    if files["html"].exists() and not force:
        raise ReportExists(say("run.exists", report=files["html"]))
    shown = presentation(client_dir, period)
    html = export_html(executed, f"{client.name} · {text('report.title', lang)} · {period}", lang,
                       look=look_of(client, shown["brand"], lang, str(period)))
    documents = baseline_documents(baseline_report(client_dir, str(period), shown_file, reports_dir, lang), html, paper)
    previous = keep_previous(target) if force and target.exists() else None
    target.mkdir(parents=True, exist_ok=True)
    write_files_together({files["record"]: to_json(assessment), files["html"]: html,
                          files["notebook"]: executed.read_text(encoding="utf-8"),
                          target / store.PRESENTED: presentation_stamp(client_dir.resolve(), period, client),
                          **{files[k]: v for k, v in documents.items()}})
    return Published(files["html"], files["notebook"], files["record"], previous)


# ------------------------------------------------------------------------ review

@dataclass
class ReviewResult:
    """Where `run_review` wrote the month's review."""

    report: Path
    notebook: Path
    previous: Path | None  # where the replaced review was kept
    up_to_date: bool = False  # the existing review was written from the same plan and figures


def run_review(client_dir: Path, month: str, reports_dir: Path = Path("reports"), *, force: bool = False,
               language: str | None = None, progress: bool = True, kernel: Any = None,
               paper: bool = True) -> ReviewResult:
    """Judge `month` (YYYY-MM) once, store the judged review as its record `review.json`, execute
    the monthly review notebook on that record and publish `reports/<slug>/reviews/<month>/review.html`
    (`review.<lang>.html` in another language than the client's). The month and the agreed plan
    are checked before the notebook runs; an existing review is replaced only with `force`, and
    then kept beside the new one."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.model.review_record import to_json
    from smarketing_assess.presenting.texts import check_language
    from smarketing_assess.running import store
    from smarketing_assess.running.notebooks import review_record

    client_dir = Path(client_dir).resolve()
    client = load_client(client_dir / "client.yaml")
    brand = brand_of(client_dir, client.brand)
    lang = check_language(language or client.language)
    record = review_record(client_dir, month, lang)  # every problem of the plan and the month, before a kernel starts
    folder = store.review_folder(Path(reports_dir), client.client_slug, month)
    names = store.names("review", lang, client.language)
    report, executed_path = folder / names.html, folder / names.notebook
    if _up_to_date(report, store.same_review(folder / names.record, record), force, say("run.other_figures")):
        return ReviewResult(report, executed_path, None, up_to_date=True)
    notebook = notebooks_dir() / store.NOTEBOOKS["review"]

    def parameters(work: Path) -> dict[str, Any]:
        return {"client_dir": str(client_dir), "month": month, "language": lang, "record": str(work / names.record)}

    job = Job("review", folder, names, notebook, parameters, lang, f"{client.name} · {text('review.title', lang)} · "
              f"{month}", look_of(client, brand, lang, month), say("run.bar.review", client=client.name, month=month),
              Path(reports_dir),
              f"{client.client_slug}-review-{month}", {client_dir: client_dir.name, notebook: notebook.name},
              _pdf_only(paper), records={names.record: to_json(record).encode("utf-8")})
    with _given_or_new(kernel, PRELOAD) as (km, keep):
        previous = _publish(job, km, keep, progress)
    return ReviewResult(report, executed_path, previous)


@contextmanager
def shared_kernel() -> Iterator[Any]:
    """One kernel for many notebooks in turn (see `run_baseline`'s and `run_progress`'s `kernel`)."""
    with _kernel(PRELOAD) as km:
        yield km
