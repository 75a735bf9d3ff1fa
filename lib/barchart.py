"""Horizontal bar charts as server-rendered SVG, for counts that may be
suppressed: a hidden count gets no bar, only its label ("dolt"), so the
chart never shows more than the table beside it. Geometry here; the markup in
templates/bar_chart.html; colours from CSS classes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from lib.suppression import Cell

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 220
PLOT_WIDTH = 320
VALUE_GAP = 6
TOP = 8


@dataclass
class Bar:
    label: str
    value_text: str
    y: float  # top of the row
    width: float  # 0 when hidden or zero
    suppressed: bool

    @property
    def bar_y(self) -> float:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) / 2

    @property
    def text_y(self) -> float:
        return self.y + ROW_HEIGHT / 2

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + VALUE_GAP


@dataclass
class BarChart:
    key: str  # unique on the page: the SVG title's id
    title: str
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + PLOT_WIDTH + 110

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * len(self.bars)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - VALUE_GAP


def bar_chart(key: str, title: str, rows: Sequence[tuple[str, Cell]]) -> BarChart:
    """One bar per (label, cell), scaled to the largest shown count."""
    top = max((cell.value for _label, cell in rows if cell.value), default=0)
    bars = []
    for i, (label, cell) in enumerate(rows):
        width = round(PLOT_WIDTH * cell.value / top, 1) if top and cell.value else 0
        bars.append(
            Bar(
                label=label if len(label) <= 32 else label[:31] + "…",
                value_text=str(cell),
                y=TOP + i * ROW_HEIGHT,
                width=width,
                suppressed=cell.suppressed,
            )
        )
    return BarChart(key=key, title=title, bars=bars)


def percent_chart(key: str, title: str, rows: Sequence[tuple[str, Decimal | float | None, str]]) -> BarChart:
    """One bar per (label, percent, text when unknown), on a scale of 0–100 %: a
    share that cannot be known gets no bar, only its text (e.g. "headcount missing")."""
    bars = []
    for i, (label, percent, unknown) in enumerate(rows):
        known = percent is not None
        value = min(max(float(percent), 0.0), 100.0) if known else 0.0
        bars.append(
            Bar(
                label=label if len(label) <= 32 else label[:31] + "…",
                value_text=f"{number_format(percent, 1)}\u00a0%" if known else unknown,
                y=TOP + i * ROW_HEIGHT,
                width=round(PLOT_WIDTH * value / 100, 1),
                suppressed=not known,
            )
        )
    return BarChart(key=key, title=title, bars=bars)


# --- Stacked bars: one bar per row, one segment per kind ------------------------------

SEGMENT_LABEL_MIN_WIDTH = 22  # a segment narrower than this has no count written in it


@dataclass
class Segment:
    code: str  # the kind: its CSS class is chart-seg-<code>
    value: int
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def labelled(self) -> bool:
        return self.width >= SEGMENT_LABEL_MIN_WIDTH


@dataclass
class StackedBar:
    label: str
    total: int
    y: float
    segments: list[Segment]

    @property
    def bar_y(self) -> float:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) / 2

    @property
    def text_y(self) -> float:
        return self.y + ROW_HEIGHT / 2

    @property
    def value_x(self) -> float:
        end = self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH
        return end + VALUE_GAP


@dataclass
class StackedBarChart(BarChart):
    legend: list[tuple[str, str]] | None = None  # (code, label), in the segments' order


def stacked_bar_chart(
    key: str, title: str, kinds: Sequence[tuple[str, str]], rows: Sequence[tuple[str, Sequence[int]]]
) -> StackedBarChart:
    """One bar per (label, counts), a segment per kind (``kinds``: (code, label),
    the counts in the same order), scaled to the largest total. The page shows the
    same numbers in a table; the chart shows no number the table does not."""
    top = max((sum(counts) for _label, counts in rows), default=0)
    bars = []
    for i, (label, counts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for (code, _kind_label), n in zip(kinds, counts, strict=True):
            if not n:
                continue
            width = round(PLOT_WIDTH * n / top, 1)
            segments.append(Segment(code=code, value=n, x=round(x, 1), width=width))
            x += width
        bars.append(
            StackedBar(
                label=label if len(label) <= 32 else label[:31] + "…",
                total=sum(counts),
                y=TOP + i * ROW_HEIGHT,
                segments=segments,
            )
        )
    return StackedBarChart(key=key, title=title, bars=bars, legend=list(kinds))
