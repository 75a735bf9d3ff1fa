"""Reads for the activity pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from organisations.models import OrgUnit
from plans.models import Goal, Plan, StatusSummary

from .models import Activity

GOALS_IN_ORDER = Prefetch("goals", queryset=Goal.objects.order_by("depth", "position", "pk"))
CO_UNITS = Prefetch("co_units", queryset=OrgUnit.objects.order_by("short_name"))


def activities_of_plan(
    plan: Plan,
    *,
    unit: OrgUnit | None = None,
    goal: Goal | None = None,
    summary: str | None = None,
    search: str = "",
) -> QuerySet[Activity]:
    """The plan's activities with what the list and the spreadsheet show, filtered."""
    qs = Activity.objects.filter(plan=plan)
    if unit is not None:
        qs = qs.filter(Q(owner=unit) | Q(co_units=unit)).distinct()
    if goal is not None:
        qs = qs.filter(goals=goal)
    if summary:
        qs = qs.filter(status__summary=summary)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return qs.select_related("municipality", "owner", "status").prefetch_related(GOALS_IN_ORDER, CO_UNITS)


def summary_counts(activities: QuerySet[Activity]) -> list[tuple[str, str, int]]:
    """(summary code, label, count) for every summary, in the fixed order."""
    counts = dict(
        activities.order_by()
        .values_list("status__summary")
        .annotate(n=Count("pk", distinct=True))
        .values_list("status__summary", "n")
    )
    return [(code, label, counts.get(code, 0)) for code, label in StatusSummary.choices]
