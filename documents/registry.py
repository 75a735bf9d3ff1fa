"""Which objects may have attachments, and who may see and change them.

An app registers each model whose objects take attachments, in its
AppConfig.ready()::

    from documents.registry import register
    register(Consultation, may_view=..., may_change=..., page_url=...)

``may_view(user, obj)`` and ``may_change(user, obj)`` answer True or False
(they wrap the app's own access checks, so there is one rule per object kind);
``page_url(obj)`` is the object's page, where the upload form sends the person
back. An object's municipality is ``obj.municipality`` unless
``municipality_of`` says otherwise. Registering a model also deletes its
objects' attachments (rows and files) when an object is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import post_delete
from django.http import Http404


@dataclass(frozen=True)
class Rules:
    may_view: Callable[[Any, models.Model], bool]
    may_change: Callable[[Any, models.Model], bool]
    page_url: Callable[[models.Model], str]
    municipality_of: Callable[[models.Model], Any]
    # Why an attachment of the object may not be removed now ("" when it may): (obj, attachment).
    locked: Callable[[models.Model, Any], str] = lambda obj, attachment: ""


_rules: dict[type[models.Model], Rules] = {}


def register(
    model: type[models.Model],
    *,
    may_view: Callable[[Any, models.Model], bool],
    may_change: Callable[[Any, models.Model], bool],
    page_url: Callable[[models.Model], str] | None = None,
    municipality_of: Callable[[models.Model], Any] | None = None,
    locked: Callable[[models.Model, Any], str] | None = None,
) -> None:
    _rules[model] = Rules(
        may_view=may_view,
        may_change=may_change,
        page_url=page_url or (lambda obj: obj.get_absolute_url()),
        municipality_of=municipality_of or (lambda obj: obj.municipality),
        locked=locked or (lambda obj, attachment: ""),
    )
    post_delete.connect(_owner_deleted, sender=model, weak=False, dispatch_uid=f"documents:{model._meta.label}")


def rules_for(model: type[models.Model] | None) -> Rules | None:
    """The rules of a registered model (or of its concrete parent), else None."""
    if model is None:
        return None
    return _rules.get(model) or _rules.get(model._meta.concrete_model)


def registered_models() -> list[type[models.Model]]:
    return list(_rules)


def may_view(user, obj) -> bool:
    rules = rules_for(type(obj)) if obj is not None else None
    return bool(rules and user.is_authenticated and rules.may_view(user, obj))


def locked_reason(obj, attachment) -> str:
    """Why the attachment of ``obj`` may not be removed now (the object's ``locked`` rule), or ""."""
    rules = rules_for(type(obj)) if obj is not None else None
    return str(rules.locked(obj, attachment)) if rules else ""


def may_change(user, obj) -> bool:
    rules = rules_for(type(obj)) if obj is not None else None
    return bool(rules and user.is_authenticated and rules.may_change(user, obj))


def from_access_function(get_for_user, *, staff_only: bool = False):
    """(may_view, may_change) from an app's ``get_<obj>_for_user(user, pk, *, write)``:
    allowed when it returns, refused when it raises 404 or 403. ``staff_only``:
    never consultation representatives (the object's pages are internal)."""

    def allowed(user, obj, write: bool) -> bool:
        membership = getattr(user, "membership", None)
        if membership is None or (staff_only and not membership.is_staff_member):
            return False
        try:
            get_for_user(user, obj.pk, write=write)
        except (Http404, PermissionDenied):
            return False
        return True

    return (lambda user, obj: allowed(user, obj, False)), (lambda user, obj: allowed(user, obj, True))


def _owner_deleted(sender, instance, **kwargs) -> None:
    from .services import attachments_delete_for

    attachments_delete_for(obj=instance)
