"""Reads for the knowledge bank. Each takes a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from activities.models import TargetGroup
from plans.models import Goal, GoalKind, RightsArea

from .models import Adoption, PracticeExample

AREAS = Prefetch("rights_areas", queryset=RightsArea.objects.order_by("position"))
TEXT_FIELDS = ("title", "organisation", "summary", "prerequisites", "tips", "results")


@dataclass
class Filters:
    area: str = ""
    kind: str = ""
    group: str = ""
    text: str = ""

    @classmethod
    def from_request(cls, request) -> Filters:
        """The list's filters from the query string; an unknown value is no filter."""
        area = request.GET.get("omrade", "")
        kind = request.GET.get("malslag", "")
        group = request.GET.get("malgrupp", "")
        text = request.GET.get("q", "")
        return cls(
            area=area if area in RightsArea.Code.values else "",
            kind=kind if kind in GoalKind.values else "",
            group=group if group in TargetGroup.values else "",
            text=text.replace("\x00", "").strip()[:100],  # PostgreSQL refuses NUL in a query
        )

    @property
    def active(self) -> bool:
        return bool(self.area or self.kind or self.group or self.text)


def _json_list_has(field: str, code: str) -> Q:
    """A JSON list of codes holds ``code``: matched on the stored text ("code"
    with its quotes), the same on SQLite and PostgreSQL; codes are plain ASCII."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


def examples_listed(qs: QuerySet[PracticeExample], filters: Filters) -> QuerySet[PracticeExample]:
    """The examples a filter keeps, with their municipality, rights areas and how
    often each has been taken up: three queries, however many."""
    if filters.area:
        qs = qs.filter(rights_areas=filters.area)
    if filters.kind:
        qs = qs.filter(_json_list_has("goal_kinds", filters.kind))
    if filters.group:
        qs = qs.filter(_json_list_has("target_groups", filters.group))
    if filters.text:
        words = Q()
        for name in TEXT_FIELDS:
            words |= Q(**{f"{name}__icontains": filters.text})
        qs = qs.filter(words)
    return (
        qs.select_related("municipality")
        .prefetch_related(AREAS)
        .annotate(adoption_count=Count("adoptions", distinct=True))
        .order_by("title", "pk")
    )


def adoptions_by_municipality(example: PracticeExample) -> list[tuple[str, int]]:
    """ "Tagits upp av": each municipality that made an activity of the example,
    with how many. One query."""
    rows = (
        Adoption.objects.filter(example=example)
        .values("municipality__name")
        .annotate(n=Count("pk"))
        .order_by("municipality__name")
    )
    return [(row["municipality__name"], row["n"]) for row in rows]


def own_adoptions(example: PracticeExample, municipality_id: int) -> QuerySet[Adoption]:
    """The activities the reader's own municipality made of the example (theirs to open)."""
    return (
        Adoption.objects.filter(example=example, municipality_id=municipality_id)
        .select_related("activity__municipality")
        .order_by("activity__number")
    )


# Words of a goal's guidance ("Exempel på insatser") that say nothing on their own.
STOP_WORDS = frozenset((
    "insatser", "kommunen", "kommunens", "verksamhet", "verksamheter", "inkludering", "kunskaper",
    "tillsammans", "särskilt", "exempelvis", "minoriteten", "nationella", "minoriteter", "nämnderna",
    "stadsdelsnämnderna", "rättigheter", "förvaltningar", "invånare", "romska", "arbetet",
))  # fmt: skip
WORD = re.compile(r"[a-zåäöéü]{8,}")
STEM = 7  # letters compared: "läxhjälp" finds "Läxhjälpsverksamhet", "brobyggare" "brobyggarna"


def guidance_stems(text: str, *, limit: int = 12) -> list[str]:
    seen: list[str] = []
    for word in WORD.findall(text.lower()):
        stem = word[:STEM]
        if word not in STOP_WORDS and stem not in seen:
            seen.append(stem)
    return seen[:limit]


def examples_for_goal(goal: Goal, municipality_id: int, *, limit: int = 6) -> list[PracticeExample]:
    """Examples to learn from on a goal's page: those of the goal's rights areas, and
    those whose title has a word of the goal's guidance. One query (the goal's rights
    areas prefetched, as the goal page does)."""
    match = Q(rights_areas__in=[area.pk for area in goal.rights_areas.all()])
    for stem in guidance_stems(goal.guidance or ""):
        match |= Q(title__icontains=stem)
    ids = PracticeExample.objects.readable_by(municipality_id).filter(match).values("pk")
    return list(
        PracticeExample.objects.filter(pk__in=ids).select_related("municipality").order_by("title", "pk")[:limit]
    )
