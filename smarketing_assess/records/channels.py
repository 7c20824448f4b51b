"""The channels' economics as the model ranked them, and the advice on where to move effort."""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUARTERS = 8  # beyond this many quarters of data, the difference is not worth waiting for


@dataclass(frozen=True)
class ChannelResult:
    """One channel's figures and rates, and its rank by cost per customer."""

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
    lead_to_customer_low: float | None = None  # the 95% Wilson interval of lead_to_customer
    lead_to_customer_high: float | None = None


@dataclass(frozen=True)
class Recommendation:
    """Where to move effort, as a code and the figures it rests on (rendered into words later).

    kind: shift (from `from_channel` to `to_channel`), keep (`to_channel` is the cheapest good
    channel and no paid channel costs `SHIFT_RATIO` times as much), too_few (fewer than two
    channels), no_customers (no channel brought a customer), too_thin (the cheapest good named
    channel has fewer than `MIN_BASIS` leads, or there is none), no_spend (no spend known:
    `to_channel` converts clearly better than the runner-up `from_channel`), no_spend_close (no
    spend, and the two best converting channels are within chance of each other), no_spend_thin
    (no spend, and fewer than two named channels have `MIN_BASIS` leads), more_data (a shift's
    figures are too few to tell the two channels apart: `quarters` of data at today's volumes
    would, None when not within `MAX_QUARTERS`). The leads and customers of every channel named
    come with it."""

    kind: str
    from_channel: str | None
    to_channel: str | None
    from_spend: float | None = None
    from_cost_per_customer: float | None = None  # None: the channel won no customer
    to_cost_per_customer: float | None = None
    to_lead_to_customer: float | None = None
    from_leads: float | None = None
    from_customers: float | None = None
    to_leads: float | None = None
    to_customers: float | None = None
    quarters: int | None = None


@dataclass(frozen=True)
class ChannelAnalysis:
    """Every channel ranked, the totals, and where to move effort."""

    channels: list[ChannelResult]
    total_spend: float | None  # None unless every channel's spend is known
    total_customers: float
    blended_cost_per_customer: float | None
    recommendation: Recommendation
    total_leads: float = 0.0
    blended_cost_per_lead: float | None = None
    total_lead_to_customer: float | None = None  # every channel's customers over every channel's leads
    total_lead_to_customer_low: float | None = None  # its 95% Wilson interval
    total_lead_to_customer_high: float | None = None
