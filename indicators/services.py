"""Writes to indicators, their baseline, targets and measurements. Each runs in
one transaction and writes its audit events in the same transaction.

The indicator and its measurements carry a version for optimistic locking:
an update names the version its form was opened with, and is refused with
StaleEdit if someone else has saved since."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from lib.locking import claim_version
from organisations.models import Municipality
from plans.models import Goal
from plans.selectors import sort_in_tree_order

from .models import Baseline, Indicator, Measurement, Target, Track

INDICATOR_FIELDS = (
    "name", "kind", "definition", "unit", "direction", "allow_negative", "gender_split", "gender_terms",
    "source_kind", "source_detail", "kolada_id", "responsible_unit", "valid_from", "valid_to", "public",
)  # fmt: skip
BASELINE_FIELDS = ("date", "value", "women", "men", "value_bool", "source", "note")
MEASUREMENT_FIELDS = ("period_start", "period_end", "value", "women", "men", "value_bool", "value_text", "note")


CREATE, UPDATE, DELETE = AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE


@dataclass(frozen=True)
class BaselineSpec:
    date: date
    value: Decimal | None = None
    women: Decimal | None = None
    men: Decimal | None = None
    value_bool: bool | None = None
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class TargetSpec:
    date: date
    value: Decimal
    note: str = ""


# --- Snapshots for the audit log -----------------------------------------------


def indicator_snapshot(indicator: Indicator) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    data["kind"] = indicator.get_kind_display()
    data["direction"] = indicator.get_direction_display()
    data["source_kind"] = indicator.get_source_kind_display()
    data["responsible_unit"] = indicator.responsible_unit.short_name
    data["goals"] = [g.code for g in sort_in_tree_order(list(indicator.goals.select_related("plan")))]
    data["track_override"] = indicator.get_track_override_display() if indicator.track_override else ""
    data["track_override_reason"] = indicator.track_override_reason
    return data


def _plain(value: Any) -> Any:
    """Decimals without trailing zeros, so 90 and 90.00 are the same value."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def _snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _with_context(changes: dict[str, Any], obj: models.Model, key: str) -> dict[str, Any]:
    """Name the object in an update's changes, so the indicator's history says
    which target or measurement changed."""
    if changes and key not in changes:
        value = _plain(getattr(obj, key))
        return {key: [value, value], **changes}
    return changes


def _audit(indicator: Indicator, by, action: str, obj: models.Model, changes: dict[str, Any]) -> None:
    audit_record(municipality=indicator.municipality, actor=by, action=action, obj=obj, changes=changes)


# --- Baseline and targets ------------------------------------------------------------


def _set_baseline(indicator: Indicator, by, spec: BaselineSpec | None) -> None:
    current = Baseline.objects.filter(indicator=indicator).first()
    if spec is None:
        if current is not None:
            _audit(indicator, by, DELETE, current, snapshot_deleted(_snapshot(current, BASELINE_FIELDS)))
            current.delete()
        return
    if current is None:
        baseline = Baseline.objects.create(indicator=indicator, **vars(spec))
        _audit(indicator, by, CREATE, baseline, snapshot_created(_snapshot(baseline, BASELINE_FIELDS)))
        return
    before = _snapshot(current, BASELINE_FIELDS)
    for name, value in vars(spec).items():
        setattr(current, name, value)
    current.save()
    _audit(indicator, by, UPDATE, current, diff(before, _snapshot(current, BASELINE_FIELDS)))


def _set_targets(indicator: Indicator, by, specs: Sequence[TargetSpec]) -> None:
    """Make the indicator's targets the given ones, matched by date."""
    wanted = {spec.date: spec for spec in specs}
    fields = ("date", "value", "note")
    for target in list(indicator.targets.all()):
        spec = wanted.pop(target.date, None)
        if spec is None:
            _audit(indicator, by, DELETE, target, snapshot_deleted(_snapshot(target, fields)))
            target.delete()
            continue
        before = _snapshot(target, fields)
        target.value, target.note = spec.value, spec.note
        target.save()
        changes = _with_context(diff(before, _snapshot(target, fields)), target, "date")
        _audit(indicator, by, UPDATE, target, changes)
    for spec in wanted.values():
        target = Target.objects.create(indicator=indicator, date=spec.date, value=spec.value, note=spec.note)
        _audit(indicator, by, CREATE, target, snapshot_created(_snapshot(target, fields)))


