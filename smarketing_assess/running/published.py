"""What each published version of a period rested on: `<period>/published.json` in the client folder.

A report publishes a version of the period's figures; the client keeps every version it was given.
Each time a report is published from an assessment computed from the inputs, the respondents its
figures count are added to the record, by team and as salted hashes (never the ids, never an
answer). Before a new version is published it is compared with every earlier one: if the two
differ by fewer respondents than the anonymity threshold (over all the teams shown, or within one
team), subtraction would give those respondents' answers back, and the report is refused
(`DifferencingRefused`) unless the consultant says the earlier versions were never given to anyone.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from smarketing_assess.config.questionnaire import QuestionBank
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.core.storage import write_text_atomic
from smarketing_assess.model.published import WHOLE, answer_sets, clashes, hashed, respondent_sets
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.running.execute import ReportError
from smarketing_assess.running.pipeline import load_inputs

RECORD = "published.json"
KIND = "published"
VERSION = 1


class DifferencingRefused(ReportError):
    """A new version of a period would differ from an earlier published one by too few respondents."""


def record_path(client_dir: Path, period: Period) -> Path:
    """Where the record of a period's published versions is kept: with the client's data, never in a report."""
    return Path(client_dir) / str(period) / RECORD


def read_record(path: Path) -> dict[str, Any]:
    """The record, or an empty one when there is none yet; InputError naming the file when it is not one."""
    if not path.exists():
        return {"kind": KIND, "schema_version": VERSION, "salt": secrets.token_hex(16), "versions": []}
    name = f"{path.parent.name}/{path.name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError([Problem(name, say("privacy.unreadable"), found=type(exc).__name__,
                                  expected=say("privacy.expected"))]) from exc
    ok = isinstance(data, dict) and data.get("kind") == KIND and data.get("schema_version") == VERSION \
        and isinstance(data.get("salt"), str) and isinstance(data.get("versions"), list) \
        and all(isinstance(v, dict) and all(_sets(v.get(k)) for k in ("teams", "questions")) for v in data["versions"])
    if not ok:
        raise InputError([Problem(name, say("privacy.unreadable"), found=say("privacy.other_shape"),
                                  expected=say("privacy.expected"))])
    return dict(data)


def _sets(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(ids, list) and all(isinstance(h, str) for h in ids)
                                           for ids in value.values())


def version_of(client_dir: Path, period: Period, assessment: Assessment, bank: QuestionBank,
               salt: str) -> dict[str, dict[str, list[str]]]:
    """The hashed respondent sets that `assessment`'s figures count, by team and by published question
    (read from the period's answers)."""
    responses = load_inputs(client_dir, period, bank)[1].responses
    return {"teams": hashed(respondent_sets(responses, list(assessment.scores.counted_teams)), salt),
            "questions": hashed(answer_sets(responses, assessment.scores.anonymity_threshold), salt)}


def _is_example(client_dir: Path) -> bool:
    try:
        return Path(client_dir).resolve().is_relative_to(examples_dir().resolve())
    except FileNotFoundError:  # installed without the examples
        return False


Guarded = tuple[Path, dict[str, Any], dict[str, dict[str, list[str]]]]


def guard(client_dir: Path, period: Period, assessment: Assessment, bank: QuestionBank, *,
          earlier_unsent: bool = False) -> Guarded | None:
    """Check a new version of `period` against the versions published before (nothing written);
    DifferencingRefused, saying why and what to do, when it differs from one by too few respondents.
    Returns what `remember` needs once the version is published; None for the shipped example, whose
    people are made up and which `demo` and the tests run again freely (it keeps no record)."""
    if _is_example(client_dir):
        return None
    path = record_path(client_dir, period)
    data = read_record(path)
    new = version_of(client_dir, period, assessment, bank, data["salt"])
    if earlier_unsent:
        data = dict(data, versions=[])
    threshold = assessment.scores.anonymity_threshold
    found = clashes(new, data["versions"], threshold)
    if found:
        first = found[0]
        questions = ", ".join(c.question for c in found if c.question and c.version == first.version)
        where = say("privacy.in_question", question=questions) if first.question else \
            say("privacy.in_whole") if first.team == WHOLE else say("privacy.in_team", team=first.team)
        raise DifferencingRefused(say("privacy.too_few_differ", period=period, version=first.version,
                                      differ=first.differ, where=where, threshold=threshold))
    return path, data, new


def remember(guarded: Guarded | None) -> None:
    """Add a published version's sets to the record (once: the same sets again add nothing)."""
    if guarded is None:
        return
    path, data, new = guarded
    versions = [v for v in data["versions"] if v != new] + [new]
    out = {"kind": KIND, "schema_version": VERSION, "salt": data["salt"], "versions": versions}
    write_text_atomic(path, json.dumps(out, indent=2, sort_keys=True) + "\n")
