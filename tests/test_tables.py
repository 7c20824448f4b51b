"""One table, every format: the funnel and channel rows of the HTML report, the workbook and the deck
are the same rows, cell for cell, in every language."""

from __future__ import annotations

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
    """The rows (under the header) of the table on the slides titled `title`."""
    rows: list[list[str]] = []
    for slide in Presentation(io.BytesIO(content)).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if not any(t == title or t.startswith(f"{title} (") for t in texts):
            continue
        for shape in slide.shapes:
            if shape.has_table:
                rows += [[c.text for c in r.cells] for r in list(shape.table.rows)[1:]]
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
