"""Funnel, follow-up and channel figures of a period, derived from the CRM exports' columns (pure).

Reading (`reading/crm.py`) hands over one value per lead, deal and activity (`CrmColumns`),
already linked to each other; `derive` counts them into the period's `CrmSummary`:

- the **cohort view**: of the leads created in the period, how many reached each stage
  (so rates are true conversion rates); this is what `funnel.csv` receives, by month of
  creation, and what the report shows;
- the **flow view**: how many leads entered each stage in the period, by month, for the
  stages the export dates;
- per channel and per segment (cohort view), follow-up speed and attempts, days from
  lead to won, the win rate of deals closed in the period, and revenue.

A later stage implies the earlier ones (a customer was a lead, an MQL, ...): a lead that
reached a stage without the earlier ones recorded is counted there too, and how many were
filled in this way is counted. Events out of order (won before the lead was created,
contacted before it existed) are counted, never silently dropped. `history` derives a span
of quarters and each quarter of it from the same columns.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np

from smarketing_assess.core.period import Period, Span, period_of
from smarketing_assess.core.stages import CRM_STAGES, FUNNEL_NAME
from smarketing_assess.model.evidence import ratio
from smarketing_assess.records.crm_summary import (
    MIN_LINKED,
    PARTIAL_DAYS,
    CrmDeals,
    CrmFollowup,
    CrmHistoryView,
    CrmSpanRow,
    CrmSummary,
)
from smarketing_assess.records.evidence import MIN_BASIS

NAT = np.datetime64("NaT", "ns")
NOT_SET = "(not set)"  # the name of a blank channel, segment or reason, and of a deal's unknown lead's channel


# ------------------------------------------------------------------ what reading hands over

@dataclass(frozen=True)
class Names:
    """A text column as names: each row's position among `names` (one name however it is spelled,
    `NOT_SET` for a blank cell) and whether the cell held anything."""

    names: tuple[str, ...]
    codes: np.ndarray  # int64, one per row
    given: np.ndarray  # bool, one per row


@dataclass(frozen=True)
class StageColumn:
    """One stage as the leads export tells it: reached or not per lead, and when (NaT where undated)."""

    reached: np.ndarray  # bool
    dates: np.ndarray  # datetime64[ns]


@dataclass(frozen=True)
class LeadColumns:
    """The leads export, one value per lead."""

    created: np.ndarray  # datetime64[ns], NaT where the export gives no creation date
    stages: dict[str, StageColumn]  # the stages the leads export tells by a date, a flag or a status
    deal_stages: dict[str, str] = field(default_factory=dict)  # stage -> "any" or "won": reached by a deal
    first_contact: np.ndarray | None = None  # datetime64[ns], a first-contact column of the export
    channel: Names | None = None
    segment: Names | None = None
    reason: Names | None = None  # why a lead was returned, disqualified or lost


@dataclass(frozen=True)
class DealColumns:
    """The deals export, one value per deal."""

    lead: np.ndarray  # int64: the position of the deal's lead among the leads, -1 for none of them
    won: np.ndarray  # bool
    lost: np.ndarray  # bool
    closed: np.ndarray | None  # datetime64[ns]: won or lost on (None: the export has no such column)
    created: np.ndarray | None  # datetime64[ns]
    amount: np.ndarray | None  # float, 0 where blank
    lost_reason: Names | None = None
    all_won: bool = False  # the mapping says every row is a won deal (`all: won`)


@dataclass(frozen=True)
class ActivityColumns:
    """The activities export, one value per activity."""

    lead: np.ndarray  # int64: the position of the activity's lead, -1 for none of the leads
    when: np.ndarray  # datetime64[ns]
    contact: np.ndarray  # bool: a contact attempt (a call, an e-mail, ...)


@dataclass(frozen=True)
class CrmColumns:
    """Everything the derivation needs of one set of exports, typed and linked."""

    mapping: str
    leads: LeadColumns
    deals: DealColumns | None = None
    activities: ActivityColumns | None = None
    snapshot: bool = False  # the stages are each lead's current state, not dates
    missing_columns: tuple[str, ...] = ()  # optional lead columns the export lacks
    # the day an export without creation dates was taken: every lead counts in the period, at the stage
    # it had reached that day (a snapshot), and nothing that needs a lead's dates is derived
    as_of: date | None = None


# ------------------------------------------------------------------ the derivation

@dataclass
class _Deals:
    """What each lead's deals say, one value per lead, for the funnel stages and the revenue."""

    has_any: np.ndarray
    has_won: np.ndarray
    first_any: np.ndarray
    first_won: np.ndarray
    revenue_by_lead: np.ndarray | None


