"""Staff pages of the rights information: coordinators write the sections
(Swedish; translations on the translation pages), put them in order and
delete them. The public page is public.views.rights."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lib.languages import SWEDISH
from lib.locking import CONFLICT, STALE_MESSAGE, StaleEdit
from organisations.access import coordinator_required, membership_of

from .. import services
from ..models import PublicSite, RightsSection
from ..texts import rows


class RightsSectionForm(forms.Form):
    heading = forms.CharField(
        label=gettext_lazy("Heading"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the section a heading.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Plain text; a blank line starts a new paragraph."),
        error_messages={"required": gettext_lazy("Write the section's text.")},
    )
    # The Swedish text's version when the form was opened (0: no text yet).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def get_rights_section_for_user(user, pk) -> RightsSection:
    """A section of the user's municipality (404 otherwise); the views are the coordinator's."""
    membership = membership_of(user)
    return get_object_or_404(
        RightsSection.objects.prefetch_related("translations"), pk=pk, municipality_id=membership.municipality_id
    )


def _swedish(section: RightsSection):
    return rows(section).get(SWEDISH)


@coordinator_required
def rights_list(request):
    municipality = request.membership.municipality
    sections = list(RightsSection.objects.filter(municipality=municipality).prefetch_related("translations"))
    listed = []
    for section in sections:
        by_language = rows(section)
        sv = by_language.get(SWEDISH)
        listed.append(
            {
                "section": section,
                "heading": sv.heading if sv else "",
                "text": sv.text if sv else "",
                "languages": sorted(tag for tag in by_language if tag != SWEDISH),
            }
        )
    site = PublicSite.objects.filter(municipality=municipality, published=True).first()
    context = {
        "sections": listed,
        "public_url": reverse("public:rights", kwargs={"kod": municipality.code}) if site else "",
    }
    return render(request, "public/staff/rights_list.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def rights_create(request):
    form = RightsSectionForm(request.POST or None, initial={"version": 0})
    if request.method == "POST" and form.is_valid():
        services.rights_section_create(
            municipality=request.membership.municipality,
            by=request.user,
            heading=form.cleaned_data["heading"],
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("The section was added."))
        return redirect("public_staff:rights")
    return render(request, "public/staff/rights_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def rights_edit(request, pk):
    section = get_rights_section_for_user(request.user, pk)
    sv = _swedish(section)
    initial = {
        "heading": sv.heading if sv else "",
        "text": sv.text if sv else "",
        "version": sv.text_version if sv else 0,
    }
    form = RightsSectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_section_update(
                section=section,
                by=request.user,
                heading=form.cleaned_data["heading"],
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"] or 0,
            )
        except StaleEdit:
            current = section.translations.model.objects.filter(master=section, language_code=SWEDISH).first()
            data = request.POST.copy()
            data["version"] = str(current.text_version if current else 0)
            form = RightsSectionForm(data)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
            status = CONFLICT
        else:
            messages.success(request, _("The section was saved."))
            return redirect("public_staff:rights")
    return render(request, "public/staff/rights_form.html", {"form": form, "section": section}, status=status)


@coordinator_required
@require_POST
def rights_move(request, pk):
    section = get_rights_section_for_user(request.user, pk)
    services.rights_section_move(section=section, by=request.user, up=request.POST.get("direction") == "up")
    return redirect("public_staff:rights")


@coordinator_required
@require_http_methods(["GET", "POST"])
def rights_delete(request, pk):
    section = get_rights_section_for_user(request.user, pk)
    sv = _swedish(section)
    heading = sv.heading if sv else ""
    if request.method == "POST":
        services.rights_section_delete(section=section, by=request.user)
        messages.success(request, _("The section “%(heading)s” was deleted.") % {"heading": heading})
        return redirect("public_staff:rights")
    return render(request, "public/staff/rights_confirm_delete.html", {"section": section, "heading": heading})
