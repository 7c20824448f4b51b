"""The draft SLA worked back from the revenue goal: the rates used and the volumes each team commits to."""

from __future__ import annotations

import math
from dataclasses import dataclass

from smarketing_assess.config.benchmarks import Source

MONTHS_PER_QUARTER = 3


@dataclass(frozen=True)
class RateUsed:
    """A rate the SLA calculator worked back through: the client's own, or a benchmark's middle."""

    name: str
    value: float
    origin: str  # observed | benchmark
    benchmark_low: float | None = None
    benchmark_high: float | None = None
    source: Source | None = None
    observed: float | None = None  # the client's own rate when it could not be used (zero, too few cases)
    basis: float | None = None  # the cases the client's own rate is a share of


@dataclass(frozen=True)
class Volumes:
    """Customers, SQLs, MQLs and leads for one stretch of time."""

    customers: float
    sql: float
    mql: float
    leads: float


@dataclass(frozen=True)
class SlaDraft:
    """The draft SLA: what each team must deliver for the revenue goal, and on which rates."""

    revenue_goal: float
    average_deal_size: float
    rates: list[RateUsed]
    quarter: Volumes
    per_month: Volumes
    per_working_day: Volumes
    mql_per_rep_per_day: float
    attempts_per_rep_per_day: float
    current_per_month: dict[str, float | None]  # leads, mql, sql, customers now
    followup_sla_hours: float
    contact_attempts: int
    sales_reps: int
    working_days_per_month: float

    def rate(self, name: str) -> float:
        """The value of one of the chain's rates (observed or benchmark)."""
        return next(r.value for r in self.rates if r.name == name)

    def monthly(self, stage: str) -> int:
        """The monthly commitment for `stage` (customers, sql, mql or leads): the month's need, rounded up."""
        return round_up(getattr(self.per_month, stage))

    def quarterly(self, stage: str) -> int:
        """The quarter's commitment: three monthly ones, so that a reader's check of month x 3 holds."""
        return MONTHS_PER_QUARTER * self.monthly(stage)


def round_up(value: float) -> int:
    """Round up to a whole number, ignoring floating-point noise (100.00000000000001 is 100)."""
    return math.ceil(round(value, 6))
