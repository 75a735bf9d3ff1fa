"""Outreach in the council report: the period's months, each line protected
with the municipality's k, another municipality's months left out, and the
manifest's list of what was read."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext as _

from lib.suppression import Cell
from outreach.services import outreach_month_save
from reports.assemble import council_document
from reports.models import CouncilReport

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2027, 3, 1, 12, tzinfo=STOCKHOLM)  # after the world's round (1 May – 31 August 2026)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def sv(text: str) -> str:
    with translation.override("sv"):
        return _(text)


def month(unit, day: date, **counts):
    return outreach_month_save(unit=unit, month=day, counts=counts, by=None)


def council(world) -> CouncilReport:
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning 2026")
    report.rounds.set([world.round])
    return report


def rows_of(doc, caption) -> dict:
    (found,) = [b for b in doc.blocks if b.kind == "table" and b.caption == caption]
    return {row[0]: row[1] for row in found.rows}


def test_outreach_in_the_period_with_small_counts_hidden(world):
    k = world.municipality.suppression_k
    assert k > 2
    month(world.unit_a, date(2026, 5, 1), contacts=30, area_skola=20, area_bostad=10, channel_besok=30, referrals=9)
    month(world.unit_b, date(2026, 8, 1), contacts=12, area_skola=10, area_halsa=2, channel_telefon=12)
    month(world.unit_a, date(2026, 4, 1), contacts=50, area_arbete=50, channel_plats=50)  # before the period
    month(world.unit_a, date(2026, 9, 1), contacts=50, area_arbete=50, channel_plats=50)  # after
    month(world.other_unit, date(2026, 6, 1), contacts=40, area_arbete=40, channel_plats=40)  # another municipality
    doc, sources = council_document(council(world))
    assert sv("Outreach") in doc.text()
    with translation.override("sv"):
        hidden = str(Cell(None, True, k))
    areas = rows_of(doc, sv("Contacts by area of need"))
    assert areas[sv("Total")] == "42"
    assert areas[sv("school").capitalize()] == "30"
    # Health (2) is small: hidden, with the smallest count of at least k (housing, 10).
    assert areas[sv("health").capitalize()] == hidden and areas[sv("housing").capitalize()] == hidden
    assert areas[sv("work").capitalize()] == "0"
    channels = rows_of(doc, sv("Contacts by channel"))
    assert channels[sv("visit").capitalize()] == "30" and channels[sv("telephone").capitalize()] == "12"
    with translation.override("sv"):
        referrals = _("Referrals to other services: %(count)s.") % {"count": 9}
    assert referrals in [p.text for p in doc.blocks if p.kind == "paragraph"]
    assert sources["outreach_as_of"] == "2026-08-31" and sources["outreach_k"] == k
    assert len(sources["outreach"]) == 2


def test_no_outreach_no_chapter(world):
    doc, sources = council_document(council(world))
    assert sv("Contacts by area of need") not in doc.text() and sources["outreach"] == []
