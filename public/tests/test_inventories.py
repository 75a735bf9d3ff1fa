"""Needs inventories on the public site: only results that are published and
finalised, hidden exactly as on the staff page, publishable quotes only, and a
way forward's activity named only when that activity is public."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from inventories import services
from inventories.models import DialogueNote, Inventory, Quote, Recommendation
from inventories.tests.test_inventories import answer, confirm_all, finalise, make_inventory, make_survey
from public.services import site_publish, text_save
from public.tests.conftest import publish_site
from surveys.models import Survey

NUM_CELL = re.compile(r'<td class="num( suppressed)?">([^<]*)</td>')


# 13 answers about work, 10 about school, 1 about housing; 2, 14, 7 and 1 respondents by age group.
COUNTS = {("a2", "jobb"): 6, ("a3", "jobb"): 7, ("a1", "läxhjälp"): 2, ("a2", "skola"): 8, ("a4", "bostad"): 1}


def filled_inventory(world, *, name="Behovsinventering 2026", finalised=True) -> Inventory:
    """An inventory of the world's municipality with answers coded to themes
    (COUNTS), finalised unless said otherwise."""
    inventory = make_inventory(world, name=name)
    survey, age, text = make_survey(inventory, name=f"Enkät {name}")
    for (age_value, wish), n in COUNTS.items():
        for _ in range(n):
            answer(survey, age, text, age_value, wish)
    confirm_all(inventory, world.users["coordinator"])
    return finalise(inventory, world.users["coordinator"]) if finalised else inventory


def published(inventory) -> Inventory:
    Inventory.objects.filter(pk=inventory.pk).update(published=True)
    inventory.refresh_from_db()
    return inventory


def page(world, url: str, status: int = 200) -> str:
    response = world.client("anonymous").get(url)
    assert response.status_code == status, url
    return response.content.decode()


def cells(html: str) -> list[str]:
    return [value for _hidden, value in NUM_CELL.findall(html)]


def test_only_published_and_finalised_results_are_public(site, world):
    coordinator = world.users["coordinator"]
    public = published(filled_inventory(world))
    waiting = published(filled_inventory(world, name="Inte fastställd", finalised=False))
    unpublished = make_inventory(world, name="Inte publicerad")
    services.inventory_finalise(inventory=unpublished, by=coordinator)
    other = services.inventory_create(
        municipality=world.other_municipality, by=None, fields={"name": "Huddinges inventering"}
    )
    services.inventory_finalise(inventory=other, by=None)
    published(other)
    publish_site(world.other_municipality, languages=())

    listing = page(world, "/0180/behovsinventeringar/")
    assert f'href="/0180/behovsinventering/{public.pk}/"' in listing
    assert "Behovsinventering 2026" in listing
    for name in ("Inte fastställd", "Inte publicerad", "Huddinges inventering"):
        assert name not in listing
    assert "Behovsinventering 2026" in page(world, f"/0180/behovsinventering/{public.pk}/")
    for inventory in (waiting, unpublished, other):
        page(world, f"/0180/behovsinventering/{inventory.pk}/", 404)
        page(world, f"/0180/en/behovsinventering/{inventory.pk}/", 404)
    # Under its own kommunkod, Huddinge's is public.
    assert "Huddinges inventering" in page(world, f"/0126/behovsinventering/{other.pk}/")
    assert "Huddinges inventering" in page(world, "/0126/behovsinventeringar/")

    # Unpublished again: gone from the list, the page, the start page and the walk.
    Inventory.objects.filter(pk=public.pk).update(published=False)
    page(world, f"/0180/behovsinventering/{public.pk}/", 404)
    assert "Behovsinventering 2026" not in page(world, "/0180/behovsinventeringar/")
    assert "No needs inventory has published its results yet." in page(world, "/0180/en/behovsinventeringar/")


def test_the_list_is_newest_first_and_the_start_page_shows_the_latest(site, world):
    assert "Latest needs inventory" not in page(world, "/0180/en/")
    today = timezone.localdate()
    older = published(filled_inventory(world, name="Äldre"))
    Inventory.objects.filter(pk=older.pk).update(finalised_on=today - timedelta(days=400))
    newer = published(filled_inventory(world))
    listing = page(world, "/0180/behovsinventeringar/")
    assert listing.index(f"/behovsinventering/{newer.pk}/") < listing.index(f"/behovsinventering/{older.pk}/")
    start = page(world, "/0180/en/")
    assert "Latest needs inventory" in start
    assert (
        f'<a href="/0180/en/behovsinventering/{newer.pk}/"><span lang="sv">Behovsinventering 2026</span></a>' in start
    )
    assert 'href="/0180/en/behovsinventeringar/"' in start
    assert f"/behovsinventering/{older.pk}/" not in start


def test_counts_are_hidden_exactly_as_on_the_staff_page(site, world):
    # 13 about work is shown; housing's 1 and the 2 and 1 respondents under 18 and over 50 are not,
    # nor school's 10 (shown, it would give the 1 away).
    inventory = published(filled_inventory(world))
    html = page(world, f"/0180/behovsinventering/{inventory.pk}/")
    staff = world.client("reader").get(reverse("inventories:results", args=[inventory.pk])).content.decode()
    shown = cells(html)
    assert shown == cells(staff)  # the same three tables, cell by cell
    assert "13" in shown and "14" in shown and "dolt" in shown
    assert "10" not in shown and "1" not in shown and "2" not in shown
    assert all(value == "dolt" or int(value) == 0 or int(value) >= 5 for value in shown)
    bars = re.findall(r'<span class="bar-value">([^<]*)</span>', html)
    assert len(bars) == 7 + 5 and "13" in bars  # seven themes, five age groups
    assert all(value == "dolt" or int(value) == 0 or int(value) >= 5 for value in bars)
    # Every table is in a labelled scroll container (reflow at 320 px).
    assert html.count('<div class="table-scroll" role="region" tabindex="0"') == html.count("<table") == 4
    for caption_id in ("t-themes", "t-ages", "t-theme-age", "t-gaps"):
        assert f'aria-labelledby="{caption_id}"' in html and f'<caption id="{caption_id}">' in html


def test_only_publishable_quotes_appear(site, world):
    inventory = published(filled_inventory(world))
    note = DialogueNote.objects.create(
        inventory=inventory, held_on=timezone.localdate(), place="bibliotek", participants=5, summary="Om jobb."
    )
    Quote.objects.create(note=note, text="Vi vill ha jobb.", publishable=True, position=1)
    Quote.objects.create(note=note, text="Jobbet på Storgatan 3 sa nej till mig.", publishable=False, position=2)
    confirm_all(inventory, world.users["coordinator"])
    for url in (f"/0180/behovsinventering/{inventory.pk}/", f"/0180/en/behovsinventering/{inventory.pk}/"):
        html = page(world, url)
        assert "Vi vill ha jobb." in html
        assert "Storgatan" not in html and "Om jobb." not in html  # nor the meeting's own notes


def test_a_way_forward_names_its_activity_only_when_the_activity_is_public(site, world):
    inventory = published(filled_inventory(world))
    activity = world.activity
    Activity.objects.filter(pk=activity.pk).update(visibility=Activity.Visibility.INTERNAL, title="Hemlig insats")
    Recommendation.objects.create(
        inventory=inventory, title="Läxhjälp efter skolan", text="Resurspersoner i skolan.", activity=activity
    )
    Recommendation.objects.create(inventory=inventory, title="Fler dialogmöten", position=2)
    url = f"/0180/en/behovsinventering/{inventory.pk}/"
    html = page(world, url)
    assert "Läxhjälp efter skolan" in html and "Resurspersoner i skolan." in html and "Fler dialogmöten" in html
    assert "Hemlig insats" not in html and f"/aktivitet/{activity.pk}/" not in html
    assert html.count("Not yet a public activity.") == 2

    Activity.objects.filter(pk=activity.pk).update(visibility=Activity.Visibility.PUBLIC)
    text_save(obj=activity, municipality=world.municipality, language="sv", texts={"public_title": "Läxhjälp"}, by=None)
    html = page(world, url)
    link = f'<a href="/0180/en/aktivitet/{activity.pk}/"><span lang="sv">Läxhjälp</span></a>'
    assert link in html
    assert html.count("Not yet a public activity.") == 1
    assert f'<span lang="sv" class="status">{activity.status.name}</span>' in html
    assert "Läxhjälp" in page(world, f"/0180/aktivitet/{activity.pk}/")


def test_swedish_texts_are_marked_and_the_note_comes_once_per_section(site, world):
    inventory = published(filled_inventory(world))
    Quote.objects.create(
        note=DialogueNote.objects.create(
            inventory=inventory, held_on=timezone.localdate(), place="bibliotek", participants=5, summary="Jobb."
        ),
        text="Vi vill ha jobb.",
        publishable=True,
    )
    confirm_all(inventory, world.users["coordinator"])
    Recommendation.objects.create(inventory=inventory, title="Fler dialogmöten")
    work = inventory.themes.get(name="Arbete och försörjning")
    services.theme_save(
        inventory=inventory, by=world.users["coordinator"], theme=work, fields={}, goals=[world.result_goal]
    )
    html = page(world, f"/0180/en/behovsinventering/{inventory.pk}/")
    goal = f'<a href="/0180/en/mal/{world.result_goal.pk}/"><span lang="sv">1.2.1 {world.result_goal.title}</span></a>'
    assert goal in html
    assert '<html lang="en">' in html
    assert '<h1 lang="sv">Behovsinventering 2026</h1>' in html
    assert '<th scope="row"><span lang="sv">Arbete och försörjning</span></th>' in html
    assert '<th scope="col"><span lang="sv">18–30</span></th>' in html
    assert '<blockquote lang="sv">Vi vill ha jobb.</blockquote>' in html
    assert '<h3 lang="sv">Fler dialogmöten</h3>' in html
    # The heading, themes, age groups, themes by age, the plan, quotes, ways forward: one line each.
    assert html.count('class="fallback-note"') == 7
    assert "Texts not yet written in English are shown in Swedish." in html
    swedish = page(world, f"/0180/behovsinventering/{inventory.pk}/")
    assert 'class="fallback-note"' not in swedish
    kalderash = page(world, f"/0180/kalderash/behovsinventering/{inventory.pk}/")
    assert '<p lang="sv" class="fallback-note">' in kalderash


def test_the_old_address_moves_to_the_public_site_once_it_is_published(world):
    inventory = published(filled_inventory(world))
    old = reverse("inventory_public:results", args=[inventory.pk])
    assert old == f"/behovsinventering/{inventory.pk}/"
    client = world.client("anonymous")
    response = client.get(old)
    assert response.status_code == 200 and "Behovsinventering 2026" in response.content.decode()
    assert "/0180/" not in response.content.decode()

    site = publish_site(world.municipality)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"/0180/behovsinventering/{inventory.pk}/"
    assert "max-age=60" in response["Cache-Control"]
    assert "Behovsinventering 2026" in page(world, response["Location"])
    # The downloads stay where they are.
    assert client.get(reverse("inventory_public:results_csv", args=[inventory.pk])).status_code == 200

    # The site taken down: the old page again. An unpublished inventory is not found at either address.
    site_publish(site=site, by=None, published=False)
    assert client.get(old).status_code == 200
    site_publish(site=site, by=None)
    Inventory.objects.filter(pk=inventory.pk).update(published=False)
    assert client.get(old).status_code == 404


def test_survey_pages_link_the_public_site_once_it_is_published(world):
    survey, _age, _text = make_survey(make_inventory(world))
    Survey.objects.filter(pk=survey.pk).update(
        languages=["sv", "en"],
        texts={"sv": {"title": "Enkät", "intro": "Anonym."}, "en": {"title": "Survey", "intro": "Anonymous."}},
        opens_on=timezone.localdate() - timedelta(days=1),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    for question in survey.questions.all():
        question.texts["en"] = "A question"
        question.options = [{**o, "texts": {**o["texts"], "en": o["texts"]["sv"]}} for o in question.options]
        question.save()
    client = world.client("anonymous")
    link = '<p class="public-site-link"><a href="/0180/">'
    form = client.get(f"/e/{survey.token}/?sprak=sv").content.decode()
    assert "<fieldset" in form and "public-site-link" not in form

    publish_site(world.municipality, languages=("en",))
    form = client.get(f"/e/{survey.token}/?sprak=sv").content.decode()
    assert link in form
    english = client.get(f"/e/{survey.token}/?sprak=en").content.decode()
    assert """<a href="/0180/en/">More about the municipality's work for Roma inclusion</a>""" in english
    thanks = client.get(f"/e/{survey.token}/tack/?sprak=sv").content.decode()
    assert link in thanks

    # A survey of its own with public results.
    from surveys.services import survey_finalise

    Survey.objects.filter(pk=survey.pk).update(
        inventory=None, results_published=True, closes_on=timezone.localdate() - timedelta(days=1)
    )
    survey.refresh_from_db()
    survey_finalise(survey=survey, by=world.users["coordinator"])
    results = client.get(reverse("survey_public:results", args=[survey.token]))
    assert results.status_code == 200
    assert link in results.content.decode()


