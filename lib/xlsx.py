"""Reading and writing spreadsheets safely.

Writing: every text cell is stored as text, so a title such as "=HYPERLINK(...)"
typed by a person never becomes a formula in someone's Excel.
Reading: the file is checked as a zip archive first (uncompressed size and how
tightly each part is packed, so a zip bomb is refused before it is unpacked),
formulas are refused rather than evaluated, and reading stops at the row limit:
every row counts, empty ones too, so a small file holding a million empty rows
costs no more than the limit. Errors are Swedish sentences tied to the row and
column.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING, WriteOnlyCell
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import iterparse  # defused when defusedxml is installed

MAX_UNCOMPRESSED_BYTES = 50_000_000
# A sheet of real text packs 5-20 times (the export of 3,200 activities: 11 times);
# styled empty rows pack several hundred times. Parts below the floor are not checked.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1_000_000
# Columns read from each row; the rest of a row is ignored (the sheet's own
# dimension may claim 16,384 columns).
MAX_COLUMNS = 200
# Cells listed in the sheet, per row allowed: an import has some 20 columns, and
# openpyxl spends ~15 µs on every cell, styled empty ones included.
CELLS_PER_ROW = 25
# Whatever else openpyxl reads whole before the first row (the shared-string table, the
# styles, the workbook): a sheet uses at most one shared text per cell, so the table may
# hold as many texts as the sheet may have cells; everything else together, this many
# XML elements (openpyxl spends ~45 µs on each cell format). And parts in the archive.
MAX_OTHER_ELEMENTS = 100_000
MAX_PARTS = 1_000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)
    # When given, the sheet is protected (without a password: a guard against slips,
    # not a lock) and only these columns (0-based) can be edited.
    editable: Sequence[int] = field(default_factory=tuple)


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file, written row by row (constant memory per row)."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        ws = wb.create_sheet(spec.title[:31])
        for i, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        if spec.editable:
            ws.protection.sheet = True
            ws.protection.formatColumns = ws.protection.formatRows = ws.protection.autoFilter = False
        ws.append([_cell(ws, name, font=bold) for name in spec.header])
        for row in spec.rows:
            ws.append([_cell(ws, value, unlocked=i in spec.editable) for i, value in enumerate(row)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(ws, value: Any, *, font: Font | None = None, unlocked: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    if unlocked:
        cell.protection = Protection(locked=False)
    return cell


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A download of the workbook ``data`` as ``filename``."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell_value(value: Any) -> Any:
    """Dates and datetimes stay dates (openpyxl gives them a date number format);
    Excel has no time zones, so an aware datetime is written in local time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        return value  # a number, not text
    return str(value)


@dataclass
class Row:
    line: int  # the row number Excel shows
    values: dict[str, Any]


def read_rows(data: bytes, *, header: Sequence[str], max_rows: int) -> list[Row]:
    """The rows of the first sheet as {column header: value}, checking that every
    expected column is there. Raises XlsxInvalid with every problem found."""
    unreadable = _("The file could not be read as an Excel file (.xlsx).")
    too_long = _(
        "The file has more than %(max)d rows below the header (empty rows count too); "
        "delete the empty rows below the table or split the file."
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise XlsxInvalid([unreadable])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive.infolist())
            budget = _Budget(max_rows=max_rows, too_long=too_long)
            for info in archive.infolist():
                # Every part, before openpyxl reads any (it reads a sheet from whatever
                # part the workbook names, .xml or not): to find a sheet's size it parses
                # the whole sheet when the sheet does not state its dimension.
                with archive.open(info) as source:
                    budget.check_part(source, is_xml=info.filename.lower().endswith((".xml", ".rels")))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except XlsxInvalid:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise XlsxInvalid([unreadable]) from exc
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise XlsxInvalid([unreadable])
        # The header, at most max_rows rows and one more to notice a file that is too long.
        rows = ws.iter_rows(max_row=max_rows + 2, max_col=MAX_COLUMNS)
        try:
            head = [_text(c.value) for c in next(rows)]
        except StopIteration:
            raise XlsxInvalid([_("The file is empty.")]) from None
        missing = [name for name in header if name not in head]
        if missing:
            raise XlsxInvalid(
                [_("Row 1: columns are missing: %(columns)s.") % {"columns": ", ".join(f"”{m}”" for m in missing)}]
            )
        index = {name: head.index(name) for name in header}
        out: list[Row] = []
        errors: list[str] = []
        for line, cells in enumerate(rows, start=2):
            if line > max_rows + 1:  # empty rows count too: reading stops here
                raise XlsxInvalid([too_long % {"max": max_rows}])
            values: dict[str, Any] = {}
            for name, i in index.items():
                cell = cells[i] if i < len(cells) else None
                if cell is None:
                    values[name] = None
                    continue
                if cell.data_type == TYPE_FORMULA:
                    errors.append(
                        _("Row %(line)d, column ”%(column)s”: formulas are not accepted; type the value itself.")
                        % {"line": line, "column": name}
                    )
                    values[name] = None
                    continue
                values[name] = cell.value
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue  # blank rows are skipped
            out.append(Row(line=line, values=values))
        if errors:
            raise XlsxInvalid(errors)
        return out
    finally:
        wb.close()


