"""The inbox's summaries, daily in the worker (worker/schedule.py)."""

from django.conf import settings
from django.utils.translation import override
from django_tasks import task


@task()
def send_inbox_digests() -> int:
    """The daily summaries, and on the week's first run the weekly ones (inbox.services.send_digests)."""
    from .services import prune_digests, send_digests

    with override(settings.LANGUAGE_CODE):
        sent = send_digests()
    prune_digests()
    return sent
