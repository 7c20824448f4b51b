"""The draft SLA worked back from the revenue goal: the rates used and the volumes each team commits to."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from smarketing_assess.config.benchmarks import Source

MONTHS_PER_QUARTER = 3
# how a stage's volume was worked out: from the goal (customers), along the client's own measured rates,
# through a public rate (a visible assumption), or not at all (a stage the client does not track, between
# stages it does: the SLA commits to what the client measures)
ORIGINS = ("goal", "observed", "benchmark", "not_tracked")


@dataclass(frozen=True)
class RateUsed:
    """A rate the SLA calculator worked back through: the client's own, or a benchmark's middle."""

    name: str  # <from>_to_<to>: adjacent stages, or the client's own rate across stages it does not track
    value: float
    origin: str  # observed | benchmark
    benchmark_low: float | None = None
    benchmark_high: float | None = None
    source: Source | None = None
    observed: float | None = None  # the client's own rate when it could not be used (zero, too few cases)
    basis: float | None = None  # the cases the client's own rate is a share of


@dataclass(frozen=True)
class Volumes:
    """Customers, SQLs, MQLs and leads for one stretch of time (None: a stage with no commitment, see
    `SlaDraft.origins`)."""

    customers: float
    sql: float | None
    mql: float | None
    leads: float | None


@dataclass(frozen=True)
class SlaDraft:
    """The draft SLA: what each team must deliver for the revenue goal, and on which rates.

    The quarter's volumes are the commitments, each rounded up once (customers from the goal, then
    every stage from the exact figure below it); a month is a third of the quarter and a working day a
    share of the month, shown as they are, so that a reader's month x 3 gives the quarter."""

    revenue_goal: float
    average_deal_size: float
    rates: list[RateUsed]
    quarter: Volumes
    per_month: Volumes
    per_working_day: Volumes
    handover_per_rep_per_day: float | None  # the `handover` stage's daily volume per sales rep
    attempts_per_rep_per_day: float | None
    current_per_month: dict[str, float | None]  # leads, mql, sql, customers now
    followup_sla_hours: float
    contact_attempts: int
    sales_reps: int
    working_days_per_month: float
    origins: dict[str, str] = field(default_factory=dict)  # stage -> one of ORIGINS
    handover: str = "mql"  # the stage marketing hands to sales: mql when the SLA has MQLs, else leads

    def rate(self, name: str) -> RateUsed | None:
        """One of the rates worked back through, None when the SLA did not use it."""
        return next((r for r in self.rates if r.name == name), None)

    def quarterly(self, stage: str) -> float | None:
        """The quarter's commitment for `stage` (customers, sql, mql or leads): a whole number."""
        value: float | None = getattr(self.quarter, stage)
        return value

    def monthly(self, stage: str) -> float | None:
        """A month's share of the quarter's commitment (a third of it, not rounded again)."""
        value: float | None = getattr(self.per_month, stage)
        return value

    @property
    def own_path(self) -> bool:
        """Whether the leads the goal needs rest on the client's own measured rates alone: the only case
        in which a headline may name them."""
        return self.origins.get("leads") == "observed"


def round_up(value: float) -> int:
    """Round up to a whole number, ignoring floating-point noise (100.00000000000001 is 100)."""
    return math.ceil(round(value, 6))
