"""Honest uncertainty: Wilson intervals, rates marked when they rest on few cases, and advice
(budget moves, goals, the SLA's rates, belief findings) withheld until the evidence is enough.

Intervals are worked out by hand from the Wilson score formula (z = 1.959964 for 95%):
centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from smarketing_assess.config.playbook import load_playbook
from smarketing_assess.model.channels import analyse_channels
from smarketing_assess.model.evidence import wilson
from smarketing_assess.model.goals import propose_goals
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.evidence import MIN_BASIS
from tests.test_channels import channel, frame


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # 8 of 420: p = 0.019048, z²/n = 0.009146, centre = 0.023407, half-width = 0.013724
    (8, 420, 0.009683, 0.037131),
    # 0 of 30: the interval is [0, z²/(n + z²)] = [0, 3.841459 / 33.841459]
    (0, 30, 0.0, 0.113513),
    # 30 of 30: [n/(n + z²), 1] = [30 / 33.841459, 1]
    (30, 30, 0.886487, 1.0),
    # 2 of 260 (LinkedIn in the example's 2026-Q1): centre 0.014860, half-width 0.012748
    (2, 260, 0.002112, 0.027608),
])
def test_wilson_intervals_by_hand(k, n, low, high):
    interval = wilson(k, n)
    assert interval is not None
    assert (interval.low, interval.high) == (pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6))


def test_wilson_is_none_when_it_is_not_a_share():
    assert wilson(1, 0) is None and wilson(5, 4) is None and wilson(-1, 4) is None


def test_wilson_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    for k, n in [(0, 1), (1, 2), (3, 29), (17, 30), (40, 1350), (999, 1000), (21, 1350)]:
        ours = wilson(k, n)
        theirs = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert ours is not None
        assert (ours.low, ours.high) == (pytest.approx(theirs.low, abs=1e-12), pytest.approx(theirs.high, abs=1e-12))


def test_funnel_rates_carry_their_basis_interval_and_a_mark_below_the_minimum(q1_assessment):
    f = q1_assessment.funnel
    assert f is not None
    rate = f.rates["lead_to_customer"]  # 21 customers of 1,350 leads in the example's 2026-Q1
    assert (rate.numerator, rate.denominator) == (21, 1350)
    # p = 0.015556, z²/n = 0.0028455: centre 0.016950, half-width 0.006663
    assert (rate.low, rate.high) == (pytest.approx(0.010197, abs=1e-6), pytest.approx(0.023664, abs=1e-6))
    assert rate.enough
    thin = f.rates["opportunity_to_customer"]  # 21 of 71 opportunities: enough; check the bound
    assert thin.denominator == 71 and thin.enough
    assert MIN_BASIS == 30


def example_channels(**customers: float):
    """The example's 2026-Q1 channels, with the customers changed where given."""
    rows = [("Organic search", 30000, 420, 8, 6000), ("Paid search", 15000, 380, 4, 38000),
            ("LinkedIn ads", 9000, 260, 2, 30000), ("Trade fairs", None, 150, 5, 27000),
            ("Webinars", 4500, 140, 2, 4000)]
    return analyse_channels(frame(*(channel(name, visitors, leads, customers.get(name, won), spend)
                                    for name, visitors, leads, won, spend in rows)))


def test_the_example_moves_budget_on_enough_evidence():
    rec = example_channels().recommendation
    # LinkedIn ads: 30,000 / 2 = 15,000 a customer, dearest; Organic search 6,000 / 8 = 750, cheapest.
    # At the favourable ends: LinkedIn 30,000 / (260 x 0.027608) = 4,179 a customer at best;
    # Organic 6,000 / (420 x 0.009683) = 1,475 at worst: 4,179 > 1,475, so the difference is real.
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "LinkedIn ads", "Organic search")
    said = Words.of("en", "EUR").recommendation(rec)
    assert said.startswith("Move part of the budget from LinkedIn ads (cost per customer €15,000) to Organic search")


def test_one_customer_per_channel_gives_a_data_request_not_a_budget_move():
    analysis = example_channels(**{name: 1 for name in
                                   ("Organic search", "Paid search", "LinkedIn ads", "Trade fairs", "Webinars")})
    rec = analysis.recommendation
    # cheapest is Webinars (4,000 for its one customer), dearest Paid search (38,000); at the favourable
    # ends Paid search costs 38,000 / (380 x 0.014686) = 6,809 and Webinars 4,000 / (140 x 0.001262)
    # = 22,640: the intervals overlap, so no move
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("more_data", "Paid search", "Webinars")
    assert (rec.from_leads, rec.from_customers, rec.to_leads, rec.to_customers) == (380, 1, 140, 1)
    said = Words.of("en", "EUR").recommendation(rec)
    assert "Move part of the budget" not in said
    assert said.startswith("Not enough evidence yet to move budget from Paid search to Webinars. Customers won: "
                           "1 from 380 leads at Paid search, 1 from 140 at Webinars.")
    assert "(€38,000 against €4,000)" in said


