"""Reads for the competence pages, the computed indicator and a committee's
follow-up report, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Municipality, OrgUnit

from .models import Headcount, Participation, ShareIndicator, StaffGroup, Training, TrainingOccasion
from .shares import Share, compute_share, compute_units_share, in_window, window, yearly_shares

DEFAULT_YEARS = 3  # the overview's and the report's window unless asked otherwise


def staff_groups_of(municipality: Municipality) -> list[StaffGroup]:
    return list(StaffGroup.objects.filter(municipality=municipality).order_by("position", "name", "pk"))


def trainings_listed(municipality: Municipality) -> list[Training]:
    """The municipality's trainings by title, each with ``occasion_count``,
    ``last_date`` and ``participant_count``, and its rights areas. Two queries."""
    return list(
        Training.objects.filter(municipality=municipality)
        .annotate(occasion_count=Count("occasions", distinct=True), last_date=Max("occasions__date"))
        .annotate(participant_count=Sum("occasions__rows__participants"))
        .prefetch_related("rights_areas")
        .order_by("title", "pk")
    )


def occasions_of(training: Training) -> list[TrainingOccasion]:
    """The training's occasions, newest first, with their rows (unit and staff group). Two queries."""
    rows = Participation.objects.select_related("unit", "staff_group").order_by(
        "unit__name", "staff_group__position", "staff_group__name"
    )
    occasions = list(training.occasions.prefetch_related(Prefetch("rows", queryset=rows)).order_by("-date", "-pk"))
    for occasion in occasions:
        occasion.total = sum(row.participants for row in occasion.rows.all())
    return occasions


def numbers_by_year(
    municipality: Municipality, *, years: range | None = None
) -> tuple[dict[tuple[int, int, int], int], dict[tuple[int, int, int], int]]:
    """Headcounts and participants per (unit, staff group, year), optionally of
    some years only (participants: by the year of the occasion). Two queries."""
    heads = Headcount.objects.filter(unit__municipality=municipality)
    parts = (
        Participation.objects.filter(occasion__training__municipality=municipality)
        .annotate(year=ExtractYear("occasion__date"))
        .values("unit_id", "staff_group_id", "year")
        .annotate(n=Sum("participants"))
        .order_by()
    )
    if years is not None:
        heads = heads.filter(year__in=list(years))
        parts = parts.filter(occasion__date__gte=date(years[0], 1, 1), occasion__date__lte=date(years[-1], 12, 31))
    headcounts = {(u, g, y): n for u, g, y, n in heads.values_list("unit_id", "staff_group_id", "year", "number")}
    participants = {(row["unit_id"], row["staff_group_id"], row["year"]): row["n"] for row in parts}
    return headcounts, participants


@dataclass(frozen=True)
class UnitShare:
    unit: OrgUnit
    share: Share
    by_group: list[Share]  # in the order of the overview's groups


@dataclass(frozen=True)
class Overview:
    year: int
    years: int
    groups: list[StaffGroup]
    rows: list[UnitShare]
    total: Share  # over the units with a headcount (compute_units_share)
    left_out: list[OrgUnit]  # units with participants but no headcount for the year, not in ``total``


def _unit_share(unit_id: int, heads: dict, parts: dict, groups: list[StaffGroup]) -> tuple[Share, list[Share]]:
    unit_heads = {key: n for key, n in heads.items() if key[0] == unit_id}
    unit_parts = {key: n for key, n in parts.items() if key[0] == unit_id}
    by_group = [
        compute_share(
            {k: n for k, n in unit_heads.items() if k[1] == g.pk}, {k: n for k, n in unit_parts.items() if k[1] == g.pk}
        )
        for g in groups
    ]
    return compute_share(unit_heads, unit_parts), by_group


def overview(municipality: Municipality, *, year: int, years: int = DEFAULT_YEARS) -> Overview:
    """The share trained per unit (and per staff group) and for the
    municipality, for a year and a window of years: the units with a headcount
    or participants. Four queries."""
    groups = staff_groups_of(municipality)
    counted = window(year, years)
    headcounts, participants = numbers_by_year(municipality, years=range(counted[0], year + 1))
    heads = {(u, g): n for (u, g, y), n in headcounts.items() if y == year}
    parts = in_window(participants, year, years)
    unit_ids = {u for u, _g in heads} | {u for u, _g in parts}
    units = OrgUnit.objects.filter(pk__in=unit_ids).order_by("name")
    rows = [UnitShare(unit, *_unit_share(unit.pk, heads, parts, groups)) for unit in units]
    total = compute_units_share(heads, parts)
    left_out = [row.unit for row in rows if row.unit.pk in total.left_out]
    return Overview(year=year, years=years, groups=groups, rows=rows, total=total, left_out=left_out)


