"""Finalising an inventory's results and removing a theme or a way forward go through
a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from inventories.models import Coding, Inventory, Recommendation, Theme
from tests.confirmations import open_confirmation, post_form, sv
from tests.test_access import inventory_of


def test_finalising_the_results_says_what_is_frozen_and_asks_first(world):
    inventory = inventory_of(world)
    client = world.client("contact_a")
    url = reverse("inventories:finalise", args=[inventory.pk])
    page = client.get(reverse("inventories:results", args=[inventory.pk])).content.decode()
    assert f'href="{url}"' in page

    text, form = open_confirmation(client, url)
    assert sv("Finalise the results?") in text and "Ja, fastställ resultaten" in text
    assert "1 dialogmöte räknas in." in text
    assert sv("They are not on the public site until the inventory's results are published.") in text
    assert not Inventory.objects.get(pk=inventory.pk).is_finalised

    assert post_form(client, form).status_code == 302
    assert Inventory.objects.get(pk=inventory.pk).is_finalised
    # Finalised: the confirmation is not offered again.
    response = client.get(url, follow=True)
    assert sv("The results are already finalised.") in response.content.decode()


def test_removing_a_theme_counts_its_codings_and_asks_first(world):
    inventory = inventory_of(world)
    theme = inventory.themes.first()
    note = inventory.notes.first()
    Coding.objects.create(theme=theme, note=note, decision=Coding.Decision.CONFIRMED)
    client = world.client("coordinator")
    url = reverse("inventories:theme_delete", args=[theme.pk])
    assert f'href="{url}"' in client.get(reverse("inventories:theme_edit", args=[theme.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert "1 svar, anteckning eller citat är kodat till det: den kodningen tas bort." in text
    assert Coding.objects.filter(theme=theme).exists()

    assert post_form(client, form).status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert inventory.notes.filter(pk=note.pk).exists()  # the note itself stays


def test_removing_a_way_forward_asks_first(world):
    inventory = inventory_of(world)
    rec = inventory.recommendations.first()
    client = world.client("contact_a")
    url = reverse("inventories:recommendation_delete", args=[rec.pk])
    assert f'href="{url}"' in client.get(reverse("inventories:detail", args=[inventory.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert sv("Remove the way forward?") in text and rec.title in text
    assert Recommendation.objects.filter(pk=rec.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not Recommendation.objects.filter(pk=rec.pk).exists()
