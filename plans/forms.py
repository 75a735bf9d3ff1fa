from django import forms
from django.conf import settings
from django.db import router
from django.db.models import Max, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from lib.pickers import GOALS, UNITS, FilterCheckboxSelectMultiple
from organisations.models import OrgUnit, UnitGroup

from .models import (
    MAX_LEVELS,
    ActivityStatus,
    Goal,
    GoalKind,
    GoalResponsibility,
    Plan,
    PlanLevel,
    PlanReference,
    RightsArea,
    SupportRelation,
)
from .services import Responsible
from .validators import validate_single_line


class PlanForm(forms.ModelForm):
    """The plan's fields and its level names (1 to 4, from the top)."""

    class Meta:
        model = Plan
        fields = [
            "title", "kind", "status", "dnr", "replaced_by", "valid_from", "valid_to",
            "adopted_by", "adopted_on", "adopted_paragraph", "overall_goal", "description",
        ]  # fmt: skip
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "adopted_on": DateInput(),
            "overall_goal": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Plan.Kind.choices
        others = Plan.objects.filter(municipality=municipality).order_by("title")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others
        self.fields["replaced_by"].help_text = _("Only for a replaced plan: the plan that replaces it.")
        levels = list(self.instance.levels.order_by("depth")) if self.instance.pk else []
        for depth in range(1, MAX_LEVELS + 1):
            level = levels[depth - 1] if depth <= len(levels) else None
            self.fields[f"level_{depth}_name"] = forms.CharField(
                label=_("Level %(depth)d: name") % {"depth": depth},
                max_length=PlanLevel._meta.get_field("name").max_length,
                required=depth == 1,
                initial=level.name if level else "",
                validators=[validate_single_line],
            )
            self.fields[f"level_{depth}_kind"] = forms.ChoiceField(
                label=_("Level %(depth)d: kind of goal") % {"depth": depth},
                choices=[("", _("(none)")), *GoalKind.choices],
                required=False,
                initial=level.goal_kind if level else "",
            )

    def clean_adopted_on(self):
        return _not_in_future(self.cleaned_data.get("adopted_on"))

    def level_fields(self):
        """Pairs of bound fields (name, kind) for the template."""
        return [(self[f"level_{d}_name"], self[f"level_{d}_kind"]) for d in range(1, MAX_LEVELS + 1)]

    def clean(self):
        data = super().clean()
        if data.get("replaced_by") and data.get("status") != Plan.Status.REPLACED:
            self.add_error("replaced_by", _("Only a replaced plan can name the plan that replaces it."))
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the validity period is before its start."))
        levels = []
        gap_at = None
        for depth in range(1, MAX_LEVELS + 1):
            name = (data.get(f"level_{depth}_name") or "").strip()
            if not name:
                gap_at = gap_at or depth
                continue
            if gap_at:
                self.add_error(f"level_{depth}_name", _("Name the levels from the top without gaps."))
            levels.append((name, data.get(f"level_{depth}_kind") or ""))
        if self.instance.pk and levels:
            deepest = self.instance.goals.aggregate(m=Max("depth"))["m"] or 0
            if deepest > len(levels):
                self.add_error(
                    f"level_{len(levels) + 1}_name",
                    _("The plan has goals at level %(depth)d; remove them before removing the level.")
                    % {"depth": deepest},
                )
        self.levels = levels
        return data

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def responsible_choices(municipality) -> list[tuple[str, list[tuple[str, str]]]]:
    units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
    groups = UnitGroup.objects.filter(municipality=municipality).order_by("name")
    return [
        (str(_("Groups of units")), [(f"g{g.pk}", g.name) for g in groups]),
        (str(_("Units")), [(f"u{u.pk}", u.name) for u in units]),
    ]


def related_goal_choices(plan: Plan) -> list[tuple[str, list[tuple[int, str]]]]:
    """The goals of the municipality's other plans, grouped by plan (current plan first),
    each plan's in tree order (1, 1.1, 1.2, 2 …). The other versions of the same plan are
    not other plans: their goals are not offered."""
    from .selectors import plan_chain, sort_in_tree_order

    own = [p.pk for p in plan_chain(plan)]
    others = list(Plan.objects.filter(municipality_id=plan.municipality_id).exclude(pk__in=own).current_first())
    goals: dict[int, list[tuple[int, str]]] = {p.pk: [] for p in others}
    for goal in sort_in_tree_order(list(Goal.objects.filter(plan__in=others).only("pk", "plan_id", "code", "title"))):
        goals[goal.plan_id].append((goal.pk, f"{goal.code} {goal.title[:90]}"))
    return [(_plan_label(p), goals[p.pk]) for p in others if goals[p.pk]]


