from django import template

from decisions.selectors import decisions_linked

register = template.Library()


@register.inclusion_tag("decisions/_linked.html", takes_context=True)
def linked_decisions(context, obj):
    """The decisions linked to a goal or a consultation (``obj.decisions``), for
    the municipality's staff only: nothing for a representative, nor when there
    are none. One query."""
    membership = context.get("membership")
    if membership is None or not membership.is_staff_member:
        return {"decisions": []}
    return {"decisions": list(decisions_linked(obj.decisions.all()))}
