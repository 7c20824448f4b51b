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
from smarketing_assess.core.storage import write_text_atomic
from smarketing_assess.model.published import WHOLE, clashes, hashed, respondent_sets
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
        and all(isinstance(v, dict) and isinstance(v.get("teams"), dict)
                and all(isinstance(ids, list) and all(isinstance(h, str) for h in ids) for ids in v["teams"].values())
                for v in data["versions"])
    if not ok:
        raise InputError([Problem(name, say("privacy.unreadable"), found=say("privacy.other_shape"),
                                  expected=say("privacy.expected"))])
    return dict(data)


def version_of(client_dir: Path, period: Period, assessment: Assessment, bank: QuestionBank,
               salt: str) -> dict[str, list[str]]:
    """The hashed respondent sets, by team, that `assessment`'s figures count (read from the period's answers)."""
    inputs = load_inputs(client_dir, period, bank)[1]
    return hashed(respondent_sets(inputs.responses, list(assessment.scores.counted_teams)), salt)


def guard(client_dir: Path, period: Period, assessment: Assessment, bank: QuestionBank, *,
          earlier_unsent: bool = False) -> tuple[Path, dict[str, Any], dict[str, list[str]]]:
    """Check a new version of `period` against the versions published before (nothing written);
    DifferencingRefused, saying why and what to do, when it differs from one by too few respondents.
    Returns what `remember` needs once the version is published."""
    path = record_path(client_dir, period)
    data = read_record(path)
    new = version_of(client_dir, period, assessment, bank, data["salt"])
    if earlier_unsent:
        data = dict(data, versions=[])
    threshold = assessment.scores.anonymity_threshold
    found = clashes(new, [v["teams"] for v in data["versions"]], threshold)
    if found:
        first = found[0]
        where = say("privacy.in_whole") if first.team == WHOLE else say("privacy.in_team", team=first.team)
        raise DifferencingRefused(say("privacy.too_few_differ", period=period, version=first.version,
                                      differ=first.differ, where=where, threshold=threshold))
    return path, data, new


def remember(path: Path, data: dict[str, Any], new: dict[str, list[str]]) -> None:
    """Add a published version's sets to the record (once: the same sets again add nothing)."""
    versions = [v for v in data["versions"] if v["teams"] != new] + [{"teams": new}]
    out = {"kind": KIND, "schema_version": VERSION, "salt": data["salt"], "versions": versions}
    write_text_atomic(path, json.dumps(out, indent=2, sort_keys=True) + "\n")
