"""Everything the progress notebook shows: a client's quarters side by side.

`ProgressReport` takes the client's quarters (`running.store.client_history`: the stored
`assessment.json` of each, or the quarter assessed from its inputs when none is current)
and renders one section per method, like the baseline report: the alignment index and
maturity over time, each dimension's trend and the sales-marketing gaps, the funnel,
follow-up and channel figures, whether earlier goals were met, and a plain-words summary
of what improved, what got worse and what to focus on next. Quarters scored with different
questions are compared only on what they share, and the report says what it left out.
All of it reads in one language, whatever language each quarter was first reported in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from smarketing_assess.config.brand import Brand
from smarketing_assess.config.metrics import unit_of
from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.catalogs import pick
from smarketing_assess.presenting import charts
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.baseline import Section
from smarketing_assess.presenting.commentary import logo_uri
from smarketing_assess.presenting.review import commitment_value, commitment_words
from smarketing_assess.presenting.texts import Words, environment, merged_wording
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.history import GoalStatus
from smarketing_assess.records.progress import Progress
from smarketing_assess.records.review import Result

# figures followed over time (their units are `config.metrics`')
MEASURES = ("rate.lead_to_mql", "rate.mql_to_sql", "rate.lead_to_customer", "funnel.leads_per_month", "funnel.revenue",
            "followup.share", "followup.hours", "channels.cost_per_customer")


class QuarterLike(Protocol):
    """A quarter of the history: its assessment and where it came from (see `running.store.Quarter`)."""

    @property
    def assessment(self) -> Assessment:
        """The quarter's assessment."""

    @property
    def origin(self) -> str:
        """Where it came from: stored, or why it was assessed now."""


