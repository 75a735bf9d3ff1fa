"""Deleting what was entered by mistake (training, decision log, outreach) in
Debian's Chromium on the demo: a training deleted by keyboard through its
confirmation page, a body in use refused with its counts, the outreach month's
"Ta bort månaden"; axe (every rule) on each page."""

import pytest

from tests.test_browser import browser, page, sign_in  # noqa: F401 (the module's browser and demo)
from tests.test_print_and_small_screens import assert_fully_accessible

pytestmark = pytest.mark.browser


def press_enter_on(tab, locator) -> None:
    locator.focus()
    tab.keyboard.press("Enter")


def test_deleting_in_the_knowledge_and_competence_areas(page):  # noqa: F811
    from django.urls import reverse

    from competence.models import Training
    from decisions.models import Body
    from outreach.models import OutreachRecord

    sign_in(page, "sthlm-samordnare")

    # A training, by keyboard: the link, the confirmation (axe), the button.
    training = Training.objects.filter(municipality__code="0180", occasions__isnull=False).distinct().first()
    page.goto(reverse("competence:detail", args=[training.pk]))
    press_enter_on(page, page.get_by_role("link", name="Ta bort utbildning", exact=True))
    page.wait_for_url(f"**{reverse('competence:delete', args=[training.pk])}")
    assert page.get_by_role("heading", level=1).inner_text() == "Ta bort utbildningen?"
    assert "tillfälle" in page.locator("main").inner_text()
    assert_fully_accessible(page)
    press_enter_on(page, page.get_by_role("button", name="Ja, ta bort utbildningen"))
    page.wait_for_url(f"**{reverse('competence:list')}")
    assert training.title in page.locator(".messages").inner_text()
    assert not Training.objects.filter(pk=training.pk).exists()

    # A body with decisions: refused, the body's page says why (axe on it).
    body = Body.objects.filter(municipality__code="0180", decisions__isnull=False).distinct().first()
    page.goto(reverse("decisions:body", args=[body.pk]))
    press_enter_on(page, page.get_by_role("link", name="Ta bort organ", exact=True))
    page.wait_for_url(f"**{reverse('decisions:body', args=[body.pk])}")
    assert "Organet kan inte tas bort" in page.locator(".messages").inner_text()
    assert_fully_accessible(page)
    assert Body.objects.filter(pk=body.pk).exists()

    # An outreach month with a record: "Ta bort månaden" leads to its confirmation (axe).
    record = OutreachRecord.objects.filter(municipality__code="0180").order_by("-month").first()
    month_url = reverse("outreach:month", args=[record.unit_id, record.month.year, record.month.month])
    page.goto(month_url)
    press_enter_on(page, page.get_by_role("link", name="Ta bort månaden", exact=True))
    page.wait_for_url("**/ta-bort/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ta bort månaden?"
    assert_fully_accessible(page)
    press_enter_on(page, page.get_by_role("link", name="Avbryt", exact=True))
    page.wait_for_url(f"**{month_url}")
    assert OutreachRecord.objects.filter(pk=record.pk).exists()
