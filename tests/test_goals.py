"""Starting goals: the playbook's rules applied to an assessment's facts.

Every expected value is worked out by hand from the literal facts of the test and the
thresholds and targets written in templates/goals.yaml (or in a small playbook written here).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from smarketing_assess.config.playbook import load_playbook
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.model.goals import propose_goals
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.goals import Evidence

DEADLINE = date(2026, 6, 30)  # end of 2026-Q2, the quarter after 2026-Q1


def goals_for(facts: dict[str, float | None], playbook=None, deadline: date = DEADLINE):
    return propose_goals(facts, playbook or load_playbook(), deadline)[0]


def title(g) -> str:
    """The goal's title as an English report in euros words it."""
    return Words.of("en", "EUR").goal(g)[0]


def why(g) -> str:
    """The goal's reason as an English report in euros words it."""
    return Words.of("en", "EUR").goal(g)[1]


def by_id(goals) -> dict[str, object]:
    return {g.id: g for g in goals}


def has(sentence: str, figure: str) -> bool:
    """`figure` appears in `sentence` as a figure of its own (not part of a longer number)."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", sentence) is not None


def write_playbook(tmp_path: Path, goals_yaml: str, *, min_goals: int = 1, max_goals: int = 7,
                   name: str = "goals.yaml") -> Path:
    """A small playbook with metrics m1, m2, m3 (unit count) and the given goals."""
    path = tmp_path / name
    path.write_text(
        f"min_goals: {min_goals}\n"
        f"max_goals: {max_goals}\n"
        "metrics:\n"
        "  m1: {unit: count, label: {en: Metric one}}\n"
        "  m2: {unit: count, label: {en: Metric two}}\n"
        "  m3: {unit: count, label: {en: Metric three}}\n"
        "goals:\n" + goals_yaml,
        encoding="utf-8")
    return path


def rule(gid: str, *, priority: int = 5, metric: str = "[m1]", when: str = "[{fact: x, below: 10}]",
         owner: str = "joint", target: str = "{add: 1}", title: str = "Title", extra: str = "") -> str:
    return (f"  - id: {gid}\n"
            f"    owner: {owner}\n"
            f"    priority: {priority}\n"
            f"    when: {when}\n"
            f"    metric: {metric}\n"
            "    better: higher\n"
            f"    target: {target}\n"
            f"    texts: {{title: {{en: \"{title}\"}}, why: {{en: \"Because {{baseline}}\"}}}}\n"
            + extra)


# ------------------------------------------------------------ the domain's examples

def test_weekly_meeting_when_teams_meet_less_than_four_times_a_month():
    goals = goals_for({"answer.mc_frequency.median": 2.0})
    assert [g.id for g in goals] == ["weekly_meeting"]
    g = goals[0]
    assert (g.owner, g.priority, g.metric, g.unit, g.better) == (
        "joint", 1, "answer.mc_frequency.median", "per_month", "higher")
    assert (g.baseline, g.target) == (2.0, 4.0)
    assert g.deadline == "2026-06-30"
    assert g.evidence == [Evidence("answer.mc_frequency.median", 2.0, "below", 4)]
    assert "weekly" in title(g)
    assert has(why(g), "2")  # the baseline, in the playbook's own words
    assert Words.of("en", "EUR").metric(g.metric) == "Joint sales-marketing meetings a month (median answer)"


def test_no_weekly_meeting_goal_at_four_meetings_a_month():
    assert goals_for({"answer.mc_frequency.median": 4.0}) == []


def test_written_definitions_when_the_definitions_score_is_below_60():
    goals = goals_for({"dimension.definitions": 40.0, "answer.df_written.share_positive": 0.25})
    assert [g.id for g in goals] == ["written_definitions"]
    g = goals[0]
    assert (g.metric, g.baseline, g.target, g.owner) == ("answer.df_written.share_positive", 0.25, 0.8, "joint")
    assert g.evidence == [Evidence("dimension.definitions", 40.0, "below", 60)]
    assert has(why(g), "25%")  # 0.25 shown as a share
    assert goals_for({"dimension.definitions": 60.0, "answer.df_written.share_positive": 0.25}) == []


def test_sla_pilot_when_the_sla_score_is_below_50():
    goals = goals_for({"dimension.sla": 30.0, "answer.sla_exists.share_positive": 0.1})
    assert [g.id for g in goals] == ["sla_pilot"]
    g = goals[0]
    assert (g.metric, g.baseline, g.target, g.priority) == ("answer.sla_exists.share_positive", 0.1, 0.5, 2)
    assert has(why(g), "10%")  # 0.1 shown as a share
    assert goals_for({"dimension.sla": 50.0, "answer.sla_exists.share_positive": 0.1}) == []


def test_revenue_plus_five_percent_when_lead_quality_is_below_60():
    goals = goals_for({"dimension.lead_quality": 45.0, "funnel.revenue": 200_000.0})
    assert [g.id for g in goals] == ["revenue_icp"]
    g = goals[0]
    assert (g.metric, g.unit, g.baseline) == ("funnel.revenue", "money", 200_000.0)
    assert g.target == pytest.approx(200_000 * 1.05)  # 210000
    assert has(title(g), "5%")
    assert has(why(g), "45")  # the evidence: the lead quality score
    assert g.evidence == [Evidence("dimension.lead_quality", 45.0, "below", 60)]


def test_revenue_goal_falls_back_to_the_next_metric():
    goals = goals_for({"dimension.lead_quality": 45.0, "funnel.revenue": None, "funnel.customers": 20.0})
    g = by_id(goals)["revenue_icp"]
    assert (g.metric, g.baseline) == ("funnel.customers", 20.0)
    assert g.target == pytest.approx(20 * 1.05)  # 21


def test_goal_is_skipped_when_all_its_metrics_are_missing():
    assert goals_for({"dimension.lead_quality": 45.0}) == []
    assert goals_for({"dimension.lead_quality": 45.0, "funnel.revenue": None, "funnel.customers": None}) == []


def test_condition_on_a_missing_fact_does_not_trigger():
    assert goals_for({"followup.hours": 30.0}) == []  # client.followup_sla_hours unknown


def test_condition_against_another_fact_and_target_from_a_fact():
    goals = goals_for({"followup.hours": 30.0, "client.followup_sla_hours": 24.0})
    g = by_id(goals)["speed_to_lead"]
    assert (g.owner, g.baseline, g.target, g.better) == ("sales", 30.0, 24.0, "lower")
    assert g.evidence == [Evidence("followup.hours", 30.0, "above", 24)]
    assert has(why(g), "30") and has(why(g), "24")
    assert goals_for({"followup.hours": 24.0, "client.followup_sla_hours": 24.0}) == []


def test_added_target_is_capped():
    goals = goals_for({"dimension.meeting_quality": 40.0, "answer.mq_data.share_positive": 0.9,
                       "dimension.closed_loop": 45.0})
    g = by_id(goals)
    assert g["data_feedback"].target == pytest.approx(1.0)  # 0.9 + 0.25 = 1.15, at most 1
    assert g["closed_loop"].target == pytest.approx(45 + 20)  # 65, below the cap of 100


def test_money_baseline_in_the_text():
    goals = goals_for({"channels.shift": 1.0, "channels.cost_per_customer": 2345.6})
    g = by_id(goals)["channel_shift"]
    assert g.target == pytest.approx(2345.6 * 0.9)
    assert has(why(g), "€2,346")  # 2345.6 as whole euros


# -------------------------------------------------------------- count and order

# Facts that trigger every non-fallback rule of templates/goals.yaml, plus both fallback metrics.
ALL_TRIGGERED = {
    "answer.mc_frequency.median": 1.0,  # weekly_meeting, priority 1
    "dimension.definitions": 30.0, "answer.df_written.share_positive": 0.2,  # written_definitions, 1
    "dimension.sla": 20.0, "answer.sla_exists.share_positive": 0.1,  # sla_pilot, 2
    "followup.hours": 40.0, "client.followup_sla_hours": 24.0,  # speed_to_lead, 2
    "followup.share": 0.5,  # work_every_lead, 2
    "dimension.lead_quality": 40.0, "funnel.revenue": 100_000.0,  # revenue_icp, 3
    "dimension.meeting_quality": 40.0, "answer.mq_data.share_positive": 0.3,  # data_feedback, 3
    "dimension.lead_scoring": 30.0, "answer.ls_exists.share_positive": 0.1,  # lead_scoring, 4
    "dimension.closed_loop": 30.0,  # closed_loop, 4
    "channels.shift": 1.0, "channels.cost_per_customer": 2000.0,  # channel_shift, 4
    "dimension.leadership": 30.0, "answer.ld_example.share_positive": 0.2,  # leadership_example, 5
    "dimension.culture": 30.0,  # shared_wins, 6
    "alignment_index": 35.0, "rate.mql_to_sql": 0.3,  # fallbacks
}


def test_at_most_max_goals_by_priority_then_playbook_order():
    goals = goals_for(ALL_TRIGGERED)
    assert len(goals) == 7
    assert [g.id for g in goals] == ["weekly_meeting", "written_definitions", "sla_pilot", "speed_to_lead",
                                     "work_every_lead", "revenue_icp", "data_feedback"]
    assert [g.priority for g in goals] == [1, 1, 2, 2, 2, 3, 3]


def test_default_playbook_limits():
    playbook = load_playbook()
    assert (playbook.min_goals, playbook.max_goals) == (3, 7)


def test_fallback_goals_fill_up_to_min_goals():
    goals = goals_for({"answer.mc_frequency.median": 2.0, "alignment_index": 35.0, "rate.mql_to_sql": 0.3})
    assert [g.id for g in goals] == ["weekly_meeting", "keep_review", "keep_conversion"]
    g = by_id(goals)
    assert g["keep_review"].target == pytest.approx(35 + 5)
    assert g["keep_conversion"].target == pytest.approx(0.3 * 1.1)
    assert g["keep_review"].evidence == []


def test_fallbacks_only_up_to_min_goals():
    goals = goals_for({"answer.mc_frequency.median": 2.0, "dimension.sla": 30.0,
                       "answer.sla_exists.share_positive": 0.1, "alignment_index": 35.0, "rate.mql_to_sql": 0.3})
    assert [g.id for g in goals] == ["weekly_meeting", "sla_pilot", "keep_review"]


def test_no_fallback_when_enough_goals_are_triggered():
    goals = goals_for({"answer.mc_frequency.median": 2.0, "dimension.sla": 30.0,
                       "answer.sla_exists.share_positive": 0.1, "followup.share": 0.5,
                       "alignment_index": 35.0, "rate.mql_to_sql": 0.3})
    assert [g.id for g in goals] == ["weekly_meeting", "sla_pilot", "work_every_lead"]


def test_fallback_uses_its_second_metric_when_the_first_is_missing():
    goals = goals_for({"rate.lead_to_mql": 0.2})
    assert [(g.id, g.metric) for g in goals] == [("keep_conversion", "rate.lead_to_mql")]
    assert goals[0].target == pytest.approx(0.2 * 1.1)


def test_no_two_goals_share_a_metric(tmp_path):
    path = write_playbook(tmp_path, rule("first", metric="[m1, m2]") + rule("second", metric="[m1, m2]")
                          + rule("third", metric="[m1]"))
    goals = goals_for({"x": 1.0, "m1": 5.0, "m2": 7.0}, load_playbook(path))
    assert [(g.id, g.metric, g.baseline, g.target) for g in goals] == [
        ("first", "m1", 5.0, 5.0 + 1), ("second", "m2", 7.0, 7.0 + 1)]
    metrics = [g.metric for g in goals_for(ALL_TRIGGERED)]
    assert len(metrics) == len(set(metrics))


def test_priority_orders_goals_and_ties_keep_playbook_order(tmp_path):
    path = write_playbook(tmp_path, rule("late", priority=3, metric="[m1]") + rule("early", priority=1, metric="[m2]")
                          + rule("early_too", priority=1, metric="[m3]"))
    goals = goals_for({"x": 1.0, "m1": 1.0, "m2": 2.0, "m3": 3.0}, load_playbook(path))
    assert [g.id for g in goals] == ["early", "early_too", "late"]


def test_custom_max_goals(tmp_path):
    path = write_playbook(tmp_path, rule("a", metric="[m1]") + rule("b", metric="[m2]") + rule("c", metric="[m3]"),
                          max_goals=2)
    goals = goals_for({"x": 1.0, "m1": 1.0, "m2": 2.0, "m3": 3.0}, load_playbook(path))
    assert [g.id for g in goals] == ["a", "b"]


# ------------------------------------------------------------------ deadlines

@pytest.mark.parametrize(("period", "deadline"), [
    ("2026-Q1", "2026-06-30"),
    ("2026-Q2", "2026-09-30"),
    ("2026-Q3", "2026-12-31"),
    ("2026-Q4", "2027-03-31"),
])
def test_deadline_is_the_end_of_the_next_quarter(period, deadline):
    end = Period.parse(period).next().end
    assert end.isoformat() == deadline
    goals = goals_for({"answer.mc_frequency.median": 2.0}, deadline=end)
    assert goals[0].deadline == deadline


# ----------------------------------------------------------------- validation

def test_playbook_problems_are_all_reported(tmp_path):
    path = write_playbook(
        tmp_path,
        rule("bad_owner", owner="finance")
        + rule("two_ops", when="[{fact: x, below: 10, above: 1}, {fact: y, below: 3}]")
        + rule("no_metric_entry", metric="[nope]")
        + rule("bad_placeholder", title="Raise {colour}"))
    with pytest.raises(InputError) as info:
        load_playbook(path)
    problems = info.value.problems
    text = str(info.value)
    messages = [p.message for p in problems]
    assert len(problems) == 4, messages
    assert any(m.startswith("goal bad_owner: unknown owner") for m in messages)
    assert any(m.startswith("goal two_ops: a condition needs a fact and one of") for m in messages)
    assert "below: 10, above: 1" in text.replace("'", "")  # the offending condition is shown
    assert any(m.startswith("goal no_metric_entry: metric has no entry under 'metrics'") for m in messages)
    assert any(m.startswith("goal bad_placeholder: unknown placeholder ['colour']") for m in messages)
    assert all(p.file == str(path) for p in problems)
    assert "4 problems in the input" in text
    assert "'finance'" in text
    assert "nope" in text


def test_playbook_limits_are_checked(tmp_path):
    path = write_playbook(tmp_path, rule("a"), min_goals=5, max_goals=3)
    with pytest.raises(InputError) as info:
        load_playbook(path)
    assert "min_goals and max_goals" in str(info.value)


def test_valid_custom_playbook_loads(tmp_path):
    playbook = load_playbook(write_playbook(tmp_path, rule("a", priority=2)))
    assert [r.id for r in playbook.rules] == ["a"]
    assert playbook.rules[0].priority == 2
    assert set(playbook.metrics) == {"m1", "m2", "m3"}


# ------------------------------------------------- per-metric targets, goals already met

def test_fallback_metric_brings_its_own_target_in_its_own_unit():
    # without the share answer (too few respondents), the definitions score stands in: 40 -> 75 points
    goals = goals_for({"dimension.definitions": 40.0})
    g = by_id(goals)["written_definitions"]
    assert (g.metric, g.unit, g.baseline, g.target) == ("dimension.definitions", "score", 40.0, 75.0)
    assert has(why(g), "40") and "%" not in why(g)


def test_a_goal_already_met_is_not_proposed(tmp_path):
    path = write_playbook(tmp_path, rule("met", target="{value: 5}") + rule("open", target="{value: 9}", metric="[m2]"))
    goals = goals_for({"x": 1.0, "m1": 5.0, "m2": 5.0}, load_playbook.__wrapped__(path))
    assert [g.id for g in goals] == ["open"]  # m1 is already at its target of 5


def test_a_capped_target_no_better_than_the_baseline_is_dropped():
    goals = goals_for({"dimension.meeting_quality": 40.0, "answer.mq_data.share_positive": 1.0})
    assert "data_feedback" not in by_id(goals)  # 1.0 + 0.25 capped at 1 is no progress


def test_a_priority_that_is_not_a_whole_number_is_reported(tmp_path):
    path = write_playbook(tmp_path, rule("a").replace("priority: 5", "priority: high"))
    with pytest.raises(InputError, match="priority must be a whole number"):
        load_playbook.__wrapped__(path)
