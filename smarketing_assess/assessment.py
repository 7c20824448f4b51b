"""The assessment: one dataclass tree built from a client's period, written as assessment.json.

Same inputs give the same file, byte for byte: no timestamps, floats rounded to six
decimals, keys in a fixed order, paths relative to the client folder. Input files are
recorded by checksum so that a reader can tell exactly what was assessed.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smarketing_assess import __version__
from smarketing_assess.benchmarks import Benchmarks, load_benchmarks
from smarketing_assess.channels import ChannelAnalysis, analyse_channels
from smarketing_assess.client import ClientProfile, load_client
from smarketing_assess.errors import InputError, Problem
from smarketing_assess.funnel import FunnelResult, analyse_funnel
from smarketing_assess.goals import Goal, Playbook, load_playbook, propose_goals
from smarketing_assess.period import Period
from smarketing_assess.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.readers import PeriodInputs, checksum, read_period
from smarketing_assess.scoring import Belief, Scores, beliefs, score
from smarketing_assess.sla import SlaDraft, draft_sla

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ClientInfo:
    name: str
    slug: str
    language: str
    currency: str
    industry: str | None


@dataclass(frozen=True)
class Assessment:
    schema_version: int
    tool_version: str
    question_bank_version: str
    # question id -> fingerprint of its wording, options and mapping: a later quarter
    # compares only questions whose fingerprint is unchanged
    questions: dict[str, str]
    client: ClientInfo
    period: str
    inputs: dict[str, str]  # file (relative to the client folder) -> checksum
    scores: Scores
    beliefs: list[Belief]
    funnel: FunnelResult | None
    channels: ChannelAnalysis | None
    sla: SlaDraft
    goals: list[Goal]
    facts: dict[str, float | None]  # the named figures goals are set and later judged on
    warnings: list[str]
    # figures derived from CRM exports (crm_summary.json), when the funnel came from them
    crm: dict[str, Any] | None = None


def facts_of(scores: Scores, funnel: FunnelResult | None, channels: ChannelAnalysis | None,
             client: ClientProfile) -> dict[str, float | None]:
    """The flat, named figures the goal playbook refers to (see templates/goals.yaml)."""
    facts: dict[str, float | None] = {"alignment_index": scores.alignment_index}
    for d in scores.dimensions:
        facts[f"dimension.{d.dimension}"] = d.score
        facts[f"gap.{d.dimension}"] = None if d.gap is None else abs(d.gap)
    for q in scores.questions:
        facts[f"answer.{q.question}.median"] = q.median
        facts[f"answer.{q.question}.mean_score"] = q.mean_score
        facts[f"answer.{q.question}.share_positive"] = q.share_positive
    if funnel is not None:
        for name, rate in funnel.rates.items():
            facts[f"rate.{name}"] = rate.value
        facts["funnel.revenue"] = funnel.revenue
        facts["funnel.customers"] = funnel.counts["customers"]
        facts["funnel.leads_per_month"] = funnel.per_month["leads"]
        facts["followup.share"] = funnel.followup.share
        facts["followup.hours"] = funnel.followup.hours_to_first_contact
    if channels is not None:
        facts["channels.shift"] = 1.0 if channels.recommendation.kind == "shift" else 0.0
        facts["channels.cost_per_customer"] = channels.blended_cost_per_customer
    facts["client.followup_sla_hours"] = client.followup_sla_hours
    return facts


def _measured(funnel: FunnelResult | None) -> dict[str, float | None]:
    """What the funnel data shows for each figure a question asks a belief about."""
    if funnel is None:
        return {}
    return {
        "leads_per_month": funnel.per_month["leads"],
        "followup_share": funnel.followup.share,
        "hours_to_first_contact": funnel.followup.hours_to_first_contact,
        "mql_acceptance": funnel.rate("mql_to_sal"),
        "lead_to_customer": funnel.rate("lead_to_customer"),
    }


def build_assessment(client: ClientProfile, period: Period, inputs: PeriodInputs, bank: QuestionBank,
                     benchmarks: Benchmarks, playbook: Playbook, files: dict[str, str],
                     warnings: list[str]) -> Assessment:
    """Pure: validated inputs in, the assessment out."""
    scores = score(inputs.responses, bank, client.anonymity_threshold)
    funnel = analyse_funnel(inputs.funnel) if inputs.funnel is not None else None
    channels = (analyse_channels(inputs.channels, client.currency, client.language)
                if inputs.channels is not None else None)
    facts = facts_of(scores, funnel, channels, client)
    measured = _measured(funnel)
    crm_followup = (inputs.crm or {}).get("followup") or {}
    if crm_followup:  # lead-level figures beat the monthly medians of funnel.csv
        facts["followup.hours"] = measured["hours_to_first_contact"] = crm_followup.get("median_hours")
        facts["followup.share"] = measured["followup_share"] = crm_followup.get("share_followed_up")
        facts["followup.share_within_sla"] = crm_followup.get("share_within_sla")
        facts["followup.p90_hours"] = crm_followup.get("p90_hours")
    if (inputs.crm or {}).get("deals"):
        facts["deals.win_rate"] = inputs.crm["deals"].get("win_rate")  # type: ignore[index]
    return Assessment(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        question_bank_version=bank.version,
        questions={q.id: q.fingerprint() for q in bank.questions},
        client=ClientInfo(client.name, client.client_slug, client.language, client.currency,
                          client.industry),
        period=str(period),
        inputs=files,
        scores=scores,
        beliefs=beliefs(inputs.responses, bank, measured, scores.withheld_teams),
        funnel=funnel,
        channels=channels,
        sla=draft_sla(client, funnel, benchmarks),
        goals=propose_goals(facts, playbook, period.next().end, client.currency, client.language),
        facts=facts,
        warnings=warnings,
        crm=_crm_view(inputs.crm),
    )


def _crm_view(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parts of a CRM summary the assessment keeps (no file names of the exports)."""
    if summary is None:
        return None
    keep = ("view", "mapping", "flow", "segments", "followup", "deals", "implied", "out_of_order")
    return {k: summary.get(k) for k in keep}


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
    try:
        inputs = read_period(client_dir / str(period), period, bank)
    except InputError as exc:
        problems += exc.problems
        warnings = exc.warnings
    else:
        warnings = inputs.warnings
        inputs.warnings = _relative(warnings, client_dir)
    if problems or client is None or inputs is None:
        raise InputError(_relative(problems, client_dir), _relative(warnings, client_dir))
    return client, inputs


def assess(client_dir: Path, period: Period, bank: QuestionBank | None = None,
           language: str | None = None) -> Assessment:
    """Read, validate and assess one client period (raises InputError listing every problem).
    Its sentences (goals, channel advice) are in `language`, by default the client's."""
    client_dir = Path(client_dir)
    bank = bank or load_question_bank()
    client, inputs = load_inputs(client_dir, period, bank)
    if language and language != client.language:
        client = client.model_copy(update={"language": language})
    files = {"client.yaml": checksum(client_dir / "client.yaml")}
    files.update({f"{period}/{name}": digest for name, digest in sorted(inputs.files.items())})
    return build_assessment(client, period, inputs, bank, load_benchmarks(), load_playbook(),
                            files, [str(w) for w in inputs.warnings])


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


# ------------------------------------------------------------------------------ JSON

def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    return value


def to_json(assessment: Assessment) -> str:
    return json.dumps(_plain(assessment), indent=2, ensure_ascii=False) + "\n"
