"""From a client folder to an assessment: read and validate the inputs, then compute.

The one place where reading and the model meet. `assess` is the only function that
computes an assessment from a client's files; everything downstream (the notebooks, the
progress report, the "since last quarter" section) reads the `assessment.json` it led to.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from smarketing_assess.config.benchmarks import load_benchmarks
from smarketing_assess.config.client import ClientProfile, load_client
from smarketing_assess.config.plan import AGREED_FOLDER, agreed_files, agreed_versions
from smarketing_assess.config.playbook import load_playbook
from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period
from smarketing_assess.core.storage import checksum
from smarketing_assess.model.assessment import build_assessment
from smarketing_assess.model.inputs import PeriodInputs
from smarketing_assess.reading.inputs import period_files, read_period
from smarketing_assess.records.assessment import Assessment


def load_inputs(client_dir: Path, period: Period, bank: QuestionBank) -> tuple[ClientProfile, PeriodInputs]:
    """Read and validate the client profile and the period's inputs.

    Raises one InputError listing every problem of every file (paths relative to the
    client folder); the warnings travel with the inputs, or with the error.
    """
    client_dir = Path(client_dir)
    problems: list[Problem] = []
    client = inputs = None
    try:
        client = load_client(client_dir / "client.yaml")
    except InputError as exc:
        problems += exc.problems
    plans = {}
    try:
        plans = agreed_versions(client_dir)
    except InputError as exc:
        problems += exc.problems
    try:
        inputs = read_period(client_dir / str(period), period, bank)
    except InputError as exc:
        problems += exc.problems
        warnings = exc.warnings
    else:
        warnings = inputs.warnings
        inputs.warnings = _relative(warnings, client_dir)
        inputs.plans = plans
    if problems or client is None or inputs is None:
        raise InputError(_relative(problems, client_dir), _relative(warnings, client_dir))
    return client, inputs


def input_checksums(client_dir: Path, period: Period) -> dict[str, str]:
    """The checksums an assessment of this period records as its `inputs`, taken from the files
    as they are now (nothing is parsed)."""
    client_dir = Path(client_dir)
    files = {"client.yaml": checksum(client_dir / "client.yaml")} if (client_dir / "client.yaml").is_file() else {}
    folder = client_dir / str(period)
    if folder.is_dir():
        files.update({f"{period}/{name}": digest for name, digest in period_files(folder).items()})
    return files | plan_checksums(client_dir)


def plan_checksums(client_dir: Path) -> dict[str, str]:
    """The agreed plans' checksums: a quarter's assessment shows one of them."""
    return {f"{AGREED_FOLDER}/{p.name}": checksum(p) for p in agreed_files(client_dir)}


def assess(client_dir: Path, period: Period, bank: QuestionBank | None = None) -> Assessment:
    """Read, validate and assess one client period (raises InputError listing every problem)."""
    client_dir = Path(client_dir)
    bank = bank or load_question_bank()
    client, inputs = load_inputs(client_dir, period, bank)
    files = {"client.yaml": checksum(client_dir / "client.yaml")}
    files.update({f"{period}/{name}": digest for name, digest in sorted(inputs.files.items())})
    files.update(plan_checksums(client_dir))
    return build_assessment(client, period, inputs, bank, load_benchmarks(), load_playbook(), files)


def _relative(problems: list[Problem], root: Path) -> list[Problem]:
    """Problems naming files relative to the client folder, as a reader would write them."""
    out = []
    for p in problems:
        try:
            rel = str(Path(p.file).relative_to(root))
        except ValueError:
            rel = p.file
        out.append(dataclasses.replace(p, file=rel))
    return out
