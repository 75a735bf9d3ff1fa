"""The daily retention job, for the worker's schedule (worker/schedule.py)."""

from django_tasks import task


@task()
def enforce_retention() -> dict:
    """Delete or anonymise what has been kept longer than the RETENTION_* settings allow."""
    from .services import enforce

    return enforce()
