"""Events the municipality holds or takes part in (8 April, cultural evenings,
competitions), with the goals and activities they serve and, afterwards, how
many came: counts only, never who."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModelMixin

from activities.models import Activity
from organisations.models import Municipality, OrgUnit
from plans.models import Goal
from public.translation import public_texts

# Participants by age group, the same groups as consultation attendance.
AGE_GROUPS = [("barn_unga", _("children and young people")), ("vuxna", _("adults")), ("aldre", _("elderly"))]


class Event(TranslatableModelMixin, models.Model):
    class Kind(models.TextChoices):
        ROMA_DAY = "8_april", _("8 April, International Roma Day")
        CULTURE = "kultur", _("cultural evening")
        COMPETITION = "tavling", _("competition")
        OTHER = "annat", _("other")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("The venue, e.g. Huddinge bibliotek. No personal data.")
    )
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    interpretation = models.CharField(
        _("interpretation"), max_length=300, blank=True, help_text=_("E.g. interpretation into Romani (arli).")
    )
    childcare = models.CharField(_("childcare"), max_length=300, blank=True)
    organisers = models.ManyToManyField(OrgUnit, related_name="events", verbose_name=_("organising units"))
    partners = models.TextField(_("partner organisations"), blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="events", verbose_name=_("goals served"))
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="events", verbose_name=_("activities served")
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to representatives and, later, on the public pages.")
    )
    description = models.TextField(_("description"), blank=True)
    # Participants as numbers only, after the event: never a list of who came.
    participants_total = models.PositiveIntegerField(_("participants in total"), null=True, blank=True)
    participants = models.JSONField(_("participants by age group"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Optimistic locking (lib.locking): bumped by every save through the edit form.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The iCalendar SEQUENCE of its invitations and feeds (lib/invitations.py):
    # bumped when the time, place or title changes and when it is cancelled.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)

    # Public texts, per language. The Swedish row mirrors title and description
    # (events.services keep it so); other languages are translations of it.
    translations = public_texts(
        public_title=models.CharField(_("public title"), max_length=300, blank=True),
        public_text=models.TextField(_("public description"), blank=True),
    )

    class Meta:
        verbose_name = pgettext_lazy("held for residents", "event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title
