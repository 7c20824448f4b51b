"""The SLA calculator: from the revenue goal back to leads, MQLs, SQLs and customers.

Every expected value is worked out by hand from the literal inputs of the test; the
benchmark figures are those of templates/benchmarks.yaml (or of a small file written here).
"""

from __future__ import annotations

import math
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
    assert sla.handover == "mql" and sla.handover_per_rep_per_day == pytest.approx(120 / 21 / 4)
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
    assert sla.handover_per_rep_per_day == pytest.approx(120 / 20 / 5)  # 1.2
    assert sla.attempts_per_rep_per_day == pytest.approx(120 / 20 / 5 * 8)  # 9.6
    # the team closes the quarter's 30 customers (300,000 / 10,000)
    assert said(sla)[1] == text("sla.sales", "en", hours="4", attempts="8", mql_to_sql="33.3%",
                                        per_rep="1.2", customers="30")


def test_current_per_month_comes_from_the_funnel():
    sla = draft_sla(client(), funnel(["2026-01", "2026-02", "2026-03"], leads=[300, 330, 370],
                                     mql=[90, 100, 110], sql=[30, 33, 37], customers=[7, 8, 10]),
                    load_benchmarks())
    assert sla.current_per_month == pytest.approx({
        "leads": (300 + 330 + 370) / 3, "mql": (90 + 100 + 110) / 3,
        "sql": (30 + 33 + 37) / 3, "customers": (7 + 8 + 10) / 3,
    })


def test_commitment_texts_say_a_month_as_a_third_of_the_quarter():
    sla = draft_sla(client(), funnel(**OBSERVED), load_benchmarks())
    # 360 MQLs and 1,200 leads for the quarter: 120 and 400 a month; 120 / 21 / 4 = 1.43 MQLs per rep per day;
    # the quarter's 30 customers.
    assert said(sla)[0] == text("sla.marketing", "en", mql="120", leads="400", lead_to_mql="30.0%")
    assert said(sla)[1] == text("sla.sales", "en", hours="24", attempts="6", mql_to_sql="33.3%",
                                        per_rep="1.4", customers="30")
    assert has(said(sla)[0], "120")
    assert has(said(sla)[1], "24")


def test_a_month_that_is_not_whole_is_said_with_its_decimal():
    # 350,000 / 10,000 = 35 customers; SQL->customer 1/4, MQL->SQL 1/2, lead->MQL 1/5: 140 SQLs, 280 MQLs
    # (93.3 a month), 1,400 leads (466.7 a month); 93.33 / 21 / 4 = 1.11 MQLs per rep per day.
    sla = draft_sla(client(revenue_goal=350_000), funnel(leads=[400], mql=[80], sql=[40], customers=[10]),
                    load_benchmarks())
    assert said(sla)[0] == text("sla.marketing", "en", mql="93.3", leads="466.7", lead_to_mql="20.0%")
    assert said(sla)[1] == text("sla.sales", "en", hours="24", attempts="6", mql_to_sql="50.0%",
                                        per_rep="1.1", customers="35")


def test_an_opportunity_pipeline_is_worded_along_its_own_rate():
    # leads 2,770 -> customers 1,207 (43.6%): 2,917 leads for the quarter, 972.3 a month; each of 4 reps takes
    # on 972.33 / 21 / 4 = 11.6 new leads a working day; the quarter's 1,271 customers.
    sla = draft_sla(client(revenue_goal=3_000_000, average_deal_size=2_361),
                    funnel(leads=[2770], customers=[1207]), load_benchmarks())
    marketing, sales = said(sla)
    assert marketing == text("sla.marketing_direct", "en", leads="972.3", rate="43.6%", target="customers")
    assert sales == text("sla.sales_direct", "en", handed="new lead", hours="24", attempts="6", per_rep="11.6",
                         rate="43.6%", source="leads", customers="1,271")
    assert "MQL" not in marketing + sales  # the client tracks none


