"""The agreed plan, `plan.yaml`: the goals and the SLA both teams sign in the workshop.

`smarketing-assess plan new` writes it from a quarter's suggested goals and draft SLA, every
suggestion `proposed`; in the workshop the consultant marks each one `accepted`, `changed`
or `dropped`, adds the client's own goals (`added`), names an owner for each, fills in the
SLA's numbers and who agreed, and `plan agree` keeps that version for good under
`plans/<date>.yaml`. Later changes are agreed the same way, with a later date: each version
stays, so a month or a quarter is judged against what was agreed at the time.

This module reads and types the file; whether its figures make sense against an assessment
(a metric that exists, a target on the right side of the baseline, an SLA that meets the
revenue goal) is `model.plan`'s check.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem, line_of
from smarketing_assess.core.period import Period
from smarketing_assess.core.spreadsheet import ControlCharacter, no_control
from smarketing_assess.core.yamlfile import load_yaml, yaml_lines

PLAN_VERSION: Literal[1] = 1
PLAN_FILE = "plan.yaml"
AGREED_FOLDER = "plans"  # the agreed versions, one file per date of agreement
FIRST_CONTACT_SHARE = 0.9  # the share of MQLs contacted within the hours that `plan new` writes for the teams to sign

Team = Literal["marketing", "sales", "joint", "leadership"]
Status = Literal["proposed", "accepted", "changed", "dropped", "added"]
# the units a goal on a figure reported by hand may give (documented in the plan's guide)
Unit = Literal["score", "share", "per_month", "hours", "money", "count", "days", "number"]
UNITS: tuple[str, ...] = get_args(Unit)
DECIDED: tuple[Status, ...] = ("accepted", "changed", "added")  # the goals a plan holds the teams to


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Owner(_Strict):
    """Who answers for a goal or a commitment: a team, and optionally a person of the client's
    (the client's own staff in their own plan; respondents stay anonymous everywhere)."""

    team: Team
    person: str | None = Field(default=None, min_length=1, max_length=200)

    _plain_text = field_validator("person")(no_control)


class Suggested(_Strict):
    """What the assessment suggested for a goal, kept beside what was agreed."""

    baseline: float | None = None
    target: float
    deadline: date


class PlanGoal(_Strict):
    """One goal of the plan: a suggestion accepted, changed or dropped, or one the client added."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    status: Status
    title: str | None = Field(default=None, max_length=300)  # needed for an added goal: the words to show
    metric: str = Field(min_length=1, max_length=200)
    better: Literal["higher", "lower"] | None = None
    unit: Unit | None = None
    baseline: float | None = None
    target: float
    deadline: date
    owner: Owner | None = None
    suggested: Suggested | None = None
    note: str | None = Field(default=None, max_length=1000)


class Commitment(_Strict):
    """Any other commitment of the SLA on a measured figure, judged every month."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    title: str = Field(min_length=1, max_length=300)
    metric: str = Field(min_length=1, max_length=200)
    better: Literal["higher", "lower"] | None = None
    target: float
    owner: Owner


class MarketingSla(_Strict):
    """Marketing's side: MQLs a month, each meeting the agreed definition."""

    mql_per_month: int | None = Field(default=None, ge=0, le=10_000_000)
    remedy: str | None = Field(default=None, max_length=1000)  # what marketing does when it misses


class SalesSla(_Strict):
    """Sales' side: first contact within hours, up to a number of attempts, accept or return in days."""

    first_contact_hours: float | None = Field(default=None, gt=0, le=24 * 31)
    # the share of the month's MQLs that must be contacted within those hours for the month to count as met;
    # unset: the plan names no share, and a month's first contacts are judged by their median hours
    first_contact_share: float | None = Field(default=None, gt=0, le=1)
    attempts: int | None = Field(default=None, ge=1, le=50)
    accept_or_return_days: float | None = Field(default=None, gt=0, le=90)
    remedy: str | None = Field(default=None, max_length=1000)


class Sla(_Strict):
    """The service-level agreement both teams sign."""

    marketing: MarketingSla = MarketingSla()
    sales: SalesSla = SalesSla()
    commitments: list[Commitment] = Field(default_factory=list)
    review: str | None = Field(default=None, max_length=300)  # how often both teams meet, and who chairs


class Agreement(_Strict):
    """When the plan was agreed and by whom (roles, optionally with names)."""

    date: dt.date | None = None
    by: list[str] = Field(default_factory=list)


class Plan(_Strict):
    """A whole `plan.yaml`."""

    plan_version: Literal[1] = PLAN_VERSION
    baseline: str  # the quarter whose assessment the suggestions came from, YYYY-Qn
    agreed: Agreement = Agreement()
    goals: list[PlanGoal] = Field(default_factory=list)
    sla: Sla = Sla()

    @field_validator("baseline")
    @classmethod
    def _period(cls, v: str) -> str:
        return str(Period.parse(v))

    @property
    def active(self) -> list[PlanGoal]:
        """The goals the teams are held to: accepted, changed and added."""
        return [g for g in self.goals if g.status in DECIDED]


_MESSAGES = {  # pydantic's error types, as the console says them
    "missing": "plan.field_required",
    "extra_forbidden": "plan.field_unknown",
    "literal_error": "plan.field_not_allowed",
    **dict.fromkeys(("date_from_datetime_parsing", "date_from_datetime_inexact", "date_parsing", "date_type"),
                    "plan.field_not_date"),
    **dict.fromkeys(("float_parsing", "float_type"), "plan.field_not_number"),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), "plan.field_not_whole"),
    "string_type": "plan.field_not_text",
    "list_type": "plan.field_not_list",
    **dict.fromkeys(("model_type", "dict_type", "model_attributes_type"), "plan.field_not_mapping"),
    **dict.fromkeys(("greater_than", "greater_than_equal", "less_than", "less_than_equal"), "plan.field_out_of_range"),
    "string_too_long": "plan.field_too_long",
    "string_too_short": "plan.field_empty",
    "string_pattern_mismatch": "plan.field_not_id",
}
_LIMITS = {"gt": "plan.more_than", "ge": "plan.at_least", "lt": "plan.less_than", "le": "plan.at_most"}


