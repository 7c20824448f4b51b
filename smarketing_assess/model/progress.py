"""The progress report's judgements (pure): what moved across a client's quarters, which goals
were met, and what to focus on next, made once here and stored as `progress.json`.

A dimension counts as better or worse when its score moved by at least `MOVE` points between the
first quarter with answers and the last, on the dimensions both quarters can be compared on; a
sales-marketing gap narrowed or widened when its size moved by as much. The focus is the two
weakest comparable dimensions of the last quarter, then the goals missed. The same teams are
compared: when a team is counted in one scored quarter and not in another (withheld because too few
of it answered), every score, index and verdict is taken over the teams all scored quarters count,
and the record says which teams each quarter counted. The record holds codes, ids and figures only;
presenting words them.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from pydantic import TypeAdapter

from smarketing_assess import __version__
from smarketing_assess.config.questionnaire import QuestionBank
from smarketing_assess.model.history import biggest_moves, compare, goal_attainment, like_with_like
from smarketing_assess.records import serial
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.progress import SCHEMA_VERSION, DimensionTrend, Progress

MOVE = 5.0  # points a dimension (or a gap's size) must move to count as better or worse
FOCUS = 2  # the weakest comparable dimensions named as the focus


def judge_progress(quarters: list[Assessment], bank: QuestionBank, inputs: dict[str, str]) -> Progress:
    """The verdicts over `quarters` (two or more, oldest first); `inputs` are their records' checksums."""
    published = quarters
    teams, quarters = like_with_like(quarters, bank)
    first_any, last = quarters[0], quarters[-1]
    scored = [q for q, p in zip(quarters, published, strict=True) if p.scores.alignment_index is not None]
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
        index=[q.scores.alignment_index for q in published], levels=[q.scores.maturity_level for q in published],
        unanswered=[q.period for q in quarters if not sum(q.scores.respondents.values())],
        better=[m for m in moves if m.change >= MOVE],
        worse=sorted((m for m in moves if m.change <= -MOVE), key=lambda m: (m.change, m.dimension)),
        focus=weakest, goals=goal_attainment(published), dimensions=trends, left_out=left_out, teams=teams)


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
    return serial.dumps(progress)


def from_json(text: str, source: str = "progress.json") -> Progress:
    """A `progress.json` read back and validated; InputError names the file and what is wrong."""
    return serial.load(_adapter(), text, source, "progress record", SCHEMA_VERSION, MIGRATIONS)


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept no teams: which teams each quarter counted is unknown, not assumed the same."""
    return {**data, "schema_version": 2, "teams": None}


MIGRATIONS: dict[int, serial.Migration] = {1: _v1_to_v2}  # version -> converter to the next