@dataclass
class _Cohort:
    """The leads of the period, by month of creation."""

    quarter: np.ndarray  # created in the period
    month: np.ndarray  # 1, 2, ...: the period's month; 0 before it or undated, beyond after it
    in_month: dict[str, np.ndarray]  # month -> created in it (the period -> every lead, for a snapshot)
    cohort: np.ndarray  # created in one of the period's months
    dated: bool = True  # False: an export without creation dates, a snapshot of the period as a whole


def _cohort_of(created: np.ndarray, period: Period | Span, as_of: date | None) -> _Cohort:
    """The period's leads by month of creation; every lead, as the period's one row, for an export
    without creation dates (`as_of`)."""
    if as_of is not None:
        everyone = np.ones(len(created), bool)
        return _Cohort(everyone, np.zeros(len(created), np.int16), {str(period): everyone}, everyone, dated=False)
    month = month_of(created, period)
    return _Cohort(in_period(created, period), month,
                   {mon: month == i for i, mon in enumerate(period.months, start=1)},
                   (month >= 1) & (month <= len(period.months)))


def derive(columns: CrmColumns, period: Period | Span, sla_hours: float = 24.0) -> CrmSummary:
    """The period's figures from the exports' columns (`inputs` is left for the caller to fill in)."""
    leads = columns.leads
    created, n = leads.created, len(leads.created)
    figures = CrmSummary(str(period), columns.mapping, leads_in_export=n, missing_columns=list(columns.missing_columns),
                         rows_read={"leads": n})
    if columns.snapshot:
        figures.view = "snapshot"
    if columns.as_of is not None:
        figures.as_of = columns.as_of.isoformat()
    elif undated := int(np.isnat(created).sum()):
        figures.out_of_order["leads_without_creation_date"] = undated
    deals = _deals(columns.deals, created, figures, period) if columns.deals is not None else None
    reached, dates = _stages(leads, deals)
    of = _cohort_of(created, period, columns.as_of)
    month = of.month
    # what looks odd is counted over the period's own leads, so each period says its own
    reached = _implied(reached, of.quarter, figures)
    dated = _out_of_order(created, dates, of.quarter, figures)
    figures.stages = ["leads"] + [FUNNEL_NAME[s] for s in CRM_STAGES if s in reached]
    revenue = deals.revenue_by_lead if deals is not None else None
    _cohort_and_flow({s: month_of(d, period) for s, d in dated.items()} if of.dated else {}, reached, revenue, of,
                     figures)
    for by, names, out in (("channel", leads.channel, figures.channels), ("segment", leads.segment, figures.segments)):
        if names is not None:
            out += _breakdown(names, of.cohort, reached, revenue, by)
    # the monthly review's reasons and follow-up need each lead's month and creation: none for a snapshot
    if of.dated and (leads.reason is not None or (columns.deals is not None and columns.deals.lost_reason is not None)):
        figures.reasons_by_month = _reasons(leads.channel, leads.reason, month, columns.deals, period)
    first_contact, attempts = _contacts(leads.first_contact, columns.activities, created, figures)
    if first_contact is not None and of.dated:
        _followup(first_contact, attempts, created, reached, dates, of, sla_hours, figures)
    figures.partial = _partial(columns)
    return figures


def _partial(columns: CrmColumns) -> dict[str, list[str]]:
    """The deals and activities exports whose last date falls `PARTIAL_DAYS` or more before the leads'
    last creation date, each with (its last date, the leads'): a partial export, whose figures stop early."""
    leads_last = _last(columns.leads.created)
    if leads_last is None:
        return {}
    ends: dict[str, np.datetime64 | None] = {}
    if columns.deals is not None:
        ends["deals"] = _last(*(d for d in (columns.deals.closed, columns.deals.created) if d is not None))
    if columns.activities is not None:
        ends["activities"] = _last(columns.activities.when)
    return {what: [str(last)[:10], str(leads_last)[:10]] for what, last in ends.items()
            if last is not None and (leads_last - last) >= np.timedelta64(PARTIAL_DAYS, "D")}


