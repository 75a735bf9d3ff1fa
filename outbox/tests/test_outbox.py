"""The outbox: record, commit, then send; failed sends retried; never twice."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from followups.models import ReminderSent
from outbox import services
from outbox.models import OutgoingMail
from outbox.services import queue_mail
from worker.testing import database_queue, run_queued  # noqa: F401 - a fixture

FAILING = "outbox.tests.backends.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def queue(**overrides) -> OutgoingMail | None:
    fields = {
        "kind": OutgoingMail.Kind.INVITATION,
        "to": "anna@example.se",
        "subject": "Välkommen\ntill Inkludera",
        "body": "Välj ditt lösenord: https://inkludera.example.se/losenord/nytt/MQ/hemlig-token/",
    }
    return queue_mail(**(fields | overrides))


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("send_mail_outbox", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_mail_is_sent_after_the_commit_and_its_body_then_forgotten():
    with transaction.atomic():
        queued = queue()
        assert mail.outbox == []  # not before the commit
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["anna@example.se"], "Välkommen till Inkludera")
    assert "hemlig-token" in message.body
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert (row.status, row.attempts, row.body, row.html) == (OutgoingMail.Status.SENT, 1, "", "")
    assert row.sent_at is not None
    run()
    run()
    assert len(mail.outbox) == 1  # the command never sends a sent mail again


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_and_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the caller's change failed")
    assert not OutgoingMail.objects.exists()
    run()
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_command_with_a_growing_delay(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    settings.EMAIL_HOST_PASSWORD = "hemligt-losenord"
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue()
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert (row.status, row.attempts) == (OutgoingMail.Status.WAITING, 1)
    assert "SMTPServerDisconnected" in row.last_error and "hemligt-losenord" not in row.last_error
    assert row.body  # kept until it is sent
    assert row.next_attempt_at - timezone.now() > timedelta(minutes=4)

    settings.EMAIL_BACKEND = LOCMEM
    run()
    assert mail.outbox == []  # not due yet
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        out, _err = run()
    assert "Skickade e-postmeddelanden: 1," in out
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.body) == (OutgoingMail.Status.SENT, 2, "", "")
    assert services.retry_delay(1) < services.retry_delay(2) < services.retry_delay(3)
    assert services.retry_delay(50) == timedelta(hours=6)


def test_a_mail_fails_for_good_after_the_last_attempt_and_the_operator_is_told(db, settings):
    settings.EMAIL_BACKEND = FAILING
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queue()
    for _attempt in range(3):
        row.refresh_from_db()
        with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
            out, err = run()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.FAILED, 3)
    assert "misslyckades efter sista försöket: 1" in out and "--requeue ID" in err
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        run()
    row.refresh_from_db()
    assert row.attempts == 3  # a failed mail is not tried again by itself

    settings.EMAIL_BACKEND = LOCMEM
    out, _err = run("--requeue", str(row.pk))
    assert "1 e-postmeddelande köat igen" in out and "Skickade e-postmeddelanden: 1," in out
    assert len(mail.outbox) == 1


class ConcurrentRunBackend(LocmemBackend):
    """While this process is sending, another one runs the command."""

    def send_messages(self, messages):
        call_command("send_mail_outbox", stdout=StringIO(), stderr=StringIO())
        return super().send_messages(messages)


def test_a_mail_is_never_sent_twice_by_concurrent_deliveries(db, settings, django_capture_on_commit_callbacks):
    row = queue()
    settings.EMAIL_BACKEND = f"{__name__}.ConcurrentRunBackend"
    run()  # claims the row; while it sends, a second run finds nothing to send
    assert len(mail.outbox) == 1
    assert services.deliver(row.pk) is None  # a late on_commit delivery of the same row does nothing
    assert len(mail.outbox) == 1

    other = queue(to="bo@example.se")
    assert services.claim(other.pk)  # process A has taken it
    assert not services.claim(other.pk)  # process B cannot
    run()
    assert len(mail.outbox) == 1


def test_a_mail_left_sending_by_a_dead_process_is_reported_never_resent(db):
    row = queue()
    assert services.claim(row.pk)  # the process then died while talking to the mail server
    run()
    assert mail.outbox == []
    _out, err = run("--requeue", str(row.pk))
    assert mail.outbox == []  # still sending a moment ago: not the operator's to requeue yet
    assert f"E-postmeddelande nr {row.pk} lämnades som det var" in err
    _out, err = run("--mark-sent", "999999")
    assert "E-postmeddelande nr 999999 lämnades som det var: det finns inget sådant" in err
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        out, err = run()
        # The kind in words, not its code ("invitation").
        stuck = f"E-postmeddelande nr {row.pk} (inbjudan att välja lösenord till anna@example.se) har skickats sedan"
        assert stuck in err
        assert mail.outbox == []
        out, err = run("--requeue", str(row.pk))
    assert "1 e-postmeddelande köat igen" in out and "Skickade e-postmeddelanden: 1," in out
    assert len(mail.outbox) == 1

    other = queue(to="bo@example.se")
    assert services.claim(other.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        out, _err = run("--mark-sent", str(other.pk))
        assert "1 e-postmeddelande markerat som skickat" in out
        _out, err = run()
    other.refresh_from_db()
    assert (other.status, other.body, err) == (OutgoingMail.Status.SENT, "", "")
    assert len(mail.outbox) == 1


def test_the_same_key_is_queued_once(db):
    key = services.mail_key(OutgoingMail.Kind.FOLLOWUP_REMINDER, 7, "fore", "anna@example.se")
    assert queue(key=key) is not None
    assert queue(key=key) is None
    assert OutgoingMail.objects.filter(key=key).count() == 1
    long_key = services.mail_key(OutgoingMail.Kind.FEEDBACK_REMINDER, "a" * 250, *range(100))
    assert len(long_key) <= 200 and queue(key=long_key) is not None and queue(key=long_key) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_with_the_database_queue_the_worker_sends_the_mail_and_a_rerun_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(to="rolled-back@example.se")
        raise RuntimeError("the change failed")
    with transaction.atomic():
        queued = queue()
    assert mail.outbox == []  # the web process never talks to the mail server
    (task,) = DBTaskResult.objects.all()  # the rolled-back mail's task went with it
    assert (task.task_path, task.args_kwargs["args"]) == ("outbox.tasks.deliver_mail", [queued.pk])
    run_queued()
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
    # A worker that died after sending but before recording the task ran it again: nothing twice.
    DBTaskResult.objects.update(status="READY")
    run_queued()
    assert len(mail.outbox) == 1 and OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_old_sent_and_failed_mails_are_removed(db, settings):
    settings.OUTBOX_KEEP_DAYS = 30
    sent = queue(to="sent@example.se")
    failed = queue(to="failed@example.se")
    waiting = queue(to="waiting@example.se")
    OutgoingMail.objects.filter(pk=failed.pk).update(status=OutgoingMail.Status.FAILED)
    OutgoingMail.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(days=60))
    run()
    assert [m.to for m in mail.outbox] == [["sent@example.se"]]
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        run()
    assert OutgoingMail.objects.count() == 3
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        out, _err = run()
    assert "gamla e-postmeddelanden borttagna: 2" in out
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["waiting@example.se"]
    assert sent.pk not in OutgoingMail.objects.values_list("pk", flat=True)


def test_running_a_reminder_command_twice_sends_one_mail_each(world, django_capture_on_commit_callbacks):
    day = world.round.deadline + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followup_reminders", "--date", str(day), stdout=StringIO())
        call_command("send_followup_reminders", "--date", str(day), stdout=StringIO())
    run()
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "contact_b@example.se"]
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.AFTER).count() == 2
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


def test_a_reminder_that_fails_to_send_stays_recorded_and_is_retried(world, settings):
    settings.EMAIL_BACKEND = FAILING
    day = world.round.deadline + timedelta(days=1)
    out = StringIO()
    call_command("send_followup_reminders", "--date", str(day), stdout=out)
    printed = out.getvalue()
    assert "2 e-postmeddelanden köade" in printed
    assert "2 e-postmeddelanden i utkorgen väntar på ett nytt försök" in printed
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.AFTER).count() == 2
    settings.EMAIL_BACKEND = LOCMEM
    call_command("send_followup_reminders", "--date", str(day), stdout=StringIO())
    assert mail.outbox == []  # not queued again, and not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        run()
    assert len(mail.outbox) == 2


def test_password_reset_mail_through_the_outbox(db, django_capture_on_commit_callbacks):
    context = {
        "email": "anna@example.se", "domain": "inkludera.example.se", "site_name": "Inkludera", "uid": "MQ",
        "user": None, "token": "abc-123", "protocol": "https",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_password_reset_mail(
            "registration/password_reset_subject.txt", "registration/password_reset_email.html", context, None,
            "anna@example.se",
        )  # fmt: skip
    (message,) = mail.outbox
    assert "abc-123" in message.body and "\n" not in message.subject
    row = OutgoingMail.objects.get()
    assert (row.kind, row.status, row.body) == (OutgoingMail.Kind.PASSWORD_RESET, OutgoingMail.Status.SENT, "")


def test_the_admin_shows_the_outbox_read_only_without_bodies(db, client):
    row = queue()
    OutgoingMail.objects.filter(pk=row.pk).update(last_error="SMTPServerDisconnected: Connection closed")
    admin = get_user_model().objects.create_superuser("root", "root@example.se", "ett-långt-lösenord-2026")
    client.force_login(admin)
    listing = client.get(reverse("admin:outbox_outgoingmail_changelist")).content.decode()
    assert "anna@example.se" in listing and "hemlig-token" not in listing
    detail = client.get(reverse("admin:outbox_outgoingmail_change", args=[row.pk])).content.decode()
    assert "SMTPServerDisconnected" in detail and "hemlig-token" not in detail
    assert 'name="_save"' not in detail
    assert client.get(reverse("admin:outbox_outgoingmail_add")).status_code == 403
    assert client.post(reverse("admin:outbox_outgoingmail_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert OutgoingMail.objects.filter(pk=row.pk).exists()


def test_an_attachment_keeps_its_content_type_and_is_forgotten_once_sent(
    db, settings, django_capture_on_commit_callbacks
):
    """An invitation's .ics: calendar apps read the method from the part's Content-Type."""
    settings.EMAIL_BACKEND = FAILING
    text = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Samråd om läxhjälp\r\nEND:VCALENDAR\r\n"
    attachment = services.Attachment("invitation.ics", "text/calendar; method=REQUEST; charset=utf-8", text)
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue(kind=OutgoingMail.Kind.CONSULTATION_INVITATION, body="Välkommen.", attachment=attachment)
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert (row.status, row.attachment) == (OutgoingMail.Status.WAITING, text)  # kept for the retry
    settings.EMAIL_BACKEND = LOCMEM
    OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    run()
    (message,) = mail.outbox
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert part.get_filename() == "invitation.ics"
    assert part.get_payload(decode=True).decode() == text
    row.refresh_from_db()
    assert (row.status, row.body, row.attachment) == (OutgoingMail.Status.SENT, "", "")
