"""Retention: what is kept how long, enforced by retention.enforce (daily in the
worker) and ``manage.py enforce_retention``."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

import retention
from audit.models import AuditEvent
from consultations.models import Feedback, FeedbackReminderSent, View
from followups.models import ReminderSent, UnitReport
from organisations.models import Membership
from organisations.services import member_update
from outbox.models import OutgoingMail
from reports.models import Build, CouncilReport


@pytest.fixture(autouse=True)
def _retention(settings, tmp_path):
    settings.RETENTION_WITHDRAWN_VIEWS_DAYS = 30
    settings.RETENTION_REMINDERS_DAYS = 365
    settings.RETENTION_REPORT_BUILDS_DAYS = 365
    settings.MEDIA_ROOT = tmp_path


def _set_consent(world, member: Membership, consent: bool) -> None:
    user = member.user
    member_update(
        member=member, by=world.users["coordinator"], first_name=user.first_name, last_name=user.last_name,
        email=user.email, role=member.role, organisation=member.organisation, named_consent=consent,
    )  # fmt: skip


def _named_view(world, member: Membership, text: str) -> View:
    return View.objects.create(
        item=world.item, text=text, given_by=View.GivenBy.REPRESENTATIVE, representative=member,
        entered_by=world.users["contact_a"],
    )  # fmt: skip


def _representative(world, username: str) -> Membership:
    from conftest import make_user

    member = make_user(username, world.municipality, Membership.Role.REPRESENTATIVE).membership
    member.organisation, member.named_consent = "Romska rådet", True
    member.save()
    return member


# --- Views of representatives who withdrew consent ----------------------------------------


def test_views_are_unlinked_from_a_representative_some_time_after_consent_was_withdrawn(world):
    now = timezone.now()
    # A name found nowhere else (the role's label, "a named representative", is in the history).
    withdrew_long_ago = _representative(world, "kanarie-samradsledamot")
    withdrew_lately = _representative(world, "lately")
    still_consents = _representative(world, "consents")
    old = _named_view(world, withdrew_long_ago, "Skolan måste anställa brobyggare.")
    Feedback.objects.create(view=old, status=Feedback.Status.TAKEN, reasoning="Två anställs.", unit=world.unit_a)
    lately = _named_view(world, withdrew_lately, "Fler läxhjälpare.")
    consents = _named_view(world, still_consents, "Mer romani chib i biblioteket.")
    with time_machine.travel(now - timedelta(days=31)):
        _set_consent(world, withdrew_long_ago, False)
    with time_machine.travel(now - timedelta(days=29)):
        _set_consent(world, withdrew_lately, False)

    assert retention.enforce(now=now, dry_run=True)["withdrawn_views"] == {"anonymised": 1}
    assert View.objects.get(pk=old.pk).representative_id == withdrew_long_ago.pk  # a dry run changes nothing

    assert retention.enforce(now=now)["withdrawn_views"] == {"anonymised": 1}
    old.refresh_from_db()
    # The view stays, with its feedback: it is the record of what was said before the decision.
    assert (old.representative_id, old.given_by, old.text) == (None, "anonym", "Skolan måste anställa brobyggare.")
    assert old.feedback.reasoning == "Två anställs."
    assert View.objects.get(pk=lately.pk).representative_id == withdrew_lately.pk
    assert View.objects.get(pk=consents.pk).representative_id == still_consents.pk
    # Recorded in the view's history, without the person.
    event = AuditEvent.objects.for_object(old).first()
    assert "given_by" in event.changes
    assert withdrew_long_ago.user.get_username() not in str(event.changes)
    assert withdrew_long_ago.organisation not in str(event.changes)

    # Nothing left to do today; the other one's turn comes.
    assert retention.enforce(now=now)["withdrawn_views"] == {"anonymised": 0}
    assert retention.enforce(now=now + timedelta(days=2))["withdrawn_views"] == {"anonymised": 1}


def test_consent_given_again_keeps_the_link(world):
    now = timezone.now()
    member = world.membership("representative")
    view = _named_view(world, member, "Tolk behövs på mötena.")
    with time_machine.travel(now - timedelta(days=60)):
        _set_consent(world, member, False)
    with time_machine.travel(now - timedelta(days=50)):
        _set_consent(world, member, True)
    assert retention.enforce(now=now)["withdrawn_views"] == {"anonymised": 0}
    assert View.objects.get(pk=view.pk).representative_id == member.pk


def test_a_withdrawal_outside_the_application_counts_from_the_view(world):
    """Consent changed without an audit event (the admin, the database): the view's
    own date is taken, so the link goes sooner, never later."""
    now = timezone.now()
    member = world.membership("representative")
    with time_machine.travel(now - timedelta(days=40)):
        view = _named_view(world, member, "Bättre information på romani.")
    Membership.objects.filter(pk=member.pk).update(named_consent=False)
    assert retention.enforce(now=now)["withdrawn_views"] == {"anonymised": 1}
    assert View.objects.get(pk=view.pk).representative_id is None


# --- Reminders ----------------------------------------------------------------------------------


def _mail(key: str, kind: str, sent_days_ago: int, status=OutgoingMail.Status.SENT) -> OutgoingMail:
    at = timezone.now() - timedelta(days=sent_days_ago)
    return OutgoingMail.objects.create(
        key=key, kind=kind, to="kontakt@example.se", subject="Påminnelse", status=status, created=at,
        sent_at=at if status == OutgoingMail.Status.SENT else None,
    )  # fmt: skip


def test_reminders_are_deleted_once_nothing_can_send_them_again(world):
    year_ago = timezone.now() - timedelta(days=400)
    old_reminder = _mail("r1", OutgoingMail.Kind.FOLLOWUP_REMINDER, 400)
    old_failed = _mail("r2", OutgoingMail.Kind.FEEDBACK_REMINDER, 400, status=OutgoingMail.Status.FAILED)
    new_reminder = _mail("r3", OutgoingMail.Kind.FEEDBACK_REMINDER, 10)
    old_invitation = _mail("i1", OutgoingMail.Kind.CONSULTATION_INVITATION, 400)  # not a reminder

    open_report = world.report_a  # a draft: its reminder could go out again
    submitted = UnitReport.objects.exclude(pk=open_report.pk).first()
    UnitReport.objects.filter(pk=submitted.pk).update(status=UnitReport.Status.SUBMITTED)
    kept_record = ReminderSent.objects.create(report=open_report, kind=ReminderSent.Kind.AFTER, sent_at=year_ago)
    gone_record = ReminderSent.objects.create(report=submitted, kind=ReminderSent.Kind.AFTER, sent_at=year_ago)

    answered = world.view
    Feedback.objects.create(view=answered, status=Feedback.Status.NOT_TAKEN, reasoning="Nej.", unit=world.unit_a)
    waiting = View.objects.create(item=world.item, text="Ingen återkoppling än.")
    gone_view_record = FeedbackReminderSent.objects.create(view=answered, sent_at=year_ago)
    kept_view_record = FeedbackReminderSent.objects.create(view=waiting, sent_at=year_ago)

    assert retention.enforce(dry_run=True)["reminders"] == {"emails_deleted": 2, "records_deleted": 2}
    assert OutgoingMail.objects.count() == 4
    assert retention.enforce()["reminders"] == {"emails_deleted": 2, "records_deleted": 2}
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {new_reminder.pk, old_invitation.pk}
    assert not OutgoingMail.objects.filter(pk__in=[old_reminder.pk, old_failed.pk]).exists()
    assert set(ReminderSent.objects.values_list("pk", flat=True)) == {kept_record.pk}
    assert set(FeedbackReminderSent.objects.values_list("pk", flat=True)) == {kept_view_record.pk}
    assert not ReminderSent.objects.filter(pk=gone_record.pk).exists()
    assert not FeedbackReminderSent.objects.filter(pk=gone_view_record.pk).exists()


# --- Report builds' files --------------------------------------------------------------------


def _build(report, name: str, days_ago: int) -> Build:
    at = timezone.now() - timedelta(days=days_ago)
    build = Build(report=report, status=Build.Status.DONE, progress=100, requested_at=at, finished_at=at)
    build.pdf.save(f"{name}.pdf", ContentFile(b"%PDF-1.7"), save=False)
    build.docx.save(f"{name}.docx", ContentFile(b"PK"), save=False)
    build.save()
    return build


def test_old_build_files_go_but_each_reports_newest_stays(world, django_capture_on_commit_callbacks):
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning")
    oldest = _build(report, "oldest", 800)
    old = _build(report, "old", 700)
    newest = _build(report, "newest", 400)  # old too, but the newest: kept
    other_report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Annan")
    recent = _build(other_report, "recent", 10)
    recent_newest = _build(other_report, "recent-newest", 5)
    paths = {b.pk: (b.pdf.path, b.docx.path) for b in (oldest, old, newest, recent, recent_newest)}

    assert retention.enforce(dry_run=True)["report_builds"] == {"files_deleted": 4}
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.enforce()["report_builds"] == {"files_deleted": 4}

    from pathlib import Path

    for build in (oldest, old):
        build.refresh_from_db()
        assert not build.pdf and not build.docx
        assert not any(Path(p).exists() for p in paths[build.pk])
    for build in (newest, recent, recent_newest):
        build.refresh_from_db()
        assert build.pdf and build.docx
        assert all(Path(p).exists() for p in paths[build.pk])
    # The rows stay: what each build was made from, and when.
    assert Build.objects.count() == 5
    assert retention.enforce()["report_builds"] == {"files_deleted": 0}


def test_zero_days_keeps_for_ever(world, settings):
    settings.RETENTION_WITHDRAWN_VIEWS_DAYS = 0
    settings.RETENTION_REMINDERS_DAYS = 0
    settings.RETENTION_REPORT_BUILDS_DAYS = 0
    _mail("r1", OutgoingMail.Kind.FOLLOWUP_REMINDER, 4000)
    assert retention.enforce() == {"withdrawn_views": {}, "reminders": {}, "report_builds": {}}
    assert OutgoingMail.objects.count() == 1


def test_the_command_says_what_it_does(world):
    now = timezone.now()
    member = world.membership("representative")
    view = _named_view(world, member, "Tolk behövs.")
    with time_machine.travel(now - timedelta(days=40)):
        _set_consent(world, member, False)
    out = StringIO()
    call_command("enforce_retention", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert "withdrawn_views (RETENTION_WITHDRAWN_VIEWS_DAYS=30" in out.getvalue()
    assert "1 anonymised" in out.getvalue()
    assert View.objects.get(pk=view.pk).representative_id == member.pk
    out = StringIO()
    call_command("enforce_retention", stdout=out)
    assert "1 anonymised" in out.getvalue()
    assert "Dry run" not in out.getvalue()
    assert View.objects.get(pk=view.pk).representative_id is None


def test_the_daily_task_runs_the_same(world):
    """The worker's schedule enqueues retention.tasks.enforce_retention once a day."""
    from retention.tasks import enforce_retention

    _mail("r1", OutgoingMail.Kind.FOLLOWUP_REMINDER, 400)
    result = enforce_retention.enqueue()
    assert result.return_value["reminders"] == {"emails_deleted": 1, "records_deleted": 0}
    assert not OutgoingMail.objects.exists()
