"""Funnel, follow-up and channel figures derived from lead-level CRM exports.

`derive_crm` reads a leads export (and optionally deals and activities), recognises the
funnel stages as the mapping says, and returns the figures of one quarter:

- the **cohort view**: of the leads created in the quarter, how many reached each stage
  (so rates are true conversion rates); this is what `funnel.csv` receives, by month of
  creation, and what the report shows;
- the **flow view**: how many leads entered each stage in the quarter, by month, for the
  stages the export dates;
- per channel and per segment (cohort view), follow-up speed and attempts, days from
  lead to won, the win rate of deals closed in the quarter, and revenue.

A later stage implies the earlier ones (a customer was a lead, an MQL, ...): a lead that
reached a stage without the earlier ones recorded is counted there too, and how many were
filled in this way is reported. Events out of order (won before the lead was created,
contacted before it existed) are counted and reported, never silently dropped.
Only the columns the mapping names are read: personal data is never loaded.

Every figure is computed over whole columns (numpy arrays, one value per lead, deal or
activity); see `crm_exports` for how the exports are read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smarketing_assess.config.crm_mapping import (
    CRM_STAGES,
    CrmMapping,
    LeadsMap,
    StageRule,
    auto_mapping,
    date_formats,
    resolve_mapping,
)
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period, Span, period_of
from smarketing_assess.core.spreadsheet import Figure, csv_text
from smarketing_assess.core.storage import Checksums, leftovers, write_files_together
from smarketing_assess.model.crm_summary import (
    MIN_LINKED,
    CrmDeals,
    CrmFollowup,
    CrmHistoryView,
    CrmSpanRow,
    CrmSummary,
)
from smarketing_assess.model.evidence import MIN_BASIS
from smarketing_assess.reading.crm_exports import (
    NAT,
    Column,
    Export,
    KeyIndex,
    encode,
    file_dayfirst,
    matched,
    nonblank,
    one_of,
    parse_amounts,
    parse_dates,
    parse_flags,
    read_export,
    read_headers,
    text_scalar,
)

if TYPE_CHECKING:
    import pandas as pd

FUNNEL_COLUMN = {"mql": "mql", "sal": "sal", "sql": "sql", "opportunity": "opportunities", "customer": "customers"}


@dataclass
class _Leads:
    """The leads export and what every later step needs of it, one value per lead."""

    export: Export
    keys: KeyIndex
    created: np.ndarray  # datetime64[ns]
    dayfirst: bool | None
    formats: tuple[str, ...] | None = None
    emails: KeyIndex | None = None
    domains: tuple[KeyIndex, np.ndarray] | None = None  # the index, over the leads oldest first, and that order

    def __len__(self) -> int:
        return len(self.export)

    def positions(self, values: Column, by: str, m: LeadsMap) -> np.ndarray:
        """Where each value's lead is (-1 when unknown or blank).

        - by the lead's key;
        - by its e-mail, compared without case or surrounding spaces;
        - by its company's domain (a domain, a website or an e-mail on either side; a lead without
          a website, by its e-mail's domain): the account's
          first lead, the one created first, since a company's deal or activity is not one person's.
          Personal e-mail domains (gmail.com, ...) name no company and link nothing.

        The e-mail and domain indexes live only in memory."""
        if by == "key":
            return self.keys.positions(values)
        if by == "email":
            if self.emails is None:
                self.emails = KeyIndex(_email(self.export[str(m.email)]))
            wanted = _email(values)
            return np.where(nonblank(wanted), self.emails.positions(wanted), -1)
        if self.domains is None:
            own = _domain(self.export[m.domain] if m.domain else self.export[str(m.email)])
            if m.domain and m.email:  # no website on the lead: its e-mail's domain
                own = pc.if_else(pa.array(nonblank(own)), own, _domain(self.export[m.email]))
            created = self.created.view(np.int64).copy()
            created[np.isnat(self.created)] = np.iinfo(np.int64).max  # undated leads last
            order = np.argsort(created, kind="stable")
            self.domains = KeyIndex(own.take(pa.array(order))), order
        index, order = self.domains
        wanted = _domain(values)
        found = index.positions(wanted)
        return np.where(nonblank(wanted) & (found >= 0), order[np.maximum(found, 0)], -1)


# domains of e-mail services open to anyone: they name no company, so they link no deal or activity
PERSONAL_DOMAINS = frozenset("""
gmail.com googlemail.com hotmail.com hotmail.co.uk hotmail.com.br hotmail.es hotmail.it hotmail.fr outlook.com
outlook.com.br outlook.es outlook.it live.com live.it msn.com yahoo.com yahoo.com.br yahoo.es yahoo.it yahoo.co.uk
yahoo.fr ymail.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.com gmx.net gmx.de mail.com
zoho.com yandex.com uol.com.br bol.com.br terra.com.br ig.com.br libero.it virgilio.it tiscali.it alice.it
tim.it fastwebnet.it email.it telefonica.net movistar.es
""".split())


def _domain(values: Column) -> Column:
    """A company's domain from a domain, a website or an e-mail: lower case, without the part before
    an @, a scheme, a leading www., a port or a path; blank for a personal e-mail domain."""
    out = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    for pattern in (r"^.*@", r"^[a-z][a-z0-9+.-]*://", r"^www\.", r"[/:?#].*$", r"\.+$"):
        out = pc.replace_substring_regex(out, pattern, "")
    personal = pc.is_in(out, value_set=pa.array(sorted(PERSONAL_DOMAINS)))
    return pc.if_else(personal, text_scalar(""), out)


# ------------------------------------------------------------------------ figures

def derive_crm(mapping: CrmMapping, period: Period | Span, leads_path: Path, deals_path: Path | None = None,
               activities_path: Path | None = None, sla_hours: float = 24.0,
               checksums: Checksums | None = None) -> CrmSummary:
    """The quarter's figures from the exports (raises InputError listing every problem).
    `checksums` may have been started earlier, for the files' checksums to be ready sooner."""
    if deals_path is None and mapping.deals is not None and mapping.deals.same_file:
        deals_path = leads_path
    read = [leads_path] + [p for p, used in ((deals_path, mapping.deals), (activities_path, mapping.activities))
                           if p is not None and used is not None]
    checksums = checksums or Checksums(read)
    figures = _derive(mapping, period, leads_path, deals_path, activities_path, sla_hours)
    figures.inputs = {p.name: checksums[p] for p in dict.fromkeys(read)}
    return figures


