"""The staff calendar (consultations/calendar.py): the month grid and the list,
what each role sees, Stockholm days across summer time, and a query count that
does not grow with the items."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from conftest import make_consultation
from events.models import Event
from lib.ical import CALENDAR_TZ

MONTH = reverse("consultations:calendar")
LIST = reverse("consultations:calendar_list")


def at(y, m, d, hh=18, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CALENDAR_TZ)


def samrad(world, title, start, *, hours=2, **fields):
    return make_consultation(
        world.municipality, world.unit_a, title=title, starts_at=start, ends_at=start + timedelta(hours=hours), **fields
    )


def event(world, title, start, *, hours=2, municipality=None, **fields):
    e = Event.objects.create(
        municipality=municipality or world.municipality, title=title, starts_at=start,
        ends_at=start + timedelta(hours=hours) if hours is not None else None, **fields,
    )  # fmt: skip
    e.organisers.set([world.unit_b] if municipality is None else [])
    return e


def page(world, role, url):
    response = world.client(role).get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def cell_of(doc, day: datetime) -> list[str]:
    """The titles linked in the grid's cell of ``day`` (the day's number, then its links)."""
    found = []
    for td in doc.xpath('//table[@class="month-grid"]/tbody/tr/td[not(contains(@class, "outside"))]'):
        number = td.xpath('string(.//span[@class="day-number"]/text()[last()])').strip()
        if number == str(day.day):
            found.append([title(a) for a in td.xpath(".//a")])
    (titles,) = found
    return titles


def title(link) -> str:
    """A link's text without its start time."""
    return "".join(link.xpath("text()")).strip()


def all_titles(doc) -> set[str]:
    return {title(a) for a in doc.xpath('//table[@class="month-grid"]//a')}


@time_machine.travel(at(2027, 3, 15, 12), tick=False)
def test_the_month_grid_around_the_start_of_summer_time(world):
    """March 2027: Monday the 1st, summer time from 02:00 on Sunday the 28th."""
    samrad(world, "Första dagen", at(2027, 3, 1, 0, 15))  # 23:15 UTC on 28 February
    samrad(world, "Natten då klockan ställs om", at(2027, 3, 28, 1, 30))  # before 02:00, CET
    event(world, "Efter omställningen", at(2027, 3, 28, 3, 30))  # after, CEST
    event(world, "Sista dagen", at(2027, 3, 31, 23, 0), hours=0.5)  # 21:00 UTC
    event(world, "Februari", at(2027, 2, 28, 23, 30), hours=0.25)
    event(world, "April", at(2027, 4, 1, 0, 30))  # 22:30 UTC on 31 March
    doc = page(world, "coordinator", f"{MONTH}?manad=2027-03")
    grid = doc.xpath('//table[@class="month-grid"]')[0]
    assert grid.xpath("string(caption)").strip().lower() in ("mars 2027", "march 2027")
    headers = [th.text_content().strip().lower() for th in grid.xpath("thead/tr/th")][1:]
    assert headers[0] in ("måndag", "monday") and headers[6] in ("söndag", "sunday")
    # Swedish (ISO) week numbers, Monday first: 1 March 2027 is a Monday in week 9.
    weeks = [th.text_content().split()[-1] for th in grid.xpath("tbody/tr/th")]
    assert weeks == ["9", "10", "11", "12", "13"]
    first_row = grid.xpath("tbody/tr[1]/td")
    assert "outside" not in (first_row[0].get("class") or "")
    assert cell_of(doc, at(2027, 3, 1)) == ["Första dagen"]
    assert cell_of(doc, at(2027, 3, 28)) == ["Natten då klockan ställs om", "Efter omställningen"]
    assert cell_of(doc, at(2027, 3, 31)) == ["Sista dagen"]
    assert "Februari" not in all_titles(doc) and "April" not in all_titles(doc)
    # The times are Stockholm's, on either side of the change.
    times = [t.text for t in grid.xpath(".//time")]
    assert times[:4] == ["00:15", "01:30", "03:30", "23:00"]
    # Today is marked, and only today.
    (today,) = grid.xpath('.//td[@aria-current="date"]')
    assert today.xpath('string(.//span[@class="day-number"])').strip().endswith("15")
    # Each item links to its page; the months either side are a link away.
    links = {a.get("href") for a in grid.xpath(".//a")}
    assert {f"/samrad/{pk}/" for pk in world.municipality.consultations.filter(
        title__in=["Första dagen", "Natten då klockan ställs om"]).values_list("pk", flat=True)} <= links  # fmt: skip
    nav = {a.get("rel"): a.get("href") for a in doc.xpath('//nav[@class="month-nav"]//a[@rel]')}
    assert nav == {"prev": "?manad=2027-02", "next": "?manad=2027-04"}
    # The next month has April's item on its first day, not March's last.
    april = page(world, "coordinator", f"{MONTH}?manad=2027-04")
    assert cell_of(april, at(2027, 4, 1)) == ["April"]