def _plan_label(plan: Plan) -> str:
    """A plan told apart from its other versions: "Strategi 2018–2022, version 2 (antagen)"."""
    return _("%(title)s, version %(version)s (%(status)s)") % {
        "title": plan.title,
        "version": plan.version,
        "status": plan.get_status_display(),
    }


class GoalForm(forms.ModelForm):
    """A goal with its rights areas and responsibility."""

    rights_areas = forms.ModelMultipleChoiceField(
        label=_("Rights areas in the national strategy"),
        queryset=RightsArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    primary = forms.MultipleChoiceField(
        label=_("Especially responsible (särskilt ansvariga)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    co_responsible = forms.MultipleChoiceField(
        label=_("Co-responsible"), widget=forms.CheckboxSelectMultiple, required=False
    )
    related_goals = forms.TypedMultipleChoiceField(
        label=_("Related goals in other plans"),
        help_text=_("Goals of the municipality's other steering documents that this goal builds on or serves."),
        coerce=int,
        required=False,
        widget=FilterCheckboxSelectMultiple(nouns=GOALS),
    )

    class Meta:
        model = Goal
        fields = ["parent", "code", "title", "kind", "description", "guidance", "all_units"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "guidance": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.levels = list(plan.levels.order_by("depth"))
        self.fields["rights_areas"].label_from_instance = lambda area: area.name
        choices = responsible_choices(plan.municipality)
        self.fields["primary"].choices = choices
        self.fields["co_responsible"].choices = choices
        self.fields["related_goals"].choices = related_goal_choices(plan)
        if self.instance.pk:
            # Moving a goal within the tree is not offered: it would move its whole branch.
            del self.fields["parent"]
            resps = self.instance.responsibilities.all()
            self.initial["primary"] = [self._key(r) for r in resps if r.role == GoalResponsibility.Role.PRIMARY]
            self.initial["co_responsible"] = [self._key(r) for r in resps if r.role == GoalResponsibility.Role.CO]
            self.initial["rights_areas"] = list(self.instance.rights_areas.all())
            self.initial["related_goals"] = list(self.instance.related_goals.values_list("pk", flat=True))
        else:
            parents = Goal.objects.filter(plan=plan, depth__lt=len(self.levels)).order_by("depth", "position")
            self.fields["parent"].queryset = parents
            self.fields["parent"].label = _("Under")
            self.fields["parent"].empty_label = _("(top level: %(level)s)") % {
                "level": self.levels[0].name_in_sentence if self.levels else ""
            }
            self.fields["parent"].label_from_instance = lambda g: f"{g.code} {g.title[:80]}"

    @staticmethod
    def _key(resp: GoalResponsibility) -> str:
        return f"u{resp.unit_id}" if resp.unit_id else f"g{resp.group_id}"

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = Goal.objects.filter(plan=self.plan, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Another goal in the plan already has the code %(code)s."), params={"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not self.levels:
            raise forms.ValidationError(_("Name the plan's levels before adding goals."))
        both = set(data.get("primary") or []) & set(data.get("co_responsible") or [])
        if both:
            self.add_error("co_responsible", _("A unit cannot be both especially responsible and co-responsible."))
        return data

    def goal_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("code", "title", "kind", "description", "guidance", "all_units")
        }

    def responsible(self) -> list[Responsible]:
        wanted = [
            *((key, GoalResponsibility.Role.PRIMARY) for key in self.cleaned_data["primary"]),
            *((key, GoalResponsibility.Role.CO) for key in self.cleaned_data["co_responsible"]),
        ]
        unit_ids = [int(k[1:]) for k, _role in wanted if k[0] == "u"]
        group_ids = [int(k[1:]) for k, _role in wanted if k[0] == "g"]
        # The choices were limited to the plan's municipality, so these lookups stay inside it.
        units = OrgUnit.objects.in_bulk(unit_ids)
        groups = UnitGroup.objects.in_bulk(group_ids)
        out = []
        for key, role in wanted:
            target = units.get(int(key[1:])) if key[0] == "u" else groups.get(int(key[1:]))
            if target is not None and target.municipality_id == self.plan.municipality_id:
                out.append(Responsible(target=target, role=role))
        return out


class PlanImportForm(forms.Form):
    """The file, and once a plan with the same title and period has been found, the
    confirmation that a second, separate plan is wanted (the file is chosen again)."""

    file = forms.FileField(
        label=_("Plan file (YAML)"),
        help_text=_("A plan file in Inkludera's format; see the description of the format."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("as_new"):
            self.add_as_new()

    def add_as_new(self) -> None:
        self.fields["as_new"] = forms.BooleanField(
            label=_("Import it anyway as a new, separate plan"),
            help_text=_(
                "The existing plan stays as it is, and so does the choice of current plan. "
                "Choose the file again to import."
            ),
            required=False,
        )

    @property
    def as_new(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("as_new"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(max)d kB."), params={"max": settings.PLAN_FILE_MAX_BYTES // 1000}
            )
        return upload


class BaseActivityStatusFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept, names, in_use = 0, set(), []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk:
                    try:  # activities or follow-up reports that use the status
                        Collector(using=router.db_for_write(ActivityStatus)).collect([form.instance])
                    except (ProtectedError, RestrictedError):
                        in_use.append(form.instance.name)
                continue
            name = form.cleaned_data.get("name", "").strip().lower()
            if name in names:
                form.add_error("name", _("Two statuses cannot have the same name."))
            names.add(name)
            kept += 1
        if in_use:
            raise forms.ValidationError(
                _("Used by activities or reports, so they cannot be removed: %(names)s.") % {"names": ", ".join(in_use)}
            )
        if kept == 0:
            raise forms.ValidationError(_("A plan needs at least one status."))


ActivityStatusFormSet = forms.inlineformset_factory(
    Plan,
    ActivityStatus,
    formset=BaseActivityStatusFormSet,
    fields=["name", "summary", "position"],
    extra=2,
    can_delete=True,
)


class AdoptForm(forms.Form):
    """The council's decision adopting a version (plans.services.plan_adopt)."""

    prefix = "adopt"  # the form is also on the plan page, beside its other forms

    adopted_by = forms.CharField(
        label=_("Adopted by"),
        max_length=Plan._meta.get_field("adopted_by").max_length,
        help_text=_("E.g. Kommunfullmäktige."),
        validators=[validate_single_line],
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    paragraph = forms.CharField(
        label=_("Paragraph"),
        required=False,
        max_length=Plan._meta.get_field("adopted_paragraph").max_length,
        help_text=_("E.g. § 12."),
        validators=[validate_single_line],
    )
    dnr = forms.CharField(
        label=_("Reference number (dnr)"),
        required=False,
        max_length=Plan._meta.get_field("dnr").max_length,
        validators=[validate_single_line],
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("initial", {"adopted_by": plan.adopted_by, "dnr": plan.dnr})
        super().__init__(*args, **kwargs)

    def clean_adopted_on(self):
        return _not_in_future(self.cleaned_data["adopted_on"])


def _not_in_future(value):
    """A date of adoption: the council has decided, so today at the latest."""
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("The date of adoption cannot be in the future."))
    return value


class ContactUnitsForm(forms.Form):
    """The units the plan says must have a contact person."""

    prefix = "k"

    contact_units = forms.ModelMultipleChoiceField(
        label=_("Units that must have a contact person"),
        help_text=_("The start page warns about these units while they have no contact person."),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("initial", {"contact_units": list(plan.contact_units.all())})
        super().__init__(*args, **kwargs)
        self.fields["contact_units"].queryset = OrgUnit.objects.filter(municipality_id=plan.municipality_id).order_by(
            "name"
        )


class SupportRelationForm(forms.ModelForm):
    class Meta:
        model = SupportRelation
        fields = ["supporter", "kind", "supported_units", "supported_groups", "area"]
        error_messages = {"supporter": {"required": _("Choose the unit that gives the support.")}}
        widgets = {
            "supported_units": FilterCheckboxSelectMultiple(nouns=UNITS),
            "supported_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        self.fields["supporter"].queryset = units
        self.fields["supported_units"].queryset = units
        self.fields["supported_groups"].queryset = UnitGroup.objects.filter(municipality=municipality).order_by("name")

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if data.get("supporter") and not data.get("supported_units") and not data.get("supported_groups"):
            self.add_error("supported_units", _("Choose the units or groups of units that are supported."))
        if data.get("supporter") and data.get("supporter") in (data.get("supported_units") or []):
            self.add_error("supported_units", _("A unit cannot support itself."))
        return data


class PlanReferenceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("web address"),
        required=False,
        assume_scheme="https",
        max_length=PlanReference._meta.get_field("url").max_length,
    )

    class Meta:
        model = PlanReference
        fields = ["title", "kind", "referenced_plan", "url", "note"]
        error_messages = {"title": {"required": _("Write the document's title.")}}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        others = Plan.objects.filter(municipality_id=plan.municipality_id).exclude(pk=plan.pk).order_by("title", "pk")
        self.fields["referenced_plan"].queryset = others
        self.fields["referenced_plan"].label_from_instance = lambda p: f"{p.title} ({p.get_status_display()})"


SupportFormSet = forms.inlineformset_factory(
    Plan, SupportRelation, form=SupportRelationForm, extra=1, can_delete=True, max_num=50, validate_max=True
)
ReferenceFormSet = forms.inlineformset_factory(
    Plan, PlanReference, form=PlanReferenceForm, fk_name="plan", extra=1, can_delete=True, max_num=50, validate_max=True
)
