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

from smarketing_assess.core.period import Period, period_of
from smarketing_assess.model.review import figures_of
from smarketing_assess.reading.inputs import (
    find_input,
    read_crm_summary,
    read_funnel,
    read_manual,
)
from smarketing_assess.records.review import MonthFigures


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
    """The figures reported by hand for the month (`read_manual`: every problem of the file at once)."""
    return read_manual(folder, (month,)).get(month, {})
