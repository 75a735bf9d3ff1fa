"""The claims the provider vouches for, and its misbehaviour (behaviour.py): an id_token
for another audience, or one that has already expired. The token is otherwise real:
signed with the provider's key and delivered from its token endpoint."""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import behaviour


class ProviderValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "preferred_username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        # These claims are laid over oauthlib's own (aud, iat) in finalize_id_token.
        mode = behaviour.mode()
        if mode == "wrong-audience":
            claims["aud"] = "another-client"
        elif mode == "expired":
            issued = timezone.now() - timedelta(minutes=20)
            claims["iat"] = int(issued.timestamp())
            claims["auth_time"] = int(issued.timestamp())
            claims["exp"] = int((issued + timedelta(minutes=10)).timestamp())
        return claims, expiration_time
