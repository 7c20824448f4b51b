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
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import Problem, line_of
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.sla import SlaDraft


def metric_facts(assessment: Assessment) -> dict[str, float]:
    """The figures of an assessment a goal may be set on, with their values (those it has)."""
    return {k: float(v) for k, v in assessment.facts.items() if v is not None and not k.startswith(NOT_METRICS)}


@dataclass(frozen=True)
class Checked:
    """A plan's problems: errors stop it being agreed or used; warnings are worth a look (`undecided`, the goals
    still proposed among them, stop it being agreed)."""

    errors: list[Problem]
    warnings: list[Problem]
    undecided: list[Problem] = dataclasses.field(default_factory=list)


def check_plan(plan: Plan, lines: dict[tuple[str | int, ...], int], path: Path, assessment: Assessment,
               sla: SlaDraft) -> Checked:
    """Every problem of `plan` against the assessment it starts from, each with its line."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    undecided: list[Problem] = []
    file = str(path)

    def at(*where: str | int) -> int | None:
        return line_of(lines, where)

    facts = metric_facts(assessment)
    start = plan.agreed.date or assessment.quarter.end
    seen: dict[str, int] = {}
    metrics: dict[str, str] = {}
    for i, goal in enumerate(plan.goals):
        if goal.id in seen:
            errors.append(Problem(file, say("plan.goal_twice", id=goal.id), row=at("goals", i, "id"),
                                  found=say("plan.also_at_line", line=at("goals", seen[goal.id], "id")),
                                  expected=say("plan.one_entry")))
            continue
        seen[goal.id] = i
        if goal.status == "dropped":
            continue
        if goal.status == "proposed":
            undecided.append(Problem(file, say("plan.proposed", id=goal.id), row=at("goals", i, "status"),
                                     expected=say("plan.decide"), severity="warning"))
            warnings.append(undecided[-1])
        errors += _goal_problems(goal, i, at, file, facts, start)
        if goal.status in DECIDED:
            if goal.metric in metrics:
                warnings.append(Problem(file, say("plan.same_figure", first=metrics[goal.metric], second=goal.id),
                                        row=at("goals", i, "metric"), found=goal.metric,
                                        expected=say("plan.same_figure_expected")))
            metrics.setdefault(goal.metric, goal.id)
    for i, c in enumerate(plan.sla.commitments):
        if not c.metric.startswith(MANUAL) and c.metric not in facts:
            errors.append(_unknown_metric(file, at("sla", "commitments", i, "metric"), c.metric, facts))
        elif c.better is None and direction(c.metric) is None:
            errors.append(Problem(file, say("plan.commitment_better", id=c.id), row=at("sla", "commitments", i),
                                  expected=say("plan.better_expected")))
    warnings += _mql_warnings(plan, sla, file, at)
    if plan.sla.sales.first_contact_hours is None:
        warnings.append(Problem(file, say("plan.no_first_contact"), row=at("sla", "sales"),
                                expected=say("plan.first_contact_expected", hours=f"{sla.followup_sla_hours:g}")))
    return Checked(errors, [dataclasses.replace(w, severity="warning") for w in warnings], undecided)


def _goal_problems(goal: PlanGoal, i: int, at: Callable[..., int | None], file: str, facts: dict[str, float],
                   start: date) -> list[Problem]:
    problems: list[Problem] = []
    manual = goal.metric.startswith(MANUAL)
    if not manual and goal.metric not in facts:
        return [_unknown_metric(file, at("goals", i, "metric"), goal.metric, facts)]
    if goal.owner is None:
        problems.append(Problem(file, say("plan.no_owner", id=goal.id), row=at("goals", i),
                                expected=say("plan.owner_expected")))
    if goal.status == "added" and not goal.title:
        problems.append(Problem(file, say("plan.no_title", id=goal.id), row=at("goals", i),
                                expected=say("plan.title_expected")))
    if manual and goal.unit is None:
        problems.append(Problem(file, say("plan.no_unit", id=goal.id), row=at("goals", i, "metric"),
                                expected=say("plan.unit_expected", units=", ".join(UNITS))))
    known = direction(goal.metric)
    better = goal.better or known
    if better is None:
        problems.append(Problem(file, say("plan.goal_better", id=goal.id), row=at("goals", i, "metric"),
                                expected=say("plan.better_expected")))
    elif goal.better is not None and known is not None and goal.better != known:
        problems.append(Problem(file, say("plan.is_better", id=goal.id, metric=goal.metric, known=known),
                                row=at("goals", i, "better"), found=goal.better, expected=known))
    baseline = goal.baseline if goal.baseline is not None else facts.get(goal.metric)
    if baseline is None:
        problems.append(Problem(file, say("plan.no_baseline", id=goal.id), row=at("goals", i),
                                expected=say("plan.baseline_expected")))
    elif better is not None and ((goal.target <= baseline) if better == "higher" else (goal.target >= baseline)):
        problems.append(Problem(file, say("plan.no_improvement", id=goal.id), row=at("goals", i, "target"),
                                found=say("plan.target_against", target=f"{goal.target:g}", baseline=f"{baseline:g}"),
                                expected=say("plan.target_above" if better == "higher" else "plan.target_below",
                                             baseline=f"{baseline:g}")))
    if goal.deadline <= start:
        problems.append(Problem(file, say("plan.deadline_early", id=goal.id), row=at("goals", i, "deadline"),
                                found=goal.deadline.isoformat(), expected=say("plan.date_after",
                                                                              date=start.isoformat())))
    return problems


def _mql_warnings(plan: Plan, sla: SlaDraft, file: str, at: Callable[..., int | None]) -> list[Problem]:
    """Marketing's MQLs a month against what the revenue goal needs (none when the client tracks no MQLs,
    so the draft SLA asks for none)."""
    needed, committed = sla.monthly("mql"), plan.sla.marketing.mql_per_month
    if needed is None:
        return []
    if committed is None:
        return [Problem(file, say("plan.no_mql"), row=at("sla", "marketing"),
                        expected=say("plan.mql_expected", needed=_month(needed)))]
    if committed < needed:
        return [Problem(file, say("plan.fewer_mql"), row=at("sla", "marketing", "mql_per_month"), found=str(committed),
                        expected=say("plan.fewer_mql_expected", needed=_month(needed),
                                     quarter=f"{sla.quarterly('mql'):.0f}"))]
    return []


def _month(value: float) -> str:
    """A month's share of a quarter's volume as a warning says it: one decimal, none when whole (180, 8.3)."""
    return f"{value:,.1f}".removesuffix(".0")


def _unknown_metric(file: str, row: int | None, metric: str, facts: dict[str, float]) -> Problem:
    close = difflib.get_close_matches(metric, list(facts), n=3, cutoff=0.5)
    return Problem(file, say("plan.no_such_figure"), row=row, found=metric,
                   expected=say("plan.figure_one_of", names=", ".join(close), manual=MANUAL) if close else
                   say("plan.figure_listed", manual=MANUAL))


def in_force(versions: dict[date, Plan], when: date) -> tuple[date, Plan] | None:
    """Of the agreed versions (by date of agreement), the one in force on `when`: the latest agreed
    on or before it."""
    earlier = [d for d in versions if d <= when]
    return (max(earlier), versions[max(earlier)]) if earlier else None
