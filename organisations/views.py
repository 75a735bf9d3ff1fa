from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import account_events_for, history_for
from lib.pagecache import per_user_page_cache
from lib.tables import Column, Table
from plans.selectors import goals_for_units, sort_in_tree_order

from . import services
from .access import (
    coordinator_required,
    get_group_for_user,
    get_member_for_user,
    get_unit_for_user,
    member_required,
)
from .forms import MemberForm, MunicipalitySettingsForm, OrgUnitForm, UnitGroupForm
from .models import Membership, Municipality, OrgUnit, UnitGroup

ACTIVITIES_PAGE_SIZE = 50  # the unit page's list of activities
# What the unit page shows of an activity: its reference, title and status (and
# its owner, which unit.activities sets from the unit).
UNIT_PAGE_ACTIVITY_FIELDS = (
    "owner", "number", "title", "municipality__reference_prefix", "municipality__code",
    "status__name", "status__summary",
)  # fmt: skip
MEMBERS_PAGE_SIZE = 50
# The people list's columns (lib/tables.py), by name unless ?ordning= says otherwise.
MEMBER_TABLE = Table(
    Column(gettext_lazy("Name"), "namn", ("user__last_name", "user__first_name")),
    Column(gettext_lazy("Role"), "roll", ("role",)),
    Column(gettext_lazy("Units")),
    Column(gettext_lazy("E-mail"), "epost", ("user__email",)),
    Column(gettext_lazy("Actions"), label_hidden=True),
    default="namn",
)
# The unit page's activity table (lib/tables.py): by plan and number unless ?ordning= says otherwise.
UNIT_ACTIVITY_TABLE = Table(
    Column(gettext_lazy("Reference"), "nummer", ("number",), css="nowrap"),
    Column(gettext_lazy("Activity"), "titel", ("title",)),
    Column(gettext_lazy("Status"), "status", ("status__position", "status__name")),
    default=None,
)


def _contacts_prefetch():
    return Prefetch(
        "contacts",
        queryset=Membership.objects.filter(role=Membership.Role.CONTACT, user__is_active=True).select_related("user"),
    )


@member_required
def unit_list(request):
    municipality = request.membership.municipality
    units = (
        OrgUnit.objects.filter(municipality=municipality)
        .prefetch_related(_contacts_prefetch())
        .order_by("kind", "name")
    )
    groups = UnitGroup.objects.filter(municipality=municipality).prefetch_related("members")
    return render(
        request,
        "organisations/unit_list.html",
        {"units": units, "groups": groups, "can_edit": request.membership.is_coordinator},
    )


