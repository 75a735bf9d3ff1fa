"""Writes to trainings, occasions, headcounts and staff groups. Each runs in one
transaction with its audit events; a write that changes what the share of staff
trained counts brings the computed indicators up to date in the same
transaction (share_indicators_refresh)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from indicators import services as indicator_services
from indicators.models import Indicator
from organisations.models import Municipality, OrgUnit

from .models import Headcount, Participation, ShareIndicator, StaffGroup, Training, TrainingOccasion
from .selectors import left_out_text, numbers_by_year
from .shares import window, yearly_shares

CREATE, UPDATE, DELETE = AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE
TRAINING_FIELDS = ("title", "kind", "provider", "material", "description")


@dataclass(frozen=True)
class Row:
    """Participants of one unit's staff group on an occasion."""

    unit: OrgUnit
    staff_group: StaffGroup
    participants: int


# --- Staff groups ---------------------------------------------------------------------


@transaction.atomic
def staff_groups_save(*, municipality: Municipality, by, entries: Iterable[tuple[StaffGroup | None, str]]) -> None:
    """Rename the given staff groups and add the new ones (None), in the order given."""
    for position, (group, name) in enumerate(entries, start=1):
        if group is None:
            group = StaffGroup.objects.create(municipality=municipality, name=name, position=position)
            changes = snapshot_created({"name": name})
            audit_record(municipality=municipality, actor=by, action=CREATE, obj=group, changes=changes)
            continue
        before = group.name
        if (group.name, group.position) != (name, position):
            group.name, group.position = name, position
            group.save(update_fields=["name", "position"])
        changes = diff({"name": before}, {"name": name})
        audit_record(municipality=municipality, actor=by, action=UPDATE, obj=group, changes=changes)


# --- Trainings -------------------------------------------------------------------------


def training_snapshot(training: Training) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(training, name) for name in TRAINING_FIELDS}
    data["kind"] = training.get_kind_display()
    data["rights_areas"] = sorted(a.code for a in training.rights_areas.all())
    data["goals"] = sorted(g.code for g in training.goals.all())
    return data


@transaction.atomic
def training_create(
    *, municipality: Municipality, by, fields: dict[str, Any], rights_areas: Iterable = (), goals: Iterable = ()
) -> Training:
    training = Training.objects.create(municipality=municipality, **fields)
    training.rights_areas.set(list(rights_areas))
    training.goals.set(list(goals))
    audit_record(
        municipality=municipality,
        actor=by,
        action=CREATE,
        obj=training,
        changes=snapshot_created(training_snapshot(training)),
    )
    return training


@transaction.atomic
def training_update(
    *, training: Training, by, fields: dict[str, Any], rights_areas: Iterable, goals: Iterable
) -> Training:
    before = training_snapshot(Training.objects.get(pk=training.pk))
    for name, value in fields.items():
        setattr(training, name, value)
    training.save()
    training.rights_areas.set(list(rights_areas))
    training.goals.set(list(goals))
    audit_record(
        municipality=training.municipality,
        actor=by,
        action=UPDATE,
        obj=training,
        changes=diff(before, training_snapshot(training)),
    )
    return training


@transaction.atomic
def training_delete(*, training: Training, by) -> None:
    """Delete a training registered by mistake, with its occasions and their
    participant counts; the computed indicators are brought up to date."""
    municipality = training.municipality
    data = training_snapshot(training)
    data["occasions"] = [
        f"{o.date.isoformat()}: {sum(r.participants for r in o.rows.all())}"
        for o in training.occasions.prefetch_related("rows").order_by("date", "pk")
    ]
    audit_record(municipality=municipality, actor=by, action=DELETE, obj=training, changes=snapshot_deleted(data))
    training.delete()  # its occasions and their rows go with it (CASCADE)
    share_indicators_refresh(municipality=municipality, by=by)


# --- Occasions ---------------------------------------------------------------------------


def occasion_snapshot(occasion: TrainingOccasion) -> dict[str, Any]:
    rows = occasion.rows.select_related("unit", "staff_group").order_by("unit__short_name", "staff_group__name")
    return {
        "training": occasion.training.title,
        "date": occasion.date.isoformat(),
        "note": occasion.note,
        "participants": [f"{r.unit.short_name}, {r.staff_group.name}: {r.participants}" for r in rows],
    }


def _set_rows(occasion: TrainingOccasion, rows: Iterable[Row], keep: Iterable[Participation] = ()) -> None:
    """The occasion's rows become ``rows`` (those with participants) plus ``keep``
    (rows the editor could not change: another unit's)."""
    kept = [r.pk for r in keep]
    occasion.rows.exclude(pk__in=kept).delete()
    Participation.objects.bulk_create(
        Participation(occasion=occasion, unit=r.unit, staff_group=r.staff_group, participants=r.participants)
        for r in rows
        if r.participants
    )


@transaction.atomic
def occasion_create(*, training: Training, by, fields: dict[str, Any], rows: Iterable[Row]) -> TrainingOccasion:
    occasion = TrainingOccasion.objects.create(training=training, **fields)
    _set_rows(occasion, rows)
    audit_record(
        municipality=training.municipality,
        actor=by,
        action=CREATE,
        obj=occasion,
        changes=snapshot_created(occasion_snapshot(occasion)),
    )
    share_indicators_refresh(municipality=training.municipality, by=by)
    return occasion


