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

from smarketing_assess.config.benchmarks import Benchmarks
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.records.funnel import FunnelResult
from smarketing_assess.records.sla import MONTHS_PER_QUARTER, RateUsed, SlaDraft, Volumes

CHAIN = ("sql_to_customer", "mql_to_sql", "lead_to_mql")


def _rate(name: str, funnel: FunnelResult | None, benchmarks: Benchmarks) -> RateUsed:
    rate = funnel.rates.get(name) if funnel is not None else None
    observed = rate.value if rate is not None else None
    basis = rate.denominator if rate is not None else None
    if observed and rate is not None and rate.enough:
        return RateUsed(name, observed, "observed", basis=basis)
    b = benchmarks.rates[name]
    return RateUsed(name, b.middle, "benchmark", b.low, b.high, b.source, observed, basis)


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
