"""The public pages in a browser (docs/public-site.md §5): a resident reads the
demo's pages in Swedish and English without JavaScript, downloads the
calendar, and opens kalderash, which has no texts of its own; axe with every
rule on each page; reflow at 320 px, the keyboard and print on the pages
public.walk.walk() gives.

Reading happens in a context with JavaScript off, as the pages need none.
axe runs in a second context with JavaScript on: it is injected with
``page.evaluate``, which the pages' CSP (script-src 'none') does not block."""

import io
import os
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import resolve

from tests.test_browser import AXE_JS, browser  # noqa: F401 (the module's one browser)

pytestmark = pytest.mark.browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# axe rules switched off on the public pages, each with the reason. Starts empty:
# a rule goes here only with a written reason, never to make a page pass.
DISABLED_RULES: dict[str, str] = {}
# The demo's history is dated (follow-up rounds, feedback given in November 2026): the pages are read on this day.
DEMO_DAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
# At most this many pages in the walk of each municipality (the browser is slow).
WALK_PAGES = 60  # every kind of page in every language first (the demo has about 45), then others


@pytest.fixture
def demo(live_server, settings, transactional_db):
    import time_machine

    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with time_machine.travel(DEMO_DAY, tick=True):
        call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
        yield live_server


def new_page(browser, live_server, *, javascript: bool):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def reader(browser, demo):  # noqa: F811
    """A resident's browser: JavaScript off."""
    page = new_page(browser, demo, javascript=False)
    yield page
    page.context.close()


@pytest.fixture
def checker(browser, demo):  # noqa: F811
    """The context axe runs in."""
    page = new_page(browser, demo, javascript=True)
    yield page
    page.context.close()


# Text in a server-drawn SVG chart whose fill is the page's ink or black on white.
DARK_CHART_TEXT = """(selector) => {
    const e = document.querySelector(selector), svg = e && e.closest('svg[role=img]');
    if (!svg || e.tagName.toLowerCase() !== 'text') return false;
    const fill = getComputedStyle(e).fill, back = getComputedStyle(document.documentElement).backgroundColor;
    return ['rgb(0, 0, 0)', 'rgb(27, 31, 36)'].includes(fill) && ['rgb(255, 255, 255)'].includes(back);
}"""


def assert_fully_accessible(page) -> None:
    """axe with every rule it has (best practices, AAA and experimental ones
    too): no violation of any impact, and no colour contrast axe could not
    decide (text over an image or a gradient)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: scripts/test installs axe-core from the npm registry.")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (disabled) => {
            const rules = axe.getRules().map(r => r.ruleId).filter(id => !disabled.includes(id));
            return await axe.run(document, {
                runOnly: {type: 'rule', values: rules}, resultTypes: ['violations', 'incomplete'],
            });
        }""",
        list(DISABLED_RULES),
    )
    bad = result["violations"]
    for incomplete in result["incomplete"]:
        if incomplete["id"] != "color-contrast":
            continue
        # axe does not decide the contrast of text inside an SVG chart (role="img"): checked here instead.
        undecided = [n for n in incomplete["nodes"] if not page.evaluate(DARK_CHART_TEXT, n["target"][0])]
        if undecided:
            bad.append(incomplete | {"nodes": undecided})
    report = "\n".join(f"{r['id']} ({r['impact']}): {r['help']} — {[n['target'] for n in r['nodes']][:5]}" for r in bad)
    assert not bad, f"Accessibility problems on {page.url}:\n{report}"


def read(reader, checker, url: str) -> None:
    """The resident opens ``url``; axe checks the same page."""
    response = reader.goto(url)
    assert response.status == 200, url
    checker.goto(url)
    assert_fully_accessible(checker)


def main_text(page) -> str:
    return page.get_by_role("main").inner_text()