def _derive(mapping: CrmMapping, period: Period | Span, leads_path: Path, deals_path: Path | None,
            activities_path: Path | None, sla_hours: float) -> CrmSummary:
    m = mapping.leads
    # The deals and activities are read and parsed beside the leads, and the activities are linked
    # to their leads there too, once the leads are known. Problems are reported leads first, then
    # deals, then activities, as when the files are read one after the other.
    leads_known: Future[_Leads] = Future()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export")
    deal_job = pool.submit(_read_deals, mapping, deals_path) if mapping.deals and deals_path else None
    activity_job = pool.submit(_activities, mapping, activities_path, leads_known) \
        if mapping.activities and activities_path else None
    pool.shutdown(wait=False)  # the two jobs run on; their results are taken below
    problems: list[Problem] = []  # every file's problems, in one run
    try:
        leads = _read_leads(mapping, leads_path)
        leads_known.set_result(leads)
    except InputError as exc:
        problems += exc.problems
    finally:
        leads_known.cancel()  # when the leads failed: the activities stop waiting for them
    deal_rows = None
    try:
        deal_rows = deal_job.result() if deal_job else None
    except InputError as exc:
        problems += exc.problems
    if problems:
        if activity_job is not None:  # its own file's problems, found before it waits for the leads
            try:
                activity_job.result()
            except InputError as exc:
                problems += exc.problems
            except CancelledError:
                pass
        raise InputError(list(dict.fromkeys(problems)))  # a deals export that is the leads export: once
    export, created, n = leads.export, leads.created, len(leads)
    figures = CrmSummary(str(period), mapping.name, leads_in_export=n,
                         missing_columns=[c for c in mapping.optional_lead_columns() if c not in export],
                         rows_read={"leads": n})
    if mapping.snapshot:
        figures.view = "snapshot"
    if undated := int(np.isnat(created).sum()):
        figures.out_of_order["leads_without_creation_date"] = undated

    _status_columns_match(mapping, export)
    deals = _deals(mapping, deal_rows, leads, figures, period)
    reached: dict[str, np.ndarray] = {}
    dates: dict[str, np.ndarray] = {}
    for stage in CRM_STAGES:
        if stage in m.stages and not (m.stages[stage].deal and deals_path is None):  # no deals export: not tracked
            reached[stage], dates[stage] = _stage_reached(m.stages[stage], leads, deals)
    # what looks odd is counted over the quarter's own leads, so each quarter says its own
    quarter = _in_period(created, period)
    # a later stage implies the earlier ones
    later = np.zeros(n, bool)
    for stage in reversed([s for s in CRM_STAGES if s in reached]):
        figures.implied[stage] = int((later & ~reached[stage] & quarter).sum())
        reached[stage] = reached[stage] | later
        later = reached[stage]
    for stage, d in dates.items():
        figures.out_of_order[f"{stage}_before_created"] = int(((d < created) & quarter).sum())
    dated = {s: d for s, d in dates.items() if not np.isnat(d).all()}
    ordered = [s for s in CRM_STAGES if s in dated]
    for a, b in itertools.pairwise(ordered):
        figures.out_of_order[f"{b}_before_{a}"] = int(((dated[b] < dated[a]) & quarter).sum())

    month = _month_of(created, period)  # 1, 2, 3: the quarter's months
    cohort = (month >= 1) & (month <= len(period.months))
    if not cohort.any():  # nothing to count: an error, never a funnel of zeros
        known = created[~np.isnat(created)]
        found = (f"{n:,} leads, created from {str(known.min())[:10]} to {str(known.max())[:10]}" if len(known)
                 else f"{n:,} leads" if n else "only the header")
        raise InputError.single(leads_path, f"no lead of the export was created in {period}", column=m.created,
                                found=found, expected=f"leads created from {period.months[0]}-01 to {period.end}")
    stage_months = {stage: _month_of(d, period) for stage, d in dated.items()}
    figures.stages = ["leads"] + [FUNNEL_COLUMN[s] for s in CRM_STAGES if s in reached]
    revenue = deals.revenue_by_lead if deals is not None else None
    in_month = {mon: month == i for i, mon in enumerate(period.months, start=1)}
    for i, (mon, sel) in enumerate(in_month.items(), start=1):
        row: dict[str, float | None] = {"leads": int(sel.sum())}
        for stage in CRM_STAGES:
            if stage in reached:
                row[FUNNEL_COLUMN[stage]] = int((sel & reached[stage]).sum())
        if revenue is not None:
            row["revenue"] = float(revenue[sel].sum())
        figures.cohort[mon] = row
        figures.flow[mon] = {"leads": int(sel.sum())} | {
            FUNNEL_COLUMN[stage]: int((months == i).sum()) for stage, months in stage_months.items()}
    for by, column, out in (("channel", m.channel, figures.channels), ("segment", m.segment, figures.segments)):
        if column and column in export:
            out += _breakdown(export[column], cohort, reached, revenue, by)
    reason = export[m.reason] if m.reason and m.reason in export else None
    if reason is not None or (deals is not None and deals.lost_reason is not None):
        figures.reasons_by_month = _reasons(export[m.channel] if m.channel and m.channel in export else None,
                                            reason, month, deals, period)

    # follow-up last: the activities may still be on their way
    first_contact, attempts = _contacts(mapping, activity_job.result() if activity_job else None, leads, figures)
    if first_contact is None:
        return figures
    handover = dates["mql"] if "mql" in dates else created
    handover = np.where(np.isnat(handover), created, handover)
    handed = cohort & reached["mql"] if "mql" in reached else cohort
    hours = (first_contact - handover) / np.timedelta64(1, "h")  # NaN where never contacted
    figures.out_of_order["contact_before_handover"] = int(((hours < 0) & quarter).sum())
    hours = np.maximum(hours, 0.0)
    if "customer" in dates:
        figures.out_of_order["won_before_first_contact"] = int(((dates["customer"] < first_contact) & quarter).sum())
    contacted = handed & ~np.isnan(hours)
    for mon, sel in in_month.items():
        figures.cohort[mon]["followed_up"] = int((sel & contacted).sum())
        med = _stat(hours[sel & contacted], "median")
        figures.cohort[mon]["hours_to_first_contact"] = None if med is None else round(med, 2)
        figures.followup_by_month[mon] = {  # for the monthly review of the SLA
            "handed_over": int((sel & handed).sum()),
            "within_sla": int((sel & contacted & (hours <= sla_hours)).sum()),
            "median_attempts": _stat(attempts[sel & handed], "median") if attempts is not None else None}
    n_handed = int(handed.sum())
    figures.followup = CrmFollowup(
        handed_over=n_handed,
        followed_up=int(contacted.sum()),
        share_followed_up=_ratio(contacted.sum(), n_handed),
        median_hours=_stat(hours[contacted], "median"),
        p90_hours=_stat(hours[contacted], "p90"),
        sla_hours=sla_hours,
        share_within_sla=_ratio((contacted & (hours <= sla_hours)).sum(), n_handed),
        median_attempts=_stat(attempts[handed], "median") if attempts is not None else None,
        mean_attempts=_stat(attempts[handed], "mean") if attempts is not None else None,
    )
    return figures


