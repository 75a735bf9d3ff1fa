"""Every long staff table sorts by its columns and pages through the URL
(lib/tables.py): a sort changes the order, page 2 of a sorted, filtered list
keeps both, and its links do. Page sizes are made small here so that three
rows make three pages. (The activity, indicator, goal and unit lists have
their own tests with their query counts, in their apps.)"""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_consultation, make_plan, make_round, make_user
from organisations.models import Membership


def listed(response, key: str, attribute: str) -> list[str]:
    rows = response.context[key]
    return [getattr(row[0] if isinstance(row, tuple) else row, attribute) for row in rows]


def check_sorting(client, url, *, key, attribute, column, names, filters=None):
    """``names`` in ascending order of ``column``, each on a page of its own."""
    filters = filters or {}
    first = client.get(url, filters | {"ordning": column})
    assert listed(first, key, attribute) == names[:1]
    html = first.content.decode()
    assert 'aria-sort="ascending"' in html
    # The column's link turns it round and keeps the filter; the page starts again.
    descending = client.get(url, filters | {"ordning": f"-{column}"})
    assert listed(descending, key, attribute) == names[-1:]
    second = client.get(url, filters | {"ordning": f"-{column}", "sida": 2})
    assert listed(second, key, attribute) == names[-2:-1]
    html = unescape(second.content.decode())
    assert 'aria-sort="descending"' in html
    for name, value in filters.items():
        assert f"{name}={value}" in html.split('rel="next"')[0].rsplit("href=", 1)[-1]  # the next page keeps it
    next_link = html.split('rel="next"')[0].rsplit('href="', 1)[-1]
    assert f"ordning=-{column}" in next_link and "sida=3" in next_link


@pytest.fixture
def small_pages(monkeypatch):
    from consultations import views as consultations
    from events import views as events
    from followups import views as followups
    from organisations import views as organisations
    from plans import views as plans
    from remiss import views as remiss
    from reports import views as reports
    from surveys import views as surveys

    for module, name in (
        (consultations, "CONSULTATIONS_PAGE_SIZE"),
        (events, "EVENTS_PAGE_SIZE"),
        (followups, "ROUNDS_PAGE_SIZE"),
        (organisations, "MEMBERS_PAGE_SIZE"),
        (plans, "PLANS_PAGE_SIZE"),
        (remiss, "REMISSES_PAGE_SIZE"),
        (reports, "REPORTS_PAGE_SIZE"),
        (surveys, "SURVEYS_PAGE_SIZE"),
    ):
        monkeypatch.setattr(module, name, 1)


def test_consultations(world, small_pages):
    for title in ("Samråd om bad", "Samråd om kultur"):
        make_consultation(world.municipality, world.unit_a, title=title)
    make_consultation(world.municipality, world.unit_b, title="Samråd om arbete")  # filtered away
    names = ["Samråd om bad", "Samråd om kultur", "Öppet samråd om brobyggare"]
    check_sorting(
        world.client("coordinator"), reverse("consultations:list"), key="consultations", attribute="title",
        column="titel", names=names, filters={"enhet": world.unit_a.pk, "ar": 2026},
    )  # fmt: skip


def test_events(world, small_pages):
    from events.tests.test_events import make_event

    this_year = timezone.now().year
    for title in ("Kulturkväll", "Romska nationaldagen", "Tävling"):
        make_event(world, title=title)
    make_event(world, title="Förra årets", starts_at=timezone.now() - timedelta(days=400))
    check_sorting(
        world.client("coordinator"), reverse("events:list"), key="events", attribute="title", column="titel",
        names=["Kulturkväll", "Romska nationaldagen", "Tävling"], filters={"ar": this_year},
    )  # fmt: skip


def test_people(world, small_pages):
    # Names by last name: coordinator, contact_a, … come from make_user; add three to sort.
    for username, last in (("p1", "Andersson"), ("p2", "Öberg"), ("p3", "Bergman")):
        user = make_user(username, world.municipality, Membership.Role.READER)
        user.last_name = last
        user.save()
    client = world.client("coordinator")
    url = reverse("organisations:members")
    last_names = sorted(
        Membership.objects.filter(municipality=world.municipality).values_list("user__last_name", flat=True)
    )
    first = client.get(url, {"ordning": "namn"})
    assert [m.user.last_name for m in first.context["members"]] == last_names[:1]
    second = client.get(url, {"ordning": "-namn", "sida": 2})
    assert [m.user.last_name for m in second.context["members"]] == last_names[-2:-1]
    assert 'href="?ordning=-namn&amp;sida=3" rel="next"' in second.content.decode()


def test_rounds(world, small_pages):
    make_round(world.plan, name="Helår 2026", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    make_round(world.plan, name="Tertial 1 2026", period_start=date(2026, 1, 1), period_end=date(2026, 4, 30))
    check_sorting(
        world.client("reader"), reverse("followups:rounds"), key="rows", attribute="name", column="namn",
        names=["Helår 2026", "Tertial 1 2026", "Tertial 2 2026"],
    )  # fmt: skip
    # By default the latest period first.
    assert listed(world.client("reader").get(reverse("followups:rounds")), "rows", "name") == ["Helår 2026"]


def test_plans(world, small_pages):
    make_plan(world.municipality, "Barnens plan")
    make_plan(world.municipality, "Översikt")
    check_sorting(
        world.client("reader"), reverse("plans:list"), key="plans", attribute="title", column="titel",
        names=["Barnens plan", "Handlingsplan för romsk inkludering 2030", "Översikt"],
    )  # fmt: skip


def test_remisses(world, small_pages):
    from remiss import services

    for title in ("Remiss A", "Remiss C", "Remiss B"):
        services.remiss_create(
            plan=world.plan, by=world.users["coordinator"], title=title, dnr="E2025-1",
            deadline=timezone.localdate() + timedelta(days=30), units=[world.unit_a], organisations=[],
        )  # fmt: skip
    check_sorting(
        world.client("coordinator"), reverse("remiss:list"), key="remisses", attribute="title", column="titel",
        names=["Remiss A", "Remiss B", "Remiss C"], filters={"plan": world.plan.pk},
    )  # fmt: skip


def test_council_reports(world, small_pages):
    from reports.models import CouncilReport

    for title in ("Uppföljning B", "Uppföljning A", "Uppföljning C"):
        CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title=title)
    check_sorting(
        world.client("reader"), reverse("reports:list"), key="rows", attribute="title", column="titel",
        names=["Uppföljning A", "Uppföljning B", "Uppföljning C"],
    )  # fmt: skip


def test_surveys(world, small_pages):
    from surveys.models import Survey

    today = timezone.localdate()
    for name in ("Enkät B", "Enkät A", "Enkät C"):
        Survey.objects.create(
            municipality=world.municipality, unit=world.unit_a, name=name, languages=["sv"],
            texts={"sv": {"title": name}}, opens_on=today, closes_on=today + timedelta(days=9),
        )  # fmt: skip
    client = world.client("reader")
    check_sorting(
        client, reverse("surveys:list"), key="surveys", attribute="name", column="namn",
        names=["Enkät A", "Enkät B", "Enkät C"],
    )  # fmt: skip
    # The survey table's links go back to it, below the inventories.
    assert "#h-surveys" in client.get(reverse("surveys:list"), {"sida": 2}).content.decode()
