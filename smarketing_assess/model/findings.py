"""The three findings that matter most (pure): chosen from the assessment in a fixed order.

1. the largest flagged disagreement between sales and marketing;
2. a shortfall of leads against what the revenue goal needs (more than 10%);
3. the weakest dimension (below 50);
4. first contact slower than the client's target, by a median over enough leads contacted;
5. a team's belief far from the data: off by more than a quarter and, for a share, outside
   the 95% interval of a rate over enough cases, for the hours, by a median over enough leads
   (a belief is not called wrong on noise).
The first three that apply are kept. A finding is a code and the figures it rests on; the
presenting layer puts it into words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smarketing_assess.records.evidence import enough
from smarketing_assess.records.findings import PERCENT_MEASURES, Finding

if TYPE_CHECKING:  # the assessment holds its findings: it imports this module
    from smarketing_assess.records.assessment import Assessment

SHORTFALL = 1.1  # leads needed above this many times today's are a finding
WEAK = 50.0  # a dimension scoring below this is a finding
BELIEF_OFF = 0.25  # a belief off the data by more than this share is a finding


def findings(a: Assessment, limit: int = 3) -> list[Finding]:
    """The first `limit` findings that apply, in the order of the module's docstring."""
    out: list[Finding] = []
    flagged = sorted((d for d in a.scores.dimensions if d.gap_flagged and d.gap is not None),
                     key=lambda d: -abs(d.gap or 0))
    if flagged:
        d = flagged[0]
        assert d.gap is not None
        higher, lower = ("marketing", "sales") if d.gap > 0 else ("sales", "marketing")
        values: dict[str, float | str] = {"dimension": d.dimension, "higher": higher, "lower": lower,
                                          "points": abs(d.gap)}
        for key, team in (("high", higher), ("low", lower)):
            score = d.compared.get(team)
            if score is not None:
                values[key] = score
        out.append(Finding("gap", values))
    # named only when the leads needed rest on the client's own measured rates (never on a public one)
    now, needed = a.sla.current_per_month.get("leads"), a.sla.monthly("leads")
    if now is not None and needed is not None and a.sla.own_path and needed > SHORTFALL * now:
        out.append(Finding("volume", {"needed": needed, "now": now}))
    scored = [d for d in a.scores.dimensions if d.score is not None]
    if scored:
        weakest = min(scored, key=lambda d: (d.score or 0.0, d.dimension))
        if weakest.score is not None and weakest.score < WEAK:
            out.append(Finding("weakest", {"dimension": weakest.dimension, "score": weakest.score}))
    hours = a.followup.hours
    if hours is not None and hours > a.sla.followup_sla_hours and _median_enough(a):
        out.append(Finding("followup", {"hours": hours, "sla": a.sla.followup_sla_hours}))
    belief = _belief_finding(a)
    if belief is not None:
        out.append(belief)
    return out[:limit]


def _median_enough(a: Assessment) -> bool:
    """Whether the hours to first contact rest on enough leads contacted (a count the figures do not
    give, as in a funnel.csv without `followed_up`, leaves the median as it is)."""
    return a.followup.hours_basis is None or enough(a.followup.hours_basis)


def _belief_finding(a: Assessment) -> Finding | None:
    worst: tuple[float, str, str, float, float] | None = None
    for b in a.beliefs:
        if not b.fact:
            continue
        if b.measure in PERCENT_MEASURES and not enough(b.basis):
            continue
        if b.measure == "hours_to_first_contact" and not _median_enough(a):
            continue
        for team, value in b.teams.items():
            if value is None:
                continue
            if b.low is not None and b.high is not None and b.low <= value <= b.high:
                continue
            off = abs(value / b.fact - 1)
            if off > BELIEF_OFF and (worst is None or off > worst[0]):
                worst = (off, b.measure, team, value, b.fact)
    if worst is None:
        return None
    _, measure, team, value, fact = worst
    return Finding("belief", {"team": team, "measure": measure, "belief": value, "fact": fact})
