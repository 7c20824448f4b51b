"""The question bank: typed, validated objects loaded from `templates/questionnaire.yaml`."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.translations import Localized, check_localized, load_template

TEAMS = ("sales", "marketing", "leadership")
KINDS = ("scale", "choice", "number", "percent")
MEASURES = (
    "leads_per_month",
    "followup_share",
    "hours_to_first_contact",
    "mql_acceptance",
    "lead_to_customer",
)
Kind = Literal["scale", "choice", "number", "percent"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Option:
    """One answer of a single-choice question."""

    value: str
    score: float
    label: Localized
    per_month: float | None = None  # a frequency option's meetings per month


@dataclass(frozen=True)
class Question:
    """One question of the bank: its wording, who answers it, and how an answer maps onto 0-100.

    `min`/`max` bound a number or percent answer; `points` are the (answer, score) pairs that map it;
    `measures` names the funnel figure a number estimates, when it estimates one.
    """

    id: str
    dimension: str
    kind: Kind
    text: Localized
    audience: tuple[str, ...]
    weight: float
    reverse: bool = False
    options: tuple[Option, ...] = ()
    scale_labels: Localized | None = None  # scale: the five labels joined by "|"
    min: float | None = None
    max: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    measures: str | None = None
    unit: Localized | None = None

    @property
    def scored(self) -> bool:
        """Whether the answers count towards the scores (a weight above 0)."""
        return self.weight > 0

    def asked_of(self, team: str) -> bool:
        """Whether the team answers this question."""
        return team in self.audience

    def fingerprint(self) -> str:
        """A short hash of what makes answers comparable across quarters: the wording, the kind,
        who answers, the options and the mapping to 0-100. The English wording stands for every
        language: a translation follows it, and adding or polishing one changes nothing that
        answers mean."""

        def english(text: Localized | None) -> Localized | None:
            return None if text is None else {"en": text["en"]}

        body = {
            "dimension": self.dimension, "kind": self.kind, "text": english(self.text), "audience": self.audience,
            "weight": self.weight, "reverse": self.reverse, "points": self.points, "min": self.min,
            "max": self.max, "options": [(o.value, o.score, o.per_month, english(o.label)) for o in self.options],
            "scale_labels": english(self.scale_labels),
        }
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    def option(self, value: str) -> Option | None:
        """The choice with this value, or None when there is none."""
        for opt in self.options:
            if opt.value == value:
                return opt
        return None

    def score(self, answer: float | str) -> float:
        """Map one valid answer onto 0-100."""
        if self.kind == "scale":
            s = (float(answer) - 1.0) * 25.0
            return 100.0 - s if self.reverse else s
        if self.kind == "choice":
            opt = self.option(str(answer))
            if opt is None:
                raise ValueError(f"{answer!r} is not an option of {self.id}")
            return opt.score
        return interpolate(self.points, float(answer))

    def numeric(self, answer: float | str) -> float | None:
        """The answer as a number (a choice's meetings per month), or None."""
        if self.kind == "choice":
            opt = self.option(str(answer))
            return None if opt is None else opt.per_month
        return float(answer)


def interpolate(points: tuple[tuple[float, float], ...], x: float) -> float:
    """Read y off the straight lines through `points` (sorted by x), flat beyond the ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


@dataclass(frozen=True)
class Dimension:
    """One area of sales and marketing alignment that questions are grouped and scored by."""

    id: str
    name: Localized
    description: Localized


@dataclass(frozen=True)
class MaturityLevel:
    """One of the five maturity levels: its number, the index (0-100) it starts at, and its texts."""

    level: int
    lower: float
    name: Localized
    description: Localized


@dataclass(frozen=True)
class ScoringRules:
    """The bank's scoring settings.

    `gap_threshold`: points between teams beyond which a gap is flagged; `gap_penalty`: the share of the
    mean gap taken off the alignment index; `anonymity_threshold`: the fewest respondents a team breakdown needs.
    """

    gap_threshold: float
    gap_penalty: float
    anonymity_threshold: int


def label_key(text: str) -> str:
    """Labels and headers compare without case, accents, punctuation or extra spaces:
    "Não sei!" and "nao sei" are the same answer."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\W_]+", " ", ascii_text.casefold()).strip()


