"""Sign-ins, sign-outs, failed sign-ins and lockouts into the account log.
Connected in AuditConfig.ready(): Django's sign-in views and django-axes
announce these only as signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from organisations.backends import find_account

from .models import AccountEvent
from .services import account_event_record


def signed_in(sender, request, user, **kwargs):
    account_event_record(kind=AccountEvent.Kind.SIGN_IN, account=user)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        account_event_record(kind=AccountEvent.Kind.SIGN_OUT, account=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # A failure that locks the account, or comes while it is locked, is recorded as the lockout.
    if request is not None and getattr(request, "axes_locked_out", False):
        return
    # The account the name means, if any; the typed name itself is never kept.
    account_event_record(kind=AccountEvent.Kind.SIGN_IN_FAILED, account=find_account(credentials.get("username") or ""))


def locked_out(sender, request, username, **kwargs):
    # ``username`` is the account's username, however it was typed (organisations.backends.lockout_username).
    account_event_record(kind=AccountEvent.Kind.LOCKED_OUT, account=find_account(username or ""))


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit_sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
