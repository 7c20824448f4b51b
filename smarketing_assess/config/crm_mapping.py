"""How a CRM export's columns map onto the funnel: a small, validated YAML file.

Presets for common CRMs live in `templates/crm/`; a consultant can copy one (or
`generic.yaml`) and adjust it. Each funnel stage is recognised in one of four ways:

    mql: {date: "Became a Marketing Qualified Lead Date"}   # reached when the date is filled
    sal: {flag: "Accepted"}                                  # reached when yes / 1 / true / x
    sql: {status: {column: "Lead Status", values: [SQL, Opportunity, Customer]}}
    customer: {deal: won}                                    # reached when a won deal points to the lead

Only the columns a mapping names are ever read from an export: personal columns
(names, e-mails, phones) are not loaded at all.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.stages import CRM_STAGES, CrmStage
from smarketing_assess.core.yamlfile import load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatusRule(_Strict):
    """A stage reached when `column` holds one of `values` (compared without case)."""

    column: str
    values: list[str] = Field(min_length=1)


class StageRule(_Strict):
    """Exactly one way of telling that a lead reached the stage."""

    date: str | None = None
    flag: str | None = None
    status: StatusRule | None = None
    deal: Literal["any", "won"] | None = None

    @model_validator(mode="after")
    def _one(self) -> StageRule:
        given = [k for k in ("date", "flag", "status", "deal") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(say("crm.mapping.one_rule", found=", ".join(given) or "-"))
        return self


class LeadsMap(_Strict):
    """The leads export's columns: the key it must have, the creation date, the optional ones, and each stage's rule."""

    key: str
    # when each lead was created: it puts the lead in its quarter. An export without one is read as a
    # snapshot of the stated quarter, taken on the day `crm --as-of` gives: every lead counts in it
    created: str | None = None
    channel: str | None = None
    owner: str | None = None
    segment: str | None = None
    # a date column with the first sales contact, when the export has one
    first_contact: str | None = None
    # a column on the lead naming its deal (Salesforce's Converted Opportunity ID), when the
    # deals export has no column pointing back to the lead
    deal_key: str | None = None
    # the lead's e-mail, when deals or activities point to leads by e-mail (`lead_by: email`);
    # compared without case or spaces, held in memory only and never written anywhere
    email: str | None = None
    # the company's domain or website on the lead, when deals or activities point to leads by domain
    # (`lead_by: domain`); where it is blank or not given, the domain of `email`. Held in memory
    # only, like e-mails.
    domain: str | None = None
    # why a lead was returned, disqualified or lost (a lead status or disqualification reason column):
    # shown by channel in the monthly review, as sales' feedback on lead quality
    reason: str | None = None
    stages: dict[CrmStage, StageRule] = Field(default_factory=dict)
    # true for 31/01/2026, false for 01/31/2026; needed only when every date could be read both ways
    dayfirst: bool | None = None
    # the export's date format(s) when they are not ISO, day/month or month/day: "%Y.%m.%d" or a list
    date_format: str | list[str] | None = None


# what a deals or activities export's `lead` column holds
LeadBy = Literal["key", "email", "domain"]


class DealStatus(_Strict):
    """The deals export's status column and which of its values mean won and lost, or `all: won`
    for an export of won deals only (no status column; the win rate is then not measurable)."""

    column: str | None = None
    won: list[str] = Field(default_factory=list)
    lost: list[str] = Field(default_factory=list)
    all: Literal["won"] | None = None

    @model_validator(mode="after")
    def _column_or_all(self) -> DealStatus:
        if self.all is None and (self.column is None or not self.won):
            raise ValueError(say("crm.mapping.status_column_or_all"))
        if self.all is not None and (self.column is not None or self.won or self.lost):
            raise ValueError(say("crm.mapping.all_won_alone"))
        return self


class DealsMap(_Strict):
    """The deals export's columns, and how each deal is linked to its lead."""

    key: str | None = None
    lead: str | None = None  # the column holding the lead's key (or see leads.deal_key)
    lead_by: LeadBy = "key"  # what `lead` holds: the lead's key, its e-mail, or its company's domain
    # the deals are rows of the leads export itself (a Pipedrive deals export is both)
    same_file: bool = False
    status: DealStatus
    created: str | None = None
    closed: str | None = None  # won or close date
    # where a lost deal's date is kept apart (Pipedrive's "Deal - Lost time"), used when `closed` is blank
    lost_closed: str | None = None
    amount: str | None = None
    lost_reason: str | None = None  # why a deal was lost (read when the export has it)
    dayfirst: bool | None = None
    date_format: str | list[str] | None = None


