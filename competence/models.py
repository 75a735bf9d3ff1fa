"""Training and competence (2030 plan, goal 1.1): trainings on Roma living
conditions, antiziganism and minority rights, their occasions with how many
took part per unit and staff group, and each unit's headcount per staff group
and year. Counts only, never names: docs/competence.md says how the share of
staff trained is computed from them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from organisations.models import Municipality, OrgUnit
from plans.models import Goal, RightsArea


class StaffGroup(models.Model):
    """A group of staff counted apart (lärare, socialsekreterare, chefer): the
    municipality's own list."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="staff_groups", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("staff group")
        verbose_name_plural = _("staff groups")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="staffgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("course")
        WORKSHOP = "workshop", _("workshop")
        ELEARNING = "elearning", _("e-learning")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of training"), max_length=20, choices=Kind.choices, default=Kind.COURSE)
    provider = models.CharField(
        _("provider"), max_length=300, blank=True, help_text=_("E.g. Länsstyrelsen i Stockholms län.")
    )
    material = models.TextField(
        _("material and links"),
        blank=True,
        help_text=_("E.g. Socialstyrelsen's or Länsstyrelsen's material, with its address."),
    )
    rights_areas = models.ManyToManyField(
        RightsArea, blank=True, related_name="trainings", verbose_name=_("rights areas")
    )
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="trainings", verbose_name=_("goals the training contributes to")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "title"], name="training_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingOccasion(models.Model):
    """One time a training was given; who took part is counted in its rows
    (Participation), per unit and staff group."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="occasions", verbose_name=_("training")
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("E.g. the place. No names."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training occasion")
        verbose_name_plural = _("training occasions")
        ordering = ["-date", "-pk"]
        indexes = [
            # The occasions of a training by date (its page), and the share's window.
            models.Index(fields=["training", "date"], name="occasion_training_date"),
        ]

    def __str__(self) -> str:
        return f"{self.training}: {self.date:%Y-%m-%d}"


class Participation(models.Model):
    """How many of a unit's staff group took part in an occasion: a count, never who."""

    occasion = models.ForeignKey(
        TrainingOccasion, on_delete=models.CASCADE, related_name="rows", verbose_name=_("occasion")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="training_participations", verbose_name=_("unit")
    )
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, related_name="participations", verbose_name=_("staff group")
    )
    participants = models.PositiveIntegerField(_("participants"))

    class Meta:
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        ordering = ["occasion", "unit__name", "staff_group__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "unit", "staff_group"], name="participation_one_per_group"),
            models.CheckConstraint(condition=models.Q(participants__gte=0), name="participation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.occasion}: {self.unit} {self.staff_group} {self.participants}"


class Headcount(models.Model):
    """How many work in a unit's staff group in a year (entered yearly)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="headcounts", verbose_name=_("unit"))
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, related_name="headcounts", verbose_name=_("staff group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number of staff"))

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        ordering = ["unit", "year", "staff_group__position"]
        constraints = [
            # Also the index for a unit's grid of a year.
            models.UniqueConstraint(fields=["unit", "year", "staff_group"], name="headcount_one_per_group_year"),
            models.CheckConstraint(condition=models.Q(number__gte=0), name="headcount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.staff_group}: {self.number}"


class ShareIndicator(models.Model):
    """What an indicator with the source "computed: share of staff trained"
    counts: the last ``years`` calendar years, optionally one staff group and
    one unit (else the whole municipality)."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="share_settings", verbose_name=_("indicator")
    )
    years = models.PositiveSmallIntegerField(
        _("years counted"), default=3, help_text=_("Trained in the last N calendar years, this year included.")
    )
    staff_group = models.ForeignKey(
        StaffGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff group"),
        help_text=_("Empty: all staff groups."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Empty: the whole municipality."),
    )

    class Meta:
        verbose_name = _("computed share of staff trained")
        verbose_name_plural = _("computed shares of staff trained")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(years__gte=1) & models.Q(years__lte=10), name="shareindicator_years_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.years}"