def test_the_walk_has_the_inventory_pages_and_downloads(site, world):
    from public.walk import walk

    inventory = published(filled_inventory(world))
    hidden = filled_inventory(world, name="Inte fastställd", finalised=False)
    urls = walk(world.municipality)
    assert f"/0180/behovsinventering/{inventory.pk}/" in urls
    assert f"/0180/en/behovsinventering/{inventory.pk}/" in urls
    assert "/0180/behovsinventeringar/" in urls
    assert f"/behovsinventering/{inventory.pk}/resultat.csv" in urls
    assert not any(f"behovsinventering/{hidden.pk}/" in url for url in urls)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_pages_take_the_same_queries_for_5_and_50_rows(site, world, language, django_assert_max_num_queries):
    client = world.client("anonymous")
    inventory = published(filled_inventory(world))
    today = timezone.localdate()
    Activity.objects.filter(pk=world.activity.pk).update(visibility=Activity.Visibility.PUBLIC)
    themes = list(inventory.themes.all())

    def add_rows(n):
        start = Recommendation.objects.filter(inventory=inventory).count()
        for i in range(start, start + n):
            rec = Recommendation.objects.create(
                inventory=inventory, title=f"Väg {i}", position=i, activity=world.activity if i % 2 else None
            )
            rec.themes.set(themes[:2])
            Inventory.objects.create(
                municipality=world.municipality, name=f"Inventering {i}", published=True,
                finalised_on=today, release=inventory.release,
            )  # fmt: skip

    add_rows(5)
    urls = [f"/0180/{language}behovsinventeringar/", f"/0180/{language}behovsinventering/{inventory.pk}/"]
    counts = [_queries(client, url) for url in urls]
    add_rows(45)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
    assert page(world, urls[1]).count(f'href="/0180/{language}aktivitet/{world.activity.pk}/"') == 25
