"""The fields every translation row of a public text carries, beside its texts.

Public texts (docs/public-site.md §1) are stored by django-parler: one row per
object and language. Each row also has

- ``text_status``: under translation, done or reviewed (a missing text is no
  row, or a row whose texts are empty),
- ``text_digest``: a digest of the Swedish texts the translation was made from,
  so a changed Swedish text is noticed,
- ``text_version``: optimistic locking per language,
- ``text_updated_at`` and ``text_author`` (who last wrote it: a review is
  someone else's).

The names carry a ``text_`` prefix because parler puts every translated field
on the shared model too, where ``status`` and ``version`` already exist.
Pages read these rows only through ``public.texts``, never through parler's
descriptors, which fall back to Swedish silently.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields


class TextStatus(models.TextChoices):
    IN_TRANSLATION = "under_oversattning", _("being translated")
    DONE = "klar", _("done")
    REVIEWED = "granskad", _("reviewed")


# The statuses a reader sees; "being translated" is not shown to the public.
SHOWN_STATUSES = (TextStatus.DONE, TextStatus.REVIEWED)


def public_texts(**fields) -> TranslatedFields:
    """parler's TranslatedFields with the status, digest, version and time every
    public text has."""
    return TranslatedFields(
        **fields,
        text_status=models.CharField(
            _("translation status"), max_length=20, choices=TextStatus.choices, default=TextStatus.DONE
        ),
        text_digest=models.CharField(_("digest of the Swedish text"), max_length=64, blank=True, editable=False),
        text_version=models.PositiveIntegerField(default=1, editable=False),
        # Per text: the digest of the Swedish text it was translated from, so one
        # text of an object can be current while another waits for translation.
        text_sources=models.JSONField(default=dict, blank=True, editable=False),
        text_updated_at=models.DateTimeField(default=timezone.now, editable=False),
        # Who last wrote the text: a review must be someone else's. Never shown publicly.
        text_author=models.ForeignKey(
            settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
        ),
    )


def digest(texts: dict[str, str]) -> str:
    """A digest of the Swedish texts (field → text) a translation was made from."""
    h = hashlib.sha256()
    for field in sorted(texts):
        h.update(field.encode())
        h.update(b"\0")
        h.update((texts[field] or "").strip().encode())
        h.update(b"\0")
    return h.hexdigest()