def left_out_text(year: int, names: list[str], *, stored: bool = False) -> str:
    """Why the municipality's share leaves units out: "2 units have no headcount
    for 2026 and are not counted: A, B." (``stored``: in the site's language,
    for a measurement's note, whoever's request wrote it)."""
    with translation.override(settings.LANGUAGE_CODE if stored else translation.get_language()):
        return ngettext(
            "%(count)s unit has no headcount for %(year)s and is not counted: %(units)s.",
            "%(count)s units have no headcount for %(year)s and are not counted: %(units)s.",
            len(names),
        ) % {"count": len(names), "year": year, "units": ", ".join(names)}


def years_with_numbers(municipality: Municipality) -> list[int]:
    """The years with a headcount or an occasion, newest first, for the overview's choice. Two queries."""
    found = set(Headcount.objects.filter(unit__municipality=municipality).values_list("year", flat=True).distinct())
    found |= {
        d.year for d in TrainingOccasion.objects.filter(training__municipality=municipality).dates("date", "year")
    }
    return sorted(found, reverse=True)


@dataclass(frozen=True)
class UnitCompetence:
    """What a committee's follow-up report shows: the unit's occasions in the
    period with its own participants, and its share trained at the period's end."""

    occasions: list[TrainingOccasion]  # each with ``unit_participants``
    share: Share
    year: int
    years: int


def unit_competence(unit: OrgUnit, *, start: date, end: date, years: int = DEFAULT_YEARS) -> UnitCompetence:
    """Three queries."""
    occasions: dict[int, TrainingOccasion] = {}
    rows = (
        Participation.objects.filter(unit=unit, occasion__date__gte=start, occasion__date__lte=end)
        .select_related("occasion__training")
        .order_by("occasion__date", "occasion_id")
    )
    for row in rows:
        occasion = occasions.setdefault(row.occasion_id, row.occasion)
        occasion.unit_participants = getattr(occasion, "unit_participants", 0) + row.participants
    year = end.year
    counted = window(year, years)
    heads = {
        (unit.pk, g): n
        for g, n in Headcount.objects.filter(unit=unit, year=year).values_list("staff_group_id", "number")
    }
    parts = {
        (unit.pk, g): n
        for g, n in Participation.objects.filter(
            unit=unit, occasion__date__gte=date(counted[0], 1, 1), occasion__date__lte=date(year, 12, 31)
        )
        .values("staff_group_id")
        .annotate(n=Sum("participants"))
        .order_by()
        .values_list("staff_group_id", "n")
    }
    return UnitCompetence(occasions=list(occasions.values()), share=compute_share(heads, parts), year=year, years=years)


def trainings_qs(municipality: Municipality) -> QuerySet[Training]:
    return Training.objects.filter(municipality=municipality)


def share_gap(indicator, *, year: int) -> str:
    """Why a computed "share of staff trained" indicator has no value for
    ``year`` (the current year, on its page), or "" when it has one: the unit
    (or, over all units, no unit) has no headcount for the year in the
    indicator's scope, or participants of a staff group have no headcount to be
    read against. Three queries."""
    scope = ShareIndicator.objects.filter(indicator=indicator).select_related("unit", "staff_group").first()
    if scope is None:
        return ""
    headcounts, participants = numbers_by_year(indicator.municipality, years=window(year, scope.years))
    shares = yearly_shares(
        headcounts, participants, years=scope.years, unit=scope.unit_id, group=scope.staff_group_id, until=year
    )
    share = shares.get(year)
    if share is not None and share.percent is not None:
        return ""
    where = scope.unit.name if scope.unit else ""
    if share is None:
        if scope.unit and scope.staff_group:
            return _("No share for %(year)s: %(unit)s has no headcount of %(group)s for %(year)s.") % {
                "year": year, "unit": where, "group": scope.staff_group.name,
            }  # fmt: skip
        if scope.unit:
            return _("No share for %(year)s: %(unit)s has no headcount for %(year)s.") % {"year": year, "unit": where}
        return _("No share for %(year)s: no unit has a headcount for %(year)s.") % {"year": year}
    if share.headcount == 0:
        return _("No share for %(year)s: the headcount for %(year)s is 0.") % {"year": year}
    if not scope.unit:
        return _("No share for %(year)s: participants of a staff group have no headcount for %(year)s.") % {
            "year": year
        }
    return _("No share for %(year)s: %(unit)s has participants in a staff group without a headcount for %(year)s.") % {
        "year": year,
        "unit": where,
    }
