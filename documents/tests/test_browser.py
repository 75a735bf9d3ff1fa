"""A coordinator attaches the invitation to a samråd in Chromium, is refused a
Word document named .pdf, downloads the invitation and removes it; axe on each page."""

from pathlib import Path

import pytest

from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 - fixtures

from . import files

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_coordinator_attaches_downloads_and_removes_a_document(page, tmp_path):  # noqa: F811
    from consultations.models import Consultation
    from documents.models import Attachment

    consultation = Consultation.objects.filter(municipality__code="0180").order_by("pk").first()
    invitation = tmp_path / "Inbjudan till samråd.pdf"
    invitation.write_bytes(files.PDF)
    renamed = tmp_path / "Protokoll.pdf"
    renamed.write_bytes(files.docx())

    sign_in(page, "sthlm-samordnare")
    page.goto(f"/samrad/{consultation.pk}/")
    assert_accessible(page)
    page.locator("#id_attachment_title").fill("Inbjudan")
    page.locator("#id_attachment_file").set_input_files(str(invitation))
    page.locator(".attachment-form button[type=submit]").click()
    page.wait_for_url(f"**/samrad/{consultation.pk}/#attachments")
    assert page.locator("#attachments").get_by_role("link", name="Inbjudan", exact=True).is_visible()
    assert_accessible(page)

    page.locator("#id_attachment_file").set_input_files(str(renamed))
    page.locator(".attachment-form button[type=submit]").click()
    page.wait_for_url(f"**/samrad/{consultation.pk}/#attachments")
    assert "Protokoll.pdf" in page.locator("#id_attachment_file_error").inner_text()
    assert_accessible(page)
    assert Attachment.objects.count() == 1

    with page.expect_download() as download:
        page.locator("#attachments").get_by_role("link", name="Inbjudan", exact=True).click()
    assert download.value.suggested_filename == "Inbjudan till samråd.pdf"
    assert Path(download.value.path()).read_bytes() == files.PDF

    page.locator("#attachments td a[href$='/ta-bort/']").click()  # its confirmation page (lib/confirm.py)
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ta bort dokumentet").click()
    page.wait_for_url(f"**/samrad/{consultation.pk}/#attachments")
    assert not Attachment.objects.exists()
    assert_accessible(page)
