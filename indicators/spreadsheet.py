"""The indicators and their measurements as a spreadsheet (Swedish headers and
labels whatever the UI language). Every row carries the kommunkod, so sheets
from several municipalities can be put together."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation

from lib.xlsx import Sheet, write_workbook
from organisations.models import Municipality, OrgUnit
from plans.models import Goal

from .models import Indicator, Measurement
from .selectors import with_status

YES, NO = "ja", "nej"
INDICATOR_HEADER = [
    "Kommunkod", "Indikator", "Typ", "Måttenhet", "Riktning", "Källa", "Ansvarig enhet", "Mål", "Nollmätning datum",
    "Nollmätning värde", "Senaste värde", "Senaste värde datum", "Nästa målvärde datum", "Nästa målvärde", "Status",
]  # fmt: skip
MEASUREMENT_HEADER = [
    "Kommunkod", "Indikator", "Periodens början", "Periodens slut", "Värde", "Kvinnor/flickor", "Män/pojkar", "Ja/nej",
    "Text", "Anteckning",
]  # fmt: skip


def _number(value: Decimal | None) -> int | float | None:
    """A stored decimal as an Excel number (a Decimal would be written as text)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _value(indicator: Indicator, thing) -> int | float | str | None:
    """A baseline's or measurement's value as the indicator's kind reads it."""
    if thing is None:
        return None
    if indicator.kind == Indicator.Kind.YES_NO:
        return _yes_no(thing.value_bool)
    if indicator.kind == Indicator.Kind.TEXT:
        return getattr(thing, "value_text", "")
    return _number(thing.value)


def export_indicators(
    municipality: Municipality,
    *,
    unit: OrgUnit | None = None,
    goal: Goal | None = None,
    today: date | None = None,
) -> bytes:
    """The municipality's indicators by name (optionally one unit's, or those following
    one goal, as on the list) with their latest value, next target and track status,
    and every measurement. Five queries, however many indicators."""
    today = today or timezone.localdate()
    qs = Indicator.objects.filter(municipality=municipality)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    if goal is not None:
        qs = qs.filter(goals=goal)
    measurements = Prefetch("measurements", queryset=Measurement.objects.order_by("period_end", "pk"))
    rows = with_status(qs.order_by("name", "pk").prefetch_related(measurements), goals=True)
    indicator_rows, measurement_rows = [], []
    code = municipality.code
    with translation.override("sv"):
        for ind in rows:
            baseline = ind.baseline_or_none
            target = next((t for t in ind.targets.all() if t.date >= today), None)
            source = str(ind.get_source_kind_display())
            indicator_rows.append(
                [
                    code,
                    ind.name,
                    str(ind.get_kind_display()),
                    ind.unit,
                    str(ind.get_direction_display()) if ind.is_number else "",
                    f"{source}: {ind.source_detail}" if ind.source_detail else source,
                    ind.responsible_unit.name,
                    "; ".join(g.code for g in ind.goals.all()),
                    baseline.date if baseline else None,
                    _value(ind, baseline),
                    _value(ind, ind.latest),
                    ind.latest.period_end if ind.latest else None,
                    target.date if target else None,
                    _number(target.value) if target else None,
                    str(ind.assessment.effective.label).capitalize(),
                ]
            )
            for m in ind.measurements.all():
                measurement_rows.append(
                    [
                        code,
                        ind.name,
                        m.period_start,
                        m.period_end,
                        _number(m.value),
                        _number(m.women),
                        _number(m.men),
                        _yes_no(m.value_bool),
                        m.value_text,
                        m.note,
                    ]
                )
    return write_workbook(
        [
            Sheet(
                title="Indikatorer",
                header=INDICATOR_HEADER,
                rows=indicator_rows,
                widths=[10, 50, 18, 12, 16, 30, 30, 14, 12, 12, 14, 12, 12, 12, 16],
            ),
            Sheet(
                title="Mätvärden",
                header=MEASUREMENT_HEADER,
                rows=measurement_rows,
                widths=[10, 50, 12, 12, 10, 10, 10, 8, 50, 50],
            ),
        ]
    )
