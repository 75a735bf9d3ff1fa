"""The access matrix of tests/test_access.py, for this app's URLs alone (quick to run)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from conftest import ROLES
from tests.test_access import EXPECTED, POST_EXPECTED, app_urls, check, kwargs_for

NAMES = [(name, params) for name, params in app_urls() if name.startswith("competence:")]


def test_every_url_is_decided():
    assert NAMES and all(name in EXPECTED for name, _params in NAMES)


@pytest.mark.parametrize("role", ROLES)
def test_get(world, role):
    client = world.client(role)
    for name, params in NAMES:
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        check(client.get(url), EXPECTED[name][role], f"{role} GET {url}")


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("coordinator", "contact_a")])
def test_refused_posts_change_nothing(world, role):
    client = world.client(role)
    kwargs = {name: kwargs_for(name, params, world) for name, params in NAMES}
    events = AuditEvent.objects.count()
    for name, _params in NAMES:
        expected = POST_EXPECTED.get(name, EXPECTED[name])[role]
        if expected == 200:
            continue
        url = reverse(name, kwargs=kwargs[name])
        check(client.post(url, {"title": "Kapad", "date": "2026-01-01", "years": "1"}), expected, f"{role} POST {url}")
    assert AuditEvent.objects.count() == events
