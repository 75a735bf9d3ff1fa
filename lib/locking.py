"""Optimistic locking: a form carries the version it was opened with; saving
bumps the version only if nobody else has saved in between."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Someone else saved this while you were editing it. Your changes have not been saved; "
    "what you typed is kept below. Open the page in a new tab to see the other changes. "
    "If you save this form again, your values replace theirs."
)
CONFLICT = 409  # the status of a page refused as stale


def stale_form(build, data, current_version: int, message=STALE_MESSAGE):
    """The form again with what the user typed, the message, and the current
    version, so that saving again is a deliberate choice. ``build(data)`` makes
    the bound form."""
    data = data.copy()
    data["version"] = str(current_version)
    form = build(data)
    form.is_valid()
    form.add_error(None, message)
    return form


class StaleEdit(Exception):
    """The object was changed by someone else since the form was opened."""


def claim_version(obj: models.Model, expected: int | None) -> None:
    """Bump ``obj.version`` in the database if it is still ``expected``; raise
    StaleEdit otherwise. Call inside the transaction that saves the object."""
    if expected is None:
        expected = obj.version
    updated = type(obj).objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if not updated:
        raise StaleEdit
    obj.version = expected + 1
