"""Huddinge's demo events (seed 000) load once, through the services."""

from pathlib import Path

from django.conf import settings as django_settings
from django.core.management import call_command

from events.demo import load_demo_events
from events.models import Event
from organisations.models import Municipality

DEMO_FILE = Path(django_settings.BASE_DIR) / "demo" / "huddinge-events.yaml"


def test_huddinge_demo_events_load_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    huddinge = Municipality.objects.get(code="0126")
    events = Event.objects.filter(municipality=huddinge)
    assert sorted(events.values_list("kind", flat=True)) == ["8_april", "kultur", "kultur", "tavling"]
    roma_day = events.get(kind="8_april")
    assert (roma_day.starts_at.month, roma_day.starts_at.day, roma_day.participants_total) == (4, 8, 40)
    assert sorted(g.code for g in roma_day.goals.all()) == ["3", "3.1"]
    assert all(e.is_public and e.organisers.exists() for e in events)
    assert not Event.objects.exclude(municipality=huddinge).exists()
    assert load_demo_events(municipality=huddinge, path=DEMO_FILE) == 0
    assert events.count() == 4
