"""E-mail from the inbox: each person's choice per kind (the page as the
browser sends it), the daily and weekly summaries (never twice), the per-event
e-mails silenced by "never" and by a summary, and a coordinator's Påminn on a
round or a consultation (recorded, in the history, never twice the same day)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultations.models import AgendaItem
from consultations.services import minutes_send, send_feedback_reminders
from followups.models import Round
from followups.services import send_followup_reminders
from inbox.models import DigestSent, Frequency, Kind, Preference, Reminder
from inbox.preferences import preferences_save
from inbox.services import send_digests
from outbox.models import OutgoingMail
from tests.formreader import submissions
from worker.schedule import JOBS, STOCKHOLM


def sv_(msgid: str, **params) -> str:
    with translation.override("sv"):
        return gettext(msgid) % params if params else gettext(msgid)


def the_form(client, url, name):
    page = client.get(url)
    assert page.status_code == 200
    forms = [f for f in submissions(url, page.content) if f.name == name]
    assert forms, name
    return forms[0]


def choose(world, role, **kinds):
    preferences_save(user=world.users[role], frequencies=kinds)


def digests_to(email):
    return list(OutgoingMail.objects.filter(kind=OutgoingMail.Kind.INBOX_DIGEST, to=email))


def next_weekday(weekday: int):
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def at_0630(day):
    return datetime.combine(day, time(6, 30), tzinfo=STOCKHOLM)


# --- Preferences -----------------------------------------------------------------------


def test_the_preferences_page_as_the_browser_sends_it(world):
    client = world.client("contact_a")
    url = reverse("inbox:preferences")
    sub = the_form(client, url, "inbox:preferences")
    # The defaults: e-mail as before for kinds that have one, a daily summary for the others.
    assert sub.data[Kind.REPORT_TO_WRITE] == [Frequency.IMMEDIATELY]
    assert sub.data[Kind.SURVEY_TO_FINALISE] == [Frequency.DAILY]
    # Posted unchanged: saved, and no row kept for a default.
    assert client.post(sub.action, sub.data).status_code == 302
    assert not Preference.objects.exists()
    data = dict(sub.data) | {Kind.REPORT_TO_WRITE: [Frequency.WEEKLY], Kind.FEEDBACK_OVERDUE: [Frequency.NEVER]}
    response = client.post(sub.action, data, follow=True)
    assert sv_("Your choices are saved.") in response.content.decode()
    assert dict(Preference.objects.values_list("kind", "frequency")) == {
        Kind.REPORT_TO_WRITE: Frequency.WEEKLY,
        Kind.FEEDBACK_OVERDUE: Frequency.NEVER,
    }
    # Shown as chosen; "immediately" only where the kind has an e-mail of its own.
    sub = the_form(client, url, "inbox:preferences")
    assert sub.data[Kind.REPORT_TO_WRITE] == [Frequency.WEEKLY]
    page = client.get(url).content.decode()
    assert f'name="{Kind.SURVEY_TO_FINALISE}" value="{Frequency.IMMEDIATELY}"' not in page
    assert f'name="{Kind.REPORT_TO_WRITE}" value="{Frequency.IMMEDIATELY}"' in page
    # A choice that is not offered is refused.
    response = client.post(sub.action, dict(sub.data) | {Kind.SURVEY_TO_FINALISE: [Frequency.IMMEDIATELY]})
    assert response.status_code == 200
    assert Preference.objects.get(kind=Kind.REPORT_TO_WRITE).frequency == Frequency.WEEKLY


def test_a_representative_chooses_for_minutes_only(world):
    page = world.client("representative").get(reverse("inbox:preferences")).content.decode()
    assert f'name="{Kind.MINUTES_TO_REVIEW}"' in page and f'name="{Kind.REPORT_TO_WRITE}"' not in page


# --- Summaries ----------------------------------------------------------------------------


def test_a_daily_summary_follows_the_choice_and_is_never_sent_twice(world, django_capture_on_commit_callbacks):
    choose(world, "contact_a", **{Kind.REPORT_TO_WRITE: Frequency.DAILY})
    choose(world, "contact_b", **{Kind.REPORT_TO_WRITE: Frequency.NEVER})
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
    assert len(digests_to("contact_a@example.se")) == 1
    [digest] = [m for m in mail.outbox if m.to == ["contact_a@example.se"]]
    assert world.round.name in digest.body and digest.subject == sv_(
        "Waiting for you: %(count)d things (daily summary)", count=1
    )
    assert reverse("followups:report_edit", args=[world.report_a.pk]) in digest.body
    assert "Hägersten-Älvsjö" not in digest.body
    assert digests_to("contact_b@example.se") == []  # never
    # Nothing waits for the reader, and the coordinator's kinds are empty: no e-mail.
    assert digests_to("reader@example.se") == [] and digests_to("coordinator@example.se") == []
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0  # the same day again
    assert len(digests_to("contact_a@example.se")) == 1
    assert len([m for m in mail.outbox if m.to == ["contact_a@example.se"]]) == 1
    # The next day: a new summary.
    assert send_digests(today=timezone.localdate() + timedelta(days=1)) >= 1
    assert len(digests_to("contact_a@example.se")) == 2


def test_a_weekly_summary_goes_on_the_weeks_first_run_only(world):
    choose(world, "contact_a", **{Kind.REPORT_TO_WRITE: Frequency.WEEKLY})
    monday = next_weekday(0)
    with time_machine.travel(at_0630(monday), tick=False):
        assert send_digests() == 1
    with time_machine.travel(at_0630(monday + timedelta(days=1)), tick=False):
        assert send_digests() == 0  # Tuesday: the week's is sent
    with time_machine.travel(at_0630(monday + timedelta(days=7)), tick=False):
        assert send_digests() == 1
    assert DigestSent.objects.filter(frequency=Frequency.WEEKLY).count() == 2
    assert len(digests_to("contact_a@example.se")) == 2


def test_a_weekly_summary_missed_on_monday_goes_on_the_next_run(world):
    choose(world, "contact_a", **{Kind.REPORT_TO_WRITE: Frequency.WEEKLY})
    wednesday = next_weekday(2)
    with time_machine.travel(at_0630(wednesday), tick=False):
        assert send_digests() == 1


def test_the_summaries_are_a_scheduled_job_at_0630():
    job = next(j for j in JOBS if j.name.endswith("send_inbox_digests"))
    assert job.at == time(6, 30)


# --- The per-event e-mails -------------------------------------------------------------


def test_followup_reminders_follow_the_choice(world):
    deadline = world.round.deadline
    choose(world, "contact_b", **{Kind.REPORT_TO_WRITE: Frequency.NEVER})
    assert send_followup_reminders(today=deadline - timedelta(days=5)) == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["contact_a@example.se"]
    # A contact who chose a summary gets the summary, not the reminder.
    choose(world, "contact_a", **{Kind.REPORT_TO_WRITE: Frequency.DAILY})
    assert send_followup_reminders(today=deadline + timedelta(days=1)) == 0


def test_feedback_and_minutes_mails_follow_the_choice(world):
    AgendaItem.objects.filter(pk=world.item.pk).update(decision_date=timezone.localdate() - timedelta(days=60))
    choose(world, "coordinator", **{Kind.FEEDBACK_OVERDUE: Frequency.NEVER})
    assert send_feedback_reminders() == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["contact_a@example.se"]
    OutgoingMail.objects.all().delete()
    choose(world, "representative", **{Kind.MINUTES_TO_REVIEW: Frequency.WEEKLY})
    minutes_send(minutes=world.minutes, by=world.users["coordinator"], reviewers=[world.membership("representative")])
    assert not OutgoingMail.objects.filter(kind=OutgoingMail.Kind.MINUTES_REVIEW).exists()


# --- Påminn ------------------------------------------------------------------------------


def late_round(world) -> Round:
    """The world's round past its deadline, its contacts with names to tell apart."""
    for role, first in (("contact_a", "Anna"), ("contact_b", "Bertil")):
        world.users[role].first_name = first
        world.users[role].save(update_fields=["first_name"])
    today = timezone.localdate()
    Round.objects.filter(pk=world.round.pk).update(
        period_start=today - timedelta(days=90), period_end=today - timedelta(days=30),
        deadline=today - timedelta(days=2),
    )  # fmt: skip
    world.round.refresh_from_db()
    return world.round


