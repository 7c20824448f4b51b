"""The baseline report as a short slide deck (python-pptx, 16:9), for the consultant's meeting with
the client: the title, the executive page over two slides, then the evidence (scores, gaps, funnel,
channels, SLA) and the plan's goals.

Every text is the report's own: headings and labels from the text catalogs in the report's
language, figures formatted once by `Words` (the executive slides show `executive_facts()`'s
strings as they are). Everything stays editable: real text boxes and tables, only the dimension
chart is a picture. A table longer than a slide holds at a legible size continues on the next
slide rather than shrinking its text. Client text (names, channels, goal titles) goes into the
deck as plain text; python-pptx escapes it.

The consultancy's brand colours the title bars, the table headers and the tiles; its logo sits on
the title slide, its contact line in every footer.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from smarketing_assess.config.brand import DEFAULT_ACCENT, DEFAULT_INK
from smarketing_assess.presenting import charts
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.colours import channels, mix, readable_on
from smarketing_assess.presenting.tables import Cell, channel_table, funnel_table, gap_table, goal_table, sla_table
from smarketing_assess.records.scoring import COMPARED

# geometry (EMU): a 13.333 x 7.5 inch slide, the title bar across its top, the footer along its bottom
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)
MARGIN = Inches(0.5)
BAR = Inches(1.0)
TOP = Inches(1.3)  # where a slide's content starts
BOTTOM = Inches(6.85)  # and where it must end, above the footer
FOOTER = Inches(6.95)
INNER = WIDTH - 2 * MARGIN  # the content's width
GAP = Inches(0.4)  # between two columns of content, and above a note

# text sizes (points): a table's never below 11
TITLE, SUBHEADING, BODY, TABLE, SMALL = 28, 18, 14, 12, 10
MAX_ROWS = 13  # about a dozen rows to a slide: the thirteen dimensions stay on one
GLYPH = 0.52  # a generous average glyph width, in ems, to estimate how text wraps
LINE = 1.2  # line height, in ems
CELL_X, CELL_Y = Inches(0.1), Inches(0.05)  # a table cell's margins (python-pptx's defaults)
AIR = 8  # points above a heading that follows text in the same box

LANGUAGES = {"en": MSO_LANGUAGE_ID.ENGLISH_US, "es": MSO_LANGUAGE_ID.SPANISH, "it": MSO_LANGUAGE_ID.ITALIAN,
             "pt-BR": MSO_LANGUAGE_ID.BRAZILIAN_PORTUGUESE}


class Strong(str):
    """A table cell's text shown in bold (a flagged gap, a total)."""

    __slots__ = ()


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its width in inches, and whether it holds figures (right-aligned)."""

    heading: str
    width: float
    figure: bool = False


@dataclass(frozen=True)
class Line:
    """A paragraph of a text box."""

    text: str
    size: float = BODY
    bold: bool = False
    numbered: bool = False
    colour: str | None = None  # the ink's when None


def deck(report: BaselineReport) -> bytes:
    """A short editable slide deck (python-pptx, 16:9) of the baseline report, in the report's language and
    the consultancy's brand."""
    return _Deck(report).build()


