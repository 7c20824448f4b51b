"""The agreed plan: plan.yaml written from the suggestions, checked line by line, agreed versions kept."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from smarketing_assess.config.plan import agreed_versions
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.plan import in_force
from smarketing_assess.running.pipeline import assess
from smarketing_assess.running.plans import agree_plan, check_client_plan, new_plan
from smarketing_assess.ui.cli import main

Q1 = Period.parse("2026-Q1")

# A plan as the workshop leaves it: weekly_meeting accepted, speed_to_lead changed (target 12
# hours by September instead of 24 by June), data_feedback dropped, and win_more added.
WORKSHOP = """\
plan_version: 1
baseline: 2026-Q1
agreed:
  date: 2026-04-20
  by: ["Head of marketing (Marta Quintela)", "Head of sales (Tomás Ferrand)"]
goals:
  - id: weekly_meeting
    status: accepted
    metric: answer.mc_frequency.median
    better: higher
    baseline: 1
    target: 4
    deadline: 2026-06-30
    owner: {team: joint, person: COO}
  - id: speed_to_lead
    status: changed
    metric: followup.hours
    target: 12
    deadline: 2026-09-30
    owner: {team: sales}
    suggested: {baseline: 28, target: 24, deadline: 2026-06-30}
  - id: data_feedback
    status: dropped
    metric: answer.mq_data.share_positive
    target: 0.25
    deadline: 2026-06-30
  - id: win_more
    status: added
    title: Win more of the deals that reach a proposal
    metric: rate.opportunity_to_customer
    target: 0.35
    deadline: 2026-09-30
    owner: {team: sales, person: Tomás Ferrand}
sla:
  marketing:
    mql_per_month: 180
  sales:
    first_contact_hours: 24
    attempts: 6
    accept_or_return_days: 2
