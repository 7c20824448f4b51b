"""A client's quarters side by side: the `assessment.json` of each period, what moved, and
whether the goals set in earlier quarters were met.

`load_history` reads `reports/<client-slug>/<period>/assessment.json` for every period
folder (earlier versions kept as `<period>.previous-N` and failed runs are not periods),
oldest first. Files of an older schema are migrated; a newer or unknown one is an error
that says which tool version is needed.

Quarters scored with different question banks are compared only on what both share:
`compare` keeps the questions whose fingerprint is the same in both, the dimensions whose
comparable questions are the same, and lists what it left out and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from smarketing_assess.assessment import SCHEMA_VERSION
from smarketing_assess.errors import InputError, Problem
from smarketing_assess.period import Period
from smarketing_assess.questionnaire import load_question_bank

STATUSES = ("met", "on track", "missed", "no longer measurable")


@dataclass(frozen=True)
class Quarter:
    """One assessed quarter, as its assessment.json says."""

    period: Period
    data: dict[str, Any]
    path: Path

    @property
    def facts(self) -> dict[str, float | None]:
        return self.data.get("facts", {})

    @property
    def questions(self) -> dict[str, str]:
        """Question id -> fingerprint of the wording and scoring used."""
        return self.data.get("questions", {})

    def fact(self, key: str) -> float | None:
        value = self.facts.get(key)
        return None if value is None else float(value)


def migrate(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """An assessment in the current schema. Version 0 (before the schema was numbered) had no
    per-question fingerprints: every question then counts as changed, and is left out of
    comparisons rather than guessed."""
    version = data.get("schema_version", 0)
    if version == SCHEMA_VERSION:
        return data
    if version == 0 and isinstance(data.get("scores"), dict):
        out = dict(data, schema_version=SCHEMA_VERSION)
        out.setdefault("questions", {})
        out.setdefault("facts", {})
        out.setdefault("goals", [])
        return out
    raise InputError.single(path, "assessment written by another version of smarketing-assess",
                            found=f"schema_version {version!r}",
                            expected=f"schema_version {SCHEMA_VERSION} or older (upgrade the toolkit to read it)")


def load_history(reports_dir: Path, slug: str) -> list[Quarter]:
    """Every assessed quarter of a client, oldest first (InputError naming each unreadable file)."""
    folder = Path(reports_dir) / slug
    quarters, problems = [], []
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        try:
            period = Period.parse(child.name)
        except ValueError:
            continue  # 2026-Q1.previous-1, .failed and other folders are not quarters
        path = child / "assessment.json"
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            quarters.append(Quarter(period, migrate(data, path), path))
        except InputError as exc:
            problems += exc.problems
        except ValueError as exc:
            problems.append(Problem(str(path), f"not a readable assessment: {exc}"))
    if problems:
        raise InputError(problems)
    return sorted(quarters, key=lambda q: q.period)


def assess_history(client_dir: Path, language: str | None = None) -> list[Quarter]:
    """Every quarter of a client folder assessed from its inputs now, without reports (for the
    progress notebook opened on its own); InputError when a quarter's inputs are invalid."""
    import json as _json

    from smarketing_assess.assessment import assess, to_json
    from smarketing_assess.period import periods

    return [Quarter(p, _json.loads(to_json(assess(Path(client_dir), p, language=language))), Path(client_dir) / str(p))
            for p in periods(Path(client_dir))]


@dataclass
class Comparison:
    """What two quarters can be compared on."""

    questions: list[str]
    dimensions: list[str]
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (question or dimension, why)


def compare(before: Quarter, after: Quarter) -> Comparison:
    a, b = before.questions, after.questions
    same = [q for q in a if q in b and a[q] == b[q]]
    left = [(q, "reworded or rescored") for q in a if q in b and a[q] != b[q]]
    left += [(q, f"asked in {before.period} only") for q in a if q not in b]
    left += [(q, f"asked in {after.period} only") for q in b if q not in a]
    dims_a = {d["dimension"]: d for d in before.data.get("scores", {}).get("dimensions", [])}
    dims_b = {d["dimension"]: d for d in after.data.get("scores", {}).get("dimensions", [])}
    changed = {q for q, _ in left}
    dimension_of = {q.id: q.dimension for q in load_question_bank().questions}
    touched = {dimension_of.get(q) for q in changed}
    dimensions = []
    for dim in dims_a:
        if dim not in dims_b:
            left.append((dim, f"dimension scored in {before.period} only"))
        elif dim in touched:
            left.append((dim, "dimension whose questions changed"))
        else:
            dimensions.append(dim)
    left += [(dim, f"dimension scored in {after.period} only") for dim in dims_b if dim not in dims_a]
    return Comparison(same, dimensions, left)


