"""The staff page Översättningar (docs/public-site.md §1.4, §1.5): per language,
how far the public texts are translated, the texts still to write, one text's
edit page with its review, and the translator's XLSX file out and back in.

Coordinators manage every text; a unit contact the texts of their units'
public activities and events. Readers and representatives have no part here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lib.languages import BY_SLUG, BY_TAG
from lib.locking import CONFLICT, STALE_MESSAGE, StaleEdit
from lib.xlsx import XlsxInvalid, xlsx_response
from organisations.access import member_required

from ..models import PublicSite
from ..services import PersonalDetails, SourceChanged, text_review, text_save
from ..translation import TextStatus
from ..translation_forms import ReviewForm, TranslationForm, TranslationImportForm
from ..translations import Scope, export_file, find_unit, import_file, overview, public_objects


def _scope(request) -> Scope:
    """Coordinators and unit contacts; readers and representatives are refused."""
    membership = request.membership
    if not (membership.is_coordinator or membership.is_contact):
        raise PermissionDenied
    return Scope.of(membership)


def _site(request) -> PublicSite | None:
    return PublicSite.objects.filter(municipality_id=request.membership.municipality_id).first()


def _offered_language(request, slug: str) -> str:
    """The tag of a language the municipality offers, from its URL slug; 404 otherwise."""
    site = _site(request)
    language = BY_SLUG.get(slug)
    if site is None or language is None or language.tag not in (site.languages or []):
        raise Http404
    return language.tag


def get_unit_for_user(request, slug: str, key: str):
    """One public text in one language: 404 for an unknown key, another
    municipality's object or a language not offered; 403 for a text the person
    does not manage."""
    scope = _scope(request)
    language = _offered_language(request, slug)
    unit = find_unit(request.membership.municipality, language, key)
    if unit is None:
        raise Http404
    if not scope.manages(unit.kind, unit.obj):
        raise PermissionDenied
    return unit, language


def _overview_url(slug: str) -> str:
    return f"{reverse('public_staff:translations')}?sprak={slug}"


@member_required
@require_safe
def translation_overview(request):
    scope = _scope(request)
    site = _site(request)
    tags = [tag for tag in (site.languages if site else []) if tag in BY_TAG]
    languages = overview(public_objects(request.membership.municipality, scope), tags)
    chosen = next((lang for lang in languages if lang.slug == request.GET.get("sprak")), None)
    # By default the first language with texts still to write.
    chosen = chosen or next((lang for lang in languages if lang.to_do), languages[0] if languages else None)
    context = {
        "languages": languages,
        "chosen": chosen,
        "is_coordinator": request.membership.is_coordinator,
        "user_id": request.user.pk,
    }
    return render(request, "public/staff/translations.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def translation_edit(request, lang, key):
    unit, language = get_unit_for_user(request, lang, key)
    municipality = request.membership.municipality
    status = 200
    reviewing = request.method == "POST" and "review" in request.POST
    if reviewing:
        review = ReviewForm(request.POST)
        if review.is_valid():
            try:
                text_review(
                    obj=unit.obj,
                    municipality=municipality,
                    language=language,
                    by=request.user,
                    version=review.cleaned_data["text_version"],
                )
            except StaleEdit:
                messages.error(request, STALE_MESSAGE)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The translation was marked reviewed."))
            return redirect("public_staff:translation", lang=lang, key=key)
    form = TranslationForm(None if reviewing else request.POST or None, unit=unit, language=language)
    if request.method == "POST" and not reviewing and form.is_valid():
        data = form.cleaned_data
        try:
            # A reviewed text saved unchanged stays reviewed (text_save).
            text_save(
                obj=unit.obj,
                municipality=municipality,
                language=language,
                texts={unit.field: data["text"]},
                by=request.user,
                status=data["status"],
                version=data["text_version"],
                source_digest=data["source_digest"],
            )
        except PersonalDetails as exc:
            form.add_error("text", exc.messages)
            status = 400
        except (StaleEdit, ValidationError) as exc:
            # The form again, with what was typed, the text as it is now and the
            # current version and digest: saving again is a deliberate choice.
            unit, language = get_unit_for_user(request, lang, key)
            again = request.POST.copy()
            again["text_version"] = str(unit.version)
            again["source_digest"] = unit.digest
            form = TranslationForm(again, unit=unit, language=language)
            form.is_valid()
            if isinstance(exc, StaleEdit):
                form.add_error(None, STALE_MESSAGE)
            elif isinstance(exc, SourceChanged):
                form.add_error(
                    None,
                    _(
                        "The Swedish text changed while you were translating; it is shown as it is now. "
                        "Check your translation against it and save again."
                    ),
                )
            else:  # e.g. the object's other texts are outdated too: say which
                form.add_error(None, exc.messages)
            status = CONFLICT
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(_overview_url(lang))
    context = {
        "unit": unit,
        "language": BY_TAG[language],
        "slug": lang,
        "form": form,
        "may_review": unit.state == TextStatus.DONE and unit.author_id != request.user.pk,
        "own_text": unit.state == TextStatus.DONE and unit.author_id == request.user.pk,
        "review_form": ReviewForm(initial={"text_version": unit.version}),
    }
    return render(request, "public/staff/translation_edit.html", context, status=status)


@member_required
@require_safe
def translation_export(request, lang):
    scope = _scope(request)
    language = _offered_language(request, lang)
    municipality = request.membership.municipality
    data = export_file(municipality, scope, language)
    return xlsx_response(data, f"oversattningar-{municipality.code}-{lang}.xlsx")


@member_required
@require_http_methods(["GET", "POST"])
def translation_import(request, lang):
    scope = _scope(request)
    language = _offered_language(request, lang)
    form = TranslationImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_file(
                form.cleaned_data["file"].read(),
                municipality=request.membership.municipality,
                language=language,
                scope=scope,
                by=request.user,
            )
        except XlsxInvalid as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "The file was imported: %(done)d translations saved as done, %(in_translation)d as being "
                    "translated; %(unchanged)d unchanged, %(skipped)d rows without a new translation."
                )
                % {
                    "done": summary.done,
                    "in_translation": summary.in_translation,
                    "unchanged": summary.unchanged,
                    "skipped": summary.skipped,
                },
            )
            return redirect(_overview_url(lang))
    context = {"form": form, "errors": errors, "language": BY_TAG[language], "slug": lang}
    status = 400 if errors or form.errors else 200
    return render(request, "public/staff/translation_import.html", context, status=status)
