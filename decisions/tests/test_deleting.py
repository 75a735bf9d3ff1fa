"""Deleting what was recorded by mistake in the decision log: a decision (its
links, its consequence analysis and its attached files go), a meeting without
decisions, a body without meetings and decisions; refused otherwise, changing nothing."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditEvent
from decisions.models import Body, ConsequenceAnalysis, Decision, Meeting
from decisions.services import NotAllowedNow, body_delete, body_save, decision_save, meeting_delete
from documents.models import Attachment
from tests.confirmations import open_confirmation, post_form, sv


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_body(world, name="Styrgruppen") -> Body:
    return Body.objects.create(municipality=world.municipality, name=name, kind=Body.Kind.STEERING_GROUP)


def make_decision(world, body, title="Handlingsplanen remitteras", **fields) -> Decision:
    values = {"body": body, "decided_on": date(2026, 3, 20), "title": title, "paragraph": "§ 4", **fields}
    relations = {"goals": [world.result_goal], "consultations": [world.consultation]}
    return decision_save(municipality=world.municipality, by=None, fields=values, relations=relations)


def attach(world, decision, name="Protokollsutdrag.pdf") -> Attachment:
    content = b"%PDF-1.4\n%%EOF\n"
    stored = default_storage.save(f"attachments/{world.municipality.pk}/{name}", ContentFile(content))
    return Attachment.objects.create(
        municipality=world.municipality, content_type=ContentType.objects.get_for_model(Decision),
        object_id=decision.pk, file=stored, original_name=name, kind="pdf", size=len(content), sha256="0" * 64,
    )  # fmt: skip


def test_deleting_a_decision_takes_its_links_analysis_and_files(
    world, media_in_tmp, django_capture_on_commit_callbacks
):
    body = make_body(world)
    decision = make_decision(world, body)
    analysis = ConsequenceAnalysis.objects.create(decision=decision, effects="Fler nås.", conclusion="Positiv.")
    analysis.consultations.set([world.consultation])
    attachment = attach(world, decision)
    other = make_decision(world, body, title="Budget för brobyggare")
    kept_file = attach(world, other, "Underlag.pdf")

    client = world.client("coordinator")
    url = reverse("decisions:delete", args=[decision.pk])
    assert f'href="{url}"' in client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    text, form = open_confirmation(client, url)
    assert sv("Delete the decision?") in text and decision.title in text and "Styrgruppen" in text
    assert "Dess 2 kopplingar till mål, aktiviteter, remisser och samråd tas bort" in text
    assert sv("Its consequence analysis is deleted too.") in text
    assert "Den bifogade filen tas också bort: Protokollsutdrag.pdf." in text

    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, form)
    assert response.status_code == 302 and response["Location"] == reverse("decisions:list")
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert not ConsequenceAnalysis.objects.filter(pk=analysis.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(attachment.file.name)
    assert Decision.goals.through.objects.filter(decision_id=decision.pk).count() == 0
    # What stays: the goal, the samråd, the body, the other decision and its file.
    world.result_goal.refresh_from_db()
    world.consultation.refresh_from_db()
    assert list(Decision.objects.filter(pk=other.pk)) == [other] and Body.objects.filter(pk=body.pk).exists()
    assert other.consultations.get() == world.consultation
    assert default_storage.exists(kept_file.file.name) and Attachment.objects.filter(pk=kept_file.pk).exists()
    assert AuditEvent.objects.count() == events + 1
    deleted = AuditEvent.objects.for_object(decision).get(action=AuditEvent.Action.DELETE)
    assert deleted.actor == world.users["coordinator"]
    assert deleted.changes["title"] == [decision.title, None]
    assert deleted.changes["analysis_effects"] == ["Fler nås.", None]
    assert deleted.changes["attachments"] == [["Protokollsutdrag.pdf"], None]


def test_a_meeting_with_decisions_is_refused_and_one_without_is_deleted(world):
    body = make_body(world)
    held = Meeting.objects.create(body=body, held_on=date(2026, 3, 20))
    empty = Meeting.objects.create(body=body, held_on=date(2026, 4, 2), notes="Inställt")
    make_decision(world, body, meeting=held)
    client = world.client("coordinator")
    page = client.get(reverse("decisions:body", args=[body.pk])).content.decode()
    assert reverse("decisions:meeting_delete", args=[empty.pk]) in page
    assert reverse("decisions:meeting_delete", args=[held.pk]) not in page  # nothing to offer

    # Refused, by the page and by the service: the message names the count.
    url = reverse("decisions:meeting_delete", args=[held.pk])
    events = AuditEvent.objects.count()
    response = client.get(url, follow=True)
    assert "Mötet kan inte tas bort: 1 beslut är kopplat till det." in response.content.decode()
    assert client.post(url).status_code == 302
    with pytest.raises(NotAllowedNow):
        meeting_delete(meeting=held, by=None)
    assert Meeting.objects.filter(pk=held.pk).exists() and AuditEvent.objects.count() == events

    text, form = open_confirmation(client, reverse("decisions:meeting_delete", args=[empty.pk]))
    assert sv("Delete the meeting?") in text and "2 apr. 2026" in text
    assert post_form(client, form)["Location"] == reverse("decisions:body", args=[body.pk])
    assert list(body.meetings.all()) == [held]
    deleted = AuditEvent.objects.for_object(empty).get()
    assert deleted.action == AuditEvent.Action.DELETE and deleted.changes["notes"] == ["Inställt", None]
    # The body's own history says which meeting was removed (a meeting has no page of its own).
    on_body = AuditEvent.objects.for_object(body).get()
    assert on_body.action == AuditEvent.Action.UPDATE and on_body.changes == {"meeting": ["2 apr. 2026", None]}
    history = client.get(reverse("decisions:body", args=[body.pk])).content.decode()
    assert "möte" in history and "2 apr. 2026" in history


def test_a_body_in_use_is_refused_with_its_counts_and_an_empty_one_is_deleted(world):
    body = make_body(world)
    Meeting.objects.create(body=body, held_on=date(2026, 3, 20))
    Meeting.objects.create(body=body, held_on=date(2026, 4, 20))
    make_decision(world, body)
    client = world.client("coordinator")
    url = reverse("decisions:body_delete", args=[body.pk])
    events = AuditEvent.objects.count()
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("decisions:body", args=[body.pk])
    assert "Organet kan inte tas bort: det har 2 möten och 1 beslut." in response.content.decode()
    response = client.post(url, follow=True)
    assert "Organet kan inte tas bort: det har 2 möten och 1 beslut." in response.content.decode()
    with pytest.raises(NotAllowedNow):
        body_delete(body=body, by=None)
    assert body.meetings.count() == 2 and body.decisions.count() == 1 and AuditEvent.objects.count() == events

    empty = body_save(municipality=world.municipality, by=None, fields={"name": "Referensgruppen", "kind": "annat"})
    url = reverse("decisions:body_delete", args=[empty.pk])
    assert f'href="{url}"' in client.get(reverse("decisions:body", args=[empty.pk])).content.decode()
    text, form = open_confirmation(client, url)
    assert sv("Delete the body?") in text and "Referensgruppen" in text
    assert post_form(client, form)["Location"] == reverse("decisions:bodies")
    assert list(Body.objects.filter(municipality=world.municipality)) == [body]
    assert AuditEvent.objects.for_object(empty).filter(action=AuditEvent.Action.DELETE).exists()


def test_only_the_coordinator_deletes(world):
    body = make_body(world)
    decision = make_decision(world, body)
    for role in ("reader", "contact_a"):
        client = world.client(role)
        assert (
            reverse("decisions:delete", args=[decision.pk])
            not in client.get(decision.get_absolute_url()).content.decode()
        )
        assert client.post(reverse("decisions:delete", args=[decision.pk])).status_code == 403
    assert world.client("other_coordinator").post(reverse("decisions:delete", args=[decision.pk])).status_code == 404
    assert Decision.objects.filter(pk=decision.pk).exists()
