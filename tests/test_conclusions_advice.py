"""The advice and the goals rest on enough evidence, and say what they rest on.

Small cases shaped like what real exports gave; every expected figure is worked out by hand in
the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from smarketing_assess.model.channels import analyse_channels
from smarketing_assess.model.evidence import clearly_higher
from smarketing_assess.presenting.texts import Words

COLUMNS = ["channel", "visitors", "leads", "mql", "customers", "spend", "revenue", "notes"]
LANGUAGES = ("en", "pt-BR", "es", "it")


def unpaid(*rows: tuple[str, float, float]) -> pd.DataFrame:
    """A channels table as read from a channels.csv without spend: (channel, leads, customers) rows."""
    df = pd.DataFrame([dict(channel=name, visitors=None, leads=leads, mql=None, customers=won, spend=None,
                            revenue=None, notes="") for name, leads, won in rows], columns=COLUMNS)
    for c in COLUMNS[1:-1]:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df


def said(rec, language: str = "en") -> str:
    return Words.of(language, "EUR").recommendation(rec)


# ------------------------------------------------ finding 3: advice on 1 to 21 leads

def test_no_channel_is_called_the_best_converter_on_one_to_twenty_one_leads():
    # Live Chat 2 of 2 leads (100%), Organic 1 of 21, "(not set)" 1 of 7, Email 0 of 1: no
    # named channel has 30 leads, so no channel is compared, let alone called the best.
    rec = analyse_channels(unpaid(("Live Chat", 2, 2), ("Organic search", 21, 1), ("(not set)", 7, 1),
                                  ("Email", 1, 0))).recommendation
    assert (rec.kind, rec.to_channel, rec.from_channel) == ("no_spend_thin", None, None)
    for language in LANGUAGES:
        words = said(rec, language)
        assert "Live Chat" not in words and "100" not in words and "channels.csv" in words
        assert "30" in words  # the leads a channel needs before it is compared
    assert said(rec).endswith("Fewer than two named channels have the 30 leads it takes to compare how well "
                              "their leads turn into customers, so no channel is favoured yet.")


def test_a_not_set_channel_is_never_advised_and_close_rates_are_not_ranked():
    # "(not set)" converts best (100 of 500 = 20%) but is nowhere to move effort to. Of the named
    # channels, Organic 5 of 100 (Wilson 95%: 2.2%-11.2%) and Paid 4 of 100 (1.6%-9.8%) overlap.
    rec = analyse_channels(unpaid(("(not set)", 500, 100), ("Organic search", 100, 5),
                                  ("Paid search", 100, 4))).recommendation
    assert (rec.kind, rec.to_channel, rec.from_channel) == ("no_spend_close", "Organic search", "Paid search")
    assert (rec.to_customers, rec.to_leads, rec.from_customers, rec.from_leads) == (5, 100, 4, 100)
    words = said(rec)
    assert "(not set)" not in words
    assert ("No channel turns its leads into customers clearly more often than the others: Organic search won "
            "5 customers from 100 leads and Paid search 4 from 100") in words
    for language in LANGUAGES:
        assert "(not set)" not in said(rec, language) and "Organic search" in said(rec, language)


def test_the_best_converter_is_named_only_when_the_intervals_part_with_its_figures():
    # Webinars 30 of 100: centre (0.3 + 1.96^2/200) / (1 + 1.96^2/100) = 0.319208 / 1.038415 = 0.30740,
    # half-width 1.96 / 1.038415 x sqrt(0.3 x 0.7 / 100 + 1.96^2 / 40000) = 1.88749 x 0.046862 = 0.08845:
    # 21.9%-39.6%. Fairs 5 of 100: centre 0.069208 / 1.038415 = 0.06665, half 1.88749 x 0.023897 = 0.04511:
    # 2.2%-11.2%. 21.9% > 11.2%: Webinars converts clearly better; Live Chat (2 of 2) is not compared.
    rec = analyse_channels(unpaid(("Fairs", 100, 5), ("Webinars", 100, 30), ("Live Chat", 2, 2))).recommendation
    assert (rec.kind, rec.to_channel, rec.from_channel) == ("no_spend", "Webinars", "Fairs")
    assert said(rec).endswith("Meanwhile Webinars turns a clearly larger share of its leads into customers "
                              "(30.0%: 30 customers from 100 leads) than the next channel, Fairs (5 from 100), "
                              "by more than chance alone can produce.")
    assert "(30,0%: 30 clientes de 100 leads)" in said(rec, "pt-BR")


def test_the_gate_needs_thirty_cases_on_both_sides_and_parted_intervals():
    assert clearly_higher(30, 100, 5, 100)  # 21.9%-39.6% above 2.2%-11.2% (worked above)
    assert not clearly_higher(29, 29, 0, 29)  # 100% against 0%, but 29 cases each
    assert not clearly_higher(5, 100, 4, 100)  # 2.2%-11.2% and 1.6%-9.8% overlap
    assert not clearly_higher(5, 100, 30, 100)  # lower, not higher


@pytest.mark.parametrize("leads", [1, 7, 21])
def test_a_paid_mix_on_too_few_leads_favours_no_channel(leads):
    # Two channels of `leads` leads each, costs within 1.5 times of each other (A 1,000 a customer,
    # B 1,200): keeping the mix would favour A on fewer than 30 leads, so nothing is favoured.
    df = unpaid(("A", leads, 1), ("B", leads, 1))
    df["spend"] = [1000.0, 1200.0]
    rec = analyse_channels(df).recommendation
    assert (rec.kind, rec.to_channel) == ("too_thin", None)
    assert said(rec).startswith("Costs per customer cannot guide the budget yet")


# ------------------------------------ finding 11: a goal's title names what it measures

def test_a_goal_that_falls_back_to_another_metric_is_titled_by_that_metric():
    from datetime import date

    from smarketing_assess.config.playbook import load_playbook
    from smarketing_assess.model.goals import propose_goals

    # No MQL-to-SQL rate: keep_conversion falls back to lead-to-MQL, 20% today, a tenth more is 22%.
    (goal,), _ = propose_goals({"rate.lead_to_mql": 0.2}, load_playbook(), date(2026, 6, 30))
    assert (goal.id, goal.metric) == ("keep_conversion", "rate.lead_to_mql")
    titles = {language: Words.of(language, "EUR").goal(goal)[0] for language in LANGUAGES}
    assert titles == {"en": "Raise lead-to-MQL conversion by a tenth",
                      "pt-BR": "Aumentar em um décimo a conversão de lead para MQL",
                      "es": "Aumentar en una décima parte la conversión de lead a MQL",
                      "it": "Aumentare di un decimo la conversione da lead a MQL"}
    # With the MQL-to-SQL rate, the same goal says so.
    (first,), _ = propose_goals({"rate.mql_to_sql": 0.3}, load_playbook(), date(2026, 6, 30))
    assert Words.of("en", "EUR").goal(first)[0] == "Raise MQL-to-SQL conversion by a tenth"


def test_the_revenue_goal_measured_in_customers_says_customers():
    from datetime import date

    from smarketing_assess.config.playbook import load_playbook
    from smarketing_assess.model.goals import propose_goals

    # Lead quality 40 (< 60) triggers revenue_icp; without revenue it measures customers: 20 x 1.05 = 21.
    goals, _ = propose_goals({"dimension.lead_quality": 40.0, "funnel.customers": 20.0}, load_playbook(),
                             date(2026, 6, 30))
    goal = next(g for g in goals if g.id == "revenue_icp")
    assert (goal.metric, goal.target) == ("funnel.customers", pytest.approx(21.0))
    title = Words.of("en", "EUR").goal(goal)[0]
    assert title.startswith("Grow new customers in the quarter by 5%") and "revenue" not in title
    assert Words.of("pt-BR", "BRL").goal(goal)[0].startswith("Crescimento de 5% em novos clientes no trimestre")


def test_a_held_back_goal_is_titled_by_the_figure_it_would_measure():
    from smarketing_assess.records.goals import HeldBack

    held = HeldBack("keep_conversion", "joint", "rate.lead_to_mql", 12)
    assert Words.of("en", "EUR").held_back(held) == "Raise lead-to-MQL conversion by a tenth"


# ------------------------------------ finding 8: a goal on a figure reported by hand

DEMOS_GOAL = """  - id: more_demos
    status: added
    title: Book more product demos
    metric: manual.demos
    unit: count
    better: higher
    target: 20
    deadline: 2026-09-30
    owner: {team: sales}
