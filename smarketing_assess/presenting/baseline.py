"""The baseline report's sections as HTML, for the notebook to show one per cell.

`BaselineReport` reads an `Assessment` (never the client's files) and renders it in one
language: the words come from `presenting.texts`, the structure from
`templates/report/sections/*.html.j2` (Jinja, autoescaping on, so client text such as
names, channels and notes is always shown as text).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from smarketing_assess.config.benchmarks import Benchmarks, load_benchmarks
from smarketing_assess.config.crm_mapping import CRM_STAGES
from smarketing_assess.config.questionnaire import TEAMS, QuestionBank, load_question_bank
from smarketing_assess.core.catalogs import in_sentence, pick, text
from smarketing_assess.model import history
from smarketing_assess.model.assessment import Assessment
from smarketing_assess.model.findings import findings
from smarketing_assess.model.funnel import SINGULAR
from smarketing_assess.model.inputs import STAGES
from smarketing_assess.model.sla import round_up
from smarketing_assess.presenting import charts
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.texts import Words, environment, source_line

# CRM stage names (singular) to the funnel's column names
FUNNEL_NAME = dict(zip(CRM_STAGES, ("mql", "sal", "sql", "opportunities", "customers"), strict=True))


class Section(str):
    """HTML that Jupyter shows as HTML (and nbconvert exports as such)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("<report section: shown as HTML>")


