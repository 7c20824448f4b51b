"""The assessment of a client's period: built, judged, and written and read as `assessment.json`.

`build_assessment` computes every figure and `judge` makes the findings; the record itself (its
classes) is `smarketing_assess.records.assessment`, which is what every report reads. It holds
numbers, codes, ids and the parameters of every statement (a goal is its playbook code and its
metric, baseline, target and deadline; the channel advice is a code and the channels and figures
it rests on), never a finished sentence: words are rendered from these codes in the reader's
language when a report is rendered.

Same inputs give the same file, byte for byte: no timestamps, floats rounded to six
decimals, keys in a fixed order, paths relative to the client folder. `from_json` reads a
file back into the same objects (older schema versions are upgraded first, one step at a
time, by `migrate`), and `to_json(from_json(text)) == text`. The JSON Schema shipped
beside this module (`assessment.schema.json`) is generated from the record's classes.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from pathlib import Path
from statistics import mean
from typing import Any

from pydantic import TypeAdapter

from smarketing_assess import __version__
from smarketing_assess.config.benchmarks import Benchmarks
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.config.metrics import MANUAL
from smarketing_assess.config.playbook import Playbook
from smarketing_assess.config.questionnaire import QuestionBank
from smarketing_assess.core.period import Period
from smarketing_assess.model.agreed import agreed_plan
from smarketing_assess.model.channels import analyse_channels, recommend
from smarketing_assess.model.evidence import share_interval, wilson
from smarketing_assess.model.findings import findings
from smarketing_assess.model.funnel import analyse_funnel
from smarketing_assess.model.goals import propose_goals
from smarketing_assess.model.inputs import PeriodInputs
from smarketing_assess.model.review import quarter_reviews
from smarketing_assess.model.scoring import beliefs, half_up, score
from smarketing_assess.model.sla import draft_sla
from smarketing_assess.records import serial
from smarketing_assess.records.assessment import (
    SCHEMA_VERSION,
    Assessment,
    ClientInfo,
    CrmHistory,
    CrmView,
    Followup,
    SpanChannel,
    SpanRow,
    wording_of,
)
from smarketing_assess.records.channels import ChannelAnalysis, ChannelResult
from smarketing_assess.records.crm_summary import CrmHistoryView, CrmSpanRow, CrmSummary
from smarketing_assess.records.evidence import EvidenceRule
from smarketing_assess.records.funnel import FunnelResult, Rate
from smarketing_assess.records.scoring import Belief, Scores
from smarketing_assess.records.sla import MONTHS_PER_QUARTER, round_up

SCHEMA_FILE = Path(__file__).with_name("assessment.schema.json")


def followup_of(funnel: FunnelResult | None, crm: CrmSummary | None) -> Followup:
    """Follow-up from CRM exports when there are any (lead by lead), else from funnel.csv."""
    fu = crm.followup if crm is not None else None
    if fu is not None:
        return Followup("crm", fu.share_followed_up, fu.median_hours, fu.handed_over, fu.p90_hours,
                        fu.share_within_sla, fu.sla_hours, fu.median_attempts,
                        share_interval(fu.share_followed_up, fu.handed_over),
                        share_interval(fu.share_within_sla, fu.handed_over),
                        fu.hours_basis if fu.median_hours is not None else None)
    if funnel is not None and (funnel.followup.share is not None or funnel.followup.hours_to_first_contact is not None):
        basis = funnel.counts["mql"]
        # the months' medians are over the leads followed up, when funnel.csv counts them
        hours_basis = funnel.followup.followed_up if funnel.followup.hours_to_first_contact is not None else None
        return Followup("funnel", funnel.followup.share, funnel.followup.hours_to_first_contact, basis,
                        share_interval=share_interval(funnel.followup.share, basis), hours_basis=hours_basis)
    return Followup(None, None, None, None)


def facts_of(scores: Scores, funnel: FunnelResult | None, channels: ChannelAnalysis | None,
             followup: Followup, crm: CrmSummary | None, client: ClientProfile,
             manual: dict[str, dict[str, float]] | None = None) -> dict[str, float | None]:
    """The flat, named figures the goal playbook and the plan refer to (see templates/goals.yaml);
    a figure reported by hand every month (`manual`) is, for the quarter, the mean of its months."""
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
    if followup.source is not None:
        facts["followup.share"] = followup.share
        facts["followup.hours"] = followup.hours
    if followup.source == "crm":
        facts["followup.share_within_sla"] = followup.share_within_sla
        facts["followup.p90_hours"] = followup.p90_hours
    if crm is not None and crm.deals is not None:
        facts["deals.win_rate"] = crm.deals.win_rate
    if channels is not None:
        facts["channels.shift"] = 1.0 if channels.recommendation.kind == "shift" else 0.0
        facts["channels.cost_per_customer"] = channels.blended_cost_per_customer
    facts["client.followup_sla_hours"] = client.followup_sla_hours
    reported: dict[str, list[float]] = {}
    for figures in (manual or {}).values():
        for name, value in figures.items():
            reported.setdefault(name, []).append(value)
    facts.update({f"{MANUAL}{name}": mean(values) for name, values in sorted(reported.items())})
    return facts


def bases_of(funnel: FunnelResult | None, followup: Followup, crm: CrmSummary | None) -> dict[str, float]:
    """The basis (cases) of every share-type fact, what its rate is a share of, and of every median,
    the cases it is over."""
    bases: dict[str, float] = {}
    if funnel is not None:
        bases.update({f"rate.{name}": r.denominator for name, r in funnel.rates.items()
                      if r.value is not None and r.denominator is not None})
    if followup.share is not None and followup.basis is not None:
        bases["followup.share"] = followup.basis
    if followup.hours is not None and followup.hours_basis is not None:
        bases["followup.hours"] = followup.hours_basis
    if crm is not None and crm.followup is not None and crm.followup.share_within_sla is not None:
        bases["followup.share_within_sla"] = crm.followup.handed_over
    if crm is not None and crm.deals is not None and crm.deals.win_rate is not None and crm.deals.lost is not None:
        bases["deals.win_rate"] = crm.deals.won + crm.deals.lost
    return bases


def _measured(funnel: FunnelResult | None, followup: Followup) -> dict[str, tuple[float | None, float | None]]:
    """What the data shows for each figure a question asks a belief about, and for a share
    the cases it is a share of."""
    if funnel is None:
        return {}
    acceptance, conversion = funnel.rates.get("mql_to_sal"), funnel.rates.get("lead_to_customer")
    return {
        "leads_per_month": (funnel.per_month["leads"], None),
        "followup_share": (followup.share, followup.basis),
        "hours_to_first_contact": (followup.hours, None),
        "mql_acceptance": (funnel.rate("mql_to_sal"), acceptance.denominator if acceptance else None),
        "lead_to_customer": (funnel.rate("lead_to_customer"), conversion.denominator if conversion else None),
    }


def _with_evidence(belief: Belief, measured: dict[str, tuple[float | None, float | None]]) -> Belief:
    """A belief with its fact's basis and 95% interval, when the fact is a share of cases."""
    value, basis = measured.get(belief.measure, (None, None))
    interval = wilson(value * basis, basis) if value is not None and basis is not None else None
    if interval is None:
        return belief
    return dataclasses.replace(belief, basis=basis, low=interval.low, high=interval.high)


