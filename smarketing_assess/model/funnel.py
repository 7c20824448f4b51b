"""Funnel arithmetic (pure): counts per stage and every stage-to-stage rate the data allows.

Rates are fractions named `<from>_to_<to>` with singular stage names, each with its basis
(numerator and denominator) and its 95% Wilson interval. A rate that a missing stage or an
empty denominator prevents is unavailable, with the reason, never 0.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from smarketing_assess.core.stages import SINGULAR as SINGULAR  # rates are named by it, here and in presenting
from smarketing_assess.core.stages import STAGES
from smarketing_assess.model.evidence import enough, wilson
from smarketing_assess.model.inputs import FunnelData

# Rates every assessment names, beside the adjacent ones: the overall conversion and the
# three the SLA calculator works back through.
SUMMARY_RATES = (("leads", "customers"), ("mql", "customers"), ("mql", "sql"), ("sql", "customers"))


@dataclass(frozen=True)
class Rate:
    """A stage-to-stage rate with its basis: numerator and denominator, or why it is unavailable."""

    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unavailable: str | None = None  # why value is None: not_tracked:<stage>, zero:<stage>, ...
    low: float | None = None  # the 95% Wilson interval (None when the rate is not a share of cases)
    high: float | None = None

    @property
    def enough(self) -> bool:
        """Whether the rate rests on enough cases to act on (see `model.evidence`)."""
        return self.value is not None and enough(self.denominator)


@dataclass(frozen=True)
class FollowUp:
    """Follow-up figures: of the MQLs handed over, how many were worked and how fast."""

    followed_up: float | None
    share: float | None  # followed_up / mql
    hours_to_first_contact: float | None  # median of the monthly medians


@dataclass(frozen=True)
class FunnelResult:
    """The period's funnel: counts per stage, per month, and every rate the data allows."""

    months: int  # months the figures cover (3 for a single quarter row)
    stages: tuple[str, ...]  # tracked stages, in funnel order
    counts: dict[str, float | None]  # every stage; None when not tracked
    monthly: dict[str, dict[str, float]]  # month -> stage -> count
    per_month: dict[str, float | None]  # average per month of the period
    rates: dict[str, Rate]
    revenue: float | None
    followup: FollowUp

    def rate(self, name: str) -> float | None:
        """The value of the rate `name` (such as `lead_to_mql`), None when unavailable."""
        r = self.rates.get(name)
        return None if r is None else r.value


def rate_name(a: str, b: str) -> str:
    """The name of the rate from stage `a` to stage `b`: `lead_to_mql`."""
    return f"{SINGULAR[a]}_to_{SINGULAR[b]}"


def stage_rate(counts: dict[str, float | None], a: str, b: str) -> Rate:
    """counts[b] / counts[a], or unavailable with the reason."""
    name = rate_name(a, b)
    x, y = counts.get(a), counts.get(b)
    for stage, v in ((a, x), (b, y)):
        if v is None:
            return Rate(name, None, y, x, f"not_tracked:{stage}")
    assert x is not None and y is not None
    if x == 0:
        return Rate(name, None, y, x, f"zero:{a}")
    if a == "visitors" and y > x:
        return Rate(name, None, y, x, "more_leads_than_visitors")
    interval = wilson(y, x)
    return Rate(name, y / x, y, x, None, *((interval.low, interval.high) if interval else (None, None)))


def analyse_funnel(data: FunnelData) -> FunnelResult:
    """Counts, monthly averages, rates and follow-up figures of a period's funnel data."""
    frame = data.frame
    counts: dict[str, float | None] = {
        s: (float(frame[s].sum()) if s in data.stages else None) for s in STAGES
    }
    rates: dict[str, Rate] = {}
    for a, b in itertools.pairwise(STAGES):
        rates[rate_name(a, b)] = stage_rate(counts, a, b)
    tracked = data.stages
    for a, b in itertools.pairwise(tracked):  # across stages not tracked
        rates.setdefault(rate_name(a, b), stage_rate(counts, a, b))
    for a, b in SUMMARY_RATES:
        rates.setdefault(rate_name(a, b), stage_rate(counts, a, b))
    monthly = {
        str(month): {s: float(row[s]) for s in tracked}
        for month, row in frame.iterrows()
    }
    months = max(data.months, 1)
    if len(frame.index) == 1 and "-Q" in str(frame.index[0]):
        months = 3  # a single row for the whole quarter
    per_month = {s: (None if v is None else v / months) for s, v in counts.items()}
    revenue = float(frame["revenue"].sum()) if "revenue" in data.extras else None
    return FunnelResult(months, tracked, counts, monthly, per_month, rates, revenue,
                        _followup(frame, data, counts))


def _followup(frame: pd.DataFrame, data: FunnelData, counts: dict[str, float | None]) -> FollowUp:
    followed = float(frame["followed_up"].sum()) if "followed_up" in data.extras else None
    mql = counts.get("mql")
    share = followed / mql if followed is not None and mql else None
    hours = (float(frame["hours_to_first_contact"].median())
             if "hours_to_first_contact" in data.extras else None)
    return FollowUp(followed, share, hours)
