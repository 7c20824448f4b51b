"""A form tool's export as it really comes back: reworded questions, answers from a team not asked,
the form's own timestamps, and what each question got."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.coverage import coverage_text
from smarketing_assess.reading.form_tools import coverage, import_responses, read_export
from smarketing_assess.records.inputs import Coverage
from smarketing_assess.ui.cli import main

FORMS = Path(__file__).parent / "fixtures" / "forms"
ASKED = "How often do sales and marketing meet together to review leads and results?"
REWORDED = "How often do marketing and sales meet to go over leads and results?"
COMMENTS = "Anything else you would like to tell us?"
LEADS = "Roughly how many new leads does marketing generate per month?"


@pytest.fixture
def reworded(tmp_path) -> Path:
    """The Google Forms export after the consultant reworded one question in the form, and a leader
    answered the leads question (it is not asked of leadership in the questionnaire)."""
    text = (FORMS / "google_forms.csv").read_text(encoding="utf-8").replace(ASKED, REWORDED)
    text = text.replace('"Every week or more often","Neither agree nor disagree","","75"',
                        '"Every week or more often","Neither agree nor disagree","500","75"')
    path = tmp_path / "form.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", copy)
    (copy / "2026-Q3").mkdir()
    return copy


def test_a_reworded_question_stops_the_import_and_names_the_question_it_most_likely_is(reworded):
    with pytest.raises(InputError) as info:
        read_export(reworded, load_question_bank(), mapping={COMMENTS: "-"})
    (problem,) = info.value.problems
    # the header as the form wrote it, how many answers it holds, and the question it most likely is
    assert problem.column == REWORDED and "its 3 answers would be lost" in problem.message
    assert f'did you mean "{ASKED}" (mc_frequency)? confirm with --map "{REWORDED}=mc_frequency"' in problem.expected


def test_confirmed_with_map_every_answer_is_kept_and_a_team_not_asked_is_counted(reworded, client):
    done = import_responses(reworded, client / "2026-Q3", mapping={REWORDED: "mc_frequency", COMMENTS: "-"})
    stored = [json.loads(p.read_text(encoding="utf-8")) for p in done.stored]
    assert sorted(r["answers"]["mc_frequency"] for r in stored) == ["biweekly", "monthly", "weekly"]
    # the leader's answer to a question not asked of leadership is left out, and said, once, with its count
    (warning,) = done.warnings
    assert warning.column == LEADS and warning.message.startswith("1 answer from leadership left out")
    assert "lv_estimate" not in next(r for r in stored if r["team"] == "leadership")["answers"]


def test_a_map_that_names_nothing_is_an_error_with_the_nearest(reworded):
    with pytest.raises(InputError) as info:
        read_export(reworded, load_question_bank(), mapping={REWORDED: "mc_frequncy", "Anything else?": "-"})
    messages = {p.message: p for p in info.value.problems}
    assert "mc_frequency" in messages["--map names no question"].expected
    assert COMMENTS in messages["--map names a column the export does not have"].expected


def test_the_import_command_prints_each_problem_once_then_the_answers_per_question(reworded, client):
    runner = CliRunner()
    failed = runner.invoke(main, ["questionnaire", "import", str(reworded), str(client), "--period", "2026-Q3"])
    assert failed.exit_code == 1
    assert failed.output.count(f"column '{REWORDED}'") == 1 and failed.output.count(f"column '{COMMENTS}'") == 1
    assert failed.output.strip().splitlines()[-1] == "Error: invalid input, 2 problems above; nothing was written."
    assert not (client / "2026-Q3" / "responses").exists()
    done = runner.invoke(main, ["questionnaire", "import", str(reworded), str(client), "--period", "2026-Q3",
                                "--map", f"{REWORDED}=mc_frequency", "--map", f"{COMMENTS}=-"])
    assert done.exit_code == 0, done.output
    rows = {line.split()[0]: line.split()[1:] for line in done.output.splitlines() if line.startswith(("mc_", "cu_"))}
    # one respondent of each team answered the meeting question; nobody the culture questions
    assert rows["mc_frequency"][:3] == ["1", "1", "1"] and "under 3: sales, marketing, leadership" in \
        " ".join(rows["mc_frequency"])
    assert rows["cu_celebrate"][-2:] == ["nobody", "answered"]


def test_coverage_counts_each_respondent_once_per_question_and_team(client):
    bank = load_question_bank()
    rows = {c.question: c for c in coverage(client / "2026-Q1", bank, 3)}
    # examples/.../2026-Q1/responses.csv: 6 sales, 4 marketing and 2 leadership respondents; mc_agenda is
    # asked of leadership only, and one salesperson (R01) left mq_decisions blank
    assert rows["mc_frequency"].counts == {"sales": 6, "marketing": 4, "leadership": 2}
    assert rows["mc_agenda"].counts == {"sales": None, "marketing": None, "leadership": 2}
    assert rows["mq_decisions"].counts["sales"] == 5 and rows["mq_decisions"].flag == "thin"


def test_the_coverage_table_calls_out_what_needs_a_look():
    rows = [Coverage("mc_frequency", {"sales": 6, "marketing": 2, "leadership": 1}, "thin"),
            Coverage("mc_agenda", {"sales": None, "marketing": None, "leadership": 0}, "none"),
            Coverage("cu_celebrate", {"sales": 1200, "marketing": 4, "leadership": 3}, "")]
    # the question padded to 22 characters, each team right-aligned in 12, then the note: marketing (2) and
    # leadership (1) answered, but fewer than 3; nobody answered mc_agenda; a count in thousands is grouped
    assert coverage_text(rows, 3).splitlines() == [
        "question" + " " * 14 + " " * 7 + "sales" + " " * 3 + "marketing" + " " * 2 + "leadership  note",
        "mc_frequency" + " " * 10 + " " * 11 + "6" + " " * 11 + "2" + " " * 11 + "1  under 3: marketing, leadership",
        "mc_agenda" + " " * 13 + " " * 11 + "–" + " " * 11 + "–" + " " * 11 + "0  nobody answered",
        "cu_celebrate" + " " * 10 + " " * 7 + "1,200" + " " * 11 + "4" + " " * 11 + "3",
        "2 of 3 questions need a look: a team with fewer than 3 answers to a question is left out of that "
        "question's figures",
    ]
    assert coverage_text(rows[2:], 3).splitlines()[-1] == "every question answered by at least 3 of each team asked"