def judge(assessment: Assessment) -> Assessment:
    """The assessment with its judgements made: the findings that matter most (`model.findings`)."""
    return dataclasses.replace(assessment, findings=findings(assessment))


def build_assessment(client: ClientProfile, period: Period, inputs: PeriodInputs, bank: QuestionBank,
                     benchmarks: Benchmarks, playbook: Playbook, files: dict[str, str]) -> Assessment:
    """Pure: validated inputs in, the assessment out, judged."""
    scores = score(inputs.responses, bank, client.anonymity_threshold)
    funnel = analyse_funnel(inputs.funnel) if inputs.funnel is not None else None
    channels = analyse_channels(inputs.channels) if inputs.channels is not None else None
    followup = followup_of(funnel, inputs.crm)
    facts = facts_of(scores, funnel, channels, followup, inputs.crm, client, inputs.manual)
    bases = bases_of(funnel, followup, inputs.crm)
    measured = _measured(funnel, followup)
    goals, held_back = propose_goals(facts, playbook, period.next().end, bases)
    plan = agreed_plan(inputs.plans, period, facts)
    return judge(Assessment(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        question_bank_version=bank.version,
        questions={q.id: q.fingerprint() for q in bank.questions},
        client=ClientInfo(client.name, client.client_slug, client.language, client.currency, client.industry),
        period=str(period),
        inputs=files,
        scores=scores,
        beliefs=[_with_evidence(b, measured) for b in beliefs(
            inputs.responses, bank, {k: v for k, (v, _) in measured.items()}, scores.anonymity_threshold)],
        funnel=funnel,
        followup=followup,
        channels=channels,
        sla=draft_sla(client, funnel, benchmarks),
        goals=goals,
        facts=facts,
        bases=bases,
        held_back=held_back,
        evidence=EvidenceRule(),
        input_warnings=len(inputs.warnings),
        crm=_crm_view(inputs.crm),
        plan=plan,
        sla_months=quarter_reviews(inputs.plans, period.months, inputs.funnel, inputs.crm, inputs.manual),
        wording=wording_of(benchmarks, playbook, list(funnel.rates) if funnel is not None else [],
                           [g.id for g in goals] + [h.id for h in held_back]
                           + ([g.id for g in plan.goals] if plan is not None else []), bank),
    ))


