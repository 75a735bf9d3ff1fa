"""What the open-data API publishes, and what it never does."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from inventories.models import Inventory
from surveys.models import Survey

from .conftest import SECRETS, make_public_activity

DATASETS = ["plans", "goals", "activities", "indicators", "consultation_figures", "results"]


def get_json(client, name, code=None, **params):
    response = client.get(reverse(f"opendata:{name}", args=[code] if code else []), {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def get_csv(client, name, code=None, **params) -> tuple[str, list[dict]]:
    url = reverse(f"opendata:{name}_csv", args=[code] if code else [])
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    return text, rows


def test_nothing_internal_appears(open_world, client):
    for code in (open_world.code, open_world.world.other_municipality.code):
        for name in DATASETS:
            published = client.get(reverse(f"opendata:{name}", args=[code]), {"page_size": 500}).content.decode()
            published += get_csv(client, name, code)[0]
            for secret in SECRETS:
                if secret.startswith("Huddinges") and code != open_world.code:
                    continue  # Huddinge's own public data, under its own code
                assert secret not in published, f"{name} ({code}) shows {secret!r}"
            assert "987654" not in published  # the budget


def test_what_is_marked_public_appears(open_world, client):
    code, world = open_world.code, open_world.world
    plans = get_json(client, "plans", code)["results"]
    assert [p["id"] for p in plans] == [world.plan.pk]  # not the draft
    assert plans[0]["status"] == "antagen" and plans[0]["level_names"] == ["Fokusområde", "Mål", "Resultatmål"]
    goals = get_json(client, "goals", code)["results"]
    assert {g["code"] for g in goals} == {"1", "1.2", "1.2.1"}
    activities = get_json(client, "activities", code)["results"]
    assert [a["title"] for a in activities] == ["Läxhjälp på biblioteket 1"]
    activity = activities[0]
    assert activity["reference"] == open_world.public_activity.reference
    assert activity["owner_unit"] == "Socialnämnden"
    assert activity["status_summary"] == "ej_paborjad" and activity["status_summary_label"] == "ej påbörjad"
    assert [t["label"] for t in activity["target_groups"]] == ["barn och unga", "kvinnor och flickor"]
    assert [m["code"] for m in activity["methods"]] == ["laxhjalp"]
    for field in ("budget", "partners", "mandate", "responsible_role", "notes", "funding", "visibility"):
        assert field not in activity
    indicators = get_json(client, "indicators", code)["results"]
    assert [i["name"] for i in indicators] == ["Elever med modersmål 1"]
    indicator = indicators[0]
    assert indicator["baseline"] == {"date": "2022-12-31", "value": 10, "women": 4, "men": 6, "value_bool": None}
    assert indicator["targets"] == [{"date": "2030-12-31", "value": 40.5}]
    assert [(m["period_end"], m["value"]) for m in indicator["measurements"]] == [
        ("2023-12-31", 15),
        ("2024-12-31", 21.5),
    ]
    assert indicator["track_assessed"] == "on_track" and indicator["track_computed"] in {"on_track", "off_track"}
    assert "note" not in indicator["measurements"][0] and "entered_by" not in indicator["measurements"][0]


def test_kommunkod_is_on_every_record_and_other_municipalities_stay_out(open_world, client):
    world = open_world.world
    other_code = world.other_municipality.code
    for code in (open_world.code, other_code):
        for name in DATASETS:
            data = get_json(client, name, code)
            assert all(record["kommunkod"] == code for record in data["results"]), name
            assert all(row["kommunkod"] == code for row in get_csv(client, name, code)[1]), name
    theirs = get_json(client, "activities", other_code)["results"]
    assert [a["title"] for a in theirs] == ["Huddinges aktivitet"]
    assert [g["id"] for g in get_json(client, "goals", other_code)["results"]] == [world.other_goal.pk]
    assert [i["name"] for i in get_json(client, "indicators", other_code)["results"]] == ["Huddinges indikator"]
    # Huddinge's closed survey with published results appears under Huddinge only.
    assert [r["title"] for r in get_json(client, "results", other_code)["results"]] == ["Huddinges enkät"]
    assert get_json(client, "consultation_figures", other_code)["results"] == []  # not published
    municipalities = get_json(client, "municipalities")["results"]
    assert [(m["kommunkod"], m["consultation_figures_published"]) for m in municipalities] == [
        ("0126", False),
        ("0180", True),
    ]


def test_goals_and_what_serves_them_map_to_rights_areas(open_world, client):
    code, world = open_world.code, open_world.world
    goals = {g["code"]: g for g in get_json(client, "goals", code)["results"]}
    assert goals["1"]["rights_areas"] == [{"code": "utbildning", "label": "utbildning", "inherited": False}]
    assert goals["1.2.1"]["rights_areas"] == [
        {"code": "utbildning", "label": "utbildning", "inherited": True},  # from the focus area above
        {"code": "kultur", "label": "kultur och språk", "inherited": False},
    ]
    assert goals["1.2.1"]["level_name"] == "Resultatmål" and goals["1.2.1"]["parent_id"] == world.goal.pk
    assert {(r["name"], r["role"]) for r in goals["1.2.1"]["responsible_units"]} == {
        ("Socialnämnden", "primary"),
        ("Stadsdelsnämnderna", "primary"),
        ("Kommunstyrelsen", "co"),
    }
    activity = get_json(client, "activities", code)["results"][0]
    assert activity["goals"] == [{"id": world.result_goal.pk, "code": "1.2.1", "plan_id": world.plan.pk}]
    assert [a["code"] for a in activity["rights_areas"]] == ["utbildning", "kultur"]
    indicator = get_json(client, "indicators", code)["results"][0]
    # The indicator also follows a goal of the draft plan: neither it nor its area ("bostad") is published.
    assert indicator["goals"] == [{"id": world.result_goal.pk, "code": "1.2.1", "plan_id": world.plan.pk}]
    assert [a["code"] for a in indicator["rights_areas"]] == ["utbildning", "kultur"]


def test_goals_of_one_plan(open_world, client):
    code, world = open_world.code, open_world.world
    assert len(get_json(client, "goals", code, plan=world.plan.pk)["results"]) == 3
    assert get_json(client, "goals", code, plan=open_world.draft_plan.pk)["results"] == []
    assert get_json(client, "goals", code, plan=world.other_plan.pk)["results"] == []
    bad = client.get(reverse("opendata:goals", args=[code]), {"plan": "x"})
    assert bad.status_code == 400 and "detail" in bad.json()
    assert len(get_csv(client, "goals", code, plan=world.plan.pk)[1]) == 3


def table_cells(record) -> dict[tuple[str, str, str], dict]:
    return {
        (table["title"], row["label"], column): cell
        for table in record["tables"]
        for row in table["rows"]
        for column, cell in zip(table["columns"], row["cells"], strict=True)
    }


def test_small_counts_are_published_as_their_labels_only(open_world, client):
    code = open_world.code
    results = get_json(client, "results", code)["results"]
    assert [(r["type"], r["title"]) for r in results] == [
        ("survey", "Vad tycker du om biblioteket?"),
        ("inventory", "Behovsinventering 2025"),
    ]
    survey = results[0]
    cells = table_cells(survey)
    # 9 aged 18–30 shown; 3 aged 31–50 is fewer than 5; the 6 aged 51+ is hidden so the 3 cannot be worked out.
    # Both read the same: which of the two is the small one must not show.
    assert cells["1. Ålder?", "18–30", "Antal"] == {"text": "9", "value": 9, "suppressed": False}
    assert cells["1. Ålder?", "31–50", "Antal"] == {"text": "dolt", "value": None, "suppressed": True}
    assert cells["1. Ålder?", "51+", "Antal"] == {"text": "dolt", "value": None, "suppressed": True}
    assert survey["respondents"] == {"text": "18", "value": 18, "suppressed": False} and survey["k"] == 5
    for record in results:
        for cell in table_cells(record).values():
            assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 5
            assert not cell["text"].isdigit() or int(cell["text"]) == 0 or int(cell["text"]) >= 5
    _text, rows = get_csv(client, "results", code)
    by_cell = {(r["type"], r["table"], r["row"], r["column"]): r for r in rows}
    small = by_cell["survey", "1. Ålder?", "31–50", "Antal"]
    assert (small["value"], small["suppressed"]) == ("dolt", "true")
    assert by_cell["survey", "1. Ålder?", "51+", "Antal"]["value"] == "dolt"
    assert all(not r["value"].isdigit() or int(r["value"]) == 0 or int(r["value"]) >= 5 for r in rows)


def public_csv_cells(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def test_the_api_prints_the_same_protected_cells_as_the_public_pages(open_world, client):
    _text, rows = get_csv(client, "results", open_world.code)
    survey_url = reverse("survey_public:results_csv", args=[open_world.survey.token])
    inventory_url = reverse("inventory_public:results_csv", args=[open_world.inventory.pk])
    for kind, url in (("survey", survey_url), ("inventory", inventory_url)):
        api = [[r["table"], r["row"], r["column"], r["value"]] for r in rows if r["type"] == kind]
        assert api == public_csv_cells(client, url)


def test_results_are_listed_exactly_when_their_public_page_is_shown(open_world, client):
    """The API uses the public pages' conditions: walk every survey and inventory through both."""
    world = open_world.world
    listed = {(r["type"], r["id"]) for r in get_json(client, "results", open_world.code)["results"]}
    # Move some through the states the public pages know: open again, unpublished, a draft.
    extra = Survey.objects.create(
        municipality=world.municipality, name="x", texts={"sv": {"title": "Utkast"}}, languages=["sv"],
        opens_on=date(2025, 1, 1), closes_on=date(2025, 2, 1), status=Survey.Status.DRAFT, results_published=True,
    )  # fmt: skip
    waiting = Inventory.objects.create(municipality=world.municipality, name="Väntar", published=True)
    Survey.objects.create(
        municipality=world.municipality, name="y", texts={"sv": {"title": "Pågår"}}, languages=["sv"],
        opens_on=date(2025, 1, 1), closes_on=date(2099, 2, 1), status=Survey.Status.OPEN, inventory=waiting,
    )  # fmt: skip
    listed = {(r["type"], r["id"]) for r in get_json(client, "results", open_world.code)["results"]}
    for survey in Survey.objects.filter(municipality=world.municipality):
        shown = client.get(reverse("survey_public:results", args=[survey.token])).status_code == 200
        assert shown == (("survey", survey.pk) in listed), survey.name
    for inventory in Inventory.objects.filter(municipality=world.municipality):
        shown = client.get(reverse("inventory_public:results", args=[inventory.pk])).status_code == 200
        assert shown == (("inventory", inventory.pk) in listed), inventory.name
    assert ("survey", extra.pk) not in listed and ("inventory", waiting.pk) not in listed