class ActivitiesMap(_Strict):
    """The activities export's columns, for follow-up speed and the number of contact attempts."""

    lead: str
    lead_by: LeadBy = "key"  # what `lead` holds: the lead's key, its e-mail, or its company's domain
    timestamp: str
    type: str | None = None
    # activity types that count as a contact attempt (all of them when not given)
    contact_types: list[str] | None = None
    dayfirst: bool | None = None
    date_format: str | list[str] | None = None


class CrmMapping(_Strict):
    """A whole mapping file: how one CRM's leads, deals and activities exports map onto the funnel."""

    name: str
    description: str = ""
    # true when the stages are read from each lead's current state (a lifecycle stage column), not
    # from dates: the figures are a snapshot at the time of the export, and the report says so
    snapshot: bool = False
    leads: LeadsMap
    deals: DealsMap | None = None
    activities: ActivitiesMap | None = None

    @model_validator(mode="after")
    def _deal_stages_need_deals(self) -> CrmMapping:
        if self.deals is None and any(r.deal for r in self.leads.stages.values()):
            raise ValueError(say("crm.mapping.deal_stage_needs_deals"))
        if self.deals is not None and not (self.deals.lead or self.leads.deal_key or self.deals.same_file):
            raise ValueError(say("crm.mapping.deals_need_lead"))
        by = {s.lead_by for s in (self.deals, self.activities) if s is not None}
        if self.leads.email is None and "email" in by:
            raise ValueError(say("crm.mapping.email_needs_column"))
        if self.leads.email is None and self.leads.domain is None and "domain" in by:
            raise ValueError(say("crm.mapping.domain_needs_column"))
        return self

    def lead_columns(self) -> list[str]:
        """The columns a leads export must have."""
        m = self.leads
        cols: list[str | None] = [m.key, m.created, m.email, m.domain]
        for rule in m.stages.values():
            cols += [rule.date, rule.flag, rule.status.column if rule.status else None]
        return _unique(cols)

    def optional_lead_columns(self) -> list[str]:
        """Columns read when present (their figures are left out otherwise)."""
        m = self.leads
        return [c for c in _unique([m.channel, m.owner, m.segment, m.first_contact, m.deal_key, m.reason])
                if c not in self.lead_columns()]

    def deal_columns(self) -> list[str]:
        """The columns a deals export must have (none without a deals section)."""
        d = self.deals
        return [] if d is None else _unique([d.key, d.lead, d.status.column, d.created, d.closed, d.amount])

    def activity_columns(self) -> list[str]:
        """The columns an activities export must have (none without an activities section)."""
        a = self.activities
        return [] if a is None else _unique([a.lead, a.timestamp, a.type])


def date_formats(given: str | list[str] | None) -> tuple[str, ...] | None:
    """A mapping's `date_format` as a tuple of strptime formats (None: read dates by their shape)."""
    if given is None:
        return None
    return (given,) if isinstance(given, str) else tuple(given)


def _unique(cols: list[str | None]) -> list[str]:
    out: list[str] = []
    for c in cols:
        if c and c not in out:
            out.append(c)
    return out


def presets_dir() -> Path:
    """The folder of the mapping presets shipped with the package, `templates/crm/`."""
    return templates_dir() / "crm"


def preset_names() -> list[str]:
    """The names of the shipped presets (file names without `.yaml`), sorted."""
    return sorted(p.stem for p in presets_dir().glob("*.yaml"))


