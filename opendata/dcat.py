"""The municipality's DCAT-AP-SE catalogue, for Sweden's data portal
(docs/public-site.md §4, docs/open-data.md).

``/api/v1/kommuner/<kod>/dcat.rdf`` describes, in RDF/XML (the only syntax the
portal harvests), every open-data dataset the municipality publishes: one
``dcat:Dataset`` per dataset of the API (opendata.urls.DATASETS, so a new
dataset is described as soon as it exists), each with its JSON and CSV
distributions (and the iCalendar feed for events), and the API itself as a
``dcat:DataService``.

The portal's harvesting rules (DCAT-AP-SE ``docs/harvesting.md``):
- every IRI absolute: built from ``settings.SITE_URL``, never from the
  request's Host header, so the identifiers stay the same however the file is
  fetched;
- no blank nodes for the catalogue, datasets, distributions, publisher or
  contact point: each has an IRI under the catalogue's address;
- the publisher is ``http://dataportal.se/organisation/SE<orgnr>``, the
  address the portal merges publishers on;
- CC0 written exactly ``http://creativecommons.org/publicdomain/zero/1.0/``;
- ``dcterms:identifier`` a UUID (version 5 of the dataset's IRI): stable.

The catalogue exists (else 404) once the municipality has an organisation
number and a published public site with a contact mailbox: the publisher and
the contact point cannot be made up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from organisations.models import Municipality

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
PUBLIC_ACCESS = URIRef(f"{EU}access-right/PUBLIC")
SWEDISH = URIRef(f"{EU}language/SWE")
THEMES = URIRef(f"{EU}data-theme")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPE_CSV = "text/csv"
MEDIA_TYPE_JSON = "application/json"
MEDIA_TYPE_ICS = "text/calendar"
CONTENT_TYPE = "application/rdf+xml; charset=utf-8"


def theme(code: str) -> URIRef:
    return URIRef(f"{EU}data-theme/{code}")


@dataclass(frozen=True)
class About:
    """A dataset as the catalogue describes it, in Swedish and English (the
    catalogue carries both, whatever language the asker's browser chose)."""

    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...] = ("GOVE", "SOCI")


# By the dataset's path segment (opendata.urls.DATASETS). A dataset not listed
# here is still described, with its segment as title (and a test fails).
ABOUT = {
    "planer": About(
        "Handlingsplaner för romsk inkludering",
        "Action plans for Roma inclusion",
        "Kommunens handlingsplaner för romsk inkludering: antagna, ersatta och förslag på remiss.",
        "The municipality's action plans for Roma inclusion: adopted, replaced and proposals out for consultation.",
        ("romsk inkludering", "nationella minoriteter", "handlingsplan"),
    ),
    "mal": About(
        "Mål i handlingsplaner för romsk inkludering",
        "Goals of the action plans for Roma inclusion",
        "Målen i kommunens antagna, ersatta och remitterade handlingsplaner, nivå för nivå, med ansvariga nämnder och "
        "den nationella strategins rättighetsområden.",
        "The goals of the municipality's adopted, replaced and proposed plans, level by level, with the responsible "
        "committees and the national strategy's rights areas.",
        ("romsk inkludering", "mål", "nationella minoriteter"),
    ),
    "aktiviteter": About(
        "Aktiviteter för romsk inkludering",
        "Activities for Roma inclusion",
        "De aktiviteter kommunen har gjort publika, med status och de mål de bidrar till.",
        "The activities the municipality has made public, with their status and the goals they serve.",
        ("romsk inkludering", "aktiviteter", "nationella minoriteter"),
    ),
    "indikatorer": About(
        "Indikatorer för romsk inkludering",
        "Indicators for Roma inclusion",
        "Indikatorer med utgångsvärde, målvärden och mätningar.",
        "Indicators with baseline, targets and measurements.",
        ("romsk inkludering", "indikatorer", "uppföljning"),
    ),
    "samrad": About(
        "Samråd med nationella minoriteter: nyckeltal",
        "Consultations with national minorities: figures",
        "Per år och nämnd: hållna samråd och andelen synpunkter som fått återkoppling i tid. Aldrig vem som deltog.",
        "Per year and committee: consultations held and the share of views given feedback in time. Never who "
        "took part.",
        ("samråd", "nationella minoriteter", "återkoppling"),
    ),
    "enkatresultat": About(
        "Resultat av enkäter och behovsinventeringar",
        "Results of surveys and needs inventories",
        "Publicerade resultat av avslutade enkäter och behovsinventeringar, som tabeller där små antal är dolda.",
        "The published results of closed surveys and needs inventories, as tables with small counts hidden.",
        ("behovsinventering", "enkät", "romsk inkludering"),
    ),
    "evenemang": About(
        "Evenemang för romsk inkludering",
        "Events for Roma inclusion",
        "Kommunens publika evenemang, till exempel romernas nationaldag den 8 april och kulturkvällar: tid, plats, "
        "tillgänglighet och antal deltagare där små antal är dolda.",
        "The municipality's public events, such as the Roma National Day on 8 April and cultural evenings: time, "
        "place, accessibility and participant counts with small counts hidden.",
        ("evenemang", "romsk kultur", "8 april", "nationella minoriteter"),
        ("GOVE", "SOCI", "EDUC"),
    ),
    "aterkoppling": About(
        "Återkoppling på synpunkter från samråd",
        "Feedback on views from consultations",
        "Synpunkter från samråd som kommunen har publicerat, med beslutet de gällde och kommunens återkoppling.",
        "Views from consultations the municipality has published, with the decision they concerned and the "
        "municipality's feedback.",
        ("samråd", "återkoppling", "nationella minoriteter"),
    ),
    "remisser": About(
        "Remisser av handlingsplaner för romsk inkludering",
        "Remisses of the action plans for Roma inclusion",
        "Remisser som kommunen har publicerat: planförslag som skickats till nämnder och organisationer, vilka som "
        "tillfrågades och vad de svarade. En extern organisation som inte har godkänt publicering namnges inte.",
        "The remisses the municipality has published: plan proposals sent to committees and organisations, who "
        "was asked and what they answered. An external organisation that has not agreed to publication is not "
        "named.",
        ("remiss", "handlingsplan", "romsk inkludering"),
    ),
    "remissynpunkter": About(
        "Remissynpunkter och hur de hanterades",
        "Remiss comments and how they were handled",
        "De publicerade synpunkterna i remissvaren, per mål eller avsnitt i planen, och om kommunen beaktade dem, "
        "delvis beaktade dem eller inte, med motivering.",
        "The published comments of the remiss answers, per goal or section of the plan, and whether the "
        "municipality took them into account, partly or not, and why.",
        ("remiss", "remissynpunkter", "romsk inkludering"),
    ),
}
# Datasets described only when the municipality publishes them (a Municipality field).
OPT_IN = {"samrad": "open_consultation_figures"}


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute(path: str) -> URIRef:
    return URIRef(site_url() + path)


