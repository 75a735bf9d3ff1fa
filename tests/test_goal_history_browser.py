"""A goal's history and the start page's trends (issue 17, item 6) in Debian's
Chromium on the demo, with axe (every rule set, AAA included) on each page: the grid
of assessments per unit and round on a goal page, on screen, in print and at
375 px; the coordinator's trend charts with their tables, opened by keyboard."""

import pytest

from tests.test_browser import browser, page, sign_in  # noqa: F401 (the module's browser and demo)
from tests.test_print_and_small_screens import assert_fits, assert_fully_accessible

pytestmark = pytest.mark.browser


def demo_goal_url() -> str:
    from django.urls import reverse

    from plans.models import Goal

    goal = Goal.objects.get(plan__municipality__code="0180", plan__title__contains="2030", code="1.1.1")
    return reverse("plans:goal", args=[goal.pk])


def test_the_goal_page_shows_each_units_assessments_round_by_round(page):  # noqa: F811
    sign_in(page, "sthlm-samordnare")
    assert page.goto(demo_goal_url()).status == 200
    grid = page.locator("table.history-grid")
    assert grid.count() == 1
    assert grid.locator("caption").inner_text().startswith("Bedömningar av målet per enhet")
    rounds = grid.locator("thead th[scope=col]").all_inner_texts()
    assert rounds == ["Enhet", "Verksamhetsberättelse 2024", "Verksamhetsberättelse 2025", "Tertial 2 2026"]
    assert grid.locator("tbody th[scope=row]").count() >= 1
    cells = grid.locator("td.history-cell").all_inner_texts()
    labels = {"Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Ej rapporterad", "Ej aktuell"}
    assert cells and set(cells) <= labels, cells  # every cell says what it is in words, not in colour alone
    assert set(cells) & {"Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt"}, cells  # the demo's approved reports
    assert_fully_accessible(page)

    # A cell's link opens the unit's report of that round.
    link = grid.locator("td.history-cell a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    assert page.get_by_role("heading", level=1).count() == 1
    page.go_back()

    # Printed: the grid with its header row on each sheet; no paging links.
    page.emulate_media(media="print")
    assert grid.is_visible()
    assert grid.locator("thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    page.emulate_media(media="screen")

    # At 375 px the grid does not make the page scroll sideways: it fits, or scrolls in its
    # own named region (static/js/site.js). (The page as a whole: tests/test_print_and_small_screens.py.)
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    box = page.evaluate(
        """() => { const t = document.querySelector('table.history-grid'), r = t.closest('.table-scroll');
                   return [(r || t).getBoundingClientRect().right, r ? r.getAttribute('aria-label') : null]; }"""
    )
    assert box[0] <= 375, box
    assert box[1] is None or box[1].startswith("Bedömningar av målet"), box
    assert_fully_accessible(page)


def test_the_start_page_shows_the_trends_as_charts_with_their_tables(page):  # noqa: F811
    sign_in(page, "sthlm-samordnare")
    heading = page.get_by_role("heading", name="Trender i de senaste omgångarna")
    assert heading.count() == 1
    charts = page.locator("svg.stacked-chart[role=img]")
    assert charts.count() == 2
    titles = [c.locator("title").text_content() for c in charts.all()]
    assert titles == ["Bedömningar av mål per omgång", "Rapporterade aktivitetsstatusar per omgång"]
    bars = charts.first.locator("rect.chart-seg")
    assert bars.count() >= 3  # the demo's rounds have several assessments each
    assert_fully_accessible(page)

    # The numbers as a table: the disclosure opens with the keyboard.
    summary = page.locator(".trend-table summary").first
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator(".trend-table table").first
    assert table.is_visible()
    rows = table.locator("tbody tr").all()
    assert [r.locator("th").inner_text() for r in rows] == [
        "Verksamhetsberättelse 2024",
        "Verksamhetsberättelse 2025",
        "Tertial 2 2026",
    ]
    # Each row's total is the sum of its counts, and the chart writes the same total.
    totals = []
    for row in rows:
        numbers = [int(t) for t in row.locator("td").all_inner_texts()]
        assert sum(numbers[:-1]) == numbers[-1]
        totals.append(str(numbers[-1]))
    written = charts.first.locator("text.chart-tick").all_text_contents()
    assert all(t in written for t in totals)
    assert_fully_accessible(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_fits(page)
