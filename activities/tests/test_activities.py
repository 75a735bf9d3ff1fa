import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from audit.models import AuditEvent
from conftest import make_activity, make_plan
from plans.models import Goal


def activity_post(world, **overrides):
    data = {
        "title": "Läxhjälp på biblioteket",
        "description": "Läxhjälp två kvällar i veckan tillsammans med en romsk förening.",
        "goals": [world.goal.pk, world.result_goal.pk],
        "owner": world.unit_a.pk,
        "responsible_role": "Enhetschef",
        "status": world.plan.activity_statuses.get(name="Pågår").pk,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "budget": "120000",
        "funding": "statsbidrag",
        "funding_ends": "2027-03-31",
        "visibility": "publik",
        "target_groups": ["barn_unga"],
        "methods": ["laxhjalp"],
        "partner_kinds": ["forening"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_contact_registers_an_activity_against_two_goals(world):
    client = world.client("contact_a")
    response = client.post(f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world))
    activity = Activity.objects.get(title="Läxhjälp på biblioteket")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert set(activity.goals.all()) == {world.goal, world.result_goal}
    assert activity.reference == "0180-A-0002"
    assert activity.owner == world.unit_a
    assert activity.funding_at_risk()
    assert AuditEvent.objects.filter(object_id=activity.pk, action="create").exists()
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "0180-A-0002" in page and "1.2.1" in page


def test_references_use_the_municipality_prefix(world):
    world.municipality.reference_prefix = "STHLM"
    world.municipality.save()
    activity = make_activity(world.plan, world.unit_a, [world.goal], title="Katitzi i skolan")
    assert activity.reference == "STHLM-A-0002"


def test_a_contact_cannot_register_for_another_unit(world):
    client = world.client("contact_a")
    before = Activity.objects.count()
    response = client.post(
        f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world, owner=world.unit_b.pk)
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Activity.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2025-01-01"}, "end_date"),
        ({"budget": "-5"}, "budget"),
        ({"goals": []}, "goals"),
        ({"title": ""}, "title"),
        ({"ongoing": "on"}, "end_date"),
        ({"start_date": "i våras"}, "start_date"),
    ],
)
def test_bad_activity_input_is_refused_on_its_field(world, overrides, field):
    client = world.client("contact_a")
    before = (Activity.objects.count(), AuditEvent.objects.count())
    response = client.post(
        f"{reverse('activities:create')}?plan={world.plan.pk}",
        activity_post(world, **overrides),
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Activity.objects.count(), AuditEvent.objects.count()) == before


def test_a_goal_of_another_plan_is_refused(world):
    other_plan = make_plan(world.municipality, "Strategi 2018")
    stray = Goal.objects.create(plan=other_plan, depth=1, code="1", title="Annat mål")
    client = world.client("coordinator")
    response = client.post(
        f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world, goals=[stray.pk])
    )
    assert "goals" in response.context["form"].errors
    assert not Activity.objects.filter(title="Läxhjälp på biblioteket").exists()


def test_the_error_messages_are_swedish(world):
    client = world.client("contact_a")
    response = client.post(
        f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world, end_date="2025-01-01", budget="-1")
    )
    page = response.content.decode()
    assert "Slutdatumet är före startdatumet." in page
    assert "Budgeten kan inte vara negativ." in page


def test_two_people_save_the_same_activity_the_second_keeps_what_they_typed(world):
    first, second = world.client("contact_a"), world.client("coordinator")
    url = reverse("activities:edit", args=[world.activity.pk])
    version = first.get(url).context["form"]["version"].value()
    assert second.get(url).context["form"]["version"].value() == version
    base = activity_post(world, version=version, goals=[world.result_goal.pk])
    assert first.post(url, base | {"title": "Brobyggare, utökat"}).status_code == 302
    response = second.post(url, base | {"title": "Brobyggare i Rinkeby"})
    assert response.status_code == 409
    assert response.context["form"]["title"].value() == "Brobyggare i Rinkeby"
    assert "någon annan" in response.content.decode().lower()
    world.activity.refresh_from_db()
    assert world.activity.title == "Brobyggare, utökat"
    # Saving the kept form again is a deliberate choice, and it wins.
    again = base | {"title": "Brobyggare i Rinkeby", "version": response.context["form"]["version"].value()}
    assert second.post(url, again).status_code == 302
    world.activity.refresh_from_db()
    assert world.activity.title == "Brobyggare i Rinkeby"
    # A crafted POST without a version is refused, not saved blindly.
    without = {k: v for k, v in again.items() if k != "version"} | {"title": "Utan version"}
    assert second.post(url, without).status_code == 200
    world.activity.refresh_from_db()
    assert world.activity.title == "Brobyggare i Rinkeby"


