"""Tables that sort and page (issue 17, item 2; lib/tables.py), in Debian's
Chromium with axe on each page: on the activity list, filtered by a unit, a
column is sorted by keyboard, then page 2 is opened by keyboard; the filter and
the sort stay in the address and are applied on page 2."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 (the module's browser and demo)

pytestmark = pytest.mark.browser

PAGE_SIZE = 3  # the demo's units have a handful of activities each


def query(tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.url).query)


def link_name(label: str, action: str) -> re.Pattern:
    """A header link's accessible name: its label, then what following it does
    (Chromium puts a space before the visually hidden part)."""
    return re.compile(rf"^{label}\s*, {action}$")


def titles(tab) -> list[str]:
    return tab.locator("table.activity-table tbody tr td:nth-child(2) > a").all_inner_texts()


def test_sort_a_column_by_keyboard_then_page_keeping_filter_and_sort(page, monkeypatch):  # noqa: F811
    from activities import views
    from activities.selectors import activities_of_plan
    from organisations.models import Membership
    from plans.models import Plan

    monkeypatch.setattr(views, "PAGE_SIZE", PAGE_SIZE)
    municipality = Membership.objects.get(user__username="sthlm-samordnare").municipality
    plan = Plan.objects.filter(municipality=municipality, is_current=True).first() or municipality.plans.first()
    units = {a.owner for a in activities_of_plan(plan)}
    unit = max(units, key=lambda u: activities_of_plan(plan, unit=u).count())
    expected = list(activities_of_plan(plan, unit=unit).order_by("-title", "-pk").values_list("title", flat=True))
    assert len(expected) > PAGE_SIZE, "the demo needs a unit with more activities than a page"

    sign_in(page, "sthlm-samordnare")
    page.goto(f"/aktiviteter/?plan={plan.pk}")
    page.get_by_label("Enhet", exact=True).select_option(str(unit.pk))
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**enhet=*")
    assert_accessible(page)

    # The column header's link says what it does; Enter follows it (ascending, then descending).
    header = page.locator("table.activity-table thead th", has_text="Aktivitet")
    link = header.get_by_role("link", name=link_name("Aktivitet", "sortera i stigande ordning"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**ordning=titel*")
    assert header.get_attribute("aria-sort") == "ascending"
    header.get_by_role("link", name=link_name("Aktivitet", "sortera i fallande ordning")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**ordning=-titel*")
    assert header.get_attribute("aria-sort") == "descending"
    assert query(page)["enhet"] == [str(unit.pk)]  # the filter is kept by the sort link
    assert titles(page) == expected[:PAGE_SIZE]
    assert_accessible(page)

    # Page 2 by keyboard: the filter and the sort are still in the address, and applied.
    page.get_by_role("navigation", name="Sidor").get_by_role("link", name="Nästa").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sida=2*")
    params = query(page)
    assert params["enhet"] == [str(unit.pk)] and params["ordning"] == ["-titel"] and params["sida"] == ["2"]
    assert titles(page) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    assert page.locator("table.activity-table thead th[aria-sort='descending']").inner_text().startswith("Aktivitet")
    # The filter form keeps the sort when the filter changes.
    assert page.locator("form.filters input[name='ordning']").get_attribute("value") == "-titel"
    assert page.get_by_label("Enhet", exact=True).input_value() == str(unit.pk)
    assert_accessible(page)
