"""Editing an object's Swedish public texts on its staff page (a plan's or a
goal's plain summary, an activity's public title and description): a small
form, saved through public.services.text_save with the Swedish row's version
(optimistic locking), the form again with the message when someone else saved
in between."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.languages import SWEDISH
from lib.locking import CONFLICT, STALE_MESSAGE, StaleEdit

from .services import text_save


def swedish_row(obj):
    """The object's Swedish translation row, or None (one query unless prefetched)."""
    return next((row for row in obj.translations.all() if row.language_code == SWEDISH), None)


class SwedishTextsForm(forms.Form):
    # The Swedish row's version the editor saw (0: there was none). Not named
    # "version": that is the object's own lock, which this form does not move.
    text_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, obj, fields, **kwargs):
        """``fields``: a function giving the text fields by name."""
        super().__init__(*args, **kwargs)
        row = swedish_row(obj)
        self.fields["text_version"].initial = row.text_version if row else 0
        for name, field in fields().items():
            field.initial = getattr(row, name, "") if row else ""
            field.required = False
            field.widget.attrs.setdefault("lang", SWEDISH)
            self.fields[name] = field
        self.text_names = [name for name in self.fields if name != "text_version"]
        self.row = row

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.text_names}


def plain_summary_fields() -> dict[str, forms.Field]:
    return {
        "plain_summary": forms.CharField(
            label=_("Plain-language summary (public)"),
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_(
                "In Swedish, in plain words, for residents: shown on the public site once the plan is published. "
                "Translations are made from it."
            ),
        )
    }


def activity_text_fields() -> dict[str, forms.Field]:
    return {
        "public_title": forms.CharField(
            label=_("Public title (Swedish)"),
            max_length=300,
            help_text=_("Shown on the public site when the activity is public. Empty: the activity's title."),
        ),
        "public_text": forms.CharField(
            label=_("Public description (Swedish)"),
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("What residents should know about the activity, in plain words. No names of individuals."),
        ),
    }


def edit_swedish_texts(request, *, obj, municipality, fields, template: str, context: dict, done_url: str):
    """The edit page (GET) and the save (POST) of ``obj``'s Swedish public texts
    (``fields``: a function giving the form fields by name)."""
    form = SwedishTextsForm(request.POST or None, obj=obj, fields=fields)
    status = 200
    if request.method == "POST" and form.is_valid():
        texts = form.texts()
        if form.row is None and not any(texts.values()):
            return redirect(done_url)  # nothing written, nothing to save
        try:
            text_save(
                obj=obj,
                municipality=municipality,
                language=SWEDISH,
                texts=texts,
                by=request.user,
                version=form.cleaned_data["text_version"],
            )
        except StaleEdit:
            current = swedish_row(type(obj).objects.prefetch_related("translations").get(pk=obj.pk))
            data = request.POST.copy()
            data["text_version"] = str(current.text_version if current else 0)
            form = SwedishTextsForm(data, obj=obj, fields=fields)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
            status = CONFLICT
        else:
            messages.success(request, _("The public text was saved."))
            return redirect(done_url)
    return render(request, template, {**context, "form": form}, status=status)
