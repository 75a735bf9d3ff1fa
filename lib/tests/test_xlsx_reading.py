"""Reading spreadsheets is bounded: empty rows count against the row limit,
reading stops there, and a zip bomb is refused before it is unpacked."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl.worksheet._reader import WorkSheetParser

from lib import xlsx
from lib.xlsx import Sheet, XlsxInvalid, read_rows, write_workbook

HEADER = ["Titel", "Mål"]
SHEET = "xl/worksheets/sheet1.xml"


def workbook(extra_rows: str = "", *, dimension: str = "", rows=(("Brobyggare", "1.1"),)) -> bytes:
    """A workbook with a header and ``rows``, then ``extra_rows`` (sheet XML) written
    into the sheet directly, so a file of a million rows costs a few bytes here."""
    data = write_workbook([Sheet("Aktiviteter", HEADER, [list(r) for r in rows])])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET:
                text = content.decode()
                text = text.replace("</sheetData>", extra_rows + "</sheetData>")
                if dimension:
                    text = text.replace("</sheetPr>", f'</sheetPr><dimension ref="{dimension}"/>', 1)
                content = text.encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def empty_rows(first: int, count: int) -> str:
    return "".join(f'<row r="{n}" spans="1:20" s="1" customFormat="1"/>' for n in range(first, first + count))


@pytest.fixture
def rows_parsed(monkeypatch):
    """The rows taken out of the sheet's XML: by the check before reading
    ("checked") and by openpyxl ("read")."""
    seen = {"checked": 0, "read": 0}
    original_iterparse, original_parse_row = xlsx.iterparse, WorkSheetParser.parse_row

    def counting_iterparse(source, **kwargs):
        for event, element in original_iterparse(source, **kwargs):
            if element.tag.endswith("}row"):
                seen["checked"] += 1
            yield event, element

    def counting_parse_row(self, row):
        seen["read"] += 1
        return original_parse_row(self, row)

    monkeypatch.setattr(xlsx, "iterparse", counting_iterparse)
    monkeypatch.setattr(WorkSheetParser, "parse_row", counting_parse_row)
    return seen


def read(data: bytes, max_rows: int):
    with translation.override("sv"):
        return read_rows(data, header=HEADER, max_rows=max_rows)


def test_a_file_within_the_limit_is_read_and_its_empty_rows_skipped():
    filled = '<row r="8"><c r="A8" t="inlineStr"><is><t>Mötesplats</t></is></c></row>'
    rows = read(workbook(empty_rows(3, 5) + filled), 10)
    assert [(r.line, r.values["Titel"]) for r in rows] == [(2, "Brobyggare"), (8, "Mötesplats")]


def test_empty_rows_count_against_the_limit_and_reading_stops_there(rows_parsed):
    data = workbook(empty_rows(3, 5_000))
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 50)
    assert exc.value.errors == [
        "Filen har fler än 50 rader under rubrikraden (tomma rader räknas också); "
        "ta bort de tomma raderna under tabellen eller dela upp filen."
    ]
    # The header, 50 rows and the one that was too many; openpyxl read none of them.
    assert rows_parsed == {"checked": 52, "read": 0}


def test_a_row_far_below_and_a_huge_dimension_do_not_make_a_million_rows(rows_parsed):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = workbook(far, dimension="A1:XFD1048576")
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 50)
    assert "fler än 50 rader" in exc.value.errors[0]
    assert rows_parsed == {"checked": 3, "read": 0}


def test_the_row_limit_itself_is_allowed():
    rows = [(f"Aktivitet {n}", "1.1") for n in range(50)]
    assert len(read(workbook(rows=rows), 50)) == 50
    with pytest.raises(XlsxInvalid):
        read(workbook(rows=[*rows, ("En för mycket", "1.1")]), 50)


def test_a_sheet_of_styled_empty_rows_is_refused_before_it_is_parsed(rows_parsed):
    data = workbook('<row s="1" customFormat="1"/>' * 200_000)  # about 6 MB of rows, packed into a few kB
    assert len(data) < 100_000
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 10_000)
    (message,) = exc.value.errors
    assert message.startswith("Filen packas upp till ")
    assert "mer än gränsen 100 gånger" in message
    assert rows_parsed == {"checked": 0, "read": 0}


def test_a_file_that_unpacks_to_too_much_is_refused(monkeypatch, rows_parsed):
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    with pytest.raises(XlsxInvalid) as exc:
        read(workbook(empty_rows(3, 25_000)), 10_000)  # about 1.2 MB
    assert exc.value.errors == ["Filen packas upp till mer än 1 MB; dela upp den i mindre filer."]
    assert rows_parsed == {"checked": 0, "read": 0}


def test_rows_of_many_formatted_cells_are_refused_before_openpyxl_reads_them(rows_parsed):
    cells = "".join(f'<c r="{chr(65 + i % 26)}{i}" s="1"/>' for i in range(1, 200))
    data = workbook("".join(f'<row r="{n}">{cells}</row>' for n in range(3, 40)))
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 50)  # at most 51 × 25 cells
    assert exc.value.errors == [
        "Bladet har fler än 1275 celler, ifyllda eller formaterade; kopiera själva tabellen till en ny fil."
    ]
    assert rows_parsed["read"] == 0
    assert rows_parsed["checked"] < 10


def test_the_export_of_many_activities_packs_well_within_the_ratio():
    rows = [(f"Aktivitet {n} om brobyggare i skolan", f"{n % 7}.{n % 5}") for n in range(3_000)]
    data = workbook(rows=rows)
    assert len(read(data, 10_000)) == 3_000
