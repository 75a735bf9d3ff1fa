import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from activities.models import Activity
from activities.spreadsheet import HEADER
from audit.models import AuditEvent
from conftest import make_activity
from imports.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(world, role="coordinator"):
    response = world.client(role).get(reverse("activities:export", args=[world.plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def upload(world, wb, role="coordinator"):
    out = io.BytesIO()
    wb.save(out)
    return upload_bytes(world, out.getvalue(), role)


def upload_bytes(world, data: bytes, role="coordinator"):
    """Post the file; a file accepted for import is a job (run at once by the tests' task
    backend, after the commit): then the job's page the browser is sent to."""
    client = world.client(role)
    f = SimpleUploadedFile("aktiviteter.xlsx", data, content_type=XLSX)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("activities:import", args=[world.plan.pk]), {"file": f}, HTTP_ACCEPT_LANGUAGE="sv"
        )
    if response.status_code != 302:
        return response
    job = ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv")


def imported(response) -> ImportJob:
    """The job of an import that was saved, as its page shows it."""
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    html = response.content.decode()
    assert f"Kalkylbladet har importerats: {job.created} nya aktiviteter, {job.changed} ändrade." in html
    assert f"{reverse('activities:list')}?plan={job.plan_id}" in html
    assert not job.file  # the uploaded file is not kept
    return job


def import_errors(response) -> list[str]:
    """The errors of a file refused by the upload form or, once queued, by the import job's page."""
    if response.status_code == 400:
        return response.context["errors"]
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED and not job.file
    html = response.content.decode()
    assert "Ingenting sparades." in html
    for error in job.errors:
        assert escape(error) in html
    assert reverse("activities:import", args=[job.plan_id]) in html  # try again
    return job.errors


def column(name: str) -> int:
    return HEADER.index(name) + 1


def state():
    return (
        list(Activity.objects.order_by("pk").values_list("title", "owner_id", "budget")),
        AuditEvent.objects.count(),
    )


def test_export_then_import_unchanged_changes_nothing(world):
    wb = export(world)
    ws = wb["Aktiviteter"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.cell(2, 1).value == world.activity.reference
    assert ws.cell(2, column("Mål")).value == "1.2.1"
    before = state()
    version = Activity.objects.get(pk=world.activity.pk).version
    job = imported(upload(world, wb))
    assert (job.created, job.changed) == (0, 0)
    assert state() == before  # no change, no history entry
    assert Activity.objects.get(pk=world.activity.pk).version == version  # open forms stay valid


def test_import_updates_by_reference_and_adds_new_rows(world):
    wb = export(world)
    ws = wb["Aktiviteter"]
    ws.cell(2, column("Titel")).value = "Brobyggare i socialtjänsten, utökat"
    ws.append(
        ["", "Romska läsambassadörer", "Läsfrämjande på bibliotek", "1.2; 1.2.1", "SN", "", "", "KS", "", "",
         "Barn och unga", "Kulturinsats", "Pågår", "2026-02-01", "", "ja", 50000, "Statsbidrag", "2027-01-31",
         "Publik"]
    )  # fmt: skip
    job = imported(upload(world, wb))
    assert (job.created, job.changed) == (1, 1)
    world.activity.refresh_from_db()
    assert world.activity.title == "Brobyggare i socialtjänsten, utökat"
    new = Activity.objects.get(title="Romska läsambassadörer")
    assert {g.code for g in new.goals.all()} == {"1.2", "1.2.1"}
    assert new.ongoing and new.budget == 50000 and new.funding == "statsbidrag"
    assert new.target_groups == ["barn_unga"] and new.methods == ["kultur"]
    assert list(new.co_units.all()) == [world.unit_ks]


def test_a_bad_row_saves_nothing_and_every_error_names_its_row(world):
    wb = export(world)
    ws = wb["Aktiviteter"]
    ws.cell(2, column("Titel")).value = "Ändrad titel som inte får sparas"
    ws.append(["", "Ny rad", "", "9.9", "SOC", "", "", "", "", "", "Katter", "", "Pågår", "2026-05-01", "2026-01-01",
               "", -100, "", "", ""])  # fmt: skip
    before = state()
    errors = import_errors(upload(world, wb))
    assert any(e.startswith("Rad 3, kolumn ”Mål”") for e in errors), errors
    assert any("kolumn ”Ansvarig enhet”" in e for e in errors)
    assert any("kolumn ”Målgrupper”" in e for e in errors)
    assert any("kolumn ”Slutdatum”" in e for e in errors)
    assert any("kolumn ”Budget (kr)”" in e for e in errors)
    assert state() == before


def test_formulas_are_refused_not_run(world):
    wb = export(world)
    wb["Aktiviteter"].cell(2, column("Budget (kr)")).value = "=1000*2"
    before = state()
    assert any("formler" in e for e in import_errors(upload(world, wb)))
    assert state() == before


def test_text_that_looks_like_a_formula_is_exported_as_text(world):
    world.activity.title = '=HYPERLINK("http://example.com","klicka")'
    world.activity.save()
    ws = export(world)["Aktiviteter"]
    cell = ws.cell(2, column("Titel"))
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_a_malformed_file_is_refused(world):
    before = state()
    response = upload_bytes(world, b"PK\x03\x04 not really a spreadsheet")
    assert response.status_code == 400
    assert response.context["errors"] == ["Filen kunde inte läsas som en Excel-fil (.xlsx)."]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hej")
    assert import_errors(upload_bytes(world, out.getvalue())) == ["Filen kunde inte läsas som en Excel-fil (.xlsx)."]
    assert state() == before


def test_an_oversized_file_is_refused(world, settings):
    settings.XLSX_MAX_BYTES = 1000
    response = upload(world, export(world))
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_missing_columns_are_named(world):
    wb = Workbook()
    wb.active.append(["Referens", "Titel"])
    wb.active.append(["", "X"])
    assert import_errors(upload(world, wb))[0].startswith("Rad 1: kolumner saknas")


def test_a_contact_cannot_import_into_another_units_activity(world):
    make_activity(world.plan, world.unit_b, [world.result_goal], title="Mötesplats i Hägersten")
    wb = export(world, role="contact_a")
    ws = wb["Aktiviteter"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column("Titel")).value = f"Kapad {row}"
    before = state()
    assert any("Hägersten-Älvsjö" in e for e in import_errors(upload(world, wb, role="contact_a")))
    assert state() == before
