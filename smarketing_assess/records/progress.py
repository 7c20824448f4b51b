"""The progress record, `progress.json`: the quarters compared and the verdicts on each dimension and goal."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.records.history import GoalStatus, Move, TeamMix

SCHEMA_VERSION = 2  # 2: the teams each quarter counts, and the ones the verdicts compare on


@dataclass(frozen=True)
class DimensionTrend:
    """One dimension quarter by quarter: its score, its marketing-minus-sales gap, and where a
    quarter cannot be compared with the one before (its questions changed)."""

    dimension: str
    scores: list[float | None]
    gaps: list[float | None]
    breaks: list[int]  # indices of the quarters not comparable with the one before
    gap_trend: str | None  # narrowing | widening | None: the gap's size moved by less than MOVE


@dataclass(frozen=True)
class Progress:
    """Everything the progress report concludes about a client's quarters; see the module's docstring."""

    schema_version: int
    tool_version: str
    client: str  # the client's slug
    periods: list[str]  # oldest first
    inputs: dict[str, str]  # period -> the checksum of the assessment the judgement rests on
    move: float  # the threshold the verdicts used
    scored_from: str | None  # the first quarter with answers: scores compare from it
    index: list[float | None]  # the alignment index of every quarter
    levels: list[int | None]  # the maturity level of every quarter
    unanswered: list[str]  # quarters without answers
    better: list[Move]  # dimensions up by MOVE or more, largest first
    worse: list[Move]  # dimensions down by MOVE or more, largest first
    focus: list[str]  # the weakest comparable dimensions of the last quarter
    goals: list[GoalStatus]  # every goal set before the last quarter, judged against it
    dimensions: list[DimensionTrend]
    left_out: list[tuple[str, str]]  # (question or dimension, why), once each, as quarters were compared
    teams: TeamMix | None  # None in a record of schema 1, which did not keep the teams
