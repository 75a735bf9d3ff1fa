"""Reads for the indicator pages and other apps' dashboards, each in a fixed
number of queries however many indicators there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from organisations.models import Municipality, OrgUnit
from plans.models import Goal

from .charts import Chart, build_chart
from .models import Baseline, Indicator, Measurement, Target, Track
from .tracking import Assessment, assess, compute_track

TARGETS = Prefetch("targets", queryset=Target.objects.order_by("date"))
GOALS = Prefetch("goals", queryset=Goal.objects.select_related("plan").order_by("plan_id", "depth", "position", "pk"))


def with_status(indicators: QuerySet[Indicator], *, goals: bool = False) -> list[Indicator]:
    """The indicators, each with ``latest`` (its latest measurement or None) and
    ``assessment`` (tracking.Assessment). Three queries (four with ``goals``)."""
    latest_pk = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period_end").values("pk")[:1]
    qs = (
        indicators.select_related("responsible_unit", "baseline", "track_override_by")
        .prefetch_related(TARGETS, *([GOALS] if goals else []))
        .annotate(latest_pk=Subquery(latest_pk))
    )
    rows = list(qs)
    latest = Measurement.objects.in_bulk([row.latest_pk for row in rows if row.latest_pk])
    for row in rows:
        row.latest = latest.get(row.latest_pk)
        row.assessment = assess(row, latest=row.latest, targets=[(t.date, t.value) for t in row.targets.all()])
    return rows


def indicators_of(
    municipality: Municipality, *, unit: OrgUnit | None = None, goal: Goal | None = None
) -> QuerySet[Indicator]:
    """The municipality's indicators by name, optionally those of one unit or following one goal."""
    qs = Indicator.objects.filter(municipality=municipality)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    if goal is not None:
        qs = qs.filter(goals=goal)
    return qs.order_by("name", "pk")


def followed_goals(municipality: Municipality) -> list[Goal]:
    """The goals some indicator of the municipality follows, for the list's filter."""
    return list(
        Goal.objects.filter(indicators__municipality=municipality)
        .distinct()
        .only("plan", "code", "title")  # what a filter's option shows
        .order_by("plan__title", "depth", "position", "pk")
    )


TRACKS_CACHE_SECONDS = 30 * 24 * 3600


def _tracks_key(municipality_id: int) -> str:
    return f"indicators:tracks:{municipality_id}"


