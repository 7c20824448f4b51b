"""The monthly review: the month's figures and the verdict on each commitment of the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from smarketing_assess.config.plan import PlanGoal

STATUSES = ("met", "missed", "not_measured", "shown")  # shown: a figure for the discussion, not judged


@dataclass(frozen=True)
class MonthFigures:
    """What one month's inputs say (None where they do not say)."""

    month: str  # YYYY-MM
    source: str  # funnel | crm
    counts: dict[str, float | None]  # leads, mql, sql, customers, revenue, followed_up, ...
    hours_to_first_contact: float | None = None  # median, over the month's MQLs contacted
    within_hours: int | None = None  # the month's MQLs contacted within `sla_hours` (CRM only)
    sla_hours: float | None = None
    median_attempts: float | None = None  # contact attempts per MQL handed over (CRM only)
    manual: dict[str, float] = field(default_factory=dict)  # manual.<name> -> the value reported by hand
    # why leads were returned or lost and deals lost, by channel (CRM only): {channel, reason, count, source}
    reasons: list[dict[str, Any]] = field(default_factory=list)
    reasons_known: bool = False  # the export names a reason column: no reason is then "none given"


@dataclass(frozen=True)
class Result:
    """One commitment in one month."""

    id: str  # mql_per_month, first_contact, attempts, accept_or_return, or a commitment's own id
    side: str  # marketing, sales, joint, leadership
    person: str | None
    measure: str  # what was measured: mql, within_hours, median_hours, median_attempts, or a metric
    unit: str
    committed: float | None
    delivered: float | None
    status: str  # one of STATUSES
    basis: float | None = None  # the cases a share rests on
    thin: bool = False  # a share over too few cases: shown, not judged
    remedy: str | None = None
    title: str | None = None  # a commitment's own words (the standard ones have catalog texts)
    why: str = ""  # not_measured: no_mql_column, no_contact_data, no_acceptance_data, quarterly, no_value
    hours: float | None = None  # first_contact: the hours agreed for the first contact


@dataclass(frozen=True)
class GoalDue:
    """A goal of the plan whose deadline is near (or passed without a quarterly judgement yet)."""

    goal: PlanGoal
    days_left: int
    now: float | None  # the month's value, where a month measures it


@dataclass(frozen=True)
class Review:
    """The month's scorecard."""

    month: str
    agreed_on: date
    results: list[Result]
    attainment: dict[str, tuple[int, int]]  # side -> (met, judged)
    trend: list[tuple[str, list[Result]]]  # each month of the plan so far, oldest first
    goals_due: list[GoalDue]
    source: str
    reasons: list[dict[str, Any]] = field(default_factory=list)  # the month's, most frequent first
    reasons_known: bool = False
    agreed_by: list[str] = field(default_factory=list)  # who agreed the plan in force, as its cover names them


@dataclass(frozen=True)
class MonthReview:
    """One month's commitments, judged against the plan in force at the month's end."""

    month: str
    agreed_on: str  # the date of that plan's agreement
    results: list[Result]
