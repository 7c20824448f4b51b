"""The assessment of the example client: figures checked by hand, determinism, no personal data."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir, templates_dir
from smarketing_assess.core.storage import keep_previous, write_text_atomic
from smarketing_assess.model.assessment import to_json
from smarketing_assess.records.assessment import SCHEMA_VERSION
from smarketing_assess.running.pipeline import assess, load_inputs

EXAMPLE = examples_dir() / "brightline-sensors"
Q1 = Period.parse("2026-Q1")


@pytest.fixture(scope="module")
def q1():
    return assess(EXAMPLE, Q1)


def test_funnel_figures_match_the_example_files(q1):
    f = q1.funnel
    # funnel.csv, months 2026-01..03
    assert f.counts["leads"] == 420 + 450 + 480
    assert f.counts["mql"] == 130 + 140 + 150
    assert f.counts["customers"] == 6 + 7 + 8
    assert f.rate("lead_to_mql") == pytest.approx(420 / 1350)
    assert f.rate("lead_to_customer") == pytest.approx(21 / 1350)
    assert f.revenue == 88500 + 104000 + 120500
    assert f.followup.share == pytest.approx((95 + 100 + 108) / 420)
    assert f.followup.hours_to_first_contact == 28  # median of 30, 28, 26


def test_sla_works_back_from_the_goal_with_the_observed_rates(q1):
    sla = q1.sla
    # 400,000 / 15,000 = 26.67 customers: 27, rounded up once for the quarter; then along the client's own
    # rates, each stage rounded up once: 27 / (21 / 127) = 163.29 -> 164 SQLs; 163.29 / (127 / 420) = 540 MQLs;
    # 540 / (420 / 1350) = 1,735.71 -> 1,736 leads
    customers = 27
    sql = customers / (21 / 127)
    mql = sql / (127 / 420)
    leads = mql / (420 / 1350)
    assert (sql, mql, leads) == pytest.approx((163.29, 540.0, 1735.71), abs=0.01)
    q = sla.quarter
    assert (q.customers, q.sql, q.mql, q.leads) == (27, 164, 540, 1736)
    assert sla.per_month.mql == pytest.approx(540 / 3)  # a third of the quarter: 180
    assert sla.per_month.customers == pytest.approx(27 / 3)
    assert sla.handover == "mql"
    assert sla.handover_per_rep_per_day == pytest.approx(540 / 3 / 21 / 5)
    assert [r.origin for r in sla.rates] == ["observed"] * 3
    assert sla.origins == {"customers": "goal", "sql": "observed", "mql": "observed", "leads": "observed"}


def test_channels_rank_by_cost_per_customer(q1):
    names = [c.channel for c in q1.channels.channels]
    # cost per customer: organic 6000/8=750, webinars 4000/2=2000, fairs 27000/5=5400,
    # paid 38000/4=9500, LinkedIn 30000/2=15000
    assert names == ["Organic search", "Webinars", "Trade fairs", "Paid search", "LinkedIn ads"]
    rec = q1.channels.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "LinkedIn ads", "Organic search")


def test_scores_withhold_the_two_leaders_and_the_lead_quality_gap_is_worked_out_by_hand(q1):
    s = q1.scores
    assert s.respondents == {"sales": 6, "marketing": 4, "leadership": 2}
    assert s.withheld_teams == ["leadership"]
    quality = next(d for d in s.dimensions if d.dimension == "lead_quality")
    # responses.csv, lead quality (scale answers 1-5 score 0, 25, 50, 75, 100; lq_accept scores as given):
    #   lq_satisfied (weight 2): sales 2,2,2,2,2,3 -> 175/6; marketing 4,4,3,5 -> 75; leadership 3,3 -> 50
    #   lq_accept (weight 1): sales 55,55,55,58,54,63 -> 340/6; marketing 91,89,94,88 -> 90.5; leadership 75.5
    #   lq_fit (sales only, weight 1): 1,1,1,2,2,2 -> 12.5; lq_known (marketing only): 2,2,2,2 -> 25
    # sales (2 * 175/6 + 340/6 + 12.5) / 4 = 31.875 -> 32; marketing (2 * 75 + 90.5 + 25) / 4 = 66.375 -> 66
    assert quality.teams == {"sales": 32, "marketing": 66, "leadership": None}  # withheld: fewer than 3
    # the two leaders count nowhere: the overall is (32 + 66) / 2 = 49, not the mean of three teams
    assert quality.score == 49
    # the gap is taken on the questions both teams answer (lq_satisfied, lq_accept):
    # marketing (2 * 75 + 90.5) / 3 = 80.17 -> 80; sales (2 * 175/6 + 340/6) / 3 = 38.33 -> 38
    assert quality.compared == {"marketing": 80, "sales": 38}
    assert quality.gap == 42
    assert quality.gap_flagged  # above the bank's threshold of 15


def test_goals_include_the_weekly_meeting_and_definitions(q1):
    ids = [g.id for g in q1.goals]
    assert 3 <= len(ids) <= 7
    assert ids[:2] == ["weekly_meeting", "written_definitions"]
    weekly = q1.goals[0]
    assert (weekly.baseline, weekly.target, weekly.deadline) == (1, 4, "2026-06-30")
    assert len({g.metric for g in q1.goals}) == len(q1.goals)


def test_same_inputs_give_the_same_file_byte_for_byte(tmp_path, monkeypatch):
    copy = tmp_path / "elsewhere" / "client"
    shutil.copytree(EXAMPLE, copy)
    monkeypatch.chdir(tmp_path)
    first = to_json(assess(EXAMPLE, Q1))
    second = to_json(assess(copy, Q1))
    assert first == second
    assert str(tmp_path) not in second


def test_inputs_are_recorded_by_checksum(q1):
    digest = hashlib.sha256((EXAMPLE / "2026-Q1" / "funnel.csv").read_bytes()).hexdigest()
    assert q1.inputs["2026-Q1/funnel.csv"] == f"sha256:{digest}"
    assert set(q1.inputs) == {"client.yaml", "2026-Q1/responses.csv", "2026-Q1/funnel.csv", "2026-Q1/channels.csv",
                              "plans/2026-04-20.yaml"}  # the agreed plan the quarter shows


def test_json_has_schema_version_and_no_respondent_ids(q1):
    text = to_json(q1)
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["question_bank_version"] == load_question_bank().version
    ids = [line.split(",")[0] for line in (EXAMPLE / "2026-Q1" / "responses.csv").read_text().splitlines()[1:]]
    assert len(ids) == 12
    assert not [rid for rid in ids if rid in text]
    assert data["funnel"]["rates"]["mql_to_sal"]["value"] == round(285 / 420, 6)


def test_a_client_without_funnel_or_channels_is_assessed_with_benchmarks(tmp_path):
    copy = tmp_path / "c"
    shutil.copytree(EXAMPLE, copy)
    (copy / "2026-Q1" / "funnel.csv").unlink()
    (copy / "2026-Q1" / "channels.csv").unlink()
    a = assess(copy, Q1)
    assert a.funnel is None and a.channels is None
    assert [r.origin for r in a.sla.rates] == ["benchmark"] * 3
    _client, inputs = load_inputs(copy, Q1, load_question_bank())
    assert sorted(w.message.split(":")[0] for w in inputs.warnings) == ["no channels.csv", "no funnel.csv"]
    assert a.input_warnings == 2


def test_problems_in_several_files_are_reported_together(tmp_path):
    copy = tmp_path / "c"
    shutil.copytree(EXAMPLE, copy)
    (copy / "client.yaml").write_text("name: X\n", encoding="utf-8")
    funnel = copy / "2026-Q1" / "funnel.csv"
    funnel.write_text(funnel.read_text().replace("420,130", "-420,130"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        assess(copy, Q1)
    files = {p.file for p in info.value.problems}
    assert files == {"client.yaml", "2026-Q1/funnel.csv"}


def test_atomic_write_and_keep_previous(tmp_path):
    target = tmp_path / "out" / "assessment.json"
    write_text_atomic(target, "one\n")
    kept = keep_previous(target)
    write_text_atomic(target, "two\n")
    assert kept.name == "assessment.previous-1.json" and kept.read_text() == "one\n"
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["assessment.json", "assessment.previous-1.json"]


def test_templates_ship_the_blank_inputs_matching_the_bank():
    header = (templates_dir() / "inputs" / "responses.csv").read_text().strip().split(",")
    assert header == ["respondent_id", "team"] + [q.id for q in load_question_bank().questions]
