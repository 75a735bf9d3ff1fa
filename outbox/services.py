"""The one way Inkludera sends e-mail: record, commit, then send; retry
failures; never send twice.

- Record: ``queue_mail()`` writes a row inside the caller's transaction, so the
  mail exists exactly when the change it is about was committed.
- Commit, then send: the same transaction enqueues a task (``outbox.tasks.
  deliver_mail``, through ``lib.tasks.enqueue_after``) that a worker runs once
  the commit has made the mail visible. No web process talks to the mail
  server: a slow one never holds a page, and the timing of a page says nothing
  about the mail.
- Never twice: a delivery first claims its row with a conditional UPDATE
  (waiting → sending); only the process whose UPDATE changed the row sends it.
- Retried: a failed attempt puts the row back to waiting with a growing delay;
  after ``OUTBOX_MAX_ATTEMPTS`` it is failed. The worker's schedule delivers
  whatever is due every minute (``worker.tasks.deliver_due_mail``), as
  ``manage.py send_mail_outbox`` does by hand.

A row left in "sending" (the process died while sending) is never sent again
automatically, since nobody knows whether it went out: ``send_mail_outbox``
reports it and the operator decides (``--requeue`` or ``--mark-sent``).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from lib.tasks import enqueue_after

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# A row still "sending" after this long was left by a process that died: an SMTP
# conversation ends long before (EMAIL_TIMEOUT).
STUCK_AFTER = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
KEY_MAX = 200


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a mail: its name, full content type (parameters
    included, e.g. ``text/calendar; method=REQUEST; charset=utf-8``) and text."""

    name: str
    content_type: str
    text: str


def mime_part(mail: OutgoingMail) -> MIMEText:
    """The mail's attachment as a MIME part whose Content-Type is the one
    recorded, parameters and all (calendar apps read ``method=`` from it)."""
    subtype = mail.attachment_type.split(";")[0].partition("/")[2].strip()
    part = MIMEText(mail.attachment, subtype, "utf-8")
    part.replace_header("Content-Type", mail.attachment_type)
    part.add_header("Content-Disposition", "attachment", filename=mail.attachment_name)
    return part


def mail_key(kind: str, *parts: object) -> str:
    """A dedup key for one logical message, e.g. ``mail_key(kind, report.pk, "fore", email)``:
    readable when short, hashed when it would not fit the column."""
    key = ":".join([kind, *(str(p) for p in parts)])
    if len(key) > KEY_MAX:
        key = f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def queue_mail(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    key: str | None = None,
    attachment: Attachment | None = None,
) -> OutgoingMail | None:
    """Record an e-mail to one address, sent after the caller's transaction
    commits (and rolled back with it). Call it inside the transaction that makes
    the change the mail is about. ``key`` names the logical message (see
    ``mail_key``): if a mail with that key was ever queued (and not yet cleaned
    up), nothing is recorded and None is returned. Without a key every call is a
    new message. ``attachment``: one text file sent with it (an invitation's .ics)."""
    if not to:
        raise ValueError("queue_mail needs a recipient")
    key = key or mail_key(kind, uuid.uuid4().hex)
    mail, created = OutgoingMail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": to,
            # A header holds one line (Django refuses line breaks in a subject).
            "subject": " ".join(str(subject).split()),
            "body": body,
            "html": html,
            "attachment_name": attachment.name if attachment else "",
            "attachment_type": attachment.content_type if attachment else "",
            "attachment": attachment.text if attachment else "",
        },
    )
    if not created:
        return None
    from .tasks import deliver_mail

    enqueue_after(deliver_mail, mail.pk)
    return mail


def queue_password_reset_mail(
    subject_template_name,
    email_template_name,
    context,
    from_email,
    to_email,
    html_email_template_name=None,
    *,
    key: str | None = None,
) -> OutgoingMail | None:
    """``PasswordResetForm.send_mail`` through the outbox (same arguments;
    ``from_email`` is always DEFAULT_FROM_EMAIL), and ``key`` as for ``queue_mail``.
    Use it in a form::

        class ResetForm(PasswordResetForm):
            def send_mail(self, *args, **kwargs):
                queue_password_reset_mail(*args, **kwargs)
    """
    return queue_mail(
        key=key,
        kind=OutgoingMail.Kind.PASSWORD_RESET,
        to=to_email,
        subject=render_to_string(subject_template_name, context),
        body=render_to_string(email_template_name, context),
        html=render_to_string(html_email_template_name, context) if html_email_template_name else "",
    )


