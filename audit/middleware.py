from .models import AccountEvent
from .services import account_event_record


class RefusedRequestMiddleware:
    """Records every request refused with 403 to a signed-in person (no
    permission, or a failed CSRF check) in the account log: the account, the
    method and the path, never the address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and user.is_authenticated:
            account_event_record(kind=AccountEvent.Kind.REFUSED, account=user, method=request.method, path=request.path)
        return response
