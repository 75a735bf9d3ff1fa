"""Which needs inventories reach the council report: only published ones with
finalised results whose period overlaps the report's (the span of its rounds,
here 1 May – 31 August 2026) — in the document, the PDF and the Word file."""

import io
from datetime import date, timedelta

from django.utils import timezone
from docx import Document as WordDocument

from inventories.models import Coding, DialogueNote, Inventory
from reports.assemble import council_document, inventory_period
from reports.tests.conftest import finalise
from reports.tests.test_reports import build, create_report, pdf_text
from surveys.models import Survey

AGE_GROUPS = ["under 18", "18–30", "31–50", "51+"]


def make_inventory(world, name: str, theme: str, **fields) -> Inventory:
    """An inventory of the plan with one theme and a dialogue meeting of seven coded to it."""
    inventory = Inventory.objects.create(
        municipality=world.municipality, name=name, unit=world.unit_a, plan=world.plan, age_groups=AGE_GROUPS,
        **fields,
    )  # fmt: skip
    t = inventory.themes.create(name=theme, position=1)
    note = DialogueNote.objects.create(
        inventory=inventory, held_on=date(2026, 3, 1), place="bibliotek", participants=7, summary="Samtal."
    )
    Coding.objects.create(theme=t, note=note, decision=Coding.Decision.CONFIRMED, decided_on=date(2026, 3, 2))
    return inventory


def word_text(data_: bytes) -> str:
    word = WordDocument(io.BytesIO(data_))
    parts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join(parts).split())


def test_only_published_finalised_inventories_of_the_period_reach_the_report(data, django_capture_on_commit_callbacks):
    # The fixture's "Behovsinventering 2026" (Bostad): published, finalised, 1 Feb – 30 Jun 2026. Shown.
    unpublished = make_inventory(
        data, "Opublicerad inventering", "Trångboddhet", starts_on=date(2026, 3, 1), ends_on=date(2026, 6, 30)
    )
    finalise(unpublished, date(2026, 7, 1))
    running = make_inventory(
        data, "Pågående inventering", "Läxhjälp", published=True, starts_on=date(2026, 4, 1), ends_on=date(2026, 12, 31)
    )
    today = timezone.localdate()
    Survey.objects.create(
        municipality=data.municipality, unit=data.unit_a, inventory=running, name="Enkät i pågående inventering",
        languages=["sv"], texts={"sv": {"title": "Enkät", "intro": "Anonym."}}, status=Survey.Status.OPEN,
        opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10),
    )  # fmt: skip
    earlier = make_inventory(
        data, "Inventering 2023", "Modersmål", published=True, starts_on=date(2023, 1, 1), ends_on=date(2023, 6, 30)
    )
    finalise(earlier, date(2023, 8, 1))
    # Without a period the day its results were finalised places it.
    undated = make_inventory(data, "Inventering utan period", "Tillit", published=True)
    finalise(undated, date(2026, 6, 1))
    undated_earlier = make_inventory(data, "Tidigare inventering utan period", "Fritid", published=True)
    finalise(undated_earlier, date(2025, 12, 1))

    shown = ["Behovsinventering 2026", "Bostad", "Inventering utan period", "Tillit"]
    left_out = [
        "Opublicerad inventering", "Trångboddhet", "Pågående inventering", "Läxhjälp", "Inventering 2023",
        "Modersmål", "Tidigare inventering utan period", "Fritid",
    ]  # fmt: skip

    report = create_report(data)
    doc, sources = council_document(report)
    text = doc.text()
    for name in shown:
        assert name in text, name
    for name in left_out:
        assert name not in text, name
    included = [pk for pk, _finalised in sources["inventories"]]
    assert included == [Inventory.objects.get(name="Behovsinventering 2026").pk, undated.pk]

    b = build(data, report, django_capture_on_commit_callbacks)
    pdf = " ".join(pdf_text(b.pdf.open("rb").read()).split())
    word = word_text(b.docx.open("rb").read())
    for name in shown:
        assert name in pdf and name in word, name
    for name in left_out:
        assert name not in pdf and name not in word, name
    assert b.sources["inventories"] == sources["inventories"]


def test_without_any_inventory_for_the_period_the_chapter_says_so(data):
    Inventory.objects.update(published=False)
    doc, sources = council_document(create_report(data))
    assert "Behovsinventering 2026" not in doc.text()
    assert sources["inventories"] == []
    at = next(i for i, b in enumerate(doc.blocks) if b.kind == "heading" and b.text == "Behovsinventeringar")
    note, after = doc.blocks[at + 1], doc.blocks[at + 2]
    assert note.kind == "paragraph" and note.style == "note"  # a sentence saying there is none, nothing else
    assert after.kind == "heading" and after.level == 1


def test_an_inventorys_period():
    inv = Inventory(starts_on=date(2026, 2, 1), ends_on=date(2026, 6, 30), finalised_on=date(2026, 9, 1))
    assert inventory_period(inv) == (date(2026, 2, 1), date(2026, 6, 30))
    inv = Inventory(starts_on=date(2026, 2, 1), finalised_on=date(2026, 9, 1))  # open-ended: until finalised
    assert inventory_period(inv) == (date(2026, 2, 1), date(2026, 9, 1))
    inv = Inventory(ends_on=date(2026, 6, 30), finalised_on=date(2026, 9, 1))
    assert inventory_period(inv) == (date(2026, 6, 30), date(2026, 6, 30))
    assert inventory_period(Inventory(finalised_on=date(2026, 9, 1))) == (date(2026, 9, 1), date(2026, 9, 1))
    assert inventory_period(Inventory()) is None
