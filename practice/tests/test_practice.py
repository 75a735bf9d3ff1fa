"""The knowledge bank: services with their audit, access across municipalities
(published or not), taking an example up, filters, the goal page's section and
query counts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from audit.models import AuditEvent
from practice.access import get_example_for_user
from practice.models import Adoption, PracticeExample
from practice.selectors import guidance_stems
from practice.services import example_adopt, example_publish, example_update
from tests.formreader import submissions

from .factories import make_example


def form_of(client, url: str, **params) -> dict:
    """The form posting back to ``url``, as the browser would send it."""
    page = client.get(url, params)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def events_of(obj):
    return list(AuditEvent.objects.for_object(obj).order_by("pk"))


# Services and their audit


def test_create_update_and_publish_are_audited(world):
    by = world.users["coordinator"]
    example = make_example(world.municipality)
    (created,) = events_of(example)
    assert created.action == AuditEvent.Action.CREATE
    assert created.changes["title"] == [None, "Stötta föräldranätverk"]
    assert created.changes["rights_areas"] == [None, ["utbildning"]]
    example_update(example=example, by=by, fields={"tips": "Nya tips."}, version=example.version)
    example_publish(example=example, by=by)
    example.refresh_from_db()
    assert example.is_published and example.published_at is not None and example.version == 2
    _created, updated, published = events_of(example)
    assert updated.changes == {"tips": ["Var tydlig med vad föräldranätverkets funktion är.", "Nya tips."]}
    assert published.changes == {"is_published": [False, True]} and published.actor == by
    example_publish(example=example, by=by)  # already shared: nothing to record
    assert len(events_of(example)) == 3
    example_publish(example=example, by=by, publish=False)
    example.refresh_from_db()
    assert not example.is_published and example.published_at is None


def test_the_coordinator_creates_edits_and_shares_through_the_pages(world):
    client = world.client("coordinator")
    url = reverse("practice:create")
    data = form_of(client, url)
    data |= {
        "title": "Läxhjälpsverksamhet",
        "organisation": "Gävle kommun med Studieförbundet Vuxenskolan och Gävle romska förening",
        "summary": "Study group: läxläsning på stadsbiblioteket.",
        "rights_areas": ["utbildning", "civilsamhalle"],
        "target_groups": ["barn_unga"],
        "goal_kinds": ["resultatmal"],
    }
    response = client.post(url, data)
    example = PracticeExample.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("practice:detail", args=[example.pk])
    assert example.municipality == world.municipality and not example.is_published
    assert sorted(example.rights_areas.values_list("pk", flat=True)) == ["civilsamhalle", "utbildning"]
    assert example.target_groups == ["barn_unga"] and example.goal_kinds == ["resultatmal"]

    edit = reverse("practice:edit", args=[example.pk])
    data = form_of(client, edit) | {"tips": "Arvodera dem som arbetar med aktiviteten."}
    assert client.post(edit, data).status_code == 302
    example.refresh_from_db()
    assert example.tips == "Arvodera dem som arbetar med aktiviteten." and example.version == 2

    publish = reverse("practice:publish", args=[example.pk])
    page = client.get(publish).content.decode()
    assert "Personal i alla kommuner" in page or "alla kommuner" in page
    assert client.post(publish, form_of(client, publish)).status_code == 302
    example.refresh_from_db()
    assert example.is_published


def test_a_stale_edit_is_refused(world):
    example = make_example(world.municipality)
    client = world.client("coordinator")
    url = reverse("practice:edit", args=[example.pk])
    data = form_of(client, url)
    example_update(example=example, by=None, fields={"title": "Någon annans"}, version=example.version)
    response = client.post(url, data | {"title": "Min titel"})
    assert response.status_code == 409
    example.refresh_from_db()
    assert example.title == "Någon annans"


# Access across municipalities


def test_unpublished_examples_stay_inside_their_municipality(world):
    example = make_example(world.municipality, title="Vårt utkast")
    other = world.users["other_coordinator"]
    with pytest.raises(Http404):
        get_example_for_user(other, example.pk)
    page = world.client("other_coordinator").get(reverse("practice:list")).content.decode()
    assert "Vårt utkast" not in page
    assert world.client("other_coordinator").get(reverse("practice:detail", args=[example.pk])).status_code == 404
    assert world.client("reader").get(reverse("practice:detail", args=[example.pk])).status_code == 200
    assert "Vårt utkast" in world.client("reader").get(reverse("practice:list")).content.decode()


def test_published_examples_are_read_everywhere_but_changed_only_at_home(world):
    example = make_example(world.municipality, title="Delat exempel", published=True)
    other = world.users["other_coordinator"]
    assert get_example_for_user(other, example.pk) == example
    for flag in ("write", "publish"):
        with pytest.raises(PermissionDenied):
            get_example_for_user(other, example.pk, **{flag: True})
    client = world.client("other_coordinator")
    page = client.get(reverse("practice:detail", args=[example.pk])).content.decode()
    assert "Delat exempel" in page and "Stockholms stad" in page
    assert reverse("practice:edit", args=[example.pk]) not in page
    assert reverse("practice:adopt", args=[example.pk]) in page
    assert "Historik" not in page  # the owning municipality's record stays there
    assert client.post(reverse("practice:edit", args=[example.pk]), {"title": "Kapad"}).status_code == 403
    assert client.post(reverse("practice:publish", args=[example.pk])).status_code == 403
    example.refresh_from_db()
    assert example.title == "Delat exempel" and example.is_published


def test_a_contact_proposes_drafts_but_only_the_coordinator_shares(world):
    contact = world.users["contact_a"]
    draft = make_example(world.municipality)
    assert get_example_for_user(contact, draft.pk, write=True) == draft
    with pytest.raises(PermissionDenied):
        get_example_for_user(contact, draft.pk, publish=True)
    example_publish(example=draft, by=None)
    with pytest.raises(PermissionDenied):
        get_example_for_user(contact, draft.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_example_for_user(world.users["reader"], draft.pk, write=True)
    assert world.client("representative").get(reverse("practice:detail", args=[draft.pk])).status_code == 403


# Taking an example up


def test_adopting_makes_a_draft_activity_linked_back(world):
    example = make_example(world.municipality, published=True)
    client = world.client("other_coordinator")
    url = reverse("practice:adopt", args=[example.pk])
    data = form_of(client, url, mal=world.other_goal.pk)
    assert data["goals"] == [str(world.other_goal.pk)]  # from the goal page's link
    before = AuditEvent.objects.count()
    response = client.post(url, data | {"owner": str(world.other_unit.pk)})
    activity = Activity.objects.get(municipality=world.other_municipality)
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.title == "Stötta föräldranätverk" and activity.plan == world.other_plan
    # What was done, nothing more: the page below names the example (not twice).
    assert activity.description == "Kommunens samordnare samlade föräldrarna till ett möte med skolan."
    assert activity.owner == world.other_unit and list(activity.goals.all()) == [world.other_goal]
    assert activity.status.summary == "ej_paborjad" and activity.visibility == "intern"
    assert activity.target_groups == ["foraldrar", "barn_unga"]
    adoption = Adoption.objects.get()
    assert (adoption.example, adoption.activity, adoption.municipality) == (
        example, activity, world.other_municipality
    )  # fmt: skip
    new = AuditEvent.objects.order_by("pk")[before:]
    assert {(e.object_repr.split(" ")[0], e.municipality_id) for e in new} >= {
        (activity.reference, world.other_municipality.pk)
    }
    (taken,) = [e for e in new if e.content_type.model == "adoption"]
    assert taken.municipality == world.other_municipality and taken.actor == world.users["other_coordinator"]
    assert taken.changes["activity"] == [None, f"{activity.reference} Stötta föräldranätverk"]
    # The bank shows where it was taken up; the owner sees the name and count, not the activity.
    page = world.client("coordinator").get(reverse("practice:detail", args=[example.pk])).content.decode()
    assert "Huddinge kommun: 1 aktivitet" in page
    assert reverse("activities:detail", args=[activity.pk]) not in page
    own = client.get(reverse("practice:detail", args=[example.pk])).content.decode()
    assert reverse("activities:detail", args=[activity.pk]) in own
    # The activity's page links back to the example.
    activity_page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert (
        f'Skapad utifrån exemplet på insats <a href="{reverse("practice:detail", args=[example.pk])}">' in activity_page
    )
    example_publish(example=example, by=None, publish=False)  # no longer shared: named, not linked
    activity_page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Skapad utifrån exemplet på insats ”Stötta föräldranätverk” (Haninge kommun)." in activity_page
    assert reverse("practice:detail", args=[example.pk]) not in activity_page


def test_adoption_refuses_goals_of_two_plans_and_units_one_may_not_write_for(world):
    from conftest import make_plan
    from plans.models import Goal

    example = make_example(world.municipality, published=True)
    second = make_plan(world.municipality, "Andra planen")
    other_goal = Goal.objects.create(plan=second, depth=1, code="9", title="Annat mål")
    client = world.client("contact_a")
    url = reverse("practice:adopt", args=[example.pk])
    data = form_of(client, url)
    response = client.post(
        url, data | {"goals": [str(world.result_goal.pk), str(other_goal.pk)], "owner": str(world.unit_a.pk)}
    )
    assert response.status_code == 200 and "en plan" in response.content.decode()
    response = client.post(url, data | {"goals": [str(world.result_goal.pk)], "owner": str(world.unit_b.pk)})
    assert response.status_code == 200  # unit B is not contact A's
    assert not Adoption.objects.exists()
    assert world.client("reader").get(url).status_code == 403
    with pytest.raises(ValueError):
        example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.other_unit)


# Filters


def test_the_list_filters_by_area_kind_group_and_text(world):
    make_example(world.municipality, title="Föräldranätverk", areas=["utbildning"])
    make_example(
        world.other_municipality, title="Träffpunkt", areas=["halsa"], published=True,
        goal_kinds=["effektmal"], target_groups=["aldre"], summary="En lokal samlingsplats för äldre romer.",
    )  # fmt: skip
    make_example(world.other_municipality, title="Huddinges utkast", areas=["halsa"])
    client = world.client("reader")

    def titles(**params):
        response = client.get(reverse("practice:list"), params)
        return [e.title for e in response.context["examples"]]

    assert titles() == ["Föräldranätverk", "Träffpunkt"]
    assert titles(omrade="halsa") == ["Träffpunkt"]
    assert titles(malslag="effektmal") == ["Träffpunkt"]
    assert titles(malslag="resultatmal") == ["Föräldranätverk"]
    assert titles(malgrupp="aldre") == ["Träffpunkt"]
    assert titles(malgrupp="foraldrar") == ["Föräldranätverk"]
    assert titles(q="samlingsplats") == ["Träffpunkt"]
    assert titles(omrade="nonsens") == ["Föräldranätverk", "Träffpunkt"]  # an unknown value is no filter


@pytest.mark.parametrize("n", [5, 50])
def test_the_list_takes_a_fixed_number_of_queries(world, n, django_assert_max_num_queries):
    client = world.client("reader")
    client.get(reverse("practice:list"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("practice:list")).status_code == 200
        return len(ctx.captured_queries)

    make_example(world.municipality, title="Första")
    base = count()
    for i in range(n):
        example = make_example(
            world.other_municipality, title=f"Exempel {i:02}", published=True, areas=["halsa", "kultur"]
        )
        if i % 2:
            example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    assert count() == base


# The goal page


def test_the_goal_page_lists_examples_of_its_rights_areas_and_guidance(world):
    goal = world.result_goal  # rights area: kultur
    goal.guidance = "Exempel på insatser: brobyggare i skolan och läxhjälp."
    goal.save()
    make_example(world.municipality, title="Idag är jag rom", areas=["kultur"])
    make_example(world.other_municipality, title="Läxhjälpsverksamhet", areas=["civilsamhalle"], published=True)
    make_example(world.other_municipality, title="Huddinges läxhjälp", areas=["kultur"])  # not shared
    make_example(world.municipality, title="Bostadsbolaget", areas=["bostad"])
    client = world.client("contact_a")
    page = client.get(reverse("plans:goal", args=[goal.pk])).content.decode()
    section = page.split('id="goal-examples-heading"')[1].split("</section>")[0]
    assert "Idag är jag rom" in section and "Läxhjälpsverksamhet" in section
    assert "Huddinges läxhjälp" not in section and "Bostadsbolaget" not in section
    adopt = reverse("practice:adopt", args=[PracticeExample.objects.get(title="Idag är jag rom").pk])
    assert f"{adopt}?mal={goal.pk}" in section
    assert (
        "?mal="
        not in world.client("reader")
        .get(reverse("plans:goal", args=[goal.pk]))
        .content.decode()
        .split('id="goal-examples-heading"')[1]
        .split("</section>")[0]
    )  # a reader registers no activities


def test_the_goal_page_section_takes_one_query(world):
    client = world.client("reader")
    url = reverse("plans:goal", args=[world.result_goal.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    make_example(world.municipality, title="Ett", areas=["kultur"])
    one = count()
    for i in range(20):
        make_example(world.other_municipality, title=f"Kultur {i}", areas=["kultur"], published=True)
    assert count() == one


def test_guidance_words_are_stems_of_the_distinctive_words():
    stems = guidance_stems("Exempel på insatser: Brobyggare i skolan, läxhjälp och kommunens verksamhet.")
    assert stems == ["brobygg", "läxhjäl"]
