"""Reading attachments."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Attachment


def attachments_of(obj: models.Model) -> list[Attachment]:
    """The object's attachments, oldest first, with who added them: one query
    (the content type comes from Django's cache)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return list(Attachment.objects.filter(content_type=content_type, object_id=obj.pk).select_related("added_by"))
