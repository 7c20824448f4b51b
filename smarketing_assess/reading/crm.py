"""CRM exports read for the funnel: leads, deals and activities as typed columns, linked and checked.

`read_exports` reads a leads export (and optionally deals and activities) as the mapping says
and hands over `model.crm.CrmColumns`: one value per lead, deal and activity (creation dates,
each stage reached and when, channels, each deal's and activity's lead), every problem of
every export found in one pass and raised together, each with its file, row and column.
Counting them into figures is the model's work (`model/crm.py`).

Only the columns the mapping names are read: personal data is never loaded. E-mails and
domains are compared in memory to link deals and activities to their leads, and never kept.
Every column is read and parsed whole (Arrow and numpy arrays); see `crm_exports`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smarketing_assess.config.crm_mapping import (
    CrmMapping,
    LeadsMap,
    StageRule,
    auto_mapping,
    date_formats,
    resolve_mapping,
)
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period, Span
from smarketing_assess.core.stages import CRM_STAGES
from smarketing_assess.model.crm import (
    NAT,
    NOT_SET,
    ActivityColumns,
    CrmColumns,
    DealColumns,
    LeadColumns,
    Names,
    StageColumn,
    dated_span,
    in_period,
)
from smarketing_assess.reading.crm_exports import (
    Column,
    Export,
    KeyIndex,
    encode,
    file_dayfirst,
    has_column,
    header_only,
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

T = TypeVar("T")


def choose_mapping(spec: str, leads_path: Path, undated: bool = False) -> tuple[CrmMapping, str]:
    """The mapping named by `spec`; `auto` picks the preset whose headers the export has (`undated`:
    an export without creation dates, read as a snapshot)."""
    if spec == "auto":
        return auto_mapping(read_headers(leads_path), undated)
    return resolve_mapping(spec), spec


def _dating(mapping: CrmMapping, leads_path: Path, activities_path: Path | None, as_of: date | None) -> CrmMapping:
    """The mapping the leads are read by. Without `as_of`, it must name a creation date. With it, the
    export must have none (every lead is then the quarter's), and no activities are read: follow-up is
    counted from each lead's creation."""
    created = mapping.leads.created
    if as_of is None:
        if created is None:
            raise InputError.single(leads_path, say("crm.as_of.no_dates"),
                                    expected=say("crm.as_of.dates_or", hint=say("crm.as_of.hint")))
        return mapping
    problems = []
    if created is not None and leads_path.is_file() and has_column(created, read_headers(leads_path)):
        problems.append(Problem(str(leads_path), say("crm.as_of.has_dates"), column=created,
                                expected=say("crm.as_of.has_dates_expected")))
    if activities_path is not None and mapping.activities is not None:
        problems.append(Problem(str(activities_path), say("crm.as_of.activities"),
                                expected=say("crm.as_of.activities_expected")))
    if problems:
        raise InputError(problems)
    undated = mapping.leads.model_copy(update={"created": None, "first_contact": None})
    return mapping.model_copy(update={"leads": undated, "activities": None})


def files_read(mapping: CrmMapping, leads_path: Path, deals_path: Path | None = None,
               activities_path: Path | None = None) -> list[Path]:
    """The files `read_exports` reads, each once: the leads, and the deals and activities the mapping uses."""
    deals_path = _deals_path(mapping, leads_path, deals_path)
    read = [leads_path] + [p for p, used in ((deals_path, mapping.deals), (activities_path, mapping.activities))
                           if p is not None and used is not None]
    return list(dict.fromkeys(read))


def _deals_path(mapping: CrmMapping, leads_path: Path, deals_path: Path | None) -> Path | None:
    """Deals that are rows of the leads export are read from it when no deals export is given."""
    if deals_path is None and mapping.deals is not None and mapping.deals.same_file:
        return leads_path
    return deals_path


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
        index, order = self._domain_index(m)
        wanted = _domain(values)
        found = index.positions(wanted)
        return np.where(nonblank(wanted) & (found >= 0), order[np.maximum(found, 0)], -1)

    def _domain_index(self, m: LeadsMap) -> tuple[KeyIndex, np.ndarray]:
        """The leads' domains, indexed over the leads oldest first (undated last), and that order."""
        if self.domains is None:
            own = _domain(self.export[m.domain] if m.domain else self.export[str(m.email)])
            if m.domain and m.email:  # no website on the lead: its e-mail's domain
                own = pc.if_else(pa.array(nonblank(own)), own, _domain(self.export[m.email]))
            created = self.created.view(np.int64).copy()
            created[np.isnat(self.created)] = np.iinfo(np.int64).max  # undated leads last
            order = np.argsort(created, kind="stable")
            self.domains = KeyIndex(own.take(pa.array(order))), order
        return self.domains


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


def _email(values: Column) -> Column:
    """An e-mail as it is compared: lower case, without surrounding spaces."""
    return pc.utf8_lower(pc.utf8_trim_whitespace(values))


def _attempt(problems: list[Problem], step: Callable[[], T]) -> T | None:
    """What `step` returns, or None with its problems added to `problems`."""
    try:
        return step()
    except InputError as exc:
        problems += exc.problems
        return None


# ------------------------------------------------------------------ the exports

def read_exports(mapping: CrmMapping, leads_path: Path, deals_path: Path | None = None,
                 activities_path: Path | None = None, period: Period | Span | None = None,
                 as_of: date | None = None) -> CrmColumns:
    """The exports' columns, typed and linked; with `period`, some lead must have been created in it.
    With `as_of`, the leads export has no creation dates: it is a snapshot taken that day, and every
    lead of it counts in the period. Raises InputError listing every problem of every export."""
    mapping = _dating(mapping, leads_path, activities_path, as_of)
    deals_path = _deals_path(mapping, leads_path, deals_path)
    # The deals and activities are read and parsed beside the leads, and the activities are linked
    # to their leads there too, once the leads are known. Problems are reported leads first, then
    # deals, then activities, as when the files are read one after the other.
    leads_known: Future[_Leads] = Future()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export")
    deal_job = pool.submit(_read_deals, mapping, deals_path) if mapping.deals and deals_path else None
    activity_job = pool.submit(_read_activities, mapping, activities_path, leads_known) \
        if mapping.activities and activities_path else None
    pool.shutdown(wait=False)  # the two jobs run on; their results are taken below
    problems: list[Problem] = []  # every file's problems, in one run
    try:
        leads = _attempt(problems, lambda: _read_leads(mapping, leads_path))
        if leads is not None and not len(leads):  # nothing to link the deals and activities to
            problems += _no_rows(mapping, leads_path, leads.created, period, as_of)
            leads = None
        if leads is not None:
            leads_known.set_result(leads)
    finally:
        leads_known.cancel()  # when the leads failed: the activities stop waiting for them
    deal_rows = _attempt(problems, deal_job.result) if deal_job else None
    if leads is None or problems:
        if activity_job is not None:  # its own file's problems, found before it waits for the leads
            try:
                _attempt(problems, activity_job.result)
            except CancelledError:
                pass
        raise InputError(list(dict.fromkeys(problems)))  # a deals export that is the leads export: once
    # what the files say together: each check that fails adds its problems, and the others go on
    _attempt(problems, lambda: _status_columns_match(mapping, leads.export))
    deals = _attempt(problems, lambda: _link_deals(mapping, deal_rows, leads)) if deal_rows is not None else None
    stages = _lead_stages(mapping, leads, problems)
    if as_of is not None and not len(leads):
        problems.append(Problem(str(leads_path), say("crm.no_leads"), found=say("crm.only_header"),
                                expected=say("crm.a_row_per_lead")))
    elif period is not None and as_of is None:
        _attempt(problems, lambda: check_period(mapping, leads_path, leads.created, period))
    activities = _attempt(problems, activity_job.result) if activity_job else None
    first_contact = _attempt(problems, lambda: _first_contact(mapping, leads))
    if problems:
        raise InputError(problems)
    m, export = mapping.leads, leads.export
    names = {c: _names(export[c]) for c in (m.channel, m.segment, m.reason) if c and c in export}

    def named(column: str | None) -> Names | None:
        return names.get(column) if column else None

    lead_columns = LeadColumns(
        leads.created, stages, {s: r.deal for s, r in m.stages.items() if r.deal} if deals is not None else {},
        first_contact, named(m.channel), named(m.segment), named(m.reason))
    return CrmColumns(mapping.name, lead_columns, deals, activities, mapping.snapshot or as_of is not None,
                      tuple(c for c in mapping.optional_lead_columns() if c not in export), as_of)


def _no_rows(mapping: CrmMapping, leads_path: Path, created: np.ndarray, period: Period | Span | None,
             as_of: date | None) -> list[Problem]:
    """What a leads export with its header and no row lacks: a lead of the period, a row per lead."""
    if as_of is not None:
        return [Problem(str(leads_path), say("crm.no_leads"), found=say("crm.only_header"),
                        expected=say("crm.a_row_per_lead"))]
    if period is not None:
        try:
            check_period(mapping, leads_path, created, period)
        except InputError as exc:
            return exc.problems
    return [header_only(str(leads_path))]


def check_period(mapping: CrmMapping, leads_path: Path, created: np.ndarray, period: Period | Span) -> None:
    """An InputError when no lead of the export was created in the period: nothing to count, and
    never a funnel of zeros."""
    if in_period(created, period).any():
        return
    n, known = len(created), created[~np.isnat(created)]
    found = (say("crm.period.leads_between", count=f"{n:,}", first=str(known.min())[:10], last=str(known.max())[:10])
             if len(known) else say("crm.period.leads", count=f"{n:,}") if n else say("crm.only_header"))
    raise InputError.single(leads_path, say("crm.period.none", period=period), column=mapping.leads.created,
                            found=found, expected=say("crm.period.expected", first=f"{period.months[0]}-01",
                                                      last=period.end))


def export_span(mapping: CrmMapping, leads_path: Path, created: np.ndarray) -> Span:
    """The quarters the leads export's creation dates run over."""
    span = dated_span(created)
    if span is None:
        raise InputError.single(leads_path, say("crm.no_creation_date"), column=mapping.leads.created,
                                expected=say("crm.no_creation_date_expected"))
    return span


def _read_leads(mapping: CrmMapping, path: Path) -> _Leads:
    """The leads export with its keys checked and its creation dates parsed (every problem at once)."""
    m = mapping.leads
    export = read_export(path, mapping.lead_columns(), mapping.optional_lead_columns(),
                         {m.created: say("crm.as_of.hint")} if m.created else None, empty=True)
    key = export[m.key]
    blank = ~nonblank(key)
    problems: list[Problem] = export.problems(blank, m.key, say("crm.blank_key"), say("crm.blank_key_expected"))
    keys = KeyIndex(key)
    problems += export.problems(keys.repeated & ~blank, m.key, say("crm.repeated_key"),
                                say("crm.repeated_key_expected"))
    date_columns = [c for c in [m.created] if c] + [r.date for r in m.stages.values() if r.date] + \
        ([m.first_contact] if m.first_contact and m.first_contact in export else [])
    dayfirst = m.dayfirst if m.date_format else file_dayfirst(export, date_columns, m.dayfirst)
    formats = date_formats(m.date_format)
    # a lead without a creation date belongs to no quarter: counted, and left out of the quarter's figures
    created = np.full(len(export), NAT) if m.created is None else \
        _attempt(problems, lambda: parse_dates(export[str(m.created)], export.rows, export.file, str(m.created),
                                               dayfirst, formats))
    if problems or created is None:
        raise InputError(problems)
    return _Leads(export, keys, created, dayfirst, formats)


def _first_contact(mapping: CrmMapping, leads: _Leads) -> np.ndarray | None:
    """The leads export's own first-contact dates, when it has the column."""
    m, export = mapping.leads, leads.export
    if not (m.first_contact and m.first_contact in export):
        return None
    return parse_dates(export[m.first_contact], export.rows, export.file, m.first_contact, leads.dayfirst,
                       leads.formats)


def _status_columns_match(mapping: CrmMapping, export: Export) -> None:
    """A status column whose stage values, all stages together, match no row is a mapping written
    for another export (`Closed Won` against `Won`): an error listing what the column holds. One
    stage that nobody has reached yet is a real state, and counts zero."""
    by_column: dict[str, list[str]] = {}
    for rule in mapping.leads.stages.values():
        if rule.status:
            by_column.setdefault(rule.status.column, []).extend(rule.status.values)
    for column, values in by_column.items():
        matched(export[column], values, export.file, column, say("crm.values_for.stages"))


def _lead_stages(mapping: CrmMapping, leads: _Leads, problems: list[Problem]) -> dict[str, StageColumn]:
    """Each stage the leads export tells by a date, a flag or a status (a deal's stages come from the deals)."""
    out: dict[str, StageColumn] = {}
    for stage in CRM_STAGES:  # in the funnel's order, as their problems are listed
        rule = mapping.leads.stages.get(stage)
        if rule is not None and not rule.deal:
            column = _attempt(problems, functools.partial(_stage_reached, rule, leads))
            if column is not None:
                out[stage] = column
    return out


def _stage_reached(rule: StageRule, leads: _Leads) -> StageColumn:
    """Whether each lead reached a stage the leads export tells, and when (NaT where it gives no date)."""
    export = leads.export
    if rule.date:
        dates = parse_dates(export[rule.date], export.rows, export.file, rule.date, leads.dayfirst, leads.formats)
        return StageColumn(~np.isnat(dates), dates)
    none = np.full(len(leads), NAT)
    if rule.flag:
        return StageColumn(parse_flags(export[rule.flag], export.rows, export.file, rule.flag), none)
    assert rule.status is not None  # one stage may be reached by nobody yet; see _status_columns_match
    return StageColumn(one_of(export[rule.status.column], rule.status.values), none)


def _names(values: Column) -> Names:
    """The distinct names of a column and each row's: one name however it is spelled ("Google",
    "google " and "GOOGLE" are one, shown as its most frequent spelling, the same rule the channels
    file is read by); a blank cell is "(not set)"."""
    distinct, codes = encode(values)
    raw = [" ".join(str(v).split()) or NOT_SET for v in distinct.to_pylist()]
    rows = np.bincount(codes, minlength=len(raw)) if len(codes) else np.zeros(len(raw), np.int64)
    spelling: dict[str, str] = {}
    for i in sorted(range(len(raw)), key=lambda i: (-rows[i], raw[i])):
        spelling.setdefault(raw[i].casefold(), raw[i])
    names = sorted(set(spelling.values()))
    position = {name: i for i, name in enumerate(names)}
    slot = np.array([position[spelling[v.casefold()]] for v in raw], dtype=np.int64)  # "" and "(not set)" are one
    return Names(tuple(names), slot[codes] if len(codes) else np.zeros(0, np.int64), nonblank(values))


# ------------------------------------------------------------------ deals

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
    """The deals export with its status, dates and amounts parsed (every problem at once)."""
    d = mapping.deals
    assert d is not None
    raw = read_export(path, mapping.deal_columns(), [c for c in (d.lost_closed, d.lost_reason) if c],
                      empty=d.same_file)  # deals that are rows of the leads export: the leads say it
    problems: list[Problem] = []
    won: np.ndarray | None
    if d.status.all == "won":  # a won-deals export: every row is a won deal
        won, lost = np.ones(len(raw), bool), np.zeros(len(raw), bool)
    else:
        assert d.status.column is not None
        column = d.status.column
        won = _attempt(problems, lambda: matched(raw[column], d.status.won, raw.file, column,
                                                 say("crm.values_for.won")))
        # no lost deal yet is a real state of a young pipeline: shown as "0 lost" beside the won ones
        lost = one_of(raw[column], d.status.lost) if d.status.lost else np.zeros(len(raw), bool)
    dayfirst = d.dayfirst if d.date_format else \
        file_dayfirst(raw, [c for c in (d.closed, d.created, d.lost_closed) if c and c in raw], d.dayfirst)

    def dates(column: str | None) -> np.ndarray | None:
        if not (column and column in raw):
            return None
        return _attempt(problems, lambda: parse_dates(raw[column], raw.rows, raw.file, column, dayfirst,
                                                      date_formats(d.date_format)))

    closed, made = dates(d.closed), dates(d.created)
    lost_at = dates(d.lost_closed) if closed is not None else None
    if lost_at is not None and closed is not None:  # lost_at is read only when closed is
        closed = np.where(np.isnat(closed) & lost, lost_at, closed)
    amount = _attempt(problems, functools.partial(_amounts, raw, d.amount)) if d.amount else None
    if problems or won is None:
        raise InputError(problems)
    return _DealRows(raw, won, lost, closed, made, amount)


def _amounts(raw: Export, column: str) -> np.ndarray:
    """A deal's amount, 0 where blank."""
    amounts: np.ndarray = np.nan_to_num(parse_amounts(raw[column], raw.rows, raw.file, column))
    return amounts


def _link_deals(mapping: CrmMapping, rows: _DealRows, leads: _Leads) -> DealColumns:
    """Each deal with the position of its lead (-1 for none of the export's leads)."""
    d = mapping.deals
    assert d is not None
    raw = rows.export
    if d.same_file:
        codes = np.arange(len(leads)) if not d.key else leads.keys.positions(raw[d.key])
    elif d.lead:
        lead = raw[d.lead]
        if pc.any(pc.match_substring(lead, ";")).as_py():  # a deal with several contacts: the first is its lead
            lead = pc.utf8_trim_whitespace(pc.replace_substring_regex(lead, ";.*", ""))
        codes = leads.positions(lead, d.lead_by, mapping.leads)
        _some_linked(codes >= 0, raw, d.lead, leads, mapping.leads, d.lead_by, "deals")
    else:  # the lead names its deal
        deal_key = mapping.leads.deal_key
        if d.key is None or deal_key is None or deal_key not in leads.export:
            raise InputError.single(raw.file, say("crm.link.deals_unlinkable"), column=deal_key,
                                    expected=say("crm.link.deals_unlinkable_expected", column=deal_key))
        codes = np.where(nonblank(raw[d.key]), KeyIndex(leads.export[deal_key]).positions(raw[d.key]), -1)
        _some_linked(codes >= 0, raw, d.key, leads, mapping.leads, "deal_key", "deals")
    reason = _names(raw[d.lost_reason]) if d.lost_reason and d.lost_reason in raw else None
    return DealColumns(codes, rows.won, rows.lost, rows.closed, rows.made, rows.amount, reason, d.status.all == "won")


# ------------------------------------------------------------------ activities

def _read_activities(mapping: CrmMapping, path: Path, leads_known: Future[_Leads]) -> ActivityColumns:
    """The activities export with its dates and types parsed, linked to the leads once they are read."""
    a = mapping.activities
    assert a is not None
    raw = read_export(path, mapping.activity_columns())
    problems: list[Problem] = []
    when = _attempt(problems, lambda: parse_dates(raw[a.timestamp], raw.rows, raw.file, a.timestamp, a.dayfirst,
                                                  date_formats(a.date_format)))
    contact = _attempt(problems, functools.partial(matched, raw[a.type], a.contact_types, raw.file, a.type,
                                                   say("crm.values_for.contacts"))) \
        if a.type and a.contact_types else np.ones(len(raw), bool)
    if problems or when is None or contact is None:
        raise InputError(problems)
    leads = leads_known.result()
    codes = leads.positions(raw[a.lead], a.lead_by, mapping.leads)
    _some_linked(codes >= 0, raw, a.lead, leads, mapping.leads, a.lead_by, "activities")
    return ActivityColumns(codes, when, contact)


def _some_linked(known: np.ndarray, raw: Export, column: str, leads: _Leads, m: LeadsMap, by: str,
                 what: str) -> None:
    """An InputError when not one row of a deals or activities export points to a lead of the leads
    export (`by` "deal_key": is named by a lead): the exports are keyed differently (an e-mail against
    an id), and every figure resting on them would be zero. Shows a few keys of each side; never an
    e-mail or a domain."""
    if not len(known) or known.any():
        return

    def sample(values: Column, n: int = 3) -> str:
        seen = [v for v in dict.fromkeys(values.to_pylist()[:1000]) if v][:n]
        return ", ".join(repr(v) for v in seen) or "(blank)"

    export = say(f"crm.link.{what}")
    if by == "deal_key":  # the leads name their deals: the deals' keys against the leads' column naming them
        raise InputError.single(raw.file, say("crm.link.unnamed", what=export), column=column,
                                found=say("crm.link.named_found", here=sample(raw[column], 2),
                                          theirs=sample(leads.export[str(m.deal_key)], 2)),
                                expected=say("crm.link.named_expected", column=m.deal_key))
    if by == "key":
        found = say("crm.link.keys_found", here=sample(raw[column]), theirs=sample(leads.export[m.key]))
        key = m.key
    elif by == "email":
        found, key = say("crm.link.no_email", count=f"{len(known):,}"), say("crm.link.by_email")
    else:
        personal = int((~nonblank(_domain(raw[column])) & nonblank(raw[column])).sum())
        found = say("crm.link.no_domain", count=f"{len(known):,}") + (
            " " + say("crm.link.personal", count=f"{personal:,}") if personal else "")
        key = say("crm.link.by_domain")
    raise InputError.single(raw.file, say("crm.link.unlinked", what=export), column=column,
                            found=found, expected=say("crm.link.unlinked_expected", what=export, name=key))
