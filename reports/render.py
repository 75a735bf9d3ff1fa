"""Writing a document (reports.document) as PDF and as Word.

PDF: HTML through WeasyPrint — A4, a table of contents with page numbers,
page numbers in the footer, the municipality's name and logo, tagged for
screen readers (headings, tables, language and title in the metadata).
Word: python-docx with real headings (the built-in Heading styles), tables,
a table-of-contents field Word fills in when the file is opened, and page
numbers. Both read the same blocks, so they say the same thing.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import gc
import html
import io
import os
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from .document import BulletList, Chart, Document, Heading, Paragraph, Table

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TOC_LEVELS = 2  # chapters and sections in the table of contents
# The PDF's A4 page margins in millimetres (top, right, bottom, left): the @page
# rule is written from these, and the layout tests check that no text lies outside them.
PAGE_MARGINS_MM = (24, 20, 22, 22)


@dataclass
class Rendered:
    data: bytes
    pages: int | None = None


# --- Table columns -------------------------------------------------------------------
#
# Tables are laid out with fixed column widths (table-layout: fixed), so no cell can
# widen a table past the page; these widths start from the table's relative widths and
# give every column at least the room its numbers and the start of its longest words
# need (longer words are hyphenated, and broken anywhere as a last resort). A table too
# wide for the text at its normal size is set in a smaller one (TABLE_SIZES).

PAGE_WIDTH_MM = 210  # A4 portrait
TEXT_WIDTH_MM = PAGE_WIDTH_MM - PAGE_MARGINS_MM[1] - PAGE_MARGINS_MM[3]
CHART_TABLE_SHARE = 0.4  # of the text width: the table beside a chart (see .chart-block in pdf.html)
CHART_TABLE_SIZE = 1  # the smallest TABLE_SIZES entry for a table beside its chart; else it goes under the chart
# (font size in pt, horizontal cell padding in mm), largest first; the CSS classes size-0, size-1 … in pdf.html.
TABLE_SIZES = [(8.5, 1.6), (7.5, 1.2), (6.5, 0.9)]
# Tried in turn: (size, characters of a header word, of a cell word kept on one line before
# it is hyphenated); the first whose columns fit with room to spare (TABLE_SLACK) is used,
# else the last, squeezed.
TABLE_ATTEMPTS = [(0, 7, 10), (1, 7, 10), (2, 7, 10), (2, 6, 9), (2, 5, 8)]
# Average advance of a character in em (DejaVu Sans measures 0.53–0.56 for Swedish words,
# 0.61–0.63 in bold, 0.64 and 0.70 for digits): on the safe side.
EM_REGULAR, EM_BOLD, EM_DIGIT = 0.6, 0.66, 0.7
TABLE_SLACK = 0.92
# Where a line may break inside a cell: spaces, and after a hyphen, dash or slash before a letter.
_BREAKS = re.compile(r"\s+|(?<=[-\u2010-\u2014/])(?=[^\d\s])")


def _word(text: str, cap: int) -> int:
    """The characters of the longest word in ``text`` (at most ``cap``), plus a hyphen."""
    return min(max((len(w) for w in _BREAKS.split(text)), default=0), cap) + 1


def _spread(preferred: list[float], least: list[float], total: float) -> list[float]:
    """Widths as close to ``preferred`` as ``least`` allows, adding up to ``total``."""
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    widths, fixed = list(preferred), set()
    while short := [i for i, w in enumerate(widths) if i not in fixed and w < least[i]]:
        fixed.update(short)
        rest = total - sum(least[i] for i in fixed)
        free = sum(preferred[i] for i in range(len(widths)) if i not in fixed)
        widths = [least[i] if i in fixed else (preferred[i] * rest / free if free else 0) for i in range(len(widths))]
    return widths


def _layout(table: Table, width_mm: float = TEXT_WIDTH_MM) -> tuple[list[float], int]:
    """The columns' widths in per cent of the table's, and the index of the size in TABLE_SIZES."""
    n = len(table.header)
    weights = table.widths if len(table.widths) == n else [1] * n
    preferred = [width_mm * w / (sum(weights) or 1) for w in weights]
    columns = [[str(row[i]) for row in table.rows if i < len(row)] for i in range(n)]
    for size, header_word, cell_word in TABLE_ATTEMPTS:
        pt, padding = TABLE_SIZES[size]
        em = pt * 25.4 / 72
        least = []
        for i, cells in enumerate(columns):
            chars = [_word(table.header[i], header_word) * EM_BOLD]
            if i in table.numeric:  # numbers are not to break
                chars += [len(c) * EM_DIGIT for c in cells]
            else:  # the first column holds the row headers, in bold
                chars += [_word(c, cell_word) * (EM_BOLD if i == 0 else EM_REGULAR) for c in cells]
            least.append(max(chars) * em + 2 * padding + 0.5)
        if sum(least) <= width_mm * TABLE_SLACK:
            break
    return [round(100 * w / width_mm, 2) for w in _spread(preferred, least, width_mm)], size


def _widths(table: Table) -> list[float]:
    return _layout(table)[0]


# Control characters come with text pasted from Word (a manual line break is a vertical
# tab): XML cannot hold them, so Word files could not be written, and no font draws them.
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _printable(doc: Document) -> Document:
    """The document with line-break characters as newlines and other control characters as spaces."""

    def clean(value):
        if isinstance(value, str):
            return _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", value))
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return Document.from_json(clean(doc.as_json()))


# --- PDF ---------------------------------------------------------------------------

_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
SVG_NS = "http://www.w3.org/2000/svg"


def _svg_images(svg: str) -> list[dict[str, str]]:
    """Each SVG of a chart (the chart, its legend) as an image: a data URI and its title as alt text.

    WeasyPrint draws an SVG image from its own small tree; inline SVG goes through the
    HTML parser, the page's cascade and stacking contexts like the rest of the page,
    which cost a sixth of the charts' time (and a fifth of their memory) in a report of
    180 charts. The image is a Figure with the same alternative text in the tagged PDF
    (an inline SVG's is its <title>), drawn in the report's font, which inline SVG inherited.
    """
    images = []
    for match in _SVG.finditer(svg):
        source = match.group(0)
        root = source.split(">", 1)[0]
        extra = "" if "xmlns=" in root else f' xmlns="{SVG_NS}"'
        extra += "" if "font-family=" in root else ' font-family="DejaVu Sans, Liberation Sans, sans-serif"'
        source = "<svg" + extra + source[len("<svg") :]
        title = _SVG_TITLE.search(source)
        alt = html.unescape(title.group(1)).strip() if title else ""
        images.append({"src": "data:image/svg+xml;base64," + base64.b64encode(source.encode()).decode(), "alt": alt})
    return images


# --- Rendering in parts ---------------------------------------------------------------
#
# A long document is rendered in parts of about PART_COST each (reports.pdf_parts), in
# parallel processes, and merged. A part starts where a page break falls anyway: at a
# chapter (h1), or, inside a chapter longer than a part, at a section (h2, h3) or a chart that then
# starts a new page whether or not the document is rendered in parts, so that the PDF is
# the same on any machine. The cost is an estimate of the layout work, about 16 a page.
PART_COST = 600
# A document costing less (about 90 pages; the large city's summary costs 500) is rendered
# whole, in this process: below that, starting processes and merging cost more than they save.
SPLIT_FROM = 1500
COST_ROW, COST_CHART, COST_BLOCK, COST_CHARS = 1, 10, 1, 400


def _cost(block: dict) -> int:
    match block["kind"]:
        case "table":
            return COST_BLOCK + COST_ROW * len(block["rows"])
        case "chart":
            return COST_CHART + COST_ROW * len(block["table"]["rows"])
        case "list":
            return COST_BLOCK + sum(1 + len(item) // COST_CHARS for item in block["items"])
        case _:
            return COST_BLOCK + len(block.get("text", "")) // COST_CHARS


def _mark_part_starts(blocks: list[dict]) -> None:
    """What starts a new page besides chapters: in a chapter longer than a part, the first
    section (h2, h3) or chart after each PART_COST of content. Marked ``new_page``."""
    run = 0
    for block in blocks:
        if block["kind"] == "heading" and block["level"] == 1:
            run = 0
        elif (block["kind"] == "chart" or block.get("level") in (2, 3)) and run >= PART_COST:
            block["new_page"] = True
            run = 0
        run += _cost(block)


def _parts(blocks: list[dict], processes: int) -> list[list[dict]]:
    """The blocks in parts starting at a page break, each about PART_COST (less when
    that gives fewer parts than processes), in order."""
    total = sum(_cost(b) for b in blocks)
    if total < SPLIT_FROM:
        return [blocks]
    target = min(PART_COST, total / max(processes, 1))
    pieces: list[list[dict]] = []  # from one page break to the next
    for block in blocks:
        if not pieces or block.get("level") == 1 or block.get("new_page"):
            pieces.append([])
        pieces[-1].append(block)
    parts: list[list[dict]] = []
    run = 0
    for piece in pieces:
        cost = sum(_cost(b) for b in piece)
        if not parts or run + cost / 2 > target:  # the piece goes where most of it fits
            parts.append([])
            run = 0
        parts[-1].extend(piece)
        run += cost
    return parts


@contextmanager
def _few_collections():
    """Fewer passes of the cyclic garbage collector while WeasyPrint builds its millions of
    small objects (they cost a tenth of the render); the previous thresholds come back after."""
    before = gc.get_threshold()
    gc.freeze()  # what exists already (Django, the document) is not looked at again meanwhile
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def warm_up() -> None:
    """Load WeasyPrint (Pango, fontconfig) and the report's fonts by rendering a line.

    A worker that builds reports calls this once at start (worker run_worker), so
    the first report does not pay the second and more it takes."""
    from weasyprint import HTML

    HTML(string="<p>Inkludera</p>").write_pdf()


def release_memory() -> None:
    """Give the memory a long render freed back to the system.

    Merging a long PDF (qpdf's objects) leaves this process about 270 MiB larger
    although nothing holds it any more: glibc keeps freed heap pages. A worker
    that builds reports all day would keep that between builds, and the Word file
    built next would add to it (bench/council_report.py: 432 MiB before, 163 after)."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to ask
        pass


def render_processes() -> int:
    """How many processes render a PDF's parts at once (REPORT_RENDER_PROCESSES, else the cores)."""
    from django.conf import settings

    return getattr(settings, "REPORT_RENDER_PROCESSES", 0) or os.cpu_count() or 1


def render_pdf(doc: Document, *, logo: Path | None = None, processes: int | None = None) -> Rendered:
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    doc = _printable(doc)
    blocks, n = [], 0
    for block in doc.blocks:
        data = asdict(block)
        if isinstance(block, Heading):
            data["n"] = n
            n += 1
        if isinstance(block, Table):
            data["col_widths"], data["size"] = _layout(block)
        if isinstance(block, Chart):
            data["images"] = _svg_images(block.svg)
            # Beside the chart while the table fits there in a readable size; else under it, full width.
            widths, size = _layout(block.table, TEXT_WIDTH_MM * CHART_TABLE_SHARE)
            data["stacked"] = size > CHART_TABLE_SIZE
            if data["stacked"]:
                widths, size = _layout(block.table)
            data["table"]["col_widths"], data["table"]["size"] = widths, size
        blocks.append(data)
    _mark_part_starts(blocks)
    processes = processes or render_processes()
    parts = _parts(blocks, processes)
    toc = [(i, h) for i, h in doc.headings() if h.level <= TOC_LEVELS]
    base_url = str(Path(__file__).parent)
    with translation.override(doc.language):
        context = {
            "doc": doc,
            "logo_url": logo.resolve().as_uri() if logo else "",
            "page_margins": " ".join(f"{m}mm" for m in PAGE_MARGINS_MM),
            "toc_label": _("Contents"),
            "date_label": _("Date"),
            "page_label": _("Page"),
            "of_label": _("of"),
        }
        if len(parts) < 2:
            html = render_to_string(
                "reports/pdf.html",
                {**context, "front": True, "content": True, "blocks": blocks, "toc": [(i, h, None) for i, h in toc]},
            )
            with _few_collections():
                rendered = HTML(string=html, base_url=base_url).render(pdf_tags=True)
                return Rendered(rendered.write_pdf(pdf_tags=True), pages=len(rendered.pages))
        return _render_in_parts(context, parts, toc, processes, base_url)


def _render_in_parts(context: dict, parts: list[list[dict]], toc, processes: int, base_url: str) -> Rendered:
    """Render the parts in parallel, then the front (title page and contents) with the
    pages the headings landed on, then the page numbers, and merge (reports.pdf_parts)."""
    from weasyprint import HTML

    from .pdf_parts import merge, pool, render_part, render_untagged

    def page(**extra) -> str:
        return render_to_string("reports/pdf.html", {**context, "no_page_numbers": True, **extra})

    def front_html(pages: dict[int, int | str]) -> str:
        return page(front=True, toc=[(i, h, pages[i]) for i, h in toc], toc_targets=True)

    with pool(min(processes, len(parts))) as workers:
        pending = [workers.apply_async(render_part, (page(content=True, blocks=p), base_url)) for p in parts]
        # Meanwhile, how many pages the front takes (numbers as wide as three digits).
        front_pages = len(
            HTML(string=front_html(dict.fromkeys((i for i, _h in toc), "888")), base_url=base_url).render().pages
        )
        rendered = [p.get() for p in pending]
        where = {name: (k, at[0]) for k, part in enumerate(rendered) for name, at in part.anchors.items()}
        for _attempt in range(3):  # the real numbers may make the contents a page shorter or longer
            starts, start = [], front_pages
            for part in rendered:
                starts.append(start)
                start += part.pages
            numbers = {i: starts[where[f"s{i}"][0]] + where[f"s{i}"][1] + 1 for i, _h in toc if f"s{i}" in where}
            front = workers.apply(render_part, (front_html(numbers), base_url))
            if front.pages == front_pages:
                break
            front_pages = front.pages
        total = front.pages + sum(p.pages for p in rendered)
        chunk = 200
        overlays = [
            workers.apply_async(
                render_untagged,
                (
                    render_to_string(
                        "reports/pdf_page_numbers.html",
                        {
                            **context,
                            "language": context["doc"].language,
                            "first": first,
                            "total": total,
                            "pages": range(min(chunk, total - first + 1)),
                        },
                    ),
                    base_url,
                ),
            )
            for first in range(1, total + 1, chunk)
        ]
        numbers_pdfs = [o.get() for o in overlays]
    outline = [
        (b["level"], b["text"], f"s{b['n']}") for p in parts for b in p if b["kind"] == "heading" and b["level"] <= 3
    ]
    with _few_collections():
        merged = Rendered(merge(front, rendered, numbers_pdfs, outline), pages=total)
    del rendered, numbers_pdfs, front
    release_memory()
    return merged


# --- Word ----------------------------------------------------------------------------


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) in the paragraph; Word computes it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, instr, separate])
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _language(word: WordDocument, language: str) -> None:
    """The document's language, so spelling and screen readers use Swedish."""
    tag = {"sv": "sv-SE", "en": "en-GB"}.get(language, language)
    word.core_properties.language = tag
    rpr = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    # Ask Word to fill in the table of contents and page numbers when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.append(update)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# What python-docx writes for a run's text: a line break and a tab are elements of their own.
