"""A needs inventory's results are shown once finalised, and never move after that:
every output reads the frozen tables, whatever is answered, coded or noted later."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from followups.tests.test_followups import report_post
from inventories import services
from inventories.models import DialogueNote, Inventory
from inventories.tests.test_inventories import AGES, answer, confirm_all, filled_inventory, finalise
from organisations.models import Municipality
from reports.assemble import council_document
from reports.tests.test_reports import create_report
from surveys.models import Response, Survey
from surveys.services import NotAccepting
from tests.outputs import output_text


def outputs(world, inventory, report=None) -> dict[str, str]:
    """Everything anyone can read of the inventory's results, as text; with ``report``, the council report too."""
    staff, public = world.client("reader"), Client()
    code = {"kommunkod": world.municipality.code}
    pages = {
        "staff page": (staff, reverse("inventories:results", args=[inventory.pk])),
        "staff csv": (staff, reverse("inventories:results_csv", args=[inventory.pk])),
        "staff xlsx": (staff, reverse("inventories:results_xlsx", args=[inventory.pk])),
        "public page": (public, reverse("inventory_public:results", args=[inventory.pk])),
        "public csv": (public, reverse("inventory_public:results_csv", args=[inventory.pk])),
        "public xlsx": (public, reverse("inventory_public:results_xlsx", args=[inventory.pk])),
        "api": (public, reverse("opendata:results", kwargs=code)),
        "api csv": (public, reverse("opendata:results_csv", kwargs=code)),
    }
    found = {name: output_text(client.get(url)) for name, (client, url) in pages.items()}
    if report is not None:
        found["council report"] = council_document(report)[0].text()
    return found


def in_the_report_period(inventory):
    """Published, and held during the period of the world's round (the council report's)."""
    Inventory.objects.filter(pk=inventory.pk).update(
        published=True, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)
    )
    inventory.refresh_from_db()
    return inventory


def council_report(world):
    """A council report on the world's round, with unit A's report approved as its contact and the coordinator would."""
    post = report_post(world.report_a, result="Läxhjälp i tre stadsdelar.", assessment="uppfyllt")
    world.client("contact_a").post(reverse("followups:report_edit", args=[world.report_a.pk]), post | {"submit": "1"})
    world.client("coordinator").post(reverse("followups:report_approve", args=[world.report_a.pk]))
    return create_report(world)


def test_before_finalising_there_are_no_tables_anywhere(world):
    inventory = in_the_report_period(filled_inventory(world, finalised=False))
    found = outputs(world, inventory, council_report(world))
    assert inventory.name not in found["council report"]
    assert "<table" not in found["staff page"]
    for name in ("staff csv", "staff xlsx", "public page", "public csv", "public xlsx"):
        assert found[name] == "status 404", name
    assert inventory.name not in found["api"] and inventory.name not in found["api csv"]


def test_after_finalising_nothing_anyone_does_moves_an_output(world):
    inventory = in_the_report_period(filled_inventory(world))
    report = council_report(world)
    before = outputs(world, inventory, report)
    assert all(not value.startswith("status") for value in before.values()), before
    assert inventory.name in before["api"] and inventory.name in before["council report"]

    survey = inventory.surveys.get()
    age, text = survey.questions.get(kind="age"), survey.questions.get(kind="text")
    with pytest.raises(NotAccepting):  # the survey's results are finalised: no answer can be added
        answer(survey, age, text, "a1", "jobb")
    # Coding, notes and the municipality's threshold change; the finalised tables do not.
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)  # even a survey forced open again
    answer(survey, age, text, "a1", "bostad och jobb")
    DialogueNote.objects.create(
        inventory=inventory, held_on=date(2026, 3, 1), place="bibliotek", participants=3,
        age_counts={AGES[0][1]: 3}, summary="Om jobb och bostad.",
    )  # fmt: skip
    confirm_all(inventory, world.users["coordinator"])
    Municipality.objects.filter(pk=world.municipality.pk).update(suppression_k=3)
    assert Response.objects.filter(survey=survey).count() == 17
    assert outputs(world, inventory, report) == before
    with pytest.raises(services.InventoryRefused):
        services.inventory_finalise(inventory=inventory, by=world.users["coordinator"])


def test_the_coordinator_finalises_from_the_results_page(world):
    inventory = filled_inventory(world, finalised=False)
    client = world.client("coordinator")
    url = reverse("inventories:results", args=[inventory.pk])
    page = client.get(url).content.decode()
    form = re.search(r'<a class="button" href="([^"]+)">Fastställ resultaten</a>', page)  # to its confirmation
    assert form and form.group(1) == reverse("inventories:finalise", args=[inventory.pk])
    refused = client.post(form.group(1), follow=True).content.decode()
    assert "Fastställ först resultaten för dess enkäter: Enkät." in refused
    survey = inventory.surveys.get()
    survey_page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    action = reverse("surveys:finalise", args=[survey.pk])
    assert f'href="{action}"' in survey_page
    client.post(action)
    client.post(form.group(1))
    inventory.refresh_from_db()
    assert inventory.is_finalised and inventory.release["k"] == 5
    assert "<table" in client.get(url).content.decode()
    assert world.client("reader").post(form.group(1)).status_code == 403
    assert finalise  # the shared helper stays importable
