"""The remisses in the open-data API ("remisser", "remissynpunkter"): what the
remiss's public page shows, no more; an organisation that has not agreed to
publication counted, never named or quoted; nothing before the coordinator
publishes; a fixed number of queries per remiss, whatever its bodies."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public.tests.test_remiss import SECRETS, grow
from public.tests.test_remiss import remiss as remiss  # the fixture
from remiss.models import Remiss
from remiss.services import remiss_unpublish


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0


def read(client, name: str, code: str = "0180"):
    response = client.get(reverse(f"opendata:{name}", args=[code]))
    assert response.status_code == 200, response.status_code
    if name.endswith("_csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return response.json()


def test_a_published_remiss_with_its_bodies_as_on_its_page(world, remiss):
    client = world.client("anonymous")
    data = read(client, "remisses")
    assert data["count"] == 1
    (record,) = data["results"]
    assert record["kommunkod"] == "0180" and record["id"] == remiss.pk
    assert (record["title"], record["case_number"], record["plan_id"]) == (
        "Remiss: Handlingsplan 2030",
        "KS 2025/101",
        world.plan.pk,
    )
    assert record["status"] == "skickad" and record["status_label"]
    assert (record["bodies_total"], record["answered_total"], record["not_named"]) == (4, 3, 2)
    assert record["comments_total"] == 4 and record["comments_not_handled"] == 3
    assert record["page_url"] == f"http://testserver/0180/remiss/{remiss.pk}/"
    unit, organisation, *hidden = record["bodies"]
    assert unit | {"summary": ""} == {
        "named": True,
        "name": "Socialnämnden",
        "kind": "enhet",
        "answered": True,
        "answered_on": unit["answered_on"],
        "late": False,
        "stance": "tillstyrker_med_synpunkter",
        "stance_label": "tillstyrker med synpunkter",
        "case_number": "SN 2025/12",
        "decided_by": "Socialnämnden",
        "decided_on": unit["decided_on"],
        "summary": "",
        "general_comments": "",
    }
    assert unit["summary"] == "Socialnämnden tillstyrker förslaget med synpunkter."
    assert organisation["name"] == "Romska kvinnoföreningen" and organisation["stance"] == "tillstyrker"
    assert organisation["general_comments"] == "Föreningen välkomnar planen."
    # The two that have not agreed (one answered, one did not): counted, answered first, nothing else.
    assert [(b["named"], b["name"], b["kind"], b["answered"], b["stance"]) for b in hidden] == [
        (False, None, "organisation", True, None),
        (False, None, "organisation", False, None),
    ]
    assert all(b["summary"] == b["general_comments"] == b["case_number"] == "" for b in hidden)


def test_the_comments_with_their_handling_as_on_the_page(world, remiss):
    client = world.client("anonymous")
    data = read(client, "remiss_comments")
    rows = [(c["body"], c["section"], c["goal_id"], c["text"], c["handling"]) for c in data["results"]]
    goal = world.result_goal.pk
    assert rows == [
        ("Socialnämnden", "inledning", None, "Inledningen bör nämna barnen.", None),
        ("Socialnämnden", "mal", goal, "Uppsökande arbete kräver resurser.", "beaktad"),
        ("Romska kvinnoföreningen", "mal", goal, "Kvinnors röster ska höras.", None),
        (
            "Socialnämnden",
            "uppfoljning",
            None,
            "Som [borttaget] och [borttaget] skrev ([e-postadress borttagen]): följ upp årligen.",
            None,
        ),
    ]
    taken = data["results"][1]
    assert taken["handling_label"] == "beaktad"
    assert taken["handling_text"] == "Resurser för uppsökande arbete läggs till."
    assert taken["heading"] == f"{world.result_goal.code} {world.result_goal.title}"
    assert taken["remiss_id"] == remiss.pk and taken["page_url"].endswith(f"/0180/remiss/{remiss.pk}/")


@pytest.mark.parametrize("name", ["remisses", "remisses_csv", "remiss_comments", "remiss_comments_csv"])
def test_what_an_organisation_did_not_agree_to_is_in_no_dataset(world, remiss, name):
    response = world.client("anonymous").get(reverse(f"opendata:{name}", args=["0180"]))
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    for secret in SECRETS:
        assert secret.lower() not in body.lower(), secret
    assert "avstyrker" not in body.lower()  # its stance
    for linked in remiss.bodies.all():
        assert linked.link_token not in body


def test_the_csv_has_a_row_per_body_asked(world, remiss):
    rows = read(world.client("anonymous"), "remisses_csv")
    assert [(r["id"], r["body_name"], r["body_named"], r["body_stance"]) for r in rows] == [
        (str(remiss.pk), "Socialnämnden", "true", "tillstyrker_med_synpunkter"),
        (str(remiss.pk), "Romska kvinnoföreningen", "true", "tillstyrker"),
        (str(remiss.pk), "", "false", ""),
        (str(remiss.pk), "", "false", ""),
    ]
    assert {r["title"] for r in rows} == {"Remiss: Handlingsplan 2030"} and rows[0]["kommunkod"] == "0180"
    comments = read(world.client("anonymous"), "remiss_comments_csv")
    assert [c["handling"] for c in comments] == ["", "beaktad", "", ""]
    assert "id" not in comments[0]  # a comment's id would show that hidden ones exist between


def test_nothing_until_published_sent_and_its_plan_published(world, remiss):
    client = world.client("anonymous")
    remiss_unpublish(remiss=remiss, by=None)
    assert read(client, "remisses")["count"] == read(client, "remiss_comments")["count"] == 0
    assert read(client, "remisses_csv") == [] and read(client, "remiss_comments_csv") == []
    # A draft, published by mistake in the data, is not a remiss yet.
    Remiss.objects.filter(pk=remiss.pk).update(status=Remiss.Status.DRAFT, published_at=remiss.published_at)
    assert read(client, "remisses")["count"] == 0
    # Another municipality's datasets never hold it.
    Remiss.objects.filter(pk=remiss.pk).update(status=Remiss.Status.SENT)
    assert read(client, "remisses", world.other_municipality.code)["count"] == 0


def test_without_a_published_site_the_records_have_no_page(world, remiss):
    from public.models import PublicSite

    PublicSite.objects.filter(municipality=world.municipality).update(published=False)
    client = world.client("anonymous")
    assert read(client, "remisses")["results"][0]["page_url"] is None
    assert {c["page_url"] for c in read(client, "remiss_comments")["results"]} == {None}


@pytest.mark.parametrize("name", ["remisses", "remisses_csv", "remiss_comments", "remiss_comments_csv"])
def test_the_same_queries_for_2_and_20_bodies(world, remiss, name):
    client = world.client("anonymous")
    url = reverse(f"opendata:{name}", args=["0180"])
    counts = []
    for n in (2, 18):
        grow(world, remiss, n, start=len(counts) * 100)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts
