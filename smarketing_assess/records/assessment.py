"""The assessment record, `assessment.json`: everything computed and judged about one client period.

The model's `assessment` module builds it, judges it and writes and reads the file (its schema,
migrations and loader); every report lays it out. It holds numbers, codes, ids and the parameters of
every statement, never a finished sentence, and the wording its judgements used (`Wording`)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from smarketing_assess.config.benchmarks import Benchmarks, Source
from smarketing_assess.config.playbook import MetricInfo, Playbook
from smarketing_assess.config.questionnaire import QuestionBank
from smarketing_assess.core.period import Period
from smarketing_assess.records import serial
from smarketing_assess.records.agreed import AgreedPlan
from smarketing_assess.records.channels import ChannelAnalysis
from smarketing_assess.records.crm_summary import CrmDeals, CrmFollowup
from smarketing_assess.records.evidence import EvidenceRule, Interval
from smarketing_assess.records.findings import Finding
from smarketing_assess.records.funnel import FunnelResult, Rate
from smarketing_assess.records.goals import Goal, HeldBack
from smarketing_assess.records.history import Since
from smarketing_assess.records.review import MonthReview
from smarketing_assess.records.scoring import Belief, Scores
from smarketing_assess.records.sla import SlaDraft

SCHEMA_VERSION = 14


@dataclass(frozen=True)
class ClientInfo:
    """Who was assessed, as the report names them."""

    name: str
    slug: str
    language: str
    currency: str
    industry: str | None


@dataclass(frozen=True)
class Followup:
    """The one definition of the follow-up figures a report shows and goals are judged on.

    Lead by lead from CRM exports when the period has them (`source` "crm"), otherwise
    from funnel.csv's monthly columns (`source` "funnel": the share is followed-up MQLs
    over MQLs, the hours the median of the months' medians); None where neither says."""

    source: str | None  # crm | funnel | None
    share: float | None  # of the MQLs handed over, the share contacted at least once
    hours: float | None  # median hours to first contact
    basis: float | None  # MQLs handed over: the share's denominator
    p90_hours: float | None = None
    share_within_sla: float | None = None
    sla_hours: float | None = None
    median_attempts: float | None = None
    share_interval: Interval | None = None  # the share's 95% Wilson interval, over `basis`
    within_sla_interval: Interval | None = None  # share_within_sla's, over `basis`
    hours_basis: float | None = None  # the leads contacted the hours' median is over (None: the figures do not say)


@dataclass(frozen=True)
class SpanRow:
    """One row of an export's history: a quarter, or the whole span at once."""

    period: str
    leads: int
    customers: int | None
    conversion: Rate | None  # lead to customer, over the leads created in the quarter or span
    median_hours: float | None  # to first contact
    win_rate: Rate | None  # of the deals won or lost in it
    hours_basis: int | None = None  # the leads contacted the median hours are over (None: not recorded)


@dataclass(frozen=True)
class SpanChannel:
    """One channel over the whole span: its leads, and how many became customers."""

    channel: str
    leads: int
    customers: int | None
    conversion: Rate | None


@dataclass(frozen=True)
class CrmHistory:
    """An export's history beside the quarter (`crm --history`): medians and rates over the whole
    span are taken over all its leads and deals, never averaged from the quarters."""

    quarters: list[SpanRow]  # from the span's first quarter to its last
    whole: SpanRow
    channels: list[SpanChannel]


@dataclass(frozen=True)
class CrmView:
    """What the assessment keeps of a CRM summary (nothing that names an export file)."""

    view: str
    mapping: str
    flow: dict[str, dict[str, int]]
    segments: list[dict[str, Any]]
    followup: CrmFollowup | None
    deals: CrmDeals | None
    implied: dict[str, int]
    out_of_order: dict[str, int]
    rows_read: dict[str, int] = dataclasses.field(default_factory=dict)  # export -> data rows read
    linked: dict[str, int] = dataclasses.field(default_factory=dict)  # deals, activities -> rows linked to a lead
    withheld: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # figure -> [linked, rows]
    history: CrmHistory | None = None
    win_rate: Rate | None = None  # deals won over deals won or lost, with its interval
    thinly_linked: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # deals -> [linked, rows]
    partial: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # export -> [its last date, the leads']
    as_of: str | None = None  # the day an export without creation dates was taken: a snapshot of the quarter


