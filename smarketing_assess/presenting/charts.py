"""Charts for the report, drawn in one style context so notebook, report and tests look alike.

Each chart is a matplotlib Figure made without pyplot (no global figure list, no
backend to choose, nothing to close); `as_data_uri` turns it into an SVG data URI, so
the report's HTML stays one self-contained file. Labels come from the language-keyed texts.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure

from smarketing_assess.presenting.colours import readable_on

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#e4e7eb"
BAR = "#3e6e8e"
FLAG = "#c8553d"
TEAM_MARKS = {"sales": ("o", "#d08c2f"), "marketing": ("^", "#5b8c5a"), "leadership": ("s", "#6c5b7b")}

STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "svg.hashsalt": "smarketing-assess",  # stable element ids from run to run
    "svg.fonttype": "path",  # text drawn as shapes: no font needed where the report is opened
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the report's chart style (STYLE) within the block, leaving matplotlib's settings as they were after it."""
    with matplotlib.rc_context(STYLE):
        yield


def as_data_uri(fig: Figure) -> str:
    """The figure as an SVG data URI."""
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def as_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (for a slide: python-pptx places no SVG)."""
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def dimension_chart(names: list[str], overall: list[float | None],
                    teams: dict[str, list[float | None]], team_labels: dict[str, str],
                    overall_label: str, bar: str = BAR) -> Figure:
    """Horizontal bars of the overall score per dimension, a mark per team shown; `bar` is the
    bars' colour (the brand's), the score written on it in white or ink, whichever reads."""
    with chart_style():
        fig = Figure(figsize=(7.2, 0.34 * len(names) + 0.9))
        ax = fig.subplots()
        ys = list(range(len(names)))[::-1]
        ax.barh(ys, [v or 0 for v in overall], color=bar, height=0.55, label=overall_label)
        for team, values in teams.items():
            marker, colour = TEAM_MARKS[team]
            pts = [(v, y) for v, y in zip(values, ys, strict=True) if v is not None]
            if pts:
                ax.scatter([p[0] for p in pts], [p[1] for p in pts], marker=marker, color=colour, s=46,
                           zorder=3, label=team_labels[team], edgecolors=INK, linewidths=0.7)
        for v, y in zip(overall, ys, strict=True):
            if v is not None:
                ax.text(1.5, y, f"{v:.0f}", va="center", ha="left", color=readable_on(bar, INK), fontsize=8,
                        fontweight="bold")
        ax.set_yticks(ys, names)
        ax.set_xlim(0, 100)
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False, fontsize=8)
        return fig


def gap_chart(names: list[str], gaps: list[float | None], threshold: float, right_label: str,
              left_label: str, bar: str = BAR) -> Figure:
    """Diverging bars: marketing minus sales per dimension, flagged beyond the threshold."""
    with chart_style():
        fig = Figure(figsize=(7.2, 0.34 * len(names) + 0.9))
        ax = fig.subplots()
        ys = list(range(len(names)))[::-1]
        values = [g or 0 for g in gaps]
        colours = [FLAG if g is not None and abs(g) > threshold else bar for g in gaps]
        ax.barh(ys, values, color=colours, height=0.55)
        limit = max(30.0, max((abs(v) for v in values), default=0) + 10)
        ax.set_xlim(-limit, limit)
        for x in (-threshold, threshold):
            ax.axvline(x, color=MUTED, linestyle=":", linewidth=0.8)
        ax.axvline(0, color=INK, linewidth=0.8)
        for v, y, g in zip(values, ys, gaps, strict=True):
            if g is not None:
                ax.text(v + (1 if v >= 0 else -1), y, f"{v:+.0f}", va="center",
                        ha="left" if v >= 0 else "right", fontsize=8, color=INK)
        ax.set_yticks(ys, names)
        ax.text(limit, len(names) - 0.3, right_label + " →", ha="right", va="bottom", fontsize=8, color=MUTED)
        ax.text(-limit, len(names) - 0.3, "← " + left_label, ha="left", va="bottom", fontsize=8, color=MUTED)
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        return fig


def funnel_chart(labels: list[str], counts: list[float], count_labels: list[str], bar: str = BAR) -> Figure:
    """Horizontal bars of stage counts, widest at the top, each with its count."""
    with chart_style():
        fig = Figure(figsize=(7.2, 0.42 * len(labels) + 0.6))
        ax = fig.subplots()
        ys = list(range(len(labels)))[::-1]
        top = max(counts) if counts else 1
        ax.barh(ys, counts, color=bar, height=0.6)
        for c, y, shown in zip(counts, ys, count_labels, strict=True):
            ax.text(c + top * 0.01, y, shown, va="center", ha="left", fontsize=8, color=INK)
        ax.set_yticks(ys, labels)
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        return fig


def channel_chart(names: list[str], costs: list[float | None], cost_labels: list[str], bar: str = BAR) -> Figure:
    """Horizontal bars of cost per customer, cheapest at the top."""
    with chart_style():
        fig = Figure(figsize=(7.2, 0.4 * len(names) + 0.6))
        ax = fig.subplots()
        ys = list(range(len(names)))[::-1]
        top = max((c for c in costs if c is not None), default=1) or 1
        ax.barh(ys, [c or 0 for c in costs], color=[bar if c is not None else GRID for c in costs], height=0.6)
        for c, y, shown in zip(costs, ys, cost_labels, strict=True):
            ax.text((c or 0) + top * 0.01, y, shown, va="center", ha="left", fontsize=8, color=INK)
        ax.set_yticks(ys, names)
        ax.set_xlim(0, top * 1.25)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        return fig


def trend_chart(periods: list[str], series: dict[str, list[float | None]], bands: list[float] | None = None,
                bar: str = BAR) -> Figure:
    """Lines of 0-100 scores over the quarters, with faint lines where the maturity levels begin."""
    with chart_style():
        fig = Figure(figsize=(7.2, 2.8))
        ax = fig.subplots()
        xs = list(range(len(periods)))
        for lower in bands or []:
            ax.axhline(lower, color=GRID, linewidth=0.8, zorder=0)
        for n, (label, values) in enumerate(series.items()):
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            if not points:
                continue
            colour = bar if n == 0 else MUTED
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=colour, label=label)
            for x, v in points:
                ax.annotate(f"{v:.0f}", (x, v), textcoords="offset points", xytext=(0, 7), ha="center",
                            color=INK, fontsize=8)
        ax.set_xticks(xs, periods)
        ax.set_ylim(0, 100)
        ax.set_xlim(-0.4, len(periods) - 0.6)
        ax.legend(loc="lower right", frameon=False)
        return fig
