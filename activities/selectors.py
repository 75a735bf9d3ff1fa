"""Reads for the activity pages, each in a fixed number of queries."""

from __future__ import annotations

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from organisations.models import OrgUnit
from plans.models import ActivityStatus, Goal, Plan, StatusSummary

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
        # A subquery, not a join: no duplicate rows, so no DISTINCT over the plan's activities.
        co_owned = Activity.co_units.through.objects.filter(orgunit=unit).values("activity_id")
        qs = qs.filter(Q(owner=unit) | Q(pk__in=co_owned))
    if goal is not None:
        qs = qs.filter(goals=goal)
    if summary:
        qs = qs.filter(status__summary=summary)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return qs.select_related("municipality", "owner", "status").prefetch_related(GOALS_IN_ORDER, CO_UNITS)


def summary_counts(activities: QuerySet[Activity]) -> list[tuple[str, str, int]]:
    """(summary code, label, count) for every summary, in the fixed order.

    Two queries: the activities counted by status in one aggregate over the
    activity table alone (the plan's index), then the statuses' summaries (a
    plan has a handful). ``activities`` must not repeat a row (activities_of_plan
    does not)."""
    by_status = dict(
        activities.order_by().values_list("status_id").annotate(n=Count("pk")).values_list("status_id", "n")
    )
    counts: dict[str, int] = {}
    for pk, summary in ActivityStatus.objects.filter(pk__in=list(by_status)).values_list("pk", "summary"):
        counts[summary] = counts.get(summary, 0) + by_status[pk]
    return [(code, label, counts.get(code, 0)) for code, label in StatusSummary.choices]


# --- Counts by status, kept in the shared cache ------------------------------------

COUNTS_CACHE_SECONDS = 15 * 60  # a bound on staleness should a writer ever forget forget_counts()


def _generation_key(plan_id: int) -> str:
    return f"activities:counts-generation:{plan_id}"


def _generation(plan_id: int) -> str:
    """A token that changes whenever the plan's activities or statuses change
    (forget_counts): it names the cached counts."""
    key = _generation_key(plan_id)
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid4().hex, COUNTS_CACHE_SECONDS)
        token = cache.get(key) or ""
    return token


def forget_counts(plan_id: int) -> None:
    """Make every cached count of the plan's activities stale: now, and again when
    the transaction commits (a view counting in between may have cached the old
    state). Called by every service that adds, changes or deletes an activity or
    changes the plan's statuses."""
    cache.delete(_generation_key(plan_id))
    transaction.on_commit(lambda: cache.delete(_generation_key(plan_id)))


def plan_counts(
    plan: Plan, *, unit: OrgUnit | None = None, goal: Goal | None = None, search: str = ""
) -> list[tuple[str, str, int]]:
    """summary_counts() of the plan's activities (with the list's filter but
    its status), for the activity list and the start page, which show them on
    every view: kept in the shared cache until an activity of the plan or its
    statuses change (forget_counts). A search is counted each time. Three
    queries when cached with the database cache, none with another cache."""
    activities = activities_of_plan(plan, unit=unit, goal=goal, search=search)
    if search:
        return summary_counts(activities)
    key = f"activities:counts:{plan.pk}:{_generation(plan.pk)}:{unit.pk if unit else ''}:{goal.pk if goal else ''}"
    counts = cache.get(key)
    if counts is None:
        counts = {code: n for code, _label, n in summary_counts(activities)}
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return [(code, label, counts.get(code, 0)) for code, label in StatusSummary.choices]


def plan_funding_risks(plan: Plan, *, limit: int) -> tuple[int, list[Activity]]:
    """How many of the plan's activities have temporary funding ending within a
    year (Activity.funding_at_risk), and the first ``limit`` of them by end date:
    for the start page. The count and the ids are kept in the shared cache for
    the day, until the plan's activities or statuses change (forget_counts).
    Three queries with the database cache when cached, one with another cache."""
    today = timezone.localdate()
    key = f"activities:risks:{plan.pk}:{_generation(plan.pk)}:{today.isoformat()}:{limit}"
    cached = cache.get(key)
    if cached is None:
        risks = Activity.objects.filter(plan=plan).funding_at_risk(today)
        cached = (risks.count(), list(risks.order_by("funding_ends", "number").values_list("pk", flat=True)[:limit]))
        cache.set(key, cached, COUNTS_CACHE_SECONDS)
    count, ids = cached
    by_pk = Activity.objects.select_related("municipality", "owner", "status").in_bulk(ids)
    return count, [by_pk[pk] for pk in ids if pk in by_pk]
