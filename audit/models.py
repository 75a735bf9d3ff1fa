from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=obj.pk).order_by("-at", "-pk")


class AuditEvent(models.Model):
    """Who changed what, and when. Written by services in the same transaction."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    municipality = models.ForeignKey("organisations.Municipality", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the history still reads right if the account is later removed.
    actor_name = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=300)
    # {field name: [old value, new value]} as display strings; for create and
    # delete, the values of the fields at that moment.
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # History shown on an object's page.
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_history"),
            # Latest changes in a municipality.
            models.Index(fields=["municipality", "-at"], name="audit_municipality_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class AccountEvent(models.Model):
    """A sign-in, sign-out, lockout or refused request, with the account it
    concerns. Never the client's address, nor anything typed into the sign-in
    form: a failed sign-in with a name that matches no account is recorded
    without a name (it may have been a password typed into the wrong field)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("signed in")
        SIGN_OUT = "sign_out", _("signed out")
        SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("sign-in refused: too many failed attempts")
        REFUSED = "refused", _("request refused (no permission)")

    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # None: a failed sign-in with a name that matches no account (or several).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the log still reads right if the account is later removed.
    account_name = models.CharField(max_length=300, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A refused request: its method and path (never the query string, which may hold what was searched for).
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        indexes = [
            # A person's latest events, on their page.
            models.Index(fields=["account", "-at"], name="audit_account_recent"),
            # Latest events in a municipality.
            models.Index(fields=["municipality", "-at"], name="audit_account_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.account_name or '?'} {self.kind} {self.path}".rstrip()
