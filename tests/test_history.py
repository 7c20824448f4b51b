"""A client's quarters side by side: reading the history, comparing across question-bank
changes, and judging earlier goals. Every status below is worked out by hand from the
facts written into the quarters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smarketing_assess.core.errors import InputError
from smarketing_assess.model.history import compare, goal_attainment, load_history


def goal(gid: str, metric: str, baseline: float, target: float, better: str, deadline: str) -> dict:
    return {"id": gid, "title": gid.replace("_", " "), "metric": metric, "baseline": baseline, "target": target,
            "better": better, "deadline": deadline}


def write(reports: Path, period: str, facts: dict, goals: list[dict], questions: dict | None = None,
          schema: int | None = 1, folder: str | None = None) -> Path:
    data = {"period": period, "facts": facts, "goals": goals,
            "questions": questions if questions is not None else {"mc_frequency": "aaa", "df_written": "bbb"},
            "scores": {"dimensions": [{"dimension": "meeting_cadence"}, {"dimension": "definitions"}],
                       "questions": []}}
    if schema is not None:
        data["schema_version"] = schema
    path = reports / "acme" / (folder or period) / "assessment.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    r = tmp_path / "reports"
    # 2026-Q1: meetings once a month, nobody says definitions exist, 30 hours to first contact
    write(r, "2026-Q1", {"answer.mc_frequency.median": 1, "answer.df_written.share_positive": 0.0,
                         "followup.hours": 30, "funnel.revenue": 300_000},
          [goal("weekly_meeting", "answer.mc_frequency.median", 1, 4, "higher", "2026-06-30"),
           goal("speed_to_lead", "followup.hours", 30, 24, "lower", "2026-06-30"),
           goal("revenue", "funnel.revenue", 300_000, 330_000, "higher", "2026-06-30")])
    # 2026-Q2: weekly meetings reached; hours 26 (not yet 24); revenue down
    write(r, "2026-Q2", {"answer.mc_frequency.median": 4, "answer.df_written.share_positive": 0.2,
                         "followup.hours": 26, "funnel.revenue": 290_000},
          [goal("written_definitions", "answer.df_written.share_positive", 0.2, 0.8, "higher", "2026-09-30"),
           goal("speed_to_lead", "followup.hours", 26, 24, "lower", "2026-09-30"),
           goal("long_haul", "followup.hours", 26, 12, "lower", "2026-12-31")])
    # 2026-Q3: 22 hours; definitions at 50%; the revenue figure is missing this quarter
    write(r, "2026-Q3", {"answer.mc_frequency.median": 4, "answer.df_written.share_positive": 0.5,
                         "followup.hours": 22},
          [], questions={"mc_frequency": "aaa", "df_written": "bbb"})
    write(r, "2026-Q2", {}, [], folder="2026-Q2.previous-1")  # an earlier report kept aside: not a quarter
    (r / "acme" / ".failed").mkdir()
    return r


def test_history_reads_the_quarters_in_order_and_skips_kept_versions(reports):
    history = load_history(reports, "acme")
    assert [str(q.period) for q in history] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert load_history(reports, "nobody") == []


def test_goals_met_missed_on_track_and_no_longer_measurable(reports):
    statuses = {s.goal: s for s in goal_attainment(load_history(reports, "acme"))}
    # weekly meetings: target 4 reached (4 >= 4)
    assert statuses["weekly_meeting"].status == "met" and statuses["weekly_meeting"].now == 4
    # speed to lead, set again in Q2 (baseline 26, target 24, deadline Q3 end): 22 <= 24
    assert (statuses["speed_to_lead"].status, statuses["speed_to_lead"].set_in) == ("met", "2026-Q2")
    # revenue: no revenue figure in Q3
    assert statuses["revenue"].status == "no longer measurable"
    # definitions: 0.5 < 0.8 and the deadline (2026-09-30) is the end of Q3: missed
    assert statuses["written_definitions"].status == "missed"
    assert statuses["written_definitions"].evidence == ("0.2 in 2026-Q2, 0.5 in 2026-Q3, target 0.8 by 2026-09-30: "
                                                        "the deadline has passed")
    # long haul: 22 is not yet 12, but it moved down from 26 and the deadline is in Q4
    assert statuses["long_haul"].status == "on track"
    assert len(statuses) == 5


def test_goals_judged_at_an_earlier_quarter(reports):
    history = load_history(reports, "acme")
    at_q2 = {s.goal: s.status for s in goal_attainment(history, history[1])}
    # only Q1's goals: meetings 4 (met), hours 26 > 24 at the deadline (missed), revenue 290,000 (missed)
    assert at_q2 == {"weekly_meeting": "met", "speed_to_lead": "missed", "revenue": "missed"}


def test_a_reworded_question_makes_its_goal_unmeasurable_and_is_left_out_of_comparisons(reports):
    write(reports, "2026-Q3", {"answer.mc_frequency.median": 4, "answer.df_written.share_positive": 0.9,
                               "followup.hours": 22}, [], questions={"mc_frequency": "aaa", "df_written": "ccc"})
    history = load_history(reports, "acme")
    statuses = {s.goal: s for s in goal_attainment(history)}
    assert statuses["written_definitions"].status == "no longer measurable"
    assert statuses["written_definitions"].evidence == "the question was reworded since"
    comparison = compare(history[1], history[2])
    assert comparison.questions == ["mc_frequency"]
    assert ("df_written", "reworded or rescored") in comparison.left_out
    assert comparison.dimensions == ["meeting_cadence"]
    assert ("definitions", "dimension whose questions changed") in comparison.left_out


def test_questions_added_or_dropped_are_named(reports):
    history = load_history(reports, "acme")
    later = history[2]
    later.data["questions"] = {"mc_frequency": "aaa", "new_one": "zzz"}
    comparison = compare(history[1], later)
    assert ("df_written", "asked in 2026-Q2 only") in comparison.left_out
    assert ("new_one", "asked in 2026-Q3 only") in comparison.left_out


def test_an_unnumbered_old_assessment_is_migrated(reports):
    write(reports, "2025-Q4", {"followup.hours": 40}, [], questions={}, schema=None)
    history = load_history(reports, "acme")
    assert str(history[0].period) == "2025-Q4" and history[0].data["schema_version"] == 1
    comparison = compare(history[0], history[1])  # no fingerprints then: nothing is comparable question by question
    assert comparison.questions == [] and ("mc_frequency", "asked in 2026-Q1 only") in comparison.left_out


def test_a_newer_schema_is_an_error_naming_the_file(reports):
    path = write(reports, "2026-Q4", {}, [], schema=99)
    with pytest.raises(InputError) as info:
        load_history(reports, "acme")
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.found == "schema_version 99"


# ------------------------------------------------- the baseline's "since last quarter"

def test_the_second_quarter_report_says_what_moved_and_how_the_goals_fared():
    import re

    from smarketing_assess.presenting.baseline import BaselineReport

    assert BaselineReport.open("", "2026-Q1").since_last_quarter() == ""  # the first quarter: nothing to compare
    html = BaselineReport.open("", "2026-Q2").since_last_quarter()
    assert "<h2>Since 2026-Q1</h2>" in html
    statuses = dict(re.findall(r'<tr class="goal-status [a-z-]+"><td>([^<]+)<br>.*?<td class="status">([^<]+)</td>',
                               html, flags=re.S))
    # 2026-Q1's goals against 2026-Q2's figures (deadline 2026-06-30, the end of Q2):
    # meetings a month 1 -> 4 (target 4): met; hours to first contact 28 -> 16 (target 24 or fewer): met;
    # revenue 313,000 -> 405,700.50 (target 328,650): met; written definitions 0% -> 14% (target 80%),
    # SLA 0% -> 0% (50%), leads worked 72% -> 88% (90%), data in meetings 0% -> 7% (25%): missed.
    assert sorted(statuses.values()) == ["met"] * 3 + ["missed"] * 4
    assert statuses["Contact every MQL within the agreed time"] == "met"
    assert statuses["Make at least one contact attempt on every lead marketing hands over"] == "missed"
    # the index moved from 27 to 44; the largest move is Shared definitions, 9.5 -> 54.5
    assert "moved from 27 in 2026-Q1 to 44 now" in html
    assert html.index("Shared definitions: up 45.0 points") < html.index("Meeting cadence: up")
