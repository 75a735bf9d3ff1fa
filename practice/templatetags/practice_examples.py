"""{% goal_examples goal %}: the goal page's "Examples to learn from" (one query)."""

from django import template

from ..access import may_adopt
from ..selectors import examples_for_goal

register = template.Library()


@register.inclusion_tag("practice/_goal_examples.html", takes_context=True)
def goal_examples(context, goal):
    membership = context["request"].membership
    areas = [area.pk for area in goal.rights_areas.all()]
    return {
        "goal": goal,
        "examples": examples_for_goal(goal, membership.municipality_id),
        "may_adopt": may_adopt(membership),
        "area": areas[0] if len(areas) == 1 else "",
    }


@register.inclusion_tag("practice/_adopted_from.html", takes_context=True)
def adopted_from(context, activity):
    """On an activity's page: the example it was made from, if any (one query). A link
    only while the reader may open the example (shared, or their municipality's)."""
    from ..models import Adoption

    adoption = Adoption.objects.filter(activity=activity).select_related("example").first()
    if adoption is None:
        return {"example": None}
    example = adoption.example
    membership = context["request"].membership
    return {
        "example": example,
        "readable": example.is_published or example.municipality_id == membership.municipality_id,
    }