class _Deck:
    """The deck being built: the report, its words and its brand's colours."""

    def __init__(self, report: BaselineReport) -> None:
        self.report, self.words, self.a = report, report.words, report.assessment
        brand = report.brand
        self.accent = _colour(brand.accent if brand else None, DEFAULT_ACCENT)
        self.ink = _colour(brand.ink if brand else None, DEFAULT_INK)
        self.on_accent = readable_on(self.accent, self.ink)  # text on the title bar and table headers
        self.tint = mix(self.accent, "#ffffff", 0.9)  # tiles and every other table row
        self.language = LANGUAGES.get(self.words.lang)
        where = f"{self.a.client.name} · {self.a.period}"
        self.footer = f"{where}   |   {brand.contact}" if brand and brand.contact else where
        self.facts = report.executive_facts()
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        _widen(self.prs)

    def build(self) -> bytes:
        """The slides in the report's order, a section without figures left out; the saved deck."""
        self.title_slide()
        self.executive()
        self.plan_and_sla()
        if not self.report.pending:
            self.dimensions()
            self.gaps()
        self.funnel()
        self.channels()
        self.sla()
        self.goals()
        props = self.prs.core_properties
        props.title = f"{self.a.client.name} · {self.facts['subtitle']}"
        props.author = self.report.brand.name if self.report.brand else ""
        props.language = self.words.lang
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # ------------------------------------------------------------------ slides
    def title_slide(self) -> None:
        """The client's name, the quarter, the report's date; the consultancy's logo and name."""
        w, f = self.words, self.facts
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])  # Title Slide: title and subtitle
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.35), HEIGHT)
        self._fill(band, self.accent)
        band.name = "Accent band"
        left, width = Inches(1.0), WIDTH - Inches(1.0) - MARGIN
        brand = self.report.brand
        if brand is not None and brand.logo:
            self._logo(slide, brand.logo, WIDTH - MARGIN - Inches(3.2), Inches(0.6), Inches(3.2), Inches(1.2))
        eyebrow = readable_on("#ffffff", self.ink, self.accent)
        box = self._box(slide, left, Inches(2.1), width, [Line(w.t("report.title"), 20, colour=eyebrow)])
        box.name = "Eyebrow"
        # the client's name as large as fits on two lines
        name = next((line for line in (Line(f["client_name"], s, bold=True) for s in (44, 36, 30))
                     if _lines(line.text, width - 2 * CELL_X, line.size, True) <= 2), Line(f["client_name"], 26, True))
        title = slide.shapes.title
        self._place(title, left, box.top + box.height, width, _height([name], width))
        self._write(title.text_frame, [name], anchor=MSO_ANCHOR.TOP)
        lines = [Line(f["subtitle"], 24), Line(w.t("report.prepared", date=f["date"]), 16)]
        subtitle = slide.placeholders[1]
        self._place(subtitle, left, title.top + title.height + Inches(0.15), width, _height(lines, width))
        self._write(subtitle.text_frame, lines, anchor=MSO_ANCHOR.TOP)
        if brand is not None:
            by = self._box(slide, left, Inches(6.2), width,
                           [Line(_sentence(w.t("report.executive.prepared_by", name=brand.name)), 16)])
            by.name = "Prepared by"

    def executive(self) -> None:
        """The index, the maturity level, the change since last quarter, and the findings."""
        w, f = self.words, self.facts
        slide = self._slide(w.t("report.summary.heading"))
        top: int = TOP
        if f["pending"]:
            shape = self._box(slide, MARGIN, top, INNER, [Line(w.t("report.pending"), BODY)], fill=self.tint)
            top = shape.top + shape.height
        else:
            tiles = [[Line(w.t("report.summary.index")), Line(f["index"], 36, bold=True),
                      Line(w.t("report.summary.out_of"), TABLE)],
                     [Line(w.t("report.summary.level", level=f["level"])), Line(f["level_name"], 30, bold=True),
                      Line(f["level_description"], TABLE)]]
            change = f["change"]
            if change:
                tiles.append([Line(w.t("report.executive.change", previous=change["previous"])),
                              Line(change["delta"], 36, bold=True),
                              Line(change["detail"], TABLE)])
            width = (INNER - 2 * Inches(0.3)) // 3
            height = max(Inches(1.6), *(_height(t, width) for t in tiles))
            for n, tile in enumerate(tiles):
                box = self._box(slide, MARGIN + n * (width + Inches(0.3)), top, width, tile, fill=self.tint,
                                height=height)
                box.name = ("Index", "Level", "Change")[n]
            top += height
        top += Inches(0.25)
        found = f["findings"]
        lines = [Line(s, BODY, numbered=True) for s in found] or [Line(w.t("report.summary.no_findings"))]
        for size in (BODY, 13, 12):  # the findings are sentences: a point smaller before one is lost
            lines = [Line(x.text, size, numbered=x.numbered) for x in lines]
            if top + _height([Line("", SUBHEADING), *lines], INNER) <= BOTTOM:
                break
        heading = self._box(slide, MARGIN, top, INNER, [Line(w.t("report.summary.findings"), SUBHEADING, True)])
        self._box(slide, MARGIN, heading.top + heading.height, INNER, lines).name = "Findings"

    def plan_and_sla(self) -> None:
        """The plan's first goals with owners and deadlines, and the SLA's headline numbers."""
        w, f = self.words, self.facts
        slide = self._slide(w.t("report.summary.heading"))
        right = Inches(4.33)
        left = INNER - right - GAP
        x = MARGIN + left + GAP
        top = self._headings(slide, TOP, [(MARGIN, left, f["goals_heading"]), (x, right, f["sla_heading"])])
        columns = [Column(w.t("report.goals.goal"), 3.6), Column(w.t("report.goals.owner"), 1.7),
                   Column(w.t("report.goals.target"), 0.95, True), Column(w.t("report.goals.deadline"), 1.35)]
        rows = [[g["title"], g["owner"], Strong(g["target"]), g["deadline"]] for g in f["goals"]]
        if rows:
            more = f["more_goals"] or w.t("report.executive.more_goals")
            room = BOTTOM - top - _height([Line(more, TABLE)], left) - Inches(0.1)
            heights = [self._row_height(columns, r) for r in rows]
            shown = 1
            while shown < len(rows) and self._row_height(columns, [c.heading for c in columns], True) \
                    + sum(heights[:shown + 1]) <= room:
                shown += 1
            table = self._table(slide, MARGIN, top, columns, rows[:shown])
            if shown < len(rows) or f["more_goals"]:
                self._box(slide, MARGIN, table.top + table.height + Inches(0.1), left, [Line(more, TABLE)])
        else:
            self._box(slide, MARGIN, top, left, [Line(w.t("report.executive.no_goals"))])
        self._table(slide, x, top, [Column("", 3.33), Column("", 1.0, True)],
                    [[label, Strong(value)] for label, value in f["sla"]], header=False)

    def dimensions(self) -> None:
        """The chart the report's scores section draws, as a picture."""
        w = self.words
        figure = self.report.dimension_figure()
        slide = self._slide(w.t("report.dimensions.heading"))
        picture = slide.shapes.add_picture(io.BytesIO(charts.as_png(figure)), MARGIN, TOP)
        scale = min(INNER / picture.width, (BOTTOM - TOP) / picture.height)
        picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
        picture.left = Emu((WIDTH - picture.width) // 2)
        picture.name = "Dimension chart"
        _describe(picture, w.t("report.dimensions.chart_alt"))

    def gaps(self) -> None:
        """Marketing's and sales' scores on the questions both answer, and the difference."""
        w = self.words
        table = gap_table(self.a, w)
        if table is None:
            return
        keys = ("dimension", *COMPARED, "gap")
        columns = [Column(table.columns[k], 6.33 if k == "dimension" else 2.0, k != "dimension") for k in keys]
        rows = [[Strong(r[k].text) if r[k].flagged else r[k].text for k in keys] for r in table.rows]
        total = [Strong(c.text) if c.text else "" for c in (table.total[k] for k in keys)] if table.total else None
        self._table_slides(w.t("report.gaps.heading"), columns, rows, total=total)

    def funnel(self) -> None:
        """Each stage's count, its conversion to the next stage, and the cases that rests on."""
        f, w = self.a.funnel, self.words
        if f is None:
            return
        table = funnel_table(self.a, w)
        assert table is not None
        keys = ("stage", "count", "rate", "basis")
        rows = [[_marked(r[k]) for k in keys] for r in table.rows]
        total = [Strong(_marked(table.total[k])) for k in keys] if table.total else None
        overall = f.rates.get("lead_to_customer")
        notes = [w.t("report.funnel.overall", rate=w.pct(overall.value, 2), leads=w.num(overall.denominator),
                     low=w.pct(overall.low, 2), high=w.pct(overall.high, 2))
                 if overall is not None and overall.low is not None
                 else w.t("report.funnel.overall_unavailable", rate=w.pct(overall.value if overall else None))]
        if table.thin:
            notes.append(w.t("report.funnel.thin", mark=w.t("report.thin_mark"),
                             basis=w.num(self.a.evidence.min_basis)))
        columns = [Column(w.t("report.funnel.stage"), 4.33), Column(w.t("report.funnel.count"), 2.5, True),
                   Column(w.t("report.funnel.rate"), 3.0, True), Column(w.t("report.workbook.basis"), 2.5, True)]
        self._table_slides(w.t("report.funnel.heading"), columns, rows, total=total, notes=[Line(n) for n in notes])

    def channels(self) -> None:
        """Each channel's leads, customers, spend, cost per customer and conversion, and where to move effort."""
        c, w = self.a.channels, self.words
        if c is None:
            return
        table = channel_table(self.a, w)
        assert table is not None and table.total is not None
        keys = ("channel", "leads", "customers", "spend", "cost_per_customer", "lead_to_customer")
        rows = [[_marked(r[k]) for k in keys] for r in table.rows]
        total = [Strong(_marked(table.total[k])) for k in keys]
        notes = [Line(w.t("report.channels.recommendation"), BODY, bold=True),
                 Line(w.recommendation(c.recommendation))]
        if table.thin:
            notes.append(Line(w.t("report.thin_legend", mark=w.t("report.thin_mark"),
                                  basis=w.num(self.a.evidence.min_basis)), TABLE))
        columns = [Column(w.t("report.channels.channel"), 3.33), Column(w.t("report.channels.leads"), 1.5, True),
                   Column(w.t("report.channels.customers"), 1.6, True), Column(w.t("report.channels.spend"), 1.9, True),
                   Column(w.t("report.channels.cost_per_customer"), 2.0, True),
                   Column(w.t("report.channels.lead_to_customer"), 2.0, True)]
        self._table_slides(w.t("report.channels.heading"), columns, rows, total=total, notes=notes)

    def sla(self) -> None:
        """The draft SLA's volumes as the report's SLA section shows them, and the SLA both teams signed."""
        w, sla = self.words, self.a.sla
        slide = self._slide(w.t("report.sla.heading"))
        intro = self._box(slide, MARGIN, TOP, INNER, [Line(w.t(
            "report.sla.intro", goal=w.money(sla.revenue_goal), deal=w.money(sla.average_deal_size),
            customers=w.num(sla.quarterly("customers"))))])
        top = intro.top + intro.height + Inches(0.15)
        right = Inches(4.33)
        left = INNER - right - GAP
        # as the report's SLA section: the month's commitment (rounded up) in bold, the quarter three of them
        rows: list[list[str]] = [
            [r["label"].text, r["quarter"].text, Strong(r["month"].text) if r["month"].text else "", r["day"].text,
             r["now"].text] for r in sla_table(self.a, w).rows]
        x = MARGIN + left + GAP
        signed = self.a.plan is not None  # the executive facts hold the signed SLA's rows, formatted
        headings = [(MARGIN, left, w.t("report.sla.volumes"))]
        below = self._headings(slide, top, headings + ([(x, right, w.t("report.plan.sla_heading"))] if signed else []))
        self._table(slide, MARGIN, below,
                    [Column("", 2.9), Column(w.t("report.sla.quarter"), 1.15, True),
                     Column(w.t("report.sla.month"), 1.15, True), Column(w.t("report.sla.day"), 1.2, True),
                     Column(w.t("report.sla.now"), 1.2, True)], rows)
        if signed:
            self._table(slide, x, below, [Column("", 3.33), Column("", 1.0, True)],
                        [[label, Strong(value)] for label, value in self.facts["sla"]], header=False)
            return
        marketing, sales = w.commitments(sla)
        for size in (BODY, 13, 12):
            lines = [Line(w.t("report.sla.marketing"), size, True), Line(marketing, size),
                     Line(w.t("report.sla.sales"), size, True), Line(sales, size)]
            if top + _height(lines, right) <= BOTTOM:
                break
        self._box(slide, x, top, right, lines).name = "Commitments"

    def goals(self) -> None:
        """Every goal: the agreed plan's when there is one, else the suggested starting goals."""
        w = self.words
        table = goal_table(self.a, w)  # the plan's goals as the report's goals section shows them, else the suggested
        title = w.t("report.plan.heading" if table.key == "plan" else "report.goals.heading")
        later = "now" in table.columns  # a later quarter than the plan's: where each goal started, and where it is now
        widths = {"number": 0.4, "goal": 3.45 if later else 4.5, "owner": 1.6, "metric": 2.25, "baseline": 1.05,
                  "now": 1.05, "target": 1.2, "deadline": 1.33}
        keys = [k for k in widths if k in table.columns]
        columns = [Column(table.columns[k], widths[k], k in ("baseline", "now", "target")) for k in keys]
        rows = [[Strong(r[k].text) if k == "target" else r[k].text for k in keys] for r in table.rows]
        if not rows:
            slide = self._slide(title)
            self._box(slide, MARGIN, TOP, INNER, [Line(w.t("report.executive.no_goals"))])
            return
        self._table_slides(title, columns, rows)

    # ------------------------------------------------------------ building blocks
    def _slide(self, title: str) -> Slide:
        """A slide with its title on the brand's bar, and the footer."""
        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        bar = slide.shapes.title
        assert bar is not None  # the default template's Title Only layout has its title placeholder
        self._place(bar, 0, 0, WIDTH, BAR)
        self._fill(bar, self.accent)
        bar.name = "Title bar"
        frame = bar.text_frame
        frame.margin_left = frame.margin_right = MARGIN
        size = TITLE if _lines(title, INNER, TITLE, True) == 1 else 24
        self._write(frame, [Line(title, size, bold=True, colour=self.on_accent)], anchor=MSO_ANCHOR.MIDDLE)
        box = self._box(slide, MARGIN, FOOTER, INNER, [Line(self.footer, SMALL)], height=Inches(0.35))
        box.name = "Footer"
        return slide

    def _headings(self, slide: Slide, top: int, headings: Sequence[tuple[int, int, str]]) -> int:
        """Subheadings side by side (left, width, text), as high as the highest, so that what follows them lines
        up; where they end."""
        height = max(_height([Line(text, SUBHEADING, True)], width) for _, width, text in headings)
        for left, width, text in headings:
            self._box(slide, left, top, width, [Line(text, SUBHEADING, True)], height=height)
        return top + height

    def _table_slides(self, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], *,
                      total: Sequence[str] | None = None, notes: Sequence[Line] = ()) -> None:
        """A table on as many slides as it needs (each with its header), its total row and the notes on the last."""
        room = BOTTOM - TOP - (_height(notes, INNER) + Inches(0.15) if notes else 0)
        room -= self._row_height(columns, [c.heading for c in columns], True)
        room -= self._row_height(columns, total) if total else 0
        parts = _split([self._row_height(columns, r) for r in rows], room, MAX_ROWS)
        for n, part in enumerate(parts, start=1):
            last = n == len(parts)
            slide = self._slide(title if len(parts) == 1 else f"{title} ({n}/{len(parts)})")
            body = [rows[i] for i in part] + ([total] if total and last else [])
            table = self._table(slide, MARGIN, TOP, columns, body)
            if notes and last:
                self._box(slide, MARGIN, table.top + table.height + Inches(0.15), INNER, notes).name = "Notes"

    def _row_height(self, columns: Sequence[Column], cells: Sequence[str], bold: bool = False) -> int:
        lines = max((_lines(text, Inches(c.width) - 2 * CELL_X, TABLE, bold or isinstance(text, Strong))
                     for c, text in zip(columns, cells, strict=True)), default=1)
        return int(lines * TABLE * LINE * 12700 + 2 * CELL_Y + Pt(2))

    def _table(self, slide: Slide, left: int, top: int, columns: Sequence[Column], rows: Sequence[Sequence[str]],
               header: bool = True) -> GraphicFrame:
        """A table in the brand's colours: the header on the accent, every other row tinted."""
        body = [[c.heading for c in columns], *rows] if header else list(rows)
        heights = [self._row_height(columns, r, header and i == 0) for i, r in enumerate(body)]
        frame = slide.shapes.add_table(len(body), len(columns), Emu(left), Emu(top),
                                       Emu(sum(Inches(c.width) for c in columns)), Emu(sum(heights)))
        table = frame.table
        table.first_row, table.horz_banding = header, False
        for j, c in enumerate(columns):
            table.columns[j].width = Inches(c.width)
        for i, (cells, height) in enumerate(zip(body, heights, strict=True)):
            table.rows[i].height = Emu(height)
            is_header = header and i == 0
            fill = self.accent if is_header else self.tint if (i - header) % 2 else "#ffffff"
            for j, (c, text) in enumerate(zip(columns, cells, strict=True)):
                cell = table.cell(i, j)
                cell.fill.solid()  # type: ignore[no-untyped-call]  # python-pptx leaves FillFormat.solid unannotated
                cell.fill.fore_color.rgb = _rgb(fill)
                cell.margin_left = cell.margin_right = CELL_X
                cell.margin_top = cell.margin_bottom = CELL_Y
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE if is_header else MSO_ANCHOR.TOP
                self._write(cell.text_frame, [Line(str(text), TABLE, bold=is_header or isinstance(text, Strong),
                                                   colour=self.on_accent if is_header else None)],
                            align=PP_ALIGN.RIGHT if c.figure else PP_ALIGN.LEFT, wrap_only=True)
        return frame

    def _box(self, slide: Slide, left: int, top: int, width: int, lines: Sequence[Line], *, fill: str | None = None,
             height: int | None = None) -> Shape:
        """A text box (a tinted rectangle when `fill`), as high as its text needs unless told."""
        height = height if height is not None else _height(lines, width)
        if fill is None:
            shape = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        else:
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
            self._fill(shape, fill)
        frame = shape.text_frame
        frame.margin_left = frame.margin_right = CELL_X
        frame.margin_top = frame.margin_bottom = CELL_Y
        self._write(frame, lines, anchor=MSO_ANCHOR.TOP)
        return shape

    def _write(self, frame: TextFrame, lines: Sequence[Line], *, align: PP_ALIGN = PP_ALIGN.LEFT,
               anchor: MSO_ANCHOR | None = None, wrap_only: bool = False) -> None:
        """The lines as the frame's paragraphs: plain text, in the report's language, at fixed sizes."""
        frame.word_wrap = True
        if not wrap_only:
            frame.auto_size = MSO_AUTO_SIZE.NONE
        if anchor is not None:
            frame.vertical_anchor = anchor
        frame.clear()  # type: ignore[no-untyped-call]  # python-pptx leaves TextFrame.clear unannotated
        for n, line in enumerate(lines):
            p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()  # type: ignore[no-untyped-call]  # unannotated in python-pptx
            p.alignment = align
            if n and line.bold and not lines[n - 1].bold:  # a heading after text: a little air above it
                p.space_before = Pt(AIR)
            if line.numbered:
                p.space_after = Pt(6)
            run = p.add_run()
            run.text = line.text
            font = run.font
            font.size, font.bold = Pt(line.size), line.bold
            font.color.rgb = _rgb(line.colour or self.ink)
            if self.language is not None:
                font.language_id = self.language
            # an empty cell's line is as high as its end mark's size: the same as the text's
            p._p.get_or_add_endParaRPr().set("sz", str(int(line.size * 100)))
            if line.numbered:
                _number(p, Inches(0.35))

    def _place(self, shape: Any, left: int, top: int, width: int, height: int) -> None:
        shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)

    def _fill(self, shape: Any, colour: str) -> None:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.fill.background()
        shape.shadow.inherit = False

    def _logo(self, slide: Slide, logo: bytes, left: int, top: int, width: int, height: int) -> None:
        """The logo within the box, its proportions kept, flush right (the brand file checked it is a PNG or JPEG)."""
        picture = slide.shapes.add_picture(io.BytesIO(logo), Emu(left), Emu(top))
        scale = min(width / picture.width, height / picture.height)
        picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
        picture.left = Emu(left + width - picture.width)
        picture.name = "Logo"
        if self.report.brand is not None:
            _describe(picture, self.report.brand.name)


