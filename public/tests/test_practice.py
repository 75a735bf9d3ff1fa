"""Practice examples on the public site (public/selectors/practice.py): only the
municipality's own examples that its coordinator shows there, shared first; 404 for
the others; personal details and staff names replaced by markers; never who entered
it nor who took it up; the Swedish texts marked lang="sv" with the fallback line;
a fixed number of queries; the coordinator's confirmation page and its audit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from practice.models import PracticeExample
from practice.services import NotShared, example_adopt, example_publish, example_show_publicly
from practice.tests.factories import make_example
from tests.formreader import submissions

from .conftest import publish_site


def show(example):
    return example_show_publicly(example=example, by=None)


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def examples(world):
    """Stockholm's site with: an example shown on it, one shared but not shown, one not
    shared; Huddinge's site with its own example shown there."""
    publish_site(world.municipality)
    publish_site(world.other_municipality, languages=("en",))
    shown = show(
        make_example(
            world.municipality, title="Föräldranätverk i skolan", published=True, areas=("utbildning",),
            period="2016–2020", results="Fler föräldrar på utvecklingssamtalen.",
            sources="Romsk inkludering i praktiken (2020)\nhttps://www.lansstyrelsen.se/romsk-inkludering",
        )
    )  # fmt: skip
    shared = make_example(world.municipality, title="Delat men inte offentligt", published=True, areas=("kultur",))
    own = make_example(world.municipality, title="Bara i kommunen", areas=("kultur",))
    other = show(make_example(world.other_municipality, title="Huddinges exempel", published=True, areas=("kultur",)))
    return shown, shared, own, other


def test_only_the_municipalitys_examples_shown_on_its_site_are_listed_and_found(world, examples):
    shown, shared, own, other = examples
    client = world.client("anonymous")
    html = html_of(client, "/0180/exempel/")
    assert f'href="/0180/exempel/{shown.pk}/"' in html and "Föräldranätverk i skolan" in html
    assert "Haninge kommun" in html and "2016–2020" in html and "utbildning" in html
    for title in ("Delat men inte offentligt", "Bara i kommunen", "Huddinges exempel"):
        assert title not in html
    assert client.get(f"/0180/exempel/{shown.pk}/").status_code == 200
    for example in (shared, own, other):
        assert client.get(f"/0180/exempel/{example.pk}/").status_code == 404, example.title
        assert client.get(f"/0180/en/exempel/{example.pk}/").status_code == 404, example.title
    # Huddinge's example on Huddinge's site; Stockholm's example is not there.
    code = world.other_municipality.code
    assert "Huddinges exempel" in html_of(client, f"/{code}/exempel/")
    assert client.get(f"/{code}/exempel/{shown.pk}/").status_code == 404
    # Taken off the site, or no longer shared: gone.
    example_show_publicly(example=other, by=None, show=False)
    assert client.get(f"/{code}/exempel/{other.pk}/").status_code == 404
    example_publish(example=shown, by=None, publish=False)
    assert client.get(f"/0180/exempel/{shown.pk}/").status_code == 404
    assert "Föräldranätverk i skolan" not in html_of(client, "/0180/exempel/")
    assert "The municipality has not published any examples yet." in html_of(client, "/0180/en/exempel/")


def test_the_page_shows_the_example_and_nothing_about_who_entered_or_took_it_up(world, examples):
    shown = examples[0]
    example_adopt(example=shown, by=world.users["other_coordinator"], goals=[world.other_goal], owner=world.other_unit)
    html = html_of(world.client("anonymous"), f"/0180/exempel/{shown.pk}/")
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    for text in (
        '<h1 lang="sv">Föräldranätverk i skolan</h1>',
        "Haninge kommun",
        "2016–2020",
        "Utbildning",  # the rights area
        "Resultatmål",  # the kind of goal
        "Föräldrar",  # a target group
        "Kommunens samordnare samlade föräldrarna till ett möte med skolan.",
        "Förtroende mellan föräldrar och skola.",
        "Var tydlig med vad föräldranätverkets funktion är.",
        "Fler föräldrar på utvecklingssamtalen.",
        "Samordnaren för romsk inkludering",
        "Romsk inkludering i praktiken (2020)",
        '<a href="https://www.lansstyrelsen.se/romsk-inkludering" lang="sv">',
    ):
        assert text in main, text
    for absent in (world.other_municipality.name, "Tagits upp", "Registrerat av", "Testsson", "Delat "):
        assert absent not in main, absent
    assert "Huddinge" not in html