def test_progress_notes(world):
    client = world.client("contact_a")
    url = reverse("activities:note_add", args=[world.activity.pk])
    response = client.post(url, {"date": "2026-05-01", "text": "Tre nya familjer har fått stöd."})
    assert response.status_code == 302
    note = world.activity.notes.get(text="Tre nya familjer har fått stöd.")
    assert note.author == world.users["contact_a"]
    assert client.post(url, {"date": "", "text": ""}).status_code == 400
    client.post(reverse("activities:note_delete", args=[note.pk]))
    assert not world.activity.notes.filter(pk=note.pk).exists()


def test_the_list_filters(world):
    make_activity(world.plan, world.unit_b, [world.result_goal], title="Mötesplats i Hägersten")
    client = world.client("reader")
    page = client.get(reverse("activities:list"), {"enhet": world.unit_b.pk}).content.decode()
    assert "Mötesplats i Hägersten" in page and "Brobyggare i socialtjänsten" not in page
    page = client.get(reverse("activities:list"), {"q": "brobyggare"}).content.decode()
    assert "Mötesplats i Hägersten" not in page and "Brobyggare i socialtjänsten" in page


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_activities(world):
    client = world.client("coordinator")
    url = f"{reverse('activities:list')}?plan={world.plan.pk}"
    one = _count_queries(client, url)
    for i in range(49):
        a = make_activity(world.plan, world.unit_b if i % 2 else world.unit_a, [world.goal, world.result_goal])
        a.co_units.set([world.unit_ks])
    assert _count_queries(client, url) == one


def _listed_titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


def test_the_list_sorts_by_its_columns_and_page_two_keeps_sort_and_filter(world):
    """?ordning= sorts the list (stable: the tiebreak keeps equal titles in one
    order); a sorted, filtered list's second page keeps both, and its links do."""
    for i in range(55):
        make_activity(world.plan, world.unit_b, [world.result_goal], title=f"Läxhjälp {i:02d}")
    client = world.client("reader")
    url = reverse("activities:list")
    by_unit = {"plan": world.plan.pk, "enhet": world.unit_b.pk}
    ascending = client.get(url, by_unit | {"ordning": "titel"})
    assert _listed_titles(ascending)[:2] == ["Läxhjälp 00", "Läxhjälp 01"]
    descending = client.get(url, by_unit | {"ordning": "-titel"})
    assert _listed_titles(descending)[:2] == ["Läxhjälp 54", "Läxhjälp 53"]
    page = descending.content.decode()
    assert 'aria-sort="descending"' in page and '<input type="hidden" name="ordning" value="-titel">' in page
    second = client.get(url, by_unit | {"ordning": "-titel", "sida": 2})
    assert _listed_titles(second) == ["Läxhjälp 04", "Läxhjälp 03", "Läxhjälp 02", "Läxhjälp 01", "Läxhjälp 00"]
    assert "Brobyggare i socialtjänsten" not in second.content.decode()  # world.activity is unit A's
    html = second.content.decode()
    assert f'href="?plan={world.plan.pk}&amp;enhet={world.unit_b.pk}&amp;ordning=-titel&amp;sida=1" rel="prev"' in html
    # A sort link keeps the filter and starts again on page 1.
    assert f'href="?plan={world.plan.pk}&amp;enhet={world.unit_b.pk}&amp;ordning=titel"' in html
    # An unknown column is the default order (by reference number).
    default = client.get(url, by_unit | {"ordning": "budget"})
    assert _listed_titles(default)[:2] == ["Läxhjälp 00", "Läxhjälp 01"]
    assert 'aria-sort="ascending"' in default.content.decode()


