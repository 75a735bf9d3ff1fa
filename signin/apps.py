from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Sign-in")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from .middleware import check_at_sign_in, forget_check

        user_logged_in.connect(check_at_sign_in, dispatch_uid="second_factor_check_at_sign_in")
        authenticator_removed.connect(forget_check, dispatch_uid="second_factor_forget_check")