def test_remind_the_late_units_of_a_round_once_a_day(world, django_capture_on_commit_callbacks):
    rnd = late_round(world)
    coordinator = world.client("coordinator")
    round_page = reverse("followups:round", args=[rnd.pk])
    url = reverse("inbox:remind_round", args=[rnd.pk])
    assert url in coordinator.get(round_page).content.decode()
    assert url not in world.client("contact_a").get(round_page).content.decode()
    # The confirmation lists who will get it.
    page = coordinator.get(url).content.decode()
    assert "Anna Testsson" in page and "Bertil Testsson" in page and "Socialnämnden" in page
    sub = the_form(coordinator, url, "inbox:remind_round")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(sub.action, sub.data, follow=True)
    assert sv_("The reminder was sent to %(names)s.", names="Anna Testsson, Bertil Testsson") in (
        response.content.decode()
    )
    reminder = Reminder.objects.get()
    assert (reminder.subject, reminder.object_id, reminder.by) == ("omgang", rnd.pk, world.users["coordinator"])
    assert [r["name"] for r in reminder.recipients] == ["Anna Testsson", "Bertil Testsson"]
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "contact_b@example.se"]
    assert rnd.name in mail.outbox[0].subject
    # In the round's history.
    history = coordinator.get(round_page).content.decode()
    assert sv_("reminder sent to").capitalize() in history and "Bertil Testsson (Hägersten-Älvsjö" in history
    # Twice the same day: refused with a message, nothing sent.
    assert (
        sv_(
            "A reminder about this was already sent today (%(name)s, %(time)s). Try again tomorrow.",
            name="Coordinator Testsson",
            time=timezone.localtime(reminder.sent_at).strftime("%H:%M"),
        )
        in coordinator.get(url).content.decode()
    )
    response = coordinator.post(sub.action, sub.data, follow=True)
    assert sv_("A reminder about this was already sent today. Try again tomorrow.") in response.content.decode()
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 2
    # The next day it may be sent again.
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        response = world.client("coordinator").post(sub.action, sub.data)  # signed in again the next day
    assert Reminder.objects.count() == 2, (response.status_code, response.get("Location"))


