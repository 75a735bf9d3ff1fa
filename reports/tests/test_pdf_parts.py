"""A long PDF rendered in parts in parallel processes and merged (reports.pdf_parts) reads
as the same document rendered whole: the contents give the page each heading is on, the
footer counts 1..N over the whole, bookmarks and links go to the headings' pages, and the
tags, language and metadata are there."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

import reports.render as render
from reports.document import Chart, Document, Heading, Paragraph, Table
from reports.tests.test_pdf_render import TOC_LINE, chart_svg


def long_document() -> Document:
    """Five chapters, one long with sections and a table over pages, one of charts."""
    doc = Document(title="Uppföljning 2026", subtitle="Rapport", municipality="Storstad", date="1 juni 2026")
    doc.add(Heading(1, "Sammanfattning"), Paragraph("Kort."))
    doc.add(Heading(1, "Resultat"))
    for n in range(6):
        rows = [[f"Aktivitet {n}.{i}", "Pågår", f"{i}"] for i in range(25 + 10 * n)]
        doc.add(Heading(2, f"Fokusområde {n}"), Paragraph("Text. " * 120))
        doc.add(Heading(3, f"Mål {n}.1"), Table(f"Aktiviteter {n}", ["Namn", "Status", "Nr"], rows))
    doc.add(Heading(1, "Indikatorer"))
    for n in range(8):
        numbers = Table(f"Indikator {n}: diagrammets siffror", ["Datum", "Värde"], [["2026-06-30", str(n)]])
        doc.add(Chart(f"Indikator {n}", chart_svg(f"Indikator {n}"), numbers))
    doc.add(Heading(1, "Slutsatser"), Paragraph("Slut."))
    return doc


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few pages, so that a short document is cut inside its chapters too."""
    monkeypatch.setattr(render, "PART_COST", 60)
    monkeypatch.setattr(render, "SPLIT_FROM", 10)


def footer(doc: Document) -> re.Pattern:
    with translation.override(doc.language):
        return re.compile(rf"{re.escape(_('Page'))} (\d+) {re.escape(_('of'))} (\d+)")


def flat_outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.extend(flat_outline(reader, item, depth + 1))
        else:
            out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))
    return out


def test_a_document_rendered_in_parts_has_right_contents_footers_bookmarks_and_tags(small_parts, monkeypatch):
    doc = long_document()
    parts = []
    real_parts = render._parts
    monkeypatch.setattr(render, "_parts", lambda blocks, n: parts.append(real_parts(blocks, n)) or parts[-1])
    rendered = render.render_pdf(doc, processes=2)
    assert len(parts[0]) >= 4  # it was rendered in parts, some starting inside a chapter
    assert any(p[0]["kind"] != "heading" or p[0]["level"] > 1 for p in parts[0][1:])
    reader = PdfReader(io.BytesIO(rendered.data))
    total = len(reader.pages)
    assert rendered.pages == total > 8
    texts = [page.extract_text() for page in reader.pages]

    # The footer counts the pages of the whole document (none on the title page).
    pattern = footer(doc)
    assert pattern.findall(texts[0]) == []
    for number, text in enumerate(texts[1:], start=2):
        assert pattern.findall(text) == [(str(number), str(total))], number

    # The contents list every chapter and section with the page its heading is on.
    lines = [line for line in texts[1].splitlines() if not line.startswith(doc.title) and not pattern.search(line)]
    listed = {m["text"]: int(m["page"]) for line in lines if (m := TOC_LINE.match(line))}
    headings = [h for _i, h in doc.headings() if h.level <= 2]
    assert list(listed) == [h.text for h in headings]
    anchors = reader.named_destinations
    for n, heading in doc.headings():
        page = reader.get_destination_page_number(anchors[f"s{n}"]) + 1
        assert heading.text in texts[page - 1], heading.text
        if heading.level <= 2:
            assert listed[heading.text] == page, heading.text
    assert len(set(listed.values())) >= 5
    # The contents link to the headings.
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert {str(a["/Dest"]) for a in links} == {f"s{n}" for n, h in doc.headings() if h.level <= 2}

    # Bookmarks: the title page (with the contents under it), then every heading down to
    # level 3, nested by level, each on its heading's page.
    outline = flat_outline(reader)
    assert outline[:2] == [(0, doc.title, 1), (1, _contents(doc), 2)]
    expected = [
        (h.level - 1, h.text, reader.get_destination_page_number(anchors[f"s{n}"]) + 1) for n, h in doc.headings()
    ]
    assert outline[2:] == expected

    # Language, title and tags: one Document element holding every part's elements, the
    # charts' figures with their alternative text, a parent tree entry for every page.
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv" and catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == doc.title and reader.metadata.author == doc.municipality
    root = catalog["/StructTreeRoot"]
    document = root["/K"][0].get_object()
    assert document["/S"] == "/Document"
    figures = []

    def walk(element):
        element = element.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        assert element["/P"].get_object() is not None
        if element["/S"] == "/Figure":
            figures.append(str(element.get("/Alt")))
        for kid in element.get("/K") or []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(document)
    assert figures.count("Teckenförklaring: Uppmätt") == 8 and "Diagram: Indikator 7" in figures
    keys = root["/ParentTree"]["/Nums"][::2]
    assert keys == sorted(set(keys))
    assert {page["/StructParents"] for page in reader.pages} <= set(keys)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    assert all(e.raw_get("/Pg").idnum in pages for e in _marked(document))


def _contents(doc: Document) -> str:
    with translation.override(doc.language):
        return _("Contents")


def _marked(element) -> list:
    """The structure elements that hold content on a page (/Pg)."""
    element = element.get_object()
    found = [element] if isinstance(element, dict) and "/Pg" in element else []
    for kid in (element.get("/K") or []) if isinstance(element, dict) else []:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
            found.extend(_marked(kid))
    return found


def test_rendered_in_parts_or_whole_the_pages_say_the_same(small_parts, monkeypatch):
    doc = long_document()
    in_parts_data = render.render_pdf(doc, processes=2).data
    in_parts = PdfReader(io.BytesIO(in_parts_data))
    monkeypatch.setattr(render, "_parts", lambda blocks, n: [blocks])
    whole = PdfReader(io.BytesIO(render.render_pdf(doc, processes=2).data))
    monkeypatch.setattr(render, "SPLIT_FROM", float("inf"))
    whole_data = render.render_pdf(doc, processes=2).data
    # The merged file is written with object streams, as WeasyPrint writes a whole one: it is
    # not much larger (each of these many small parts embeds its own subset of the fonts:
    # 1.5 times; without object streams it was 4.7 times).
    assert b"/ObjStm" in in_parts_data
    assert len(in_parts_data) < 2 * len(whole_data)
    assert len(in_parts.pages) == len(whole.pages)
    for a, b in zip(in_parts.pages, whole.pages, strict=True):
        assert sorted(a.extract_text().split()) == sorted(b.extract_text().split())  # the footer is drawn last
    assert flat_outline(in_parts) == flat_outline(whole)


def test_a_short_document_is_rendered_whole_in_this_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("no processes for a short document")

    monkeypatch.setattr("reports.pdf_parts.pool", no_pool)
    doc = Document(title="Kort", subtitle="", municipality="Storstad", date="1 juni 2026")
    doc.add(Heading(1, "Sammanfattning"), Paragraph("Kort."))
    assert render.render_pdf(doc, processes=4).pages == 3
