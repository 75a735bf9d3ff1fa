"""Reads for the event pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from lib.suppression import Cell, suppress_1d
from organisations.models import OrgUnit
from plans.models import Goal

from .models import AGE_GROUPS, Event

NOT_STATED = "ej_angivet"
ORGANISERS = Prefetch("organisers", queryset=OrgUnit.objects.order_by("short_name"))


def events_listed(qs: QuerySet[Event], *, year: int | None = None) -> QuerySet[Event]:
    if year is not None:
        qs = qs.filter(starts_at__year=year)
    return qs.prefetch_related(ORGANISERS).order_by("starts_at", "pk")


def event_years(qs: QuerySet[Event]) -> list[int]:
    return sorted({d.year for d in qs.dates("starts_at", "year")}, reverse=True)


def events_serving(qs: QuerySet[Event], *, goal: Goal | None = None, activity=None) -> QuerySet[Event]:
    if goal is not None:
        qs = qs.filter(goals=goal)
    if activity is not None:
        qs = qs.filter(activities=activity)
    return qs.order_by("-starts_at", "pk")


@dataclass
class Participants:
    """An event's participants as one person may see them: exact for staff,
    otherwise protected like survey counts (lib.suppression.suppress_1d)."""

    total: Cell | int
    rows: list[tuple[str, Cell | int]]  # by age group; empty when only a total was recorded
    exact: bool
    codes: list[str] = field(default_factory=list)  # the rows' age groups (AGE_GROUPS' codes, "ej_angivet")

    @property
    def withheld(self) -> bool:
        return not self.exact and self.total.suppressed


def participants(event: Event, *, exact: bool, k: int | None = None) -> Participants | None:
    if event.participants_total is None and not event.participants:
        return None
    ages = dict(AGE_GROUPS)
    counts: dict[str, int] = {age: 0 for age in ages}
    for age, n in (event.participants or {}).items():
        if age in ages and isinstance(n, int) and not isinstance(n, bool) and n > 0:
            counts[age] += n
    counted = sum(counts.values())
    total = max(event.participants_total or 0, counted)
    if not counted:  # only a total was recorded: a line of one count, protected like any other
        counts = {NOT_STATED: total}
    elif total > counted:
        counts[NOT_STATED] = total - counted
    if exact:
        cells, grand = dict(counts), total
    else:
        k = k if k is not None else event.municipality.suppression_k
        cells, grand = suppress_1d(counts, k=k, total=total)
    labels = {**ages, NOT_STATED: _("not stated")}
    rows = [(str(labels[key]), cells[key]) for key in counts] if counted else []
    return Participants(total=grand, rows=rows, exact=exact, codes=list(counts) if counted else [])