def test_remind_only_the_late(world):
    rnd = late_round(world)
    report_b = rnd.reports.get(unit=world.unit_b)
    from followups.tests.test_followups import report_post

    world.client("contact_b").post(
        reverse("followups:report_edit", args=[report_b.pk]), report_post(report_b) | {"submit": "1"}
    )
    page = world.client("coordinator").get(reverse("inbox:remind_round", args=[rnd.pk])).content.decode()
    assert "Anna Testsson" in page and "Bertil Testsson" not in page
    # A round before its deadline has nobody late: no button.
    Round.objects.filter(pk=rnd.pk).update(deadline=timezone.localdate() + timedelta(days=3))
    page = world.client("coordinator").get(reverse("inbox:remind_round", args=[rnd.pk])).content.decode()
    assert sv_("Nobody is late: there is nobody to remind.") in page and 'type="submit" class="button"' not in page
    assert world.client("coordinator").post(reverse("inbox:remind_round", args=[rnd.pk])).status_code == 302
    assert not Reminder.objects.exists()


def test_remind_about_overdue_feedback_on_a_consultation(world, django_capture_on_commit_callbacks):
    consultation_page = reverse("consultations:detail", args=[world.consultation.pk])
    url = reverse("inbox:remind_consultation", args=[world.consultation.pk])
    AgendaItem.objects.filter(pk=world.item.pk).update(decision_date=timezone.localdate() + timedelta(days=10))
    assert url not in world.client("coordinator").get(consultation_page).content.decode()  # nothing overdue
    AgendaItem.objects.filter(pk=world.item.pk).update(decision_date=timezone.localdate() - timedelta(days=60))
    late_round(world)  # for the names
    coordinator = world.client("coordinator")
    assert url in coordinator.get(consultation_page).content.decode()
    page = coordinator.get(url).content.decode()
    assert "Anna Testsson" in page and "Bertil" not in page and world.item.question in page
    sub = the_form(coordinator, url, "inbox:remind_consultation")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(sub.action, sub.data)
    assert [m.to for m in mail.outbox] == [["contact_a@example.se"]]
    assert "Anna Testsson" in coordinator.get(consultation_page).content.decode()
    coordinator.post(sub.action, sub.data)
    assert Reminder.objects.filter(subject="samrad").count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize("role", ["contact_a", "reader"])
def test_only_a_coordinator_reminds(world, role):
    late_round(world)
    response = world.client(role).post(reverse("inbox:remind_round", args=[world.round.pk]))
    assert response.status_code == 403
    assert not Reminder.objects.exists() and not OutgoingMail.objects.exists()