def test_consultation_figures_only_when_the_municipality_publishes_them(open_world, client):
    code, world = open_world.code, open_world.world
    rows = {(r["year"], r["unit_short_name"]): r for r in get_json(client, "consultation_figures", code)["results"]}
    sn = rows[2025, "SN"]
    assert (sn["held"], sn["views"], sn["answered_in_time"], sn["share_in_time"]) == (1, 1, 1, 100)
    assert sn["held_by_form"] == [{"form": "oppet", "label": "öppet samråd", "count": 1}]
    assert rows[2025, "Hägersten-Älvsjö"]["held_by_form"][0]["form"] == "rad"
    assert {"participants", "compensation", "representatives", "title"}.isdisjoint(sn)
    _text, csv_rows = get_csv(client, "consultation_figures", code)
    assert {(int(r["year"]), r["unit_short_name"]): r["held_rad"] for r in csv_rows}[2025, "Hägersten-Älvsjö"] == "1"

    world.municipality.open_consultation_figures = False
    world.municipality.save()
    assert get_json(client, "consultation_figures", code) == {"count": 0, "next": None, "previous": None, "results": []}
    text, csv_rows = get_csv(client, "consultation_figures", code)
    assert csv_rows == [] and text.startswith("\ufeffkommunkod;year;unit;")


