"""The periodic jobs, run by the workers themselves (no cron line to forget).

Each job is one line: how often, and the task to enqueue. Every live worker
looks a few times a minute; the latest slot of each job that has not been
queued yet is queued by exactly one of them (a ScheduledRun row, unique per job
and slot, written in the transaction that enqueues the task). Slots missed while
no worker ran are not made up one by one: the latest is queued once, so every
job must do "whatever is due now" (and all of these do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from imports.tasks import sweep_imports
from inbox.tasks import send_inbox_digests
from remiss.tasks import send_remiss_reminders
from retention.tasks import enforce_retention

from . import tasks

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Job:
    task: object  # a django-tasks Task
    minutes: int | None = None  # every this many minutes (slots counted from 00:00 UTC)
    at: time | None = None  # or daily at this Stockholm time

    @property
    def name(self) -> str:
        return self.task.name

    def slot(self, now: datetime) -> datetime:
        """The latest moment at or before ``now`` when this job was due (UTC)."""
        if self.minutes:
            step = self.minutes * 60
            return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=UTC)
        local = now.astimezone(STOCKHOLM)
        due = datetime.combine(local.date(), self.at, tzinfo=STOCKHOLM)
        if due > local:
            due = datetime.combine(local.date() - timedelta(days=1), self.at, tzinfo=STOCKHOLM)
        return due.astimezone(UTC)


def every(minutes: int, task) -> Job:
    return Job(task=task, minutes=minutes)


def daily(hhmm: str, task) -> Job:
    """Daily at this Stockholm time; keep away from 02:00–03:00 (summer time begins and ends then)."""
    return Job(task=task, at=time.fromisoformat(hhmm))


JOBS: list[Job] = [
    every(1, tasks.deliver_due_mail),
    every(10, tasks.sweep_report_builds),
    every(10, sweep_imports),
    every(15, tasks.prune_page_cache),
    every(60, tasks.clear_sessions),
    daily("00:10", tasks.close_surveys),
    daily("04:00", tasks.prune_account_events),
    daily("04:10", tasks.clean_outbox),
    daily("04:20", tasks.prune_task_history),
    daily("04:30", enforce_retention),
    daily("06:30", send_inbox_digests),  # "Väntar på dig": daily summaries, weekly ones on Mondays
    daily("07:00", tasks.send_followup_reminders),
    daily("07:05", tasks.send_feedback_reminders),
    daily("07:10", send_remiss_reminders),
]

assert len({job.name for job in JOBS}) == len(JOBS), "two scheduled jobs with the same task"
