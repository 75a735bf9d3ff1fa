"""Deleting a council report goes through a confirmation page (lib/confirm.py)."""

from django.urls import reverse

from reports.models import CouncilReport
from tests.confirmations import open_confirmation, post_form, sv
from tests.test_access import council_report_of


def test_deleting_a_council_report_counts_its_built_files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = council_report_of(world)
    client = world.client("coordinator")
    text, form = open_confirmation(client, reverse("reports:delete", args=[report.pk]))
    assert sv("Delete the council report?") in text and report.title in text
    assert "Dess 1 framtagna filuppsättning (PDF och Word) tas också bort." in text
    assert CouncilReport.objects.filter(pk=report.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not CouncilReport.objects.filter(pk=report.pk).exists()
