"""A read writes nothing: every staff page a coordinator, a unit contact and a
reader may open is fetched with a signed-in GET, and no INSERT, UPDATE or
DELETE reaches the database.

The walk is the access matrix's (tests/test_access.py): every URL pattern whose
GET the role may make. It runs with the shared cache in the database, as an
operator has it by default (CACHE_URL unset): a page may fill the cache the
first time it is read, so every page is read twice and the second read must
write nothing. The session is written at sign-in and then at most once every
SESSION_RENEW_SECONDS (lib/middleware.py; tested in lib/tests): here that is
an hour, so a slow walk does not meet the renewal.
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_access import EXPECTED, app_urls, kwargs_for

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def database_cache(settings):
    """The operator's default cache; the tests' migrate made no table for it (they use memory)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inkludera_cache"}
    }
    call_command("createcachetable", verbosity=0)
    settings.SESSION_RENEW_SECONDS = 3600
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """The walk's stored files (an attachment, a report's build) go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


def staff_pages(world, role: str) -> list[str]:
    urls = []
    for name, params in app_urls():
        if name.startswith(("public:", "health-")) or EXPECTED[name][role] != 200:
            continue  # public pages have their own tests; readiness writes to the cache to check it works
        urls.append(reverse(name, kwargs=kwargs_for(name, params, world)))
    return urls


@pytest.mark.parametrize("role", ["coordinator", "contact_a", "reader"])
def test_a_signed_in_get_writes_nothing(world, database_cache, role):
    client = world.client(role)
    client.get(reverse("home:start"))  # the first request after signing in may renew the session
    urls = staff_pages(world, role)
    assert len(urls) > 60, urls  # the walk reaches the staff pages
    for url in urls:
        assert client.get(url).status_code == 200, url  # may fill the shared cache
    writers = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        writes = [q["sql"][:200] for q in ctx.captured_queries if WRITE.match(q["sql"])]
        if writes:
            writers[url] = writes
    assert writers == {}
