"""The monthly review (pure): each SLA commitment of the agreed plan, committed against
delivered in one month, each side's attainment, the months so far, the goals due soon, and
the meeting's agenda.

The month's figures come from the quarter's inputs (`MonthFigures`): the funnel row of the
month, or, when the quarter was derived from CRM exports, the leads that entered each stage
in the month (the flow view: MQLs handed over in May are May's delivery, whenever the lead
was created) with the follow-up of the month's MQLs. What a month cannot measure is said,
never shown as zero.
"""

from __future__ import annotations

from datetime import date

from smarketing_assess.config.metrics import MANUAL, direction, unit_of
from smarketing_assess.config.plan import Plan
from smarketing_assess.core.period import Month
from smarketing_assess.core.stages import PLURAL
from smarketing_assess.model.evidence import ratio
from smarketing_assess.model.inputs import FunnelData
from smarketing_assess.records.crm_summary import CrmSummary
from smarketing_assess.records.evidence import enough
from smarketing_assess.records.review import GoalDue, MonthFigures, MonthReview, Result, Review

DUE_SOON_DAYS = 62  # goals whose deadline falls within about two months of the month's end are on the agenda


def figures_of(month: str, funnel: FunnelData | None, crm: CrmSummary | None,
               manual: dict[str, float] | None = None) -> MonthFigures | None:
    """A month's figures from the quarter's inputs: the CRM summary's (the flow of the month, the
    follow-up of its MQLs) when the quarter came from CRM exports, else its funnel row; None when
    neither has the month."""
    manual = manual or {}
    if crm is not None:
        if month not in crm.flow:
            return None
        counts: dict[str, float | None] = {k: float(v) for k, v in crm.flow[month].items()}
        cohort = crm.cohort.get(month, {})
        monthly = crm.followup_by_month.get(month, {})
        counts["followed_up"] = cohort.get("followed_up")
        counts["handed_over"] = monthly.get("handed_over")
        if "revenue" in cohort:
            counts["revenue"] = cohort["revenue"]
        within = monthly.get("within_sla")
        return MonthFigures(month, "crm", counts, cohort.get("hours_to_first_contact"),
                            None if within is None else int(within),
                            crm.followup.sla_hours if crm.followup else None, monthly.get("median_attempts"), manual,
                            list(crm.reasons_by_month.get(month, [])), bool(crm.reasons_by_month))
    if funnel is None or month not in funnel.frame.index:
        return None
    row = funnel.frame.loc[month]
    counts = {k: (None if row[k] != row[k] else float(row[k])) for k in funnel.frame.columns}  # NaN: none
    hours = counts.pop("hours_to_first_contact", None)
    return MonthFigures(month, "funnel", counts, hours, manual=manual)


def quarter_reviews(versions: dict[date, Plan], months: tuple[str, ...], funnel: FunnelData | None,
                    crm: CrmSummary | None, manual: dict[str, dict[str, float]] | None = None) -> list[MonthReview]:
    """Each month of a quarter that has figures and a plan in force, judged against that plan
    (`manual`: the figures reported by hand, by month)."""
    out = []
    for month in months:
        earlier = [d for d in versions if d <= Month.parse(month).last]
        figures = figures_of(month, funnel, crm, (manual or {}).get(month))
        if earlier and figures is not None:
            out.append(MonthReview(month, max(earlier).isoformat(), judge_month(versions[max(earlier)], figures)))
    return out


def month_value(metric: str, f: MonthFigures) -> tuple[float | None, float | None]:
    """A plan metric's value in one month, and the cases it rests on (None, None when a month
    cannot measure it: scores and answers are measured each quarter)."""
    c = f.counts
    if metric.startswith(MANUAL):
        return f.manual.get(metric[len(MANUAL):]), None
    if metric.startswith("rate."):
        a, _, b = metric[len("rate."):].partition("_to_")
        num, den = c.get(PLURAL.get(b, b)), c.get(PLURAL.get(a, a))
        return ratio(num, den), den
    if metric == "followup.share":
        return ratio(c.get("followed_up"), c.get("mql")), c.get("mql")
    if metric == "followup.hours":
        return f.hours_to_first_contact, None
    if metric in ("funnel.customers", "funnel.revenue"):
        return c.get(metric.split(".")[1]), None
    if metric == "funnel.leads_per_month":
        return c.get("leads"), None
    return None, None


