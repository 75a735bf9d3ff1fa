"""The reports' tests' shared data: an approved and a draft unit report, an
indicator, and a published needs inventory with finalised results."""

from datetime import date

import pytest
from django.urls import reverse

from followups.models import ReportEntry, UnitReport
from followups.tests.test_followups import report_post
from indicators.models import Baseline, Indicator, Measurement, Target
from inventories.models import Coding, DialogueNote, Inventory

APPROVED_TEXT = "Brobyggarna nådde fyrtio familjer"
DRAFT_TEXT = "Ogranskad utkasttext från Kulturnämnden"
LATER_EDIT = "Ändrat efter godkännandet"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def data(world):
    """Unit A's report approved; unit B's a draft; an indicator; a needs inventory with a small count."""
    world.report_b = world.round.reports.get(unit=world.unit_b)
    contact = world.client("contact_a")
    post = report_post(world.report_a, result=APPROVED_TEXT, assessment="uppfyllt")
    contact.post(reverse("followups:report_edit", args=[world.report_a.pk]), post | {"submit": "1"})
    world.client("coordinator").post(reverse("followups:report_approve", args=[world.report_a.pk]))
    world.report_a.refresh_from_db()
    assert world.report_a.status == UnitReport.Status.APPROVED
    # A live edit after approval (as by a bug or the admin) never reaches the report.
    ReportEntry.objects.filter(report=world.report_a).update(result=LATER_EDIT)
    ReportEntry.objects.filter(report=world.report_b).update(result=DRAFT_TEXT)

    indicator = Indicator.objects.create(
        municipality=world.municipality, name="Antal brobyggare", unit="personer", responsible_unit=world.unit_a
    )
    indicator.goals.set([world.result_goal])
    Baseline.objects.create(indicator=indicator, date=date(2024, 1, 1), value=4711)
    Target.objects.create(indicator=indicator, date=date(2027, 12, 31), value=5200)
    Measurement.objects.create(indicator=indicator, period_end=date(2026, 6, 30), value=4900)

    inventory = Inventory.objects.create(
        municipality=world.municipality, name="Behovsinventering 2026", unit=world.unit_a, plan=world.plan,
        age_groups=["under 18", "18–30", "31–50", "51+"], published=True, starts_on=date(2026, 2, 1),
        ends_on=date(2026, 6, 30),
    )  # fmt: skip
    theme = inventory.themes.create(name="Bostad", position=1)
    note = DialogueNote.objects.create(
        inventory=inventory, held_on=date(2026, 3, 1), place="bibliotek", participants=3, summary="Om bostad."
    )
    Coding.objects.create(theme=theme, note=note, decision=Coding.Decision.CONFIRMED, decided_on=date(2026, 3, 2))
    finalise(inventory, date(2026, 7, 15))
    return world


def finalise(inventory: Inventory, on: date) -> Inventory:
    """Fix the inventory's results (fastställ), dated ``on``."""
    from inventories.services import inventory_finalise

    inventory_finalise(inventory=inventory, by=None)
    Inventory.objects.filter(pk=inventory.pk).update(finalised_on=on)
    inventory.refresh_from_db()
    return inventory