class ProgressReport:
    """The progress notebook's sections, one method each."""

    def __init__(self, quarters: Sequence[QuarterLike], progress: Progress, language: str | None = None,
                 brand: Brand | None = None) -> None:
        if len(quarters) < 2:
            found = ", ".join(q.assessment.period for q in quarters) or "none"
            raise ValueError(f"a progress report needs two assessed quarters (found: {found}); run "
                             "`smarketing-assess run` for each quarter first")
        self.brand = brand
        self.origins = [(q.assessment.period, q.origin) for q in quarters]
        self.quarters: list[Assessment] = [q.assessment for q in quarters]
        self.first, self.last = self.quarters[0], self.quarters[-1]
        self.client = self.last.client
        self.bank = load_question_bank()
        self.words = Words.of(language or self.client.language, self.client.currency, self.bank,
                              merged_wording([q.wording for q in self.quarters]))
        self.lang = self.words.lang
        self.progress = progress
        self.goals = progress.goals
        self._env = environment(self.lang)

    # ---------------------------------------------------------------- helpers
    def _render(self, name: str, **context: Any) -> Section:
        return Section(self._env.get_template(f"progress_{name}.html.j2").render(**context))



    def _show(self, v: float | None, how: str) -> str:
        if v is None:
            return "–"
        if how == "share":
            return self.words.pct(v, 1)
        if how == "money":
            return self.words.money(v)
        return self.words.num(v, 1 if how == "hours" else 0)

    def _periods(self) -> list[str]:
        return [q.period for q in self.quarters]

    def assessed_now(self) -> str:
        """Which quarters were computed from their inputs now rather than read from a stored report."""
        items = [self.words.t(f"progress.origin.{origin}", period=period)
                 for period, origin in self.origins if origin != "stored"]
        return self.words.t("progress.assessed_now", items="; ".join(items)) if items else ""

    # ---------------------------------------------------------------- sections
    def cover(self) -> Section:
        """The cover: client and the quarters covered."""
        return self._render("cover", client_name=self.client.name, first=self.first.period,
                            last=self.last.period, count=len(self.quarters), logo=logo_uri(self.brand),
                            brand_name=self.brand.name if self.brand else "")

    def summary(self) -> Section:
        """What moved from the first quarter to the last, the index over time, what to focus on."""
        w, p = self.words, self.progress
        points = w.num(p.move)
        lines = []
        if p.unanswered:
            lines.append(w.t("progress.summary.no_answers", periods=", ".join(p.unanswered)))
        mix = p.teams is not None and p.teams.changed
        if mix:
            lines.append(self._mix())
        if p.scored_from is not None and p.scored_from != self.last.period:
            first = p.periods.index(p.scored_from)
            index, level = (p.teams.index, p.teams.levels) if p.teams is not None and mix else (p.index, p.levels)
            a, b = index[first], index[-1]
            if a is not None and b is not None:
                lines.append(w.t("progress.summary.index", first=p.scored_from, last=self.last.period,
                                 before=w.num(a), after=w.num(b), level_before=level[first] or 1,
                                 level_after=level[-1] or 1))
            elif mix:
                lines.append(w.t("progress.summary.index_not_compared"))
        if (p.scored_from or p.periods[0]) != self.last.period:
            better = [w.dim(m.dimension) for m in p.better]
            lines.append(w.t("progress.summary.better", items="; ".join(better[:3]), count=w.num(len(better)),
                             points=points) if better else w.t("progress.summary.no_better", points=points))
        if p.worse:
            lines.append(w.t("progress.summary.worse", items="; ".join(w.dim(m.dimension) for m in p.worse[:3]),
                             count=w.num(len(p.worse)), points=points))
        met = [g for g in self.goals if g.status == "met"]
        missed = [w.goal(g.goal)[0] for g in self.goals if g.status == "missed"]
        if self.goals:
            lines.append(w.t("progress.summary.goals", met=w.num(len(met)), total=w.num(len(self.goals))))
        focus = w.t("progress.summary.focus", items="; ".join(w.dim(d) for d in p.focus) or "–")
        if missed:
            focus += " " + w.t("progress.summary.focus_goals", items="; ".join(missed))
        lines.append(focus)
        teams = p.teams if p.teams is not None and mix else None
        compared = ", ".join(w.team(t) for t in teams.compared) if teams else ""
        chart = charts.as_data_uri(charts.trend_chart(
            self._periods(), {w.t("progress.index.label"): [q.scores.alignment_index for q in self.quarters]},
            [lv.lower for lv in self.words.names.levels[1:]], bar=self.brand.accent if self.brand else charts.BAR))
        levels = [{"period": q.period, **self._level(q.scores.alignment_index, q.scores.maturity_level)}
                  for q in self.quarters]
        if teams is not None:
            for i, row in enumerate(levels):
                row["teams"] = ", ".join(w.team(t) for t in teams.counted[i]) or "–"
                row["compared"] = self._level(teams.index[i], teams.levels[i])
        return self._render("summary", lines=lines, chart=chart, levels=levels, assessed_now=self.assessed_now(),
                            compared=compared, verdicts=self._verdicts())

    def _level(self, index: float | None, level: int | None) -> dict[str, Any]:
        """An index and its maturity level as the index table shows them."""
        return {"index": self.words.num(index), "level": level if level is not None else "",
                "name": pick(self.words.level(level).name, self.lang) if level is not None
                else self.words.t("report.summary.no_level")}

    def _mix(self) -> str:
        """Which teams each quarter counted, and the teams compared: a withheld team changes the mix."""
        assert self.progress.teams is not None
        return self.words.team_mix(self.progress.periods, self.progress.teams)

    def _verdicts(self) -> list[dict[str, str]]:
        """The counts the summary's sentences give: dimensions better and worse, goals set and met."""
        w, p = self.words, self.progress
        if (p.scored_from or p.periods[0]) == self.last.period and not self.goals:
            return []
        points = w.num(p.move)
        rows = []
        if (p.scored_from or p.periods[0]) != self.last.period:
            rows += [{"what": w.t("progress.verdicts.better", points=points), "count": w.num(len(p.better))},
                     {"what": w.t("progress.verdicts.worse", points=points), "count": w.num(len(p.worse))}]
        if self.goals:
            rows += [{"what": w.t("progress.verdicts.goals_set"), "count": w.num(len(self.goals))},
                     {"what": w.t("progress.verdicts.goals_met"),
                      "count": w.num(sum(g.status == "met" for g in self.goals))}]
        return rows

    def dimensions(self) -> Section:
        """Each dimension's score, and the marketing-minus-sales gap, quarter by quarter."""
        w, p = self.words, self.progress
        left = [f"{w.dim(item)} ({why})" for item, why in p.left_out]
        rows = [{"name": w.dim(d.dimension),
                 "scores": [w.num(v) + ("*" if i in d.breaks else "") for i, v in enumerate(d.scores)],
                 "gaps": [w.num(g) for g in d.gaps],
                 "trend": w.t(f"progress.gaps.{d.gap_trend}") if d.gap_trend else ""} for d in p.dimensions]
        mix = p.teams is not None and p.teams.changed
        return self._render("dimensions", periods=self._periods(), rows=rows, left_out="; ".join(dict.fromkeys(left)),
                            has_breaks=any(d.breaks for d in p.dimensions),
                            compared=", ".join(w.team(t) for t in p.teams.compared) if p.teams and mix else "")

    def measures(self) -> Section:
        """Funnel rates, follow-up speed and the cost of a customer over time."""
        rows = []
        for fact in MEASURES:
            how = unit_of(fact) or "number"
            values = [q.fact(fact) for q in self.quarters]
            if all(v is None for v in values):
                continue
            rows.append({"name": self.words.t(f"progress.measures.{fact.replace('.', '_')}"),
                         "values": [self._show(v, how) for v in values]})
        return self._render("measures", periods=self._periods(), rows=rows)

    def goal_attainment(self) -> Section:
        """Every goal set in an earlier quarter, judged against the latest."""
        w = self.words

        def why(reason: str, deadline: str) -> str:
            return w.t(f"progress.goals.{reason}", deadline=w.day(deadline)) if reason else ""

        def owner(g: GoalStatus) -> str:
            a = g.agreed
            if a is None or a.owner is None:
                return ""
            team = w.t(f"review.side.{a.owner}")
            return f"{team} ({a.person})" if a.person else team

        goals = [{"title": w.agreed_goal(g.agreed) if g.agreed else w.goal(g.goal)[0], "owner": owner(g),
                  "metric": w.metric(g.goal.metric), "set_in": g.set_in,
                  "baseline": w.show(g.goal.baseline, g.goal.unit), "target": w.show(g.goal.target, g.goal.unit),
                  "now": w.show(g.now, g.goal.unit), "key": g.status,
                  "status": w.t(f"report.since.status.{g.status.replace(' ', '_')}"),
                  "why": why(g.reason, g.goal.deadline)}
                 for g in self.goals]
        plan = self.last.plan if any(g.agreed for g in self.goals) else None
        changes = [{"goal": w.agreed_goal(a), "date": w.day(c.agreed_on), "before": w.show(c.target_before, a.unit),
                    "after": w.show(c.target_after, a.unit), "deadline": w.day(c.deadline_after)}
                   for c in (plan.changes if plan else []) for a in (plan.goals if plan else []) if a.id == c.goal]
        intro = w.t("progress.goals.intro_agreed", date=w.day(plan.agreed_on), last=self.last.period) if plan \
            else w.t("progress.goals.intro", last=self.last.period)
        return self._render("goals", goals=goals, intro=intro, changes=changes)

    def sla(self) -> Section:
        """The SLA's commitments month by month, each month against the plan in force then."""
        months = [m for q in self.quarters for m in q.sla_months]
        if not months:
            return self._render("sla", months=[], rows=[])
        w = self.words
        order: dict[str, Result] = {}
        for m in months:
            for r in m.results:
                order.setdefault(r.id, r)
        rows = []
        for rid, first in order.items():
            cells = []
            for m in months:
                found = next((x for x in m.results if x.id == rid), None)
                cells.append({"value": commitment_value(w, found.delivered, found.unit) if found else "–",
                              "status": found.status if found else "not_measured"})
            rows.append({"commitment": commitment_words(w, first), "owner": w.t(f"review.side.{first.side}"),
                         "cells": cells})
        return self._render("sla", months=[fmt.month(m.month, self.lang, short=True) for m in months], rows=rows)

