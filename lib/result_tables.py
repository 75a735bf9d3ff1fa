"""Published tables of counts as XLSX or CSV downloads.

The tables are built from already suppressed cells (lib.suppression.Cell):
a hidden count is written as its label ("dolt"), never as a
number, so a download holds exactly what the page shows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.suppression import Cell
from lib.xlsx import Sheet, write_workbook, xlsx_response


@dataclass
class ResultTable:
    title: str
    header: Sequence[str]  # the first column's heading, then one per column
    rows: list[list[Any]] = field(default_factory=list)  # a label, then cells or plain values


def cell_value(value: Any) -> Any:
    if isinstance(value, Cell):
        return value.value if not value.suppressed else str(value)
    return value


def tables_xlsx(tables: Sequence[ResultTable], filename: str) -> HttpResponse:
    """One sheet per table (names made unique within Excel's 31 characters)."""
    sheets, used = [], set()
    for n, table in enumerate(tables, start=1):
        title = re.sub(r"[\\/?*\[\]:]", "", table.title).strip(" '") or str(n)  # Excel's forbidden characters
        name = title[:28]
        if name.lower() in used:
            name = f"{title[:24]} ({n})"
        used.add(name.lower())
        rows = [[cell_value(v) for v in row] for row in table.rows]
        sheets.append(Sheet(name, list(table.header), rows, widths=(40, *[16] * (len(table.header) - 1))))
    return xlsx_response(write_workbook(sheets), filename)


def tables_csv(tables: Sequence[ResultTable], filename: str) -> HttpResponse:
    """All tables in one CSV, one count per line: table, row, column, value (UTF-8, comma-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("table"), _("row"), _("column"), _("value")])
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=False):
                writer.writerow(
                    [csv_text(table.title), csv_text(row[0]), csv_text(column), csv_text(cell_value(value))]
                )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(value: Any) -> str:
    """A value as CSV text; text that a spreadsheet would take for a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not text.lstrip("+-").replace(".", "", 1).isdigit():
        return "'" + text
    return text
