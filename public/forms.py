"""Forms of the staff pages of the public site."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from lib.languages import REGISTRY, SWEDISH

from .models import PublicSite
from .services import SITE_FIELDS, translation_model


def language_choices() -> list[tuple[str, str]]:
    """Every registry language but Swedish, which every site has."""
    return [(language.tag, language.name) for language in REGISTRY if language.tag != SWEDISH]


class SiteSettingsForm(forms.ModelForm):
    """The coordinator's settings of the public site (public.services.SITE_FIELDS)."""

    languages = forms.MultipleChoiceField(
        label=_("Languages offered besides Swedish"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A language can be offered before its texts are written: readers then see the Swedish texts, "
            "marked as Swedish, with one line saying so."
        ),
        error_messages={"invalid_choice": _("Unknown language: %(value)s.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PublicSite
        fields = list(SITE_FIELDS)
        widgets = {"assessed_on": DateInput(), "statement_updated_on": DateInput()}
        help_texts = {
            "assessed_on": _("When the public pages were last checked against the accessibility requirements."),
            "statement_updated_on": _("When this accessibility statement was last reviewed or changed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()
        self.fields["languages"].initial = list(self.instance.languages or [])
        self.fields["version"].initial = self.instance.version

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data["languages"])
        return [tag for tag, _label in language_choices() if tag in chosen]  # in the registry's order

    def _not_in_the_future(self, name: str):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_assessed_on(self):
        return self._not_in_the_future("assessed_on")

    def clean_statement_updated_on(self):
        return self._not_in_the_future("statement_updated_on")

    def site_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in SITE_FIELDS}


SITE_TEXT_FIELDS = ("intro", "contact_text", "accessibility_gaps")


class SiteTextsForm(forms.Form):
    """The site's own texts in Swedish (translations are written per language
    on the translation pages). ``text_version`` is the Swedish row's version
    when the form was opened, 0 when there was none: the row has no ``version``
    field of its own (public.translation)."""

    correction = forms.BooleanField(
        label=_("A correction that does not change the meaning: keep the translations"),
        required=False,
        help_text=_(
            "Otherwise a changed Swedish text sends its translations back to “being translated”, "
            "and readers see the Swedish text until the translator has checked them."
        ),
    )
    text_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        model = translation_model(PublicSite)
        texts = {}
        for name in SITE_TEXT_FIELDS:
            field = model._meta.get_field(name).formfield(widget=forms.Textarea(attrs={"rows": 5}))
            field.required = False
            field.initial = getattr(row, name, "") if row else ""
            texts[name] = field
        # The texts first, then the correction box and the version.
        self.fields = {**texts, **self.fields}
        self.fields["text_version"].initial = row.text_version if row else 0

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in SITE_TEXT_FIELDS}
