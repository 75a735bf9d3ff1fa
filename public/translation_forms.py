"""Forms of the Översättningar pages (public.views.translations)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from lib.forms import XlsxUploadForm

from .translation import TextStatus
from .translations import Unit, clean

# A translator marks a text done or still being translated; "reviewed" is a
# separate act, by someone else (the review button).
EDITABLE_STATUSES = [
    (TextStatus.DONE.value, _("Done: show it on the public pages")),
    (TextStatus.IN_TRANSLATION.value, _("Being translated: keep showing the Swedish text")),
]


class TranslationForm(forms.Form):
    text = forms.CharField(label=_("Translation"), widget=forms.Textarea(attrs={"rows": 6}))
    status = forms.ChoiceField(label=_("Status"), choices=EDITABLE_STATUSES)
    # The language row's version (optimistic locking) and the digest of the Swedish
    # text the translator saw: saved only if neither has moved on.
    text_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    source_digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, unit: Unit, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        text = self.fields["text"]
        text.initial = unit.text
        text.widget.attrs["lang"] = language
        if unit.max_length:
            text.max_length = unit.max_length
            text.widget.attrs["maxlength"] = str(unit.max_length)
            text.validators.append(MaxLengthValidator(unit.max_length))
            text.widget.attrs["rows"] = 2
        status = self.fields["status"]
        status.initial = unit.state if unit.state == TextStatus.IN_TRANSLATION else TextStatus.DONE.value
        if unit.shares_status_with:
            # One status per object and language (docs/public-site.md §1.5): said where it is chosen.
            status.help_text = _(
                "The status applies to all texts of this object in this language, also: %(fields)s. "
                "Marked as being translated, none of them is shown on the public pages."
            ) % {"fields": ", ".join(unit.shares_status_with)}
        self.fields["text_version"].initial = unit.version
        self.fields["source_digest"].initial = unit.digest

    def clean_text(self) -> str:
        return clean(self.cleaned_data["text"])


class ReviewForm(forms.Form):
    text_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TranslationImportForm(XlsxUploadForm):
    file = forms.FileField(
        label=_("Translated file (.xlsx)"),
        help_text=_("The file exported for this language, with the new translations filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