def _last(*dates: np.ndarray) -> np.datetime64 | None:
    """The latest of the dates given (None when there is none)."""
    known = [d[~np.isnat(d)] for d in dates]
    latest = [k.max() for k in known if len(k)]
    return max(latest) if latest else None


def _stages(leads: LeadColumns, deals: _Deals | None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(reached, date) per lead of every stage tracked, in the funnel's order; the date is NaT where
    the exports give none. A stage reached by a deal is tracked only with a deals export."""
    reached: dict[str, np.ndarray] = {}
    dates: dict[str, np.ndarray] = {}
    for stage in CRM_STAGES:
        if stage in leads.stages:
            reached[stage], dates[stage] = leads.stages[stage].reached, leads.stages[stage].dates
        elif stage in leads.deal_stages and deals is not None:
            won = leads.deal_stages[stage] == "won"
            reached[stage], dates[stage] = (deals.has_won, deals.first_won) if won else (deals.has_any, deals.first_any)
    return reached, dates


def _implied(reached: dict[str, np.ndarray], quarter: np.ndarray, figures: CrmSummary) -> dict[str, np.ndarray]:
    """Each stage reached by the leads that reached it or a later one; how many of the period's
    leads were counted there by implication goes into `figures`."""
    out = dict(reached)
    later = np.zeros(len(quarter), bool)
    for stage in reversed(list(reached)):
        figures.implied[stage] = int((later & ~reached[stage] & quarter).sum())
        out[stage] = reached[stage] | later
        later = out[stage]
    return out


def _out_of_order(created: np.ndarray, dates: dict[str, np.ndarray], quarter: np.ndarray,
                  figures: CrmSummary) -> dict[str, np.ndarray]:
    """Count the period's stages dated before the lead's creation or before the stage before them;
    returns the stages the export dates."""
    for stage, d in dates.items():
        figures.out_of_order[f"{stage}_before_created"] = int(((d < created) & quarter).sum())
    dated = {s: d for s, d in dates.items() if not np.isnat(d).all()}
    for a, b in itertools.pairwise(dated):
        figures.out_of_order[f"{b}_before_{a}"] = int(((dated[b] < dated[a]) & quarter).sum())
    return dated


def _cohort_and_flow(stage_months: dict[str, np.ndarray], reached: dict[str, np.ndarray],
                     revenue: np.ndarray | None, of: _Cohort, figures: CrmSummary) -> None:
    """Per month: the leads created in it and how far they got (cohort), and the leads that
    entered each dated stage in it (flow)."""
    for i, (mon, sel) in enumerate(of.in_month.items(), start=1):
        row: dict[str, float | None] = {"leads": int(sel.sum())}
        for stage, got in reached.items():
            row[FUNNEL_NAME[stage]] = int((sel & got).sum())
        if revenue is not None:
            row["revenue"] = float(revenue[sel].sum())
        figures.cohort[mon] = row
        if of.dated:  # an export without creation dates has no flow: nothing says when a lead entered a stage
            figures.flow[mon] = {"leads": int(sel.sum())} | {
                FUNNEL_NAME[stage]: int((months == i).sum()) for stage, months in stage_months.items()}


def _breakdown(names: Names, cohort: np.ndarray, reached: dict[str, np.ndarray],
               revenue: np.ndarray | None, by: str) -> list[dict[str, Any]]:
    """Leads (and MQLs, customers, revenue) of the cohort per value of a column, most leads first."""
    codes = names.codes[cohort]
    size = len(names.names)
    sums: dict[str, np.ndarray] = {"leads": np.bincount(codes, minlength=size)}
    for stage in ("mql", "customer"):
        if stage in reached:
            sums[FUNNEL_NAME[stage]] = np.bincount(codes, weights=reached[stage][cohort], minlength=size)
    if revenue is not None:
        sums["revenue"] = np.bincount(codes, weights=revenue[cohort], minlength=size)
    order = sorted((i for i in range(size) if sums["leads"][i]), key=lambda i: (-sums["leads"][i], names.names[i]))
    return [{by: names.names[i], **{k: (float(v[i]) if k == "revenue" else int(v[i])) for k, v in sums.items()}}
            for i in order]


def _reasons(channels: Names | None, reasons: Names | None, month: np.ndarray, deals: DealColumns | None,
             period: Period | Span) -> dict[str, list[dict[str, Any]]]:
    """Per month of the period, why leads were returned, disqualified or lost (the leads' reason, by
    the month they were created) and why deals were lost (by the month they closed), by the lead's
    channel: sales' feedback on lead quality. Most frequent first."""
    n = len(month)
    channel_names = [*(channels.names if channels is not None else (NOT_SET,)), NOT_SET]  # last: no known lead
    channel = channels.codes if channels is not None else np.zeros(n, np.int64)
    found: dict[tuple[str, str, str, str], int] = {}

    def count(months: np.ndarray, where: np.ndarray, leads: np.ndarray, values: Names, source: str) -> None:
        keep = values.given & where
        lead_channel = np.where(leads >= 0, channel[np.maximum(leads, 0)], len(channel_names) - 1)
        size = len(values.names)
        key = (months[keep].astype(np.int64) * len(channel_names) + lead_channel[keep]) * size + values.codes[keep]
        for k, times in zip(*np.unique(key, return_counts=True), strict=True):  # one per distinct triple
            mon, rest = divmod(int(k), len(channel_names) * size)
            ch, reason = divmod(rest, size)
            found[(period.months[mon - 1], channel_names[ch], values.names[reason], source)] = int(times)

    if reasons is not None:
        count(month, (month >= 1) & (month <= len(period.months)), np.arange(n), reasons, "lead")
    if deals is not None and deals.lost_reason is not None and deals.closed is not None:
        closed = month_of(deals.closed, period)
        count(closed, deals.lost & (closed >= 1) & (closed <= len(period.months)), deals.lead, deals.lost_reason,
              "deal")
    out: dict[str, list[dict[str, Any]]] = {}
    for (mon, ch, reason, source), leads in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1:])):
        out.setdefault(mon, []).append({"channel": ch, "reason": reason, "count": leads, "source": source})
    return out


