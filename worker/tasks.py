"""The scheduled jobs' tasks (worker/schedule.py says when). Each does whatever
is due at the moment it runs and can run again after a crash without doing
anything twice: the services they call record what they did in the same
transaction (reminders sent, mails claimed, surveys closed)."""

from __future__ import annotations

import logging
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import override
from django_tasks import task

log = logging.getLogger("worker")


@task()
def deliver_due_mail() -> dict:
    """Send the e-mails whose attempt is due (first attempts that found no worker, and retries)."""
    from outbox.services import deliver_due

    return dict(deliver_due())


@task()
def clean_outbox() -> dict:
    """Delete sent and failed e-mails older than OUTBOX_KEEP_DAYS, and warn of e-mails
    left half-sent (the operator decides: ``send_mail_outbox --requeue`` or ``--mark-sent``)."""
    from outbox.services import cleanup, stuck_mails

    stuck = list(stuck_mails().values_list("pk", flat=True))
    if stuck:
        log.warning("E-mails %s may or may not have gone out: see manage.py send_mail_outbox", stuck)
    return {"removed": cleanup(), "stuck": len(stuck)}


@task()
def send_followup_reminders() -> int:
    from followups.services import send_followup_reminders as send

    with override(settings.LANGUAGE_CODE):
        return send()


@task()
def send_feedback_reminders() -> int:
    from consultations.services import send_feedback_reminders as send

    with override(settings.LANGUAGE_CODE):
        return send()


@task()
def close_surveys() -> str:
    """The same as ``manage.py close_surveys`` (which also reclaims the old row versions)."""
    return _command("close_surveys")


@task()
def prune_account_events() -> str:
    return _command("prune_account_events")


@task()
def sweep_report_builds() -> dict:
    """Queue builds left waiting without a task; fail builds whose task is gone (reports.jobs.sweep)."""
    from reports.jobs import sweep

    return sweep()


@task()
def prune_task_history() -> int:
    """Delete finished tasks, scheduled runs and departed workers older than a week (failed tasks: a month)."""
    from .services import prune

    return prune()


@task()
def prune_page_cache() -> int:
    """Delete expired rows of the database cache, kept staff pages among them (lib/pagecache.py)."""
    from lib.pagecache import prune_expired

    return prune_expired()


@task()
def clear_sessions() -> str:
    """Delete expired sessions (Django's clearsessions): a session left without signing out."""
    return _command("clearsessions")


def _command(name: str) -> str:
    out = StringIO()
    with override(settings.LANGUAGE_CODE):
        call_command(name, stdout=out)
    return out.getvalue().strip()
