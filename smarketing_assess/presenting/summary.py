"""A short plain-text summary of an assessment for the consultant's terminal, in the console's
language, every figure written as the report writes it (`Words`: 54, 28,5%, R$ 12.000)."""

from __future__ import annotations

from babel.numbers import format_decimal

from smarketing_assess.config.questionnaire import TEAMS, QuestionBank
from smarketing_assess.core.catalogs import pick, text
from smarketing_assess.core.console import console_language, say_in
from smarketing_assess.core.stages import PLURAL
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment


def summary_text(a: Assessment, bank: QuestionBank, language: str | None = None) -> str:
    """The assessment in a few dozen lines of text, in `language` (default: the console's)."""
    words = Words.of(language or console_language(), a.client.currency, bank, a.wording)
    lang = words.lang

    def said(key: str, **values: object) -> str:
        return say_in(lang, f"summary.{key}", **values)

    def score(v: float | None) -> str:
        return words.num(v)

    def figure(v: float) -> str:  # a setting as written: 0.5, 10
        return format_decimal(v, locale=fmt.locale_of(lang))

    def stage(name: str) -> str:
        return text(f"stages.{PLURAL.get(name, name)}", lang)

    s = a.scores
    lines = [said("header", client=a.client.name, period=a.period, version=a.question_bank_version), ""]
    counts = ", ".join(f"{words.team(t).lower()} {words.num(s.respondents[t])}" for t in TEAMS)
    lines.append(said("respondents", counts=counts))
    if s.withheld_teams:
        lines.append("  " + said("withheld", teams=", ".join(words.team(t).lower() for t in s.withheld_teams),
                                 threshold=words.num(s.anonymity_threshold)))
    if s.alignment_index is not None and s.maturity_level is not None:
        level = words.level(s.maturity_level)
        index = words.num(s.alignment_index)  # as the report shows it
        if s.mean_gap is not None and s.overall is not None:
            lines.append(said("index", index=index, mean=words.num(s.overall, 1),
                              penalty=figure(words.names.gap_penalty), gap=words.num(s.mean_gap, 1)))
        else:
            lines.append(said("index_no_gap", index=index))
        lines.append(said("level", level=s.maturity_level, name=pick(level.name, lang)))
    lines.append("")
    heads = [said(f"table.{h}") for h in ("dimension", "all", "sales", "marketing", "leadership", "gap")]
    width = max([len(words.dim(d)) for d in words.names.dimensions] + [len(heads[0])]) + 2
    cells = [max(len(h), 4) + 2 for h in heads[1:]]
    lines.append(f"{heads[0]:<{width}}" + "".join(f"{h:>{n}}" for h, n in zip(heads[1:], cells, strict=True)))
    for d in s.dimensions:
        gap = "–" if d.gap is None else \
            ("-" if round(d.gap) < 0 else "+") + fmt.number(abs(d.gap), lang) + ("!" if d.gap_flagged else "")
        row = [score(d.score), score(d.teams["sales"]), score(d.teams["marketing"]), score(d.teams["leadership"]), gap]
        lines.append(f"{words.dim(d.dimension):<{width}}" + "".join(f"{v:>{n}}" for v, n in zip(row, cells, strict=True)))
    lines.append(said("gap_note", threshold=figure(s.gap_threshold)))
    if a.beliefs:
        lines += ["", said("beliefs")]
        for b in a.beliefs:
            teams = ", ".join(f"{words.team(t).lower()} {words.measure(b.measure, v, 1)}"
                              for t, v in b.teams.items() if v is not None) or said("withheld_short")
            fact = words.measure(b.measure, b.fact, 1) if b.fact is not None else said("no_data")
            lines.append("  " + said("belief", measure=text(f"measures.{b.measure}", lang), teams=teams, fact=fact))
    if a.funnel is not None:
        f = a.funnel
        lines += ["", said("funnel", stages=" → ".join(f"{stage(s_)} {words.num(f.counts[s_])}" for s_ in f.stages))]
        rates = [f"{stage(name.split('_to_')[0])} → {stage(name.split('_to_')[1])} {words.pct(r.value)}"
                 for name, r in f.rates.items() if r.value is not None]
        lines.append(said("rates", rates=", ".join(rates)))
    if a.channels is not None:
        lines += ["", said("channels")]
        for c in a.channels.channels:
            lines.append("  " + said("channel", rank=c.rank, channel=c.channel, customer=words.cost(c.cost_per_customer),
                                     lead=words.cost(c.cost_per_lead)))
        lines.append("  " + words.recommendation(a.channels.recommendation))
    sla = a.sla
    lines += ["", said("sla", goal=words.money(sla.revenue_goal), deals=words.num(sla.quarterly("customers")),
                       deal=words.money(sla.average_deal_size))]
    for name in ("leads", "mql", "customers"):  # a month: a third of the quarter, as the report shows it
        now, needed = sla.current_per_month.get(name), sla.monthly(name)
        line = said("needed", needed=words.show(needed, "per_month")) if needed is not None else said("not_tracked")
        if now is not None:
            line = said("needed_now", needed=line, now=words.num(now))
        named = stage(name)  # in the middle of the summary, as a sentence goes on: "leads a month"
        lines.append("  " + said("a_month", stage=named[:1].lower() + named[1:], figures=line))
    for r in sla.rates:
        a_, b_ = r.name.split("_to_")
        origin = said("observed") if r.origin == "observed" else \
            said("benchmark", source=r.source.publisher if r.source is not None else "–")
        lines.append(f"  {stage(a_)} → {stage(b_)} {words.pct(r.value)} ({origin})")
    marketing, sales = words.commitments(sla)
    lines.append("  " + said("marketing", commitment=marketing))
    lines.append("  " + said("sales", commitment=sales))
    lines += ["", said("goals")]
    for i, g in enumerate(a.goals, 1):
        lines.append(f"  {i}. [{words.t(f'owners.{g.owner}')}] {words.goal(g)[0]}")
        lines.append("     " + said("goal", metric=words.metric(g.metric), baseline=words.show(g.baseline, g.unit),
                                    target=words.show(g.target, g.unit), deadline=words.day(g.deadline)))
    if a.input_warnings:
        lines += ["", said(f"warnings.{'one' if a.input_warnings == 1 else 'other'}", count=a.input_warnings)]
    return "\n".join(lines)
