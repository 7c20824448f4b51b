"""What the report notebooks call in their first cell: the report object, built from the
stored assessment when the runner hands one over, or from the client folder when the
notebook is run on its own (by papermill's own command line, or opened in JupyterLab).

Empty parameters mean the bundled example client and its latest quarter.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

from smarketing_assess import __version__
from smarketing_assess.config.brand import brand_of
from smarketing_assess.config.client import load_client
from smarketing_assess.config.commentary import COMMENTARY, read_commentary
from smarketing_assess.config.plan import AGREED_FOLDER, Plan, agreed_files, agreed_versions
from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Month, Period, notebook_target, periods
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.core.storage import checksum, write_text_atomic
from smarketing_assess.model.agreed import with_baselines
from smarketing_assess.model.assessment import to_json
from smarketing_assess.model.history import since
from smarketing_assess.model.plan import in_force
from smarketing_assess.model.progress import from_json as progress_json
from smarketing_assess.model.review import review
from smarketing_assess.model.review_record import from_json
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.progress import ProgressReport
from smarketing_assess.presenting.review import ReviewReport
from smarketing_assess.reading.months import month_figures, quarter_of
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.review import MonthFigures
from smarketing_assess.records.review_record import SCHEMA_VERSION as REVIEW_SCHEMA
from smarketing_assess.records.review_record import ReviewRecord
from smarketing_assess.running import store
from smarketing_assess.running.pipeline import assess


def baseline_report(client_dir: str | Path = "", period: str = "", assessment: str | Path = "",
                    reports_dir: str | Path = "", language: str = "", output_dir: str | Path = "") -> BaselineReport:
    """The baseline report of one quarter.

    `assessment`: the quarter's assessment.json (empty: the quarter is assessed from the client
    folder now, and written into `output_dir` when one is given). `reports_dir`: where earlier
    quarters' reports are, for the "since last quarter" section (empty, or a quarter without a
    current stored assessment: that quarter is assessed from its inputs, and the section says so).
    """
    folder, quarter = notebook_target(client_dir, period)
    if assessment:
        current: Assessment = store.read_stored(Path(assessment))[0]
    else:
        current = compared(folder, assess(folder, quarter), Path(reports_dir) if reports_dir else None)
        if output_dir:
            write_text_atomic(Path(output_dir) / store.ASSESSMENT, to_json(current))
    return BaselineReport(current, language or None, **presentation(folder, quarter),
                          **earlier_quarter(folder, current, Path(reports_dir) if reports_dir else None))


def earlier_quarter(client_dir: Path, current: Assessment, reports_dir: Path | None) -> dict[str, Any]:
    """The comparison of `current` with the client's quarter before it, for the report: the one stored
    with `current` when it has one; else the model's, judged now (`since`: against that quarter's stored
    assessment, or one assessed now, with `previous_origin` saying which), or `previous_error` when that
    quarter can be neither read nor assessed; nothing for a client's first quarter."""
    if current.since is not None:
        return {"since": current.since, "previous_origin": current.since.origin}
    before = _quarter_before(client_dir, current, reports_dir)
    if before is None or isinstance(before, tuple):
        return {} if before is None else {"previous_error": before}
    return {"since": since(before.assessment, current, load_question_bank(), before.origin),
            "previous_origin": before.origin}


def _quarter_before(client_dir: Path, current: Assessment,
                    reports_dir: Path | None) -> store.Quarter | tuple[str, str] | None:
    """The client's quarter before `current` (stored, or assessed now), (its name, why) when it can be
    neither read nor assessed, None for a client's first quarter."""
    earlier = [p for p in periods(client_dir) if p < current.quarter]
    if not earlier:
        return None
    try:
        return store.quarter(client_dir, earlier[-1], reports_dir, current.client.slug)
    except InputError as exc:
        return str(earlier[-1]), exc.summary


def compared(client_dir: Path, current: Assessment, reports_dir: Path | None) -> Assessment:
    """`current` with its comparison with the quarter before judged and kept in it (`since`), as it is
    stored: a report drawn from it later says what was said then. When the quarter before is the one
    the plan started from, the goals without a baseline of their own start from its figures, in the
    plan and in the comparison alike. Unchanged for a first quarter, or when the quarter before can be
    neither read nor assessed (the report then says why)."""
    if current.since is not None:
        return current
    before = _quarter_before(client_dir, current, reports_dir)
    if before is None or isinstance(before, tuple):
        return current
    earlier = before.assessment
    if current.plan is not None:
        current = dataclasses.replace(current, plan=with_baselines(current.plan, earlier.period, earlier.facts))
    return dataclasses.replace(current, since=since(earlier, current, load_question_bank(), before.origin))


def presentation(client_dir: Path, period: Period) -> dict[str, Any]:
    """What a report shows beside the assessment: the brand `client.yaml` names and the quarter's
    commentary (`<period>/commentary.md`), each checked, every problem of both at once."""
    problems = []
    out: dict[str, Any] = {"brand": None, "commentary": None}
    try:
        out["brand"] = brand_of(client_dir, load_client(client_dir / "client.yaml").brand)
    except InputError as exc:
        problems += exc.problems
    try:
        out["commentary"] = read_commentary(client_dir / str(period) / COMMENTARY)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return out


