"""The list page, the indicator page's chart, and the selectors other apps use."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, Track
from indicators.selectors import indicators_for_units, track_summary
from lib.formatting import short_date
from plans.models import Goal

from .factories import make_indicator

ON_TRACK = ((date(2023, 12, 31), "20"),)  # the line from 10 (2022) to 50 (2027) expects 18 by then
OFF_TRACK = ((date(2023, 12, 31), "12"),)
REACHED = ((date(2024, 12, 31), "90"),)


def make_many(world, count: int, *, start: int = 0) -> None:
    """Indicators of every kind and state, for counting queries."""
    kinds = [
        {"measurements": ON_TRACK},
        {"measurements": OFF_TRACK, "responsible": world.unit_b},
        {"measurements": REACHED, "gender_split": True},
        {"kind": Indicator.Kind.YES_NO, "measurements": ((date(2024, 12, 31), "yes"),)},
        {"kind": Indicator.Kind.TEXT, "measurements": ((date(2024, 12, 31), "Bättre bemötande"),)},
        {"baseline": None},
        {
            "measurements": OFF_TRACK,
            "track_override": Track.ON_TRACK,
            "track_override_reason": "Skäl",
            "track_override_by": world.users["coordinator"],
            "track_override_at": timezone.now(),
        },
    ]
    for i in range(start, start + count):
        make_indicator(world, name=f"Indikator {i:03}", **kinds[i % len(kinds)])


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("query", ["", "?enhet={unit}", "?mal={goal}", "?ordning=-enhet&sida=2"])
def test_list_takes_the_same_number_of_queries_for_1_and_50_indicators(world, query):
    client = world.client("reader")
    url = reverse("indicators:list") + query.format(unit=world.unit_a.pk, goal=world.result_goal.pk)
    make_many(world, 1)
    one = queries_for(client, url)
    make_many(world, 49, start=1)
    response = client.get(url)
    assert len(response.context["indicators"]) >= (50 if not query else 10)
    assert queries_for(client, url) == one


def test_list_shows_unit_latest_value_and_label_and_filters(world):
    on = make_indicator(world, name="Brobyggare", unit="personer", measurements=ON_TRACK)
    off = make_indicator(world, name="Samråd", responsible=world.unit_b, measurements=OFF_TRACK)
    other_goal = Goal.objects.create(plan=world.plan, parent=world.goal, depth=3, code="1.2.2", title="Material")
    off.goals.set([other_goal])
    client = world.client("reader")
    response = client.get(reverse("indicators:list"))
    rows = {i.name: i for i in response.context["indicators"]}
    assert rows["Brobyggare"].assessment.effective == Track.ON_TRACK
    assert rows["Samråd"].assessment.effective == Track.OFF_TRACK
    html = response.content.decode()
    assert "20 personer" in html and "ind-track-off_track" in html and "Hägersten-Älvsjö" in html

    by_unit = client.get(reverse("indicators:list"), {"enhet": world.unit_b.pk}).context["indicators"]
    assert [i.pk for i in by_unit] == [off.pk]
    by_goal = client.get(reverse("indicators:list"), {"mal": world.result_goal.pk}).context["indicators"]
    assert [i.pk for i in by_goal] == [on.pk]
    # A goal or unit of another municipality, or nonsense, is no filter at all.
    for params in ({"mal": world.other_goal.pk}, {"enhet": world.other_unit.pk}, {"enhet": "x"}):
        assert len(client.get(reverse("indicators:list"), params).context["indicators"]) == 2


def test_other_municipalities_indicators_are_not_listed(world):
    make_indicator(world, name="Stockholms indikator")
    response = world.client("other_coordinator").get(reverse("indicators:list"))
    assert response.context["indicators"] == []


def test_detail_page_draws_the_chart_with_a_data_table(world):
    indicator = make_indicator(
        world,
        gender_split=True,
        measurements=((date(2023, 12, 31), "20"), (date(2024, 12, 31), "26")),
    )
    response = world.client("reader").get(reverse("indicators:detail", args=[indicator.pk]))
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">' in svg and "<desc" in svg
    assert "style=" not in html  # the CSP forbids inline style
    # Coordinates are written with a decimal point whatever the language.
    assert re.search(r'cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', svg)
    assert not re.search(r'c[xy]="\d+,\d', svg)
    page = response.context["page"]
    assert [(row.when, row.value) for row in page.table] == [
        (date(2022, 12, 31), 10),
        (date(2023, 12, 31), 20),
        (date(2024, 12, 31), 26),
        (date(2027, 12, 31), 50),
        (date(2030, 12, 31), 90),
    ]
    table = html[html.index('<table class="chart-table">') :]
    assert all(f'<th scope="row">{short_date(row.when)}</th>' in table for row in page.table)
    assert len(page.chart.series[0].points) == 2 and page.chart.baseline and len(page.chart.targets) == 2


def test_detail_page_without_baseline_says_so(world):
    indicator = make_indicator(world, baseline=None, measurements=ON_TRACK)
    response = world.client("contact_a").get(reverse("indicators:detail", args=[indicator.pk]))
    assert response.context["page"].assessment.computed == Track.NO_DATA
    assert response.context["can_measure"] is True and response.context["can_edit"] is False


def test_track_summary_counts_the_effective_labels_in_fixed_queries(world, django_assert_num_queries):
    make_many(world, 1)
    with django_assert_num_queries(5):  # computed, and kept in the shared cache
        assert track_summary(world.municipality) == {"reached": 0, "on_track": 1, "off_track": 0, "no_data": 0}
    with django_assert_num_queries(1):  # read from the cache (the tests' cache is in memory)
        assert track_summary(world.municipality) == {"reached": 0, "on_track": 1, "off_track": 0, "no_data": 0}
    make_many(world, 13, start=1)  # two of each kind
    with django_assert_num_queries(5):  # the new ones computed
        summary = track_summary(world.municipality)
    with django_assert_num_queries(1):
        assert track_summary(world.municipality) == summary
    # on track: 2 + yes 2 + overridden 2; off: 2; reached 2; no data: text 2 + no baseline 2
    assert summary == {"reached": 2, "on_track": 6, "off_track": 2, "no_data": 4}
    assert track_summary(world.other_municipality) == dict.fromkeys(Track.values, 0)


def test_the_start_page_shows_each_change_to_an_indicator_on_the_next_view(world):
    """The labels come from the shared cache; every way an indicator's label can
    change is visible on the next view of the coordinator's start page."""
    from decimal import Decimal

    from indicators import services

    coordinator = world.users["coordinator"]
    client = world.client("coordinator")
    indicator = make_indicator(world, measurements=ON_TRACK)

    def tracks() -> dict[str, int]:
        response = client.get(reverse("home:start"))
        return {code: n for code, _label, n in response.context["board"].tracks if n}

    assert tracks() == {"on_track": 1}
    assert tracks() == {"on_track": 1}  # now from the cache
    later = services.measurement_create(
        indicator=indicator, by=coordinator, fields={"period_end": date(2025, 12, 31), "value": Decimal("90")}
    )
    assert tracks() == {"reached": 1}
    services.measurement_update(
        measurement=later, by=coordinator, version=later.version, fields={"value": Decimal("12")}
    )
    assert tracks() == {"off_track": 1}
    services.measurement_delete(measurement=later, by=coordinator)
    assert tracks() == {"on_track": 1}  # the 2023 measurement is the latest again
    indicator.refresh_from_db()
    services.indicator_update(
        indicator=indicator,
        by=coordinator,
        version=indicator.version,
        fields={},
        goals=[world.result_goal],
        baseline=services.BaselineSpec(date=date(2022, 12, 31), value=Decimal("10")),
        targets=[services.TargetSpec(date=date(2024, 12, 31), value=Decimal("100"))],  # 20 in 2023 is now behind
    )
    assert tracks() == {"off_track": 1}
    services.indicator_assess(indicator=indicator, by=coordinator, track=Track.REACHED, reason="Bedömt på mötet.")
    assert tracks() == {"reached": 1}
    services.indicator_assess(indicator=indicator, by=coordinator, track="", reason="")
    assert tracks() == {"off_track": 1}
    services.indicator_delete(indicator=indicator, by=coordinator)
    assert tracks() == {}


