"""Publishing a view on the public återkoppling page (consultations.services.view_publish):
the form on the trace page as the browser sends it, the personal-details check and its
confirmation, unpublishing, and who may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import make_user
from consultations import services
from consultations.models import Feedback
from organisations.models import Membership
from public.tests.conftest import publish_site
from tests.formreader import submissions


def held(consultation, days=30):
    """The consultation moved to ``days`` ago (tests pass on any date)."""
    consultation.starts_at = timezone.now() - timedelta(days=days)
    consultation.ends_at = consultation.starts_at + timedelta(hours=2)
    consultation.save()
    return consultation


def publish(view, said, answer=""):
    return services.view_publish(view=view, by=None, said=said, answer=answer, confirmed_personal_data=True)


@pytest.fixture
def site(world):
    return publish_site(world.municipality)


def page(world, url):
    response = world.client("anonymous").get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def trace_form(client, view):
    url = reverse("consultations:trace", args=[view.pk])
    response = client.get(url)
    assert response.status_code == 200
    forms = [s for s in submissions(url, response.content) if s.name.startswith("consultations:view_publish")]
    assert len(forms) == 1
    return forms[0]


def test_publishing_as_the_browser_sends_the_form(world, site):
    held(world.consultation)
    Feedback.objects.create(
        view=world.view, status=Feedback.Status.TAKEN, reasoning="Två brobyggare till.", unit=world.unit_a
    )
    client = world.client("coordinator")
    form = trace_form(client, world.view)
    # Pre-filled with the view as recorded and the feedback's reasoning, to edit into public wording.
    assert form.data["said"] == ["Fler brobyggare behövs i söderort."]
    assert form.data["answer"] == ["Två brobyggare till."]
    assert "checked" not in form.data
    # Posted unchanged: refused until the user confirms the check for personal details.
    response = client.post(form.action, form.data)
    assert response.status_code == 400
    assert "personal details" in response.content.decode() or "personuppgifter" in response.content.decode()
    world.view.refresh_from_db()
    assert not world.view.public
    data = {**form.data, "said": ["Fler brobyggare behövs."], "answer": ["Två till anställs."], "checked": ["on"]}
    response = client.post(form.action, data)
    assert response.status_code == 302
    world.view.refresh_from_db()
    assert world.view.public and world.view.published_at is not None
    row = world.view.translations.get(language_code="sv")
    assert (row.said, row.answer) == ("Fler brobyggare behövs.", "Två till anställs.")
    assert AuditEvent.objects.filter(changes__published=[False, True]).exists()
    html = page(world, f"/0180/aterkoppling/{world.consultation.pk}/")
    assert "Fler brobyggare behövs." in html and "Två till anställs." in html
    # The form now shows the published wording; the view can be taken off the page.
    form = trace_form(client, world.view)
    assert form.data["said"] == ["Fler brobyggare behövs."]
    response = client.post(reverse("consultations:view_unpublish", args=[world.view.pk]))
    assert response.status_code == 302
    world.view.refresh_from_db()
    assert not world.view.public
    assert world.client("anonymous").get(f"/0180/aterkoppling/{world.consultation.pk}/").status_code == 404


@pytest.mark.parametrize(
    "said",
    [
        "Ring Anna på 070-123 45 67.",
        "Skriv till anna.andersson@example.se.",
        "Daniel Hemligsson tyckte att samråden är för få.",
    ],
)
def test_personal_details_in_the_public_wording_are_refused(world, site, said):
    held(world.consultation)
    secret = make_user("hemlig", world.municipality, Membership.Role.REPRESENTATIVE)
    secret.first_name, secret.last_name = "Daniel", "Hemligsson"
    secret.save()
    client = world.client("coordinator")
    form = trace_form(client, world.view)
    response = client.post(form.action, {**form.data, "said": [said], "checked": ["on"]})
    assert response.status_code == 400
    assert "personal details" in response.content.decode() or "personuppgifter" in response.content.decode()
    # The message stands at the text that holds them.
    errors = response.context["publish_form"].errors
    assert set(errors) == {"said"}
    assert invalid(response) == ["said"]
    world.view.refresh_from_db()
    assert not world.view.public
    with pytest.raises(services.NotAllowedNow):
        publish(world.view, said)
    assert not world.view.translations.exists()


def invalid(response) -> list[str]:
    """The names of the fields the page marks aria-invalid."""
    from lxml import html as lxml_html

    document = lxml_html.document_fromstring(response.content.decode())
    return [e.get("name") for e in document.xpath('//*[@aria-invalid="true"]')]


def test_personal_details_in_the_answer_are_refused_at_the_answer(world, site):
    held(world.consultation)
    client = world.client("coordinator")
    form = trace_form(client, world.view)
    data = {**form.data, "said": ["Fler brobyggare behövs."], "answer": ["Ring 070-123 45 67."], "checked": ["on"]}
    response = client.post(form.action, data)
    assert response.status_code == 400
    errors = response.context["publish_form"].errors
    assert set(errors) == {"answer"} and "070-123 45 67" in errors["answer"][0]
    assert invalid(response) == ["answer"]
    assert "Fler brobyggare behövs.</textarea>" in response.content.decode()  # what was typed is kept
    world.view.refresh_from_db()
    assert not world.view.public
    # The form as the page sends it back, the answer corrected: published.
    again = [s for s in submissions(form.action, response.content) if s.name.startswith("consultations:view_publish")]
    response = client.post(again[0].action, {**again[0].data, "answer": ["Två till anställs."], "checked": ["on"]})
    assert response.status_code == 302
    world.view.refresh_from_db()
    assert world.view.public


def test_the_service_refuses_without_confirmation_or_before_the_samrad(world):
    with pytest.raises(services.NotAllowedNow):
        services.view_publish(view=world.view, by=None, said="Text.", answer="", confirmed_personal_data=False)
    world.consultation.starts_at = timezone.now() + timedelta(days=1)
    world.consultation.ends_at = world.consultation.starts_at + timedelta(hours=1)
    world.consultation.save()
    with pytest.raises(services.NotAllowedNow):
        publish(world.view, "Text.")
    world.view.refresh_from_db()
    assert not world.view.public


@pytest.mark.parametrize("role, status", [("reader", 403), ("contact_b", 403), ("representative", 403)])
def test_only_those_who_run_the_samrad_publish(world, role, status):
    held(world.consultation)
    client = world.client(role)
    url = reverse("consultations:view_publish", args=[world.view.pk])
    response = client.post(url, {"said": "Kapad.", "checked": "on"})
    assert response.status_code == status
    world.view.refresh_from_db()
    assert not world.view.public
    trace = client.get(reverse("consultations:trace", args=[world.view.pk]))
    assert trace.status_code == 200 and url not in trace.content.decode()


def test_the_contact_of_the_organising_unit_publishes_too(world, site):
    held(world.consultation)
    client = world.client("contact_a")
    form = trace_form(client, world.view)
    response = client.post(form.action, {**form.data, "said": ["Fler brobyggare."], "checked": ["on"]})
    assert response.status_code == 302
    world.view.refresh_from_db()
    assert world.view.public


def test_wording_changed_by_someone_else_meanwhile_is_not_overwritten(world, site):
    held(world.consultation)
    client = world.client("coordinator")
    form = trace_form(client, world.view)
    assert form.data["version"] == ["0"]
    publish(world.view, "Någon annans formulering.")
    response = client.post(form.action, {**form.data, "said": ["Min formulering."], "checked": ["on"]})
    assert response.status_code == 409
    assert world.view.translations.get(language_code="sv").said == "Någon annans formulering."
    # The form comes back with the current version: saving again is a deliberate choice.
    again = [s for s in submissions(form.action, response.content) if s.name.startswith("consultations:view_publish")]
    response = client.post(again[0].action, {**again[0].data, "checked": ["on"]})
    assert response.status_code == 302
    assert world.view.translations.get(language_code="sv").said == "Min formulering."


def test_nothing_to_publish_before_the_samrad_is_held(world):
    world.consultation.starts_at = timezone.now() + timedelta(days=2)
    world.consultation.ends_at = world.consultation.starts_at + timedelta(hours=2)
    world.consultation.save()
    response = world.client("coordinator").get(reverse("consultations:trace", args=[world.view.pk]))
    assert response.status_code == 200
    assert reverse("consultations:view_publish", args=[world.view.pk]) not in response.content.decode()
