"""Print, the coverage matrix's layout and small screens (issue 17, items 4, 8
and 10), in Debian's Chromium with axe (every rule) on each page looked at:

- print: the goal, unit, round and consultation pages have a "Print" button on
  screen (only with JavaScript); printed, they show no menu, header tools or
  buttons, and tables leave their scroll regions;
- the coverage matrix at 1366 × 768: the page does not scroll sideways (the
  matrix scrolls in its own labelled, focusable region), the first column stays
  put, column headers read across, and the toggle to units as rows is a link;
- at 375 px: the staff start page (coordinator and contact), the activity form,
  a report being written and the public start page fit without sideways
  scrolling; the menu is behind a button that works with the keyboard, and is
  simply shown without JavaScript."""

import pytest

from tests.test_browser import AXE_JS, assert_accessible, browser, page, sign_in  # noqa: F401 (the module's browser and demo)
from tests.test_public_browser import assert_fully_accessible as assert_public_page_accessible

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
VISIBLE = "e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'"


def assert_fully_accessible(tab) -> None:
    """axe with every rule set it has (WCAG 2.0-2.2 A, AA and AAA, best practices,
    experimental rules), any impact (tests/test_browser.py's assert_accessible)."""
    assert_accessible(tab)


def assert_fits(tab) -> None:
    width, window = tab.evaluate(SCROLL_WIDTH)
    assert width <= window, f"{tab.url} scrolls sideways: {width} px in a {window} px window"


def printable_pages() -> dict[str, str]:
    from django.urls import reverse

    from consultations.models import Consultation
    from followups.models import Round
    from organisations.models import OrgUnit
    from plans.models import Goal

    goal = Goal.objects.get(plan__municipality__code="0180", plan__title__contains="2030", code="1.1.1")
    unit = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    rnd = Round.objects.get(plan__municipality__code="0180", name="Tertial 2 2026")
    consultation = Consultation.objects.filter(municipality__code="0180").order_by("pk").first()
    return {
        "goal": reverse("plans:goal", args=[goal.pk]),
        "unit": reverse("organisations:unit", args=[unit.pk]),
        "round": reverse("followups:round", args=[rnd.pk]),
        "consultation": reverse("consultations:detail", args=[consultation.pk]),
    }


def test_print_shows_the_content_without_menus_or_buttons(page, browser, live_server):  # noqa: F811
    urls = printable_pages()
    sign_in(page, "sthlm-samordnare")
    for kind, url in urls.items():
        page.emulate_media(media="screen")
        assert page.goto(url).status == 200, url
        button = page.locator("[data-print] button")
        assert button.count() == 1 and button.is_visible(), f"{kind}: no Print button on screen"
        assert button.inner_text() in ("Skriv ut", "Print")  # in Swedish once the lead has merged the translations
        assert_fully_accessible(page)
        assert page.locator("main button:visible, main .button:visible").count() >= 1, kind

        page.emulate_media(media="print")
        for selector in (".main-nav", ".header-tools", "[data-print]", ".skip-link"):
            assert page.locator(selector).evaluate("e => getComputedStyle(e).display") == "none", (kind, selector)
        shown = page.evaluate(
            "() => [...document.querySelectorAll('button, .button, nav.main-nav a')]"
            f".filter({VISIBLE}).map(e => e.outerHTML)"
        )
        assert not shown, f"{kind}: printed with {shown[:3]}"
        assert page.locator("main h1").is_visible()
        assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        for region in page.locator(".table-scroll").all():
            assert region.evaluate("e => getComputedStyle(e).overflowX") == "visible", kind
        for head in page.locator("main thead").all():
            assert head.evaluate("e => getComputedStyle(e).display") == "table-header-group", kind
        for link in page.locator("main a[href^='http']").all():
            assert link.get_attribute("href") in link.evaluate("e => getComputedStyle(e, '::after').content"), kind

    # Without JavaScript the button stays hidden (the browser's own Print does the same).
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    plain = context.new_page()
    plain.goto("/")
    plain.get_by_label("Användarnamn eller e-post").fill("sthlm-samordnare")
    plain.get_by_label("Lösenord").fill("inkludera-demo")
    plain.get_by_role("button", name="Logga in").click()
    plain.wait_for_url("**/")
    plain.goto(urls["goal"])
    assert plain.locator("[data-print]").count() == 1 and not plain.locator("[data-print]").is_visible()
    context.close()


