"""How much a rate can be trusted (pure): Wilson score intervals and the minimum basis for advice.

A conversion rate is a share of cases (customers of leads, SQLs of MQLs), so it comes with
its basis, the number of cases it is a share of, and a 95% Wilson score interval: the range
of true rates that the observed count is consistent with. The Wilson interval stays inside
0-100% and behaves well for small counts and for rates near 0, which is where funnels live
(a simple "rate ± 2 standard errors" gives negative rates for 1 customer in 200 leads).

A rate over fewer than `MIN_BASIS` cases is shown, marked, and never acted on: advice that
would rest on it (moving budget, a goal's target, the SLA's arithmetic) is replaced by what
more data is needed.

The interval is the closed formula (Wilson, 1927; Newcombe, 1998, method 3), with the normal
quantile from the standard library's `statistics.NormalDist`. SciPy's
`binomtest(k, n).proportion_ci(method="wilson")` gives the same bounds (the tests check it
against SciPy) but adds over a second of import time to every run.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from smarketing_assess.records.evidence import CONFIDENCE, Interval, enough

_Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)  # 1.959964 for 95%


def wilson(successes: float, trials: float, z: float = _Z) -> Interval | None:
    """The Wilson score interval of `successes` out of `trials`; None when it is not a share
    (no trials, negative counts or more successes than trials)."""
    if trials <= 0 or successes < 0 or successes > trials:
        return None
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole; None when either is unknown (or not a number) or the whole is zero: never a silent 0."""
    if part is None or whole is None or whole == 0 or math.isnan(part) or math.isnan(whole):
        return None
    return float(part) / float(whole)


def share_interval(share: float | None, basis: float | None) -> Interval | None:
    """The 95% interval of a share of `basis` cases (None when either is unknown or there is no case)."""
    if share is None or not basis:
        return None
    return wilson(share * basis, basis)


def clearly_higher(successes: float, trials: float, than_successes: float, than_trials: float) -> bool:
    """Whether one share beats another beyond chance, the gate of every superlative: both rest on at
    least `MIN_BASIS` cases and the first one's 95% interval lies wholly above the second one's."""
    if not (enough(trials) and enough(than_trials)):
        return False
    first, second = wilson(successes, trials), wilson(than_successes, than_trials)
    return first is not None and second is not None and first.low > second.high
