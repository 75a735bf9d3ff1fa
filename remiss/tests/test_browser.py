"""A remiss from sending to compilation in headless Chromium, with axe on every
page visited (the fixtures of tests/test_browser.py: the demo loaded)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def submit(tab, form_selector: str) -> None:
    tab.locator(f"{form_selector} button[type=submit]").first.click()
    tab.wait_for_load_state()


def test_a_remiss_from_sending_to_compilation(page, browser, live_server):  # noqa: F811
    from organisations.models import OrgUnit
    from plans.models import Plan
    from remiss.models import Answer, Comment, Remiss

    plan = Plan.objects.get(municipality__code="0180", title="Handlingsplan för romsk inkludering 2030")
    sn = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    goal = plan.goals.get(code="2.1.3")

    # The coordinator sends the plan on remiss from its page.
    sign_in(page, "sthlm-samordnare")
    page.goto(f"/planer/{plan.pk}/")
    page.locator(f"a[href='/remisser/plan/{plan.pk}/ny/']").click()
    page.wait_for_url("**/ny/")
    assert_accessible(page)
    page.locator("[name=title]").fill("Remiss av handlingsplanen, andra omgången")
    page.locator("[name=dnr]").fill("E2026-00001-1")
    page.locator("[name=deadline]").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.locator(f"input[name=units][value='{sn.pk}']").check()
    page.locator("[name=organisations]").fill("Romska kvinnoföreningen, info@example.se")
    submit(page, "form.form")
    remiss = Remiss.objects.get(dnr="E2026-00001-1")
    page.wait_for_url(f"**/remisser/{remiss.pk}/")
    assert_accessible(page)
    page.locator(f"a[href='/remisser/{remiss.pk}/skicka/']").click()  # its confirmation page (lib/confirm.py)
    page.wait_for_url(f"**/remisser/{remiss.pk}/skicka/")
    assert_accessible(page)
    submit(page, f"form[action='/remisser/{remiss.pk}/skicka/']")
    page.wait_for_url(f"**/remisser/{remiss.pk}/")
    remiss.refresh_from_db()
    assert remiss.status == Remiss.Status.SENT
    assert_accessible(page)
    link = remiss.bodies.get(unit__isnull=True).link_token

    # Socialnämnden's contact answers in the app.
    contact = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(contact, "sthlm-kontakt-sn")
    contact.goto(f"/remisser/{remiss.pk}/")
    assert_accessible(contact)
    body_sn = remiss.bodies.get(unit=sn)
    contact.goto(f"/remisser/instans/{body_sn.pk}/svar/")
    assert_accessible(contact)
    contact.locator("input[name=stance][value=tillstyrker_med_synpunkter]").check()
    contact.locator("[name=officer]").fill("Johan Berg")
    contact.locator(f"[name=goal_{goal.pk}]").fill("Långsiktiga samarbeten kräver föreningsstöd som går att söka.")
    submit(contact, "form.form")
    contact.wait_for_url(f"**/remisser/{remiss.pk}/")
    assert Answer.objects.get(body=body_sn).comments.get().goal == goal

    # The organisation answers through its link, without an account.
    anonymous = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    anonymous.goto(f"/remissvar/{link}/")
    assert_accessible(anonymous)
    anonymous.locator("input[name=stance][value=avstar]").check()
    submit(anonymous, "form.form")
    anonymous.wait_for_url("**/tack/")
    assert_accessible(anonymous)

    # The compilation: the coordinator records how the comment was handled.
    page.goto(f"/remisser/{remiss.pk}/sammanstallning/")
    assert_accessible(page)
    comment = Comment.objects.get(answer__body=body_sn)
    form = f"form[action='/remisser/synpunkt/{comment.pk}/hantering/']"
    page.locator(f"{form} select").select_option("beaktad")
    page.locator(f"{form} textarea").fill("Mål 2.1.3 nämner nu föreningsstödet.")
    submit(page, form)
    comment.refresh_from_db()
    assert comment.handling == "beaktad"
    assert_accessible(page)

    # Closed: the contact reads the unit's answer, read only, from the remiss's page.
    from remiss import services

    services.remiss_close(remiss=Remiss.objects.get(pk=remiss.pk), by=None)
    contact.goto(f"/remisser/{remiss.pk}/")
    contact.get_by_role("link", name="Läs svaret").click()
    contact.wait_for_url(f"**/remisser/instans/{body_sn.pk}/svar/")
    assert contact.locator("input[name=stance]").count() == 0
    assert "Mål 2.1.3 nämner nu föreningsstödet." in contact.content()
    assert_accessible(contact)


def test_a_comment_linked_to_the_change_it_caused(page):  # noqa: F811
    """The demo's 2018 strategy: its compilation offers version 2's changes; the link
    leads to the change on the compare page, which leads back."""
    from remiss.models import Comment, CommentChange, Remiss

    remiss = Remiss.objects.get(municipality__code="0180", plan__title__startswith="Stockholms stads strategi")
    comment = Comment.objects.get(answer__body__remiss=remiss, section="ovrigt")
    sign_in(page, "sthlm-samordnare")
    page.goto(f"/remisser/{remiss.pk}/sammanstallning/")
    assert_accessible(page)
    form = f"form[action='/remisser/synpunkt/{comment.pk}/hantering/']"
    page.locator(f"{form} select[name=c{comment.pk}-handling]").select_option("delvis")
    page.locator(f"{form} select[name=c{comment.pk}-changes]").select_option(
        label="4 Rätten till social omsorg och trygghet (ändrat)"
    )
    submit(page, form)
    link = CommentChange.objects.get(comment=comment)
    assert link.version.version == 2
    assert_accessible(page)
    page.locator(f"#comment-{comment.pk} a[href*='#change-{link.goal_identity}']").click()
    page.wait_for_load_state()
    from remiss.tests.test_remiss import sv

    caused = sv("Caused by remiss comments:")
    assert page.locator(f"#change-{link.goal_identity}").get_by_text(caused).count() == 1
    assert_accessible(page)
    page.locator(f"#change-{link.goal_identity} a[href$='#comment-{comment.pk}']").click()
    page.wait_for_load_state()
    assert f"/remisser/{remiss.pk}/sammanstallning/" in page.url
