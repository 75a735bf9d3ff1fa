"""Attaching, downloading and removing files, as each role, through the pages."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from audit.models import AuditEvent
from conftest import ROLES, make_consultation
from documents import services
from documents.models import Attachment
from documents.validators import check_upload
from tests.formreader import submissions

from . import files
from .conftest import stored_files
from .files import upload

LOGIN = "login"


def attach(obj, by, name="Kallelse till samråd.pdf", content=files.PDF, title=""):
    file = upload(name, content)
    return services.attachment_add(obj=obj, by=by, upload=file, checked=check_upload(file), title=title)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def browser(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    return client


def upload_form(client, page_url):
    page = client.get(page_url)
    assert page.status_code == 200
    forms = [s for s in submissions(page_url, page.content) if s.name == "documents:upload"]
    assert len(forms) == 1, [s.name for s in submissions(page_url, page.content)]
    return forms[0]


def field_error(page, field="file") -> str:
    document = lxml_html.document_fromstring(page.content)
    found = document.get_element_by_id(f"id_attachment_{field}_error", None)
    return " ".join(found.text_content().split()) if found is not None else ""


# --- Attaching, as the browser sends the form ------------------------------------


def test_a_unit_contact_attaches_minutes_to_their_consultation(world, media_in_tmp):
    client = browser(world, "contact_a")
    page_url = reverse("consultations:detail", args=[world.consultation.pk])
    form = upload_form(client, page_url)
    assert "csrfmiddlewaretoken" in form.data and "title" in form.data
    data = {
        **form.data,
        "title": ["Minnesanteckningar, justerade"],
        "file": upload("Protokoll 12 mars.docx", files.docx()),
    }
    response = client.post(form.action, data)
    assert response.status_code == 302 and response["Location"] == f"{page_url}#attachments"

    attachment = Attachment.objects.get()
    assert attachment.content_object == world.consultation
    assert (attachment.kind, attachment.original_name, attachment.title) == (
        "docx", "Protokoll 12 mars.docx", "Minnesanteckningar, justerade"
    )  # fmt: skip
    assert attachment.added_by == world.users["contact_a"] and attachment.municipality == world.municipality
    # Stored under a random name that says nothing about the file.
    assert "Protokoll" not in attachment.file.name and attachment.file.name.startswith("attachments/")
    assert stored_files(media_in_tmp) == [attachment.file.name]
    event = AuditEvent.objects.filter(object_id=world.consultation.pk).latest("pk")
    assert event.actor == world.users["contact_a"]
    assert event.changes["attachment"][0] is None and "Protokoll 12 mars.docx" in event.changes["attachment"][1]

    page = client.get(page_url)
    text = page.content.decode()
    assert "Minnesanteckningar, justerade" in text and "Contact Testsson" in text
    download = reverse("documents:download", args=[attachment.pk, attachment.original_name])
    assert f'href="{download}"' in text
    assert content_of(client.get(download)) == files.docx()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Beslut.docx", files.PDF),
        ("Beslut.pdf", files.docx()),
        ("Beslut.pdf", files.EXE),
        ("Beslut.pdf", files.HTML),
        ("Kallelse.docx", files.zip_bomb()),
        ("Tom.pdf", b""),
    ],
)
def test_a_refused_file_saves_nothing_and_says_why_at_the_field(world, media_in_tmp, name, content):
    client = browser(world, "coordinator")
    page_url = reverse("consultations:detail", args=[world.consultation.pk])
    form = upload_form(client, page_url)
    events = AuditEvent.objects.count()
    response = client.post(form.action, {**form.data, "title": ["Beslut"], "file": upload(name, content)})
    assert response.status_code == 302 and response["Location"].startswith(page_url)
    assert not Attachment.objects.exists()
    assert stored_files(media_in_tmp) == []
    assert AuditEvent.objects.count() == events

    page = client.get(page_url)
    assert name in field_error(page), page.content.decode()[-3000:]
    document = lxml_html.document_fromstring(page.content)
    assert document.get_element_by_id("id_attachment_title").get("value") == "Beslut"  # what was typed stays
    assert document.get_element_by_id("id_attachment_file").get("aria-invalid") == "true"
    assert field_error(client.get(page_url)) == ""  # shown once


def test_a_file_over_the_limit_is_refused(world, settings, media_in_tmp):
    settings.ATTACHMENT_MAX_MB = 1
    client = browser(world, "coordinator")
    page_url = reverse("plans:detail", args=[world.plan.pk])
    form = upload_form(client, page_url)
    big = upload("Plan 2030.pdf", files.PDF + b"%" * (1024 * 1024))
    client.post(form.action, {**form.data, "file": big})
    assert not Attachment.objects.exists() and stored_files(media_in_tmp) == []
    assert "Plan 2030.pdf" in field_error(client.get(page_url))


def test_the_error_shows_on_a_page_kept_in_the_page_cache(world, page_cache, media_in_tmp):
    client = browser(world, "coordinator")
    page_url = reverse("plans:detail", args=[world.plan.pk])
    form = upload_form(client, page_url)
    client.get(page_url)  # kept (the first answer set the CSRF cookie)
    assert client.get(page_url)["X-Page-Cache"] == "hit"
    client.post(form.action, {**form.data, "file": upload("Plan 2030.pdf", files.docx())})
    refused = client.get(page_url)
    assert "Plan 2030.pdf" in field_error(refused) and not refused.has_header("X-Page-Cache")
    client.post(form.action, {**form.data, "file": upload("Plan 2030.docx", files.docx())})
    assert "Plan 2030.docx" in client.get(page_url).content.decode()  # the write made a new generation


def test_a_file_is_removed_again_when_its_row_is_not_saved(world, media_in_tmp, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit_record", fail)
    with pytest.raises(RuntimeError):
        attach(world.plan, world.users["coordinator"])
    assert not Attachment.objects.exists()
    assert stored_files(media_in_tmp) == []


def test_every_accepted_kind_is_attached(world, media_in_tmp):
    for name, content in [
        ("a.pdf", files.PDF), ("b.docx", files.docx()), ("c.xlsx", files.xlsx()), ("d.odt", files.odt()),
        ("e.ods", files.ods()), ("f.png", files.png()), ("g.jpg", files.jpeg()),
    ]:  # fmt: skip
        attach(world.plan, world.users["coordinator"], name=name, content=content)
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == sorted(
        ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg"]
    )
    assert len(stored_files(media_in_tmp)) == 7


# --- Who may download ---------------------------------------------------------------

CONSULTATION_FILE = {
    "anonymous": LOGIN, "reader": 200, "contact_a": 200, "contact_b": 200, "coordinator": 200,
    "other_coordinator": 404, "representative": 200,  # invited to this consultation
}  # fmt: skip
PLAN_FILE = CONSULTATION_FILE | {"representative": 404}  # the plan's pages are internal


@pytest.mark.parametrize("role", ROLES)
def test_download_per_role(world, role):
    minutes = attach(world.consultation, world.users["contact_a"], name="Minnesanteckningar.pdf")
    decision = attach(world.plan, world.users["coordinator"], name="Beslut KF 2023-12-11.odt", content=files.odt())
    uninvited = make_consultation(world.municipality, world.unit_b, title="Samråd utan representanten")
    invitation = attach(uninvited, world.users["coordinator"], name="Inbjudan.pdf")
    client = world.client(role)
    for attachment, expected, content in [
        (minutes, CONSULTATION_FILE[role], files.PDF),
        (decision, PLAN_FILE[role], files.odt()),
        (invitation, CONSULTATION_FILE[role] if role != "representative" else 404, files.PDF),
    ]:
        url = reverse("documents:download", args=[attachment.pk, attachment.original_name])
        response = client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
            continue
        assert response.status_code == expected, (role, url)
        if expected != 200:
            assert not hasattr(response, "streaming_content")
            continue
        assert content_of(response) == content
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert quote(attachment.original_name) in disposition or attachment.original_name in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_list_shows_on_the_page_for_those_who_see_it(world):
    attach(world.consultation, world.users["contact_a"], name="Minnesanteckningar.pdf", title="Protokoll")
    rep = world.client("representative").get(reverse("consultations:detail", args=[world.consultation.pk]))
    text = rep.content.decode()
    assert "Minnesanteckningar.pdf" in text
    assert 'action="/dokument/' not in text  # neither the upload form nor a delete button
    reader = world.client("reader").get(reverse("consultations:detail", args=[world.consultation.pk])).content.decode()
    assert "Minnesanteckningar.pdf" in reader and "/dokument/ny/" not in reader
    contact_b = world.client("contact_b").get(reverse("consultations:detail", args=[world.consultation.pk]))
    assert "/dokument/ny/" not in contact_b.content.decode()  # not an organiser
    coordinator = world.client("coordinator").get(reverse("consultations:detail", args=[world.consultation.pk]))
    assert "/dokument/ny/" in coordinator.content.decode() and "ta-bort" in coordinator.content.decode()


# --- Removing ---------------------------------------------------------------------


def test_an_organiser_removes_an_attachment_and_its_file(world, media_in_tmp, django_capture_on_commit_callbacks):
    attachment = attach(world.consultation, world.users["coordinator"], name="Inbjudan.pdf")
    client = browser(world, "contact_a")
    page_url = reverse("consultations:detail", args=[world.consultation.pk])
    delete_url = reverse("documents:delete", args=[attachment.pk])
    assert f'href="{delete_url}"' in client.get(page_url).content.decode()  # a link to the confirmation page
    page = client.get(delete_url)
    [form] = [s for s in submissions(delete_url, page.content) if s.name == "documents:delete"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.action, form.data)
    assert response.status_code == 302 and response["Location"] == f"{page_url}#attachments"
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored_files(media_in_tmp) == []
    event = AuditEvent.objects.filter(object_id=world.consultation.pk).latest("pk")
    assert event.actor == world.users["contact_a"]
    assert "Inbjudan.pdf" in event.changes["attachment"][0] and event.changes["attachment"][1] is None


REMOVE = {
    "anonymous": LOGIN, "reader": 403, "contact_a": 302, "contact_b": 403, "coordinator": 302,
    "other_coordinator": 404, "representative": 403,
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_remove_and_attach_per_role(world, media_in_tmp, role):
    attachment = attach(world.consultation, world.users["coordinator"], name="Inbjudan.pdf")
    client = world.client(role)
    events = AuditEvent.objects.count()
    response = client.post(reverse("documents:delete", args=[attachment.pk]))
    new = upload("Kapad.pdf", files.PDF)
    added = client.post(
        reverse("documents:upload", args=[attachment.content_type_id, world.consultation.pk]), {"file": new}
    )
    for answer in (response, added):
        if REMOVE[role] == LOGIN:
            assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
        else:
            assert answer.status_code == REMOVE[role], role
    names = set(Attachment.objects.values_list("original_name", flat=True))
    if REMOVE[role] == 302:
        assert names == {"Kapad.pdf"}
        assert AuditEvent.objects.count() == events + 2
    else:
        assert names == {"Inbjudan.pdf"}
        assert AuditEvent.objects.count() == events
        assert stored_files(media_in_tmp) == [attachment.file.name]


def test_only_registered_objects_of_ones_own_municipality_take_attachments(world):
    from django.contrib.contenttypes.models import ContentType

    client = world.client("coordinator")
    activity_type = ContentType.objects.get_for_model(world.activity)
    response = client.post(
        reverse("documents:upload", args=[activity_type.pk, world.activity.pk]), {"file": upload("a.pdf", files.PDF)}
    )
    assert response.status_code == 404
    plan_type = ContentType.objects.get_for_model(world.plan)
    other = world.client("other_coordinator").post(
        reverse("documents:upload", args=[plan_type.pk, world.plan.pk]), {"file": upload("a.pdf", files.PDF)}
    )
    assert other.status_code == 404
    assert not Attachment.objects.exists()


# --- Deleted with their object ----------------------------------------------------------


def test_deleting_the_object_deletes_its_attachments_and_files(world, media_in_tmp, django_capture_on_commit_callbacks):
    from consultations.services import consultation_delete
    from plans.services import plan_delete

    kept = attach(world.plan, world.users["coordinator"], name="Plan.pdf")
    attach(world.consultation, world.users["coordinator"], name="Inbjudan.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        consultation_delete(consultation=world.consultation, by=world.users["coordinator"])
    assert list(Attachment.objects.all()) == [kept]
    assert stored_files(media_in_tmp) == [kept.file.name]
    other = world.other_plan
    gone = attach(other, world.users["other_coordinator"], name="Vägar framåt.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        plan_delete(plan=other, by=world.users["other_coordinator"])
    assert not Attachment.objects.filter(pk=gone.pk).exists()
    assert stored_files(media_in_tmp) == [kept.file.name]


def test_the_list_takes_the_same_queries_for_one_and_many(world, django_assert_num_queries):
    from documents.selectors import attachments_of

    attach(world.plan, world.users["coordinator"])
    with django_assert_num_queries(1):
        assert len(attachments_of(world.plan)) == 1
    for n in range(5):
        attach(world.plan, world.users["contact_a" if n % 2 else "coordinator"], name=f"{n}.pdf")
    with django_assert_num_queries(1):
        assert len(attachments_of(world.plan)) == 6
