"""The geometry of an indicator's chart, computed here and drawn by the
template as inline SVG (no script, no style attributes: the page's CSP
forbids inline style; colours come from CSS classes in site.css).

Time runs along x (one tick per year), values along y from zero (or the
lowest negative value) to a rounded top. The baseline and the targets are
marked and joined by the dashed planned path; each measured series is a line
with a point per measurement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .formatting import format_number
from .tracking import Point, planned_path

WIDTH = 640
HEIGHT = 300
MARGIN_LEFT = 64
MARGIN_RIGHT = 20
MARGIN_TOP = 16
MARGIN_BOTTOM = 36
MAX_X_TICKS = 8
PAD_SINGLE_DATE = timedelta(days=182)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    when: date
    value: Decimal

    @property
    def label(self) -> str:
        return f"{self.when:%Y-%m-%d}: {format_number(self.value)}"

    @property
    def square(self) -> str:
        """A square marker centred on the point (the baseline)."""
        return f"M{self.x - 5:g},{self.y - 5:g} h10 v10 h-10 Z"

    @property
    def diamond(self) -> str:
        """A diamond marker centred on the point (a target)."""
        return f"M{self.x:g},{self.y - 7:g} l7,7 l-7,7 l-7,-7 Z"


@dataclass(frozen=True)
class ChartSeries:
    key: str  # "total", "women" or "men": the CSS class chart-series-<key>
    label: str
    points: list[ChartPoint]
    path: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[ChartSeries]
    baseline: ChartPoint | None
    targets: list[ChartPoint]
    plan_path: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def x_label_y(self) -> float:
        return self.bottom + 22

    @property
    def y_label_x(self) -> float:
        return self.left - 8


def nice_step(raw: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least ``raw``."""
    if raw <= 0:
        return Decimal(1)
    exponent = math.floor(math.log10(raw))
    scale = Decimal(10) ** exponent
    fraction = raw / scale
    for nice in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
        if fraction <= nice:
            return nice * scale
    return Decimal(10) * scale


def value_ticks(low: Decimal, high: Decimal, *, count: int = 4) -> list[Decimal]:
    """Round values from at most ``low`` to at least ``high``, about ``count`` steps apart."""
    if high <= low:
        high = low + 1
    step = nice_step((high - low) / count)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    stop = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    value = start
    while value <= stop:
        ticks.append(value)
        value += step
    return ticks


def year_ticks(first: date, last: date) -> list[date]:
    """1 January of each year inside the range, thinned to at most MAX_X_TICKS."""
    years = [date(y, 1, 1) for y in range(first.year, last.year + 1) if first <= date(y, 1, 1) <= last]
    if len(years) > MAX_X_TICKS:
        step = math.ceil(len(years) / MAX_X_TICKS)
        years = years[::step]
    return years


def _path(points: Sequence[ChartPoint]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))


def build_chart(
    *,
    baseline: Point | None,
    targets: Sequence[Point],
    series: Sequence[tuple[str, str, Sequence[Point]]],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart | None:
    """The chart for a baseline, targets and measured series ((key, label, points));
    None when there is nothing to draw."""
    every: list[Point] = [*([baseline] if baseline else []), *targets, *(p for _k, _l, pts in series for p in pts)]
    if not every:
        return None
    first = min(d for d, _v in every)
    last = max(d for d, _v in every)
    if first == last:
        first, last = first - PAD_SINGLE_DATE, last + PAD_SINGLE_DATE
    values = [v for _d, v in every]
    y_values = value_ticks(min(Decimal(0), *values), max(values))
    low, high = y_values[0], y_values[-1]

    left, top = float(MARGIN_LEFT), float(MARGIN_TOP)
    right, bottom = float(width - MARGIN_RIGHT), float(height - MARGIN_BOTTOM)
    span_days = (last - first).days

    def x_of(d: date) -> float:
        return round(left + (right - left) * (d - first).days / span_days, 1)

    def y_of(v: Decimal) -> float:
        return round(bottom - (bottom - top) * float((v - low) / (high - low)), 1)

    def point(p: Point) -> ChartPoint:
        return ChartPoint(x=x_of(p[0]), y=y_of(p[1]), when=p[0], value=p[1])

    drawn = []
    for key, label, points in series:
        chart_points = [point(p) for p in sorted(points, key=lambda p: p[0])]
        if chart_points:
            drawn.append(ChartSeries(key=key, label=label, points=chart_points, path=_path(chart_points)))
    target_points = [point(t) for t in sorted(targets, key=lambda t: t[0])]
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=[Tick(position=x_of(d), label=str(d.year)) for d in year_ticks(first, last)],
        y_ticks=[Tick(position=y_of(v), label=format_number(v)) for v in y_values],
        series=drawn,
        baseline=point(baseline) if baseline else None,
        targets=target_points,
        plan_path=_path([point(p) for p in path]) if len(path := planned_path(baseline, targets)) > 1 else "",
    )
