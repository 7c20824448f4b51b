"""The agreed plan as an assessment keeps it (pure): which version a quarter shows, its goals with
owners and deadlines, its SLA's numbers, and how the targets changed from one version to the next.

A quarter's report shows the plan agreed from that quarter's assessment (its `baseline`), or,
for a later quarter, the version in force at the quarter's end. Every number here is the plan's
own; the words are the presenting layer's.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from datetime import date

from smarketing_assess.config.metrics import direction, unit_of
from smarketing_assess.config.plan import DECIDED, Plan
from smarketing_assess.core.period import Period
from smarketing_assess.records.agreed import AgreedGoal, AgreedPlan, TargetChange


def agreed_plan(versions: dict[date, Plan], period: Period, facts: dict[str, float | None]) -> AgreedPlan | None:
    """The version a quarter's report shows (None before any plan): the latest agreed from this
    quarter's assessment, else the one in force at the quarter's end; a goal without a baseline of
    its own starts from this quarter's figure when the plan started from this quarter (a later
    quarter's comes from the stored baseline quarter: `with_baselines`)."""
    from_here = [d for d, p in versions.items() if p.baseline == str(period)]
    in_force = [d for d in versions if d <= period.end]
    chosen = max(from_here) if from_here else max(in_force) if in_force else None
    if chosen is None:
        return None
    plan = versions[chosen]
    goals = []
    for g in plan.goals:
        if g.status == "proposed":
            continue
        baseline = g.baseline if g.baseline is not None else g.suggested.baseline if g.suggested else None
        s = g.suggested
        changed = s is not None and (s.target != g.target or s.deadline != g.deadline)
        goals.append(AgreedGoal(g.id, g.status, g.title, g.metric, unit_of(g.metric, g.unit) or "number",
                                g.better or direction(g.metric) or "higher", baseline, g.target,
                                g.deadline.isoformat(), g.owner.team if g.owner else None,
                                g.owner.person if g.owner else None,
                                s.target if s is not None and changed else None,
                                s.deadline.isoformat() if s is not None and changed else None))
    sla = plan.sla
    return with_baselines(AgreedPlan(chosen.isoformat(), list(plan.agreed.by), plan.baseline, goals,
                                     sla.marketing.mql_per_month, sla.sales.first_contact_hours,
                                     sla.sales.first_contact_share, sla.sales.attempts,
                                     sla.sales.accept_or_return_days, sla.review, _changes(versions, chosen)),
                          str(period), facts)


def baseline_of(goal: AgreedGoal, quarter: str, baseline: str, facts: Mapping[str, float | None]) -> float | None:
    """A goal's start: the plan's own baseline, else its figure in the plan's `baseline` quarter
    (`facts` are those of `quarter`; None when they are another quarter's or lack the figure).
    The one rule for the plan's sections, the deck, the workbook and the goal's judgement."""
    if goal.baseline is not None or quarter != baseline:
        return goal.baseline
    return facts.get(goal.metric)


def with_baselines(plan: AgreedPlan, quarter: str, facts: Mapping[str, float | None]) -> AgreedPlan:
    """The plan with every goal's start decided by `baseline_of` from `quarter`'s facts (unchanged
    unless `quarter` is the plan's baseline quarter)."""
    goals = [dataclasses.replace(g, baseline=baseline_of(g, quarter, plan.baseline, facts)) for g in plan.goals]
    return dataclasses.replace(plan, goals=goals)


def _changes(versions: dict[date, Plan], up_to: date) -> list[TargetChange]:
    out: list[TargetChange] = []
    dates = sorted(d for d in versions if d <= up_to)
    for before, after in itertools.pairwise(dates):
        old = {g.id: g for g in versions[before].goals if g.status in DECIDED}
        for g in versions[after].goals:
            was = old.get(g.id)
            if g.status in DECIDED and was is not None and (was.target, was.deadline) != (g.target, g.deadline):
                out.append(TargetChange(g.id, after.isoformat(), was.target, g.target, was.deadline.isoformat(),
                                        g.deadline.isoformat()))
    return out

