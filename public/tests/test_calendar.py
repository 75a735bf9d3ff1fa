"""The calendar, an event's and a samråd's public page, their iCalendar feeds,
the start page's upcoming part and the ``evenemang`` open-data dataset."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from lxml import html as lxml_html

from conftest import make_consultation
from consultations.models import Consultation
from events.models import Event
from events.services import event_create
from public.services import text_save
from public.walk import walk

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(days: int, hour: int = 18, minute: int = 0) -> datetime:
    """A Stockholm wall-clock time ``days`` from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute), tzinfo=STOCKHOLM)


def make_event(world, title="Romsk kulturkväll", *, days=10, municipality=None, units=None, goals=None, **fields):
    start = fields.pop("starts_at", at(days))
    values = {
        "title": title, "kind": Event.Kind.CULTURE, "is_public": True, "starts_at": start,
        "ends_at": start + timedelta(hours=2, minutes=30), "place": "Kulturhuset, Sergels torg",
        "accessibility": "Entré utan trappsteg, hörslinga.", "interpretation": "Tolkning till romani arli.",
        "childcare": "Barnpassning för barn över tre år.", "description": "Musik och poesi.",
        "partners": "Romska kvinnoföreningen genom Kontakt Kontaktsson",
        **fields,
    }  # fmt: skip
    return event_create(
        municipality=municipality or world.municipality,
        by=None,
        fields=values,
        organisers=units or [world.unit_a],
        goals=[world.result_goal] if goals is None else goals,
    )


def make_open(world, title="Öppet samråd om mötesplatser", *, days=14, **fields):
    values = {
        "starts_at": at(days, 17, 30), "ends_at": at(days, 19, 30), "in_public_calendar": True,
        "place": "Stadsbiblioteket, hörsalen", "accessibility": "Ramp vid entrén.",
        "services": [Consultation.Service.INTERPRETER, Consultation.Service.CHILDCARE],
        "internal_notes": "INTERNT-KANARIE", "compensation_paid": True, "compensation_total": 4321,
        **fields,
    }  # fmt: skip
    return make_consultation(
        world.municipality, world.unit_a, title=title, representatives=[world.membership("representative")], **values
    )


def get(world, url: str) -> str:
    response = world.client("anonymous").get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def status(world, url: str) -> int:
    return world.client("anonymous").get(url).status_code


def main_text(html: str) -> str:
    return " ".join(lxml_html.fromstring(html).xpath("//main")[0].text_content().split())


# --- The calendar ------------------------------------------------------------------------------


def test_the_calendar_lists_what_is_coming_with_what_one_needs_to_come(world, site):
    event = make_event(world)
    make_event(world, "Planeringsmöte", is_public=False)
    past = make_event(world, "Romska nationaldagen", days=-30)
    samrad = make_open(world)
    make_open(world, "Slutet samråd", in_public_calendar=False)
    html = get(world, "/0180/kalender/")
    text = main_text(html)
    assert "Romsk kulturkväll" in text and "Öppet samråd om mötesplatser" in text
    assert "Planeringsmöte" not in html and "Slutet samråd" not in html and "Romska nationaldagen" not in html
    for fact in (
        "Kulturhuset, Sergels torg", "Entré utan trappsteg, hörslinga.", "Tolkning till romani arli.",
        "Barnpassning för barn över tre år.", "Stadsbiblioteket, hörsalen", "Ramp vid entrén.", "Tolk, barnpassning",
    ):  # fmt: skip
        assert fact in text, fact
    assert f'href="/0180/evenemang/{event.pk}/"' in html and f'href="/0180/samrad/{samrad.pk}/"' in html
    assert 'href="/0180/kalender.ics"' in html
    # Times are Stockholm's: the event starts at 18:00 and ends at 20:30 that day.
    assert f"{event.starts_at.astimezone(STOCKHOLM):%H:%M}" == "18:00"
    assert "18:00–20:30" in text
    # The past event is in its year.
    year = past.starts_at.astimezone(STOCKHOLM).year
    assert f'href="/0180/kalender/?ar={year}"' in html
    assert "Romska nationaldagen" in get(world, f"/0180/kalender/?ar={year}")
    # Never internal things.
    for secret in ("INTERNT-KANARIE", "4321", "Kontakt Kontaktsson", "Representative"):
        assert secret not in html


