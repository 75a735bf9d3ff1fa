"""The council report's PDF as a reader finds it: the table of contents' page numbers are
the pages the chapters start on, and the charts (drawn from SVG images) are figures with
their title as alternative text, beside the table with their numbers."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from reports.document import Chart, Document, Heading, Paragraph, Table
from reports.render import render_pdf

TOC_LINE = re.compile(r"^(?P<text>\S.*?)[\s.]*(?P<page>\d+)$")


def chart_svg(title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 640 300" width="640" height="300" role="img" aria-labelledby="t">'
        f'<title id="t">Diagram: {title}</title><line x1="0" x2="640" y1="150" y2="150" stroke="#0b4f8a"/>'
        f'<text x="10" y="20" font-size="12">Värde &amp; mål</text></svg>'
        f'<svg class="chart-legend" viewBox="0 0 640 21" width="640" height="21" role="img" aria-labelledby="l">'
        f'<title id="l">Teckenförklaring: Uppmätt</title><text x="30" y="10" font-size="11">Uppmätt</text></svg>'
    )


def long_document() -> Document:
    """Chapters of different lengths (one of several pages), with sections and charts."""
    doc = Document(title="Uppföljning 2026", subtitle="Rapport", municipality="Storstad", date="1 juni 2026")
    rows = [[f"Aktivitet {i}", "Pågår", f"{i}"] for i in range(160)]
    doc.add(Heading(1, "Sammanfattning"), Paragraph("Kort."))
    doc.add(Heading(1, "Resultat"), Heading(2, "Utbildning"), Table("Aktiviteter", ["Namn", "Status", "Nr"], rows))
    doc.add(Heading(2, "Arbete"), Paragraph("Text. " * 300))
    doc.add(Heading(1, "Indikatorer"))
    for n in range(6):
        numbers = Table(f"Indikator {n}: diagrammets siffror", ["Datum", "Värde"], [["2026-06-30", str(n)]])
        doc.add(Heading(3, f"Indikator {n}"), Chart(f"Indikator {n}", chart_svg(f"Indikator {n}"), numbers))
    doc.add(Heading(1, "Slutsatser"), Paragraph("Slut."))
    return doc


def test_the_table_of_contents_gives_the_page_each_chapter_and_section_starts_on():
    doc = long_document()
    reader = PdfReader(io.BytesIO(render_pdf(doc).data))
    lines = [line for line in reader.pages[1].extract_text().splitlines() if not line.startswith(doc.title)]  # footer
    contents = [m.groupdict() for line in lines if (m := TOC_LINE.match(line))]
    listed = {c["text"]: int(c["page"]) for c in contents}
    headings = [h for _i, h in doc.headings() if h.level <= 2]
    assert list(listed) == [h.text for h in headings]
    # Each heading's anchor (what the contents link to) is on the page the contents print,
    # and the heading's text is on that page.
    anchors = reader.named_destinations
    for n, heading in doc.headings():
        if heading.level > 2:
            continue
        page = reader.get_destination_page_number(anchors[f"s{n}"]) + 1
        assert listed[heading.text] == page, heading.text
        assert heading.text in reader.pages[page - 1].extract_text()
    assert len({page for page in listed.values()}) >= 4  # the chapters did fall on different pages
    assert listed["Slutsatser"] > listed["Indikatorer"] > listed["Arbete"] > listed["Utbildning"] + 1
    # The contents' entries link to the headings.
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert {str(a["/Dest"]) for a in links} == {f"s{n}" for n, h in doc.headings() if h.level <= 2}


def test_a_chart_is_a_figure_with_its_title_as_alternative_text_beside_its_numbers():
    doc = long_document()
    reader = PdfReader(io.BytesIO(render_pdf(doc).data))
    figures, tables = [], 0

    def walk(element):
        nonlocal tables
        element = element.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        if element["/S"] == "/Figure":
            figures.append(str(element.get("/Alt")))
        tables += element["/S"] == "/Table"
        for kid in element.get("/K") or []:
            if hasattr(kid, "get_object"):
                walk(kid)

    for element in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(element)
    assert figures[:2] == ["Diagram: Indikator 0", "Teckenförklaring: Uppmätt"]
    assert len(figures) == 12 and tables >= 1 + 6  # a table over several pages is one Table a page
    page = next(p for p in reader.pages if "Indikator 0: diagrammets siffror" in p.extract_text())
    text = page.extract_text()
    # The chart's own words (drawn from the SVG, in the report's font) are on the page with its numbers.
    assert "Värde & mål" in text and "Uppmätt" in text and "2026-06-30" in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVu-Sans" in f for f in fonts)