def _read_leads(mapping: CrmMapping, path: Path) -> _Leads:
    """The leads export with its keys checked and its creation dates parsed (every problem at once)."""
    m = mapping.leads
    export = read_export(path, mapping.lead_columns(), mapping.optional_lead_columns())
    key = export[m.key]
    blank = ~nonblank(key)
    problems: list[Problem] = export.problems(blank, m.key, "blank lead key", "a key on every lead")
    keys = KeyIndex(key)
    problems += export.problems(keys.repeated & ~blank, m.key, "the same lead key appears twice", "each lead once")
    date_columns = [m.created] + [r.date for r in m.stages.values() if r.date] + \
        ([m.first_contact] if m.first_contact and m.first_contact in export else [])
    dayfirst = m.dayfirst if m.date_format else file_dayfirst(export, date_columns, m.dayfirst)
    formats = date_formats(m.date_format)
    created = parse_dates(export[m.created], export.rows, export.file, m.created, dayfirst, formats)
    # a lead without a creation date belongs to no quarter: counted, and left out of the quarter's figures
    if problems:
        raise InputError(problems)
    return _Leads(export, keys, created, dayfirst, formats)


def _email(values: Column) -> Column:
    return pc.utf8_lower(pc.utf8_trim_whitespace(values))


def _ratio(a: float, b: float) -> float | None:
    return float(a) / float(b) if b else None


def _stat(values: np.ndarray, what: str) -> float | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    stats: dict[str, Callable[[np.ndarray], Any]] = {"median": np.median, "mean": np.mean,
                                                     "p90": lambda v: np.quantile(v, 0.9)}
    result = stats[what](values)
    return round(float(result), 4)


def _month_of(dates: np.ndarray, period: Period | Span) -> np.ndarray:
    """Which month of the quarter each date falls in: 1, 2 or 3; 0 before the quarter or no date, 4 after
    (compared as numbers, far faster than turning every date into a month)."""
    starts = [np.datetime64(f"{mon}-01", "ns") for mon in period.months]
    bounds = np.array([*starts, (np.datetime64(period.end, "D") + 1).astype("datetime64[ns]")])
    return np.searchsorted(bounds.view(np.int64), dates.view(np.int64), side="right").astype(np.int8)


def _in_period(dates: np.ndarray, period: Period | Span) -> np.ndarray:
    start = np.datetime64(f"{period.months[0]}-01", "ns")
    end = (np.datetime64(period.end, "D") + 1).astype("datetime64[ns]")
    inside: np.ndarray = (dates >= start) & (dates < end)
    return inside


