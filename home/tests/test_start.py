from django.urls import reverse


def test_contact_start_page_lists_my_goals(world):
    page = world.client("contact_b").get(reverse("home:start"))
    assert [g.code for g in page.context["my_goals"]] == ["1.2.1"]
    assert "Stadens verksamheter arbetar uppsökande" in page.content.decode()


def test_contact_of_a_unit_without_goals_sees_none(world):
    world.result_goal.responsibilities.all().delete()
    page = world.client("contact_a").get(reverse("home:start"))
    assert page.context["my_goals"] == []


def test_coordinator_start_page_shows_units_without_contact(world):
    page = world.client("coordinator").get(reverse("home:start"))
    assert list(page.context["units_without_contact"]) == [world.unit_ks]
    assert page.context["current_plan"] == world.plan


def test_other_municipality_sees_only_its_own_plans(world):
    page = world.client("other_coordinator").get(reverse("home:start"))
    assert [p.title for p in page.context["plans"]] == ["Vägar framåt"]


def test_signed_in_user_without_membership_is_refused(db, client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x")
    client.force_login(user)
    assert client.get(reverse("home:start")).status_code == 403
    assert client.get(reverse("plans:list")).status_code == 403


def test_contact_start_page_queries_do_not_grow(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_activity, make_round

    client = world.client("contact_a")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home:start")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(49):
        activity = make_activity(world.plan, world.unit_a, [world.result_goal], title=f"Aktivitet {i}")
        type(activity).objects.filter(pk=activity.pk).update(updated_at="2020-01-01T00:00:00Z")
        make_round(world.plan, f"Omgång {i}")
    page = client.get(reverse("home:start"))
    assert len(page.context["mine"].stale_activities) == 15  # the first of them, and how many there are
    assert page.context["mine"].stale_count == 49
    assert "De första 15 av 49." in page.content.decode()
    assert len(page.context["mine"].open_reports) == 50
    assert count() == before


def test_the_start_page_shows_the_chosen_plan_not_the_newest(world):
    """A newer adopted plan (or a re-imported copy) does not take over the start page."""
    from datetime import date

    from conftest import make_plan
    from plans.services import plan_make_current

    newer = make_plan(world.municipality, "Handlingsplan för romsk inkludering 2030")
    newer.valid_from = date(2031, 1, 1)
    newer.save()
    client = world.client("coordinator")
    page = client.get(reverse("home:start"))
    assert page.context["current_plan"] == world.plan
    assert page.context["board"].activity_total == 1
    plan_make_current(plan=newer, by=world.users["coordinator"])
    page = client.get(reverse("home:start"))
    assert page.context["current_plan"] == newer
    assert page.context["board"].activity_total == 0