def test_the_quarter_is_rounded_up_once_and_a_month_is_a_third_of_it():
    # 100000 / 7000 = 14.29 customers: 15 for the quarter, rounded up once. SQL->customer 10/40 = 1/4,
    # MQL->SQL 40/80 = 1/2, lead->MQL 80/400 = 1/5: 15 x 4 = 60 SQLs, x 2 = 120 MQLs, x 5 = 600 leads.
    sla = draft_sla(client(revenue_goal=100_000, average_deal_size=7_000),
                    funnel(leads=[400], mql=[80], sql=[40], customers=[10]), load_benchmarks())
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == (15, 60, 120, 600)
    # a month is a third of the quarter, not rounded again: 5 customers, 20 SQLs, 40 MQLs, 200 leads
    m = sla.per_month
    assert (m.customers, m.sql, m.mql, m.leads) == pytest.approx((5, 20, 40, 200))
    assert [sla.quarterly(s) for s in ("customers", "sql", "mql", "leads")] == [15, 60, 120, 600]


def test_a_goal_of_25_customers_is_25_everywhere_never_3_months_of_9():
    # R$1,200,000 at R$48,000 a deal: exactly 25 customers. A month is 25 / 3 = 8.33, never rounded up to 9
    # and multiplied back into 27.
    sla = draft_sla(client(revenue_goal=1_200_000, average_deal_size=48_000),
                    funnel(leads=[1000], mql=[300], sql=[100], customers=[25]), load_benchmarks())
    assert sla.quarterly("customers") == 25
    assert sla.monthly("customers") == pytest.approx(25 / 3)
    # 25 / 0.25 = 100 SQLs, / (1/3) = 300 MQLs, / 0.3 = 1,000 leads for the quarter
    assert [sla.quarterly(s) for s in ("sql", "mql", "leads")] == [100, 300, 1000]


def test_exact_figures_are_not_rounded_up_by_floating_point_noise():
    # 60000 / 2000 = 30 customers; / (90/200) = 66.67 -> 67 SQLs; 66.67 / (200/900) = 300 MQLs exactly (in floats
    # 300.00000000000006), never 301; / (900/6000) = 2000 leads.
    sla = draft_sla(client(revenue_goal=60_000, average_deal_size=2_000),
                    funnel(leads=[6000], mql=[900], sql=[200], customers=[90]), load_benchmarks())
    assert [sla.quarterly(s) for s in ("customers", "sql", "mql", "leads")] == [30, 67, 300, 2000]
    assert sla.per_month.mql == pytest.approx(300 / 3)


# ------------------------------------------------------------------ benchmarks

def test_a_stage_the_client_does_not_track_is_stepped_over_along_its_own_rates():
    # No sql column: the client's own MQL->customer rate, 30 / 300 = 10% over 300 MQLs, carries the MQLs;
    # lead->MQL 300/1000 the leads. The SQLs get no volume (not tracked), and no public rate is used.
    sla = draft_sla(client(), funnel(leads=[1000], mql=[300], customers=[30]), load_benchmarks())
    rates = rates_of(sla)
    assert list(rates) == ["mql_to_customer", "lead_to_mql"]
    assert rates["mql_to_customer"].value == pytest.approx(30 / 300)
    assert rates["mql_to_customer"].basis == 300
    assert all(r.origin == "observed" for r in rates.values())
    # 300,000 / 10,000 = 30 customers; / 0.1 = 300 MQLs; / 0.3 = 1,000 leads
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == (30, None, 300, 1000)
    assert sla.origins == {"customers": "goal", "sql": "not_tracked", "mql": "observed", "leads": "observed"}
    assert sla.own_path
    assert sla.current_per_month["sql"] is None
    assert sla.current_per_month["leads"] == pytest.approx(1000 / 3)


def test_an_opportunity_pipeline_is_worked_back_along_its_own_lead_to_customer_rate():
    # One row per opportunity, no MQL or SQL stage: 2,770 entered in the quarter, 1,207 won (43.6%). Goal
    # $3,000,000 at $2,361 a deal: 1,270.65 -> 1,271 customers; 1,271 / (1,207 / 2,770) = 2,916.86 -> 2,917
    # leads for the quarter, 972.3 a month, against 2,770 / 3 = 923.3 today. (Three public rates chained,
    # 23.5% x 35.5% x 29%, would have asked for about 17,500 a month: 18 times the client's own figure.)
    sla = draft_sla(client(revenue_goal=3_000_000, average_deal_size=2_361, currency="USD"),
                    funnel(leads=[2770], customers=[1207]), load_benchmarks())
    assert [(r.name, r.origin, r.basis) for r in sla.rates] == [("lead_to_customer", "observed", 2770)]
    assert sla.quarterly("customers") == 1271
    assert sla.quarterly("leads") == 2917
    assert sla.monthly("leads") == pytest.approx(2917 / 3)  # 972.33
    assert (sla.quarter.sql, sla.quarter.mql) == (None, None)
    assert sla.handover == "leads"
    assert sla.handover_per_rep_per_day == pytest.approx(2917 / 3 / 21 / 4)
    assert sla.own_path


