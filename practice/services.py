"""Writes to the knowledge bank. Each runs in one transaction and writes its
audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity
from activities.services import activity_create
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
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
    Activities already made from it keep their text; their link stays. Stopping
    sharing also takes it off the public site (only a shared example is shown there)."""
    if example.is_published == publish:
        return example
    changes = {"is_published": [not publish, publish]}
    example.is_published = publish
    example.published_at = timezone.now() if publish else None
    if not publish and example.on_public_site:
        example.on_public_site, example.on_public_site_at = False, None
        changes["on_public_site"] = [True, False]
    example.save(update_fields=["is_published", "published_at", "on_public_site", "on_public_site_at"])
    audit_record(
        municipality=example.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=example,
        changes=changes,
    )
    return example


class NotShared(ValueError):
    """Only an example shared with every municipality may be shown on the public site."""


@transaction.atomic
def example_show_publicly(*, example: PracticeExample, by, show: bool = True) -> PracticeExample:
    """Show the example on its municipality's public site (/<kod>/exempel/<pk>/), or
    take it off. Only a shared example (NotShared otherwise): docs/practice.md."""
    if example.on_public_site == show:
        return example
    if show and not example.is_published:
        raise NotShared(_("Share the example with every municipality before showing it on the public site."))
    example.on_public_site = show
    example.on_public_site_at = timezone.now() if show else None
    example.save(update_fields=["on_public_site", "on_public_site_at"])
    audit_record(
        municipality=example.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=example,
        changes={"on_public_site": [not show, show]},
    )
    return example


class AlreadyTakenUp(Exception):
    """The adopter's municipality has already made an activity of the example."""


class NotAllowedNow(Exception):
    """The example cannot be deleted: the message says why."""


def example_delete_refusal(example: PracticeExample) -> str:
    """Why the example cannot be deleted (other municipalities made activities of it), or ""."""
    others = (
        Adoption.objects.filter(example_id=example.pk)
        .exclude(municipality_id=example.municipality_id)
        .values("municipality_id")
        .distinct()
        .count()
    )
    if not others:
        return ""
    because = ngettext(
        "The example cannot be deleted: %(count)d other municipality has made an activity of it.",
        "The example cannot be deleted: %(count)d other municipalities have made activities of it.",
        others,
    ) % {"count": others}
    if example.is_published:
        instead = _("Stop sharing it instead: then no other municipality can take it up.")
    else:
        instead = _("It is no longer shared: no other municipality can take it up.")
    return f"{because} {instead}"


@transaction.atomic
def example_delete(*, example: PracticeExample, by) -> None:
    """Delete an example entered by mistake. Refused (NotAllowedNow) when other
    municipalities made activities of it; the municipality's own activities made
    of it stay and lose their link (the Adoption rows go)."""
    example = PracticeExample.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=example.pk)
    if reason := example_delete_refusal(example):
        raise NotAllowedNow(reason)
    data = example_snapshot(example)
    data["taken_up_as"] = sorted(
        a.activity.reference for a in example.adoptions.select_related("activity__municipality")
    )
    audit_record(
        municipality=example.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=example,
        changes=snapshot_deleted(data),
    )
    example.delete()  # its Adoption rows go with it (CASCADE); the activities stay


def draft_status(plan_id: int) -> ActivityStatus:
    """The plan's first "not started" status (the draft a new activity starts as), else its first."""
    statuses = list(ActivityStatus.objects.filter(plan_id=plan_id).order_by("position", "pk"))
    return next((s for s in statuses if s.summary == StatusSummary.NOT_STARTED), statuses[0])


@transaction.atomic
def example_adopt(
    *, example: PracticeExample, by, goals: Iterable[Goal], owner: OrgUnit, again: bool = False
) -> Activity:
    """A draft activity in the adopter's plan, pre-filled from the example and
    linked back to it: not started, internal, for the adopter to complete.
    The goals must all belong to one plan of the owner's municipality.

    A municipality that has already taken the example up gets a second activity
    only when ``again`` says it is intended, else AlreadyTakenUp: checked under a
    row lock on the example, so two clicks at once make one activity."""
    goals = list(goals)
    plans = {g.plan_id for g in goals}
    if len(plans) != 1:
        raise ValueError("The goals of an adoption belong to one plan.")
    plan = goals[0].plan
    if plan.municipality_id != owner.municipality_id:
        raise ValueError("The responsible unit belongs to the plan's municipality.")
    # PracticeExample.DoesNotExist when deleted meanwhile.
    PracticeExample.objects.select_for_update().only("pk").get(pk=example.pk)
    if not again and Adoption.objects.filter(example_id=example.pk, municipality_id=plan.municipality_id).exists():
        raise AlreadyTakenUp(_("Your municipality has already taken up the example."))
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