def test_a_resident_reads_the_plan_feedback_and_calendar_in_swedish_and_english(reader, checker):
    from icalendar import Calendar

    from consultations.models import Consultation

    upcoming = Consultation.objects.get(
        municipality__code="0180", title="Öppet samråd med romska vårdnadshavare om förskola och skola"
    )
    plan_summary = {
        "sv": "Handlingsplanen är ett förslag som är ute på remiss.",
        "en": "The action plan is a proposal out for consultation.",
    }
    for language, home in (("sv", "/0180/"), ("en", "/0180/en/")):
        read(reader, checker, home)
        assert reader.locator("html").get_attribute("lang") == language
        assert reader.locator(f"[lang='{language}']").filter(has_text=plan_summary[language]).count() >= 1

        # The plan, from the navigation.
        reader.locator(f"header nav a[href='{home}plan/']").click()
        reader.wait_for_url(f"**{home}plan/")
        read(reader, checker, reader.url)
        assert "Handlingsplan för romsk inkludering 2030" in reader.get_by_role("heading", level=1).inner_text()
        assert reader.locator(f"main [lang='{language}']").filter(has_text=plan_summary[language]).count() == 1
        assert reader.locator("main [lang='sv']").filter(has_text="Kunskap och information").count() >= 1

        # Återkoppling, and one held samråd.
        reader.locator(f"header nav a[href='{home}aterkoppling/']").click()
        reader.wait_for_url(f"**{home}aterkoppling/")
        read(reader, checker, reader.url)
        reader.locator("main").get_by_role(
            "link", name="Öppet samråd om bibliotekens arbete med romsk inkludering"
        ).click()
        read(reader, checker, reader.url)
        assert "Stadsbiblioteket" in main_text(reader)  # the published minutes

        # The calendar: the next open samråd, and its iCalendar file.
        reader.locator(f"header nav a[href='{home}kalender/']").click()
        reader.wait_for_url(f"**{home}kalender/")
        read(reader, checker, reader.url)
        assert upcoming.title in main_text(reader) and "Hägerstens bibliotek" in main_text(reader)
        feed = reader.locator("main a[href$='kalender.ics']").first.get_attribute("href")
        download = reader.context.request.get(feed)
        assert download.status == 200 and download.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(download.body()).walk("VEVENT")
        assert upcoming.title in [str(event["SUMMARY"]) for event in events]
        assert not reader.context.cookies(), "the public pages set no cookie"


def test_a_resident_reads_the_practice_examples(reader, checker):
    """The examples Stockholm shows on its site: the list from the navigation, filtered by
    a rights area, one example in Swedish and in English; the navigation fits at 375 px."""
    for language, home, heading in (("sv", "/0180/", "Exempel på insatser"), ("en", "/0180/en/", "Practice examples")):
        read(reader, checker, home)
        reader.locator(f"header nav a[href='{home}exempel/']").click()
        reader.wait_for_url(f"**{home}exempel/")
        read(reader, checker, reader.url)
        assert reader.get_by_role("heading", level=1).inner_text() == heading
        assert reader.locator("main [lang='sv']").filter(has_text="Brobyggare").count() == 1
        area = reader.locator("main nav a[href$='?omrade=arbete']")
        area.click()
        reader.wait_for_url("**?omrade=arbete")
        read(reader, checker, reader.url)
        assert reader.locator("main nav a[aria-current='page']").inner_text() == area.inner_text()
        reader.locator("main").get_by_role("link", name="Brobyggare", exact=True).click()
        read(reader, checker, reader.url)
        assert reader.locator("h1[lang='sv']").inner_text() == "Brobyggare"
        assert "Arbetsförmedlingen" in main_text(reader)
        assert (reader.locator(".fallback-note").count() == 1) == (language == "en")
    # The navigation, one item longer, still fits a 375 px screen.
    checker.set_viewport_size({"width": 375, "height": 700})
    checker.goto("/0180/exempel/")
    width = checker.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    for link in checker.locator("header nav a").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, link.inner_text()