def test_sorted_paged_list_queries_do_not_grow_with_activities(world):
    client = world.client("coordinator")
    url = f"{reverse('activities:list')}?plan={world.plan.pk}&ordning=-enhet&sida=2"
    for i in range(50):
        make_activity(world.plan, world.unit_b if i % 2 else world.unit_a, [world.goal])
    client.get(url)  # the counts by status into the shared cache
    few = _count_queries(client, url)  # one row on page 2
    for i in range(50):
        a = make_activity(world.plan, world.unit_b if i % 2 else world.unit_a, [world.goal, world.result_goal])
        a.co_units.set([world.unit_ks])
    client.get(url)
    response = client.get(url)
    assert len(response.context["page"].object_list) == 50
    assert _count_queries(client, url) == few
    assert _count_queries(client, url.replace("-enhet", "status")) == few


def test_the_counts_by_status_show_each_change_on_the_next_view(world):
    """The list's and the start page's counts by status come from the shared
    cache: every change to the plan's activities or statuses shows at once."""
    from activities import services

    client = world.client("coordinator")
    by_unit = {"plan": world.plan.pk, "enhet": world.unit_b.pk}

    def counts(params=None) -> dict[str, int]:
        response = client.get(reverse("activities:list"), params or {"plan": world.plan.pk})
        listed = {code: n for code, _label, n in response.context["counts"] if n}
        status = (params or {}).get("status")
        shown = listed.get(status, 0) if status else sum(listed.values())
        assert response.context["page"].paginator.count == len(response.context["page"].object_list) == shown
        return listed

    def start_page() -> dict[str, int]:
        board = client.get(reverse("home:start")).context["board"]
        return {code: n for code, _label, n in board.activity_counts if n}

    first = world.activity.status.summary
    assert counts() == start_page() == {first: 1}
    assert counts(by_unit) == {}
    contact = world.client("contact_b")
    response = contact.post(
        f"{reverse('activities:create')}?plan={world.plan.pk}", activity_post(world, owner=world.unit_b.pk)
    )
    assert response.status_code == 302
    assert counts() == start_page() == {first: 1, "pagar": 1}
    assert counts(by_unit) == {"pagar": 1}
    done = world.plan.activity_statuses.get(summary="genomford")
    services.activity_update(activity=world.activity, by=None, fields={"status": done}, co_units=[world.unit_b])
    assert counts() == start_page() == {"pagar": 1, "genomford": 1}
    assert counts(by_unit) == {"pagar": 1, "genomford": 1}  # co-responsible now
    assert counts({**by_unit, "status": "genomford"}) == {"pagar": 1, "genomford": 1}
    world.plan.activity_statuses.filter(pk=done.pk).update(summary="pausad")  # behind the services' back:
    assert counts() == {"pagar": 1, "genomford": 1}  # still cached, so the statuses page's service must say so
    from plans.forms import ActivityStatusFormSet
    from plans.services import statuses_save

    formset = ActivityStatusFormSet(instance=world.plan, prefix="s")
    data = {"s-TOTAL_FORMS": str(len(formset.forms)), "s-INITIAL_FORMS": str(len(formset.initial_forms)),
            "s-MIN_NUM_FORMS": "0", "s-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, form in enumerate(formset.forms):
        for name in ("id", "plan", "name", "summary", "position"):
            value = form[name].value()
            data[f"s-{i}-{name}"] = "" if value is None else value
    bound = ActivityStatusFormSet(data, instance=world.plan, prefix="s")
    assert bound.is_valid(), bound.errors
    statuses_save(plan=world.plan, by=None, formset=bound)
    assert counts() == start_page() == {"pagar": 1, "pausad": 1}
    services.activity_delete(activity=world.activity, by=None)
    assert counts() == start_page() == {"pagar": 1}
    assert counts(by_unit) == {"pagar": 1}
