"""The DCAT-AP-SE catalogue (opendata.dcat): parsed back with rdflib and held to
the data portal's harvesting rules."""

import uuid

import pytest
from django.urls import reverse
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef, namespace

from opendata import dcat
from opendata.urls import DATASETS
from public.services import site_publish, site_update
from public.tests.conftest import publish_site

# Open namespaces (rdflib's closed ones warn when pytest looks at module attributes).
DCAT, DCTERMS, FOAF = (Namespace(str(ns)) for ns in (namespace.DCAT, namespace.DCTERMS, namespace.FOAF))
SITE = "https://inkludera.example.se"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
URL = "/api/v1/kommuner/0180/dcat.rdf"
CATALOGUE = URIRef(SITE + URL)
PUBLISHER = URIRef("http://dataportal.se/organisation/SE2120001217")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def catalogued(world):
    world.municipality.org_number = "2120001217"
    world.municipality.save()
    return publish_site(world.municipality)


def harvest(world, url=URL) -> Graph:
    response = world.client("anonymous").get(url)  # asked at testserver, named from SITE_URL
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    assert response["Access-Control-Allow-Origin"] == "*"
    return Graph().parse(data=response.content, format="xml")


def one(g: Graph, subject, predicate):
    values = list(g.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def langs(g: Graph, subject, predicate) -> set[str]:
    return {o.language for o in g.objects(subject, predicate) if isinstance(o, Literal)}


def test_the_catalogue_has_what_the_portal_requires(world, catalogued):
    g = harvest(world)
    assert (CATALOGUE, RDF.type, DCAT.Catalog) in g
    assert langs(g, CATALOGUE, DCTERMS["title"]) == {"sv", "en"}
    assert langs(g, CATALOGUE, DCTERMS.description) == {"sv", "en"}
    assert one(g, CATALOGUE, DCTERMS.publisher) == PUBLISHER
    assert one(g, CATALOGUE, DCTERMS.license) == CC0
    assert one(g, CATALOGUE, FOAF.homepage) == URIRef(f"{SITE}/0180/")
    assert one(g, CATALOGUE, DCTERMS.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/SWE"
    )
    # The publisher: the portal's address for the organisation number, a local authority.
    assert (PUBLISHER, RDF.type, FOAF.Agent) in g
    assert one(g, PUBLISHER, FOAF.name) == Literal("Stockholms stad")
    assert one(g, PUBLISHER, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")

    datasets = set(g.objects(CATALOGUE, DCAT.dataset))
    # Every dataset of the API, but the consultation figures the municipality does not publish.
    expected = {f"{CATALOGUE}#dataset-{segment}" for segment, *_rest in DATASETS if segment != "samrad"}
    assert {str(d) for d in datasets} == expected
    for ds in datasets:
        assert (ds, RDF.type, DCAT.Dataset) in g
        assert one(g, ds, DCTERMS.identifier) == Literal(str(uuid.uuid5(uuid.NAMESPACE_URL, str(ds))))
        assert langs(g, ds, DCTERMS["title"]) == {"sv", "en"}
        assert langs(g, ds, DCTERMS.description) == {"sv", "en"}
        assert one(g, ds, DCTERMS.publisher) == PUBLISHER
        assert one(g, ds, DCTERMS.accessRights) == URIRef(
            "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
        )
        assert list(g.objects(ds, DCAT.theme)) and list(g.objects(ds, DCAT.keyword))
        contact = one(g, ds, DCAT.contactPoint)
        assert (contact, RDF.type, dcat.VCARD.Organization) in g
        assert one(g, contact, dcat.VCARD.hasEmail) == URIRef("mailto:minoriteter@kommun.example")
        assert contact != PUBLISHER
        formats = {}
        for dist in g.objects(ds, DCAT.distribution):
            assert (dist, RDF.type, DCAT.Distribution) in g
            assert one(g, dist, DCTERMS.license) == CC0
            formats[str(one(g, dist, DCTERMS["format"]))] = dist
        assert {"application/json", "text/csv"} <= set(formats)
        segment = str(ds).rsplit("#dataset-", 1)[1]
        name = next(n for s, n, *_rest in DATASETS if s == segment)
        assert one(g, formats["application/json"], DCAT.accessURL) == URIRef(
            SITE + reverse(f"opendata:{name}", args=["0180"])
        )
        csv = URIRef(SITE + reverse(f"opendata:{name}_csv", args=["0180"]))
        assert one(g, formats["text/csv"], DCAT.downloadURL) == csv
        assert one(g, formats["text/csv"], DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv"
        )
    # The API.
    (api,) = g.objects(CATALOGUE, DCAT.service)
    assert (api, RDF.type, DCAT.DataService) in g
    assert one(g, api, DCAT.endpointURL) == URIRef(f"{SITE}/api/v1/")
    assert one(g, api, DCAT.endpointDescription) == URIRef(f"{SITE}/api/v1/openapi.json")
    assert set(g.objects(api, DCAT.servesDataset)) == datasets


def test_no_blank_nodes_and_every_iri_absolute(world, catalogued):
    g = harvest(world)
    for triple in g:
        for term in triple:
            assert not isinstance(term, BNode), triple
            if isinstance(term, URIRef):
                assert str(term).startswith(("http://", "https://", "mailto:")), term
                assert " " not in str(term)
            if isinstance(term, URIRef) and str(term).startswith("https://inkludera"):
                assert str(term).startswith(SITE + "/"), term  # never the Host header's


def test_every_dataset_of_the_api_is_described():
    """A new dataset gets its titles here (opendata.dcat.ABOUT), not just its segment."""
    assert {segment for segment, *_rest in DATASETS} <= set(dcat.ABOUT)


def test_the_events_calendar_is_a_distribution_when_there_is_one(world, catalogued):
    g = harvest(world)
    events = URIRef(f"{CATALOGUE}#dataset-evenemang")
    if not any(segment == "evenemang" for segment, *_rest in DATASETS):
        pytest.skip("the events dataset is not in the API yet")
    try:
        ics = reverse("public:calendar_ics", kwargs={"kod": "0180"})
    except Exception:
        pytest.skip("no public calendar feed yet")
    downloads = {
        str(one(g, d, DCAT.downloadURL))
        for d in g.objects(events, DCAT.distribution)
        if (d, DCAT.downloadURL, None) in g
    }
    assert SITE + ics in downloads


def test_consultation_figures_only_when_published(world, catalogued):
    figures = URIRef(f"{CATALOGUE}#dataset-samrad")
    assert (CATALOGUE, DCAT.dataset, figures) not in harvest(world)
    world.municipality.open_consultation_figures = True
    world.municipality.save()
    assert (CATALOGUE, DCAT.dataset, figures) in harvest(world)


def test_identifiers_are_stable(world, catalogued):
    first = {(s, o) for s, o in harvest(world).subject_objects(DCTERMS.identifier)}
    assert first == {(s, o) for s, o in harvest(world).subject_objects(DCTERMS.identifier)}


def test_not_found_until_the_publisher_and_contact_are_known(world):
    client = world.client("anonymous")
    publish_site(world.municipality)
    assert client.get(URL).status_code == 404  # no organisation number
    world.municipality.org_number = "2120001217"
    world.municipality.save()
    assert client.get(URL).status_code == 200
    site = site_publish(site=world.municipality.public_site, by=None, published=False)
    assert client.get(URL).status_code == 404  # the public site is not published
    site_update(site=site, by=None, data={"contact_email": ""})
    assert client.get(URL).status_code == 404
    assert client.get("/api/v1/kommuner/9999/dcat.rdf").status_code == 404


def test_another_municipalitys_data_is_absent(world, catalogued):
    other = world.other_municipality
    other.org_number = "2120000001"
    other.save()
    site = site_publish(site=publish_site(other), by=None, published=False)
    site_update(site=site, by=None, data={"contact_email": "romer@huddinge.example"})
    site_publish(site=site, by=None)
    ours = harvest(world).serialize(format="nt")
    assert "0126" not in ours and "Huddinge" not in ours and "SE2120000001" not in ours
    assert "romer@huddinge.example" not in ours
    theirs = harvest(world, "/api/v1/kommuner/0126/dcat.rdf").serialize(format="nt")
    assert "/0180" not in theirs and "Stockholms stad" not in theirs and "minoriteter@kommun.example" not in theirs
