"""The staff calendar in Chromium (consultations/calendar.py): the month grid
from the menu, the months walked by keyboard, the list, and the page at 375 px,
with axe on each (the fixtures of tests/test_browser.py)."""

from datetime import timedelta

import pytest

from consultations.models import Consultation
from lib.ical import CALENDAR_TZ
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_the_month_view_and_the_list(page):  # noqa: F811 - the fixture
    consultation = Consultation.objects.filter(municipality__name__startswith="Stockholm").order_by("starts_at").last()
    month = consultation.starts_at.astimezone(CALENDAR_TZ)
    sign_in(page, "sthlm-samordnare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kalender").click()
    grid = page.locator("table.month-grid")
    assert grid.locator("thead th").count() == 8  # the week number and Monday to Sunday
    assert page.locator('td[aria-current="date"]').count() == 1  # today
    assert_accessible(page)

    page.goto(f"/samrad/kalender/?manad={month:%Y-%m}")
    link = grid.get_by_role("link", name=consultation.title).first
    assert link.is_visible()
    assert_accessible(page)
    # By keyboard: to the next month's link, Enter, and on to the item's page.
    following = month.replace(day=1) + timedelta(days=32)
    page.locator('a[rel="next"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/samrad/kalender/?manad={following:%Y-%m}")
    page.locator('a[rel="prev"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/samrad/kalender/?manad={month:%Y-%m}")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/samrad/{consultation.pk}/")

    # A small screen: the days with something on them, one below the other, nothing sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/samrad/kalender/?manad={month:%Y-%m}")
    assert grid.get_by_role("link", name=consultation.title).first.is_visible()
    assert not page.locator("table.month-grid thead").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator('nav.calendar-views a[href="/samrad/kalender/lista/"]').click()
    page.wait_for_url("**/samrad/kalender/lista/")
    assert page.locator("table.calendar-list").count() >= 1
    assert_accessible(page)
