from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModelMixin

from activities.models import Activity
from organisations.models import Membership, Municipality, OrgUnit
from plans.models import Goal
from public.translation import public_texts


class Council(models.Model):
    """A standing consultation body, e.g. Kommunstyrelsens råd för nationella
    minoriteters rättigheter (inrättat juni 2024, to be evaluated after two years)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="councils")
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit")
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    evaluate_by = models.DateField(_("to be evaluated by"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="council_unique_name")]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A seat on a council. The person is named only if they agreed; otherwise
    the seat is shown by organisation and position."""

    class Position(models.TextChoices):
        CHAIR = "ordforande", _("chair")
        VICE_CHAIR = "vice", _("vice chair")
        MEMBER = "ledamot", _("member")
        DEPUTY = "ersattare", _("deputy")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Only if the person agreed to be named.")
    )
    named_consent = models.BooleanField(_("agrees to be named"), default=False)
    organisation = models.CharField(_("organisation"), max_length=200)
    position = models.CharField(
        pgettext_lazy("council seat", "position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "position", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(name="") | Q(named_consent=True), name="councilmember_named_only_with_consent"
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True)
                | Q(period_to__isnull=True)
                | Q(period_to__gte=models.F("period_from")),
                name="councilmember_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name if self.named_consent and self.name else self.organisation


class Consultation(models.Model):
    """A samråd: a meeting where the minority is consulted before decisions."""

    class Form(models.TextChoices):
        OPEN = "oppet", _("open consultation")
        REFERENCE_GROUP = "referensgrupp", _("reference group")
        COUNCIL = "rad", _("council")
        DIALOGUE = "dialogmote", _("dialogue meeting")
        INDIVIDUAL = "enskilt", _("individual consultation")

    class Influence(models.TextChoices):
        INFORMATION = "information", _("information")
        CONSULTATION = "samrad", _("consultation")
        PARTICIPATION = "delaktighet", _("participation")
        CODETERMINATION = "medbestammande", _("co-determination")

    class Service(models.TextChoices):
        INTERPRETER = "tolk", _("interpreter")
        CHILDCARE = "barnpassning", _("childcare")
        TRAVEL = "reseersattning", _("travel allowance")
        EASY_READ = "lattlast", _("easy-to-read material")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("title"), max_length=300)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    organisers = models.ManyToManyField(OrgUnit, related_name="consultations", verbose_name=_("organising units"))
    council = models.ForeignKey(
        Council,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("council"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    accessibility = models.CharField(
        _("accessibility"),
        max_length=300,
        blank=True,
        help_text=_("E.g. step-free entrance, hearing loop."),
    )
    in_public_calendar = models.BooleanField(
        _("in the public calendar"),
        default=False,
        help_text=_("Open to the public: shown with time, place and accessibility on the public site."),
    )
    video_link = models.URLField(_("video link"), blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    invited_organisations = models.TextField(_("invited organisations"), blank=True)
    influence = models.CharField(_("level of influence"), max_length=20, choices=Influence.choices)
    influence_note = models.TextField(
        _("what is open to influence"), help_text=_("One sentence on what the participants can influence.")
    )
    representatives = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="consultations",
        verbose_name=_("invited representatives"),
        limit_choices_to={"role": Membership.Role.REPRESENTATIVE},
    )
    # Attendance as numbers only: never a list of who came.
    attendance_total = models.PositiveIntegerField(_("participants in total"), null=True, blank=True)
    attendance = models.JSONField(_("participants by age group and gender"), default=dict, blank=True)
    organisations_present = models.TextField(_("organisations represented"), blank=True)
    # Compensation is kept apart from the minutes and never shown to representatives.
    compensation_paid = models.BooleanField(_("compensation paid"), default=False)
    compensation_total = models.PositiveIntegerField(_("compensation in total (SEK)"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The iCalendar SEQUENCE of its invitations and feeds (lib/invitations.py):
    # bumped when the time, place or title changes and when it is cancelled.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="consultation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(compensation_total__isnull=True) | Q(compensation_paid=True),
                name="consultation_compensation_only_when_paid",
            ),
        ]
        indexes = [
            # The consultation list and the figures: a municipality's consultations by date.
            models.Index(fields=["municipality", "starts_at"], name="consultation_municipality_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def service_labels(self) -> list[str]:
        return [str(self.Service(v).label) for v in self.services if v in self.Service.values]


class AgendaItem(models.Model):
    """A question put to the consultation, before a decision."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    question = models.TextField(_("question"))
    responsible_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="consultation_items",
        verbose_name=_("responsible unit"),
        help_text=_("The unit that answers the views raised on this item."),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="consultation_items", verbose_name=_("goals"))
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="consultation_items", verbose_name=_("activities")
    )
    decision_body = models.CharField(_("deciding body"), max_length=200, help_text=_("E.g. Socialnämnden."))
    decision_date = models.DateField(_("expected decision date"))
    decision_ref = models.CharField(_("case number (dnr)"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def decided_before_meeting(self) -> bool:
        """Samråd comes before the decision: an item decided before the meeting is flagged."""
        return self.decision_date < timezone.localdate(self.consultation.starts_at)


class View(TranslatableModelMixin, models.Model):
    """A view (synpunkt) raised on an item, entered by staff."""

    class GivenBy(models.TextChoices):
        GROUP = "grupp", _("the group")
        REPRESENTATIVE = "representant", _("a named representative")
        ANONYMOUS = "anonym", _("anonymous")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="views")
    text = models.TextField(_("view"))
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices, default=GivenBy.GROUP)
    representative = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("representative"),
        help_text=_("Only a representative who agreed to be named."),
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Published on the återkoppling page (consultations.services.view_publish): only
    # the public wording below, never ``text`` or who entered it.
    public = models.BooleanField(_("published"), default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Public texts, per language: what was said and the answer, as published.
    translations = public_texts(
        said=models.TextField(_("what was said (public wording)"), blank=True),
        answer=models.TextField(_("what we did (public wording)"), blank=True),
    )

    class Meta:
        verbose_name = _("view")
        verbose_name_plural = _("views")
        ordering = ["item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(given_by="representant") & Q(representative__isnull=False))
                | (~Q(given_by="representant") & Q(representative__isnull=True)),
                name="view_representative_iff_named",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def given_by_display(self) -> str:
        """The representative by name only while they agree to be named; else by organisation."""
        if self.representative_id:
            return self.representative.public_name
        return str(self.get_given_by_display())


def feedback_overdue(decision_date, feedback_status: str | None, *, days: int, today) -> bool:
    """A view is overdue when its decision is more than ``days`` past and it has
    no final feedback (none, or only "under preparation"). overdue_views() is the
    same rule as a query."""
    final = feedback_status is not None and feedback_status != Feedback.Status.PREPARING
    return not final and decision_date + timedelta(days=days) < today


class Feedback(models.Model):
    """The municipality's answer (återkoppling) to a view: what became of it.
    Signed by the responding unit, not a person."""

    class Status(models.TextChoices):
        TAKEN = "beaktad", _("taken into account")
        PARTLY = "delvis", _("partly taken into account")
        NOT_TAKEN = "ej_beaktad", _("not taken into account")
        OUTSIDE = "utanfor", _("outside the mandate")
        PREPARING = "bereds", _("under preparation")

    view = models.OneToOneField(View, on_delete=models.CASCADE, related_name="feedback")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    reasoning = models.TextField(_("reasoning"))
    decision_ref = models.CharField(_("decision (dnr or paragraph)"), max_length=100, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responding unit"))
    given_on = models.DateField(_("date"), default=timezone.localdate)
    goals = models.ManyToManyField(Goal, blank=True, related_name="+", verbose_name=_("goals that carry it out"))
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="feedback", verbose_name=_("activities that carry it out")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.reasoning[:60]}"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.PREPARING


class MinutesVersion(models.Model):
    """One version of a consultation's minutes (minnesanteckningar). Every version
    is kept; approved ones are never edited, only superseded with a reason."""

    class Status(models.TextChoices):
        DRAFT = "utkast", pgettext_lazy("minutes status", "draft")
        REVIEW = "granskning", pgettext_lazy("minutes status", "sent for review")
        APPROVED = "justerad", pgettext_lazy("minutes status", "approved")
        PUBLISHED = "publicerad", pgettext_lazy("minutes status", "published")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("minutes"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    reviewers = models.ManyToManyField(
        Membership, blank=True, related_name="minutes_to_review", verbose_name=_("sent for review to")
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    supersede_reason = models.TextField(_("why the approved minutes are superseded"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="minutes_unique_number"),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(supersede_reason=""), name="minutes_supersede_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.number}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def locked(self) -> bool:
        """Approved (or published) minutes are never changed."""
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)


class MinutesComment(models.Model):
    """A representative's comment on minutes sent to them for review."""

    minutes = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["minutes", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class FeedbackReminderSent(models.Model):
    """That the reminder about an overdue view went out; never sent twice."""

    view = models.OneToOneField(View, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("feedback reminder")
        verbose_name_plural = _("feedback reminders")

    def __str__(self) -> str:
        return f"{self.view_id}: {self.sent_at}"