def _crm_view(summary: CrmSummary | None) -> CrmView | None:
    """The parts of a CRM summary the assessment keeps (no file names of the exports)."""
    if summary is None:
        return None
    return CrmView(summary.view, summary.mapping, summary.flow, summary.segments, summary.followup,
                   summary.deals, summary.implied, summary.out_of_order, dict(summary.rows_read),
                   dict(summary.linked), {k: list(v) for k, v in summary.withheld.items()},
                   _history(summary.history) if summary.history else None,
                   _share("win_rate", summary.deals.won, summary.deals.won + summary.deals.lost)
                   if summary.deals is not None and summary.deals.lost is not None
                   and summary.deals.win_rate is not None else None,
                   {k: list(v) for k, v in summary.thinly_linked.items()},
                   {k: list(v) for k, v in summary.partial.items()}, summary.as_of)


def _share(name: str, part: int | None, whole: int | None) -> Rate | None:
    """part / whole with its basis and interval; None when either is unknown or there is no case."""
    if part is None or not whole:
        return None
    interval = wilson(part, whole)
    return Rate(name, part / whole, part, whole, None, *((interval.low, interval.high) if interval else (None, None)))


def _history(h: CrmHistoryView) -> CrmHistory:
    def row(r: CrmSpanRow) -> SpanRow:
        closed = r.won + r.lost if r.won is not None and r.lost is not None else None
        return SpanRow(r.period, r.leads, r.customers, _share("lead_to_customer", r.customers, r.leads),
                       r.median_hours, _share("win_rate", r.won, closed), r.hours_basis)
    return CrmHistory([row(q) for q in h.quarters], row(h.whole), [
        SpanChannel(str(c["channel"]), int(c["leads"]), c.get("customers"),
                    _share("lead_to_customer", c.get("customers"), int(c["leads"]))) for c in h.channels])


# ------------------------------------------------------------------------------ JSON

@functools.cache
def _adapter() -> TypeAdapter[Assessment]:
    """The validator of the classes above, built on first use (not at import: writing needs none)."""
    return TypeAdapter(Assessment)


def to_json(assessment: Assessment) -> str:
    """The assessment as the text of `assessment.json`."""
    return serial.dumps(assessment)


