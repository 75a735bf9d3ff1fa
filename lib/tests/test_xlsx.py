"""Writing spreadsheets: text stays text, dates are real Excel dates."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from lib.xlsx import Sheet, write_workbook


def cells(data: bytes):
    return list(load_workbook(BytesIO(data)).worksheets[0].iter_rows(min_row=2))


def test_text_that_looks_like_a_formula_stays_text():
    data = write_workbook([Sheet("Blad", ["Titel"], [['=HYPERLINK("https://example.com","klicka")']])])
    (cell,) = cells(data)[0]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("https://example.com","klicka")'


def test_dates_and_datetimes_are_excel_dates_in_local_time():
    stockholm = ZoneInfo("Europe/Stockholm")
    rows = [
        [date(2026, 3, 12)],
        [datetime(2026, 3, 12, 17, 30)],
        [datetime(2026, 3, 12, 17, 30, tzinfo=stockholm)],
        [datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC"))],  # 10:00 in Stockholm (summer time)
    ]
    got = [row[0] for row in cells(write_workbook([Sheet("Blad", ["När"], rows)]))]
    assert all(c.is_date and c.data_type == "d" for c in got)
    assert got[0].number_format == "yyyy-mm-dd"
    assert got[0].value == datetime(2026, 3, 12)
    assert got[1].value == got[2].value == datetime(2026, 3, 12, 17, 30)
    assert got[3].value == datetime(2026, 7, 1, 10, 0)
