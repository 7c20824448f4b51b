"""Words from codes: every sentence of a report, in the reader's language, from the assessment's
codes and figures and the catalogs under `templates/`.

`Words` is built once per report (its language and the client's currency) and is the only
place that formats a figure for a sentence or a table, so that a number in a sentence and
the same number in a table read alike. `environment` is the one Jinja set-up of the report
sections (autoescaping on: client text such as channel names is always shown as text).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

import jinja2

from smarketing_assess.config.benchmarks import Source, load_benchmarks
from smarketing_assess.config.metrics import MANUAL, unit_of
from smarketing_assess.config.playbook import MetricInfo, load_playbook
from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.catalogs import fill, in_sentence, pick, text
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.stages import PLURAL
from smarketing_assess.core.translations import match_language
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.records.agreed import AgreedGoal
from smarketing_assess.records.assessment import BankWords, GoalWords, LevelWords, Wording, bank_words, wording_of
from smarketing_assess.records.channels import MAX_QUARTERS, Recommendation
from smarketing_assess.records.evidence import MIN_BASIS
from smarketing_assess.records.findings import PERCENT_MEASURES, Finding
from smarketing_assess.records.goals import Goal, HeldBack
from smarketing_assess.records.history import TeamMix
from smarketing_assess.records.sla import SlaDraft


def check_language(language: str, bank: QuestionBank | None = None) -> str:
    """The language, when reports can be written in it; ValueError naming the ones they can."""
    available = (bank or load_question_bank()).languages
    found = match_language(language, list(available))
    if found is None:
        raise ValueError(f"no texts in language {language!r}; available: {', '.join(available)}")
    return found


def environment(language: str) -> jinja2.Environment:
    """The Jinja environment of the report section templates, `t(key, ...)` giving catalog texts."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "report" / "sections"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["t"] = lambda key, **values: text(key, language, **values)
    return env


def source_line(s: Source) -> str:
    """A benchmark's source as a reader cites it: publisher, title, year, address."""
    return f"{s.publisher}, “{s.title}”" + (f" ({s.year})" if s.year else "") + f", {s.url}"


def shipped_wording() -> Wording:
    """The wording of the shipped benchmarks and playbook, every range and goal: for a report of
    records that kept none (an assessment of schema 4 or older, a monthly review)."""
    benchmarks, playbook = load_benchmarks(), load_playbook()
    return wording_of(benchmarks, playbook, list(benchmarks.rates), [r.id for r in playbook.rules],
                      load_question_bank())


def merged_wording(wordings: list[Wording | None]) -> Wording:
    """One wording for a report of several records, oldest first: each goal's texts as the record
    that proposed it last kept them, each metric's label as the latest record kept it."""
    kept = [w for w in wordings if w is not None] or [shipped_wording()]
    last = kept[-1]
    goals: dict[str, GoalWords] = {}
    metrics: dict[str, MetricInfo] = {}
    for w in kept:
        goals.update(w.goals)
        metrics.update(w.metrics)
    bank = next((w.bank for w in reversed(kept) if w.bank is not None), None)  # the latest kept
    return dataclasses.replace(last, goals=goals, metrics=metrics, bank=bank)


