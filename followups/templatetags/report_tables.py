"""The long tables of a unit report's page, written in Python: a large unit
has hundreds of activities and changes, and as template tags each row costs
dozens of variable lookups and a URL reversal."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

from followups.selectors import status_summary_label
from lib.rows import escape_text, url_pattern

register = template.Library()


@register.simple_tag
def entry_sections(content):
    """<section> per goal (entry): code (linked to the goal while the report is
    live) and title, assessment, results, challenges and the round's extra questions."""
    esc = escape_text
    url = url_pattern("plans:goal").format
    t_assessment, t_results = esc(gettext("Assessment")), esc(gettext("Results"))
    t_challenges = esc(gettext("Challenges"))
    out = []
    for n, e in enumerate(content.entries, start=1):
        code = esc(e.code)
        if e.goal_id and not content.frozen:
            code = f'<a href="{url(e.goal_id)}">{code}</a>'
        extra = "".join(f'<h4>{esc(q)}</h4><div class="prose">{esc(a or "—")}</div>' for q, a in e.extra)
        out.append(
            f'\n<section class="entry" aria-labelledby="entry-{n}">'
            f'\n  <h3 id="entry-{n}">{code} {esc(e.title)}</h3>'
            f"\n  <p><strong>{t_assessment}:</strong> "
            f'<span class="status sentiment-{esc(e.sentiment)}">{esc(capfirst(e.assessment_label))}</span></p>'
            f'\n  <h4>{t_results}</h4><div class="prose">{esc(e.result or "—")}</div>'
            f'\n  <h4>{t_challenges}</h4><div class="prose">{esc(e.challenges or "—")}</div>'
            f"\n  {extra}"
            "\n</section>\n"
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)


@register.simple_tag
def activity_rows(content):
    """<tr> per activity: reference, title (linked to the activity while the report is live), goals, status, comment."""
    esc = escape_text
    url = url_pattern("activities:detail").format
    labels: dict[str, str] = {}
    out = []
    for a in content.activities:
        title = esc(a.title)
        if a.activity_id and not content.frozen:
            title = f'<a href="{url(a.activity_id)}">{title}</a>'
        if a.summary not in labels:
            labels[a.summary] = esc(status_summary_label(a.summary))
        out.append(
            f'<tr><td class="nowrap">{esc(a.reference)}</td><td>{title}</td><td>{esc(", ".join(a.goals))}</td>'
            f'<td>{esc(a.status)} <span class="muted">({labels[a.summary]})</span></td><td>{esc(a.comment)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)


@register.simple_tag
def change_rows(changes):
    """<tr> per change since the previous approved report."""
    esc = escape_text
    short: dict[str, str] = {}  # title -> as truncatechars:50 gives it (a title recurs in several changes)
    out = []
    for c in changes:
        if c.title not in short:
            short[c.title] = esc(Truncator(c.title).chars(50))
        out.append(
            f"<tr><td>{esc(c.what)} {short[c.title]}</td><td>{esc(c.field)}</td>"
            f'<td class="prose">{esc(c.before or "—")}</td><td class="prose">{esc(c.after or "—")}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)
