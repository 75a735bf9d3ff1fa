"""Rights information: the coordinator's pages that write it, and the public page."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from public.models import RightsSection
from public.services import rights_section_create, text_save
from public.translation import TextStatus
from tests.formreader import submissions

from .conftest import publish_site


def form_of(client, url: str, action: str | None = None) -> dict:
    """The form posting to ``action`` (default: the page itself), as a browser sends it."""
    page = client.get(url)
    assert page.status_code == 200
    action = action or url
    (form,) = [f for f in submissions(url, page.content) if f.action.endswith(action)]
    return form.data


def section(world, heading="Rätt till information", text="Kommunen ska informera.", municipality=None):
    return rights_section_create(municipality=municipality or world.municipality, by=None, heading=heading, text=text)


def headings(municipality) -> list[str]:
    return [
        s.translations.get(language_code="sv").heading
        for s in RightsSection.objects.filter(municipality=municipality).order_by("position", "pk")
    ]


def test_a_coordinator_adds_a_section_as_the_browser_sends_it(world):
    client = world.client("coordinator")
    url = reverse("public_staff:rights_create")
    data = form_of(client, url)
    assert data["text_version"] == ["0"] and "correction" not in data
    data |= {"heading": ["Rätt till samråd"], "text": ["Kommunen ska samråda (5 §)."]}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("public_staff:rights")
    (added,) = RightsSection.objects.filter(municipality=world.municipality)
    sv = added.translations.get(language_code="sv")
    assert (sv.heading, sv.text, sv.text_author) == (
        "Rätt till samråd",
        "Kommunen ska samråda (5 §).",
        world.users["coordinator"],
    )
    assert AuditEvent.objects.filter(object_id=added.pk, action=AuditEvent.Action.CREATE).exists()
    html = client.get(reverse("public_staff:rights")).content.decode()
    assert "Rätt till samråd" in html and "Kommunen ska samråda (5 §)." in html


def test_an_empty_section_is_refused(world):
    client = world.client("coordinator")
    url = reverse("public_staff:rights_create")
    response = client.post(url, form_of(client, url), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html and 'aria-invalid="true"' in html and "<title>Fel: " in html
    assert not RightsSection.objects.exists()


def test_editing_keeps_what_was_typed_when_someone_else_saved_first(world):
    client = world.client("coordinator")
    s = section(world)
    url = reverse("public_staff:rights_edit", args=[s.pk])
    data = form_of(client, url)
    assert data["heading"] == ["Rätt till information"] and data["text_version"] == ["1"]
    # Someone else saves first.
    text_save(obj=s, municipality=world.municipality, language="sv", texts={"text": "Deras text."}, by=None)
    data["text"] = ["Min text."]
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Min text." in html and 'name="text_version" value="2"' in html
    assert s.translations.get(language_code="sv").text == "Deras text."
    # Saving again is a deliberate choice: it replaces theirs.
    (again,) = [f for f in submissions(url, response.content) if f.action.endswith(url)]
    assert again.data["text_version"] == ["2"]
    assert client.post(url, again.data).status_code == 302
    assert s.translations.get(language_code="sv").text == "Min text."


def test_a_changed_swedish_text_sends_its_translation_back(world):
    client = world.client("coordinator")
    s = section(world)
    text_save(obj=s, municipality=world.municipality, language="en", texts={"heading": "Information"}, by=None)
    url = reverse("public_staff:rights_edit", args=[s.pk])
    data = form_of(client, url) | {"text": ["Kommunen ska informera om rättigheterna (3 §)."]}
    assert client.post(url, data).status_code == 302
    assert s.translations.get(language_code="en").text_status == TextStatus.IN_TRANSLATION


def invalid(html: str) -> set[str]:
    """The names of the fields the page marks aria-invalid."""
    from lxml import html as lxml_html

    return {e.get("name") for e in lxml_html.document_fromstring(html).xpath('//*[@aria-invalid="true"]')}


def test_a_correction_keeps_the_translation(world):
    client = world.client("coordinator")
    s = section(world)
    url = reverse("public_staff:rights_edit", args=[s.pk])
    assert 'name="correction"' not in client.get(url).content.decode()  # no translation to keep yet
    text_save(obj=s, municipality=world.municipality, language="en", texts={"heading": "Information"}, by=None)
    data = form_of(client, url)
    assert "correction" not in data  # offered, not ticked
    data |= {"text": ["Kommunen ska informera!"], "correction": ["on"]}
    assert client.post(url, data).status_code == 302
    rows = {row.language_code: row for row in s.translations.all()}
    assert rows["sv"].text == "Kommunen ska informera!"
    assert rows["en"].text_status == TextStatus.DONE and rows["en"].text_digest == rows["sv"].text_digest
    event = AuditEvent.objects.filter(object_id=s.pk, action=AuditEvent.Action.UPDATE).latest("pk")
    assert "translations" in event.changes


def test_a_staff_name_is_refused_at_its_field(world):
    client = world.client("coordinator")
    s = section(world)
    url = reverse("public_staff:rights_edit", args=[s.pk])
    data = form_of(client, url) | {"text": ["Fråga Testsson om dina rättigheter."]}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"text"} and "Testsson" in form.errors["text"][0]
    assert invalid(response.content.decode()) == {"text"}
    assert s.translations.get(language_code="sv").text == "Kommunen ska informera."
    # A new section too: refused at the heading, nothing added.
    create = reverse("public_staff:rights_create")
    data = form_of(client, create) | {"heading": ["Testssons rättigheter"], "text": ["Text."]}
    response = client.post(create, data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"heading"}
    assert RightsSection.objects.filter(municipality=world.municipality).count() == 1


def test_sections_are_moved_and_deleted(world):
    client = world.client("coordinator")
    first, second = section(world, "Ett"), section(world, "Två")
    third = section(world, "Tre")
    listing = reverse("public_staff:rights")
    page = client.get(listing)
    forms = [f for f in submissions(listing, page.content)]
    up = [f for f in forms if f.action.endswith(reverse("public_staff:rights_move", args=[third.pk]))]
    assert [f.data["direction"] for f in up] == [["up"]]  # the last one can only go up
    assert client.post(up[0].action, up[0].data).status_code == 302
    assert headings(world.municipality) == ["Ett", "Tre", "Två"]
    assert client.post(reverse("public_staff:rights_move", args=[first.pk]), {"direction": "up"}).status_code == 302
    assert headings(world.municipality) == ["Ett", "Tre", "Två"]  # already first
    delete = reverse("public_staff:rights_delete", args=[second.pk])
    assert "Två" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert headings(world.municipality) == ["Ett", "Tre"]
    assert AuditEvent.objects.filter(object_id=second.pk, action=AuditEvent.Action.DELETE).exists()


def test_another_municipalitys_section_is_not_found(world):
    other = section(world, "Huddinges", municipality=world.other_municipality)
    client = world.client("coordinator")
    for name in ("public_staff:rights_edit", "public_staff:rights_delete"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("public_staff:rights_move", args=[other.pk]), {"direction": "up"}).status_code == 404
    assert client.post(reverse("public_staff:rights_delete", args=[other.pk])).status_code == 404
    assert "Huddinges" not in client.get(reverse("public_staff:rights")).content.decode()
    assert RightsSection.objects.filter(pk=other.pk).exists()


# --- The public page ---------------------------------------------------------------------


@pytest.fixture
def rights(world):
    publish_site(world.municipality)
    first = section(world, "Du har rätt till information", "Kommunen ska informera (3 §).")
    second = section(world, "Du har rätt till samråd", "Kommunen ska samråda (5 §).")
    text_save(
        obj=first, municipality=world.municipality, language="en",
        texts={"heading": "You have the right to information", "text": "The municipality must inform (section 3)."},
        by=None,
    )  # fmt: skip
    section(world, "Huddinges rättigheter", "Inte Stockholms.", municipality=world.other_municipality)
    return first, second


def test_the_page_in_swedish(rights, world):
    for role in ("anonymous", "coordinator", "other_coordinator"):
        html = world.client(role).get("/0180/rattigheter/").content.decode()
        assert '<h2 lang="sv">Du har rätt till information</h2>' in html
        assert html.index("rätt till information") < html.index("rätt till samråd")
        assert '<div lang="sv"><p>Kommunen ska samråda (5 §).</p></div>' in html
        assert 'class="fallback-note"' not in html
        assert "Huddinges" not in html and "Inte Stockholms." not in html
        # The frame: where to turn.
        assert 'href="mailto:minoriteter@kommun.example"' in html
        assert "Diskrimineringsombudsmannen" in html and "https://www.do.se/" in html
        assert "Länsstyrelsen i Stockholms län" in html and "Sametinget" in html


def test_the_staff_list_links_to_the_published_page(rights, world):
    html = world.client("coordinator").get(reverse("public_staff:rights")).content.decode()
    assert 'href="/0180/rattigheter/"' in html and "Huddinges" not in html


def test_the_page_in_english_falls_back_honestly(rights, world):
    html = world.client("anonymous").get("/0180/en/rattigheter/").content.decode()
    assert '<h2 lang="en">You have the right to information</h2>' in html
    assert '<h2 lang="sv">Du har rätt till samråd</h2>' in html  # not translated: Swedish, marked so
    assert html.count('class="fallback-note"') == 1
    assert "Equality Ombudsman" in html


def test_the_page_without_sections_still_says_where_to_turn(world):
    publish_site(world.municipality)
    html = world.client("anonymous").get("/0180/rattigheter/").content.decode()
    assert "Diskrimineringsombudsmannen" in html and "<section" not in html.split("<main")[1]


def test_not_found_until_published(world):
    section(world)
    assert world.client("anonymous").get("/0180/rattigheter/").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_a_fixed_number_of_queries(world, django_assert_max_num_queries, count):
    publish_site(world.municipality)
    for n in range(count):
        section(world, f"Avsnitt {n}")
    client = world.client("anonymous")
    client.get("/0180/rattigheter/")  # warm the caches a first request fills
    with django_assert_max_num_queries(8):
        html = client.get("/0180/rattigheter/").content.decode()
    assert f"Avsnitt {count - 1}" in html


def test_the_demo_text_claims_no_administrative_area_for_romani():
    """The demo's rights text names förvaltningsområde only to say Romani chib has none."""
    import yaml
    from django.conf import settings

    for name in ("stockholm", "huddinge"):
        data = yaml.safe_load((settings.BASE_DIR / "demo" / f"{name}-public.yaml").read_text(encoding="utf-8"))
        sections = data["rights"]
        assert all(s["en"]["status"] == "klar" for s in sections)
        swedish = " ".join(s["sv"]["heading"] + " " + s["sv"]["text"] for s in sections)
        assert "För romani chib finns inget förvaltningsområde" in swedish
        assert "förvaltningsområdet för finska" in swedish
        for claim in ("förvaltningsområdet för romani", "förvaltningsområde för romani"):
            assert claim not in swedish.lower()
        for paragraph in ("3 §", "4 §", "5 §"):
            assert paragraph in swedish


def test_the_demo_loads_the_rights_pages_and_the_catalogues(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    client = Client()
    for code, name in (("0180", "Stockholms stad"), ("0126", "Huddinge kommun")):
        html = client.get(f"/{code}/rattigheter/").content.decode()
        assert "För romani chib finns inget förvaltningsområde." in html
        assert f"{name} ingår i förvaltningsområdet för finska." in html
        english = client.get(f"/{code}/en/rattigheter/").content.decode()
        assert '<h2 lang="en">You have the right to information</h2>' in english
        assert 'class="fallback-note"' not in english  # every section translated, status done
        assert client.get(f"/api/v1/kommuner/{code}/dcat.rdf").status_code == 200
    assert RightsSection.objects.count() == 8
    call_command("load_demo", "--quiet-logins")  # a second run adds nothing
    assert RightsSection.objects.count() == 8
