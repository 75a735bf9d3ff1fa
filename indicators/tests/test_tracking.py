"""The on-track rule (docs/indicators.md), as a pure function."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.models import Indicator, Track
from indicators.tracking import compute_track, expected_value, planned_path

BASE = (date(2022, 12, 31), D(10))
TARGETS = [(date(2027, 12, 31), D(50)), (date(2030, 12, 31), D(90))]
HALFWAY = date(2025, 7, 1)  # 913 of the 1826 days from the baseline to the first target


def track(latest_date, latest_value, *, kind="number", direction="increase", baseline=BASE, targets=TARGETS):
    return compute_track(
        kind=kind,
        direction=direction,
        baseline=baseline,
        targets=targets,
        latest_date=latest_date,
        latest_value=latest_value,
    )


def test_expected_value_follows_the_line_from_the_baseline_through_each_target():
    path = planned_path(BASE, TARGETS)
    assert expected_value(path, date(2020, 1, 1)) == D(10)  # before the baseline: the baseline
    assert expected_value(path, BASE[0]) == D(10)
    assert expected_value(path, HALFWAY) == D("30.00")  # 10 + 40 * 913/1826
    assert expected_value(path, date(2027, 12, 31)) == D(50)
    assert expected_value(path, date(2029, 7, 1)) == D("70.00")  # 50 + 40 * 548/1096
    assert expected_value(path, date(2035, 1, 1)) == D(90)  # after the final target: the final target


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(30), Track.ON_TRACK), (D(35), Track.ON_TRACK), (D("29.99"), Track.OFF_TRACK), (D(5), Track.OFF_TRACK)],
)
def test_higher_is_better_on_track_when_at_least_the_expected_value(value, expected):
    assert track(HALFWAY, value) == (expected, D("30.00"))


def test_meeting_the_final_target_is_reached_even_early():
    assert track(HALFWAY, D(90)) == (Track.REACHED, D(90))
    assert track(date(2031, 6, 30), D(95)) == (Track.REACHED, D(90))


def test_meeting_only_an_intermediate_target_is_on_track_not_reached():
    assert track(date(2027, 12, 31), D(50))[0] == Track.ON_TRACK


def test_after_the_final_target_date_short_of_it_is_off_track():
    assert track(date(2031, 6, 30), D(89)) == (Track.OFF_TRACK, D(90))


def test_lower_is_better():
    baseline = (date(2022, 12, 31), D(40))
    targets = [(date(2027, 12, 31), D(20)), (date(2030, 12, 31), D(10))]
    kwargs = {"direction": Indicator.Direction.DECREASE, "baseline": baseline, "targets": targets}
    assert track(HALFWAY, D(30), **kwargs) == (Track.ON_TRACK, D("30.00"))
    assert track(HALFWAY, D(25), **kwargs)[0] == Track.ON_TRACK
    assert track(HALFWAY, D(31), **kwargs)[0] == Track.OFF_TRACK
    assert track(HALFWAY, D(10), **kwargs)[0] == Track.REACHED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"baseline": None},
        {"targets": []},
        {"targets": [(date(2021, 12, 31), D(50))]},  # a target before the baseline is not a way forward
    ],
)
def test_no_data_without_baseline_or_target(kwargs):
    assert track(HALFWAY, D(30), **kwargs) == (Track.NO_DATA, None)


def test_no_data_without_a_measurement():
    assert track(None, None) == (Track.NO_DATA, None)


def test_yes_no_yes_is_on_track():
    assert track(HALFWAY, True, kind="yes_no", baseline=None, targets=[]) == (Track.ON_TRACK, None)
    assert track(HALFWAY, False, kind="yes_no", baseline=None, targets=[]) == (Track.OFF_TRACK, None)
    assert track(None, None, kind="yes_no") == (Track.NO_DATA, None)


def test_text_is_only_judged_by_the_coordinator():
    assert track(HALFWAY, "Bättre bemötande", kind="text") == (Track.NO_DATA, None)
