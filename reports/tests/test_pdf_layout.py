"""The PDF is readable: no text lies past the page's content area (the A4 page
less the @page margins), and the running header and footer print what was
written (no CSS escapes such as "u002D").

Every text-showing operation of the PDF is measured with its font's glyph
widths (reports/tests/pdf_layout.py): a box is where its first and last
visible glyph are. Text in the top and bottom margin must be the running
header or footer, and lie between the left and right margins too."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.defaultfilters import truncatechars
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from reports.document import BulletList, Chart, Document, Heading, Paragraph, Table
from reports.render import PAGE_MARGINS_MM, render_docx, render_pdf
from reports.templatetags.report_tags import css_string
from reports.tests.pdf_layout import TextBox, text_boxes

MM = 72 / 25.4  # points per millimetre
TOLERANCE = 0.5  # points
ESCAPE = re.compile(r"u00[0-9A-Fa-f]{2}")


def running_texts(doc: Document) -> list[str]:
    """What the page header and footer may print (the page number line as a pattern)."""
    with translation.override(doc.language):
        from django.utils.translation import gettext as _

        page = rf"{re.escape(_('Page'))} \d+ {re.escape(_('of'))} \d+"
    words = [" ".join(t.split()) for t in (doc.draft_mark, doc.municipality, truncatechars(doc.title, 80)) if t]
    return [page, *words]


def is_running(box: TextBox, doc: Document) -> bool:
    page, *texts = running_texts(doc)
    text = " ".join(box.text.split())
    return bool(re.fullmatch(page, text)) or any(text in t for t in texts)


def misplaced(pdf: bytes, doc: Document) -> list[str]:
    """Every text box outside the content area, described."""
    reader = PdfReader(io.BytesIO(pdf))
    top, right, bottom, left = (m * MM for m in PAGE_MARGINS_MM)
    bad = []
    for box in text_boxes(reader):
        media = reader.pages[box.page - 1].mediabox
        x0, y0, x1, y1 = (float(v) for v in (media.left, media.bottom, media.right, media.top))
        across = x0 + left - TOLERANCE <= box.x0 and box.x1 <= x1 - right + TOLERANCE
        body = y0 + bottom - TOLERANCE <= box.y0 and box.y1 <= y1 - top + TOLERANCE
        margin = (box.y0 >= y1 - top - TOLERANCE and box.y1 <= y1 + TOLERANCE) or (
            box.y1 <= y0 + bottom + TOLERANCE and box.y0 >= y0 - TOLERANCE
        )
        if not (across and (body or (margin and is_running(box, doc)))):
            bad.append(str(box))
    return bad


def escapes(pdf: bytes) -> list[str]:
    """Lines of the PDF's text that hold a literal "u00XX" (a JavaScript escape CSS printed as text)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        f"page {n}: {line}"
        for n, page in enumerate(reader.pages, start=1)
        for line in page.extract_text().splitlines()
        if ESCAPE.search(line)
    ]


def assert_readable(pdf: bytes, doc: Document, name: str) -> None:
    bad = misplaced(pdf, doc)
    assert not bad, f"{name}: {len(bad)} text boxes outside the content area:\n" + "\n".join(bad[:40])
    found = escapes(pdf)
    assert not found, f"{name}: escapes printed as text:\n" + "\n".join(found[:20])


# --- The running header and footer -------------------------------------------------------

TRICKY_TITLE = 'Uppföljning av "Vägar framåt" 2024-2025 \\ del 1\nmed bilagor'


def test_css_string_escapes_quotes_backslashes_newlines_and_the_end_of_the_style_element():
    assert css_string(TRICKY_TITLE) == '"Uppföljning av \\"Vägar framåt\\" 2024-2025 \\\\ del 1\\A med bilagor"'
    assert css_string("a</style><script>") == '"a\\3C /style\\3E \\3C script\\3E "'
    assert css_string("tab\there\x7f&\x00") == '"tab\\9 here\\7F \\26 \ufffd"'
    assert css_string("") == '""'


def tricky_document(**fields) -> Document:
    doc = Document(
        title=TRICKY_TITLE,
        subtitle="Uppföljningsrapport till kommunfullmäktige",
        municipality="Hägersten-Älvsjö 'stadsdelsnämnd'",
        date="1 januari 2026",
        draft_mark='Utkast - "ej godkänt"',
        **fields,
    )
    doc.add(Heading(1, "Sammanfattning"), Paragraph("Arbetet har kommit en bit på väg."))
    return doc


