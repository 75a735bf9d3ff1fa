"""The indicators and their measurements as a spreadsheet."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Baseline, Indicator, Measurement
from indicators.spreadsheet import export_indicators

from .factories import make_indicator
from .test_list_and_selectors import make_many

URL = reverse("indicators:xlsx")
FORMULA = '=HYPERLINK("https://example.com","klicka här")'
INDICATOR_HEADER = (
    "Kommunkod", "Indikator", "Typ", "Måttenhet", "Riktning", "Källa", "Ansvarig enhet", "Mål",
    "Nollmätning datum", "Nollmätning värde", "Senaste värde", "Senaste värde datum", "Nästa målvärde datum",
    "Nästa målvärde", "Status",
)  # fmt: skip
MEASUREMENT_HEADER = (
    "Kommunkod", "Indikator", "Periodens början", "Periodens slut", "Värde", "Kvinnor/flickor", "Män/pojkar", "Ja/nej",
    "Text", "Anteckning",
)  # fmt: skip


def download(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def by_name(ws) -> dict:
    return {row[1].value: row for row in ws.iter_rows(min_row=2)}


def test_the_indicators_download_with_their_values(world):
    make_indicator(
        world,
        name=FORMULA,
        unit="procent",
        source_kind=Indicator.Source.SURVEY,
        source_detail="Medarbetarenkäten",
        gender_split=True,
        measurements=((date(2023, 12, 31), "20"), (date(2024, 12, 31), "26.5")),
    )
    Measurement.objects.filter(period_end=date(2024, 12, 31)).update(
        period_start=date(2024, 1, 1), women=Decimal("14.5"), men=Decimal("12"), note="Efter utbildningen."
    )
    yes_no = make_indicator(
        world,
        name="Rutin för bemötande finns",
        kind=Indicator.Kind.YES_NO,
        responsible=world.unit_b,
        unit="",
        measurements=((date(2024, 6, 30), "yes"),),
    )
    Baseline.objects.create(indicator=yes_no, date=date(2022, 12, 31), value_bool=False)
    make_indicator(world, name="Inte mätt än", direction=Indicator.Direction.DECREASE)

    client = world.client("reader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # Swedish in the file whatever the language
    wb = download(client)
    assert wb.sheetnames == ["Indikatorer", "Mätvärden"]
    ws = wb["Indikatorer"]
    assert tuple(c.value for c in ws[1]) == INDICATOR_HEADER
    rows = by_name(ws)
    assert list(rows) == sorted(rows)  # by name, as on the list

    number = rows[FORMULA]
    assert number[1].data_type == "s"  # a typed formula stays text
    assert [c.value for c in number[:8]] == [
        "0180", FORMULA, "kvantitativ (ett tal)", "procent", "högre är bättre",
        "enkät eller intervjuer: Medarbetarenkäten", "Socialnämnden", "1.2.1",
    ]  # fmt: skip
    assert number[8].is_date and number[8].value == datetime(2022, 12, 31)
    assert number[9].value == 10
    assert number[10].value == 26.5 and number[10].data_type == "n"
    assert number[11].is_date and number[11].value == datetime(2024, 12, 31)
    today = timezone.localdate()
    upcoming = [(when, value) for when, value in ((date(2027, 12, 31), 50), (date(2030, 12, 31), 90)) if when >= today]
    assert (number[12].value.date(), number[13].value) == upcoming[0]  # the next target from today
    assert number[14].value == "I fas"  # 26.5 is above the path from 10 (2022) to 50 (2027)

    answer = rows["Rutin för bemötande finns"]
    assert [answer[i].value for i in (2, 4, 6, 9, 10)] == [
        "ja eller nej", None, "Hägersten-Älvsjö stadsdelsnämnd", "nej", "ja",
    ]  # fmt: skip
    assert answer[14].value == "I fas"

    unmeasured = rows["Inte mätt än"]
    assert unmeasured[4].value == "lägre är bättre"
    assert (unmeasured[10].value, unmeasured[11].value, unmeasured[14].value) == (None, None, "Underlag saknas")

    ws = wb["Mätvärden"]
    assert tuple(c.value for c in ws[1]) == MEASUREMENT_HEADER
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values == [
        ["0180", FORMULA, None, datetime(2023, 12, 31), 20, None, None, None, None, None],
        ["0180", FORMULA, datetime(2024, 1, 1), datetime(2024, 12, 31), 26.5, 14.5, 12, None, None,
         "Efter utbildningen."],
        ["0180", "Rutin för bemötande finns", None, datetime(2024, 6, 30), None, None, None, "ja", None, None],
    ]  # fmt: skip
    assert all(row[3].is_date for row in ws.iter_rows(min_row=2))


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 1, 1), (datetime(2027, 12, 31), 50)), (date(2027, 12, 31), (datetime(2027, 12, 31), 50)),
     (date(2028, 1, 1), (datetime(2030, 12, 31), 90)), (date(2031, 1, 1), (None, None))],
)  # fmt: skip
def test_the_next_target_is_the_first_on_or_after_today(world, today, expected):
    make_indicator(world)
    ws = load_workbook(BytesIO(export_indicators(world.municipality, today=today)))["Indikatorer"]
    assert (ws["M2"].value, ws["N2"].value) == expected


def test_the_download_follows_the_lists_filter(world):
    make_indicator(world, name="Socialnämndens")
    make_indicator(world, name="Hägerstens", responsible=world.unit_b)
    client = world.client("reader")
    assert set(by_name(download(client, {"enhet": world.unit_b.pk})["Indikatorer"])) == {"Hägerstens"}
    assert set(by_name(download(client)["Indikatorer"])) == {"Socialnämndens", "Hägerstens"}
    page = client.get(reverse("indicators:list"), {"enhet": world.unit_b.pk}).content.decode()
    assert f'{URL}?enhet={world.unit_b.pk}"' in page


def test_another_municipalitys_indicators_are_not_in_it(world):
    make_indicator(world, name="Stockholms indikator", measurements=((date(2023, 12, 31), "15"),))
    wb = download(world.client("other_coordinator"))
    assert [row for ws in wb.worksheets for row in ws.iter_rows(min_row=2, values_only=True)] == []
    wb = download(world.client("coordinator"))
    assert set(by_name(wb["Indikatorer"])) == {"Stockholms indikator"}


def test_access_follows_the_list(world):
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert world.client("representative").get(URL).status_code == 403
    for role in ("reader", "contact_a", "contact_b", "coordinator", "other_coordinator"):
        assert world.client(role).get(URL).status_code == 200


@pytest.mark.parametrize("query", [{}, {"enhet": "unit"}])
def test_query_count_is_the_same_for_1_and_50_indicators(world, query):
    client = world.client("reader")
    params = {"enhet": world.unit_a.pk} if query else {}
    make_many(world, 1)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    make_many(world, 49, start=1)
    assert count() == one
    assert download(client)["Indikatorer"].max_row == 51


def test_the_workbook_takes_five_queries(world, django_assert_num_queries):
    make_many(world, 14)
    # indicators (with unit and baseline), targets, goals, measurements, latest measurements
    with django_assert_num_queries(5):
        export_indicators(world.municipality)