@dataclass(frozen=True)
class QuestionBank:
    """The whole validated question bank; `source` is the file it was read from."""

    version: str
    languages: tuple[str, ...]
    scoring: ScoringRules
    maturity_levels: tuple[MaturityLevel, ...]
    teams: dict[str, Localized]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    source: str = field(default="", compare=False)

    def team_of(self, written: str) -> str | None:
        """The team a written name means: its code or its name in any language of the bank, compared by
        `label_key` (`Vendas`, `ventas`, `SALES`: sales); None when it names no team."""
        named = {label_key(v): t for t, names in self.teams.items() for v in (t, *names.values())}
        return named.get(label_key(written))

    @cached_property
    def answer_labels(self) -> dict[str, dict[str, str]]:
        """Per question id: every way an answer may be written (its labels in every language, a
        choice's value), compared by `label_key`, to the value stored (a scale label to "1".."5")."""
        out: dict[str, dict[str, str]] = {}
        for q in self.questions:
            entries: dict[str, str] = {}
            if q.kind == "scale":
                for joined in (q.scale_labels or {}).values():
                    for n, label in enumerate(joined.split("|"), start=1):
                        entries[label_key(label)] = str(n)
            for opt in q.options:
                entries[label_key(opt.value)] = opt.value
                for label in opt.label.values():
                    entries[label_key(label)] = opt.value
            out[q.id] = entries
        return out

    def answer_value(self, qid: str, written: str) -> str | None:
        """The value an answer written as a label or a choice's value stands for, None when none."""
        return self.answer_labels[qid].get(label_key(written))

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError when there is none."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def dimension(self, did: str) -> Dimension:
        """The dimension with this id; KeyError when there is none."""
        for d in self.dimensions:
            if d.id == did:
                return d
        raise KeyError(did)

    def questions_for(self, team: str) -> list[Question]:
        """The questions the team answers, in the bank's order."""
        return [q for q in self.questions if q.asked_of(team)]

    def in_dimension(self, did: str) -> list[Question]:
        """The questions of one dimension, in the bank's order."""
        return [q for q in self.questions if q.dimension == did]

    def maturity(self, index: float) -> MaturityLevel:
        """The highest maturity level whose lower bound the index (0-100) reaches; the first level below them all."""
        current = self.maturity_levels[0]
        for level in self.maturity_levels:
            if index >= level.lower:
                current = level
        return current


@cache
def load_question_bank(path: Path | None = None) -> QuestionBank:
    """Load and validate the question bank; every problem in the file is reported at once."""
    data = load_template("questionnaire", path)
    path = path or templates_dir() / "questionnaire.yaml"
    return _build(data, str(path))


