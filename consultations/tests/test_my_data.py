"""A representative takes out what is stored about them (GDPR art. 15): their
own data, as a page and as a JSON file, and nobody else's."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_consultation, make_user
from consultations.models import Feedback, MinutesComment, View
from organisations.models import Membership
from organisations.services import member_update
from outbox.models import OutgoingMail
from tests import test_browser


@pytest.fixture
def two_representatives(world):
    """The world's representative with a view, feedback, a comment and e-mails;
    a second representative with their own of each, who must never show."""
    rep = world.membership("representative")
    coordinator = world.users["coordinator"]
    coordinator.first_name, coordinator.last_name = "Gunilla", "Staffsdotter"
    coordinator.save()
    View.objects.create(
        item=world.item, text="Brobyggarna behövs i skolan också.", given_by=View.GivenBy.REPRESENTATIVE,
        representative=rep, entered_by=coordinator,
    )  # fmt: skip
    mine = View.objects.get(text="Brobyggarna behövs i skolan också.")
    Feedback.objects.create(
        view=mine, status=Feedback.Status.TAKEN, reasoning="Två brobyggare anställs i skolan.", unit=world.unit_a
    )
    MinutesComment.objects.create(minutes=world.minutes, author=rep, text="Mitt namn är felstavat.")
    OutgoingMail.objects.create(
        key="a",
        kind=OutgoingMail.Kind.CONSULTATION_INVITATION,
        to=rep.user.email.upper(),
        subject="Välkommen den 12 mars",
    )
    # Consent withdrawn by the coordinator, and given again by the same.
    for consent in (False, True):
        member_update(
            member=rep, by=coordinator, first_name=rep.user.first_name, last_name="Rosengren", email=rep.user.email,
            role=Membership.Role.REPRESENTATIVE, organisation=rep.organisation, named_consent=consent,
        )  # fmt: skip

    other_user = make_user("annan_rep", world.municipality, Membership.Role.REPRESENTATIVE)
    other_user.last_name = "Lindqvist-Hemlig"
    other_user.save()
    other = other_user.membership
    other.organisation, other.named_consent, other.phone = "Resande-föreningen Hemlig", True, "070-999 88 77"
    other.save()
    theirs = make_consultation(
        world.municipality, world.unit_b, title="Hemligt samråd om bostäder", representatives=[other]
    )
    View.objects.create(
        item=theirs.items.get(), text="Den andres synpunkt om trångboddhet.", given_by=View.GivenBy.REPRESENTATIVE,
        representative=other,
    )  # fmt: skip
    OutgoingMail.objects.create(
        key="b", kind=OutgoingMail.Kind.CONSULTATION_INVITATION, to=other_user.email, subject="Den andres inbjudan"
    )
    return rep, other


SECRETS = (
    "annan_rep", "Lindqvist-Hemlig", "Resande-föreningen Hemlig", "070-999 88 77", "Hemligt samråd om bostäder",
    "Den andres synpunkt", "Den andres inbjudan", "Gunilla", "Staffsdotter",
)  # fmt: skip


def test_the_page_and_the_file_hold_the_representatives_own_data(world, two_representatives):
    rep, _other = two_representatives
    client = world.client("representative")

    start = client.get(reverse("home:start")).content.decode()
    assert reverse("consultations:my_data") in start  # reached from their own start page

    response = client.get(reverse("consultations:my_data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    for own in (
        rep.user.email, "Rosengren", "Romska kvinnoföreningen", world.consultation.title,
        "Brobyggarna behövs i skolan också.", "Två brobyggare anställs i skolan.", "Mitt namn är felstavat.",
        "Välkommen den 12 mars", reverse("consultations:my_data_json"),
    ):  # fmt: skip
        assert own in html, own

    download = client.get(reverse("consultations:my_data_json"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"].startswith('attachment; filename="inkludera-')
    data = json.loads(download.content)
    assert data["person"]["email"] == rep.user.email
    assert data["person"]["last_name"] == "Rosengren"
    assert data["consent"]["named_consent"] is True
    assert [(c["named_consent"], c["recorded_by"]) for c in data["consent"]["history"]] == [
        (False, "municipality"),
        (True, "municipality"),
    ]
    assert [c["title"] for c in data["consultations_invited_to"]] == [world.consultation.title]
    assert [v["view"] for v in data["views"]] == ["Brobyggarna behövs i skolan också."]
    assert data["views"][0]["feedback"]["reasoning"] == "Två brobyggare anställs i skolan."
    assert [c["comment"] for c in data["comments_on_minutes"]] == ["Mitt namn är felstavat."]
    assert [m["subject"] for m in data["emails"]] == ["Välkommen den 12 mars"]  # matched without regard to case

    for text in (html, download.content.decode()):
        for secret in SECRETS:
            assert secret not in text, secret


def test_each_representative_gets_only_their_own(world, two_representatives):
    rep, other = two_representatives
    client = world.client("anonymous")
    client.force_login(other.user)
    data = json.loads(client.get(reverse("consultations:my_data_json")).content)
    assert data["person"]["email"] == other.user.email
    assert [v["view"] for v in data["views"]] == ["Den andres synpunkt om trångboddhet."]
    text = json.dumps(data, ensure_ascii=False) + client.get(reverse("consultations:my_data")).content.decode()
    for mine in (rep.user.email, "Rosengren", "Romska kvinnoföreningen", "Brobyggarna behövs", "Välkommen den 12 mars"):
        assert mine not in text, mine
    assert world.consultation.title not in text


def test_staff_have_no_such_page(world):
    for role in ("reader", "contact_a", "coordinator"):
        assert world.client(role).get(reverse("consultations:my_data_json")).status_code == 403


def test_a_fixed_number_of_queries(world, two_representatives):
    client = world.client("representative")
    rep, _other = two_representatives
    url = reverse("consultations:my_data_json")
    client.get(url)  # the session and the content types cached

    def queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            data = json.loads(client.get(url).content)
        return len(captured), data

    few, _data = queries()
    for n in range(5):
        c = make_consultation(world.municipality, world.unit_a, title=f"Samråd {n}", representatives=[rep])
        View.objects.create(
            item=c.items.get(), text=f"Synpunkt {n}", given_by=View.GivenBy.REPRESENTATIVE, representative=rep
        )
    many, data = queries()
    assert len(data["views"]) == 6
    assert len(data["consultations_invited_to"]) == 6
    assert many == few


# The browser fixtures of the staff flows (Debian's Chromium, the demo loaded).
browser, page = test_browser.browser, test_browser.page


@pytest.mark.browser
def test_a_representative_finds_and_downloads_their_data_in_the_browser(page):
    test_browser.sign_in(page, "sthlm-representant")
    page.locator(f"a[href='{reverse('consultations:my_data')}']").click()
    page.wait_for_url(f"**{reverse('consultations:my_data')}")
    test_browser.assert_accessible(page)
    rep = Membership.objects.select_related("user").get(user__username="sthlm-representant")
    assert rep.user.email in page.get_by_role("main").inner_text()
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('consultations:my_data_json')}']").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["person"]["username"] == "sthlm-representant"
    assert data["consultations_invited_to"]  # the demo invites them to Stockholm's samråd
