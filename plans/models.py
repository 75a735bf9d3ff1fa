import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin

from organisations.models import Municipality, OrgUnit, UnitGroup
from public.translation import public_texts

from .validators import validate_single_line, validate_text

MAX_LEVELS = 4


class RightsArea(models.Model):
    """The national strategy's six rights areas: fixed reference data loaded by
    a migration, so plans of different shapes can be compared."""

    class Code(models.TextChoices):
        UTBILDNING = "utbildning", _("education")
        ARBETE = "arbete", _("work")
        BOSTAD = "bostad", _("housing")
        HALSA = "halsa", _("health, social care and security")
        KULTUR = "kultur", _("culture and language")
        CIVILSAMHALLE = "civilsamhalle", _("civil society organisation")

    code = models.CharField(max_length=20, primary_key=True, choices=Code.choices)
    position = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        verbose_name = _("rights area")
        verbose_name_plural = _("rights areas")
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.get_code_display())

    @property
    def name(self) -> str:
        return str(self.get_code_display())


class GoalKind(models.TextChoices):
    EFFEKTMAL = "effektmal", _("impact goal")
    RESULTATMAL = "resultatmal", _("result goal")


class PlanQuerySet(models.QuerySet):
    def current_first(self) -> "PlanQuerySet":
        """Adopted plans first, then drafts and plans on consultation, replaced last;
        newest validity first within each."""
        order = models.Case(
            models.When(status=Plan.Status.ADOPTED, then=0),
            models.When(status=Plan.Status.CONSULTATION, then=1),
            models.When(status=Plan.Status.REVISION, then=1),
            models.When(status=Plan.Status.DRAFT, then=2),
            default=3,
        )
        return self.annotate(_status_order=order).order_by(
            "_status_order", models.F("valid_from").desc(nulls_last=True), "-pk"
        )


