"""Files of a remiss (documents/): the remissunderlag on the remiss, the signed decision
on a body's answer; who sees and changes them, and an answer's files never through an
organisation's link (the remiss's own files are listed there: test_underlag.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Attachment
from documents.tests import files
from documents.tests.files import upload
from remiss import services
from remiss.tests.test_remiss import new_remiss
from tests.formreader import submissions


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def browser(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    return client


def attach_through_page(client, page_url, name, content, title):
    page = client.get(page_url)
    assert page.status_code == 200
    (form,) = [s for s in submissions(page_url, page.content) if s.name == "documents:upload"]
    response = client.post(form.action, {**form.data, "title": [title], "file": upload(name, content)})
    assert response.status_code == 302 and response["Location"] == f"{page_url}#attachments"


def upload_forms(client, url) -> list:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return [s for s in submissions(url, page.content) if s.name == "documents:upload"]


def test_the_coordinator_attaches_the_remissunderlag_and_the_bodies_see_it(world):
    remiss = new_remiss(world, units=[world.unit_a, world.unit_b])
    detail = reverse("remiss:detail", args=[remiss.pk])
    attach_through_page(browser(world, "coordinator"), detail, "Handlingsplan 2030.pdf", files.PDF, "Remissunderlag")
    attachment = Attachment.objects.get()
    assert attachment.content_object == remiss and attachment.municipality == world.municipality
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    download = reverse("documents:download", args=[attachment.pk, attachment.original_name])
    for role, status in [("contact_a", 200), ("contact_b", 200), ("reader", 200), ("representative", 404)]:
        response = world.client(role).get(download)
        assert response.status_code == status, role
    # Only the coordinator attaches to the remiss itself.
    assert upload_forms(world.client("contact_a"), detail) == []
    assert upload_forms(world.client("reader"), detail) == []


def test_a_unit_attaches_its_signed_decision_to_its_own_answer_only(world):
    remiss = new_remiss(world, units=[world.unit_a, world.unit_b])
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    body_a, body_b = remiss.bodies.get(unit=world.unit_a), remiss.bodies.get(unit=world.unit_b)
    answer_a = reverse("remiss:answer", args=[body_a.pk])
    attach_through_page(
        browser(world, "contact_a"), answer_a, "Beslut SN 2025-10-23.pdf", files.PDF, "Justerat protokollsutdrag"
    )
    attachment = Attachment.objects.get()
    assert attachment.content_object == body_a
    download = reverse("documents:download", args=[attachment.pk, attachment.original_name])
    assert world.client("contact_b").get(download).status_code == 404  # another unit's answer
    assert world.client("coordinator").get(download).status_code == 200
    # Contact B gets no form on A's answer (not found) and one on their own.
    assert world.client("contact_b").get(answer_a).status_code == 404
    assert len(upload_forms(world.client("contact_b"), reverse("remiss:answer", args=[body_b.pk]))) == 1


def test_an_organisations_personal_link_shows_no_files_and_no_upload(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    body = remiss.bodies.get(unit__isnull=True)
    attach_through_page(
        browser(world, "coordinator"), reverse("remiss:answer", args=[body.pk]), "Yttrande.pdf", files.PDF, "Yttrande"
    )
    page = Client().get(reverse("remiss_public:answer", args=[body.link_token]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Yttrande.pdf" not in text and "documents:upload" not in text and 'enctype="multipart' not in text
