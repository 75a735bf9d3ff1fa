from django.utils.functional import SimpleLazyObject


def _membership_for(request):
    user = request.user
    if not user.is_authenticated:
        return None
    from .models import Membership

    membership = Membership.objects.select_related("municipality").filter(user=user).first()
    # Let ``user.membership`` (used by the access functions) reuse this row.
    user.__class__.membership.related.set_cached_value(user, membership)
    return membership


class MembershipMiddleware:
    """Sets ``request.membership``: the signed-in user's role in their
    municipality, or None. Loaded lazily, at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership_for(request))
        return self.get_response(request)
