"""The follow-up report to the council (uppföljningsrapport till
kommunfullmäktige): the coordinator's choice of plan and approved rounds and
the framing texts; everything else is assembled from approved data when the
report is built. Each build keeps its PDF, its Word file and the document it
was made from, so a report can be reproduced and compared."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followups.models import Round
from organisations.models import Municipality
from plans.models import Plan


class CouncilReport(models.Model):
    class Detail(models.TextChoices):
        FULL = "full", _("complete: with every committee's results and challenges per goal")
        SUMMARY = "sammanfattning", _("summary: assessments, activities and indicators in figures per goal")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="council_reports")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="council_reports", verbose_name=_("plan"))
    rounds = models.ManyToManyField(
        Round,
        related_name="council_reports",
        verbose_name=_("follow-up rounds"),
        help_text=_("One or more rounds of the plan, e.g. a year or two. Only approved unit reports are used."),
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("E.g. Uppföljning av handlingsplanen för romsk inkludering 2025–2026.")
    )
    detail = models.CharField(
        _("content"),
        max_length=20,
        choices=Detail.choices,
        default=Detail.FULL,
        help_text=_(
            "A large municipality's complete report runs to hundreds of pages; the summary points to each "
            "committee's own report for the texts."
        ),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Sammanfattning: the report's first chapter."))
    analysis = models.TextField(_("analysis"), blank=True, help_text=_("Analys: what the results mean, overall."))
    conclusions = models.TextField(
        _("conclusions"), blank=True, help_text=_("Slutsatser och fortsatt arbete: what the municipality will do next.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


# The rules a build was assembled under. 1: before finalised results, when a
# build could print an inventory's live (moving) survey numbers, even an
# unpublished one; 2: only published inventories with finalised (frozen)
# results for the report's period. A build of rules 1 is kept for the
# coordinator but given to nobody else: two builds a reader could compare
# must never show numbers that moved with one answer. 3: goals matched by id,
# assessments counted by code, temporary funding from the approved snapshots,
# consultations and waiting views as of the period's end, each chapter stating
# its moment, and a manifest (``sources``) of every datum read. 4: events held
# in the period, with participant counts protected by the municipality's k.
RULES_BEFORE_FROZEN_RESULTS = 1
RULES_VERSION = 4


class Build(models.Model):
    """One generation of a report's files, run as a background job."""

    class Status(models.TextChoices):
        QUEUED = "koad", _("waiting")
        RUNNING = "pagar", _("in progress")
        DONE = "klar", _("done")
        FAILED = "misslyckad", _("failed")

    report = models.ForeignKey(CouncilReport, on_delete=models.CASCADE, related_name="builds")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now, for the progress bar
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    docx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    # The document the files were written from (reports.document.Document as
    # JSON) and the manifest of what it was assembled from (reports.assemble:
    # the rounds, each approved report's id, version, approval time and
    # snapshot schema, the goals' codes, the indicators, measurements,
    # consultations, views and inventories read, with their versions). Enough
    # to write the files again and to explain how two builds differ.
    document = models.JSONField(default=dict, blank=True)
    sources = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, blank=True)  # sha256 of the document
    error = models.TextField(blank=True)
    rules_version = models.PositiveSmallIntegerField(default=RULES_VERSION, editable=False)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="build_progress_percent"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="build_status_requested")]

    def __str__(self) -> str:
        return f"{self.report}: {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def before_frozen_results(self) -> bool:
        """Built before results were finalised: it may hold numbers that moved later."""
        return self.rules_version <= RULES_BEFORE_FROZEN_RESULTS