def _check_archive(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that unpacks to too much, or any part of it packed so
    tightly that it is mostly repetition (a zip bomb, or a sheet of empty rows).
    The sizes are the ones the archive declares; Python's zipfile stops reading
    a part at its declared size, so a part cannot unpack to more."""
    if len(members) > MAX_PARTS:
        raise XlsxInvalid(
            [
                _("The file consists of more than %(max)d parts; copy the table itself into a new file.")
                % {"max": MAX_PARTS}
            ]
        )
    if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
        raise XlsxInvalid(
            [
                _("The file unpacks to more than %(size)d MB; split it into smaller files.")
                % {"size": MAX_UNCOMPRESSED_BYTES // 1_000_000}
            ]
        )
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise XlsxInvalid(
                [
                    _(
                        "The file unpacks to %(times)d times its size, more than the limit of %(limit)d times: "
                        "it is mostly empty rows or cells. Copy the table itself into a new file."
                    )
                    % {"times": info.file_size // max(info.compress_size, 1), "limit": MAX_COMPRESSION_RATIO}
                ]
            )


class _Budget:
    """Counts what the XML parts list before openpyxl reads them (expat alone is
    many times faster), stopping at the first limit crossed: in each sheet, the
    header and max_rows rows, empty rows included, and CELLS_PER_ROW cells a row;
    in the shared-string table, as many texts as a sheet may have cells; in all
    other parts together, MAX_OTHER_ELEMENTS elements."""

    def __init__(self, *, max_rows: int, too_long: str):
        self.max_rows, self.too_long = max_rows, too_long
        self.max_cells = (max_rows + 1) * CELLS_PER_ROW
        self.other = 0

    def _too_many_entries(self, limit: int) -> XlsxInvalid:
        return XlsxInvalid(
            [
                _(
                    "The file has more than %(max)d texts, formats or other entries besides its cells; "
                    "copy the table itself into a new file."
                )
                % {"max": limit}
            ]
        )

    def check_part(self, source, *, is_xml: bool) -> None:
        """``is_xml``: a part named as XML, which must be XML. Another part that is not
        XML (a picture) is passed over: openpyxl never parses it."""
        try:
            self._count(source)
        except XlsxInvalid:
            raise
        except Exception:
            if is_xml:
                raise

    def _count(self, source) -> None:
        root = None
        rows = cells = strings = elements = 0
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element.tag.rpartition("}")[2]
            if event == "start":
                continue
            tag = element.tag.rpartition("}")[2]
            if root == "worksheet":
                if tag == "c":
                    cells += 1
                    if cells > self.max_cells:
                        raise XlsxInvalid(
                            [
                                _(
                                    "The sheet has more than %(max)d cells, filled or formatted; "
                                    "copy the table itself into a new file."
                                )
                                % {"max": self.max_cells}
                            ]
                        )
                elif tag == "row":
                    number = element.get("r", "")
                    rows = int(number) if number.isascii() and number.isdigit() else rows + 1
                    if rows > self.max_rows + 1:
                        raise XlsxInvalid([self.too_long % {"max": self.max_rows}])
                    element.clear()
            elif root == "sst":
                # A text is <si> with its <t>, or with runs of rich text (a few elements each).
                elements += 1
                if tag == "si":
                    strings += 1
                    element.clear()
                if strings > self.max_cells or elements > 4 * self.max_cells + 1:
                    raise self._too_many_entries(self.max_cells)
            else:
                self.other += 1
                if self.other > MAX_OTHER_ELEMENTS:
                    raise self._too_many_entries(MAX_OTHER_ELEMENTS)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_list(value: Any) -> list[str]:
    """A list cell: items separated by semicolons (or new lines)."""
    text = cell_text(value).replace("\n", ";")
    return [part.strip() for part in text.split(";") if part.strip()]