@time_machine.travel(at(2027, 10, 2, 9), tick=False)
def test_the_month_grid_around_the_end_of_summer_time(world):
    """October 2027 begins on a Friday (week 39) and ends on Sunday the 31st, the night summer time ends."""
    event(world, "Sent på sista dagen", at(2027, 10, 31, 23, 30), hours=0.25)  # 22:30 UTC
    samrad(world, "Första november", at(2027, 11, 1, 0, 30))  # 23:30 UTC on 31 October
    event(world, "Tre dagar", at(2027, 10, 29, 10), hours=50)  # 29–31 October
    doc = page(world, "contact_a", f"{MONTH}?manad=2027-10")
    grid = doc.xpath('//table[@class="month-grid"]')[0]
    first = grid.xpath("tbody/tr[1]/td")
    # Monday 27 September to Thursday 30 September belong to the month before.
    assert ["outside" in (td.get("class") or "") for td in first] == [True] * 4 + [False] * 3
    assert [th.text_content().split()[-1] for th in grid.xpath("tbody/tr/th")] == ["39", "40", "41", "42", "43"]
    assert cell_of(doc, at(2027, 10, 31)) == ["Tre dagar", "Sent på sista dagen"]
    assert cell_of(doc, at(2027, 10, 29)) == ["Tre dagar"] and cell_of(doc, at(2027, 10, 30)) == ["Tre dagar"]
    assert "Första november" not in all_titles(doc)
    # An item past midnight is on both days, as in any calendar.
    event(world, "Över midnatt", at(2027, 10, 31, 22), hours=3)
    doc = page(world, "contact_a", f"{MONTH}?manad=2027-11")
    assert cell_of(doc, at(2027, 11, 1)) == ["Över midnatt", "Första november"]


@time_machine.travel(at(2027, 5, 10, 12), tick=False)
def test_each_role_sees_what_it_may_see(world):
    invited = samrad(world, "Inbjuden", at(2027, 5, 12), representatives=[world.membership("representative")])
    samrad(world, "Inte inbjuden", at(2027, 5, 13))
    event(world, "Öppet evenemang", at(2027, 5, 14), is_public=True)
    event(world, "Internt evenemang", at(2027, 5, 15))
    event(world, "Annan kommun", at(2027, 5, 16), municipality=world.other_municipality, is_public=True)
    staff = {"Inbjuden", "Inte inbjuden", "Öppet evenemang", "Internt evenemang"}
    for role in ("reader", "contact_a", "contact_b", "coordinator"):
        assert all_titles(page(world, role, MONTH)) == staff, role
    assert all_titles(page(world, "representative", MONTH)) == {"Inbjuden", "Öppet evenemang"}
    assert all_titles(page(world, "other_coordinator", MONTH)) == {"Annan kommun"}
    listed = page(world, "representative", LIST)
    assert {a.text_content() for a in listed.xpath("//main//table//a")} == {"Inbjuden", "Öppet evenemang"}
    assert listed.xpath("//main//table//a/@href")[0] == reverse("consultations:detail", args=[invited.pk])


@time_machine.travel(at(2027, 5, 10, 12), tick=False)
def test_the_list_has_what_is_coming_then_the_past_by_month(world):
    samrad(world, "Nästa vecka", at(2027, 5, 17))
    event(world, "I dag utan slut", at(2027, 5, 10, 8), hours=None)  # started this morning: still today's
    event(world, "Pågår", at(2027, 5, 9, 10), hours=48)
    samrad(world, "I april", at(2027, 4, 20))
    event(world, "I mars", at(2027, 3, 2))
    event(world, "För länge sedan", at(2026, 4, 30))  # before the first of the month a year ago
    doc = page(world, "coordinator", LIST)
    tables = doc.xpath("//main//table")
    titles = [[a.text_content() for a in table.xpath(".//a")] for table in tables]
    assert titles == [["Pågår", "I dag utan slut", "Nästa vecka"], ["I april"], ["I mars"]]
    headings = [h.text_content().strip().lower() for h in doc.xpath("//main//h3")]
    assert headings in (["april 2027", "mars 2027"], ["april 2027", "march 2027"])


def test_a_month_that_is_not_one_shows_this_month(world):
    doc = page(world, "coordinator", f"{MONTH}?manad=2027-13")
    assert doc.xpath('//p[contains(@class, "message-warning")]')
    assert doc.xpath('//td[@aria-current="date"]')


@pytest.mark.parametrize("view", ["month", "list"])
def test_the_query_count_does_not_grow_with_the_items(world, view):
    soon = datetime.combine(timezone.localdate() + timedelta(days=3), time(18), tzinfo=CALENDAR_TZ)
    url = f"{MONTH}?manad={soon:%Y-%m}" if view == "month" else LIST
    client = world.client("contact_a")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    samrad(world, "En", soon)
    event(world, "Ett", soon)
    client.get(url)  # the session's first use
    few = count()
    for n in range(25):
        samrad(world, f"Samråd {n}", soon + timedelta(hours=n))
        event(world, f"Evenemang {n}", soon + timedelta(hours=n), hours=30)
    assert count() == few
