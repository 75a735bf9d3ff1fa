"""The council report and the per-unit report: built from approved data only,
the same in PDF and Word, accessible, in a fixed number of queries."""

import io
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document as WordDocument
from pypdf import PdfReader

from activities.models import Funding
from conftest import make_activity
from followups.models import UnitReport
from inventories.models import Inventory
from reports.assemble import council_document, unit_document
from reports.jobs import run_waiting
from reports.models import Build, CouncilReport
from reports.tests.conftest import APPROVED_TEXT, DRAFT_TEXT, LATER_EDIT


def hidden_label(world) -> str:
    """How the inventory's hidden count of meetings on Bostad reads (whatever the label)."""
    from inventories.selectors import inventory_results

    with translation.override("sv"):
        inventory = Inventory.objects.get(name="Behovsinventering 2026")
        cell = inventory_results(inventory, public=True).themes[0].meetings
        assert cell.suppressed
        return str(cell)


def create_report(world, **fields) -> CouncilReport:
    client = world.client("coordinator")
    response = client.post(
        reverse("reports:create"),
        {
            "plan": world.plan.pk, "rounds": [world.round.pk], "title": "Uppföljning till kommunfullmäktige 2026",
            "detail": "full", "summary": "Arbetet har kommit en bit på väg.", "analysis": "", "conclusions": "",
            **fields,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return CouncilReport.objects.get()


def build(world, report, django_capture_on_commit_callbacks) -> Build:
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(reverse("reports:build", args=[report.pk]))
    assert response.status_code == 302
    return report.builds.get()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_council_report_says_what_the_approved_reports_say_in_pdf_and_word(
    data, django_capture_on_commit_callbacks
):
    report = create_report(data)
    b = build(data, report, django_capture_on_commit_callbacks)
    assert b.status == Build.Status.DONE, b.error
    assert b.progress == 100 and b.pdf_pages >= 5
    assert b.sources["approved_reports"] == [[data.report_a.pk, data.report_a.version]]
    assert data.report_b.pk in b.sources["not_approved_reports"]

    client = data.client("reader")
    pdf = b"".join(client.get(reverse("reports:build_pdf", args=[b.pk])).streaming_content)
    text = " ".join(pdf_text(pdf).split())
    for expected in [
        "Sammanfattning", "Resultat per fokusområde och mål", "Indikatorer", "Samråd och återkoppling",
        "Behovsinventeringar", "Arbetet har kommit en bit på väg.", APPROVED_TEXT, "uppfyllt",
        "4 711",  # the indicator's baseline
        "Samråd 2026", hidden_label(data),
    ]:  # fmt: skip
        assert expected in text, expected
    for absent in [DRAFT_TEXT, LATER_EDIT]:
        assert absent not in text

    word = WordDocument(io.BytesIO(b"".join(client.get(reverse("reports:build_docx", args=[b.pk])).streaming_content)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Sammanfattning" in headings and "Samråd och återkoppling" in headings
    assert any(h.startswith(data.result_goal.code) for h in headings)
    words = " ".join(
        " ".join(
            [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
        ).split()
    )
    assert APPROVED_TEXT in words and "4 711" in words and hidden_label(data) in words
    assert DRAFT_TEXT not in words and LATER_EDIT not in words
    # The same content: every table cell of the document model is in the Word file.
    assert "Samråd 2026" in words


def test_the_suppressed_count_never_appears(data):
    report = create_report(data)
    doc, _sources = council_document(report)
    tables = [b for b in doc.blocks if b.kind == "table" and "Bostad" in [row[0] for row in b.rows]]
    assert tables
    rows = [next(r for r in table.rows if r[0] == "Bostad") for table in tables]
    assert all("1" not in row[1:] for row in rows)  # one meeting of one: a small count
    assert any(hidden_label(data) in row for row in rows)


def test_the_pdf_is_tagged_with_title_language_and_headings(data, django_capture_on_commit_callbacks):
    b = build(data, create_report(data), django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(b.pdf.open("rb").read()))
    assert reader.metadata.title == "Uppföljning till kommunfullmäktige 2026"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Sammanfattning" in outline and "Indikatorer" in outline
    assert "Innehåll" in pdf_text(b.pdf.open("rb").read())  # the table of contents


def test_the_word_file_uses_heading_styles_and_swedish(data):
    from reports.render import render_docx

    doc, _sources = council_document(create_report(data))
    word = WordDocument(io.BytesIO(render_docx(doc).data))
    assert word.core_properties.title == "Uppföljning till kommunfullmäktige 2026"
    assert word.core_properties.language == "sv-SE"
    levels = {p.style.name for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert {"Heading 1", "Heading 2"} <= levels
    expected = [b.text for b in doc.blocks if b.kind == "heading"]
    assert [p.text for p in word.paragraphs if p.style.name.startswith("Heading")] == expected
    assert len(word.tables) == sum(1 for b in doc.blocks if b.kind in ("table", "chart"))


def test_the_summary_leaves_the_texts_to_the_committees_own_reports(data):
    doc, _sources = council_document(create_report(data, detail="sammanfattning"))
    text = doc.text()
    assert APPROVED_TEXT not in text
    table = next(b for b in doc.blocks if b.kind == "table" and b.caption.startswith("Antal nämnder per bedömning"))
    assert table.header == ["Mål", "uppfyllt", "delvis uppfyllt", "ej uppfyllt", "ej bedömt", "Aktiviteter"]
    row = next(r for r in table.rows if r[0].startswith(data.result_goal.code + " "))
    assert row[1:] == ["1", "0", "0", "0", "1"]


def test_assembly_takes_the_same_number_of_queries_however_many_activities(data):
    report = create_report(data)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            council_document(report)
        return len(ctx.captured_queries)

    queries()  # caches filled (content types, statuses)
    before = queries()
    snapshot = data.report_a.snapshot
    template = snapshot["activities"][0]
    for i in range(30):
        act = make_activity(
            data.plan, data.unit_a, [data.result_goal], title=f"Insats {i}", funding=Funding.STATE_GRANT,
            funding_ends=date(2027, 6, 30),
        )  # fmt: skip
        snapshot["activities"].append(
            template | {"activity_id": act.pk, "reference": act.reference, "title": act.title}
        )
    UnitReport.objects.filter(pk=data.report_a.pk).update(snapshot=snapshot)
    assert queries() == before
    doc, _sources = council_document(report)
    assert "Insats 29" in doc.text()


def test_a_committee_downloads_its_own_report_marked_as_a_draft_until_approved(data):
    client = data.client("contact_b")
    response = client.get(reverse("reports:unit_pdf", args=[data.report_b.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Utkast – inte godkänd" in text and DRAFT_TEXT in text
    word = WordDocument(io.BytesIO(client.get(reverse("reports:unit_docx", args=[data.report_a.pk])).content))
    words = " ".join(p.text for p in word.paragraphs)
    assert APPROVED_TEXT in words and LATER_EDIT not in words and "Utkast" not in words
    assert unit_document(data.report_a).draft_mark == ""


def test_rounds_of_another_plan_are_refused(data):
    from conftest import make_plan, make_round

    other = make_round(make_plan(data.municipality, "Annan plan"), "Tertial 1 2026")
    response = data.client("coordinator").post(
        reverse("reports:create"),
        {"plan": data.plan.pk, "rounds": [other.pk], "title": "Rapport", "detail": "full"},
    )
    assert response.status_code == 400
    assert "Tertial 1 2026" in response.content.decode()
    assert not CouncilReport.objects.exists()


def test_a_failed_build_says_so_and_keeps_no_files(data, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr("reports.jobs.render_pdf", broken)
    b = build(data, create_report(data), django_capture_on_commit_callbacks)
    assert b.status == Build.Status.FAILED and "kunde inte" in b.error
    assert not b.pdf and not b.docx
    assert data.client("coordinator").get(reverse("reports:build_pdf", args=[b.pk])).status_code == 404


def test_waiting_builds_are_run_and_dead_ones_failed(data):
    report = create_report(data)
    dead = Build.objects.create(
        report=report, status=Build.Status.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    waiting = Build.objects.create(report=report)
    assert run_waiting() == [waiting.pk]
    dead.refresh_from_db()
    waiting.refresh_from_db()
    assert dead.status == Build.Status.FAILED and waiting.status == Build.Status.DONE


def test_the_progress_is_readable_while_it_runs(data):
    report = create_report(data)
    b = Build.objects.create(report=report, status=Build.Status.RUNNING, progress=60, step="Skriver PDF")
    page = data.client("reader").get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'role="status"' in page and "Skriver PDF" in page and "<progress" in page
    status = data.client("reader").get(reverse("reports:build_status", args=[b.pk])).json()
    assert status == {"status": "pagar", "label": "pågår", "progress": 60, "step": "Skriver PDF", "active": True}
    # Only one build at a time.
    data.client("coordinator").post(reverse("reports:build", args=[report.pk]))
    assert report.builds.count() == 1
