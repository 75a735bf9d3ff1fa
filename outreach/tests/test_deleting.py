"""Removing a unit's month entered by mistake: "Ta bort månaden" on the month's
page when a record exists, the confirmation with its counts, what goes and what
stays, and who may (those who may enter the month)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from outreach.models import OutreachRecord
from outreach.services import outreach_month_save
from tests.confirmations import open_confirmation, post_form, sv

COUNTS = {
    "contacts": 12, "area_skola": 5, "area_socialtjanst": 3, "area_bostad": 2, "area_halsa": 1, "area_arbete": 1,
    "channel_besok": 6, "channel_telefon": 4, "channel_plats": 2, "referrals": 4,
}  # fmt: skip


def months_back(n: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def save(world, unit, month):
    return outreach_month_save(
        unit=unit, month=month, counts=COUNTS, by=None, activity=world.activity, goals=[world.result_goal]
    )


def delete_url(unit, month: date) -> str:
    return reverse("outreach:month_delete", args=[unit.pk, month.year, month.month])


def test_the_contact_removes_their_units_month(world):
    wrong, kept = months_back(1), months_back(2)
    record = save(world, world.unit_a, wrong)
    save(world, world.unit_a, kept)
    save(world, world.unit_b, wrong)
    client = world.client("contact_a")
    page = client.get(reverse("outreach:month", args=[world.unit_a.pk, wrong.year, wrong.month])).content.decode()
    url = delete_url(world.unit_a, wrong)
    assert f'href="{url}"' in page and sv("Remove the month") in page

    text, form = open_confirmation(client, url)
    assert sv("Remove the month?") in text and world.unit_a.name in text
    assert "Månadens 12 kontakter räknas inte längre" in text and "Månadens 4 hänvisningar tas också bort." in text
    assert f"Kopplingen till aktiviteten {world.activity.reference} tas bort; aktiviteten finns kvar." in text

    events = AuditEvent.objects.count()
    response = post_form(client, form)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('outreach:list')}?enhet={world.unit_a.pk}&ar={wrong.year}"
    assert not OutreachRecord.objects.filter(pk=record.pk).exists()
    assert OutreachRecord.objects.filter(unit=world.unit_a, month=kept).exists()
    assert OutreachRecord.objects.filter(unit=world.unit_b, month=wrong).exists()
    world.activity.refresh_from_db()  # the activity and goal stay
    assert world.result_goal.outreach_records.count() == 2
    assert AuditEvent.objects.count() == events + 1
    deleted = AuditEvent.objects.for_object(record).get(action=AuditEvent.Action.DELETE)
    assert deleted.changes["contacts"] == [12, None] and deleted.changes["month"] == [f"{wrong:%Y-%m}", None]

    # The month is empty again: no link, and nothing to remove.
    page = client.get(reverse("outreach:month", args=[world.unit_a.pk, wrong.year, wrong.month])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 404


def test_another_units_contact_and_readers_cannot_remove_it(world):
    month = months_back(1)
    record = save(world, world.unit_a, month)
    url = delete_url(world.unit_a, month)
    events = AuditEvent.objects.count()
    for role, status in (("contact_b", 403), ("reader", 403), ("other_coordinator", 404)):
        assert world.client(role).post(url).status_code == status, role
    assert OutreachRecord.objects.filter(pk=record.pk).exists() and AuditEvent.objects.count() == events
    # The coordinator may, for every unit.
    _text, form = open_confirmation(world.client("coordinator"), url)
    assert post_form(world.client("coordinator"), form).status_code == 302
    assert not OutreachRecord.objects.filter(pk=record.pk).exists()