class BaselineReport:
    """Everything the baseline notebook shows, one method per section.

    `previous` is the client's quarter before this one (an `Assessment`) and `previous_origin`
    how it was obtained (stored, or assessed now because missing, changed or older_schema);
    `previous_error` the previous quarter and why it could be neither read nor assessed.
    """

    def __init__(self, assessment: Assessment, language: str | None = None, *, previous: Assessment | None = None,
                 previous_origin: str = "stored", previous_error: tuple[str, str] | None = None,
                 report_date: date | None = None, bank: QuestionBank | None = None) -> None:
        self.bank: QuestionBank = bank or load_question_bank()
        self.assessment = assessment
        self.period = assessment.quarter
        self.words = Words.of(language or assessment.client.language, assessment.client.currency, self.bank)
        self.lang = self.words.lang
        self.previous, self.previous_origin, self.previous_error = previous, previous_origin, previous_error
        self.report_date = report_date or date.today()
        self.benchmarks: Benchmarks = load_benchmarks()
        self._env = environment(self.lang)

    # ------------------------------------------------------------------ helpers
    def _render(self, name: str, **context: Any) -> Section:
        return Section(self._env.get_template(f"{name}.html.j2").render(**context))






    def _withheld(self) -> str:
        return ", ".join(self.words.team(t) for t in self.assessment.scores.withheld_teams)

    def _shown_teams(self) -> list[str]:
        """Teams that answered at all (a withheld team is still named, its cells say so)."""
        return [t for t in TEAMS if self.assessment.scores.respondents[t] > 0]

    # ----------------------------------------------------------------- sections
    def cover(self) -> Section:
        """The cover: client, quarter, report date and who answered."""
        s = self.assessment.scores
        return self._render(
            "cover", client_name=self.assessment.client.name, period=str(self.period),
            date=fmt.day(self.report_date, self.lang),
            teams=[{"label": self.words.team(t), "count": s.respondents[t]} for t in TEAMS],
            total=sum(s.respondents.values()), withheld=self._withheld(), threshold=s.anonymity_threshold,
        )

    def summary(self) -> Section:
        """The executive summary: the index, the maturity level and the main findings."""
        s = self.assessment.scores
        level = self.bank.maturity_levels[(s.maturity_level or 1) - 1]
        if s.mean_gap is not None and s.overall is not None:
            explanation = text("report.summary.index_explained", self.lang, overall=self.words.num(s.overall),
                               gap=self.words.num(s.mean_gap))
        else:
            explanation = text("report.summary.index_no_gap", self.lang)
        return self._render(
            "summary", index=self.words.num(s.alignment_index), level=level.level,
            level_name=pick(level.name, self.lang), level_description=pick(level.description, self.lang),
            levels=[{"level": lv.level, "name": pick(lv.name, self.lang), "current": lv.level == level.level}
                    for lv in self.bank.maturity_levels],
            explanation=explanation,
            findings=[self.words.finding(f) for f in findings(self.assessment)],
        )

    def since_last_quarter(self) -> Section:
        """What moved since the client's previous quarter, and how last quarter's goals fared
        (nothing for a client's first quarter). The previous quarter is its stored assessment;
        when it had to be assessed from its inputs now, the section says so."""
        before, now, w = self.previous, self.assessment, self.words
        if before is None and self.previous_error is None:
            return Section("")
        if before is None:
            assert self.previous_error is not None
            return self._render("since", previous=self.previous_error[0], unreadable=self.previous_error[1],
                                index=None, moves=[], goals=[], left_out="", assessed_now="")
        previous = before.period
        moves = [{"name": w.dim(m.dimension), "before": w.num(m.before), "after": w.num(m.after),
                  "line": w.t("report.since.up" if m.change > 0 else "report.since.down",
                              dimension=w.dim(m.dimension), points=w.num(abs(m.change), 1))}
                 for m in history.biggest_moves(before, now, self.bank)]
        goals = [{"title": w.goal(g.goal)[0], "metric": w.metric(g.goal.metric),
                  "baseline": w.show(g.goal.baseline, g.goal.unit), "target": w.show(g.goal.target, g.goal.unit),
                  "now": w.show(g.now, g.goal.unit), "key": g.status,
                  "status": w.t(f"report.since.status.{g.status.replace(' ', '_')}")}
                 for g in history.goal_attainment([before, now])]
        left = [w.dim(item) if item in {d.id for d in self.bank.dimensions} else item
                for item, _why in history.compare(before, now, self.bank).left_out]
        a, b = before.scores.alignment_index, now.scores.alignment_index
        index = None if a is None or b is None else w.t(
            "report.since.index", previous=previous, before=w.num(a), after=w.num(b),
            level_before=before.scores.maturity_level or 1, level_after=now.scores.maturity_level or 1)
        assessed_now = (w.t(f"report.since.assessed_now.{self.previous_origin}", previous=previous)
                        if self.previous_origin != "stored" else "")
        return self._render("since", previous=previous, unreadable=None, index=index, moves=moves, goals=goals,
                            left_out=", ".join(left), assessed_now=assessed_now)

    def dimensions(self) -> Section:
        """Each dimension's score, overall and per team, as a chart and a table."""
        s = self.assessment.scores
        teams = self._shown_teams()
        withheld = text("report.withheld_short", self.lang)
        rows = []
        for d in s.dimensions:
            cells = []
            for t in teams:
                if t in s.withheld_teams:
                    cells.append(withheld)
                else:
                    cells.append(self.words.num(d.teams[t]))
            rows.append({"name": self.words.dim(d.dimension), "overall": self.words.num(d.score), "teams": cells})
        chart = charts.as_data_uri(charts.dimension_chart(
            [self.words.dim(d.dimension) for d in s.dimensions], [d.score for d in s.dimensions],
            {t: [d.teams[t] for d in s.dimensions] for t in teams if t not in s.withheld_teams},
            {t: self.words.team(t) for t in TEAMS}, text("report.dimensions.overall", self.lang)))
        return self._render("dimensions", chart=chart, rows=rows, team_labels=[self.words.team(t) for t in teams],
                            withheld=self._withheld(), threshold=s.anonymity_threshold)

    def gaps(self) -> Section:
        """Where marketing and sales see things differently, flagged above the threshold."""
        s = self.assessment.scores
        available = any(d.gap is not None for d in s.dimensions)
        context: dict[str, Any] = {"available": available, "threshold": self.words.num(s.anonymity_threshold),
                                   "one_team": not (s.respondents["sales"] and s.respondents["marketing"])}
        if available:
            dims = [d for d in s.dimensions if d.gap is not None]
            context["threshold"] = self.words.num(s.gap_threshold)
            context["chart"] = charts.as_data_uri(charts.gap_chart(
                [self.words.dim(d.dimension) for d in dims], [d.gap for d in dims], s.gap_threshold,
                text("report.gaps.marketing_higher", self.lang), text("report.gaps.sales_higher", self.lang)))
            flagged = sorted((d for d in dims if d.gap_flagged), key=lambda d: -abs(d.gap or 0))
            context["flagged"] = [
                text("report.gaps.flagged", self.lang, dimension=self.words.dim(d.dimension),
                     higher=self.words.team("marketing" if (d.gap or 0) > 0 else "sales"),
                     lower=in_sentence(self.words.team("sales" if (d.gap or 0) > 0 else "marketing")),
                     points=self.words.num(abs(d.gap or 0)))
                for d in flagged
            ]
        return self._render("gaps", **context)

    def funnel(self) -> Section:
        """The funnel: counts, monthly averages, rates beside their public ranges."""
        f = self.assessment.funnel
        if f is None:
            return self._render("funnel", available=False)
        rows, sources = [], []
        tracked = list(f.stages)
        for i, stage in enumerate(tracked):
            nxt = tracked[i + 1] if i + 1 < len(tracked) else None
            rate = f.rates.get(f"{SINGULAR[stage]}_to_{SINGULAR[nxt]}") if nxt else None
            bench = self.benchmarks.rates.get(rate.name) if rate else None
            if bench and source_line(bench.source) not in sources:
                sources.append(source_line(bench.source))
            rows.append({
                "label": text(f"stages.{stage}", self.lang), "count": self.words.num(f.counts[stage]),
                "per_month": self.words.num(f.per_month[stage]),
                "rate": self.words.pct(rate.value) if rate else "",
                "range": (f"{fmt.percent(bench.low, self.lang, 1)}–{fmt.percent(bench.high, self.lang, 1)}"
                          if bench else ""),
            })
        shown = [s for s in tracked if s != "visitors"]
        chart = charts.as_data_uri(charts.funnel_chart(
            [text(f"stages.{s}", self.lang) for s in shown], [f.counts[s] or 0 for s in shown],
            [self.words.num(f.counts[s]) for s in shown]))
        not_tracked = ", ".join(text(f"stages.{s}", self.lang) for s in STAGES if s not in tracked)
        return self._render(
            "funnel", available=True, months=f.months, chart=chart, rows=rows, sources=sources,
            overall=text("report.funnel.overall", self.lang, rate=self.words.pct(f.rate("lead_to_customer"), 2)),
            not_tracked=not_tracked, crm_notes=self._crm_notes(),
        )

    def _crm_notes(self) -> list[str]:
        """Where CRM-derived figures come from, the flow view beside them, and what looked odd."""
        crm = self.assessment.crm
        if not crm:
            return []
        lang = self.lang
        notes = [text("crm.cohort_note", lang, mapping=crm.mapping)]
        flow: dict[str, int] = {}
        for row in crm.flow.values():
            for stage, n in row.items():
                flow[stage] = flow.get(stage, 0) + n
        if flow:
            notes.append(text("crm.flow", lang, items=", ".join(
                f"{text(f'stages.{s}', lang)} {self.words.num(n)}" for s, n in flow.items())))
        implied = {s: n for s, n in crm.implied.items() if n}
        if implied:
            notes.append(text("crm.implied", lang, count=self.words.num(sum(implied.values())), stages=", ".join(
                f"{text(f'stages.{FUNNEL_NAME[s]}', lang)} {self.words.num(n)}" for s, n in implied.items())))
        odd = [f"{self.words.num(n)} {self._event(k)}" for k, n in crm.out_of_order.items() if n]
        if odd:
            notes.append(text("crm.out_of_order", lang, items="; ".join(odd)))
        return notes

    def _event(self, key: str) -> str:
        stage = lambda s: text(f"stages.{FUNNEL_NAME[s]}", self.lang)  # noqa: E731
        if key.endswith("_before_created") and key.split("_before_")[0] in FUNNEL_NAME:
            return text("crm.before_created", self.lang, stage=stage(key.split("_before_")[0]))
        later, _, earlier = key.partition("_before_")
        if later in FUNNEL_NAME and earlier in FUNNEL_NAME:
            return text("crm.before", self.lang, later=stage(later), earlier=stage(earlier))
        return text(f"crm.{key}", self.lang)

    def followup(self) -> Section:
        """Follow-up figures, and what each team believes beside what the data shows."""
        a = self.assessment
        f = a.funnel
        tiles = []
        if f is not None:
            # one definition: lead by lead from CRM exports when there are any, else from funnel.csv
            tiles.append({"value": self.words.pct(a.followup.share, 0),
                          "label": text("report.followup.share", self.lang), "note": ""})
            tiles.append({"value": self.words.num(a.followup.hours),
                          "label": text("report.followup.hours", self.lang),
                          "note": text("report.followup.target_hours", self.lang,
                                       hours=self.words.num(a.sla.followup_sla_hours))})
            tiles.append({"value": self.words.pct(f.rate("mql_to_sql"), 0),
                          "label": text("report.followup.mql_to_sql", self.lang), "note": ""})
            tiles.append({"value": self.words.pct(f.rate("lead_to_customer"), 1),
                          "label": text("report.followup.lead_to_customer", self.lang), "note": ""})
        tiles = [t for t in tiles if t["value"] not in ("–", text("report.unavailable", self.lang))]
        tiles += self._crm_tiles()
        teams = [t for t in ("sales", "marketing") if a.scores.respondents[t] > 0]
        rows = []
        for b in a.beliefs:
            cells = [text("report.withheld_short", self.lang) if t in a.scores.withheld_teams
                     else self.words.measure(b.measure, b.teams.get(t), 1) for t in teams]
            rows.append({"label": text(f"measures.{b.measure}", self.lang), "teams": cells,
                         "fact": self.words.measure(b.measure, b.fact, 1) if b.fact is not None
                         else text("report.no_data", self.lang)})
        return self._render("followup", tiles=tiles, beliefs=rows if teams else [],
                            team_labels=[self.words.team(t) for t in teams])

    def _crm_tiles(self) -> list[dict[str, str]]:
        crm, lang = self.assessment.crm, self.lang
        if crm is None:
            return []
        fu, deals = crm.followup, crm.deals
        tiles = []
        if fu is not None and fu.p90_hours is not None:
            tiles.append({"value": self.words.num(fu.p90_hours), "label": text("crm.p90_hours", lang), "note": ""})
        if fu is not None and fu.share_within_sla is not None:
            tiles.append({"value": self.words.pct(fu.share_within_sla, 0),
                          "label": text("crm.within_sla", lang, hours=self.words.num(fu.sla_hours)), "note": ""})
        if fu is not None and fu.median_attempts is not None:
            tiles.append({"value": self.words.num(fu.median_attempts, 1), "label": text("crm.attempts", lang),
                          "note": ""})
        if deals is not None and deals.win_rate is not None:
            tiles.append({"value": self.words.pct(deals.win_rate, 0), "note": "",
                          "label": text("crm.win_rate", lang, won=self.words.num(deals.won),
                                        lost=self.words.num(deals.lost))})
        if deals is not None and deals.median_days_to_won is not None:
            tiles.append({"value": self.words.num(deals.median_days_to_won), "note": "",
                          "label": text("crm.days_to_won", lang, mean=self.words.num(deals.mean_days_to_won))})
        return tiles

    def channels(self) -> Section:
        """The channels' economics, ranked, and where to move effort."""
        c = self.assessment.channels
        if c is None:
            return self._render("channels", available=False)
        none = text("report.channels.no_customers", self.lang)
        rows = [{
            "rank": ch.rank, "channel": ch.channel, "leads": self.words.num(ch.leads),
            "customers": self.words.num(ch.customers), "spend": self.words.money(ch.spend),
            "visitor_to_lead": self.words.pct(ch.visitor_to_lead) if ch.visitors else "–",
            "lead_to_customer": self.words.pct(ch.lead_to_customer),
            "cost_per_lead": self.words.money(ch.cost_per_lead),
            "cost_per_customer": (self.words.money(ch.cost_per_customer) if ch.customers or ch.spend is None else none),
        } for ch in c.channels]
        chart = charts.as_data_uri(charts.channel_chart(
            [ch.channel for ch in c.channels], [ch.cost_per_customer for ch in c.channels],
            [(self.words.money(ch.cost_per_customer) if ch.cost_per_customer is not None else "–") if ch.customers
             else none for ch in c.channels]))
        notes = [{"channel": ch.channel, "text": ch.notes} for ch in c.channels if ch.notes]
        segments = [{"segment": sg["segment"], "leads": self.words.num(sg.get("leads")),
                     "customers": self.words.num(sg.get("customers")) if "customers" in sg else "–",
                     "rate": self.words.pct(sg["customers"] / sg["leads"]) if sg.get("leads") and "customers" in sg
                     else "–"} for sg in (self.assessment.crm.segments if self.assessment.crm else [])[:10]]
        return self._render("channels", available=True, rows=rows, chart=chart,
                            recommendation=self.words.recommendation(c.recommendation), notes=notes,
                            segments=segments)

    def sla(self) -> Section:
        """The draft SLA worked back from the revenue goal, with the rates it used."""
        sla = self.assessment.sla
        marketing, sales = self.words.commitments(sla)
        rows = []
        for stage, attr in (("leads", "leads"), ("mql", "mql"), ("sql", "sql"), ("customers", "customers")):
            rows.append({
                "label": text(f"stages.{stage}", self.lang),
                "quarter": self.words.num(round_up(getattr(sla.quarter, attr))),
                "month": self.words.num(round_up(getattr(sla.per_month, attr))),
                "day": self.words.num(getattr(sla.per_working_day, attr), 1),
                "now": self.words.num(sla.current_per_month.get(stage)),
            })
        rates = []
        for r in sla.rates:
            a, b = r.name.split("_to_")
            label = f"{text(f'stages.{_plural(a)}', self.lang)} → {text(f'stages.{_plural(b)}', self.lang)}"
            if r.origin == "observed":
                origin = text("report.sla.observed", self.lang)
            else:
                assert r.source is not None
                origin = text("report.sla.benchmark", self.lang, low=self.words.pct(r.benchmark_low),
                              high=self.words.pct(r.benchmark_high), source=source_line(r.source))
            rates.append(f"{label}: {self.words.pct(r.value)} ({origin})")
        return self._render(
            "sla", marketing=marketing, sales=sales, volumes=rows, rates=rates,
            intro=text("report.sla.intro", self.lang, goal=self.words.money(sla.revenue_goal),
                       deal=self.words.money(sla.average_deal_size),
                       customers=self.words.num(round_up(sla.quarter.customers))),
            per_rep=text("report.sla.per_rep", self.lang, reps=self.words.num(sla.sales_reps),
                         mql=self.words.num(sla.mql_per_rep_per_day, 1),
                         attempts=self.words.num(sla.attempts_per_rep_per_day, 1)),
        )

    def goals(self) -> Section:
        """The suggested starting goals."""
        w = self.words
        goals = [{
            "title": title, "why": why, "owner": w.t(f"owners.{g.owner}"), "metric": w.metric(g.metric),
            "baseline": w.show(g.baseline, g.unit), "target": w.show(g.target, g.unit), "deadline": w.day(g.deadline),
        } for g in self.assessment.goals for title, why in [w.goal(g)]]
        return self._render("goals", goals=goals)

    def method(self) -> Section:
        """How the figures were made: questionnaire, scores, gaps, levels, anonymity, inputs."""
        a, bank, lang = self.assessment, self.bank, self.lang
        levels = ", ".join(f"{lv.level} {pick(lv.name, lang)} ({lv.lower:g}+)" for lv in bank.maturity_levels)
        paragraphs = [
            text("report.method.questionnaire", lang, questions=len(bank.questions), version=bank.version),
            text("report.method.scores", lang),
            text("report.method.gap", lang, threshold=self.words.num(a.scores.gap_threshold)),
            text("report.method.levels", lang, levels=levels),
            text("report.method.anonymity", lang, threshold=a.scores.anonymity_threshold),
            text("report.method.funnel", lang),
            text("report.method.sla", lang),
            text("report.method.inputs", lang, files=", ".join(a.inputs)),
        ]
        return self._render("method", paragraphs=paragraphs)


def _plural(singular: str) -> str:
    return next(s for s, one in SINGULAR.items() if one == singular)
