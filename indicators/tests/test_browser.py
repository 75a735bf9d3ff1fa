"""A unit contact follows up an indicator in headless Chromium, with the
accessibility check on every page (fixtures from tests/test_browser.py)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from indicators.demo import load_demo_indicators
from indicators.models import Indicator
from organisations.models import Municipality
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_contact_reads_the_chart_and_enters_a_measurement(page):  # noqa: F811
    stockholm = Municipality.objects.get(code="0180")
    load_demo_indicators(municipality=stockholm, path=Path(settings.BASE_DIR) / "demo" / "stockholm-indicators.yaml")
    indicator = Indicator.objects.get(municipality=stockholm, name="Anställda romska brobyggare")

    sign_in(page, "sthlm-kontakt-sn")
    page.goto(reverse("indicators:list"))
    assert_accessible(page)
    page.locator(f'a[href="{reverse("indicators:detail", args=[indicator.pk])}"]').click()
    assert page.get_by_role("heading", level=1).inner_text() == indicator.name
    chart = page.get_by_role("img", name=indicator.name)
    assert chart.is_visible()
    assert page.locator("table.chart-table tbody tr").count() == 7  # baseline, 4 measurements, 2 targets
    assert_accessible(page)

    page.locator(f'a[href="{reverse("indicators:measurement_create", args=[indicator.pk])}"]').click()
    assert_accessible(page)
    page.locator("#id_period_end").fill("2031-12-31")  # after the indicator's period
    page.locator("#id_value").fill("9")
    page.locator("form.form button[type=submit]").click()
    error = page.locator("#id_period_end_error")
    assert "2030-12-31" in error.inner_text()
    assert page.locator("#id_period_end").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.locator("#id_period_end").fill("2026-11-15")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('indicators:detail', args=[indicator.pk])}")
    assert page.locator("table.chart-table tbody tr").count() == 8
    assert indicator.measurements.filter(value=9).exists()


def test_coordinator_edits_and_assesses(page):  # noqa: F811
    stockholm = Municipality.objects.get(code="0180")
    load_demo_indicators(municipality=stockholm, path=Path(settings.BASE_DIR) / "demo" / "stockholm-indicators.yaml")
    indicator = Indicator.objects.get(municipality=stockholm, name="Öppna samråd med romer per år")

    sign_in(page, "sthlm-samordnare")
    page.goto(reverse("indicators:edit", args=[indicator.pk]))
    assert_accessible(page)
    page.locator("#id_targets-0-value").fill("5")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('indicators:detail', args=[indicator.pk])}")
    assert indicator.targets.get(value=5)

    page.goto(reverse("indicators:assess", args=[indicator.pk]))
    assert_accessible(page)
    page.locator("#id_track").select_option("on_track")
    page.locator("#id_reason").fill("Ett samråd är planerat i december.")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('indicators:detail', args=[indicator.pk])}")
    assert_accessible(page)
    indicator.refresh_from_db()
    assert indicator.track_override == "on_track"
