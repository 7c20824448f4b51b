"""What a quarter's CRM exports say, as a typed record: `crm_summary.json`.

`smarketing-assess crm` derives it from lead-level exports and writes it beside the
funnel.csv and channels.csv it also derives; the assessment reads it back through
`CrmSummary.from_json`, which validates every field, so no figure is looked up by a
string key that may not be there.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from smarketing_assess.core.errors import InputError

CRM_SUMMARY_SCHEMA = 3  # 3: `as_of`, the day an export without creation dates was taken
MIN_LINKED = 0.8  # of the activities, the share that must point to a lead of the export for follow-up figures
PARTIAL_DAYS = 45  # a deals or activities export ending this many days before the leads' is a partial export


@dataclass
class CrmFollowup:
    """How fast and how often sales contacted the leads handed over (MQLs) in the quarter."""

    handed_over: int
    followed_up: int
    share_followed_up: float | None
    median_hours: float | None  # to first contact, over the leads contacted
    p90_hours: float | None
    sla_hours: float
    share_within_sla: float | None  # of the leads handed over
    median_attempts: float | None = None
    mean_attempts: float | None = None
    hours_basis: int = 0  # the leads contacted with a time to first contact: what the hours' median is over


@dataclass
class CrmDeals:
    """Deals closed in the quarter."""

    won: int
    lost: int | None  # None: the export holds won deals only, and says nothing of the deals lost
    win_rate: float | None
    median_days_to_won: float | None
    mean_days_to_won: float | None
    revenue_won: float | None = None
    days_basis: int = 0  # the won deals the days to won are over (their lead known, not won before it)


@dataclass
class CrmSpanRow:
    """One quarter of an export's history, or the whole span at once: the leads created in it and
    how far they got, follow-up, and the deals closed in it (None where the export cannot say)."""

    period: str
    leads: int
    customers: int | None = None
    handed_over: int | None = None
    followed_up: int | None = None
    median_hours: float | None = None  # to first contact, over all the leads contacted in the span
    won: int | None = None
    lost: int | None = None  # None for a won-deals export: no win rate
    hours_basis: int | None = None  # the leads contacted the median hours are over


@dataclass
class CrmHistoryView:
    """An export's whole history or a range of quarters, beside the quarter the summary is for:
    each quarter's row, the whole span's (medians over all its leads, never averaged from the
    quarters), and the channels over the span."""

    span: str
    quarters: list[CrmSpanRow]
    whole: CrmSpanRow
    channels: list[dict[str, Any]] = field(default_factory=list)  # channel, leads, customers


@dataclass
class CrmSummary:
    """What a CRM export says about one quarter (all counts are numbers of leads or deals)."""

    period: str
    mapping: str
    view: str = "cohort"
    stages: list[str] = field(default_factory=list)  # funnel.csv columns derived, in order
    cohort: dict[str, dict[str, float | None]] = field(default_factory=dict)  # month -> column -> value
    flow: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> stage -> leads entering it
    channels: list[dict[str, Any]] = field(default_factory=list)
    segments: list[dict[str, Any]] = field(default_factory=list)
    followup: CrmFollowup | None = None
    deals: CrmDeals | None = None
    implied: dict[str, int] = field(default_factory=dict)  # stage -> leads counted there by implication
    out_of_order: dict[str, int] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    leads_in_export: int = 0
    missing_columns: list[str] = field(default_factory=list)  # optional columns the export lacks
    rows_read: dict[str, int] = field(default_factory=dict)  # leads, deals, activities -> data rows read
    linked: dict[str, int] = field(default_factory=dict)  # deals, activities -> rows pointing to a known lead
    # figures left out because the join they rest on is too thin: figure -> (linked, rows)
    withheld: dict[str, list[int]] = field(default_factory=dict)
    # deals -> (linked, rows) when fewer than MIN_LINKED of them point to a lead: the cohort counts those only
    thinly_linked: dict[str, list[int]] = field(default_factory=dict)
    # deals, activities -> (their last date, the leads' last date) when they end PARTIAL_DAYS or more before it
    partial: dict[str, list[str]] = field(default_factory=dict)
    history: CrmHistoryView | None = None  # with `crm --history`: the export's history beside the quarter
    # month -> handed_over, within_sla (contacted within the SLA's hours), median_attempts: the monthly review's
    followup_by_month: dict[str, dict[str, float | None]] = field(default_factory=dict)
    # month -> why leads were returned or lost and deals lost, by channel: {channel, reason, count, source}
    reasons_by_month: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # the day an export without creation dates was taken (`crm --as-of`): every lead of it is the quarter's,
    # at the stage it had reached that day; the cohort is then one row, keyed by the quarter, and no flow,
    # follow-up or monthly figure is derived
    as_of: str | None = None

    def to_json(self) -> str:
        """The file's text: schema version first, NaN written as null."""
        return json.dumps({"schema_version": CRM_SUMMARY_SCHEMA, **_plain(asdict(self))}, indent=2,
                          ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "crm_summary.json") -> CrmSummary:
        """Parse and validate a summary; InputError naming the file and each field that is wrong."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError.single(source, f"not valid JSON: {exc}",
                                    expected="the file written by `smarketing-assess crm`") from None
        if not isinstance(data, dict) or data.get("schema_version") not in range(1, CRM_SUMMARY_SCHEMA + 1):
            raise InputError.single(source, "not a CRM summary this version can read",
                                    expected=f"schema_version {CRM_SUMMARY_SCHEMA} or older, written by "
                                             "`smarketing-assess crm`")
        version = data.pop("schema_version")
        for step in _STEPS[version - 1:]:
            data = step(data)
        try:
            return _adapter().validate_python(data, strict=False)
        except ValidationError as exc:
            raise InputError.single(source, "not a valid CRM summary: " + "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])) from None


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 says what each median is over and that a won-deals export has no lost deals. In
    version 1 the hours' median was over the leads contacted (`followed_up`, and a history row's
    `followed_up`), the days to won over at most the won deals (the count was not kept: taken as
    them), and a won-deals export (no win rate beside won deals) wrote 0 lost."""
    out = dict(data)
    fu = data.get("followup")
    if isinstance(fu, dict):
        out["followup"] = dict(fu, hours_basis=fu.get("followed_up", 0))
    deals = data.get("deals")
    if isinstance(deals, dict):
        won_only = deals.get("win_rate") is None and bool(deals.get("won"))
        out["deals"] = dict(deals, lost=None if won_only else deals.get("lost"), days_basis=deals.get("won", 0))
    history = data.get("history")
    if isinstance(history, dict):
        def row(r: dict[str, Any]) -> dict[str, Any]:
            return dict(r, hours_basis=r.get("followed_up"))
        out["history"] = dict(history, quarters=[row(r) for r in history.get("quarters", [])],
                              whole=row(history.get("whole") or {}))
    return out


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 names the day an export without creation dates was taken (`as_of`). Version 2 read
    only exports with creation dates: none."""
    return dict(data, as_of=None)


# the steps from each version to the next, in order: version N's file takes _STEPS[N - 1:]
_STEPS = (_v1_to_v2, _v2_to_v3)


@functools.cache
def _adapter() -> TypeAdapter[CrmSummary]:
    """The validator of `CrmSummary`, built on first use."""
    return TypeAdapter(CrmSummary)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value
