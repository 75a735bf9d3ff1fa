"""The coordinator marks an indicator "published as open data" on its form; the
indicator's page says whether it is."""

from __future__ import annotations

from django.urls import reverse

from indicators.models import Indicator
from indicators.tests.factories import make_indicator
from indicators.tests.test_indicator_views import NAME, indicator_post


def test_a_new_indicator_is_not_published(world):
    assert world.client("coordinator").post(reverse("indicators:create"), indicator_post(world)).status_code == 302
    assert Indicator.objects.get(name=NAME).public is False


def test_the_coordinator_publishes_an_indicator_and_its_page_says_so(world, client):
    indicator = make_indicator(world)
    coordinator = world.client("coordinator")
    page = coordinator.get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert "Inte publicerad som öppna data." in page
    form = coordinator.get(reverse("indicators:edit", args=[indicator.pk])).content.decode()
    assert 'name="public"' in form and "Publiceras som öppna data" in form

    url = reverse("opendata:indicators", args=[world.municipality.code])
    assert client.get(url).json()["count"] == 0
    data = indicator_post(world, version=1, public="on")
    assert coordinator.post(reverse("indicators:edit", args=[indicator.pk]), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.public is True
    page = coordinator.get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert "Publicerad som öppna data" in page
    assert [i["name"] for i in client.get(url).json()["results"]] == [NAME]

    del data["public"]  # an unticked box is not posted
    data["version"] = 2
    assert coordinator.post(reverse("indicators:edit", args=[indicator.pk]), data).status_code == 302
    assert client.get(url).json()["count"] == 0
