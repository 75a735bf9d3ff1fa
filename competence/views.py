from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.barchart import percent_chart
from lib.confirm import confirmation
from lib.formatting import short_date
from lib.forms import int_param, year_param
from organisations.access import coordinator_required, member_required
from organisations.models import OrgUnit
from plans.selectors import sort_in_tree_order

from . import services
from .access import (
    get_headcount_unit_for_user,
    get_occasion_for_user,
    get_share_indicator_for_user,
    get_training_for_user,
    may_manage_occasion,
    may_register,
)
from .forms import HeadcountForm, OccasionForm, ShareSettingsForm, StaffGroupsForm, TrainingForm, row_formset
from .models import Headcount, ShareIndicator
from .selectors import (
    DEFAULT_YEARS,
    left_out_text,
    occasions_of,
    overview,
    staff_groups_of,
    trainings_listed,
    years_with_numbers,
)


def no_longer_counted(people: int) -> str:
    """What removing ``people`` participants does (a training's or an occasion's confirmation page)."""
    return ngettext(
        "%(count)d participant is no longer counted in the share of staff trained; "
        "its computed indicators are computed again.",
        "%(count)d participants are no longer counted in the share of staff trained; "
        "its computed indicators are computed again.",
        people,
    ) % {"count": people}


@member_required
def training_list(request):
    membership = request.membership
    context = {
        "trainings": trainings_listed(membership.municipality),
        "can_create": membership.is_coordinator,
        "my_units": _headcount_units(membership),
    }
    return render(request, "competence/training_list.html", context)


def _headcount_units(membership):
    """The units whose headcounts the member enters."""
    units = OrgUnit.objects.filter(municipality=membership.municipality).order_by("name")
    if membership.is_coordinator:
        return units
    return units.filter(pk__in=membership.unit_ids) if membership.is_contact else units.none()


