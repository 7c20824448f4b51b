"""The comparison of a quarter with an earlier one: the moves, the goals judged, what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from smarketing_assess.records.agreed import AgreedGoal
from smarketing_assess.records.goals import Goal

STATUSES = ("met", "on track", "missed", "no longer measurable")


@dataclass
class Comparison:
    """What two quarters can be compared on."""

    questions: list[str]
    dimensions: list[str]
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (question or dimension, why)


@dataclass(frozen=True)
class GoalStatus:
    """A goal set in an earlier quarter, judged against a later one."""

    goal: Goal
    set_in: str  # the quarter it was set in
    now: float | None  # the metric's value in the quarter judged
    status: str  # one of STATUSES
    reason: str = ""  # reworded | missing | deadline | not_moving: why a goal is not met or not measurable
    agreed: AgreedGoal | None = None  # the goal as the plan agreed it (its owner, its own words)


@dataclass(frozen=True)
class Move:
    """A dimension's score in two quarters."""

    dimension: str
    before: float
    after: float

    @property
    def change(self) -> float:
        """Points gained (positive) or lost (negative) between the two quarters."""
        return self.after - self.before


@dataclass(frozen=True)
class TeamMix:
    """Which teams each quarter's scores count, and the teams the verdicts compare on: a team withheld in
    one quarter (too few answered) changes the mix, so moves are judged on the teams every scored quarter counts."""

    counted: list[list[str]]  # per quarter, the teams whose answers its scores use
    withheld: list[list[str]]  # per quarter, the teams that answered too few to be shown
    compared: list[str]  # the teams every scored quarter counts: scores, index and moves rest on these
    changed: bool  # the scored quarters did not all count the same teams
    index: list[float | None]  # each quarter's alignment index over `compared` (None: not comparable)
    levels: list[int | None]  # the maturity level of that index


@dataclass(frozen=True)
class Since:
    """A quarter beside the client's quarter before it, as the baseline report's "since" section and
    executive page show it: the earlier index and level, the biggest moves, how the goals set then
    fared, and what the two could not be compared on."""

    previous: str  # the earlier quarter
    index_before: float | None
    level_before: int | None
    answered_before: bool  # whether the earlier quarter had answers (scores) at all
    moves: list[Move]  # the dimensions that moved most, largest first (at most MOVES)
    goals: list[GoalStatus]  # the goals set before, judged against this quarter
    left_out: list[str]  # questions and dimensions left out of the comparison
    # how the earlier quarter was obtained: its stored assessment, or assessed again from its inputs because
    # that was missing, changed or of an older schema (missing | changed | older_schema)
    origin: str = "stored"
    # the teams each quarter counts: when they differ (a team withheld in one), the moves and the index
    # compared are taken over the teams both count (None: written before version 11 kept them)
    teams: TeamMix | None = None
