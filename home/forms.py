from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, _unicode_ci_compare

from outbox.services import queue_password_reset_mail


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

    def send_mail(self, *args, **kwargs):
        queue_password_reset_mail(*args, **kwargs)