def progress_report(client_dir: str | Path = "", reports_dir: str | Path = "", language: str = "",
                    quarters: str | Path = "") -> ProgressReport:
    """The progress report over every quarter of a client.

    `quarters`: a list of the quarters' assessment files and where each came from, as
    `run_progress` writes it after computing what was missing. Without it: the stored
    assessments under `reports_dir` where current, the other quarters assessed from the client
    folder now (the report names them)."""
    folder = Path(client_dir) if client_dir else examples_dir() / "brightline-sensors"
    client = load_client(folder / "client.yaml")
    brand = brand_of(folder, client.brand)
    if quarters:  # a quarter's file named relative to the list is beside it
        listed = json.loads(Path(quarters).read_text(encoding="utf-8"))
        files = [Path(quarters).parent / q["assessment"] for q in listed]
        history = [store.Quarter(store.read_stored(f)[0], q["origin"], f) for f, q in zip(files, listed, strict=True)]
        judged = Path(quarters).parent / store.PROGRESS  # the verdicts `run_progress` made, when it made them
        verdicts = progress_json(judged.read_text(encoding="utf-8"), str(judged)) if judged.is_file() \
            else store.judged_progress(history)
        return ProgressReport(history, verdicts, language or None, brand)
    history = store.client_history(folder, Path(reports_dir) if reports_dir else None, client.client_slug)
    return ProgressReport(history, store.judged_progress(history), language or None, brand)


def monthly_review(client_dir: str | Path = "", month: str = "", language: str = "",
                   record: str | Path = "") -> ReviewReport:
    """The monthly review of one month, rendered from its record: `record`, the review.json
    `run_review` wrote (empty: the month judged now, as `run_review` judges it; an empty `month`
    means the latest month with figures, an empty `client_dir` the bundled example)."""
    folder = Path(client_dir) if client_dir else examples_dir() / "brightline-sensors"
    client = load_client(folder / "client.yaml")
    if record:
        judged = from_json(Path(record).read_text(encoding="utf-8"), str(record))
    else:
        judged = review_record(folder, month, language or client.language)
    if judged.review is None:
        raise InputError.single(record, say("run.no_judged_review"), expected=say("run.no_judged_review_expected"))
    return ReviewReport(judged.review, client.name, client.currency, judged.language,
                        brand_of(folder, client.brand))


def review_record(client_dir: Path, month: str, language: str) -> ReviewRecord:
    """The month's review judged once (the latest month with figures when `month` is empty), against
    the plan agreed by the month's end, each earlier month of the plan against the version in
    force then; with what it was judged from. InputError when there is no plan or no figures."""
    folder = Path(client_dir)
    versions = agreed_versions(folder)
    if not versions:
        raise InputError.single(folder / AGREED_FOLDER, say("run.no_plan"), expected=say("run.no_plan_expected"))
    if not month:
        month = _latest_month(folder, min(versions))
    first = min(versions)
    months: list[tuple[MonthFigures, Plan, date]] = []
    for m in _months_between(f"{first.year:04d}-{first.month:02d}", month):
        figures = month_figures(folder, m)
        force = in_force(versions, Month.parse(m).last)
        if figures is not None and force is not None:
            months.append((figures, force[1], force[0]))
    if not months or months[-1][0].month != month:
        in_force_now = in_force(versions, Month.parse(month).last)
        if in_force_now is None:
            raise InputError.single(folder / AGREED_FOLDER, say("run.no_plan_by", month=month),
                                    found=", ".join(str(d) for d in sorted(versions)),
                                    expected=say("run.no_plan_by_expected", day=Month.parse(month).last))
        raise InputError.single(folder / str(quarter_of(month)), say("run.no_figures", month=month),
                                expected=say("run.no_figures_expected", month=month))
    return ReviewRecord(REVIEW_SCHEMA, month, language, __version__, _review_inputs(folder, month), review(months))


def _review_inputs(client_dir: Path, month: str) -> dict[str, str]:
    """What a month's review is judged from: the agreed plans and the quarter's figure files, by
    path in the client folder, with their checksums."""
    folder = client_dir / str(quarter_of(month))
    files = [*agreed_files(client_dir), *(p for p in sorted(folder.iterdir()) if p.is_file()
                                          and p.stem in ("funnel", "crm_summary", "manual"))]
    return {str(p.relative_to(client_dir)): checksum(p) for p in files}


def _months_between(first: str, last: str) -> list[str]:
    out = []
    year, mon = (int(p) for p in first.split("-"))
    while f"{year:04d}-{mon:02d}" <= last:
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return out


def latest_review_month(client_dir: Path) -> str | None:
    """The latest month a review can be written for: figures, and a plan agreed by its end (None: none)."""
    versions = agreed_versions(client_dir)
    if not versions:
        return None
    try:
        month = _latest_month(Path(client_dir), min(versions))
    except InputError:
        return None
    return month if in_force(versions, Month.parse(month).last) is not None else None


def _latest_month(folder: Path, since: date) -> str:
    """The latest month with figures, from the plan's first agreement on."""
    latest = None
    for period in periods(folder):
        for m in period.months:
            if Month.parse(m).last >= since and month_figures(folder, m) is not None:
                latest = m
    if latest is None:
        raise InputError.single(folder, say("run.no_month"), expected=say("run.no_month_expected"))
    return latest