def test_a_thin_own_rate_gives_way_to_the_public_one_and_the_leads_are_then_no_headline():
    # 20 leads, 2 customers: 10% over 20 leads is too few cases (fewer than 30). Leads are tracked, so the
    # public rates step from leads to customers, all three chained, and fill the stages between:
    # 30 / 0.29 = 103.4 -> 104 SQLs, / 0.355 = 291.4 -> 292 MQLs, / 0.235 = 1,240.0 leads.
    sla = draft_sla(client(), funnel(leads=[20], customers=[2]), load_benchmarks())
    assert [r.name for r in sla.rates] == ["sql_to_customer", "mql_to_sql", "lead_to_mql"]
    assert (sla.quarterly("sql"), sla.quarterly("mql")) == (104, 292)
    assert all(r.origin == "benchmark" for r in sla.rates)
    leads = 30 / ((0.28 + 0.30) / 2) / ((0.31 + 0.40) / 2) / ((0.07 + 0.40) / 2)
    assert sla.quarterly("leads") == math.ceil(leads)
    assert sla.origins == {"customers": "goal", "sql": "benchmark", "mql": "benchmark", "leads": "benchmark"}
    assert not sla.own_path


def test_without_a_funnel_every_rate_is_a_benchmark():
    sla = draft_sla(client(), None, load_benchmarks())
    rates = rates_of(sla)
    assert all(r.origin == "benchmark" for r in rates.values())
    assert all(r.observed is None for r in rates.values())
    assert rates["lead_to_mql"].value == pytest.approx((LEAD_TO_MQL_LOW + LEAD_TO_MQL_HIGH) / 2)  # 0.235
    assert rates["lead_to_mql"].source is not None
    assert rates["lead_to_mql"].source.publisher == "Four Quadrant; MarketingSherpa"
    # 30 / 0.29 = 103.45 -> 104 SQLs; 103.45 / 0.355 = 291.40 -> 292 MQLs; 291.40 / 0.235 = 1,240.02 -> 1,241 leads
    assert [sla.quarterly(s) for s in ("sql", "mql", "leads")] == [104, 292, 1241]
    assert sla.current_per_month == {"leads": None, "mql": None, "sql": None, "customers": None}
    # 292 / 3 = 97.3 MQLs and 1,241 / 3 = 413.7 leads a month
    assert said(sla)[0] == text("sla.marketing", "en", mql="97.3", leads="413.7", lead_to_mql="23.5%")
    assert not sla.own_path


def test_zero_observed_rate_falls_back_to_the_benchmark():
    # 100 SQLs but no customer yet: a 0% SQL->customer rate would mean infinitely many SQLs.
    sla = draft_sla(client(), funnel(leads=[1000], mql=[300], sql=[100], customers=[0]), load_benchmarks())
    s2c = rates_of(sla)["sql_to_customer"]
    assert s2c.origin == "benchmark"
    assert s2c.observed == 0.0
    assert s2c.value == pytest.approx((0.28 + 0.30) / 2)
    assert rates_of(sla)["mql_to_sql"].origin == "observed"
    assert sla.quarterly("sql") == 104  # 30 / 0.29 = 103.45, rounded up
    # the MQLs rest on the client's own MQL->SQL rate, but under a public one: not the client's own path
    assert sla.origins["mql"] == "benchmark" and not sla.own_path


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
    assert (q.customers, q.sql, q.mql, q.leads) == (10, 40, 80, 400)
    # 80 / 3 = 26.7 MQLs and 400 / 3 = 133.3 leads a month
    assert said(sla)[0] == text("sla.marketing", "en", mql="26.7", leads="133.3", lead_to_mql="20.0%")
