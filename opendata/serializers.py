"""The records of the open-data API: what each dataset publishes, field by
field (docs/open-data.md). Read-only; labels are in Swedish.

Every record carries ``kommunkod``, taken from the serializer's context;
goal references and rights areas come from the context's GoalIndex, so only
goals of published plans are ever named."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Method, PartnerKind, TargetGroup
from consultations.models import Consultation, Feedback, View
from events.models import Event
from indicators.models import GenderTerms, Indicator, Track
from lib.result_tables import cell_value
from lib.suppression import Cell
from plans.models import GoalKind, GoalResponsibility, Plan, RightsArea, StatusSummary
from remiss.models import Answer, Comment, Remiss

from .selectors import FiguresRow, GoalIndex, PublishedResults


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


class RecordSerializer(serializers.Serializer):
    kommunkod = serializers.SerializerMethodField(help_text=_("The municipality code (four digits), e.g. 0180."))

    def get_kommunkod(self, obj) -> str:
        return self.context["municipality"].code

    @property
    def goal_index(self) -> GoalIndex:
        return self.context["goals"]


def public_url(context: dict, name: str, pk: int, fragment: str = "") -> str | None:
    """The address of an object's page on the municipality's public site
    (``public:<name>``), absolute when a request is at hand; None while the site
    is not published (``site_published`` in the context)."""
    if not context.get("site_published"):
        return None
    path = reverse(f"public:{name}", kwargs={"kod": context["municipality"].code, "pk": pk}) + fragment
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text=_("The label, in Swedish."))


def _labels(values: list[str], choices) -> list[dict]:
    """[{code, label}] for the known codes among the values, in their order."""
    labels = dict(choices.choices)
    return [{"code": v, "label": str(labels[v])} for v in values if v in labels]


class RightsAreaSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=RightsArea.Code.choices)
    label = serializers.CharField(help_text=_("The rights area, in Swedish."))
    inherited = serializers.BooleanField(
        help_text=_("True when a goal above (e.g. the focus area) is mapped to the area, not the goal itself.")
    )


class GoalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    plan_id = serializers.IntegerField()


class GoalLinkedSerializer(RecordSerializer):
    """A record that serves goals: the goals (of published plans) and their
    rights areas. Subclasses declare the fields ``goals`` and ``rights_areas``
    (goals_field(), areas_field()) where they want them."""

    def goal_ids(self, obj) -> list[int]:
        return [goal.pk for goal in obj.goals.all()]

    @extend_schema_field(GoalRefSerializer(many=True))
    def get_goals(self, obj) -> list[dict]:
        return [{"id": g.id, "code": g.code, "plan_id": g.plan_id} for g in self.goal_index.refs(self.goal_ids(obj))]

    @extend_schema_field(RightsAreaSerializer(many=True))
    def get_rights_areas(self, obj) -> list[dict]:
        return [
            {"code": a.code, "label": a.label, "inherited": a.inherited}
            for a in self.goal_index.areas(self.goal_ids(obj))
        ]


def goals_field() -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(
        help_text=_("The goals in adopted or replaced plans that the record serves.")
    )


def areas_field() -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(help_text=_("The national strategy's rights areas that the goals map to."))


# --- Municipalities and plans -----------------------------------------------------------------


class MunicipalitySerializer(serializers.Serializer):
    kommunkod = serializers.CharField(source="code", help_text=_("The municipality code (four digits)."))
    name = serializers.CharField()
    consultation_figures_published = serializers.BooleanField(
        source="open_consultation_figures", help_text=_("Whether the municipality publishes its consultation figures.")
    )


class PlanSerializer(RecordSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Plan.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.ChoiceField(
        choices=[(s, s.label) for s in (Plan.Status.CONSULTATION, Plan.Status.ADOPTED, Plan.Status.REPLACED)]
    )
    status_label = serializers.CharField(source="get_status_display")
    overall_goal = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    adopted_by = serializers.CharField(help_text=_("E.g. Kommunfullmäktige."))
    adopted_on = serializers.DateField(allow_null=True)
    level_names = serializers.SerializerMethodField(help_text=_("The plan's names of its levels, from the top."))

    def get_level_names(self, obj) -> list[str]:
        return [level.name for level in obj.levels.all()]


class ResponsibleSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("unit", "unit"), ("group", "group")])
    name = serializers.CharField()
    short_name = serializers.CharField()
    role = serializers.ChoiceField(choices=GoalResponsibility.Role.choices)
    role_label = serializers.CharField()


class GoalSerializer(RecordSerializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    level = serializers.IntegerField(source="depth", help_text=_("The level in the plan's tree, 1 at the top."))
    level_name = serializers.SerializerMethodField(help_text=_("The plan's name of the level, e.g. Fokusområde."))
    kind = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    all_units = serializers.BooleanField(help_text=_("All committees and company boards answer for the goal."))
    responsible_units = serializers.SerializerMethodField()
    rights_areas = serializers.SerializerMethodField(
        help_text=_("The national strategy's rights areas: the goal's own and those of the goals above it.")
    )

    def get_level_name(self, obj) -> str:
        return self.context["levels"].get((obj.plan_id, obj.depth), "")

    @extend_schema_field(serializers.ChoiceField(choices=GoalKind.choices, allow_null=True))
    def get_kind(self, obj) -> str | None:
        return obj.kind or None

    def get_kind_label(self, obj) -> str:
        return obj.get_kind_display() if obj.kind else ""

    @extend_schema_field(ResponsibleSerializer(many=True))
    def get_responsible_units(self, obj) -> list[dict]:
        out = []
        for resp in obj.responsibilities.all():
            target = resp.unit or resp.group
            out.append(
                {
                    "type": "unit" if resp.unit_id else "group",
                    "name": target.name,
                    "short_name": target.short_name,
                    "role": resp.role,
                    "role_label": resp.get_role_display(),
                }
            )
        return out

    @extend_schema_field(RightsAreaSerializer(many=True))
    def get_rights_areas(self, obj) -> list[dict]:
        info = self.goal_index.goals.get(obj.pk)
        areas = info.areas if info else []
        return [{"code": a.code, "label": a.label, "inherited": a.inherited} for a in areas]


# --- Activities -------------------------------------------------------------------------------


class ActivitySerializer(GoalLinkedSerializer):
    """A public activity. Never its budget, funding, partners' names, mandate,
    responsible role or progress notes."""

    id = serializers.IntegerField()
    reference = serializers.CharField(help_text=_("The activity's reference, e.g. STHLM-A-0042."))
    plan_id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    owner_unit = serializers.CharField(source="owner.name", help_text=_("The responsible committee or board."))
    co_units = serializers.SerializerMethodField(help_text=_("Co-operating committees and boards."))
    goals = goals_field()
    rights_areas = areas_field()
    status = serializers.CharField(source="status.name", help_text=_("The plan's own name of the status."))
    status_summary = serializers.ChoiceField(source="status.summary", choices=StatusSummary.choices)
    status_summary_label = serializers.CharField(source="status.get_summary_display")
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    ongoing = serializers.BooleanField(help_text=_("Runs without an end date."))
    target_groups = serializers.SerializerMethodField()
    methods = serializers.SerializerMethodField()
    partner_kinds = serializers.SerializerMethodField(help_text=_("Kinds of partner (not which)."))

    def get_co_units(self, obj) -> list[str]:
        return [unit.name for unit in obj.co_units.all()]

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_target_groups(self, obj) -> list[dict]:
        return _labels(obj.target_groups, TargetGroup)

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_methods(self, obj) -> list[dict]:
        return _labels(obj.methods, Method)

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_partner_kinds(self, obj) -> list[dict]:
        return _labels(obj.partner_kinds, PartnerKind)


# --- Indicators -------------------------------------------------------------------------------


def _number(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True, **kwargs)


class BaselineSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = _number()
    women = _number()
    men = _number()
    value_bool = serializers.BooleanField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = _number()


class MeasurementSerializer(serializers.Serializer):
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField()
    value = _number()
    women = _number()
    men = _number()
    value_bool = serializers.BooleanField(allow_null=True)
    value_text = serializers.CharField()


class IndicatorSerializer(GoalLinkedSerializer):
    """A published indicator. Never notes, who entered a measurement, or the
    reason given for the coordinator's assessment."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Indicator.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    definition = serializers.CharField()
    unit = serializers.CharField(help_text=_("Unit of measure, e.g. percent."))
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices)
    direction_label = serializers.CharField(source="get_direction_display")
    gender_split = serializers.BooleanField(help_text=_("Measurements give women, men and a total."))
    gender_terms = serializers.ChoiceField(
        choices=GenderTerms.choices,
        help_text=_(
            "What the split's two parts are: kvinnor_man (women and men) or flickor_pojkar (girls and boys, for an "
            "indicator about children); the fields women and men hold them."
        ),
    )
    source = serializers.ChoiceField(source="source_kind", choices=Indicator.Source.choices)
    source_label = serializers.CharField(source="get_source_kind_display")
    source_detail = serializers.CharField()
    kolada_id = serializers.CharField()
    responsible_unit = serializers.CharField(source="responsible_unit.name")
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    goals = goals_field()
    rights_areas = areas_field()
    baseline = BaselineSerializer(source="baseline_or_none", allow_null=True, help_text=_("The baseline."))
    targets = TargetSerializer(many=True, source="targets.all")
    measurements = MeasurementSerializer(many=True, source="measurements.all")
    track_computed = serializers.ChoiceField(
        source="assessment.computed",
        choices=Track.choices,
        help_text=_("Computed by the rule in docs/indicators.md: against the path from the baseline to the targets."),
    )
    track_computed_label = serializers.CharField(source="assessment.computed.label")
    track_assessed = serializers.SerializerMethodField(help_text=_("The coordinator's assessment, if any."))
    track_assessed_label = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=Track.choices, allow_null=True))
    def get_track_assessed(self, obj) -> str | None:
        override = obj.assessment.override
        return override.value if override else None

    def get_track_assessed_label(self, obj) -> str:
        override = obj.assessment.override
        return str(override.label) if override else ""