def test_the_quarters_needed_are_the_first_at_which_the_intervals_part():
    stats = pytest.importorskip("scipy.stats")
    # 1,500 and 10,000 a customer; today B costs 10,000 / (400 x 0.014023) = 1,783 at best and
    # A 3,000 / (300 x 0.001830) = 5,464 at worst: not apart
    cheap, dear = ("A", 300, 2, 3000), ("B", 400, 1, 10000)
    rec = analyse_channels(frame(*(channel(n, None, leads, won, spend) for n, leads, won, spend in (cheap, dear))))
    assert rec.recommendation.kind == "more_data"

    def apart(m: int) -> bool:  # the rule, with SciPy's intervals over m quarters at today's volumes
        d = stats.binomtest(dear[2] * m, dear[1] * m).proportion_ci(method="wilson")
        c = stats.binomtest(cheap[2] * m, cheap[1] * m).proportion_ci(method="wilson")
        return dear[3] / (dear[1] * d.high) > cheap[3] / (cheap[1] * c.low)

    expected = next(m for m in range(2, 9) if apart(m))
    assert rec.recommendation.quarters == expected
    assert not apart(expected - 1)


def test_too_few_leads_in_a_channel_is_never_enough():
    rows = [channel("A", None, 29, 10, 1000), channel("B", None, 29, 1, 50000)]
    assert analyse_channels(frame(*rows)).recommendation.kind == "more_data"


def test_a_goal_resting_on_a_rate_over_too_few_cases_is_held_back():
    facts = {"followup.share": 0.5}  # work_every_lead: below 0.8 -> aim for 0.9
    goals, held = propose_goals(facts, load_playbook(), date(2026, 6, 30), {"followup.share": 12})
    assert "work_every_lead" not in [g.id for g in goals]
    assert [(h.id, h.fact, h.basis, h.needed) for h in held] == [("work_every_lead", "followup.share", 12, 30)]
    goals, held = propose_goals(facts, load_playbook(), date(2026, 6, 30), {"followup.share": 30})
    assert "work_every_lead" in [g.id for g in goals] and held == []


def test_the_sla_uses_a_public_range_instead_of_a_rate_over_too_few_cases(q1_assessment):
    from smarketing_assess.config.benchmarks import load_benchmarks
    from smarketing_assess.config.client import ClientProfile
    from smarketing_assess.model.sla import draft_sla
    from smarketing_assess.records.funnel import Rate

    funnel = q1_assessment.funnel
    client = ClientProfile(name="Acme", currency="EUR", revenue_goal=400_000, average_deal_size=15_000, sales_reps=5)
    # 8 SQLs of 20 MQLs: 40%, over fewer than 30 cases: the public MQL->SQL range stands in, named as such
    thin = dataclasses.replace(funnel, counts=dict(funnel.counts, mql=20.0, sql=8.0),
                               rates=dict(funnel.rates, mql_to_sql=Rate("mql_to_sql", 0.4, 8, 20)))
    used = draft_sla(client, thin, load_benchmarks()).rate("mql_to_sql")
    assert used is not None and (used.origin, used.observed, used.basis) == ("benchmark", 0.4, 20)
    assert used.value == load_benchmarks().rates["mql_to_sql"].middle
    own = draft_sla(client, funnel, load_benchmarks()).rate("mql_to_sql")  # the example's 127 SQLs of 420 MQLs
    assert own is not None and (own.origin, own.basis) == ("observed", 420)


def test_the_report_gives_the_advice_on_the_example_and_asks_for_data_on_one_customer_per_channel(q1_assessment):
    from smarketing_assess.presenting.baseline import BaselineReport

    advice = BaselineReport(q1_assessment, "en").channels()
    assert "Move part of the budget from LinkedIn ads" in advice and "Not enough evidence" not in advice
    ones = example_channels(**{name: 1 for name in
                               ("Organic search", "Paid search", "LinkedIn ads", "Trade fairs", "Webinars")})
    thin = dataclasses.replace(q1_assessment, channels=ones)
    request = BaselineReport(thin, "en").channels()
    assert "Move part of the budget" not in request
    assert "Not enough evidence yet to move budget from Paid search to Webinars" in request
    assert "record leads and customers per channel every month" in request
    # every channel has at least 30 leads, so no rate is marked; Webinars' 1 of 140 has the interval
    # 0.0071 + 0.0137 = 0.0203 over 1.0274, plus or minus 0.0190: 0.13% to 3.93%
    assert 'class="thin"' not in request and "0.1%–3.9%" in request


def test_segments_show_without_a_channels_file_and_no_cost_chart_without_spend(q1_assessment):
    from smarketing_assess.presenting.baseline import BaselineReport
    from smarketing_assess.records.assessment import CrmView

    crm = CrmView("cohort", "generic", {}, [{"segment": "Manufacturing", "leads": 40, "customers": 2}], None, None,
                  {}, {})
    section = BaselineReport(dataclasses.replace(q1_assessment, channels=None, crm=crm), "en").channels()
    assert "No channel figures were provided" in section and "Manufacturing" in section
    assert "5.0%" in section  # 2 of 40
    unpaid = analyse_channels(frame(channel("A", None, 100, 5, float("nan")), channel("B", None, 80, 2, float("nan"))))
    section = BaselineReport(dataclasses.replace(q1_assessment, channels=unpaid), "en").channels()
    assert "<img" not in section and "Spend per channel is not in the data" in section