def test_indicators_for_units(world, django_assert_num_queries):
    make_many(world, 14)
    with django_assert_num_queries(3):
        mine = indicators_for_units([world.unit_b])
        labels = [i.assessment.effective for i in mine]
    assert [i.name for i in mine] == ["Indikator 001", "Indikator 008"]
    assert labels == [Track.OFF_TRACK, Track.OFF_TRACK]
    assert mine[0].latest.value == 12
    assert indicators_for_units([]) == []
    assert len(indicators_for_units([world.unit_a, world.unit_b])) == 14


def test_the_list_pages_by_50_and_keeps_the_filter(world):
    for i in range(60):
        make_indicator(world, name=f"Indikator {i:03}", responsible=world.unit_b if i % 2 else world.unit_a)
    client = world.client("reader")
    response = client.get(reverse("indicators:list"))
    page = response.content.decode()
    assert response.context["page"].paginator.count == 60
    assert "Indikator 049" in page and "Indikator 050" not in page and "1–50" in page
    assert '<nav class="pagination" aria-label="Sidor">' in page and 'aria-current="page">Sida 1 av 2' in page
    assert 'href="?sida=2" rel="next"' in page
    assert "Indikator 050" in client.get(reverse("indicators:list"), {"sida": 2}).content.decode()
    response = client.get(reverse("indicators:list"), {"enhet": world.unit_b.pk})
    page = response.content.decode()
    assert response.context["page"].paginator.count == 30
    assert "Indikator 001" in page and "Indikator 000" not in page and "pagination" not in page
    for i in range(60, 100):
        make_indicator(world, name=f"Indikator {i:03}", responsible=world.unit_b)
    page = client.get(reverse("indicators:list"), {"enhet": world.unit_b.pk, "sida": 2}).content.decode()
    assert "51–70" in page and "Indikator 099" in page
    assert f'href="?enhet={world.unit_b.pk}&amp;sida=1" rel="prev"' in page  # the filter is kept
    assert 'aria-current="page">Sida 2 av 2' in page