# --- Consultation figures ---------------------------------------------------------------------


class HeldByFormSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=Consultation.Form.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class ConsultationFiguresSerializer(RecordSerializer):
    """Counts of consultations and of views given feedback; never who took part,
    what was said or compensation."""

    year = serializers.IntegerField()
    unit = serializers.CharField(source="figures.unit.name")
    unit_short_name = serializers.CharField(source="figures.unit.short_name")
    held = serializers.IntegerField(source="figures.held", help_text=_("Consultations held in the year."))
    held_by_form = serializers.SerializerMethodField()
    views = serializers.IntegerField(source="figures.views", help_text=_("Views raised in the year's consultations."))
    answered_in_time = serializers.IntegerField(source="figures.answered_in_time")
    answered_late = serializers.IntegerField(source="figures.answered_late")
    overdue = serializers.IntegerField(
        source="figures.overdue", help_text=_("Without feedback after the time allowed.")
    )
    share_in_time = serializers.IntegerField(
        source="figures.share_in_time",
        allow_null=True,
        help_text=_("Percent of the views due for feedback that got it in time."),
    )
    median_days = serializers.FloatField(
        source="figures.median_days", allow_null=True, help_text=_("Median days from decision to feedback.")
    )
    feedback_days = serializers.IntegerField(
        help_text=_("The municipality's time for feedback, in days after the decision.")
    )

    @extend_schema_field(HeldByFormSerializer(many=True))
    def get_held_by_form(self, obj: FiguresRow) -> list[dict]:
        held = obj.figures.held_by_form  # keyed by the form's label
        return [
            {"form": code, "label": str(label), "count": held[str(label)]}
            for code, label in Consultation.Form.choices
            if str(label) in held
        ]