_RUN_SPECIALS = re.compile(r"(\r|\n|\t)")


def _run_xml(text: str, *, bold: bool = False) -> str:
    parts = []
    for piece in _RUN_SPECIALS.split(text):
        if piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece == "\t":
            parts.append("<w:tab/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            parts.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>" if parts else ""


def _word_table(word: WordDocument, table: Table, styles: dict[str, str]) -> None:
    """The table written as WordprocessingML in one piece and parsed once.

    Building it cell by cell through python-docx (add_row, cell.width, add_run) looked
    up the same elements again for every cell and was most of a long report's Word time
    (bench/council_report.py docx full); the markup is the same as python-docx's: the
    table style, a header row repeated on every page with bold text, each cell's width
    (also in the table's grid, which LibreOffice reads), numbers right-aligned."""
    _styled_paragraph(word, styles["Caption"], table.caption)
    usable = Cm(16.5)
    widths = [round(int(usable * w / 100) / 635) for w in _widths(table)]  # EMU → twentieths of a point
    right = '<w:pPr><w:jc w:val="right"/></w:pPr>'

    def row(values, *, header: bool) -> str:
        cells = []
        for i, text in enumerate(values):
            align = right if i in table.numeric and not header else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{widths[i]}"/></w:tcPr>'
                f"<w:p>{align}{_run_xml(str(text), bold=header)}</w:p></w:tc>"
            )
        props = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
        return f"<w:tr>{props}{''.join(cells)}</w:tr>"

    markup = "".join(
        [
            f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="{styles["Table Grid"]}"/>',
            '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>',
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
            'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
            row(table.header, header=True),
            *(row(values, header=False) for values in table.rows),
            "</w:tbl>",
        ]
    )
    _end_of_body(word).addprevious(parse_xml(markup))
    _styled_paragraph(word, None)


