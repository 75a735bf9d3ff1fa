"""Deleting a practice example entered by mistake (refused when other
municipalities made activities of it; the own activities stay and lose the
link), and a second take-up refused by the service itself unless intended,
under a row lock on the example."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from audit.models import AuditEvent
from practice.models import Adoption, PracticeExample
from practice.services import AlreadyTakenUp, NotAllowedNow, example_adopt, example_delete, example_show_publicly
from tests.confirmations import open_confirmation, post_form, sv
from tests.formreader import submissions

from .factories import make_example


def adopt_form(client, url: str, goal) -> dict:
    page = client.get(url, {"mal": goal.pk})
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


# Deleting


def test_the_coordinator_deletes_an_example_its_own_activity_stays(world):
    example = make_example(world.municipality, published=True)
    activity = example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    other = make_example(world.municipality, title="Romsk kulturvecka")
    client = world.client("coordinator")
    url = reverse("practice:delete", args=[example.pk])
    assert f'href="{url}"' in client.get(reverse("practice:detail", args=[example.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert sv("Delete the example?") in text and example.title in text
    assert sv("It is shared with every municipality: it disappears from their knowledge bank too.") in text
    public_line = sv("It is shown on the municipality's public site: it disappears from there too.")
    assert public_line not in text
    example_show_publicly(example=example, by=None)
    text, form = open_confirmation(client, url)
    assert public_line in text
    assert f"Er kommun har gjort aktiviteten {activity.reference} av det: aktiviteten finns kvar" in text

    events = AuditEvent.objects.count()
    response = post_form(client, form)
    assert response.status_code == 302 and response["Location"] == reverse("practice:list")
    assert not PracticeExample.objects.filter(pk=example.pk).exists()
    assert not Adoption.objects.exists()
    # The activity stays, without its link; the other example stays.
    assert Activity.objects.get(pk=activity.pk).title == "Stötta föräldranätverk"
    assert "Upptaget från" not in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert PracticeExample.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.count() == events + 1
    deleted = AuditEvent.objects.for_object(example).get(action=AuditEvent.Action.DELETE)
    assert deleted.actor == world.users["coordinator"]
    assert deleted.changes["title"] == ["Stötta föräldranätverk", None]
    assert deleted.changes["taken_up_as"] == [[activity.reference], None]


def test_an_example_other_municipalities_took_up_is_not_deleted(world):
    example = make_example(world.municipality, published=True)
    theirs = example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
    client = world.client("coordinator")
    url = reverse("practice:delete", args=[example.pk])
    message = "Exemplet kan inte tas bort: 1 annan kommun har gjort en aktivitet av det. Sluta dela det i stället"
    # The example's page does not offer what would be refused (the edit link stays).
    detail = client.get(reverse("practice:detail", args=[example.pk])).content.decode()
    assert f'href="{url}"' not in detail and reverse("practice:edit", args=[example.pk]) in detail
    events = AuditEvent.objects.count()
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("practice:detail", args=[example.pk])
    assert message in response.content.decode()
    assert message in client.post(url, follow=True).content.decode()
    with pytest.raises(NotAllowedNow):
        example_delete(example=example, by=None)
    assert PracticeExample.objects.filter(pk=example.pk).exists()
    assert list(Adoption.objects.values_list("activity_id", flat=True)) == [theirs.pk]
    assert AuditEvent.objects.count() == events

    # No longer shared, it is still refused: their activities came from it.
    PracticeExample.objects.filter(pk=example.pk).update(is_published=False, published_at=None)
    example.refresh_from_db()
    with pytest.raises(NotAllowedNow, match="Det delas inte längre"):
        example_delete(example=example, by=None)


def test_a_contact_deletes_an_unshared_proposal_but_not_a_shared_example(world):
    proposal = make_example(world.municipality, title="Förslag: läxhjälp")
    shared = make_example(world.municipality, title="Romsk kulturvecka", published=True)
    client = world.client("contact_a")
    assert (
        reverse("practice:delete", args=[shared.pk])
        not in client.get(reverse("practice:detail", args=[shared.pk])).content.decode()
    )
    assert client.post(reverse("practice:delete", args=[shared.pk])).status_code == 403
    assert world.client("reader").post(reverse("practice:delete", args=[proposal.pk])).status_code == 403
    assert world.client("other_coordinator").post(reverse("practice:delete", args=[proposal.pk])).status_code == 404
    assert PracticeExample.objects.count() == 2

    _text, form = open_confirmation(client, reverse("practice:delete", args=[proposal.pk]))
    assert post_form(client, form).status_code == 302
    assert list(PracticeExample.objects.all()) == [shared]


# A second take-up


def test_the_service_refuses_a_second_take_up_unless_intended(world):
    example = make_example(world.municipality, published=True)
    first = example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
    events = AuditEvent.objects.count()
    with pytest.raises(AlreadyTakenUp):
        example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
    assert list(Adoption.objects.values_list("activity_id", flat=True)) == [first.pk]
    assert Activity.objects.filter(municipality=world.other_municipality).count() == 1
    assert AuditEvent.objects.count() == events  # nothing half-made
    # Another municipality's take-up is its own first.
    example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    # Intended: a second activity.
    second = example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit, again=True)
    assert second.pk != first.pk and Adoption.objects.filter(municipality=world.other_municipality).count() == 2


def test_the_take_up_reads_the_example_under_a_row_lock(world):
    example = make_example(world.municipality, published=True)
    with CaptureQueriesContext(connection) as queries:
        example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    table = PracticeExample._meta.db_table
    locked = [q["sql"] for q in queries if table in q["sql"] and "FOR UPDATE" in q["sql"]]
    # SQLite has no row locks: its writing transaction (IMMEDIATE) serialises instead.
    assert len(locked) == (1 if connection.features.has_select_for_update else 0)
    assert any(f'FROM "{table}"' in q["sql"] for q in queries)


def test_a_take_up_made_meanwhile_brings_the_form_back_asking_for_again(world, monkeypatch):
    """The form was checked before a colleague's take-up was committed (the race):
    the service refuses, and the form comes back with "again" to tick."""
    import practice.views

    example = make_example(world.municipality, published=True)
    client = world.client("other_coordinator")
    url = reverse("practice:adopt", args=[example.pk])
    data = adopt_form(client, url, world.other_goal) | {"owner": str(world.other_unit.pk)}
    assert "again" not in data
    example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
    real = practice.views.own_adoptions
    calls = []

    def seen_before_the_colleague(example, municipality_id):
        calls.append(1)
        return [] if len(calls) == 1 else real(example, municipality_id)

    monkeypatch.setattr(practice.views, "own_adoptions", seen_before_the_colleague)
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert list(refused.context["form"].errors) == ["again"]
    assert "Ta upp exemplet en gång till" in refused.content.decode()
    assert Adoption.objects.count() == 1
    monkeypatch.undo()
    assert client.post(url, data | {"again": "on"}).status_code == 302
    assert Adoption.objects.count() == 2


def test_the_confirmation_page_takes_as_many_queries_for_one_activity_as_for_five(world):
    example = make_example(world.municipality)
    client = world.client("coordinator")
    url = reverse("practice:delete", args=[example.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    one = queries()
    for _ in range(4):
        example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a, again=True)
    assert queries() == one


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_take_ups_at_once_make_one_activity(world):
    """Two requests at once, each having seen no take-up: the second waits for the
    first's lock on the example, then sees its Adoption and is refused."""
    import threading
    import time

    from django.db import connections, transaction

    example = make_example(world.municipality, published=True)
    first_holds, release = threading.Event(), threading.Event()
    outcome = []

    def first():
        try:
            with transaction.atomic():
                example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
                first_holds.set()
                release.wait(10)
        finally:
            connections.close_all()

    def second():
        first_holds.wait(10)
        try:
            example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
            outcome.append("made")
        except AlreadyTakenUp:
            outcome.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds.wait(10)
    time.sleep(0.5)  # the second is now waiting for the row lock
    release.set()
    for thread in threads:
        thread.join(20)
    assert outcome == ["refused"]
    assert Adoption.objects.filter(example=example).count() == 1
