"""Funnel arithmetic: stage counts, stage-to-stage rates, per-month averages and follow-up.

Every expected value is worked out by hand from the literal inputs of the test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from smarketing_assess.core.stages import STAGES
from smarketing_assess.model.funnel import analyse_funnel, stage_rate
from smarketing_assess.model.inputs import FUNNEL_EXTRAS, FunnelData
from smarketing_assess.presenting import formatting as fmt


def funnel_data(index: list[str], **columns: list[float]) -> FunnelData:
    """FunnelData as the reader builds it: one row per label in `index`, the given columns."""
    frame = pd.DataFrame({k: [float(v) for v in vs] for k, vs in columns.items()},
                         index=pd.Index(index, name="month"))
    stages = tuple(s for s in STAGES if s in columns)
    extras = tuple(e for e in FUNNEL_EXTRAS if e in columns)
    return FunnelData(frame=frame, stages=stages, extras=extras, months=len(index))


def quarter(**columns: float) -> FunnelData:
    """A single row standing for the whole quarter 2026-Q1."""
    return funnel_data(["2026-Q1"], **{k: [v] for k, v in columns.items()})


MONTHS = ["2026-01", "2026-02", "2026-03"]


# ------------------------------------------------------------------ the worked figure

def test_worked_figure_from_the_domain():
    # 10 leads, 3 of them qualified, 1 customer; only those three stages tracked.
    r = analyse_funnel(quarter(leads=10, mql=3, customers=1))
    assert r.stages == ("leads", "mql", "customers")
    assert r.rate("lead_to_mql") == pytest.approx(3 / 10)
    assert r.rate("mql_to_customer") == pytest.approx(1 / 3)
    assert r.rate("lead_to_customer") == pytest.approx(1 / 10)
    lead_to_mql = r.rates["lead_to_mql"]
    assert (lead_to_mql.numerator, lead_to_mql.denominator, lead_to_mql.unavailable) == (3, 10, None)
    # As a reader sees them: 30% and 33.3%.
    assert fmt.percent(r.rate("lead_to_mql"), "en") == "30.0%"
    assert fmt.percent(r.rate("mql_to_customer"), "en") == "33.3%"


def test_counts_of_untracked_stages_are_none_not_zero():
    r = analyse_funnel(quarter(leads=10, mql=3, customers=1))
    assert r.counts == {"visitors": None, "leads": 10, "mql": 3, "sal": None, "sql": None,
                        "opportunities": None, "customers": 1}
    assert r.per_month["sql"] is None
    assert r.revenue is None


@pytest.mark.parametrize(("name", "reason"), [
    ("visitor_to_lead", "not_tracked:visitors"),
    ("mql_to_sal", "not_tracked:sal"),
    ("sal_to_sql", "not_tracked:sal"),
    ("sql_to_opportunity", "not_tracked:sql"),
    ("opportunity_to_customer", "not_tracked:opportunities"),
    ("mql_to_sql", "not_tracked:sql"),
    ("sql_to_customer", "not_tracked:sql"),
])
def test_rate_a_missing_stage_prevents_is_unavailable(name, reason):
    r = analyse_funnel(quarter(leads=10, mql=3, customers=1))
    rate = r.rates[name]
    assert rate.value is None
    assert rate.unavailable == reason
    assert r.rate(name) is None


def test_no_rate_is_ever_reported_as_zero_for_missing_data():
    r = analyse_funnel(quarter(leads=10, mql=3, customers=1))
    for rate in r.rates.values():
        assert rate.value is None or rate.value > 0, rate


def test_unknown_rate_name_is_none():
    assert analyse_funnel(quarter(leads=10)).rate("lead_to_unicorn") is None


# ---------------------------------------------------------------- zero denominators

def test_zero_denominator_is_unavailable_with_the_empty_stage():
    r = analyse_funnel(quarter(leads=10, mql=0, customers=0))
    # 0 MQLs out of 10 leads is a measured 0, not a missing rate ...
    assert r.rate("lead_to_mql") == 0.0
    assert r.rates["lead_to_mql"].unavailable is None
    # ... but nothing can be divided by the empty MQL stage.
    assert r.rates["mql_to_customer"].value is None
    assert r.rates["mql_to_customer"].unavailable == "zero:mql"


def test_zero_leads_makes_every_rate_from_leads_unavailable():
    r = analyse_funnel(quarter(visitors=500, leads=0, mql=0, customers=0))
    assert r.rate("visitor_to_lead") == 0.0  # 0 / 500
    for name in ("lead_to_mql", "lead_to_customer"):
        assert r.rates[name].value is None
        assert r.rates[name].unavailable == "zero:leads"


def test_stage_rate_reports_the_missing_stage_before_the_empty_one():
    counts = {"mql": 0.0, "sql": None}
    rate = stage_rate(counts, "mql", "sql")
    assert (rate.name, rate.value, rate.unavailable) == ("mql_to_sql", None, "not_tracked:sql")


# ------------------------------------------------------------------------- bridging

def test_rate_bridges_an_untracked_stage():
    # No sal and no opportunities column: MQL -> SQL and SQL -> customer still computed.
    r = analyse_funnel(quarter(visitors=2000, leads=100, mql=40, sql=10, customers=4))
    assert r.rate("mql_to_sql") == pytest.approx(10 / 40)
    assert r.rate("sql_to_customer") == pytest.approx(4 / 10)
    assert r.rates["mql_to_sql"].numerator == 10
    assert r.rates["mql_to_sql"].denominator == 40
    # The adjacent rates through the missing stages are unavailable.
    assert r.rates["mql_to_sal"].unavailable == "not_tracked:sal"
    assert r.rates["sal_to_sql"].unavailable == "not_tracked:sal"
    assert r.rates["sql_to_opportunity"].unavailable == "not_tracked:opportunities"
    # Adjacent tracked stages as usual.
    assert r.rate("visitor_to_lead") == pytest.approx(100 / 2000)
    assert r.rate("lead_to_mql") == pytest.approx(40 / 100)
    assert r.rate("lead_to_customer") == pytest.approx(4 / 100)


def test_full_funnel_gives_every_adjacent_rate():
    r = analyse_funnel(quarter(visitors=1000, leads=200, mql=80, sal=60, sql=30, opportunities=15, customers=5))
    expected = {
        "visitor_to_lead": 200 / 1000,
        "lead_to_mql": 80 / 200,
        "mql_to_sal": 60 / 80,
        "sal_to_sql": 30 / 60,
        "sql_to_opportunity": 15 / 30,
        "opportunity_to_customer": 5 / 15,
        "lead_to_customer": 5 / 200,
        "mql_to_customer": 5 / 80,
        "mql_to_sql": 30 / 80,
        "sql_to_customer": 5 / 30,
    }
    assert set(r.rates) == set(expected)
    for name, value in expected.items():
        assert r.rate(name) == pytest.approx(value), name


def test_more_leads_than_visitors_leaves_visitor_to_lead_out():
    r = analyse_funnel(quarter(visitors=50, leads=80, mql=20))
    assert r.rates["visitor_to_lead"].value is None
    assert r.rates["visitor_to_lead"].unavailable == "more_leads_than_visitors"
    assert r.rate("lead_to_mql") == pytest.approx(20 / 80)


def test_as_many_leads_as_visitors_is_still_a_rate():
    r = analyse_funnel(quarter(visitors=80, leads=80))
    assert r.rate("visitor_to_lead") == pytest.approx(80 / 80)


# ------------------------------------------------------------------- per month

def test_three_monthly_rows_are_summed_and_averaged():
    r = analyse_funnel(funnel_data(MONTHS, leads=[100, 120, 140], mql=[30, 36, 45], revenue=[1000, 2000, 4500]))
    assert r.months == 3
    assert r.counts["leads"] == 100 + 120 + 140
    assert r.counts["mql"] == 30 + 36 + 45
    assert r.per_month["leads"] == pytest.approx((100 + 120 + 140) / 3)  # 120
    assert r.per_month["mql"] == pytest.approx((30 + 36 + 45) / 3)  # 37
    assert r.per_month["customers"] is None
    assert r.rate("lead_to_mql") == pytest.approx((30 + 36 + 45) / (100 + 120 + 140))
    assert r.monthly == {
        "2026-01": {"leads": 100, "mql": 30},
        "2026-02": {"leads": 120, "mql": 36},
        "2026-03": {"leads": 140, "mql": 45},
    }
    assert r.revenue == 1000 + 2000 + 4500


def test_single_quarter_row_is_divided_by_three_months():
    r = analyse_funnel(quarter(leads=360, mql=90))
    assert r.per_month["leads"] == pytest.approx(360 / 3)
    assert r.per_month["mql"] == pytest.approx(90 / 3)
    assert r.monthly == {"2026-Q1": {"leads": 360, "mql": 90}}


def test_months_missing_from_the_period_average_over_the_months_present():
    r = analyse_funnel(funnel_data(["2026-01", "2026-02"], leads=[100, 200]))
    assert r.per_month["leads"] == pytest.approx((100 + 200) / 2)


# ------------------------------------------------------------------- follow-up

def test_followup_share_and_median_hours():
    r = analyse_funnel(funnel_data(MONTHS, leads=[100, 100, 100], mql=[10, 20, 30],
                                   followed_up=[8, 14, 21], hours_to_first_contact=[30, 20, 26]))
    assert r.followup.followed_up == 8 + 14 + 21
    assert r.followup.share == pytest.approx((8 + 14 + 21) / (10 + 20 + 30))
    assert r.followup.hours_to_first_contact == pytest.approx(26)  # median of 20, 26, 30


def test_followup_median_of_an_even_number_of_months():
    r = analyse_funnel(funnel_data(["2026-01", "2026-02"], leads=[10, 10], mql=[5, 5],
                                   hours_to_first_contact=[10, 31]))
    assert r.followup.hours_to_first_contact == pytest.approx((10 + 31) / 2)
    assert r.followup.followed_up is None
    assert r.followup.share is None


def test_followup_without_data_is_unknown():
    r = analyse_funnel(quarter(leads=10, mql=3))
    assert (r.followup.followed_up, r.followup.share, r.followup.hours_to_first_contact) == (None, None, None)


def test_followup_share_without_mqls_is_unknown():
    r = analyse_funnel(quarter(leads=10, mql=0, followed_up=0))
    assert r.followup.followed_up == 0
    assert r.followup.share is None
    r = analyse_funnel(quarter(leads=10, followed_up=4))  # MQLs not tracked
    assert r.followup.share is None
