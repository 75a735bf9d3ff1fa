"""Every e-mail the system sends is first a row here (recorded in the same
transaction as the change that causes it), then delivered after the commit;
see outbox/services.py and docs/operations.md."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("outgoing e-mail", "waiting")
        SENDING = "sending", pgettext_lazy("outgoing e-mail", "sending")
        SENT = "sent", pgettext_lazy("outgoing e-mail", "sent")
        FAILED = "failed", pgettext_lazy("outgoing e-mail", "failed")

    class Kind(models.TextChoices):
        # The two kinds that carry a set-password link (a secret until it is used).
        INVITATION = "invitation", _("invitation to choose a password")
        PASSWORD_RESET = "password_reset", _("password reset")
        CONSULTATION_INVITATION = "consultation_invitation", _("invitation to a consultation")
        EVENT_INVITATION = "event_invitation", _("invitation to an event")
        MINUTES_REVIEW = "minutes_review", _("minutes to review")
        FEEDBACK_REMINDER = "feedback_reminder", _("reminder about overdue feedback")
        FOLLOWUP_REMINDER = "followup_reminder", _("reminder about a follow-up report")
        # A remiss's e-mail to an external organisation carries its personal answer link.
        REMISS = "remiss", _("remiss to answer")
        REMISS_REMINDER = "remiss_reminder", _("reminder about a remiss answer")
        # "Väntar på dig" (inbox/): a person's daily or weekly summary, a coordinator's Påminn.
        INBOX_DIGEST = "inbox_digest", _("summary of what is waiting")
        INBOX_REMINDER = "inbox_reminder", _("reminder from a coordinator")

    # One logical message to one recipient: queueing the same key again is a no-op,
    # so a reminder job that runs twice never queues the same reminder twice.
    key = models.CharField(pgettext_lazy("outgoing e-mail", "key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    to = models.EmailField(pgettext_lazy("outgoing e-mail", "to"), max_length=254)
    subject = models.TextField(pgettext_lazy("outgoing e-mail", "subject"))
    # Emptied once the mail is sent (it may hold a set-password link or what a
    # representative said); only what is needed to deliver it is kept until then.
    body = models.TextField(pgettext_lazy("outgoing e-mail", "body"), blank=True)
    html = models.TextField(_("HTML body"), blank=True)
    # One text attachment, e.g. a meeting's invitation.ics (lib/invitations.py):
    # its file name, its full content type (``text/calendar; method=REQUEST;
    # charset=utf-8``) and its text. Emptied with the body once sent.
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment = models.TextField(_("attachment"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("last attempt started"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("outgoing e-mail", "sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [models.UniqueConstraint(fields=["key"], name="outgoingmail_key_unique")]
        # deliver_due(): the waiting rows whose next attempt is due, oldest first.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"
