"""What being signed in costs a request, in queries: the session and its account
in one query (signin/sessions.py), the membership only when a page asks for it,
and a read writes nothing (the session's expiry is renewed at most once every
SESSION_RENEW_SECONDS). Sign-out, a password change and a deactivated account
still end sessions at once. Timings: bench/signed_in_overhead.py.

Run with the operator's default cache, the database cache, as
tests/test_reads_write_nothing.py does: the session must not need it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_user

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inkludera_cache"}
    }
    call_command("createcachetable", verbosity=0)


@pytest.fixture
def bare(settings):
    """The benchmark's URLconf: /_bench/bare/ answers "ok" through all the middleware."""
    settings.ROOT_URLCONF = "bench.bench_urls"
    return "/_bench/bare/"


def sql_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in ctx.captured_queries]


def tables(sql: list[str]) -> list[str]:
    """The table each SELECT reads first (FROM …), in order."""
    return [s.split(" FROM ", 1)[1].split()[0].strip('"') for s in sql if s.lstrip().upper().startswith("SELECT")]


def writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.lstrip().upper().startswith(WRITES)]


def test_sessions_carry_their_account_and_are_not_saved_on_every_request():
    assert settings.SESSION_ENGINE == "signin.sessions"
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_signed_in_bare_request_reads_the_session_with_its_account_in_one_query(world, database_cache, bare):
    anonymous = world.client("anonymous")
    assert sql_of(anonymous, bare) == []
    client = world.client("coordinator")
    client.get(bare)  # the first request after signing in may renew the session
    for _ in range(3):
        sql = sql_of(client, bare)
        # The session with its account joined (its session hash checked); no membership, no
        # message storage, no write.
        assert tables(sql) == ["inkludera_session"], sql
        assert '"auth_user"' in sql[0] and "JOIN" in sql[0], sql
        assert writes(sql) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_on_postgresql_the_session_statement_is_prepared_once_per_connection(world, bare):
    """Bound on the server (lib/postgresql prepared_cursor): psycopg prepares it
    after its fifth run on the connection, and PostgreSQL plans it no more."""
    client = world.client("coordinator")
    for _ in range(8):
        assert client.get(bare).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%inkludera_session%"])
        statements = [row[0] for row in cursor.fetchall()]
    assert len(statements) == 1 and "$1" in statements[0], statements


def test_the_session_row_names_the_account_signed_in_and_only_that(world):
    from signin.models import Session

    client = world.client("anonymous")
    client.get(reverse("login"))
    anonymous_rows = list(Session.objects.all())
    assert all(row.user_id is None for row in anonymous_rows)
    reader = world.client("reader")
    assert reader.get(reverse("home:start")).status_code == 200
    key = reader.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == world.users["reader"].pk
    reader.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_deactivated_account_is_signed_out_on_its_next_request(world):
    client = world.client("contact_a")
    start = reverse("home:start")
    assert client.get(start).status_code == 200
    user = world.users["contact_a"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(start)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_whose_account_column_was_tampered_with_gets_no_one(world):
    """The account comes from the session's data; the column only saves a query."""
    from signin.models import Session

    client = world.client("reader")
    start = reverse("home:start")
    assert client.get(start).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(user=world.users["coordinator"])
    response = client.get(start)
    # The data says the reader: the column's coordinator is not used, and the reader is read instead.
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == world.users["reader"].pk


def test_a_signed_in_start_page_makes_a_constant_small_number_of_queries(world, database_cache):
    client = world.client("coordinator")
    url = reverse("home:start")
    client.get(url)
    client.get(url)  # may fill the shared cache
    before = sql_of(client, url)
    assert writes(before) == []
    read = tables(before)
    assert read[0] == "inkludera_session"  # the session first, with its account
    assert read.count("auth_user") == 0, before  # the account is not read again
    assert read.count("organisations_membership") == 1, before  # so is the membership
    # 3 of them the current plan's trends (followups.selectors.plan_trends), 1 whether the plan names
    # the units that must have a contact person (plans: steering).
    assert len(before) <= 34, before

    # Many more people signed in, with their sessions: the same queries.
    for number in range(20):
        other = make_user(f"extra-{number}", world.municipality, "reader")
        Client().force_login(other)
    after = sql_of(client, url)
    assert len(after) == len(before) and writes(after) == []


def test_a_read_writes_the_session_at_most_once_a_renewal_period(world, database_cache, bare):
    client = world.client("reader")
    client.get(bare)
    expiry = client.session.get_expiry_date()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_RENEW_SECONDS - 5)):
        assert writes(sql_of(client, bare)) == []
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_RENEW_SECONDS + 5)):
        renewed = writes(sql_of(client, bare))
        assert any("inkludera_session" in s for s in renewed), renewed  # the database row's expiry moves
        assert client.session.get_expiry_date() > expiry
        assert writes(sql_of(client, bare)) == []


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(world, database_cache):
    client = world.client("reader")
    start = reverse("home:start")
    assert client.get(start).status_code == 200
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get(start).status_code == 200
    client.post(reverse("logout"))
    response = copy.get(start)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_password_change_ends_the_other_sessions_of_the_account(world, database_cache):
    start = reverse("home:start")
    here, elsewhere = world.client("reader"), world.client("reader")
    assert elsewhere.get(start).status_code == 200
    page = here.get(reverse("password_change"))
    assert page.status_code == 200 and 'name="old_password"' in page.content.decode()
    new = "ett-helt-nytt-lösenord-2026"
    response = here.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert here.get(start).status_code == 200  # the session that changed it stays signed in
    response = elsewhere.get(start)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_membership_is_loaded_once_whichever_is_read_first(world, rf, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from organisations.middleware import MembershipMiddleware

    for first in ("user", "request"):
        request = rf.get("/")
        request.user = get_user_model().objects.get(pk=world.users["contact_a"].pk)
        MembershipMiddleware(lambda request: None)(request)
        with django_assert_num_queries(1):
            if first == "user":
                assert request.user.membership.role == "contact"
                assert request.membership.pk == request.user.membership.pk
            else:
                assert request.membership.municipality == world.municipality  # with its municipality
                assert request.user.membership.pk == request.membership.pk


def test_the_scheduled_job_deletes_expired_sessions_and_keeps_live_ones(world):
    from signin.models import Session
    from worker.tasks import clear_sessions

    live, left = world.client("reader"), world.client("contact_a")
    assert live.get(reverse("home:start")).status_code == 200
    assert left.get(reverse("home:start")).status_code == 200
    left_key = left.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=left_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    clear_sessions.call()
    assert not Session.objects.filter(session_key=left_key).exists()
    assert Session.objects.filter(user=world.users["reader"]).exists()
    assert live.get(reverse("home:start")).status_code == 200
