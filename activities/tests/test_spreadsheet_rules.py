"""One validation path: a spreadsheet row is held to the activity form's rules,
with the form's own words, tied to the row and column of the sheet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.spreadsheet import HEADER
from activities.tests.test_activities import activity_post
from activities.tests.test_spreadsheet import export, import_errors, imported, state, upload
from organisations.models import OrgUnit

NEW_ROW = {
    "Titel": "Läxhjälp på biblioteket",
    "Mål": "1.2; 1.2.1",
    "Ansvarig enhet": "SN",
    "Ansvarig funktion": "Enhetschef",
    "Status": "Pågår",
    "Startdatum": "2026-01-01",
    "Slutdatum": "2026-12-31",
    "Budget (kr)": 120000,
    "Finansiering": "Statsbidrag",
    "Finansiering t.o.m.": "2027-03-31",
    "Synlighet": "Publik",
}

# (what the form is sent, what the sheet says, the form's field, the sheet's column)
CASES = {
    "end before start": (
        {"start_date": "2026-05-01", "end_date": "2026-01-01"},
        {"Startdatum": "2026-05-01", "Slutdatum": "2026-01-01"},
        "end_date",
        "Slutdatum",
    ),
    "ongoing with an end": ({"ongoing": "on"}, {"Löpande": "ja"}, "end_date", "Slutdatum"),
    "owner also co-operating": (
        {"co_units": ["UNIT_A"]},
        {"Samverkande enheter": "SN"},
        "co_units",
        "Samverkande enheter",
    ),
    "no goal": ({"goals": []}, {"Mål": ""}, "goals", "Mål"),
    "no title": ({"title": ""}, {"Titel": ""}, "title", "Titel"),
    "title too long": ({"title": "x" * 301}, {"Titel": "x" * 301}, "title", "Titel"),
    "role too long": (
        {"responsible_role": "r" * 201},
        {"Ansvarig funktion": "r" * 201},
        "responsible_role",
        "Ansvarig funktion",
    ),
    "negative budget": ({"budget": "-1"}, {"Budget (kr)": -1}, "budget", "Budget (kr)"),
    "budget too large": ({"budget": str(2**63)}, {"Budget (kr)": str(2**63)}, "budget", "Budget (kr)"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_row_breaking_a_form_rule_is_refused_in_the_forms_words(world, case):
    form_data, cells, field, column = CASES[case]
    form_data = {k: [world.unit_a.pk] if v == ["UNIT_A"] else v for k, v in form_data.items()}
    client = world.client("coordinator")
    before = state()
    page = client.post(f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world, **form_data))
    assert page.status_code == 200
    form_messages = page.context["form"].errors[field]
    assert form_messages

    wb = export(world)
    ws = wb["Aktiviteter"]
    ws.cell(2, HEADER.index("Titel") + 1).value = "Ändrad titel som inte får sparas"
    ws.append([(NEW_ROW | cells).get(name, "") for name in HEADER])
    assert import_errors(upload(world, wb)) == [f"Rad 3, kolumn ”{column}”: {m}" for m in form_messages]
    assert state() == before  # all or nothing: the valid change on row 2 is not saved either


def test_a_unit_the_form_does_not_offer_is_refused_in_the_sheet_too(world):
    """A unit that has closed can no longer be chosen, in the form or in the sheet;
    an activity that has it keeps it on an unchanged re-import."""
    closed = OrgUnit.objects.create(
        municipality=world.municipality,
        kind=OrgUnit.Kind.NAMND,
        name="Nedlagda nämnden",
        short_name="NN",
        valid_to=timezone.localdate() - timedelta(days=1),
    )
    client = world.client("coordinator")
    page = client.get(f"{reverse('activities:create')}?plan={world.plan.pk}")
    assert "Nedlagda nämnden" not in page.content.decode()

    wb = export(world)
    ws = wb["Aktiviteter"]
    ws.append([(NEW_ROW | {"Samverkande enheter": "NN"}).get(name, "") for name in HEADER])
    ws.append([(NEW_ROW | {"Ansvarig enhet": "NN", "Titel": "Annan"}).get(name, "") for name in HEADER])
    before = state()
    assert import_errors(upload(world, wb)) == [
        "Rad 3, kolumn ”Samverkande enheter”: Nedlagda nämnden är inte en aktiv enhet.",
        "Rad 4, kolumn ”Ansvarig enhet”: Nedlagda nämnden är inte en aktiv enhet.",
    ]
    assert state() == before

    Activity.objects.filter(pk=world.activity.pk).update(owner=closed)
    world.activity.co_units.add(world.unit_ks)
    OrgUnit.objects.filter(pk=world.unit_ks.pk).update(valid_to=timezone.localdate() - timedelta(days=1))
    imported(upload(world, export(world)))  # unchanged: it keeps its closed units
