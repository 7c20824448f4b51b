"""A short plain-text summary of an assessment for the consultant's terminal, in the console's
language, every figure written as the report writes it (`Words`: 54, 28,5%, R$ 12.000)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    s = _Summary(a, Words.of(language or console_language(), a.client.currency, bank, a.wording))
    lines = [*s.head(), "", *s.dimensions(), *s.beliefs(), *s.funnel(), *s.channels(), "", *s.sla(), "", *s.goals()]
    if a.input_warnings:
        lines += ["", s.said(f"warnings.{'one' if a.input_warnings == 1 else 'other'}", count=a.input_warnings)]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Summary:
    """The summary's parts, each a list of lines, in the words' language."""

    a: Assessment
    words: Words

    def said(self, key: str, **values: Any) -> str:
        """A console text of the summary, in the summary's language."""
        return say_in(self.words.lang, f"summary.{key}", **values)

    def figure(self, v: float) -> str:
        """A setting as written: 0.5, 15."""
        return format_decimal(v, locale=fmt.locale_of(self.words.lang))

    def stage(self, name: str) -> str:
        """A funnel stage's name (a rate's `lead` or a column's `leads`) as the report names it."""
        return text(f"stages.{PLURAL.get(name, name)}", self.words.lang)

    def rate(self, name: str) -> str:
        """A rate (`lead_to_mql`) as the report names its stages: Leads → MQL."""
        first, second = name.split("_to_")
        return f"{self.stage(first)} → {self.stage(second)}"

    def head(self) -> list[str]:
        a, w, s = self.a, self.words, self.a.scores
        lines = [self.said("header", client=a.client.name, period=a.period, version=a.question_bank_version), ""]
        counts = ", ".join(f"{w.team(t).lower()} {w.num(s.respondents[t])}" for t in TEAMS)
        lines.append(self.said("respondents", counts=counts))
        if s.withheld_teams:
            lines.append("  " + self.said("withheld", teams=", ".join(w.team(t).lower() for t in s.withheld_teams),
                                          threshold=w.num(s.anonymity_threshold)))
        if s.alignment_index is not None and s.maturity_level is not None:
            index = w.num(s.alignment_index)  # as the report shows it
            if s.mean_gap is not None and s.overall is not None:
                lines.append(self.said("index", index=index, mean=w.num(s.overall, 1),
                                       penalty=self.figure(w.names.gap_penalty), gap=w.num(s.mean_gap, 1)))
            else:
                lines.append(self.said("index_no_gap", index=index))
            level = w.level(s.maturity_level)
            lines.append(self.said("level", level=s.maturity_level, name=pick(level.name, w.lang)))
        return lines

    def dimensions(self) -> list[str]:
        w, s = self.words, self.a.scores
        heads = [self.said(f"table.{h}") for h in ("dimension", "all", "sales", "marketing", "leadership", "gap")]
        width = max([len(w.dim(d)) for d in w.names.dimensions] + [len(heads[0])]) + 2
        cells = [max(len(h), 4) + 2 for h in heads[1:]]

        def row(first: str, values: list[str]) -> str:
            return f"{first:<{width}}" + "".join(f"{v:>{n}}" for v, n in zip(values, cells, strict=True))

        lines = [row(heads[0], heads[1:])]
        for d in s.dimensions:
            gap = "–" if d.gap is None else \
                ("-" if round(d.gap) < 0 else "+") + fmt.number(abs(d.gap), w.lang) + ("!" if d.gap_flagged else "")
            lines.append(row(w.dim(d.dimension), [w.num(d.score), *(w.num(d.teams[t]) for t in
                                                                    ("sales", "marketing", "leadership")), gap]))
        return [*lines, self.said("gap_note", threshold=self.figure(s.gap_threshold))]

    def beliefs(self) -> list[str]:
        w = self.words
        if not self.a.beliefs:
            return []
        lines = ["", self.said("beliefs")]
        for b in self.a.beliefs:
            teams = ", ".join(f"{w.team(t).lower()} {w.measure(b.measure, v, 1)}"
                              for t, v in b.teams.items() if v is not None) or self.said("withheld_short")
            fact = w.measure(b.measure, b.fact, 1) if b.fact is not None else self.said("no_data")
            lines.append("  " + self.said("belief", measure=text(f"measures.{b.measure}", w.lang), teams=teams,
                                          fact=fact))
        return lines

    def funnel(self) -> list[str]:
        f, w = self.a.funnel, self.words
        if f is None:
            return []
        stages = " → ".join(f"{self.stage(s)} {w.num(f.counts[s])}" for s in f.stages)
        rates = ", ".join(f"{self.rate(name)} {w.pct(r.value)}" for name, r in f.rates.items() if r.value is not None)
        return ["", self.said("funnel", stages=stages), self.said("rates", rates=rates)]

    def channels(self) -> list[str]:
        c, w = self.a.channels, self.words
        if c is None:
            return []
        lines = ["", self.said("channels")]
        lines += ["  " + self.said("channel", rank=ch.rank, channel=ch.channel, customer=w.cost(ch.cost_per_customer),
                                   lead=w.cost(ch.cost_per_lead)) for ch in c.channels]
        return [*lines, "  " + w.recommendation(c.recommendation)]

    def sla(self) -> list[str]:
        sla, w = self.a.sla, self.words
        lines = [self.said("sla", goal=w.money(sla.revenue_goal), deals=w.num(sla.quarterly("customers")),
                           deal=w.money(sla.average_deal_size))]
        for name in ("leads", "mql", "customers"):  # a month: a third of the quarter, as the report shows it
            now, needed = sla.current_per_month.get(name), sla.monthly(name)
            figures = self.said("needed", needed=w.show(needed, "per_month")) if needed is not None \
                else self.said("not_tracked")
            if now is not None:
                figures = self.said("needed_now", needed=figures, now=w.num(now))
            named = self.stage(name)  # inside the summary, as a sentence goes on: "leads a month"
            lines.append("  " + self.said("a_month", stage=named[:1].lower() + named[1:], figures=figures))
        for r in sla.rates:
            origin = self.said("observed") if r.origin == "observed" else \
                self.said("benchmark", source=r.source.publisher if r.source is not None else "–")
            lines.append(f"  {self.rate(r.name)} {w.pct(r.value)} ({origin})")
        marketing, sales = w.commitments(sla)
        return [*lines, "  " + self.said("marketing", commitment=marketing),
                "  " + self.said("sales", commitment=sales)]

    def goals(self) -> list[str]:
        w = self.words
        lines = [self.said("goals")]
        for i, g in enumerate(self.a.goals, 1):
            lines.append(f"  {i}. [{w.t(f'owners.{g.owner}')}] {w.goal(g)[0]}")
            lines.append("     " + self.said("goal", metric=w.metric(g.metric), baseline=w.show(g.baseline, g.unit),
                                             target=w.show(g.target, g.unit), deadline=w.day(g.deadline)))
        return lines
