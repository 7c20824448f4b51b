"""Channel economics: rates and costs per channel, the ranking, and where to move effort.

Every expected value is worked out by hand from the literal inputs of the test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from smarketing_assess.core.catalogs import text
from smarketing_assess.model.channels import analyse_channels
from smarketing_assess.presenting.texts import Words

COLUMNS = ["channel", "visitors", "leads", "mql", "customers", "spend", "revenue", "notes"]


def channel(name: str, visitors: float | None, leads: float, customers: float, spend: float,
            *, mql: float | None = None, revenue: float | None = None, notes: str = "") -> dict[str, object]:
    return dict(channel=name, visitors=visitors, leads=leads, mql=mql, customers=customers,
                spend=spend, revenue=revenue, notes=notes)


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    """The DataFrame read_channels returns: numbers as float64, blank cells as NaN."""
    df = pd.DataFrame(list(rows), columns=COLUMNS)
    for c in COLUMNS[1:-1]:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df


def analyse(*rows: dict[str, object]):
    return analyse_channels(frame(*rows))


def said(rec, currency: str = "EUR", language: str = "en") -> str:
    """The recommendation as a report says it."""
    return Words.of(language, currency).recommendation(rec)


ORGANIC = channel("Organic search", 20000, 400, 10, 5000)  # CPC 5000/10 = 500, lead->customer 10/400
PAID = channel("Paid search", 10000, 300, 2, 30000)  # CPC 30000/2 = 15000, lead->customer 2/300
FAIRS = channel("Trade fairs", None, 100, 4, 8000, notes="Sales: fair contacts close fast")  # CPC 2000, 4/100
WEBINARS = channel("Webinars", 5000, 200, 2, 2000, mql=60, revenue=24000)  # CPC 1000, 2/200


def by_name(result):
    return {c.channel: c for c in result.channels}


# ------------------------------------------------------------------ per channel

def test_rates_and_costs_per_channel():
    c = by_name(analyse(ORGANIC, PAID, FAIRS, WEBINARS))
    organic = c["Organic search"]
    assert organic.visitor_to_lead == pytest.approx(400 / 20000)
    assert organic.lead_to_customer == pytest.approx(10 / 400)
    assert organic.cost_per_lead == pytest.approx(5000 / 400)
    assert organic.cost_per_customer == pytest.approx(5000 / 10)
    paid = c["Paid search"]
    assert paid.visitor_to_lead == pytest.approx(300 / 10000)
    assert paid.lead_to_customer == pytest.approx(2 / 300)
    assert paid.cost_per_lead == pytest.approx(30000 / 300)
    assert paid.cost_per_customer == pytest.approx(30000 / 2)
    webinars = c["Webinars"]
    assert (webinars.mql, webinars.revenue) == (60, 24000)
    assert webinars.cost_per_customer == pytest.approx(2000 / 2)


def test_blank_visitors_means_no_visitor_to_lead_rate():
    fairs = by_name(analyse(ORGANIC, FAIRS))["Trade fairs"]
    assert fairs.visitors is None
    assert fairs.visitor_to_lead is None
    # Everything else is still computed.
    assert fairs.lead_to_customer == pytest.approx(4 / 100)
    assert fairs.cost_per_lead == pytest.approx(8000 / 100)
    assert fairs.cost_per_customer == pytest.approx(8000 / 4)
    assert fairs.notes == "Sales: fair contacts close fast"
    assert (fairs.mql, fairs.revenue) == (None, None)


def test_more_leads_than_visitors_leaves_the_visitor_rate_out():
    events = by_name(analyse(ORGANIC, channel("Events", 50, 80, 2, 1000)))["Events"]
    assert events.visitor_to_lead is None
    assert events.lead_to_customer == pytest.approx(2 / 80)


def test_channel_without_customers_or_leads_has_no_cost_per_customer():
    c = by_name(analyse(ORGANIC, channel("Display", 9000, 0, 0, 3000)))["Display"]
    assert c.lead_to_customer is None  # 0 leads
    assert c.cost_per_lead is None
    assert c.cost_per_customer is None


def test_totals_and_blended_cost_per_customer():
    r = analyse(ORGANIC, PAID, FAIRS, WEBINARS)
    assert r.total_spend == 5000 + 30000 + 8000 + 2000
    assert r.total_customers == 10 + 2 + 4 + 2
    assert r.blended_cost_per_customer == pytest.approx((5000 + 30000 + 8000 + 2000) / (10 + 2 + 4 + 2))


# --------------------------------------------------------------------- ranking

def test_ranking_cheapest_cost_per_customer_first():
    r = analyse(PAID, WEBINARS, FAIRS, ORGANIC)
    # CPC: organic 500, webinars 1000, fairs 2000, paid 15000
    assert [c.channel for c in r.channels] == ["Organic search", "Webinars", "Trade fairs", "Paid search"]
    assert [c.rank for c in r.channels] == [1, 2, 3, 4]


def test_channels_without_customers_rank_last_by_spend():
    r = analyse(
        channel("Display", 9000, 90, 0, 12000),
        channel("Podcasts", None, 10, 0, 3000),
        channel("Referrals", None, 20, 2, 0),  # CPC 0
        PAID,  # CPC 15000
    )
    assert [c.channel for c in r.channels] == ["Referrals", "Paid search", "Podcasts", "Display"]


def test_equal_cost_per_customer_ranks_the_better_converting_channel_first():
    r = analyse(
        channel("A", None, 200, 2, 2000),  # CPC 1000, 2/200 = 1%
        channel("B", None, 100, 2, 2000),  # CPC 1000, 2/100 = 2%
    )
    assert [c.channel for c in r.channels] == ["B", "A"]


# -------------------------------------------------------------- recommendation

def test_shift_from_dearest_paid_to_cheapest_good_channel():
    r = analyse(ORGANIC, PAID, FAIRS, WEBINARS)
    rec = r.recommendation
    # lead->customer rates 10/400, 2/300, 4/100, 2/200: median (2/200 + 10/400) / 2 = 0.0175.
    # Organic (0.025) is the cheapest at or above it; Paid search (CPC 15000) the dearest.
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "Paid search", "Organic search")
    # Cost per customer 30000 / 2 = 15000 against 5000 / 10 = 500: 30 times as much.
    assert said(rec) == text("channels.shift", "en", worst="Paid search", worst_cac="€15,000",
                            best="Organic search", best_cac="€500", times="30.0")
    assert "Paid search" in said(rec) and "Organic search" in said(rec)
    assert "€15,000" in said(rec)


def test_cheapest_channel_whose_leads_convert_below_the_median_is_not_the_target():
    display = channel("Display", 50000, 1000, 2, 600)  # CPC 300, but 2/1000 = 0.2%
    r = analyse(display, ORGANIC, PAID, FAIRS, WEBINARS)
    assert r.channels[0].channel == "Display"
    # rates 0.002, 0.025, 0.00667, 0.04, 0.01: median 0.01; Display is below, Organic above.
    assert r.recommendation.kind == "shift"
    assert r.recommendation.to_channel == "Organic search"
    assert r.recommendation.from_channel == "Paid search"


def test_keep_when_costs_are_within_one_and_a_half_times():
    r = analyse(
        channel("A", None, 100, 10, 10000),  # CPC 1000, 10%
        channel("B", None, 100, 5, 7000),  # CPC 1400 < 1.5 * 1000, 5%
    )
    rec = r.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("keep", None, "A")
    # The channel favoured is named with what it rests on: A's 10 customers from 100 leads.
    assert said(rec) == text("channels.keep", "en", best="A", best_customers="10", best_leads="100")


def test_exactly_one_and_a_half_times_is_a_shift():
    # 10,000 leads each, so the evidence is enough: B at best 750,000 / (10,000 x 0.054399) = 1,379
    # a customer, A at worst 1,000,000 / (10,000 x 0.094290) = 1,061 (95% Wilson intervals)
    r = analyse(
        channel("A", None, 10000, 1000, 1000000),  # CPC 1000
        channel("B", None, 10000, 500, 750000),  # CPC 1500 = 1.5 * 1000
    )
    rec = r.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "B", "A")
    assert said(rec) == text("channels.shift", "en", worst="B", worst_cac="€1,500", best="A", best_cac="€1,000")


def test_shift_away_from_a_paid_channel_without_customers():
    r = analyse(
        channel("A", None, 100, 5, 5000),  # CPC 1000
        channel("B", None, 80, 0, 12000),
        channel("C", None, 40, 0, 3000),
    )
    rec = r.recommendation
    # B, the dearest channel without customers, is ranked last.
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "B", "A")
    assert said(rec) == text("channels.shift_no_customers", "en", worst="B", worst_spend="€12,000",
                            best="A", best_cac="€1,000")
    assert "B" in said(rec) and "A" in said(rec) and "€12,000" in said(rec)


def test_shift_from_a_paid_channel_to_a_free_one():
    r = analyse(
        channel("Referrals", None, 50, 5, 0),  # CPC 0, 10%
        channel("Paid", 8000, 100, 2, 10000),  # CPC 5000, 2%
    )
    rec = r.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "Paid", "Referrals")
    assert said(rec) == text("channels.shift_free", "en", worst="Paid", worst_cac="€5,000",
                            best="Referrals", best_cac="€0")


def test_keep_when_no_other_channel_costs_money():
    r = analyse(
        channel("Referrals", None, 50, 5, 0),
        channel("Partners", None, 40, 1, 0),
    )
    assert (r.recommendation.kind, r.recommendation.to_channel) == ("keep", "Referrals")


def test_too_few_with_one_channel():
    r = analyse(ORGANIC)
    rec = r.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("too_few", None, None)
    assert said(rec) == text("channels.too_few", "en")
    assert r.channels[0].rank == 1


def test_no_channel_with_customers_cannot_guide_the_budget():
    r = analyse(channel("A", None, 100, 0, 5000), channel("B", None, 50, 0, 1000))
    assert r.recommendation.kind == "no_customers"
    assert said(r.recommendation) == text("channels.no_customers", "en")
    assert r.blended_cost_per_customer is None  # 6000 / 0


def test_money_in_the_text_follows_currency_and_language():
    r = analyse(ORGANIC, PAID)
    # Amounts use the Brazilian format (CLDR puts a no-break space after R$).
    assert "R$\u00a015.000" in said(r.recommendation, "BRL", "pt-BR")
    assert "R$\u00a0500" in said(r.recommendation, "BRL", "pt-BR")


def test_unit_costs_under_100_keep_their_cents_and_the_table_has_the_blended_totals(q1_assessment):
    from smarketing_assess.presenting.baseline import BaselineReport

    assert said_cost(14.4) == "€14.40" and said_cost(0) == "€0" and said_cost(750) == "€750"
    section = BaselineReport(q1_assessment, "en").channels()
    # the example's 2026-Q1: 1,350 leads and 21 customers for €105,000: €77.78 a lead, €5,000 a customer
    assert "All channels" in section and "€105,000" in section and "€77.78" in section and "€5,000" in section
    assert "€14.29" in section  # Organic search: €6,000 / 420 leads, no longer rounded to €14


def said_cost(v: float) -> str:
    return Words.of("en", "EUR").cost(v)
