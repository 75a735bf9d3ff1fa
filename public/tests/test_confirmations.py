"""Publishing the public site goes through a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from public.models import PublicSite
from public.tests.test_staff_site import PAGE, PUBLISH, filled, form_of
from tests.confirmations import open_confirmation, post_form, sv


def test_publishing_the_site_says_where_and_what_and_asks_first(world):
    client = world.client("coordinator")
    # Not ready: no confirmation, the site page says what is missing.
    response = client.get(PUBLISH)
    assert response.status_code == 302 and response["Location"] == PAGE
    client.post(PAGE, filled(form_of(client, PAGE)) | {"languages": ["en"]})
    assert f'href="{PUBLISH}"' in client.get(PAGE).content.decode()

    text, form = open_confirmation(client, PUBLISH)
    assert sv("Publish the public site?") in text
    assert "http://testserver/0180/" in text
    assert sv("Internal activities, staff names and small counts are never shown.") in text
    assert sv("This cannot be undone.") not in text  # it can be unpublished
    assert not PublicSite.objects.get(municipality=world.municipality).published

    assert post_form(client, form).status_code == 302
    assert PublicSite.objects.get(municipality=world.municipality).published
    # Published: the confirmation is not offered again.
    assert client.get(PUBLISH)["Location"] == reverse("public_staff:site")
