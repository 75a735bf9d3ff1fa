"""What Inkludera stores about a consultation representative, for them to take
out (GDPR art. 15): their account and contact details, their consent to be
named and its history, the consultations they were invited to, the views
recorded as theirs and the feedback on them, their comments on minutes, the
e-mails sent to their address and their account's sign-in log.

Only the person's own data, and no staff member's name: who recorded a change
is said as "you" or "the municipality" (a representative sees feedback signed
by a unit, never by a person). A fixed number of queries.
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AccountEvent, AuditEvent
from organisations.models import Membership
from outbox.models import OutgoingMail

from .models import MinutesComment, MinutesVersion, View

SCHEMA = 1


def _by(event_actor_id: int | None, user_id: int) -> str:
    return "you" if event_actor_id == user_id else "municipality"


def my_data(membership: Membership) -> dict[str, Any]:
    """Everything stored about ``membership``'s person, as plain data (datetimes
    stay datetimes: DjangoJSONEncoder writes them in ISO 8601)."""
    user = membership.user
    ct = ContentType.objects.get_for_model(Membership)
    account_changes = []
    consent_history = []
    for event in AuditEvent.objects.filter(content_type=ct, object_id=membership.pk).order_by("at", "pk"):
        by = _by(event.actor_id, user.pk)
        changes = event.changes or {}
        account_changes.append(
            {
                "at": event.at,
                "action": event.action,
                "action_label": str(event.get_action_display()),
                "changes": changes,
                "recorded_by": by,
            }
        )
        if "named_consent" in changes:
            consent_history.append(
                {"at": event.at, "named_consent": bool(changes["named_consent"][1]), "recorded_by": by}
            )

    invited = list(
        membership.consultations.select_related("municipality")
        .prefetch_related("organisers")
        .order_by("starts_at", "pk")
    )
    views = list(
        View.objects.filter(representative=membership)
        .select_related("item__consultation", "feedback__unit")
        .order_by("created_at", "pk")
    )
    comments = list(
        MinutesComment.objects.filter(author=membership).select_related("minutes__consultation").order_by("created_at")
    )
    reviews = list(
        MinutesVersion.objects.filter(reviewers=membership)
        .exclude(status=MinutesVersion.Status.DRAFT)
        .select_related("consultation")
        .order_by("sent_at", "pk")
    )
    mails = list(OutgoingMail.objects.filter(to__iexact=user.email).order_by("created", "pk")) if user.email else []
    sign_ins = list(AccountEvent.objects.filter(account=user).order_by("at", "pk"))

    return {
        "schema": SCHEMA,
        "generated_at": timezone.now(),
        "controller": membership.municipality.name,
        "person": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": membership.phone,
            "title": membership.title,
            "organisation": membership.organisation,
            "role": membership.role,
            "role_label": str(membership.get_role_display()),
            "account_active": user.is_active,
            "account_created": user.date_joined,
            "last_sign_in": user.last_login,
        },
        "consent": {
            "named_consent": membership.named_consent,
            "shown_to_others_as": membership.public_name,
            "history": consent_history,
        },
        "account_changes": account_changes,
        "consultations_invited_to": [
            {
                "title": c.title,
                "form": c.form,
                "form_label": str(c.get_form_display()),
                "starts_at": c.starts_at,
                "ends_at": c.ends_at,
                "place": c.place,
                "organisers": [u.name for u in c.organisers.all()],
            }
            for c in invited
        ],
        "views": [
            {
                "consultation": v.item.consultation.title,
                "question": v.item.question,
                "view": v.text,
                "recorded_at": v.created_at,
                "published": v.public,
                "feedback": _feedback(v),
            }
            for v in views
        ],
        "minutes_sent_for_review": [
            {"consultation": m.consultation.title, "version": m.number, "sent_at": m.sent_at} for m in reviews
        ],
        "comments_on_minutes": [
            {
                "consultation": c.minutes.consultation.title,
                "minutes_version": c.minutes.number,
                "comment": c.text,
                "written_at": c.created_at,
            }
            for c in comments
        ],
        "emails": [
            {
                "kind": m.kind,
                "kind_label": str(m.get_kind_display()),
                "subject": m.subject,
                "status": m.status,
                "status_label": str(m.get_status_display()),
                "queued_at": m.created,
                "sent_at": m.sent_at,
            }
            for m in mails
        ],
        "emails_kept_days": settings.OUTBOX_KEEP_DAYS,
        "account_events": [
            {"at": e.at, "event": e.kind, "event_label": str(e.get_kind_display()), "page": e.path} for e in sign_ins
        ],
        "account_events_kept_days": settings.ACCOUNT_EVENTS_KEEP_DAYS,
    }


def _feedback(view: View) -> dict[str, Any] | None:
    feedback = getattr(view, "feedback", None)
    if feedback is None:
        return None
    return {
        "status": feedback.status,
        "status_label": str(feedback.get_status_display()),
        "reasoning": feedback.reasoning,
        "decision": feedback.decision_ref,
        "unit": feedback.unit.name,
        "given_on": feedback.given_on,
    }
