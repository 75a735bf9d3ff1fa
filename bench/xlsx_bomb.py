"""How long reading a hostile spreadsheet holds a worker.

How to run it:

    DEBUG=1 .venv/bin/python bench/xlsx_bomb.py

Builds three files of the activity import's shape in memory and times
`lib.xlsx.read_rows` on each with the configured XLSX_MAX_ROWS:

- `bomb`: about 45 MB of styled empty rows packed into some 80 kB (the
  file of issue 13), refused by the compression ratio before parsing;
- `numbered`: about 45 MB of numbered empty rows that pack only ~20 times
  (a 2-3 MB upload), refused when reading reaches the row limit;
- `wide`: rows of 200 styled empty cells up to the row limit, within
  every limit, read to the end.

Each prints its size, the time and the first error. Memory is measured
from outside, e.g. with `/usr/bin/time -v`.
"""

import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

from activities.spreadsheet import HEADER  # noqa: E402
from lib.xlsx import Sheet, XlsxInvalid, read_rows, write_workbook  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
TARGET = 45_000_000


def with_rows(extra: str) -> bytes:
    """The export's header and one activity, then ``extra`` sheet XML."""
    row = ["", "Brobyggare", "", "1.1", "SOC", *[""] * (len(HEADER) - 5)]
    data = write_workbook([Sheet("Aktiviteter", HEADER, [row])])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET:
                content = content.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            target.writestr(info.filename, content)
    return out.getvalue()


def bomb() -> bytes:
    row = '<row s="1" customFormat="1" ht="15" customHeight="1"/>'
    return with_rows(row * (TARGET // len(row)))


def numbered() -> bytes:
    parts, size, n = [], 0, 3
    while size < TARGET:
        row = f'<row r="{n}" spans="1:20" s="1" customFormat="1"/>'
        parts.append(row)
        size += len(row)
        n += 1
    return with_rows("".join(parts))


def wide() -> bytes:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, 201)]
    rows = (
        f'<row r="{n}">' + "".join(f'<c r="{c}{n}" s="1"/>' for c in letters) + "</row>"
        for n in range(3, settings.XLSX_MAX_ROWS + 2)
    )
    return with_rows("".join(rows))


def main() -> None:
    for name, make in (("bomb", bomb), ("numbered", numbered), ("wide", wide)):
        data = make()
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
        start = time.perf_counter()
        with translation.override("sv"):
            try:
                rows = read_rows(data, header=HEADER, max_rows=settings.XLSX_MAX_ROWS)
                outcome = f"{len(rows)} rows read"
            except XlsxInvalid as exc:
                outcome = exc.errors[0]
        seconds = time.perf_counter() - start
        print(f"{name}: {len(data) // 1024} kB, {unpacked // 1_000_000} MB unpacked, {seconds:.2f} s: {outcome}")


if __name__ == "__main__":
    main()