"""


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", copy, ignore=shutil.ignore_patterns("plan.yaml", "plans"))
    return copy


def _check(client: Path, text: str):
    (client / "plan.yaml").write_text(text, encoding="utf-8")
    return check_client_plan(client, lambda period: assess(client, period))


def test_a_new_plan_holds_every_suggestion_proposed_with_what_was_suggested(client):
    assessment = assess(client, Q1)
    path = new_plan(client, assessment)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [g["id"] for g in data["goals"]] == [g.id for g in assessment.goals]
    assert {g["status"] for g in data["goals"]} == {"proposed"}
    for written, goal in zip(data["goals"], assessment.goals, strict=True):
        assert written["suggested"]["target"] == pytest.approx(goal.target, rel=1e-5)
        assert str(written["deadline"]) == goal.deadline
    # 2026-Q1: 400,000 / 15,000 = 26.67 -> 27 customers; 27 / (21/127) / (127/420) = 540 MQLs in the quarter,
    # 180 a month
    assert data["sla"]["marketing"]["mql_per_month"] == 180
    with pytest.raises(FileExistsError):  # never over a plan being edited
        new_plan(client, assessment)
    # undecided goals are a warning on their lines, and the plan cannot be agreed yet
    done = check_client_plan(client, lambda period: assess(client, period))
    assert len([w for w in done.checked.warnings if "still proposed" in w.message]) == len(assessment.goals)


def test_the_workshop_plan_holds_the_accepted_the_changed_and_the_added_goals(client):
    done = _check(client, WORKSHOP)
    assert done.checked.errors == [] and done.checked.warnings == []
    assert [g.id for g in done.plan.active] == ["weekly_meeting", "speed_to_lead", "win_more"]
    assert done.plan.goals[1].suggested.target == 24 and done.plan.goals[1].target == 12
    assert done.plan.goals[0].owner.person == "COO"


@pytest.mark.parametrize(("old", "new", "line", "message", "expected"), [
    # a misspelt figure: the closest names are offered
    ("metric: rate.opportunity_to_customer", "metric: rate.oportunity_to_customer", 30,
     "no such figure in the assessment", "rate.opportunity_to_customer"),
    # hours to first contact are better lower: 30 against today's 28 is no improvement
    ("    target: 12\n", "    target: 30\n", 18, "the target is not an improvement", "a target below 28"),
    # a deadline before the plan starts
    ("deadline: 2026-09-30\n    owner: {team: sales}\n", "deadline: 2026-03-31\n    owner: {team: sales}\n", 19,
     "the deadline is not after the plan starts", "a date after 2026-04-20"),
    ("deadline: 2026-09-30\n    owner: {team: sales}\n", "deadline: next june\n    owner: {team: sales}\n", 19,
     "'goal 2, deadline'", "a date written 2026-06-30"),
    ("    owner: {team: sales}\n", "", 15, "goal 'speed_to_lead' has no owner", "owner: {team"),
    ("  - id: win_more", "  - id: speed_to_lead", 27, "goal 'speed_to_lead' appears twice", "its own id"),
    ("owner: {team: joint, person: COO}", "owner: {team: everyone}", 14, "'goal 1, owner.team'",
     "one of marketing, sales, joint, leadership"),
    # hours are better lower, whatever the plan says
    ("metric: followup.hours\n", "metric: followup.hours\n    better: higher\n", 18, "followup.hours is better lower",
     "lower"),
    ("    title: Win more of the deals that reach a proposal\n", "", 27, "goal 'win_more' has no title", "title:"),
])
def test_each_bad_line_is_named_and_nothing_is_agreed(client, old, new, line, message, expected):
    assert old in WORKSHOP
    with pytest.raises(InputError) as info:
        done = _check(client, WORKSHOP.replace(old, new, 1))
        agree_plan(client, done)
    problem = next(p for p in info.value.problems if message in p.message or message in str(p))
    assert problem.row == line and expected in str(problem.expected)
    assert not (client / "plans").exists()


def test_marketing_committing_fewer_mqls_than_the_revenue_goal_needs_is_a_warning(client):
    # 540 MQLs in 2026-Q1's quarter (see above): 180 a month
    done = _check(client, WORKSHOP.replace("mql_per_month: 180", "mql_per_month: 179"))
    (warning,) = done.checked.warnings
    assert warning.severity == "warning" and warning.row == 36
    assert "at least 180 a month (a third of the quarter's 540)" in warning.expected
    assert _check(client, WORKSHOP.replace("mql_per_month: 180", "mql_per_month: 180")).checked.warnings == []


def test_agreeing_keeps_every_version_and_each_month_is_judged_by_the_one_in_force(client):
    first = agree_plan(client, _check(client, WORKSHOP))
    assert first == client / "plans" / "2026-04-20.yaml" and first.read_text(encoding="utf-8") == WORKSHOP
    assert agree_plan(client, _check(client, WORKSHOP)) == first  # the same plan again: nothing new
    changed = WORKSHOP.replace("    target: 12\n", "    target: 10\n")
    with pytest.raises(InputError, match="a different plan was already agreed on this date"):
        agree_plan(client, _check(client, changed))
    assert first.read_text(encoding="utf-8") == WORKSHOP  # the agreed version is untouched
    second = agree_plan(client, _check(client, changed.replace("date: 2026-04-20", "date: 2026-06-02")))
    with pytest.raises(InputError, match="a later version is already agreed"):
        agree_plan(client, _check(client, changed.replace("date: 2026-04-20", "date: 2026-05-15")))
    versions = agreed_versions(client)
    assert sorted(versions) == [date(2026, 4, 20), date(2026, 6, 2)] and second.name == "2026-06-02.yaml"
    # May is judged against April's plan (12 hours), June against June's (10 hours)
    assert in_force(versions, date(2026, 5, 31))[1].goals[1].target == 12
    assert in_force(versions, date(2026, 6, 30))[1].goals[1].target == 10
    assert in_force(versions, date(2026, 4, 1)) is None


def test_a_plan_without_its_date_or_signatories_or_with_undecided_goals_cannot_be_agreed(client):
    text = WORKSHOP.replace("  date: 2026-04-20\n", "").replace('  by: ["Head of marketing (Marta Quintela)", '
                                                                 '"Head of sales (Tomás Ferrand)"]\n', "  by: []\n")
    text = text.replace("status: accepted", "status: proposed")
    with pytest.raises(InputError) as info:
        agree_plan(client, _check(client, text))
    messages = [p.message for p in info.value.problems]
    assert "goal 'weekly_meeting' is still proposed: not decided yet" in messages
    assert "the plan has no date of agreement" in messages and "the plan names nobody who agreed it" in messages
    assert not (client / "plans").exists()


def test_the_plan_commands(client):
    runner = CliRunner()
    assert runner.invoke(main, ["plan", "check", str(client)]).exit_code == 1  # no plan yet
    made = runner.invoke(main, ["plan", "new", str(client), "--period", "2026-Q1"])
    assert made.exit_code == 0 and (client / "plan.yaml").is_file()
    again = runner.invoke(main, ["plan", "new", str(client), "--period", "2026-Q1"])
    assert again.exit_code == 1 and "already exists" in again.output
    (client / "plan.yaml").write_text(WORKSHOP, encoding="utf-8")
    checked = runner.invoke(main, ["plan", "check", str(client)])
    assert checked.exit_code == 0 and "3 goals agreed or added, 0 warnings" in checked.output
    agreed = runner.invoke(main, ["plan", "agree", str(client)])
    assert agreed.exit_code == 0 and (client / "plans" / "2026-04-20.yaml").is_file()
    listed = runner.invoke(main, ["plan", "metrics", str(client), "--period", "2026-Q1"])
    assert "followup.hours" in listed.output and "better lower" in listed.output


def test_the_reports_show_the_agreed_plan_of_the_example():
    import bs4

    from smarketing_assess.running.notebooks import baseline_report

    def rows(period: str) -> list[list[str]]:
        soup = bs4.BeautifulSoup(baseline_report("", period).goals(), "html.parser")
        return [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in soup.select("table.plan tbody tr")]

    q1 = rows("2026-Q1")  # the quarter the plan started from: its own figures, and no new suggestions
    assert len(q1) == 7  # 5 accepted, 1 changed, 1 added; the dropped one is listed apart
    assert q1[3] == ["4", "Contact every MQL within the agreed time changed in the workshop: 24 by Jun 30, 2026 "
                     "was suggested", "Sales (Tomás Ferrand)", "Hours to first contact (median)", "28", "12",
                     "Sep 30, 2026"]
    # the goal the client added starts from the quarter's own figure: 21 customers of 71 opportunities
    assert q1[6][1:5] == ["Win more of the deals that reach a proposal added by the client", "Sales (Tomás Ferrand)",
                          "Opportunities → Customers", "30%"]
    q2 = rows("2026-Q2")  # a later quarter: the plan in force, its start and its figure now (16 hours)
    assert q2[3][4:6] == ["28", "16"]
    text = bs4.BeautifulSoup(baseline_report("", "2026-Q2").goals(), "html.parser").get_text(" ")
    assert "New suggestions from this quarter's figures" in text


def test_plan_agree_prints_each_warning_once(client):
    # weekly_meeting left proposed (line 8 of WORKSHOP: its status) and 179 MQLs a month against the 180 needed
    # (line 36): the first stops the agreement and is listed once among the problems, the second once as a warning
    text = WORKSHOP.replace("status: accepted", "status: proposed").replace("mql_per_month: 180", "mql_per_month: 179")
    (client / "plan.yaml").write_text(text, encoding="utf-8")
    refused = CliRunner().invoke(main, ["plan", "agree", str(client)])
    assert refused.exit_code == 1
    assert refused.output.count("'weekly_meeting' is still proposed") == 1
    assert refused.output.count("fewer than the revenue goal needs") == 1
    assert f"{client / 'plan.yaml'}, line 8: goal 'weekly_meeting' is still proposed" in refused.output
    assert ", row " not in refused.output  # a settings file has lines
    (client / "plan.yaml").write_text(text.replace("status: proposed", "status: accepted"), encoding="utf-8")
    agreed = CliRunner().invoke(main, ["plan", "agree", str(client)])
    assert agreed.exit_code == 0 and agreed.output.count("fewer than the revenue goal needs") == 1


def test_a_bad_unit_names_the_goal_counted_from_one_and_its_line(client):
    # the fourth goal, win_more (its id on line 27), given a unit the plan does not know after its target (line 31):
    # on line 32
    text = WORKSHOP.replace("    target: 0.35\n", "    target: 0.35\n    unit: percent\n")
    with pytest.raises(InputError) as info:
        _check(client, text)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{client / 'plan.yaml'}, line 32: 'goal 4, unit' is not one of the values allowed")
    # the eight units, named as the file writes them
    assert "'percent'" in str(problem)
    assert problem.expected == "one of score, share, per_month, hours, money, count, days, number"


def test_a_plans_problems_are_said_in_the_clients_language(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    # the second goal's deadline (line 19 of WORKSHOP) is not a date
    (client / "plan.yaml").write_text(WORKSHOP.replace("deadline: 2026-09-30\n    owner: {team: sales}\n",
                                                       "deadline: next june\n    owner: {team: sales}\n", 1),
                                      encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "check", str(client)], env={"LANG": "C"})
    assert result.exit_code == 1
    assert (f"{client / 'plan.yaml'}, linha 19: 'meta 2, deadline' não é uma data; encontrado 'next june'; "
            "esperado: uma data escrita 2026-06-30") in result.output
