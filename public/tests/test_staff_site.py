"""The coordinator's page of the public site (/publikt/): publishing, the
settings, the Swedish texts, and who may do any of it. Forms are posted as the
browser sends them (tests/formreader.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from audit.models import AuditEvent
from lib.locking import STALE_MESSAGE
from organisations.forms import MunicipalitySettingsForm
from public.models import PublicSite
from public.services import site_for
from tests.formreader import submissions

PAGE = reverse("public_staff:site")
TEXTS = reverse("public_staff:site_texts")
PUBLISH = reverse("public_staff:publish")
UNPUBLISH = reverse("public_staff:unpublish")


def sv(text) -> str:
    """A message as the (Swedish-first) pages say it."""
    with translation.override("sv"):
        return str(text)


def form_of(client, action: str) -> dict:
    """The form posting to ``action`` on the page, as a browser sends it."""
    page = client.get(PAGE)
    assert page.status_code == 200
    (form,) = [s for s in submissions(PAGE, page.content) if s.action == action]
    return form.data


def filled(data: dict) -> dict:
    today = timezone.localdate()
    return data | {
        "contact_email": ["minoriteter@stockholm.example"],
        "assessed_on": [(today - timedelta(days=30)).isoformat()],
        "statement_updated_on": [(today - timedelta(days=2)).isoformat()],
        "data_controller": ["Kommunstyrelsen"],
    }


def site_of(world, municipality=None) -> PublicSite:
    return PublicSite.objects.get(municipality=municipality or world.municipality)


def events_of(site) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(site).order_by("pk"))


def test_publishing_is_refused_with_what_is_missing(world):
    client = world.client("coordinator")
    page = client.get(PAGE).content.decode()
    missing = site_for(world.municipality).missing_for_publishing()
    assert len(missing) == 4
    with translation.override("sv"):
        for item in missing:
            assert escape(item[0].upper() + item[1:]) in page
    response = client.post(PUBLISH, follow=True)
    site = site_of(world)
    assert not site.published and site.published_at is None
    assert not events_of(site)
    messages = [str(m) for m in response.context["messages"]]
    with translation.override("sv"):
        from django.utils.translation import gettext

        expected = gettext("Fill in %(missing)s before publishing.") % {
            "missing": ", ".join(site.missing_for_publishing())
        }
    assert messages == [expected]
    assert 'class="message message-error"' in response.content.decode()
    assert world.client("anonymous").get("/0180/").status_code == 404


def test_a_coordinator_fills_in_the_settings_and_publishes(world):
    client = world.client("coordinator")
    data = filled(form_of(client, PAGE)) | {"languages": ["rmy-x-kalderas", "en"]}
    assert client.post(PAGE, data).status_code == 302
    site = site_of(world)
    assert site.contact_email == "minoriteter@stockholm.example"
    assert site.languages == ["en", "rmy-x-kalderas"]  # in the registry's order
    assert site.version == 2
    assert site.missing_for_publishing() == []
    assert not site.published  # saving the settings publishes nothing

    response = client.post(PUBLISH, follow=True)
    site.refresh_from_db()
    assert site.published and site.published_at is not None
    page = response.content.decode()
    assert 'href="http://testserver/0180/"' in page
    assert 'href="http://testserver/0180/kalderash/"' in page
    assert reverse("public_staff:unpublish") in page and reverse("public_staff:publish") not in page
    anonymous = world.client("anonymous")
    assert anonymous.get("/0180/").status_code == 200
    assert "minoriteter@stockholm.example" in anonymous.get("/0180/tillganglighet/").content.decode()
    assert anonymous.get("/0180/kalderash/").status_code == 200

    actions = [(e.actor_id, e.action, sorted(e.changes)) for e in events_of(site)]
    coordinator = world.users["coordinator"].pk
    assert actions[0][:2] == (coordinator, AuditEvent.Action.UPDATE)
    assert {"contact_email", "languages", "assessed_on", "statement_updated_on", "data_controller"} <= set(
        actions[0][2]
    )
    assert actions[1] == (coordinator, AuditEvent.Action.UPDATE, ["published"])


def test_unpublishing_takes_every_public_page_away(world):
    client = world.client("coordinator")
    client.post(PAGE, filled(form_of(client, PAGE)) | {"languages": ["en"]})
    client.post(PUBLISH)
    anonymous = world.client("anonymous")
    urls = ["/0180/", "/0180/en/", "/0180/tillganglighet/", "/0180/personuppgifter/"]
    assert [anonymous.get(url).status_code for url in urls] == [200] * 4

    form = form_of(client, UNPUBLISH)  # the page offers it once published
    assert client.post(UNPUBLISH, form).status_code == 302
    site = site_of(world)
    assert not site.published
    assert [anonymous.get(url).status_code for url in urls] == [404] * 4
    assert world.client("coordinator").get("/0180/").status_code == 404
    assert events_of(site)[-1].changes == {"published": [True, False]}
    assert reverse("public_staff:publish") in client.get(PAGE).content.decode()


def test_a_published_site_keeps_what_it_needs(world):
    client = world.client("coordinator")
    client.post(PAGE, filled(form_of(client, PAGE)))
    client.post(PUBLISH)
    data = form_of(client, PAGE) | {"contact_email": [""], "data_controller": [""], "dpo_email": ["dso@sthlm.example"]}
    response = client.post(PAGE, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    site = site_of(world)
    assert (site.contact_email, site.data_controller, site.dpo_email) == (
        "minoriteter@stockholm.example",
        "Kommunstyrelsen",
        "",
    )
    # The message stands at each field that would take away what the site needs.
    form = response.context["settings_form"]
    assert not form.non_field_errors()
    assert set(form.errors) == {"contact_email", "data_controller"}
    with translation.override("sv"):
        from django.utils.translation import gettext

        expected = gettext("A published site needs %(missing)s. Unpublish it first.") % {
            "missing": gettext("the contact mailbox")
        }
    assert form.errors["contact_email"] == [expected]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page.split('id="id_contact_email"')[0].rsplit("<input", 1)[1]
    assert escape(expected) in page
    # Filling in a new mailbox is not taking it away.
    data = form_of(client, PAGE) | {"contact_email": ["romsk@sthlm.example"]}
    assert client.post(PAGE, data).status_code == 302
    assert site_of(world).contact_email == "romsk@sthlm.example"


def test_an_unpublished_site_may_leave_out_what_publishing_needs(world):
    client = world.client("coordinator")
    client.post(PAGE, filled(form_of(client, PAGE)))
    assert client.post(PAGE, form_of(client, PAGE) | {"contact_email": [""]}).status_code == 302
    site = site_of(world)
    assert site.contact_email == "" and len(site.missing_for_publishing()) == 1 and not site.published


@pytest.mark.parametrize("tags", [["xx"], ["sv"], ["en", "rm"]])
def test_only_languages_of_the_registry_besides_swedish(world, tags):
    client = world.client("coordinator")
    data = form_of(client, PAGE) | {"languages": tags, "contact_email": ["minoriteter@stockholm.example"]}
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert "languages" in response.context["settings_form"].errors
    site = site_of(world)
    assert site.languages == [] and site.contact_email == "" and site.version == 1


def test_the_language_choices_are_the_registry_without_swedish(world):
    page = world.client("coordinator").get(PAGE).content.decode()
    for tag in ["sv-x-lattlast", "en", "fi", "rmn", "rmy-x-kalderas", "rmy-x-lovara", "rmf", "rmu"]:
        assert f'name="languages" value="{tag}"' in page
    assert 'name="languages" value="sv"' not in page


def test_dates_in_the_future_are_refused(world):
    client = world.client("coordinator")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(PAGE, filled(form_of(client, PAGE)) | {"assessed_on": [tomorrow]})
    assert response.status_code == 400
    assert set(response.context["settings_form"].errors) == {"assessed_on"}
    assert site_of(world).assessed_on is None


def test_settings_saved_by_someone_else_meanwhile_are_not_overwritten(world):
    client = world.client("coordinator")
    mine = form_of(client, PAGE)
    theirs = form_of(client, PAGE)
    assert client.post(PAGE, theirs | {"data_controller": ["Kulturnämnden"]}).status_code == 302
    response = client.post(PAGE, mine | {"data_controller": ["Kommunstyrelsen"], "dpo_email": ["dso@sthlm.example"]})
    assert response.status_code == 409
    site = site_of(world)
    assert (site.data_controller, site.dpo_email, site.version) == ("Kulturnämnden", "", 2)
    form = response.context["settings_form"]
    assert str(STALE_MESSAGE) in [str(e) for e in form.non_field_errors()]
    page = response.content.decode()
    assert escape(sv(STALE_MESSAGE)) in page
    assert 'value="Kommunstyrelsen"' in page and 'value="dso@sthlm.example"' in page  # what was typed is kept
    # Saving the kept form again is a deliberate choice, and then it wins.
    (again,) = [s for s in submissions(PAGE, response.content) if s.action == PAGE]
    assert again.data["version"] == ["2"]
    assert client.post(PAGE, again.data).status_code == 302
    site.refresh_from_db()
    assert (site.data_controller, site.dpo_email, site.version) == ("Kommunstyrelsen", "dso@sthlm.example", 3)


def test_the_swedish_texts_are_saved_and_shown(world):
    client = world.client("coordinator")
    client.post(PAGE, filled(form_of(client, PAGE)))
    client.post(PUBLISH)
    data = form_of(client, TEXTS)
    assert data["text_version"] == ["0"]
    data |= {"intro": ["Staden arbetar för romsk inkludering."], "accessibility_gaps": ["Diagrammen saknar ljud."]}
    assert client.post(TEXTS, data).status_code == 302
    row = site_of(world).translations.get(language_code="sv")
    assert (row.intro, row.text_version, row.text_author) == (
        "Staden arbetar för romsk inkludering.",
        1,
        world.users["coordinator"],
    )
    anonymous = world.client("anonymous")
    assert "Staden arbetar för romsk inkludering." in anonymous.get("/0180/").content.decode()
    assert "Diagrammen saknar ljud." in anonymous.get("/0180/tillganglighet/").content.decode()
    (event,) = [e for e in events_of(site_of(world)) if "intro [sv]" in e.changes]
    assert event.changes["intro [sv]"] == ["", "Staden arbetar för romsk inkludering."]
    assert form_of(client, TEXTS)["text_version"] == ["1"]


def test_an_empty_texts_form_saves_no_empty_text(world):
    client = world.client("coordinator")
    assert client.post(TEXTS, form_of(client, TEXTS)).status_code == 302
    assert not site_of(world).translations.exists()


def test_texts_saved_by_someone_else_meanwhile_are_not_overwritten(world):
    client = world.client("coordinator")
    mine = form_of(client, TEXTS)
    theirs = form_of(client, TEXTS)
    assert client.post(TEXTS, theirs | {"intro": ["Deras text."]}).status_code == 302
    response = client.post(TEXTS, mine | {"intro": ["Min text."]})
    assert response.status_code == 409
    assert site_of(world).translations.get(language_code="sv").intro == "Deras text."
    form = response.context["texts_form"]
    assert str(STALE_MESSAGE) in [str(e) for e in form.non_field_errors()]
    assert "Min text.</textarea>" in response.content.decode()
    (again,) = [s for s in submissions(PAGE, response.content) if s.action == TEXTS]
    assert again.data["text_version"] == ["1"]
    assert client.post(TEXTS, again.data).status_code == 302
    assert site_of(world).translations.get(language_code="sv").intro == "Min text."


def test_a_correction_of_the_site_texts_keeps_the_translations(world):
    from public.services import text_save
    from public.translation import TextStatus

    client = world.client("coordinator")
    client.post(TEXTS, form_of(client, TEXTS) | {"intro": ["Staden arbetar för inkludering."]})
    assert "correction" not in form_of(client, TEXTS)
    assert 'name="correction"' not in client.get(PAGE).content.decode()  # no translation to keep yet
    site = site_of(world)
    text_save(obj=site, municipality=world.municipality, language="en", texts={"intro": "The city works."}, by=None)
    assert 'name="correction"' in client.get(PAGE).content.decode()
    data = form_of(client, TEXTS) | {"intro": ["Staden arbetar för romsk inkludering."], "correction": ["on"]}
    assert client.post(TEXTS, data).status_code == 302
    assert site.translations.get(language_code="en").text_status == TextStatus.DONE
    data = form_of(client, TEXTS) | {"intro": ["Staden arbetar."]}
    assert client.post(TEXTS, data).status_code == 302
    assert site.translations.get(language_code="en").text_status == TextStatus.IN_TRANSLATION


def test_a_staff_name_in_the_site_texts_is_refused_at_its_field(world):
    from lxml import html as lxml_html

    client = world.client("coordinator")
    data = form_of(client, TEXTS) | {"intro": ["Välkommen."], "contact_text": ["Fråga Testsson."]}
    response = client.post(TEXTS, data)
    assert response.status_code == 400
    form = response.context["texts_form"]
    assert set(form.errors) == {"contact_text"} and "Testsson" in form.errors["contact_text"][0]
    document = lxml_html.document_fromstring(response.content.decode())
    assert [e.get("name") for e in document.xpath('//*[@aria-invalid="true"]')] == ["contact_text"]
    assert not site_of(world).translations.exists()
    (again,) = [s for s in submissions(PAGE, response.content) if s.action == TEXTS]
    assert again.data["intro"] == ["Välkommen."]  # what was typed is kept
    assert client.post(TEXTS, again.data | {"contact_text": ["Skriv till oss."]}).status_code == 302
    assert site_of(world).translations.get(language_code="sv").contact_text == "Skriv till oss."


def test_another_municipalitys_coordinator_works_on_their_own_site_only(world):
    mine = world.client("coordinator")
    mine.post(PAGE, filled(form_of(mine, PAGE)))
    stockholm = site_of(world)
    before = (stockholm.version, len(events_of(stockholm)))

    other = world.client("other_coordinator")
    page = other.get(PAGE).content.decode()
    assert "minoriteter@stockholm.example" not in page and "http://testserver/0126/" in page
    data = form_of(other, PAGE) | {"contact_email": ["kapad@huddinge.example"]}
    assert other.post(PAGE, data).status_code == 302
    other.post(TEXTS, form_of(other, TEXTS) | {"intro": ["Kapad."]})
    other.post(PUBLISH)  # Huddinge's own site, not filled in: refused

    stockholm.refresh_from_db()
    assert (stockholm.version, len(events_of(stockholm))) == before
    assert stockholm.contact_email == "minoriteter@stockholm.example" and not stockholm.published
    assert not stockholm.translations.exists()
    huddinge = site_of(world, world.other_municipality)
    assert huddinge.contact_email == "kapad@huddinge.example" and not huddinge.published
    assert huddinge.translations.get(language_code="sv").intro == "Kapad."


@pytest.mark.parametrize("role", ["anonymous", "reader", "contact_a", "contact_b", "representative"])
def test_nobody_else_changes_the_site(world, role):
    coordinator = world.client("coordinator")
    coordinator.post(PAGE, filled(form_of(coordinator, PAGE)))
    settings = form_of(coordinator, PAGE) | {"contact_email": ["kapad@example.org"]}
    texts = form_of(coordinator, TEXTS) | {"intro": ["Kapad."]}
    site = site_of(world)
    events = AuditEvent.objects.count()
    client = world.client(role)
    for url, data in [(PAGE, settings), (TEXTS, texts), (PUBLISH, {}), (UNPUBLISH, {})]:
        response = client.post(url, data)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 403
    assert AuditEvent.objects.count() == events
    site.refresh_from_db()
    assert site.contact_email == "minoriteter@stockholm.example" and not site.published
    assert not site.translations.exists()


def test_the_page_is_linked_for_coordinators_only(world):
    for url in [reverse("home:start"), reverse("organisations:settings")]:
        assert PAGE in world.client("coordinator").get(url).content.decode()
    assert PAGE not in world.client("reader").get(reverse("home:start")).content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2120000142", "2120000142"), ("212000-0142", "2120000142"), (" 212000 0076 ", "2120000076"), ("", "")],
)
def test_the_organisation_number_is_ten_digits_with_a_valid_check_digit(world, typed, stored):
    client = world.client("coordinator")
    url = reverse("organisations:settings")
    page = client.get(url)
    (form,) = [s for s in submissions(url, page.content) if s.action == url]
    assert client.post(url, form.data | {"org_number": [typed]}).status_code == 302
    world.municipality.refresh_from_db()
    assert world.municipality.org_number == stored


@pytest.mark.parametrize("typed", ["2120000143", "212000014", "21200001420", "212000-014X"])
def test_a_wrong_organisation_number_is_refused(world, typed):
    form = MunicipalitySettingsForm(
        {"reference_prefix": "", "feedback_days": "30", "suppression_k": "5", "org_number": typed},
        instance=world.municipality,
    )
    assert not form.is_valid()
    assert set(form.errors) == {"org_number"}


def test_the_page_says_what_the_open_data_catalogue_still_needs(world, settings):
    from public.tests.conftest import publish_site

    settings.SITE_URL = "https://inkludera.kommun.example"
    client = world.client("coordinator")
    page = client.get(PAGE).content.decode()
    assert "dcat.rdf" not in page
    assert "organisationsnumret (inställningar)" in page.lower()

    publish_site(world.municipality)
    world.municipality.org_number = "2120000142"
    world.municipality.save()
    page = client.get(PAGE).content.decode()
    assert "https://inkludera.kommun.example/api/v1/kommuner/0180/dcat.rdf" in page
    assert client.get("/api/v1/kommuner/0180/dcat.rdf").status_code == 200


def test_a_units_contact_finds_the_translations_from_the_start_page(world):
    from public.tests.conftest import publish_site

    translations = reverse("public_staff:translations")
    assert translations not in world.client("contact_a").get("/").content.decode()
    publish_site(world.municipality, languages=("en",))
    assert translations in world.client("contact_a").get("/").content.decode()
    assert translations not in world.client("reader").get("/").content.decode()
    assert world.client("contact_a").get(translations).status_code == 200
