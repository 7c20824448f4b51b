"""A portfolio of clients in one go: each client's baseline report for a quarter, then its
progress report, several clients at a time.

`run_batch` hands the client folders (the folders under the portfolio holding a
`client.yaml`) to `jobs` worker processes. Each worker keeps one notebook kernel for all
the notebooks it runs, cleared between them, so a client costs the notebooks' work and not
a kernel's start. A client that fails is reported and the others go on.

To go beyond one machine, the unit of work stays the same: one client, one call of
`run_client` (one papermill execution per notebook), so any engine that maps a function
over a list (Dask, Ray, a job queue) can take the list of client folders in place of the
process pool; reports go to a shared reports folder, one folder per client, so workers
never write the same files.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.util
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smarketing_assess.core.console import console_language, language_code, say, speaking
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period, latest_period
from smarketing_assess.core.yamlfile import load_yaml
from smarketing_assess.running.clients import client_language


@dataclass(frozen=True)
class ClientResult:
    """How one client of a batch went: its report and progress report, or what failed."""

    client: str  # the client folder's name
    ok: bool
    period: str | None = None
    index: float | None = None
    report: str | None = None
    progress: str | None = None
    note: str = ""  # what went wrong, or "up to date"


def clients_in(portfolio: Path) -> list[Path]:
    """The client folders of a portfolio: its subfolders with a client.yaml, in name order."""
    return sorted(p for p in Path(portfolio).iterdir() if p.is_dir() and (p / "client.yaml").is_file())


def slug_collisions(clients: list[Path]) -> list[Problem]:
    """Clients whose reports would go to the same folder (the same slug, from the same `slug:`
    or the same name): one problem per shared slug, naming every folder. A client whose
    client.yaml cannot be read is left to its own run, which reports why."""
    from smarketing_assess.config.client import load_client

    by_slug: dict[str, list[Path]] = {}
    for folder in clients:
        try:
            slug = load_client(folder / "client.yaml").client_slug
        except InputError:
            continue
        by_slug.setdefault(slug, []).append(folder)
    return [Problem(str(folders[1] / "client.yaml"),
                    say("batch.same_slug", folders=", ".join(repr(str(f)) for f in folders), slug=repr(slug)),
                    column="slug", found=slug, expected=say("batch.same_slug_expected"))
            for slug, folders in by_slug.items() if len(folders) > 1]


_KERNEL: Any = None


def _start_worker() -> None:
    """Each worker process starts its kernel once, and stops it when the pool shuts down."""
    global _KERNEL
    from smarketing_assess.running.execute import shared_kernel

    stack = ExitStack()
    _KERNEL = stack.enter_context(shared_kernel())
    # pool workers leave through multiprocessing, which runs its finalizers but not atexit's
    multiprocessing.util.Finalize(None, stack.close, exitpriority=10)


def run_client(client_dir: Path, period: Period | None, reports_dir: Path, force: bool = False,
               kernel: Any = None, paper: bool = True, language: str | None = None) -> ClientResult:
    """One client: the baseline report of `period` (default: its latest quarter), then the progress
    report once two quarters are assessed. Never raises: a failure is a result that says why, in
    `language` (default: the console's; a worker process is handed it, as it starts in English)."""
    with speaking(language or console_language()):
        return _run_client(client_dir, period, reports_dir, force, kernel, paper)


def _run_client(client_dir: Path, period: Period | None, reports_dir: Path, force: bool, kernel: Any,
                paper: bool) -> ClientResult:
    from smarketing_assess.running.execute import ReportError, refresh_progress, run_baseline
    from smarketing_assess.running.store import stored_periods

    name = Path(client_dir).name
    try:
        quarter = period or latest_period(Path(client_dir))
        if quarter is None:
            return ClientResult(name, False, note=say("batch.no_quarter"))
        result = run_baseline(Path(client_dir), quarter, reports_dir, force=force, progress=False,
                              kernel=kernel if kernel is not None else _KERNEL, paper=paper)
        index = json.loads(result.assessment.read_text(encoding="utf-8"))["scores"]["alignment_index"]
        progress = None
        if len(stored_periods(reports_dir, result.folder.parent.name)) >= 2:
            progress = str(refresh_progress(Path(client_dir), reports_dir, progress=False,
                                            kernel=kernel if kernel is not None else _KERNEL, paper=paper).report)
        return ClientResult(name, True, str(quarter), index, str(result.report), progress,
                            say("batch.up_to_date") if result.up_to_date else "")
    except InputError as exc:
        return ClientResult(name, False, str(period) if period else None, note=exc.summary)
    except (ReportError, ValueError, OSError) as exc:
        return ClientResult(name, False, str(period) if period else None, note=str(exc))


def run_batch(portfolio: Path, period: Period | None = None, reports_dir: Path = Path("reports"), jobs: int = 2,
              force: bool = False, on_done: Callable[[ClientResult], None] | None = None,
              paper: bool = True, language: str | None = None) -> list[ClientResult]:
    """Every client of the portfolio, `jobs` at a time; results in client order. What a client's
    run says (why it failed) is said in `language` when given, else in the client's own language,
    as `run` would say it for that client (its client.yaml's, else the console's).

    InputError before anything runs when two clients would share a reports folder."""
    clients = clients_in(portfolio)
    collisions = slug_collisions(clients)
    if collisions:
        raise InputError(collisions)
    results: dict[str, ClientResult] = {}
    # workers are started by a server process, not forked from this one: a fork copies this process's
    # threads' locks (a kernel client's event loop, tqdm's monitor) in whatever state they are in
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(clients) or 1)), initializer=_start_worker,
                             mp_context=context) as pool:
        futures = {pool.submit(run_client, c, period, reports_dir, force, None, paper, language or language_of(c)): c
                   for c in clients}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # a worker that died: the client still gets its line
                result = ClientResult(futures[future].name, False,
                                      note=say("batch.worker_failed", error=f"{type(exc).__name__}: {exc}"))
            results[result.client] = result
            if on_done:
                on_done(result)
    return [results[c.name] for c in clients]


def language_of(client_dir: Path) -> str:
    """The language a client's run speaks: its client.yaml's, even when another field of the file is
    wrong (that client's line then says what, in its language), else the console's."""
    found = client_language(client_dir)
    if found is not None:
        return found
    try:
        data = load_yaml(Path(client_dir) / "client.yaml")
        return language_code(str(data["language"]))
    except (InputError, ValueError, TypeError, KeyError):
        return console_language()


def result_lines(results: list[ClientResult]) -> list[str]:
    """The batch's closing table in the console's language, a line per client (its status, quarter,
    alignment index as the reports write it, and its report or why it failed), then the count."""
    from smarketing_assess.presenting.formatting import number

    language = console_language()
    width = max((len(r.client) for r in results), default=0)
    status = {True: say("batch.ok"), False: say("batch.failed")}
    status_width = max(len(s) for s in status.values())
    lines = []
    for r in results:
        index = number(r.index, language) if r.index is not None else "–"
        what = r.report if r.ok else say("batch.failed_because", note=r.note)
        extra = " " + say("batch.progress", report=r.progress) if r.progress else ""
        lines.append(f"{r.client:<{width}}  {status[r.ok]:<{status_width}}  {r.period or '–':7}  {index:>3}  "
                     f"{what}{extra}")
    failed = sum(1 for r in results if not r.ok)
    done = say("batch.done", done=len(results) - failed, total=len(results))
    lines.append(done + (say("batch.and_failed", count=failed) if failed else ""))
    return lines
