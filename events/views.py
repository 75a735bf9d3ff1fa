from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.forms import year_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.suppression import Cell
from organisations.access import signed_in_member_required
from plans.selectors import sort_in_tree_order

from . import services
from .access import get_event_for_user, may_manage, visible_events
from .forms import EventForm
from .models import Event
from .selectors import event_years, events_listed, participants


@signed_in_member_required
def event_list(request):
    membership = request.membership
    events = visible_events(membership)
    years = event_years(events)
    year = year_param(request, "ar")
    context = {
        "events": events_listed(events, year=year),
        "years": years,
        "selected_year": year,
        "can_create": _may_create(membership),
    }
    return render(request, "events/event_list.html", context)


@signed_in_member_required
def event_detail(request, pk):
    membership = request.membership
    event = get_event_for_user(request.user, pk)
    staff = membership.is_staff_member
    # Exact for those who run the event (as for a consultation's attendance):
    # the coordinator and the organising units' contacts. Protected like
    # survey counts for everyone else, other staff included.
    exact = staff and may_manage(membership, event)
    history = history_for(event) if staff else []
    if not exact:
        _hide_participants(history, event.municipality.suppression_k)
    context = {
        "event": event,
        "organisers": event.organisers.order_by("name"),
        "goals": sort_in_tree_order(list(event.goals.select_related("plan"))) if staff else [],
        "activities": event.activities.select_related("municipality").order_by("number") if staff else [],
        "participants": participants(event, exact=exact),
        "can_edit": may_manage(membership, event),
        "history": history,
    }
    return render(request, "events/event_detail.html", context)


PARTICIPANTS_AUDITED = ("participants", "participants_total")


def _hide_participants(history, k: int) -> None:
    """The history says that the participants changed, not the figures: those
    who do not run the event see them protected only."""
    hidden = str(Cell(None, True, k))
    for entry in history:
        if any(key in entry.changes for key in PARTICIPANTS_AUDITED):
            entry.changes = {
                key: [None if v in (None, "") else hidden for v in values] if key in PARTICIPANTS_AUDITED else values
                for key, values in entry.changes.items()
            }


def _may_create(membership) -> bool:
    return membership.is_coordinator or (membership.is_contact and bool(membership.unit_ids))


@signed_in_member_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    membership = request.membership
    if not _may_create(membership):
        raise PermissionDenied
    form = EventForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(
            municipality=membership.municipality,
            by=request.user,
            fields=form.event_fields(),
            organisers=form.cleaned_data["organisers"],
            goals=form.cleaned_data["goals"],
            activities=form.cleaned_data["activities"],
        )
        messages.success(request, _("The event was registered."))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form})


@signed_in_member_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, membership=request.membership)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                by=request.user,
                fields=form.event_fields(),
                organisers=form.kept("organisers"),
                goals=form.kept("goals"),
                activities=form.kept("activities"),
                version=form.cleaned_data["version"],
            )
        except StaleEdit:
            form = stale_form(
                lambda data: EventForm(data, instance=event, membership=request.membership),
                request.POST,
                Event.objects.get(pk=event.pk).version,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=status)


@signed_in_member_required
@require_http_methods(["GET", "POST"])
def event_delete(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.event_delete(event=event, by=request.user)
        messages.success(request, _("The event “%(title)s” was deleted.") % {"title": event.title})
        return redirect("events:list")
    return render(request, "events/event_confirm_delete.html", {"event": event})


@signed_in_member_required
@require_http_methods(["GET", "POST"])
def event_copy(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    if request.method == "POST":
        copy = services.event_copy_next_year(event=event, by=request.user)
        messages.success(request, _("Next year's event was created. Check the date and the texts."))
        return redirect("events:detail", pk=copy.pk)
    return render(
        request, "events/event_confirm_copy.html", {"event": event, "next": services.next_year(event.starts_at)}
    )
