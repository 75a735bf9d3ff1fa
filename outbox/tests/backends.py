"""E-mail backends for the outbox tests."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """A mail server that is down. Its message names the SMTP password, which must
    not reach the outbox's last_error."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed (login with hemligt-losenord)")
