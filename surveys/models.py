"""Surveys for needs inventories (behovsinventering), anonymous by construction.

A response row holds the survey, a random identifier, the language, how it was
given (web, paper, interview) and the date (or the Monday of the week) — never
a user, an IP address, a user agent, a session or a time of day. Identifiers
are random UUIDs, so their order says nothing about who answered when.
"""

import secrets
import uuid
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, OrgUnit

# Languages a survey can be written in. Swedish is required; the Romani
# varieties are named by their ISO 639-3 codes.
LANGUAGES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("fi", "Suomi"),
    ("rmn", "Romani (arli)"),
    ("rmy", "Romani (kalderash/lovara)"),
    ("rmf", "Romani (kaale)"),
    ("rmu", "Romani (resande)"),
]
LANGUAGE_NAMES = dict(LANGUAGES)
DEFAULT_AGE_GROUPS = ["under 18", "18–30", "31–50", "51+"]


def new_token() -> str:
    """The survey's short public link: random, unguessable, easy to type."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "utkast", _("draft")
        OPEN = "oppen", _("open")
        CLOSED = "stangd", _("closed")
        # The results are fixed: no answer can be added, the tables are frozen in ``release``.
        FINALISED = "faststalld", _("finalised")

    class DateDetail(models.TextChoices):
        DAY = "dag", _("the day")
        WEEK = "vecka", _("the week")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="surveys")
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys", verbose_name=_("unit")
    )
    name = models.CharField(_("internal name"), max_length=200)
    inventory = models.ForeignKey(
        "inventories.Inventory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("needs inventory"),
    )
    token = models.CharField(max_length=16, unique=True, default=new_token, editable=False)
    languages = models.JSONField(_("languages"), default=list)
    # {language: {"title": ..., "intro": ...}}; Swedish is required.
    texts = models.JSONField(default=dict)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    date_detail = models.CharField(
        _("date kept with an answer"), max_length=10, choices=DateDetail.choices, default=DateDetail.DAY
    )
    results_published = models.BooleanField(_("results published"), default=False)
    version_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="versions",
        verbose_name=_("new version of"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finalised_on = models.DateField(_("results finalised on"), null=True, blank=True, editable=False)
    # The protected result tables, frozen when the results were finalised
    # (surveys.release): option values and counts, never display text.
    release = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def text(self, language: str, key: str) -> str:
        return (self.texts.get(language) or {}).get(key) or (self.texts.get("sv") or {}).get(key, "")

    def is_answerable(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= on <= self.closes_on

    @property
    def is_finalised(self) -> bool:
        """The results are fixed (fastställda): no answer can be added any more,
        and the protected tables are frozen in ``release``. Until then nobody
        sees result tables, only the number of answers: tables that moved with
        each answer would let anyone compare two moments and see one answer."""
        return self.status == self.Status.FINALISED and self.release is not None

    @property
    def accepts_entries(self) -> bool:
        """Paper and interview answers can be typed in while the survey is open or
        closed, never once its results are finalised."""
        return self.status in (self.Status.OPEN, self.Status.CLOSED)

    def results_are_public(self) -> bool:
        """Published results are shown once they are finalised. A survey in an
        inventory is published through the inventory only: tables of the same
        answers protected apart could be played against each other."""
        return self.results_published and self.inventory_id is None and self.is_finalised

    def answer_date(self, on: date) -> date:
        """The date kept with an answer: the day, or the Monday of its week."""
        if self.date_detail == self.DateDetail.WEEK:
            return on - timedelta(days=on.weekday())
        return on


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        TEXT = "text", _("free text")
        AGE = "age", _("age group")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=False)
    # {language: text}
    texts = models.JSONField(default=dict)
    # [{"value": "o1", "texts": {language: label}}], for choices and age groups.
    options = models.JSONField(default=list, blank=True)
    allow_other = models.BooleanField(_("with “other”"), default=False)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    show_if = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("show only if")
    )
    show_if_value = models.CharField(_("has the answer"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="question_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.text("sv")

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts.get("sv", "")

    def option_labels(self, language: str) -> list[tuple[str, str]]:
        return [(o["value"], o["texts"].get(language) or o["texts"].get("sv", o["value"])) for o in self.options]


class Response(models.Model):
    """One anonymous response. Deliberately without user, IP, user agent, session or time of day."""

    class Source(models.TextChoices):
        WEB = "webb", _("web")
        PAPER = "papper", _("paper form")
        INTERVIEW = "intervju", _("interview")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(max_length=5)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    answered_on = models.DateField()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # The option value, a list of values, a number, or text; "other" text under {"other": ...}.
    value = models.JSONField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        # Never the value: a label that reached a log or an audit row would carry what someone wrote.
        return f"{self.response_id}: {self.question_id}"
