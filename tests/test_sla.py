"""The SLA calculator: from the revenue goal back to leads, MQLs, SQLs and customers.

Every expected value is worked out by hand from the literal inputs of the test; the
benchmark figures are those of templates/benchmarks.yaml (or of a small file written here).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from smarketing_assess.config.benchmarks import load_benchmarks
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.stages import STAGES
from smarketing_assess.model.funnel import analyse_funnel
from smarketing_assess.model.inputs import FUNNEL_EXTRAS, FunnelData
from smarketing_assess.model.sla import draft_sla
from smarketing_assess.presenting.texts import Words


def said(sla) -> tuple[str, str]:
    """The draft SLA's commitments (marketing, sales) as an English report words them."""
    return Words.of("en", "EUR").commitments(sla)

# templates/benchmarks.yaml
SQL_TO_CUSTOMER_LOW, SQL_TO_CUSTOMER_HIGH = 0.28, 0.30  # MarketingSherpa
MQL_TO_SQL_LOW, MQL_TO_SQL_HIGH = 0.31, 0.40  # Four Quadrant; MarketingSherpa
LEAD_TO_MQL_LOW, LEAD_TO_MQL_HIGH = 0.07, 0.40  # Four Quadrant; MarketingSherpa


def client(**overrides: object) -> ClientProfile:
    fields: dict[str, object] = dict(name="Acme", currency="EUR", revenue_goal=300_000,
                                     average_deal_size=10_000, sales_reps=4)
    fields.update(overrides)
    return ClientProfile(**fields)  # type: ignore[arg-type]


def funnel(index: list[str] | None = None, **columns: list[float]):
    """The analysed funnel of the given columns (one row for the quarter unless months are given)."""
    index = index or ["2026-Q1"]
    frame = pd.DataFrame({k: [float(v) for v in vs] for k, vs in columns.items()},
                         index=pd.Index(index, name="month"))
    data = FunnelData(frame=frame, stages=tuple(s for s in STAGES if s in columns),
                      extras=tuple(e for e in FUNNEL_EXTRAS if e in columns), months=len(index))
    return analyse_funnel(data)


def rates_of(sla):
    return {r.name: r for r in sla.rates}


