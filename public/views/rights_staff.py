"""Staff pages of the rights information: coordinators write the sections
(Swedish; translations on the translation pages), put them in order and
delete them. The texts are written as every object's Swedish public texts
(public.swedish_texts). The public page is public.views.rights."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lib.languages import SWEDISH
from organisations.access import coordinator_required, membership_of

from .. import services
from ..models import PublicSite, RightsSection
from ..swedish_texts import SwedishTextsForm, edit_swedish_texts, swedish_row
from ..texts import rows


def rights_text_fields() -> dict[str, forms.Field]:
    return {
        "heading": forms.CharField(
            label=gettext_lazy("Heading"),
            max_length=200,
            error_messages={"required": gettext_lazy("Give the section a heading.")},
        ),
        "text": forms.CharField(
            label=gettext_lazy("Text"),
            widget=forms.Textarea(attrs={"rows": 10}),
            help_text=gettext_lazy("Plain text; a blank line starts a new paragraph."),
            error_messages={"required": gettext_lazy("Write the section's text.")},
        ),
    }


def get_rights_section_for_user(user, pk) -> RightsSection:
    """A section of the user's municipality (404 otherwise); the views are the coordinator's."""
    membership = membership_of(user)
    return get_object_or_404(
        RightsSection.objects.prefetch_related("translations"), pk=pk, municipality_id=membership.municipality_id
    )


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
    municipality = request.membership.municipality
    new = RightsSection(municipality=municipality)
    form = SwedishTextsForm(request.POST or None, obj=new, fields=rights_text_fields, municipality=municipality)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rights_section_create(
                    municipality=municipality,
                    by=request.user,
                    heading=form.cleaned_data["heading"],
                    text=form.cleaned_data["text"],
                )
            except services.PersonalDetails as exc:  # e.g. a name that became one not to publish since the check
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The section was added."))
                return redirect("public_staff:rights")
    return render(request, "public/staff/rights_form.html", {"form": form}, status=status)


@coordinator_required
@require_http_methods(["GET", "POST"])
def rights_edit(request, pk):
    section = get_rights_section_for_user(request.user, pk)
    return edit_swedish_texts(
        request,
        obj=section,
        municipality=request.membership.municipality,
        fields=rights_text_fields,
        template="public/staff/rights_form.html",
        context={"section": section},
        done_url=reverse("public_staff:rights"),
        saved_message=_("The section was saved."),
    )


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
    sv = swedish_row(section)
    heading = sv.heading if sv else ""
    if request.method == "POST":
        services.rights_section_delete(section=section, by=request.user)
        messages.success(request, _("The section “%(heading)s” was deleted.") % {"heading": heading})
        return redirect("public_staff:rights")
    return render(request, "public/staff/rights_confirm_delete.html", {"section": section, "heading": heading})
