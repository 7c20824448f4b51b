"""The questionnaire's scores: each dimension overall and per team, the gaps, and what each team believes."""

from __future__ import annotations

from dataclasses import dataclass

COMPARED = ("marketing", "sales")  # the gap is the first team's score minus the second's


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's overall score, each team's, and the marketing-minus-sales gap (whole points)."""

    dimension: str
    score: float | None
    teams: dict[str, float | None]  # None where withheld, not asked or too few answered
    compared: dict[str, float | None]  # marketing and sales on the questions both answer
    gap: float | None  # compared marketing minus compared sales
    gap_flagged: bool


@dataclass(frozen=True)
class QuestionSummary:
    """Aggregates of one question over the shown teams' answers (never one person's answer)."""

    question: str
    respondents: int
    mean_score: float | None  # whole points
    median: float | None  # of the numeric answers (a frequency's meetings per month)
    share_positive: float | None  # share of answers scoring 75 or more, to whole percent (two decimals)


@dataclass(frozen=True)
class Belief:
    """What each team believes about a figure the funnel also measures, beside the data."""

    measure: str
    question: str
    teams: dict[str, float | None]  # median answer (fractions for percentages)
    fact: float | None
    basis: float | None = None  # for a share: the cases the fact is a share of
    low: float | None = None  # for a share: the fact's 95% Wilson interval
    high: float | None = None


@dataclass(frozen=True)
class Scores:
    """Everything scored from the answers: respondents, dimensions, the index and the maturity level.

    `counted_teams` are the teams whose answers the figures use; `sparse` the (team, question)
    pairs left out because fewer than the threshold of a shown team answered the question."""

    respondents: dict[str, int]
    withheld_teams: list[str]
    anonymity_threshold: int
    dimensions: list[DimensionScore]
    overall: float | None  # one decimal
    overall_by_team: dict[str, float | None]  # one decimal
    mean_gap: float | None  # one decimal
    gap_threshold: float
    gap_penalty_applied: bool
    alignment_index: float | None  # whole points
    maturity_level: int | None
    questions: list[QuestionSummary]
    counted_teams: list[str]
    sparse: list[tuple[str, str]]
