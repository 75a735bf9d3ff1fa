"""Deleting a training registered by mistake: the confirmation page with its
counts, what goes (its occasions and their rows) and what stays, the computed
indicator brought up to date, and who may."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from competence.models import Headcount, Participation, Training, TrainingOccasion
from competence.services import share_indicators_refresh
from tests.confirmations import open_confirmation, post_form, sv

from .factories import make_occasion, make_share_indicator, make_training, staff_groups


def test_the_coordinator_deletes_a_training_with_its_occasions(world):
    year = timezone.localdate().year
    teachers, social = staff_groups(world)
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=year, number=20)
    twice = make_training(world, "Antiziganism – registrerad två gånger")
    make_occasion(twice, date(year, 1, 10), [(world.unit_a, social, 5), (world.unit_b, teachers, 3)])
    make_occasion(twice, date(year, 1, 20), [(world.unit_a, social, 2)])
    kept = make_training(world)
    kept_occasion = make_occasion(kept, date(year, 1, 15), [(world.unit_a, social, 4)])
    indicator = make_share_indicator(world)
    share_indicators_refresh(municipality=world.municipality, by=None)
    assert indicator.measurements.get().value == Decimal("55.0")  # (5 + 2 + 4) of 20

    client = world.client("coordinator")
    detail = client.get(reverse("competence:detail", args=[twice.pk])).content.decode()
    url = reverse("competence:delete", args=[twice.pk])
    assert f'href="{url}"' in detail
    text, form = open_confirmation(client, url)
    assert sv("Delete the training?") in text and twice.title in text
    assert "Dess 2 tillfällen tas också bort." in text
    assert "10 deltagare räknas inte längre i andelen utbildad personal" in text
    assert "Ja, ta bort utbildningen" in text

    events = AuditEvent.objects.count()
    response = post_form(client, form)
    assert response.status_code == 302 and response["Location"] == reverse("competence:list")
    assert not Training.objects.filter(pk=twice.pk).exists()
    assert not TrainingOccasion.objects.filter(training_id=twice.pk).exists()
    assert list(Participation.objects.values_list("occasion_id", "participants")) == [(kept_occasion.pk, 4)]
    # What stays: the other training, the headcount; the share computed again (4 of 20).
    assert Training.objects.filter(pk=kept.pk).exists() and Headcount.objects.count() == 1
    assert indicator.measurements.get().value == Decimal("20.0")
    # The training's deletion and the measurement's change, in the history.
    assert AuditEvent.objects.count() == events + 2
    deleted = AuditEvent.objects.for_object(twice).get(action=AuditEvent.Action.DELETE)
    assert deleted.changes["title"] == [twice.title, None]
    assert deleted.changes["occasions"] == [[f"{year}-01-10: 8", f"{year}-01-20: 2"], None]
    assert "togs bort" in client.get(response["Location"]).content.decode()


def test_a_training_without_occasions_says_so(world):
    training = make_training(world)
    text, _form = open_confirmation(world.client("coordinator"), reverse("competence:delete", args=[training.pk]))
    assert sv("It has no registered occasions.") in text and "deltagare" not in text


def test_only_the_coordinator_sees_the_link_and_may_delete(world):
    training = make_training(world)
    url = reverse("competence:delete", args=[training.pk])
    contact = world.client("contact_a")
    assert url not in contact.get(reverse("competence:detail", args=[training.pk])).content.decode()
    assert contact.post(url).status_code == 403
    assert world.client("other_coordinator").post(url).status_code == 404
    assert Training.objects.filter(pk=training.pk).exists()
