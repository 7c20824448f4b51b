"""The slide deck: the report's headings in order, its figures as the report formats them, client
text as plain text, the brand's colours, every shape on the slide."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt

from smarketing_assess.config.brand import DEFAULT_ACCENT
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.slides import MAX_ROWS, deck
from smarketing_assess.records.agreed import active
from smarketing_assess.running.notebooks import baseline_report
from tests.conftest import EXAMPLE

HOSTILE = '=HYPERLINK("http://x")<script>'


@pytest.fixture(scope="module")
def report() -> BaselineReport:
    return baseline_report(EXAMPLE, "2026-Q2")


@pytest.fixture(scope="module")
def portuguese() -> BaselineReport:
    return baseline_report(EXAMPLE, "2026-Q2", language="pt-BR")


@pytest.fixture(scope="module")
def slides(report):
    return list(Presentation(io.BytesIO(deck(report))).slides)


def title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def base(text: str) -> str:
    """A slide's title without its continuation mark, "(1/2)"."""
    return re.sub(r" \(\d+/\d+\)$", "", text)


def texts(slide) -> list[str]:
    """Every text of a slide: its text boxes' and its tables' cells'."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def cells(slide) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for shape in slide.shapes if shape.has_table
            for row in shape.table.rows]


def with_title(slides, heading: str) -> list:
    found = [s for s in slides if base(title(s)) == heading]
    assert found, f"no slide titled {heading!r}"
    return found


def expected_titles(r: BaselineReport) -> list[str]:
    """The deck's slide titles for the example's 2026-Q2 (answers, a funnel, channels and an agreed plan), from
    the catalog, a continued table's slides once."""
    t = r.words.t
    return ["Brightline Sensors", t("report.summary.heading"), t("report.summary.heading"),
            t("report.dimensions.heading"), t("report.gaps.heading"), t("report.funnel.heading"),
            t("report.channels.heading"), t("report.sla.heading"), t("report.plan.heading")]


def distinct(titles: list[str]) -> list[str]:
    """The titles with a continued table's slides once (the two executive slides are not a table's)."""
    return [base(x) for x in titles if not (m := re.search(r" \((\d+)/\d+\)$", x)) or m.group(1) == "1"]


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_the_deck_is_16_9_with_the_reports_headings_in_order(report, portuguese, language):
    r = report if language == "en" else portuguese
    prs = Presentation(io.BytesIO(deck(r)))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13.333 by 7.5 inches, PowerPoint's 16:9
    assert prs.slide_width * 9 == prs.slide_height * 16
    titles = [title(s) for s in prs.slides]
    assert distinct(titles) == expected_titles(r)
    for owner in (prs.slide_master, *prs.slide_layouts):  # a slide added in PowerPoint fits the 16:9 slide too
        assert all(p.left + p.width <= prs.slide_width for p in owner.placeholders)
    if language == "pt-BR":  # the catalog's own Portuguese, not the English
        assert "Resumo executivo" in titles and "O funil" in titles and "Executive summary" not in titles
        assert any("Elaborado por Northwind Advisory" in x for x in texts(prs.slides[0]))


def test_the_title_slide_names_the_client_the_quarter_and_the_consultancy(report, slides):
    first = texts(slides[0])
    assert "Brightline Sensors" in first
    # the example's 2026-Q2 has 2026-Q1 before it: a quarterly assessment, not the baseline
    assert any("Quarterly assessment · 2026-Q2" in x for x in first)
    assert "Prepared by Northwind Advisory" in first
    logos = [s for s in slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]  # the brand's PNG logo
    assert len(logos) == 1 and logos[0].image.content_type == "image/png"
    assert logos[0].image.blob == report.brand.logo


def test_the_executive_slide_holds_the_index_the_level_and_the_findings(report, slides):
    a = report.assessment
    executive = " ".join(texts(slides[1]))
    index = report.words.num(a.scores.alignment_index)
    assert index == "44"  # 2026-Q2's alignment index, as the report shows it
    tile = next(s for s in slides[1].shapes if s.has_text_frame and "Alignment index" in s.text_frame.text)
    assert index in tile.text_frame.text.split("\n")
    assert "Maturity level 3 of 5" in executive and "Cooperating" in executive
    # 28 in 2026-Q1 (sales and marketing counted), 46 now over the same two teams (44 with leadership)
    assert "Change since 2026-Q1" in executive and "+18" in executive and "over Sales, Marketing" in executive
    findings = report.executive_facts()["findings"]
    assert len(findings) == 3
    for sentence in findings:
        assert sentence in executive


