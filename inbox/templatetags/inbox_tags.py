"""The count of what waits for the signed-in person, in the staff header
(templates/base.html), and the small checks the Påminn buttons need."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils import timezone

from lib.pagecache import GENERATION_KEY, cache_seconds

register = template.Library()


def _count(membership) -> int:
    from inbox.selectors import inbox_items

    return len(inbox_items(membership))


@register.simple_tag(takes_context=True)
def inbox_count(context) -> int:
    """How many things wait for the person. Computed from the data (a fixed number
    of queries) and kept in the shared cache under the person, the day and the
    page cache's data generation (lib/pagecache.py), which every write replaces:
    a page shows the count of the data it was made from, and a request whose
    template has no header (an API call, a file) reads nothing. With the page
    cache off (PAGE_CACHE_SECONDS=0, as in the tests) it is computed every time."""
    request = context.get("request")
    membership = context.get("membership")
    if request is None or not membership:
        return 0
    if "inbox_total" in context:  # the inbox page itself has just counted
        return context["inbox_total"]
    seconds = cache_seconds()
    if not seconds:
        return _count(membership)
    key = f"inbox:count:{request.user.pk}"
    today = timezone.localdate().isoformat()
    found = cache.get_many([GENERATION_KEY, key])  # one read of the shared cache
    generation = found.get(GENERATION_KEY)
    kept = found.get(key)
    if generation is not None and kept is not None and kept[:2] == (generation, today):
        return kept[2]
    count = _count(membership)
    if generation is not None:
        cache.set(key, (generation, today, count), seconds)
    return count


@register.simple_tag
def any_overdue(page) -> bool:
    """Whether a consultation page (consultations.selectors.ConsultationPage) has a view with overdue feedback."""
    return any(getattr(view, "overdue", False) for item in page.items for view in item.views.all())
