"""The knowledge bank: practice examples (exempel på insatser) as Länsstyrelsen's
guide "Romsk inkludering i praktiken" presents them, and where each has been
taken up as an activity.

An example belongs to the municipality that entered it. Unpublished, only that
municipality's staff read it; published, the staff of every municipality in the
instance do; a published example the coordinator also puts on the public site
(``on_public_site``) is read by anyone on that municipality's public pages.
The municipality or organisation *behind* the work (Gävle kommun, Borås stad, a
Roma association) is text: it need not be a tenant."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, TargetGroup
from organisations.models import Municipality
from plans.models import GoalKind, RightsArea


class PracticeExampleQuerySet(models.QuerySet):
    def readable_by(self, municipality_id: int) -> "PracticeExampleQuerySet":
        """The municipality's own examples and every published one."""
        return self.filter(Q(municipality_id=municipality_id) | Q(is_published=True))


class PracticeExample(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="practice_examples")
    title = models.CharField(_("title"), max_length=300)
    organisation = models.CharField(
        _("municipality or organisation"),
        max_length=300,
        help_text=_("Who did the work, e.g. Gävle kommun, together with Gävle romska förening."),
    )
    rights_areas = models.ManyToManyField(
        RightsArea, blank=True, related_name="practice_examples", verbose_name=_("rights areas")
    )
    goal_kinds = models.JSONField(_("kind of goal"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    summary = models.TextField(_("what was done"))
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, help_text=_("Förutsättningar: what made the work possible.")
    )
    tips = models.TextField(_("tips"), blank=True)
    results = models.TextField(_("results"), blank=True)
    contact = models.CharField(
        _("contact"),
        max_length=300,
        blank=True,
        help_text=_("A function, e.g. the coordinator for Roma inclusion; a person's name only with their consent."),
    )
    sources = models.TextField(_("sources and links"), blank=True, help_text=_("One a line."))
    period = models.CharField(_("period"), max_length=100, blank=True, help_text=_("E.g. 2016–2020."))
    is_published = models.BooleanField(_("shared with every municipality"), default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Shown on the municipality's own public site (/<kod>/exempel/): a separate choice
    # of its coordinator, only for a shared example (services.example_show_publicly).
    on_public_site = models.BooleanField(_("shown on the public site"), default=False, editable=False)
    on_public_site_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PracticeExampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice example")
        verbose_name_plural = _("practice examples")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False), name="practiceexample_published_at"
            ),
            # Only a shared example is on the public site, and it says since when.
            models.CheckConstraint(
                condition=Q(on_public_site=False) | Q(is_published=True, on_public_site_at__isnull=False),
                name="practiceexample_on_public_site",
            ),
        ]
        indexes = [
            # The bank's list: the published examples of every municipality.
            models.Index(fields=["is_published", "title"], name="practiceexample_published"),
            # The public site's list: one municipality's examples shown there (public/selectors/practice.py).
            models.Index(fields=["municipality", "on_public_site", "title"], name="practiceexample_public_site"),
        ]

    def __str__(self) -> str:
        return self.title

    def goal_kind_labels(self) -> list[str]:
        return [str(GoalKind(v).label) for v in self.goal_kinds if v in GoalKind.values]

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(v).label) for v in self.target_groups if v in TargetGroup.values]

    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class Adoption(models.Model):
    """An example taken up: the draft activity a municipality made from it."""

    example = models.ForeignKey(
        PracticeExample, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("practice example")
    )
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="adopted_from", verbose_name=_("activity")
    )
    # The adopting municipality (the activity's), kept here so the bank counts without joining activities.
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("adoption of a practice example")
        verbose_name_plural = _("adoptions of practice examples")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.example} → {self.activity_id}"
