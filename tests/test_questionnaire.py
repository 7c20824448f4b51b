"""The question bank: the shipped file's shape, answer mappings, and validation on load."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from smarketing_assess.config.questionnaire import TEAMS, load_question_bank
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.resources import templates_dir

DOMAIN_DIMENSIONS = {
    "meeting_cadence", "meeting_quality", "leadership", "lead_volume", "lead_quality", "follow_up",
    "conversion", "definitions", "sla", "lead_scoring", "closed_loop", "channels", "culture",
}
# A reader's pace: an agreement statement is quick, a figure takes some thought.
SECONDS = {"scale": 12, "choice": 15, "number": 25, "percent": 25}


@pytest.fixture(scope="module")
def bank():
    return load_question_bank()


def test_bank_covers_the_thirteen_dimensions_with_three_to_six_questions_each(bank):
    assert {d.id for d in bank.dimensions} == DOMAIN_DIMENSIONS
    for d in bank.dimensions:
        assert 3 <= len(bank.in_dimension(d.id)) <= 6, d.id


@pytest.mark.parametrize("team", TEAMS)
def test_one_respondent_finishes_in_under_ten_minutes(bank, team):
    questions = bank.questions_for(team)
    assert len(questions) <= 30
    assert sum(SECONDS[q.kind] for q in questions) < 10 * 60


def test_every_dimension_has_a_question_both_sales_and_marketing_answer(bank):
    # without one, no perception gap could be measured for that dimension
    for d in bank.dimensions:
        assert any(q.scored and q.asked_of("sales") and q.asked_of("marketing") for q in bank.in_dimension(d.id))


def test_every_reader_facing_text_exists_in_every_language(bank):
    for q in bank.questions:
        assert set(q.text) == set(bank.languages)
    for level in bank.maturity_levels:
        assert set(level.name) == set(bank.languages)
    assert [lv.lower for lv in bank.maturity_levels] == [0, 20, 40, 60, 80]


def test_scale_answers_map_to_quarters_and_reverse_when_agreeing_is_bad(bank):
    q = bank.question("mq_decisions")
    assert [q.score(a) for a in (1, 2, 3, 4, 5)] == [0, 25, 50, 75, 100]
    blame = bank.question("mq_blame")
    assert blame.reverse
    assert [blame.score(a) for a in (1, 5)] == [100, 0]


def test_choice_and_number_mappings(bank):
    freq = bank.question("mc_frequency")
    assert freq.score("monthly") == 55
    assert freq.numeric("weekly") == 4
    hours = bank.question("fu_hours")
    # points (4, 85) and (24, 55): 12 hours lies 8/20 of the way, 85 - 30 * 0.4 = 73
    assert hours.score(12) == pytest.approx(73)
    assert hours.score(0) == 100  # flat before the first point
    assert hours.score(500) == 0  # and after the last


def _write(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load((templates_dir() / "questionnaire.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _questions(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


def test_every_problem_of_a_broken_bank_is_reported_at_once(tmp_path):
    def break_it(data):
        data["questions"].append(copy.deepcopy(_questions(data, "mq_data")))  # duplicate id (no YAML alias)
        _questions(data, "mq_decisions")["dimension"] = "mood"  # unknown dimension
        _questions(data, "fu_hours")["points"] = [[24, 50], [4, 80]]  # answers not increasing
        data["option_sets"]["frequency"]["options"][0]["score"] = 150  # score above 100

    with pytest.raises(InputError) as info:
        load_question_bank.__wrapped__(_write(tmp_path, break_it))
    messages = [p.message for p in info.value.problems]
    assert any("duplicate question id" in m for m in messages)
    assert any("unknown dimension" in m for m in messages)
    assert any("point answers must increase" in m for m in messages)
    assert any("score must be between 0 and 100" in m for m in messages)
    assert all(p.file.endswith("questionnaire.yaml") for p in info.value.problems)


def test_missing_text_for_a_declared_language_is_an_error(tmp_path):
    def add_language(data):
        data["languages"] = ["en", "it"]

    with pytest.raises(InputError) as info:
        load_question_bank.__wrapped__(_write(tmp_path, add_language))
    assert any("missing for language 'it'" in p.message for p in info.value.problems)


def test_scored_number_question_needs_a_mapping(tmp_path):
    def drop_points(data):
        del _questions(data, "fu_attempts")["points"]

    with pytest.raises(InputError, match="needs 'points'"):
        load_question_bank.__wrapped__(_write(tmp_path, drop_points))


def test_a_placeholder_that_reaches_into_objects_is_refused(tmp_path):
    def inject(data):
        _questions(data, "mq_data")["text"]["en"] = "Hello {x.__class__}"

    with pytest.raises(InputError, match="not a plain name"):
        load_question_bank.__wrapped__(_write(tmp_path, inject))


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "questionnaire.yaml"
    path.write_text("version: 1\nquestions: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_question_bank.__wrapped__(path)
    assert info.value.problems[0].row is not None


def test_fingerprint_changes_with_wording_or_mapping_but_not_with_order(tmp_path):
    shipped = {q.id: q.fingerprint() for q in load_question_bank().questions}
    assert len(set(shipped.values())) == len(shipped)

    def edit(data):
        _questions(data, "mq_data")["text"]["en"] = "Disagreements are settled with figures."
        _questions(data, "fu_hours")["points"][0] = [1, 95]
        data["questions"].reverse()

    edited = {q.id: q.fingerprint() for q in load_question_bank.__wrapped__(_write(tmp_path, edit)).questions}
    changed = {qid for qid in shipped if shipped[qid] != edited[qid]}
    assert changed == {"mq_data", "fu_hours"}
