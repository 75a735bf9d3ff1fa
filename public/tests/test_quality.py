"""The rules of docs/public-site.md §5 that a server-side test can check, on
every address public.walk.walk() gives for a published site, in every
language it offers: no scripts, no cookies, a strict CSP, ``lang`` right on
the page and on every text the municipality wrote, the fallback line only
where a text fell back, the language alternates, and tables that reflow.
The browser checks (axe, 320 px, keyboard, print) are in
tests/test_public_browser.py; page sizes in bench/public_pages.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import pytest
from django.urls import resolve, reverse

from lib.languages import BY_SLUG, BY_TAG, SWEDISH, ui_language
from public.walk import walk

from .published import public_world

# Texts the municipality wrote that are not translated public texts (goal
# wording, plan titles, place names, questions, themes…): Swedish on every page,
# so on a page in another language they must sit in an element with lang="sv".
SWEDISH_ONLY = [
    "Handlingsplan för romsk inkludering 2030",
    "Stadens verksamheter arbetar uppsökande",
    "Staden når romer med information",
    "Kulturhuset, Sergels torg",
    "Stadsbiblioteket",
    "Hur når vi fler familjer?",
    "Andel romska elever med godkända betyg",
    "Arbete och försörjning",
]
# Swedish public texts of public_world that have an English translation too:
# Swedish on a Swedish page, English on an English one, Swedish (with the
# fallback line) on the kalderash page.
TRANSLATED = {
    "Staden arbetar för romsk inkludering.": "The city works for Roma inclusion.",
    "Brobyggare hjälper familjer i kontakten med staden.": "Bridge builders help families.",
}


@pytest.fixture
def pages(world):
    """{address: (response, language tag)} for every walked address, as anyone gets it."""
    public_world(world)
    client = world.client("anonymous")
    out = {}
    for url in walk(world.municipality):
        match = resolve(urlsplit(url).path)
        slug = match.kwargs.get("lang")
        out[url] = (client.get(url), BY_SLUG[slug].tag if slug else SWEDISH, match)
    assert len(out) > 20
    return out


def html_pages(pages):
    for url, (response, language, match) in pages.items():
        if response["Content-Type"].startswith("text/html"):
            yield url, lxml.html.fromstring(response.content.decode()), language, match


def own_lang(element) -> str | None:
    """The lang the element's text is in, from the nearest element below <html> that says it."""
    while element is not None and element.tag != "html":
        if element.get("lang"):
            return element.get("lang")
        element = element.getparent()
    return None


def text_nodes(tree):
    """(text, the element it belongs to) for every piece of text in <body>,
    outside charts: an SVG chart's accessible name mixes the frame's words with
    an indicator's name in one <title>, which cannot mark a part's language;
    its data table beside it has the name, marked."""
    for element in tree.body.iter():
        if not isinstance(element.tag, str) or element.xpath("ancestor-or-self::svg"):
            continue
        if element.text and element.text.strip():
            yield element.text, element
        if element.tail and element.tail.strip() and element is not tree.body:
            yield element.tail, element.getparent()


def test_every_address_answers_without_scripts_or_cookies(pages):
    for url, (response, _language, _match) in pages.items():
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} sets a cookie: {response.cookies}"
        body = response.content.decode(errors="replace").lower()
        assert "<script" not in body and "csrfmiddlewaretoken" not in body, url
        if response["Content-Type"].startswith("text/html"):
            csp = response["Content-Security-Policy"]
            assert "script-src 'none'" in csp and "form-action 'none'" in csp, url


def test_nothing_from_elsewhere_and_no_event_handlers(pages):
    for url, tree, _language, _match in html_pages(pages):
        assert not tree.xpath("//form|//iframe|//object|//embed"), url
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert not [a for a in element.attrib if a.startswith("on")], f"{url}: {element.tag} has a handler"
        for src in tree.xpath("//img/@src|//link[not(@rel='alternate')]/@href|//source/@src|//video/@src|//audio/@src"):
            assert (src.startswith("/") and not src.startswith("//")) or src.startswith("data:"), f"{url}: {src}"


def test_the_page_language_is_the_frames(pages):
    for url, tree, language, _match in html_pages(pages):
        assert tree.get("lang") == ui_language(language), url
        assert language != "en" or tree.get("lang") == "en", url
        assert len(tree.xpath("//h1")) == 1, f"{url}: one <h1>"
        assert tree.xpath("string(//title)").strip(), url


