"""Outreach (uppsökande verksamhet, brobyggare) as counts per unit and month:
contacts by area of need and by channel, and referrals. Counts only, never
who: individual support is not documented in a shared system (seed 001)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from organisations.models import Municipality, OrgUnit
from plans.models import Goal

# Each contact is counted once under its main area of need and once under the
# channel it came through: both rows add up to the month's contacts.
AREAS = [
    ("skola", _("school")),
    ("socialtjanst", _("social services")),
    ("bostad", _("housing")),
    ("halsa", _("health")),
    ("arbete", _("work")),
    ("ovrigt", _("other")),
]
CHANNELS = [
    ("besok", _("visit")),
    ("telefon", _("telephone")),
    ("digitalt", _("digital")),
    ("plats", _("outreach on site")),
]
AREA_FIELDS = [f"area_{code}" for code, _label in AREAS]
CHANNEL_FIELDS = [f"channel_{code}" for code, _label in CHANNELS]
COUNT_FIELDS = ["contacts", *AREA_FIELDS, *CHANNEL_FIELDS, "referrals"]
# The error codes of the two sums, shared by the constraints and the form.
AREAS_DO_NOT_ADD_UP = "areas_do_not_add_up"
CHANNELS_DO_NOT_ADD_UP = "channels_do_not_add_up"


def _sum(fields):
    expression = F(fields[0])
    for name in fields[1:]:
        expression = expression + F(name)
    return expression


class OutreachRecord(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="outreach_records")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="outreach_records", verbose_name=_("unit"))
    # The first day of the month counted.
    month = models.DateField(_("month"))
    contacts = models.PositiveIntegerField(_("contacts"), default=0)
    area_skola = models.PositiveIntegerField(_("school"), default=0)
    area_socialtjanst = models.PositiveIntegerField(_("social services"), default=0)
    area_bostad = models.PositiveIntegerField(_("housing"), default=0)
    area_halsa = models.PositiveIntegerField(_("health"), default=0)
    area_arbete = models.PositiveIntegerField(_("work"), default=0)
    area_ovrigt = models.PositiveIntegerField(_("other"), default=0)
    channel_besok = models.PositiveIntegerField(_("visit"), default=0)
    channel_telefon = models.PositiveIntegerField(_("telephone"), default=0)
    channel_digitalt = models.PositiveIntegerField(_("digital"), default=0)
    channel_plats = models.PositiveIntegerField(_("outreach on site"), default=0)
    referrals = models.PositiveIntegerField(
        _("referrals"), default=0, help_text=_("Referrals to other services. One contact may lead to several.")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_records",
        verbose_name=_("activity"),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="outreach_records", verbose_name=_("goals"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outreach month")
        verbose_name_plural = _("outreach months")
        ordering = ["unit_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="outreach_one_record_per_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="outreach_month_first_day"),
            # The form (OutreachMonthForm.clean) says the same with the numbers, under the same code, and
            # shows only its own message; these are for any other path.
            models.CheckConstraint(
                condition=Q(contacts=_sum(AREA_FIELDS)),
                name="outreach_areas_add_up",
                violation_error_code=AREAS_DO_NOT_ADD_UP,
                violation_error_message=_("The contacts by area of need must add up to the contacts."),
            ),
            models.CheckConstraint(
                condition=Q(contacts=_sum(CHANNEL_FIELDS)),
                name="outreach_channels_add_up",
                violation_error_code=CHANNELS_DO_NOT_ADD_UP,
                violation_error_message=_("The contacts by channel must add up to the contacts."),
            ),
        ]
        indexes = [
            # The summary: a municipality's records in a period.
            models.Index(fields=["municipality", "month"], name="outreach_municipality_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"

    def cells(self) -> list[int]:
        return [getattr(self, name) for name in COUNT_FIELDS]

    def areas(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, f"area_{code}")) for code, label in AREAS]

    def channels(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, f"channel_{code}")) for code, label in CHANNELS]