def _build(data: Any, file: str) -> QuestionBank:
    """The question bank from the file's data; InputError listing every problem found."""
    problems: list[Problem] = []

    def err(message: str, **where: Any) -> None:
        problems.append(Problem(file, message, **where))

    _require_keys(data, file, err, problems)
    languages = [str(x) for x in data["languages"] or []]
    if "en" not in languages:
        err("'languages' must include 'en'", found=repr(languages))
        raise InputError(problems)

    def loc(value: Any, where: str) -> Localized:
        return check_localized(value, languages, file, where, problems)

    scoring = _scoring(data["scoring"], err)
    levels = _levels(data["maturity_levels"], loc, err)
    teams_raw = data["teams"] or {}
    teams = {t: loc(teams_raw.get(t), f"teams.{t}") for t in TEAMS}

    option_sets = data["option_sets"] or {}
    agree_labels = _agree_labels(option_sets.get("agree5"), languages, err)
    choice_sets = {name: _options(name, body, loc, err) for name, body in option_sets.items() if name != "agree5"}
    dimensions = _dimensions(data["dimensions"], loc, err)
    dimension_ids = {d.id for d in dimensions}
    questions = _questions(data["questions"], dimension_ids, choice_sets, agree_labels, loc, err)

    for d in dimensions:
        if not any(q.dimension == d.id and q.scored for q in questions):
            err(f"dimension '{d.id}' has no scored question")

    if problems:
        raise InputError(problems)
    return QuestionBank(
        version=str(data["version"]),
        languages=tuple(languages),
        scoring=scoring,  # type: ignore[arg-type]
        maturity_levels=tuple(levels),
        teams=teams,
        dimensions=tuple(dimensions),
        questions=tuple(questions),
        source=file,
    )


def _require_keys(data: Any, file: str, err: Any, problems: list[Problem]) -> None:
    """InputError unless the file is a mapping with every top-level key of a question bank."""
    if not isinstance(data, dict):
        raise InputError.single(file, "the question bank must be a YAML mapping", found=type(data).__name__)
    for key in ("version", "languages", "scoring", "maturity_levels", "teams", "option_sets",
                "dimensions", "questions"):
        if key not in data:
            err(f"missing top-level key '{key}'")
    if problems:
        raise InputError(problems)


def _agree_labels(agree: Any, languages: list[str], err: Any) -> Localized | None:
    """The agreement scale's five labels in each language, joined by "|"; None when the scale has none."""
    if not isinstance(agree, dict) or not isinstance(agree.get("labels"), dict):
        err("option_sets.agree5.labels: the five labels of the agreement scale are missing")
        return None
    agree_labels: Localized = {}
    for lang in languages:
        labels = agree["labels"].get(lang)
        if not isinstance(labels, list) or len(labels) != 5 or not all(isinstance(x, str) for x in labels):
            err(f"option_sets.agree5.labels.{lang}: expected a list of five labels", found=repr(labels))
        else:
            agree_labels[lang] = "|".join(labels)
    return agree_labels


def _dimensions(raw: Any, loc: Any, err: Any) -> list[Dimension]:
    """The dimensions, each with a valid id used once, its name and description."""
    dimensions: list[Dimension] = []
    seen: set[str] = set()
    for i, d in enumerate(raw or []):
        did = str((d or {}).get("id", ""))
        if not _ID.match(did):
            err(f"dimensions[{i}]: id must be lower-case letters, digits and underscores", found=did)
            continue
        if did in seen:
            err(f"dimensions[{i}]: duplicate dimension id", found=did)
            continue
        seen.add(did)
        dimensions.append(Dimension(did, loc(d.get("name"), f"dimension {did} name"),
                                    loc(d.get("description"), f"dimension {did} description")))
    return dimensions


def _questions(raw: Any, dims: set[str], choice_sets: dict[str, tuple[Option, ...]],
               agree_labels: Localized | None, loc: Any, err: Any) -> list[Question]:
    """The questions that are right, each id used once."""
    questions: list[Question] = []
    seen: set[str] = set()
    for i, q in enumerate(raw or []):
        built = _question(i, q, dims, choice_sets, agree_labels, loc, err)
        if built is None:
            continue
        if built.id in seen:
            err(f"questions[{i}]: duplicate question id", found=built.id, expected="ids used once")
            continue
        seen.add(built.id)
        questions.append(built)
    return questions


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _scoring(raw: Any, err: Any) -> ScoringRules | None:
    raw = raw or {}
    gap = _number(raw.get("gap_threshold"))
    penalty = _number(raw.get("gap_penalty"))
    anon = raw.get("anonymity_threshold")
    if gap is None or not 0 < gap <= 100:
        err("scoring.gap_threshold must be a number of points between 0 and 100", found=repr(gap))
    if penalty is None or not 0 <= penalty <= 1:
        err("scoring.gap_penalty must be between 0 and 1", found=repr(penalty))
    if not isinstance(anon, int) or isinstance(anon, bool) or anon < 1:
        err("scoring.anonymity_threshold must be a whole number of at least 1", found=repr(anon))
    if gap is None or penalty is None or not isinstance(anon, int):
        return None
    return ScoringRules(gap, penalty, anon)


