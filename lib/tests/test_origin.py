"""lib.origin: was a POST sent from this site's own page?"""

import pytest
from django.test import RequestFactory

from lib.origin import sent_from_this_site


def post(**headers):
    return RequestFactory().post("/e/abc/", **headers)


@pytest.mark.parametrize(
    ("headers", "own"),
    [
        ({}, True),  # no header at all: an old browser or a privacy tool
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_REFERER": "http://testserver/e/abc/?sprak=sv"}, True),
        ({"HTTP_SEC_FETCH_SITE": "none"}, True),  # typed or bookmarked: not another site
        ({"HTTP_ORIGIN": "https://testserver"}, False),  # another scheme is another origin
        ({"HTTP_ORIGIN": "http://testserver.elak.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        ({"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_REFERER": "https://elak.example/http://testserver/"}, False),
        ({"HTTP_REFERER": "not a url"}, False),
    ],
)
def test_own_pages_and_other_sites(headers, own):
    assert sent_from_this_site(post(**headers)) is own


def test_trusted_origins_count_as_own_including_wildcards(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://inkludera.kommun.se", "https://*.stad.se"]
    assert sent_from_this_site(post(HTTP_ORIGIN="https://inkludera.kommun.se"))
    assert sent_from_this_site(post(HTTP_ORIGIN="https://inkludera.stad.se"))
    assert sent_from_this_site(post(HTTP_REFERER="https://a.b.stad.se/e/abc/"))
    assert not sent_from_this_site(post(HTTP_ORIGIN="http://inkludera.stad.se"))
    assert not sent_from_this_site(post(HTTP_ORIGIN="https://elakstad.se"))
    assert not sent_from_this_site(post(HTTP_ORIGIN="https://kommun.se"))
