"""Deleting an event goes through a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from events.models import Event
from tests.confirmations import open_confirmation, post_form, sv
from tests.test_access import event_of


def test_deleting_a_public_event_says_it_leaves_the_public_site(world):
    event = event_of(world)
    client = world.client("contact_a")
    url = reverse("events:delete", args=[event.pk])
    text, form = open_confirmation(client, url)
    assert sv("Delete the event?") in text and event.title in text and "Ja, ta bort evenemanget" in text
    assert sv("It disappears from the public site and its calendar.") in text
    assert Event.objects.filter(pk=event.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
