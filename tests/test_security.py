"""The security baseline: sign-in, throttling, headers, sessions, production settings."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from home.checks import check_secret_key_is_set
from lib.net import client_address


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
    assert settings.SESSION_SAVE_EVERY_REQUEST
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
