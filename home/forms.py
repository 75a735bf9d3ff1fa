from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, _unicode_ci_compare
from django.utils import timezone

from outbox.models import OutgoingMail
from outbox.services import mail_key, queue_password_reset_mail

# Seconds: one reset mail per account in each such window (home.forms.OutboxPasswordResetForm).
RESET_MAIL_INTERVAL = 10 * 60


class OutboxPasswordResetForm(PasswordResetForm):
    """The reset mail through the outbox: recorded, then sent after the response,
    so the page neither waits for the mail server nor tells by its timing
    whether the address has an account."""

    def get_users(self, email):
        """Active accounts with this address, including a new person who has not
        yet chosen a password (their invitation may have expired or gone astray);
        Django leaves those out. An account is closed by making it inactive."""
        User = get_user_model()
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _unicode_ci_compare(email, getattr(user, field)))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """At most one reset mail per account in each RESET_MAIL_INTERVAL: anyone can
        type a person's address here, and the page must not become a way to flood
        them. A link already sent stays valid for hours; the page says the same
        whether or not a mail went."""
        window = int(timezone.now().timestamp()) // RESET_MAIL_INTERVAL
        key = mail_key(OutgoingMail.Kind.PASSWORD_RESET, context["user"].pk, window)
        queue_password_reset_mail(subject_template_name, email_template_name, context, *args, key=key, **kwargs)
