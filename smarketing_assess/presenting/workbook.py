"""The report's tables as a workbook (openpyxl): one formatted sheet per table, for the consultant
who works the figures further in a spreadsheet.

Sheets: scores by dimension and team, the sales-marketing gaps, the funnel with its rates and
intervals, the channels, the draft SLA, and the goals (the agreed plan's when there is one): each
the rows of a table `presenting/tables.py` defines, as the report and the deck show them. Every
figure is the assessment's own number, stored as a number with a number format (a share as a
percentage, money in the client's currency); every text cell is stored as a string, never as a
formula (`core.spreadsheet.xlsx_text`), whatever a channel or goal name starts with. Headers and
labels are in the report's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from smarketing_assess.core.spreadsheet import xlsx_text
from smarketing_assess.presenting.tables import (
    Cell,
    channel_table,
    dimension_table,
    funnel_table,
    gap_table,
    goal_table,
    sla_table,
)
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.scoring import COMPARED

SHARE, COUNT, DECIMAL, SCORE, DAY = "0.0%", "#,##0", "#,##0.0", "0", "yyyy-mm-dd"
# each table's sheet: its name (the report's heading of the table) and the columns it shows, in order, of those
# the table has (a team that did not answer has no column; "now" only in a quarter later than the plan's)
SHEETS = {
    "dimensions": ("report.dimensions.heading", ("dimension", "marketing", "sales", "leadership", "overall")),
    "gaps": ("report.gaps.heading", ("dimension", *COMPARED, "gap")),
    "funnel": ("report.funnel.heading", ("stage", "count", "per_month", "rate", "low", "high", "basis")),
    "channels": ("report.channels.heading", ("channel", "visitors", "leads", "customers", "spend", "cost_per_lead",
                                             "cost_per_customer", "lead_to_customer")),
    "sla": ("report.sla.heading", ("label", "quarter", "month", "day", "now")),
    "plan": ("report.plan.heading", ("goal", "team", "person", "metric", "baseline", "now", "target", "deadline")),
    "goals": ("report.goals.heading", ("goal", "owner", "person", "metric", "baseline", "target", "deadline")),
}
MONEY = {"EUR": '#,##0 "€"', "USD": '"$"#,##0', "BRL": '"R$" #,##0', "GBP": '"£"#,##0'}


def workbook(assessment: Assessment, words: Words) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    money = MONEY.get(assessment.client.currency, f'#,##0 "{assessment.client.currency}"')
    tables = (dimension_table(assessment, words), gap_table(assessment, words), funnel_table(assessment, words),
              channel_table(assessment, words), sla_table(assessment, words), goal_table(assessment, words))
    for table in tables:
        if table is not None:
            heading, shown = SHEETS[table.key]
            keys = [k for k in shown if k in table.columns]
            body = [*table.rows, *([table.total] if table.total else [])]
            _sheet(wb, words.t(heading), [table.columns[k] for k in keys],
                   [[_cell(r.get(k), money) for k in keys] for r in body])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(cell: Cell | None, money: str) -> Any:
    """A table's cell as the sheet stores it: a figure as (number, format), text as text; an empty cell empty."""
    if cell is None or (cell.kind is None and not cell.text):
        return None
    if cell.kind is None:
        return cell.text
    return (cell.value, {"decimal": DECIMAL, "day": DAY}.get(cell.kind) or _format(cell.kind, money))


def _format(unit: str, money: str) -> str:
    return {"share": SHARE, "money": money, "count": COUNT, "score": SCORE}.get(unit, DECIMAL)


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A sheet: a bold header, then rows of text (stored as strings) or (number, format) pairs."""
    ws = wb.create_sheet(_title(title, wb))
    for j, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=j)
        xlsx_text(cell, name)
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            if isinstance(value, tuple):
                number, fmt = value
                if number is not None:
                    cell.value = number if isinstance(number, date) else float(number)
                    cell.number_format = fmt
            elif value is not None:
                xlsx_text(cell, str(value))
    for j in range(1, len(header) + 1):
        width = max(len(str(ws.cell(row=r, column=j).value or "")) for r in range(1, len(rows) + 2))
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, width + 2))
    ws.freeze_panes = "B2"


def _title(title: str, wb: Workbook) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, not taken yet."""
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\").strip()
    if len(clean) > 31:  # cut at a word, not inside one
        clean = clean[:32].rsplit(" ", 1)[0].rstrip(",;:-–") if " " in clean[:32] else clean[:31]
    clean = clean or "Sheet"
    name, n = clean, 2
    while name in wb.sheetnames:
        name = f"{clean[:28]} {n}"
        n += 1
    return name
