from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """The tenant: every object belongs to exactly one municipality."""

    name = models.CharField(_("name"), max_length=200)
    # Kommunkod: four digits, kept as a string because of the leading zero (0180).
    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        blank=True,
        help_text=_("Starts the references of activities, e.g. STHLM in STHLM-A-0042. The municipality code if empty."),
    )
    suppression_k = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=5,
        help_text=_(
            "Counts below this are hidden (“hidden”) in every result and export, with whatever would give them "
            "away; never below 3. Results already finalised keep the value they were finalised with."
        ),
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("days to give feedback"),
        default=30,
        help_text=_("A view raised in a consultation is overdue this many days after its decision without feedback."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("PNG or JPEG, at most 1 MB. Printed on the front page of reports."),
    )
    org_number = models.CharField(
        _("organisation number"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", _("Ten digits, without a hyphen."))],
        help_text=_("Ten digits, e.g. 2120000142. Names the publisher in the open-data catalogue."),
    )
    open_consultation_figures = models.BooleanField(
        _("publish consultation figures as open data"),
        default=False,
        help_text=_(
            "Consultations held per committee and year, and the share of views given feedback in time, "
            "in the open-data API. Never who took part."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"),
            models.CheckConstraint(condition=Q(suppression_k__gte=3), name="municipality_suppression_at_least_3"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.reference_prefix or self.code


class OrgUnitQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "OrgUnitQuerySet":
        """Units valid on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def covered_by_all(self) -> "OrgUnitQuerySet":
        """Units meant by "samtliga nämnder och bolagsstyrelser"."""
        return self.filter(kind__in=OrgUnit.KINDS_IN_ALL)


class OrgUnit(models.Model):
    """A nämnd, stadsdelsnämnd, bolagsstyrelse, förvaltning, råd or kommunstyrelsen.

    Units are never deleted once used: a reorganisation sets ``valid_to`` so
    that history keeps pointing at the unit that did the work.
    """

    class Kind(models.TextChoices):
        KOMMUNSTYRELSEN = "kommunstyrelsen", _("municipal executive board")
        NAMND = "namnd", _("committee")
        STADSDELSNAMND = "stadsdelsnamnd", _("district committee")
        BOLAGSSTYRELSE = "bolagsstyrelse", _("company board")
        FORVALTNING = "forvaltning", _("administration")
        RAD = "rad", _("council")

    # "Samtliga nämnder och bolagsstyrelser" (seed 002): the political bodies,
    # not administrations or advisory councils.
    KINDS_IN_ALL = (Kind.KOMMUNSTYRELSEN, Kind.NAMND, Kind.STADSDELSNAMND, Kind.BOLAGSSTYRELSE)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="units", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        help_text=_("Used in plan files and tables, e.g. SN or Hägersten-Älvsjö."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="orgunit_unique_short_name"),
            models.UniqueConstraint(fields=["municipality", "name"], name="orgunit_unique_name"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)

    @property
    def counted_in_all(self) -> bool:
        return self.kind in self.KINDS_IN_ALL


class UnitGroup(models.Model):
    """A named set of units that plans refer to as one, e.g. "stadsdelsnämnderna"
    or "bostadsbolagsstyrelserna" (seed 002)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="unit_groups", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    members = models.ManyToManyField(OrgUnit, related_name="groups", blank=True, verbose_name=_("members"))

    class Meta:
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="unitgroup_unique_short_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in one municipality: their role, and for a unit
    contact the units they act for."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        CONTACT = "contact", _("unit contact")
        READER = "reader", _("reader")
        # A Roma representative (samrådsrepresentant): sees only the consultations
        # they are invited to, minutes sent to them and the feedback on their views.
        REPRESENTATIVE = "representative", _("consultation representative")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("person")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("municipality")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    units = models.ManyToManyField(
        OrgUnit,
        related_name="contacts",
        blank=True,
        verbose_name=_("units"),
        help_text=_("The units a contact person acts for."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Kontaktperson för romsk inkludering”."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For a consultation representative: the organisation or council they speak for."),
    )
    named_consent = models.BooleanField(
        _("agrees to be named"),
        default=False,
        help_text=_(
            "A representative is named in views and minutes only if they have agreed; otherwise by organisation."
        ),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.municipality})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_contact(self) -> bool:
        return self.role == self.Role.CONTACT

    @property
    def is_representative(self) -> bool:
        return self.role == self.Role.REPRESENTATIVE

    @property
    def label(self) -> str:
        """Name and organisation, for staff choosing people."""
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.organisation})" if self.organisation else name

    @property
    def public_name(self) -> str:
        """How a representative is shown to others: named only with consent."""
        if self.named_consent:
            name = self.user.get_full_name() or self.user.get_username()
            return f"{name}, {self.organisation}" if self.organisation else name
        return str(_("a representative of %(organisation)s") % {"organisation": self.organisation or "—"})

    @property
    def is_staff_member(self) -> bool:
        """The municipality's own people, who see its internal work."""
        return not self.is_representative

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """The units this person acts for (a unit contact's own units)."""
        return frozenset(self.units.values_list("pk", flat=True))

    @property
    def may_register_activities(self) -> bool:
        """Coordinators, and contacts who act for at least one unit."""
        return self.is_coordinator or bool(self.unit_ids)

    def may_edit_unit_work(self, unit_id: int) -> bool:
        """Coordinators change everything; a unit contact only their own units' work."""
        return self.is_coordinator or (self.is_contact and unit_id in self.unit_ids)