def test_the_footer_and_header_print_titles_as_written_in_pdf_and_word():
    doc = tricky_document()
    pdf = render_pdf(doc).data
    page = PdfReader(io.BytesIO(pdf)).pages[2].extract_text()  # title page, contents, then the chapter
    flat = " ".join(page.split())
    assert 'Uppföljning av "Vägar framåt" 2024-2025 \\ del 1 med bilagor' in flat
    assert "Hägersten-Älvsjö 'stadsdelsnämnd'" in flat
    assert 'Utkast - "ej godkänt"' in flat
    assert "Sida 3 av 3" in flat
    assert not ESCAPE.search(page) and "\\A" not in page
    assert_readable(pdf, doc, "tricky title")

    word = WordDocument(io.BytesIO(render_docx(doc).data))
    assert word.core_properties.title == TRICKY_TITLE
    header = word.sections[0].header.paragraphs[0].text
    assert header == "Utkast - \"ej godkänt\" · Hägersten-Älvsjö 'stadsdelsnämnd'"
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    assert title.text == TRICKY_TITLE
    everything = "\n".join([header, *(p.text for p in word.paragraphs)])
    assert not ESCAPE.search(everything)


def test_titles_longer_than_words_metadata_allows_are_whole_in_the_text_and_cut_in_the_metadata():
    """Word's document properties hold at most 255 characters; a council report's
    title may have 300, and a committee's report is titled with the committee's
    and the round's names (200 each). The file is written, the title whole on its page."""
    title = ("Uppföljning av handlingsplanen för romsk inkludering " * 6).strip()  # 317 characters
    doc = tricky_document()
    doc.title, doc.subtitle, doc.municipality = title, "Uppföljning av " + title, "Kommun " * 40
    word = WordDocument(io.BytesIO(render_docx(doc).data))
    assert next(p for p in word.paragraphs if p.style.name == "Title").text == title
    assert word.core_properties.title == title[:254] + "…"
    assert all(len(v) <= 255 for v in (word.core_properties.subject, word.core_properties.author))
    assert_readable(render_pdf(doc).data, doc, "long title")


def test_control_characters_pasted_into_a_text_reach_neither_file_as_garbage_nor_crash_the_build():
    # Word's manual line break (vertical tab) and a form feed arrive with text pasted from Word.
    doc = tricky_document()
    doc.add(Paragraph("Första raden\x0bandra raden\x0cslut", style="quote"), BulletList(["punkt\x01ett"]))
    doc.add(Table("Tabell\x0b", ["A\x0b", "B"], [["x\x0by", "1"]], numeric=[1]))
    pdf = render_pdf(doc).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Första raden" in text and "andra raden" in text
    word = WordDocument(io.BytesIO(render_docx(doc).data))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Första raden\nandra raden\nslut" in paragraphs and "punkt ett" in paragraphs
    assert word.tables[0].cell(0, 0).text == "A\n" and word.tables[0].cell(1, 0).text == "x\ny"


