from django.utils.functional import SimpleLazyObject


def _membership_for(request):
    user = request.user
    if not user.is_authenticated:
        return None
    from .models import Membership

    related = user.__class__.membership.related  # user may be the lazy request.user
    if related.is_cached(user):  # ``user.membership`` was read first: the same row, not a second query
        return related.get_cached_value(user)
    membership = Membership.objects.select_related("municipality").filter(user=user).first()
    # Let ``user.membership`` (used by the access functions) reuse this row.
    related.set_cached_value(user, membership)
    return membership


class MembershipMiddleware:
    """Sets ``request.membership``: the signed-in user's role in their
    municipality, or None. Loaded lazily, at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership_for(request))
        return self.get_response(request)
