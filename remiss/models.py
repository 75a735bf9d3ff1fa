"""A remiss: a plan version sent to bodies (remissinstanser) for their answers
(remissvar) by a deadline (remisstid), and the coordinator's compilation of
what became of each comment (remissammanställning). docs/remiss.md."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan

LINK_SALT = "inkludera.remiss.Body.link"


def new_link_key() -> str:
    return get_random_string(32)


class Remiss(models.Model):
    class Status(models.TextChoices):
        DRAFT = "utkast", _("draft")
        # Its own context: "sent" is plural elsewhere ("skickade"); a remiss is "skickad".
        SENT = "skickad", pgettext_lazy("remiss status", "sent")
        CLOSED = "stangd", _("closed")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="remisses", verbose_name=_("municipality")
    )
    # The plan version sent: answers comment on exactly this version's goals.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="remisses", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=300)
    dnr = models.CharField(_("reference number (dnr)"), max_length=60, blank=True)
    letter = models.TextField(
        _("covering letter"), blank=True, help_text=_("The missive: what is asked of the bodies, and how to answer.")
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), help_text=_("The last day of the remiss period."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # On the municipality's public site (public/views/remiss.py) while set: an explicit
    # step of the coordinator's for a sent or closed remiss (services.remiss_publish).
    published_at = models.DateTimeField(_("published on the public site"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(deadline__gt=models.F("sent_on")),
                name="remiss_deadline_after_sending",
            ),
            models.CheckConstraint(
                condition=Q(status="utkast") | Q(sent_on__isnull=False), name="remiss_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_past_deadline(self, on: date | None = None) -> bool:
        return (on or timezone.localdate()) > self.deadline

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Body(models.Model):
    """A remissinstans: one of the municipality's units, or an external organisation
    reached by e-mail with a personal link (no account)."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="bodies")
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="remiss_bodies", verbose_name=_("unit")
    )
    name = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The personal link is an HMAC of the body's id and this key with SECRET_KEY (as
    # Django's password-reset tokens): nothing in the database opens it alone, and a
    # new key revokes the old link.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)

    class Meta:
        verbose_name = _("remiss body")
        verbose_name_plural = _("remiss bodies")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(name="")) | (Q(unit__isnull=True) & ~Q(name="")),
                name="remissbody_unit_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["remiss", "unit"], condition=Q(unit__isnull=False), name="remissbody_unit_once"
            ),
            models.UniqueConstraint(fields=["remiss", "name"], condition=~Q(name=""), name="remissbody_name_once"),
        ]

    def __str__(self) -> str:
        return self.unit.name if self.unit_id else self.name

    @property
    def is_external(self) -> bool:
        return self.unit_id is None

    @property
    def display_name(self) -> str:
        return str(self)

    def _link_hash(self) -> str:
        return salted_hmac(LINK_SALT, f"{self.pk}:{self.link_key}", algorithm="sha256").hexdigest()[:40]

    @property
    def link_token(self) -> str:
        return f"{self.pk}-{self._link_hash()}"

    def token_matches(self, token: str) -> bool:
        return constant_time_compare(self.link_token, token)


