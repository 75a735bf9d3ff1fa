"""A confirmation page (lib/confirm.py) in Debian's Chromium, by keyboard only:
the activity's "Delete activity" link opens it, "Avbryt" returns without a
change, "Ja, ta bort aktiviteten" deletes; axe (every rule, AAA included) on the page."""

import pytest

from tests.test_browser import browser, page, sign_in  # noqa: F401 (the module's browser and demo)
from tests.test_print_and_small_screens import assert_fully_accessible

pytestmark = pytest.mark.browser

FOCUSED_TEXT = "() => document.activeElement.innerText.trim()"


def press_enter_on(tab, locator) -> None:
    locator.focus()
    tab.keyboard.press("Enter")


def test_deleting_an_activity_by_keyboard_through_its_confirmation(page):  # noqa: F811
    from django.urls import reverse

    from activities.models import Activity

    activity = Activity.objects.filter(municipality__code="0180").order_by("pk").first()
    detail = reverse("activities:detail", args=[activity.pk])
    sign_in(page, "sthlm-samordnare")
    page.goto(detail)
    press_enter_on(page, page.get_by_role("link", name="Ta bort aktivitet", exact=True))
    page.wait_for_url(f"**{reverse('activities:delete', args=[activity.pk])}")

    assert page.get_by_role("heading", level=1).inner_text() == "Ta bort aktiviteten?"
    assert activity.title in page.locator("main").inner_text()
    assert "Det går inte att ångra." in page.locator("main").inner_text()
    assert_fully_accessible(page)

    # From the button, Tab reaches "Avbryt"; Enter on it goes back and changes nothing.
    button = page.get_by_role("button", name="Ja, ta bort aktiviteten")
    button.focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_TEXT) == "Avbryt"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{detail}")
    assert Activity.objects.filter(pk=activity.pk).exists()

    # Again, and this time the button: the activity is gone and the list says so.
    press_enter_on(page, page.get_by_role("link", name="Ta bort aktivitet", exact=True))
    page.wait_for_url(f"**{reverse('activities:delete', args=[activity.pk])}")
    press_enter_on(page, page.get_by_role("button", name="Ja, ta bort aktiviteten"))
    page.wait_for_url(f"**{reverse('activities:list')}*")
    assert activity.reference in page.locator(".messages").inner_text()
    assert not Activity.objects.filter(pk=activity.pk).exists()
