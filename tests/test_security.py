"""The security baseline: sign-in, throttling, headers, sessions, production settings."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from conftest import PASSWORD, make_user
from home.checks import check_secret_key_is_set
from lib.net import client_address
from outbox.models import OutgoingMail


def sign_in(username: str, password: str, ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.response = client.post(reverse("login"), {"username": username, "password": password})
    return client


def test_sign_in_with_username_or_email(world):
    assert sign_in("reader", PASSWORD, "10.0.0.1").response.status_code == 302
    assert sign_in("READER@example.se", PASSWORD, "10.0.0.1").response.status_code == 302
    wrong = sign_in("reader", "wrong", "10.0.0.1").response
    assert wrong.status_code == 200 and wrong.context["form"].errors


def test_lockout_is_by_username_and_ip_with_a_cool_off(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("reader", "wrong", "10.0.0.1")
    locked = sign_in("reader", PASSWORD, "10.0.0.1").response
    assert locked.status_code == 429
    # The same person from another address, and another person from the same address, still get in.
    assert sign_in("reader", PASSWORD, "10.0.0.2").response.status_code == 302
    assert sign_in("coordinator", PASSWORD, "10.0.0.1").response.status_code == 302
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_locked_out_user_is_not_signed_in(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("reader", "wrong", "10.0.0.9")
    client = sign_in("reader", PASSWORD, "10.0.0.9")
    assert client.get(reverse("home:start")).status_code == 302


def test_security_headers_on_pages(world):
    response = world.client("reader").get(reverse("plans:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_ends_after_idle_time(world):
    client = world.client("reader")
    client.get(reverse("home:start"))
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("plans:create"), {"title": "X"})
    assert response.status_code == 403


def test_development_key_is_refused_in_deploy_checks(settings):
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    assert [e.id for e in check_secret_key_is_set(None)] == ["inkludera.E001"]
    settings.SECRET_KEY = "x" * 60
    assert check_secret_key_is_set(None) == []


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (True, {"REMOTE_ADDR": "10.1.1.1"}, "10.1.1.1"),
        (True, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.7"}, "192.0.2.7"),
        (False, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.7"}, "10.1.1.1"),
    ],
)
def test_the_client_address_trusts_only_the_proxys_last_hop(rf, settings, behind_proxy, meta, expected):
    settings.BEHIND_TLS_PROXY = behind_proxy
    request = rf.get("/", **meta)
    assert client_address(request) == expected


def test_sign_in_lockout_behind_the_proxy_is_per_client(world, settings):
    """Through the proxy, one client's failures lock that client out, not everyone;
    without the proxy, a forged X-Forwarded-For does not escape the lockout."""
    settings.BEHIND_TLS_PROXY = True
    proxy = "10.0.0.254"

    def through_proxy(client_ip: str, password: str):
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=client_ip).post(
            reverse("login"), {"username": "reader", "password": password}
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("198.51.100.1", "wrong")
    assert through_proxy("198.51.100.1", PASSWORD).status_code == 429
    assert through_proxy("198.51.100.2", PASSWORD).status_code == 302
    settings.BEHIND_TLS_PROXY = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("198.51.100.3", "wrong")
    assert through_proxy("198.51.100.4", PASSWORD).status_code == 429  # the forged header changes nothing


def test_the_open_data_limit_counts_clients_behind_the_proxy_apart(rf, settings):
    from django.core.cache import cache

    from opendata.throttling import OpenDataRateLimit

    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 1
    cache.clear()

    def allowed(client_ip: str) -> bool:
        request = rf.get("/api/v1/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=client_ip)
        return OpenDataRateLimit().allow_request(request, None)

    try:
        settings.BEHIND_TLS_PROXY = True
        assert [allowed("198.51.100.1"), allowed("198.51.100.1"), allowed("198.51.100.2")] == [True, False, True]
        cache.clear()
        settings.BEHIND_TLS_PROXY = False  # the header is the client's word: ignored
        assert [allowed("198.51.100.1"), allowed("198.51.100.2")] == [True, False]
    finally:
        cache.clear()


# --- Issue 13: sessions, caching, password links, the development key ----------------


def _active_until(client, clock, until) -> None:
    """A request every 25 minutes, within the idle timeout, until ``until``: each one served."""
    while timezone.now() + timedelta(minutes=25) < until:
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("home:start")).status_code == 200, timezone.now()


def test_a_session_ends_after_its_lifetime_however_active(world, settings):
    assert settings.SESSION_LIFETIME == 12 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        client.get(reverse("login"))
        assert client.post(reverse("login"), {"username": "reader", "password": PASSWORD}).status_code == 302
        _active_until(client, clock, start + timedelta(hours=11, minutes=59))
        clock.move_to(start + timedelta(hours=12, minutes=1))
        response = client.get(reverse("home:start"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        # Signed out for good, and the sign-in page says why.
        page = client.get(response["Location"]).content.decode()
        with translation.override("sv"):
            why = ngettext(
                "You have been signed out: a session lasts at most %(hours)s hour.",
                "You have been signed out: a session lasts at most %(hours)s hours.",
                12,
            ) % {"hours": 12}
        assert why in page and reverse("logout") not in page
        assert client.get(reverse("plans:list")).status_code == 302
        # Signing in again starts a new lifetime.
        assert client.post(reverse("login"), {"username": "reader", "password": PASSWORD}).status_code == 302
        clock.shift(timedelta(minutes=5))
        assert client.get(reverse("home:start")).status_code == 200


def test_a_session_from_before_the_rule_gets_its_lifetime_from_its_next_request(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = world.client("reader")  # a session without a sign-in time
        assert client.get(reverse("home:start")).status_code == 200
        _active_until(client, clock, start + timedelta(hours=11, minutes=59))
        clock.move_to(start + timedelta(hours=12, minutes=1))
        assert client.get(reverse("home:start")).status_code == 302


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_signed_in_pages_and_downloads_are_not_stored(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from reports.models import Build, CouncilReport

    settings.MEDIA_ROOT = tmp_path
    coordinator = world.client("coordinator")
    page = coordinator.get(reverse("plans:list"))
    assert page.status_code == 200 and _no_store(page) and "private" in page["Cache-Control"]
    xlsx = coordinator.get(reverse("plans:xlsx", args=[world.plan.pk]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"] and _no_store(xlsx)
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Rapport")
    build = Build(report=report, status=Build.Status.DONE, progress=100, finished_at=timezone.now())
    build.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    build.save()
    pdf = coordinator.get(reverse("reports:build_pdf", args=[build.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == b"%PDF-1.7 test" and _no_store(pdf)


def test_an_explicitly_public_answer_keeps_its_cache_header(rf, world):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from lib.middleware import NoStoreWhenSignedInMiddleware

    def public_view(request):
        response = HttpResponse("open data")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = rf.get("/")
    request.user = world.users["reader"]
    assert NoStoreWhenSignedInMiddleware(public_view)(request)["Cache-Control"] == "public, max-age=600"
    private = NoStoreWhenSignedInMiddleware(lambda r: HttpResponse("mine"))(request)
    assert _no_store(private)
    # A signed-out visitor's answer is left to the view.
    request.user = AnonymousUser()
    assert not _no_store(NoStoreWhenSignedInMiddleware(lambda r: HttpResponse("open"))(request))


def _reset_link(world, django_capture_on_commit_callbacks, mailoutbox) -> str:
    client = Client()
    client.get(reverse("password_reset"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "READER@example.se"})
        assert response.status_code == 302
    # Recorded, not sent while the request ran; sent after the commit.
    assert mailoutbox == []
    assert OutgoingMail.objects.get().kind == OutgoingMail.Kind.PASSWORD_RESET
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["reader@example.se"]]
    return re.search(r"https?://\S+", mailoutbox[0].body).group(0)


def test_a_password_reset_link_is_valid_two_hours(world, settings, django_capture_on_commit_callbacks, mailoutbox):
    assert settings.PASSWORD_RESET_TIMEOUT == 2 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        link = _reset_link(world, django_capture_on_commit_callbacks, mailoutbox)
        clock.move_to(start + timedelta(hours=2, minutes=1))
        late = Client().get(link)
        assert late.status_code == 200 and not late.context["validlink"]
        clock.move_to(start + timedelta(hours=1, minutes=59))
        in_time = Client().get(link, follow=True)
        assert in_time.context["validlink"] and "new_password1" in in_time.content.decode()


def test_an_invitation_is_valid_days_but_a_reset_link_is_not(world, settings):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from home.tokens import invitation_token_generator

    user = world.users["reader"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))

    def valid(token: str) -> bool:
        url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        return Client().get(url, follow=True).context["validlink"]

    assert settings.INVITATION_TIMEOUT == 7 * 86400
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        invitation, reset = invitation_token_generator.make_token(user), default_token_generator.make_token(user)
        clock.move_to(start + timedelta(days=6, hours=23))
        assert valid(invitation) and not valid(reset)
        clock.move_to(start + timedelta(days=7, hours=1))
        assert not valid(invitation)
        # A reset token is not an invitation token with a longer life.
        assert not invitation_token_generator.check_token(user, reset)


def _import_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "PYTEST_VERSION")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=settings.BASE_DIR, env=clean | env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_the_development_key_is_refused_at_start_when_debug_is_off():
    refused = _import_settings(DEBUG="0")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "SECRET_KEY" in refused.stderr
    dev_key = _import_settings(DEBUG="0", SECRET_KEY=settings.DEV_SECRET_KEY)
    assert dev_key.returncode != 0 and "ImproperlyConfigured" in dev_key.stderr
    assert _import_settings(DEBUG="0", SECRET_KEY="k" * 50).returncode == 0
    assert _import_settings(DEBUG="1").returncode == 0


def _manage(*args) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "PYTEST_VERSION")}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_development_tools_run_without_a_key_but_nothing_that_serves_sends_or_signs():
    """A fresh checkout can check its migrations; it cannot serve, send mail or make links."""
    tool = _manage("makemigrations", "--check", "--dry-run")
    assert tool.returncode == 0, tool.stderr
    for command in (["send_mail_outbox"], ["create_municipality", "0000", "Testkommun", "a@example.se"]):
        refused = _manage(*command)
        assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr, command


def test_a_new_person_without_a_password_can_ask_for_a_link_but_a_closed_account_cannot(world):
    invited = make_user("ny_kontakt", world.municipality, "contact")
    invited.set_unusable_password()
    invited.save()
    closed = make_user("slutat", world.municipality, "reader")
    closed.is_active = False
    closed.save()
    for email in ("NY_KONTAKT@example.se", "slutat@example.se", "ingen@example.se"):
        client = Client()
        client.get(reverse("password_reset"))
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["ny_kontakt@example.se"]


def test_reset_mails_to_one_account_are_at_most_one_per_ten_minutes(world):
    """Anyone can type someone's address into the reset form: posting it a thousand
    times queued a thousand mails to that person. The page answers the same either
    way, so it tells nobody whether a mail went."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        client.get(reverse("password_reset"))
        for _ in range(5):
            response = client.post(reverse("password_reset"), {"email": "reader@example.se"})
            assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        client.post(reverse("password_reset"), {"email": "coordinator@example.se"})
        assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == [
            "coordinator@example.se",
            "reader@example.se",
        ]
        clock.shift(timedelta(minutes=10))
        client.post(reverse("password_reset"), {"email": "READER@example.se"})
        assert OutgoingMail.objects.filter(to="reader@example.se").count() == 2
