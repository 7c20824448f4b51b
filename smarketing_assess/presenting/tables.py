"""The report's tables, each defined once: the HTML, the workbook and the deck lay out the same rows.

A `Table` is rows of `Cell`s keyed by column: each cell holds its text, formatted once in the
report's language (what the HTML and the deck show), and, for a figure, the number and its kind
(what the workbook stores, with a number format). A format shows the columns it has room for; it
never builds a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from smarketing_assess.config.questionnaire import TEAMS
from smarketing_assess.core.stages import SINGULAR
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.agreed import AgreedGoal, active
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.channels import ChannelResult
from smarketing_assess.records.evidence import enough
from smarketing_assess.records.funnel import Rate
from smarketing_assess.records.scoring import COMPARED, Scores


@dataclass(frozen=True)
class Cell:
    """One cell: its text as shown, and for a figure its number (or day) and kind (count, decimal, score, share,
    money, day, or a goal's unit)."""

    text: str
    value: float | date | None = None
    kind: str | None = None  # None: text
    thin: str = ""  # the mark beside a figure that rests on too few cases
    flagged: bool = False  # a figure the report calls out (a gap above the threshold): shown in bold


@dataclass(frozen=True)
class Table:
    """A table's columns (key -> header, in order) and its rows; `total` is the row under them, if any."""

    key: str
    columns: dict[str, str]
    rows: list[dict[str, Cell]]
    total: dict[str, Cell] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def thin(self) -> bool:
        """Whether any figure of the table rests on too few cases (its legend is then shown)."""
        return any(c.thin for r in [*self.rows, self.total or {}] for c in r.values())


def _rate_cells(w: Words, rate: Rate | None, digits: int = 1) -> dict[str, Cell]:
    """A rate's cells: the rate (marked when it rests on too few cases), its interval and bounds, its basis."""
    if rate is None:
        return {"rate": Cell("", None, "share"), "interval": Cell(""), "low": Cell("", None, "share"),
                "high": Cell("", None, "share"), "basis": Cell("", None, "count")}
    thin = w.t("report.thin_mark") if rate.value is not None and not rate.enough else ""
    return {"rate": Cell(w.pct(rate.value, digits), rate.value, "share", thin),
            "interval": Cell(w.interval(rate.low, rate.high, digits)),
            "low": Cell(w.pct(rate.low, digits) if rate.low is not None else "", rate.low, "share"),
            "high": Cell(w.pct(rate.high, digits) if rate.high is not None else "", rate.high, "share"),
            "basis": Cell(w.num(rate.denominator), rate.denominator, "count")}


def funnel_table(a: Assessment, w: Words) -> Table | None:
    """Each tracked stage: its count, monthly average, conversion to the next stage with its interval and
    basis, and the public range of that rate the judgement used."""
    f = a.funnel
    if f is None:
        return None
    rows = []
    for i, stage in enumerate(f.stages):
        nxt = f.stages[i + 1] if i + 1 < len(f.stages) else None
        rate = f.rates.get(f"{SINGULAR[stage]}_to_{SINGULAR[nxt]}") if nxt else None
        bench = w.wording.ranges.get(rate.name) if rate else None
        rows.append({"stage": Cell(w.t(f"stages.{stage}")), "count": Cell(w.num(f.counts[stage]), f.counts[stage],
                                                                           "count"),
                     "per_month": Cell(w.num(f.per_month[stage]), f.per_month[stage], "decimal"),
                     **_rate_cells(w, rate),
                     "range": Cell(w.interval(bench.low, bench.high) if bench else "")})
    columns = {"stage": w.t("report.funnel.stage"), "count": w.t("report.funnel.count"),
               "per_month": w.t("report.funnel.per_month"), "rate": w.t("report.funnel.rate"),
               "interval": w.t("report.interval"), "low": "95% –", "high": "95% +",
               "basis": w.t("report.workbook.basis"), "range": w.t("report.funnel.range")}
    overall = f.rates.get("lead_to_customer")
    total = None
    if overall is not None and overall.value is not None:
        total = {"stage": Cell(w.t("report.followup.lead_to_customer")),
                 "count": Cell(w.num(f.counts["leads"]), f.counts["leads"], "count"), **_rate_cells(w, overall, 2)}
    return Table("funnel", columns, rows, total)


def _cost_per_customer(w: Words, ch: ChannelResult) -> Cell:
    """A channel's cost per customer; "no customers" where it spent and won none."""
    text = w.cost(ch.cost_per_customer) if ch.customers or ch.spend is None else w.t("report.channels.no_customers")
    return Cell(text, ch.cost_per_customer, "money")


def channel_table(a: Assessment, w: Words) -> Table | None:
    """Each channel ranked by cost per customer, with its conversion and interval, and the totals."""
    c = a.channels
    if c is None:
        return None
    thin = w.t("report.thin_mark")
    rows = [{
        "rank": Cell(w.num(ch.rank), ch.rank, "count"), "channel": Cell(ch.channel),
        "visitors": Cell(w.num(ch.visitors), ch.visitors, "count"), "leads": Cell(w.num(ch.leads), ch.leads, "count"),
        "customers": Cell(w.num(ch.customers), ch.customers, "count"),
        "spend": Cell(w.money(ch.spend), ch.spend, "money"),
        "visitor_to_lead": Cell(w.pct(ch.visitor_to_lead) if ch.visitors else "–", ch.visitor_to_lead, "share"),
        "lead_to_customer": Cell(w.pct(ch.lead_to_customer), ch.lead_to_customer, "share",
                                 thin if ch.lead_to_customer is not None and not enough(ch.leads) else ""),
        "interval": Cell(w.interval(ch.lead_to_customer_low, ch.lead_to_customer_high)),
        "cost_per_lead": Cell(w.cost(ch.cost_per_lead), ch.cost_per_lead, "money"),
        "cost_per_customer": _cost_per_customer(w, ch),
    } for ch in c.channels]
    total = {"channel": Cell(w.t("report.channels.all")), "leads": Cell(w.num(c.total_leads), c.total_leads, "count"),
             "customers": Cell(w.num(c.total_customers), c.total_customers, "count"),
             "spend": Cell(w.money(c.total_spend), c.total_spend, "money"),
             "lead_to_customer": Cell(w.pct(c.total_lead_to_customer), c.total_lead_to_customer, "share"),
             "interval": Cell(w.interval(c.total_lead_to_customer_low, c.total_lead_to_customer_high)),
             "cost_per_lead": Cell(w.cost(c.blended_cost_per_lead), c.blended_cost_per_lead, "money"),
             "cost_per_customer": Cell(w.cost(c.blended_cost_per_customer), c.blended_cost_per_customer, "money")}
    columns = {"rank": "#", "channel": w.t("report.channels.channel"), "visitors": w.t("report.channels.visitors"),
               "leads": w.t("report.channels.leads"), "customers": w.t("report.channels.customers"),
               "spend": w.t("report.channels.spend"), "visitor_to_lead": w.t("report.channels.visitor_to_lead"),
               "lead_to_customer": w.t("report.channels.lead_to_customer"), "interval": w.t("report.interval"),
               "cost_per_lead": w.t("report.channels.cost_per_lead"),
               "cost_per_customer": w.t("report.channels.cost_per_customer")}
    return Table("channels", columns, rows, total)


def _team_cell(w: Words, s: Scores, team: str, value: float | None) -> Cell:
    """A team's score; the withheld text, never a number, for a team too small to be shown (anonymity)."""
    if team in s.withheld_teams:
        return Cell(w.t("report.withheld_short"))
    return Cell(w.num(value), value, "score")


def dimension_table(a: Assessment, w: Words) -> Table:
    """Each dimension's score overall and per team that answered, and the mean of the overall column (the index
    starts from it; the teams' own means are left out, as they need not average to it once each is rounded)."""
    s = a.scores
    teams = [t for t in TEAMS if s.respondents[t] > 0]  # a withheld team is still named, its cells say so
    rows = [{"dimension": Cell(w.dim(d.dimension)), "overall": Cell(w.num(d.score), d.score, "score"),
             **{t: _team_cell(w, s, t, d.teams[t]) for t in teams}} for d in s.dimensions]
    total = {"dimension": Cell(w.t("report.dimensions.average")),
             "overall": Cell(w.num(s.overall, 1), s.overall, "decimal"), **{t: Cell("") for t in teams}}
    columns = {"dimension": w.t("report.dimensions.dimension"), "overall": w.t("report.dimensions.overall"),
               **{t: w.team(t) for t in teams}}
    return Table("dimensions", columns, rows, total)


def gap_table(a: Assessment, w: Words) -> Table | None:
    """Each dimension both compared teams scored on the same questions: their scores, the difference (flagged
    above the threshold), and the mean size of the differences; None when no dimension has one."""
    s = a.scores
    dims = [d for d in s.dimensions if d.gap is not None]
    if not dims:
        return None
    rows = [{"dimension": Cell(w.dim(d.dimension)), **{t: _team_cell(w, s, t, d.compared.get(t)) for t in COMPARED},
             "gap": Cell(w.num(d.gap), d.gap, "score", flagged=d.gap_flagged)} for d in dims]
    total = {"dimension": Cell(w.t("report.gaps.average")), **{t: Cell("") for t in COMPARED},
             "gap": Cell(w.num(s.mean_gap, 1), s.mean_gap, "decimal")}
    columns = {"dimension": w.t("report.gaps.dimension"), **{t: w.team(t) for t in COMPARED},
               "gap": w.t("report.gaps.difference")}
    return Table("gaps", columns, rows, total)


def sla_table(a: Assessment, w: Words) -> Table:
    """The volumes the revenue goal needs: per stage the quarter's (rounded up once: the commitment), the
    month's (a third of it), a working day's and today's monthly figure, or "not tracked" for a stage the
    client does not measure; then each rep's daily load of the stage sales takes over."""
    sla = a.sla
    rows: list[dict[str, Cell]] = []
    for stage in ("leads", "mql", "sql", "customers"):
        quarter, month = sla.quarterly(stage), sla.monthly(stage)
        day, now = getattr(sla.per_working_day, stage), sla.current_per_month.get(stage)
        if quarter is None:
            rows.append({"label": Cell(w.t(f"stages.{stage}")), "quarter": Cell(w.t("report.sla.not_tracked")),
                         "month": Cell(""), "day": Cell(""), "now": Cell(w.num(now), now, "count")})
            continue
        rows.append({"label": Cell(w.t(f"stages.{stage}")), "quarter": Cell(w.num(quarter), quarter, "count"),
                     "month": Cell(w.show(month, "per_month"), month, "decimal"),
                     "day": Cell(w.num(day, 1), day, "decimal"), "now": Cell(w.num(now), now, "count")})
    per_rep = w.t(f"report.sla.per_rep_{sla.handover}", reps=w.num(sla.sales_reps))
    for label, load in ((per_rep, sla.handover_per_rep_per_day),
                        (w.t("report.sla.per_rep_attempts"), sla.attempts_per_rep_per_day)):
        rows.append({"label": Cell(label), "quarter": Cell(""), "month": Cell(""),
                     "day": Cell(w.num(load, 1), load, "decimal"), "now": Cell("")})
    columns = {"label": w.t("report.funnel.stage"), "quarter": w.t("report.sla.quarter"),
               "month": w.t("report.sla.month"), "day": w.t("report.sla.day"), "now": w.t("report.sla.now")}
    return Table("sla", columns, rows)


def _goal_cells(w: Words, n: int, metric: str, unit: str, target: float, deadline: str) -> dict[str, Cell]:
    """The cells every goal has: its number in the list, its metric, target and deadline."""
    return {"number": Cell(w.num(n), n, "count"), "metric": Cell(w.metric(metric)),
            "target": Cell(w.show(target, unit), target, unit),
            "deadline": Cell(w.day(deadline), date.fromisoformat(deadline), "day")}


def _plan_note(w: Words, g: AgreedGoal) -> str:
    """Under an agreed goal's title: added in the workshop, or what the suggestion it changed said."""
    if g.status == "added":
        return w.t("report.plan.added")
    if g.suggested_target is not None and g.suggested_deadline is not None:
        return w.t("report.plan.changed", target=w.show(g.suggested_target, g.unit),
                   deadline=w.day(g.suggested_deadline))
    return ""


def plan_goal_table(a: Assessment, w: Words) -> Table | None:
    """The agreed plan's goals in force, with their owners; in a later quarter than the plan's, where each goal
    started and where it is now. None without a plan."""
    plan = a.plan
    if plan is None:
        return None
    later = plan.baseline != a.period
    rows = []
    for n, g in enumerate(active(plan), start=1):
        team = w.t(f"review.side.{g.owner}") if g.owner else ""
        now, start = a.fact(g.metric), w.show(g.baseline, g.unit) if g.baseline is not None else "–"
        rows.append({"goal": Cell(w.agreed_goal(g)), "note": Cell(_plan_note(w, g)),
                     "owner": Cell(f"{team or '–'} ({g.person})" if g.person else team or "–"),
                     "team": Cell(team), "person": Cell(g.person or ""), "baseline": Cell(start, g.baseline, g.unit),
                     **({"now": Cell(w.show(now, g.unit), now, g.unit)} if later else {}),
                     **_goal_cells(w, n, g.metric, g.unit, g.target, g.deadline)})
    columns = {"number": "#", "goal": w.t("report.goals.goal"), "owner": w.t("report.goals.owner"),
               "team": w.t("report.goals.owner"), "person": w.t("report.workbook.person"),
               "metric": w.t("report.goals.metric"),
               "baseline": w.t("report.plan.start", period=plan.baseline) if later else w.t("report.goals.baseline"),
               **({"now": w.t("report.since.now")} if later else {}),
               "target": w.t("report.goals.target"), "deadline": w.t("report.goals.deadline")}
    return Table("plan", columns, rows)


def suggested_goal_table(a: Assessment, w: Words) -> Table:
    """The suggested starting goals: title, why, owner, metric, baseline, target, deadline."""
    rows = [{"goal": Cell(title), "why": Cell(why), "owner": Cell(w.t(f"owners.{g.owner}")),
             "baseline": Cell(w.show(g.baseline, g.unit), g.baseline, g.unit),
             **_goal_cells(w, n, g.metric, g.unit, g.target, g.deadline)}
            for n, g in enumerate(a.goals, start=1) for title, why in [w.goal(g)]]
    columns = {"number": "#", "goal": w.t("report.goals.goal"), "owner": w.t("report.goals.owner"),
               "person": w.t("report.workbook.person"), "metric": w.t("report.goals.metric"),
               "baseline": w.t("report.goals.baseline"), "target": w.t("report.goals.target"),
               "deadline": w.t("report.goals.deadline")}
    return Table("goals", columns, rows)


def goal_table(a: Assessment, w: Words) -> Table:
    """The goals the report puts first: the agreed plan's when there is one, else the suggested starting goals."""
    return plan_goal_table(a, w) or suggested_goal_table(a, w)
