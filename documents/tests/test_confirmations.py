"""Removing an attached document goes through a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from documents.models import Attachment
from tests.confirmations import open_confirmation, post_form, sv
from tests.test_access import attachment_of


def test_removing_a_document_asks_first(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_of(world)
    client = world.client("contact_a")
    url = reverse("documents:delete", args=[attachment.pk])
    page = client.get(reverse("consultations:detail", args=[world.consultation.pk])).content.decode()
    assert f'href="{url}"' in page

    text, form = open_confirmation(client, url)
    assert sv("Remove the document?") in text and "Ja, ta bort dokumentet" in text
    assert f"”{attachment.original_name}” tas bort från ”{world.consultation}”" in text
    assert Attachment.objects.filter(pk=attachment.pk).exists()

    response = post_form(client, form)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