def test_every_text_says_its_language(pages):
    """Outside the language list, an element marks only the language asked for
    or Swedish; what the municipality wrote in Swedish only is marked sv on
    every page in another language; a translated text is in the language
    asked for, or Swedish where it fell back."""
    seen_swedish_only = set()
    for url, tree, language, _match in html_pages(pages):
        for element in tree.xpath("//body//*[@lang][not(ancestor-or-self::*[@id='languages'])]"):
            assert element.get("lang") in {language, SWEDISH}, f"{url}: lang={element.get('lang')}"
            assert element.get("lang") in BY_TAG, url
        for text, element in text_nodes(tree):
            for swedish in SWEDISH_ONLY:
                if swedish in text:
                    seen_swedish_only.add(swedish)
                    if language != SWEDISH:
                        assert own_lang(element) == SWEDISH, f'{url}: "{swedish}" is not marked lang="sv"'
            for swedish, english in TRANSLATED.items():
                if swedish in text:
                    assert language != "en", f"{url}: the English text of {swedish!r} is not shown"
                    assert own_lang(element) == SWEDISH or language == SWEDISH, f"{url}: {swedish!r} without lang"
                if english in text:
                    assert language == "en" and own_lang(element) in ("en", None), f"{url}: {english!r}"
    # The list above must name texts the pages show, or it checks nothing.
    assert seen_swedish_only == set(SWEDISH_ONLY), f"Never shown: {set(SWEDISH_ONLY) - seen_swedish_only}"


def test_the_fallback_line_once_per_section_and_only_where_a_text_fell_back(pages):
    notes_on_kalderash = 0
    for url, tree, language, _match in html_pages(pages):
        notes = tree.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' fallback-note ')]")
        if language == SWEDISH:
            assert not notes, f"{url}: a fallback line on a Swedish page"
            continue
        parents = [note.getparent() for note in notes]
        assert len(parents) == len(set(parents)), f"{url}: two fallback lines in one section"
        for note in notes:
            section = note.getparent()
            fell_back = [
                e
                for e in section.xpath(".//*[@lang='sv']")
                if e is not note and "fallback-note" not in e.get("class", "")
            ]
            assert fell_back, f"{url}: a fallback line in a section without a Swedish text"
            assert note.get("lang") in {language, SWEDISH}, url
        if language == "rmy-x-kalderas":
            notes_on_kalderash += len(notes)
    assert notes_on_kalderash, "No kalderash page has a fallback line: the world has no Swedish text to fall back on"


def test_alternates_list_every_offered_language(pages, world):
    offered = ["sv", "en", "rmy-x-kalderas"]
    for url, tree, language, match in html_pages(pages):
        alternates = {link.get("hreflang"): link.get("href") for link in tree.xpath("//head/link[@rel='alternate']")}
        assert sorted(alternates) == sorted(offered), url
        kwargs = {k: v for k, v in match.kwargs.items() if k != "lang"}
        for tag, href in alternates.items():
            slug = BY_TAG[tag].slug
            path = reverse(match.view_name, kwargs=kwargs | ({"lang": slug} if slug else {}))
            assert href == f"http://testserver{path}", url  # absolute, as search engines want
        assert alternates[language] == f"http://testserver{url}", url
        footer = {a.get("hreflang"): a.get("href") for a in tree.xpath("//*[@id='languages']//a[@hreflang]")}
        assert {tag: f"http://testserver{href}" for tag, href in footer.items()} == alternates, (
            f"{url}: the language list differs from the alternates"
        )


def test_every_table_scrolls_in_a_labelled_region(pages):
    tables = 0
    for url, tree, _language, _match in html_pages(pages):
        for table in tree.xpath("//table"):
            tables += 1
            region = table.getparent()
            assert region.tag == "div" and "table-scroll" in region.get("class", "").split(), url
            assert (region.get("role"), region.get("tabindex")) == ("region", "0"), url
            caption = table.find("caption")
            assert caption is not None and caption.text_content().strip(), f"{url}: a table without a caption"
            label = region.get("aria-labelledby") or ""
            assert label and caption.get("id") == label, f"{url}: the region is not labelled by its caption"
            assert len(tree.xpath(f"//*[@id='{label}']")) == 1, f"{url}: id {label} is not unique"
    assert tables, "No walked page has a table: the world publishes nothing with a table"