@dataclass(frozen=True)
class RangeShown:
    """A public range of a funnel rate as the report shows it beside the client's own, with its source."""

    low: float
    high: float
    source: Source


@dataclass(frozen=True)
class GoalWords:
    """A playbook rule's title and reason in each language, as the judgement used them."""

    title: dict[str, str]
    why: dict[str, str]


@dataclass(frozen=True)
class Wording:
    """What the words of a stored judgement need from the settings it was made with: a report drawn
    again later says what was said then, whatever the shipped benchmarks and playbook say now."""

    benchmarks_version: str  # checksum of the benchmarks as loaded
    playbook_version: str  # checksum of the goal playbook as loaded
    ranges: dict[str, RangeShown]  # rate name -> the public range shown beside it
    goals: dict[str, GoalWords]  # playbook rule id -> its texts (the goals proposed, held back or agreed)
    metrics: dict[str, MetricInfo]  # metric -> its unit and label, as the playbook had them
    bank: BankWords | None = None  # the question bank's words (None: written before schema 12 kept them)


@dataclass(frozen=True)
class LevelWords:
    """A maturity level as the report names it: its number, lower bound, name and description by language."""

    level: int
    lower: float
    name: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class BankWords:
    """What a report says of the question bank it was scored with: its version and size, the gap penalty,
    and the names of the teams, dimensions and maturity levels in each language."""

    version: str
    questions: int
    gap_penalty: float
    teams: dict[str, dict[str, str]]
    dimensions: dict[str, dict[str, str]]
    levels: list[LevelWords]


def bank_words(bank: QuestionBank) -> BankWords:
    """The words of `bank` a report names."""
    return BankWords(bank.version, len(bank.questions), bank.scoring.gap_penalty,
                     {t: dict(n) for t, n in bank.teams.items()}, {d.id: dict(d.name) for d in bank.dimensions},
                     [LevelWords(lv.level, lv.lower, dict(lv.name), dict(lv.description))
                      for lv in bank.maturity_levels])


def settings_version(settings: object) -> str:
    """A version of loaded settings: the checksum of their content (the same content, the same version)."""
    text = json.dumps(serial.plain(settings), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def wording_of(benchmarks: Benchmarks, playbook: Playbook, rates: list[str], goal_ids: list[str],
               bank: QuestionBank) -> Wording:
    """The wording a period's judgements rest on: the ranges of the `rates` it shows, the texts of the
    goals it names, and the question bank's names."""
    rules = {r.id: r for r in playbook.rules}
    return Wording(
        settings_version(benchmarks), settings_version(playbook),
        {r: RangeShown(b.low, b.high, b.source) for r in rates if (b := benchmarks.rates.get(r)) is not None},
        {i: GoalWords(dict(rules[i].title), dict(rules[i].why)) for i in dict.fromkeys(goal_ids) if i in rules},
        dict(playbook.metrics), bank_words(bank))


@dataclass(frozen=True)
class Assessment:
    """Everything computed about one client period; see the module's docstring."""

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
    followup: Followup
    channels: ChannelAnalysis | None
    sla: SlaDraft
    goals: list[Goal]
    facts: dict[str, float | None]  # the named figures goals are set and later judged on
    bases: dict[str, float]  # share-type facts -> the cases each is a share of
    held_back: list[HeldBack]  # goals not proposed: they would rest on too few cases
    evidence: EvidenceRule  # the minimum basis for advice and the intervals' confidence level
    input_warnings: int  # how many warnings reading the inputs gave (`validate` lists them)
    crm: CrmView | None = None  # figures derived from CRM exports, when the funnel came from them
    plan: AgreedPlan | None = None  # the plan both teams agreed, as this quarter shows it (plans/)
    sla_months: list[MonthReview] = dataclasses.field(default_factory=list)  # the quarter's months under the plan
    # the judgements, made once by `judge` (None only between building and judging)
    findings: list[Finding] | None = None
    wording: Wording | None = None  # None: written before schema 5, when the wording was not kept
    # the comparison with the client's quarter before this one, judged when this one was assessed; None for a
    # first quarter, when the earlier one could not be read, or in a file written before schema 6
    since: Since | None = None

    @property
    def quarter(self) -> Period:
        """The assessed period as a `Period`."""
        return Period.parse(self.period)

    def fact(self, key: str) -> float | None:
        """A named figure (see `facts_of`), None when this period does not have it."""
        value = self.facts.get(key)
        return None if value is None else float(value)