def load_mapping(path: Path) -> CrmMapping:
    """Read and validate a mapping file; every problem is reported at once. Read afresh each time:
    a consultant may edit it between runs in one session."""
    data = load_yaml(path)
    if not isinstance(data, dict):  # some other file named by mistake: say so, without quoting it
        raise InputError.single(path, say("crm.mapping.not_a_mapping"), found=f"YAML {type(data).__name__}",
                                expected=say("crm.mapping.not_a_mapping_expected"))
    try:
        return CrmMapping.model_validate(data)
    except ValidationError as exc:
        raise InputError([mapping_problem(str(path), e) for e in exc.errors()]) from None


# what each key a mapping must have is for, said when it is missing (console texts crm.mapping.purpose.*)
_PURPOSES = {"name": "name", "leads": "leads", "leads.key": "key", "deals.status": "deal_status",
             "activities.lead": "activity_lead", "activities.timestamp": "timestamp",
             "status.column": "status_column", "status.values": "status_values"}

# what a value of each kind must be, said when it is something else (console texts crm.mapping.kind.*)
_KINDS = {"string_type": "text", "bool_type": "bool", "bool_parsing": "bool", "list_type": "list",
          "too_short": "too_short", "model_type": "section", "dict_type": "section", "model_attributes_type": "section"}


def _section(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The part of a mapping a key's place is in (None for a place that is not a section)."""
    parent = tuple(str(p) for p in loc)
    if len(parent) == 3 and parent[:2] == ("leads", "stages"):
        return StageRule
    if len(parent) == 4 and parent[:2] == ("leads", "stages") and parent[3] == "status":
        return StatusRule
    sections: dict[tuple[str, ...], type[BaseModel]] = {
        (): CrmMapping, ("leads",): LeadsMap, ("deals",): DealsMap, ("activities",): ActivitiesMap,
        ("deals", "status"): DealStatus}
    return sections.get(parent)


def mapping_problem(file: str, error: Any) -> Problem:
    """One of pydantic's findings in a mapping file, said in the mapping's own terms: which key, what it
    is for or what it must hold, and what was found (never pydantic's own wording of it)."""
    loc = tuple(p for p in error["loc"] if p != "[key]")
    key = ".".join(str(p) for p in loc)
    found = repr(error.get("input"))[:80]
    kind = error["type"]
    if kind == "missing":
        purpose = _PURPOSES.get(key) or _PURPOSES.get(".".join(str(p) for p in loc[-2:]))
        return Problem(file, say("crm.mapping.missing", name=key),
                       expected=say(f"crm.mapping.purpose.{purpose}") if purpose else None)
    if kind == "extra_forbidden":
        section = _section(loc[:-1])
        allowed = ", ".join(section.model_fields) if section else ""
        near = difflib.get_close_matches(str(loc[-1]), list(section.model_fields) if section else [], n=1)
        return Problem(file, say("crm.mapping.not_a_key", name=key), found=str(loc[-1]),
                       expected=say("crm.mapping.near", near=near[0], items=allowed) if near
                       else say("crm.mapping.one_of", items=allowed))
    if "[key]" in error["loc"] and loc[:2] == ("leads", "stages"):
        return Problem(file, say("crm.mapping.not_a_stage", name=key), found=str(loc[-1]),
                       expected=say("crm.mapping.one_of", items=", ".join(CRM_STAGES)))
    if kind == "literal_error":
        values = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected")))
        return Problem(file, say("crm.mapping.bad_value", name=key), found=found,
                       expected=say("crm.mapping.one_of", items=", ".join(values)))
    if kind == "value_error":  # the mapping's own rules: their words are this module's, said in the console's
        return Problem(file, (f"'{key}': " if key else "") + str(error["msg"]).removeprefix("Value error, "))
    return Problem(file, say("crm.mapping.wrong_kind", name=key or "(file)"), found=found,
                   expected=say(f"crm.mapping.kind.{_KINDS[kind]}") if kind in _KINDS else str(error["msg"]))


_preset = cache(load_mapping)  # the presets ship with the package and do not change


def resolve_mapping(spec: str) -> CrmMapping:
    """A preset name (`hubspot`) or a path to a mapping file."""
    if spec in preset_names():
        return _preset(presets_dir() / f"{spec}.yaml")
    path = Path(spec)
    if not path.is_file():
        raise InputError.single(spec, say("crm.mapping.no_such"),
                                expected=say("crm.mapping.no_such_expected", presets=", ".join(preset_names())))
    return load_mapping(path)


def normalise(header: str) -> str:
    """Headers compare without case, extra spaces, a trailing '*', BOM, or en dashes and curly quotes."""
    text = header.replace("\ufeff", "").replace("\u2013", "-").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).rstrip("*").strip().replace("'", '"').casefold()


