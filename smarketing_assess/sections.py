"""The baseline report's sections as HTML, for the notebook to show one per cell.

Python formats the figures for people (the client's language and currency); the
structure lives in `templates/report/sections/*.html.j2`, rendered by Jinja with
autoescaping on, so client text (names, channels, notes) is always shown as text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from smarketing_assess import charts
from smarketing_assess import formatting as fmt
from smarketing_assess.assessment import Assessment, assess, to_json
from smarketing_assess.benchmarks import Benchmarks, Source, load_benchmarks
from smarketing_assess.crm_mapping import CRM_STAGES
from smarketing_assess.errors import InputError
from smarketing_assess.findings import PERCENT_MEASURES, findings
from smarketing_assess.funnel import SINGULAR
from smarketing_assess.goals import show
from smarketing_assess.period import Period, notebook_target, periods
from smarketing_assess.questionnaire import TEAMS, QuestionBank, load_question_bank
from smarketing_assess.readers import STAGES
from smarketing_assess.resources import templates_dir
from smarketing_assess.sla import round_up
from smarketing_assess.textfiles import write_text_atomic
from smarketing_assess.texts import in_sentence, pick, text

# CRM stage names (singular) to the funnel's column names
FUNNEL_NAME = dict(zip(CRM_STAGES, ("mql", "sal", "sql", "opportunities", "customers"), strict=True))


class Section(str):
    """HTML that Jupyter shows as HTML (and nbconvert exports as such)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("<report section: shown as HTML>")


def source_line(s: Source) -> str:
    return f"{s.publisher}, “{s.title}”" + (f" ({s.year})" if s.year else "") + f", {s.url}"


