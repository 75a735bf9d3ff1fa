from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with either the username or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        users = list(User.objects.filter(username__iexact=username)[:2])
        if len(users) != 1 and "@" in username:
            users = list(User.objects.filter(email__iexact=username)[:2])
        if len(users) != 1:
            # Run the hasher anyway so that timing does not reveal whether the user exists.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
