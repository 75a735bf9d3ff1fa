"""Writing audit events. Called by other apps' services inside their transaction."""

import json
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AccountEvent, AuditEvent

Snapshot = Mapping[str, Any]


def display(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [display(v) for v in value]
    if isinstance(value, dict):
        # The same mapping reads the same whatever order its keys came in (PostgreSQL's
        # jsonb returns them sorted by length, a form in the order it lists them).
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return str(value)


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [old, new]}."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        old, new = display(before.get(key)), display(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def audit_record(
    *,
    municipality,
    actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent | None:
    """Record one event. An update that changed nothing records nothing."""
    changes = dict(changes or {})
    if action == AuditEvent.Action.UPDATE and not changes:
        return None
    actor_name = ""
    if actor is not None:
        actor_name = actor.get_full_name() or actor.get_username()
    return AuditEvent.objects.create(
        municipality=municipality,
        actor=actor,
        actor_name=actor_name,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=(object_repr or str(obj))[:300],
        changes={k: display(v) for k, v in changes.items()},
    )


def snapshot_created(after: Snapshot) -> dict[str, list[Any]]:
    return {k: [None, display(v)] for k, v in after.items() if v not in (None, "", [], False)}


def snapshot_deleted(before: Snapshot) -> dict[str, list[Any]]:
    return {k: [display(v), None] for k, v in before.items() if v not in (None, "", [], False)}


def account_event_record(*, kind: str, account=None, method: str = "", path: str = "") -> AccountEvent:
    """Record a sign-in, sign-out, lockout or refused request for an account
    (None: a failed sign-in whose name matched no account). Takes nothing from
    the request but the method and path of a refused one: no address, nothing typed."""
    from organisations.models import Membership

    municipality_id = None
    account_name = ""
    if account is not None:
        account_name = account.get_username()
        municipality_id = Membership.objects.filter(user=account).values_list("municipality_id", flat=True).first()
    return AccountEvent.objects.create(
        kind=kind,
        account=account,
        account_name=account_name[:300],
        municipality_id=municipality_id,
        method=method[:10],
        path=path[:300],
    )
