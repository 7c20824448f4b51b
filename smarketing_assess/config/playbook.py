"""The goal playbook: `templates/goals.yaml` loaded into typed, validated rules.

A rule says when a goal is proposed (conditions on the assessment's named facts), on which
metric, with what target, and how its title and reason read in each language. Conditions
and targets are data, never code. `model.goals` applies the rules; the presenting layer
renders their texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

from smarketing_assess.config import metrics
from smarketing_assess.config.metrics import UNITS
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.translations import Localized, check_localized, languages, load_template, placeholders

OPS = {"below": lambda a, b: a < b, "above": lambda a, b: a > b,
       "at_most": lambda a, b: a <= b, "at_least": lambda a, b: a >= b}
OWNERS = ("marketing", "sales", "joint")
_FACT = re.compile(r"^[a-z_]+(\.[a-z0-9_]+){0,2}$")
_TEXT_FIELDS = {"baseline", "target", "evidence", "metric"}


@dataclass(frozen=True)
class Condition:
    """One test a goal's facts must pass: `fact` compared by `op` (a key of OPS) with a number or another fact."""

    fact: str
    op: str
    value: float | str  # a number, or the name of another fact


@dataclass(frozen=True)
class Rule:
    """One goal of the playbook: when it is proposed, on which metric, what target, and how it reads."""

    id: str
    owner: str
    priority: int
    when: tuple[Condition, ...]
    metric: tuple[tuple[str, dict[str, float | str]], ...]  # (fact, target) alternatives, in order
    better: str
    fallback: bool
    title: Localized
    why: Localized


@dataclass(frozen=True)
class MetricInfo:
    """How a goal's metric is shown: its unit (one of UNITS) and its label in each language."""

    unit: str
    label: Localized


@dataclass(frozen=True)
class Playbook:
    """The whole playbook: how many goals to propose, the metrics' units and labels, and the rules."""

    min_goals: int
    max_goals: int
    metrics: dict[str, MetricInfo]
    rules: tuple[Rule, ...]


@cache
def load_playbook(path: Path | None = None) -> Playbook:
    """Load and validate the goal playbook (the shipped `goals.yaml` when `path` is None), cached per path.

    Raises InputError listing every problem in the file.
    """
    data = load_template("goals", path) or {}
    path = path or templates_dir() / "goals.yaml"
    file = str(path)
    problems: list[Problem] = []

    def err(message: str, **where: Any) -> None:
        problems.append(Problem(file, message, **where))

    metrics: dict[str, MetricInfo] = {}
    for name, m in (data.get("metrics") or {}).items():
        m = m or {}
        if m.get("unit") not in UNITS:
            err(f"metrics.{name}: unknown unit", found=repr(m.get("unit")), expected=f"one of {list(UNITS)}")
            continue
        metrics[name] = MetricInfo(m["unit"], check_localized(m.get("label"), languages("goals", path), file,
                                                             f"metrics.{name}.label", problems))
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, g in enumerate(data.get("goals") or []):
        rule = _rule(i, g or {}, metrics, err, file, problems)
        if rule is None:
            continue
        if rule.id in seen:
            err(f"goals[{i}]: duplicate goal id", found=rule.id)
        seen.add(rule.id)
        rules.append(rule)
    lo, hi = data.get("min_goals"), data.get("max_goals")
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
        err("min_goals and max_goals must be whole numbers with 1 <= min_goals <= max_goals",
            found=f"{lo!r}, {hi!r}")
        raise InputError(problems)  # with every problem found so far, as below
    if problems:
        raise InputError(problems)
    return Playbook(lo, hi, metrics, tuple(rules))


