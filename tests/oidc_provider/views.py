"""The provider's test-only views (see __init__.py)."""

from django.contrib.auth import get_user_model, login
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from . import behaviour


@require_GET
def test_login(request, username):
    """Sign this browser in at the provider as `username`, with the address in ?email=."""
    user, _created = get_user_model().objects.get_or_create(username=username)
    email = request.GET.get("email")
    if email is not None and user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponse(f"signed in as {username} <{user.email}>\n", content_type="text/plain")


@require_GET
def not_signed_in(request):
    return HttpResponse("not signed in at the test provider\n", status=401, content_type="text/plain")


@require_GET
def test_mode(request, mode):
    try:
        behaviour.set_mode(mode)
    except ValueError:
        raise Http404(mode) from None
    return HttpResponse(f"mode {mode}\n", content_type="text/plain")
