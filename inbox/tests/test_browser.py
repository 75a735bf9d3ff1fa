"""The inbox empties as work is done, in headless Chromium with axe on every
page visited (the fixtures of tests/test_browser.py: the demo loaded)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def sv_(msgid: str) -> str:
    with translation.override("sv"):
        return gettext(msgid)


def header_count(tab) -> int:
    badge = tab.locator(".main-nav .inbox-count")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_the_inbox_empties_as_work_is_done(page):  # noqa: F811
    from inbox.models import Kind
    from inbox.selectors import inbox_items
    from organisations.models import Membership, OrgUnit
    from plans.models import Plan
    from remiss import services
    from remiss.forms import parse_organisations
    from remiss.models import Answer

    plan = Plan.objects.get(municipality__code="0180", title="Handlingsplan för romsk inkludering 2030")
    sn = OrgUnit.objects.get(municipality__code="0180", short_name="SN")
    coordinator = Membership.objects.get(user__username="sthlm-samordnare").user
    remiss = services.remiss_create(
        plan=plan, by=coordinator, title="Remiss: inkorgens prov", dnr="E2026-09999-1",
        deadline=timezone.localdate() + timedelta(days=14), units=[sn], organisations=parse_organisations(""),
    )  # fmt: skip
    services.remiss_send(remiss=remiss, by=coordinator)
    body = remiss.bodies.get(unit=sn)
    contact = Membership.objects.get(user__username="sthlm-kontakt-sn")
    waiting = len(inbox_items(contact))

    sign_in(page, "sthlm-kontakt-sn")
    assert header_count(page) == waiting
    page.locator(".main-nav a[href='/vantar/']").click()
    page.wait_for_url("**/vantar/")
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == sv_("Waiting for you")
    row = page.locator("tr", has=page.locator(f"a[href='/remisser/instans/{body.pk}/svar/']"))
    assert remiss.deadline.isoformat() in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(f"**/remisser/instans/{body.pk}/svar/")
    page.locator("input[name=stance][value=tillstyrker]").check()
    page.locator("[name=officer]").fill("Johan Berg")
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_url(f"**/remisser/{remiss.pk}/")
    assert Answer.objects.filter(body=body).exists()

    page.goto("/vantar/")
    assert_accessible(page)
    assert page.locator(f"a[href='/remisser/instans/{body.pk}/svar/']").count() == 0
    assert header_count(page) == waiting - 1
    assert Kind.REMISS_ANSWER not in {i.kind for i in inbox_items(contact)}

    # The notifications page, as a keyboard and screen-reader user meets it.
    page.get_by_role("link", name=sv_("My notifications: choose which e-mails you get")).click()
    page.wait_for_url("**/vantar/aviseringar/")
    assert_accessible(page)