@member_required
@per_user_page_cache
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    contacts = (
        Membership.objects.filter(role=Membership.Role.CONTACT, units=unit, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name")
    )
    goals = sort_in_tree_order(goals_for_units([unit], request.membership.municipality))
    activity_sort = UNIT_ACTIVITY_TABLE.sort(request, anchor="unit-activities")
    context = {
        "unit": unit,
        "contacts": contacts,
        "groups": unit.groups.all(),
        "goals": goals,
        # Paged: a large committee has hundreds of activities. Only the columns
        # shown: an activity's lists (JSON) and a report's snapshot are costly to read.
        "activities": Paginator(
            activity_sort.apply(
                unit.activities.select_related("municipality", "status")
                .only(*UNIT_PAGE_ACTIVITY_FIELDS)
                .order_by("plan__title", "number", "pk")
            ),
            ACTIVITIES_PAGE_SIZE,
        ).get_page(request.GET.get("sida")),
        "activity_sort": activity_sort,
        "reports": unit.reports.select_related("round")
        .only("unit", "status", "round__name", "round__deadline")
        .order_by("-round__period_end")[:10],
        "history": history_for(unit),
        "can_edit": request.membership.is_coordinator,
    }
    return render(request, "organisations/unit_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    municipality = request.membership.municipality
    form = OrgUnitForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        unit = services.unit_create(municipality=municipality, by=request.user, fields=form.cleaned_data)
        messages.success(request, _("The unit %(name)s was added.") % {"name": unit.name})
        return redirect("organisations:unit", pk=unit.pk)
    return render(request, "organisations/unit_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    form = OrgUnitForm(request.POST or None, instance=unit, municipality=unit.municipality)
    if request.method == "POST" and form.is_valid():
        services.unit_update(unit=unit, by=request.user, fields=form.cleaned_data)
        messages.success(request, _("The unit was saved."))
        return redirect("organisations:unit", pk=unit.pk)
    return render(request, "organisations/unit_form.html", {"form": form, "unit": unit})


@coordinator_required
@require_http_methods(["GET", "POST"])
def municipality_settings(request):
    municipality = request.membership.municipality
    form = MunicipalitySettingsForm(request.POST or None, request.FILES or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        # The form has already put the new values on its instance: read the stored ones for the history.
        stored = Municipality.objects.get(pk=municipality.pk)
        services.municipality_update(municipality=stored, by=request.user, fields=form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("organisations:settings")
    context = {"form": form, "history": history_for(municipality)}
    return render(request, "organisations/municipality_settings.html", context, status=400 if form.errors else 200)


@member_required
def group_detail(request, pk):
    group = get_group_for_user(request.user, pk)
    return render(
        request,
        "organisations/group_detail.html",
        {
            "group": group,
            "members": group.members.order_by("name"),
            "history": history_for(group),
            "can_edit": request.membership.is_coordinator,
        },
    )


def _group_form(request, group):
    municipality = request.membership.municipality
    form = UnitGroupForm(request.POST or None, instance=group, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        fields = {"name": form.cleaned_data["name"], "short_name": form.cleaned_data["short_name"]}
        group = services.group_save(
            municipality=municipality, by=request.user, group=group, fields=fields,
            members=form.cleaned_data["members"],
        )  # fmt: skip
        messages.success(request, _("The group was saved."))
        return redirect("organisations:group", pk=group.pk)
    return render(request, "organisations/group_form.html", {"form": form, "group": group})


@coordinator_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    return _group_form(request, None)


@member_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    return _group_form(request, get_group_for_user(request.user, pk, write=True))


# --- People -----------------------------------------------------------------------


@coordinator_required
def member_list(request):
    sort = MEMBER_TABLE.sort(request)
    members = sort.apply(
        Membership.objects.filter(municipality=request.membership.municipality)
        .select_related("user")
        .prefetch_related("units")
    )
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "organisations/member_list.html", {"members": page, "page": page, "sort": sort})


@coordinator_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    municipality = request.membership.municipality
    form = MemberForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        member = services.member_create(municipality=municipality, by=request.user, **form.cleaned_data)
        services.send_welcome(member=member, request=request)
        messages.success(
            request,
            _("%(name)s was added and has been e-mailed a link to choose a password.")
            % {"name": member.user.get_full_name()},
        )
        return redirect("organisations:members")
    return render(request, "organisations/member_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = get_member_for_user(request.user, pk, write=True)
    user = member.user
    initial = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "role": member.role, "units": list(member.units.all()), "title": member.title,
        "phone": member.phone, "active": user.is_active, "organisation": member.organisation,
        "named_consent": member.named_consent,
    }  # fmt: skip
    form = MemberForm(request.POST or None, municipality=member.municipality, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        if member.pk == request.membership.pk and (
            form.cleaned_data["role"] != Membership.Role.COORDINATOR or not form.cleaned_data["active"]
        ):
            form.add_error("role", _("You cannot take away your own role as coordinator."))
        else:
            services.member_update(member=member, by=request.user, **form.cleaned_data)
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:members")
    return render(
        request,
        "organisations/member_form.html",
        {"form": form, "member": member, "history": history_for(member), "account_events": account_events_for(user)},
    )
