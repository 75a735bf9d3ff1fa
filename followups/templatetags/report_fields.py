"""The unit report form's fields rendered in Python (lib.fastfields): ``{{ field|field_html }}``
for one field, and the two long loops of the form (the goals' fieldsets, the
activities' fieldsets) as one tag each. A large unit has hundreds of goals and
activities; as template loops each row costs dozens of variable lookups. The
markup is the same as the loops in report_form.html gave."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from lib import fastfields

register = template.Library()


@register.filter
def field_html(bound_field):
    return fastfields.field_html(bound_field)


@register.simple_tag
def goal_fieldsets(form):
    """A <fieldset> per goal (entry): its code and title as the legend, what keeps
    it from being submitted (tied to the fieldset), then its fields."""
    esc = conditional_escape
    out = []
    for entry, fields, problem in form.entry_groups():
        described = problem_html = ""
        if problem:
            described = f' aria-describedby="entry-{entry.pk}-problem"'
            problem_html = f'<div class="error" id="entry-{entry.pk}-problem"><p>{esc(problem)}</p></div>'
        out.append(
            f'\n  <fieldset class="entry{" has-error" if problem else ""}" id="entry-{entry.pk}"{described}>'
            f"\n    <legend><strong>{esc(entry.goal.code)}</strong> {esc(entry.goal.title)}</legend>"
            f"\n    {problem_html}"
            f"\n    {''.join(fastfields.field_html(f) for f in fields)}"
            "\n  </fieldset>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped, the fields are safe HTML)


@register.simple_tag
def activity_fieldsets(form, status_label, comment_label):
    """A <fieldset> per activity: its reference and title as the legend, errors of
    its status (with the id the select's aria-describedby names), the status and
    the comment."""
    esc = conditional_escape
    status_label, comment_label = esc(status_label), esc(comment_label)
    out = []
    for activity, status, comment in form.activity_groups():
        errors = status.errors
        error_html = ""
        if errors:
            messages = "".join(f"<p>{esc(e)}</p>" for e in errors)
            error_html = f'<div class="error" id="{esc(status.auto_id)}_error">{messages}</div>'
        out.append(
            f'\n  <fieldset class="entry activity-row{" has-error" if errors else ""}">'
            f"\n    <legend><strong>{esc(activity.reference)}</strong> {esc(activity.title)}</legend>"
            f"\n    {error_html}"
            f'\n    <div class="field"><label for="{esc(status.id_for_label)}">{status_label}</label>{status}</div>'
            f'\n    <div class="field"><label for="{esc(comment.id_for_label)}">{comment_label}</label>{comment}</div>'
            "\n  </fieldset>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped, the widgets are safe HTML)