def _refresh_computed(indicator: Indicator, by) -> None:
    """A computed indicator's measurements are written from training occasions
    and headcounts (docs/competence.md), in this transaction."""
    if indicator.source_kind == Indicator.Source.COMPUTED_TRAINING:
        from competence.services import share_indicator_refresh  # competence builds on indicators

        share_indicator_refresh(indicator=indicator, by=by)


# --- Indicators ---------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    municipality: Municipality,
    by,
    fields: dict[str, Any],
    goals: Iterable[Goal] = (),
    baseline: BaselineSpec | None = None,
    targets: Sequence[TargetSpec] = (),
) -> Indicator:
    indicator = Indicator.objects.create(municipality=municipality, **fields)
    indicator.goals.set(list(goals))
    _audit(indicator, by, CREATE, indicator, snapshot_created(indicator_snapshot(indicator)))
    _set_baseline(indicator, by, baseline)
    _set_targets(indicator, by, targets)
    _refresh_computed(indicator, by)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by,
    version: int,
    fields: dict[str, Any],
    goals: Iterable[Goal],
    baseline: BaselineSpec | None,
    targets: Sequence[TargetSpec],
) -> Indicator:
    """Save the indicator as edited in a form opened at ``version``; raise
    StaleEdit, saving nothing, if it has been saved since."""
    claim_version(indicator, version)
    before = indicator_snapshot(Indicator.objects.select_related("responsible_unit").get(pk=indicator.pk))
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    indicator.goals.set(list(goals))
    _audit(indicator, by, UPDATE, indicator, diff(before, indicator_snapshot(indicator)))
    _set_baseline(indicator, by, baseline)
    _set_targets(indicator, by, targets)
    _refresh_computed(indicator, by)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    """Delete the indicator with its baseline, targets and measurements, recording each."""
    for measurement in indicator.measurements.all():
        _audit(indicator, by, DELETE, measurement, snapshot_deleted(measurement_snapshot(measurement)))
    for target in indicator.targets.all():
        _audit(indicator, by, DELETE, target, snapshot_deleted(_snapshot(target, ("date", "value"))))
    baseline = indicator.baseline_or_none
    if baseline is not None:
        _audit(indicator, by, DELETE, baseline, snapshot_deleted(_snapshot(baseline, BASELINE_FIELDS)))
    _audit(indicator, by, DELETE, indicator, snapshot_deleted(indicator_snapshot(indicator)))
    indicator.delete()


@transaction.atomic
def indicator_assess(*, indicator: Indicator, by, track: str, reason: str) -> Indicator:
    """Set the coordinator's assessment, overriding the computed one; an empty
    ``track`` removes it. Not versioned: it changes only these fields."""
    if track and track not in Track.values:
        raise ValueError(f"Unknown track label {track!r}")
    before = indicator_snapshot(indicator)
    indicator.track_override = track
    indicator.track_override_reason = reason if track else ""
    indicator.track_override_by = by if track else None
    indicator.track_override_at = timezone.now() if track else None
    indicator.save(update_fields=["track_override", "track_override_reason", "track_override_by", "track_override_at"])
    _audit(indicator, by, UPDATE, indicator, diff(before, indicator_snapshot(indicator)))
    return indicator


# --- Measurements -------------------------------------------------------------------


def measurement_snapshot(measurement: Measurement) -> dict[str, Any]:
    return _snapshot(measurement, MEASUREMENT_FIELDS)


@transaction.atomic
def measurement_create(*, indicator: Indicator, by, fields: dict[str, Any], computed: bool = False) -> Measurement:
    """A measurement entered by ``by``; a ``computed`` one (competence's share of
    staff trained) has no person as its author, though ``by`` is audited."""
    measurement = Measurement.objects.create(indicator=indicator, entered_by=None if computed else by, **fields)
    _audit(indicator, by, CREATE, measurement, snapshot_created(measurement_snapshot(measurement)))
    return measurement


@transaction.atomic
def measurement_update(*, measurement: Measurement, by, version: int, fields: dict[str, Any]) -> Measurement:
    """Save the measurement as edited in a form opened at ``version``; raise
    StaleEdit, saving nothing, if it has been saved since."""
    claim_version(measurement, version)
    before = measurement_snapshot(Measurement.objects.get(pk=measurement.pk))
    for name, value in fields.items():
        setattr(measurement, name, value)
    measurement.save()
    changes = _with_context(diff(before, measurement_snapshot(measurement)), measurement, "period_end")
    _audit(measurement.indicator, by, UPDATE, measurement, changes)
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by) -> None:
    indicator = measurement.indicator
    _audit(indicator, by, DELETE, measurement, snapshot_deleted(measurement_snapshot(measurement)))
    measurement.delete()
