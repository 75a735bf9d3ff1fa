"""Deleting an indicator goes through a confirmation page (lib/confirm.py)."""

from datetime import date

from django.urls import reverse

from indicators.models import Indicator
from indicators.tests.factories import make_indicator
from tests.confirmations import open_confirmation, post_form, sv


def test_deleting_an_indicator_counts_its_measurements(world):
    indicator = make_indicator(world, measurements=((date(2023, 12, 31), "15"), (date(2024, 12, 31), "20")))
    client = world.client("coordinator")
    url = reverse("indicators:delete", args=[indicator.pk])
    text, form = open_confirmation(client, url)
    assert sv("Delete the indicator?") in text and indicator.name in text
    assert "Indikatorn tas bort med utgångsvärde, målvärden och 2 mätvärden." in text
    assert Indicator.objects.filter(pk=indicator.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
