"""A unit contact registers a training occasion and the computed indicator of
goal 1.1 moves (competence/, docs/competence.md), with the accessibility check
on every page (fixtures from tests/test_browser.py; the demo is loaded)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from competence.models import StaffGroup, Training
from indicators.models import Indicator
from organisations.models import Municipality, OrgUnit
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_a_contact_registers_an_occasion_that_moves_the_indicator(page):  # noqa: F811
    stockholm = Municipality.objects.get(code="0180")
    indicator = Indicator.objects.get(municipality=stockholm, source_kind=Indicator.Source.COMPUTED_TRAINING)
    training = Training.objects.get(municipality=stockholm, title__startswith="I bemötandet")
    sn = OrgUnit.objects.get(municipality=stockholm, short_name="SN")
    social = StaffGroup.objects.get(municipality=stockholm, name="Socialsekreterare")
    # The demo's 2026 value: 137 of 742 staff (docs/competence.md, competence/tests/test_demo.py).
    assert indicator.measurements.get(period_end__year=2026).value == Decimal("18.5")

    sign_in(page, "sthlm-kontakt-sn")
    page.goto(reverse("competence:list"))
    assert_accessible(page)
    page.locator(f'a[href="{reverse("competence:detail", args=[training.pk])}"]').first.click()
    assert page.get_by_role("heading", level=1).inner_text() == training.title
    assert_accessible(page)
    page.locator(f'a[href="{reverse("competence:occasion_create", args=[training.pk])}"]').click()
    assert_accessible(page)
    # Only the contact's own unit to choose (and the empty choice).
    assert page.locator("#id_rader-0-unit option").count() == 2
    page.locator("#id_date").fill("2026-11-20")
    page.locator("#id_rader-0-unit").select_option(str(sn.pk))
    page.locator("#id_rader-0-staff_group").select_option(str(social.pk))
    page.locator("#id_rader-0-participants").fill("30")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('competence:detail', args=[training.pk])}")
    assert "30" in page.locator("table").first.inner_text()
    assert_accessible(page)

    # SN's social workers: 27 + 30 of 152; the municipality: 167 of 742 = 22.5 %.
    page.goto(reverse("indicators:detail", args=[indicator.pk]))
    assert "22,5" in page.locator("table.chart-table").inner_text()
    assert page.locator(f'a[href="{reverse("indicators:measurement_create", args=[indicator.pk])}"]').count() == 0
    assert_accessible(page)
    assert indicator.measurements.get(period_end__year=2026).value == Decimal("22.5")

    page.goto(reverse("competence:overview") + "?ar=2026")
    assert "22,5" in page.locator("tfoot").inner_text()
    assert_accessible(page)
    page.goto(reverse("competence:headcounts", args=[sn.pk]) + "?ar=2026")
    assert page.locator(f"#id_group_{social.pk}").input_value() == "152"
    assert_accessible(page)
