"""Everything the monthly review notebook shows: one page that holds each side to its commitments.

`ReviewReport` takes a `model.review.Review` (the agreed plan in force, judged on the month's
figures, as its record `review.json` holds it) and renders, in the client's language: the
cover, the scorecard (each commitment, committed against delivered, and each side's
attainment), the months so far, the goals due soon, and the meeting's agenda (what is behind,
who owns it, what to decide).
"""

from __future__ import annotations

from typing import Any

from smarketing_assess.config.brand import Brand
from smarketing_assess.config.metrics import unit_of
from smarketing_assess.config.plan import Owner, PlanGoal
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.baseline import Section
from smarketing_assess.presenting.commentary import logo_uri
from smarketing_assess.presenting.texts import Words, environment
from smarketing_assess.records.evidence import MIN_BASIS
from smarketing_assess.records.goals import Goal
from smarketing_assess.records.review import GoalDue, Result, Review

SIDES = ("marketing", "sales", "joint", "leadership")


class ReviewReport:
    """The monthly review's sections, one method each."""

    def __init__(self, review: Review, client_name: str, currency: str, language: str,
                 brand: Brand | None = None) -> None:
        self.review, self.client_name, self.brand = review, client_name, brand
        self.words = Words.of(language, currency)
        self.lang = self.words.lang
        self._env = environment(self.lang)

    def _render(self, name: str, **context: Any) -> Section:
        return Section(self._env.get_template(f"review_{name}.html.j2").render(**context))

    # ---------------------------------------------------------------- words
    def _value(self, v: float | None, unit: str) -> str:
        return commitment_value(self.words, v, unit)

    def owner(self, owner: Owner | None, side: str | None = None, person: str | None = None) -> str:
        """Who answers for it: the team, and the person when the plan names one."""
        team = owner.team if owner else side
        person = owner.person if owner else person
        name = self.words.t(f"review.side.{team}") if team else "–"
        return f"{name} ({person})" if person else name

    def commitment(self, r: Result) -> str:
        """A commitment in words."""
        return commitment_words(self.words, r)

    def goal_title(self, g: PlanGoal) -> str:
        """A goal's words: the playbook's for a suggestion, the plan's own for one the client added."""
        if g.title:
            return g.title
        as_goal = Goal(g.id, g.owner.team if g.owner else "joint", 0, g.metric, "count", g.baseline or 0.0, g.target,
                       g.better or "higher", g.deadline.isoformat(), [])
        return self.words.goal(as_goal)[0]

    def _row(self, r: Result) -> dict[str, str]:
        w = self.words
        return {"commitment": self.commitment(r), "owner": self.owner(None, r.side, r.person),
                "committed": self._value(r.committed, r.unit), "delivered": self._value(r.delivered, r.unit),
                "status": w.t(f"review.status.{r.status}"), "status_code": r.status,
                "basis": w.t("review.basis", cases=w.num(r.basis)) if r.basis is not None and r.unit == "share" else "",
                "thin": w.t("report.thin_mark") if r.thin else "",
                "why": w.t(f"review.why.{r.why}") if r.why else ""}

    # ---------------------------------------------------------------- sections
    def cover(self) -> Section:
        """Client, month, and the plan the month is judged against."""
        w = self.words
        return self._render("cover", client_name=self.client_name, logo=logo_uri(self.brand),
                            brand_name=self.brand.name if self.brand else "",
                            month=w.t("review.month_of", month=fmt.month(self.review.month, self.lang)),
                            agreed=w.t("review.agreed", date=w.day(self.review.agreed_on.isoformat()),
                                       by="; ".join(self.review.agreed_by)),
                            source=w.t(f"review.source_{self.review.source}"))

    def scorecard(self) -> Section:
        """Each commitment, committed against delivered, and each side's attainment."""
        w = self.words
        rows = [self._row(r) for r in self.review.results]
        sides = [{"side": w.t(f"review.side.{side}"), "met": w.num(met), "judged": w.num(judged)}
                 for side in SIDES if (side in self.review.attainment)
                 for met, judged in [self.review.attainment[side]]]
        thin = any(r.thin for r in self.review.results)
        return self._render("scorecard", rows=rows, sides=sides,
                            thin=w.t("report.thin_legend", mark=w.t("report.thin_mark"), basis=w.num(MIN_BASIS)) if thin
                            else "")

    def trend(self) -> Section:
        """The months so far under the plan: each commitment's delivery month by month."""
        trend = self.review.trend
        if len(trend) < 2:
            return self._render("trend", months=[], rows=[])
        ids = [r.id for r in trend[-1][1]]
        rows = []
        for rid in ids:
            cells = []
            label = ""
            for _, results in trend:
                r = next((x for x in results if x.id == rid), None)
                if r is not None:
                    label = self.commitment(r)
                cells.append({"value": self._value(r.delivered, r.unit) if r else "–",
                              "status": r.status if r else "not_measured"})
            rows.append({"commitment": label, "cells": cells})
        return self._render("trend", months=[fmt.month(m, self.lang, short=True) for m, _ in trend], rows=rows)

    def goals(self) -> Section:
        """The goals due within about two months, or past their deadline."""
        w = self.words

        def row(d: GoalDue) -> dict[str, str]:
            g = d.goal
            unit = g.unit or unit_of(g.metric) or "number"
            when = (w.t("review.due_now") if d.days_left == 0
                    else w.t("review.due_in", days=w.num(d.days_left)) if d.days_left > 0
                    else w.t("review.due_past", days=w.num(-d.days_left)))
            return {"goal": self.goal_title(g), "owner": self.owner(g.owner), "target": self._value(g.target, unit),
                    "deadline": w.day(g.deadline.isoformat()), "when": when, "now": self._value(d.now, unit)}
        return self._render("goals", rows=[row(d) for d in self.review.goals_due])

    def reasons(self) -> Section:
        """Why leads were returned or lost, and deals lost, by channel: sales' feedback to marketing."""
        w = self.words
        rows = [{"reason": r["reason"], "channel": r["channel"], "count": w.num(r["count"]),
                 "source": w.t(f"review.reasons.{r['source']}")} for r in self.review.reasons[:12]]
        more = len(self.review.reasons) - len(rows)
        note = ("" if rows else w.t("review.reasons.none_given") if self.review.reasons_known
                else w.t("review.reasons.no_column"))
        return self._render("reasons", rows=rows, more=w.t("review.reasons.more", count=w.num(more)) if more > 0
                            else "", note=note)

    def agenda(self) -> Section:
        """What to discuss: what is behind and who owns it, what is not measured, the goals due."""
        w = self.words
        items = []
        for r in self.review.results:
            if r.status == "missed":
                decide = r.remedy or w.t("review.agenda.decide_default")
                items.append(w.t("review.agenda.behind", commitment=self.commitment(r),
                                 delivered=self._value(r.delivered, r.unit), committed=self._value(r.committed, r.unit),
                                 owner=self.owner(None, r.side, r.person), decide=decide))
        for r in self.review.results:
            if r.status == "not_measured":
                items.append(w.t("review.agenda.not_measured", commitment=self.commitment(r),
                                 why=w.t(f"review.why.{r.why}")))
        if self.review.goals_due:  # listed in full below the trend
            first = min(d.goal.deadline for d in self.review.goals_due)
            items.append(w.t("review.agenda.goals_due", deadline=w.day(first.isoformat())))
        items.append(w.t("review.agenda.agreement"))
        return self._render("agenda", items=items)


def commitment_words(w: Words, r: Result) -> str:
    """A commitment in words: its own title, or the standard commitment's text."""
    if r.title:
        return r.title
    if r.id == "first_contact":
        return w.t(f"review.commitment.first_contact_{r.measure}", hours=w.num(r.hours))
    if r.id == "attempts":
        return w.t("review.commitment.attempts", attempts=w.num(r.committed))
    if r.id == "accept_or_return":
        return w.t("review.commitment.accept_or_return", days=w.num(r.committed))
    return w.t(f"review.commitment.{r.id}")


def commitment_value(w: Words, v: float | None, unit: str) -> str:
    """A commitment's figure by its unit: a whole percentage, money, hours or a median with a decimal
    when it has one, a count."""
    if v is None:
        return "–"
    if unit == "share":
        return w.pct(v, 0)
    if unit == "money":
        return w.money(v)
    return w.num(v, 1 if unit in ("hours", "number") and v % 1 else 0)