class BaselineReport:
    """Everything the baseline notebook shows, one method per section."""

    def __init__(self, client_dir: str | Path, period: str, language: str | None = None,
                 report_date: date | None = None) -> None:
        self.bank: QuestionBank = load_question_bank()
        self.period = Period.parse(period)
        self.client_dir = Path(client_dir)
        if language and language not in self.bank.languages:
            raise ValueError(f"no texts in language {language!r}; available: {', '.join(self.bank.languages)}")
        self.assessment: Assessment = assess(self.client_dir, self.period, self.bank, language)
        self.lang = self.assessment.client.language
        if self.lang not in self.bank.languages:
            raise ValueError(f"no texts in language {self.lang!r}; available: {', '.join(self.bank.languages)}")
        self.report_date = report_date or date.today()
        self.benchmarks: Benchmarks = load_benchmarks()
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir() / "report" / "sections"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self._env.globals["t"] = lambda key, **values: text(key, self.lang, **values)

    @classmethod
    def open(cls, client_dir: str | Path = "", period: str = "", language: str = "") -> BaselineReport:
        """The notebook's entry point: empty parameters mean the bundled example client, its
        latest quarter and the client's own language."""
        folder, quarter = notebook_target(client_dir, period)
        return cls(folder, str(quarter), language or None)

    # ------------------------------------------------------------------ helpers
    def _render(self, name: str, **context: Any) -> Section:
        return Section(self._env.get_template(f"{name}.html.j2").render(**context))

    def _team(self, team: str) -> str:
        return pick(self.bank.teams[team], self.lang)

    def _dim(self, did: str) -> str:
        return pick(self.bank.dimension(did).name, self.lang)

    def _pct(self, v: float | None, digits: int = 1) -> str:
        if v is None:
            return text("report.unavailable", self.lang)
        if 0 < v < 0.001:  # 0.04% is not 0.0%
            digits = max(digits, 2)
        return fmt.percent(v, self.lang, digits)

    def _num(self, v: float | None, digits: int = 0) -> str:
        return fmt.number(v, self.lang, digits) if v is not None else "–"

    def _money(self, v: float | None) -> str:
        return fmt.money(v, self.assessment.client.currency, self.lang, 0) if v is not None else "–"

    def _withheld(self) -> str:
        return ", ".join(self._team(t) for t in self.assessment.scores.withheld_teams)

    def _shown_teams(self) -> list[str]:
        """Teams that answered at all (a withheld team is still named, its cells say so)."""
        return [t for t in TEAMS if self.assessment.scores.respondents[t] > 0]

    # ------------------------------------------------------------------ output
    def write_assessment(self, output_dir: str | Path | None) -> Path | None:
        """Write assessment.json into `output_dir` (nothing when it is empty)."""
        if not output_dir:
            return None
        path = Path(output_dir) / "assessment.json"
        write_text_atomic(path, to_json(self.assessment))
        return path

    # ----------------------------------------------------------------- sections
    def cover(self) -> Section:
        s = self.assessment.scores
        return self._render(
            "cover", client_name=self.assessment.client.name, period=str(self.period),
            date=fmt.day(self.report_date, self.lang),
            teams=[{"label": self._team(t), "count": s.respondents[t]} for t in TEAMS],
            total=sum(s.respondents.values()), withheld=self._withheld(), threshold=s.anonymity_threshold,
        )

    def summary(self) -> Section:
        s = self.assessment.scores
        level = self.bank.maturity_levels[(s.maturity_level or 1) - 1]
        if s.mean_gap is not None and s.overall is not None:
            explanation = text("report.summary.index_explained", self.lang, overall=self._num(s.overall),
                               gap=self._num(s.mean_gap))
        else:
            explanation = text("report.summary.index_no_gap", self.lang)
        return self._render(
            "summary", index=self._num(s.alignment_index), level=level.level,
            level_name=pick(level.name, self.lang), level_description=pick(level.description, self.lang),
            levels=[{"level": lv.level, "name": pick(lv.name, self.lang), "current": lv.level == level.level}
                    for lv in self.bank.maturity_levels],
            explanation=explanation,
            findings=[f.text for f in findings(self.assessment, self.bank, self.lang)],
        )

    def since_last_quarter(self) -> Section:
        """What moved since the client's previous quarter, and how last quarter's goals fared
        (nothing for a client's first quarter)."""
        from smarketing_assess import history

        earlier = [p for p in periods(self.client_dir) if p < self.period]
        if not earlier:
            return Section("")
        previous = earlier[-1]
        try:
            before = assess(self.client_dir, previous, self.bank, self.lang)
        except InputError as exc:
            return self._render("since", previous=str(previous), unreadable=exc.summary, index=None, moves=[],
                                goals=[], left_out="")
        then = history.Quarter(previous, json.loads(to_json(before)), self.client_dir / str(previous))
        now = history.Quarter(self.period, json.loads(to_json(self.assessment)), self.client_dir / str(self.period))
        moves = [{"name": self._dim(m.dimension), "before": self._num(m.before), "after": self._num(m.after),
                  "line": text("report.since.up" if m.change > 0 else "report.since.down", self.lang,
                               dimension=self._dim(m.dimension), points=self._num(abs(m.change), 1))}
                 for m in history.biggest_moves(then, now)]
        cur = self.assessment.client.currency

        def value(v: float | None, unit: str) -> str:
            return text("report.unavailable", self.lang) if v is None else show(v, unit, cur, self.lang)

        goals = [{"title": g.title, "metric": g.metric_label, "baseline": value(g.baseline, g.unit),
                  "target": value(g.target, g.unit),
                  "now": value(g.now, g.unit),
                  "status": text(f"report.since.status.{g.status.replace(' ', '_')}", self.lang), "key": g.status}
                 for g in history.goal_attainment([then, now])]
        left = [self._dim(item) if item in {d.id for d in self.bank.dimensions} else item
                for item, _why in history.compare(then, now).left_out]
        a, b = before.scores.alignment_index, self.assessment.scores.alignment_index
        index = None if a is None or b is None else text(
            "report.since.index", self.lang, previous=str(previous), before=self._num(a), after=self._num(b),
            level_before=before.scores.maturity_level or 1, level_after=self.assessment.scores.maturity_level or 1)
        return self._render("since", previous=str(previous), unreadable=None, index=index, moves=moves, goals=goals,
                            left_out=", ".join(left))

    def dimensions(self) -> Section:
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
                    cells.append(self._num(d.teams[t]))
            rows.append({"name": self._dim(d.dimension), "overall": self._num(d.score), "teams": cells})
        chart = charts.as_data_uri(charts.dimension_chart(
            [self._dim(d.dimension) for d in s.dimensions], [d.score for d in s.dimensions],
            {t: [d.teams[t] for d in s.dimensions] for t in teams if t not in s.withheld_teams},
            {t: self._team(t) for t in TEAMS}, text("report.dimensions.overall", self.lang)))
        return self._render("dimensions", chart=chart, rows=rows, team_labels=[self._team(t) for t in teams],
                            withheld=self._withheld(), threshold=s.anonymity_threshold)

    def gaps(self) -> Section:
        s = self.assessment.scores
        available = any(d.gap is not None for d in s.dimensions)
        context: dict[str, Any] = {"available": available, "threshold": self._num(s.anonymity_threshold),
                                   "one_team": not (s.respondents["sales"] and s.respondents["marketing"])}
        if available:
            dims = [d for d in s.dimensions if d.gap is not None]
            context["threshold"] = self._num(s.gap_threshold)
            context["chart"] = charts.as_data_uri(charts.gap_chart(
                [self._dim(d.dimension) for d in dims], [d.gap for d in dims], s.gap_threshold,
                text("report.gaps.marketing_higher", self.lang), text("report.gaps.sales_higher", self.lang)))
            flagged = sorted((d for d in dims if d.gap_flagged), key=lambda d: -abs(d.gap or 0))
            context["flagged"] = [
                text("report.gaps.flagged", self.lang, dimension=self._dim(d.dimension),
                     higher=self._team("marketing" if (d.gap or 0) > 0 else "sales"),
                     lower=in_sentence(self._team("sales" if (d.gap or 0) > 0 else "marketing")),
                     points=self._num(abs(d.gap or 0)))
                for d in flagged
            ]
        return self._render("gaps", **context)

    def funnel(self) -> Section:
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
                "label": text(f"stages.{stage}", self.lang), "count": self._num(f.counts[stage]),
                "per_month": self._num(f.per_month[stage]),
                "rate": self._pct(rate.value) if rate else "",
                "range": (f"{fmt.percent(bench.low, self.lang, 1)}–{fmt.percent(bench.high, self.lang, 1)}"
                          if bench else ""),
            })
        shown = [s for s in tracked if s != "visitors"]
        chart = charts.as_data_uri(charts.funnel_chart(
            [text(f"stages.{s}", self.lang) for s in shown], [f.counts[s] or 0 for s in shown],
            [self._num(f.counts[s]) for s in shown]))
        not_tracked = ", ".join(text(f"stages.{s}", self.lang) for s in STAGES if s not in tracked)
        return self._render(
            "funnel", available=True, months=f.months, chart=chart, rows=rows, sources=sources,
            overall=text("report.funnel.overall", self.lang, rate=self._pct(f.rate("lead_to_customer"), 2)),
            not_tracked=not_tracked, crm_notes=self._crm_notes(),
        )

    def _crm_notes(self) -> list[str]:
        """Where CRM-derived figures come from, the flow view beside them, and what looked odd."""
        crm = self.assessment.crm
        if not crm:
            return []
        lang = self.lang
        notes = [text("crm.cohort_note", lang, mapping=crm.get("mapping", ""))]
        flow: dict[str, int] = {}
        for row in (crm.get("flow") or {}).values():
            for stage, n in row.items():
                flow[stage] = flow.get(stage, 0) + n
        if flow:
            notes.append(text("crm.flow", lang, items=", ".join(
                f"{text(f'stages.{s}', lang)} {self._num(n)}" for s, n in flow.items())))
        implied = {s: n for s, n in (crm.get("implied") or {}).items() if n}
        if implied:
            notes.append(text("crm.implied", lang, count=self._num(sum(implied.values())), stages=", ".join(
                f"{text(f'stages.{FUNNEL_NAME[s]}', lang)} {self._num(n)}" for s, n in implied.items())))
        odd = [f"{self._num(n)} {self._event(k)}" for k, n in (crm.get("out_of_order") or {}).items() if n]
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
        a = self.assessment
        f = a.funnel
        tiles = []
        if f is not None:
            # the facts hold the lead-level figures when the funnel came from CRM exports
            tiles.append({"value": self._pct(a.facts.get("followup.share"), 0),
                          "label": text("report.followup.share", self.lang), "note": ""})
            tiles.append({"value": self._num(a.facts.get("followup.hours")),
                          "label": text("report.followup.hours", self.lang),
                          "note": text("report.followup.target_hours", self.lang,
                                       hours=self._num(a.sla.followup_sla_hours))})
            tiles.append({"value": self._pct(f.rate("mql_to_sql"), 0),
                          "label": text("report.followup.mql_to_sql", self.lang), "note": ""})
            tiles.append({"value": self._pct(f.rate("lead_to_customer"), 1),
                          "label": text("report.followup.lead_to_customer", self.lang), "note": ""})
        tiles = [t for t in tiles if t["value"] not in ("–", text("report.unavailable", self.lang))]
        tiles += self._crm_tiles()
        teams = [t for t in ("sales", "marketing") if a.scores.respondents[t] > 0]
        rows = []
        for b in a.beliefs:
            percent = b.measure in PERCENT_MEASURES

            def show_value(v: float | None, percent: bool = percent) -> str:
                if v is None:
                    return "–"
                return fmt.percent(v, self.lang, 1) if percent else fmt.number(v, self.lang)

            cells = [text("report.withheld_short", self.lang) if t in a.scores.withheld_teams
                     else show_value(b.teams.get(t)) for t in teams]
            rows.append({"label": text(f"measures.{b.measure}", self.lang), "teams": cells,
                         "fact": show_value(b.fact) if b.fact is not None else text("report.no_data", self.lang)})
        return self._render("followup", tiles=tiles, beliefs=rows if teams else [],
                            team_labels=[self._team(t) for t in teams])

    def _crm_tiles(self) -> list[dict[str, str]]:
        crm = self.assessment.crm or {}
        fu, deals, lang = crm.get("followup") or {}, crm.get("deals") or {}, self.lang
        tiles = []
        if fu.get("p90_hours") is not None:
            tiles.append({"value": self._num(fu["p90_hours"]), "label": text("crm.p90_hours", lang), "note": ""})
        if fu.get("share_within_sla") is not None:
            tiles.append({"value": self._pct(fu["share_within_sla"], 0),
                          "label": text("crm.within_sla", lang, hours=self._num(fu.get("sla_hours"))), "note": ""})
        if fu.get("median_attempts") is not None:
            tiles.append({"value": self._num(fu["median_attempts"], 1), "label": text("crm.attempts", lang),
                          "note": ""})
        if deals.get("win_rate") is not None:
            tiles.append({"value": self._pct(deals["win_rate"], 0), "note": "",
                          "label": text("crm.win_rate", lang, won=self._num(deals["won"]),
                                        lost=self._num(deals["lost"]))})
        if deals.get("median_days_to_won") is not None:
            tiles.append({"value": self._num(deals["median_days_to_won"]), "note": "",
                          "label": text("crm.days_to_won", lang, mean=self._num(deals.get("mean_days_to_won")))})
        return tiles

    def channels(self) -> Section:
        c = self.assessment.channels
        if c is None:
            return self._render("channels", available=False)
        none = text("report.channels.no_customers", self.lang)
        rows = [{
            "rank": ch.rank, "channel": ch.channel, "leads": self._num(ch.leads), "customers": self._num(ch.customers),
            "spend": self._money(ch.spend), "visitor_to_lead": self._pct(ch.visitor_to_lead) if ch.visitors else "–",
            "lead_to_customer": self._pct(ch.lead_to_customer),
            "cost_per_lead": self._money(ch.cost_per_lead),
            "cost_per_customer": (self._money(ch.cost_per_customer) if ch.customers or ch.spend is None else none),
        } for ch in c.channels]
        chart = charts.as_data_uri(charts.channel_chart(
            [ch.channel for ch in c.channels], [ch.cost_per_customer for ch in c.channels],
            [(self._money(ch.cost_per_customer) if ch.cost_per_customer is not None else "–") if ch.customers
             else none for ch in c.channels]))
        notes = [{"channel": ch.channel, "text": ch.notes} for ch in c.channels if ch.notes]
        segments = [{"segment": sg["segment"], "leads": self._num(sg.get("leads")),
                     "customers": self._num(sg.get("customers")) if "customers" in sg else "–",
                     "rate": self._pct(sg["customers"] / sg["leads"]) if sg.get("leads") and "customers" in sg
                     else "–"} for sg in ((self.assessment.crm or {}).get("segments") or [])[:10]]
        return self._render("channels", available=True, rows=rows, chart=chart,
                            recommendation=c.recommendation.text, notes=notes, segments=segments)

    def sla(self) -> Section:
        sla = self.assessment.sla
        rows = []
        for stage, attr in (("leads", "leads"), ("mql", "mql"), ("sql", "sql"), ("customers", "customers")):
            rows.append({
                "label": text(f"stages.{stage}", self.lang),
                "quarter": self._num(round_up(getattr(sla.quarter, attr))),
                "month": self._num(round_up(getattr(sla.per_month, attr))),
                "day": self._num(getattr(sla.per_working_day, attr), 1),
                "now": self._num(sla.current_per_month.get(stage)),
            })
        rates = []
        for r in sla.rates:
            a, b = r.name.split("_to_")
            label = f"{text(f'stages.{_plural(a)}', self.lang)} → {text(f'stages.{_plural(b)}', self.lang)}"
            if r.origin == "observed":
                origin = text("report.sla.observed", self.lang)
            else:
                assert r.source is not None
                origin = text("report.sla.benchmark", self.lang, low=self._pct(r.benchmark_low),
                              high=self._pct(r.benchmark_high), source=source_line(r.source))
            rates.append(f"{label}: {self._pct(r.value)} ({origin})")
        return self._render(
            "sla", marketing=sla.marketing_commitment, sales=sla.sales_commitment, volumes=rows, rates=rates,
            intro=text("report.sla.intro", self.lang, goal=self._money(sla.revenue_goal),
                       deal=self._money(sla.average_deal_size), customers=self._num(round_up(sla.quarter.customers))),
            per_rep=text("report.sla.per_rep", self.lang, reps=self._num(sla.sales_reps),
                         mql=self._num(sla.mql_per_rep_per_day, 1),
                         attempts=self._num(sla.attempts_per_rep_per_day, 1)),
        )

    def goals(self) -> Section:
        cur = self.assessment.client.currency
        goals = [{
            "title": g.title, "why": g.why, "owner": text(f"owners.{g.owner}", self.lang), "metric": g.metric_label,
            "baseline": show(g.baseline, g.unit, cur, self.lang), "target": show(g.target, g.unit, cur, self.lang),
            "deadline": fmt.day(date.fromisoformat(g.deadline), self.lang, "medium"),
        } for g in self.assessment.goals]
        return self._render("goals", goals=goals)

    def method(self) -> Section:
        a, bank, lang = self.assessment, self.bank, self.lang
        levels = ", ".join(f"{lv.level} {pick(lv.name, lang)} ({lv.lower:g}+)" for lv in bank.maturity_levels)
        paragraphs = [
            text("report.method.questionnaire", lang, questions=len(bank.questions), version=bank.version),
            text("report.method.scores", lang),
            text("report.method.gap", lang, threshold=self._num(a.scores.gap_threshold)),
            text("report.method.levels", lang, levels=levels),
            text("report.method.anonymity", lang, threshold=a.scores.anonymity_threshold),
            text("report.method.funnel", lang),
            text("report.method.sla", lang),
            text("report.method.inputs", lang, files=", ".join(a.inputs)),
        ]
        return self._render("method", paragraphs=paragraphs)


def _plural(singular: str) -> str:
    return next(s for s, one in SINGULAR.items() if one == singular)
