from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from followups.models import Round, UnitReport
from plans.models import Plan

from .models import CouncilReport


class RoundChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, rnd):
        return _("%(plan)s: %(round)s (%(approved)d of %(total)d reports approved)") % {
            "plan": rnd.plan.title,
            "round": rnd.name,
            "approved": rnd.approved,
            "total": rnd.total,
        }


class CouncilReportForm(forms.ModelForm):
    """The plan, its rounds and the texts the coordinator writes; the rest comes from the data."""

    rounds = RoundChoiceField(
        queryset=Round.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Follow-up rounds"),
        help_text=_("One or more rounds of the plan, e.g. a year or two. Only approved unit reports are used."),
    )

    class Meta:
        model = CouncilReport
        fields = ["plan", "rounds", "title", "detail", "summary", "analysis", "conclusions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "analysis": forms.Textarea(attrs={"rows": 8}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
            "detail": forms.RadioSelect,
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(municipality=municipality).current_first()
        self.fields["plan"].empty_label = None
        self.fields["rounds"].queryset = (
            Round.objects.filter(municipality=municipality)
            .select_related("plan")
            .annotate(
                total=Count("reports"), approved=Count("reports", filter=Q(reports__status=UnitReport.Status.APPROVED))
            )
            .order_by("plan__title", "period_end", "pk")
        )

    def clean(self):
        data = super().clean()
        plan, rounds = data.get("plan"), data.get("rounds")
        if plan and rounds:
            others = [r.name for r in rounds if r.plan_id != plan.pk]
            if others:
                self.add_error(
                    "rounds",
                    _("These rounds follow up another plan: %(rounds)s.") % {"rounds": ", ".join(others)},
                )
            elif not any(r.approved for r in rounds):
                self.add_error("rounds", _("None of the chosen rounds has an approved report yet."))
        return data