class Plan(TranslatableModelMixin, models.Model):
    """A steering document (styrdokument): strategi, handlingsplan, program or riktlinjer."""

    class Kind(models.TextChoices):
        STRATEGI = "strategi", _("strategy")
        HANDLINGSPLAN = "handlingsplan", _("action plan")
        PROGRAM = "program", _("programme")
        RIKTLINJER = "riktlinjer", _("guidelines")

    class Status(models.TextChoices):
        DRAFT = "utkast", _("draft")
        CONSULTATION = "pa_remiss", _("out for consultation")
        REVISION = "bearbetning", _("under revision")
        ADOPTED = "antagen", _("adopted")
        REPLACED = "ersatt", _("replaced")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="plans", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    overall_goal = models.TextField(_("overall goal"), blank=True, validators=[validate_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopted by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Kommunfullmäktige."),
        validators=[validate_single_line],
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    # The plan the start page, the dashboards and "this plan's work" pages show: chosen by a
    # coordinator (plans.services.plan_make_current), never inferred from the newest plan.
    is_current = models.BooleanField(_("current plan"), default=False, editable=False)
    # Versions (docs/plan-versions.md): every version of a plan is a Plan row; they form a
    # chain through previous_version. plans.services.plan_new_version makes one.
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous_version = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    dnr = models.CharField(_("reference number (dnr)"), max_length=100, blank=True, validators=[validate_single_line])
    adopted_paragraph = models.CharField(
        _("paragraph"), max_length=50, blank=True, help_text=_("E.g. § 12."), validators=[validate_single_line]
    )
    # Steering (docs/plan-versions.md, "Steering"): the units the plan says must have a
    # contact person (seed 002: "Samtliga stadsdelsnämnder, arbetsmarknadsnämnden, … ska ha en
    # kontaktperson"). The start page warns about these when they have none.
    contact_units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="plans_requiring_contact",
        verbose_name=_("units that must have a contact person"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Public texts (docs/public-site.md §1): the plan in plain words, per language.
    translations = public_texts(
        plain_summary=models.TextField(
            _("plain-language summary"), blank=True, help_text=_("The plan and its overall goal in plain words.")
        )
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="plan_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(status="ersatt"),
                name="plan_replaced_by_only_when_replaced",
            ),
            models.CheckConstraint(condition=~Q(replaced_by=models.F("pk")), name="plan_not_replaced_by_itself"),
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(is_current=True), name="plan_one_current_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_display(self) -> str:
        start = self.valid_from.year if self.valid_from else ""
        end = self.valid_to.year if self.valid_to else ""
        if not start and not end:
            return ""
        if start == end:
            return str(start)
        return f"{start}–{end}"


class SupportRelation(models.Model):
    """A unit that supports others in the plan's work (seed 002: "Förskolenämnden,
    socialnämnden och äldrenämnden har ett särskilt ansvar att stödja och samordna
    stadsdelsnämndernas arbete med målen inom sina respektive verksamhetsområden")."""

    class Kind(models.TextChoices):
        COORDINATES = "samordnar", _("supports and co-ordinates")
        ON_REQUEST = "vid_behov", _("offers support when needed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="support_relations")
    supporter = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="support_given", verbose_name=_("supporting unit")
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices, default=Kind.COORDINATES)
    supported_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="support_received", verbose_name=_("supported units")
    )
    supported_groups = models.ManyToManyField(
        UnitGroup, blank=True, related_name="support_received", verbose_name=_("supported unit groups")
    )
    area = models.CharField(
        _("area"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “inom sitt verksamhetsområde”."),
        validators=[validate_single_line],
    )

    class Meta:
        verbose_name = _("support relation")
        verbose_name_plural = _("support relations")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return f"{self.supporter} ({self.get_kind_display()})"


class PlanReference(models.Model):
    """Another steering document the plan refers to: the minority-policy programme, the
    human-rights plan, a national strategy, a law. ``referenced_plan`` when it is in the system."""

    class Kind(models.TextChoices):
        PROGRAMME = "program", _("programme")
        PLAN = "plan", _("plan")
        STRATEGY = "strategi", _("strategy")
        GUIDELINES = "riktlinjer", _("guidelines")
        LAW = "lag", _("law or convention")
        OTHER = "annat", _("other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRAMME)
    referenced_plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referenced_by",
        verbose_name=_("plan in Inkludera"),
        help_text=_("When the document is one of the municipality's plans in Inkludera."),
    )
    url = models.URLField(_("web address"), blank=True, max_length=500)
    note = models.CharField(
        _("how the plan relates to it"), max_length=500, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("referenced steering document")
        verbose_name_plural = _("referenced steering documents")
        ordering = ["plan", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(referenced_plan=models.F("plan")), name="planreference_not_itself"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanLevel(models.Model):
    """The plan's own name for a level of its tree, e.g. Fokusområde → Mål → Resultatmål."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="levels")
    depth = models.PositiveSmallIntegerField(_("depth"))
    name = models.CharField(_("level name"), max_length=100, validators=[validate_single_line])
    goal_kind = models.CharField(
        _("kind of goal"),
        max_length=20,
        blank=True,
        choices=GoalKind.choices,
        help_text=_("The kind new goals at this level get by default."),
    )

    class Meta:
        verbose_name = _("plan level")
        verbose_name_plural = _("plan levels")
        ordering = ["plan", "depth"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "depth"], name="planlevel_unique_depth"),
            models.CheckConstraint(condition=Q(depth__gte=1) & Q(depth__lte=MAX_LEVELS), name="planlevel_depth_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_in_sentence(self) -> str:
        """The name as written mid-sentence in Swedish: "Lägg till fokusområde".

        The first letter is lowered unless the name starts with an abbreviation ("KF-mål").
        """
        return lower_first(self.name)


def lower_first(text: str) -> str:
    """Lower a name's first letter for use mid-sentence, leaving abbreviations ("ÄN", "KF-mål") alone."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class Goal(TranslatableModelMixin, models.Model):
    """A node in a plan's tree."""

    Kind = GoalKind

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    # The same goal in every version of the plan: copied with the goal, kept when its code
    # or title changes. Versions are compared, and activities carried over, by identity.
    identity = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    depth = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(
        _("code"), max_length=20, help_text=_("E.g. 2.1 or 2.1.3."), validators=[validate_single_line]
    )
    title = models.TextField(_("title"), validators=[validate_single_line])
    kind = models.CharField(_("kind of goal"), max_length=20, choices=Kind.choices, blank=True)
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    guidance = models.TextField(
        _("guidance and examples"),
        blank=True,
        help_text=_("The guidance and “Exempel på insatser” under the goal."),
        validators=[validate_text],
    )
    all_units = models.BooleanField(
        _("all committees and company boards"),
        default=False,
        help_text=_("“Samtliga nämnder och bolagsstyrelser” answer for the goal."),
    )
    rights_areas = models.ManyToManyField(RightsArea, blank=True, related_name="goals", verbose_name=_("rights areas"))
    # Goals of the municipality's other plans that this goal builds on or serves (e.g. a goal
    # of the human-rights programme). Read in both directions on the goal page.
    related_goals = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="related_from",
        verbose_name=_("related goals in other plans"),
    )

    # Public texts: the goal in plain words, per language.
    translations = public_texts(plain_summary=models.TextField(_("plain-language summary"), blank=True))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "depth", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="goal_unique_code_per_plan"),
            models.UniqueConstraint(fields=["plan", "identity"], name="goal_unique_identity_per_plan"),
            models.CheckConstraint(condition=Q(depth__gte=1) & Q(depth__lte=MAX_LEVELS), name="goal_depth_range"),
            models.CheckConstraint(
                condition=(Q(depth=1) & Q(parent__isnull=True)) | (Q(depth__gt=1) & Q(parent__isnull=False)),
                name="goal_parent_iff_not_top",
            ),
        ]
        indexes = [
            # The plan page loads a whole plan's goals in tree order.
            models.Index(fields=["plan", "depth", "position"], name="goal_plan_tree"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class GoalResponsibility(models.Model):
    """A unit, or a group of units, that answers for a goal."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("responsible")
        CO = "co", _("co-responsible")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="responsibilities")
    group = models.ForeignKey(
        UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PRIMARY)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="responsibility_unit_xor_group",
            ),
            models.UniqueConstraint(
                fields=["goal", "unit"],
                condition=Q(unit__isnull=False),
                name="responsibility_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["goal", "group"],
                condition=Q(group__isnull=False),
                name="responsibility_unique_group",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.group)

    @property
    def target(self):
        return self.unit or self.group

    @property
    def short_name(self) -> str:
        return self.target.short_name


class StatusSummary(models.TextChoices):
    """The fixed summary every plan-specific activity status maps to."""

    NOT_STARTED = "ej_paborjad", _("not started")
    ON_TRACK = "pagar", _("in progress as planned")
    LATE = "forsenad", _("delayed")
    DONE = "genomford", _("completed")
    PAUSED = "pausad", _("paused")
    CANCELLED = "avbruten", _("cancelled")

    @classmethod
    def closed(cls) -> tuple[str, str]:
        """Finished one way or the other: no longer followed up or at risk."""
        return (cls.DONE, cls.CANCELLED)


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


SUMMARY_SENTIMENT = {
    StatusSummary.NOT_STARTED: Sentiment.NEUTRAL,
    StatusSummary.ON_TRACK: Sentiment.POSITIVE,
    StatusSummary.LATE: Sentiment.NEGATIVE,
    StatusSummary.DONE: Sentiment.POSITIVE,
    StatusSummary.PAUSED: Sentiment.NEUTRAL,
    StatusSummary.CANCELLED: Sentiment.NEGATIVE,
}

# The statuses a new plan starts with; the coordinator can rename, add and remove.
DEFAULT_ACTIVITY_STATUSES = [
    ("Ej påbörjad", StatusSummary.NOT_STARTED),
    ("Pågår", StatusSummary.ON_TRACK),
    ("Försenad", StatusSummary.LATE),
    ("Genomförd", StatusSummary.DONE),
    ("Pausad", StatusSummary.PAUSED),
    ("Avbruten", StatusSummary.CANCELLED),
]


class ActivityStatus(models.Model):
    """A plan's own name for an activity status, mapped to a fixed summary."""

    Summary = StatusSummary

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activity_statuses")
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=20, choices=StatusSummary.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activity status")
        verbose_name_plural = _("activity statuses")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="activitystatus_unique_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sentiment(self) -> str:
        return SUMMARY_SENTIMENT[StatusSummary(self.summary)].value
