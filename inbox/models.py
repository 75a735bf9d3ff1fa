"""The inbox "Väntar på dig" keeps no list of tasks: what waits for a person is
computed from the data each time (inbox/selectors.py). Stored here: each
person's choice of e-mail per kind, the digests sent, and the reminders a
coordinator sent with Påminn (docs/inbox.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality


class Kind(models.TextChoices):
    """What can wait for a person, in the order the inbox shows it."""

    REPORT_TO_WRITE = "rapport", _("follow-up reports to write")
    REPORT_RETURNED = "atersand", _("reports returned for completion")
    REPORT_TO_APPROVE = "granska", _("reports to approve")
    FEEDBACK_OVERDUE = "aterkoppling", _("feedback overdue")
    MINUTES_TO_REVIEW = "minnesanteckningar", _("minutes to review")
    REMISS_ANSWER = "remissvar", _("remiss answers due")
    TRANSLATION_TO_CHECK = "oversattning", _("translations to check")
    SURVEY_TO_FINALISE = "faststalla", _("surveys and inventories to finalise")


class Frequency(models.TextChoices):
    IMMEDIATELY = "genast", _("immediately")
    DAILY = "daglig", _("daily summary")
    WEEKLY = "vecka", _("weekly summary (Mondays)")
    NEVER = "aldrig", _("never")


# Kinds with an e-mail of their own when the work falls due (a reminder before and
# after a deadline, the minutes sent for review): "immediately" sends those, and it
# is the default, so that nobody loses a reminder they had before the inbox existed.
# The other kinds have no e-mail of their own: a summary (daily by default) or nothing.
EVENT_MAIL_KINDS = frozenset(
    {Kind.REPORT_TO_WRITE, Kind.REPORT_RETURNED, Kind.FEEDBACK_OVERDUE, Kind.MINUTES_TO_REVIEW, Kind.REMISS_ANSWER}
)


def default_frequency(kind: str) -> str:
    return Frequency.IMMEDIATELY if kind in EVENT_MAIL_KINDS else Frequency.DAILY


class Preference(models.Model):
    """A person's choice of e-mail for one kind; a kind without a row has its default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_preferences", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(_("e-mail"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="inbox_preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.frequency}"


class DigestSent(models.Model):
    """That a person's daily or weekly summary went out for a day or week: never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # The day (daily) or the Monday of the week (weekly) the summary was for.
    period_start = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period_start"], name="inbox_digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency} {self.period_start}"


class Reminder(models.Model):
    """A coordinator's Påminn on a follow-up round (its late reports) or on a
    consultation (its overdue feedback): who pressed, when, about what, to whom.
    At most one per object and day."""

    class Subject(models.TextChoices):
        ROUND = "omgang", _("follow-up round")
        CONSULTATION = "samrad", _("consultation")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=300)
    # The day in Stockholm: "never twice the same day".
    sent_on = models.DateField(_("date"))
    sent_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=300, blank=True)
    # [{"user": id, "name": ..., "about": [what was late, e.g. the unit or the view's item]}]
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id", "sent_on"], name="inbox_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.sent_on}"
