"""The agreed plan against an assessment (pure): is every goal measurable and on the right side of
its baseline, does the SLA meet the revenue goal, and which version was in force when.

`check_plan` returns every problem of a plan at once, errors and warnings, each naming the
line of `plan.yaml` it is about; `metric_facts` lists what a goal may be set on; `in_force`
picks, of the agreed versions, the one a month or a quarter is judged against.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smarketing_assess.config.metrics import MANUAL, NOT_METRICS, direction
from smarketing_assess.config.plan import DECIDED, UNITS, Plan, PlanGoal
from smarketing_assess.core.errors import Problem, line_of
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.sla import SlaDraft


def metric_facts(assessment: Assessment) -> dict[str, float]:
    """The figures of an assessment a goal may be set on, with their values (those it has)."""
    return {k: float(v) for k, v in assessment.facts.items() if v is not None and not k.startswith(NOT_METRICS)}


@dataclass(frozen=True)
class Checked:
    """A plan's problems: errors stop it being agreed or used; warnings are worth a look."""

    errors: list[Problem]
    warnings: list[Problem]


def check_plan(plan: Plan, lines: dict[tuple[str | int, ...], int], path: Path, assessment: Assessment,
               sla: SlaDraft) -> Checked:
    """Every problem of `plan` against the assessment it starts from, each with its line."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    file = str(path)

    def at(*where: str | int) -> int | None:
        return line_of(lines, where)

    facts = metric_facts(assessment)
    start = plan.agreed.date or assessment.quarter.end
    seen: dict[str, int] = {}
    metrics: dict[str, str] = {}
    for i, goal in enumerate(plan.goals):
        if goal.id in seen:
            errors.append(Problem(file, f"goal '{goal.id}' appears twice", row=at("goals", i, "id"),
                                  found=f"also at line {at('goals', seen[goal.id], 'id')}",
                                  expected="one entry per goal, each with its own id"))
            continue
        seen[goal.id] = i
        if goal.status == "dropped":
            continue
        if goal.status == "proposed":
            warnings.append(Problem(file, f"goal '{goal.id}' is still proposed: not decided yet",
                                    row=at("goals", i, "status"), expected="accepted, changed or dropped"))
        errors += _goal_problems(goal, i, at, file, facts, start)
        if goal.status in DECIDED:
            if goal.metric in metrics:
                warnings.append(Problem(file, f"goals '{metrics[goal.metric]}' and '{goal.id}' are set on the same "
                                        "figure", row=at("goals", i, "metric"), found=goal.metric,
                                        expected="one goal per figure, or different deadlines on purpose"))
            metrics.setdefault(goal.metric, goal.id)
    for i, c in enumerate(plan.sla.commitments):
        if not c.metric.startswith(MANUAL) and c.metric not in facts:
            errors.append(_unknown_metric(file, at("sla", "commitments", i, "metric"), c.metric, facts))
        elif c.better is None and direction(c.metric) is None:
            errors.append(Problem(file, f"commitment '{c.id}': say which way is better",
                                  row=at("sla", "commitments", i), expected="better: higher or better: lower"))
    warnings += _mql_warnings(plan, sla, file, at)
    if plan.sla.sales.first_contact_hours is None:
        warnings.append(Problem(file, "sales commits to no time for the first contact", row=at("sla", "sales"),
                                expected=f"first_contact_hours (the draft SLA says {sla.followup_sla_hours:g})"))
    return Checked(errors, [dataclasses.replace(w, severity="warning") for w in warnings])


def _goal_problems(goal: PlanGoal, i: int, at: Callable[..., int | None], file: str, facts: dict[str, float],
                   start: date) -> list[Problem]:
    problems: list[Problem] = []
    manual = goal.metric.startswith(MANUAL)
    if not manual and goal.metric not in facts:
        return [_unknown_metric(file, at("goals", i, "metric"), goal.metric, facts)]
    if goal.owner is None:
        problems.append(Problem(file, f"goal '{goal.id}' has no owner", row=at("goals", i),
                                expected="owner: {team: marketing, sales, joint or leadership, person: optional}"))
    if goal.status == "added" and not goal.title:
        problems.append(Problem(file, f"goal '{goal.id}' has no title", row=at("goals", i),
                                expected="title: the goal in a few words, as the report should show it"))
    if manual and goal.unit is None:
        problems.append(Problem(file, f"goal '{goal.id}' is on a figure reported by hand: say its unit",
                                row=at("goals", i, "metric"), expected=f"unit: one of {', '.join(UNITS)}"))
    known = direction(goal.metric)
    better = goal.better or known
    if better is None:
        problems.append(Problem(file, f"goal '{goal.id}': say which way is better", row=at("goals", i, "metric"),
                                expected="better: higher or better: lower"))
    elif goal.better is not None and known is not None and goal.better != known:
        problems.append(Problem(file, f"goal '{goal.id}': {goal.metric} is better {known}",
                                row=at("goals", i, "better"), found=goal.better, expected=known))
    baseline = goal.baseline if goal.baseline is not None else facts.get(goal.metric)
    if baseline is None:
        problems.append(Problem(file, f"goal '{goal.id}' has no baseline", row=at("goals", i),
                                expected="baseline: the figure today"))
    elif better is not None and ((goal.target <= baseline) if better == "higher" else (goal.target >= baseline)):
        problems.append(Problem(file, f"goal '{goal.id}': the target is not an improvement on the baseline",
                                row=at("goals", i, "target"),
                                found=f"{goal.target:g} against a baseline of {baseline:g}",
                                expected=f"a target {'above' if better == 'higher' else 'below'} {baseline:g}"))
    if goal.deadline <= start:
        problems.append(Problem(file, f"goal '{goal.id}': the deadline is not after the plan starts",
                                row=at("goals", i, "deadline"), found=goal.deadline.isoformat(),
                                expected=f"a date after {start.isoformat()}"))
    return problems


def _mql_warnings(plan: Plan, sla: SlaDraft, file: str, at: Callable[..., int | None]) -> list[Problem]:
    """Marketing's MQLs a month against what the revenue goal needs (none when the client tracks no MQLs,
    so the draft SLA asks for none)."""
    needed, committed = sla.monthly("mql"), plan.sla.marketing.mql_per_month
    if needed is None:
        return []
    if committed is None:
        return [Problem(file, "marketing commits to no number of MQLs a month", row=at("sla", "marketing"),
                        expected=f"mql_per_month (the revenue goal needs {_month(needed)})")]
    if committed < needed:
        return [Problem(file, "marketing's MQLs a month are fewer than the revenue goal needs",
                        row=at("sla", "marketing", "mql_per_month"), found=str(committed),
                        expected=f"at least {_month(needed)} a month (a third of the quarter's "
                                 f"{sla.quarterly('mql'):.0f}), or a lower revenue goal in client.yaml")]
    return []


def _month(value: float) -> str:
    """A month's share of a quarter's volume as a warning says it: one decimal, none when whole (180, 8.3)."""
    return f"{value:,.1f}".removesuffix(".0")


def _unknown_metric(file: str, row: int | None, metric: str, facts: dict[str, float]) -> Problem:
    close = difflib.get_close_matches(metric, list(facts), n=3, cutoff=0.5)
    return Problem(file, "no such figure in the assessment", row=row, found=metric,
                   expected=(f"one of {', '.join(close)}" if close else "a figure `plan metrics` lists")
                   + f", or {MANUAL}<name> for a figure reported by hand")


def in_force(versions: dict[date, Plan], when: date) -> tuple[date, Plan] | None:
    """Of the agreed versions (by date of agreement), the one in force on `when`: the latest agreed
    on or before it."""
    earlier = [d for d in versions if d <= when]
    return (max(earlier), versions[max(earlier)]) if earlier else None