def test_word_tables_keep_their_widths_header_row_bold_headings_and_right_aligned_numbers():
    """Word tables are written as markup in one piece (reports.render._word_table): what
    python-docx reads back is what the table says, with the layout the report asks for."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    doc = tricky_document()
    tricky = ' <Hägersten> & "Älvsjö"\tflik '
    doc.add(
        Heading(2, "Tabeller"),
        Table(
            "Bedömningar",
            ["Nämnd", "Antal", "Kommentar"],
            [[tricky, 12, "rad ett\nrad två"], ["SN", 3, ""]],
            widths=[3, 1, 4],
            numeric=[1],
        ),
        Paragraph("Efter tabellen"),
    )
    word = WordDocument(io.BytesIO(render_docx(doc).data))
    table = word.tables[-1]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Nämnd", "Antal", "Kommentar"]
    assert [c.text for c in table.rows[1].cells] == [tricky, "12", "rad ett\nrad två"]
    assert [c.text for c in table.rows[2].cells] == ["SN", "3", ""]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert table.rows[1]._tr.trPr is None
    assert [table.rows[r].cells[1].paragraphs[0].alignment for r in (1, 2)] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert table.rows[1].cells[0].paragraphs[0].alignment is None
    widths = [table.rows[1].cells[i].width for i in range(3)]
    assert widths[1] < widths[0] < widths[2] and abs(widths[2] - 4 * widths[1]) <= 4 * 635
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [round(w / 635) for w in widths]
    caption = word.paragraphs[[p.text for p in word.paragraphs].index("Bedömningar")]
    assert caption.style.name == "Caption"
    assert word.paragraphs[-1].text == "Efter tabellen"


# --- Long texts and wide tables ----------------------------------------------------------

LONG_WORD = "Barnrättsperspektivsimplementeringsuppföljningsansvarsfördelningsdokumentation"
URL = "https://www.stockholm.se/" + "/".join(["romskinkluderingochnationellaminoriteter"] * 4) + "?a=1&b=2"


def stress_document() -> Document:
    """Everything that ran past the page in the demo reports, and worse."""
    doc = Document(
        title="Uppföljning av handlingsplanen för romsk inkludering och nationella minoriteters rättigheter "
        "i Stockholms stad med samtliga nämnder och bolagsstyrelser 2024–2025 " + LONG_WORD,
        subtitle=LONG_WORD,
        municipality="Hägersten-Älvsjö stadsdelsnämnd och " + LONG_WORD,
        date="1 januari 2026",
        facts=[("Plan", LONG_WORD), ("Underlag", URL)],
        draft_mark="Utkast",
    )
    doc.add(
        Heading(1, "Kapitel med ett mycket långt ord: " + LONG_WORD),
        Heading(2, LONG_WORD + LONG_WORD),
        Paragraph(f"Se {URL} och {LONG_WORD}.", style="lead"),
        Paragraph(f"{LONG_WORD} {URL}", style="quote", label="Resultat:"),
        Paragraph(URL, style="note"),
        BulletList([LONG_WORD, URL]),
    )
    header = [
        "Nämnd eller bolagsstyrelse", "Genomförda", "öppet samråd", "referensgrupp", "råd", "dialogmöte",
        "enskilt samråd", "Synpunkter", "Återkoppling i tid", "Återkoppling för sent", "Försenade",
        "Andel i tid", "Verksamhetsberättelse 2024", "Verksamhetsberättelse 2025",
    ]  # fmt: skip
    rows = [
        ["Hägersten-Älvsjö stadsdelsnämnd", "1 234 567", "12", "0", "1", "0", "0", "21", "11", "5", "5", "52 %",
         "delvis uppfyllt", LONG_WORD],
        ["Totalt", "9 999 999 999", "6", "0", "1", "0", "0", "21", "11", "5", "5", "100 %", "uppfyllt", URL],
    ]  # fmt: skip
    numeric = list(range(1, 12))
    doc.add(Table("Samråd och återkoppling per nämnd, " + LONG_WORD, header, rows, [4] + [1] * 13, numeric))
    # A table whose widths do not match its columns, and a cell longer than a page.
    essay = " ".join(["Under perioden har enheten arbetat med brobyggare i skolan och socialtjänsten."] * 50)
    doc.add(Table("En lång cell", ["Mål", "Resultat", "Bedömning"], [["1.1.1 " + LONG_WORD, essay, "uppfyllt"]], [1]))
    doc.add(Table("Ett ord per cell", ["Kolumn"] * 20, [[LONG_WORD] * 20, ["12 345 678"] * 20], numeric=[3, 4]))
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect width="400" height="200"/></svg>'
    chart = Table(
        LONG_WORD + ": diagrammets siffror",
        ["Datum", "Vad", "Värde (personer per tusen invånare)"],
        [["2023-06-30", "Nollmätning", "1 234 567"], ["2030-12-31", LONG_WORD, "12"]],
        [2, 2, 2],
        [2],
    )
    doc.add(Chart("Andel medarbetare i socialtjänsten som har gått utbildning om " + LONG_WORD, svg, chart))
    # A chart whose table is too wide to stand beside it (e.g. values for women and men).
    header = ["Datum", "Vad", "Värde (procent)", "Kvinnor (procent)", "Män (procent)", "Källa"]
    row = ["2023-06-30", "Nollmätning", "12", "11", "13", URL]
    wide = Table("Diagrammets siffror", header, [row], numeric=[2, 3, 4])
    doc.add(Chart("Andel med gymnasieexamen", svg, wide))
    return doc


def test_long_words_urls_wide_tables_and_long_cells_stay_inside_the_page():
    doc = stress_document()
    rendered = render_pdf(doc)
    assert_readable(rendered.data, doc, "stress document")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.data)).pages)
    flat = " ".join(re.sub(r"\u2010\n", "", text).split())  # lines joined, hyphenated words whole
    # Nothing was cut: the numbers are whole (they never break) and the long cell is all there.
    assert "9 999 999 999" in flat.replace("\xa0", " ")
    sentence = "Under perioden har enheten arbetat med brobyggare i skolan och socialtjänsten."
    # (A sentence across a page break has the page's footer and header in it.)
    assert flat.count(sentence) >= 50 - rendered.pages


def test_the_check_finds_text_past_the_edge_and_printed_escapes():
    """The check itself, on pages made to fail: a paragraph wider than the page, a CSS escape."""
    from weasyprint import CSS, HTML

    doc = tricky_document()
    margins = " ".join(f"{m}mm" for m in PAGE_MARGINS_MM)
    page = CSS(string=f"@page {{ size: A4; margin: {margins} }}")
    inside = HTML(string='<p lang="sv">ord ord ord</p>').write_pdf(stylesheets=[page])
    assert not misplaced(inside, doc)
    wide = HTML(string='<p style="width: 200mm">' + "ord " * 200 + "</p>").write_pdf(stylesheets=[page])
    assert misplaced(wide, doc) and not escapes(wide)
    low = HTML(string='<p style="position: absolute; top: 255mm">i sidfoten</p>').write_pdf(stylesheets=[page])
    assert misplaced(low, doc)
    escaped = HTML(string="<style>p::after { content: '\\u002D' }</style><p>2024</p>").write_pdf()
    assert escapes(escaped) == ["page 1: 2024u002D"]


# --- The demo municipalities' reports and a large city's summary -------------------------


def _council_report(municipality, plan, rounds, detail: str):
    from reports.models import CouncilReport

    report = CouncilReport.objects.create(
        municipality=municipality, plan=plan, title=f"Uppföljning av {plan.title}", detail=detail,
        summary="Sammanfattning.", analysis="Analys.", conclusions="Slutsatser.",
    )  # fmt: skip
    report.rounds.set(rounds)
    return report


def assert_builds_readable(reports) -> None:
    """Each report's PDF keeps inside the page and prints no escapes; nor does its Word file."""
    from reports.assemble import council_document

    for report in reports:
        name = f"{report.municipality.name}, {report.title} ({report.detail})"
        doc, _sources = council_document(report)
        assert_readable(render_pdf(doc).data, doc, name)
        word = WordDocument(io.BytesIO(render_docx(doc).data))
        texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
        assert not [t for t in texts if ESCAPE.search(t)], name


