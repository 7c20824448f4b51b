"""Channel economics (pure): conversion and cost per channel, a ranking, where to move effort.

Budget is moved only on enough evidence: both channels need at least `MIN_BASIS` leads, and
the dearer channel's cost per customer must stay above the cheaper one's even at the
favourable end of each one's 95% interval (its lead-to-customer rate at the top of its
interval, the cheaper one's at the bottom). Otherwise the advice is a request for data:
how many more quarters at today's volumes would tell the two channels apart. Every piece of
advice passes the evidence rule (`model.evidence`): a channel is named only over `MIN_BASIS`
leads, "converts best" only when its interval lies above the next channel's, and a "(not set)"
channel, whose leads came from nowhere known, is never advised.
"""

from __future__ import annotations

import dataclasses
import math
from statistics import median

import pandas as pd

from smarketing_assess.model.crm import NOT_SET
from smarketing_assess.model.evidence import clearly_higher, ratio, wilson
from smarketing_assess.records.channels import MAX_QUARTERS, ChannelAnalysis, ChannelResult, Recommendation
from smarketing_assess.records.evidence import MIN_BASIS, enough

# Move effort only when the dearest channel's customers cost at least this many times
# the cheapest good channel's: smaller differences are within a quarter's noise.
SHIFT_RATIO = 1.5


def _opt(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def analyse_channels(frame: pd.DataFrame) -> ChannelAnalysis:
    """Rank channels by cost per customer (channels without customers last, the dearest
    last of all) and recommend moving effort from the dearest to the cheapest channel
    whose leads convert at least as well as the median channel's."""
    rows = []
    for r in frame.to_dict("records"):
        visitors = _opt(r["visitors"])
        leads, customers, spend = float(r["leads"]), float(r["customers"]), _opt(r["spend"])
        v2l = ratio(leads, visitors) if visitors is not None and leads <= visitors else None
        rows.append(dict(
            channel=r["channel"], visitors=visitors, leads=leads, mql=_opt(r["mql"]),
            customers=customers, spend=spend, revenue=_opt(r["revenue"]), notes=r["notes"] or "",
            visitor_to_lead=v2l, lead_to_customer=ratio(customers, leads),
            cost_per_lead=ratio(spend, leads), cost_per_customer=ratio(spend, customers),
            **_interval(customers, leads),
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
    total_leads = sum(c.leads for c in channels)
    every = _interval(total_customers, total_leads)
    return ChannelAnalysis(channels, total_spend, total_customers, ratio(total_spend, total_customers),
                           recommend(channels), total_leads, ratio(total_spend, total_leads),
                           ratio(total_customers, total_leads), every["lead_to_customer_low"],
                           every["lead_to_customer_high"])


def recommend(channels: list[ChannelResult]) -> Recommendation:
    """Where to move effort: from the dearest paid channel to the cheapest channel whose leads
    convert at least as well as the median channel's, when the first costs `SHIFT_RATIO` times
    the second per customer (or won none) and the evidence rule tells the two apart."""
    if len(channels) < 2:
        return Recommendation("too_few", None, None)
    rates = [c.lead_to_customer for c in channels if c.lead_to_customer is not None]
    bar = median(rates) if rates else 0.0
    if not any(c.customers > 0 for c in channels):
        return Recommendation("no_customers", None, None)
    if all(c.spend is None for c in channels):
        return _without_spend(channels)
    good = [c for c in channels if c.customers > 0 and (c.lead_to_customer or 0.0) >= bar and attributed(c)]
    if not good:
        return Recommendation("too_thin", None, None)
    best = good[0]  # channels are ranked cheapest first
    keep = Recommendation("keep", None, best.channel, to_cost_per_customer=best.cost_per_customer,
                          to_lead_to_customer=best.lead_to_customer, to_leads=best.leads, to_customers=best.customers)
    if not enough(best.leads):  # a shift is weighed by `apart`; keeping the mix favours `best` on its own figures
        keep = Recommendation("too_thin", None, None)
    paid = [c for c in channels if c is not best and (c.spend or 0) > 0 and attributed(c)]
    if not paid:
        return keep
    worst = paid[-1]
    if worst.customers and worst.cost_per_customer is not None and best.cost_per_customer is not None \
            and worst.cost_per_customer < SHIFT_RATIO * best.cost_per_customer:
        return keep
    shift = Recommendation("shift", worst.channel, best.channel, worst.spend,
                           worst.cost_per_customer if worst.customers else None, best.cost_per_customer,
                           best.lead_to_customer, from_leads=worst.leads, from_customers=worst.customers,
                           to_leads=best.leads, to_customers=best.customers)
    if apart(worst, best):
        return shift
    quarters = next((m for m in range(2, MAX_QUARTERS + 1) if apart(worst, best, m)), None)
    return dataclasses.replace(shift, kind="more_data", quarters=quarters)


def attributed(channel: ChannelResult) -> bool:
    """Whether a channel's leads came from somewhere known: "(not set)" and a blank name are never advised."""
    return channel.channel.strip().casefold() not in ("", NOT_SET)


def _without_spend(channels: list[ChannelResult]) -> Recommendation:
    """Without spend, the channel whose leads turn into customers at a clearly higher rate than the
    runner-up's (`no_spend`); `no_spend_close` when the two are within chance of each other, and
    `no_spend_thin` when fewer than two named channels have `MIN_BASIS` leads. `from_*` is the runner-up."""
    compared = sorted((c for c in channels if attributed(c) and enough(c.leads)),
                      key=lambda c: (-(c.lead_to_customer or 0.0), c.channel.lower()))
    if len(compared) < 2:
        return Recommendation("no_spend_thin", None, None)
    best, second = compared[0], compared[1]
    kind = "no_spend" if clearly_higher(best.customers, best.leads, second.customers, second.leads) \
        else "no_spend_close"
    return Recommendation(kind, second.channel, best.channel, to_lead_to_customer=best.lead_to_customer,
                          from_leads=second.leads, from_customers=second.customers,
                          to_leads=best.leads, to_customers=best.customers)


def _interval(customers: float, leads: float) -> dict[str, float | None]:
    interval = wilson(customers, leads)
    return {"lead_to_customer_low": interval.low if interval else None,
            "lead_to_customer_high": interval.high if interval else None}


def apart(dear: ChannelResult, cheap: ChannelResult, scale: int = 1) -> bool:
    """Whether `dear`'s customers cost more than `cheap`'s even at the favourable end of both
    95% intervals, with `scale` times today's leads and customers (quarters of data at today's
    volumes); both need `MIN_BASIS` leads. Spend scales with the volumes, so a customer's
    cost is spend / (leads x rate) at any scale."""
    if min(dear.leads, cheap.leads) * scale < MIN_BASIS or not dear.spend:
        return False
    d, c = wilson(dear.customers * scale, dear.leads * scale), wilson(cheap.customers * scale, cheap.leads * scale)
    if d is None or c is None or c.low == 0:
        return False
    dear_at_best = dear.spend / (dear.leads * d.high)
    cheap_at_worst = (cheap.spend or 0.0) / (cheap.leads * c.low)
    return dear_at_best > cheap_at_worst