def _first_per_lead(codes: np.ndarray, when: np.ndarray, n: int) -> np.ndarray:
    """The earliest date per lead of rows pointing at leads by position (`codes`, -1 for none)."""
    last = np.iinfo(np.int64).max
    earliest = np.full(n, last, dtype=np.int64)
    keep = (codes >= 0) & ~np.isnat(when)
    np.minimum.at(earliest, codes[keep], when[keep].view(np.int64))
    return np.where(earliest == last, NAT, earliest.view("datetime64[ns]"))


def _status_columns_match(mapping: CrmMapping, export: Export) -> None:
    """A status column whose stage values, all stages together, match no row is a mapping written
    for another export (`Closed Won` against `Won`): an error listing what the column holds. One
    stage that nobody has reached yet is a real state, and counts zero."""
    by_column: dict[str, list[str]] = {}
    for rule in mapping.leads.stages.values():
        if rule.status:
            by_column.setdefault(rule.status.column, []).extend(rule.status.values)
    for column, values in by_column.items():
        matched(export[column], values, export.file, column, "the funnel stages")


def _stage_reached(rule: StageRule, leads: _Leads, deals: _Deals | None) -> tuple[np.ndarray, np.ndarray]:
    """(reached, date) per lead for one stage; the date is NaT where the export gives none."""
    export = leads.export
    none = np.full(len(leads), NAT)
    if rule.date:
        dates = parse_dates(export[rule.date], export.rows, export.file, rule.date, leads.dayfirst, leads.formats)
        return ~np.isnat(dates), dates
    if rule.flag:
        return parse_flags(export[rule.flag], export.rows, export.file, rule.flag), none
    if rule.status:  # one stage may be reached by nobody yet; see _status_columns_match for a whole column
        return one_of(export[rule.status.column], rule.status.values), none
    assert deals is not None  # a deal stage is tracked only with a deals export
    return (deals.has_won, deals.first_won) if rule.deal == "won" else (deals.has_any, deals.first_any)


def _canonical(values: Column) -> tuple[list[str], np.ndarray]:
    """The distinct names of a column and each row's: one name however it is spelled ("Google",
    "google " and "GOOGLE" are one, shown as its most frequent spelling, the same rule the channels
    file is read by); a blank cell is "(not set)"."""
    distinct, codes = encode(values)
    raw = [" ".join(str(v).split()) or "(not set)" for v in distinct.to_pylist()]
    rows = np.bincount(codes, minlength=len(raw)) if len(codes) else np.zeros(len(raw), np.int64)
    spelling: dict[str, str] = {}
    for i in sorted(range(len(raw)), key=lambda i: (-rows[i], raw[i])):
        spelling.setdefault(raw[i].casefold(), raw[i])
    names = sorted(set(spelling.values()))
    position = {name: i for i, name in enumerate(names)}
    slot = np.array([position[spelling[v.casefold()]] for v in raw], dtype=np.int64)  # "" and "(not set)" are one
    return names, slot[codes] if len(codes) else np.zeros(0, np.int64)


def _reasons(channels: Column | None, reasons: Column | None, month: np.ndarray, deals: _Deals | None,
             period: Period | Span) -> dict[str, list[dict[str, Any]]]:
    """Per month of the period, why leads were returned, disqualified or lost (the leads' reason, by
    the month they were created) and why deals were lost (by the month they closed), by the lead's
    channel: sales' feedback on lead quality. Most frequent first."""
    n = len(month)
    channel_names, channel = _canonical(channels) if channels is not None else (["(not set)"], np.zeros(n, np.int64))
    channel_names = [*channel_names, "(not set)"]  # the last: a lost deal without a known lead
    found: dict[tuple[str, str, str, str], int] = {}

    def count(months: np.ndarray, where: np.ndarray, leads: np.ndarray, values: Column, source: str) -> None:
        names, codes = _canonical(values)
        keep = nonblank(values) & where
        lead_channel = np.where(leads >= 0, channel[np.maximum(leads, 0)], len(channel_names) - 1)
        key = (months[keep].astype(np.int64) * len(channel_names) + lead_channel[keep]) * len(names) + codes[keep]
        for k, times in zip(*np.unique(key, return_counts=True), strict=True):  # one per distinct triple
            mon, rest = divmod(int(k), len(channel_names) * len(names))
            ch, reason = divmod(rest, len(names))
            found[(period.months[mon - 1], channel_names[ch], names[reason], source)] = int(times)

    if reasons is not None:
        count(month, (month >= 1) & (month <= len(period.months)), np.arange(n), reasons, "lead")
    if deals is not None and deals.lost_reason is not None and deals.closed is not None and deals.codes is not None:
        closed = _month_of(deals.closed, period)
        lost = deals.lost if deals.lost is not None else np.zeros(len(closed), bool)
        count(closed, lost & (closed >= 1) & (closed <= len(period.months)), deals.codes, deals.lost_reason, "deal")
    out: dict[str, list[dict[str, Any]]] = {}
    for (mon, ch, reason, source), leads in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1:])):
        out.setdefault(mon, []).append({"channel": ch, "reason": reason, "count": leads, "source": source})
    return out