@pytest.mark.slow
def test_the_demo_reports_stay_inside_the_page(db):
    from followups.demo import ROUNDS, load_demo_rounds
    from followups.models import Round
    from organisations.models import Municipality
    from plans.models import Plan
    from reports.models import CouncilReport

    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    stockholm = CouncilReport.objects.get(municipality__code="0180")  # the demo's report: in full
    assert stockholm.detail == CouncilReport.Detail.FULL
    summary = _council_report(stockholm.municipality, stockholm.plan, stockholm.rounds.all(), "sammanfattning")
    reports = [stockholm, summary]
    # Huddinge has a plan but no follow-up in the demo: its two yearly rounds, made as Stockholm's are.
    huddinge = Municipality.objects.get(code="0126")
    plan = Plan.objects.get(municipality=huddinge)
    load_demo_rounds(municipality=huddinge, plan_title=plan.title)
    rounds = Round.objects.filter(plan=plan, name__in=[name for name, *_dates in ROUNDS[:2]])
    assert rounds.count() == 2
    reports += [_council_report(huddinge, plan, rounds, detail) for detail in ("full", "sammanfattning")]
    assert_builds_readable(reports)


@pytest.mark.slow
def test_a_large_citys_summary_stays_inside_the_page(db, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(settings.BASE_DIR) / "bench"))
    from generate_city import generate

    from followups.models import Round, UnitReport
    from organisations.models import Municipality
    from plans.models import Plan

    ids = generate(units=45, activities=400, years=2, indicators=12, goals=40, seed=3)
    plan = Plan.objects.get(pk=ids["plan"])
    approved = [
        r for r in Round.objects.filter(plan=plan).order_by("-period_end")
        if not UnitReport.objects.filter(round=r).exclude(status=UnitReport.Status.APPROVED).exists()
    ][:3]  # fmt: skip
    municipality = Municipality.objects.get(pk=ids["municipality"])
    assert len(approved) == 3
    assert_builds_readable([_council_report(municipality, plan, approved, "sammanfattning")])
