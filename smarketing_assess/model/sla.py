"""The SLA calculator (pure): from the revenue goal back to what each team must do.

customers = revenue goal / average deal size; SQLs = customers / SQL-to-customer rate;
MQLs = SQLs / MQL-to-SQL rate; leads = MQLs / lead-to-MQL rate; each for the next
quarter, then per month, per working day and per sales rep. The client's own observed
rates are used when they rest on enough cases (`model.evidence.MIN_BASIS`); where one is
missing, zero or over too few cases, the middle of the public range in
`templates/benchmarks.yaml` stands in, its source is named and the client's own figure is
kept beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from smarketing_assess.config.benchmarks import Benchmarks, Source
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.model.funnel import FunnelResult

CHAIN = ("sql_to_customer", "mql_to_sql", "lead_to_mql")
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


def _rate(name: str, funnel: FunnelResult | None, benchmarks: Benchmarks) -> RateUsed:
    rate = funnel.rates.get(name) if funnel is not None else None
    observed = rate.value if rate is not None else None
    basis = rate.denominator if rate is not None else None
    if observed and rate is not None and rate.enough:
        return RateUsed(name, observed, "observed", basis=basis)
    b = benchmarks.rates[name]
    return RateUsed(name, b.middle, "benchmark", b.low, b.high, b.source, observed, basis)


def round_up(value: float) -> int:
    """Round up to a whole number, ignoring floating-point noise (100.00000000000001 is 100)."""
    return math.ceil(round(value, 6))


def draft_sla(client: ClientProfile, funnel: FunnelResult | None, benchmarks: Benchmarks) -> SlaDraft:
    """Work the revenue goal back to customers, SQLs, MQLs and leads a quarter, month, day and rep."""
    rates = [_rate(name, funnel, benchmarks) for name in CHAIN]
    sql_to_customer, mql_to_sql, lead_to_mql = (r.value for r in rates)
    customers = client.revenue_goal / client.average_deal_size
    sql = customers / sql_to_customer
    mql = sql / mql_to_sql
    leads = mql / lead_to_mql
    quarter = Volumes(customers, sql, mql, leads)
    month = Volumes(*(v / MONTHS_PER_QUARTER for v in (customers, sql, mql, leads)))
    day = Volumes(*(v / client.working_days_per_month for v in
                    (month.customers, month.sql, month.mql, month.leads)))
    mql_per_rep = day.mql / client.sales_reps
    current = {
        "leads": funnel.per_month["leads"] if funnel else None,
        "mql": funnel.per_month["mql"] if funnel else None,
        "sql": funnel.per_month["sql"] if funnel else None,
        "customers": funnel.per_month["customers"] if funnel else None,
    }
    return SlaDraft(
        client.revenue_goal, client.average_deal_size, rates, quarter, month, day,
        mql_per_rep, mql_per_rep * client.contact_attempts, current,
        client.followup_sla_hours, client.contact_attempts, client.sales_reps, client.working_days_per_month,
    )
