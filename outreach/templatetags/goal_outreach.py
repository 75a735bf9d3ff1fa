from django import template
from django.utils import timezone

from outreach.selectors import goal_outreach as read_goal_outreach

register = template.Library()


@register.inclusion_tag("outreach/_goal_outreach.html", takes_context=True)
def goal_outreach(context, goal):
    """The outreach linked to a goal in the last twelve months, for the
    municipality's staff only (exact counts): nothing for a representative, nor
    when no month is linked to the goal. One query."""
    membership = context.get("membership")
    if membership is None or not membership.is_staff_member:
        return {"outreach": None}
    return {"outreach": read_goal_outreach(goal, today=timezone.localdate())}
