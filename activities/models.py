from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin

from organisations.models import Municipality, OrgUnit
from plans.models import ActivityStatus, Goal, Plan, StatusSummary
from public.translation import public_texts


class TargetGroup(models.TextChoices):
    CHILDREN = "barn_unga", _("children and young people")
    WOMEN = "kvinnor_flickor", _("women and girls")
    PARENTS = "foraldrar", _("parents")
    ADULTS = "vuxna", _("adults")
    ELDERLY = "aldre", _("elderly")
    STAFF = "personal", _("staff")
    ALL = "alla", _("everyone")


class Method(models.TextChoices):
    BRIDGE_BUILDERS = "brobyggare", _("bridge builders")
    HOMEWORK = "laxhjalp", _("homework help")
    MEETING_PLACE = "motesplats", _("meeting place")
    STAFF_TRAINING = "utbildning_personal", _("staff training")
    OUTREACH = "information", _("information and outreach")
    CONSULTATION = "samrad", _("consultation")
    CULTURE = "kultur", _("cultural activity")
    OTHER = "annat", _("other")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "forening", _("association")
    STUDY = "studieforbund", _("study association")
    IOP = "iop", _("non-profit public partnership (IOP)")
    FAITH = "trossamfund", _("faith community")
    OTHER = "annat", _("other")


class Funding(models.TextChoices):
    ORDINARY = "ordinarie", _("ordinary budget")
    STATE_GRANT = "statsbidrag", _("state grant")
    OTHER = "annat", _("other temporary funding")


TEMPORARY_FUNDING = (Funding.STATE_GRANT, Funding.OTHER)
FUNDING_RISK_HORIZON = timedelta(days=365)


class ActivityQuerySet(models.QuerySet):
    def funding_at_risk(self, on: date | None = None) -> "ActivityQuerySet":
        """Temporary funding that ends within a year (or has no end date), on activities not finished."""
        on = on or timezone.localdate()
        return (
            self.filter(funding__in=TEMPORARY_FUNDING)
            .filter(Q(funding_ends__isnull=True) | Q(funding_ends__lte=on + FUNDING_RISK_HORIZON))
            .exclude(status__summary__in=StatusSummary.closed())
        )


class Activity(TranslatableModelMixin, models.Model):
    """An activity (aktivitet, insats) a unit carries out under a plan; it can serve several goals."""

    class Visibility(models.TextChoices):
        INTERNAL = "intern", _("internal")
        PUBLIC = "publik", _("public")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="activities")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    # A running number per municipality; with the municipality's prefix it is the
    # stable reference people quote and spreadsheets match on (STHLM-A-0042).
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("responsible unit")
    )
    responsible_role = models.CharField(
        _("responsible role"), max_length=200, blank=True, help_text=_("E.g. Enhetschef, Individ- och familjeomsorg.")
    )
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("The decision or assignment the work rests on."))
    co_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="co_activities", verbose_name=_("co-operating units")
    )
    partners = models.TextField(_("partners in civil society"), blank=True)
    partner_kinds = models.JSONField(_("kinds of partner"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False, help_text=_("Runs without an end date (löpande)."))
    budget = models.PositiveIntegerField(_("budget (SEK)"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.ORDINARY)
    funding_ends = models.DateField(_("funding ends"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # RESTRICT: a status in use cannot be removed on its own, but goes with its plan.
    status = models.ForeignKey(ActivityStatus, on_delete=models.RESTRICT, related_name="activities")
    goals = models.ManyToManyField(Goal, related_name="activities", verbose_name=_("goals"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    # Public texts, per language: the title and description residents read, once the
    # activity is public (the Swedish title is copied in, then edited apart).
    translations = public_texts(
        public_title=models.CharField(_("public title"), max_length=300, blank=True),
        public_text=models.TextField(_("public description"), blank=True),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="activity_unique_number"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="activity_period_ordered",
            ),
            models.CheckConstraint(
                condition=~(Q(ongoing=True) & Q(end_date__isnull=False)), name="activity_ongoing_no_end"
            ),
        ]
        indexes = [
            # The activity list and coverage matrix: a plan's activities by unit.
            models.Index(fields=["plan", "owner"], name="activity_plan_owner"),
            # The activity list's page: a plan's activities by number, 50 at a time, without
            # reading (and sorting) every activity of the plan.
            models.Index(fields=["plan", "number"], name="activity_plan_number"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return format_reference(self.municipality.prefix, self.number)

    @property
    def temporary_funding(self) -> bool:
        return self.funding in TEMPORARY_FUNDING

    def funding_at_risk(self, on: date | None = None) -> bool:
        if not self.temporary_funding:
            return False
        if self.status.summary in StatusSummary.closed():
            return False
        on = on or timezone.localdate()
        return self.funding_ends is None or self.funding_ends <= on + FUNDING_RISK_HORIZON

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(v).label) for v in self.target_groups if v in TargetGroup.values]

    def method_labels(self) -> list[str]:
        return [str(Method(v).label) for v in self.methods if v in Method.values]

    def partner_kind_labels(self) -> list[str]:
        return [str(PartnerKind(v).label) for v in self.partner_kinds if v in PartnerKind.values]


def format_reference(prefix: str, number: int) -> str:
    return f"{prefix}-A-{number:04d}"


class ProgressNote(models.Model):
    """A dated progress note (lägesrapport) on an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=300, blank=True)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown on the public site when the activity is public. The author is never shown."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:50]}"
