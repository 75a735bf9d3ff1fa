"""Outreach and the decision log in Chromium (issue 18): a unit's contact enters
a month of outreach (a total that does not add up first), the coordinator
records a decision linked to a samråd and writes its consequence analysis; axe
on each page (the fixtures of tests/test_browser.py)."""

import pytest
from django.utils import timezone

from consultations.models import Consultation
from decisions.models import Decision
from organisations.models import OrgUnit
from outreach.models import OutreachRecord
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_contact_enters_a_month_of_outreach(page):  # noqa: F811 - the fixture
    unit = OrgUnit.objects.get(municipality__name__startswith="Stockholm", short_name="SN")
    month = timezone.localdate().replace(day=1)
    sign_in(page, "sthlm-kontakt-sn")
    page.goto("/uppsokande/")
    assert page.locator("#id_enhet").input_value() == str(unit.pk)  # the contact's own unit first
    assert_accessible(page)
    page.goto(f"/uppsokande/?enhet={unit.pk}&ar={month.year}")
    page.locator(f'a[href="/uppsokande/{unit.pk}/{month.year}/{month.month}/"]').click()
    page.wait_for_url(f"**/uppsokande/{unit.pk}/{month.year}/{month.month}/")
    assert_accessible(page)
    counts = {
        "contacts": 10, "area_skola": 4, "area_socialtjanst": 5, "area_bostad": 0, "area_halsa": 0, "area_arbete": 0,
        "area_ovrigt": 0, "channel_besok": 6, "channel_telefon": 4, "channel_digitalt": 0, "channel_plats": 0,
        "referrals": 3,
    }  # fmt: skip
    for name, n in counts.items():
        page.fill(f"#id_{name}", str(n))
    page.locator("form.form button[type=submit]").click()
    # School 4 + social services 5 is 9, not 10: refused, with the error summary focused.
    page.locator("[data-error-summary]").wait_for()
    assert "9" in page.locator("[data-error-summary]").inner_text()
    assert_accessible(page)
    page.fill("#id_area_socialtjanst", "6")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/uppsokande/?enhet={unit.pk}&ar={month.year}")
    record = OutreachRecord.objects.get(unit=unit, month=month)
    assert (record.contacts, record.area_socialtjanst, record.referrals) == (10, 6, 3)
    row = page.locator("#outreach-grid tbody tr").nth(month.month - 1)
    assert row.locator("td").first.inner_text() == "10"
    assert_accessible(page)
    page.goto("/uppsokande/sammanstallning/")
    assert page.locator("table").count() >= 1
    assert_accessible(page)


def test_the_coordinator_records_a_decision_with_a_consequence_analysis(page):  # noqa: F811 - the fixture
    samrad = Consultation.objects.get(title="Öppet samråd om socialtjänstens brobyggarverksamhet")
    sign_in(page, "sthlm-samordnare")
    page.goto("/beslut/")
    assert page.locator("#decision-log tbody tr").count() >= 4
    assert_accessible(page)
    page.goto("/beslut/nytt/")
    assert_accessible(page)
    page.select_option("#id_body", label="Styrgruppen för romsk inkludering")
    page.fill("#id_decided_on", "2026-09-22")
    page.fill("#id_paragraph", "§ 14")
    page.fill("#id_dnr", "KS 2026/377")
    page.fill("#id_title", "Skolbrobyggarna byggs ut till fler skolor")
    page.check("#id_affects_minority")
    page.locator(f'input[name="consultations"][value="{samrad.pk}"]').check()
    page.locator("form.form button[type=submit]").click()
    decision = Decision.objects.get(title="Skolbrobyggarna byggs ut till fler skolor")
    page.wait_for_url(f"**/beslut/{decision.pk}/")
    assert list(decision.consultations.all()) == [samrad]
    assert_accessible(page)
    page.locator(f'a[href="/beslut/{decision.pk}/konsekvensanalys/"]').click()
    page.wait_for_url(f"**/beslut/{decision.pk}/konsekvensanalys/")
    # The decision's samråd comes chosen.
    assert page.locator(f'input[name="consultations"][value="{samrad.pk}"]').is_checked()
    assert page.locator("#id_consultation_held").is_checked()
    assert_accessible(page)
    page.fill("#id_effects", "Fler romska elever får stöd av skolbrobyggare.")
    page.fill("#id_conclusion", "Beslutet stärker barnens rätt till utbildning och sitt språk.")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/beslut/{decision.pk}/")
    assert "Beslutet stärker barnens rätt" in page.locator("#analysis").inner_text()
    assert list(decision.analysis.consultations.all()) == [samrad]
    assert_accessible(page)