def _breakdown(values: pa.Array, cohort: np.ndarray, reached: dict[str, np.ndarray],
               revenue: np.ndarray | None, by: str) -> list[dict[str, Any]]:
    """Leads (and MQLs, customers, revenue) of the cohort per value of a column, most leads first."""
    names, codes = _canonical(values)
    codes = codes[cohort]
    sums: dict[str, np.ndarray] = {"leads": np.bincount(codes, minlength=len(names))}
    for stage in ("mql", "customer"):
        if stage in reached:
            sums[FUNNEL_COLUMN[stage]] = np.bincount(codes, weights=reached[stage][cohort], minlength=len(names))
    if revenue is not None:
        sums["revenue"] = np.bincount(codes, weights=revenue[cohort], minlength=len(names))
    order = sorted((i for i in range(len(names)) if sums["leads"][i]), key=lambda i: (-sums["leads"][i], names[i]))
    return [{by: names[i], **{k: (float(v[i]) if k == "revenue" else int(v[i])) for k, v in sums.items()}}
            for i in order]


@dataclass
class _Deals:
    """Per lead (by position): whether any deal / a won deal points to it, the first one's date,
    and the revenue of its won deals (None when the export has no amounts)."""

    has_any: np.ndarray
    has_won: np.ndarray
    first_any: np.ndarray
    first_won: np.ndarray
    revenue_by_lead: np.ndarray | None
    # per deal, for the reasons deals were lost: its lead's position (-1 unknown), lost, close date, reason
    codes: np.ndarray | None = None
    lost: np.ndarray | None = None
    closed: np.ndarray | None = None
    lost_reason: Column | None = None


@dataclass
class _DealRows:
    """A deals export with its columns parsed, before it is linked to the leads."""

    export: Export
    won: np.ndarray
    lost: np.ndarray
    closed: np.ndarray | None  # won or lost date
    made: np.ndarray | None  # created date
    amount: np.ndarray | None


def _read_deals(mapping: CrmMapping, path: Path) -> _DealRows:
    d = mapping.deals
    assert d is not None
    raw = read_export(path, mapping.deal_columns(), [c for c in (d.lost_closed, d.lost_reason) if c])
    if d.status.all == "won":  # a won-deals export: every row is a won deal
        won, lost = np.ones(len(raw), bool), np.zeros(len(raw), bool)
    else:
        assert d.status.column is not None
        won = matched(raw[d.status.column], d.status.won, raw.file, d.status.column, "won deals")
        # no lost deal yet is a real state of a young pipeline: shown as "0 lost" beside the won ones
        lost = one_of(raw[d.status.column], d.status.lost) if d.status.lost else np.zeros(len(raw), bool)
    dayfirst = d.dayfirst if d.date_format else \
        file_dayfirst(raw, [c for c in (d.closed, d.created, d.lost_closed) if c and c in raw], d.dayfirst)

    def dates(column: str | None) -> np.ndarray | None:
        return parse_dates(raw[column], raw.rows, raw.file, column, dayfirst, date_formats(d.date_format)) \
            if column and column in raw else None

    closed, made = dates(d.closed), dates(d.created)
    lost_at = dates(d.lost_closed) if closed is not None else None
    if lost_at is not None and closed is not None:  # lost_at is read only when closed is
        closed = np.where(np.isnat(closed) & lost, lost_at, closed)
    amount = np.nan_to_num(parse_amounts(raw[d.amount], raw.rows, raw.file, d.amount)) if d.amount else None
    return _DealRows(raw, won, lost, closed, made, amount)


def _deals(mapping: CrmMapping, rows: _DealRows | None, leads: _Leads, figures: CrmSummary,
           period: Period | Span) -> _Deals | None:
    """Deal figures of the quarter into `figures`; what each lead's deals say, for the funnel stages."""
    d = mapping.deals
    if d is None or rows is None:
        return None
    n, created, raw = len(leads), leads.created, rows.export
    won, lost, closed, amount = rows.won, rows.lost, rows.closed, rows.amount
    if d.same_file:
        codes = np.arange(n) if not d.key else leads.keys.positions(raw[d.key])
    elif d.lead:
        lead = raw[d.lead]
        if pc.any(pc.match_substring(lead, ";")).as_py():  # a deal with several contacts: the first is its lead
            lead = pc.utf8_trim_whitespace(pc.replace_substring_regex(lead, ";.*", ""))
        codes = leads.positions(lead, d.lead_by, mapping.leads)
        _some_linked(codes >= 0, raw, d.lead, leads, mapping.leads, d.lead_by, "deals")
    else:  # the lead names its deal
        deal_key = mapping.leads.deal_key
        if d.key is None or deal_key is None or deal_key not in leads.export:
            raise InputError.single(raw.file, "deals cannot be linked to leads", column=deal_key,
                                    expected=f"the leads export's column '{deal_key}' naming each "
                                             "lead's deal, and 'deals.key'")
        codes = np.where(nonblank(raw[d.key]), KeyIndex(leads.export[deal_key]).positions(raw[d.key]), -1)
    figures.out_of_order["deals_without_a_known_lead"] = int((codes < 0).sum())
    known = codes >= 0
    # every one of 30 or more deals won is a won-deals export (a handful all won is just a small file)
    won_only = d.status.all == "won" or (len(won) >= MIN_BASIS and bool(won.all()))
    if won_only and d.status.all is None:  # every row of a status column says won: a won-deals export
        figures.withheld["win_rate"] = [int(won.sum()), len(won)]
    figures.rows_read["deals"], figures.linked["deals"] = len(raw), int(known.sum())
    if closed is not None:
        in_q = _in_period(closed, period)
        n_won, n_lost = int((won & in_q).sum()), int((lost & in_q).sum())
        lead_created = np.where(known, created[np.where(known, codes, 0)], NAT)
        days = (closed - lead_created) / np.timedelta64(1, "D")
        figures.out_of_order["won_before_lead_created"] = int((won & in_q & (days < 0)).sum())
        won_days = days[won & in_q & (days >= 0)]
        figures.deals = CrmDeals(
            won=n_won, lost=n_lost,
            # an export of won deals only says nothing of the deals lost: no win rate, rather than 100%
            win_rate=None if won_only else _ratio(n_won, n_won + n_lost),
            median_days_to_won=_stat(won_days, "median"), mean_days_to_won=_stat(won_days, "mean"),
            revenue_won=float(amount[won & in_q].sum()) if amount is not None else None,
        )
    won_codes = np.where(won, codes, -1)
    any_date = rows.made if rows.made is not None else closed
    return _Deals(
        has_any=np.bincount(codes[known], minlength=n) > 0,
        has_won=np.bincount(codes[known & won], minlength=n) > 0,
        first_any=_first_per_lead(codes, any_date, n) if any_date is not None else np.full(n, NAT),
        first_won=_first_per_lead(won_codes, closed, n) if closed is not None else np.full(n, NAT),
        revenue_by_lead=None if amount is None else np.bincount(codes[known & won], weights=amount[known & won],
                                                                minlength=n),
        codes=codes, lost=lost, closed=closed,
        lost_reason=raw[d.lost_reason] if d.lost_reason and d.lost_reason in raw else None)