# --- Survey and needs-inventory results -------------------------------------------------------


class CellSerializer(serializers.Serializer):
    text = serializers.CharField(
        help_text=_(
            "As on the public page and in the CSV: the number, or for a hidden value its label, "
            "“hidden” (the same for every hidden value)."
        )
    )
    value = serializers.IntegerField(allow_null=True, help_text=_("The number; null when hidden (or not a number)."))
    suppressed = serializers.BooleanField(help_text=_("Hidden to protect individuals."))


def cell(value) -> dict:
    """A table value as published: the text lib.result_tables writes, the number if shown."""
    text = cell_value(value)
    number = value.value if isinstance(value, Cell) else value
    return {
        "text": "" if text is None else str(text),
        "value": number if isinstance(number, int) and not isinstance(number, bool) else None,
        "suppressed": isinstance(value, Cell) and value.suppressed,
    }


class TableRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = CellSerializer(many=True, help_text=_("One per column."))


class TableSerializer(serializers.Serializer):
    title = serializers.CharField()
    row_heading = serializers.CharField(help_text=_("The heading of the rows' labels."))
    columns = serializers.ListField(child=serializers.CharField())
    rows = TableRowSerializer(many=True)


def table(result_table) -> dict:
    return {
        "title": result_table.title,
        "row_heading": str(result_table.header[0]),
        "columns": [str(c) for c in result_table.header[1:]],
        "rows": [{"label": str(row[0]), "cells": [cell(v) for v in row[1:]]} for row in result_table.rows],
    }


