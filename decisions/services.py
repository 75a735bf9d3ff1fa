"""Writes to the decision log, each in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
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
    return meeting


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
