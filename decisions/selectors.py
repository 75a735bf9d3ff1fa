"""Reads for the decision log, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from organisations.models import Municipality
from plans.models import Goal

from .models import Decision

GOALS = Prefetch("goals", queryset=Goal.objects.order_by("code"))


def decision_log(
    municipality: Municipality, *, body=None, year: int | None = None, goal: Goal | None = None
) -> QuerySet[Decision]:
    """The municipality's decisions, newest first, filtered. Two queries."""
    qs = Decision.objects.filter(municipality=municipality)
    if body is not None:
        qs = qs.filter(body=body)
    if year is not None:
        qs = qs.filter(decided_on__year=year)
    if goal is not None:
        qs = qs.filter(goals=goal)
    return qs.select_related("body", "analysis").prefetch_related(GOALS).order_by("-decided_on", "-pk")


def decision_years(municipality: Municipality) -> list[int]:
    dates = Decision.objects.filter(municipality=municipality).dates("decided_on", "year")
    return sorted({d.year for d in dates}, reverse=True)


def decisions_linked(qs) -> QuerySet[Decision]:
    """Decisions of a relation (a goal's, a consultation's), newest first."""
    return qs.select_related("body").order_by("-decided_on", "-pk")