def test_the_list_sorts_and_page_two_keeps_sort_and_filter(world):
    for i in range(90):  # unit B's are 60, those not divisible by 3
        make_indicator(world, name=f"Indikator {i:03}", responsible=world.unit_b if i % 3 else world.unit_a)
    client = world.client("reader")
    url = reverse("indicators:list")
    by_unit = {"enhet": world.unit_b.pk}
    names = lambda response: [i.name for i in response.context["indicators"]]  # noqa: E731
    assert names(client.get(url, by_unit | {"ordning": "-namn"}))[:2] == ["Indikator 089", "Indikator 088"]
    assert names(client.get(url, by_unit | {"ordning": "namn"}))[:2] == ["Indikator 001", "Indikator 002"]
    second = client.get(url, by_unit | {"ordning": "-namn", "sida": 2})
    assert names(second) == [f"Indikator {i:03}" for i in (14, 13, 11, 10, 8, 7, 5, 4, 2, 1)]
    html = second.content.decode()
    assert f'href="?enhet={world.unit_b.pk}&amp;ordning=-namn&amp;sida=1" rel="prev"' in html
    assert f'href="?enhet={world.unit_b.pk}&amp;ordning=namn"' in html and 'aria-sort="descending"' in html
    # By responsible unit, then by name: unit A's (Rinkeby-Kista) before or after unit B's, by name.
    by_units = names(client.get(url, {"ordning": "enhet"}))
    first_unit = sorted([world.unit_a.name, world.unit_b.name])[0]
    expected_first = "Indikator 000" if first_unit == world.unit_a.name else "Indikator 001"
    assert by_units[0] == expected_first
