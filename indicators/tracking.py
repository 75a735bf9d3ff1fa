"""The on-track rule (documented in docs/indicators.md).

A quantitative indicator is read against a planned path: a straight line from
the baseline to the first target, then on to each later target. At the date of
the latest measurement the path gives an expected value; the indicator is on
track if the measurement is at least as good as that (higher or lower,
by the indicator's direction), and has reached its target when the measurement
is at least as good as the final target. Without a baseline, a target or a
measurement there is no data to judge. A yes/no indicator is on track when the
latest answer is yes. A text assessment is judged only by the coordinator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from .models import Indicator, Measurement, Track

Point = tuple[date, Decimal]


def _at_least_as_good(value: Decimal, than: Decimal, direction: str) -> bool:
    return value <= than if direction == Indicator.Direction.DECREASE else value >= than


def planned_path(baseline: Point | None, targets: Sequence[Point]) -> list[Point]:
    """The baseline followed by the targets dated after it, in date order; empty without a baseline."""
    if baseline is None:
        return []
    return [baseline, *sorted((t for t in targets if t[0] > baseline[0]), key=lambda t: t[0])]


def expected_value(path: Sequence[Point], on: date) -> Decimal:
    """The value on the planned path at a date: the baseline's value before the
    baseline, the final target's after the final target, linear in between."""
    if on <= path[0][0]:
        return path[0][1]
    for (d0, v0), (d1, v1) in pairwise(path):
        if on <= d1:
            fraction = Decimal((on - d0).days) / Decimal((d1 - d0).days)
            return (v0 + (v1 - v0) * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return path[-1][1]


def compute_track(
    *,
    kind: str,
    direction: str,
    baseline: Point | None,
    targets: Sequence[Point],
    latest_date: date | None,
    latest_value: Decimal | bool | None,
) -> tuple[Track, Decimal | None]:
    """The computed label and, for a quantitative indicator, the expected value
    at the latest measurement's date."""
    if kind == Indicator.Kind.TEXT:
        return Track.NO_DATA, None
    if latest_date is None or latest_value is None:
        return Track.NO_DATA, None
    if kind == Indicator.Kind.YES_NO:
        return (Track.ON_TRACK if latest_value else Track.OFF_TRACK), None
    path = planned_path(baseline, targets)
    if len(path) < 2:
        return Track.NO_DATA, None
    if _at_least_as_good(latest_value, path[-1][1], direction):
        return Track.REACHED, path[-1][1]
    expected = expected_value(path, latest_date)
    return (Track.ON_TRACK if _at_least_as_good(latest_value, expected, direction) else Track.OFF_TRACK), expected


@dataclass(frozen=True)
class Assessment:
    """The computed label, the coordinator's override if any, and the one that counts."""

    computed: Track
    expected: Decimal | None
    expected_on: date | None
    override: Track | None
    reason: str
    by: str
    at: datetime | None

    @property
    def effective(self) -> Track:
        return self.override or self.computed

    @property
    def is_overridden(self) -> bool:
        return self.override is not None


def assess(indicator: Indicator, *, latest: Measurement | None, targets: Sequence[Point]) -> Assessment:
    """Assess an indicator from its baseline (``indicator.baseline``), the given
    targets and its latest measurement; reads nothing from the database beyond
    what the caller loaded (baseline through select_related)."""
    baseline = indicator.baseline_or_none
    base_point = (baseline.date, baseline.value) if baseline and baseline.value is not None else None
    if latest is None:
        latest_value = None
    elif indicator.kind == Indicator.Kind.YES_NO:
        latest_value = latest.value_bool
    else:
        latest_value = latest.value
    computed, expected = compute_track(
        kind=indicator.kind,
        direction=indicator.direction,
        baseline=base_point,
        targets=targets,
        latest_date=latest.period_end if latest else None,
        latest_value=latest_value,
    )
    override = Track(indicator.track_override) if indicator.track_override else None
    by = ""
    if override and indicator.track_override_by_id:
        user = indicator.track_override_by
        by = user.get_full_name() or user.get_username()
    return Assessment(
        computed=computed,
        expected=expected,
        expected_on=latest.period_end if latest and expected is not None else None,
        override=override,
        reason=indicator.track_override_reason,
        by=by,
        at=indicator.track_override_at,
    )
