"""Scoring: dimension scores, equal team weights, gaps, the index, anonymity, rounding, beliefs.

Every expected figure is worked out in the comments from the answers given.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.model.scoring import beliefs, half_up, score


@pytest.fixture(scope="module")
def bank():
    return load_question_bank()


def responses(rows: list[tuple[str, str, str, object]], bank) -> pd.DataFrame:
    """Build the tidy responses table from (respondent, team, question, answer) tuples."""
    out = []
    for rid, team, qid, answer in rows:
        q = bank.question(qid)
        if q.kind == "choice":
            out.append((rid, team, qid, str(answer), math.nan))
        else:
            out.append((rid, team, qid, f"{float(answer):g}", float(answer)))
    return pd.DataFrame(out, columns=["respondent", "team", "question", "value", "number"])


def meeting_quality_rows():
    rows = []
    # sales: mq_decisions 1, 2, 3 -> 0, 25, 50 (mean 25); mq_data 1 -> 0; mq_blame 5 -> reversed 0
    for i, decisions in enumerate((1, 2, 3)):
        rows += [(f"s{i}", "sales", "mq_decisions", decisions), (f"s{i}", "sales", "mq_data", 1),
                 (f"s{i}", "sales", "mq_blame", 5)]
    # marketing: 4 -> 75, 4 -> 75, blame 2 -> 100 - 25 = 75
    for i in range(3):
        rows += [(f"m{i}", "marketing", "mq_decisions", 4), (f"m{i}", "marketing", "mq_data", 4),
                 (f"m{i}", "marketing", "mq_blame", 2)]
    # one leader: mq_decisions 3 -> 50
    rows.append(("l0", "leadership", "mq_decisions", 3))
    return rows


def test_dimension_score_index_and_level_by_hand(bank):
    s = score(responses(meeting_quality_rows(), bank), bank)
    dim = next(d for d in s.dimensions if d.dimension == "meeting_quality")
    # sales (25 + 0 + 0) / 3 = 8.33 -> 8 whole points; marketing 75; the one leader is withheld
    # and counts nowhere, not even in the overall
    assert dim.teams == {"sales": 8, "marketing": 75, "leadership": None}
    assert dim.score == 42  # (8 + 75) / 2 = 41.5, rounded half up
    assert dim.compared == {"marketing": 75, "sales": 8}  # all three questions are asked of both
    assert dim.gap == 67  # 75 - 8: exactly the difference of the two figures shown
    assert dim.gap_flagged
    # only this dimension was answered: overall 42.0, mean gap 67.0; 42.0 - 0.5 * 67.0 = 8.5 -> 9
    assert (s.overall, s.mean_gap, s.alignment_index) == (42.0, 67.0, 9)
    assert s.maturity_level == 1
    assert s.counted_teams == ["sales", "marketing"]
    assert s.respondents == {"sales": 3, "marketing": 3, "leadership": 1}
    assert s.withheld_teams == ["leadership"]
    assert s.overall_by_team["leadership"] is None


def test_unanswered_dimensions_are_none_not_zero(bank):
    s = score(responses(meeting_quality_rows(), bank), bank)
    cadence = next(d for d in s.dimensions if d.dimension == "meeting_cadence")
    assert cadence.score is None and cadence.gap is None


def test_weights_and_gap_on_shared_questions_only(bank):
    rows = []
    for i in range(3):
        # sales: lq_satisfied (weight 2) 2 -> 25; lq_accept 40 -> 40; lq_fit (sales only) 1 -> 0
        rows += [(f"s{i}", "sales", "lq_satisfied", 2), (f"s{i}", "sales", "lq_accept", 40),
                 (f"s{i}", "sales", "lq_fit", 1)]
        # marketing: 4 -> 75; 90 -> 90; lq_known (marketing only) 5 -> 100
        rows += [(f"m{i}", "marketing", "lq_satisfied", 4), (f"m{i}", "marketing", "lq_accept", 90),
                 (f"m{i}", "marketing", "lq_known", 5)]
    s = score(responses(rows, bank), bank)
    dim = next(d for d in s.dimensions if d.dimension == "lead_quality")
    assert dim.teams["sales"] == 23  # (25*2 + 40 + 0) / 4 = 22.5 -> 23
    assert dim.teams["marketing"] == 85  # (75*2 + 90 + 100) / 4
    # the gap compares the questions both teams answer: (75*2+90)/3 = 80 against (25*2+40)/3 = 30
    assert dim.compared == {"marketing": 80, "sales": 30}
    assert dim.gap == 50
    assert s.withheld_teams == []  # leadership did not answer at all: nothing to withhold


def test_each_team_counts_equally_whatever_its_size(bank):
    rows = [(f"s{i}", "sales", "ld_work", 1) for i in range(9)]  # 9 x 0
    rows += [(f"m{i}", "marketing", "ld_work", 5) for i in range(3)]  # 3 x 100
    s = score(responses(rows, bank), bank)
    dim = next(d for d in s.dimensions if d.dimension == "leadership")
    assert dim.score == pytest.approx(50)  # not (9*0 + 3*100) / 12 = 25


def test_small_team_gap_is_withheld_and_no_penalty_applied(bank):
    rows = [(f"s{i}", "sales", "ld_work", 1) for i in range(3)]
    rows += [(f"m{i}", "marketing", "ld_work", 5) for i in range(2)]  # 2 < 3
    s = score(responses(rows, bank), bank)
    dim = next(d for d in s.dimensions if d.dimension == "leadership")
    assert dim.gap is None  # would reveal the two marketers' answers
    assert dim.teams["marketing"] is None
    assert not s.gap_penalty_applied
    # the two marketers' 100 counts nowhere: the overall is sales' 0 alone, not (0 + 100) / 2
    assert dim.score == 0 and s.alignment_index == 0
    assert s.counted_teams == ["sales"]


def test_anonymity_threshold_can_be_lowered_per_client(bank):
    rows = [(f"s{i}", "sales", "ld_work", 1) for i in range(3)]
    rows += [(f"m{i}", "marketing", "ld_work", 5) for i in range(2)]
    s = score(responses(rows, bank), bank, anonymity_threshold=2)
    assert s.withheld_teams == []
    assert next(d for d in s.dimensions if d.dimension == "leadership").gap == 100


def test_question_aggregates_need_as_many_answers_as_the_threshold(bank):
    rows = [("l0", "leadership", "mc_agenda", 4), ("l1", "leadership", "mc_agenda", 5)]
    rows += [(f"s{i}", "sales", "mc_frequency", v) for i, v in enumerate(("monthly", "weekly", "monthly"))]
    s = score(responses(rows, bank), bank)
    by_id = {q.question: q for q in s.questions}
    assert by_id["mc_agenda"].respondents == 0  # the two leaders are a withheld team: counted nowhere
    assert by_id["mc_agenda"].median is None and by_id["mc_agenda"].mean_score is None
    freq = by_id["mc_frequency"]
    assert freq.median == 1  # meetings a month: 1, 4, 1
    assert freq.mean_score == 70  # (55 + 100 + 55) / 3, in whole points
    assert freq.share_positive == 0.33  # only "weekly" scores 75 or more: 1 / 3, in whole percent as shown


def test_beliefs_sit_beside_the_facts(bank):
    rows = [(f"s{i}", "sales", "lv_estimate", v) for i, v in enumerate((200, 300, 400))]
    rows += [(f"m{i}", "marketing", "lv_estimate", v) for i, v in enumerate((450, 500, 550))]
    rows += [(f"s{i}", "sales", "fu_share", v) for i, v in enumerate((80, 90, 100))]
    facts = {"leads_per_month": 450.0, "followup_share": 0.72}
    out = {b.measure: b for b in beliefs(responses(rows, bank), bank, facts, threshold=3)}
    assert out["leads_per_month"].teams == {"sales": 300, "marketing": 500}
    assert out["leads_per_month"].fact == 450
    assert out["followup_share"].teams["sales"] == pytest.approx(0.9)  # percent answers become fractions
    assert out["followup_share"].fact == 0.72
    assert out["hours_to_first_contact"].fact is None  # no data for it: unavailable


def test_beliefs_of_a_withheld_team_are_not_shown(bank):
    rows = [(f"m{i}", "marketing", "lv_estimate", 500) for i in range(2)]
    out = {b.measure: b for b in beliefs(responses(rows, bank), bank, {}, threshold=3)}
    assert out["leads_per_month"].teams["marketing"] is None


def test_a_question_too_few_of_a_team_answered_is_left_out_of_that_teams_figures(bank):
    rows = [(f"s{i}", "sales", "ld_work", 5) for i in range(4)]  # 4 x 100
    rows += [(f"s{i}", "sales", "ld_example", 1) for i in range(2)]  # only 2 of the 4: left out
    rows += [(f"m{i}", "marketing", "ld_work", 3) for i in range(3)]  # 3 x 50
    s = score(responses(rows, bank), bank)
    dim = next(d for d in s.dimensions if d.dimension == "leadership")
    assert dim.teams["sales"] == 100  # not pulled down by the two answers of 0 to ld_example
    assert s.sparse == [("sales", "ld_example")]
    by_id = {q.question: q for q in s.questions}
    assert by_id["ld_example"].respondents == 0 and by_id["ld_example"].mean_score is None


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (41.5, 0, 42), (42.5, 0, 43), (-16.5, 0, -17), (8.4999, 0, 8), (51.3, 0, 51),
    (55.4 - 0.5 * 8.2, 0, 51), (54.9 - 0.5 * 6.8, 0, 52), (18.65, 1, 18.7), (0.05, 1, 0.1),
])
def test_half_up_rounds_as_a_reader_does(value, digits, expected):
    # 54.9 - 3.4 = 51.5 exactly on paper, 51.49999999999999 in floating point: a reader says 52
    assert half_up(value, digits) == expected


def test_the_index_is_computed_from_the_figures_the_report_shows(bank):
    rows = []
    for i in range(3):
        # leadership dimension (ld_work, shared): sales 2 -> 25, marketing 5 -> 100
        rows += [(f"s{i}", "sales", "ld_work", 2), (f"m{i}", "marketing", "ld_work", 5)]
        # meeting quality (mq_decisions, shared): sales 3 -> 50, marketing 4 -> 75
        rows += [(f"s{i}", "sales", "mq_decisions", 3), (f"m{i}", "marketing", "mq_decisions", 4)]
    s = score(responses(rows, bank), bank)
    dims = {d.dimension: d for d in s.dimensions if d.score is not None}
    # leadership: (25 + 100) / 2 = 62.5 -> 63, gap 75; meeting quality: (50 + 75) / 2 = 62.5 -> 63, gap 25
    assert {k: (d.score, d.gap) for k, d in dims.items()} == {"leadership": (63, 75), "meeting_quality": (63, 25)}
    # overall 63.0, mean gap (75 + 25) / 2 = 50.0, index 63.0 - 25.0 = 38
    assert (s.overall, s.mean_gap, s.alignment_index) == (63.0, 50.0, 38)