def publisher_uri(municipality: Municipality) -> URIRef:
    return URIRef(f"http://dataportal.se/organisation/SE{municipality.org_number}")


def dataset_identifier(uri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, uri))


def missing_for_catalogue(municipality: Municipality) -> list[str]:
    """What the catalogue still needs (empty: it is published)."""
    from public.models import PublicSite

    site = PublicSite.objects.filter(municipality=municipality).first()
    missing = []
    if not municipality.org_number:
        missing.append("org_number")
    if site is None or not site.contact_email:
        missing.append("contact_email")
    if site is None or not site.published:
        missing.append("published_site")
    return missing


def datasets(municipality: Municipality) -> list[tuple[str, str]]:
    """(segment, URL name) of every dataset the municipality publishes."""
    from .urls import DATASETS

    return [
        (segment, name)
        for segment, name, _json, _csv in DATASETS
        if segment not in OPT_IN or getattr(municipality, OPT_IN[segment])
    ]


def _ics_url(municipality: Municipality) -> str | None:
    try:
        return reverse("public:calendar_ics", kwargs={"kod": municipality.code})
    except NoReverseMatch:
        return None


def catalogue(municipality: Municipality) -> Graph:
    """The municipality's catalogue as an RDF graph."""
    from public.models import PublicSite

    site = PublicSite.objects.get(municipality=municipality)
    code = municipality.code
    cat = absolute(reverse("opendata:dcat", args=[code]))
    publisher = publisher_uri(municipality)
    contact = URIRef(f"{cat}#kontakt")
    api = URIRef(f"{cat}#api")

    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(municipality.name)))
    g.add((publisher, DCTERMS.type, LOCAL_AUTHORITY))

    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(f"{municipality.name}, romsk inkludering")))
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{site.contact_email}")))

    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(f"{municipality.name}: öppna data om romsk inkludering", lang="sv")))
    g.add((cat, DCTERMS.title, Literal(f"{municipality.name}: open data on Roma inclusion", lang="en")))
    g.add(
        (
            cat,
            DCTERMS.description,
            Literal(
                f"Handlingsplaner, mål, aktiviteter, indikatorer, samråd och evenemang i {municipality.name}s arbete "
                "för romsk inkludering och nationella minoriteters rättigheter, från systemet Inkludera.",
                lang="sv",
            ),
        )
    )
    g.add(
        (
            cat,
            DCTERMS.description,
            Literal(
                f"Plans, goals, activities, indicators, consultations and events of {municipality.name}'s work for "
                "Roma inclusion and the rights of national minorities, from the Inkludera system.",
                lang="en",
            ),
        )
    )
    g.add((cat, DCTERMS.publisher, publisher))
    g.add((cat, DCTERMS.license, CC0))
    g.add((cat, FOAF.homepage, absolute(reverse("public:start", kwargs={"kod": code}))))
    g.add((cat, DCTERMS.language, SWEDISH))
    g.add((cat, DCAT.themeTaxonomy, THEMES))
    if site.published_at:
        g.add((cat, DCTERMS.issued, Literal(timezone.localdate(site.published_at), datatype=XSD.date)))
    g.add((cat, DCTERMS.modified, Literal(timezone.localdate(), datatype=XSD.date)))
    g.add((cat, DCAT.service, api))

    g.add((api, RDF.type, DCAT.DataService))
    g.add((api, DCTERMS.title, Literal("Inkluderas öppna API, version 1", lang="sv")))
    g.add((api, DCTERMS.title, Literal("Inkludera's open API, version 1", lang="en")))
    g.add((api, DCAT.endpointURL, absolute(reverse("opendata:index"))))
    g.add((api, DCAT.endpointDescription, absolute(reverse("opendata:schema"))))
    g.add((api, DCTERMS.publisher, publisher))
    g.add((api, DCAT.contactPoint, contact))
    g.add((api, DCTERMS.license, CC0))
    g.add((api, DCTERMS.accessRights, PUBLIC_ACCESS))

    for segment, name in datasets(municipality):
        about = ABOUT.get(segment) or About(segment, segment, segment, segment, (segment,))
        ds = URIRef(f"{cat}#dataset-{segment}")
        g.add((cat, DCAT.dataset, ds))
        g.add((api, DCAT.servesDataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(dataset_identifier(str(ds)))))
        g.add((ds, DCTERMS.title, Literal(about.title_sv, lang="sv")))
        g.add((ds, DCTERMS.title, Literal(about.title_en, lang="en")))
        g.add((ds, DCTERMS.description, Literal(about.description_sv, lang="sv")))
        g.add((ds, DCTERMS.description, Literal(about.description_en, lang="en")))
        g.add((ds, DCTERMS.publisher, publisher))
        g.add((ds, DCAT.contactPoint, contact))
        g.add((ds, DCTERMS.accessRights, PUBLIC_ACCESS))
        g.add((ds, DCTERMS.language, SWEDISH))
        for code_ in about.themes:
            g.add((ds, DCAT.theme, theme(code_)))
        for keyword in about.keywords:
            g.add((ds, DCAT.keyword, Literal(keyword, lang="sv")))
        json_url = absolute(reverse(f"opendata:{name}", args=[code]))
        csv_url = absolute(reverse(f"opendata:{name}_csv", args=[code]))
        _distribution(
            g, URIRef(f"{ds}-json"), ds, json_url, None, MEDIA_TYPE_JSON, "JSON (sidindelad)", "JSON (paginated)", api
        )
        _distribution(g, URIRef(f"{ds}-csv"), ds, csv_url, csv_url, MEDIA_TYPE_CSV, "CSV", "CSV", None)
        if segment == "evenemang" and (ics := _ics_url(municipality)):
            ics_url = absolute(ics)
            _distribution(g, URIRef(f"{ds}-ics"), ds, ics_url, ics_url, MEDIA_TYPE_ICS, "iCalendar", "iCalendar", None)
    return g


def _distribution(g: Graph, dist, ds, access, download, media_type: str, title_sv: str, title_en: str, service):
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(title_sv, lang="sv")))
    g.add((dist, DCTERMS.title, Literal(title_en, lang="en")))
    g.add((dist, DCAT.accessURL, access))
    if download is not None:
        g.add((dist, DCAT.downloadURL, download))
    if service is not None:
        g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.format, Literal(media_type)))
    g.add((dist, DCAT.mediaType, URIRef(MEDIA_TYPE + media_type)))
    g.add((dist, DCTERMS.license, CC0))


@require_safe
def dcat_rdf(request, kommunkod: str):
    municipality = Municipality.objects.filter(code=kommunkod).first()
    if municipality is None or missing_for_catalogue(municipality):
        raise Http404
    body = catalogue(municipality).serialize(format="pretty-xml", encoding="utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response
