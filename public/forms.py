"""Forms of the staff pages of the public site."""

from __future__ import annotations

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from lib.languages import REGISTRY, SWEDISH

from .models import PublicSite
from .services import SITE_FIELDS


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

    def clean(self):
        """A published site keeps what it needs to stay published
        (PublicSite.missing_for_publishing): the message stands at each field
        that would take away something it needs (public.services.site_update
        refuses the same)."""
        data = super().clean()
        site = self.instance
        if not site.published:
            return data
        would_be = copy.copy(site)
        for name in SITE_FIELDS:
            if name in data:
                setattr(would_be, name, data[name])
        missing = would_be.missing_for_publishing()
        if not missing:
            return data
        for name in SITE_FIELDS:
            if name not in data or data[name] == getattr(site, name):
                continue
            kept = copy.copy(would_be)
            setattr(kept, name, getattr(site, name))
            if needed := [item for item in missing if item not in kept.missing_for_publishing()]:
                self.add_error(
                    name,
                    gettext("A published site needs %(missing)s. Unpublish it first.") % {"missing": ", ".join(needed)},
                )
        return data

    def site_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in SITE_FIELDS}
