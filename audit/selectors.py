from django.db import models

from .models import AuditEvent


def history_for(obj: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    """The object's latest changes, newest first."""
    return list(AuditEvent.objects.for_object(obj)[:limit])