# ---------------------------------------------------------------------- helpers
def _widen(prs: Any) -> None:
    """Stretch the default template's 4:3 master and layouts to the 16:9 slide, so that a slide the consultant
    adds in PowerPoint has its placeholders where they belong."""
    factor = WIDTH / Inches(10)
    # the layouts first: a layout's placeholder without a position of its own reads the master's, still 4:3
    for owner in (*prs.slide_layouts, prs.slide_master):
        for shape in owner.placeholders:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _sentence(text: str) -> str:
    """A catalog phrase written to follow other words, starting a line of its own: its first letter a capital."""
    return text[:1].upper() + text[1:]


def _lines(text: str, width: int, size: float, bold: bool = False) -> int:
    """About how many lines `text` takes in `width` EMU at `size` points, words wrapped whole."""
    per_line = max(1, int(width / 12700 / (size * (GLYPH + (0.04 if bold else 0)))))
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= per_line:
                used = need
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // per_line  # a word longer than a line breaks inside it
            used = (len(word) - 1) % per_line + 1
        total += lines
    return total


def _height(lines: Sequence[Line], width: int) -> int:
    """About how high a text box of these lines is, margins and paragraph spacing included."""
    inner = width - 2 * CELL_X
    points = sum(_lines(x.text, inner, x.size, x.bold) * x.size * LINE + (6 if x.numbered else 0) + 2
                 + (AIR if n and x.bold and not lines[n - 1].bold else 0) for n, x in enumerate(lines))
    return int(points * 12700 + 2 * CELL_Y)