def test_the_calendar_groups_by_month(world, site):
    first = make_event(world, "Första", starts_at=at(2, 12))
    later = make_event(world, "Senare", starts_at=first.starts_at + timedelta(days=62))
    doc = lxml_html.fromstring(get(world, "/0180/kalender/"))
    headings = [h.text_content() for h in doc.xpath("//main//section/h2")]
    assert len(headings) == 2
    for event, heading in zip((first, later), headings, strict=True):
        assert str(event.starts_at.astimezone(STOCKHOLM).year) in heading


@pytest.mark.parametrize("bad", ["x", "99999", "-1", "1", "2025x", "", "٢٠٢٥"])
def test_a_bad_year_is_said_plainly_and_the_coming_dates_shown(world, site, bad):
    make_event(world)
    response = world.client("anonymous").get("/0180/kalender/", {"ar": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="year-error"' in html and "Romsk kulturkväll" in html


def test_a_year_with_nothing_says_so(world, site):
    html = get(world, "/0180/kalender/?ar=2001")
    assert 'id="year-error"' not in html
    assert "2001" in lxml_html.fromstring(html).xpath("//h1")[0].text_content()
    assert "2001" in lxml_html.fromstring(html).xpath('//*[@id="calendar-empty"]')[0].text_content()


def test_an_event_that_ended_an_hour_ago_is_no_longer_coming_up(world, site):
    now = timezone.now()
    make_event(world, "Nyss slut", starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    make_event(world, "Pågår", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    html = get(world, "/0180/kalender/")
    assert "Pågår" in html and "Nyss slut" not in html


# --- An event ----------------------------------------------------------------------------------


def test_an_event_page_in_english_with_the_honest_fallback(world, site):
    event = make_event(world, goals=[world.result_goal])
    html = get(world, f"/0180/en/evenemang/{event.pk}/")
    assert '<h1 lang="sv">Romsk kulturkväll</h1>' in html  # no English text yet: Swedish, said once
    assert html.count('class="fallback-note"') == 1
    text_save(
        obj=event, municipality=world.municipality, language="en", by=None,
        texts={"public_title": "Roma cultural evening", "public_text": "Music and poetry."},
    )  # fmt: skip
    html = get(world, f"/0180/en/evenemang/{event.pk}/")
    assert '<h1 lang="en">Roma cultural evening</h1>' in html and 'lang="en"' in html
    assert 'class="fallback-note"' not in html
    text = main_text(html)
    assert "Cultural evening" in text  # the kind, in the frame's language
    assert "Socialnämnden" in text  # the organising unit
    assert f'href="/0180/en/mal/{world.result_goal.pk}/"' in html
    assert f'href="/0180/en/evenemang/{event.pk}.ics"' in html
    assert "Kontakt Kontaktsson" not in html  # partners' contact persons are not public


def test_participants_afterwards_protected_as_outside_staff_see_them(world, site):
    event = make_event(world, days=-5, participants_total=40, participants={"barn_unga": 38, "aldre": 2})
    html = get(world, f"/0180/evenemang/{event.pk}/")
    doc = lxml_html.fromstring(html)
    assert doc.xpath('//*[@id="participants-total"]')[0].text_content().split()[-1] == "40"
    cells = [td.text_content() for td in doc.xpath('//section[@aria-labelledby="participants-heading"]//td')]
    assert "38" not in cells and "2" not in cells and cells.count("dolt") == 2


def test_a_total_below_k_never_appears(world, site):
    k = world.municipality.suppression_k
    event = make_event(world, days=-5, participants_total=k - 1)
    html = get(world, f"/0180/evenemang/{event.pk}/")
    section = lxml_html.fromstring(html).xpath('//section[@aria-labelledby="participants-heading"]')[0]
    assert str(k - 1) not in section.text_content()
    assert "dolt" in section.text_content()


def test_no_participants_before_the_event(world, site):
    event = make_event(world, participants_total=40)  # a count entered ahead (a target): not shown yet
    html = get(world, f"/0180/evenemang/{event.pk}/")
    assert "participants-heading" not in html


def test_what_is_not_public_is_not_found(world, site):
    internal = make_event(world, "Planeringsmöte", is_public=False)
    closed = make_open(world, "Slutet samråd", in_public_calendar=False)
    theirs = make_event(world, municipality=world.other_municipality, units=[world.other_unit], goals=[])
    for url in (
        f"/0180/evenemang/{internal.pk}/", f"/0180/evenemang/{internal.pk}.ics",
        f"/0180/samrad/{closed.pk}/", f"/0180/samrad/{closed.pk}.ics",
        f"/0180/evenemang/{theirs.pk}/", f"/0180/en/evenemang/{theirs.pk}.ics",
        f"/0180/evenemang/{theirs.pk + 1000}/",
    ):  # fmt: skip
        assert status(world, url) == 404, url


def test_an_event_of_another_municipality_is_not_found_under_this_code(world, site):
    from public.tests.conftest import publish_site

    publish_site(world.other_municipality)
    theirs = make_event(world, municipality=world.other_municipality, units=[world.other_unit], goals=[])
    assert status(world, f"/0126/evenemang/{theirs.pk}/") == 200
    assert status(world, f"/0180/evenemang/{theirs.pk}/") == 404


# --- A samråd ----------------------------------------------------------------------------------


def test_a_samrad_page_says_how_to_come_and_nothing_internal(world, site):
    samrad = make_open(world)
    html = get(world, f"/0180/samrad/{samrad.pk}/")
    text = main_text(html)
    assert '<h1 lang="sv">Öppet samråd om mötesplatser</h1>' in html
    for fact in (
        "Stadsbiblioteket, hörsalen", "Ramp vid entrén.", "Tolk, barnpassning",
        "Hur brobyggarnas arbete ska organiseras.", "minoriteter@kommun.example", "17:30–19:30",
    ):  # fmt: skip
        assert fact in text, fact
    for secret in ("INTERNT-KANARIE", "4321", "Representative", "representative@", "Romska kvinnoföreningen"):
        assert secret not in html
    assert f'href="/0180/samrad/{samrad.pk}.ics"' in html


def test_a_held_samrad_stays_in_the_calendar_of_its_year(world, site):
    held = make_open(world, "Hållet samråd", days=-40)
    assert status(world, f"/0180/samrad/{held.pk}/") == 200
    assert f"/0180/samrad/{held.pk}/" in walk(world.municipality)


# --- iCalendar ---------------------------------------------------------------------------------


def parse(world, url: str) -> tuple[object, Calendar]:
    response = world.client("anonymous").get(url)
    assert response.status_code == 200, url
    return response, Calendar.from_ical(response.content)


def test_the_feeds_parse_with_uid_tzid_and_language(world, site, settings):
    settings.SITE_URL = "https://inkludera.example.se/"
    event = make_event(world)
    text_save(obj=event, municipality=world.municipality, language="en", by=None, texts={"public_title": "Evening"})
    samrad = make_open(world)
    response, cal = parse(world, "/0180/en/kalender.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;") and ".ics" in response["Content-Disposition"]
    assert "Set-Cookie" not in response
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    by_uid = {str(v["UID"]): v for v in cal.walk("VEVENT")}
    assert set(by_uid) == {f"event-{event.pk}@inkludera.example.se", f"samrad-{samrad.pk}@inkludera.example.se"}
    vevent = by_uid[f"event-{event.pk}@inkludera.example.se"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert vevent["DTSTART"].dt == event.starts_at and vevent["DTSTART"].dt.hour == 18
    assert vevent["DTEND"].dt == event.ends_at
    assert (str(vevent["SUMMARY"]), vevent["SUMMARY"].params["LANGUAGE"]) == ("Evening", "en")
    # The English description is not written: the Swedish one, said so.
    assert (str(vevent["DESCRIPTION"]), vevent["DESCRIPTION"].params["LANGUAGE"]) == ("Musik och poesi.", "sv")
    assert vevent["LOCATION"].params["LANGUAGE"] == "sv"
    assert str(vevent["URL"]) == f"https://inkludera.example.se/0180/en/evenemang/{event.pk}/"
    assert vevent["DTSTAMP"].dt >= event.created_at.replace(microsecond=0)
    assert world.client("reader").get("/0180/en/kalender.ics").content == response.content  # the same for all
    consultation = by_uid[f"samrad-{samrad.pk}@inkludera.example.se"]
    assert consultation["SUMMARY"].params["LANGUAGE"] == "sv"
    body = response.content.decode()
    for forbidden in ("ORGANIZER", "ATTENDEE", "INTERNT-KANARIE", "Kontakt Kontaktsson", "Representative"):
        assert forbidden not in body


def test_one_items_feed(world, site):
    event = make_event(world)
    samrad = make_open(world)
    _response, cal = parse(world, f"/0180/evenemang/{event.pk}.ics")
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Romsk kulturkväll" and vevent["SUMMARY"].params["LANGUAGE"] == "sv"
    _response, cal = parse(world, f"/0180/samrad/{samrad.pk}.ics")
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["UID"]).startswith(f"samrad-{samrad.pk}@")
    assert vevent["DTSTART"].dt == samrad.starts_at


def test_the_whole_feed_reaches_a_year_back(world, site):
    make_event(world, "Förra månaden", days=-30)
    make_event(world, "För två år sedan", days=-730)
    _response, cal = parse(world, "/0180/kalender.ics")
    titles = {str(v["SUMMARY"]) for v in cal.walk("VEVENT")}
    assert titles == {"Förra månaden"}


# --- Start page, walk, queries -----------------------------------------------------------------


def test_the_start_page_shows_the_next_three(world, site):
    for days, title in ((1, "Ett"), (3, "Tre"), (5, "Fem"), (7, "Sju")):
        make_event(world, title, days=days)
    make_open(world, "Samrådet", days=2)
    make_event(world, "Förbi", days=-1)
    doc = lxml_html.fromstring(get(world, "/0180/"))
    (section,) = doc.xpath('//section[@aria-labelledby="upcoming-heading"]')
    titles = [h.text_content().strip() for h in section.xpath(".//h3")]
    assert titles == ["Ett", "Samrådet", "Tre"]


def test_the_walk_lists_the_pages_and_feeds_and_each_answers(world, site):
    event = make_event(world)
    samrad = make_open(world)
    make_event(world, "Planeringsmöte", is_public=False)
    urls = walk(world.municipality)
    for url in (
        "/0180/kalender/", "/0180/en/kalender/", f"/0180/evenemang/{event.pk}/", f"/0180/en/evenemang/{event.pk}/",
        f"/0180/samrad/{samrad.pk}/", "/0180/kalender.ics", f"/0180/evenemang/{event.pk}.ics",
        f"/0180/samrad/{samrad.pk}.ics",
    ):  # fmt: skip
        assert url in urls, url
    assert not [url for url in urls if "Planeringsmöte" in url]
    assert len([url for url in urls if "/evenemang/" in url]) == 6  # page and feed in sv, en and kalderash
    assert "/0180/en/kalender.ics" in urls and f"/0180/en/samrad/{samrad.pk}.ics" in urls
    for url in urls:
        if "kalender" in url or "evenemang" in url or "samrad" in url:
            assert status(world, url) == 200, url


def grow(world, n: int):
    for i in range(n):
        event = make_event(world, f"Evenemang {i}", days=i % 40 + 1, participants_total=40)
        text_save(obj=event, municipality=world.municipality, language="en", by=None, texts={"public_title": f"E {i}"})
        make_open(world, f"Samråd {i}", days=i % 40 + 1)


@pytest.mark.parametrize("n", [5, 50])
def test_the_calendar_takes_a_fixed_number_of_queries(world, site, django_assert_max_num_queries, n):
    grow(world, n)
    event = Event.objects.filter(municipality=world.municipality).first()
    client = world.client("anonymous")
    for url in ("/0180/en/kalender/", "/0180/en/kalender.ics", "/0180/en/", f"/0180/en/evenemang/{event.pk}/"):
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
    assert client.get("/0180/en/kalender/").content.decode().count("/0180/en/evenemang/") == n


# --- The open-data dataset "evenemang" ------------------------------------------------------------


def dataset(world, csv=False):
    import csv as csvlib
    import io

    suffix = ".csv" if csv else "/"
    response = world.client("anonymous").get(f"/api/v1/kommuner/0180/evenemang{suffix}", {"page_size": 500})
    assert response.status_code == 200
    if not csv:
        return response.json()["results"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csvlib.DictReader(io.StringIO(text[1:]), delimiter=";"))


def _without_ids(value):
    """A dataset's records without their ids and addresses (numbers that are not counts)."""
    if isinstance(value, dict):
        return {
            key: _without_ids(item)
            for key, item in value.items()
            if key not in ("id", "pk") and not key.endswith(("_id", "_ids", "_url"))
        }
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def test_the_events_dataset_publishes_the_public_events_protected_as_their_pages(world, site, settings):
    from public.selectors.calendar import calendar_events

    many = make_event(world, "Romska nationaldagen", days=-20, participants_total=40,
                      participants={"barn_unga": 38, "aldre": 2})  # fmt: skip
    few = make_event(world, "Liten träff", days=-10, participants_total=2)
    coming = make_event(world, "Kommande", days=10)
    make_event(world, "Planeringsmöte", is_public=False, participants_total=7)
    make_event(world, "Deras", municipality=world.other_municipality, units=[world.other_unit], goals=[])
    records = dataset(world)
    assert [r["id"] for r in records] == [many.pk, few.pk, coming.pk]
    assert [r["id"] for r in records] == list(
        calendar_events(world.municipality).order_by("starts_at").values_list("pk", flat=True)
    )
    first = records[0]
    assert (first["kommunkod"], first["title"], first["kind"], first["place"]) == (
        "0180", "Romska nationaldagen", "kultur", "Kulturhuset, Sergels torg",
    )  # fmt: skip
    assert first["description"] == "Musik och poesi." and first["organising_units"] == ["Socialnämnden"]
    assert first["goals"] == [{"id": world.result_goal.pk, "code": "1.2.1", "plan_id": world.plan.pk}]
    assert [a["code"] for a in first["rights_areas"]] == ["kultur"]
    assert first["participants_total"] == {"text": "40", "value": 40, "suppressed": False}
    by_age = {row["age_group"]: row["count"] for row in first["participants_by_age"]}
    assert by_age["barn_unga"] == {"text": "dolt", "value": None, "suppressed": True}
    assert by_age["aldre"]["suppressed"] and by_age["vuxna"]["value"] == 0
    assert records[1]["participants_total"] == {"text": "dolt", "value": None, "suppressed": True}
    assert records[2]["participants_total"] is None  # not yet held
    assert first["page_url"] == f"http://testserver/0180/evenemang/{many.pk}/"
    assert first["ics_url"] == f"http://testserver/0180/evenemang/{many.pk}.ics"
    body = str(records)
    for secret in ("Kontakt Kontaktsson", "Romska kvinnoföreningen", "Planeringsmöte", "Deras"):
        assert secret not in body
    # The hidden count is nowhere, ids and addresses aside (an id may be 38: sequences are never reset).
    numbers = str(_without_ids(records))
    assert "'38'" not in numbers and ": 38" not in numbers
    text, rows = dataset(world, csv=True)
    assert [int(r["id"]) for r in rows] == [many.pk, few.pk, coming.pk]
    assert (rows[0]["participants_total"], rows[0]["participants_barn_unga"], rows[1]["participants_total"]) == (
        "40", "dolt", "dolt",
    )  # fmt: skip
    assert rows[0]["goal_codes"] == "1.2.1" and rows[0]["ics_url"].endswith(f"/0180/evenemang/{many.pk}.ics")
    assert "Kontakt Kontaktsson" not in text
    assert not [cell for row in _without_ids(rows) for cell in row.values() if "38" in (cell or "").split(";")]


def test_the_events_dataset_is_empty_while_the_site_is_unpublished(world):
    # Public events are published with the site: an unpublished site takes them
    # out of the API with its pages (public.selectors.calendar.calendar_events).
    make_event(world)
    assert dataset(world) == []


@pytest.mark.parametrize("n", [5, 50])
def test_the_events_dataset_takes_a_fixed_number_of_queries(world, site, django_assert_max_num_queries, n):
    grow(world, n)
    client = world.client("anonymous")
    for url in ("/api/v1/kommuner/0180/evenemang/", "/api/v1/kommuner/0180/evenemang.csv"):
        with django_assert_max_num_queries(12):
            response = client.get(url, {"page_size": 500})
        assert response.status_code == 200


@pytest.mark.django_db
def test_the_demo_always_has_a_coming_open_samrad(settings, client):
    """The demo's open samråd is dated from the day the demo is loaded, so whoever
    tries the demo, whenever, finds it ahead in the public calendar."""
    from django.core.management import call_command

    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", "--quiet-logins")
    html = client.get("/0180/kalender/").content.decode()
    assert "Öppet samråd med romska vårdnadshavare om förskola och skola" in html
    start = client.get("/0180/").content.decode()
    assert "Öppet samråd med romska vårdnadshavare om förskola och skola" in start