def test_personal_details_and_staff_names_are_replaced_by_markers(world):
    publish_site(world.municipality)
    example = show(
        make_example(
            world.municipality, published=True, title="Läxhjälp",
            summary="Coordinator Testsson ordnade läxhjälp. Ring 08-123 456 78 eller skriv till kim@stad.example.",
            contact="Testssons kollega, 19121212-1212",
            sources="kim@stad.example\nhttps://www.example.se/kim@stad.example",
        )
    )  # fmt: skip
    for language in ("", "en/"):
        html = html_of(world.client("anonymous"), f"/0180/{language}exempel/{example.pk}/")
        for secret in ("Testsson", "08-123 456 78", "kim@stad.example", "19121212-1212"):
            assert secret not in html, secret
        assert "[borttaget] ordnade läxhjälp." in html
        assert "[telefonnummer borttaget]" in html and "[e-postadress borttagen]" in html
        assert "[personnummer borttaget]" in html
        assert 'href="https://www.example.se' not in html  # a cleaned address is not a link


def test_the_texts_are_swedish_with_the_fallback_line_once_and_labels_in_the_pages_language(world, examples):
    shown = examples[0]
    client = world.client("anonymous")
    html = html_of(client, f"/0180/en/exempel/{shown.pk}/")
    assert '<html lang="en">' in html and '<h1 lang="sv">Föräldranätverk i skolan</h1>' in html
    assert html.count('class="fallback-note"') == 1
    assert "Texts not yet written in English are shown in Swedish." in html
    assert "What was done" in html and "Prerequisites for success" in html and "Education" in html
    assert '<div lang="sv"><p>Kommunens samordnare' in html
    kalderash = html_of(client, f"/0180/kalderash/exempel/{shown.pk}/")
    assert '<html lang="sv">' in kalderash and kalderash.count("fallback-note") == 1
    swedish = html_of(client, f"/0180/exempel/{shown.pk}/")
    assert "fallback-note" not in swedish and "Vad som gjordes" in swedish
    listing = html_of(client, "/0180/en/exempel/")
    assert listing.count('class="fallback-note"') == 1 and '<span lang="sv">Föräldranätverk i skolan</span>' in listing
    assert "Practice examples" in listing
    # The navigation has the page, marked current.
    assert '<a href="/0180/en/exempel/" aria-current="page">Practice examples</a>' in listing


def test_the_list_filters_by_rights_area(world, examples):
    show(make_example(world.municipality, title="Romsk kulturvecka", published=True, areas=("kultur",)))
    client = world.client("anonymous")
    html = html_of(client, "/0180/exempel/?omrade=kultur")
    assert "Romsk kulturvecka" in html and "Föräldranätverk i skolan" not in html
    assert '<a href="/0180/exempel/?omrade=kultur" aria-current="page">Kultur och språk</a>' in html
    assert "?omrade=bostad" not in html  # only the areas the examples have
    everything = html_of(client, "/0180/exempel/?omrade=ingenting")  # not an area: no filter
    assert "Romsk kulturvecka" in everything and "Föräldranätverk i skolan" in everything


def test_the_pages_take_the_same_number_of_queries_for_2_and_20_examples(world):
    publish_site(world.municipality)
    client = world.client("anonymous")
    counts = {"list": [], "page": []}
    made = []
    for n in (2, 18):  # 2, then 20
        for _i in range(n):
            made.append(
                show(
                    make_example(
                        world.municipality, title=f"Exempel {len(made)}", published=True,
                        areas=("utbildning", "kultur"), sources="https://a.example\nhttps://b.example",
                    )
                )
            )  # fmt: skip
        for key, url in (("list", "/0180/en/exempel/?omrade=kultur"), ("page", f"/0180/en/exempel/{made[-1].pk}/")):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                html = html_of(client, url)
            counts[key].append(len(queries))
            if key == "list":
                assert all(f">Exempel {i}<" in html for i in range(len(made))), len(made)
    assert counts["list"][0] == counts["list"][1], counts
    assert counts["page"][0] == counts["page"][1], counts


# The coordinator's choice


