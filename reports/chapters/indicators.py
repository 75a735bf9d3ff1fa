"""Indicators: baseline, target, the latest measurement up to the period's end,
and (in the complete report) each quantitative indicator's chart with its
numbers. Live data, read as of the period's end: measurements of later periods
are left out; the chapter says so, and when the values were read."""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from indicators.formatting import format_number
from indicators.models import Indicator, Measurement, Target
from indicators.selectors import chart_and_table
from indicators.tracking import assess
from plans.models import Goal, Plan
from reports.document import Chart, Document, Heading, Paragraph, Table

from .common import as_of, iso, long_date

# The series' colours and dashes, as indicators/_chart_svg.html draws them.
LINE_STYLE = {"total": ("#0b4f8a", ""), "women": ("#8e2a6f", "2 3"), "men": ("#1e6b3a", "8 3")}


def add(
    doc: Document, *, plan: Plan, until: date, read_at: datetime, charts: bool, codes: dict[int, str] | None = None
) -> dict:
    """``codes``: the goals' codes as the rest of the document names them (reports.sources), by id."""
    indicators = list(
        Indicator.objects.filter(goals__plan=plan)
        .distinct()
        .select_related("baseline", "responsible_unit")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("date")),
            Prefetch("goals", queryset=Goal.objects.filter(plan=plan).order_by("depth", "position", "pk")),
            Prefetch("measurements", queryset=Measurement.objects.filter(period_end__lte=until).order_by("period_end")),
        )
        .order_by("name", "pk")
    )
    doc.add(Heading(1, _("Indicators")))
    if not indicators:
        doc.add(Paragraph(_("No indicator follows the plan's goals."), style="note"))
        return {"indicators": [], "measurements": []}
    doc.add(
        Paragraph(
            _("The latest value is the latest measurement up to %(date)s; the assessment follows the planned path.")
            % {"date": long_date(until)}
        )
    )
    doc.add(
        as_of(
            _(
                "As of the end of the period (%(date)s): measurements of later periods are not included. The values "
                "are as registered in Inkludera on %(read)s."
            )
            % {"date": long_date(until), "read": long_date(read_at)}
        )
    )

    def value(v, b=None) -> str:
        if v is not None:
            return format_number(v)
        return "" if b is None else (_("yes") if b else _("no"))

    rows = []
    drawn = []
    # The coordinator's own assessment is not versioned: the manifest keeps the one printed, and when it was set.
    read = {"indicators": [], "measurements": [], "indicator_assessments": []}
    for n, ind in enumerate(indicators, start=1):
        baseline = ind.baseline_or_none
        targets = list(ind.targets.all())
        measurements = list(ind.measurements.all())
        read["indicators"].append([ind.pk, ind.version])
        read["measurements"] += [[m.pk, m.version] for m in measurements]
        latest = measurements[-1] if measurements else None
        target = next((t for t in targets if t.date >= until), targets[-1] if targets else None)
        track = assess(ind, latest=latest, targets=[(t.date, t.value) for t in targets]).effective
        overridden_at = ind.track_override_at.isoformat() if ind.track_override and ind.track_override_at else None
        read["indicator_assessments"].append([ind.pk, str(track.value), overridden_at])
        if baseline:
            # A text indicator's baseline is its note (what the situation was).
            said = value(baseline.value, baseline.value_bool) or baseline.note.strip() or "–"
            baseline_text = f"{said} ({iso(baseline.date)})"
        else:
            baseline_text = "–"
        rows.append(
            [
                ind.name,
                ", ".join((codes or {}).get(g.pk, g.code) for g in ind.goals.all()),
                baseline_text,
                f"{format_number(target.value)} ({iso(target.date)})" if target else "–",
                f"{value(latest.value, latest.value_bool) or latest.value_text} ({iso(latest.period_end)})"
                if latest
                else "–",
                str(track.label),
            ]
        )
        if charts and ind.is_number:
            chart = indicator_chart(ind, baseline, targets, measurements, n)
            if chart:
                drawn.append(chart)
    doc.add(
        Table(
            _("Indicators with baseline, target and latest value"),
            [_("Indicator"), _("Goals"), _("Baseline"), _("Target"), _("Latest value"), _("Assessment")],
            rows,
            widths=[5, 2, 3, 3, 3, 2],
        )
    )
    if drawn:
        doc.add(Heading(2, _("Indicators over time")))
        doc.add(*drawn)
    elif not charts:
        doc.add(
            Paragraph(_("Each indicator's chart and every measurement are on its page in Inkludera."), style="note")
        )
    return read