def test_the_second_executive_slide_holds_the_plans_first_goals_and_the_signed_sla(report, slides):
    second = slides[2]
    rows = cells(second)
    assert ["Goal", "Owner", "Target", "By"] in rows
    assert any(r[0] == "Contact every MQL within the agreed time" and r[2:] == ["12", "Sep 30, 2026"] for r in rows)
    plan = report.assessment.plan
    assert ["MQLs a month from marketing", report.words.num(plan.mql_per_month)] in rows


def test_the_funnel_table_holds_each_stages_count(report, slides):
    a, w = report.assessment, report.words
    funnel = [c for s in with_title(slides, w.t("report.funnel.heading")) for c in cells(s)]
    counts = {row[0]: row[1] for row in funnel}
    for stage in a.funnel.stages:
        assert counts[w.t(f"stages.{stage}")] == w.num(a.funnel.counts[stage])
    # 2026-Q2/funnel.csv: 470 + 495 + 520 leads, 8 + 9 + 10 customers
    assert counts["Leads"] == "1,485" and counts["Customers"] == "27"
    leads = next(r for r in funnel if r[0] == "Leads")
    assert leads[2] == w.pct(510 / 1485) and leads[3] == "1,485"  # 510 MQLs of 1,485 leads


def test_the_sla_slide_holds_the_monthly_commitments_and_the_signed_sla(report, slides):
    a, w = report.assessment, report.words
    sla = with_title(slides, w.t("report.sla.heading"))
    assert len(sla) == 1
    rows = cells(sla[0])
    mql = next(r for r in rows if r[0] == w.t("stages.mql"))
    # 2026-Q2: 400,000 / 15,000 = 26.67 -> 27 customers, exactly the quarter's 27 won, so along the client's
    # own rates the quarter needs its own 510 MQLs (27 / (27/168) / (168/510)): 170 a month, a third of it
    assert mql[1] == "510"
    assert mql[2] == "170"
    assert w.t("report.plan.sla_heading") in texts(sla[0])
    assert [w.t("report.plan.sla_attempts"), w.num(a.plan.attempts)] in rows


def test_the_plan_slide_lists_every_agreed_goal(report, slides):
    w = report.words
    plan = with_title(slides, w.t("report.plan.heading"))
    shown = [c for s in plan for c in texts(s)]
    goals = active(report.assessment.plan)
    assert len(goals) == 7
    for g in goals:
        assert w.agreed_goal(g) in shown
    assert "Win more of the deals that reach a proposal" in shown  # the client's own goal, in its words


def test_a_channel_name_is_shown_as_it_is_written(report):
    a = report.assessment
    channels = [dataclasses.replace(a.channels.channels[0], channel=HOSTILE), *a.channels.channels[1:]]
    hostile = dataclasses.replace(a, channels=dataclasses.replace(a.channels, channels=channels))
    data = deck(BaselineReport(hostile, "en", brand=report.brand))
    prs = Presentation(io.BytesIO(data))
    table = [c for s in with_title(prs.slides, "Acquisition channels") for c in cells(s)]
    assert [HOSTILE, "480"] == table[1][:2]  # Organic search's 480 leads, under the new name
    assert b"<script>" not in data  # escaped in the XML, never markup


def test_the_title_bars_carry_the_brands_accent(report, slides):
    assert report.brand.accent == "#1d4e5f"  # consultancy/brand.yaml
    bars = [s.shapes.title for s in slides[1:]]
    assert all(str(bar.fill.fore_color.rgb) == "1D4E5F" for bar in bars)
    header = next(s for s in slides[5].shapes if s.has_table).table.cell(0, 0)
    assert str(header.fill.fore_color.rgb) == "1D4E5F"


