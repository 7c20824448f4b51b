"""The suggested starting goals, each with the evidence it rests on, and the goals held back for lack of it."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.records.evidence import MIN_BASIS


@dataclass(frozen=True)
class Evidence:
    """A condition of the rule that held: `fact` was `value`, which is `op` `threshold`."""

    fact: str
    value: float
    op: str  # below | above | at_most | at_least
    threshold: float


@dataclass(frozen=True)
class Goal:
    """A proposed goal: the playbook rule's code (`id`) and the figures it rests on."""

    id: str
    owner: str
    priority: int
    metric: str
    unit: str
    baseline: float
    target: float
    better: str
    deadline: str  # ISO date: the end of the quarter after the assessed one
    evidence: list[Evidence]


@dataclass(frozen=True)
class HeldBack:
    """A goal the playbook would propose but that rests on `fact`, a rate over `basis` cases (too few)."""

    id: str
    owner: str
    fact: str
    basis: float
    needed: int = MIN_BASIS