def record_keys(name: str, records: list[dict]) -> list[tuple]:
    """What identifies each CSV row of the dataset, computed from the JSON records."""
    if name == "indicators":
        return [(r["id"], m["period_end"]) for r in records for m in r["measurements"] or [{"period_end": None}]]
    if name == "consultation_figures":
        return [(r["year"], r["unit_short_name"]) for r in records]
    if name == "results":
        return [
            (r["type"], r["id"], table["title"], row["label"], column, cell["text"])
            for r in records
            for table in r["tables"]
            for row in table["rows"]
            for column, cell in zip(table["columns"], row["cells"], strict=True)
        ]
    return [(r["id"],) for r in records]


def row_keys(name: str, rows: list[dict]) -> list[tuple]:
    if name == "indicators":
        return [(int(r["id"]), r["measurement_period_end"] or None) for r in rows]
    if name == "consultation_figures":
        return [(int(r["year"]), r["unit_short_name"]) for r in rows]
    if name == "results":
        return [(r["type"], int(r["id"]), r["table"], r["row"], r["column"], r["value"]) for r in rows]
    return [(int(r["id"]),) for r in rows]


@pytest.mark.parametrize("name", DATASETS)
def test_the_csv_has_the_same_rows_as_the_json(open_world, client, name):
    make_public_activity(open_world.world, 2, title='=HYPERLINK("http://example.com")')
    records = get_json(client, name, open_world.code)["results"]
    _text, rows = get_csv(client, name, open_world.code)
    assert records and row_keys(name, rows) == record_keys(name, records)
    json_fields = set(records[0])
    csv_fields = set(rows[0])
    assert {"kommunkod"} <= json_fields & csv_fields


