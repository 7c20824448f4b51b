"""Answers collected one respondent at a time: by the form in JupyterLab, by the web form
respondents open (`smarketing-assess collect`), or imported from a form tool's export.

Each respondent's answers are one JSON file in the period's `responses/` folder, written
whole under a fresh random id, so any number of people can submit at the same moment and
nothing is lost or mixed. When the period is read, these files are merged with
`responses.csv` (if there is one) and validated by the same rules.

    CLIENT/2026-Q1/responses/r-3f9c2a1b.json    one respondent
    CLIENT/2026-Q1/responses/replaced/...        earlier versions of corrected answers
    CLIENT/2026-Q1/responses/deleted/...         answers the consultant removed

A stored response holds the team, the answers and when it was given: no name or e-mail,
unless the consultant asked for names (`label`, never shown in any report).
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smarketing_assess.config.questionnaire import TEAMS, Question, QuestionBank
from smarketing_assess.core.confined import checked, present, read_bytes
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.storage import write_new, write_text_atomic
from smarketing_assess.reading.numbers import parse_answer

SCHEMA_VERSION = 1
RESPONSE_LIMIT = 2**20  # bytes of one stored response: a few kilobytes, whatever the answers
FOLDER = "responses"
_ID = re.compile(r"^[a-z]+-[0-9a-f]{8,16}$")

Answer = str | float


def required(question: Question) -> bool:
    """Agreement and choice questions must be answered; numbers and percentages are estimates a
    respondent may not know, and may be left blank."""
    return question.kind in ("scale", "choice")


@dataclass(frozen=True)
class Wrong:
    """One thing wrong with one answer: the question's id, why (`required`, `not_option`, `not_number`,
    `not_scale`, `out_of_range`, `not_asked`), and what the sentence saying it needs: the answer found
    (as sent), the question's range, its options' values, the respondent's team. The sentence is said
    where it is read: in the console's language for the consultant (`str`), in the form's for a
    respondent (`ui.web`)."""

    question: str
    reason: str
    found: Any = None
    low: float | None = None
    high: float | None = None
    options: tuple[str, ...] = ()
    team: str = ""

    @property
    def missing(self) -> bool:
        """Whether the answer is one a required question lacks."""
        return self.reason == "required"

    @property
    def message(self) -> str:
        """What is wrong, in the console's language, without the question's id."""
        return say(f"answers.{self.reason}", found=repr(self.found),
                   value=f"{self.found:g}" if isinstance(self.found, float) else str(self.found),
                   low=f"{self.low or 0:g}", high=f"{self.high if self.high is not None else math.inf:g}",
                   options=", ".join(self.options), team=self.team)

    def __str__(self) -> str:
        return f"{self.question}: {self.message}" if self.question else self.message


def check_answers(bank: QuestionBank, team: str, answers: dict[str, Any],
                  complete: bool = True, decimal: str = ".") -> tuple[dict[str, Answer], list[Wrong]]:
    """The answers in stored form (option values, whole 1-5 scale points, numbers), and what is
    wrong with them: missing required answers first (unless `complete` is false, as for answers
    imported from a form tool, where the form decided), then invalid ones (a team the
    questionnaire does not have: that alone). A number typed as text is read as every file's
    numbers are (`numbers.parse_answer`; one that reads two ways, `1,234`, by `decimal`)."""
    if team not in TEAMS:
        return {}, [Wrong("", "unknown_team", team, options=TEAMS)]
    clean: dict[str, Answer] = {}
    missing: list[Wrong] = []
    wrong: list[Wrong] = []
    for q in bank.questions_for(team):
        value = answers.get(q.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            if complete and required(q):
                missing.append(Wrong(q.id, "required"))
            continue
        answer = _valid(q, value, decimal)
        if isinstance(answer, Wrong):
            wrong.append(answer)
        else:
            clean[q.id] = answer
    extra = sorted(set(answers) - {q.id for q in bank.questions_for(team)})
    wrong += [Wrong(qid, "not_asked", answers[qid], team=team) for qid in extra if answers[qid] not in (None, "")]
    return clean, missing + wrong


def _valid(q: Question, value: Any, decimal: str = ".") -> Answer | Wrong:
    if q.kind == "choice":
        if q.option(str(value)) is None:
            return Wrong(q.id, "not_option", value, options=tuple(o.value for o in q.options))
        return str(value)
    if isinstance(value, bool):  # true is no number, even where JSON could be read as 1
        return Wrong(q.id, "not_number", value)
    try:  # the one number reader: no 1_000, no 1e3, no digits but 0-9
        number = parse_answer(value, decimal) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return Wrong(q.id, "not_number", value)
    if not math.isfinite(number):
        return Wrong(q.id, "not_number", value)
    if q.kind == "scale":
        if number not in (1, 2, 3, 4, 5):
            return Wrong(q.id, "not_scale", value)
        return int(number)
    if not (q.min or 0) <= number <= (q.max if q.max is not None else math.inf):
        return Wrong(q.id, "out_of_range", number, low=q.min, high=q.max)
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class Stored:
    """One stored response, as listed for the consultant."""

    id: str
    team: str
    submitted: str
    via: str
    answered: int
    path: Path
    label: str = ""  # a name, only when the consultant asked for names


def folder_of(period_dir: Path) -> Path:
    """The period's `responses/` folder, where each respondent's answers are stored as one file."""
    return Path(period_dir) / FOLDER


def save(period_dir: Path, bank: QuestionBank, team: str, answers: dict[str, Any], *, via: str,
         language: str = "en", label: str | None = None, replaces: str | None = None,
         respondent_id: str | None = None, complete: bool = True, answered: str | None = None) -> Path:
    """Validate and store one respondent's answers as a new file (or, with `replaces`, in place of
    that response, whose earlier version is kept under `replaced/`). Raises InputError listing what
    is missing or wrong; nothing is written then."""
    clean, problems = check_answers(bank, team, answers, complete)
    where = folder_of(period_dir)
    if problems:
        raise InputError([Problem(str(where), str(p)) for p in problems])
    record = {
        "schema_version": SCHEMA_VERSION,
        "team": team,
        "language": language,
        "question_bank": bank.version,
        "submitted": datetime.now(UTC).isoformat(timespec="seconds"),
        "via": via,
        "answers": clean,
    }
    if label:
        record["label"] = label
    if answered:  # when the form tool says it was sent, as it wrote it
        record["answered"] = answered
    where.mkdir(parents=True, exist_ok=True)
    if replaces is not None:
        target = _path(where, replaces)
        if not target.is_file():
            raise InputError.single(target, say("answers.no_response"))
        try:
            _move_aside(target, where / "replaced")
        except FileNotFoundError:
            raise InputError.single(target, say("answers.moved_meanwhile"),
                                    expected=say("answers.moved_meanwhile_expected")) from None
        record["id"] = replaces
        write_text_atomic(target, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return target
    while True:
        rid = respondent_id or f"r-{secrets.token_hex(4)}"
        record["id"] = rid
        target = _path(where, rid)
        try:
            write_new(target, (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            return target
        except FileExistsError:
            if respondent_id is not None:
                raise
            continue  # the same random id twice: draw another


def _path(where: Path, rid: str) -> Path:
    if not _ID.match(rid):
        raise InputError.single(where, say("answers.not_an_id"), found=rid,
                                expected=say("answers.not_an_id_expected", example="r-3f9c2a1b"))
    return where / f"{rid}.json"


def _move_aside(path: Path, into: Path) -> Path:
    into.mkdir(exist_ok=True)
    n = 1
    while (kept := into / f"{path.stem}.{n}.json").exists():
        n += 1
    os.replace(path, kept)
    return kept


def delete(period_dir: Path, rid: str) -> Path:
    """Take a response out of the assessment; the file is kept under `deleted/`."""
    where = folder_of(period_dir)
    target = _path(where, rid)
    if not target.is_file():
        raise InputError.single(target, say("answers.no_response"))
    return _move_aside(target, where / "deleted")


def load(path: Path) -> dict[str, Any]:
    """One stored response (InputError when the file is not one)."""
    raw = read_bytes(path, RESPONSE_LIMIT)  # inside the client folder, a regular file, not over the limit
    try:
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError.single(path, say("answers.unreadable", reason=str(exc))) from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION \
            or not isinstance(data.get("answers"), dict) or data.get("id") != path.stem:
        raise InputError.single(path, say("answers.not_stored_response"),
                                expected=say("answers.not_stored_response_expected", version=SCHEMA_VERSION))
    return data


def stored(period_dir: Path) -> list[Stored]:
    """The responses stored for a period, oldest first (the consultant's list)."""
    out = []
    for path in sorted(folder_of(period_dir).glob("*.json")):
        data = load(path)
        out.append(Stored(data["id"], str(data.get("team", "")), str(data.get("submitted", "")),
                          str(data.get("via", "")), len(data["answers"]), path, str(data.get("label", ""))))
    return sorted(out, key=lambda s: (s.submitted, s.id))


# ------------------------------------------------------------------ links for the web form

LINKS = "links.csv"  # in the responses folder: one row per respondent link (team, code)
_CODE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


@dataclass(frozen=True)
class Link:
    """One respondent's link: a random code, single use, for a team (or `any`: the respondent picks)."""

    team: str
    code: str


def links(period_dir: Path) -> list[Link]:
    """The period's respondent links, in the order they were made."""
    path = folder_of(period_dir) / LINKS
    if not present(path):
        return []
    checked(path)
    import csv

    from smarketing_assess.core.spreadsheet import unescaped

    with path.open(encoding="utf-8", newline="") as f:  # a code may start with "-": written as text, read back
        return [Link(r["team"], unescaped(r["code"])) for r in csv.DictReader(f) if r.get("code")]


def add_links(period_dir: Path, counts: dict[str, int]) -> list[Link]:
    """Make `counts[team]` new links for each team (`any` for links where the respondent picks the
    team), keep the earlier ones, and return them all."""
    from smarketing_assess.core.spreadsheet import csv_text

    for team in counts:
        if team not in (*TEAMS, "any"):
            raise ValueError(say("answers.unknown_team", found=repr(team), options=", ".join((*TEAMS, "any"))))
    made = links(period_dir) + [Link(team, secrets.token_urlsafe(9)) for team, n in counts.items() for _ in range(n)]
    where = folder_of(period_dir)
    where.mkdir(parents=True, exist_ok=True)
    write_text_atomic(where / LINKS, csv_text([["team", "code"], *([k.team, k.code] for k in made)]))
    return made


def _marker(period_dir: Path, code: str) -> Path:
    import hashlib

    if not _CODE.match(code):
        raise ValueError("not a link code")
    return folder_of(period_dir) / ".used" / hashlib.sha256(code.encode("utf-8")).hexdigest()[:24]


def used(period_dir: Path, code: str) -> bool:
    """Whether the link `code` has been used to send answers."""
    return _marker(period_dir, code).exists()


def claim(period_dir: Path, code: str) -> bool:
    """Mark the link `code` used, once: True for the first caller, False for every later one
    (the file system decides, so two sends at the same moment cannot both win)."""
    marker = _marker(period_dir, code)
    marker.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except FileExistsError:
        return False
    return True


def release(period_dir: Path, code: str) -> None:
    """Undo `claim` when the answers could not be stored after all."""
    _marker(period_dir, code).unlink(missing_ok=True)


# why the web form refused an attempt, as `count_refused` records it, and the console text saying it
REFUSALS = {"unknown link": "answers.refused_unknown_link", "link used before": "answers.refused_link_used",
            "wrong team": "answers.refused_wrong_team"}


def count_refused(period_dir: Path, reason: str) -> None:
    """Count an attempt the web form refused (`unknown` link, `used` link), for the collection summary."""
    where = folder_of(period_dir)
    where.mkdir(parents=True, exist_ok=True)
    with (where / ".refused").open("a", encoding="utf-8") as f:
        f.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {reason}\n")


def links_summary(period_dir: Path) -> str | None:
    """One line on the period's web-form links: how many were used, and the attempts refused."""
    made = links(period_dir)
    if not made:
        return None
    used_now = sum(used(period_dir, k.code) for k in made)
    turned_away = refused(period_dir)
    line = say("answers.links_used", used=used_now, made=len(made))
    if turned_away:
        reasons = [f"{say(REFUSALS[reason]) if reason in REFUSALS else reason} {n}"
                   for reason, n in sorted(turned_away.items())]
        line += "; " + say("answers.refused", reasons=", ".join(reasons))
    return line


def refused(period_dir: Path) -> dict[str, int]:
    """How many attempts the web form refused, by reason."""
    path = folder_of(period_dir) / ".refused"
    counts: dict[str, int] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            reason = line.partition(" ")[2]
            counts[reason] = counts.get(reason, 0) + 1
    return counts
