"""Every dataset takes the same number of queries for 1 record as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from indicators.models import Indicator

from .conftest import make_public_activity, make_public_indicator


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:  # a CSV reads its records while it is sent
            b"".join(response.streaming_content)
    return len(context.captured_queries)


def add_rows(open_world, name: str, n: int) -> None:
    world = open_world.world
    if name.startswith("activities"):
        for i in range(n):
            activity = make_public_activity(world, 100 + i)
            activity.goals.add(world.goal)
            activity.co_units.set([world.unit_b])
    elif name.startswith("indicators"):
        for i in range(n):
            make_public_indicator(world, 100 + i).goals.set([world.result_goal, world.goal])


# Measured: the municipality, the goal index (2), and per dataset the page (with
# count) and its prefetches. The CSV has no count query but one for the data
# version (its ETag and cache key, opendata.export).
EXPECTED = {"activities": 7, "activities_csv": 7, "indicators": 10, "indicators_csv": 10}


@pytest.mark.parametrize("name", EXPECTED)
def test_the_same_queries_for_1_and_for_20_records(open_world, client, name):
    url = reverse(f"opendata:{name}", args=[open_world.code])
    one = queries(client, url)
    add_rows(open_world, name, 19)
    assert Activity.objects.filter(visibility="publik", plan=open_world.world.plan).count() >= 1
    assert Indicator.objects.filter(public=True, municipality=open_world.world.municipality).count() >= 1
    assert queries(client, url) == one == EXPECTED[name]


@pytest.mark.parametrize("name, expected", [("municipalities", 2), ("plans", 4), ("goals", 7)])
def test_the_other_datasets_take_a_few_queries(open_world, client, name, expected):
    args = [] if name == "municipalities" else [open_world.code]
    assert queries(client, reverse(f"opendata:{name}", args=args)) == expected


def test_consultation_figures_take_three_queries_a_year(open_world, client):
    url = reverse("opendata:consultation_figures", args=[open_world.code])
    years = {row["year"] for row in client.get(url).json()["results"]}
    assert len(years) >= 1
    assert queries(client, url) == 2 + 3 * len(years)


def test_results_take_a_few_queries_per_survey_or_inventory(open_world, client):
    url = reverse("opendata:results", args=[open_world.code])
    assert client.get(url).json()["count"] == 2
    assert queries(client, url) <= 4 + 2 * 12