class ResultsSerializer(RecordSerializer):
    """A published survey's or needs inventory's suppressed result tables."""

    type = serializers.ChoiceField(choices=[("survey", "survey"), ("inventory", "inventory")], source="kind")
    id = serializers.IntegerField()
    title = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    k = serializers.IntegerField(
        help_text=_("Counts below this are hidden, with other counts that would let them be worked out.")
    )
    respondents = serializers.SerializerMethodField(help_text=_("How many answered the survey or surveys."))
    page_url = serializers.SerializerMethodField(help_text=_("The public results page."))
    tables = serializers.SerializerMethodField()

    @extend_schema_field(CellSerializer)
    def get_respondents(self, obj: PublishedResults) -> dict:
        return cell(obj.respondents)

    def get_page_url(self, obj: PublishedResults) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.page_path) if request else obj.page_path

    @extend_schema_field(TableSerializer(many=True))
    def get_tables(self, obj: PublishedResults) -> list[dict]:
        return [table(t) for t in obj.tables]


# --- Återkoppling: published views and their feedback ---------------------------------------


class FeedbackRecordSerializer(RecordSerializer):
    """A view the municipality published on its återkoppling page, with its
    feedback, in the public wording (Swedish). Never the view as recorded, who
    entered it, the feedback's internal reasoning, or a representative's name
    without their consent. ``obj`` is a consultations View from
    public.selectors.feedback.published_views."""

    id = serializers.IntegerField(help_text=_("The view's id."))
    consultation_id = serializers.IntegerField(source="item.consultation_id")
    consultation_date = serializers.SerializerMethodField(help_text=_("The day the samråd was held."))
    consultation_form = serializers.ChoiceField(source="item.consultation.form", choices=Consultation.Form.choices)
    consultation_form_label = serializers.CharField(source="item.consultation.get_form_display")
    question = serializers.CharField(source="item.question", help_text=_("The agenda item's question."))
    decision_body = serializers.CharField(source="item.decision_body", help_text=_("E.g. Socialnämnden."))
    decision_date = serializers.DateField(
        source="item.decision_date", help_text=_("The date of the decision (expected, if still ahead).")
    )
    case_number = serializers.CharField(source="item.decision_ref", help_text=_("The decision's case number (dnr)."))
    said = serializers.SerializerMethodField(help_text=_("What was said, in the municipality's public wording."))
    given_by = serializers.ChoiceField(choices=View.GivenBy.choices)
    given_by_name = serializers.SerializerMethodField(
        help_text=_("The representative's name and organisation, only with their consent; else null.")
    )
    feedback_status = serializers.SerializerMethodField(help_text=_("Null while no feedback has been given."))
    feedback_status_label = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField(
        help_text=_("What became of the view, in the municipality's public wording; empty until written.")
    )
    feedback_date = serializers.SerializerMethodField()
    responding_unit = serializers.SerializerMethodField(help_text=_("The unit that answered (never a person)."))
    goal_ids = serializers.SerializerMethodField(
        help_text=_("The goals (of adopted or replaced plans) that carry the view out.")
    )
    activity_ids = serializers.SerializerMethodField(help_text=_("The public activities that carry the view out."))
    page_url = serializers.SerializerMethodField(
        help_text=_("The view on the municipality's public återkoppling page; null while the site is not published.")
    )

    def _feedback(self, obj):
        from public.selectors.feedback import feedback_of

        return feedback_of(obj)

    def _text(self, obj, name) -> str:
        from public.texts import shown

        text = shown(obj, name, "sv")
        return text.text if text else ""

    def get_consultation_date(self, obj) -> date:
        return timezone.localtime(obj.item.consultation.starts_at).date()

    def get_said(self, obj) -> str:
        return self._text(obj, "said")

    def get_given_by_name(self, obj) -> str | None:
        member = obj.representative if obj.representative_id else None
        return member.public_name if member is not None and member.named_consent else None

    @extend_schema_field(serializers.ChoiceField(choices=Feedback.Status.choices, allow_null=True))
    def get_feedback_status(self, obj) -> str | None:
        feedback = self._feedback(obj)
        return feedback.status if feedback else None

    def get_feedback_status_label(self, obj) -> str | None:
        feedback = self._feedback(obj)
        return str(feedback.get_status_display()) if feedback else None

    def get_answer(self, obj) -> str:
        return self._text(obj, "answer")

    def get_feedback_date(self, obj) -> date | None:
        feedback = self._feedback(obj)
        return feedback.given_on if feedback else None

    def get_responding_unit(self, obj) -> str | None:
        feedback = self._feedback(obj)
        return feedback.unit.name if feedback else None

    def get_goal_ids(self, obj) -> list[int]:
        feedback = self._feedback(obj)
        return [goal.pk for goal in feedback.goals.all()] if feedback else []

    def get_activity_ids(self, obj) -> list[int]:
        feedback = self._feedback(obj)
        return [activity.pk for activity in feedback.activities.all()] if feedback else []

    def get_page_url(self, obj) -> str | None:
        return public_url(self.context, "feedback_consultation", obj.item.consultation_id, f"#synpunkt-{obj.pk}")


