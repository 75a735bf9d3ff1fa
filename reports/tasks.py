"""The council report build as a task (see reports/jobs.py)."""

from django_tasks import task


@task(queue_name="reports", takes_context=True)
def build_report(context, build_id: int) -> bool:
    """Build the report's files. A second attempt (its first worker died) takes over
    the build that attempt left in progress; a build already done is left alone."""
    from .jobs import run

    return run(build_id, rerun=context.attempt > 1)
