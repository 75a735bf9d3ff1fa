"""The frame every public page shares: addresses, languages, headers."""

import pytest

from public.services import site_for, site_publish, text_save
from public.translation import TextStatus


def test_an_unpublished_site_is_not_found(world):
    site_for(world.municipality)
    for url in ["/0180/", "/0180/en/", "/0180/tillganglighet/", "/0126/"]:
        assert world.client("anonymous").get(url).status_code == 404


def test_a_site_cannot_be_published_without_its_statement(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        site_publish(site=site_for(world.municipality), by=None)


def test_a_language_not_offered_goes_to_the_swedish_page(site, world):
    response = world.client("anonymous").get("/0180/arli/tillganglighet/")
    assert response.status_code == 302
    assert response["Location"] == "/0180/tillganglighet/"
    assert world.client("anonymous").get("/0180/sv/tillganglighet/")["Location"] == "/0180/tillganglighet/"


def test_headers_no_cookies_no_scripts(site, world):
    for role in ["anonymous", "coordinator"]:
        response = world.client(role).get("/0180/en/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        csp = response["Content-Security-Policy"]
        assert "script-src 'none'" in csp and "form-action 'none'" in csp
        # Not even a signed-in person's renewed session cookie: a shared cache may keep the answer.
        assert not response.cookies
    html = world.client("anonymous").get("/0180/en/").content.decode()
    assert "<script" not in html and "<form" not in html and "csrfmiddlewaretoken" not in html


def test_texts_in_the_language_asked_or_swedish_marked_so(site, world):
    municipality = world.municipality
    text_save(
        obj=site,
        municipality=municipality,
        language="sv",
        texts={"intro": "Vi arbetar för romsk inkludering."},
        by=None,
    )
    client = world.client("anonymous")
    html = client.get("/0180/en/").content.decode()
    assert '<div lang="sv" class="lead"><p>Vi arbetar för romsk inkludering.</p></div>' in html
    assert html.count('class="fallback-note"') == 1
    assert '<html lang="en">' in html

    text_save(
        obj=site, municipality=municipality, language="en", texts={"intro": "We work for Roma inclusion."}, by=None
    )
    html = client.get("/0180/en/").content.decode()
    assert '<div lang="en" class="lead"><p>We work for Roma inclusion.</p></div>' in html
    assert 'class="fallback-note"' not in html

    # Kalderash: no texts; the page frame is Swedish, the note is the Swedish one, marked sv.
    html = client.get("/0180/kalderash/").content.decode()
    assert '<html lang="sv">' in html
    assert '<div lang="sv" class="lead">' in html
    assert '<p lang="sv" class="fallback-note">' in html
    assert 'hreflang="rmy-x-kalderas"' in html


def test_a_changed_swedish_text_takes_its_translations_off_the_page(site, world):
    municipality = world.municipality
    text_save(obj=site, municipality=municipality, language="sv", texts={"intro": "Första."}, by=None)
    text_save(obj=site, municipality=municipality, language="en", texts={"intro": "First."}, by=None)
    text_save(obj=site, municipality=municipality, language="sv", texts={"intro": "Andra."}, by=None)
    html = world.client("anonymous").get("/0180/en/").content.decode()
    assert "First." not in html and '<div lang="sv" class="lead"><p>Andra.</p></div>' in html
    assert site.translations.get(language_code="en").text_status == TextStatus.IN_TRANSLATION

    # A correction keeps the translation.
    text_save(obj=site, municipality=municipality, language="en", texts={"intro": "Second."}, by=None)
    text_save(obj=site, municipality=municipality, language="sv", texts={"intro": "Andra!"}, by=None, correction=True)
    assert "Second." in world.client("anonymous").get("/0180/en/").content.decode()


def test_a_translation_in_progress_is_not_shown(site, world):
    municipality = world.municipality
    text_save(obj=site, municipality=municipality, language="sv", texts={"intro": "Svensk text."}, by=None)
    text_save(
        obj=site,
        municipality=municipality,
        language="en",
        texts={"intro": "Half done"},
        by=None,
        status=TextStatus.IN_TRANSLATION,
    )
    html = world.client("anonymous").get("/0180/en/").content.decode()
    assert "Half done" not in html and "Svensk text." in html
