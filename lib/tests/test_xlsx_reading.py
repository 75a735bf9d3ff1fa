"""Reading spreadsheets is bounded: empty rows count against the row limit,
reading stops there, and a zip bomb is refused before it is unpacked."""

import io
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext
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
            if event == "end" and element.tag.endswith("}row"):
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


def repacked(data: bytes, *, rename: dict | None = None, replace: dict | None = None, add: dict | None = None) -> bytes:
    """``data`` with parts renamed (and the workbook's references to them), replaced or added."""
    rename, replace, add = rename or {}, replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                for old, new in rename.items():
                    content = content.replace(f"/{old}".encode(), f"/{new}".encode())
            target.writestr(rename.get(info.filename, info.filename), content)
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def test_a_sheet_stored_under_a_name_without_xml_is_checked_like_any_other(rows_parsed):
    """The workbook names its sheets' parts: a sheet is a sheet whatever its part is called."""
    cells = "".join(f'<c r="{chr(65 + i % 26)}{i}" s="1"/>' for i in range(1, 200))
    data = workbook("".join(f'<row r="{n}">{cells}</row>' for n in range(3, 40)))
    for name in ["xl/worksheets/sheet1.XML", "xl/worksheets/sheet1", "xl/worksheets/sheet1.bin"]:
        with pytest.raises(XlsxInvalid) as exc:
            read(repacked(data, rename={SHEET: name}), 50)
        assert exc.value.errors == [
            "Bladet har fler än 1275 celler, ifyllda eller formaterade; kopiera själva tabellen till en ny fil."
        ], name
    assert rows_parsed["read"] == 0
    # A renamed sheet within the limits is read as before.
    assert [r.values["Titel"] for r in read(repacked(workbook(), rename={SHEET: "xl/worksheets/blad"}), 50)] == [
        "Brobyggare"
    ]


SHARED_STRINGS = "xl/sharedStrings.xml"


def too_many_entries(limit: int) -> str:
    with translation.override("sv"):
        message = gettext(
            "The file has more than %(max)d texts, formats or other entries besides its cells; "
            "copy the table itself into a new file."
        )
    return message % {"max": limit}


def with_shared_strings(count: int) -> bytes:
    """A workbook whose shared-string table (which openpyxl reads whole) holds ``count`` texts."""
    texts = "".join(f"<si><t>{n:x}</t></si>" for n in range(count))
    table = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{texts}</sst>'
    data = repacked(workbook(), add={SHARED_STRINGS: table})
    relation = (
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml" Id="rId99"/></Relationships>'
    )
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    rels = source.read("xl/_rels/workbook.xml.rels").decode().replace("</Relationships>", relation)
    types = source.read("[Content_Types].xml").decode().replace("</Types>", override)
    return repacked(data, replace={"xl/_rels/workbook.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()})


def test_a_shared_string_table_longer_than_the_cells_allow_is_refused_before_it_is_read(monkeypatch):
    """Two million texts in a few MB held a worker 100 s and 500 MB: a sheet uses at most
    one text per cell, so the table may hold no more texts than the sheet may have cells."""
    import openpyxl.reader.excel

    read_tables = []
    original = openpyxl.reader.excel.read_string_table
    monkeypatch.setattr(
        openpyxl.reader.excel, "read_string_table", lambda *a, **k: read_tables.append(1) or original(*a, **k)
    )
    assert len(read(with_shared_strings(1275), 50)) == 1  # 51 rows × 25 cells
    with pytest.raises(XlsxInvalid) as exc:
        read(with_shared_strings(1276), 50)
    assert exc.value.errors == [too_many_entries(1275)]
    assert read_tables == [1]  # only the file within the limit was read


def test_a_styles_part_of_too_many_entries_is_refused_before_it_is_read(monkeypatch):
    """Half a million cell formats in 800 kB held a worker a minute and 230 MB."""
    monkeypatch.setattr(xlsx, "MAX_OTHER_ELEMENTS", 2_000)
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    styles = source.read("xl/styles.xml").decode()
    formats = "".join(f'<xf numFmtId="{n % 50}" fontId="0" fillId="0" borderId="0"/>' for n in range(2_000))
    data = repacked(workbook(), replace={"xl/styles.xml": styles.replace("</cellXfs>", formats + "</cellXfs>")})
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 50)
    assert exc.value.errors == [too_many_entries(2000)]


def test_an_archive_of_too_many_parts_is_refused():
    data = repacked(workbook(), add={f"x/{n}.xml": "<a/>" for n in range(xlsx.MAX_PARTS)})
    with pytest.raises(XlsxInvalid) as exc:
        read(data, 50)
    with translation.override("sv"):
        expected = gettext("The file consists of more than %(max)d parts; copy the table itself into a new file.")
    assert exc.value.errors == [expected % {"max": xlsx.MAX_PARTS}]


def test_parts_that_are_not_xml_are_passed_over():
    """Pictures and other binary parts are no sheets; openpyxl does not parse them."""
    data = repacked(workbook(), add={"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4})
    assert [r.values["Titel"] for r in read(data, 50)] == ["Brobyggare"]