def test_only_a_shared_example_is_shown_and_unsharing_takes_it_off(world):
    example = make_example(world.municipality)
    with pytest.raises(NotShared):
        example_show_publicly(example=example, by=None)
    example_publish(example=example, by=None)
    before = AuditEvent.objects.for_object(example).count()
    example_show_publicly(example=example, by=world.users["coordinator"])
    example_show_publicly(example=example, by=world.users["coordinator"])  # already shown: nothing recorded
    example.refresh_from_db()
    assert example.on_public_site and example.on_public_site_at is not None
    events = list(AuditEvent.objects.for_object(example).order_by("pk"))
    assert len(events) == before + 1 and events[-1].changes == {"on_public_site": [False, True]}
    example_publish(example=example, by=None, publish=False)
    example.refresh_from_db()
    assert not example.on_public_site and example.on_public_site_at is None
    last = AuditEvent.objects.for_object(example).order_by("pk").last()
    assert last.changes == {"is_published": [True, False], "on_public_site": [True, False]}


def confirm_form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return page.content.decode(), sub.data


def test_the_coordinator_shows_and_takes_off_the_example_through_a_confirmation(world):
    publish_site(world.municipality)
    example = make_example(world.municipality, published=True, tips="Ring Testsson på 08-123 456 78.")
    coordinator = world.client("coordinator")
    detail = reverse("practice:detail", args=[example.pk])
    url = reverse("practice:public_site", args=[example.pk])
    page = coordinator.get(detail).content.decode()
    assert f'href="{url}"' in page and "Visas inte på den offentliga webbplatsen." in page
    html, data = confirm_form(coordinator, url)
    assert "Alla kan läsa exemplet på kommunens offentliga webbplats" in html
    assert "Något ersätts med en markering i: tips." in html  # the text with a marker is named
    assert coordinator.post(url, data).status_code == 302
    example.refresh_from_db()
    assert example.on_public_site
    page = coordinator.get(detail).content.decode()
    assert f'href="/0180/exempel/{example.pk}/"' in page
    assert world.client("anonymous").get(f"/0180/exempel/{example.pk}/").status_code == 200
    # A unit contact may not; another municipality's coordinator may not.
    assert world.client("contact_a").post(url, data).status_code == 403
    assert world.client("other_coordinator").post(url, data).status_code == 403
    # Taken off, through its own confirmation.
    html, data = confirm_form(coordinator, url)
    assert data["show"] == ["0"]
    coordinator.post(url, data)
    example.refresh_from_db()
    assert not example.on_public_site and example.is_published
    assert world.client("anonymous").get(f"/0180/exempel/{example.pk}/").status_code == 404


def test_an_example_not_shared_cannot_be_shown(world):
    example = make_example(world.municipality)
    coordinator = world.client("coordinator")
    url = reverse("practice:public_site", args=[example.pk])
    page = coordinator.get(reverse("practice:detail", args=[example.pk])).content.decode()
    assert f'href="{url}"' not in page
    assert coordinator.get(url).status_code == 302
    coordinator.post(url, {"show": "1"})
    assert not PracticeExample.objects.get(pk=example.pk).on_public_site


def test_the_demo_shows_three_of_stockholms_examples(db, settings):
    """The demo's /0180/exempel/ has content, on the walk (so the browser walk checks it with axe)."""
    from django.core.management import call_command
    from django.test import Client

    from organisations.models import Municipality
    from practice.demo import load_demo_practice
    from practice.tests.test_demo import DEMO_FILE
    from public.walk import walk

    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    stockholm = Municipality.objects.get(code="0180")
    shown = PracticeExample.objects.filter(on_public_site=True)
    assert sorted(shown.values_list("title", flat=True)) == [
        "Ambassadörer för mänskliga rättigheter", "Brobyggare", "Förbättrat stöd till socialtjänsten",
    ]  # fmt: skip
    html = Client().get("/0180/exempel/").content.decode()
    assert all(f"/0180/exempel/{pk}/" in html for pk in shown.values_list("pk", flat=True))
    assert "Stötta föräldranätverk" not in html
    urls = walk(stockholm)
    assert "/0180/exempel/" in urls and f"/0180/en/exempel/{shown.first().pk}/" in urls
    assert load_demo_practice(path=DEMO_FILE) == (0, 0) and shown.count() == 3
