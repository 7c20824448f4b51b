"""What the `crm` and `crm-history` commands print for the consultant: the derived figures in a few lines.

The words come from the text catalogs (`crm_terminal` in `templates/texts.yaml`); the figures are
formatted by the report's own `Words` (`1,234`, `5.2 h`, `33.33%` in English), so that the console
and the report round a figure alike.
"""

from __future__ import annotations

from typing import Any, cast

from smarketing_assess.core.catalogs import text
from smarketing_assess.core.stages import FUNNEL_NAME
from smarketing_assess.core.translations import SEPARATOR
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.crm_summary import MIN_LINKED, CrmHistoryView, CrmSpanRow, CrmSummary
from smarketing_assess.records.evidence import MIN_BASIS, enough

WIDTHS = (16, 9, 10, 14, 9, 9)  # the history's columns: quarter, leads, customers, rate, median hours, win rate


class _Say:
    """The terminal's words and figures in one language."""

    def __init__(self, language: str):
        self.language = language
        self.words = Words.of(language, "XXX")  # ISO 4217's "no currency": the terminal shows no amount

    def __call__(self, key: str, **values: Any) -> str:
        return text(f"crm_terminal.{key}", self.language, **values)

    def count(self, n: float) -> str:
        """A whole number with its thousands grouped."""
        return self.words.num(n)

    def hours(self, v: float) -> str:
        """Hours to one decimal."""
        return self.words.num(v, 1)

    def pct(self, v: float, digits: int) -> str:
        """A share as a percentage with `digits` decimals."""
        return self.words.pct(v, digits)


def crm_text(f: CrmSummary, language: str = "en") -> str:
    """A short summary of the derived figures for the consultant."""
    say = _Say(language)
    # a stage's count is never None
    totals = {c: sum(int(cast(float, row.get(c, 0))) for row in f.cohort.values()) for c in f.stages}
    flow: dict[str, int] = {}
    for row in f.flow.values():
        for c, n in row.items():
            flow[c] = flow.get(c, 0) + n
    lines = [say("heading", period=f.period, mapping=f.mapping, leads=say.count(f.leads_in_export)),
             say("read", items="; ".join(_rows_read(say, f)))]
    stages = " -> ".join(f"{c} {say.count(n)}" for c, n in totals.items())
    if f.as_of is not None:  # no creation dates: every lead is the quarter's, and nothing entered a stage when
        lines.append(say("snapshot", date=say.words.day(f.as_of), stages=stages))
    else:
        lines += [say("cohort", stages=stages),
                  say("flow", stages=", ".join(f"{c} {say.count(n)}" for c, n in flow.items()))]
    lines += _withheld(say, f) + _followup_and_deals(say, f) + _partial(say, f) + _odd(say, f)
    if f.history:
        lines.append(say("history", span=f.history.span))
        lines.append(history_text(f.history, language))
    return "\n".join(lines)


def _odd(say: _Say, f: CrmSummary) -> list[str]:
    """What looks odd in the export, in words: the leads counted at a stage by implication (what was
    counted, why, and what it means for the rates), and the events out of order."""
    lines = []
    implied = {s: n for s, n in f.implied.items() if n}
    if implied:
        lines.append(say("implied", items=", ".join(f"{text(f'stages.{FUNNEL_NAME[s]}', say.language)} "
                                                    f"{say.count(n)}" for s, n in implied.items())))
    odd = [f"{say.count(n)} {event_words(k, say.language)}" for k, n in f.out_of_order.items() if n]
    if odd:
        lines.append(say("out_of_order", items="; ".join(odd)))
    return lines


def event_words(key: str, language: str) -> str:
    """An event out of order in a CRM export (`sql_before_mql`, `deals_without_a_known_lead`) in words."""
    def stage(crm_stage: str) -> str:
        return text(f"stages.{FUNNEL_NAME[crm_stage]}", language)

    later, _, earlier = key.partition("_before_")
    if earlier == "created" and later in FUNNEL_NAME:
        return text("crm.before_created", language, stage=stage(later))
    if later in FUNNEL_NAME and earlier in FUNNEL_NAME:
        return text("crm.before", language, later=stage(later), earlier=stage(earlier))
    return text(f"crm.{key}", language)


def _rows_read(say: _Say, f: CrmSummary) -> list[str]:
    """The rows read of each export, and of the deals and activities how many point to a lead."""
    return [say("rows_linked", what=text(f"crm.file_{what}", say.language), rows=say.count(n),
                linked=say.count(f.linked[what])) if what in f.linked
            else say("rows", what=text(f"crm.file_{what}", say.language), rows=say.count(n))
            for what, n in f.rows_read.items()]


