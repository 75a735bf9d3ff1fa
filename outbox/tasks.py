"""E-mail delivery in the worker: one task per mail, enqueued when the
transaction that queued the mail commits (outbox.services.queue_mail)."""

from django_tasks import task


@task()
def deliver_mail(pk: int) -> str | None:
    """Send one queued mail if it is still waiting and due. Running it again (after
    a crash) sends nothing twice: the mail is claimed with a conditional UPDATE."""
    from .services import deliver

    status = deliver(pk)
    return str(status) if status is not None else None