def from_json(text: str, source: str = "assessment.json") -> Assessment:
    """An `assessment.json` read back, upgraded to the current schema and validated.

    InputError names the file and what is wrong: not JSON, a newer schema than this
    version reads, or fields that do not fit. A file written before the judgements were stored
    (schema 4 and older) has them made now, by the same rules (`judge`)."""
    assessment = serial.load(_adapter(), text, source, "assessment", SCHEMA_VERSION, MIGRATIONS)
    return assessment if assessment.findings is not None else judge(assessment)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the current `assessment.json`, generated from the classes above."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"smarketing-assess assessment.json, schema version {SCHEMA_VERSION}"
    schema["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return schema


def write_schema() -> Path:
    """Write `assessment.schema.json` anew from the classes (after changing them, on purpose):
    `python -c "from smarketing_assess.model.assessment import write_schema; write_schema()"`."""
    SCHEMA_FILE.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return SCHEMA_FILE


# ------------------------------------------------------------------------ migrations

def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (before the schema was numbered) had no per-question fingerprints: every
    question then counts as changed, and is left out of comparisons rather than guessed."""
    out = dict(data, schema_version=1)
    out.setdefault("questions", {})
    out.setdefault("facts", {})
    out.setdefault("goals", [])
    return out


def _condition_parts(evidence: dict[str, Any]) -> dict[str, Any]:
    """A version 1 goal's evidence held its condition as words and number ("at least 0.8"):
    version 2 keeps the operator (`at_least`) and the threshold (0.8) apart."""
    if "condition" not in evidence:
        return evidence
    out = {k: v for k, v in evidence.items() if k != "condition"}
    words, _, threshold = str(evidence["condition"]).rpartition(" ")
    return out | {"op": words.replace(" ", "_"), "threshold": float(threshold)}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 held finished sentences (goal titles and reasons, the channel advice, the SLA
    commitments) and the input warnings as text. Version 2 keeps the codes and figures those
    sentences were made from, and the one follow-up definition."""
    out = dict(data, schema_version=2)
    out["goals"] = [{k: v for k, v in g.items() if k not in ("title", "why", "metric_label")}
                    | {"evidence": [_condition_parts(e) for e in g.get("evidence", [])]}
                    for g in data.get("goals", [])]
    channels = data.get("channels")
    if isinstance(channels, dict) and isinstance(channels.get("recommendation"), dict):
        rec = {k: v for k, v in channels["recommendation"].items() if k != "text"}
        by_name = {c.get("channel"): c for c in channels.get("channels", [])}
        worst, best = by_name.get(rec.get("from_channel"), {}), by_name.get(rec.get("to_channel"), {})
        rec.update(from_spend=worst.get("spend"), from_cost_per_customer=worst.get("cost_per_customer"),
                   to_cost_per_customer=best.get("cost_per_customer"), to_lead_to_customer=best.get("lead_to_customer"))
        out["channels"] = dict(channels, recommendation=rec)
    sla = data.get("sla")
    if isinstance(sla, dict):
        out["sla"] = {k: v for k, v in sla.items() if k not in ("marketing_commitment", "sales_commitment")}
    out["input_warnings"] = len(data.get("warnings") or [])
    out.pop("warnings", None)
    facts = data.get("facts") or {}
    crm = data.get("crm") or {}
    source = "crm" if crm.get("followup") else ("funnel" if facts.get("followup.hours") is not None
                                                or facts.get("followup.share") is not None else None)
    fu = crm.get("followup") or {}
    out["followup"] = {"source": source, "share": facts.get("followup.share"), "hours": facts.get("followup.hours"),
                       "basis": fu.get("handed_over") if source == "crm" else
                       ((data.get("funnel") or {}).get("counts") or {}).get("mql"),
                       "p90_hours": fu.get("p90_hours"), "share_within_sla": fu.get("share_within_sla"),
                       "sla_hours": fu.get("sla_hours"), "median_attempts": fu.get("median_attempts")}
    return out


def _whole(v: float | None) -> float | None:
    return None if v is None else half_up(v)


def _tenth(v: float | None) -> float | None:
    return None if v is None else half_up(v, 1)


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 kept scores at full precision and gaps without the two figures they were the
    difference of. Version 3 rounds scores to whole points (the index's means to one decimal)
    and keeps each dimension's `compared` scores: for a version 2 file these are unknown
    (None), and its gaps are kept as they were, rounded. The channel advice gains the leads and
    customers it rests on, taken from the channel rows; `bases` and `held_back` start empty."""
    out = dict(data, schema_version=3, bases={}, held_back=[], evidence={"min_basis": 30, "confidence": 0.95})
    channels = data.get("channels")
    if isinstance(channels, dict) and isinstance(channels.get("recommendation"), dict):
        rec = channels["recommendation"]
        by_name = {c.get("channel"): c for c in channels.get("channels", [])}
        worst, best = by_name.get(rec.get("from_channel"), {}), by_name.get(rec.get("to_channel"), {})
        out["channels"] = dict(channels, recommendation=dict(
            rec, from_leads=worst.get("leads"), from_customers=worst.get("customers"), to_leads=best.get("leads"),
            to_customers=best.get("customers")))
    scores = data.get("scores")
    if not isinstance(scores, dict):
        return out
    dims = [dict(d, score=_whole(d.get("score")), teams={t: _whole(v) for t, v in (d.get("teams") or {}).items()},
                 compared={"marketing": None, "sales": None}, gap=_whole(d.get("gap")))
            for d in scores.get("dimensions", [])]
    respondents = scores.get("respondents") or {}
    withheld = scores.get("withheld_teams") or []
    out["scores"] = dict(
        scores, dimensions=dims, overall=_tenth(scores.get("overall")), mean_gap=_tenth(scores.get("mean_gap")),
        overall_by_team={t: _tenth(v) for t, v in (scores.get("overall_by_team") or {}).items()},
        alignment_index=_whole(scores.get("alignment_index")),
        counted_teams=[t for t, n in respondents.items() if n and t not in withheld], sparse=[])
    return out


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 adds a CRM export's history (`crm.history`). The agreed plan a quarter shows
    (`plan`) and its months judged against it (`sla_months`) came during version 3: a file
    written before them has neither, one written after keeps both."""
    out = dict(data, schema_version=4, plan=data.get("plan"), sla_months=data.get("sla_months") or [])
    if isinstance(out.get("crm"), dict):
        out["crm"] = dict(out["crm"], history=None)
    return out


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    """Version 5 stores the judgements (the findings) and what their words need from the settings
    used (`wording`: the benchmarks' and playbook's versions, the ranges shown, the goals' texts). A
    version 4 file recorded none: its findings are judged on reading (`from_json`), and its wording
    is unknown (`wording` null: a report then words it with the shipped settings)."""
    out = dict(data, schema_version=5, findings=None, wording=None)
    fu = data.get("followup")
    if isinstance(fu, dict):
        out["followup"] = dict(fu, share_interval=_interval_of(fu.get("share"), fu.get("basis")),
                               within_sla_interval=_interval_of(fu.get("share_within_sla"), fu.get("basis")))
    channels = data.get("channels")
    if isinstance(channels, dict):
        leads, customers = channels.get("total_leads") or 0, channels.get("total_customers") or 0
        every = wilson(customers, leads) if leads else None
        out["channels"] = dict(channels, total_lead_to_customer=customers / leads if leads else None,
                               total_lead_to_customer_low=every.low if every else None,
                               total_lead_to_customer_high=every.high if every else None)
    crm = data.get("crm")
    deals = crm.get("deals") if isinstance(crm, dict) else None
    if isinstance(crm, dict):
        won, lost = (deals or {}).get("won"), (deals or {}).get("lost")
        rate = _share("win_rate", won, won + lost) if isinstance(won, int) and isinstance(lost, int) \
            and (deals or {}).get("win_rate") is not None else None
        out["crm"] = dict(crm, win_rate=serial.plain(rate))
    return out


def _v5_to_v6(data: dict[str, Any]) -> dict[str, Any]:
    """Version 6 stores the comparison with the quarter before (`since`), judged when the quarter is
    assessed. A version 5 file kept none: its report compares it with the quarter before when drawn."""
    return dict(data, schema_version=6, since=None)


def _v6_to_v7(data: dict[str, Any]) -> dict[str, Any]:
    """Version 7 rounds the SLA's volumes once, for the quarter (a month is a third of it), says how each
    stage's volume was worked out (`origins`) and names the stage sales takes over (`handover`). A
    version 6 SLA worked back through the three adjacent rates it kept: its volumes are worked again
    from them the same way, from the customers rounded up."""
    sla = data.get("sla")
    if not isinstance(sla, dict):
        return dict(data, schema_version=7)
    rates = {r["name"]: r for r in sla.get("rates", [])}
    customers = round_up(sla["revenue_goal"] / sla["average_deal_size"])
    exact, quarter, origins = float(customers), {"customers": float(customers)}, {"customers": "goal"}
    below = "customers"
    for stage, name in (("sql", "sql_to_customer"), ("mql", "mql_to_sql"), ("leads", "lead_to_mql")):
        exact /= rates[name]["value"]
        # the rates were kept to six decimals: 27 / 0.160714 is 168.0003 where 27 / (27 / 168) is 168
        quarter[stage] = float(math.ceil(round(exact, 2)))
        own = rates[name]["origin"] == "observed" and origins[below] in ("goal", "observed")
        origins[stage], below = "observed" if own else "benchmark", stage
    days = sla["working_days_per_month"]
    month = {s: v / MONTHS_PER_QUARTER for s, v in quarter.items()}
    per_rep = month["mql"] / days / sla["sales_reps"]
    out = {k: v for k, v in sla.items() if k != "mql_per_rep_per_day"}
    out.update(quarter=quarter, per_month=month, per_working_day={s: v / days for s, v in month.items()},
               handover_per_rep_per_day=per_rep, attempts_per_rep_per_day=per_rep * sla["contact_attempts"],
               origins=origins, handover="mql")
    return dict(data, schema_version=7, sla=out)


def _interval_of(share: float | None, basis: float | None) -> dict[str, float] | None:
    interval = share_interval(share, basis)
    return None if interval is None else serial.plain(interval)


def _v7_to_v8(data: dict[str, Any]) -> dict[str, Any]:
    """Version 8 lets the agreed plan hold no first-contact share (`null` when plan.yaml names none).
    A version 7 file always held one, the plan's or the default, and keeps it as it said it."""
    return dict(data, schema_version=8)


def _v8_to_v9(data: dict[str, Any]) -> dict[str, Any]:
    """Version 9 says what each median is over, which exports end early or link few deals, and that a
    won-deals export has no lost deals. A version 8 file's CRM hours were over the leads contacted
    (`followed_up`), its funnel.csv hours over the leads followed up; its days to won over the won
    deals at most (the count was not kept: taken as the won deals); a won-deals export (a win rate
    of none beside won deals) wrote 0 lost; its history rows kept no count (None: not marked)."""
    out = dict(data, schema_version=9)
    crm = data.get("crm") if isinstance(data.get("crm"), dict) else None
    fu = data.get("followup")
    if isinstance(fu, dict):
        contacted = ((crm or {}).get("followup") or {}).get("followed_up") if fu.get("source") == "crm" else \
            (((data.get("funnel") or {}).get("followup") or {}).get("followed_up"))
        out["followup"] = dict(fu, hours_basis=contacted if fu.get("hours") is not None else None)
    if crm is not None:
        crm_out = dict(crm, thinly_linked={}, partial={})
        if isinstance(crm.get("followup"), dict):
            crm_out["followup"] = dict(crm["followup"], hours_basis=crm["followup"].get("followed_up", 0))
        deals = crm.get("deals")
        if isinstance(deals, dict):
            won_only = deals.get("win_rate") is None and bool(deals.get("won"))
            crm_out["deals"] = dict(deals, lost=None if won_only else deals.get("lost"),
                                    days_basis=deals.get("won", 0))
        history = crm.get("history")
        if isinstance(history, dict):
            crm_out["history"] = dict(history, whole=dict(history.get("whole") or {}, hours_basis=None),
                                      quarters=[dict(r, hours_basis=None) for r in history.get("quarters", [])])
        out["crm"] = crm_out
    return out


def _v9_to_v10(data: dict[str, Any]) -> dict[str, Any]:
    """Version 10's channel advice passes the evidence rule in every branch (no channel favoured on
    fewer than `MIN_BASIS` leads or within chance of the next, a "(not set)" channel never advised) and
    carries the leads and customers of each channel it names. A version 9 file's advice is judged
    again from its stored channel rows (`model.channels.recommend`), its other figures untouched."""
    out = dict(data, schema_version=10)
    channels = data.get("channels")
    rows = channels.get("channels") if isinstance(channels, dict) else None
    if isinstance(channels, dict) and isinstance(rows, list):
        advice = recommend([ChannelResult(**row) for row in rows])
        out["channels"] = dict(channels, recommendation=serial.plain(advice))
    return out


def _v10_to_v11(data: dict[str, Any]) -> dict[str, Any]:
    """Version 11 keeps, with the comparison with the quarter before, the teams each quarter counts
    (`since.teams`). A version 10 comparison kept none: its moves stand as judged then."""
    since = data.get("since")
    return dict(data, schema_version=11, since=dict(since, teams=None) if isinstance(since, dict) else since)


def _v11_to_v12(data: dict[str, Any]) -> dict[str, Any]:
    """Version 12 keeps, with the wording, the question bank's words the report names (`wording.bank`:
    its version and size, the gap penalty, the names of teams, dimensions and levels). A version 11
    file kept none: its report names them from the shipped bank, as before."""
    wording = data.get("wording")
    return dict(data, schema_version=12,
                wording=dict(wording, bank=None) if isinstance(wording, dict) else wording)


def _v12_to_v13(data: dict[str, Any]) -> dict[str, Any]:
    """Version 13 keeps, with the CRM figures, the day an export without creation dates was taken
    (`crm.as_of`). Version 12 read only exports with creation dates: none."""
    crm = data.get("crm")
    return dict(data, schema_version=13, crm=dict(crm, as_of=None) if isinstance(crm, dict) else crm)


def _v13_to_v14(data: dict[str, Any]) -> dict[str, Any]:
    """Version 14 stores each question's aggregates no finer than a report shows them: the mean score in
    whole points, the share of positive answers in whole percent (version 13 kept both to six decimals,
    which let two versions of a period one respondent apart give that respondent's answers back). A
    version 13 file's question figures, and the facts taken from them, are rounded the same way."""
    out = dict(data, schema_version=14)
    scores = data.get("scores")
    if isinstance(scores, dict) and isinstance(scores.get("questions"), list):
        out["scores"] = dict(scores, questions=[
            dict(q, mean_score=_rounded(q.get("mean_score"), 0), share_positive=_rounded(q.get("share_positive"), 2))
            if isinstance(q, dict) else q for q in scores["questions"]])
    facts = data.get("facts")
    if isinstance(facts, dict):
        out["facts"] = {k: _rounded(v, 0) if k.startswith("answer.") and k.endswith(".mean_score") else
                        _rounded(v, 2) if k.startswith("answer.") and k.endswith(".share_positive") else v
                        for k, v in facts.items()}
    return out


def _rounded(value: Any, digits: int) -> Any:
    return half_up(value, digits) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


MIGRATIONS: dict[int, serial.Migration] = {0: _v0_to_v1, 1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5,
                                               5: _v5_to_v6, 6: _v6_to_v7, 7: _v7_to_v8, 8: _v8_to_v9, 9: _v9_to_v10,
                                               10: _v10_to_v11, 11: _v11_to_v12, 12: _v12_to_v13, 13: _v13_to_v14}


def migrate(data: dict[str, Any], source: str = "assessment.json") -> dict[str, Any]:
    """An assessment's data in the current schema, upgraded one version step at a time."""
    return serial.migrate(data, SCHEMA_VERSION, MIGRATIONS, source, "assessment")