def _deals(d: DealColumns, created: np.ndarray, figures: CrmSummary, period: Period | Span) -> _Deals:
    """Deal figures of the period into `figures`; what each lead's deals say, for the funnel stages."""
    n, codes, won = len(created), d.lead, d.won
    figures.out_of_order["deals_without_a_known_lead"] = int((codes < 0).sum())
    known = codes >= 0
    # every one of 30 or more deals won is a won-deals export (a handful all won is just a small file)
    won_only = d.all_won or (len(won) >= MIN_BASIS and bool(won.all()))
    if won_only and not d.all_won:  # every row of a status column says won: a won-deals export
        figures.withheld["win_rate"] = [int(won.sum()), len(won)]
    figures.rows_read["deals"], figures.linked["deals"] = len(codes), int(known.sum())
    if known.sum() < MIN_LINKED * len(codes):  # the stages and revenue reached through deals count the linked only
        figures.thinly_linked["deals"] = [int(known.sum()), len(codes)]
    if d.closed is not None:
        figures.deals = _closed(d, d.closed, created, won_only, period, figures)
    any_date = d.created if d.created is not None else d.closed
    amount = d.amount
    return _Deals(
        has_any=np.bincount(codes[known], minlength=n) > 0,
        has_won=np.bincount(codes[known & won], minlength=n) > 0,
        first_any=first_per_lead(codes, any_date, n) if any_date is not None else np.full(n, NAT),
        first_won=first_per_lead(np.where(won, codes, -1), d.closed, n) if d.closed is not None else np.full(n, NAT),
        revenue_by_lead=None if amount is None else np.bincount(codes[known & won], weights=amount[known & won],
                                                                minlength=n))


def _closed(d: DealColumns, closed: np.ndarray, created: np.ndarray, won_only: bool, period: Period | Span,
            figures: CrmSummary) -> CrmDeals:
    """The deals closed in the period: won, lost, the win rate, days from lead to won, revenue."""
    codes, won = d.lead, d.won
    known = codes >= 0
    in_q = in_period(closed, period)
    n_won, n_lost = int((won & in_q).sum()), int((d.lost & in_q).sum())
    lead_created = np.where(known, created[np.where(known, codes, 0)], NAT)
    days = (closed - lead_created) / np.timedelta64(1, "D")
    figures.out_of_order["won_before_lead_created"] = int((won & in_q & (days < 0)).sum())
    won_days = days[won & in_q & (days >= 0)]
    return CrmDeals(
        # an export of won deals only says nothing of the deals lost: no lost count and no win rate, rather than 100%
        won=n_won, lost=None if won_only else n_lost,
        win_rate=None if won_only else ratio(n_won, n_won + n_lost),
        median_days_to_won=_stat(won_days, "median"), mean_days_to_won=_stat(won_days, "mean"),
        revenue_won=float(d.amount[won & in_q].sum()) if d.amount is not None else None,
        days_basis=len(won_days),
    )


