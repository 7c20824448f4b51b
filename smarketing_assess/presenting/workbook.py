"""The report's tables as a workbook (openpyxl): one formatted sheet per table, for the consultant
who works the figures further in a spreadsheet.

Sheets: scores by dimension and team, the sales-marketing gaps, the funnel with its rates and
intervals, the channels, the draft SLA, and the goals (the agreed plan's when there is one).
Every figure is the assessment's own number, stored as a number with a number format (a share
as a percentage, money in the client's currency); every text cell is stored as a string, never
as a formula (`core.spreadsheet.xlsx_text`), whatever a channel or goal name starts with.
Headers and labels are in the report's language.
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
from smarketing_assess.presenting.tables import Cell, channel_table, funnel_table
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.agreed import active
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.scoring import COMPARED

SHARE, COUNT, DECIMAL, SCORE, DAY = "0.0%", "#,##0", "#,##0.0", "0", "yyyy-mm-dd"
MONEY = {"EUR": '#,##0 "€"', "USD": '"$"#,##0', "BRL": '"R$" #,##0', "GBP": '"£"#,##0'}


def workbook(assessment: Assessment, words: Words) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    money = MONEY.get(assessment.client.currency, f'#,##0 "{assessment.client.currency}"')
    t = words.t
    teams = ["marketing", "sales", "leadership"]
    _sheet(wb, t("report.dimensions.heading"),
           [t("report.dimensions.dimension"), *(words.team(x) for x in teams), t("report.dimensions.overall")],
           [[words.dim(d.dimension), *((d.teams.get(x), SCORE) for x in teams), (d.score, SCORE)]
            for d in assessment.scores.dimensions])
    _sheet(wb, t("report.gaps.heading"),
           [t("report.dimensions.dimension"), *(words.team(x) for x in COMPARED), t("report.gaps.difference")],
           [[words.dim(d.dimension), *((d.compared.get(x), SCORE) for x in COMPARED), (d.gap, SCORE)]
            for d in assessment.scores.dimensions])
    for table, keys in ((funnel_table(assessment, words), ("stage", "count", "per_month", "rate", "low", "high",
                                                          "basis")),
                        (channel_table(assessment, words), ("channel", "visitors", "leads", "customers", "spend",
                                                            "cost_per_lead", "cost_per_customer", "lead_to_customer"))):
        if table is not None:
            heading = t("report.funnel.heading") if table.key == "funnel" else t("report.channels.heading")
            body = [*table.rows, *([table.total] if table.total else [])]
            _sheet(wb, heading, [table.columns[k] for k in keys],
                   [[_cell(r.get(k), money) for k in keys] for r in body])
    s = assessment.sla
    _sheet(wb, t("report.sla.heading"),
           [t("report.funnel.stage"), t("report.sla.quarter"), t("report.sla.month"), t("report.sla.day"),
            t("report.sla.now")],
           # the commitments as the report shows them: a month rounded up, the quarter three months
           [[t(f"stages.{stage}"), (s.quarterly(key), COUNT), (s.monthly(key), COUNT),
             (getattr(s.per_working_day, key), DECIMAL), (s.current_per_month.get(key), COUNT)]
            for stage, key in (("leads", "leads"), ("mql", "mql"), ("sql", "sql"), ("customers", "customers"))])
    plan = assessment.plan
    header = [t("report.goals.goal"), t("report.goals.owner"), t("report.workbook.person"), t("report.goals.metric"),
              t("report.goals.baseline"), t("report.goals.target"), t("report.goals.deadline")]
    if plan is not None:
        later = plan.baseline != assessment.period  # a later quarter: where each goal started, and where it is
        goals = [[words.agreed_goal(g), words.t(f"review.side.{g.owner}") if g.owner else "", g.person or "",
                  words.metric(g.metric), (g.baseline, _format(g.unit, money)),
                  *([(assessment.fact(g.metric), _format(g.unit, money))] if later else []),
                  (g.target, _format(g.unit, money)), (date.fromisoformat(g.deadline), DAY)] for g in active(plan)]
        if later:
            header[4:5] = [t("report.plan.start", period=plan.baseline), t("report.since.now")]
    else:
        goals = [[words.goal(g)[0], words.t(f"owners.{g.owner}"), "", words.metric(g.metric),
                  (g.baseline, _format(g.unit, money)), (g.target, _format(g.unit, money)),
                  (date.fromisoformat(g.deadline), DAY)] for g in assessment.goals]
    _sheet(wb, t("report.plan.heading") if plan is not None else t("report.goals.heading"), header, goals)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(cell: Cell | None, money: str) -> Any:
    """A table's cell as the sheet stores it: a figure as (number, format), text as text."""
    if cell is None:
        return None
    if cell.kind is None:
        return cell.text
    return (cell.value, {"decimal": DECIMAL}.get(cell.kind) or _format(cell.kind, money))


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
