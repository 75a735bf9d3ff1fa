"""Writes to the decision log, each in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from documents.models import Attachment
from lib.formatting import short_date
from organisations.models import Municipality

from .models import Body, ConsequenceAnalysis, Decision, Meeting

BODY_FIELDS = ("name", "kind", "unit", "description")
DECISION_FIELDS = ("body", "meeting", "decided_on", "paragraph", "dnr", "title", "text", "affects_minority")
DECISION_RELATIONS = ("goals", "activities", "remisses", "consultations")
ANALYSIS_FIELDS = (
    "effects", "minority_rights", "children_rights", "consultation_held", "no_consultation_reason", "conclusion",
)  # fmt: skip


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def body_snapshot(body: Body) -> dict[str, Any]:
    data = {name: _plain(getattr(body, name)) for name in BODY_FIELDS}
    data["kind"] = body.get_kind_display()
    return data


def decision_snapshot(decision: Decision) -> dict[str, Any]:
    data = {name: _plain(getattr(decision, name)) for name in DECISION_FIELDS}
    if decision.pk:
        data["goals"] = sorted(g.code for g in decision.goals.all())
        data["activities"] = sorted(a.reference for a in decision.activities.select_related("municipality"))
        data["remisses"] = sorted(r.title for r in decision.remisses.all())
        data["consultations"] = sorted(c.title for c in decision.consultations.all())
    return data


def analysis_snapshot(analysis: ConsequenceAnalysis) -> dict[str, Any]:
    data = {f"analysis_{name}": getattr(analysis, name) for name in ANALYSIS_FIELDS}
    if analysis.pk:
        data["analysis_consultations"] = sorted(c.title for c in analysis.consultations.all())
    return data


@transaction.atomic
def body_save(*, municipality: Municipality, by, fields: dict[str, Any], body: Body | None = None) -> Body:
    created = body is None
    before = {} if created else body_snapshot(Body.objects.get(pk=body.pk))
    body = body or Body(municipality=municipality)
    for name, value in fields.items():
        setattr(body, name, value)
    body.save()
    after = body_snapshot(body)
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=body,
        changes=snapshot_created(after) if created else diff(before, after),
    )
    return body


@transaction.atomic
def meeting_create(*, body: Body, by, fields: dict[str, Any]) -> Meeting:
    meeting = Meeting.objects.create(body=body, **fields)
    audit_record(
        municipality=body.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=meeting,
        changes=snapshot_created({"held_on": meeting.held_on.isoformat(), "notes": meeting.notes}),
    )
    _meeting_on_body(body, by, None, meeting)
    return meeting


def _meeting_on_body(body: Body, by, before: Meeting | None, after: Meeting | None) -> None:
    """The body's own history names its meetings added and removed (a meeting has no page of its own)."""
    audit_record(
        municipality=body.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=body,
        changes={
            "meeting": [short_date(before.held_on) if before else None, short_date(after.held_on) if after else None]
        },
    )


@transaction.atomic
def decision_save(
    *,
    municipality: Municipality,
    by,
    fields: dict[str, Any],
    relations: dict[str, Iterable] | None = None,
    decision: Decision | None = None,
) -> Decision:
    """Record a decision, or change one; ``relations``: goals, activities,
    remisses and consultations (each replaced when given)."""
    created = decision is None
    before = {} if created else decision_snapshot(Decision.objects.get(pk=decision.pk))
    decision = decision or Decision(municipality=municipality)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.save()
    for name, objects in (relations or {}).items():
        getattr(decision, name).set(list(objects))
    after = decision_snapshot(decision)
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=decision,
        changes=snapshot_created(after) if created else diff(before, after),
    )
    return decision


@transaction.atomic
def analysis_save(
    *, decision: Decision, by, fields: dict[str, Any], consultations: Iterable = ()
) -> ConsequenceAnalysis:
    """Write the decision's consequence analysis; it is in the decision's history."""
    analysis = ConsequenceAnalysis.objects.filter(decision=decision).first()
    before = analysis_snapshot(analysis) if analysis else {}
    analysis = analysis or ConsequenceAnalysis(decision=decision)
    for name, value in fields.items():
        setattr(analysis, name, value)
    analysis.updated_at = timezone.now()
    analysis.save()
    analysis.consultations.set(list(consultations))
    audit_record(
        municipality=decision.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=decision,
        changes=diff(before, analysis_snapshot(analysis)),
    )
    return analysis


# --- Deleting what was entered by mistake ---------------------------------------------


class NotAllowedNow(Exception):
    """The object is still in use: the message says by what."""


def _counted(meetings: int, decisions: int) -> str:
    """ "2 meetings and 1 decision", leaving out a count of none."""
    parts = {}
    if meetings:
        parts["meetings"] = ngettext("%(count)d meeting", "%(count)d meetings", meetings) % {"count": meetings}
    if decisions:
        parts["decisions"] = ngettext("%(count)d decision", "%(count)d decisions", decisions) % {"count": decisions}
    if len(parts) == 2:
        return _("%(meetings)s and %(decisions)s") % parts
    return next(iter(parts.values()))


def body_in_use(body: Body) -> str:
    """Why the body cannot be deleted (its meetings and decisions), or ""."""
    meetings, decisions = body.meetings.count(), body.decisions.count()
    if not (meetings or decisions):
        return ""
    return _("The body cannot be deleted: it has %(things)s. Delete them first, or keep the body.") % {
        "things": _counted(meetings, decisions)
    }


def meeting_in_use(meeting: Meeting) -> str:
    """Why the meeting cannot be deleted (decisions taken at it), or ""."""
    decisions = meeting.decisions.count()
    if not decisions:
        return ""
    return ngettext(
        "The meeting cannot be deleted: %(count)d decision is linked to it. Change or delete it first.",
        "The meeting cannot be deleted: %(count)d decisions are linked to it. Change or delete them first.",
        decisions,
    ) % {"count": decisions}


def decision_attachments(decision: Decision):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Decision), object_id=decision.pk
    ).order_by("pk")


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    """Delete a decision recorded by mistake: its links to goals, activities,
    remisses and samråd and its consequence analysis go with it, and so do its
    attached files (documents.registry deletes them with their object, the
    files after the commit). The audit event keeps what it said."""
    data = decision_snapshot(decision)
    analysis = ConsequenceAnalysis.objects.filter(decision=decision).first()
    if analysis is not None:
        data |= analysis_snapshot(analysis)
    data["attachments"] = [a.original_name for a in decision_attachments(decision)]
    audit_record(
        municipality=decision.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=decision,
        changes=snapshot_deleted(data),
    )
    decision.delete()


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    """Delete a meeting without decisions (else NotAllowedNow)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body__municipality").get(pk=meeting.pk)
    if reason := meeting_in_use(meeting):
        raise NotAllowedNow(reason)
    audit_record(
        municipality=meeting.body.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=meeting,
        changes=snapshot_deleted({"held_on": meeting.held_on.isoformat(), "notes": meeting.notes}),
    )
    _meeting_on_body(meeting.body, by, meeting, None)
    meeting.delete()


@transaction.atomic
def body_delete(*, body: Body, by) -> None:
    """Delete a body without meetings and decisions (else NotAllowedNow)."""
    body = Body.objects.select_for_update(of=("self",)).select_related("municipality", "unit").get(pk=body.pk)
    if reason := body_in_use(body):
        raise NotAllowedNow(reason)
    audit_record(
        municipality=body.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=body,
        changes=snapshot_deleted(body_snapshot(body)),
    )
    body.delete()