# --- Evenemang: public events ------------------------------------------------------------------


class ParticipantsRowSerializer(serializers.Serializer):
    age_group = serializers.CharField(
        help_text=_("barn_unga (children and young people), vuxna (adults), aldre (elderly) or ej_angivet.")
    )
    label = serializers.CharField(help_text=_("The age group, in Swedish."))
    count = CellSerializer()


class EventRecordSerializer(GoalLinkedSerializer):
    """A public event (``obj`` is public.selectors.calendar.EventRecord): the
    calendar's facts and the participants as on its public page, small counts
    hidden. Never partner organisations or their contact persons."""

    id = serializers.IntegerField(source="event.pk")
    title = serializers.SerializerMethodField(help_text=_("The title, in Swedish."))
    description = serializers.SerializerMethodField(help_text=_("The description, in Swedish."))
    kind = serializers.ChoiceField(source="event.kind", choices=Event.Kind.choices)
    kind_label = serializers.CharField(source="event.get_kind_display")
    starts_at = serializers.DateTimeField(source="event.starts_at", help_text=_("Swedish time, with its offset."))
    ends_at = serializers.DateTimeField(source="event.ends_at", allow_null=True)
    place = serializers.CharField(source="event.place")
    accessibility = serializers.CharField(source="event.accessibility")
    interpretation = serializers.CharField(source="event.interpretation")
    childcare = serializers.CharField(source="event.childcare")
    organising_units = serializers.ListField(source="organisers", child=serializers.CharField())
    goals = goals_field()
    activity_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("The public activities the event serves.")
    )
    rights_areas = areas_field()
    participants_total = serializers.SerializerMethodField(
        help_text=_("After the event: how many took part, hidden when fewer than k; null when not recorded.")
    )
    participants_by_age = serializers.SerializerMethodField(help_text=_("After the event, when recorded by age."))
    page_url = serializers.SerializerMethodField(
        help_text=_("The event's public page; null while the site is not published.")
    )
    ics_url = serializers.SerializerMethodField(
        help_text=_("The event as iCalendar; null while the site is not published.")
    )

    def goal_ids(self, obj) -> list[int]:
        return obj.goal_ids

    def get_title(self, obj) -> str:
        return obj.item.title.text

    def get_description(self, obj) -> str:
        return obj.item.description.text if obj.item.description else ""

    @extend_schema_field(CellSerializer(allow_null=True))
    def get_participants_total(self, obj) -> dict | None:
        return cell(obj.participants.total) if obj.participants else None

    @extend_schema_field(ParticipantsRowSerializer(many=True))
    def get_participants_by_age(self, obj) -> list[dict]:
        if not obj.participants:
            return []
        return [
            {"age_group": code, "label": label, "count": cell(value)}
            for code, (label, value) in zip(obj.participants.codes, obj.participants.rows, strict=True)
        ]

    def get_page_url(self, obj) -> str | None:
        return public_url(self.context, "event", obj.event.pk)

    def get_ics_url(self, obj) -> str | None:
        return public_url(self.context, "event_ics", obj.event.pk)