@dataclass(frozen=True)
class GoalStatus:
    """A goal set in an earlier quarter, judged against a later one."""

    goal: str
    title: str
    set_in: str
    metric: str
    metric_label: str
    unit: str
    baseline: float
    target: float
    better: str
    deadline: str
    now: float | None
    status: str
    evidence: str
    reason: str = ""  # reworded | missing | deadline | not_moving: why a goal is not met or not measurable


def _question_of(metric: str) -> str | None:
    parts = metric.split(".")
    return parts[1] if parts[0] == "answer" and len(parts) == 3 else None


def judge(goal: dict[str, Any], set_in: Quarter, now: Quarter) -> GoalStatus:
    """Met when the value now reaches the target; missed when the deadline has passed without
    it, or when the value has not moved towards it; on track when it has moved towards it and the
    deadline is still ahead; no longer measurable when the figure is missing now or its question
    was reworded since."""
    metric, baseline, target = goal["metric"], float(goal["baseline"]), float(goal["target"])
    higher = goal["better"] == "higher"
    value = now.fact(metric)
    qid = _question_of(metric)
    changed = qid is not None and set_in.questions.get(qid) != now.questions.get(qid)

    def status(s: str, why: str, reason: str = "") -> GoalStatus:
        return GoalStatus(goal["id"], goal.get("title", goal["id"]), str(set_in.period), metric,
                          goal.get("metric_label", metric), goal.get("unit", ""), baseline, target, goal["better"],
                          goal["deadline"], value, s, why, reason)

    if value is None or changed:
        if changed:
            return status("no longer measurable", "the question was reworded since", "reworded")
        return status("no longer measurable", f"the figure is not in the {now.period} data", "missing")
    trail = f"{baseline:g} in {set_in.period}, {value:g} in {now.period}, target {target:g} by {goal['deadline']}"
    if (value >= target) if higher else (value <= target):
        return status("met", trail)
    moved = (value > baseline) if higher else (value < baseline)
    if date.fromisoformat(goal["deadline"]) <= now.period.end:
        return status("missed", trail + ": the deadline has passed", "deadline")
    if moved:
        return status("on track", trail)
    return status("missed", trail + ": no move towards the target yet", "not_moving")


def goal_attainment(history: list[Quarter], now: Quarter | None = None) -> list[GoalStatus]:
    """Every goal set before `now` (default: the latest quarter), judged against `now`; a goal
    set again in a later quarter is judged from its latest setting."""
    if not history:
        return []
    now = now or history[-1]
    latest: dict[str, tuple[dict[str, Any], Quarter]] = {}
    for quarter in history:
        if quarter.period >= now.period:
            break
        for goal in quarter.data.get("goals", []):
            latest[goal["id"]] = (goal, quarter)
    return [judge(goal, quarter, now) for goal, quarter in latest.values()]


@dataclass(frozen=True)
class Move:
    """A dimension's score in two quarters."""

    dimension: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


def biggest_moves(before: Quarter, after: Quarter, count: int = 3) -> list[Move]:
    """The dimensions whose score changed most (comparable dimensions only), largest first."""
    comparable = set(compare(before, after).dimensions)
    a = {d["dimension"]: d.get("score") for d in before.data.get("scores", {}).get("dimensions", [])}
    b = {d["dimension"]: d.get("score") for d in after.data.get("scores", {}).get("dimensions", [])}
    moves = [Move(dim, float(a[dim]), float(b[dim])) for dim in a
             if dim in comparable and a.get(dim) is not None and b.get(dim) is not None]
    moves.sort(key=lambda m: (-abs(m.change), m.dimension))
    return [m for m in moves if m.change][:count]
