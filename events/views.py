from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.forms import year_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.suppression import Cell
from lib.tables import Column, Table
from organisations.access import signed_in_member_required
from plans.selectors import sort_in_tree_order

from . import services
from .access import get_event_for_user, may_manage, visible_events
from .forms import EventForm
from .models import Event
from .selectors import event_years, events_listed, participants

EVENTS_PAGE_SIZE = 50
# The list's columns (lib/tables.py): by date unless ?ordning= says otherwise.
EVENT_TABLE = Table(
    Column(gettext_lazy("Date"), "datum", ("starts_at",)),
    Column(gettext_lazy("Title"), "titel", ("title",)),
    Column(gettext_lazy("Kind"), "typ", ("kind",)),
    Column(gettext_lazy("Organised by")),
    Column(gettext_lazy("Public"), "offentlig", ("is_public",), descending_first=True),
    default="datum",
)


@signed_in_member_required
def event_list(request):
    membership = request.membership
    events = visible_events(membership)
    years = event_years(events)
    year = year_param(request, "ar")
    sort = EVENT_TABLE.sort(request)
    page = Paginator(sort.apply(events_listed(events, year=year)), EVENTS_PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "events": page,
        "page": page,
        "sort": sort,
        "years": years,
        "selected_year": year,
        "can_create": _may_create(membership),
    }
    return render(request, "events/event_list.html", context)


@signed_in_member_required
def event_ics(request, pk):
    """The event as an .ics file for one's own calendar (who may read it may add it)."""
    from lib.invitations import ics_download

    from .services import calendar_meeting

    event = get_event_for_user(request.user, pk)
    return ics_download(calendar_meeting(event), f"evenemang-{event.pk}.ics")


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
    return confirmation(
        request,
        title=_("Delete the event?"),
        subject=event.title,
        what=_("The event is deleted with its participant counts."),
        consequences=[
            _("It disappears from the public site and its calendar.") if event.is_public else "",
            _("The history of the changes is kept."),
        ],
        button=_("Yes, delete the event"),
        cancel_url=reverse("events:detail", args=[event.pk]),
        danger=True,
    )


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
