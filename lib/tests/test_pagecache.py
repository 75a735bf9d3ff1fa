"""The staff pages kept per person until the data changes (lib/pagecache.py)."""

import gzip

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from lib import pagecache
from organisations.models import Membership
from plans.models import Goal
from tests.formreader import submissions

pytestmark = pytest.mark.usefixtures("page_cache")


def view(client: Client, url: str) -> tuple[bool, str]:
    """(whether the page came from the cache, its text)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get("X-Page-Cache") == "hit", response.content.decode()


def signed_in(world, role: str) -> Client:
    """A client as a browser is: it has the CSRF cookie from an earlier page."""
    client = world.client(role)
    client.get(reverse("plans:list"))
    assert "csrftoken" in client.cookies
    return client


@pytest.fixture
def plan_url(world):
    return reverse("plans:detail", args=[world.plan.pk])


def test_a_page_is_kept_and_served_again_unchanged(world, plan_url):
    client = signed_in(world, "coordinator")
    first_hit, first = view(client, plan_url)
    again_hit, again = view(client, plan_url)
    assert (first_hit, again_hit) == (False, True)
    assert again == first and world.result_goal.title in again


def test_a_kept_page_goes_compressed_to_a_browser_that_accepts_gzip(world, plan_url):
    client = signed_in(world, "coordinator")
    _, page = view(client, plan_url)
    sizes = set()
    for _ in range(10):
        response = client.get(plan_url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
        assert response.get("X-Page-Cache") == "hit" and response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content).decode() == page
        sizes.add(len(response.content))
    # A random file name of random length in each response's gzip header (against BREACH).
    assert len(sizes) > 1
    # Without gzip (or a client that asks for something else) the page itself.
    for accept in ("", "br, deflate"):
        response = client.get(plan_url, HTTP_ACCEPT_ENCODING=accept)
        assert response.get("X-Page-Cache") == "hit" and not response.has_header("Content-Encoding")
        assert response.content.decode() == page


def test_a_change_through_a_form_shows_on_the_next_view(world, plan_url):
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    edit_url = reverse("plans:goal_edit", args=[world.result_goal.pk])
    page = client.get(edit_url)
    (form,) = [s for s in submissions(edit_url, page.content) if s.name == "plans:goal_edit"]
    form.data["title"] = ["Stadens verksamheter arbetar uppsökande i alla stadsdelar"]
    assert client.post(form.action, form.data).status_code == 302
    hit, text = view(client, plan_url)
    assert not hit and "uppsökande i alla stadsdelar" in text


def test_a_write_without_model_signals_shows_on_the_next_view(world, plan_url):
    """queryset.update() sends no signal; the database wrapper still sees it."""
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    Goal.objects.filter(pk=world.result_goal.pk).update(title="Ändrat utan signaler")
    hit, text = view(client, plan_url)
    assert not hit and "Ändrat utan signaler" in text
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_goal SET title = %s WHERE id = %s", ["Ändrat med SQL", world.result_goal.pk])
    hit, text = view(client, plan_url)
    assert not hit and "Ändrat med SQL" in text


def test_each_person_and_session_has_their_own_pages(world, plan_url):
    coordinator = signed_in(world, "coordinator")
    _, coordinators_page = view(coordinator, plan_url)
    assert view(coordinator, plan_url)[0]
    reader = signed_in(world, "reader")
    hit, readers_page = view(reader, plan_url)
    assert not hit and readers_page != coordinators_page
    edit = reverse("plans:edit", args=[world.plan.pk])
    assert edit in coordinators_page and edit not in readers_page
    # Signed in again (a new session and a new CSRF secret), the same person gets a new page.
    again = signed_in(world, "coordinator")
    assert not view(again, plan_url)[0]


def test_a_kept_page_is_refused_to_someone_who_lost_access(world, plan_url):
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    membership = world.membership("coordinator")
    membership.municipality = world.other_municipality
    membership.save()
    assert client.get(plan_url).status_code == 404


def test_a_page_with_a_message_is_not_kept_and_shows_it(world, plan_url):
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    assert view(client, plan_url)[0]
    response = client.post(reverse("plans:make_current", args=[world.plan.pk]), follow=True)
    assert response.redirect_chain[-1][0] == plan_url
    assert response.get("X-Page-Cache") != "hit"
    (message,) = response.context["messages"]
    assert str(message) in response.content.decode()
    # The message was shown once, and was not kept with the page.
    assert str(message) not in view(client, plan_url)[1]
    assert view(client, plan_url)[0]


def test_no_page_is_kept_when_turned_off(world, plan_url, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    assert not view(client, plan_url)[0]


def test_writes_to_ignored_tables_keep_the_pages(world, plan_url):
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    client.session.save()  # inkludera_session
    cache.set("something", 1)  # the cache itself (locmem here; the database cache's table in production)
    assert view(client, plan_url)[0]


def test_writes_that_change_no_row_keep_the_pages(world, plan_url):
    """A worker's sweeps run every few minutes and mostly find nothing to do."""
    client = signed_in(world, "coordinator")
    view(client, plan_url)
    Goal.objects.filter(pk=-1).update(title="Inget mål har detta id")
    Goal.objects.filter(pk=-1).delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_goal SET title = %s WHERE id = %s", ["Inte heller", -1])
        cursor.execute("DELETE FROM plans_goal WHERE id = %s", [-1])
    assert view(client, plan_url)[0]
    # One row is a change.
    Goal.objects.filter(pk=world.result_goal.pk).update(title="Ett mål ändrat")
    hit, text = view(client, plan_url)
    assert not hit and "Ett mål ändrat" in text


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_when_a_transaction_commits_not_before_nor_on_rollback(world):
    pagecache.new_generation()
    before = cache.get(pagecache.GENERATION_KEY)
    with transaction.atomic():
        Goal.objects.filter(pk=world.goal.pk).update(title="I en transaktion")
        assert cache.get(pagecache.GENERATION_KEY) == before  # not visible to others yet
    assert cache.get(pagecache.GENERATION_KEY) != before
    after = cache.get(pagecache.GENERATION_KEY)
    with pytest.raises(RuntimeError), transaction.atomic():
        Goal.objects.filter(pk=world.goal.pk).update(title="Ångrat")
        raise RuntimeError
    assert cache.get(pagecache.GENERATION_KEY) == after
    # A rolled-back savepoint does not stop the outer transaction's commit from counting.
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Goal.objects.filter(pk=world.goal.pk).update(title="Ångrat igen")
            raise RuntimeError
        Goal.objects.filter(pk=world.goal.pk).update(title="Sparat")
    assert cache.get(pagecache.GENERATION_KEY) != after


