"""Stockholm's demo decision log and outreach months load once, through the services."""

from pathlib import Path

from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from decisions.demo import load_demo_decisions
from decisions.models import Decision
from organisations.models import Municipality
from outreach.demo import load_demo_outreach
from outreach.models import OutreachRecord

DEMO = Path(django_settings.BASE_DIR) / "demo"


def test_stockholm_demo_decisions_and_outreach_load_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    sthlm = Municipality.objects.get(code="0180")
    decisions = Decision.objects.filter(municipality=sthlm)
    assert decisions.count() == 4
    permanent = decisions.get(paragraph="§ 7")
    assert permanent.affects_minority and permanent.meeting.held_on.isoformat() == "2026-04-14"
    assert [c.title for c in permanent.analysis.consultations.all()] == [
        "Öppet samråd om socialtjänstens brobyggarverksamhet"
    ]
    assert decisions.get(paragraph="§ 21").remisses.count() == 1
    records = OutreachRecord.objects.filter(municipality=sthlm)
    today = timezone.localdate()
    # Only months that have ended: the current month is left to fill in.
    expected = 0 if today.year < 2026 else 36 if today.year > 2026 else 3 * (today.month - 1)
    # 2025's months of the two units that had bridge builders then ("earlier" in the file).
    expected += 0 if today.year < 2025 else 24 if today.year > 2025 else 2 * (today.month - 1)
    assert records.count() == expected
    assert not records.filter(month__gte=today.replace(day=1)).exists()
    assert all(r.goals.exists() and r.activity_id for r in records)
    assert load_demo_decisions(municipality=sthlm, path=DEMO / "stockholm-decisions.yaml") == 0
    assert load_demo_outreach(municipality=sthlm, path=DEMO / "stockholm-outreach.yaml") == 0
    assert not OutreachRecord.objects.exclude(municipality=sthlm).exists()