@dataclass
class _Activities:
    """What the activities export says per lead: the first contact attempt (NaT when none) and the
    number of attempts; and how many attempts predate their lead."""

    first: np.ndarray
    attempts: np.ndarray
    before_lead_created: int
    rows: int = 0
    linked: int = 0


def _activities(mapping: CrmMapping, path: Path, leads_known: Future[_Leads]) -> _Activities:
    a = mapping.activities
    assert a is not None
    raw = read_export(path, mapping.activity_columns())
    when = parse_dates(raw[a.timestamp], raw.rows, raw.file, a.timestamp, a.dayfirst, date_formats(a.date_format))
    contact = matched(raw[a.type], a.contact_types, raw.file, a.type, "contact attempts") \
        if a.type and a.contact_types else np.ones(len(raw), bool)
    leads = leads_known.result()
    codes = leads.positions(raw[a.lead], a.lead_by, mapping.leads)
    known = codes >= 0
    _some_linked(known, raw, a.lead, leads, mapping.leads, a.lead_by, "activities")
    lead_created = np.where(known, leads.created[np.where(known, codes, 0)], NAT)
    early = contact & (when < lead_created)
    valid = np.where(contact & ~early & ~np.isnat(when), codes, -1)
    return _Activities(first=_first_per_lead(valid, when, len(leads)),
                       attempts=np.bincount(valid[valid >= 0], minlength=len(leads)).astype(float),
                       before_lead_created=int(early.sum()), rows=len(raw), linked=int(known.sum()))



def _some_linked(known: np.ndarray, raw: Export, column: str, leads: _Leads, m: LeadsMap, by: str,
                 what: str) -> None:
    """An InputError when not one row of a deals or activities export points to a lead of the leads
    export: the exports are keyed differently (an e-mail against an id), and every figure resting on
    them would be zero. Shows a few keys of each side; never an e-mail or a domain."""
    if not len(known) or known.any():
        return

    def sample(values: Column) -> str:
        seen = [v for v in dict.fromkeys(values.to_pylist()[:1000]) if v][:3]
        return ", ".join(repr(v) for v in seen) or "(blank)"

    if by == "key":
        found, key = f"{sample(raw[column])} here; the leads' keys look like {sample(leads.export[m.key])}", m.key
    elif by == "email":
        found, key = f"none of {len(known):,} e-mails matches one of the leads'", "e-mail"
    else:
        personal = int((~nonblank(_domain(raw[column])) & nonblank(raw[column])).sum())
        found = f"none of {len(known):,} domains matches one of the leads'" + (
            f" ({personal:,} are personal e-mail domains such as gmail.com, which name no company)"
            if personal else "")
        key = "company domain, website or e-mail"
    raise InputError.single(raw.file, f"no row of the {what} points to a lead of the leads export", column=column,
                            found=found, expected=f"the column of the {what} that holds the lead's {key}")


def _contacts(mapping: CrmMapping, activities: _Activities | None, leads: _Leads,
              figures: CrmSummary) -> tuple[np.ndarray | None, np.ndarray | None]:
    """First contact time and contact attempts per lead (None when the exports cannot say)."""
    m, export = mapping.leads, leads.export
    first: np.ndarray | None = None
    if m.first_contact and m.first_contact in export:
        first = parse_dates(export[m.first_contact], export.rows, export.file, m.first_contact, leads.dayfirst,
                            leads.formats)
    if activities is None:
        return first, None
    figures.rows_read["activities"], figures.linked["activities"] = activities.rows, activities.linked
    if activities.linked < MIN_LINKED * activities.rows:
        figures.withheld["followup"] = [activities.linked, activities.rows]
        return first, None  # too few activities reach their lead: follow-up from them would understate it
    figures.out_of_order["activity_before_lead_created"] = activities.before_lead_created
    first = activities.first if first is None else np.fmin(first, activities.first)
    return first, activities.attempts


# ---------------------------------------------------------------------- writing

