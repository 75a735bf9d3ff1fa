"""Imports as tasks (see imports/jobs.py)."""

from django_tasks import task


@task()
def run_import(job_id: int) -> bool:
    """Run a waiting import, all or nothing; a job already finished is left alone."""
    from .jobs import run

    return run(job_id)


@task()
def sweep_imports() -> dict:
    """Fail abandoned imports, remove their files, delete old finished jobs (imports.jobs.sweep)."""
    from .jobs import sweep

    return sweep()