sla:
"""


def with_manual_goal(tmp_path):
    """The example client with a goal the client added on demos, reported by hand in both quarters."""
    import shutil

    from conftest import EXAMPLE

    client = tmp_path / "client"
    shutil.copytree(EXAMPLE, client)
    for plan in (client / "plan.yaml", client / "plans" / "2026-04-20.yaml"):
        text = plan.read_text(encoding="utf-8")
        assert text.count("\nsla:\n") == 1
        plan.write_text(text.replace("\nsla:\n", "\n" + DEMOS_GOAL), encoding="utf-8")
    (client / "2026-Q1" / "manual.csv").write_text("month,metric,value\n2026-01,demos,8\n2026-02,demos,10\n"
                                                   "2026-03,manual.demos,12\n", encoding="utf-8")
    (client / "2026-Q2" / "manual.csv").write_text("month,metric,value\n2026-04,demos,12\n2026-05,demos,15\n"
                                                   "2026-06,demos,18\n", encoding="utf-8")
    return client


def test_a_goal_on_a_figure_reported_by_hand_is_judged_and_named(tmp_path):
    from smarketing_assess.core.period import Period
    from smarketing_assess.model.history import goal_attainment
    from smarketing_assess.running.pipeline import assess

    client = with_manual_goal(tmp_path)
    q1, q2 = (assess(client, Period.parse(p)) for p in ("2026-Q1", "2026-Q2"))
    # A quarter's figure reported by hand is the mean of its months: (8 + 10 + 12) / 3 = 10 in Q1,
    # (12 + 15 + 18) / 3 = 15 in Q2.
    assert (q1.fact("manual.demos"), q2.fact("manual.demos")) == (10, 15)
    status = next(s for s in goal_attainment([q1, q2]) if s.goal.id == "more_demos")
    # From 10 (the plan's baseline quarter) to 15, target 20 by 30 September, after Q2's end: on track.
    assert (status.goal.baseline, status.now, status.status) == (10, 15, "on track")
    labels = {language: Words.of(language, "EUR").metric("manual.demos") for language in LANGUAGES}
    assert labels == {"en": "Demos (reported by hand)", "pt-BR": "Demos (informado manualmente)",
                      "es": "Demos (registrado manualmente)", "it": "Demos (inserito manualmente)"}


# ------------------------------------ finding 12: one goal, one baseline

def test_a_goal_added_without_a_baseline_starts_from_the_plan_quarter_everywhere(tmp_path):
    from conftest import EXAMPLE

    from smarketing_assess.core.period import Period
    from smarketing_assess.presenting.baseline import BaselineReport
    from smarketing_assess.running.notebooks import compared, earlier_quarter
    from smarketing_assess.running.pipeline import assess

    # The example's plan (agreed from 2026-Q1) adds "Win more of the deals that reach a proposal" on
    # opportunity to customer with no baseline written. In 2026-Q1, 21 of 71 opportunities won: 29.6%.
    q2 = compared(EXAMPLE, assess(EXAMPLE, Period.parse("2026-Q2")), tmp_path / "no-reports")
    assert q2.plan is not None and q2.since is not None
    added = next(g for g in q2.plan.goals if g.id == "win_more_proposals")
    judged = next(s for s in q2.since.goals if s.goal.id == "win_more_proposals")
    assert added.baseline == pytest.approx(21 / 71, abs=1e-6)
    assert judged.goal.baseline == added.baseline
    plan = BaselineReport(q2, "en").plan_facts()
    assert plan is not None
    row = next(r for r in plan["goals"].rows if r["goal"].text == "Win more of the deals that reach a proposal")
    # 29.6% in whole points, as a goal's shares are shown: 30%, in the plan section (whose rows the deck
    # and the workbook lay out) and in the "since last quarter" section alike
    assert row["baseline"].text == "30%"
    since = BaselineReport(q2, "en", **earlier_quarter(EXAMPLE, q2, None)).since_last_quarter()
    assert ">30%<" in since.split("Win more of the deals that reach a proposal")[1].split("</tr>")[0]