@transaction.atomic
def occasion_update(
    *, occasion: TrainingOccasion, by, fields: dict[str, Any], rows: Iterable[Row], keep: Iterable[Participation] = ()
) -> TrainingOccasion:
    before = occasion_snapshot(TrainingOccasion.objects.select_related("training").get(pk=occasion.pk))
    for name, value in fields.items():
        setattr(occasion, name, value)
    occasion.save()
    _set_rows(occasion, rows, keep)
    municipality = occasion.training.municipality
    audit_record(
        municipality=municipality,
        actor=by,
        action=UPDATE,
        obj=occasion,
        changes=diff(before, occasion_snapshot(occasion)),
    )
    share_indicators_refresh(municipality=municipality, by=by)
    return occasion


@transaction.atomic
def occasion_delete(*, occasion: TrainingOccasion, by) -> None:
    municipality = occasion.training.municipality
    audit_record(
        municipality=municipality,
        actor=by,
        action=DELETE,
        obj=occasion,
        changes=snapshot_deleted(occasion_snapshot(occasion)),
    )
    occasion.delete()
    share_indicators_refresh(municipality=municipality, by=by)


# --- Headcounts -----------------------------------------------------------------------------


@transaction.atomic
def headcounts_save(*, unit: OrgUnit, year: int, by, numbers: Mapping[StaffGroup, int | None]) -> None:
    """A unit's headcount per staff group for a year; None removes one."""
    current = {h.staff_group_id: h for h in Headcount.objects.filter(unit=unit, year=year)}
    changes: dict[str, list] = {}
    for group, number in numbers.items():
        row = current.get(group.pk)
        before = row.number if row else None
        if number == before:
            continue
        if number is None:
            row.delete()
        elif row is None:
            Headcount.objects.create(unit=unit, staff_group=group, year=year, number=number)
        else:
            row.number = number
            row.save(update_fields=["number"])
        changes[f"{year} {group.name}"] = [before, number]
    if changes:
        audit_record(municipality=unit.municipality, actor=by, action=UPDATE, obj=unit, changes=changes)
        share_indicators_refresh(municipality=unit.municipality, by=by)


# --- The computed indicator ----------------------------------------------------------------


@transaction.atomic
def share_settings_save(*, indicator: Indicator, by, years: int, staff_group, unit) -> ShareIndicator:
    settings, _created = ShareIndicator.objects.get_or_create(indicator=indicator)
    before = _settings_snapshot(settings)
    settings.years, settings.staff_group, settings.unit = years, staff_group, unit
    settings.save()
    audit_record(
        municipality=indicator.municipality,
        actor=by,
        action=UPDATE,
        obj=indicator,
        changes=diff(before, _settings_snapshot(settings)),
    )
    share_indicator_refresh(indicator=indicator, by=by)
    return settings


def _settings_snapshot(settings: ShareIndicator) -> dict[str, Any]:
    return {
        "years counted": settings.years,
        "staff group": settings.staff_group.name if settings.staff_group_id else "",
        "unit": settings.unit.short_name if settings.unit_id else "",
    }


def share_indicators_refresh(*, municipality: Municipality, by) -> None:
    """Bring every computed "share of staff trained" indicator of the
    municipality up to date (called inside the writing transaction)."""
    indicators = list(
        Indicator.objects.filter(municipality=municipality, source_kind=Indicator.Source.COMPUTED_TRAINING)
        .select_related("municipality")
        .order_by("pk")
    )
    if not indicators:
        return
    numbers = numbers_by_year(municipality)
    for indicator in indicators:
        share_indicator_refresh(indicator=indicator, by=by, numbers=numbers)


@transaction.atomic
def share_indicator_refresh(*, indicator: Indicator, by, numbers=None) -> None:
    """Make the indicator's measurements the computed shares: one per year
    with a headcount in scope, dated 31 December, its period the window of
    years counted. Idempotent: a measurement whose value is unchanged is left
    alone; one for a year that no longer has a value is removed (and so is
    any measurement typed in before the indicator became computed). Each
    change is audited by indicators.services, in the caller's transaction."""
    if indicator.source_kind != Indicator.Source.COMPUTED_TRAINING or indicator.kind != Indicator.Kind.NUMBER:
        return  # a share is a number: a yes/no or text indicator gets none
    settings, _created = ShareIndicator.objects.get_or_create(indicator=indicator)
    headcounts, participants = numbers if numbers is not None else numbers_by_year(indicator.municipality)
    shares = yearly_shares(
        headcounts,
        participants,
        years=settings.years,
        unit=settings.unit_id,
        group=settings.staff_group_id,
        until=timezone.localdate().year,
    )
    left_out_ids = {pk for share in shares.values() if share.percent is not None for pk in share.left_out}
    names = dict(OrgUnit.objects.filter(pk__in=left_out_ids).values_list("pk", "name")) if left_out_ids else {}
    wanted = {}
    for year, share in shares.items():
        if share.percent is not None:
            counted = window(year, settings.years)
            note = left_out_text(year, [names[pk] for pk in share.left_out], stored=True) if share.left_out else ""
            wanted[date(year, 12, 31)] = (date(counted[0], 1, 1), share.percent, note)
    for measurement in list(indicator.measurements.order_by("period_end")):
        spec = wanted.pop(measurement.period_end, None)
        if spec is None:
            indicator_services.measurement_delete(measurement=measurement, by=by)
        elif (
            (measurement.period_start, measurement.value, measurement.note) != spec
            or measurement.women
            or measurement.men
        ):
            indicator_services.measurement_update(
                measurement=measurement,
                by=by,
                version=measurement.version,
                fields={
                    "period_start": spec[0],
                    "value": spec[1],
                    "note": spec[2],
                    "women": None,
                    "men": None,
                    "value_bool": None,
                    "entered_by": None,
                },
            )
    for period_end, (period_start, value, note) in wanted.items():
        indicator_services.measurement_create(
            indicator=indicator,
            by=by,
            fields={"period_start": period_start, "period_end": period_end, "value": value, "note": note},
            computed=True,
        )
