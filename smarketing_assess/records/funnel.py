"""The period's funnel: counts per stage and every rate with its basis and interval."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.core.stages import SINGULAR
from smarketing_assess.records.evidence import enough


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
        """Whether the rate rests on enough cases to act on (the rule in `records.evidence`)."""
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
