from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from signin.sessions import PreloadedUserMixin


def find_account(name: str):
    """The one account a typed sign-in name means: its username in any case, or
    its e-mail address. None if no account, or more than one, matches."""
    User = get_user_model()
    users = list(User.objects.filter(username__iexact=name)[:2])
    if len(users) != 1 and "@" in name:
        users = list(User.objects.filter(email__iexact=name)[:2])
    return users[0] if len(users) == 1 else None


def lockout_username(request, credentials=None) -> str:
    """The name sign-in throttling counts failures under (AXES_USERNAME_CALLABLE):
    the account's username however the name was typed (any case, or the
    e-mail address), so every spelling shares one counter; for a name that
    matches no account, the typed name stripped and lower-cased."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    typed = (source.get("username") or "").strip()
    if not typed:
        return ""
    # Axes asks several times per attempt; look the account up once per request.
    cache = request.__dict__.setdefault("_lockout_usernames", {}) if request is not None else {}
    if typed not in cache:
        account = find_account(typed)
        cache[typed] = account.get_username() if account is not None else typed.lower()
    return cache[typed]


class UsernameOrEmailBackend(PreloadedUserMixin, ModelBackend):
    """Sign in with either the username (in any case) or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal whether the user exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
