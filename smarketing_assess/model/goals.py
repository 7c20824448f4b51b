"""Starting goals (pure): the playbook's rules applied to an assessment's named facts.

A goal is proposed when all its conditions hold and its metric can be measured; goals
are ordered by priority (then playbook order) and capped at `max_goals`; fallback goals
fill the list up to `min_goals`. A goal is its playbook code and its figures; its title and
reason are rendered in the reader's language by the presenting layer.

A goal whose metric or evidence is a rate over fewer than `MIN_BASIS` cases is not proposed:
it is held back, with the figure and its basis, so that the report can say what more data
it needs instead of setting a target on noise.
"""

from __future__ import annotations

from datetime import date

from smarketing_assess.config.playbook import OPS, Playbook, Rule
from smarketing_assess.records.evidence import MIN_BASIS
from smarketing_assess.records.goals import Evidence, Goal, HeldBack


def _lookup(value: float | str, facts: dict[str, float | None]) -> float | None:
    return float(value) if isinstance(value, int | float) else facts.get(value)


def _target(t: dict[str, float | str], baseline: float, facts: dict[str, float | None]) -> float | None:
    if "value" in t:
        value = float(t["value"])
    elif "value_fact" in t:
        found = facts.get(str(t["value_fact"]))
        if found is None:
            return None
        value = found
    elif "multiply" in t:
        value = baseline * float(t["multiply"])
    else:
        value = baseline + float(t["add"])
    if "at_most" in t:
        value = min(value, float(t["at_most"]))
    if "at_least" in t:
        value = max(value, float(t["at_least"]))
    return value


def propose_goals(facts: dict[str, float | None], playbook: Playbook, deadline: date,
                  bases: dict[str, float] | None = None) -> tuple[list[Goal], list[HeldBack]]:
    """The prioritised starting goals for these facts, and those held back for too few cases
    (`bases`: the cases each share-type fact is a share of)."""
    bases = bases or {}
    triggered: list[tuple[Rule, list[Evidence]]] = []
    fallbacks: list[tuple[Rule, list[Evidence]]] = []
    for rule in playbook.rules:
        evidence = []
        for c in rule.when:
            a, b = facts.get(c.fact), _lookup(c.value, facts)
            if a is None or b is None or not OPS[c.op](a, b):
                break
            evidence.append(Evidence(c.fact, a, c.op, b))
        else:
            (fallbacks if rule.fallback else triggered).append((rule, evidence))
    order = sorted(range(len(triggered)), key=lambda i: (triggered[i][0].priority, i))
    goals: list[Goal] = []
    held: list[HeldBack] = []
    used: set[str] = set()  # one goal per metric, so that each can be judged on its own
    for rule, ev in [triggered[i] for i in order] + sorted(fallbacks, key=lambda x: x[0].priority):
        if len(goals) >= (playbook.min_goals if rule.fallback else playbook.max_goals):
            continue
        g = _goal(rule, ev, facts, playbook, deadline, used)
        if g is None:
            continue
        thin = next((f for f in [g.metric, *(e.fact for e in g.evidence)] if bases.get(f, MIN_BASIS) < MIN_BASIS),
                    None)
        if thin is not None:
            held.append(HeldBack(g.id, g.owner, thin, bases[thin]))
            continue
        goals.append(g)
        used.add(g.metric)
    return goals, held


def _goal(rule: Rule, evidence: list[Evidence], facts: dict[str, float | None], playbook: Playbook,
          deadline: date, used: set[str]) -> Goal | None:
    choice = next(((m, t) for m, t in rule.metric if facts.get(m) is not None and m not in used), None)
    if choice is None:
        return None
    metric, target_rule = choice
    baseline = facts[metric]
    assert baseline is not None
    target = _target(target_rule, baseline, facts)
    if target is None:
        return None
    if (target <= baseline) if rule.better == "higher" else (target >= baseline):
        return None  # already there: nothing to aim for
    return Goal(
        id=rule.id, owner=rule.owner, priority=rule.priority, metric=metric, unit=playbook.metrics[metric].unit,
        baseline=baseline, target=target, better=rule.better, deadline=deadline.isoformat(), evidence=evidence,
    )
