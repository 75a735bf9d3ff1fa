from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations.access import get_consultation_for_user
from followups.access import get_round_for_user
from organisations.access import coordinator_required, signed_in_member_required

from . import services
from .forms import PreferencesForm
from .models import Reminder
from .preferences import frequencies_of, preferences_save
from .selectors import grouped, inbox_items, kinds_for


@signed_in_member_required
@require_http_methods(["GET"])
def inbox(request):
    """Everything waiting for the signed-in person, across what they may see."""
    items = inbox_items(request.membership)
    context = {
        "groups": grouped(items),
        "count": len(items),
        "inbox_total": len(items),
        "overdue": sum(1 for i in items if i.overdue),
    }
    return render(request, "inbox/inbox.html", context)


@signed_in_member_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Mina aviseringar: per kind, e-mail immediately, a daily or weekly summary, or never."""
    kinds = kinds_for(request.membership)
    form = PreferencesForm(request.POST or None, kinds=kinds, initial_frequencies=frequencies_of(request.user))
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, frequencies=form.frequencies())
        messages.success(request, _("Your choices are saved."))
        return redirect("inbox:preferences")
    return render(request, "inbox/preferences.html", {"form": form})


def _remind(request, *, obj, subject, late, recipients, send, back, what):
    already = services.reminded_today(subject, obj)
    if request.method == "POST":
        if not recipients:
            messages.error(request, _("Nobody is late: there is nobody to remind."))
            return redirect(back)
        try:
            send(by=request.user)
        except services.AlreadyReminded:
            messages.error(request, _("A reminder about this was already sent today. Try again tomorrow."))
        else:
            names = ", ".join(r.name for r in recipients)
            messages.success(request, _("The reminder was sent to %(names)s.") % {"names": names})
        return redirect(back)
    context = {"obj": obj, "late": late, "recipients": recipients, "already": already, "back": back, "what": what}
    return render(request, "inbox/remind_confirm.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def remind_round(request, pk):
    rnd = get_round_for_user(request.user, pk, write=True)
    reports, recipients = services.round_late(rnd)
    return _remind(
        request,
        obj=rnd,
        subject=Reminder.Subject.ROUND,
        late=[r.unit.name for r in reports],
        recipients=recipients,
        send=lambda by: services.remind_round(rnd=rnd, by=by),
        back=reverse("followups:round", args=[rnd.pk]),
        what=_("the late reports of %(round)s") % {"round": rnd.name},
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def remind_consultation(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    views, recipients = services.consultation_late(consultation)
    return _remind(
        request,
        obj=consultation,
        subject=Reminder.Subject.CONSULTATION,
        late=[f"{v.item.question[:80]} – {v.item.responsible_unit.name}" for v in views],
        recipients=recipients,
        send=lambda by: services.remind_consultation(consultation=consultation, by=by),
        back=reverse("consultations:detail", args=[consultation.pk]),
        what=_("the overdue feedback from %(title)s") % {"title": consultation.title},
    )
