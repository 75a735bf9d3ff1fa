"""A unit contact searches from the header in headless Chromium: an inflected
Swedish word finds the goal, the hits are marked, the page passes axe
(fixtures from tests/test_browser.py)."""

import pytest
from django.urls import reverse

from plans.models import Goal
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_bostader_finds_the_goal_about_bostad(page):  # noqa: F811
    goal = Goal.objects.get(plan__municipality__code="0180", title__startswith="Staden säkerställer romers lika")
    assert "bostad" in goal.title and "bostäder" not in goal.title

    sign_in(page, "sthlm-kontakt-sn")
    page.get_by_role("search").get_by_label("Sök").fill("bostäder")
    page.get_by_role("search").get_by_label("Sök").press("Enter")
    page.wait_for_url("**/sok/?q=bost%C3%A4der")
    assert page.get_by_role("heading", level=1).inner_text() == "Sök"
    goals = page.get_by_role("region", name="Mål", exact=False)
    link = goals.locator(f'a[href="{reverse("plans:goal", args=[goal.pk])}"]')
    assert link.count() == 1
    assert link.locator("mark").inner_text() == "bostad"
    assert_accessible(page)

    page.goto(reverse("search:search") + "?q=%22NEAR(%20*")  # hostile: no error, a message
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)

    page.goto(reverse("search:search") + "?q=bost%C3%A4der")
    link = page.locator(f'a[href="{reverse("plans:goal", args=[goal.pk])}"]')
    link.click()
    page.wait_for_url(f"**{reverse('plans:goal', args=[goal.pk])}")
    assert_accessible(page)
