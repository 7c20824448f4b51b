"""One month's figures from the quarter folder that holds it, for the monthly review.

- `funnel.csv`'s row for the month (typed in, or written by `crm`);
- when the quarter came from CRM exports (`crm_summary.json`), the leads that entered each
  stage in the month (the flow view) and the follow-up of the month's MQLs, lead by lead:
  how many were contacted within the SLA's hours, and the median number of attempts;
- `manual.csv`, when the client reports figures by hand: one row per month and figure
  (`month,metric,value`, the metric without its `manual.` prefix).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from smarketing_assess.core.errors import InputError, ProblemLog
from smarketing_assess.core.period import Period, period_of
from smarketing_assess.model.review import figures_of
from smarketing_assess.reading.inputs import (
    _file_decimal,
    _number_cell,
    find_input,
    read_crm_summary,
    read_funnel,
    read_table,
)
from smarketing_assess.records.review import MonthFigures

MANUAL_FILE = "manual"


def quarter_of(month: str) -> Period:
    """The quarter a YYYY-MM month belongs to."""
    year, mon = (int(p) for p in month.split("-"))
    return period_of(date(year, mon, 1))


def month_figures(client_dir: Path, month: str) -> MonthFigures | None:
    """The month's figures, or None when its quarter folder has neither a funnel row nor CRM figures for it."""
    quarter = quarter_of(month)
    folder = Path(client_dir) / str(quarter)
    crm = read_crm_summary(folder, quarter)
    funnel_path = find_input(folder, "funnel") if crm is None else None
    funnel = read_funnel(funnel_path, quarter)[0] if funnel_path is not None else None
    return figures_of(month, funnel, crm, _manual(folder, month))


def _manual(folder: Path, month: str) -> dict[str, float]:
    """The figures reported by hand for the month (every problem of the file at once). The file's
    decimal mark is decided from all its values, every month's, as for the other inputs: `12,5`
    settles it, and `1,234` in a file that does not is reported as ambiguous, never guessed."""
    path = find_input(folder, MANUAL_FILE)
    if path is None:
        return {}
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    missing = [c for c in ("month", "metric", "value") if c not in table.columns]
    if missing:
        raise InputError.single(path, "missing columns", row=1, found=", ".join(table.columns),
                                expected="month, metric, value")
    decimal = _file_decimal(table, ["value"], log)
    out: dict[str, float] = {}
    for i, record in enumerate(table.records):
        if record["month"].strip() != month:
            continue
        value = _number_cell(table, i, "value", decimal, log, integer=False, minimum=None,
                             what="the figure, such as 12 or 0.35")
        if value is not None:
            out[record["metric"].strip().removeprefix("manual.")] = value
    log.raise_if_errors()
    return out
