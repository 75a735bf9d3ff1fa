"""Test data for indicators, made directly in the database (no audit events),
so tests that count audit events see only what the code under test wrote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from indicators.models import Baseline, Indicator, Measurement, Target


def make_indicator(
    world,
    *,
    name: str = "Andel medarbetare i socialtjänsten utbildade om antiziganism",
    responsible=None,
    kind: str = Indicator.Kind.NUMBER,
    baseline: tuple[date, str] | None = (date(2022, 12, 31), "10"),
    targets: tuple[tuple[date, str], ...] = ((date(2027, 12, 31), "50"), (date(2030, 12, 31), "90")),
    measurements: tuple[tuple[date, str], ...] = (),
    **fields,
) -> Indicator:
    fields.setdefault("unit", "procent")
    fields.setdefault("valid_from", date(2023, 1, 1))
    fields.setdefault("valid_to", date(2030, 12, 31))
    indicator = Indicator.objects.create(
        municipality=world.municipality, name=name, kind=kind, responsible_unit=responsible or world.unit_a, **fields
    )
    indicator.goals.set([world.result_goal])
    if baseline and kind == Indicator.Kind.NUMBER:
        Baseline.objects.create(indicator=indicator, date=baseline[0], value=Decimal(baseline[1]))
    if kind == Indicator.Kind.NUMBER:
        for when, value in targets:
            Target.objects.create(indicator=indicator, date=when, value=Decimal(value))
    for when, value in measurements:
        if kind == Indicator.Kind.NUMBER:
            Measurement.objects.create(indicator=indicator, period_end=when, value=Decimal(value))
        elif kind == Indicator.Kind.YES_NO:
            Measurement.objects.create(indicator=indicator, period_end=when, value_bool=value == "yes")
        else:
            Measurement.objects.create(indicator=indicator, period_end=when, value_text=value)
    return indicator


def indicator_objects(world) -> dict[str, int]:
    """URL name → pk of an object of the first municipality (unit A's indicator
    and its measurement), made once per world; for tests/test_access.py."""
    cached = getattr(world, "_indicator_objects", None)
    if cached is None:
        indicator = make_indicator(world, measurements=((date(2023, 12, 31), "15"),))
        measurement = indicator.measurements.get()
        cached = {
            "indicators:detail": indicator.pk,
            "indicators:edit": indicator.pk,
            "indicators:delete": indicator.pk,
            "indicators:assess": indicator.pk,
            "indicators:measurement_create": indicator.pk,
            "indicators:measurement_edit": measurement.pk,
            "indicators:measurement_delete": measurement.pk,
        }
        world._indicator_objects = cached
    return cached
