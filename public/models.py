"""The public site of a municipality: what residents and the minority read
without an account (docs/public-site.md). Nothing is public because it exists:
the site is published by a coordinator, and each object by its own flag."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin

from lib.languages import BY_TAG, SWEDISH
from organisations.models import Municipality

from .translation import public_texts


def validate_languages(value) -> None:
    if not isinstance(value, list) or any(not isinstance(tag, str) for tag in value):
        raise ValidationError(_("A list of language tags."))
    unknown = [tag for tag in value if tag not in BY_TAG or tag == SWEDISH]
    if unknown:
        raise ValidationError(_("Unknown language: %(tags)s.") % {"tags": ", ".join(unknown)})


class PublicSite(TranslatableModelMixin, models.Model):
    """One per municipality: whether its public pages are published, the
    languages it offers besides Swedish, the contact mailbox and the parts of the
    accessibility statement and privacy notice only the municipality can write."""

    class Compliance(models.TextChoices):
        FULL = "helt", _("fully compliant")
        PARTIAL = "delvis", _("partially compliant")
        NONE = "inte", _("not compliant")

    class Method(models.TextChoices):
        SELF = "egen", _("our own assessment")
        THIRD_PARTY = "extern", _("an assessment by a third party")

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="public_site")
    published = models.BooleanField(_("published"), default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_email = models.EmailField(
        _("contact mailbox"),
        blank=True,
        help_text=_("A functional mailbox, e.g. minoritet@kommun.se: not a person's address."),
    )
    languages = models.JSONField(
        _("languages offered besides Swedish"), default=list, blank=True, validators=[validate_languages]
    )
    # The accessibility statement (DOS-lagen, Digg's model): the municipality's parts.
    compliance = models.CharField(
        _("compliance with the accessibility requirements"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessment_method = models.CharField(
        _("assessment method"), max_length=10, choices=Method.choices, default=Method.SELF
    )
    statement_updated_on = models.DateField(_("statement last updated"), null=True, blank=True)
    # The privacy notice: the data controller and its data protection officer.
    data_controller = models.CharField(
        _("data controller"),
        max_length=200,
        blank=True,
        help_text=_("The committee responsible for personal data, e.g. Kommunstyrelsen."),
    )
    dpo_email = models.EmailField(_("data protection officer's mailbox"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    translations = public_texts(
        intro=models.TextField(
            _("introduction"), blank=True, help_text=_("What the municipality does for Roma inclusion.")
        ),
        contact_text=models.TextField(_("how to contact us"), blank=True),
        accessibility_gaps=models.TextField(
            _("known accessibility gaps"), blank=True, help_text=_("What is not accessible yet, and why.")
        ),
        language_name=models.CharField(
            _("the language's own name"), max_length=100, blank=True, help_text=_("Not needed in Swedish.")
        ),
        fallback_note=models.CharField(
            _("note on texts shown in Swedish"),
            max_length=300,
            blank=True,
            help_text=_("E.g. “Texts missing in this language are shown in Swedish.” Not needed in Swedish."),
        ),
    )

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")

    def __str__(self) -> str:
        return str(self.municipality)

    def missing_for_publishing(self) -> list[str]:
        """What must be filled in before the site may be published (DOS-lagen:
        a public site has an accessibility statement and a way to report a
        problem). Empty when it may be published."""
        missing = []
        if not self.contact_email:
            missing.append(str(_("the contact mailbox")))
        if not self.assessed_on:
            missing.append(str(_("the date of the accessibility assessment")))
        if not self.statement_updated_on:
            missing.append(str(_("the date the accessibility statement was last updated")))
        if not self.data_controller:
            missing.append(str(_("the data controller")))
        return missing


class RightsSection(TranslatableModelMixin, models.Model):
    """A section of the rights information the municipality writes (the right
    to information, to samråd, to language and culture…)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="rights_sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    translations = public_texts(
        heading=models.CharField(_("heading"), max_length=200, blank=True),
        text=models.TextField(_("text"), blank=True),
    )

    class Meta:
        verbose_name = _("rights section")
        verbose_name_plural = _("rights sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.position}"
