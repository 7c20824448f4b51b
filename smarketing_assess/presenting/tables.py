"""The report's tables, each defined once: the HTML, the workbook and the deck lay out the same rows.

A `Table` is rows of `Cell`s keyed by column: each cell holds its text, formatted once in the
report's language (what the HTML and the deck show), and, for a figure, the number and its kind
(what the workbook stores, with a number format). A format shows the columns it has room for; it
never builds a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smarketing_assess.core.stages import SINGULAR
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.channels import ChannelResult
from smarketing_assess.records.evidence import enough
from smarketing_assess.records.funnel import Rate


@dataclass(frozen=True)
class Cell:
    """One cell: its text as shown, and for a figure its number and kind (count, decimal, share, money)."""

    text: str
    value: float | None = None
    kind: str | None = None  # None: text
    thin: str = ""  # the mark beside a figure that rests on too few cases


@dataclass(frozen=True)
class Table:
    """A table's columns (key -> header, in order) and its rows; `total` is the row under them, if any."""

    key: str
    columns: dict[str, str]
    rows: list[dict[str, Cell]]
    total: dict[str, Cell] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def thin(self) -> bool:
        """Whether any figure of the table rests on too few cases (its legend is then shown)."""
        return any(c.thin for r in [*self.rows, self.total or {}] for c in r.values())


def _rate_cells(w: Words, rate: Rate | None, digits: int = 1) -> dict[str, Cell]:
    """A rate's cells: the rate (marked when it rests on too few cases), its interval and bounds, its basis."""
    if rate is None:
        return {"rate": Cell("", None, "share"), "interval": Cell(""), "low": Cell("", None, "share"),
                "high": Cell("", None, "share"), "basis": Cell("", None, "count")}
    thin = w.t("report.thin_mark") if rate.value is not None and not rate.enough else ""
    return {"rate": Cell(w.pct(rate.value, digits), rate.value, "share", thin),
            "interval": Cell(w.interval(rate.low, rate.high, digits)),
            "low": Cell(w.pct(rate.low, digits) if rate.low is not None else "", rate.low, "share"),
            "high": Cell(w.pct(rate.high, digits) if rate.high is not None else "", rate.high, "share"),
            "basis": Cell(w.num(rate.denominator), rate.denominator, "count")}


def funnel_table(a: Assessment, w: Words) -> Table | None:
    """Each tracked stage: its count, monthly average, conversion to the next stage with its interval and
    basis, and the public range of that rate the judgement used."""
    f = a.funnel
    if f is None:
        return None
    rows = []
    for i, stage in enumerate(f.stages):
        nxt = f.stages[i + 1] if i + 1 < len(f.stages) else None
        rate = f.rates.get(f"{SINGULAR[stage]}_to_{SINGULAR[nxt]}") if nxt else None
        bench = w.wording.ranges.get(rate.name) if rate else None
        rows.append({"stage": Cell(w.t(f"stages.{stage}")), "count": Cell(w.num(f.counts[stage]), f.counts[stage],
                                                                           "count"),
                     "per_month": Cell(w.num(f.per_month[stage]), f.per_month[stage], "decimal"),
                     **_rate_cells(w, rate),
                     "range": Cell(w.interval(bench.low, bench.high) if bench else "")})
    columns = {"stage": w.t("report.funnel.stage"), "count": w.t("report.funnel.count"),
               "per_month": w.t("report.funnel.per_month"), "rate": w.t("report.funnel.rate"),
               "interval": w.t("report.interval"), "low": "95% –", "high": "95% +",
               "basis": w.t("report.workbook.basis"), "range": w.t("report.funnel.range")}
    overall = f.rates.get("lead_to_customer")
    total = None
    if overall is not None and overall.value is not None:
        total = {"stage": Cell(w.t("report.followup.lead_to_customer")),
                 "count": Cell(w.num(f.counts["leads"]), f.counts["leads"], "count"), **_rate_cells(w, overall, 2)}
    return Table("funnel", columns, rows, total)


def _cost_per_customer(w: Words, ch: ChannelResult) -> Cell:
    """A channel's cost per customer; "no customers" where it spent and won none."""
    text = w.cost(ch.cost_per_customer) if ch.customers or ch.spend is None else w.t("report.channels.no_customers")
    return Cell(text, ch.cost_per_customer, "money")


def channel_table(a: Assessment, w: Words) -> Table | None:
    """Each channel ranked by cost per customer, with its conversion and interval, and the totals."""
    c = a.channels
    if c is None:
        return None
    thin = w.t("report.thin_mark")
    rows = [{
        "rank": Cell(w.num(ch.rank), ch.rank, "count"), "channel": Cell(ch.channel),
        "visitors": Cell(w.num(ch.visitors), ch.visitors, "count"), "leads": Cell(w.num(ch.leads), ch.leads, "count"),
        "customers": Cell(w.num(ch.customers), ch.customers, "count"),
        "spend": Cell(w.money(ch.spend), ch.spend, "money"),
        "visitor_to_lead": Cell(w.pct(ch.visitor_to_lead) if ch.visitors else "–", ch.visitor_to_lead, "share"),
        "lead_to_customer": Cell(w.pct(ch.lead_to_customer), ch.lead_to_customer, "share",
                                 thin if ch.lead_to_customer is not None and not enough(ch.leads) else ""),
        "interval": Cell(w.interval(ch.lead_to_customer_low, ch.lead_to_customer_high)),
        "cost_per_lead": Cell(w.cost(ch.cost_per_lead), ch.cost_per_lead, "money"),
        "cost_per_customer": _cost_per_customer(w, ch),
    } for ch in c.channels]
    total = {"channel": Cell(w.t("report.channels.all")), "leads": Cell(w.num(c.total_leads), c.total_leads, "count"),
             "customers": Cell(w.num(c.total_customers), c.total_customers, "count"),
             "spend": Cell(w.money(c.total_spend), c.total_spend, "money"),
             "lead_to_customer": Cell(w.pct(c.total_lead_to_customer), c.total_lead_to_customer, "share"),
             "interval": Cell(w.interval(c.total_lead_to_customer_low, c.total_lead_to_customer_high)),
             "cost_per_lead": Cell(w.cost(c.blended_cost_per_lead), c.blended_cost_per_lead, "money"),
             "cost_per_customer": Cell(w.cost(c.blended_cost_per_customer), c.blended_cost_per_customer, "money")}
    columns = {"rank": "#", "channel": w.t("report.channels.channel"), "visitors": w.t("report.channels.visitors"),
               "leads": w.t("report.channels.leads"), "customers": w.t("report.channels.customers"),
               "spend": w.t("report.channels.spend"), "visitor_to_lead": w.t("report.channels.visitor_to_lead"),
               "lead_to_customer": w.t("report.channels.lead_to_customer"), "interval": w.t("report.interval"),
               "cost_per_lead": w.t("report.channels.cost_per_lead"),
               "cost_per_customer": w.t("report.channels.cost_per_customer")}
    return Table("channels", columns, rows, total)