def _levels(raw: Any, loc: Any, err: Any) -> list[MaturityLevel]:
    levels: list[MaturityLevel] = []
    for i, lv in enumerate(raw or []):
        lower = _number((lv or {}).get("from"))
        if lower is None:
            err(f"maturity_levels[{i}].from must be a number", found=repr((lv or {}).get("from")))
            continue
        levels.append(MaturityLevel(i + 1, lower, loc(lv.get("name"), f"maturity level {i + 1} name"),
                                    loc(lv.get("description"), f"maturity level {i + 1} description")))
    if len(levels) != 5:
        err("maturity_levels: expected five levels", found=str(len(levels)))
    elif levels[0].lower != 0 or any(b.lower <= a.lower for a, b in itertools.pairwise(levels)):
        err("maturity_levels: 'from' must start at 0 and increase", found=repr([lv.lower for lv in levels]))
    return levels


def _options(name: str, body: Any, loc: Any, err: Any) -> tuple[Option, ...]:
    opts: list[Option] = []
    raw = (body or {}).get("options") if isinstance(body, dict) else None
    if not isinstance(raw, list) or len(raw) < 2:
        err(f"option_sets.{name}: expected a list of at least two options")
        return ()
    values: set[str] = set()
    for j, o in enumerate(raw):
        o = o or {}
        value = str(o.get("value", ""))
        score = _number(o.get("score"))
        if not value:
            err(f"option_sets.{name}[{j}]: option has no value")
            continue
        if value in values:
            err(f"option_sets.{name}[{j}]: duplicate option value", found=value)
        values.add(value)
        if score is None or not 0 <= score <= 100:
            err(f"option_sets.{name}.{value}: bad mapping, score must be between 0 and 100",
                found=repr(o.get("score")))
            score = 0.0
        per_month = o.get("per_month")
        if per_month is not None and _number(per_month) is None:
            err(f"option_sets.{name}.{value}: per_month must be a number or null", found=repr(per_month))
            per_month = None
        opts.append(Option(value, score, loc(o.get("label"), f"option {name}.{value} label"),
                           None if per_month is None else float(per_month)))
    return tuple(opts)


