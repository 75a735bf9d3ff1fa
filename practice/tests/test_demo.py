"""Seed 001's practice examples load once, through the services: shared by
Stockholm, with their förutsättningar and tips, and one taken up by Huddinge."""

from pathlib import Path

from django.conf import settings as django_settings
from django.core.management import call_command

from organisations.models import Municipality
from practice.demo import load_demo_practice
from practice.models import Adoption, PracticeExample

DEMO_FILE = Path(django_settings.BASE_DIR) / "demo" / "practice-examples.yaml"


def test_the_demo_knowledge_bank_loads_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    stockholm = Municipality.objects.get(code="0180")
    examples = PracticeExample.objects.all()
    assert examples.count() == 12 and not examples.exclude(municipality=stockholm).exists()
    assert not examples.filter(is_published=False).exists()
    assert not examples.filter(prerequisites="").exists()
    network = examples.get(title="Stötta föräldranätverk")
    assert network.organisation.startswith("Haninge kommun")
    assert "Var tydlig med vad föräldranätverkets funktion är" in network.tips
    assert {a.pk for a in network.rights_areas.all()} == {"utbildning", "civilsamhalle"}
    assert {e.organisation.split(" ")[0] for e in examples} >= {"Haninge", "Uppsala", "Borås", "Gävle", "Helsingborgs"}
    (adoption,) = Adoption.objects.select_related("activity__plan", "municipality")
    assert adoption.example.title == "Idag är jag rom" and adoption.municipality.code == "0126"
    assert adoption.activity.plan.title == "Vägar framåt för romsk inkludering i Huddinge"
    assert [g.code for g in adoption.activity.goals.all()] == ["3"]
    assert load_demo_practice(path=DEMO_FILE) == (0, 0)
    assert PracticeExample.objects.count() == 12 and Adoption.objects.count() == 1