def _end_of_body(word: WordDocument):
    """The body's section properties, its last element: what is added goes before it.
    (python-docx finds it again by walking the whole body for every paragraph added.)"""
    body = word.element.body
    try:
        last = body[-1]  # found from the end (len() would count every child)
    except IndexError:
        last = None
    if last is None or last.tag != qn("w:sectPr"):
        return body.get_or_add_sectPr()
    return last


def _styled_paragraph(word: WordDocument, style_id: str | None, text: str = "") -> WordParagraph:
    """A paragraph at the end of the body with the style given by its id (python-docx
    looks a style up by its name among all styles for every paragraph)."""
    element = OxmlElement("w:p")
    _end_of_body(word).addprevious(element)
    paragraph = WordParagraph(element, word._body)
    if style_id:
        element.style = style_id
    if text:
        paragraph.add_run(text)
    return paragraph


def _last_paragraph(word: WordDocument) -> WordParagraph:
    """The body's last paragraph (a new one when the body ends otherwise)."""
    last = _end_of_body(word).getprevious()
    if last is None or last.tag != qn("w:p"):
        return _styled_paragraph(word, None)
    return WordParagraph(last, word._body)


def _property(value: str) -> str:
    """A document property as Word holds it: at most 255 characters (python-docx refuses more)."""
    return value if len(value) <= 255 else value[:254] + "…"