def _question(i: int, q: Any, dims: set[str], choice_sets: dict[str, tuple[Option, ...]],
              agree_labels: Localized | None, loc: Any, err: Any) -> Question | None:
    if not isinstance(q, dict):
        err(f"questions[{i}]: expected a mapping", found=repr(q))
        return None
    qid = str(q.get("id", ""))
    where = f"question {qid or f'#{i + 1}'}"
    if not _ID.match(qid) or qid in ("team", "respondent_id"):
        err(f"{where}: id must be lower-case letters, digits and underscores and not a reserved column",
            found=qid)
        return None
    ok = True
    dim = str(q.get("dimension", ""))
    if dim not in dims:
        err(f"{where}: unknown dimension", found=dim, expected=f"one of {sorted(dims)}")
        ok = False
    kind = q.get("kind")
    if kind not in KINDS:
        err(f"{where}: unknown kind", found=repr(kind), expected=f"one of {list(KINDS)}")
        return None
    audience = _audience(q.get("audience"), where, err)
    ok = ok and bool(audience)
    weight = _number(q.get("weight"))
    if weight is None or weight < 0:
        err(f"{where}: weight must be a number of at least 0", found=repr(q.get("weight")))
        ok = False
        weight = 0.0
    measures = q.get("measures")
    if measures is not None and measures not in MEASURES:
        err(f"{where}: unknown 'measures'", found=repr(measures), expected=f"one of {list(MEASURES)}")
        ok = False
    options: tuple[Option, ...] = ()
    points: tuple[tuple[float, float], ...] = ()
    lo = hi = None
    if kind == "choice":
        set_name = q.get("options")
        if set_name not in choice_sets:
            err(f"{where}: bad mapping, unknown option set", found=repr(set_name),
                expected=f"one of {sorted(choice_sets)}")
            ok = False
        else:
            options = choice_sets[set_name]
    if kind in ("number", "percent"):
        lo, hi, points, numbers_ok = _number_scale(q, kind, weight, where, err)
        ok = ok and numbers_ok
    if q.get("reverse") and kind != "scale":
        err(f"{where}: 'reverse' applies only to scale questions")
        ok = False
    text = loc(q.get("text"), f"{where} text")
    unit = loc(q["unit"], f"{where} unit") if q.get("unit") is not None else None
    if not ok:
        return None
    return Question(
        id=qid, dimension=dim, kind=kind, text=text, audience=audience, weight=weight,
        reverse=bool(q.get("reverse", False)), options=options,
        scale_labels=agree_labels if kind == "scale" else None,
        min=lo, max=hi, points=points, measures=measures, unit=unit,
    )


def _audience(raw: Any, where: str, err: Any) -> tuple[str, ...]:
    """The teams a question is asked of, in the usual order; none when `audience` is wrong (reported)."""
    if raw == "everyone":
        return TEAMS
    if isinstance(raw, list) and raw and all(a in TEAMS for a in raw):
        return tuple(t for t in TEAMS if t in raw)
    err(f"{where}: bad audience", found=repr(raw), expected="'everyone' or a list of sales, marketing, leadership")
    return ()


def _number_scale(q: dict[str, Any], kind: str, weight: float, where: str,
                  err: Any) -> tuple[float | None, float | None, tuple[tuple[float, float], ...], bool]:
    """A number or percent question's range (a percent's is 0 to 100 unless given) and the points its
    answers score, and whether they are right: a scored one needs points."""
    ok = True
    points: tuple[tuple[float, float], ...] = ()
    lo, hi = _number(q.get("min")), _number(q.get("max"))
    if kind == "percent":
        lo = 0.0 if lo is None else lo
        hi = 100.0 if hi is None else hi
    if lo is None or hi is None or lo >= hi:
        err(f"{where}: min and max must be numbers with min below max",
            found=f"min={q.get('min')!r}, max={q.get('max')!r}")
        ok = False
    raw_points = q.get("points")
    if raw_points is None and weight > 0:
        err(f"{where}: bad mapping, a scored {kind} question needs 'points'")
        ok = False
    elif raw_points is not None:
        points = _points(where, raw_points, err)
        ok = ok and bool(points)
    return lo, hi, points, ok


def _points(where: str, raw: Any, err: Any) -> tuple[tuple[float, float], ...]:
    pts: list[tuple[float, float]] = []
    if not isinstance(raw, list) or len(raw) < 2:
        err(f"{where}: bad mapping, 'points' needs at least two [answer, score] pairs", found=repr(raw))
        return ()
    for p in raw:
        if not (isinstance(p, list) and len(p) == 2 and _number(p[0]) is not None and _number(p[1]) is not None):
            err(f"{where}: bad mapping, each point must be [answer, score]", found=repr(p))
            return ()
        pts.append((float(p[0]), float(p[1])))
    if any(b[0] <= a[0] for a, b in itertools.pairwise(pts)):
        err(f"{where}: bad mapping, point answers must increase", found=repr(raw))
        return ()
    if any(not 0 <= s <= 100 for _, s in pts):
        err(f"{where}: bad mapping, point scores must be between 0 and 100", found=repr(raw))
        return ()
    return tuple(pts)
