"""Personal details and cookies on the public site, as an attacker tries them
(review of issue 14): every language of a public text is checked, names hide
neither in the genitive nor behind invisible characters, staff are never
named, public answers carry no cookie, and an unpublished site takes the API's
public datasets down with its pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations import services
from public.services import PersonalDetails, site_for, site_publish, text_save
from public.tests.conftest import site  # noqa: F401  (fixture)
from public.tests.test_feedback import feedback_world, publish  # noqa: F401  (fixture)
from public.translations import find_unit

BAD = "Hanna Hemligsson (070-123 45 67, hanna@example.se) vill ha fler brobyggare."


def test_a_translation_of_a_published_view_is_checked_like_the_swedish(feedback_world):  # noqa: F811
    world = feedback_world
    with pytest.raises(services.NotAllowedNow):
        publish(world.view, BAD)
    unit = find_unit(world.municipality, "en", f"view:{world.view.pk}:said")
    url = reverse("public_staff:translation", kwargs={"lang": "en", "key": unit.key})
    page = world.client("coordinator").get(url).content.decode()
    assert 'name="source_digest"' in page and 'name="text_version"' in page
    response = world.client("coordinator").post(
        url, {"text": BAD, "status": "klar", "text_version": unit.version, "source_digest": unit.digest}
    )
    assert response.status_code == 400
    assert "personuppgifter" in response.content.decode()
    html = world.client("anonymous").get(f"/0180/en/aterkoppling/{world.consultation.pk}/").content.decode()
    assert "Hemligsson" not in html and "070-123 45 67" not in html and "hanna@example.se" not in html
    # The service itself refuses, whatever calls it (the XLSX import too).
    with pytest.raises(PersonalDetails):
        text_save(obj=world.view, municipality=world.municipality, language="en", texts={"said": BAD}, by=None)


@pytest.mark.parametrize(
    "said",
    [
        "Hanna Hemligssons förslag var fler brobyggare.",  # the genitive
        "Hanna Hemligsson:s förslag var fler brobyggare.",
        "Hanna Hemlig\u00adsson vill ha fler brobyggare.",  # a soft hyphen, invisible in a browser
        "Hanna He\u200bmligsson vill ha fler brobyggare.",  # a zero-width space
        "Hanna ＨＥＭＬＩＧＳＳＯＮ vill ha fler brobyggare.",  # full-width letters
    ],
)
def test_a_name_hides_neither_in_the_genitive_nor_behind_invisible_characters(feedback_world, said):  # noqa: F811
    with pytest.raises(services.NotAllowedNow):
        publish(feedback_world.view, said)


def test_staff_are_never_named_in_a_public_text(feedback_world):  # noqa: F811
    world = feedback_world
    staff = world.users["coordinator"]
    with pytest.raises(services.NotAllowedNow):
        publish(world.view, f"{staff.last_name} på socialförvaltningen lovade fler brobyggare.")
    # Not in any other public text either (the site's contact text, in any language).
    site_ = site_for(world.municipality)
    with pytest.raises(PersonalDetails):
        text_save(
            obj=site_,
            municipality=world.municipality,
            language="sv",
            texts={"contact_text": f"Kontakta {staff.get_full_name()}."},
            by=None,
        )


def test_a_public_answer_carries_no_cookie_even_for_a_signed_in_person(feedback_world):  # noqa: F811
    from datetime import timedelta

    import time_machine
    from django.conf import settings
    from django.utils import timezone

    world = feedback_world
    # A moment when the signed-in session is due to be renewed (it is at most once a minute).
    due = timezone.now() + timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1)
    for url in ["/0180/", "/0180/kalender.ics", f"/0180/aterkoppling/{world.consultation.pk}/"]:
        client = world.client("coordinator")
        with time_machine.travel(due, tick=False):
            response = client.get(url)
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        assert not response.cookies, url
    # A staff page at that moment renews the session: the cookie would have been sent.
    client = world.client("coordinator")
    with time_machine.travel(due, tick=False):
        assert "sessionid" in client.get("/").cookies


def test_unpublishing_the_site_takes_its_views_and_events_out_of_the_api(feedback_world):  # noqa: F811
    from django.utils import timezone

    from events.models import Event

    world = feedback_world
    event = Event.objects.create(
        municipality=world.municipality, title="Romska nationaldagen", starts_at=timezone.now(), is_public=True
    )
    event.organisers.set([world.unit_a])
    client = world.client("anonymous")
    feedback_api = reverse("opendata:feedback", args=["0180"])
    assert "Fler brobyggare behövs i söderort." in client.get(feedback_api).content.decode()
    assert client.get(reverse("opendata:events", args=["0180"])).json()["count"] == 1
    site_publish(site=site_for(world.municipality), by=None, published=False)
    assert client.get("/0180/").status_code == 404
    assert "Fler brobyggare behövs i söderort." not in client.get(feedback_api).content.decode()
    assert client.get(reverse("opendata:events", args=["0180"])).json()["count"] == 0