def _split(heights: Sequence[int], room: int, limit: int) -> list[list[int]]:
    """The rows' indexes in as few slides as hold them (at most `limit` rows, `room` EMU high), evenly."""
    n = len(heights)
    if n == 0:
        return [[]]
    for parts in range(max(1, math.ceil(n / limit)), n + 1):
        size = math.ceil(n / parts)
        chunks = [list(range(i, min(i + size, n))) for i in range(0, n, size)]
        if all(sum(heights[i] for i in chunk) <= room for chunk in chunks):
            return chunks
    return [[i] for i in range(n)]


def _describe(picture: Any, alt: str) -> None:
    """The picture's alternative text, for a screen reader (python-pptx has no property for it)."""
    picture._element.nvPicPr.cNvPr.set("descr", alt)


def _number(p: _Paragraph, indent: int) -> None:
    """Number the paragraph (1., 2., ...) as PowerPoint's own numbered list does, so that it stays editable."""
    ppr = p._p.get_or_add_pPr()
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    numbering = OxmlElement("a:buAutoNum")
    numbering.set("type", "arabicPeriod")
    after = ppr.find(qn("a:tabLst"))
    after = after if after is not None else ppr.find(qn("a:defRPr"))
    if after is not None:
        after.addprevious(numbering)
    else:
        ppr.append(numbering)


def _colour(value: str | None, default: str) -> str:
    return value.lower() if value and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else default


def _rgb(colour: str) -> RGBColor:
    return RGBColor(*channels(colour))  # type: ignore[no-untyped-call]  # unannotated in python-pptx


def _marked(cell: Cell) -> str:
    """A cell's text as a slide shows it: the mark of too few cases after the figure."""
    return f"{cell.text} {cell.thin}" if cell.thin else cell.text