# --- Remisser: published remisses, their bodies and comments -----------------------------------


class RemissBodySerializer(serializers.Serializer):
    """A body asked on a remiss, as on its public page (``obj`` is
    public.selectors.remiss.PublicBody). An external organisation that has not
    agreed to publication is neither named nor given a stance or texts: only
    whether it answered."""

    named = serializers.BooleanField(
        help_text=_("False for an external organisation that has not agreed to publication.")
    )
    name = serializers.SerializerMethodField(help_text=_("The unit or organisation; null when not named."))
    kind = serializers.SerializerMethodField(
        help_text=_("enhet (a unit of the municipality) or organisation (an external organisation).")
    )
    answered = serializers.BooleanField()
    answered_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField(help_text=_("The answer arrived after the deadline."))
    stance = serializers.SerializerMethodField(help_text=_("Null when not answered or not named."))
    stance_label = serializers.SerializerMethodField()
    case_number = serializers.CharField(source="dnr", help_text=_("The body's own case number (dnr), if given."))
    decided_by = serializers.CharField(help_text=_("The body that decided the answer, e.g. Socialnämnden."))
    decided_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField(help_text=_("The answer's summary, in Swedish."))
    general_comments = serializers.CharField(help_text=_("The answer's general comments, in Swedish."))

    def get_name(self, obj) -> str | None:
        return obj.name if obj.named else None

    def get_kind(self, obj) -> str:
        return "enhet" if obj.is_unit else "organisation"

    @extend_schema_field(serializers.ChoiceField(choices=Answer.Stance.choices, allow_null=True))
    def get_stance(self, obj) -> str | None:
        return obj.stance_code or None

    def get_stance_label(self, obj) -> str | None:
        return obj.stance or None


