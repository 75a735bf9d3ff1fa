"""Flows a person walks, in Debian's headless Chromium, with an accessibility
check (axe-core, from the npm registry) on every page visited."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(os.environ.get("AXE_CORE_JS") or settings.BASE_DIR / ".cache/npm/node_modules/axe-core/axe.min.js")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings, transactional_db):
    # The live server speaks plain HTTP on localhost.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe with every rule it has (WCAG 2.0-2.2 A, AA and AAA, best practices,
    experimental rules) on the page as it is now: no violation of any impact.
    The staff pages are held to what the public pages are (tests/test_public_browser.py)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: scripts/test installs axe-core from the npm registry.")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const rules = axe.getRules().map(r => r.ruleId);
            return await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
        }"""
    )
    bad = result["violations"]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad)
    assert not bad, f"Accessibility violations on {page.url}:\n{report}"


def sign_in(page, username: str) -> None:
    page.goto("/")
    assert_accessible(page)
    page.get_by_label("Användarnamn eller e-post").fill(username)
    page.get_by_label("Lösenord").fill("inkludera-demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


def test_coordinator_opens_the_2030_plan(page):
    sign_in(page, "sthlm-samordnare")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Planer").click()
    assert_accessible(page)
    page.get_by_role("link", name="Handlingsplan för romsk inkludering 2030").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Handlingsplan för romsk inkludering 2030"
    tree = page.locator("ol.goal-tree")
    for focus_area in ("Kunskap och information", "Välfärd och service", "Delaktighet och inflytande"):
        assert tree.locator(".depth-1 > .goal-head").get_by_text(focus_area, exact=True).is_visible()
    # A result goal with its responsible units (seed 002: "Särskilt ansvariga: kulturnämnden och stadsdelsnämnderna").
    result_goal = tree.locator("li.depth-3").filter(has_text="Stadens verksamheter utvecklar mötesplatser för romer")
    responsible = result_goal.locator(".responsible").first.inner_text()
    assert "Kulturnämnden" in responsible and "Stadsdelsnämnderna" in responsible
    assert_accessible(page)

    # Filter the plan by a unit with the keyboard-usable form.
    page.get_by_label("Ansvarig enhet").select_option(label="Trafiknämnden")
    page.get_by_role("button", name="Filtrera").click()
    # 2.2.1 names trafiknämnden; 1.1.1, 1.1.2 and 2.1.1 are for "samtliga nämnder och bolagsstyrelser".
    matching = tree.locator("li.depth-3:not(.goal-context)")
    assert sorted(matching.locator(".goal-code").all_inner_texts()) == ["1.1.1", "1.1.2", "2.1.1", "2.2.1"]
    assert_accessible(page)

    matching.filter(has_text="trygghet för romer").locator("a.goal-title").click()
    assert "Trafiknämnden" in page.get_by_role("main").inner_text()
    assert page.get_by_role("heading", name="Historik").is_visible()
    assert_accessible(page)


def test_unit_contact_sees_my_goals_and_the_unit_page(page):
    sign_in(page, "sthlm-kontakt-ha")
    main = page.get_by_role("main")
    assert main.get_by_role("heading", name="Mina mål").is_visible()
    rows = main.locator("table tbody tr")
    assert rows.count() >= 5  # Hägersten-Älvsjö answers through "stadsdelsnämnderna" and "samtliga"
    assert_accessible(page)
    main.get_by_role("link", name="Hägersten-Älvsjö stadsdelsnämnd").first.click()
    assert "Leila Haddad" in page.get_by_role("main").inner_text()
    assert_accessible(page)


def test_coordinator_adds_a_goal_and_sees_it_in_the_tree(page):
    sign_in(page, "huddinge-samordnare")
    page.get_by_role("link", name="Vägar framåt för romsk inkludering i Huddinge").first.click()
    page.get_by_role("link", name="Lägg till Väg framåt").click()
    assert_accessible(page)
    page.get_by_label("Kod").fill("4")
    page.get_by_label("Titel").fill("Fortsätt dialogmötena med romska invånare")
    page.get_by_role("group", name="Särskilt ansvariga").get_by_label("Kultur- och fritidsnämnden").check()
    page.get_by_role("button", name="Spara").click()
    assert "Målet 4 har lagts till." in page.get_by_role("status").first.inner_text()
    assert page.locator("ol.goal-tree > li.depth-1").filter(has_text="Fortsätt dialogmötena").is_visible()
    assert_accessible(page)


def test_the_follow_up_loop(page, browser, live_server):
    """A unit contact registers an activity against two goals and submits the unit
    report; the coordinator returns it; the contact completes it; the coordinator
    approves; coverage and the overview show it."""
    import re

    from activities.models import Activity
    from followups.models import Round, UnitReport
    from organisations.models import OrgUnit

    sn = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    report = Round.objects.get(name="Tertial 2 2026").reports.get(unit=sn)
    report_url = f"/uppfoljning/rapport/{report.pk}/"

    sign_in(page, "sthlm-kontakt-sn")
    page.goto("/aktiviteter/ny/")
    assert_accessible(page)
    page.locator("[name=title]").fill("Föräldrautbildning med romska brobyggare")
    plan = report.round.plan
    for code in ("1.1.1", "2.1.1"):
        page.locator(f"input[name=goals][value='{plan.goals.get(code=code).pk}']").check()
    page.locator("[name=start_date]").fill("2026-06-01")
    page.locator("[name=ongoing]").check()
    page.get_by_role("button", name="Spara").click()
    assert re.search(r"STHLM-A-\d{4}", page.get_by_role("main").inner_text())
    assert_accessible(page)
    activity = Activity.objects.get(title="Föräldrautbildning med romska brobyggare")
    assert {g.code for g in activity.goals.all()} == {"1.1.1", "2.1.1"}

    # The open report, from the start page.
    page.goto("/")
    page.locator(f"a[href='{report_url}']").first.click()
    assert_accessible(page)
    page.locator(f"a[href='{report_url}redigera/']").click()
    assert_accessible(page)
    for area in page.locator("textarea[name$='-result']").all():
        if not area.input_value():
            area.fill("Föräldrautbildning har startat i två stadsdelar.")
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**{report_url}")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED

    coordinator = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(coordinator, "sthlm-samordnare")
    coordinator.goto(report_url)
    assert_accessible(coordinator)
    coordinator.locator("textarea[name=comment]").fill("Beskriv utmaningarna för mål 2.1.1.")
    coordinator.locator("form[action$='/atersand/'] button").click()
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED

    page.goto(report_url)
    assert "Beskriv utmaningarna för mål 2.1.1." in page.get_by_role("main").inner_text()
    page.locator(f"a[href='{report_url}redigera/']").click()
    for area in page.locator("textarea[name$='-challenges']").all():
        if not area.input_value():
            area.fill("Svårt att nå familjer utan brobyggare.")
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**{report_url}")

    coordinator.goto(report_url)
    coordinator.locator("a[href$='/godkann/']").click()  # approval is confirmed on its own page
    coordinator.wait_for_url(f"**{report_url}godkann/")
    assert_accessible(coordinator)
    coordinator.locator("main form button[type=submit]").click()
    coordinator.wait_for_url(f"**{report_url}")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.APPROVED
    assert any(a["title"] == activity.title for a in report.snapshot["activities"])
    assert_accessible(coordinator)

    # Coverage: Socialnämnden now has an activity against 1.1.1, linked from its cell.
    goal = activity.goals.get(code="1.1.1")
    coordinator.goto("/uppfoljning/tackning/")
    assert_accessible(coordinator)  # the first focus area, one page of unit columns
    # The matrix shows 15 units a page: the coordinator picks the unit.
    coordinator.locator("#c-unit").select_option(str(sn.pk))
    coordinator.locator("form.filters button[type=submit]").click()
    coordinator.wait_for_url(f"**enhet={sn.pk}**")
    assert coordinator.locator(f"a[href*='enhet={sn.pk}&mal={goal.pk}']").count() == 1
    assert_accessible(coordinator)
    # The overview counts the approved report.
    coordinator.goto("/")
    coordinator.locator("details summary").first.click()
    rows = coordinator.locator("details table tbody tr").filter(has_text="Socialnämnden")
    assert "godkänd" in rows.first.inner_text().lower()
    assert_accessible(coordinator)
    coordinator.context.close()


def test_the_consultation_loop(page, browser, live_server):
    """The coordinator schedules a samråd with two items, records views and sends
    the minutes for review; the representative comments and sees them approved;
    the unit gives feedback on a view and links it to an activity; the
    representative sees the trace."""
    from activities.models import Activity
    from consultations.models import Consultation, MinutesVersion
    from organisations.models import Membership, OrgUnit

    sn = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    rep = Membership.objects.get(user__username="sthlm-representant")
    activity = Activity.objects.filter(owner=sn).order_by("number").first()

    sign_in(page, "sthlm-samordnare")
    page.goto("/samrad/nytt/")
    assert_accessible(page)
    page.locator("[name=title]").fill("Öppet samråd om föräldrastöd")
    page.locator("[name=form]").select_option("oppet")
    page.locator(f"input[name=organisers][value='{sn.pk}']").check()
    page.locator("[name=starts_at]").fill("2026-11-10T17:30")
    page.locator("[name=ends_at]").fill("2026-11-10T19:30")
    page.locator("[name=place]").fill("Rinkeby bibliotek")
    page.locator("input[name=services][value=tolk]").check()
    page.locator("[name=influence]").select_option("samrad")
    page.locator("[name=influence_note]").fill("Hur föräldrastödet ska utformas 2027.")
    page.locator(f"input[name=representatives][value='{rep.pk}']").check()
    page.get_by_role("button", name="Spara").click()
    consultation = Consultation.objects.get(title="Öppet samråd om föräldrastöd")
    page.wait_for_url(f"**/samrad/{consultation.pk}/")
    assert_accessible(page)

    for question in ("Vilka tider passar bäst?", "Behövs tolk på romani chib?"):
        page.goto(f"/samrad/{consultation.pk}/punkt/ny/")
        page.locator("[name=question]").fill(question)
        page.locator("[name=responsible_unit]").select_option(str(sn.pk))
        page.locator("[name=decision_body]").fill("Socialnämnden")
        page.locator("[name=decision_date]").fill("2026-12-15")
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url(f"**/samrad/{consultation.pk}/")
    item = consultation.items.get(question="Vilka tider passar bäst?")
    page.goto(f"/samrad/punkt/{item.pk}/synpunkt/ny/")
    assert_accessible(page)
    page.locator("[name=text]").fill("Kvällstider efter klockan 18 passar flest.")
    page.locator("[name=given_by]").select_option("grupp")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/samrad/{consultation.pk}/")
    assert "Kvällstider efter klockan 18" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.goto(f"/samrad/{consultation.pk}/minnesanteckningar/")
    page.locator("[name=text]").fill("Gruppen önskade kvällstider och tolk. Förvaltningen tar med synpunkterna.")
    page.get_by_role("button", name="Spara som utkast").click()
    minutes = MinutesVersion.objects.get(consultation=consultation)
    page.wait_for_url(f"**/samrad/minnesanteckningar/{minutes.pk}/")
    page.locator(f"input[name=reviewers][value='{rep.pk}']").check()
    page.locator("form[action$='/skicka/'] button").click()
    page.wait_for_url(f"**/samrad/minnesanteckningar/{minutes.pk}/skicka/?*")  # the confirmation page
    assert "1 representant" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, skicka på granskning").click()
    page.wait_for_url(f"**/samrad/minnesanteckningar/{minutes.pk}/")
    assert_accessible(page)

    representative = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(representative, "sthlm-representant")
    assert_accessible(representative)
    representative.locator(f"a[href='/samrad/minnesanteckningar/{minutes.pk}/']").first.click()
    assert_accessible(representative)
    representative.locator("[name=text]").fill("Skriv också att barnpassning behövs.")
    representative.locator("form[action$='/kommentera/'] button").click()
    assert minutes.comments.get().text == "Skriv också att barnpassning behövs."

    page.reload()
    assert "Skriv också att barnpassning behövs." in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Justera minnesanteckningarna").click()
    page.wait_for_url(f"**/samrad/minnesanteckningar/{minutes.pk}/justera/")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, justera minnesanteckningarna").click()
    page.wait_for_url(f"**/samrad/minnesanteckningar/{minutes.pk}/")
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.APPROVED
    representative.reload()
    assert "justerad" in representative.get_by_role("main").inner_text().lower()

    # The unit answers the view and links it to one of its activities.
    view = item.views.get()
    contact = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(contact, "sthlm-kontakt-sn")
    contact.goto(f"/samrad/synpunkt/{view.pk}/aterkoppling/")
    assert_accessible(contact)
    contact.locator("[name=status]").select_option("beaktad")
    contact.locator("[name=reasoning]").fill("Träffarna läggs kl. 18–20 från januari.")
    contact.locator("[name=decision_ref]").fill("SN 2026-12-15 § 4")
    contact.locator("[name=activities]").select_option(str(activity.pk))
    contact.get_by_role("button", name="Spara").click()
    contact.wait_for_url(f"**/samrad/synpunkt/{view.pk}/")
    assert_accessible(contact)

    representative.goto("/")
    representative.locator(f"a[href='/samrad/synpunkt/{view.pk}/']").first.click()
    trace = representative.get_by_role("main").inner_text()
    for part in ("Kvällstider efter klockan 18", "Socialnämnden", "Träffarna läggs kl. 18–20", activity.title):
        assert part in trace
    assert_accessible(representative)
    for p in (representative, contact):
        p.context.close()


def test_a_survey_answered_in_two_languages_and_its_suppressed_results(page, browser, live_server, monkeypatch):
    """Members of the public answer an open survey in Swedish and in Romani
    (arli), with the keyboard and without any cookie beyond CSRF; the
    coordinator closes the survey and finalises its results, then sees every
    count below 5, and those that would give one away, as "dolt"; the
    inventory's age groups once it is finalised too."""
    import re
    from datetime import timedelta

    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from inventories.models import DEFAULT_AGE_GROUPS, Inventory, Theme
    from organisations.models import Municipality
    from surveys import forms as survey_forms
    from surveys.models import Question, Response, Survey

    # The live server runs in this process: no minimum fill time, a fresh rate limit.
    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)
    cache.clear()
    sthlm = Municipality.objects.get(code="0180")
    assert sthlm.suppression_k == 5
    today = timezone.localdate()
    inventory = Inventory.objects.create(
        municipality=sthlm,
        name="Behovsinventering om läxhjälp",
        starts_on=today - timedelta(days=7),
        age_groups=DEFAULT_AGE_GROUPS,
    )
    Theme.objects.create(inventory=inventory, name="Utbildning", keywords="skola, läx*")
    survey = Survey.objects.create(
        municipality=sthlm,
        inventory=inventory,
        name="Läxhjälp för romska barn",
        languages=["sv", "rmn"],
        texts={
            "sv": {"title": "Vad behöver ditt barn i skolan?", "intro": "Frivilligt och anonymt."},
            "rmn": {
                "title": "So trubul e čhavorese ande škola?",
                "intro": "Kamlimasa thaj bi anavesko.",
                # Fixture text in place of a translator's notes (surveys.languages).
                "privacy": "[rmn-testtext] Inga namn eller kontaktuppgifter.",
                "note": "[rmn-testtext] Visas på svenska.",
            },
        },
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        status=Survey.Status.OPEN,
    )
    ages = [("a1", "under 18", "tele 18 berš"), ("a2", "18–30", "18–30 berš"),
            ("a3", "31–50", "31–50 berš"), ("a4", "51+", "51 berš thaj majbut")]  # fmt: skip
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.AGE, required=True,
        texts={"sv": "Hur gammal är du?", "rmn": "Sode beršenđo san?"},
        options=[{"value": v, "texts": {"sv": sv, "rmn": rmn}} for v, sv, rmn in ages],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind=Question.Kind.SINGLE,
        texts={"sv": "Behöver ditt barn läxhjälp?", "rmn": "Trubul e čhavorese ažutipe e butjasa?"},
        options=[{"value": "ja", "texts": {"sv": "Ja", "rmn": "Va"}},
                 {"value": "nej", "texts": {"sv": "Nej", "rmn": "Na"}},
                 {"value": "vet", "texts": {"sv": "Vet inte", "rmn": "Na džanav"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=3, kind=Question.Kind.TEXT,
        texts={"sv": "Vad saknar du i skolan?", "rmn": "So nane tut ande škola?"},
    )  # fmt: skip
    link = reverse("survey_public:answer", args=[survey.token])

    def public_page(query=""):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        visitor = context.new_page()
        visitor.set_default_timeout(15_000)
        visitor.goto(link + query)
        return visitor

    def thanked(visitor, language):
        visitor.wait_for_url(f"**{link}tack/?sprak={language}")
        assert visitor.get_by_role("heading", level=1).inner_text() == "Tack för dina svar"
        assert visitor.context.cookies() and {c["name"] for c in visitor.context.cookies()} == {"csrftoken"}

    # 1. In Swedish, with the keyboard.
    visitor = public_page()
    assert visitor.get_by_role("heading", level=1).inner_text().startswith("Välj språk")
    assert visitor.get_by_role("listitem").filter(has_text="Romani (arli)").get_attribute("lang") == "rmn"
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Svenska").click()
    visitor.wait_for_url(f"**{link}?sprak=sv")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Vad behöver ditt barn i skolan?"
    assert_accessible(visitor)
    age = visitor.get_by_role("group", name="1. Hur gammal är du?")
    age.get_by_role("radio", name="under 18").focus()
    visitor.keyboard.press("ArrowDown")  # moves to, and chooses, 18–30
    visitor.keyboard.press("Tab")  # the next question's group; the hidden robot field is skipped
    visitor.keyboard.press("Space")  # Ja
    visitor.keyboard.press("Tab")
    visitor.keyboard.type("Läxhjälp på biblioteket efter skolan.")
    assert age.get_by_role("radio", name="18–30").is_checked()
    assert visitor.get_by_role("group", name="2. Behöver ditt barn läxhjälp?").get_by_label("Ja").is_checked()
    assert (
        visitor.get_by_label("Vad saknar du i skolan?", exact=True).input_value()
        == "Läxhjälp på biblioteket efter skolan."
    )
    assert visitor.locator("[name=webbplats]").input_value() == ""
    visitor.keyboard.press("Tab")
    assert visitor.evaluate("document.activeElement.textContent") == "Skicka mina svar"
    visitor.keyboard.press("Enter")
    thanked(visitor, "sv")
    assert_accessible(visitor)
    visitor.context.close()
    assert Response.objects.filter(survey=survey).count() == 1

    # 2. In Romani (arli): the questions in Romani, the page around them in Swedish.
    visitor = public_page()
    visitor.get_by_role("link", name="Romani (arli)").click()
    visitor.wait_for_url(f"**{link}?sprak=rmn")
    assert visitor.locator("html").get_attribute("lang") == "sv"
    assert visitor.get_by_role("heading", level=1).inner_text() == "So trubul e čhavorese ande škola?"
    assert visitor.locator("div[lang=rmn]").filter(has=visitor.get_by_role("heading", level=1)).count() == 1
    legends = visitor.locator("fieldset.question legend").all_inner_texts()
    assert legends == [
        "1. Sode beršenđo san? (obligatoriskt)",
        "2. Trubul e čhavorese ažutipe e butjasa?",
        "3. So nane tut ande škola?",
    ]
    assert visitor.locator("fieldset.question[lang=rmn]").count() == 3
    assert visitor.locator("legend .required").get_attribute("lang") == "sv"  # Swedish words are marked so
    assert "Hur gammal" not in visitor.get_by_role("main").inner_text()
    assert_accessible(visitor)
    # Sent without the required age group: the error is shown by the question, in Swedish.
    visitor.get_by_role("radio", name="Na", exact=True).check()
    visitor.get_by_role("button", name="Skicka mina svar").click()
    age = visitor.get_by_role("group", name=re.compile(r"^1\. Sode beršenđo san\?"))
    assert age.locator(".error").inner_text() == "Du behöver svara på den här frågan."
    assert age.locator(".error").get_attribute("lang") == "sv"
    assert visitor.get_by_role("radio", name="Na", exact=True).is_checked()
    assert_accessible(visitor)
    age.get_by_role("radio", name="18–30 berš").check()
    visitor.get_by_label("So nane tut ande škola?", exact=True).fill("Romani čhib ande škola.")
    visitor.get_by_role("button", name="Skicka mina svar").click()
    thanked(visitor, "rmn")
    visitor.context.close()

    # 3. Six more, so that some counts are 5 or more and others 1 to 4:
    # age 18–30 ×5, under 18 ×1, 31–50 ×2; ja ×5, nej ×1, vet inte ×2; three free texts.
    more = [("sv", "under 18", "Ja", "Fler lärare med romani."), ("sv", "18–30", "Ja", ""),
            ("rmn", "31–50 berš", "Na džanav", ""), ("sv", "18–30", "Ja", ""),
            ("sv", "31–50", "Vet inte", "Modersmål i förskolan."), ("rmn", "18–30 berš", "Va", "")]  # fmt: skip
    for language, age_label, choice, text in more:
        visitor = public_page(f"?sprak={language}")
        visitor.get_by_role("radio", name=age_label, exact=True).check()
        visitor.get_by_role("radio", name=choice, exact=True).check()
        if text:
            visitor.locator("textarea").fill(text)
        visitor.get_by_role("button", name="Skicka mina svar").click()
        thanked(visitor, language)
        visitor.context.close()
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 8
    assert sorted(responses.values_list("language", flat=True)) == ["rmn"] * 3 + ["sv"] * 5

    # 4. While the survey is open the coordinator sees how many answered, no table.
    sign_in(page, "sthlm-samordnare")
    page.goto(reverse("surveys:results", args=[survey.pk]))
    main = page.get_by_role("main")
    assert "8 svar hittills." in main.inner_text()
    assert main.locator("table").count() == 0 and main.get_by_role("button").count() == 0
    assert_accessible(page)
    # Closed, then finalised: from then on the tables, and no more answers.
    page.goto(reverse("surveys:detail", args=[survey.pk]))
    page.get_by_role("button", name="Stäng enkäten").click()
    page.get_by_role("link", name="Fastställ resultaten").click()  # its confirmation page (lib/confirm.py)
    assert "Resultaten fastställs utifrån de 8 svar som enkäten har nu." in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, fastställ resultaten").click()
    page.wait_for_url(f"**{reverse('surveys:results', args=[survey.pk])}")
    main = page.get_by_role("main")
    assert "Resultaten är fastställda. Inga svar kan läggas till från och med nu." in page.inner_text("body")
    assert re.search(r"\b(Svar|Answers): 8\.", main.inner_text())

    for number, text in enumerate(("Hur gammal är du?", "Behöver ditt barn läxhjälp?", "Vad saknar du i skolan?"), 1):
        assert main.get_by_role("heading", level=2, name=f"{number}. {text}").is_visible()

    def counts(number: int) -> dict[str, str]:
        """The question's table: {answer: number}, the last row being all answers."""
        table = main.locator("table.result-table").filter(has=page.locator("caption", has_text=f"{number}. "))
        rows = table.locator("tbody tr").all()
        return {row.locator("th").inner_text(): row.locator("td").first.inner_text() for row in rows}

    # The survey counts in an inventory: its age groups are shown there, protected with the meetings.
    assert "Räknas i behovsinventeringens resultat" in main.inner_text()
    # 5 + 1 + 2: the 5 is hidden with the small counts, all alike, or the small ones would show.
    hidden = "dolt"
    choices = counts(2)
    assert list(choices.items())[:-1] == [("Ja", hidden), ("Nej", hidden), ("Vet inte", hidden), ("Inget svar", "0")]
    assert list(choices.values())[-1] == "8"
    assert f"{hidden} fritextsvar" in main.inner_text()  # 4 of 8 wrote something
    # No count from 1 to 4 anywhere: not in a table, not in a chart.
    assert main.locator("td.num.suppressed").count() == 3
    for value in main.locator("table.result-table td.num, svg text").all_text_contents():
        assert not re.fullmatch(r"\s*[1-4]\s*", value), value
    assert_accessible(page)

    # The inventory the survey counts in, finalised in turn: by age group, the same protection.
    page.goto(reverse("inventories:results", args=[inventory.pk]))
    assert page.get_by_role("main").locator("table").count() == 0
    page.get_by_role("link", name="Fastställ resultaten").click()
    page.get_by_role("button", name="Ja, fastställ resultaten").click()
    main = page.get_by_role("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Resultat: Behovsinventering om läxhjälp"
    age_table = main.locator("table.result-table").filter(has=page.locator("caption", has_text="Åldersgrupper"))
    assert age_table.locator("td.num.suppressed").count() >= 3
    for value in main.locator("table.result-table td.num, svg text").all_text_contents():
        assert not re.fullmatch(r"\s*[1-4]\s*", value), value
    assert_accessible(page)


def test_the_report_to_the_council(page, settings, tmp_path):
    """The coordinator opens the demo's report, watches a build's progress bar
    (the page updates itself when the files are ready) and edits the texts."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import Build, CouncilReport

    settings.MEDIA_ROOT = tmp_path
    report = CouncilReport.objects.get(municipality__code="0180")
    build = Build.objects.create(report=report, status=Build.Status.RUNNING, progress=60, step="Skriver PDF-filen")

    sign_in(page, "sthlm-samordnare")
    page.get_by_role("link", name="Rapporter", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=report.title).click()
    assert page.get_by_role("status").inner_text().startswith("Skriver PDF-filen (60 %)")
    assert page.locator("progress").get_attribute("value") == "60"
    assert_accessible(page)

    Build.objects.filter(pk=build.pk).update(progress=85, step="Skriver Word-filen")
    page.get_by_role("status").filter(has_text="Skriver Word-filen (85 %)").wait_for()
    build.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    build.docx.save("r.docx", ContentFile(b"PK"), save=False)
    build.status, build.progress, build.pdf_pages, build.finished_at = Build.Status.DONE, 100, 77, timezone.now()
    build.save()
    page.get_by_role("link", name="PDF, 77 sidor").wait_for()  # the page reloaded itself
    assert page.locator("progress").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Ändra texterna och uppföljningarna").click()
    assert_accessible(page)
    page.get_by_label("Analys").fill("Ny analys av arbetet.")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Ny analys av arbetet.").wait_for()


def test_a_coordinator_repeats_the_8_april_day_next_year(page):
    sign_in(page, "huddinge-samordnare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Evenemang").click()
    assert_accessible(page)
    page.get_by_role("link", name="Internationella Romadagen 8 april").first.click()
    main = page.get_by_role("main")
    assert "40" in main.inner_text()  # the day's participants, exact for staff
    assert_accessible(page)
    main.get_by_role("link", name="Skapa nästa års").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa nästa års evenemang").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Internationella Romadagen 8 april"
    assert "-04-08" in page.get_by_role("main").inner_text()
    assert_accessible(page)


def test_a_new_plan_version_is_adopted_and_compared(page, live_server):
    """Plan versions (docs/plan-versions.md), in English (the language switcher's
    cookie) so the names below do not depend on the Swedish catalogue."""
    from django.urls import reverse
    from django.utils import timezone

    from plans.models import Plan

    sign_in(page, "huddinge-samordnare")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    old = Plan.objects.get(municipality__code="0126", is_current=True)
    page.goto(f"/planer/{old.pk}/")
    page.get_by_role("button", name="Create a new version").click()
    assert "Version 2 was created" in page.get_by_role("status").first.inner_text()
    assert_accessible(page)
    new = Plan.objects.get(previous_version=old)
    goal = new.goals.order_by("depth", "position", "pk").first()
    page.goto(reverse("plans:goal_edit", args=[goal.pk]))
    page.locator("#id_title").fill(goal.title + " och fördjupa dialogen")
    page.get_by_role("button", name="Save").click()
    page.goto(f"/planer/{new.pk}/")
    page.get_by_label("Adopted by").fill("Kommunfullmäktige")
    page.get_by_label("Adopted on").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraph").fill("§ 12")
    page.get_by_role("button", name="Adopt", exact=True).click()
    assert "Version 2 is adopted." in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Compare versions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Compare").click()
    main = page.get_by_role("main")
    assert main.locator("ins").first.inner_text().split() == ["added:", "och", "fördjupa", "dialogen"]
    assert "New title" in main.inner_text()
    assert_accessible(page)
    old.refresh_from_db()
    # Huddinge's plan was a current draft: the adopted version takes over as current.
    assert not old.is_current and Plan.objects.get(pk=new.pk).is_current


def test_the_adoption_page_says_why_before_the_form(page, live_server):
    """Review r16, item 9: with reports of the version handing over not yet approved, the
    adoption page explains it with the rounds linked, and offers no form (plans)."""
    from followups.models import UnitReport
    from plans.models import Plan
    from plans.services import plan_new_version

    old = Plan.objects.get(municipality__code="0180", is_current=True)
    open_reports = UnitReport.objects.filter(round__plan=old).exclude(status=UnitReport.Status.APPROVED).count()
    assert open_reports > 0  # the demo's rounds of the 2030 plan are under way
    new = Plan.objects.filter(previous_version=old).order_by("-version").first() or plan_new_version(plan=old, by=None)
    sign_in(page, "sthlm-samordnare")
    page.goto(f"/planer/{new.pk}/anta/")
    notice = page.locator("#adopt-blocked")
    assert "Versionen kan inte antas nu" in notice.inner_text()
    assert f"{open_reports} rapporter i uppföljningsomgångarna" in notice.inner_text()
    assert notice.get_by_role("link").count() >= 1
    assert page.get_by_role("button", name="Anta", exact=True).count() == 0
    assert_accessible(page)
    page.goto("/planer/")
    assert f"Version {new.version}, utkast" in page.get_by_role("main").inner_text()
    assert_accessible(page)
