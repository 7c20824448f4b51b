"""Everything the progress notebook shows: a client's quarters side by side.

`ProgressReport` reads the client's history (`history.load_history`: every
`reports/<client-slug>/<period>/assessment.json`) and renders one section per method,
like the baseline report: the alignment index and maturity over time, each dimension's
trend and the sales-marketing gaps, the funnel, follow-up and channel figures, whether
earlier goals were met, and a plain-words summary of what improved, what got worse and
what to focus on next. Quarters scored with different questions are compared only on
what they share, and the report says what it left out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from smarketing_assess import charts
from smarketing_assess import formatting as fmt
from smarketing_assess.client import load_client
from smarketing_assess.goals import show
from smarketing_assess.history import (
    Quarter,
    assess_history,
    biggest_moves,
    compare,
    goal_attainment,
    load_history,
)
from smarketing_assess.questionnaire import load_question_bank
from smarketing_assess.resources import examples_dir, templates_dir
from smarketing_assess.sections import Section
from smarketing_assess.texts import pick, text

# figures followed over time: (fact, how it is shown)
MEASURES = (
    ("rate.lead_to_mql", "share"), ("rate.mql_to_sql", "share"), ("rate.lead_to_customer", "share"),
    ("funnel.leads_per_month", "count"), ("funnel.revenue", "money"), ("followup.share", "share"),
    ("followup.hours", "hours"), ("channels.cost_per_customer", "money"),
)
MOVE = 5.0  # points a dimension must move to count as improved or worse


class ProgressReport:
    """The progress notebook's sections, one method each."""

    def __init__(self, client_dir: str | Path, reports_dir: str | Path, language: str | None = None):
        self.client = load_client(Path(client_dir) / "client.yaml")
        # the baseline reports' assessments; without a reports folder, the client's inputs assessed now
        self.quarters: list[Quarter] = (load_history(Path(reports_dir), self.client.client_slug) if reports_dir
                                        else assess_history(Path(client_dir), language))
        if len(self.quarters) < 2:
            found = ", ".join(str(q.period) for q in self.quarters) or "none"
            where = Path(reports_dir) / self.client.client_slug if reports_dir else Path(client_dir)
            raise ValueError(f"a progress report needs two assessed quarters of {self.client.name} in {where} "
                             f"(found: {found}); run `smarketing-assess run` for each quarter first")
        self.bank = load_question_bank()
        self.lang = language or self.client.language
        self.first, self.last = self.quarters[0], self.quarters[-1]
        self.goals = goal_attainment(self.quarters)
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir() / "report" / "sections"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self._env.globals["t"] = lambda key, **values: text(key, self.lang, **values)

    @classmethod
    def open(cls, client_dir: str | Path = "", reports_dir: str | Path = "", language: str = "") -> ProgressReport:
        """The notebook's entry point: an empty client folder means the bundled example, and no
        reports folder means its quarters assessed from their inputs now."""
        return cls(Path(client_dir) if client_dir else examples_dir() / "brightline-sensors", reports_dir,
                   language or None)

    # ---------------------------------------------------------------- helpers
    def _render(self, name: str, **context: Any) -> Section:
        return Section(self._env.get_template(f"progress_{name}.html.j2").render(**context))

    def _dim(self, did: str) -> str:
        try:
            return pick(self.bank.dimension(did).name, self.lang)
        except KeyError:
            return did

    def _num(self, v: float | None, digits: int = 0) -> str:
        return "–" if v is None else fmt.number(v, self.lang, digits)

    def _show(self, v: float | None, how: str) -> str:
        if v is None:
            return "–"
        if how == "share":
            return fmt.percent(v, self.lang, 1)
        if how == "money":
            return fmt.money(v, self.client.currency, self.lang, 0)
        return fmt.number(v, self.lang, 1 if how == "hours" else 0)

    def _periods(self) -> list[str]:
        return [str(q.period) for q in self.quarters]

    @staticmethod
    def _scores(q: Quarter) -> dict[str, dict[str, Any]]:
        return {d["dimension"]: d for d in q.data.get("scores", {}).get("dimensions", [])}

    # ---------------------------------------------------------------- sections
    def cover(self) -> Section:
        return self._render("cover", client_name=self.client.name, first=str(self.first.period),
                            last=str(self.last.period), count=len(self.quarters))

    def summary(self) -> Section:
        a = self.first.data["scores"].get("alignment_index")
        b = self.last.data["scores"].get("alignment_index")
        moves = biggest_moves(self.first, self.last, count=len(self.bank.dimensions))
        better = [self._dim(m.dimension) for m in moves if m.change >= MOVE]
        worse = [self._dim(m.dimension) for m in moves if m.change <= -MOVE]
        met = [g.title for g in self.goals if g.status == "met"]
        missed = [g.title for g in self.goals if g.status == "missed"]
        comparable = set(compare(self.first, self.last).dimensions)
        scores = self._scores(self.last)
        weakest = sorted((d for d in scores if d in comparable and scores[d].get("score") is not None),
                         key=lambda d: (scores[d]["score"], d))[:2]
        lines = []
        if a is not None and b is not None:
            lines.append(text("progress.summary.index", self.lang, first=str(self.first.period),
                              last=str(self.last.period), before=self._num(a), after=self._num(b),
                              level_before=self.first.data["scores"].get("maturity_level") or 1,
                              level_after=self.last.data["scores"].get("maturity_level") or 1))
        lines.append(text("progress.summary.better", self.lang, items="; ".join(better[:3]), count=len(better),
                          points=self._num(MOVE)) if better
                     else text("progress.summary.no_better", self.lang, points=self._num(MOVE)))
        if worse:
            lines.append(text("progress.summary.worse", self.lang, items="; ".join(worse[-3:][::-1]), count=len(worse),
                              points=self._num(MOVE)))
        if self.goals:
            lines.append(text("progress.summary.goals", self.lang, met=len(met), total=len(self.goals)))
        focus = text("progress.summary.focus", self.lang, items="; ".join(self._dim(d) for d in weakest) or "–")
        if missed:
            focus += " " + text("progress.summary.focus_goals", self.lang, items="; ".join(missed))
        lines.append(focus)
        chart = charts.as_data_uri(charts.trend_chart(
            self._periods(), {text("progress.index.label", self.lang):
                              [q.data["scores"].get("alignment_index") for q in self.quarters]},
            [lv.lower for lv in self.bank.maturity_levels[1:]]))
        levels = [{"period": str(q.period), "index": self._num(q.data["scores"].get("alignment_index")),
                   "level": q.data["scores"].get("maturity_level") or 1,
                   "name": pick(self.bank.maturity_levels[(q.data["scores"].get("maturity_level") or 1) - 1].name,
                                self.lang)} for q in self.quarters]
        return self._render("summary", lines=lines, chart=chart, levels=levels)

    def dimensions(self) -> Section:
        """Each dimension's score, and the marketing-minus-sales gap, quarter by quarter."""
        dims = list(self._scores(self.last)) or list(self._scores(self.first))
        left: list[str] = []
        breaks: set[tuple[str, int]] = set()  # (dimension, quarter index) not comparable with the one before
        for i, (before, after) in enumerate(zip(self.quarters, self.quarters[1:], strict=False), start=1):
            comparison = compare(before, after)
            for item, why in comparison.left_out:
                if item in dims:
                    breaks.add((item, i))
                left.append(f"{self._dim(item)} ({why})")
        rows = []
        for d in dims:
            cells, gaps = [], []
            for i, q in enumerate(self.quarters):
                entry = self._scores(q).get(d, {})
                mark = "*" if (d, i) in breaks else ""
                cells.append(self._num(entry.get("score")) + mark)
                gaps.append(entry.get("gap"))
            first_gap, last_gap = gaps[0], gaps[-1]
            trend = ""
            if first_gap is not None and last_gap is not None and abs(abs(last_gap) - abs(first_gap)) >= MOVE:
                trend = text("progress.gaps.narrowing" if abs(last_gap) < abs(first_gap) else "progress.gaps.widening",
                             self.lang)
            rows.append({"name": self._dim(d), "scores": cells, "gaps": [self._num(g) for g in gaps], "trend": trend})
        return self._render("dimensions", periods=self._periods(), rows=rows, left_out="; ".join(dict.fromkeys(left)),
                            has_breaks=bool(breaks))

    def measures(self) -> Section:
        """Funnel rates, follow-up speed and the cost of a customer over time."""
        rows = []
        for fact, how in MEASURES:
            values = [q.fact(fact) for q in self.quarters]
            if all(v is None for v in values):
                continue
            rows.append({"name": text(f"progress.measures.{fact.replace('.', '_')}", self.lang),
                         "values": [self._show(v, how) for v in values]})
        return self._render("measures", periods=self._periods(), rows=rows)

    def goal_attainment(self) -> Section:
        cur = self.client.currency

        def value(v: float | None, unit: str) -> str:
            return text("report.unavailable", self.lang) if v is None else show(v, unit, cur, self.lang)

        def why(reason: str, deadline: str) -> str:
            when = fmt.day(date.fromisoformat(deadline), self.lang, "medium")
            return text(f"progress.goals.{reason}", self.lang, deadline=when) if reason else ""

        goals = [{"title": g.title, "metric": g.metric_label, "set_in": g.set_in, "baseline": value(g.baseline, g.unit),
                  "target": value(g.target, g.unit), "now": value(g.now, g.unit), "key": g.status,
                  "status": text(f"report.since.status.{g.status.replace(' ', '_')}", self.lang),
                  "why": why(g.reason, g.deadline)}
                 for g in self.goals]
        return self._render("goals", goals=goals, last=str(self.last.period))