def test_kalderash_shows_the_swedish_texts_honestly(reader, checker):
    """The demo offers kalderash without Romani texts: the Swedish texts, marked
    lang="sv", and in each section the line saying so; the frame in Swedish."""
    read(reader, checker, "/0180/kalderash/")
    assert reader.locator("html").get_attribute("lang") == "sv"
    note = reader.locator(".fallback-note").first
    assert note.is_visible() and note.get_attribute("lang") == "sv"
    assert "kalderash" in note.inner_text().lower()
    assert reader.locator("main [lang='sv']").filter(has_text="Stockholms stad arbetar för att romer").count() == 1
    assert reader.locator("main [lang='rmy-x-kalderas']").count() == 0  # no Romani text is made up
    assert reader.locator("link[rel=alternate][hreflang='rmy-x-kalderas']").count() == 1
    read(reader, checker, "/0180/kalderash/plan/")
    assert reader.locator(".fallback-note").count() >= 1


def walked_pages(code: str) -> list[str]:
    """At most WALK_PAGES HTML pages of the walk: one of each kind in each language first."""
    from organisations.models import Municipality
    from public.walk import walk

    first, rest, kinds = [], [], set()
    for url in walk(Municipality.objects.get(code=code)):
        match = resolve(urlsplit(url).path)
        if not match.view_name.startswith("public:") or match.view_name.endswith("_ics"):
            continue
        kind = (match.view_name, match.kwargs.get("lang"))
        (rest if kind in kinds else first).append(url)
        kinds.add(kind)
    return (first + rest)[:WALK_PAGES]


@pytest.mark.parametrize("code", ["0180", "0126"])
def test_every_kind_of_page_is_accessible_and_reflows_at_320_px(checker, code):
    checker.set_viewport_size({"width": 320, "height": 640})
    pages = walked_pages(code)
    assert len(pages) >= 10
    for url in pages:
        assert checker.goto(url).status == 200, url
        width = checker.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{url} scrolls sideways at 320 px: {width}"
        assert_fully_accessible(checker)


def test_the_keyboard_and_print(reader):
    for url in walked_pages("0180")[:12]:
        reader.goto(url)
        # The skip link comes first and shows when focused.
        reader.keyboard.press("Tab")
        first = reader.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert first == ["skip-link", "#main"], url
        assert reader.locator(".skip-link").first.bounding_box()["x"] >= 0, f"{url}: the skip link stays off screen"
        # Tab reaches the links in order, each with a visible outline, scrolled into view.
        links = reader.locator("a[href]:visible").count()
        for _ in range(min(links, 25)):
            style = reader.evaluate(
                """() => {
                    const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
                    return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                            inView: r.bottom > 0 && r.top < window.innerHeight};
                }"""
            )
            assert style["tag"] in ("A", "DIV"), f"{url}: focus on {style['tag']}"  # DIV: a table's scroll region
            assert style["outline"] != "none" and style["width"] >= 2, f"{url}: no visible focus ({style})"
            assert style["inView"], f"{url}: the focused element is not scrolled into view"
            reader.keyboard.press("Tab")

    # Print: no navigation, no language list, no skip links; black on white;
    # tables out of their scroll regions; external links with their address.
    reader.emulate_media(media="print")
    with_table = next(url for url in walked_pages("0180") if "/indikator/" in url)
    external = 0
    for url in ("/0180/en/", "/0180/tillganglighet/", with_table):
        reader.goto(url)
        for selector in (".site-nav", "#languages", ".skip-links"):
            assert reader.locator(selector).evaluate("e => getComputedStyle(e).display") == "none", selector
        assert reader.locator("main").is_visible()
        assert reader.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)", url
        for region in reader.locator(".table-scroll").all():
            assert region.evaluate("e => getComputedStyle(e).overflowX") == "visible", url
        for link in reader.locator("main a[href^='http']").all():
            after = link.evaluate("e => getComputedStyle(e, '::after').content")
            assert link.get_attribute("href") in after, f"{url}: the printed link has no address"
            external += 1
    assert reader.locator(".table-scroll").count() >= 1  # the indicator page's table
    assert external  # Digg's form, on the accessibility statement
