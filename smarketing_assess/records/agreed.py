"""The agreed plan as a quarter shows it: each goal as agreed (or dropped), and the targets changed since."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.config.plan import DECIDED


@dataclass(frozen=True)
class AgreedGoal:
    """One goal of the plan as agreed (or dropped)."""

    id: str
    status: str  # accepted, changed, added, dropped
    title: str | None  # the plan's own words (an added goal); a suggestion's words come from the playbook
    metric: str
    unit: str
    better: str
    baseline: float | None
    target: float
    deadline: str  # ISO date
    owner: str | None  # marketing, sales, joint, leadership
    person: str | None
    suggested_target: float | None = None  # what the assessment suggested, when it differs
    suggested_deadline: str | None = None


@dataclass(frozen=True)
class TargetChange:
    """A goal's target or deadline changed by a later agreement."""

    goal: str
    agreed_on: str  # the date of the agreement that changed it
    target_before: float
    target_after: float
    deadline_before: str
    deadline_after: str


@dataclass(frozen=True)
class AgreedPlan:
    """The plan a quarter shows: when and by whom it was agreed, its goals, and its SLA."""

    agreed_on: str
    by: list[str]
    baseline: str  # the quarter whose suggestions it started from
    goals: list[AgreedGoal]
    mql_per_month: int | None
    first_contact_hours: float | None
    first_contact_share: float | None  # None: the plan names no share
    attempts: int | None
    accept_or_return_days: float | None
    review: str | None
    changes: list[TargetChange]  # every change of a target or deadline up to this version, oldest first


def active(plan: AgreedPlan) -> list[AgreedGoal]:
    """The goals the teams are held to (not the dropped ones)."""
    return [g for g in plan.goals if g.status in DECIDED]
