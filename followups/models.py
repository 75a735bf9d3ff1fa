from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from organisations.models import Municipality, OrgUnit
from plans.models import ActivityStatus, Goal, Plan, Sentiment


class Assessment(models.TextChoices):
    MET = "uppfyllt", _("met")
    PARTLY = "delvis", _("partly met")
    NOT_MET = "ej_uppfyllt", _("not met")
    NOT_ASSESSED = "ej_bedomt", _("not assessed")


ASSESSMENT_SENTIMENT = {
    Assessment.MET: Sentiment.POSITIVE.value,
    Assessment.PARTLY: Sentiment.NEUTRAL.value,
    Assessment.NOT_MET: Sentiment.NEGATIVE.value,
    Assessment.NOT_ASSESSED: Sentiment.NEUTRAL.value,
}


class Round(models.Model):
    """A follow-up round (uppföljning) under a plan, e.g. "Tertial 2 2026"."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="rounds")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("plan"))
    name = models.CharField(
        _("name"), max_length=200, help_text=_("E.g. Tertial 2 2026 or Verksamhetsberättelse 2026.")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("instructions to the units"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="round_period_ordered"),
            models.UniqueConstraint(fields=["plan", "name"], name="round_unique_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_past_deadline(self, on: date | None = None) -> bool:
        return (on or timezone.localdate()) > self.deadline


class RoundField(models.Model):
    """An extra question per goal in a round's reports, beside Resultat, Utmaningar and Bedömning."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        CHOICE = "choice", _("choice")
        NUMBER = "number", _("number")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="fields")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a choice: one option per line."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report field")
        verbose_name_plural = _("report fields")
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"f{self.pk}"

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class UnitReportQuerySet(models.QuerySet):
    def open(self) -> "UnitReportQuerySet":
        """Reports the unit still has to submit."""
        return self.filter(status__in=UnitReport.OPEN_STATUSES)


class UnitReport(models.Model):
    """A unit's report in a round: an entry per goal it answers for and a status
    update per own activity. Frozen as a snapshot when approved."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("draft")
        SUBMITTED = "inlamnad", _("submitted")
        RETURNED = "atersand", _("returned for completion")
        APPROVED = "godkand", _("approved")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("overall comment"), blank=True)
    return_comment = models.TextField(_("the coordinator's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the approved report said, entries and activities, frozen: later edits
    # to goals or activities never change it. Empty until approved.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["round", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unitreport_unique_unit_per_round"),
            models.CheckConstraint(
                condition=~Q(status="godkand") | Q(approved_at__isnull=False), name="unitreport_approved_has_time"
            ),
        ]
        indexes = [
            # A unit's previous approved report, and a contact's open reports.
            models.Index(fields=["unit", "status"], name="unitreport_unit_status"),
            # The reports waiting for the coordinator's approval, and the rounds with open reports.
            models.Index(fields=["status", "round"], name="unitreport_status_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.unit}"

    # Still the unit's to write and submit.
    OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_late(self, on: date | None = None) -> bool:
        return self.is_open and self.round.is_past_deadline(on)


class ReportEntry(models.Model):
    """What a unit reports on one goal in a round."""

    Assessment = Assessment

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="entries")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="report_entries")
    result = models.TextField(_("Results"), blank=True)
    challenges = models.TextField(_("Challenges"), blank=True)
    assessment = models.CharField(
        _("Assessment"), max_length=15, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        constraints = [models.UniqueConstraint(fields=["report", "goal"], name="reportentry_unique_goal")]
        indexes = [
            # Covering the counts of assessments per round and per goal (the start page's
            # trends and table), read from the index alone, not from the entries' texts.
            models.Index(fields=["report", "assessment", "goal"], name="reportentry_report_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.goal.code}"

    @property
    def sentiment(self) -> str:
        return ASSESSMENT_SENTIMENT[Assessment(self.assessment)]


class ActivityUpdate(models.Model):
    """A unit's status update on one of its activities in a report."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="activity_updates")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    status = models.ForeignKey(ActivityStatus, on_delete=models.RESTRICT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")
        constraints = [models.UniqueConstraint(fields=["report", "activity"], name="activityupdate_unique")]
        # Covering the counts of reported statuses per round (the start page's trends).
        indexes = [models.Index(fields=["report", "status"], name="activityupdate_report_status")]

    def __str__(self) -> str:
        return f"{self.report}: {self.activity_id} {self.status}"


class ReminderSent(models.Model):
    """That a reminder of a kind went out for a report; never sent twice."""

    class Kind(models.TextChoices):
        BEFORE = "fore", _("before the deadline")
        AFTER = "efter", _("after the deadline")

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="remindersent_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.report}: {self.kind}"