def has(sentence: str, figure: str) -> bool:
    """`figure` appears in `sentence` as a figure of its own (not part of a longer number)."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", sentence) is not None


# Observed: lead->MQL 300/1000 = 0.3, MQL->SQL 100/300 = 1/3, SQL->customer 25/100 = 0.25.
OBSERVED = dict(leads=[1000], mql=[300], sql=[100], customers=[25])


def test_volumes_from_observed_rates():
    sla = draft_sla(client(), funnel(**OBSERVED), load_benchmarks())
    customers = 300_000 / 10_000  # 30
    sql = customers / (25 / 100)  # 120
    mql = sql / (100 / 300)  # 360
    leads = mql / (300 / 1000)  # 1200
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == pytest.approx((customers, sql, mql, leads))
    assert (q.customers, q.sql, q.mql, q.leads) == pytest.approx((30, 120, 360, 1200))
    m = sla.per_month
    assert (m.customers, m.sql, m.mql, m.leads) == pytest.approx((30 / 3, 120 / 3, 360 / 3, 1200 / 3))
    d = sla.per_working_day  # 21 working days a month by default
    assert (d.customers, d.sql, d.mql, d.leads) == pytest.approx((10 / 21, 40 / 21, 120 / 21, 400 / 21))
    assert sla.mql_per_rep_per_day == pytest.approx(120 / 21 / 4)
    assert sla.attempts_per_rep_per_day == pytest.approx(120 / 21 / 4 * 6)  # 6 attempts by default
    assert (sla.revenue_goal, sla.average_deal_size) == (300_000, 10_000)
    assert (sla.followup_sla_hours, sla.contact_attempts) == (24, 6)


def test_observed_rates_are_named_as_observed():
    rates = rates_of(draft_sla(client(), funnel(**OBSERVED), load_benchmarks()))
    assert list(rates) == ["sql_to_customer", "mql_to_sql", "lead_to_mql"]
    assert rates["sql_to_customer"].value == pytest.approx(25 / 100)
    assert rates["mql_to_sql"].value == pytest.approx(100 / 300)
    assert rates["lead_to_mql"].value == pytest.approx(300 / 1000)
    for r in rates.values():
        assert r.origin == "observed"
        assert r.source is None


def test_working_days_reps_and_attempts_from_the_profile():
    sla = draft_sla(client(working_days_per_month=20, sales_reps=5, contact_attempts=8, followup_sla_hours=4),
                    funnel(**OBSERVED), load_benchmarks())
    assert sla.per_working_day.mql == pytest.approx(120 / 20)  # 6 a day
    assert sla.per_working_day.leads == pytest.approx(400 / 20)
    assert sla.mql_per_rep_per_day == pytest.approx(120 / 20 / 5)  # 1.2
    assert sla.attempts_per_rep_per_day == pytest.approx(120 / 20 / 5 * 8)  # 9.6
    assert said(sla)[1] == text("sla.sales", "en", hours="4", attempts="8", mql_to_sql="33.3%",
                                        per_rep="1.2", customers="10")


def test_current_per_month_comes_from_the_funnel():
    sla = draft_sla(client(), funnel(["2026-01", "2026-02", "2026-03"], leads=[300, 330, 370],
                                     mql=[90, 100, 110], sql=[30, 33, 37], customers=[7, 8, 10]),
                    load_benchmarks())
    assert sla.current_per_month == pytest.approx({
        "leads": (300 + 330 + 370) / 3, "mql": (90 + 100 + 110) / 3,
        "sql": (30 + 33 + 37) / 3, "customers": (7 + 8 + 10) / 3,
    })


def test_commitment_texts_round_monthly_figures_up():
    sla = draft_sla(client(), funnel(**OBSERVED), load_benchmarks())
    # 120 MQLs and 400 leads a month, exactly; 120 / 21 / 4 = 1.43 MQLs per rep per day.
    assert said(sla)[0] == text("sla.marketing", "en", mql="120", leads="400", lead_to_mql="30.0%")
    assert said(sla)[1] == text("sla.sales", "en", hours="24", attempts="6", mql_to_sql="33.3%",
                                        per_rep="1.4", customers="10")
    assert has(said(sla)[0], "120")
    assert has(said(sla)[1], "24")


def test_fractional_monthly_figures_round_up_in_the_texts():
    # 100000 / 7000 = 14.29 customers; SQL->customer 1/4, MQL->SQL 1/2, lead->MQL 1/5.
    sla = draft_sla(client(revenue_goal=100_000, average_deal_size=7_000),
                    funnel(leads=[400], mql=[80], sql=[40], customers=[10]), load_benchmarks())
    mql_month = 100_000 / 7_000 / (10 / 40) / (40 / 80) / 3  # 38.10
    leads_month = mql_month / (80 / 400)  # 190.48
    assert sla.per_month.mql == pytest.approx(mql_month)
    assert sla.per_month.leads == pytest.approx(leads_month)
    assert said(sla)[0] == text("sla.marketing", "en", mql="39", leads="191", lead_to_mql="20.0%")
    # 38.10 / 21 / 4 = 0.45 MQLs per rep per day; 14.29 / 3 = 4.76 customers a month.
    assert said(sla)[1] == text("sla.sales", "en", hours="24", attempts="6", mql_to_sql="50.0%",
                                        per_rep="0.5", customers="5")


def test_exact_monthly_figures_are_not_rounded_up_by_floating_point_noise():
    # 60000 / 2000 = 30 customers; / (90/200) = 66.67 SQLs; / (200/900) = 300 MQLs, exactly 100 a month;
    # / (900/6000) = 2000 leads, 666.67 a month. In floats the MQLs come out as 100.00000000000001.
    sla = draft_sla(client(revenue_goal=60_000, average_deal_size=2_000),
                    funnel(leads=[6000], mql=[900], sql=[200], customers=[90]), load_benchmarks())
    assert sla.per_month.mql == pytest.approx(300 / 3)
    assert said(sla)[0] == text("sla.marketing", "en", mql="100", leads="667", lead_to_mql="15.0%")


# ------------------------------------------------------------------ benchmarks

def test_missing_stage_falls_back_to_the_benchmark_midpoint():
    # No sql column: SQL->customer and MQL->SQL cannot be observed; lead->MQL 300/1000 can.
    sla = draft_sla(client(), funnel(leads=[1000], mql=[300], customers=[30]), load_benchmarks())
    rates = rates_of(sla)
    s2c, m2s, l2m = rates["sql_to_customer"], rates["mql_to_sql"], rates["lead_to_mql"]
    assert s2c.origin == "benchmark"
    assert s2c.value == pytest.approx((SQL_TO_CUSTOMER_LOW + SQL_TO_CUSTOMER_HIGH) / 2)  # 0.29
    assert (s2c.benchmark_low, s2c.benchmark_high) == pytest.approx((0.28, 0.30))
    assert s2c.source is not None and s2c.source.publisher == "MarketingSherpa"
    assert s2c.observed is None
    assert m2s.origin == "benchmark"
    assert m2s.value == pytest.approx((MQL_TO_SQL_LOW + MQL_TO_SQL_HIGH) / 2)  # 0.355
    assert m2s.source is not None and m2s.source.publisher == "Four Quadrant; MarketingSherpa"
    assert l2m.origin == "observed"
    assert l2m.value == pytest.approx(300 / 1000)

    customers = 300_000 / 10_000
    sql = customers / ((0.28 + 0.30) / 2)
    mql = sql / ((0.31 + 0.40) / 2)
    leads = mql / (300 / 1000)
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == pytest.approx((customers, sql, mql, leads))
    # 30 / 0.29 / 0.355 / 3 = 97.13 MQLs and 323.78 leads a month
    assert said(sla)[0] == text("sla.marketing", "en", mql="98", leads="324", lead_to_mql="30.0%")
    # 97.13 / 21 / 4 = 1.16 MQLs per rep per day
    assert said(sla)[1] == text("sla.sales", "en", hours="24", attempts="6", mql_to_sql="35.5%",
                                        per_rep="1.2", customers="10")
    assert sla.current_per_month["sql"] is None
    assert sla.current_per_month["leads"] == pytest.approx(1000 / 3)


def test_without_a_funnel_every_rate_is_a_benchmark():
    sla = draft_sla(client(), None, load_benchmarks())
    rates = rates_of(sla)
    assert all(r.origin == "benchmark" for r in rates.values())
    assert all(r.observed is None for r in rates.values())
    assert rates["lead_to_mql"].value == pytest.approx((LEAD_TO_MQL_LOW + LEAD_TO_MQL_HIGH) / 2)  # 0.235
    assert rates["lead_to_mql"].source is not None
    assert rates["lead_to_mql"].source.publisher == "Four Quadrant; MarketingSherpa"
    leads = 300_000 / 10_000 / ((0.28 + 0.30) / 2) / ((0.31 + 0.40) / 2) / ((0.07 + 0.40) / 2)
    assert sla.quarter.leads == pytest.approx(leads)
    assert sla.current_per_month == {"leads": None, "mql": None, "sql": None, "customers": None}
    # 30 / 0.29 / 0.355 / 3 = 97.13 MQLs a month; / 0.235 = 413.34 leads a month
    assert said(sla)[0] == text("sla.marketing", "en", mql="98", leads="414", lead_to_mql="23.5%")


def test_zero_observed_rate_falls_back_to_the_benchmark():
    # 100 SQLs but no customer yet: a 0% SQL->customer rate would mean infinitely many SQLs.
    sla = draft_sla(client(), funnel(leads=[1000], mql=[300], sql=[100], customers=[0]), load_benchmarks())
    s2c = rates_of(sla)["sql_to_customer"]
    assert s2c.origin == "benchmark"
    assert s2c.observed == 0.0
    assert s2c.value == pytest.approx((0.28 + 0.30) / 2)
    assert rates_of(sla)["mql_to_sql"].origin == "observed"
    assert sla.quarter.sql == pytest.approx(30 / 0.29)


def test_a_custom_benchmarks_file_is_used_and_named(tmp_path):
    path = tmp_path / "benchmarks.yaml"
    source = "{publisher: Test Institute, title: Funnel study, year: 2025, url: https://example.org/study}"
    path.write_text(
        "rates:\n"
        f"  sql_to_customer: {{low: 0.2, high: 0.3, source: {source}, note: {{en: a note}}}}\n"
        f"  mql_to_sql: {{low: 0.4, high: 0.6, source: {source}, note: {{en: a note}}}}\n"
        f"  lead_to_mql: {{low: 0.1, high: 0.3, source: {source}, note: {{en: a note}}}}\n",
        encoding="utf-8")
    sla = draft_sla(client(revenue_goal=50_000, average_deal_size=5_000), None, load_benchmarks(path))
    rates = rates_of(sla)
    assert rates["sql_to_customer"].value == pytest.approx((0.2 + 0.3) / 2)
    assert rates["mql_to_sql"].value == pytest.approx((0.4 + 0.6) / 2)
    assert rates["lead_to_mql"].value == pytest.approx((0.1 + 0.3) / 2)
    assert rates["mql_to_sql"].source is not None
    assert rates["mql_to_sql"].source.publisher == "Test Institute"
    assert rates["mql_to_sql"].source.year == 2025
    # 50000 / 5000 = 10 customers; / 0.25 = 40 SQLs; / 0.5 = 80 MQLs; / 0.2 = 400 leads.
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == pytest.approx((10, 40, 80, 400))
    # 80 / 3 = 26.7 MQLs and 400 / 3 = 133.3 leads a month
    assert said(sla)[0] == text("sla.marketing", "en", mql="27", leads="134", lead_to_mql="20.0%")
