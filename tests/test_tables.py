"""One table, every format: the rows of the HTML report, the workbook and the deck (scores, gaps, funnel,
channels, SLA volumes, goals) are the same rows, cell for cell, in every language."""

from __future__ import annotations

import dataclasses
import io
import re

import openpyxl
import pytest
from bs4 import BeautifulSoup
from pptx import Presentation

from smarketing_assess.core.period import Period
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.slides import deck
from smarketing_assess.presenting.workbook import workbook
from smarketing_assess.running.pipeline import assess
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def q1():
    return assess(EXAMPLE, Period.parse("2026-Q1"))


@pytest.fixture(scope="module")
def q2():
    return assess(EXAMPLE, Period.parse("2026-Q2"))


def html_rows(section: str) -> list[list[str]]:
    """Every body and footer row of a section's first table, as the reader sees each cell's text."""
    table = BeautifulSoup(section, "html.parser").find("table")
    return [[re.sub(r"[ \n\t]+", " ", c.get_text(" ", strip=True)) for c in tr.find_all(["th", "td"])]
            for part in ("tbody", "tfoot") for tr in (table.find(part).find_all("tr") if table.find(part) else [])]


def sheet_rows(content: bytes, heading: str) -> list[list[object]]:
    """The rows (under the header) of the sheet named for `heading` (cut to a sheet name's length)."""
    ws = next(ws for ws in openpyxl.load_workbook(io.BytesIO(content)) if heading.startswith(ws.title))
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def slide_rows(content: bytes, title: str) -> list[list[str]]:
    """The rows (under the header) of the first table on each slide titled `title` (continued ones included)."""
    rows: list[list[str]] = []
    for slide in Presentation(io.BytesIO(content)).slides:
        shown = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        if shown != title and not shown.startswith(f"{title} ("):  # a heading inside another slide is not its title
            continue
        table = next(shape.table for shape in slide.shapes if shape.has_table)
        rows += [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    return rows


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_the_funnel_rows_are_the_same_in_the_report_the_workbook_and_the_deck(q2, language):
    report = BaselineReport(q2, language)
    html = html_rows(report.funnel())
    heading = report.words.t("report.funnel.heading")
    sheet = sheet_rows(workbook(q2, report.words), heading)
    slides = slide_rows(deck(report), heading)
    f = q2.funnel
    # a row per tracked stage, and the overall lead-to-customer row under them, in all three
    assert len(html) == len(sheet) == len(slides) == len(f.stages) + 1
    for stage, h, x, s in zip(f.stages, html, sheet, slides, strict=False):
        assert h[0] == x[0] == s[0]  # the stage's name
        assert h[1] == s[1]  # its count as shown...
        assert x[1] == f.counts[stage]  # ...and as the number the workbook stores
        assert s[2].split(" ")[0] == h[3].removesuffix("*").strip()  # the rate, as the report shows it
    # the last row: leads to customers, over the quarter's leads
    overall = f.rates["lead_to_customer"]
    assert sheet[-1][1] == f.counts["leads"] and sheet[-1][3] == pytest.approx(overall.value)
    assert html[-1][0] == sheet[-1][0] == slides[-1][0]


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_channel_rows_are_the_same_in_the_report_the_workbook_and_the_deck(q2, language):
    report = BaselineReport(q2, language)
    html = html_rows(report.channels())
    heading = report.words.t("report.channels.heading")
    sheet = sheet_rows(workbook(q2, report.words), heading)
    slides = slide_rows(deck(report), heading)
    c = q2.channels
    assert len(html) == len(sheet) == len(slides) == len(c.channels) + 1  # every channel, then the totals
    for ch, h, x, s in zip(c.channels, html, sheet, slides, strict=False):
        assert h[1] == x[0] == s[0] == ch.channel  # ranked in the same order
        assert (h[2], h[3], h[4]) == (s[1], s[2], s[3])  # leads, customers, spend as shown
        assert (x[2], x[3]) == (ch.leads, ch.customers)  # and as numbers
        assert h[8] == s[4]  # cost per customer
    # the totals: every channel's leads and customers added up (the example's rows, summed here)
    assert sheet[-1][2] == sum(ch.leads for ch in c.channels)
    assert sheet[-1][3] == sum(ch.customers for ch in c.channels)
    assert html[-1][2] == slides[-1][1] and html[-1][3] == slides[-1][2]


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_the_scores_by_dimension_are_the_same_in_the_report_and_the_workbook(q1, language):
    # the deck shows these scores only as the chart
    report = BaselineReport(q1, language)
    html = html_rows(report.dimensions())
    sheet = sheet_rows(workbook(q1, report.words), report.words.t("report.dimensions.heading"))
    s = q1.scores
    assert s.withheld_teams == ["leadership"]  # 2026-Q1: too few leaders answered to show their scores
    withheld = report.words.t("report.withheld_short")
    assert len(html) == len(sheet) == len(s.dimensions) + 1  # every dimension, then the average
    # the report: dimension, overall, sales, marketing, leadership; the workbook: dimension, marketing, sales,
    # leadership, overall
    for d, h, x in zip(s.dimensions, html, sheet, strict=False):
        assert h[0] == x[0]
        assert (x[1], x[2], x[4]) == (d.teams["marketing"], d.teams["sales"], d.score)
        assert (h[1], h[2], h[3]) == (str(round(x[4])), str(round(x[2])), str(round(x[1])))
        assert h[4] == x[3] == withheld  # never a number, in either
    # the first dimension: marketing 31, sales 46, their mean 38.5 rounded half up to 39
    assert sheet[0][1:] == [31, 46, withheld, 39]
    # the average: the mean of the overall column above it, to one decimal
    overall = [x[4] for x in sheet[:-1]]
    assert sheet[-1][4] == pytest.approx(round(sum(overall) / len(overall), 1))
    assert html[-1][0] == sheet[-1][0] and html[-1][1] == report.words.num(sheet[-1][4], 1)


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_the_gaps_are_the_same_rows_in_the_report_the_workbook_and_the_deck(q2, language):
    report = BaselineReport(q2, language)
    html = html_rows(report.gaps())
    heading = report.words.t("report.gaps.heading")
    sheet = sheet_rows(workbook(q2, report.words), heading)
    slides = slide_rows(deck(report), heading)
    dims = [d for d in q2.scores.dimensions if d.gap is not None]
    # the dimensions both teams scored on the same questions, then the average size of the differences
    assert len(html) == len(sheet) == len(slides) == len(dims) + 1
    for d, h, x, s in zip(dims, html, sheet, slides, strict=False):
        assert h == s  # name, marketing, sales, difference as shown
        assert x[0] == h[0] == report.words.dim(d.dimension)
        assert x[3] == x[1] - x[2]  # the difference: marketing's score minus sales'
    # the first dimension, meeting cadence: marketing 77, sales 82, a difference of -5
    assert sheet[0][1:] == [77, 82, -5]
    assert html[-1][0] == sheet[-1][0] == slides[-1][0]
    assert sheet[-1][3] == pytest.approx(round(sum(abs(x[3]) for x in sheet[:-1]) / len(dims), 1))
    assert html[-1][-1] == slides[-1][-1] == report.words.num(sheet[-1][3], 1)


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_the_sla_volumes_are_the_same_in_the_report_the_workbook_and_the_deck(q2, language):
    report = BaselineReport(q2, language)
    html = html_rows(report.sla())
    heading = report.words.t("report.sla.heading")
    sheet = sheet_rows(workbook(q2, report.words), heading)
    slides = slide_rows(deck(report), heading)
    # leads, MQLs, SQLs, customers, then each rep's new MQLs and contact attempts a day
    assert len(html) == len(sheet) == len(slides) == 6
    for h, x, s in zip(html, sheet, slides, strict=True):
        assert h == s and h[0] == x[0]
    for x in sheet[:4]:
        assert x[1] == 3 * x[2]  # the quarter's commitment: three months, each rounded up
    # client.yaml: 5 sales reps share the MQLs of a working day
    assert sheet[4][3] == pytest.approx(sheet[1][3] / 5)
    assert sheet[4][1:3] == [None, None] and html[4][1:3] == ["", ""]


@pytest.mark.parametrize(("quarter", "plan"), [("2026-Q1", True), ("2026-Q2", True), ("2026-Q2", False)])
def test_the_goals_are_the_same_in_the_report_the_workbook_and_the_deck(q1, q2, quarter, plan):
    a = q1 if quarter == "2026-Q1" else q2
    a = a if plan else dataclasses.replace(a, plan=None)  # without a plan: the suggested starting goals
    report = BaselineReport(a, "en")
    html = html_rows(report.goals())
    heading = report.words.t("report.plan.heading" if plan else "report.goals.heading")
    sheet = sheet_rows(workbook(a, report.words), heading)
    slides = slide_rows(deck(report), heading)
    later = quarter == "2026-Q2" and plan  # the plan started in 2026-Q1: a "now" column beside its start
    assert len(html) == len(sheet) == len(slides) == (7 if plan else len(a.goals))  # plan.yaml: 7 goals in force
    for n, (h, x, s) in enumerate(zip(html, sheet, slides, strict=True), start=1):
        assert h[0] == s[0] == str(n)
        assert h[1].startswith(s[1]) and s[1] == x[0]  # the title (the report adds why, or the plan's note)
        assert h[2:] == s[2:]  # owner, metric, baseline, (now), target, deadline as shown
        assert s[3] == x[3]  # the metric
        assert h[2] == (f"{x[1]} ({x[2]})" if x[2] else x[1])  # the workbook keeps the team and person apart
    if later:
        speed = next(x for x in sheet if x[0] == "Contact every MQL within the agreed time")
        # hours to first contact: 28 when the plan started, 16 now, 12 agreed by 30 September
        assert speed[4:7] == [28, 16, 12] and speed[7].date().isoformat() == "2026-09-30"
        shown = next(h for h in html if h[1].startswith("Contact every MQL"))
        assert shown[4:] == ["28", "16", "12", "Sep 30, 2026"]
