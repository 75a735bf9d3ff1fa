"""Indicators (indikatorer): what is measured to follow up a plan's goals, with
an explicit baseline (nollmätning), targets and measurements per period.
See docs/indicators.md for the on-track rule."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, OrgUnit
from plans.models import Goal

VALUE_DIGITS = {"max_digits": 14, "decimal_places": 2}


class Track(models.TextChoices):
    """Whether an indicator is on its way to its target: computed by the rule in
    indicators/tracking.py, or set by the coordinator with a reason."""

    REACHED = "reached", _("target reached")
    ON_TRACK = "on_track", _("on track")
    OFF_TRACK = "off_track", _("not on track")
    NO_DATA = "no_data", _("no data")


class GenderTerms(models.TextChoices):
    """What the two parts of a gender split are called: women and men, or for an
    indicator about children and young people, girls and boys."""

    ADULTS = "kvinnor_man", _("women and men")
    CHILDREN = "flickor_pojkar", _("girls and boys")


class Indicator(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", _("quantitative (a number)")
        YES_NO = "yes_no", _("yes or no")
        TEXT = "text", _("text assessment")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")

    class Source(models.TextChoices):
        OWN_COUNT = "own_count", _("own count")
        SURVEY = "survey", _("survey or interviews")
        NATIONAL = "national", _("national statistics")
        # Measurements written by competence.services from training occasions and headcounts.
        COMPUTED_TRAINING = "computed_training", _("computed: share of staff trained")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    definition = models.TextField(
        _("definition"), blank=True, help_text=_("What is counted or assessed, and how, so it is measured alike.")
    )
    unit = models.CharField(
        _("unit of measure"), max_length=50, blank=True, help_text=_("E.g. percent, persons, occasions.")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    allow_negative = models.BooleanField(
        _("values can be negative"),
        default=False,
        help_text=_("Leave unticked for counts and percentages: a negative value is then refused."),
    )
    gender_split = models.BooleanField(
        _("by gender"), default=False, help_text=_("Measurements give women, men and a total.")
    )
    gender_terms = models.CharField(
        _("gender split as"),
        max_length=16,
        choices=GenderTerms.choices,
        default=GenderTerms.ADULTS,
        help_text=_("Girls and boys for an indicator about children and young people (pupils, for example)."),
    )
    source_kind = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OWN_COUNT)
    source_detail = models.CharField(
        _("source details"), max_length=300, blank=True, help_text=_("E.g. Skolverket, or the name of the survey.")
    )
    kolada_id = models.CharField(
        _("Kolada KPI id"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][0-9]{5}$", _("A Kolada KPI id is a capital letter and five digits."))],
        help_text=_("For national statistics in Kolada, e.g. N15807."),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="indicators", verbose_name=_("goals followed"))
    public = models.BooleanField(
        _("published as open data"),
        default=False,
        help_text=_(
            "The indicator, its baseline, targets and measurements are published in the open-data API, "
            "for anyone to read. Notes and who entered what are never published."
        ),
    )
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("responsible unit")
    )
    valid_from = models.DateField(_("measured from"), null=True, blank=True)
    valid_to = models.DateField(_("measured until"), null=True, blank=True)
    # The coordinator's own assessment, shown beside the computed one.
    track_override = models.CharField(_("assessment"), max_length=10, choices=Track.choices, blank=True)
    track_override_reason = models.TextField(_("reason for the assessment"), blank=True)
    track_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    track_override_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: the edit form carries the version it was opened with.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "pk"]
        constraints = [
            # Also the index for the list page: a municipality's indicators by name.
            models.UniqueConstraint(fields=["municipality", "name"], name="indicator_unique_name_per_municipality"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="indicator_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(track_override="") | Q(track_override_reason=""),
                name="indicator_reason_only_with_override",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def female_label(self) -> str:
        """The heading of the female part of a gender split: "Kvinnor", or "Flickor" for children."""
        return str(_("Girls") if self.gender_terms == GenderTerms.CHILDREN else _("Women"))

    @property
    def male_label(self) -> str:
        """The heading of the male part of a gender split: "Män", or "Pojkar" for children."""
        return str(_("Boys") if self.gender_terms == GenderTerms.CHILDREN else _("Men"))

    @property
    def is_number(self) -> bool:
        return self.kind == self.Kind.NUMBER

    @property
    def baseline_or_none(self) -> "Baseline | None":
        try:
            return self.baseline
        except ObjectDoesNotExist:
            return None

    def kolada_url(self) -> str:
        return f"https://www.kolada.se/verktyg/fri-sokning/?kpis={self.kolada_id}" if self.kolada_id else ""


class Baseline(models.Model):
    """The starting point (nollmätning) the targets and measurements are read against."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="baseline", verbose_name=_("indicator")
    )
    date = models.DateField(_("baseline date"))
    value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_DIGITS)
    women = models.DecimalField(_("women"), null=True, blank=True, **VALUE_DIGITS)
    men = models.DecimalField(_("men"), null=True, blank=True, **VALUE_DIGITS)
    value_bool = models.BooleanField(_("baseline answer"), null=True, blank=True)
    source = models.CharField(_("source of the baseline"), max_length=300, blank=True)
    note = models.TextField(_("note on the baseline"), blank=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.date:%Y-%m-%d}"


class Target(models.Model):
    """A value to reach by a date; an indicator may have several (e.g. 2027 and 2030)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    date = models.DateField(_("target date"))
    value = models.DecimalField(_("target value"), **VALUE_DIGITS)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "date"]
        constraints = [
            # Also the index for loading an indicator's targets in date order.
            models.UniqueConstraint(fields=["indicator", "date"], name="target_one_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.date:%Y-%m-%d}"


class Measurement(models.Model):
    """A measured value for a period. A period has an end date and an optional
    start; a measurement taken on one day has no start. The end date is the
    measurement's date in the chart and the on-track rule."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end or date"))
    # For a quantitative indicator: the total (with a gender split, women + men).
    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE_DIGITS)
    women = models.DecimalField(_("women"), null=True, blank=True, **VALUE_DIGITS)
    men = models.DecimalField(_("men"), null=True, blank=True, **VALUE_DIGITS)
    value_bool = models.BooleanField(_("answer"), null=True, blank=True)
    value_text = models.TextField(_("assessment"), blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period_end"]
        constraints = [
            # Also the index for an indicator's measurements in date order and for its latest one.
            models.UniqueConstraint(fields=["indicator", "period_end"], name="measurement_one_per_period_end"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__gte=models.F("period_start")),
                name="measurement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(value_bool__isnull=False) | ~Q(value_text=""),
                name="measurement_has_a_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period_display}"

    @property
    def period_display(self) -> str:
        """As "1 jan. 2024 – 31 dec. 2026", or the one day (lib.formatting.short_date)."""
        from lib.formatting import short_date

        if self.period_start and self.period_start != self.period_end:
            return f"{short_date(self.period_start)} – {short_date(self.period_end)}"
        return short_date(self.period_end)