@dataclass(frozen=True)
class Words:
    """Figures and statements in one language and currency, in the wording the records kept."""

    lang: str
    currency: str
    bank: QuestionBank
    wording: Wording

    @classmethod
    def of(cls, language: str, currency: str, bank: QuestionBank | None = None,
           wording: Wording | None = None) -> Words:
        """Words for a report in `language` (checked) about a client paying in `currency`, with the
        goals' and metrics' texts a record kept (`wording`; the shipped ones when it kept none)."""
        bank = bank or load_question_bank()
        return cls(check_language(language, bank), currency, bank, wording or shipped_wording())

    @property
    def names(self) -> BankWords:
        """The question bank's words as the record kept them (the shipped bank's for a record that kept none)."""
        return self.wording.bank if self.wording.bank is not None else bank_words(self.bank)

    def level(self, level: int) -> LevelWords:
        """A maturity level (1 to 5) as the record names it."""
        return self.names.levels[level - 1]

    # ------------------------------------------------------------------ figures
    def t(self, key: str, **values: Any) -> str:
        """A catalog text in this language, filled in."""
        return text(key, self.lang, **values)

    def num(self, v: float | None, digits: int = 0) -> str:
        """A count or score; a dash when there is none."""
        return fmt.number(v, self.lang, digits) if v is not None else "–"

    def pct(self, v: float | None, digits: int = 1) -> str:
        """A fraction as a percentage; 'unavailable' when there is none, and never 0.0% for a tiny rate."""
        if v is None:
            return self.t("report.unavailable")
        if 0 < v < 0.001:  # 0.04% is not 0.0%
            digits = max(digits, 2)
        return fmt.percent(v, self.lang, digits)

    def interval(self, low: float | None, high: float | None, digits: int = 1) -> str:
        """A 95% interval of a share as 'low–high' percentages; empty when there is none."""
        if low is None or high is None:
            return ""
        return f"{self.pct(low, digits)}–{self.pct(high, digits)}"

    def money(self, v: float | None) -> str:
        """An amount in the client's currency, whole units; a dash when there is none."""
        return fmt.money(v, self.currency, self.lang, 0) if v is not None else "–"

    def cost(self, v: float | None) -> str:
        """A unit cost (per lead, per customer): whole units from 100 up, cents below, where a whole
        unit would hide the difference (€14.40 against €14.90)."""
        if v is None:
            return "–"
        return fmt.money(v, self.currency, self.lang, 0 if abs(v) >= 100 or v == 0 else 2)

    def day(self, iso: str, width: str = "medium") -> str:
        """An ISO date as people write it in this language."""
        return fmt.day(date.fromisoformat(iso), self.lang, width)

    def show(self, value: float | None, unit: str) -> str:
        """A metric's value by its unit (share, money, per_month, score, hours, count)."""
        if value is None:
            return self.t("report.unavailable")
        if unit == "share":
            return fmt.percent(value, self.lang, 0)
        if unit == "money":
            return fmt.money(value, self.currency, self.lang, 0)
        if unit == "per_month":
            return fmt.number(value, self.lang, 1 if value % 1 else 0)
        return fmt.number(value, self.lang, 0)

    def measure(self, measure: str, value: float | None, digits: int = 0) -> str:
        """A belief's or a fact's value: a percentage (with `digits`) for the shares, a number otherwise."""
        if value is None:
            return "–"
        return fmt.percent(value, self.lang, digits) if measure in PERCENT_MEASURES else fmt.number(value, self.lang)

    def unit(self, fact: str) -> str:
        """The unit a fact is shown in: the playbook's as kept for its metrics, else the one table's."""
        info = self.wording.metrics.get(fact)
        return unit_of(fact, info.unit if info is not None else None) or "count"

    # -------------------------------------------------------------------- names
    def team(self, team: str) -> str:
        """A team's name."""
        return pick(self.names.teams[team], self.lang)

    def team_mix(self, periods: list[str], mix: TeamMix) -> str:
        """Which teams each quarter counted, and the teams compared: a withheld team changes the mix."""
        quarters = []
        for period, counted, withheld in zip(periods, mix.counted, mix.withheld, strict=True):
            if not counted:  # a quarter without answers counts no team (said on its own line)
                continue
            item = self.t("progress.summary.mix_quarter", period=period, teams=", ".join(self.team(t) for t in counted))
            if withheld:
                item += " " + self.t("progress.summary.mix_withheld", teams=", ".join(self.team(t) for t in withheld))
            quarters.append(item)
        return self.t("progress.summary.mix", quarters="; ".join(quarters),
                      teams=", ".join(self.team(t) for t in mix.compared) or "–")

    def dim(self, did: str) -> str:
        """A dimension's name as the record's question bank named it (its id when that bank has no such one)."""
        name = self.names.dimensions.get(did)
        return pick(name, self.lang) if name is not None else did

    def metric(self, metric: str) -> str:
        """A goal metric's label (for a figure reported by hand, its name as the plan gives it, said to be so)."""
        info = self.wording.metrics.get(metric)
        if info is not None:
            return pick(info.label, self.lang)
        if metric.startswith(MANUAL):
            name = metric[len(MANUAL):].replace("_", " ")
            return self.t("metrics.manual", name=name[:1].upper() + name[1:])
        kind, _, name = metric.partition(".")
        if kind == "rate" and "_to_" in name:  # any stage-to-stage rate: "Opportunities → Customers"
            a, b = name.split("_to_")
            if a in PLURAL and b in PLURAL:
                return f"{self.t(f'stages.{PLURAL[a]}')} → {self.t(f'stages.{PLURAL[b]}')}"
        if kind == "dimension":
            return self.dim(name)
        return metric

    # --------------------------------------------------------------- statements
    def goal(self, goal: Goal) -> tuple[str, str]:
        """A goal's title and reason, from its playbook rule (the metric's label when the playbook
        no longer has the rule)."""
        rule = self.wording.goals.get(goal.id)
        values = {
            "metric": in_sentence(self.metric(goal.metric)),
            "baseline": self.show(goal.baseline, goal.unit),
            "target": self.show(goal.target, goal.unit),
            "evidence": (self.show(goal.evidence[0].value, self.unit(goal.evidence[0].fact))
                         if goal.evidence else ""),
        }
        if rule is None:
            return self.metric(goal.metric), ""
        return (text_of(pick(rule.title, self.lang), values), text_of(pick(rule.why, self.lang), values))

    def agreed_goal(self, g: AgreedGoal) -> str:
        """An agreed goal's title: the plan's own words for one the client added, else its suggestion's."""
        if g.title:
            return g.title
        as_goal = Goal(g.id, g.owner or "joint", 0, g.metric, g.unit, g.baseline or 0.0, g.target, g.better,
                       g.deadline, [])
        return self.goal(as_goal)[0]

    def held_back(self, held: HeldBack) -> str:
        """The title of a goal held back for too few cases (the playbook rule's, naming the figure it
        would measure, which is the thin one; or its id)."""
        rule = self.wording.goals.get(held.id)
        if rule is None:
            return held.id
        none = self.num(None)
        values = {"metric": in_sentence(self.metric(held.fact)), "baseline": none, "target": none, "evidence": none}
        return text_of(pick(rule.title, self.lang), values)

    def recommendation(self, rec: Recommendation) -> str:
        """The channel advice in words (a request for data when the figures are too few)."""
        if rec.kind in ("too_few", "no_customers"):
            return self.t(f"channels.{rec.kind}")
        if rec.kind in ("too_thin", "no_spend_thin"):
            return self.t(f"channels.{rec.kind}", min_basis=self.num(MIN_BASIS))
        if rec.kind in ("no_spend", "no_spend_close"):
            return self.t(f"channels.{rec.kind}", best=rec.to_channel, rate=self.pct(rec.to_lead_to_customer),
                          best_customers=self.num(rec.to_customers), best_leads=self.num(rec.to_leads),
                          second=rec.from_channel, second_customers=self.num(rec.from_customers),
                          second_leads=self.num(rec.from_leads))
        if rec.kind == "keep":
            return self.t("channels.keep", best=rec.to_channel, best_customers=self.num(rec.to_customers),
                          best_leads=self.num(rec.to_leads))
        if rec.kind == "more_data":
            wait = (self.t("channels.more_data_wait", quarters=self.num(rec.quarters)) if rec.quarters is not None
                    else self.t("channels.more_data_never", quarters=self.num(MAX_QUARTERS)))
            return " ".join((self.t(
                "channels.more_data", worst=rec.from_channel, best=rec.to_channel,
                worst_customers=self.num(rec.from_customers), worst_leads=self.num(rec.from_leads),
                best_customers=self.num(rec.to_customers), best_leads=self.num(rec.to_leads),
                worst_cac=self.cost(rec.from_cost_per_customer) if rec.from_cost_per_customer is not None
                else self.t("report.channels.no_customers"),
                best_cac=self.cost(rec.to_cost_per_customer)), wait))
        if rec.from_cost_per_customer is None:
            return self.t("channels.shift_no_customers", worst=rec.from_channel, worst_spend=self.money(rec.from_spend),
                          best=rec.to_channel, best_cac=self.cost(rec.to_cost_per_customer))
        if not rec.to_cost_per_customer:
            return self.t("channels.shift_free", worst=rec.from_channel,
                          worst_cac=self.cost(rec.from_cost_per_customer), best=rec.to_channel,
                          best_cac=self.cost(rec.to_cost_per_customer))
        return self.t("channels.shift", worst=rec.from_channel, worst_cac=self.cost(rec.from_cost_per_customer),
                      best=rec.to_channel, best_cac=self.cost(rec.to_cost_per_customer))

    def commitments(self, sla: SlaDraft) -> tuple[str, str]:
        """What the draft SLA asks of marketing and of sales, in words: a month's volumes (a third of the
        quarter's), the quarter's customers, and the rates they rest on, as the SLA section shows them."""
        month = {s: self.show(sla.monthly(s), "per_month") for s in ("leads", "mql")}
        from_leads = next(r for r in sla.rates if r.name.startswith("lead_to_"))  # the leads always have one
        if from_leads.name == "lead_to_mql":
            marketing = self.t("sla.marketing", mql=month["mql"], leads=month["leads"],
                               lead_to_mql=self.pct(from_leads.value))
        else:  # the client's own rate from leads straight to a later stage
            marketing = self.t("sla.marketing_direct", leads=month["leads"], rate=self.pct(from_leads.value),
                               target=self.t(f"sla.stage.{PLURAL[from_leads.name.split('_to_')[1]]}"))
        common = {"hours": self.num(sla.followup_sla_hours), "attempts": self.num(sla.contact_attempts),
                  "per_rep": self.num(sla.handover_per_rep_per_day, 1),
                  "customers": self.num(sla.quarterly("customers"))}
        mql_to_sql = sla.rate("mql_to_sql")
        if sla.handover == "mql" and mql_to_sql is not None:
            return marketing, self.t("sla.sales", mql_to_sql=self.pct(mql_to_sql.value), **common)
        to_customer = next(r for r in sla.rates if r.name.endswith("_to_customer"))  # the bottom step always has one
        return marketing, self.t("sla.sales_direct", handed=self.t(f"sla.handed.{sla.handover}"),
                                 rate=self.pct(to_customer.value),
                                 source=self.t(f"sla.stage.{PLURAL[to_customer.name.split('_to_')[0]]}"), **common)

    def finding(self, f: Finding) -> str:
        """One of the summary's findings in words."""
        v = f.values
        if f.kind == "gap":
            return self.t("findings.gap", higher=self.team(str(v["higher"])),
                          lower=in_sentence(self.team(str(v["lower"]))),
                          dimension=in_sentence(self.dim(str(v["dimension"]))), points=self.num(float(v["points"])),
                          high=self.num(_opt(v.get("high"))), low=self.num(_opt(v.get("low"))))
        if f.kind == "volume":
            return self.t("findings.volume", needed=self.show(float(v["needed"]), "per_month"),
                          now=self.num(float(v["now"])))
        if f.kind == "weakest":
            return self.t("findings.weakest", dimension=self.dim(str(v["dimension"])),
                          score=self.num(float(v["score"])))
        if f.kind == "followup":
            return self.t("findings.followup", hours=self.num(float(v["hours"])), sla=self.num(float(v["sla"])))
        measure = str(v["measure"])
        return self.t("findings.belief", team=self.team(str(v["team"])),
                      measure=in_sentence(self.t(f"measures.{measure}")),
                      belief=self.measure(measure, float(v["belief"])), fact=self.measure(measure, float(v["fact"])))


def _opt(v: float | str | None) -> float | None:
    return None if v is None else float(v)


def text_of(template: str, values: dict[str, str]) -> str:
    """A playbook text filled in with the goal's values."""
    return fill(template, **values)
