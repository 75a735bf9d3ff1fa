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
from remiss.models import Answer
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


def test_an_organisations_personal_link_shows_no_file_staff_attached_to_its_answer(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    body = remiss.bodies.get(unit__isnull=True)
    attach_through_page(
        browser(world, "coordinator"), reverse("remiss:answer", args=[body.pk]), "Yttrande.pdf", files.PDF, "Yttrande"
    )
    page = Client().get(reverse("remiss_public:answer", args=[body.link_token]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Yttrande.pdf" not in text and "documents:upload" not in text
    staff_file = Attachment.objects.get()
    name = staff_file.original_name
    assert (
        Client().get(reverse("remiss_public:document", args=[body.link_token, staff_file.pk, name])).status_code == 404
    )


def link_form(client, link):
    page = client.get(link)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(link, page.content) if s.action.endswith(link)]
    return sub


def test_an_organisation_sends_its_signed_decision_through_its_link(world):
    remiss = new_remiss(world, organisations="Romska kvinnoföreningen, info@example.se\nRomska rådet, rad@example.se")
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org, other = remiss.bodies.filter(unit__isnull=True).order_by("name")
    link = reverse("remiss_public:answer", args=[org.link_token])
    anonymous = Client(enforce_csrf_checks=True)
    sub = link_form(anonymous, link)
    assert 'enctype="multipart/form-data"' in anonymous.get(link).content.decode()
    data = {**sub.data, "stance": ["tillstyrker"], "decision_file": upload("Protokollsutdrag.pdf", files.PDF)}
    response = anonymous.post(sub.action, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (attachment,) = Attachment.objects.all()
    assert attachment.content_object == org and attachment.added_by is None and attachment.kind == "pdf"
    assert org.answer.stance == "tillstyrker"
    # The organisation sees what it sent and downloads it through its link; staff see it on the answer.
    page = anonymous.get(link).content.decode()
    own = reverse("remiss_public:document", args=[org.link_token, attachment.pk, attachment.original_name])
    assert own in page
    assert anonymous.get(own).status_code == 200
    assert (
        world.client("coordinator")
        .get(reverse("remiss:answer", args=[org.pk]))
        .content.decode()
        .count("Protokollsutdrag.pdf")
    )
    # Another organisation's link does not open it.
    assert (
        anonymous.get(
            reverse("remiss_public:document", args=[other.link_token, attachment.pk, attachment.original_name])
        ).status_code
        == 404
    )


def test_a_file_that_is_not_what_its_name_says_saves_neither_answer_nor_file(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(unit__isnull=True)
    link = reverse("remiss_public:answer", args=[org.link_token])
    anonymous = Client(enforce_csrf_checks=True)
    sub = link_form(anonymous, link)
    data = {**sub.data, "stance": ["tillstyrker"], "decision_file": upload("Beslut.pdf", b"<html><script>x</script>")}
    response = anonymous.post(sub.action, data)
    assert response.status_code == 400
    assert "Beslut.pdf" in response.content.decode()
    assert not Attachment.objects.exists() and not Answer.objects.filter(body=org).exists()


def test_an_answer_the_service_refuses_stores_no_file(world, settings, monkeypatch):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(unit__isnull=True)
    link = reverse("remiss_public:answer", args=[org.link_token])
    anonymous = Client(enforce_csrf_checks=True)
    sub = link_form(anonymous, link)

    def refuse(**kwargs):  # e.g. the remiss closed between the page and the post
        raise services.RemissRefused("Remissen är stängd.")

    monkeypatch.setattr(services, "answer_save", refuse)
    data = {**sub.data, "stance": ["tillstyrker"], "decision_file": upload("Beslut.pdf", files.PDF)}
    response = anonymous.post(sub.action, data)
    assert response.status_code == 400 and "Remissen är stängd." in response.content.decode()
    assert not Attachment.objects.exists()
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    assert stored == []


def test_an_organisation_sends_at_most_five_files(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(unit__isnull=True)
    link = reverse("remiss_public:answer", args=[org.link_token])
    anonymous = Client(enforce_csrf_checks=True)
    for i in range(5):
        sub = link_form(anonymous, link)
        data = {**sub.data, "stance": ["tillstyrker"], "decision_file": upload(f"Bilaga {i}.pdf", files.PDF)}
        assert anonymous.post(sub.action, data).status_code == 302
    sub = link_form(anonymous, link)
    data = {**sub.data, "stance": ["tillstyrker"], "decision_file": upload("Bilaga 6.pdf", files.PDF)}
    response = anonymous.post(sub.action, data)
    assert response.status_code == 400 and "5 filer har redan skickats med svaret" in response.content.decode()
    assert Attachment.objects.count() == 5