def funnel_csv(figures: CrmSummary) -> str:
    """The text of funnel.csv: the cohort view by month, with revenue and follow-up columns when derived."""
    cols = list(figures.stages)
    extra = [c for c in ("revenue", "followed_up", "hours_to_first_contact")
             if any(c in row for row in figures.cohort.values())]
    rows: list[list[object]] = [["month", *cols, *extra]]
    for mon, row in figures.cohort.items():
        cells: list[object] = [mon] + [int(cast(float, row.get(c, 0))) for c in cols]  # a count is never None
        for c in extra:
            v = row.get(c)
            cells.append(None if v is None else (Figure(f"{v:.2f}") if c == "revenue" else Figure(f"{v:g}")))
        rows.append(cells)
    return csv_text(rows)


def channels_csv(figures: CrmSummary) -> str:
    """The text of channels.csv: the cohort per channel; spend and visitors blank unless carried over."""
    has_mql = any("mql" in c for c in figures.channels)
    has_rev = any("revenue" in c for c in figures.channels)
    header = ["channel", "visitors", "leads"] + (["mql"] if has_mql else []) + ["customers", "spend"] + \
        (["revenue"] if has_rev else [])
    rows: list[list[object]] = [list(header)]
    for c in figures.channels:
        visitors = None if c.get("visitors") is None else Figure(f"{c['visitors']:g}")
        spend = None if c.get("spend") is None else Figure(f"{c['spend']:.2f}")
        rows.append([str(c["channel"]), visitors, c["leads"]] + ([c.get("mql", 0)] if has_mql else []) +
                    [c.get("customers", 0), spend] + ([Figure(f"{c.get('revenue', 0):.2f}")] if has_rev else []))
    return csv_text(rows)


def summary_json(figures: CrmSummary) -> str:
    """The text of crm_summary.json."""
    return figures.to_json()


def choose_mapping(spec: str, leads_path: Path) -> tuple[CrmMapping, str]:
    """The mapping named by `spec`; `auto` picks the preset whose headers the export has."""
    if spec == "auto":
        return auto_mapping(read_headers(leads_path))
    return resolve_mapping(spec), spec


# -------------------------------------------------------------------- the command

CRM_FILES = ("funnel.csv", "channels.csv", "crm_summary.json")


def carry_over_spend(figures: CrmSummary, existing: pd.DataFrame) -> list[str]:
    """Keep the spend and visitors typed into an earlier channels.csv, matched by channel name."""
    known = {str(r["channel"]).casefold(): r for r in existing.to_dict("records")}
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


def write_crm_files(figures: CrmSummary, folder: Path, force: bool) -> tuple[list[Path], list[Path]]:
    """Write funnel.csv, channels.csv and crm_summary.json into the period folder as one change
    (all or none: see `write_files_together`). Existing files are replaced only with `force`,
    and then kept as `<name>.previous-N`."""
    contents = {"funnel.csv": funnel_csv(figures), "channels.csv": channels_csv(figures),
                "crm_summary.json": summary_json(figures)}
    if not figures.channels:
        del contents["channels.csv"]
    clash = [folder / n for n in contents if (folder / n).exists()
             and (folder / n).read_text(encoding="utf-8", errors="replace") != contents[n]]
    if clash and not force:
        raise FileExistsError(", ".join(str(p) for p in clash))
    leftovers(folder)
    kept = write_files_together({folder / n: t for n, t in contents.items()}, clash)
    return [folder / n for n in contents], kept


@dataclass
class CrmImport:
    """What `import_exports` did: the figures, the mapping used, and the files it touched."""

    figures: CrmSummary
    mapping: str
    carried: list[str]  # channels whose spend/visitors came from the earlier channels.csv
    written: list[Path]
    kept: list[Path]


def import_exports(client_dir: Path, period: Period, leads: Path, deals: Path | None, activities: Path | None,
                   mapping_spec: str = "auto", force: bool = False, checksums: Checksums | None = None,
                   history: bool = False, first: Period | None = None, last: Period | None = None) -> CrmImport:
    """Derive the period's input files from CRM exports and write them into the period folder.
    With `history`, the export's whole history (or the quarters from `first` to `last`) goes
    into the summary too, for the report to show beside the quarter.

    Raises InputError for invalid exports or profile, ValueError for a range that runs backwards,
    FileExistsError when different files are already there and `force` is not given (nothing is
    written then)."""
    from smarketing_assess.config.client import load_client

    client = load_client(Path(client_dir) / "client.yaml")
    mapping, name = choose_mapping(mapping_spec, leads)
    figures = derive_crm(mapping, period, leads, deals, activities, client.followup_sla_hours, checksums)
    if history:
        span = None
        if first or last:
            whole = export_span(mapping, leads)
            span = Span(first or whole.first, last or whole.last)
        figures.history = history_view(crm_history(mapping, leads, deals, activities, client.followup_sla_hours,
                                                   span))
    folder = Path(client_dir) / str(period)
    carried: list[str] = []
    if (folder / "channels.csv").is_file():
        from smarketing_assess.reading.inputs import read_channels

        existing, _ = read_channels(folder / "channels.csv")
        carried = carry_over_spend(figures, existing)
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = write_crm_files(figures, folder, force)
    return CrmImport(figures, name, carried, written, kept)


@dataclass
class CrmHistory:
    """An export's whole history, or a range of it: each quarter's figures beside the whole span's."""

    span: Span
    quarters: list[tuple[Period, CrmSummary | None]]  # None: no lead was created in the quarter
    whole: CrmSummary


