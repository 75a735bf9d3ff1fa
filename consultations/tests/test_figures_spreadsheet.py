"""A year's consultation figures and consultations as a spreadsheet: counts and
what the consultations were about, never compensation, internal notes or names."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_consultation
from consultations.models import Consultation, View
from consultations.services import feedback_save

URL = reverse("consultations:figures_xlsx")
FORMULA = '=HYPERLINK("https://example.com","klicka här")'
STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIGURES_HEADER = (
    "Kommunkod", "Enhet", "Genomförda samråd", "Öppet samråd", "Referensgrupp", "Råd", "Dialogmöte",
    "Enskilt samråd", "Synpunkter", "Besvarade i tid", "Besvarade för sent", "Försenade (obesvarade)",
    "Andel i tid (%)", "Median antal dagar till återkoppling",
)  # fmt: skip
CONSULTATIONS_HEADER = (
    "Kommunkod", "Titel", "Form", "Start", "Slut", "Arrangerande enheter", "Nivå av inflytande", "Antal punkter",
    "Antal synpunkter", "Antal deltagare totalt",
)  # fmt: skip


def download(client, year=2026):
    response = client.get(URL, {"ar": year} if year else {})
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def answer(view, given_on, status="beaktad"):
    fields = {"status": status, "reasoning": "Svar.", "unit": view.item.responsible_unit, "given_on": given_on}
    feedback_save(view=view, by=None, fields=fields, goals=[], activities=[], version=None)


# The figures are of the year 2026 as seen before its last consultation (3 December) was held.
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=STOCKHOLM), tick=False)
def test_the_figures_and_consultations_download(world):
    # As in test_figures_per_unit: one view answered in time, one late, one not at all.
    answer(world.view, date(2026, 5, 10))
    answer(View.objects.create(item=world.item, text="Sen fråga."), date(2026, 7, 1), status="delvis")
    View.objects.create(item=world.item, text="Obesvarad.")
    c = world.consultation
    c.title, c.attendance_total = FORMULA, 14
    c.compensation_paid, c.compensation_total, c.internal_notes = True, 4321, "Intern anteckning om arvoden."
    c.save()
    c.organisers.add(world.unit_b)
    make_consultation(
        world.municipality, world.unit_b, title="Referensgrupp i december", form=Consultation.Form.REFERENCE_GROUP,
        starts_at=datetime(2026, 12, 3, 17, 30, tzinfo=STOCKHOLM), ends_at=datetime(2026, 12, 3, 19, tzinfo=STOCKHOLM),
    )  # fmt: skip
    make_consultation(
        world.municipality, world.unit_a, title="Förra årets samråd",
        starts_at=datetime(2025, 3, 1, 10, tzinfo=STOCKHOLM), ends_at=datetime(2025, 3, 1, 12, tzinfo=STOCKHOLM),
    )  # fmt: skip

    client = world.client("reader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # Swedish in the file whatever the language
    wb = download(client)
    assert wb.sheetnames == ["Nyckeltal", "Samråd"]

    ws = wb["Nyckeltal"]
    assert tuple(c.value for c in ws[1]) == FIGURES_HEADER
    rows = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Socialnämnden"] == ("0180", "Socialnämnden", 1, 1, 0, 0, 0, 0, 3, 1, 1, 1, 33, 43)
    # Hägersten-Älvsjö co-organised the March consultation; December's has not been held yet.
    assert rows["Hägersten-Älvsjö stadsdelsnämnd"][2:9] == (1, 1, 0, 0, 0, 0, 1)

    ws = wb["Samråd"]
    assert tuple(c.value for c in ws[1]) == CONSULTATIONS_HEADER
    cells = list(ws.iter_rows(min_row=2))
    assert [row[1].value for row in cells] == [FORMULA, "Referensgrupp i december"]  # the year's, by date
    first = cells[0]
    assert first[1].data_type == "s"  # a typed formula stays text
    assert [c.value for c in first] == [
        "0180", FORMULA, "Öppet samråd", datetime(2026, 3, 12, 17, 30), datetime(2026, 3, 12, 19, 30),
        "Hägersten-Älvsjö stadsdelsnämnd; Socialnämnden", "Samråd", 1, 3, 14,
    ]  # fmt: skip
    assert first[3].is_date and first[4].is_date

    everything = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert 4321 not in everything and "Intern anteckning om arvoden." not in everything
    rep = world.users["representative"]
    assert not any(isinstance(v, str) and rep.last_name in v for v in everything)
    assert "Romska kvinnoföreningen" not in everything and "Fler brobyggare behövs i söderort." not in everything


def test_the_year_is_chosen_as_on_the_page(world):
    ws = download(world.client("reader"), year=2025)["Samråd"]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == []
    # Without a year: this year, as the page.
    page = world.client("reader").get(reverse("consultations:figures"))
    response = world.client("reader").get(URL)
    assert f"samrad-nyckeltal-{page.context['year']}.xlsx" in response["Content-Disposition"]
    assert f"{URL}?ar={page.context['year']}" in page.content.decode()


def test_another_municipalitys_consultations_are_not_in_it(world):
    make_consultation(world.other_municipality, world.other_unit, title="Huddinges samråd")
    wb = download(world.client("coordinator"))
    everything = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert "Huddinges samråd" not in everything and "Kultur- och fritidsnämnden" not in everything
    wb = download(world.client("other_coordinator"))
    titles = [r[1] for r in wb["Samråd"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Huddinges samråd"]
    assert all(r[0] == "0126" for ws in wb.worksheets for r in ws.iter_rows(min_row=2, values_only=True))


def test_access_follows_the_figures_page(world):
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert world.client("representative").get(URL).status_code == 403
    for role in ("reader", "contact_a", "contact_b", "coordinator", "other_coordinator"):
        assert world.client(role).get(URL).status_code == 200


def test_query_count_is_the_same_for_1_and_50_consultations(world):
    client = world.client("reader")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"ar": 2026}).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(49):
        c = make_consultation(world.municipality, world.unit_a if i % 2 else world.unit_b, title=f"Samråd {i}")
        c.organisers.add(world.unit_ks)
        answer(View.objects.create(item=c.items.get(), text=f"Synpunkt {i}"), date(2026, 4, 30))
    assert count() == one
    assert download(client)["Samråd"].max_row == 51
