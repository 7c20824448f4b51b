"""Channel economics (pure): conversion and cost per channel, a ranking, where to move effort."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

import pandas as pd

from smarketing_assess import formatting as fmt
from smarketing_assess.texts import text

# Move effort only when the dearest channel's customers cost at least this many times
# the cheapest good channel's: smaller differences are within a quarter's noise.
SHIFT_RATIO = 1.5


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    visitors: float | None
    leads: float
    mql: float | None
    customers: float
    spend: float | None  # None: not known
    revenue: float | None
    notes: str
    visitor_to_lead: float | None
    lead_to_customer: float | None
    cost_per_lead: float | None
    cost_per_customer: float | None
    rank: int


@dataclass(frozen=True)
class Recommendation:
    kind: str  # shift | keep | too_few | no_customers | no_spend
    from_channel: str | None
    to_channel: str | None
    text: str


@dataclass(frozen=True)
class ChannelAnalysis:
    channels: list[ChannelResult]
    total_spend: float | None  # None unless every channel's spend is known
    total_customers: float
    blended_cost_per_customer: float | None
    recommendation: Recommendation


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0 or (isinstance(a, float) and math.isnan(a)):
        return None
    return a / b


def _opt(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def analyse_channels(frame: pd.DataFrame, currency: str, language: str) -> ChannelAnalysis:
    """Rank channels by cost per customer (channels without customers last, the dearest
    last of all) and recommend moving effort from the dearest to the cheapest channel
    whose leads convert at least as well as the median channel's."""
    rows = []
    for r in frame.to_dict("records"):
        visitors = _opt(r["visitors"])
        leads, customers, spend = float(r["leads"]), float(r["customers"]), _opt(r["spend"])
        v2l = _ratio(leads, visitors) if visitors is not None and leads <= visitors else None
        rows.append(dict(
            channel=r["channel"], visitors=visitors, leads=leads, mql=_opt(r["mql"]),
            customers=customers, spend=spend, revenue=_opt(r["revenue"]), notes=r["notes"] or "",
            visitor_to_lead=v2l, lead_to_customer=_ratio(customers, leads),
            cost_per_lead=_ratio(spend, leads), cost_per_customer=_ratio(spend, customers),
        ))
    rows.sort(key=lambda c: (
        c["customers"] == 0,
        c["spend"] is None,  # cost unknown: after the channels whose cost is known
        (c["cost_per_customer"] if c["customers"] else c["spend"]) or 0.0,
        -(c["lead_to_customer"] or 0.0),
        c["channel"].lower(),
    ))
    channels = [ChannelResult(**c, rank=i + 1) for i, c in enumerate(rows)]
    known = [c.spend for c in channels if c.spend is not None]
    total_spend = sum(known) if len(known) == len(channels) else None
    total_customers = sum(c.customers for c in channels)
    return ChannelAnalysis(channels, total_spend, total_customers,
                           _ratio(total_spend, total_customers),
                           recommend(channels, currency, language))


def recommend(channels: list[ChannelResult], currency: str, language: str) -> Recommendation:
    """Where to move effort, in plain words (texts from `templates/texts.yaml`)."""
    if len(channels) < 2:
        return Recommendation("too_few", None, None, text("channels.too_few", language))
    rates = [c.lead_to_customer for c in channels if c.lead_to_customer is not None]
    bar = median(rates) if rates else 0.0
    good = [c for c in channels if c.customers > 0 and (c.lead_to_customer or 0.0) >= bar]
    if not good:
        return Recommendation("no_customers", None, None, text("channels.no_customers", language))
    if all(c.spend is None for c in channels):
        best = max(good, key=lambda c: c.lead_to_customer or 0.0)
        return Recommendation("no_spend", None, best.channel, text(
            "channels.no_spend", language, best=best.channel, rate=fmt.percent(best.lead_to_customer, language)))
    best = good[0]  # channels are ranked cheapest first
    paid = [c for c in channels if c is not best and (c.spend or 0) > 0]
    if not paid:
        return Recommendation("keep", None, best.channel,
                              text("channels.keep", language, best=best.channel))
    worst = paid[-1]
    money = lambda v: fmt.money(v, currency, language, 0)  # noqa: E731
    if worst.customers == 0:
        return Recommendation("shift", worst.channel, best.channel, text(
            "channels.shift_no_customers", language, worst=worst.channel,
            worst_spend=money(worst.spend), best=best.channel,
            best_cac=money(best.cost_per_customer)))
    assert worst.cost_per_customer is not None and best.cost_per_customer is not None
    if worst.cost_per_customer < SHIFT_RATIO * best.cost_per_customer:
        return Recommendation("keep", None, best.channel,
                              text("channels.keep", language, best=best.channel))
    times = worst.cost_per_customer / best.cost_per_customer if best.cost_per_customer else None
    return Recommendation("shift", worst.channel, best.channel, text(
        "channels.shift" if times is not None else "channels.shift_free", language,
        worst=worst.channel, worst_cac=money(worst.cost_per_customer), best=best.channel,
        best_cac=money(best.cost_per_customer),
        times=fmt.number(times, language, 1) if times is not None else ""))