def effective_tracks(municipality: Municipality) -> dict[int, str]:
    """The effective label (Track value) of each of the municipality's indicators,
    by id: the coordinator's assessment where given, else the computed one
    (tracking.compute_track).

    The computed labels are kept in the shared cache, one entry per municipality
    holding each indicator's label beside the fingerprint of what it was computed
    from: the indicator's creation time and version (bumped by every edit of the
    indicator, its baseline and its targets: services.indicator_update) and its
    latest measurement's id, creation time and version (a new, edited or deleted
    measurement changes it; the coordinator's assessment is read each time).
    A label whose fingerprint no longer matches is computed again from the
    database, and the entry rewritten: a change shows on the next view. One
    query when every label is current (two with the database cache), four more
    when some are not."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period_end")
    rows = list(
        Indicator.objects.filter(municipality=municipality)
        .annotate(
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_at=Subquery(latest.values("entered_at")[:1]),
            latest_version=Subquery(latest.values("version")[:1]),
        )
        .values_list("pk", "created_at", "version", "latest_pk", "latest_at", "latest_version", "track_override")
    )
    fingerprints = {row[0]: (str(row[1]), row[2], row[3], str(row[4]), row[5]) for row in rows}
    key = _tracks_key(municipality.pk)
    stored = cache.get(key) or {}
    tracks = {pk: stored[pk][1] for pk, fp in fingerprints.items() if pk in stored and stored[pk][0] == fp}
    stale = [pk for pk in fingerprints if pk not in tracks]
    if stale:
        tracks.update(_compute_tracks(stale, {row[0]: row[3] for row in rows}))
        cache.set(key, {pk: (fingerprints[pk], tracks[pk]) for pk in fingerprints}, TRACKS_CACHE_SECONDS)
    return {row[0]: row[6] or tracks[row[0]] for row in rows}


def _compute_tracks(ids: list[int], latest_pks: dict[int, int | None]) -> dict[int, str]:
    """The computed label of each of the indicators, from plain values (no model
    instances: the start page reads hundreds). Four queries."""
    indicators = Indicator.objects.filter(pk__in=ids)
    baselines = {
        pk: (day, value)
        for pk, day, value in Baseline.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "date", "value"
        )
        if value is not None
    }
    targets: dict[int, list] = {}
    for pk, day, value in Target.objects.filter(indicator__in=indicators).values_list("indicator_id", "date", "value"):
        targets.setdefault(pk, []).append((day, value))
    wanted = [latest_pks[pk] for pk in ids if latest_pks.get(pk)]
    measured = {
        row[0]: row[1:]
        for row in Measurement.objects.filter(pk__in=wanted).values_list(
            "indicator_id", "period_end", "value", "value_bool"
        )
    }
    tracks = {}
    for pk, kind, direction in indicators.values_list("pk", "kind", "direction"):
        day, value, answer = measured.get(pk, (None, None, None))
        track, _expected = compute_track(
            kind=kind,
            direction=direction,
            baseline=baselines.get(pk),
            targets=targets.get(pk, []),
            latest_date=day,
            latest_value=answer if kind == Indicator.Kind.YES_NO else value,
        )
        tracks[pk] = track.value
    return tracks


def track_summary(municipality: Municipality) -> dict[str, int]:
    """How many of the municipality's indicators have each effective label
    (the coordinator's assessment where given, else the computed one, kept in
    the shared cache: effective_tracks); every Track value is a key. One query
    when the cache is current."""
    counts = dict.fromkeys(Track.values, 0)
    for track in effective_tracks(municipality).values():
        counts[track] += 1
    return counts


def indicators_for_units(units: list[OrgUnit]) -> list[Indicator]:
    """The indicators the units are responsible for, by name, each with
    ``latest`` and ``assessment`` as in with_status(). Three queries."""
    if not units:
        return []
    return with_status(Indicator.objects.filter(responsible_unit__in=units).order_by("name", "pk"))


# --- The indicator page -------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """A row in the table beside the chart: the same numbers as the chart."""

    when: date
    what: str
    value: Decimal | None
    women: Decimal | None = None
    men: Decimal | None = None


@dataclass
class IndicatorPage:
    indicator: Indicator
    baseline: Baseline | None
    targets: list[Target]
    measurements: list[Measurement]
    assessment: Assessment
    chart: Chart | None
    table: list[TableRow]


def chart_and_table(
    indicator: Indicator, baseline: Baseline | None, targets: list[Target], measurements: list[Measurement]
) -> tuple[Chart | None, list[TableRow]]:
    """A quantitative indicator's chart (baseline, targets, the measured series:
    the total, and women and men when split) and the same numbers as table rows by date."""
    base_point = (baseline.date, baseline.value) if baseline and baseline.value is not None else None
    series = [("total", _("Total") if indicator.gender_split else _("Measured"), [])]
    if indicator.gender_split:
        series += [("women", indicator.female_label, []), ("men", indicator.male_label, [])]
    for m in measurements:
        for key, _label, points in series:
            value = m.value if key == "total" else getattr(m, key)
            if value is not None:
                points.append((m.period_end, value))
    chart = build_chart(baseline=base_point, targets=[(t.date, t.value) for t in targets], series=series)
    table = []
    if base_point:
        table.append(TableRow(baseline.date, _("Baseline"), baseline.value, baseline.women, baseline.men))
    table += [TableRow(m.period_end, _("Measured"), m.value, m.women, m.men) for m in measurements]
    table += [TableRow(t.date, _("Target"), t.value) for t in targets]
    table.sort(key=lambda row: row.when)
    return chart, table


def indicator_page(indicator: Indicator) -> IndicatorPage:
    """Everything the indicator's page shows but its history."""
    baseline = indicator.baseline_or_none
    targets = list(indicator.targets.order_by("date"))
    measurements = list(indicator.measurements.select_related("entered_by").order_by("period_end"))
    latest = measurements[-1] if measurements else None
    assessment = assess(indicator, latest=latest, targets=[(t.date, t.value) for t in targets])
    chart, table = chart_and_table(indicator, baseline, targets, measurements) if indicator.is_number else (None, [])
    return IndicatorPage(
        indicator=indicator,
        baseline=baseline,
        targets=targets,
        measurements=measurements,
        assessment=assessment,
        chart=chart,
        table=table,
    )


def indicator_history(indicator: Indicator, *, limit: int = 50) -> list[AuditEvent]:
    """The latest changes to the indicator, its baseline and its current targets
    and measurements, newest first. (A removed target's or measurement's events
    stay in the audit log.)"""
    types = ContentType.objects.get_for_models(Indicator, Baseline, Target, Measurement, for_concrete_models=False)
    q = Q(content_type=types[Indicator], object_id=indicator.pk)
    baseline = indicator.baseline_or_none
    if baseline is not None:
        q |= Q(content_type=types[Baseline], object_id=baseline.pk)
    q |= Q(content_type=types[Target], object_id__in=indicator.targets.values("pk"))
    q |= Q(content_type=types[Measurement], object_id__in=indicator.measurements.values("pk"))
    return list(AuditEvent.objects.filter(q).select_related("content_type").order_by("-at", "-pk")[:limit])
