"""The reports folder: where each period's assessment and reports live, and reading them back.

    reports/<client-slug>/<period>/assessment.json       the period's assessment (the seam)
    reports/<client-slug>/<period>/report.html           its report in the client's language
    reports/<client-slug>/<period>/report.<lang>.html    the same report in another language
    reports/<client-slug>/<period>/report.pdf|.pptx|.xlsx  its other forms (localized the same way)
    reports/<client-slug>/progress.html                  the progress report (progress.<lang>.html)
    reports/<client-slug>/reviews/<month>/review.html    a month's review, beside its record review.json

Every report and record file name is made here (`names`, `period_folder`, `review_folder`).

A stored assessment is *current* when it was written with this schema version and the
client's input files still have the checksums it records; a current one is read, never
recomputed. `client_history` gives every quarter of a client that way, assessing from the
inputs only the quarters with no current stored assessment, and says which those were.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period, periods
from smarketing_assess.core.storage import keep_previous, write_text_atomic
from smarketing_assess.model.assessment import from_json, to_json
from smarketing_assess.model.progress import from_json as progress_json
from smarketing_assess.model.progress import judge_progress
from smarketing_assess.model.review_record import from_json as review_json
from smarketing_assess.records.assessment import SCHEMA_VERSION, Assessment
from smarketing_assess.records.progress import Progress
from smarketing_assess.records.review_record import ReviewRecord
from smarketing_assess.running.pipeline import assess, input_checksums

ASSESSMENT = "assessment.json"
# The three reports by kind: the notebook each is executed from, and the stem of its files
NOTEBOOKS = {"report": "baseline_report.ipynb", "progress": "progress_report.ipynb", "review": "monthly_review.ipynb"}
RECORDS = {"progress": "progress.json", "review": "review.json"}  # what a report was made from, beside it
PROGRESS = RECORDS["progress"]
PRESENTED = "presented.json"  # the commentary and brand a report folder's reports show (their checksums)
# Why a quarter of a history was assessed from its inputs rather than read from its report
ORIGINS = ("stored", "missing", "changed", "older_schema")


def localized(name: str, language: str, client_language: str) -> str:
    """A report's file name in a language: `report.html` in the client's own language,
    `report.it.html` in any other, so that one period can hold its report in several."""
    if language == client_language:
        return name
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{language}{dot}{suffix}"


@dataclass(frozen=True)
class Names:
    """The file names of one report in one language: `report.html`, `report.it.pdf`, ..."""

    html: str
    pdf: str
    slides: str
    workbook: str
    notebook: str
    record: str  # the record beside it (the baseline's is the period's assessment.json, one for every language)

    def paths(self, folder: Path) -> dict[str, Path]:
        """Every name under `folder`, by form (html, pdf, slides, workbook, notebook, record)."""
        return {k: folder / getattr(self, k) for k in ("html", "pdf", "slides", "workbook", "notebook", "record")}


def names(kind: str, language: str, client_language: str) -> Names:
    """The file names of a report of `kind` (report, progress, review) in `language`."""
    def name(n: str) -> str:
        return localized(n, language, client_language)

    return Names(name(f"{kind}.html"), name(f"{kind}.pdf"), name(f"{kind}.pptx"), name(f"{kind}.xlsx"),
                 name(NOTEBOOKS[kind]), ASSESSMENT if kind == "report" else name(RECORDS[kind]))


def stamp(checksums: dict[str, str]) -> str:
    """A report folder's `presented.json`: the checksums of the commentary and brand it shows."""
    return json.dumps(checksums, indent=2, sort_keys=True) + "\n"


def presented(folder: Path) -> str:
    """The stamp of what a report folder's reports show; a folder from before stamps showed none."""
    path = folder / PRESENTED
    return path.read_text(encoding="utf-8") if path.is_file() else stamp({})




def period_folder(reports_dir: Path, slug: str, period: Period) -> Path:
    """`reports/<client-slug>/<period>/`."""
    return client_folder(reports_dir, slug) / str(period)


def client_folder(reports_dir: Path, slug: str) -> Path:
    """`reports/<client-slug>/`: the client's period folders, progress report and reviews."""
    return Path(reports_dir) / slug


def review_folder(reports_dir: Path, slug: str, month: str) -> Path:
    """`reports/<client-slug>/reviews/<month>/`."""
    return client_folder(reports_dir, slug) / "reviews" / month