def test_the_coverage_matrix_fits_its_page(page):  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "sthlm-samordnare")
    page.goto("/uppfoljning/tackning/?fokus=alla")
    assert_fits(page)
    assert_fully_accessible(page)
    region = page.locator(".table-scroll:has(table.matrix)")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    caption = page.locator("#" + region.get_attribute("aria-labelledby"))
    assert caption.inner_text().startswith(("Täckning", "Coverage"))
    # Column headers read across: no rotated or vertical text, none taller than a few lines.
    for header in page.locator("table.matrix thead th").all():
        style = header.evaluate("e => [getComputedStyle(e).writingMode, getComputedStyle(e).transform]")
        assert style == ["horizontal-tb", "none"], style
        assert header.bounding_box()["height"] < 120

    def first_column_stays_put():
        page.set_viewport_size({"width": 900, "height": 768})  # narrower, so that the matrix scrolls in any case
        assert_fits(page)
        row_head = page.locator("table.matrix tbody th[scope=row]").first
        assert row_head.evaluate("e => getComputedStyle(e).position") == "sticky"
        scrollable = region.evaluate("e => e.scrollWidth - e.clientWidth")
        assert scrollable > 50
        cell = page.locator("table.matrix tbody tr").first.locator("td").first
        before, cell_before = row_head.bounding_box()["x"], cell.bounding_box()["x"]
        # The keyboard scrolls the region: it takes the focus, then the arrow keys move it.
        region.focus()
        for _ in range(8):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("e => e.scrollLeft > 20", arg=region.element_handle())
        page.wait_for_timeout(1000)  # the arrow keys scroll smoothly: let it come to rest
        scrolled = region.evaluate("e => e.scrollLeft")
        assert abs(row_head.bounding_box()["x"] - before) <= 1  # the first column stays
        assert abs(cell.bounding_box()["x"] - (cell_before - scrolled)) <= 1  # the cells move under it
        region.evaluate("e => { e.scrollLeft = 0; }")
        page.set_viewport_size({"width": 1366, "height": 768})

    first_column_stays_put()
    goals_as_rows = page.locator("table.matrix tbody tr").count()
    units_shown = page.locator("table.matrix thead th").count() - 1

    # The toggle: units as rows, in the URL, the same matrix turned around.
    toggle = page.locator("nav.view-toggle a")
    assert toggle.nth(0).get_attribute("aria-current") == "true" and toggle.nth(1).get_attribute("aria-current") is None
    toggle.nth(1).click()
    page.wait_for_url("**rader=enheter**")
    assert page.locator("table.matrix-by-unit").count() == 1
    assert page.locator("table.matrix tbody tr").count() == units_shown
    assert page.locator("table.matrix thead th").count() - 1 == goals_as_rows
    assert page.locator("nav.view-toggle a[aria-current='true']").inner_text() == toggle.nth(1).inner_text()
    assert_fits(page)
    assert_fully_accessible(page)
    first_column_stays_put()
    page.reload()  # a bookmark of the page keeps the view
    assert page.locator("table.matrix-by-unit").count() == 1
    page.locator("nav.view-toggle a").nth(0).click()
    page.wait_for_function("() => !location.search.includes('rader=')")
    assert page.locator("table.matrix-by-unit").count() == 0 and page.locator("table.matrix").count() == 1


def test_small_screens(page, browser, live_server):  # noqa: F811
    from followups.models import Round
    from organisations.models import OrgUnit

    sn = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    report = Round.objects.get(plan__municipality__code="0180", name="Tertial 2 2026").reports.get(unit=sn)
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto("/0180/")  # the public site, before signing in
    assert_fits(page)
    assert_public_page_accessible(page)  # AAA too

    sign_in(page, "sthlm-samordnare")
    assert_fits(page)
    assert_fully_accessible(page)

    # The menu: closed behind its button; the keyboard opens and closes it.
    toggle, menu = page.locator("button[data-menu-toggle]"), page.locator("#main-menu")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert toggle.get_attribute("aria-controls") == "main-menu"
    page.locator("body").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    assert page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')"), "Tab never reaches the menu"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert_fits(page)
    assert_fully_accessible(page)
    page.keyboard.press("Tab")  # into the menu, to its first link
    assert page.evaluate("() => document.activeElement.closest('#main-menu') !== null")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    page.keyboard.press("Space")
    assert not menu.is_visible()

    for url in ("/aktiviteter/ny/", f"/uppfoljning/rapport/{report.pk}/redigera/", "/uppfoljning/tackning/"):
        assert page.goto(url).status == 200, url
        assert_fits(page)
        assert_fully_accessible(page)

    contact = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 375, "height": 740})
    other = contact.new_page()
    sign_in(other, "sthlm-kontakt-sn")
    for url in ("/", f"/uppfoljning/rapport/{report.pk}/redigera/"):
        assert other.goto(url).status == 200, url
        assert_fits(other)
        assert_fully_accessible(other)
    contact.close()

    # Without JavaScript there is no button and the menu is simply there.
    plain = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 375, "height": 740}, java_script_enabled=False
    ).new_page()
    plain.goto("/")
    plain.get_by_label("Användarnamn eller e-post").fill("sthlm-samordnare")
    plain.get_by_label("Lösenord").fill("inkludera-demo")
    plain.get_by_role("button", name="Logga in").click()
    plain.wait_for_url("**/")
    assert plain.locator("#main-menu").is_visible() and not plain.locator("button[data-menu-toggle]").is_visible()
    plain.context.close()