class Answer(models.Model):
    """A remissvar (yttrande): one per body."""

    class Stance(models.TextChoices):
        SUPPORTS = "tillstyrker", _("supports")
        SUPPORTS_WITH_VIEWS = "tillstyrker_med_synpunkter", _("supports with comments")
        OPPOSES = "avstyrker", _("opposes")
        ABSTAINS = "avstar", _("declines to answer")

    class Via(models.TextChoices):
        APP = "app", _("in Inkludera")
        LINK = "lank", _("through the organisation's link")
        TYPED_IN = "registrerat", _("typed in by the coordinator")

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="answer")
    dnr = models.CharField(_("reference number (dnr)"), max_length=60, blank=True)
    answered_on = models.DateField(_("date of the answer"), default=timezone.localdate)
    officer = models.CharField(_("case officer (handläggare)"), max_length=200, blank=True)
    decided_by = models.CharField(
        _("deciding body"), max_length=200, blank=True, help_text=_("E.g. Hägersten-Älvsjö stadsdelsnämnd.")
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    stance = models.CharField(_("stance"), max_length=30, choices=Stance.choices)
    summary = models.TextField(_("summary"), blank=True)
    general_comments = models.TextField(_("general comments"), blank=True)
    is_late = models.BooleanField(_("received late"), default=False)
    received_via = models.CharField(_("received"), max_length=20, choices=Via.choices)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_consent = models.BooleanField(
        _("comments may be published"),
        default=False,
        help_text=_("An external organisation's comments are published only if it agrees."),
    )

    class Meta:
        verbose_name = _("remiss answer")
        verbose_name_plural = _("remiss answers")

    def __str__(self) -> str:
        return f"{self.body}: {self.get_stance_display()}"


class Comment(models.Model):
    """A comment in an answer on one goal of the plan version or on one of its
    sections, with the coordinator's handling of it."""

    class Section(models.TextChoices):
        GOAL = "mal", _("goal")
        INTRODUCTION = "inledning", _("introduction")
        RESPONSIBILITIES = "ansvar", _("responsibilities")
        FOLLOW_UP = "uppfoljning", _("follow-up")
        OTHER = "ovrigt", _("other")

    class Handling(models.TextChoices):
        PENDING = "", _("not yet handled")
        TAKEN = "beaktad", _("taken into account")
        PARTLY = "delvis", _("partly taken into account")
        NOT_TAKEN = "ej_beaktad", _("not taken into account")

    # The sections, in the order the compilation shows them (goals come between).
    SECTIONS = [Section.INTRODUCTION, Section.RESPONSIBILITIES, Section.FOLLOW_UP, Section.OTHER]

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="remiss_comments", verbose_name=_("goal")
    )
    text = models.TextField(_("comment"))
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices, blank=True, default="")
    handling_text = models.TextField(
        _("handling text"), blank=True, help_text=_("The change made, or why no change was made.")
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("remiss comment")
        verbose_name_plural = _("remiss comments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(section="mal") & Q(goal__isnull=False)) | (~Q(section="mal") & Q(goal__isnull=True)),
                name="remisscomment_goal_iff_goal_section",
            ),
            # One comment per goal or section in an answer: the answer form has one box for each.
            models.UniqueConstraint(
                fields=["answer", "goal"], condition=Q(goal__isnull=False), name="remisscomment_goal_once"
            ),
            models.UniqueConstraint(
                fields=["answer", "section"], condition=~Q(section="mal"), name="remisscomment_section_once"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CommentChange(models.Model):
    """That a comment caused a change in a later version of the plan (docs/remiss.md):
    the version, and the goal changed, by its identity as versions are compared (a goal
    removed in that version: the removed goal's identity), or no goal for the plan's own
    texts (title, overall goal, description). remiss.services.comment_handle checks that
    the comparison shows such a change."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="changes")
    # A deleted (draft) version takes its links with it: the change is gone.
    version = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="remiss_changes", verbose_name=_("version")
    )
    goal_identity = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("change caused by a remiss comment")
        verbose_name_plural = _("changes caused by remiss comments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "version", "goal_identity"],
                condition=Q(goal_identity__isnull=False),
                name="remisschange_goal_once",
            ),
            models.UniqueConstraint(
                fields=["comment", "version"], condition=Q(goal_identity__isnull=True), name="remisschange_plan_once"
            ),
        ]
        # The compare page: the comments behind one version's changes.
        indexes = [models.Index(fields=["version", "goal_identity"], name="remisschange_version_goal")]

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.version_id}:{self.goal_identity or 'plan'}"

    @property
    def key(self) -> str:
        return change_key(self.goal_identity)


# The handling form's value for a change: a goal's identity, or the plan's own texts.
PLAN_TEXTS = "plan"


def change_key(identity) -> str:
    return f"goal:{identity}" if identity else PLAN_TEXTS


class ReminderSent(models.Model):
    """That a reminder of a kind went out to a body; never sent twice."""

    class Kind(models.TextChoices):
        BEFORE = "fore", _("before the deadline")
        AFTER = "efter", _("after the deadline")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "kind"], name="remissremindersent_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.body}: {self.kind}"


class CompilationPdf(models.Model):
    """The compilation as PDF, made by the worker (remiss.tasks.build_compilation_pdf):
    a city's remiss renders for many seconds, too long for a request (docs/remiss.md)."""

    class Status(models.TextChoices):
        WAITING = "vantar", _("being made")
        DONE = "klar", _("done")
        FAILED = "misslyckad", _("failed")

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="pdfs")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    pdf = models.FileField(upload_to="remiss/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.remiss}: PDF {self.requested_at:%Y-%m-%d %H:%M}"


class Underlag(models.Model):
    """The remissunderlag made from the plan version sent: a PDF and a Word file, made
    by the worker (remiss.tasks.build_underlag) when the remiss is sent or asked for
    again, and stored as the remiss's attachments (documents.Attachment), so the bodies
    read them where they read the other files. Only the newest finished pair is kept;
    a failed build saves no file and is shown on the remiss's page (docs/remiss.md)."""

    class Status(models.TextChoices):
        WAITING = "vantar", _("being made")
        DONE = "klar", _("done")
        FAILED = "misslyckad", _("failed")

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="underlag_builds")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    # The generated files; removable on the remiss's page while it is a draft (underlag_locked).
    pdf = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    docx = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("generated remissunderlag")
        verbose_name_plural = _("generated remissunderlag")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.remiss}: {self.get_status_display()} {self.requested_at:%Y-%m-%d %H:%M}"


def underlag_locked(remiss: Remiss, attachment) -> str:
    """The generated remissunderlag of a sent or closed remiss is what the bodies were
    sent: neither file of the pair may be removed (documents' ``locked`` rule)."""
    if remiss.is_draft:
        return ""
    # The generated files' ids, read once per remiss object (one query for a whole list).
    generated = getattr(remiss, "_generated_attachment_ids", None)
    if generated is None:
        pairs = Underlag.objects.filter(remiss=remiss).values_list("pdf_id", "docx_id")
        generated = {pk for pair in pairs for pk in pair if pk}
        remiss._generated_attachment_ids = generated
    if attachment.pk in generated:
        return _("The generated remissunderlag of a sent remiss cannot be removed: it is what the bodies were sent.")
    return ""
