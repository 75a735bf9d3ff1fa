"""Fixtures of the public pages' tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from public.services import site_for, site_publish, site_update


def publish_site(municipality, *, languages=("en", "rmy-x-kalderas")):
    """The municipality's public site, published, offering ``languages`` besides Swedish."""
    site = site_for(municipality)
    today = timezone.localdate()
    site_update(
        site=site,
        by=None,
        data={
            "contact_email": "minoriteter@kommun.example",
            "languages": list(languages),
            "assessed_on": today - timedelta(days=7),
            "statement_updated_on": today - timedelta(days=1),
            "data_controller": "Kommunstyrelsen",
        },
    )
    return site_publish(site=site, by=None)


@pytest.fixture
def site(world):
    """The world's municipality (0180) with a published site in sv, en and kalderash."""
    return publish_site(world.municipality)