def _contacts(first: np.ndarray | None, activities: ActivityColumns | None, created: np.ndarray,
              figures: CrmSummary) -> tuple[np.ndarray | None, np.ndarray | None]:
    """First contact time and contact attempts per lead (None when the exports cannot say)."""
    if activities is None:
        return first, None
    known = activities.lead >= 0
    rows, linked = len(activities.lead), int(known.sum())
    figures.rows_read["activities"], figures.linked["activities"] = rows, linked
    if linked < MIN_LINKED * rows:
        figures.withheld["followup"] = [linked, rows]
        return first, None  # too few activities reach their lead: follow-up from them would understate it
    lead_created = np.where(known, created[np.where(known, activities.lead, 0)], NAT)
    early = activities.contact & (activities.when < lead_created)
    figures.out_of_order["activity_before_lead_created"] = int(early.sum())
    valid = np.where(activities.contact & ~early & ~np.isnat(activities.when), activities.lead, -1)
    contacted = first_per_lead(valid, activities.when, len(created))
    attempts = np.bincount(valid[valid >= 0], minlength=len(created)).astype(float)
    return (contacted if first is None else np.fmin(first, contacted)), attempts


def _followup(first_contact: np.ndarray, attempts: np.ndarray | None, created: np.ndarray,
              reached: dict[str, np.ndarray], dates: dict[str, np.ndarray], of: _Cohort, sla_hours: float,
              figures: CrmSummary) -> None:
    """How fast and how often the leads handed over (MQLs, or every lead without an MQL stage)
    were contacted: by month into the cohort and `followup_by_month`, and over the period."""
    handover = dates["mql"] if "mql" in dates else created
    handover = np.where(np.isnat(handover), created, handover)
    handed = of.cohort & reached["mql"] if "mql" in reached else of.cohort
    hours = (first_contact - handover) / np.timedelta64(1, "h")  # NaN where never contacted
    figures.out_of_order["contact_before_handover"] = int(((hours < 0) & of.quarter).sum())
    hours = np.maximum(hours, 0.0)
    if "customer" in dates:
        figures.out_of_order["won_before_first_contact"] = int(((dates["customer"] < first_contact) & of.quarter).sum())
    contacted = handed & ~np.isnan(hours)
    within = contacted & (hours <= sla_hours)
    for mon, sel in of.in_month.items():
        figures.cohort[mon]["followed_up"] = int((sel & contacted).sum())
        med = _stat(hours[sel & contacted], "median")
        figures.cohort[mon]["hours_to_first_contact"] = None if med is None else round(med, 2)
        figures.followup_by_month[mon] = {  # for the monthly review of the SLA
            "handed_over": int((sel & handed).sum()),
            "within_sla": int((sel & within).sum()),
            "median_attempts": _stat(attempts[sel & handed], "median") if attempts is not None else None}
    n_handed = int(handed.sum())
    figures.followup = CrmFollowup(
        handed_over=n_handed,
        followed_up=int(contacted.sum()),
        share_followed_up=ratio(contacted.sum(), n_handed),
        median_hours=_stat(hours[contacted], "median"),
        p90_hours=_stat(hours[contacted], "p90"),
        sla_hours=sla_hours,
        share_within_sla=ratio(within.sum(), n_handed),
        median_attempts=_stat(attempts[handed], "median") if attempts is not None else None,
        mean_attempts=_stat(attempts[handed], "mean") if attempts is not None else None,
        hours_basis=int(contacted.sum()),
    )


# ------------------------------------------------------------------ dates and statistics

def month_of(dates: np.ndarray, period: Period | Span) -> np.ndarray:
    """Which month of the period each date falls in: 1, 2, ...; 0 before the period or no date, one
    more than its months after it (compared as numbers, far faster than turning every date into a month)."""
    starts = [np.datetime64(f"{mon}-01", "ns") for mon in period.months]
    bounds = np.array([*starts, (np.datetime64(period.end, "D") + 1).astype("datetime64[ns]")])
    months: np.ndarray = np.searchsorted(bounds.view(np.int64), dates.view(np.int64), side="right").astype(np.int16)
    return months