class RemissSerializer(RecordSerializer):
    """A published remiss (``obj`` is public.selectors.remiss.RemissPage): the
    facts, who was asked and what they answered, as on its public page. Never
    the covering letter, the bodies' e-mail addresses or links, the case officers,
    attached files or who recorded anything; texts with personal details and
    names replaced by markers."""

    id = serializers.IntegerField(source="remiss.pk")
    title = serializers.CharField(source="remiss.title", help_text=_("The title, in Swedish."))
    case_number = serializers.CharField(source="remiss.dnr", help_text=_("The municipality's case number (dnr)."))
    plan_id = serializers.IntegerField(source="remiss.plan_id", help_text=_("The plan version sent on remiss."))
    plan_title = serializers.CharField(source="remiss.plan.title")
    sent_on = serializers.DateField(source="remiss.sent_on")
    deadline = serializers.DateField(source="remiss.deadline", help_text=_("The last day of the remiss period."))
    status = serializers.ChoiceField(
        source="remiss.status",
        choices=[(Remiss.Status.SENT, Remiss.Status.SENT.label), (Remiss.Status.CLOSED, Remiss.Status.CLOSED.label)],
    )
    status_label = serializers.CharField(source="remiss.get_status_display")
    bodies_total = serializers.SerializerMethodField(help_text=_("How many bodies were asked."))
    answered_total = serializers.SerializerMethodField(help_text=_("How many of them answered."))
    not_named = serializers.IntegerField(
        help_text=_("How many are external organisations that have not agreed to publication.")
    )
    comments_total = serializers.SerializerMethodField(help_text=_("The published comments (remissynpunkter)."))
    comments_not_handled = serializers.IntegerField(
        source="not_handled", help_text=_("Published comments the municipality has not handled yet.")
    )
    bodies = RemissBodySerializer(many=True, help_text=_("Who was asked: named bodies first."))
    page_url = serializers.SerializerMethodField(
        help_text=_("The remiss's public page; null while the site is not published.")
    )

    def get_bodies_total(self, obj) -> int:
        return len(obj.bodies)

    def get_answered_total(self, obj) -> int:
        return sum(1 for body in obj.bodies if body.answered)

    def get_comments_total(self, obj) -> int:
        return sum(len(group.comments) for group in obj.groups)

    def get_page_url(self, obj) -> str | None:
        return public_url(self.context, "remiss", obj.remiss.pk)


class RemissCommentSerializer(RecordSerializer):
    """A published comment on a remiss and what the municipality did with it
    (``obj`` is opendata.selectors.RemissComment), as on the remiss's public page:
    only comments of units and of organisations that agreed to publication."""

    remiss_id = serializers.IntegerField(source="page.remiss.pk")
    remiss_title = serializers.CharField(source="page.remiss.title")
    plan_id = serializers.IntegerField(source="page.remiss.plan_id")
    body = serializers.CharField(source="comment.body", help_text=_("The unit or organisation that commented."))
    section = serializers.ChoiceField(source="group.section", choices=Comment.Section.choices)
    heading = serializers.CharField(
        source="group.label", help_text=_("The goal (code and title) or the section, as the page's heading.")
    )
    goal_id = serializers.SerializerMethodField(help_text=_("The goal commented on; null for a section."))
    text = serializers.CharField(source="comment.text", help_text=_("The comment, in Swedish."))
    handling = serializers.SerializerMethodField(help_text=_("Null while the municipality has not handled it."))
    handling_label = serializers.SerializerMethodField()
    handling_text = serializers.CharField(
        source="comment.handling_text", help_text=_("Why, in the municipality's words; empty until handled.")
    )
    page_url = serializers.SerializerMethodField(
        help_text=_("The remiss's public page; null while the site is not published.")
    )

    def get_goal_id(self, obj) -> int | None:
        return obj.group.goal.pk if obj.group.goal else None

    @extend_schema_field(
        serializers.ChoiceField(choices=[c for c in Comment.Handling.choices if c[0]], allow_null=True)
    )
    def get_handling(self, obj) -> str | None:
        return obj.comment.handling_code or None

    def get_handling_label(self, obj) -> str | None:
        return obj.comment.handling or None

    def get_page_url(self, obj) -> str | None:
        return public_url(self.context, "remiss", obj.page.remiss.pk)
