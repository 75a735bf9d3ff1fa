"""{% unit_competence report %}: the unit's trainings in a follow-up round's
period and its share of staff trained, read-only in the report's pages
(2030 plan, goal 1.1). Three queries, however many occasions."""

from django import template

from competence.selectors import unit_competence as select_unit_competence

register = template.Library()


@register.inclusion_tag("competence/_report_competence.html")
def unit_competence(report):
    rnd = report.round
    return {"competence": select_unit_competence(report.unit, start=rnd.period_start, end=rnd.period_end)}