def judge_month(plan: Plan, f: MonthFigures) -> list[Result]:
    """Every commitment of the plan's SLA in one month."""
    sla = plan.sla
    out: list[Result] = []
    committed = sla.marketing.mql_per_month
    if committed is not None:
        mql = f.counts.get("mql")
        out.append(Result("mql_per_month", "marketing", None, "mql", "count", committed, mql,
                          "not_measured" if mql is None else "met" if mql >= committed else "missed",
                          remedy=sla.marketing.remedy, why="no_mql_column" if mql is None else ""))
    s = sla.sales
    if s.first_contact_hours is not None:
        handed = f.counts.get("handed_over") or f.counts.get("mql")  # CRM: the month's MQLs, by creation
        if s.first_contact_share is not None and f.within_hours is not None and f.sla_hours == s.first_contact_hours \
                and handed:
            share = f.within_hours / handed
            thin = not enough(handed)
            out.append(Result("first_contact", "sales", None, "within_hours", "share", s.first_contact_share, share,
                              "shown" if thin else "met" if share >= s.first_contact_share else "missed",
                              basis=handed, thin=thin, remedy=s.remedy, hours=s.first_contact_hours))
        elif f.hours_to_first_contact is not None:
            hours = f.hours_to_first_contact
            out.append(Result("first_contact", "sales", None, "median_hours", "hours", s.first_contact_hours, hours,
                              "met" if hours <= s.first_contact_hours else "missed", remedy=s.remedy,
                              hours=s.first_contact_hours))
        else:
            out.append(Result("first_contact", "sales", None, "median_hours", "hours", s.first_contact_hours, None,
                              "not_measured", remedy=s.remedy, why="no_contact_data", hours=s.first_contact_hours))
    if s.attempts is not None:
        out.append(Result("attempts", "sales", None, "median_attempts", "number", s.attempts, f.median_attempts,
                          "shown" if f.median_attempts is not None else "not_measured",
                          why="" if f.median_attempts is not None else "no_contact_data"))
    if s.accept_or_return_days is not None:
        out.append(Result("accept_or_return", "sales", None, "accept_or_return", "days", s.accept_or_return_days,
                          None, "not_measured", why="no_acceptance_data"))
    for c in sla.commitments:
        value, basis = month_value(c.metric, f)
        better = c.better or direction(c.metric) or "higher"
        thin = basis is not None and not enough(basis)
        if value is None:
            status, why = "not_measured", "no_value" if c.metric.startswith(MANUAL) else "quarterly"
        else:
            reached = value >= c.target if better == "higher" else value <= c.target
            status, why = ("shown" if thin else "met" if reached else "missed"), ""
        out.append(Result(c.id, c.owner.team, c.owner.person, c.metric, unit_of(c.metric) or "number", c.target,
                          value, status, basis=basis, thin=thin, title=c.title, why=why))
    return out


def attainment(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Per side, the commitments met of those judged (shown and not measured ones are not judged)."""
    out: dict[str, tuple[int, int]] = {}
    for r in results:
        if r.status in ("met", "missed"):
            met, judged = out.get(r.side, (0, 0))
            out[r.side] = (met + (r.status == "met"), judged + 1)
    return out


def goals_due(plan: Plan, f: MonthFigures, within: int = DUE_SOON_DAYS) -> list[GoalDue]:
    """The plan's goals whose deadline is within `within` days of the month's end, or already past."""
    end = Month.parse(f.month).last
    out = []
    for g in plan.active:
        left = (g.deadline - end).days
        if left <= within:
            # a quarter's total (revenue, customers) is not comparable with a month's: only rates and times
            comparable = not g.metric.startswith(("funnel.", "channels."))
            out.append(GoalDue(g, left, month_value(g.metric, f)[0] if comparable else None))
    return sorted(out, key=lambda d: (d.goal.deadline, d.goal.id))


def review(months: list[tuple[MonthFigures, Plan, date]]) -> Review:
    """The review of the last of `months` (oldest first), each month judged against the plan in
    force at its end (the plan, and the date it was agreed); the earlier months are its trend."""
    now, plan, agreed_on = months[-1]
    results = judge_month(plan, now)
    trend = [(f.month, judge_month(p, f)) for f, p, _ in months]
    return Review(now.month, agreed_on, results, attainment(results), trend, goals_due(plan, now), now.source,
                  now.reasons, now.reasons_known, list(plan.agreed.by))