def export_span(mapping: CrmMapping, leads_path: Path) -> Span:
    """The quarters the leads export's creation dates run over."""
    created = _read_leads(mapping, leads_path).created
    known = created[~np.isnat(created)]
    if not len(known):
        raise InputError.single(leads_path, "no lead has a creation date", column=mapping.leads.created,
                                expected="the date each lead was created")
    first, last = (datetime.fromisoformat(str(d)[:10]).date() for d in (known.min(), known.max()))
    return Span(period_of(first), period_of(last))


def crm_history(mapping: CrmMapping, leads_path: Path, deals_path: Path | None = None,
                activities_path: Path | None = None, sla_hours: float = 24.0, span: Span | None = None) -> CrmHistory:
    """Conversion, follow-up and channels over a whole span (medians taken over all its leads, not
    averaged from quarters), and each quarter's own figures beside it."""
    span = span or export_span(mapping, leads_path)
    whole = derive_crm(mapping, span, leads_path, deals_path, activities_path, sla_hours)
    quarters: list[tuple[Period, CrmSummary | None]] = []
    for q in span.quarters:
        leads = sum(int(cast(float, whole.cohort.get(m, {}).get("leads", 0))) for m in q.months)
        quarters.append((q, derive_crm(mapping, q, leads_path, deals_path, activities_path, sla_hours)
                         if leads else None))
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
                      deals.lost if deals and deals.win_rate is not None else None)


def history_view(h: CrmHistory) -> CrmHistoryView:
    """The history as the summary and the report keep it."""
    return CrmHistoryView(str(h.span), [span_row(str(q), f) for q, f in h.quarters], span_row(str(h.span), h.whole),
                          [{"channel": c["channel"], "leads": c["leads"], **({"customers": c["customers"]}
                                                                              if "customers" in c else {})}
                           for c in h.whole.channels if c.get("leads")])


def history_text(h: CrmHistoryView) -> str:
    """The history as a table for the consultant: a line per quarter and one for the whole span."""
    def row(label: str, r: CrmSpanRow) -> str:
        if not r.leads:
            return f"{label:<16} {'no leads':>9}"
        rate = f"{r.customers / r.leads:.2%}" if r.customers is not None else "–"
        hours = f"{r.median_hours:.1f}" if r.median_hours is not None else "–"
        win = f"{r.won / (r.won + r.lost):.0%}" if r.won is not None and r.lost is not None and r.won + r.lost \
            else "–"
        customers = f"{r.customers:,}" if r.customers is not None else "–"
        return f"{label:<16} {r.leads:>9,} {customers:>10} {rate:>14} {hours:>9} {win:>9}"
    lines = [f"{'quarter':<16} {'leads':>9} {'customers':>10} {'lead->customer':>14} {'median h':>9} {'win rate':>9}"]
    lines += [row(r.period, r) for r in h.quarters]
    lines.append(row(f"all ({len(h.quarters)})", h.whole))

    def channel(c: dict[str, Any]) -> str:
        won = f", customers {c['customers']:,} ({c['customers'] / c['leads']:.1%})" if "customers" in c else ""
        return f"{c['channel']}: leads {c['leads']:,}{won}"

    if h.channels:
        lines.append(f"channels over {h.span}: " + "; ".join(channel(c) for c in h.channels))
    return "\n".join(lines)


def crm_text(f: CrmSummary) -> str:
    """A short summary of the derived figures for the consultant."""
    # a stage's count is never None
    totals = {c: sum(int(cast(float, row.get(c, 0))) for row in f.cohort.values()) for c in f.stages}
    read = "; ".join(f"{what} {n:,} rows" + (f", {f.linked[what]:,} pointing to a lead" if what in f.linked else "")
                     for what, n in f.rows_read.items())
    lines = [f"{f.period} from the {f.mapping} mapping: {f.leads_in_export:,} leads in the export",
             f"read: {read}",
             "cohort (leads created in the quarter, and how far they got): "
             + " -> ".join(f"{c} {n:,}" for c, n in totals.items())]
    flow: dict[str, int] = {}
    for row in f.flow.values():
        for c, n in row.items():
            flow[c] = flow.get(c, 0) + n
    lines.append("flow (entered the stage in the quarter): " + ", ".join(f"{c} {n:,}" for c, n in flow.items()))
    if "win_rate" in f.withheld:
        lines.append(f"every one of the {f.withheld['win_rate'][1]:,} deals is won: a won-deals export, so no win rate")
    if "followup" in f.withheld:
        linked, rows = f.withheld["followup"]
        lines.append(f"follow-up from the activities left out: only {linked:,} of {rows:,} point to a lead of the "
                     f"export (at least {MIN_LINKED:.0%} must)")
    fu = f.followup
    if fu:
        hours = ", ".join(f"{what} {v:,.1f} h" for what, v in (("median", fu.median_hours),
                                                                ("90th percentile", fu.p90_hours)) if v is not None)
        lines.append(f"follow-up: {fu.followed_up:,} of {fu.handed_over:,} handed-over leads contacted"
                     + (f"; {hours} to first contact" if hours else ""))
    if f.deals:
        lines.append(f"deals closed in the quarter: {f.deals.won:,} won, {f.deals.lost:,} lost")
    odd = {k: v for k, v in {**f.out_of_order, **{f'{k}_implied': v for k, v in f.implied.items()}}.items() if v}
    if odd:
        lines.append("worth a look: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in odd.items()))
    if f.history:
        lines.append(f"the export's history, {f.history.span} (cohorts: the leads created in each quarter):")
        lines.append(history_text(f.history))
    return "\n".join(lines)
