"""Real `assessment.json` files of every earlier schema version, upgraded by the migrations.

Each file under `fixtures/assessments/` was written by the toolkit's own code at the last commit
of its schema version, on the example client (v1 and v2: 2026-Q1, v3: 2026-Q2, v4: 2026-Q1, v5 to
v11: 2026-Q2, a second v6: 2026-Q1 with `crm --history` from the CRM history fixture, v12:
2026-Q1 from the generic CRM fixture, and v13: 2026-Q2); they are kept as written and never regenerated (as nbformat
keeps its old notebooks). Version 0 (before the schema was numbered) was never released: the first
version of the toolkit already wrote `schema_version: 1`, and `test_history.py` covers the
unnumbered case. The checks name figures, not the whole current text, so that they hold after the
schema's next version.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from smarketing_assess.model.assessment import SCHEMA_FILE, from_json, to_json
from smarketing_assess.records.assessment import SCHEMA_VERSION, Assessment

FIXTURES = Path(__file__).parent / "fixtures" / "assessments"
FILES = sorted(FIXTURES.glob("v*.json"))


def upgraded(name: str) -> Assessment:
    return from_json((FIXTURES / name).read_text(encoding="utf-8"), source=name)


def dimension(a: Assessment, name: str):
    return next(d for d in a.scores.dimensions if d.dimension == name)


def test_every_earlier_schema_version_has_a_real_file():
    versions = {json.loads(f.read_text(encoding="utf-8")).get("schema_version") for f in FILES}
    assert {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13} <= versions


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_a_stored_file_upgrades_validates_and_round_trips(path):
    old = json.loads(path.read_text(encoding="utf-8"))
    assessment = from_json(path.read_text(encoding="utf-8"), source=path.name)
    assert assessment.schema_version == SCHEMA_VERSION
    assert (assessment.period, assessment.client.slug) == (old["period"], "brightline-sensors")
    text = to_json(assessment)
    jsonschema.validate(json.loads(text), json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert to_json(from_json(text)) == text


def test_version_1_sentences_become_codes_and_figures():
    a = upgraded("v1-2026-Q1.json")
    # goal evidence: version 1 wrote the condition as words, "below 4" (mc_frequency median 1 < 4)
    weekly = next(g for g in a.goals if g.id == "weekly_meeting")
    assert [(e.fact, e.value, e.op, e.threshold) for e in weekly.evidence] == [
        ("answer.mc_frequency.median", 1, "below", 4)]
    speed = next(g for g in a.goals if g.id == "speed_to_lead")
    # "above 24": the funnel's median hours to first contact, 28, is above the playbook's 24
    assert [(e.fact, e.value, e.op, e.threshold) for e in speed.evidence] == [("followup.hours", 28, "above", 24)]
    # the channel advice's figures, from the file's channel rows (channels.csv 2026-Q1):
    # LinkedIn ads spend 30,000 for 2 customers of 260 leads -> 15,000 a customer;
    # Organic search 6,000 for 8 customers of 420 leads -> 750 a customer, 8 / 420 = 0.019048
    rec = a.channels.recommendation
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "LinkedIn ads", "Organic search")
    assert (rec.from_spend, rec.from_cost_per_customer, rec.to_cost_per_customer) == (30000, 15000, 750)
    assert rec.to_lead_to_customer == pytest.approx(8 / 420, abs=1e-6)
    assert (rec.from_leads, rec.from_customers, rec.to_leads, rec.to_customers) == (260, 2, 420, 8)
    # follow-up from the funnel (funnel.csv has followed_up and hours columns): (95 + 100 + 108) / 420
    # MQLs contacted, median of 30, 28, 26 hours; its basis is the quarter's 130 + 140 + 150 = 420 MQLs
    f = a.followup
    assert (f.source, f.hours, f.basis) == ("funnel", 28, 420)
    assert f.share == pytest.approx(303 / 420, abs=1e-6)
    assert a.input_warnings == 0  # the file's "warnings" list is empty
    assert a.plan is None and a.sla_months == []  # version 1 had no agreed plan


def test_version_1_warnings_as_text_become_their_count():
    data = json.loads((FIXTURES / "v1-2026-Q1.json").read_text(encoding="utf-8"))
    data["warnings"] = ["funnel.csv: a month is missing", "channels.csv: no spend for Webinars"]
    assert from_json(json.dumps(data)).input_warnings == 2


def test_version_2_scores_are_rounded_half_up_once():
    a = upgraded("v2-2026-Q1.json")
    s = a.scores
    channels = dimension(a, "channels")
    # the file's channels gap -12.5 -> -13, half away from zero (Python's round gives -12); its
    # teams sales 75 and marketing 59.375 -> 75 and 59; its score 61.458333 -> 61
    assert (channels.gap, channels.teams["sales"], channels.teams["marketing"], channels.score) == (-13, 75, 59, 61)
    quality = dimension(a, "lead_quality")
    # 52.25 -> 52, sales 31.875 -> 32, marketing 66.375 -> 66, gap 41.833333 -> 42: the score stays
    # what was judged then (today's code would take (32 + 66) / 2 = 49 from the rounded teams)
    assert (quality.score, quality.teams["sales"], quality.teams["marketing"], quality.gap) == (52, 32, 66, 42)
    assert quality.teams["leadership"] is None  # withheld: two leaders, fewer than 3
    # version 2 kept no compared scores: unknown, not guessed
    assert quality.compared == {"marketing": None, "sales": None}
    # the index's figures to one decimal: 36.153935 -> 36.2, 18.797009 -> 18.8, by team
    # 35.084402 -> 35.1 and 38.320513 -> 38.3; the index to whole points: 26.755431 -> 27
    assert (s.overall, s.mean_gap, s.alignment_index) == (36.2, 18.8, 27)
    assert s.overall_by_team == {"sales": 35.1, "marketing": 38.3, "leadership": None}
    # counted: the teams with respondents (sales 6, marketing 4, leadership 2) less the withheld leadership
    assert s.counted_teams == ["sales", "marketing"] and s.sparse == []
    assert (a.bases, a.held_back) == ({}, [])
    assert (a.evidence.min_basis, a.evidence.confidence) == (30, 0.95)
    # the channel advice gains the leads and customers it rests on (260 and 2, 420 and 8)
    rec = a.channels.recommendation
    assert (rec.from_leads, rec.from_customers, rec.to_leads, rec.to_customers) == (260, 2, 420, 8)


def test_version_3_keeps_the_agreed_plan_and_its_months():
    a = upgraded("v3-2026-Q2.json")
    # plans/2026-04-20.yaml as that version read it: agreed on 2026-04-20 by three, from 2026-Q1,
    # marketing commits 178 MQLs a month and sales a first contact within 24 hours
    plan = a.plan
    assert plan is not None
    assert (plan.agreed_on, plan.baseline, len(plan.by)) == ("2026-04-20", "2026-Q1", 3)
    assert (plan.mql_per_month, plan.first_contact_hours) == (178, 24)
    assert [g.id for g in plan.goals][:2] == ["weekly_meeting", "written_definitions"]
    # the quarter's months against it (funnel.csv 2026-Q2: MQLs 160, 170, 180; median hours 20, 16, 14;
    # followed up 138 of 160 in April = 0.8625 against the 0.9 agreed)
    months = {m.month: {r.id: r for r in m.results} for m in a.sla_months}
    assert list(months) == ["2026-04", "2026-05", "2026-06"]
    assert [(months[m]["mql_per_month"].delivered, months[m]["mql_per_month"].status) for m in months] == [
        (160, "missed"), (170, "missed"), (180, "met")]
    assert [months[m]["first_contact"].delivered for m in months] == [20, 16, 14]
    april = months["2026-04"]["work_every_mql"]
    assert (april.committed, april.delivered, april.basis, april.status) == (0.9, 0.8625, 160, "missed")
    assert a.crm is None  # no CRM export in the example, so no CRM history to add
    # scores were already whole in version 3 and are kept: meeting cadence 80, gap 77 - 82 = -5
    cadence = dimension(a, "meeting_cadence")
    assert (cadence.score, cadence.compared, cadence.gap) == (80, {"marketing": 77, "sales": 82}, -5)
    assert a.scores.alignment_index == 44


def test_version_4_reads_as_written():
    a = upgraded("v4-2026-Q1.json")
    # the same quarter as the v2 file, rounded at the source: lead quality's teams 32 and 66 give
    # (32 + 66) / 2 = 49; the compared scores are marketing (2 * 75 + 90.5) / 3 = 80.17 -> 80 and
    # sales (2 * 175/6 + 340/6) / 3 = 38.33 -> 38, a gap of 42 (worked out in test_assessment.py)
    quality = dimension(a, "lead_quality")
    assert (quality.score, quality.compared, quality.gap) == (49, {"marketing": 80, "sales": 38}, 42)
    assert a.plan is not None and a.plan.agreed_on == "2026-04-20"
    assert a.followup.hours == 28 and a.channels.recommendation.to_cost_per_customer == 750


def test_version_5_keeps_its_figures_and_gains_no_stored_comparison():
    """A version 5 file kept no comparison with the quarter before: it reads as none stored, and its
    report compares it with the quarter before when drawn (`running.notebooks.earlier_quarter`)."""
    a = upgraded("v5-2026-Q2.json")
    assert a.since is None
    # its own figures are untouched: the example's 2026-Q2 index 44 (51.9 - 0.5 x 15.7 = 44.05 -> 44)
    assert a.scores.alignment_index == 44
    assert a.findings is not None and a.wording is not None  # schema 5 stored both


def test_version_6_sla_is_rounded_once_for_the_quarter():
    """A version 6 SLA kept its exact volumes: version 7 works them again from its three rates, from the
    customers rounded up once, each stage rounded up once, a month a third of the quarter."""
    sla = upgraded("v6-2026-Q2.json").sla
    # 400,000 / 15,000 = 26.67 -> 27 customers; 2026-Q2's own rates 27/168, 168/510, 510/1,485 give back
    # its own 168 SQLs, 510 MQLs and 1,485 leads
    assert [sla.quarterly(s) for s in ("customers", "sql", "mql", "leads")] == [27, 168, 510, 1485]
    assert sla.monthly("customers") == pytest.approx(9) and sla.monthly("leads") == pytest.approx(495)
    assert sla.origins == {"customers": "goal", "sql": "observed", "mql": "observed", "leads": "observed"}
    assert sla.handover == "mql"
    assert sla.handover_per_rep_per_day == pytest.approx(510 / 3 / 21 / 5)  # 170 MQLs a month, 5 reps


@pytest.mark.parametrize("name", ["v6-2026-Q2.json", "v7-2026-Q2.json"])
def test_versions_6_and_7_keep_the_first_contact_share_they_showed(name):
    """Versions 6 and 7 always held a first-contact share in the agreed plan, the plan's or the 0.9 default
    (the example's plans/2026-04-20.yaml names none): each keeps what it said, and its stored comparison."""
    a = upgraded(name)
    assert a.plan is not None and (a.plan.first_contact_hours, a.plan.first_contact_share) == (24, 0.9)
    # the comparison with 2026-Q1 it stored: index 28 then, 44 now (51.9 - 0.5 x 15.7 = 44.05 -> 44)
    assert a.since is not None and (a.since.previous, a.since.index_before) == ("2026-Q1", 28)
    assert a.scores.alignment_index == 44


def test_version_6_medians_gain_the_leads_they_are_over_and_keep_their_judgements():
    """A file of version 8 or before kept no count beside its medians: the CRM hours were over the leads contacted
    (`crm.followup.followed_up`), the days to won are taken over the won deals, and its history rows
    kept none (left unmarked: what the report said then)."""
    a = upgraded("v6-2026-Q1-crm.json")
    # tests/fixtures/crm/history, 2026-Q1: H-03 and H-04 handed over and contacted after 6 and 24 hours
    # (median 15, over 2); HD-1 won and HD-3 lost in the quarter
    assert (a.followup.hours, a.followup.hours_basis) == (15, 2)
    assert a.crm.followup.hours_basis == 2
    assert (a.crm.deals.won, a.crm.deals.lost, a.crm.deals.days_basis) == (1, 1, 1)
    assert a.crm.history.whole.hours_basis is None and a.crm.history.whole.median_hours == 4
    assert (a.crm.thinly_linked, a.crm.partial) == ({}, {})
    assert a.findings is not None  # stored in as judged then


def test_version_9_or_earlier_channel_advice_is_judged_again_by_the_evidence_rule():
    """A version 9 (or earlier) file's channel advice is judged again from its stored rows: the example's 2026-Q2
    still moves budget, now naming the customers and leads of both channels; the same rows without
    spend and cut to a few leads a channel favour no channel."""
    a = upgraded("v6-2026-Q2.json")
    rec = a.channels.recommendation
    # LinkedIn ads 15,000 for 1 customer of 150 leads; Organic search 9,000 for 10 of 480: 900 a customer
    assert (rec.kind, rec.from_channel, rec.to_channel) == ("shift", "LinkedIn ads", "Organic search")
    assert (rec.from_customers, rec.from_leads, rec.to_customers, rec.to_leads) == (1, 150, 10, 480)
    assert a.since is not None and a.scores.alignment_index == 44  # the rest as stored
    data = json.loads((FIXTURES / "v6-2026-Q2.json").read_text(encoding="utf-8"))
    for row in data["channels"]["channels"]:  # 2 leads and 2 customers a channel, no spend known
        row.update(leads=2, customers=2, spend=None, cost_per_lead=None, cost_per_customer=None)
    thin = from_json(json.dumps(data), source="thin.json").channels.recommendation
    assert (thin.kind, thin.to_channel) == ("no_spend_thin", None)


def test_version_10_comparison_keeps_its_moves_and_gains_no_team_mix():
    """A version 10 comparison with the quarter before kept no teams: its moves stand as judged then."""
    a = upgraded("v10-2026-Q2.json")
    assert a.since is not None and a.since.teams is None
    # the example's largest move as version 10 judged it, over the teams each quarter published
    assert (a.since.moves[0].dimension, a.since.moves[0].before, a.since.moves[0].after) == ("definitions", 13, 56)


def test_version_11_wording_keeps_its_ranges_and_gains_no_bank_words():
    """A version 11 file kept no question-bank words: its report names teams, dimensions and levels from
    the shipped bank, as it did."""
    a = upgraded("v11-2026-Q2.json")
    assert a.wording is not None and a.wording.bank is None
    assert a.wording.ranges  # the public ranges it showed are still its own


def test_version_12_crm_figures_keep_their_cohort_and_were_taken_from_creation_dates():
    """Version 12 read only CRM exports with creation dates: no snapshot day (`crm.as_of`), and its
    cohort note stands."""
    a = upgraded("v12-2026-Q1-crm.json")
    assert a.crm is not None and a.crm.as_of is None and a.crm.view == "cohort"
    # generic/leads.csv, 2026-Q1: five MQLs handed over, four contacted (see test_crm.py)
    assert (a.crm.followup.handed_over, a.crm.followup.followed_up) == (5, 4)


def test_version_13_question_figures_are_rounded_as_a_report_shows_them():
    """Version 13 kept each question's mean score and share of positive answers to six decimals: the
    upgrade rounds them (whole points, whole percent), and the facts taken from them with them."""
    old = json.loads((FIXTURES / "v13-2026-Q2.json").read_text(encoding="utf-8"))
    before = {q["question"]: q for q in old["scores"]["questions"]}
    a = upgraded("v13-2026-Q2.json")
    means = [before[q.question]["mean_score"] for q in a.scores.questions]
    fine = [m for m in means if m is not None and m != round(m)]
    assert fine  # some means were not whole before...
    for q in a.scores.questions:
        was = before[q.question]
        if was["mean_score"] is None:
            assert q.mean_score is None
            continue
        assert q.mean_score == int(q.mean_score) and abs(q.mean_score - was["mean_score"]) <= 0.5  # ...now they are
        assert abs(q.share_positive - was["share_positive"]) <= 0.005
        assert round(q.share_positive * 100, 9) == int(round(q.share_positive * 100, 9))
        assert a.facts[f"answer.{q.question}.mean_score"] == q.mean_score
    assert a.scores.respondents == old["scores"]["respondents"]  # the rest as it was
