"""Writes to units, groups and people, each with its audit event."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from home.tokens import invitation_token_generator
from outbox.models import OutgoingMail
from outbox.services import queue_mail

from .models import Membership, Municipality, OrgUnit, UnitGroup

UNIT_FIELDS = ("kind", "name", "short_name", "valid_from", "valid_to")


def unit_snapshot(unit: OrgUnit) -> dict[str, Any]:
    data = {name: getattr(unit, name) for name in UNIT_FIELDS}
    data["kind"] = unit.get_kind_display()
    return data


def group_snapshot(group: UnitGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "short_name": group.short_name,
        "members": sorted(u.short_name for u in group.members.all()),
    }


def member_snapshot(member: Membership) -> dict[str, Any]:
    user = member.user
    return {
        "name": user.get_full_name(),
        "email": user.email,
        "role": member.get_role_display(),
        "title": member.title,
        "phone": member.phone,
        "units": sorted(u.short_name for u in member.units.all()),
        "organisation": member.organisation,
        "named_consent": member.named_consent,
        "is_active": user.is_active,
    }


@transaction.atomic
def unit_create(*, municipality: Municipality, by, fields: dict[str, Any]) -> OrgUnit:
    unit = OrgUnit.objects.create(municipality=municipality, **fields)
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.CREATE, obj=unit,
        changes=snapshot_created(unit_snapshot(unit)),
    )  # fmt: skip
    return unit


@transaction.atomic
def unit_update(*, unit: OrgUnit, by, fields: dict[str, Any]) -> OrgUnit:
    before = unit_snapshot(OrgUnit.objects.get(pk=unit.pk))
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.save()
    audit_record(
        municipality=unit.municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=unit,
        changes=diff(before, unit_snapshot(unit)),
    )  # fmt: skip
    return unit


@transaction.atomic
def municipality_update(*, municipality: Municipality, by, fields: dict[str, Any]) -> Municipality:
    """The municipality's own settings (the reference prefix, the days to give feedback)."""
    before = {name: getattr(municipality, name) for name in fields}
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.save(update_fields=list(fields))
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=municipality,
        changes=diff(before, {name: getattr(municipality, name) for name in fields}),
    )  # fmt: skip
    return municipality


@transaction.atomic
def municipality_create(
    *, code: str, name: str, coordinator_email: str, by=None, username: str = "", first_name: str = "",
    last_name: str = "",
) -> Membership:  # fmt: skip
    """A new municipality (the tenant) and its first coordinator, who has no password
    until they choose one through the invitation (queued here, sent after the commit).
    The caller validates (``organisations.forms.NewMunicipalityForm``)."""
    municipality = Municipality.objects.create(code=code, name=name)
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.CREATE, obj=municipality,
        changes=snapshot_created({"name": name, "code": code}),
    )  # fmt: skip
    member = member_create(
        municipality=municipality, by=by, username=username or coordinator_email, first_name=first_name,
        last_name=last_name, email=coordinator_email, role=Membership.Role.COORDINATOR,
    )  # fmt: skip
    send_welcome(member=member)
    return member


@transaction.atomic
def group_save(
    *, municipality: Municipality, by, group: UnitGroup | None, fields: dict[str, Any], members
) -> UnitGroup:
    if group is None:
        group = UnitGroup.objects.create(municipality=municipality, **fields)
        group.members.set(members)
        audit_record(
            municipality=municipality, actor=by, action=AuditEvent.Action.CREATE, obj=group,
            changes=snapshot_created(group_snapshot(group)),
        )  # fmt: skip
        return group
    before = group_snapshot(group)
    for name, value in fields.items():
        setattr(group, name, value)
    group.save()
    group.members.set(members)
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=group,
        changes=diff(before, group_snapshot(group)),
    )  # fmt: skip
    return group


def send_welcome(*, member: Membership, request=None) -> None:
    """E-mail a link where the new person chooses their own password. Without a
    request (a management command) the link starts with ``SITE_URL``."""
    user = member.user
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            # Valid INVITATION_TIMEOUT (days), not as short as a reset link.
            "token": invitation_token_generator.make_token(user),
        },
    )
    link = request.build_absolute_uri(path) if request is not None else settings.SITE_URL.rstrip("/") + path
    context = {"member": member, "link": link}
    # Through the outbox: sent after the commit (and the response), retried if the
    # mail server fails; the stored body (with the link) is emptied once sent.
    queue_mail(
        kind=OutgoingMail.Kind.INVITATION,
        to=user.email,
        subject=render_to_string("organisations/email/welcome_subject.txt", context),
        body=render_to_string("organisations/email/welcome.txt", context),
    )


@transaction.atomic
def member_create(
    *, municipality: Municipality, by, username: str, first_name: str, last_name: str, email: str,
    role: str, title: str = "", phone: str = "", units=(), organisation: str = "", named_consent: bool = False,
) -> Membership:  # fmt: skip
    user = get_user_model().objects.create_user(
        username=username, email=email, first_name=first_name, last_name=last_name
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    member = Membership.objects.create(
        user=user, municipality=municipality, role=role, title=title, phone=phone,
        organisation=organisation, named_consent=named_consent,
    )  # fmt: skip
    member.units.set(units if role == Membership.Role.CONTACT else [])
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.CREATE, obj=member,
        changes=snapshot_created(member_snapshot(member)), object_repr=user.get_full_name() or username,
    )  # fmt: skip
    return member


@transaction.atomic
def member_update(
    *, member: Membership, by, first_name: str, last_name: str, email: str, role: str,
    title: str = "", phone: str = "", units=(), active: bool = True, organisation: str = "",
    named_consent: bool = False,
) -> Membership:  # fmt: skip
    before = member_snapshot(member)
    user = member.user
    user.first_name, user.last_name, user.email, user.is_active = first_name, last_name, email, active
    user.save(update_fields=["first_name", "last_name", "email", "is_active"])
    member.role, member.title, member.phone = role, title, phone
    member.organisation, member.named_consent = organisation, named_consent
    member.save(update_fields=["role", "title", "phone", "organisation", "named_consent"])
    member.units.set(units if role == Membership.Role.CONTACT else [])
    changes = diff(before, member_snapshot(member))
    audit_record(
        municipality=member.municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=member,
        changes=changes, object_repr=user.get_full_name() or user.username,
    )  # fmt: skip
    return member