def _rule(i: int, g: dict[str, Any], metrics: dict[str, MetricInfo], err: Any, file: str,
          problems: list[Problem]) -> Rule | None:
    """One goal of the file as a rule, or None when it has an error (each reported through `err`)."""
    gid = str(g.get("id", f"#{i + 1}"))
    where = f"goal {gid}"
    ok = True
    if g.get("owner") not in OWNERS:
        err(f"{where}: unknown owner", found=repr(g.get("owner")), expected=f"one of {list(OWNERS)}")
        ok = False
    conditions, conditions_ok = _conditions(g, where, err)
    metric, metric_ok = _metric(g, where, metrics, err)
    if g.get("better") not in ("higher", "lower"):
        err(f"{where}: 'better' must be higher or lower", found=repr(g.get("better")))
        ok = False
    priority = g.get("priority", 5)
    if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 9:
        err(f"{where}: priority must be a whole number from 1 to 9", found=repr(priority))
        ok = False
    title, why, texts_ok = _texts(g, where, err, file, problems)
    if not (ok and conditions_ok and metric_ok and texts_ok):
        return None
    return Rule(gid, g["owner"], priority, tuple(conditions), tuple(metric), g["better"],
                bool(g.get("fallback", False)), title, why)


def _conditions(g: dict[str, Any], where: str, err: Any) -> tuple[list[Condition], bool]:
    """A goal's conditions under `when` (a fact, one operator, a number or a fact each), and whether
    all of them, and the goal's having some or being the fallback, are right."""
    ok = True
    conditions = []
    for c in g.get("when") or []:
        ops = [k for k in c if k in OPS] if isinstance(c, dict) else []
        if len(ops) != 1 or not _FACT.match(str(c.get("fact", ""))):
            err(f"{where}: a condition needs a fact and one of {list(OPS)}", found=repr(c))
            ok = False
            continue
        value = c[ops[0]]
        if not isinstance(value, int | float) and not _FACT.match(str(value)):
            err(f"{where}: condition value must be a number or a fact name", found=repr(value))
            ok = False
            continue
        conditions.append(Condition(c["fact"], ops[0], value))
    if not conditions and not g.get("fallback"):
        err(f"{where}: a goal needs conditions under 'when', or 'fallback: true'")
        ok = False
    return conditions, ok


def _metric(g: dict[str, Any], where: str, metrics: dict[str, MetricInfo],
            err: Any) -> tuple[list[tuple[str, dict[str, float | str]]], bool]:
    """A goal's metric alternatives, each a fact of the playbook's metrics with its target, and
    whether all of them are right and there is at least one."""
    ok = True
    metric: list[tuple[str, dict[str, float | str]]] = []
    for m in g.get("metric") or ():
        if isinstance(m, dict):
            fact, target = m.get("fact"), m.get("target", g.get("target"))
        else:
            fact, target = m, g.get("target")
        if fact not in metrics:
            err(f"{where}: metric has no entry under 'metrics' (unit and label)", found=repr(fact))
            ok = False
        elif not _valid_target(target):
            err(f"{where}: the target of {fact} needs exactly one of value, value_fact, multiply, add",
                found=repr(target))
            ok = False
        else:
            metric.append((fact, dict(target)))
    if not g.get("metric"):
        err(f"{where}: no metric")
        ok = False
    return metric, ok


def _texts(g: dict[str, Any], where: str, err: Any, file: str,
           problems: list[Problem]) -> tuple[Localized, Localized, bool]:
    """A goal's title and reason in every language, and whether they use only the fields a goal fills in."""
    ok = True
    texts = g.get("texts") or {}
    langs = languages("goals", Path(file))
    title = check_localized(texts.get("title"), langs, file, f"{where} title", problems)
    why = check_localized(texts.get("why"), langs, file, f"{where} why", problems)
    for t in list(title.values()) + list(why.values()):
        try:
            extra = placeholders(t) - _TEXT_FIELDS
        except ValueError:
            continue  # reported by check_localized
        if extra:
            err(f"{where}: unknown placeholder {sorted(extra)}", expected=f"only {sorted(_TEXT_FIELDS)}")
            ok = False
    return title, why, ok


def _valid_target(target: Any) -> TypeGuard[dict[str, Any]]:
    if not isinstance(target, dict):
        return False
    kinds = [k for k in ("value", "value_fact", "multiply", "add") if k in target]
    bounds_ok = all(isinstance(target.get(b, 0), int | float) for b in ("at_most", "at_least"))
    return len(kinds) == 1 and bounds_ok


def unit_of(fact: str, playbook: Playbook) -> str:
    """The unit a fact is measured in: the playbook's own for its metrics, else the one table's
    (`config.metrics`), a count when neither knows it."""
    declared = playbook.metrics[fact].unit if fact in playbook.metrics else None
    return metrics.unit_of(fact, declared) or "count"
