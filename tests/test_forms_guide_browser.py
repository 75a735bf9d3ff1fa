"""Forms that guide (issue 17, item 7), in Debian's Chromium with axe (every
rule set, AAA included) on each page looked at: a form sent with errors comes back
with "Fel:" before its title and the focus on the error summary, whose links
move the focus to their field; a long goal picker shows the unit's own goals
first and filters as one types, saying how many are shown. The server-side half
is tests/test_forms_guide.py."""

import re

import pytest

from tests.test_browser import browser, page, sign_in  # noqa: F401 (the module's browser and demo)
from tests.test_print_and_small_screens import assert_fully_accessible

pytestmark = pytest.mark.browser

ACTIVE = "() => { const e = document.activeElement; return [e.id, e.hasAttribute('data-error-summary')]; }"


def test_an_invalid_form_leads_to_its_errors_and_a_long_picker_filters(page):  # noqa: F811
    sign_in(page, "sthlm-kontakt-sn")
    assert page.goto("/aktiviteter/ny/").status == 200
    assert not page.title().startswith("Fel:")

    # The goal picker: the unit's goals first, then the others, and a filter box.
    picker = page.locator("[data-filter-picker]")
    legends = picker.locator("fieldset.picker-group > legend").all_inner_texts()
    assert legends == ["Enhetens mål", "Övriga mål"]
    boxes = picker.locator("input[name=goals]")
    total = boxes.count()
    assert total >= 20
    search = page.get_by_label("Filtrera målen")
    assert search.get_attribute("aria-controls") == "id_goals"
    count = page.locator(".filter-picker-count")
    assert count.inner_text() == f"{total} av {total} mål visas"
    assert_fully_accessible(page)

    search.fill("mötesplatser")
    page.wait_for_function(f"() => !document.querySelector('.filter-picker-count').textContent.startsWith('{total} ')")
    shown = int(re.match(r"(\d+) av (\d+) mål visas", count.inner_text()).group(1))
    assert 0 < shown < total
    visible = picker.locator("input[name=goals]:visible")
    assert visible.count() == shown
    for label in picker.locator("label:visible").all_inner_texts():
        assert "mötesplatser" in label.lower()
    # Enter in the filter box never sends the form.
    search.press("Enter")
    assert page.url.endswith("/aktiviteter/ny/") and not page.locator("[data-error-summary]").count()
    # A chosen goal stays in view whatever the filter.
    visible.first.check()
    search.fill("zzzz-inget-mål")
    page.wait_for_function("() => document.querySelector('.filter-picker-count').textContent.startsWith('1 ')")
    assert picker.locator("input[name=goals]:visible").count() == 1
    assert_fully_accessible(page)
    search.fill("")

    # Sent without a title: "Fel:" before the title, the focus on the summary.
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_load_state()
    assert page.title().startswith("Fel: ")
    summary = page.locator("[data-error-summary]")
    assert summary.count() == 1
    assert page.evaluate(ACTIVE)[1], "the focus is not on the error summary"
    assert summary.get_by_role("heading", level=2).inner_text() == "Det finns fel att rätta"
    assert_fully_accessible(page)
    # Its first link goes to the field and gives it the focus (by keyboard).
    link = summary.locator("a").first
    target = link.get_attribute("href")[1:]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == f"#{target}"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)[0] == target
    assert page.locator(f"#{target}").is_visible()
    # The goal chosen before is still chosen (the picker kept it).
    assert page.locator("input[name=goals]:checked").count() == 1
