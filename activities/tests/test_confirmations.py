"""Deleting an activity or a progress note goes through a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from activities.models import Activity, ProgressNote
from tests.confirmations import open_confirmation, post_form, sv


def test_deleting_an_activity_says_what_goes_and_asks_first(world):
    ProgressNote.objects.create(activity=world.activity, text="Andra rapporten.", author_name="Kontakt A")
    world.activity.visibility = Activity.Visibility.PUBLIC
    world.activity.save(update_fields=["visibility"])
    client = world.client("contact_a")
    detail = client.get(reverse("activities:detail", args=[world.activity.pk])).content.decode()
    url = reverse("activities:delete", args=[world.activity.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation, not a form that deletes

    text, form = open_confirmation(client, url)
    assert sv("Delete the activity?") in text
    assert world.activity.title in text
    assert "Dess 2 lägesrapporter tas också bort." in text
    assert sv("It disappears from the public site.") in text
    assert "Det går inte att ångra." in text and "Ja, ta bort aktiviteten" in text
    assert Activity.objects.filter(pk=world.activity.pk).exists()

    response = post_form(client, form)
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=world.activity.pk).exists()


def test_deleting_a_progress_note_asks_first(world):
    client = world.client("coordinator")
    url = reverse("activities:note_delete", args=[world.note.pk])
    detail = client.get(reverse("activities:detail", args=[world.activity.pk])).content.decode()
    assert f'href="{url}"' in detail

    text, form = open_confirmation(client, url)
    assert sv("Delete the progress note?") in text
    assert world.note.text in text
    assert sv("It disappears from the public site.") not in text  # the note is not public
    assert ProgressNote.objects.filter(pk=world.note.pk).exists()
    assert "Ja, ta bort lägesrapporten" in text

    assert post_form(client, form).status_code == 302
    assert not ProgressNote.objects.filter(pk=world.note.pk).exists()
