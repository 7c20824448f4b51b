"""The workshop's plan page: the same plan.yaml as the command line, edited with widgets."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path

import pytest

from smarketing_assess.config.plan import load_plan
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.ui.plan_editor import PlanEditor

EXAMPLE = examples_dir() / "brightline-sensors"


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("plan.yaml", "plans"))
    return copy


def test_a_workshop_on_the_page_writes_the_plan_the_command_line_agrees(client):
    editor = PlanEditor(client, "2026-Q1")
    assert not (client / "plan.yaml").exists()  # nothing is written until Save
    rows = {r.data["id"]: r for r in editor.rows}
    # every suggestion is on the page, proposed, with what was suggested beside it
    assert {r.status.value for r in editor.rows} == {"proposed"}
    assert "suggested: 24 by Jun 30, 2026" in rows["speed_to_lead"].widget.children[0].value
    for gid in rows:
        rows[gid].status.value = "accepted"
    rows["data_feedback"].status.value = "dropped"
    rows["speed_to_lead"].status.value = "changed"
    rows["speed_to_lead"].target.value = 12
    rows["speed_to_lead"].deadline.value = dt.date(2026, 9, 30)
    rows["speed_to_lead"].person.value = "Tomás Ferrand"
    editor.new_metric.value = "rate.opportunity_to_customer"
    editor.new_title.value = "Win more of the deals that reach a proposal"
    editor.add_goal()
    added = editor.rows[-1]
    added.target.value = 0.35
    added.team.value = "sales"
    editor.mql.value = 180
    editor.agreed_by.value = "Head of marketing\nHead of sales\n"
    assert editor.agree() is None  # no date of agreement yet: refused, and said why
    assert "no date of agreement" in editor.message.value and not (client / "plans").exists()
    editor.agreed_date.value = dt.date(2026, 4, 20)
    kept = editor.agree()
    assert kept == client / "plans" / "2026-04-20.yaml"
    plan, _ = load_plan(kept)
    goals = {g.id: g for g in plan.goals}
    assert [g.id for g in plan.active][-1] == "own_1" and goals["own_1"].status == "added"
    assert (goals["own_1"].metric, goals["own_1"].target, goals["own_1"].owner.team) == (
        "rate.opportunity_to_customer", 0.35, "sales")
    assert goals["own_1"].baseline == pytest.approx(21 / 71)  # today's figure: 21 customers of 71 opportunities
    assert (goals["speed_to_lead"].target, goals["speed_to_lead"].deadline) == (12, dt.date(2026, 9, 30))
    assert goals["speed_to_lead"].suggested.target == 24 and goals["speed_to_lead"].owner.person == "Tomás Ferrand"
    assert goals["data_feedback"].status == "dropped"
    assert plan.sla.marketing.mql_per_month == 180 and plan.agreed.by == ["Head of marketing", "Head of sales"]


def test_saving_again_keeps_the_version_it_replaces(client):
    editor = PlanEditor(client, "2026-Q1")
    editor.save()
    first = (client / "plan.yaml").read_text(encoding="utf-8")
    assert editor.save() == client / "plan.yaml" and not (client / "plan.previous-1.yaml").exists()  # unchanged
    editor.rows[0].status.value = "accepted"
    editor.save()
    assert (client / "plan.previous-1.yaml").read_text(encoding="utf-8") == first
    reopened = PlanEditor(client)  # reopens on the plan's own quarter, with what was saved
    assert reopened.rows[0].status.value == "accepted" and reopened.baseline == "2026-Q1"


def test_an_invalid_field_is_said_and_nothing_is_written(client):
    editor = PlanEditor(client, "2026-Q1")
    editor.rows[0].deadline.value = None
    assert editor.save() is None
    # the first goal, counted from 1 as the file's reader counts it
    assert "goal 1, deadline" in html.unescape(editor.message.value) and not (client / "plan.yaml").exists()


def test_the_example_shipped_with_the_toolkit_is_shown_but_never_saved():
    before = (EXAMPLE / "plan.yaml").read_bytes()
    editor = PlanEditor()
    assert editor.baseline == "2026-Q1" and editor.save() is None
    assert "copy it to a folder of your own" in editor.message.value
    assert (EXAMPLE / "plan.yaml").read_bytes() == before


def test_the_page_frames_its_problems_in_its_own_language(client):
    editor = PlanEditor(client, "2026-Q1", language="pt-BR")
    editor.rows[0].deadline.value = None
    assert editor.save() is None
    said = html.unescape(editor.message.value)
    # the file still named; what was found and what was expected said in Portuguese, as the page is
    assert f"{client / 'plan.yaml'}: " in said and "; encontrado 'None'; esperado: " in said
    assert not (client / "plan.yaml").exists()
