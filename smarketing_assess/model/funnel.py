"""Funnel arithmetic (pure): counts per stage and every stage-to-stage rate the data allows.

Rates are fractions named `<from>_to_<to>` with singular stage names, each with its basis
(numerator and denominator) and its 95% Wilson interval. A rate that a missing stage or an
empty denominator prevents is unavailable, with the reason, never 0.
"""

from __future__ import annotations

import itertools

import pandas as pd

from smarketing_assess.core.stages import SINGULAR as SINGULAR  # rates are named by it, here and in presenting
from smarketing_assess.core.stages import STAGES
from smarketing_assess.model.evidence import wilson
from smarketing_assess.model.inputs import FunnelData
from smarketing_assess.records.funnel import FollowUp, FunnelResult, Rate, rate_name

# Rates every assessment names, beside the adjacent ones: the overall conversion and the
# three the SLA calculator works back through.
SUMMARY_RATES = (("leads", "customers"), ("mql", "customers"), ("mql", "sql"), ("sql", "customers"))


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