# --- Delivery -------------------------------------------------------------------------


def deliver(pk: int) -> str | None:
    """Send one waiting mail if its attempt is due. Returns its new status, or
    None if this call did not claim it (sent or being sent by someone else, or
    not due)."""
    if not claim(pk):
        return None
    mail = OutgoingMail.objects.get(pk=pk)
    message = EmailMultiAlternatives(mail.subject, mail.body, None, [mail.to])
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    if mail.attachment_name:
        message.attach(mime_part(mail))
    try:
        message.send()
    except Exception as exc:  # any failure of the mail server or the backend is retried
        return _attempt_failed(mail, exc)
    # Sent: the body may hold a set-password link or what someone said; it is not needed any more.
    OutgoingMail.objects.filter(pk=pk, status=OutgoingMail.Status.SENDING).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), body="", html="", attachment="", last_error=""
    )
    return OutgoingMail.Status.SENT


def claim(pk: int) -> bool:
    """Take a waiting mail whose attempt is due for sending (waiting → sending), in
    one conditional UPDATE: of two processes trying at once, exactly one gets True."""
    now = timezone.now()
    return bool(
        OutgoingMail.objects.filter(pk=pk, status=OutgoingMail.Status.WAITING, next_attempt_at__lte=now).update(
            status=OutgoingMail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def retry_delay(attempts: int) -> timedelta:
    """5 minutes after the first failure, then three times longer each time, at most 6 hours."""
    return min(FIRST_RETRY * 3 ** min(max(attempts - 1, 0), 10), LONGEST_RETRY)


def _attempt_failed(mail: OutgoingMail, exc: Exception) -> str:
    error = _describe(exc)
    if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        fields = {"status": OutgoingMail.Status.FAILED}
    else:
        fields = {"status": OutgoingMail.Status.WAITING, "next_attempt_at": timezone.now() + retry_delay(mail.attempts)}
    OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.SENDING).update(last_error=error, **fields)
    logger.warning("E-mail #%s (%s) not sent, attempt %s: %s", mail.pk, mail.kind, mail.attempts, error)
    return fields["status"]


def _describe(exc: Exception) -> str:
    """The error for the operator: its class and message, never the SMTP password."""
    text = f"{type(exc).__name__}: {exc}"
    for secret in (settings.EMAIL_HOST_PASSWORD,):
        if secret:
            text = text.replace(secret, "***")
    return text[:500]


def deliver_due(*, limit: int = 500) -> Counter:
    """Try every waiting mail whose attempt is due, oldest first. Returns how
    many ended in each status (``sent``, ``waiting`` = to be retried, ``failed``)."""
    due = (
        OutgoingMail.objects.filter(status=OutgoingMail.Status.WAITING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcome: Counter = Counter()
    for pk in list(due):
        status = deliver(pk)
        if status is not None:
            outcome[status] += 1
    return outcome


def stuck_mails(*, now: datetime | None = None):
    """Mails a process began to send and never finished: maybe sent, maybe not."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.SENDING, claimed_at__lt=now - STUCK_AFTER).order_by(
        "claimed_at"
    )


def _operator_choice(pks) -> Q:
    """Rows an operator may requeue or mark: failed ones and stuck ones (never one being sent now)."""
    return Q(pk__in=pks) & (
        Q(status=OutgoingMail.Status.FAILED)
        | Q(status=OutgoingMail.Status.SENDING, claimed_at__lt=timezone.now() - STUCK_AFTER)
    )


def choosable(pks) -> set[int]:
    """Of these ids, the mails an operator may requeue or mark as sent now."""
    return set(OutgoingMail.objects.filter(_operator_choice(pks)).values_list("pk", flat=True))


def requeue(pks) -> int:
    """Send failed or stuck mails again (the operator's decision), with fresh attempts."""
    return OutgoingMail.objects.filter(_operator_choice(pks)).update(
        status=OutgoingMail.Status.WAITING, attempts=0, next_attempt_at=timezone.now()
    )


def mark_sent(pks) -> int:
    """Record stuck or failed mails as sent (the operator found that they went out)."""
    return OutgoingMail.objects.filter(_operator_choice(pks)).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), body="", html="", attachment=""
    )


def cleanup(*, now: datetime | None = None) -> int:
    """Delete sent and failed mails older than OUTBOX_KEEP_DAYS. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutgoingMail.objects.filter(
        Q(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutgoingMail.Status.FAILED, created__lt=cutoff)
    ).delete()
    return deleted