def legend_svg(chart, chart_id: str) -> str:
    """The chart's legend as a strip of SVG under it, at the chart's scale: a
    swatch of each line (total, women, men: colour and dashes as drawn), the
    baseline, the target and the planned path."""
    items: list[tuple[str, str]] = []  # (swatch svg at 0,0, label)
    for series in chart.series:
        colour, dash = LINE_STYLE.get(series.key, LINE_STYLE["total"])
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            (f'<line x1="0" x2="24" y1="0" y2="0" stroke="{colour}" stroke-width="2"{dashes}/>', str(series.label))
        )
    if chart.baseline:
        items.append(
            ('<rect x="7" y="-5" width="10" height="10" fill="#ffffff" stroke="#1b1f24" stroke-width="2"/>',
             _("Baseline"))
        )  # fmt: skip
    if chart.targets:
        items.append(
            ('<path d="M12 -6 L18 0 L12 6 L6 0 Z" fill="#ffffff" stroke="#8a4b00" stroke-width="2"/>', _("Target"))
        )
    if chart.plan_path:
        items.append(
            ('<line x1="0" x2="24" y1="0" y2="0" stroke="#4a5360" stroke-dasharray="6 4"/>', _("Planned path"))
        )
    x, y, row_height, parts = 0.0, 10.0, 18, []
    for swatch, label in items:
        width = 30 + 6.5 * len(label) + 14
        if x and x + width > chart.width:
            x, y = 0.0, y + row_height
        parts.append(
            f'<g transform="translate({x:.0f} {y:.0f})">{swatch}'
            f'<text x="30" y="0" dominant-baseline="middle" font-size="11">{escape(label)}</text></g>'
        )
        x += width
    height = int(y + row_height / 2 + 2)
    title = escape(_("Legend") + ": " + ", ".join(label for _swatch, label in items))
    return (
        f'<svg class="chart-legend" viewBox="0 0 {chart.width} {height}" width="{chart.width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-legend"><title id="{chart_id}-legend">{title}</title>'
        f"{''.join(parts)}</svg>"
    )


def indicator_chart(ind: Indicator, baseline, targets, measurements, n: int) -> Chart | None:
    chart, table = chart_and_table(ind, baseline, targets, measurements)
    if chart is None:
        return None
    chart_id = f"indicator-{n}"
    svg = render_to_string("indicators/_chart_svg.html", {"chart": chart, "indicator": ind, "chart_id": chart_id})
    unit = f" ({ind.unit})" if ind.unit else ""
    header = [_("Date"), _("What"), _("Value") + unit]
    if ind.gender_split:
        # The women's and men's lines have their numbers in the table too.
        header = [_("Date"), _("What"), _("Total") + unit, ind.female_label, ind.male_label]
    rows = []
    for row in table:
        if row.value is None and not (ind.gender_split and (row.women is not None or row.men is not None)):
            continue
        cells = [iso(row.when), str(row.what), format_number(row.value) if row.value is not None else "–"]
        if ind.gender_split:
            cells += [format_number(v) if v is not None else "–" for v in (row.women, row.men)]
        rows.append(cells)
    return Chart(
        ind.name,
        svg.strip() + legend_svg(chart, chart_id),
        Table(
            _("%(name)s: the chart's numbers") % {"name": ind.name},
            header,
            rows,
            widths=[2, 2, 2] if not ind.gender_split else [2, 2, 2, 2, 2],
            numeric=[2] if not ind.gender_split else [2, 3, 4],
        ),
    )