def render_docx(doc: Document, *, logo: Path | None = None) -> Rendered:
    doc = _printable(doc)
    with translation.override(doc.language):
        word = WordDocument()
        _language(word, doc.language)
        props = word.core_properties
        props.title = _property(doc.title)
        props.subject = _property(doc.subtitle)
        props.author = _property(doc.municipality)
        props.comments = _property(doc.draft_mark)
        normal = word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)

        section = word.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.text = " · ".join(x for x in (doc.draft_mark, doc.municipality) if x)
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(_("Page") + " ")
        _field(footer, "PAGE", "1")
        footer.add_run(" " + _("of") + " ")
        _field(footer, "NUMPAGES", "1")

        # Title page.
        if logo:
            word.add_picture(str(logo), width=Cm(4.5))
            word.paragraphs[-1].runs[0]._r.xpath(".//wp:docPr")[0].set("descr", doc.municipality)
        word.add_paragraph(doc.municipality)
        word.add_paragraph(doc.title, style="Title")
        word.add_paragraph(doc.subtitle, style="Subtitle")
        if doc.draft_mark:
            mark = word.add_paragraph().add_run(doc.draft_mark)
            mark.bold = True
            mark.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
        for label, value in [*doc.facts, (_("Date"), doc.date)]:
            p = word.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)

        # Table of contents: a field Word fills in (it asks when the file is opened).
        word.add_page_break()
        word.add_paragraph(_("Contents"), style="TOC Heading" if "TOC Heading" in word.styles else "Heading 1")
        _field(
            word.add_paragraph(),
            f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u',
            _("Update the table of contents: right-click here and choose Update field."),
        )

        styles = {
            name: word.styles[name].style_id
            for name in ("Caption", "Table Grid", "Quote", "List Bullet", *(f"Heading {n}" for n in range(1, 5)))
        }
        for block in doc.blocks:
            match block:
                case Heading(level=1):  # every chapter starts on a new page
                    _last_paragraph(word).add_run().add_break(WD_BREAK.PAGE)
                    _styled_paragraph(word, styles["Heading 1"], block.text)
                case Heading():
                    _styled_paragraph(word, styles[f"Heading {min(block.level, 4)}"], block.text)
                case Paragraph():
                    p = _styled_paragraph(word, styles["Quote"] if block.style == "quote" else None)
                    if block.label:
                        p.add_run(block.label + " ").bold = True
                    run = p.add_run(block.text)
                    if block.style == "note":
                        run.italic = True
                        run.font.size = Pt(9.5)
                    elif block.style == "lead":
                        run.font.size = Pt(12)
                case BulletList():
                    for item in block.items:
                        _styled_paragraph(word, styles["List Bullet"], item)
                case Chart():
                    note = _styled_paragraph(word, None)
                    note.add_run(block.title).bold = True
                    note.add_run(" " + _("(the chart is in the PDF; its numbers are in the table below)")).italic = True
                    _word_table(word, block.table, styles)
                case Table():
                    _word_table(word, block, styles)
        out = io.BytesIO()
        word.save(out)
        return Rendered(out.getvalue())
