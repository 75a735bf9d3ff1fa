"""Editing an object's Swedish public texts on its staff pages (a plan's or a
goal's plain summary, an activity's public title and description, a rights
section, the public site's own texts): one form, saved through
public.services.text_save with the Swedish row's version (optimistic
locking), the form again with the message when someone else saved in between.
A text that looks like it holds personal details is refused on its field."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.languages import SWEDISH
from lib.locking import CONFLICT, STALE_MESSAGE, StaleEdit

from .services import PersonalDetails, personal_details_problems, text_save, translation_model


def swedish_row(obj):
    """The object's Swedish translation row, or None: from the rows prefetched
    with ``prefetch_related("translations")``, else one query. An object not
    saved yet has none."""
    if obj.pk is None:
        return None
    return next((row for row in obj.translations.all() if row.language_code == SWEDISH), None)


class SwedishTextsForm(forms.Form):
    """The text fields (``fields``: a function giving them by name; a field is
    optional unless it says otherwise), the correction box when there is a
    translation to keep, and the Swedish row's version."""

    correction = forms.BooleanField(
        label=gettext_lazy("A correction that does not change the meaning: keep the translations"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise a changed Swedish text sends its translations back to “being translated”, "
            "and readers see the Swedish text until the translator has checked them."
        ),
    )
    # The Swedish row's version the editor saw (0: there was none). Not named
    # "version": that is the object's own lock, which this form does not move.
    text_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, obj, fields, municipality=None, **kwargs):
        """``municipality``: the object's, for the check for personal details
        (a form only shown needs none)."""
        super().__init__(*args, **kwargs)
        rows = list(obj.translations.all()) if obj.pk else []
        row = next((r for r in rows if r.language_code == SWEDISH), None)
        texts = {}
        for name, field in fields().items():
            field.initial = getattr(row, name, "") if row else ""
            field.widget.attrs.setdefault("lang", SWEDISH)
            texts[name] = field
        if not any(r.language_code != SWEDISH for r in rows):
            del self.fields["correction"]  # no translation to keep
        self.fields = {**texts, **self.fields}  # the texts first
        self.fields["text_version"].initial = row.text_version if row else 0
        self.text_names = list(texts)
        self.obj, self.municipality, self.row = obj, municipality, row

    def clean(self):
        """Each changed text checked for personal details on its own, so the
        message stands at the field (public.services.text_save checks the same)."""
        data = super().clean()
        if self.municipality is None:
            return data
        for name in self.text_names:
            text = data.get(name) or ""
            if text == (getattr(self.row, name, "") if self.row else ""):
                continue  # unchanged: text_save does not check it either
            if found := personal_details_problems(self.obj, self.municipality, {name: text}):
                self.add_error(
                    name, _("The text seems to contain personal details: %(found)s.") % {"found": "; ".join(found)}
                )
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.text_names}


def plain_summary_fields() -> dict[str, forms.Field]:
    return {
        "plain_summary": forms.CharField(
            label=_("Plain-language summary (public)"),
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
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
            required=False,
            help_text=_("Shown on the public site when the activity is public. Empty: the activity's title."),
        ),
        "public_text": forms.CharField(
            label=_("Public description (Swedish)"),
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
            help_text=_("What residents should know about the activity, in plain words. No names of individuals."),
        ),
    }


def site_text_fields() -> dict[str, forms.Field]:
    """The public site's own texts (the translations are written per language on the translation pages)."""
    from .models import PublicSite

    model = translation_model(PublicSite)
    return {
        name: model._meta.get_field(name).formfield(widget=forms.Textarea(attrs={"rows": 5}), required=False)
        for name in ("intro", "contact_text", "accessibility_gaps")
    }


def save_swedish_texts(request, *, obj, municipality, fields) -> tuple[SwedishTextsForm, int | None]:
    """Save the posted Swedish texts of ``obj`` (fetched with its translations).
    Returns the form and None when done (``form.saved``: whether a text was
    written; an empty form where no text exists yet writes none), or the form
    with its errors and the page's status: 400, or 409 when someone else saved
    in between (the form then carries the current version: saving again is a
    deliberate choice)."""
    form = SwedishTextsForm(request.POST, obj=obj, fields=fields, municipality=municipality)
    form.saved = False
    if not form.is_valid():
        return form, 400
    texts = form.texts()
    if form.row is None and not any(texts.values()):
        return form, None
    try:
        text_save(
            obj=obj,
            municipality=municipality,
            language=SWEDISH,
            texts=texts,
            by=request.user,
            version=form.cleaned_data["text_version"],
            correction=form.cleaned_data.get("correction", False),
        )
    except PersonalDetails as exc:  # e.g. a name that became one not to publish since the form's check
        form.add_error(None, exc.messages)
        return form, 400
    except StaleEdit:
        current = type(obj).objects.prefetch_related("translations").get(pk=obj.pk)
        row = swedish_row(current)
        data = request.POST.copy()
        data["text_version"] = str(row.text_version if row else 0)
        form = SwedishTextsForm(data, obj=current, fields=fields, municipality=municipality)
        form.is_valid()
        form.add_error(None, STALE_MESSAGE)
        return form, CONFLICT
    form.saved = True
    return form, None


def edit_swedish_texts(
    request, *, obj, municipality, fields, template: str, context: dict, done_url: str, saved_message=None
):
    """The edit page (GET) and the save (POST) of ``obj``'s Swedish public texts
    (``fields``: a function giving the form fields by name)."""
    if request.method != "POST":
        form = SwedishTextsForm(obj=obj, fields=fields, municipality=municipality)
        return render(request, template, {**context, "form": form})
    form, status = save_swedish_texts(request, obj=obj, municipality=municipality, fields=fields)
    if status is None:
        if form.saved:
            messages.success(request, saved_message or _("The public text was saved."))
        return redirect(done_url)
    return render(request, template, {**context, "form": form}, status=status)
