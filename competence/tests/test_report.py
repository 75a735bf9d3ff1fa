"""A committee's follow-up report shows the unit's trainings in the round's
period and its share of staff trained, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competence.models import Headcount
from competence.selectors import unit_competence

from .factories import make_occasion, make_training, staff_groups


def test_the_report_shows_the_units_trainings_in_the_period(world):
    _teachers, social = staff_groups(world)  # the round: 1 May – 31 August 2026
    make_occasion(make_training(world, "Romers historia"), date(2026, 6, 3), [(world.unit_a, social, 6)])
    make_occasion(make_training(world, "Utanför perioden"), date(2026, 1, 3), [(world.unit_a, social, 4)])
    make_occasion(make_training(world, "Annan enhet"), date(2026, 6, 3), [(world.unit_b, social, 9)])
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=2026, number=40)
    for name in ("followups:report", "followups:report_edit"):
        page = world.client("contact_a").get(reverse(name, args=[world.report_a.pk])).content.decode()
        assert "Romers historia" in page
        assert "Utanför perioden" not in page and "Annan enhet" not in page
        assert "25" in page  # (6 + 4) of 40 in the three years up to 2026


def test_unit_competence_takes_three_queries(world, django_assert_num_queries):
    _teachers, social = staff_groups(world)
    for n in range(10):
        make_occasion(make_training(world, f"Kurs {n}"), date(2026, 6, n + 1), [(world.unit_a, social, n)])
    with django_assert_num_queries(3):
        found = unit_competence(world.unit_a, start=date(2026, 5, 1), end=date(2026, 8, 31))
    assert len(found.occasions) == 10 and found.share.percent is None  # no headcount


def test_the_report_pages_do_not_grow_with_occasions(world):
    teachers, social = staff_groups(world)
    client = world.client("contact_a")
    urls = [reverse(name, args=[world.report_a.pk]) for name in ("followups:report", "followups:report_edit")]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    make_occasion(make_training(world), date(2026, 6, 1), [(world.unit_a, social, 1)])
    client.get(urls[0])
    before = counts()
    for n in range(15):
        make_occasion(make_training(world, f"Kurs {n}"), date(2026, 6, n + 1), [(world.unit_a, teachers, n + 1)])
    assert counts() == before
