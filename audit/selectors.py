from django.db import models

from .models import AccountEvent, AuditEvent


def history_for(obj: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    """The object's latest changes, newest first."""
    return list(AuditEvent.objects.for_object(obj)[:limit])


def account_events_for(account, *, limit: int = 20) -> list[AccountEvent]:
    """The account's latest sign-ins, sign-outs, lockouts and refused requests, newest first."""
    return list(AccountEvent.objects.filter(account=account).order_by("-at", "-pk")[:limit])
