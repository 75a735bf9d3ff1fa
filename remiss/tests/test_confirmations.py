"""Sending and closing a remiss go through a confirmation page (lib/confirm.py) that
says who gets e-mail and who can no longer answer."""

from django.urls import reverse
from django.utils import timezone

from outbox.models import OutgoingMail
from remiss.models import Remiss
from remiss.tests.test_remiss import new_remiss
from tests.confirmations import open_confirmation, post_form, sv


def test_sending_counts_the_e_mails_and_asks_first(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    remiss = new_remiss(world, units=[world.unit_a, world.unit_b])
    client = world.client("coordinator")
    url = reverse("remiss:send", args=[remiss.pk])
    assert f'href="{url}"' in client.get(reverse("remiss:detail", args=[remiss.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert "går till 3 remissinstanser" in text
    assert "3 e-postmeddelanden skickas nu" in text
    assert "Ja, skicka remissen" in text
    assert form.data["sent_on"] == [timezone.localdate().isoformat()]  # the sending date, today unless changed
    assert Remiss.objects.get(pk=remiss.pk).status == Remiss.Status.DRAFT and not OutgoingMail.objects.exists()

    assert post_form(client, form).status_code == 302
    assert Remiss.objects.get(pk=remiss.pk).status == Remiss.Status.SENT
    assert OutgoingMail.objects.count() == 3

    # Closing: who has not answered can no longer answer themselves.
    close = reverse("remiss:close", args=[remiss.pk])
    assert f'href="{close}"' in client.get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    text, form = open_confirmation(client, close)
    assert "3 av 3 remissinstanser har inte svarat: de kan inte längre svara själva." in text
    assert Remiss.objects.get(pk=remiss.pk).status == Remiss.Status.SENT

    assert post_form(client, form).status_code == 302
    assert Remiss.objects.get(pk=remiss.pk).status == Remiss.Status.CLOSED


def test_a_unit_without_contacts_is_named_on_the_sending_page(world):
    remiss = new_remiss(world, units=[world.unit_ks], organisations="")
    text, _form = open_confirmation(world.client("coordinator"), reverse("remiss:send", args=[remiss.pk]))
    assert f"Ingen e-post går till {remiss.bodies.get().display_name}" in text
    assert sv("This cannot be undone.") in text
