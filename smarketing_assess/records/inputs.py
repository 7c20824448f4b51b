"""What the report says of the questionnaire's coverage: how many of each team answered a question."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.core.stages import STAGES as STAGES  # the funnel's stages, for the readers


@dataclass(frozen=True)
class Coverage:
    """How many respondents of each team answered one question, among those stored for the period."""

    question: str
    counts: dict[str, int | None]  # team -> answers; None where the question is not asked of the team
    flag: str  # "" | "none": nobody answered | "thin": a team answered, but fewer than the threshold
