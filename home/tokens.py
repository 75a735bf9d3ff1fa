"""Links to choose a password: a reset link (asked for on the sign-in page) is
valid PASSWORD_RESET_TIMEOUT (hours); an invitation to a new account is valid
INVITATION_TIMEOUT (days), since a new person may open it days later. The two
are signed apart, so a reset link never lives as long as an invitation."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "inkludera.home.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # As Django's, with the invitation's validity instead of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()


class SetPasswordTokens:
    """What the set-password page accepts: a reset link or an invitation."""

    def check_token(self, user, token) -> bool:
        return default_token_generator.check_token(user, token) or invitation_token_generator.check_token(user, token)


set_password_tokens = SetPasswordTokens()
