"""The chart's geometry (indicators/charts.py)."""

from datetime import date
from decimal import Decimal as D

from indicators.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    WIDTH,
    build_chart,
    nice_step,
    value_ticks,
    year_ticks,
)

LEFT, RIGHT = float(MARGIN_LEFT), float(WIDTH - MARGIN_RIGHT)
TOP, BOTTOM = float(MARGIN_TOP), float(HEIGHT - MARGIN_BOTTOM)


def test_nice_steps_and_ticks():
    assert [nice_step(D(x)) for x in ("0.3", "1", "1.5", "2.2", "4", "7", "23", "240")] == [
        D("0.5"), D(1), D(2), D("2.5"), D(5), D(10), D(25), D(250),
    ]  # fmt: skip
    assert value_ticks(D(0), D(90)) == [D(0), D(25), D(50), D(75), D(100)]
    assert value_ticks(D(-12), D(30)) == [D(-20), D(0), D(20), D(40)]
    assert value_ticks(D(5), D(5)) == [D(5), D("5.25"), D("5.5"), D("5.75"), D(6)]


def test_year_ticks_are_thinned_to_eight():
    assert year_ticks(date(2022, 12, 31), date(2026, 10, 31)) == [date(y, 1, 1) for y in range(2023, 2027)]
    ticks = year_ticks(date(2020, 1, 1), date(2030, 1, 1))
    assert ticks == [date(y, 1, 1) for y in (2020, 2022, 2024, 2026, 2028, 2030)]


def test_baseline_targets_and_measurements_are_placed_on_the_axes():
    chart = build_chart(
        baseline=(date(2020, 1, 1), D(0)),
        targets=[(date(2030, 1, 1), D(100))],
        series=[("total", "Uppmätt", [(date(2021, 1, 1), D(20)), (date(2020, 7, 1), D(50))])],
    )
    assert chart.view_box == f"0 0 {WIDTH} {HEIGHT}"
    # The baseline is the bottom-left corner (first date, value 0), the target the top-right (last date, top tick).
    assert (chart.baseline.x, chart.baseline.y) == (LEFT, BOTTOM)
    assert [(t.x, t.y) for t in chart.targets] == [(RIGHT, TOP)]
    assert chart.plan_path == f"M{LEFT},{BOTTOM} L{RIGHT},{TOP}"
    assert [t.label for t in chart.y_ticks] == ["0", "25", "50", "75", "100"]
    assert [t.position for t in chart.y_ticks] == [BOTTOM, 202.0, 140.0, 78.0, TOP]
    (series,) = chart.series
    # Points in date order; 50 is half-way up; 2021-01-01 is 366 of 3653 days along.
    assert [(p.when, p.y) for p in series.points] == [(date(2020, 7, 1), 140.0), (date(2021, 1, 1), 214.4)]
    assert series.points[1].x == round(LEFT + (RIGHT - LEFT) * 366 / 3653, 1)
    assert series.path == f"M{series.points[0].x},140.0 L{series.points[1].x},214.4"
    assert chart.x_ticks[0].position == LEFT and chart.x_ticks[-1].position == RIGHT
    assert chart.baseline.square == f"M{LEFT - 5:g},{BOTTOM - 5:g} h10 v10 h-10 Z"
    assert chart.targets[0].diamond == f"M{RIGHT:g},{TOP - 7:g} l7,7 l-7,7 l-7,-7 Z"


def test_gender_series_and_negative_values():
    chart = build_chart(
        baseline=None,
        targets=[],
        series=[
            ("total", "Totalt", [(date(2023, 12, 31), D(-10)), (date(2024, 12, 31), D(30))]),
            ("women", "Kvinnor", [(date(2024, 12, 31), D(20))]),
            ("men", "Män", []),
        ],
    )
    assert [s.key for s in chart.series] == ["total", "women"]  # an empty series is not drawn
    assert chart.baseline is None and chart.targets == [] and chart.plan_path == ""
    zero = next(t for t in chart.y_ticks if t.label == "0")
    assert TOP < zero.position < BOTTOM  # zero is inside the plot when values go below it
    assert chart.series[0].points[0].y == BOTTOM  # -10 is the lowest tick


def test_a_single_date_is_padded_and_nothing_gives_no_chart():
    chart = build_chart(baseline=(date(2024, 6, 30), D(3)), targets=[], series=[])
    assert LEFT < chart.baseline.x < RIGHT
    assert build_chart(baseline=None, targets=[], series=[("total", "x", [])]) is None