def in_period(dates: np.ndarray, period: Period | Span) -> np.ndarray:
    """Where a date falls within the period (never where there is no date)."""
    start = np.datetime64(f"{period.months[0]}-01", "ns")
    end = (np.datetime64(period.end, "D") + 1).astype("datetime64[ns]")
    inside: np.ndarray = (dates >= start) & (dates < end)
    return inside


def dated_span(created: np.ndarray) -> Span | None:
    """The quarters the creation dates run over (None when no lead has one)."""
    known = created[~np.isnat(created)]
    if not len(known):
        return None
    first, last = (date.fromisoformat(str(d)[:10]) for d in (known.min(), known.max()))
    return Span(period_of(first), period_of(last))


def first_per_lead(codes: np.ndarray, when: np.ndarray, n: int) -> np.ndarray:
    """The earliest date per lead of rows pointing at leads by position (`codes`, -1 for none)."""
    last = np.iinfo(np.int64).max
    earliest = np.full(n, last, dtype=np.int64)
    keep = (codes >= 0) & ~np.isnat(when)
    np.minimum.at(earliest, codes[keep], when[keep].view(np.int64))
    out: np.ndarray = np.where(earliest == last, NAT, earliest.view("datetime64[ns]"))
    return out


_STATS: dict[str, Callable[[np.ndarray], Any]] = {"median": np.median, "mean": np.mean,
                                                  "p90": lambda v: np.quantile(v, 0.9)}


def _stat(values: np.ndarray, what: str) -> float | None:
    """The median, mean or 90th percentile of the values that are numbers, to four decimals."""
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    return round(float(_STATS[what](values)), 4)


# ------------------------------------------------------------------ history

@dataclass
class CrmHistory:
    """An export's whole history, or a range of it: each quarter's figures beside the whole span's."""

    span: Span
    quarters: list[tuple[Period, CrmSummary | None]]  # None: no lead was created in the quarter
    whole: CrmSummary


def history(columns: CrmColumns, span: Span, sla_hours: float = 24.0) -> CrmHistory:
    """Conversion, follow-up and channels over a whole span (medians taken over all its leads, not
    averaged from quarters), and each quarter's own figures beside it."""
    whole = derive(columns, span, sla_hours)
    quarters: list[tuple[Period, CrmSummary | None]] = []
    for q in span.quarters:
        leads = sum(int(cast(float, whole.cohort.get(m, {}).get("leads", 0))) for m in q.months)
        quarters.append((q, derive(columns, q, sla_hours) if leads else None))
    return CrmHistory(span, quarters, whole)


def span_row(label: str, f: CrmSummary | None) -> CrmSpanRow:
    """What a quarter's (or the whole span's) summary says, as one row of the history."""
    if f is None:
        return CrmSpanRow(label, 0)
    leads = sum(int(cast(float, r.get("leads", 0))) for r in f.cohort.values())
    customers = sum(int(cast(float, r.get("customers", 0))) for r in f.cohort.values()) \
        if "customers" in f.stages else None
    fu, deals = f.followup, f.deals
    return CrmSpanRow(label, leads, customers, fu.handed_over if fu else None, fu.followed_up if fu else None,
                      fu.median_hours if fu else None, deals.won if deals else None,
                      deals.lost if deals and deals.win_rate is not None else None, fu.hours_basis if fu else None)


def history_view(h: CrmHistory) -> CrmHistoryView:
    """The history as the summary and the report keep it."""
    return CrmHistoryView(str(h.span), [span_row(str(q), f) for q, f in h.quarters], span_row(str(h.span), h.whole),
                          [{"channel": c["channel"], "leads": c["leads"], **({"customers": c["customers"]}
                                                                              if "customers" in c else {})}
                           for c in h.whole.channels if c.get("leads")])


def carry_over_spend(figures: CrmSummary, earlier: list[dict[str, Any]]) -> list[str]:
    """Keep the spend and visitors typed into an earlier channels.csv (its rows), matched by channel
    name; returns the channels that kept them."""
    known = {str(r["channel"]).casefold(): r for r in earlier}
    carried = []
    for c in figures.channels:
        old = known.get(c["channel"].casefold())
        if old is None:
            continue
        for col in ("spend", "visitors"):
            value = old.get(col)
            if value is not None and value == value:  # NaN: a blank cell
                c[col] = float(value)
                carried.append(c["channel"])
    return sorted(set(carried))