@pytest.fixture
def database_cache(settings):
    """The operator's default cache: the generation is written through the same database connection."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inkludera_cache"}
    }
    call_command("createcachetable", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_rows_created_outside_a_transaction_are_kept_and_make_a_new_generation(world, database_cache):
    """On SQLite an INSERT … RETURNING outside a transaction is still running when the
    wrapper sees it: writing the generation then rolled the new row back, silently."""
    from django.core.signals import request_finished

    pagecache.new_generation()
    before = cache.get(pagecache.GENERATION_KEY)
    assert not connection.in_atomic_block  # autocommit, as a command or a view outside a transaction
    goals = [
        Goal.objects.create(plan=world.plan, depth=1, position=90 + i, code=f"9.{i}", title=f"Nytt mål {i}")
        for i in range(3)
    ]
    assert Goal.objects.filter(pk__in=[g.pk for g in goals]).count() == 3  # every row is there
    after = cache.get(pagecache.GENERATION_KEY)
    assert after != before  # replaced by the time the next statement ran
    Goal.objects.create(plan=world.plan, depth=1, position=99, code="9.9", title="Sist")
    request_finished.send(sender=None)  # the end of the request replaces it for the last write
    assert cache.get(pagecache.GENERATION_KEY) != after
    assert Goal.objects.filter(code="9.9").exists()


def test_membership_roles_are_part_of_what_changes(world, plan_url):
    client = signed_in(world, "reader")
    view(client, plan_url)
    Membership.objects.filter(pk=world.membership("reader").pk).update(role=Membership.Role.COORDINATOR)
    hit, text = view(client, plan_url)
    assert not hit and reverse("plans:edit", args=[world.plan.pk]) in text


def test_a_failing_cache_does_not_fail_the_write(world, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(pagecache.cache, "set", broken)
    monkeypatch.setattr(pagecache, "_warned", False)
    Goal.objects.filter(pk=world.goal.pk).update(title="Sparat ändå")
    assert Goal.objects.get(pk=world.goal.pk).title == "Sparat ändå"
    assert "could not be replaced" in caplog.text


def test_expired_pages_are_deleted_from_the_database_cache(world, plan_url):
    """The kept pages hold what staff saw: the scheduled prune deletes them once expired."""
    from datetime import timedelta

    import time_machine
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import timezone

    from worker.tasks import prune_page_cache

    database_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inkludera_cache"}
    with override_settings(CACHES={"default": database_cache}):
        call_command("createcachetable", verbosity=0)
        client = signed_in(world, "coordinator")
        view(client, plan_url)
        assert view(client, plan_url)[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM inkludera_cache WHERE cache_key LIKE %s", [f"%{pagecache.PREFIX}:%"])
            assert cursor.fetchone()[0] == 1
        assert prune_page_cache.call() == 0  # not expired yet
        with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
            assert prune_page_cache.call() >= 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM inkludera_cache WHERE cache_key LIKE %s", [f"%{pagecache.PREFIX}:%"])
            assert cursor.fetchone()[0] == 0