def _withheld(say: _Say, f: CrmSummary) -> list[str]:
    """Why a figure was left out: a won-deals export (no win rate), too few activities linked."""
    lines = []
    if "win_rate" in f.withheld:
        lines.append(say("won_only", deals=say.count(f.withheld["win_rate"][1])))
    if "followup" in f.withheld:
        linked, rows = f.withheld["followup"]
        lines.append(say("withheld_followup", linked=say.count(linked), rows=say.count(rows),
                         share=say.pct(MIN_LINKED, 0)))
    if "deals" in f.thinly_linked:
        linked, rows = f.thinly_linked["deals"]
        lines.append(say("thin_deals", linked=say.count(linked), rows=say.count(rows), share=say.pct(MIN_LINKED, 0)))
    return lines


def _partial(say: _Say, f: CrmSummary) -> list[str]:
    """A deals or activities export that ends well before the leads do: its figures stop early."""
    return [say("partial", what=text(f"crm.file_{what}", say.language), last=say.words.day(last),
                leads_last=say.words.day(leads_last))
            for what, (last, leads_last) in f.partial.items()]


def _followup_and_deals(say: _Say, f: CrmSummary) -> list[str]:
    """Follow-up of the leads handed over, and the deals closed."""
    lines = []
    fu = f.followup
    if fu:
        hours = ", ".join(say(what, hours=say.hours(v))
                          for what, v in (("median", fu.median_hours), ("p90", fu.p90_hours)) if v is not None)
        counts = {"followed_up": say.count(fu.followed_up), "handed_over": say.count(fu.handed_over)}
        lines.append(say("followup_hours", hours=hours, basis=say.count(fu.hours_basis), **counts) if hours
                     else say("followup", **counts))
        if hours and not enough(fu.hours_basis):
            lines.append(say("thin_median", basis=say.count(fu.hours_basis), min=say.count(MIN_BASIS)))
    if f.deals:
        lines.append(say("deals_won_only", won=say.count(f.deals.won)) if f.deals.lost is None
                     else say("deals", won=say.count(f.deals.won), lost=say.count(f.deals.lost)))
    return lines


def history_heading(span: str, mapping: str, language: str = "en") -> str:
    """The line above the history table: the span and the mapping."""
    return _Say(language)("history_heading", span=span, mapping=mapping)


def history_text(h: CrmHistoryView, language: str = "en") -> str:
    """The history as a table for the consultant: a line per quarter and one for the whole span."""
    say = _Say(language)
    lines = [_line(say("history_columns").split(SEPARATOR))]
    lines += [_span_row(say, r.period, r) for r in h.quarters]
    lines.append(_span_row(say, say("all", quarters=len(h.quarters)), h.whole))
    if any(_thin_hours(r) for r in [*h.quarters, h.whole]):
        lines.append(say("thin_hours", mark=say.words.t("report.thin_mark"), min=say.count(MIN_BASIS)))

    def channel(c: dict[str, Any]) -> str:
        if "customers" not in c:
            return say("channel", channel=c["channel"], leads=say.count(c["leads"]))
        return say("channel_customers", channel=c["channel"], leads=say.count(c["leads"]),
                   customers=say.count(c["customers"]), share=say.pct(c["customers"] / c["leads"], 1))

    if h.channels:
        lines.append(say("channels", span=h.span, items="; ".join(channel(c) for c in h.channels)))
    return "\n".join(lines)


def _span_row(say: _Say, label: str, r: CrmSpanRow) -> str:
    """One quarter's (or the span's) line of the history."""
    if not r.leads:
        return _line([label, say("no_leads")])
    rate = say.pct(r.customers / r.leads, 2) if r.customers is not None else "–"
    hours = "–" if r.median_hours is None else \
        say.hours(r.median_hours) + (" " + say.words.t("report.thin_mark") if _thin_hours(r) else "")
    win = say.pct(r.won / (r.won + r.lost), 0) if r.won is not None and r.lost is not None \
        and r.won + r.lost else "–"
    customers = say.count(r.customers) if r.customers is not None else "–"
    return _line([label, say.count(r.leads), customers, rate, hours, win])


def _thin_hours(r: CrmSpanRow) -> bool:
    """Whether a row's median hours rest on fewer leads contacted than the evidence rule asks."""
    return r.median_hours is not None and not enough(r.hours_basis)


def _line(cells: list[str]) -> str:
    """Cells in the history's columns: the first left-aligned, the others right-aligned."""
    return " ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(cells, WIDTHS, strict=False)))
