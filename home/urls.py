from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from signin.views import SignInView

from . import views
from .forms import OutboxPasswordResetForm
from .tokens import set_password_tokens

app_name = "home"
urlpatterns = [
    path("", views.start, name="start"),
]

# Sign-in and passwords use Django's own views under Swedish paths; their URL
# names are Django's (login, logout, password_reset_confirm, ...).
auth_urlpatterns = [
    # The password form; allauth's later steps (a second factor) follow it (signin/).
    path("logga-in/", SignInView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # The names allauth's pages link to (the same views; resolving finds the ones above).
    path("logga-in/", SignInView.as_view(), name="account_login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="account_logout"),
    path(
        "losenord/byt/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("losenord/byt/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "losenord/glomt/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("losenord/glomt/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        # A reset link (valid hours) or an invitation to a new account (valid days).
        auth_views.PasswordResetConfirmView.as_view(token_generator=set_password_tokens),
        name="password_reset_confirm",
    ),
    path("losenord/nytt/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