def load_plan(path: Path) -> tuple[Plan, dict[tuple[str | int, ...], int]]:
    """Read a plan file and where each value is in it; every invalid field is reported at once,
    each with its line."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, say("plan.not_mapping"), found=type(data).__name__,
                                expected=say("plan.not_mapping_expected"))
    lines = yaml_lines(path)
    try:
        return Plan.model_validate(data), lines
    except ValidationError as exc:
        raise InputError(pydantic_problems(exc, path, lines)) from None


def pydantic_problems(exc: ValidationError, path: Path, lines: dict[tuple[str | int, ...], int]) -> list[Problem]:
    """Pydantic's errors as problems naming the field and its line."""
    problems = []
    for e in exc.errors():
        at = tuple(p for p in e["loc"] if isinstance(p, str | int))
        field = field_name(at)
        found = None if e["type"] == "missing" else str(e.get("input"))  # the Problem quotes it
        expected = _expected(e)
        key = _MESSAGES.get(e["type"])
        if e["type"] == "string_pattern_mismatch" and at[-1:] != ("id",):
            key = None  # a pattern of another file's field (a brand's colour): its own check words it
        if e["type"] == "value_error" and isinstance((e.get("ctx") or {}).get("error"), ControlCharacter):
            key, expected = None, say("safety.control_expected")
            e = {**e, "msg": str(e["ctx"]["error"])}
        message = say(key, field=field) if key else say("plan.field_other", field=field, message=e["msg"])
        problems.append(Problem(str(path), message,
                                row=line_of(lines, at), found=found, expected=expected))
    return problems


_ITEMS = {"goals": "goal", "commitments": "commitment", "by": "signatory"}  # a list's items: their console texts


def field_name(at: tuple[str | int, ...]) -> str:
    """A field's place as a consultant finds it in the file: a list's items counted from 1 and named by what they
    are (`goals.7.unit` is "goal 8, unit"; `sla.commitments.0.metric` is "sla, commitment 1, metric")."""
    parts: list[list[str]] = [[]]
    for p in at:
        if isinstance(p, int):  # the key before it names the list: its item takes that key's place
            key = parts[-1].pop() if parts[-1] else ""
            item = say(f"plan.item.{_ITEMS[key]}", n=p + 1) if key in _ITEMS else \
                say("plan.item.other", name=key or "#", n=p + 1)
            parts += [[item], []]
        else:
            parts[-1].append(p)
    return ", ".join(".".join(group) for group in parts if group) or "(file)"


def _expected(e: Any) -> str | None:
    """What a field should hold, in the console's language: the values allowed, the limit passed, a date's form."""
    ctx = e.get("ctx") or {}
    if e["type"] == "literal_error":
        return say("plan.one_of", values=", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))) or None
    if _MESSAGES.get(e["type"]) == "plan.field_not_date":
        return say("plan.date_expected")
    if (limit := next((k for k in _LIMITS if k in ctx), None)) is not None:
        return say(_LIMITS[limit], limit=f"{ctx[limit]:g}" if isinstance(ctx[limit], float) else str(ctx[limit]))
    if e["type"] == "string_too_long":
        return say("plan.at_most_characters", limit=str(ctx.get("max_length", "")))
    if e["type"] == "string_pattern_mismatch" and tuple(e["loc"])[-1:] == ("id",):
        return say("plan.id_expected")
    return None


def agreed_files(client_dir: Path) -> list[Path]:
    """The files of the agreed versions, oldest first."""
    folder = Path(client_dir) / AGREED_FOLDER
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def agreed_versions(client_dir: Path) -> dict[date, Plan]:
    """Every agreed version of the client's plan, by the date it was agreed (every problem of every file at once)."""
    versions: dict[date, Plan] = {}
    problems: list[Problem] = []
    for path in agreed_files(client_dir):
        try:
            plan, _ = load_plan(path)
        except InputError as exc:
            problems += exc.problems
            continue
        if plan.agreed.date is None or path.stem != plan.agreed.date.isoformat():
            problems.append(Problem(str(path), say("plan.file_name"),
                                    found=path.stem, expected=str(plan.agreed.date)))
            continue
        versions[plan.agreed.date] = plan
    if problems:
        raise InputError(problems)
    return versions