def test_a_report_without_a_brand_still_makes_a_deck(report):
    prs = Presentation(io.BytesIO(deck(BaselineReport(report.assessment, "en"))))
    slides = list(prs.slides)
    assert distinct([title(s) for s in slides]) == expected_titles(report)
    assert str(slides[1].shapes.title.fill.fore_color.rgb) == DEFAULT_ACCENT[1:].upper()
    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slides[0].shapes)  # no logo
    assert not any("prepared by" in x for x in texts(slides[0]))
    footer = next(s for s in slides[1].shapes if s.name == "Footer")
    assert footer.text_frame.text == "Brightline Sensors · 2026-Q2"


def test_every_slide_but_the_first_has_the_footer(slides):
    assert not any(s.name == "Footer" for s in slides[0].shapes)
    for slide in slides[1:]:
        footer = next(s for s in slide.shapes if s.name == "Footer")
        assert footer.text_frame.text == ("Brightline Sensors · 2026-Q2   |   "
                                          "Northwind Advisory · hello@northwind.example · +39 02 5555 0100")


def long_plan(report: BaselineReport, count: int = 20):
    """The example with a plan of `count` goals, each with a long title."""
    a = report.assessment
    first = active(a.plan)[0]
    goals = [dataclasses.replace(first, id=f"own_{n}", status="added", title=f"Goal {n}: " + "word " * 60)
             for n in range(count)]
    return dataclasses.replace(a, plan=dataclasses.replace(a.plan, goals=goals))


def within(prs) -> None:
    """Every shape on its slide, and all but the footer above it; every table's text at 11 points or more."""
    for n, slide in enumerate(prs.slides, start=1):
        footer = next((s for s in slide.shapes if s.name == "Footer"), None)
        for shape in slide.shapes:
            where = f"slide {n} ({title(slide)}), {shape.name}"
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= prs.slide_width, where
            assert shape.top + shape.height <= prs.slide_height, where
            if footer is not None and shape != footer:
                assert shape.top + shape.height <= footer.top, where
            if shape.has_table:
                sizes = [r.font.size for row in shape.table.rows for c in row.cells
                         for p in c.text_frame.paragraphs for r in p.runs]
                assert sizes and all(s is not None and s >= Pt(11) for s in sizes), where
                assert sum(row.height for row in shape.table.rows) == shape.height, where


@pytest.mark.parametrize("case", ["en", "pt-BR", "no brand", "long plan"])
def test_no_shape_leaves_its_slide(report, portuguese, case):
    r = {"en": report, "pt-BR": portuguese, "no brand": BaselineReport(report.assessment, "en"),
         "long plan": BaselineReport(long_plan(report), "en", brand=report.brand)}[case]
    within(Presentation(io.BytesIO(deck(r))))


def test_a_long_plan_continues_on_further_slides(report):
    r = BaselineReport(long_plan(report), "en", brand=report.brand)
    prs = Presentation(io.BytesIO(deck(r)))
    plan = with_title(prs.slides, "The agreed plan")
    assert len(plan) > 1
    assert [title(s) for s in plan] == [f"The agreed plan ({n}/{len(plan)})" for n in range(1, len(plan) + 1)]
    shown = []
    for slide in plan:
        rows = cells(slide)
        assert rows[0][1] == "Goal" and len(rows) - 1 <= MAX_ROWS  # each slide with its header
        shown += [r[1] for r in rows[1:]]
    assert shown == [f"Goal {n}: " + "word " * 60 for n in range(20)]  # every goal, in order, whole
    cell = next(s for s in plan[0].shapes if s.has_table).table.cell(1, 1)
    assert cell.text_frame.word_wrap is True  # the long title wraps inside its cell


def test_a_quarter_without_answers_funnel_or_channels(report):
    a = report.assessment
    scores = dataclasses.replace(a.scores, respondents={t: 0 for t in a.scores.respondents})
    bare = dataclasses.replace(a, scores=scores, funnel=None, channels=None)
    r = BaselineReport(bare, "en", brand=report.brand)
    assert r.pending
    prs = Presentation(io.BytesIO(deck(r)))
    t = r.words.t
    titles = distinct([title(s) for s in prs.slides])
    assert titles == ["Brightline Sensors", t("report.summary.heading"), t("report.summary.heading"),
                      t("report.sla.heading"), t("report.plan.heading")]
    assert t("report.pending") in texts(prs.slides[1])
    within(prs)
