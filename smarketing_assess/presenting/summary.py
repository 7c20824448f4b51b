"""A short plain-text summary of an assessment for the consultant's terminal."""

from __future__ import annotations

import functools

from smarketing_assess.config.questionnaire import TEAMS, QuestionBank
from smarketing_assess.core.catalogs import pick, text
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment


def _score(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f}"


def summary_text(a: Assessment, bank: QuestionBank, language: str | None = None) -> str:
    """The assessment in a few dozen lines of text, in `language` (default: the client's)."""
    words = Words.of(language or a.client.language, a.client.currency, bank, a.wording)
    lang, cur = words.lang, a.client.currency
    s = a.scores
    lines = [f"{a.client.name} · {a.period} · question bank {a.question_bank_version}", ""]
    counts = ", ".join(f"{words.team(t).lower()} {s.respondents[t]}" for t in TEAMS)
    lines.append(f"Respondents: {counts}")
    if s.withheld_teams:
        lines.append(f"  breakdown withheld for {', '.join(s.withheld_teams)} "
                     f"(fewer than {s.anonymity_threshold} respondents)")
    if s.alignment_index is not None and s.maturity_level is not None:
        level = words.level(s.maturity_level)
        gap_note = (f" = mean score {s.overall:.1f} - {words.names.gap_penalty:g} x mean gap {s.mean_gap:.1f}"
                    if s.mean_gap is not None and s.overall is not None else " (no sales-marketing gap available)")
        lines.append(f"Alignment index: {s.alignment_index:.1f} / 100{gap_note}")
        lines.append(f"Maturity level: {s.maturity_level} of 5, {pick(level.name, lang)}")
    lines.append("")
    width = max(len(words.dim(d)) for d in words.names.dimensions) + 2
    lines.append(f"{'Dimension':<{width}}{'All':>5}{'Sales':>7}{'Mktg':>6}{'Lead':>6}{'Gap':>6}")
    for d in s.dimensions:
        name = words.dim(d.dimension)
        gap = "–" if d.gap is None else f"{d.gap:+.0f}" + ("!" if d.gap_flagged else "")
        lines.append(f"{name:<{width}}{_score(d.score):>5}{_score(d.teams['sales']):>7}"
                     f"{_score(d.teams['marketing']):>6}{_score(d.teams['leadership']):>6}{gap:>6}")
    lines.append(f"(gap = marketing minus sales on the questions both answer; ! above "
                 f"{s.gap_threshold:g} points)")
    if a.beliefs:
        lines += ["", "Belief beside fact (median answer per team, then the data):"]
        for b in a.beliefs:
            percent = b.measure in ("followup_share", "mql_acceptance", "lead_to_customer")
            show_value = functools.partial(fmt.percent if percent else fmt.number, language=lang)
            teams = ", ".join(f"{t} {show_value(v)}" for t, v in b.teams.items() if v is not None) or "withheld"
            fact = show_value(b.fact) if b.fact is not None else "no data"
            lines.append(f"  {text(f'measures.{b.measure}', lang)}: {teams}; data {fact}")
    if a.funnel is not None:
        f = a.funnel
        lines += ["", "Funnel over the period: " + " → ".join(
            f"{stage} {fmt.number(f.counts[stage], lang)}" for stage in f.stages)]
        rates = [f"{name} {fmt.percent(r.value, lang)}" for name, r in f.rates.items() if r.value is not None]
        lines.append("Rates: " + ", ".join(rates))
    if a.channels is not None:
        lines += ["", "Channels by cost per customer:"]
        for c in a.channels.channels:
            lines.append(f"  {c.rank}. {c.channel}: {fmt.money(c.cost_per_customer, cur, lang, 0)} per customer, "
                         f"{fmt.money(c.cost_per_lead, cur, lang, 0)} per lead")
        lines.append("  " + words.recommendation(a.channels.recommendation))
    sla = a.sla
    lines += ["", f"To close {fmt.money(sla.revenue_goal, cur, lang, 0)} next quarter "
              f"({words.num(sla.quarterly('customers'))} deals of "
              f"{fmt.money(sla.average_deal_size, cur, lang, 0)}):"]
    for stage in ("leads", "mql", "customers"):  # a month: a third of the quarter, as the report shows it
        now, needed = sla.current_per_month.get(stage), sla.monthly(stage)
        lines.append(f"  {stage} a month: " + (f"needed {words.show(needed, 'per_month')}" if needed is not None
                                               else "not tracked")
                     + (f", now {words.num(now)}" if now is not None else ""))
    for r in sla.rates:
        origin = "observed" if r.origin == "observed" else f"benchmark, {r.source.publisher}"  # type: ignore[union-attr]
        lines.append(f"  {r.name} {fmt.percent(r.value, lang)} ({origin})")
    marketing, sales = words.commitments(sla)
    lines.append(f"  Marketing: {marketing}")
    lines.append(f"  Sales: {sales}")
    lines += ["", "Starting goals:"]
    for i, g in enumerate(a.goals, 1):
        lines.append(f"  {i}. [{g.owner}] {words.goal(g)[0]}")
        lines.append(f"     {words.metric(g.metric)}: {words.show(g.baseline, g.unit)} → "
                     f"{words.show(g.target, g.unit)} by {g.deadline}")
    if a.input_warnings:
        lines += ["", f"{a.input_warnings} warning(s) (run `validate` to list them)"]
    return "\n".join(lines)