def progress_inputs(path: Path) -> dict[str, str] | None:
    """The checksums of the quarters' assessments a progress record rests on (a stamp from before the
    verdicts were recorded names them as `quarters`); None when there is no readable one."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "schema_version" not in data:
            quarters = data.get("quarters")
            return quarters if isinstance(quarters, dict) else None
        return progress_json(path.read_text(encoding="utf-8"), str(path)).inputs
    except (InputError, ValueError):
        return None


def same_review(path: Path, record: ReviewRecord) -> bool:
    """Whether the review record at `path` was made from what `record` was (a file that cannot be
    read, or from before records, says what it can: a stamp, or nothing)."""
    if not path.is_file():
        return False
    try:
        return review_json(path.read_text(encoding="utf-8"), str(path)).stamp == record.stamp
    except InputError:
        return False


@dataclass(frozen=True)
class Saved:
    """What `save_assessment` did: the file, whether it held this assessment already, the one kept aside."""

    path: Path
    unchanged: bool
    previous: Path | None


def save_assessment(assessment: Assessment, path: Path | None = None, reports_dir: Path = Path("reports"), *,
                    force: bool = False) -> Saved:
    """Write an assessment to `path` (default: its period folder's assessment.json) whole: a file that
    holds it already is left alone; a different one is replaced only with `force`, and then kept
    beside it (FileExistsError otherwise)."""
    content = to_json(assessment)
    path = path or period_folder(reports_dir, assessment.client.slug, assessment.quarter) / ASSESSMENT
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return Saved(path, True, None)
    previous = None
    if path.exists():
        if not force:
            raise FileExistsError(say("run.file_differs", file=path))
        previous = keep_previous(path)
    write_text_atomic(path, content)
    return Saved(path, False, previous)


@dataclass(frozen=True)
class Quarter:
    """One quarter of a client's history: its assessment, and where it came from."""

    assessment: Assessment
    origin: str  # one of ORIGINS: stored, or assessed now because missing, changed or older_schema
    path: Path | None  # the stored assessment.json, when there is one

    @property
    def period(self) -> Period:
        """The quarter."""
        return self.assessment.quarter


def read_stored(path: Path) -> tuple[Assessment, int]:
    """A stored assessment and the schema version it was written with (InputError when unreadable)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        version = json.loads(text).get("schema_version", 0)
    except (ValueError, AttributeError):
        version = None
    return from_json(text, str(path)), version if isinstance(version, int) else -1


def stored_periods(reports_dir: Path, slug: str) -> dict[Period, Path]:
    """The period folders of a client's reports that hold an assessment.json (earlier versions kept
    as `<period>.previous-N` and failed runs are not periods)."""
    folder = client_folder(reports_dir, slug)
    found = {}
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        try:
            period = Period.parse(child.name)
        except ValueError:
            continue
        if (child / ASSESSMENT).is_file():
            found[period] = child / ASSESSMENT
    return found


def load_history(reports_dir: Path, slug: str) -> list[Quarter]:
    """Every stored assessment of a client, oldest first, read as it is (InputError naming each
    unreadable file)."""
    quarters, problems = [], []
    for _period, path in sorted(stored_periods(reports_dir, slug).items()):
        try:
            quarters.append(Quarter(read_stored(path)[0], "stored", path))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return quarters


def current(client_dir: Path, period: Period, path: Path) -> tuple[Assessment | None, str]:
    """The stored assessment at `path` when it is current for the client's inputs, else None and
    why not (changed, older_schema)."""
    stored, version = read_stored(path)
    if version != SCHEMA_VERSION:
        return None, "older_schema"
    if stored.inputs != input_checksums(client_dir, period):
        return None, "changed"
    return stored, "stored"


def quarter(client_dir: Path, period: Period, reports_dir: Path | None, slug: str,
            bank: QuestionBank | None = None) -> Quarter:
    """One quarter's assessment: the stored one when current, otherwise assessed from the inputs."""
    path = period_folder(reports_dir, slug, period) / ASSESSMENT if reports_dir else None
    why = "missing"
    if path is not None and path.is_file():
        stored, why = current(client_dir, period, path)
        if stored is not None:
            return Quarter(stored, "stored", path)
    return Quarter(assess(client_dir, period, bank), why, path if path is not None and path.is_file() else None)


def client_history(client_dir: Path, reports_dir: Path | None, slug: str,
                   bank: QuestionBank | None = None) -> list[Quarter]:
    """Every quarter of a client, oldest first: the quarters of the client folder (stored
    assessments where current, assessed from the inputs otherwise) and the stored quarters whose
    inputs are no longer in the client folder (read as they are). InputError lists every problem."""
    bank = bank or load_question_bank()
    stored = stored_periods(reports_dir, slug) if reports_dir else {}
    inputs = set(periods(Path(client_dir)))
    out, problems = [], []
    for period in sorted(inputs | set(stored)):
        try:
            if period in inputs:
                out.append(quarter(client_dir, period, reports_dir, slug, bank))
            else:
                out.append(Quarter(read_stored(stored[period])[0], "stored", stored[period]))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return out



def judged_progress(history: list[Quarter]) -> Progress:
    """The progress verdicts over a client's quarters (the model's), each quarter named by the checksum
    of the record it rests on."""
    inputs = {q.assessment.period: "sha256:" + hashlib.sha256(to_json(q.assessment).encode("utf-8")).hexdigest()
              for q in history}
    return judge_progress([q.assessment for q in history], load_question_bank(), inputs)
