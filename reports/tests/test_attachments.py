"""The council's decision attached to a council report (documents/): attached by the
coordinator, listed with who added it and when, downloaded by the staff who see the
report, never by a representative or another municipality."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Attachment
from documents.tests import files
from documents.tests.files import upload
from tests.formreader import submissions
from tests.test_access import council_report_of


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload_forms(client, url) -> list:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return [s for s in submissions(url, page.content) if s.name == "documents:upload"]


def test_the_coordinator_attaches_the_councils_decision_and_the_staff_download_it(world):
    report = council_report_of(world)
    detail = reverse("reports:detail", args=[report.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    (form,) = upload_forms(client, detail)
    data = {**form.data, "title": ["Protokollsutdrag KF § 12"], "file": upload("KF 2026-03-02.pdf", files.PDF)}
    response = client.post(form.action, data)
    assert response.status_code == 302 and response["Location"] == f"{detail}#attachments"
    attachment = Attachment.objects.get()
    assert attachment.content_object == report and attachment.added_by == world.users["coordinator"]
    html = world.client("reader").get(detail).content.decode()
    assert "Protokollsutdrag KF § 12" in html and attachment.added_at.strftime("%Y-%m-%d") in html
    download = reverse("documents:download", args=[attachment.pk, attachment.original_name])
    for role, status in [
        ("coordinator", 200), ("reader", 200), ("contact_a", 200), ("contact_b", 200),
        ("representative", 404), ("other_coordinator", 404),
    ]:  # fmt: skip
        assert world.client(role).get(download).status_code == status, role
    # Only the coordinator attaches and removes.
    for role in ("reader", "contact_a"):
        assert upload_forms(world.client(role), detail) == []
        response = world.client(role).post(reverse("documents:delete", args=[attachment.pk]))
        assert response.status_code == 403, role
    assert Attachment.objects.count() == 1


def test_a_file_that_is_not_what_its_name_says_is_refused(world):
    report = council_report_of(world)
    detail = reverse("reports:detail", args=[report.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    (form,) = upload_forms(client, detail)
    client.post(form.action, {**form.data, "title": ["Beslut"], "file": upload("Beslut.pdf", files.docx())})
    assert not Attachment.objects.exists()
