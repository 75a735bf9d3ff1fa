"""Events in the council report: those held in the period, by kind, with
participant counts protected by the municipality's k, the goals they served,
and the manifest's list of what was read."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from events.models import Event
from events.services import event_create
from lib.suppression import Cell
from reports.assemble import MANIFEST_VERSION, council_document
from reports.models import CouncilReport

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2027, 3, 1, 12, tzinfo=STOCKHOLM)  # after the world's round (1 May – 31 August 2026)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def sv(text: str, **values) -> str:
    with translation.override("sv"):
        return _(text) % values if values else _(text)


def event(world, title, day: date, *, kind=Event.Kind.CULTURE, total=None, ages=None, goals=(), municipality=None):
    return event_create(
        municipality=municipality or world.municipality,
        by=None,
        fields={
            "title": title,
            "kind": kind,
            "starts_at": datetime(day.year, day.month, day.day, 17, tzinfo=STOCKHOLM),
            "participants_total": total,
            "participants": ages or {},
        },
        organisers=[world.unit_a] if municipality is None else [world.other_unit],
        goals=goals,
    )


def council(world) -> CouncilReport:
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning 2026")
    report.rounds.set([world.round])
    return report


def table(doc, caption):
    (found,) = [b for b in doc.blocks if b.kind == "table" and b.caption == caption]
    return found


def test_events_held_in_the_period_with_protected_counts(world):
    k = world.municipality.suppression_k
    assert k > 3
    event(world, "Romska nationaldagen", date(2026, 5, 8), kind=Event.Kind.ROMA_DAY, total=40,
                goals=[world.result_goal, world.goal])  # fmt: skip
    event(world, "Poesitävling", date(2026, 6, 2), kind=Event.Kind.COMPETITION, total=k - 1)
    event(world, "Kulturkväll", date(2026, 6, 20), total=k + 5, goals=[world.other_goal])
    event(world, "Kulturkväll utan räkning", date(2026, 7, 1))
    event(world, "Före perioden", date(2026, 4, 30), total=50)
    event(world, "Efter perioden", date(2026, 9, 1), total=50)
    event(world, "Huddinges dag", date(2026, 6, 1), total=30, municipality=world.other_municipality)

    doc, sources = council_document(council(world))
    text = doc.text()
    assert sv("Events") in text
    for absent in ("Före perioden", "Efter perioden", "Huddinges dag"):
        assert absent not in text
    listed = table(doc, sv("Events held in the period"))
    rows = {r[1]: r for r in listed.rows}
    assert list(rows) == ["Romska nationaldagen", "Poesitävling", "Kulturkväll", "Kulturkväll utan räkning"]
    assert rows["Romska nationaldagen"][0] == "2026-05-08"
    assert rows["Romska nationaldagen"][3] == "40"
    assert rows["Romska nationaldagen"][4] == f"{world.goal.code}, {world.result_goal.code}"  # tree order
    assert rows["Kulturkväll"][4] == ""  # another plan's goal is not named
    with translation.override("sv"):
        hidden = str(Cell(None, True, k))
    assert rows["Poesitävling"][3] == hidden and str(k - 1) not in rows["Poesitävling"]
    assert rows["Kulturkväll utan räkning"][3] == "–"

    by_kind = {r[0]: r[1:] for r in table(doc, sv("Events held in the period, by kind")).rows}
    with translation.override("sv"):
        labels = {value: str(label) for value, label in Event.Kind.choices}
    assert by_kind[labels[Event.Kind.ROMA_DAY]] == ["1", "40"]
    assert by_kind[labels[Event.Kind.COMPETITION]] == ["1", "0"]  # the hidden count is not added
    assert by_kind[labels[Event.Kind.CULTURE]] == ["2", str(k + 5)]
    assert by_kind[sv("Total")] == ["4", str(40 + k + 5)]
    assert labels[Event.Kind.OTHER] not in by_kind

    assert sources["manifest"] == MANIFEST_VERSION == 4
    assert sources["events_as_of"] == "2026-08-31" and sources["events_k"] == k
    assert sorted(pk for pk, _version in sources["events"]) == sorted(
        Event.objects.filter(title__in=rows).values_list("pk", flat=True)
    )


def test_no_events_says_so(world):
    doc, sources = council_document(council(world))
    assert sv("No events were held in the period.") in doc.text()
    assert sources["events"] == []


def test_the_events_chapter_takes_the_same_number_of_queries_however_many_events(world):
    report = council(world)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            council_document(report)
        return len(ctx.captured_queries)

    event(world, "Kulturkväll 0", date(2026, 6, 1), total=12, goals=[world.goal])
    queries()
    before = queries()
    for n in range(1, 30):
        event(world, f"Kulturkväll {n}", date(2026, 6, 1), total=12, goals=[world.goal])
    assert queries() == before


def test_the_build_page_says_which_events_were_read(world):
    from django.template.loader import render_to_string

    event(world, "Kulturkväll", date(2026, 6, 20), total=30)
    _doc, sources = council_document(council(world))
    with translation.override("en"):
        html = render_to_string("reports/_sources.html", {"sources": sources})
    k = world.municipality.suppression_k
    assert f"1 event, as of 2026-08-31, counts below {k} hidden" in html
