"""Removing a view and approving minutes go through a confirmation page (lib/confirm.py)."""

from django.urls import reverse
from lxml import html as lxml_html

from consultations.models import MinutesComment, MinutesVersion, View
from outbox.models import OutgoingMail
from tests.confirmations import open_confirmation, post_form, sv


def test_removing_a_view_asks_first(world):
    client = world.client("contact_a")
    url = reverse("consultations:view_delete", args=[world.view.pk])
    trace = client.get(reverse("consultations:trace", args=[world.view.pk])).content.decode()
    assert f'href="{url}"' in trace

    text, form = open_confirmation(client, url)
    assert sv("Remove the view?") in text and "Ja, ta bort synpunkten" in text
    assert world.view.text[:40] in text
    assert View.objects.filter(pk=world.view.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not View.objects.filter(pk=world.view.pk).exists()


def test_approving_minutes_says_who_reviewed_and_asks_first(world):
    minutes = world.minutes
    rep = world.membership("representative")
    minutes.status = MinutesVersion.Status.REVIEW
    minutes.save(update_fields=["status"])
    minutes.reviewers.set([rep])
    MinutesComment.objects.create(minutes=minutes, author=rep, text="Rätta mitt namn.")
    client = world.client("coordinator")
    url = reverse("consultations:minutes_approve", args=[minutes.pk])
    page = client.get(reverse("consultations:minutes", args=[minutes.pk])).content.decode()
    assert f'href="{url}"' in page

    text, form = open_confirmation(client, url)
    assert "De skickades för granskning till 1 representant; 1 kommentar har kommit in." in text
    assert sv("Approving does not publish them: publishing is a step of its own.") in text
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.REVIEW

    assert post_form(client, form).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.APPROVED


def test_minutes_that_cannot_be_approved_yet_get_no_confirmation(world):
    """A draft of a consultation with representatives goes for review first: the page says so instead."""
    client = world.client("coordinator")
    response = client.get(reverse("consultations:minutes_approve", args=[world.minutes.pk]), follow=True)
    assert sv("Send the minutes for review to the representatives who attended before approving.") in (
        response.content.decode()
    )
    world.minutes.refresh_from_db()
    assert world.minutes.status == MinutesVersion.Status.DRAFT


def test_sending_minutes_for_review_names_the_reviewers_and_asks_first(world):
    rep = world.membership("representative")
    client = world.client("contact_a")
    minutes_url = reverse("consultations:minutes", args=[world.minutes.pk])
    url = reverse("consultations:minutes_send", args=[world.minutes.pk])
    page = lxml_html.document_fromstring(client.get(minutes_url).content.decode())
    [choice] = page.xpath(f'//form[@method="get"][@action="{url}"]//input[@name="reviewers"]')
    assert choice.get("value") == str(rep.pk)

    # The minutes page's form, with the representative ticked, as the browser sends it (GET).
    text, form = open_confirmation(client, f"{url}?reviewers={rep.pk}")
    assert f"Minnesanteckningarna går till granskning hos 1 representant: {rep.label}." in text
    assert "1 e-postmeddelande med en länk till minnesanteckningarna skickas nu." in text
    assert form.data["reviewers"] == [str(rep.pk)]
    world.minutes.refresh_from_db()
    assert world.minutes.status == MinutesVersion.Status.DRAFT and not OutgoingMail.objects.exists()

    assert post_form(client, form).status_code == 302
    world.minutes.refresh_from_db()
    assert world.minutes.status == MinutesVersion.Status.REVIEW
    assert list(world.minutes.reviewers.all()) == [rep]
    assert OutgoingMail.objects.count() == 1


def test_sending_minutes_with_nobody_chosen_goes_back_to_the_minutes(world):
    client = world.client("contact_a")
    response = client.get(reverse("consultations:minutes_send", args=[world.minutes.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:minutes", args=[world.minutes.pk])
