"""A round's answers as a spreadsheet: what each report says (approved ones from
their snapshot), in Swedish, for those who may read the round, in a number of
queries that does not grow with the approved reports."""

import json
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.services import activity_update
from conftest import make_round
from followups.models import Round, UnitReport
from followups.selectors import report_content
from followups.services import FieldSpec, round_open
from organisations.models import OrgUnit
from plans.models import GoalResponsibility

FORMULA = '=HYPERLINK("https://example.com","klicka här")'
ENTRY_HEADER = (
    "Kommunkod", "Enhet", "Rapportstatus", "Godkänd", "Godkänd den", "Mål", "Rubrik", "Bedömning", "Resultat",
    "Utmaningar",
)  # fmt: skip
ACTIVITY_HEADER = (
    "Kommunkod", "Enhet", "Rapportstatus", "Godkänd", "Godkänd den", "Referens", "Titel", "Status",
    "Statussammanfattning", "Kommentar", "Mål",
)  # fmt: skip


def download(client, rnd):
    response = client.get(reverse("followups:round_xlsx", args=[rnd.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(BytesIO(response.content))


def fill(client, report, **values):
    """Post the report form with every entry (and the extra question f<pk>) filled."""
    data = {"summary": "", "version": report.version}
    for entry in report.entries.all():
        p = f"e{entry.pk}"
        data |= {
            f"{p}-result": values.get("result", "Två brobyggare har stöttat 40 familjer."),
            f"{p}-challenges": values.get("challenges", "Tillfällig finansiering."),
            f"{p}-assessment": values.get("assessment", "delvis"),
        }
        for field in report.round.fields.all():
            data[f"{p}-{field.key}"] = values.get("extra", "12")
    for activity in report.unit.activities.all():
        data |= {f"a{activity.pk}-status": activity.status_id, f"a{activity.pk}-comment": values.get("comment", "")}
    return client.post(reverse("followups:report_edit", args=[report.pk]), data)


def round_with_question(world) -> Round:
    return round_open(
        plan=world.plan,
        by=None,
        fields={
            "name": "Verksamhetsberättelse 2026",
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31),
            "deadline": date(2027, 2, 15),
        },
        extra_fields=[FieldSpec(label="Antal deltagare", kind="number")],
    )


def test_the_round_downloads_with_every_report_and_what_it_says(world):
    rnd = round_with_question(world)
    report_a, report_b = rnd.reports.get(unit=world.unit_a), rnd.reports.get(unit=world.unit_b)
    contact_a, coordinator = world.client("contact_a"), world.client("coordinator")
    fill(contact_a, report_a, result=FORMULA, extra="12", comment="Två anställda.")
    contact_a.post(reverse("followups:report_submit", args=[report_a.pk]))
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # approved by someone using the English interface
    coordinator.post(reverse("followups:report_approve", args=[report_a.pk]))
    report_a.refresh_from_db()
    assert report_a.status == UnitReport.Status.APPROVED
    # The snapshot keeps the code, never the approver's label ("partly met").
    assert report_a.snapshot["entries"][0]["assessment"] == "delvis"
    assert "partly met" not in json.dumps(report_a.snapshot)
    fill(world.client("contact_b"), report_b, result="Utkast från Hägersten.", assessment="uppfyllt", extra="3")
    # Later changes to the activity do not change what the approved report said.
    activity_update(
        activity=world.activity, by=None, fields={"title": "Nytt namn", "status": world.plan.activity_statuses.first()}
    )

    wb = download(world.client("reader"), rnd)
    assert wb.sheetnames == ["Svar per mål", "Aktiviteter"]
    entries = list(wb["Svar per mål"].iter_rows())
    assert tuple(c.value for c in entries[0]) == (*ENTRY_HEADER, "Antal deltagare")
    by_unit = {row[1].value: row for row in entries[1:]}
    assert set(by_unit) == {"Socialnämnden", "Hägersten-Älvsjö stadsdelsnämnd", "Kommunstyrelsen"}

    a = by_unit["Socialnämnden"]
    assert [c.value for c in a[:4]] == ["0180", "Socialnämnden", "godkänd", "ja"]
    assert a[4].is_date and a[4].value.date() == timezone.localdate(report_a.approved_at)
    assert [c.value for c in a[5:8]] == ["1.2.1", "Stadens verksamheter arbetar uppsökande", "delvis uppfyllt"]
    assert a[8].value == FORMULA and a[8].data_type == "s"  # text, never a formula
    assert a[10].value == "12"

    b = by_unit["Hägersten-Älvsjö stadsdelsnämnd"]
    assert [c.value for c in b[2:5]] == ["utkast", "nej", None]
    assert (b[7].value, b[8].value, b[10].value) == ("uppfyllt", "Utkast från Hägersten.", "3")

    activities = list(wb["Aktiviteter"].iter_rows(values_only=True))
    assert activities[0] == ACTIVITY_HEADER
    (row,) = [r for r in activities[1:] if r[1] == "Socialnämnden"]
    assert row[3] == "ja"
    assert row[5:] == (
        world.activity.reference, "Brobyggare i socialtjänsten", "Ej påbörjad", "ej påbörjad", "Två anställda.", "1.2.1"
    )  # fmt: skip
    assert "Nytt namn" not in {r[6] for r in activities}


def test_a_draft_is_read_live_and_marked_as_not_approved(world):
    fill(world.client("contact_a"), world.report_a, result="Första utkastet.")
    wb = download(world.client("coordinator"), world.round)
    row = next(r for r in wb["Svar per mål"].iter_rows(min_row=2, values_only=True) if r[1] == "Socialnämnden")
    assert row[2:4] == ("utkast", "nej") and row[8] == "Första utkastet."
    activity = next(r for r in wb["Aktiviteter"].iter_rows(min_row=2, values_only=True) if r[1] == "Socialnämnden")
    assert activity[6] == "Brobyggare i socialtjänsten" and activity[3] == "nej"


def test_headers_are_swedish_whatever_the_language(world):
    client = world.client("reader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Download the answers" in client.get(reverse("followups:round", args=[world.round.pk])).content.decode()
    response = client.get(reverse("followups:round_xlsx", args=[world.round.pk]))
    wb = load_workbook(BytesIO(response.content))
    assert next(wb["Svar per mål"].iter_rows(values_only=True))[:3] == ("Kommunkod", "Enhet", "Rapportstatus")
    row = next(wb["Svar per mål"].iter_rows(min_row=2, values_only=True))
    assert row[2] == "utkast" and row[7] == "ej bedömt"


def test_another_municipalitys_round_is_neither_shown_nor_mixed_in(world):
    other_round = make_round(world.other_plan, "Huddinge T2")
    other_report = other_round.reports.get()
    other_report.entries.update(result="Huddinges hemliga svar.")
    url, other_url = (reverse("followups:round_xlsx", args=[r.pk]) for r in (world.round, other_round))
    assert world.client("other_coordinator").get(url).status_code == 404
    assert world.client("coordinator").get(other_url).status_code == 404
    wb = download(world.client("coordinator"), world.round)
    values = {c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert "Huddinges hemliga svar." not in values and "Kultur- och fritidsnämnden" not in values
    assert "0126" not in values


def test_access_follows_the_round_page(world):
    url = reverse("followups:round_xlsx", args=[world.round.pk])
    response = world.client("anonymous").get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert world.client("representative").get(url).status_code == 403
    assert world.client("other_coordinator").get(url).status_code == 404
    for role in ("reader", "contact_a", "contact_b", "coordinator"):
        assert world.client(role).get(url).status_code == 200


def test_the_round_page_links_to_the_download(world):
    page = world.client("reader").get(reverse("followups:round", args=[world.round.pk])).content.decode()
    assert reverse("followups:round_xlsx", args=[world.round.pk]) in page


def approve_all(rnd: Round) -> None:
    """Approve every report as report_approve does (snapshot from report_content)."""
    for report in rnd.reports.select_related("round"):
        report.snapshot = report_content(report).as_snapshot()
        report.status, report.approved_at = UnitReport.Status.APPROVED, timezone.now()
        report.save()


def queries(client, rnd) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("followups:round_xlsx", args=[rnd.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_approved_reports(world):
    client = world.client("reader")
    approve_all(world.round)
    assert world.round.reports.count() == 3
    few = queries(client, world.round)

    units = [
        OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name=f"Nämnd {i:02}", short_name=f"N{i}")
        for i in range(47)
    ]
    GoalResponsibility.objects.bulk_create(GoalResponsibility(goal=world.result_goal, unit=u) for u in units)
    big = make_round(world.plan, "Tertial 3 2026", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31))
    approve_all(big)
    assert big.reports.count() == 50
    assert queries(client, big) == few
    wb = load_workbook(BytesIO(client.get(reverse("followups:round_xlsx", args=[big.pk])).content))
    assert wb["Svar per mål"].max_row == 51
    assert isinstance(wb["Svar per mål"]["E2"].value, datetime)
