"""The decision log: bodies that decide (a steering group, the council for
national minorities, a committee, the municipal council), their meetings, the
decisions with what they concern, and a consequence analysis (konsekvensanalys)
for a decision affecting the national minority, with the samråd that informed it."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from consultations.models import Consultation
from lib.formatting import short_date
from organisations.models import Municipality, OrgUnit
from plans.models import Goal
from remiss.models import Remiss


class Body(models.Model):
    class Kind(models.TextChoices):
        STEERING_GROUP = "styrgrupp", _("steering group")
        MINORITY_COUNCIL = "rad", _("council for national minorities")
        COMMITTEE = "namnd", _("committee")
        EXECUTIVE_BOARD = "kommunstyrelse", _("municipal executive board")
        COUNCIL = "kommunfullmaktige", _("municipal council")
        OTHER = "annat", _("other")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="decision_bodies")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of body"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_bodies",
        verbose_name=_("unit"),
        help_text=_("The committee or office the body belongs to, if any."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Its remit and who takes part (roles)."))

    class Meta:
        verbose_name = _("decision-making body")
        verbose_name_plural = _("decision-making bodies")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="decision_body_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("decisions:body", args=[self.pk])


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("body"))
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["body", "held_on"], name="decision_meeting_one_per_day")]

    def __str__(self) -> str:
        return f"{self.body} {short_date(self.held_on)}"


class Decision(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("body"))
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions", verbose_name=_("meeting")
    )
    decided_on = models.DateField(_("date of decision"))
    paragraph = models.CharField(_("paragraph (§)"), max_length=20, blank=True, help_text=_("E.g. § 42."))
    dnr = models.CharField(_("reference number (dnr)"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("decision"), blank=True, help_text=_("What was decided, as in the minutes."))
    affects_minority = models.BooleanField(
        _("affects the national minority"),
        default=False,
        help_text=_("A decision affecting the Roma minority needs a consequence analysis."),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="decisions", verbose_name=_("goals"))
    activities = models.ManyToManyField(Activity, blank=True, related_name="decisions", verbose_name=_("activities"))
    remisses = models.ManyToManyField(Remiss, blank=True, related_name="decisions", verbose_name=_("remisses"))
    consultations = models.ManyToManyField(
        Consultation, blank=True, related_name="decisions", verbose_name=_("consultations")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            # The decision log: a municipality's decisions, newest first.
            models.Index(fields=["municipality", "-decided_on"], name="decision_log"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """ "Styrgruppen 12 mars 2026 § 4" as minutes quote a decision."""
        parts = [self.body.name, short_date(self.decided_on)]
        if self.paragraph:
            parts.append(self.paragraph if "§" in self.paragraph else f"§ {self.paragraph}")
        return " ".join(parts)


class ConsequenceAnalysis(models.Model):
    """A konsekvensanalys for national minorities: what the decision means for the
    minority's rights under the minority act, for children, whether the minority
    was consulted (and in which samråd), and the conclusion."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="analysis", verbose_name=_("decision")
    )
    effects = models.TextField(
        _("effects on the minority"), help_text=_("How the decision affects Roma in the municipality.")
    )
    minority_rights = models.TextField(
        _("the minority's rights"),
        blank=True,
        help_text=_(
            "The provisions of the Act on National Minorities and Minority Languages concerned: information, "
            "consultation, culture and language, children's language and identity."
        ),
    )
    children_rights = models.TextField(
        _("children's rights"),
        blank=True,
        help_text=_("The best interests of the child (Convention on the Rights of the Child)."),
    )
    consultation_held = models.BooleanField(_("the minority was consulted"), default=False)
    consultations = models.ManyToManyField(
        Consultation,
        blank=True,
        related_name="consequence_analyses",
        verbose_name=_("consultations that informed it"),
    )
    no_consultation_reason = models.TextField(_("why the minority was not consulted"), blank=True)
    conclusion = models.TextField(_("conclusion"))
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consequence analysis")
        verbose_name_plural = _("consequence analyses")

    def __str__(self) -> str:
        return str(self.decision)
