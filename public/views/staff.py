"""The coordinator's page for the municipality's public site (/publikt/): is it
published and where, what is missing before it may be, its settings (contact
mailbox, languages, the accessibility statement's and privacy notice's parts)
and its own texts in Swedish. Every write goes through public.services, which
audits it. The site is always the signed-in coordinator's own municipality's:
no id in the URL, so no other municipality's site can be named."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.languages import BY_TAG
from lib.locking import CONFLICT, StaleEdit, stale_form
from opendata.dcat import missing_for_catalogue, site_url
from organisations.access import coordinator_required

from .. import services
from ..forms import SiteSettingsForm
from ..models import PublicSite
from ..swedish_texts import SwedishTextsForm, save_swedish_texts, site_text_fields, swedish_row


def _site(municipality) -> PublicSite:
    """The municipality's site as stored now (made on first use)."""
    services.site_for(municipality)
    return PublicSite.objects.prefetch_related("translations").get(municipality=municipality)


# What the open-data catalogue still needs, in the reader's words (opendata.dcat.missing_for_catalogue).
CATALOGUE_NEEDS = {
    "org_number": gettext_lazy("the organisation number (Settings)"),
    "contact_email": gettext_lazy("the contact mailbox"),
    "published_site": gettext_lazy("a published site"),
}


def _page(request, *, settings_form=None, texts_form=None, status=200):
    municipality = request.membership.municipality
    site = _site(municipality)
    row = swedish_row(site)
    if settings_form is None:
        settings_form = SiteSettingsForm(instance=site)
    if texts_form is None:
        texts_form = SwedishTextsForm(obj=site, fields=site_text_fields)
    start = reverse("public:start", kwargs={"kod": municipality.code})
    addresses = [
        {
            "name": BY_TAG[tag].name,
            "url": request.build_absolute_uri(
                reverse("public:start", kwargs={"kod": municipality.code, "lang": BY_TAG[tag].slug})
            ),
        }
        for tag in site.languages
        if tag in BY_TAG
    ]
    context = {
        "site": site,
        "address": request.build_absolute_uri(start),
        "addresses": addresses,
        "missing": site.missing_for_publishing(),
        "has_intro": bool(row and row.intro.strip()),
        "settings_form": settings_form,
        "texts_form": texts_form,
        "history": history_for(site),
        "catalogue_url": site_url() + reverse("opendata:dcat", kwargs={"kommunkod": municipality.code}),
        "catalogue_missing": [CATALOGUE_NEEDS[item] for item in missing_for_catalogue(municipality)],
    }
    return render(request, "public/staff/site.html", context, status=status)


@coordinator_required
@require_http_methods(["GET", "POST"])
def site(request):
    """The page, and its settings form (POST)."""
    if request.method != "POST":
        return _page(request)
    municipality = request.membership.municipality
    stored = _site(municipality)

    def build(data):
        # A copy of its own: a ModelForm puts the posted values on its instance.
        return SiteSettingsForm(data, instance=_site(municipality))

    form = build(request.POST)
    if not form.is_valid():
        return _page(request, settings_form=form, status=400)
    try:
        services.site_update(site=stored, by=request.user, data=form.site_data(), version=form.cleaned_data["version"])
    except StaleEdit:
        form = stale_form(build, request.POST, PublicSite.objects.get(pk=stored.pk).version)
        return _page(request, settings_form=form, status=CONFLICT)
    except ValidationError as error:
        # What the form could not see: e.g. the site was published since it checked.
        form.add_error(None, error)
        return _page(request, settings_form=form, status=400)
    messages.success(request, _("The settings of the public site were saved."))
    return redirect("public_staff:site")


@coordinator_required
@require_POST
def site_texts(request):
    """The site's own texts in Swedish (public.swedish_texts, as every object's public texts)."""
    municipality = request.membership.municipality
    form, status = save_swedish_texts(
        request, obj=_site(municipality), municipality=municipality, fields=site_text_fields
    )
    if status is not None:
        return _page(request, texts_form=form, status=status)
    messages.success(request, _("The texts of the public site were saved."))
    return redirect("public_staff:site")


@coordinator_required
@require_http_methods(["GET", "POST"])
def site_publish(request):
    municipality = request.membership.municipality
    if request.method == "GET":
        site = _site(municipality)
        if site.published:
            return redirect("public_staff:site")
        if missing := site.missing_for_publishing():
            messages.error(request, _("Fill in %(missing)s before publishing.") % {"missing": ", ".join(missing)})
            return redirect("public_staff:site")
        address = request.build_absolute_uri(reverse("public:start", kwargs={"kod": municipality.code}))
        names = [str(BY_TAG[tag].name) for tag in site.languages if tag in BY_TAG]
        return confirmation(
            request,
            title=_("Publish the public site?"),
            subject=municipality.name,
            what=_("Everyone can read the municipality's public pages at %(address)s.") % {"address": address},
            consequences=[
                _(
                    "The pages show what is marked public: the plan once it is on remiss or adopted, public "
                    "activities and progress notes, public indicators and events, published remisses, views, minutes "
                    "and inventory results."
                ),
                _("Internal activities, staff names and small counts are never shown."),
                _("Besides Swedish, the pages are offered in: %(languages)s.") % {"languages": ", ".join(names)}
                if names
                else "",
                _("The site can be unpublished again: its pages then answer “not found”."),
            ],
            irreversible=False,
            button=_("Yes, publish the site"),
            cancel_url=reverse("public_staff:site"),
        )
    try:
        services.site_publish(site=_site(municipality), by=request.user, published=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        address = request.build_absolute_uri(reverse("public:start", kwargs={"kod": municipality.code}))
        messages.success(request, _("The public site is published at %(address)s.") % {"address": address})
    return redirect("public_staff:site")


@coordinator_required
@require_POST
def site_unpublish(request):
    services.site_publish(site=_site(request.membership.municipality), by=request.user, published=False)
    messages.success(
        request,
        _("The public site is no longer published: its pages answer “not found” within a minute."),
    )
    return redirect("public_staff:site")
