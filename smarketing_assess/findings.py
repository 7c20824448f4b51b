"""The three findings that matter most (pure): chosen from the assessment in a fixed order.

1. the largest flagged disagreement between sales and marketing;
2. a shortfall of leads against what the revenue goal needs (more than 10%);
3. the weakest dimension (below 50);
4. first contact slower than the client's target;
5. a team's belief far from the data (off by more than a quarter).
The first three that apply are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess import formatting as fmt
from smarketing_assess.assessment import Assessment
from smarketing_assess.questionnaire import QuestionBank
from smarketing_assess.sla import round_up
from smarketing_assess.texts import in_sentence, pick, text

PERCENT_MEASURES = ("followup_share", "mql_acceptance", "lead_to_customer")


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str


def _score(v: float) -> str:
    return f"{v:.0f}"


def findings(a: Assessment, bank: QuestionBank, language: str, limit: int = 3) -> list[Finding]:
    lang = language
    out: list[Finding] = []
    teams = {t: pick(bank.teams[t], lang) for t in bank.teams}
    flagged = sorted((d for d in a.scores.dimensions if d.gap_flagged and d.gap is not None),
                     key=lambda d: -abs(d.gap or 0))
    if flagged:
        d = flagged[0]
        assert d.gap is not None
        m, s = d.teams["marketing"], d.teams["sales"]
        higher, lower = ("marketing", "sales") if d.gap > 0 else ("sales", "marketing")
        high, low = (m, s) if d.gap > 0 else (s, m)
        out.append(Finding("gap", text(
            "findings.gap", lang, higher=teams[higher], lower=in_sentence(teams[lower]),
            dimension=in_sentence(pick(bank.dimension(d.dimension).name, lang)), points=_score(abs(d.gap)),
            high=_score(high) if high is not None else "–", low=_score(low) if low is not None else "–")))
    now = a.sla.current_per_month.get("leads")
    if now is not None and a.sla.per_month.leads > 1.1 * now:
        out.append(Finding("volume", text("findings.volume", lang,
                                          needed=fmt.number(round_up(a.sla.per_month.leads), lang),
                                          now=fmt.number(now, lang))))
    scored = [d for d in a.scores.dimensions if d.score is not None]
    if scored:
        weakest = min(scored, key=lambda d: (d.score, d.dimension))
        if weakest.score is not None and weakest.score < 50:
            out.append(Finding("weakest", text("findings.weakest", lang,
                                               dimension=pick(bank.dimension(weakest.dimension).name, lang),
                                               score=_score(weakest.score))))
    hours = a.funnel.followup.hours_to_first_contact if a.funnel else None
    if hours is not None and hours > a.sla.followup_sla_hours:
        out.append(Finding("followup", text("findings.followup", lang, hours=fmt.number(hours, lang),
                                            sla=fmt.number(a.sla.followup_sla_hours, lang))))
    belief = _belief_finding(a, teams, lang)
    if belief is not None:
        out.append(belief)
    return out[:limit]


def _belief_finding(a: Assessment, teams: dict[str, str], lang: str) -> Finding | None:
    worst = None
    for b in a.beliefs:
        if not b.fact:
            continue
        for team, value in b.teams.items():
            if value is None:
                continue
            off = abs(value / b.fact - 1)
            if off > 0.25 and (worst is None or off > worst[0]):
                worst = (off, b, team, value)
    if worst is None:
        return None
    _, b, team, value = worst
    assert b.fact is not None
    show = (lambda v: fmt.percent(v, lang, 0)) if b.measure in PERCENT_MEASURES else (lambda v: fmt.number(v, lang))
    return Finding("belief", text("findings.belief", lang, team=teams[team],
                                  measure=in_sentence(text(f"measures.{b.measure}", lang)),
                                  belief=show(value), fact=show(b.fact)))