def alternatives(spec: str) -> list[str]:
    """A mapping column may name alternatives, for exports that renamed a column: `Record ID | Contact ID`."""
    return [a.strip() for a in spec.split(" | ") if a.strip()]


def closest_headers(wanted: list[str], headers: list[str], n: int = 3) -> list[str]:
    """The headers (normalised) nearest to a missing column: those sharing the most words with
    any of its names first ('Lead ID' -> 'Id', not 'Email'), then the most similar spellings."""
    words = [set(re.findall(r"\w+", normalise(w))) for w in wanted]

    def score(header: str) -> tuple[int, float, float]:  # shared words, their share of it, then spelling
        own = set(re.findall(r"\w+", header)) or {""}
        best = max(len(ws & own) for ws in words)
        spelling = max(difflib.SequenceMatcher(None, normalise(w), header).ratio() for w in wanted)
        return best, best / len(own), spelling

    ranked = sorted(headers, key=lambda h: tuple(-x for x in score(h)))
    out = [h for h in ranked if score(h)[0] > 0]
    for h in difflib.get_close_matches(normalise(wanted[0]), headers, n=n, cutoff=0.5):
        if h not in out:
            out.append(h)
    return out[:n]


def match_columns(wanted: list[str], headers: list[str], file: str,
                  hints: dict[str, str] | None = None) -> dict[str, str]:
    """Map each wanted column to the file's header (ignoring case and spacing; the first of its
    alternatives present); every missing column is reported with the closest headers present
    (and its hint, what else may be done without it)."""
    by_norm = {normalise(h): h for h in headers}
    found, problems = {}, []
    for w in wanted:
        h = next((by_norm[normalise(a)] for a in alternatives(w) if normalise(a) in by_norm), None)
        if h is None:
            close = closest_headers(alternatives(w), list(by_norm))
            nearest = say("crm.columns.closest", headers=", ".join(by_norm[c] for c in close)) if close \
                else say("crm.columns.none_close")
            problems.append(Problem(file, say("crm.columns.missing", column=w), row=1,
                                    expected=nearest + (f"; {hints[w]}" if hints and w in hints else "")))
        else:
            found[w] = h
    if problems:
        raise InputError(problems)
    return found


def auto_mapping(headers: list[str], undated: bool = False) -> tuple[CrmMapping, str]:
    """The preset whose lead columns all appear among the headers (the most specific wins; the
    generic layout only when no CRM's own preset matches); `undated`: an export without creation
    dates, which a preset matches without its creation date column."""
    present = {normalise(h) for h in headers}
    best: tuple[int, int, str] | None = None
    for name in preset_names():
        mapping = _preset(presets_dir() / f"{name}.yaml")
        wanted = [[normalise(a) for a in alternatives(c)] for c in mapping.lead_columns()
                  if not (undated and c == mapping.leads.created)]
        rank = (0 if name == "generic" else 1, len(wanted), name)
        if all(any(a in present for a in alts) for alts in wanted) and (best is None or rank[:2] > best[:2]):
            best = rank
    if best is None:
        raise InputError.single("--mapping auto", say("crm.mapping.no_preset"),
                                found=", ".join(headers[:12]) + (" ..." if len(headers) > 12 else ""),
                                expected=say("crm.mapping.no_preset_expected", presets=", ".join(preset_names())))
    return _preset(presets_dir() / f"{best[2]}.yaml"), best[2]
