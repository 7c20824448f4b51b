"""The progress report's judgements (pure): what moved across a client's quarters, which goals
were met, and what to focus on next, made once here and stored as `progress.json`.

A dimension counts as better or worse when its score moved by at least `MOVE` points between the
first quarter with answers and the last, on the dimensions both quarters can be compared on; a
sales-marketing gap narrowed or widened when its size moved by as much. The focus is the two
weakest comparable dimensions of the last quarter, then the goals missed. The record holds codes,
ids and figures only; presenting words them.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from pydantic import TypeAdapter

from smarketing_assess import __version__
from smarketing_assess.config.questionnaire import QuestionBank
from smarketing_assess.model import records
from smarketing_assess.model.assessment import Assessment
from smarketing_assess.model.history import GoalStatus, Move, biggest_moves, compare, goal_attainment

SCHEMA_VERSION = 1
MOVE = 5.0  # points a dimension (or a gap's size) must move to count as better or worse
FOCUS = 2  # the weakest comparable dimensions named as the focus


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


def judge_progress(quarters: list[Assessment], bank: QuestionBank, inputs: dict[str, str]) -> Progress:
    """The verdicts over `quarters` (two or more, oldest first); `inputs` are their records' checksums."""
    first_any, last = quarters[0], quarters[-1]
    scored = [q for q in quarters if q.scores.alignment_index is not None]
    first = scored[0] if scored else first_any
    moves = biggest_moves(first, last, bank, count=len(bank.dimensions)) if first is not last else []
    comparable = set(compare(first, last, bank).dimensions)
    scores = {d.dimension: d.score for d in last.scores.dimensions}
    trends, left_out = _trends(quarters, bank)
    weakest = sorted((d for d, v in scores.items() if d in comparable and v is not None),
                     key=lambda d: (scores[d] or 0.0, d))[:FOCUS]
    return Progress(
        schema_version=SCHEMA_VERSION, tool_version=__version__, client=last.client.slug,
        periods=[q.period for q in quarters], inputs=inputs, move=MOVE,
        scored_from=first.period if scored else None,
        index=[q.scores.alignment_index for q in quarters], levels=[q.scores.maturity_level for q in quarters],
        unanswered=[q.period for q in quarters if not sum(q.scores.respondents.values())],
        better=[m for m in moves if m.change >= MOVE],
        worse=sorted((m for m in moves if m.change <= -MOVE), key=lambda m: (m.change, m.dimension)),
        focus=weakest, goals=goal_attainment(quarters), dimensions=trends, left_out=left_out)


def _trends(quarters: list[Assessment], bank: QuestionBank) -> tuple[list[DimensionTrend], list[tuple[str, str]]]:
    """Each dimension's scores and gaps over the quarters, and what comparing them left out."""
    last, first = quarters[-1], quarters[0]
    dims = [d.dimension for d in last.scores.dimensions] or [d.dimension for d in first.scores.dimensions]
    left: dict[tuple[str, str], None] = {}
    breaks: dict[str, list[int]] = {d: [] for d in dims}
    for i, (before, after) in enumerate(itertools.pairwise(quarters), start=1):
        for item, why in compare(before, after, bank).left_out:
            if item in breaks:
                breaks[item].append(i)
            left[(item, why)] = None
    trends = []
    for d in dims:
        entries = [next((x for x in q.scores.dimensions if x.dimension == d), None) for q in quarters]
        gaps = [e.gap if e else None for e in entries]
        trends.append(DimensionTrend(d, [e.score if e else None for e in entries], gaps, breaks[d],
                                     _gap_trend(gaps[0], gaps[-1])))
    return trends, list(left)


def _gap_trend(first: float | None, last: float | None) -> str | None:
    """Narrowing or widening when the gap's size moved by MOVE points or more; None otherwise."""
    if first is None or last is None or abs(abs(last) - abs(first)) < MOVE:
        return None
    return "narrowing" if abs(last) < abs(first) else "widening"


@functools.cache
def _adapter() -> TypeAdapter[Progress]:
    return TypeAdapter(Progress)


def to_json(progress: Progress) -> str:
    """The judgement as the text of `progress.json`."""
    return records.dumps(progress)


def from_json(text: str, source: str = "progress.json") -> Progress:
    """A `progress.json` read back and validated; InputError names the file and what is wrong."""
    return records.load(_adapter(), text, source, "progress record", SCHEMA_VERSION, MIGRATIONS)


MIGRATIONS: dict[int, records.Migration] = {}  # version -> converter to the next (none yet)