@member_required
def training_detail(request, pk):
    training = get_training_for_user(request.user, pk)
    membership = request.membership
    occasions = occasions_of(training)
    for occasion in occasions:
        occasion.can_manage = may_manage_occasion(membership, occasion)
    context = {
        "training": training,
        "occasions": occasions,
        "goals": sort_in_tree_order(list(training.goals.select_related("plan"))),
        "rights_areas": training.rights_areas.order_by("position"),
        "can_edit": membership.is_coordinator,
        "can_register": may_register(membership),
        "history": history_for(training),
    }
    return render(request, "competence/training_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def training_create(request):
    municipality = request.membership.municipality
    form = TrainingForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        training = services.training_create(
            municipality=municipality,
            by=request.user,
            fields=form.training_fields(),
            rights_areas=form.cleaned_data["rights_areas"],
            goals=form.cleaned_data["goals"],
        )
        messages.success(request, _("The training was saved."))
        return redirect("competence:detail", pk=training.pk)
    return render(request, "competence/training_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk):
    training = get_training_for_user(request.user, pk, write=True)
    form = TrainingForm(request.POST or None, instance=training, municipality=training.municipality)
    if request.method == "POST" and form.is_valid():
        services.training_update(
            training=training,
            by=request.user,
            fields=form.training_fields(),
            rights_areas=form.cleaned_data["rights_areas"],
            goals=form.cleaned_data["goals"],
        )
        messages.success(request, _("The training was saved."))
        return redirect("competence:detail", pk=training.pk)
    return render(request, "competence/training_form.html", {"form": form, "training": training})


@member_required
@require_http_methods(["GET", "POST"])
def training_delete(request, pk):
    """Delete a training registered by mistake (the coordinator), its occasions with it."""
    training = get_training_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.training_delete(training=training, by=request.user)
        messages.success(request, _("The training “%(title)s” was deleted.") % {"title": training.title})
        return redirect("competence:list")
    numbers = training.occasions.aggregate(occasions=Count("pk", distinct=True), people=Sum("rows__participants"))
    occasions, people = numbers["occasions"], numbers["people"] or 0
    return confirmation(
        request,
        title=_("Delete the training?"),
        subject=training.title,
        what=_("The training is deleted from the list of trainings. The history of the changes is kept."),
        consequences=[
            ngettext("Its %(count)d occasion is deleted too.", "Its %(count)d occasions are deleted too.", occasions)
            % {"count": occasions}
            if occasions
            else _("It has no registered occasions."),
            no_longer_counted(people) if people else "",
        ],
        button=_("Yes, delete the training"),
        danger=True,
        cancel_url=reverse("competence:detail", args=[training.pk]),
        breadcrumbs=[
            (_("Training and competence"), reverse("competence:list")),
            (training.title, reverse("competence:detail", args=[training.pk])),
        ],
    )


@member_required
@require_http_methods(["GET", "POST"])
def occasion_create(request, pk):
    training = get_training_for_user(request.user, pk, register=True)
    data = request.POST or None
    form = OccasionForm(data)
    rows = row_formset(data, membership=request.membership)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        services.occasion_create(training=training, by=request.user, fields=form.cleaned_data, rows=rows.rows())
        messages.success(request, _("The training occasion was registered."))
        return redirect("competence:detail", pk=training.pk)
    return render(request, "competence/occasion_form.html", {"form": form, "rows": rows, "training": training})


@member_required
@require_http_methods(["GET", "POST"])
def occasion_edit(request, pk):
    occasion = get_occasion_for_user(request.user, pk, write=True)
    training = occasion.training
    membership = request.membership
    data = request.POST or None
    form = OccasionForm(data, instance=occasion)
    rows = row_formset(data, membership=membership, occasion=occasion)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        keep = [r for r in occasion.rows.all() if not membership.may_edit_unit_work(r.unit_id)]
        services.occasion_update(
            occasion=occasion, by=request.user, fields=form.cleaned_data, rows=rows.rows(), keep=keep
        )
        messages.success(request, _("The training occasion was saved."))
        return redirect("competence:detail", pk=training.pk)
    context = {"form": form, "rows": rows, "training": training, "occasion": occasion, "history": history_for(occasion)}
    return render(request, "competence/occasion_form.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def occasion_delete(request, pk):
    occasion = get_occasion_for_user(request.user, pk, write=True)
    training = occasion.training
    if request.method == "POST":
        services.occasion_delete(occasion=occasion, by=request.user)
        messages.success(request, _("The training occasion was removed."))
        return redirect("competence:detail", pk=training.pk)
    people = occasion.rows.aggregate(n=Sum("participants"))["n"] or 0
    return confirmation(
        request,
        title=_("Remove the training occasion?"),
        subject=f"{training.title}, {short_date(occasion.date)}",
        what=_("The occasion and its participant counts are removed. The history of the changes is kept."),
        consequences=[
            no_longer_counted(people)
            if people
            else _("The share of staff trained and its computed indicators are computed again.")
        ],
        button=_("Remove the occasion"),
        danger=True,
        cancel_url=reverse("competence:detail", args=[training.pk]),
        breadcrumbs=[
            (_("Training and competence"), reverse("competence:list")),
            (training.title, reverse("competence:detail", args=[training.pk])),
        ],
    )


@member_required
def share_overview(request):
    municipality = request.membership.municipality
    year = year_param(request, "ar") or timezone.localdate().year
    years = int_param(request, "antal", min_value=1, max_value=10) or DEFAULT_YEARS
    shares = overview(municipality, year=year, years=years)
    unknown = str(_("headcount missing"))
    chart_rows = [
        (row.unit.name, row.share.percent, unknown if row.share.missing_headcount else "–") for row in shares.rows
    ]
    chart_rows.append((str(_("The municipality")), shares.total.percent, "–"))
    context = {
        "overview": shares,
        "chart": percent_chart("share", _("Share of staff trained %(year)s, by unit") % {"year": year}, chart_rows)
        if shares.rows
        else None,
        "left_out_text": left_out_text(year, [u.name for u in shares.left_out]) if shares.left_out else "",
        "choosable_years": sorted(set(years_with_numbers(municipality)) | {timezone.localdate().year}, reverse=True),
        "year_choices": range(1, 11),
        "my_units": _headcount_units(request.membership),
    }
    return render(request, "competence/overview.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def headcounts_edit(request, pk):
    unit = get_headcount_unit_for_user(request.user, pk, write=True)
    year = year_param(request, "ar") or timezone.localdate().year
    groups = staff_groups_of(unit.municipality)
    current = dict(Headcount.objects.filter(unit=unit, year=year).values_list("staff_group_id", "number"))
    form = HeadcountForm(request.POST or None, groups=groups, current=current)
    if request.method == "POST" and form.is_valid():
        services.headcounts_save(unit=unit, year=year, by=request.user, numbers=form.numbers())
        messages.success(request, _("The headcounts were saved."))
        return redirect(f"{request.path}?ar={year}")
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "years": range(year - 2, year + 2),
        "history": history_for(unit)[:10],
    }
    return render(request, "competence/headcounts_form.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def staff_groups_edit(request):
    municipality = request.membership.municipality
    form = StaffGroupsForm(request.POST or None, groups=staff_groups_of(municipality))
    if request.method == "POST" and form.is_valid():
        services.staff_groups_save(municipality=municipality, by=request.user, entries=form.entries())
        messages.success(request, _("The staff groups were saved."))
        return redirect("competence:staff_groups")
    return render(request, "competence/staff_groups_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def share_settings_edit(request, pk):
    indicator = get_share_indicator_for_user(request.user, pk)
    if not request.membership.is_coordinator:
        raise PermissionDenied
    settings = ShareIndicator.objects.filter(indicator=indicator).first() or ShareIndicator(indicator=indicator)
    form = ShareSettingsForm(request.POST or None, instance=settings, municipality=indicator.municipality)
    if request.method == "POST" and form.is_valid():
        services.share_settings_save(
            indicator=indicator,
            by=request.user,
            years=form.cleaned_data["years"],
            staff_group=form.cleaned_data["staff_group"],
            unit=form.cleaned_data["unit"],
        )
        messages.success(request, _("The indicator's measurements were computed again."))
        return redirect("indicators:detail", pk=indicator.pk)
    return render(request, "competence/share_settings_form.html", {"form": form, "indicator": indicator})
