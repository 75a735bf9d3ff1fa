"""The search page: Swedish forms, hostile queries, access per role, what never
leaks, the index kept current, paging and a fixed number of queries. Runs on
SQLite (FTS5) and on PostgreSQL (tsvector) alike."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from activities.services import activity_delete, activity_update
from conftest import make_activity
from consultations.models import View
from consultations.services import item_save, view_add, view_delete
from plans.models import Goal
from plans.services import goal_create, goal_delete, goal_update, plan_new_version
from search.models import SearchEntry
from tests.formreader import submissions

URL = reverse("search:search")


def hits(client, q, **params) -> str:
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def goal_url(goal) -> str:
    return reverse("plans:goal", args=[goal.pk])


@pytest.fixture
def housing(world):
    """A goal about housing, written through the goal form as the browser sends it."""
    client = world.client("coordinator")
    url = reverse("plans:goal_edit", args=[world.goal.pk])
    (form,) = [f for f in submissions(url, client.get(url).content) if f.action.endswith(url)]
    form.data["title"] = ["Alla romer har en trygg bostad"]
    form.data["description"] = ["Staden arbetar mot hemlöshet och för en egen bostad med eget kontrakt."]
    assert client.post(url, form.data).status_code == 302
    world.goal.refresh_from_db()
    return world.goal


def test_an_inflected_swedish_word_finds_the_goal(world, housing):
    page = hits(world.client("coordinator"), "bostäder")
    assert goal_url(housing) in page
    assert "Alla romer har en trygg <mark>bostad</mark>" in page
    assert "för en egen <mark>bostad</mark> med eget kontrakt" in page  # the snippet
    other_form = hits(world.client("coordinator"), "Bostaden")
    assert goal_url(housing) in other_form and "trygg <mark>bostad</mark>" in other_form


def test_every_word_must_occur(world, housing):
    client = world.client("coordinator")
    assert goal_url(housing) in hits(client, "trygga bostäder")
    assert goal_url(housing) not in hits(client, "trygga bostäder skolan")


def test_the_search_box_in_the_header_leads_to_the_results(world, housing):
    client = world.client("reader")
    start = client.get(reverse("home:start")).content.decode()
    assert 'role="search"' in start and 'for="header-search-q"' in start
    page = client.get(URL + "?q=bost%C3%A4der")
    assert page.status_code == 200
    assert 'value="bostäder"' in page.content.decode()  # the query stays in the box and in the URL


@pytest.mark.parametrize(
    "typed",
    ['"', '"bostad', "bostad AND", "NEAR(bostad trygg)", "*", "bost*", "(", ")", "'", "bostad'", "-bostad",
     "^bostad", "title_keys:bostad", "\\", "{bostad}", "bostad OR", "NOT bostad", "a & b | !c", "<script>", "x" * 500],
)  # fmt: skip
def test_hostile_queries_neither_fail_nor_inject(world, housing, typed):
    page = hits(world.client("coordinator"), typed)
    assert "<script>" not in page.split("<main", 1)[1]
    # Operators are words like any other (all must occur); quotes, stars and brackets are dropped.
    found = typed in {'"bostad', "bost*", "bostad'", "-bostad", "^bostad", "{bostad}"}
    assert (goal_url(housing) in page) == found


def test_the_other_municipality_never_sees_ours(world, housing):
    assert goal_url(housing) not in hits(world.client("other_coordinator"), "bostad")
    own = hits(world.client("other_coordinator"), "romsk kultur")
    assert goal_url(world.other_goal) in own
    assert goal_url(world.other_goal) not in hits(world.client("coordinator"), "romsk kultur")


@pytest.mark.parametrize("role", ["reader", "contact_a", "contact_b", "coordinator"])
def test_staff_find_what_their_object_pages_show(world, role):
    client = world.client(role)
    assert reverse("activities:detail", args=[world.activity.pk]) in hits(client, "brobyggare socialtjänsten")
    assert reverse("consultations:detail", args=[world.consultation.pk]) in hits(client, "familjer")
    page = hits(client, "söderort")
    assert reverse("consultations:trace", args=[world.view.pk]) in page
    for url in {
        reverse("activities:detail", args=[world.activity.pk]),
        reverse("consultations:trace", args=[world.view.pk]),
    }:
        assert client.get(url).status_code == 200  # the link opens


def test_representatives_do_not_search(world):
    assert world.client("representative").get(URL, {"q": "brobyggare"}).status_code == 403
    assert 'role="search"' not in world.client("representative").get(reverse("home:start")).content.decode()


def test_people_only_for_coordinators(world):
    member = world.users["contact_a"].membership
    url = reverse("organisations:member_edit", args=[member.pk])
    assert url in hits(world.client("coordinator"), "contact_a@example.se")
    for role in ("reader", "contact_a", "contact_b"):
        page = hits(world.client(role), "Testsson")
        assert url not in page and "search-hits" not in page


def test_what_only_some_may_see_is_never_indexed(world):
    consultation = world.consultation
    consultation.internal_notes = "Kanariefågel i interna anteckningar."
    consultation.save()
    rep = world.users["representative"].membership
    view_add(
        item=world.item, by=None, text="Bättre tolkning.", given_by=View.GivenBy.REPRESENTATIVE, representative=rep
    )
    from inventories.models import DialogueNote, Inventory

    inventory = Inventory.objects.create(municipality=world.municipality, name="Behovsinventering 2026", age_groups=[])
    DialogueNote.objects.create(
        inventory=inventory,
        held_on="2026-03-01",
        place="forening",
        participants=5,
        summary="Kanariefågel i noteringen.",
    )
    assert "search-hits" not in hits(world.client("coordinator"), "kanariefågel")
    client = world.client("reader")  # (the coordinator finds the representative among people)
    assert "search-hits" not in hits(client, "Representative")  # the representative's name (their first name)
    assert reverse("inventories:detail", args=[inventory.pk]) in hits(client, "behovsinventeringar")


def test_the_index_follows_edits_and_deletes(world, housing):
    client = world.client("coordinator")
    goal_update(
        goal=housing,
        by=None,
        fields={"title": "Alla romer har arbete", "description": ""},
        rights_areas=[],
        responsible=[],
    )
    assert goal_url(housing) not in hits(client, "bostad")
    assert goal_url(housing) in hits(client, "arbeten")
    new = goal_create(plan=world.plan, parent=None, by=None, fields={"code": "7", "title": "Hälsa för äldre"})
    new_url, new_pk = goal_url(new), new.pk
    assert new_url in hits(client, "hälsa äldre")
    goal_delete(goal=new, by=None)
    assert new_url not in hits(client, "hälsa äldre")
    assert not SearchEntry.objects.filter(kind="goal", object_id=new_pk).exists()

    activity = make_activity(world.plan, world.unit_a, [world.result_goal], title="Läxhjälp i Rinkeby")
    url = reverse("activities:detail", args=[activity.pk])
    assert url in hits(client, "läxhjälpen")
    activity_update(activity=activity, by=None, fields={"title": "Mötesplats i Tensta"})
    assert url not in hits(client, "läxhjälpen") and url in hits(client, "mötesplatser")
    activity = Activity.objects.get(pk=activity.pk)
    activity_delete(activity=activity, by=None)
    assert url not in hits(client, "mötesplatser")

    item_save(consultation=world.consultation, by=None, item=world.item,
              fields={"question": "Hur ser bostäderna ut för äldre?"}, goals=[], activities=[])  # fmt: skip
    assert reverse("consultations:detail", args=[world.consultation.pk]) in hits(client, "bostad äldre")
    view = view_add(item=world.item, by=None, text="Fler bostäder åt unga.", given_by="grupp", representative=None)
    view_url = reverse("consultations:trace", args=[view.pk])
    assert view_url in hits(client, "bostad unga")
    view_delete(view=view, by=None)
    assert view_url not in hits(client, "bostad unga")

    user = world.users["contact_b"]
    user.last_name = "Lindqvist"
    user.save()
    assert reverse("organisations:member_edit", args=[user.membership.pk]) in hits(client, "Lindqvist")


def test_a_new_plan_version_s_goals_are_found(world, housing):
    copy = plan_new_version(plan=world.plan, by=None)
    page = hits(world.client("coordinator"), "bostad")
    assert goal_url(copy.goals.get(identity=housing.identity)) in page and goal_url(housing) in page


def test_rebuild_makes_the_same_index(world, housing):
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "title_keys", "body_keys"))
    SearchEntry.objects.all().delete()
    assert "search-hits" not in hits(world.client("coordinator"), "bostad")
    call_command("rebuild_search_index", verbosity=0)
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "title_keys", "body_keys")) == before
    assert goal_url(housing) in hits(world.client("coordinator"), "bostad")


def _goals(world, n, first=0):
    Goal.objects.bulk_create(
        Goal(plan=world.plan, depth=1, position=10 + i, code=f"9.{i}", title=f"Bostäder nummer {i}")
        for i in range(first, first + n)
    )
    call_command("rebuild_search_index", verbosity=0)


def test_hits_are_paged_per_kind(world):
    _goals(world, 27)
    client = world.client("coordinator")
    overview = hits(client, "bostad")
    assert overview.count('href="/planer/mal/') == 5
    assert "typ=goal" in overview
    first = hits(client, "bostad", typ="goal")
    second = hits(client, "bostad", typ="goal", sida="2")
    assert first.count('href="/planer/mal/') == 20 and second.count('href="/planer/mal/') == 7
    assert "q=bostad&amp;typ=goal&amp;sida=2" in first


@pytest.mark.parametrize("params", [{}, {"typ": "goal"}])
def test_queries_do_not_grow_with_the_hits(world, params):
    client = world.client("coordinator")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            hits(client, "bostad", **params)
        return len(ctx.captured_queries)

    _goals(world, 1)
    few = count()
    _goals(world, 40, first=1)
    assert count() == few


def test_empty_and_fruitless_searches_say_so(world):
    client = world.client("coordinator")
    empty = hits(client, "")
    assert 'role="status"' not in empty and 'id="search-q"' in empty
    none = hits(client, "zzzyxord")
    assert 'role="status"' in none and "search-hits" not in none
    common = hits(client, "och i på")
    assert 'role="status"' in common and "search-hits" not in common
