"""Writes to the knowledge bank. Each runs in one transaction and writes its
audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.services import activity_create
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from lib.locking import claim_version
from organisations.models import Municipality, OrgUnit
from plans.models import ActivityStatus, Goal, RightsArea, StatusSummary

from .models import Adoption, PracticeExample

EXAMPLE_FIELDS = (
    "title", "organisation", "goal_kinds", "target_groups", "summary", "prerequisites", "tips", "results",
    "contact", "sources", "period",
)  # fmt: skip


def example_snapshot(example: PracticeExample) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(example, name) for name in EXAMPLE_FIELDS}
    data["goal_kinds"] = example.goal_kind_labels()
    data["target_groups"] = example.target_group_labels()
    data["rights_areas"] = [area.name for area in example.rights_areas.all()]
    return data


@transaction.atomic
def example_create(
    *, municipality: Municipality, by, fields: dict[str, Any], rights_areas: Iterable[RightsArea] = ()
) -> PracticeExample:
    example = PracticeExample.objects.create(municipality=municipality, **fields)
    example.rights_areas.set(list(rights_areas))
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=example,
        changes=snapshot_created(example_snapshot(example)),
    )
    return example


@transaction.atomic
def example_update(
    *,
    example: PracticeExample,
    by,
    fields: dict[str, Any],
    rights_areas: Iterable[RightsArea] | None = None,
    version: int | None = None,
) -> PracticeExample:
    """Save changes; with ``version`` (the one the form was opened with), raise
    lib.locking.StaleEdit if someone else saved in between."""
    before = example_snapshot(PracticeExample.objects.get(pk=example.pk))
    claim_version(example, version)
    for name, value in fields.items():
        setattr(example, name, value)
    example.save()
    if rights_areas is not None:
        example.rights_areas.set(list(rights_areas))
    audit_record(
        municipality=example.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=example,
        changes=diff(before, example_snapshot(example)),
    )
    return example


@transaction.atomic
def example_publish(*, example: PracticeExample, by, publish: bool = True) -> PracticeExample:
    """Share the example with every municipality of the instance, or stop sharing it.
    Activities already made from it keep their text; their link stays."""
    if example.is_published == publish:
        return example
    example.is_published = publish
    example.published_at = timezone.now() if publish else None
    example.save(update_fields=["is_published", "published_at"])
    audit_record(
        municipality=example.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=example,
        changes={"is_published": [not publish, publish]},
    )
    return example


def draft_status(plan_id: int) -> ActivityStatus:
    """The plan's first "not started" status (the draft a new activity starts as), else its first."""
    statuses = list(ActivityStatus.objects.filter(plan_id=plan_id).order_by("position", "pk"))
    return next((s for s in statuses if s.summary == StatusSummary.NOT_STARTED), statuses[0])


@transaction.atomic
def example_adopt(*, example: PracticeExample, by, goals: Iterable[Goal], owner: OrgUnit) -> Activity:
    """A draft activity in the adopter's plan, pre-filled from the example and
    linked back to it: not started, internal, for the adopter to complete.
    The goals must all belong to one plan of the owner's municipality."""
    goals = list(goals)
    plans = {g.plan_id for g in goals}
    if len(plans) != 1:
        raise ValueError("The goals of an adoption belong to one plan.")
    plan = goals[0].plan
    if plan.municipality_id != owner.municipality_id:
        raise ValueError("The responsible unit belongs to the plan's municipality.")
    activity = activity_create(
        plan=plan,
        by=by,
        fields={
            "title": example.title[:300],
            # What was done; the activity's page names the example it came from
            # (Adoption, practice/_adopted_from.html), so the text does not repeat it.
            "description": example.summary,
            "owner": owner,
            "target_groups": list(example.target_groups),
            "status": draft_status(plan.pk),
            "visibility": Activity.Visibility.INTERNAL,
        },
        goals=goals,
    )
    adoption = Adoption.objects.create(example=example, activity=activity, municipality_id=plan.municipality_id, by=by)
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=adoption,
        object_repr=_("“%(example)s” taken up as %(activity)s")
        % {
            "example": example.title,
            "activity": activity.reference,
        },
        changes={
            "example": [None, f"{example.title} ({example.municipality.name})"],
            "activity": [None, f"{activity.reference} {activity.title}"],
        },
    )
    return activity