def test_csv_text_never_becomes_a_formula(open_world, client):
    make_public_activity(open_world.world, 2, title='=HYPERLINK("http://example.com")', description="@SUM(1)")
    activities = get_json(client, "activities", open_world.code)["results"]
    assert activities[-1]["title"] == '=HYPERLINK("http://example.com")'  # JSON carries the text as it is
    _text, rows = get_csv(client, "activities", open_world.code)
    assert rows[-1]["title"] == '\'=HYPERLINK("http://example.com")' and rows[-1]["description"] == "'@SUM(1)"


def test_the_csv_of_municipalities(open_world, client):
    _text, rows = get_csv(client, "municipalities")
    assert [(r["kommunkod"], r["name"]) for r in rows] == [("0126", "Huddinge kommun"), ("0180", "Stockholms stad")]


def test_pages_of_100_and_at_most_500(open_world, client):
    for n in range(2, 5):
        make_public_activity(open_world.world, n)
    url = reverse("opendata:activities", args=[open_world.code])
    first = client.get(url, {"page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and "page=2" in first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 1
    assert len(client.get(url).json()["results"]) == 4
    missing = client.get(url, {"page": 9})
    assert missing.status_code == 404 and "detail" in missing.json()
    from opendata.pagination import OpenDataPagination

    assert (OpenDataPagination.page_size, OpenDataPagination.max_page_size) == (100, 500)
    assert settings.REST_FRAMEWORK["PAGE_SIZE"] == 100


@pytest.mark.parametrize("name", DATASETS)
def test_an_unknown_municipality_code_is_a_json_404(db, client, name):
    for url in (reverse(f"opendata:{name}", args=["9999"]), reverse(f"opendata:{name}_csv", args=["9999"])):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Ingen kommun har den kommunkoden."}


def test_only_reading_and_no_session_needed(open_world, client):
    url = reverse("opendata:activities", args=[open_world.code])
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 405 and response["Content-Type"] == "application/json", method
    assert client.head(url).status_code == 200
    assert client.options(url).status_code == 200
    response = client.get(url)
    assert not response.cookies  # no session, no CSRF cookie
    assert "Content-Security-Policy" in response.headers  # the site's CSP applies to the API too
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_signed_in_user_gets_the_same_as_anyone(open_world):
    url = reverse("opendata:indicators", args=[open_world.code])
    anonymous = open_world.world.client("anonymous").get(url).json()
    assert open_world.world.client("coordinator").get(url).json() == anonymous
    assert open_world.world.client("other_coordinator").get(url).json() == anonymous


def test_labels_are_swedish_whatever_language_was_chosen(open_world, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    goal = get_json(client, "goals", open_world.code)["results"][-1]
    assert goal["rights_areas"][-1]["label"] == "kultur och språk"
    assert client.get(reverse("opendata:goals", args=["9999"])).json()["detail"] == "Ingen kommun har den kommunkoden."


def test_too_many_requests_are_refused_for_a_minute(open_world, client, settings):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 2
    cache.clear()
    url = reverse("opendata:plans", args=[open_world.code])
    try:
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
        refused = client.get(url)
        assert refused["Retry-After"] == "60" and "detail" in refused.json()
        assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200  # another address
    finally:
        cache.clear()


def test_the_page_for_people_links_every_dataset(open_world, client):
    page = client.get(reverse("opendata:index")).content.decode()
    assert "Stockholms stad" in page and "Huddinge kommun" in page
    for name in DATASETS:
        assert reverse(f"opendata:{name}", args=["0180"]) in page
        assert reverse(f"opendata:{name}_csv", args=["0126"]) in page
    assert reverse("opendata:schema") in page
