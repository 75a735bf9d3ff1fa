"""Whole datasets as CSV: streamed a chunk at a time, kept in the shared cache
per version of the data (with an ETag), and charged by cost in the rate limit
(opendata.export, opendata.throttling; docs/open-data.md, "Full exports")."""

from __future__ import annotations

import csv
import io
import math

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from activities.models import Activity
from activities.services import activity_update
from opendata import selectors, views
from opendata.throttling import EXPORT_COST

from .conftest import make_public_activity, make_public_indicator


@pytest.fixture
def cached(settings):
    """The CSV cache on (pytest turns it off by default), empty before and after."""
    settings.OPEN_DATA_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def url(open_world, name="activities_csv"):
    return reverse(f"opendata:{name}", args=[open_world.code])


def body(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def titles(text: str) -> list[str]:
    return [row["title"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]


def add_activities(open_world, n: int) -> None:
    world = open_world.world
    for i in range(n):
        activity = make_public_activity(world, 100 + i)
        activity.goals.add(world.goal)
        activity.co_units.set([world.unit_b, world.unit_ks])


def test_the_csv_streams_its_header_before_reading_any_record(open_world, client):
    response = client.get(url(open_world))
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="0180-aktiviteter.csv"'
    with CaptureQueriesContext(connection) as context:
        first = next(iter(response.streaming_content))
    assert first.decode("utf-8").startswith("\ufeffkommunkod;id;reference;plan_id;title;") and first.endswith(b"\r\n")
    assert context.captured_queries == []  # the records are read after the header has gone


def add_indicators(open_world, n: int) -> None:
    for i in range(n):
        make_public_indicator(open_world.world, 100 + i).goals.set([open_world.world.goal])


# Fixed: the municipality, the data version, the goal index (two) and the one
# query whose rows are fetched a chunk at a time; then the same few a chunk.
@pytest.mark.parametrize("name, fixed, per_chunk", [("activities_csv", 5, 2), ("indicators_csv", 5, 5)])
def test_records_are_read_a_chunk_at_a_time_in_the_same_queries_per_chunk(
    open_world, client, monkeypatch, name, fixed, per_chunk
):
    add_activities(open_world, 11)
    add_indicators(open_world, 10)
    whole = body(client.get(url(open_world, name)))
    monkeypatch.setattr(views, "CSV_CHUNK", 4)
    with CaptureQueriesContext(connection) as context:
        assert body(client.get(url(open_world, name))) == whole  # the same file, however it is cut
    municipality = open_world.world.municipality
    records = (
        selectors.public_activities(municipality)
        if name == "activities_csv"
        else selectors.public_indicators(municipality)
    ).count()
    assert records >= 11 and str(records) and len(whole.splitlines()) > records
    assert len(context.captured_queries) == fixed + per_chunk * math.ceil(records / 4)


def test_activity_records_from_values_are_the_serializers_records(open_world, client):
    add_activities(open_world, 3)
    json = client.get(reverse("opendata:activities", args=[open_world.code]), {"page_size": 500}).json()["results"]
    municipality = open_world.world.municipality
    with translation.override("sv"):
        goals = selectors.GoalIndex.of(municipality)
        records = [r for chunk in selectors.activity_record_chunks(municipality, goals, size=2) for r in chunk]
    assert len(records) == len(json) >= 4
    assert records == json
    assert any(r["co_units"] and r["goals"] and r["rights_areas"] and r["target_groups"] for r in records)


def test_a_change_shows_in_the_next_csv(open_world, client, cached):
    world = open_world.world
    activity = open_world.public_activity
    title = activity.title
    first = body(client.get(url(open_world)))
    assert title in titles(first)
    # Unchanged data: the copy in the cache, not a rebuild (a change behind the services' back stays unseen).
    Activity.objects.filter(pk=activity.pk).update(description="Ändrad utan tjänsten")
    with CaptureQueriesContext(connection) as context:
        assert body(client.get(url(open_world))) == first
    assert len(context.captured_queries) == 2  # the municipality and the data version
    # Changed through the service (which writes the audit log): the next CSV shows it.
    activity.refresh_from_db()
    activity_update(activity=activity, by=world.users["coordinator"], fields={"title": "Läxhjälp, ny titel"})
    second = body(client.get(url(open_world)))
    assert "Läxhjälp, ny titel" in titles(second) and title not in titles(second)
    assert "Ändrad utan tjänsten" in second
    # Made internal: gone from the next CSV.
    activity_update(activity=activity, by=world.users["coordinator"], fields={"visibility": "intern"})
    assert "Läxhjälp, ny titel" not in body(client.get(url(open_world)))


def test_a_part_lost_from_the_cache_is_made_again(open_world, client, cached, monkeypatch):
    add_activities(open_world, 30)
    monkeypatch.setattr("opendata.tabular.FLUSH_CHARS", 500)
    monkeypatch.setattr("opendata.export.PART_BYTES", 1000)
    first = body(client.get(url(open_world)))
    parts = sorted(key.split(":", 2)[-1] for key in cache._cache if key.count(":") == 5)  # locmem's keys: ":1:…"
    assert len(parts) > 4 and all(key.startswith("opendata:csv:") for key in parts)
    cache.delete(parts[2])  # culled by a full database cache, say
    assert cache.get(parts[2]) is None
    assert body(client.get(url(open_world))) == first


def test_the_etag_answers_304_until_the_data_changes(open_world, client, cached):
    response = client.get(url(open_world))
    tag = response["ETag"]
    body(response)
    assert tag.startswith('"') and response["Cache-Control"] == "public, no-cache"
    again = client.get(url(open_world), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    assert client.get(reverse("opendata:goals_csv", args=[open_world.code]), HTTP_IF_NONE_MATCH=tag).status_code == 200
    activity_update(
        activity=open_world.public_activity, by=open_world.world.users["coordinator"], fields={"title": "Ny"}
    )
    changed = client.get(url(open_world), HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag and "Ny" in titles(body(changed))


def test_a_whole_csv_costs_more_of_the_rate_limit_than_a_page(open_world, client, settings, cached):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 2 * EXPORT_COST
    page = reverse("opendata:activities", args=[open_world.code])
    assert [client.get(url(open_world)).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get(url(open_world))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    with translation.override("sv"):  # the API answers in Swedish (the text: /tmp/po/opendata.po until merged)
        message = gettext(
            "Too many requests. At most %(limit)d requests a minute are allowed from one address, and a "
            "whole dataset as CSV counts as %(cost)d. Try again in %(seconds)d seconds."
        ) % {"limit": 40, "cost": 20, "seconds": 60}
    assert refused.json()["detail"] == message
    assert client.get(page).status_code == 429  # the minute's budget is spent
    assert client.get(url(open_world), REMOTE_ADDR="198.51.100.9").status_code == 200  # another address
    cache.clear()
    # Pages of JSON leave too little for a whole CSV, but more pages are still allowed.
    assert all(client.get(page).status_code == 200 for _ in range(25))
    assert client.get(url(open_world)).status_code == 429
    assert [client.get(page).status_code for _ in range(16)] == [200] * 15 + [429]


def test_an_answer_not_modified_costs_one(open_world, client, settings, cached):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = EXPORT_COST + 10
    tag = client.get(url(open_world))["ETag"]
    assert {client.get(url(open_world), HTTP_IF_NONE_MATCH=tag).status_code for _ in range(10)} == {304}
    assert client.get(url(open_world), HTTP_IF_NONE_MATCH=tag).status_code == 429


def test_a_limit_below_an_exports_cost_still_allows_one_a_minute(open_world, client, settings, cached):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 5
    assert [client.get(url(open_world)).status_code for _ in range(2)] == [200, 429]
