from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from inbox.models import Kind as InboxKind
from inbox.preferences import immediate_recipients
from lib.confirm import confirmation
from lib.forms import int_param, year_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.suppression import Cell
from lib.tables import Column, Table
from lib.xlsx import xlsx_response
from organisations.access import coordinator_required, member_required, signed_in_member_required
from organisations.models import OrgUnit
from public.swedish_texts import swedish_row

from . import services
from .access import (
    get_consultation_for_user,
    get_council_for_user,
    get_item_for_user,
    get_minutes_for_user,
    get_view_for_user,
    may_run,
)
from .forms import (
    AgendaItemForm,
    CommentForm,
    ConsultationForm,
    CouncilForm,
    CouncilMemberFormSet,
    FeedbackForm,
    MinutesForm,
    PublishForm,
    SendMinutesForm,
    SupersedeForm,
    ViewForm,
    ViewPublishForm,
)
from .models import Council, Feedback, MinutesVersion
from .selectors import attendance, consultation_list, consultation_page, figures, overdue_views, trace
from .spreadsheet import export_figures

# --- Consultations ---------------------------------------------------------------

CONSULTATIONS_PAGE_SIZE = 50
# The list's columns (lib/tables.py): the latest first unless ?ordning= says otherwise.
CONSULTATION_TABLE = Table(
    Column(gettext_lazy("Date"), "datum", ("starts_at",), descending_first=True, css="nowrap"),
    Column(gettext_lazy("Consultation"), "titel", ("title",)),
    Column(gettext_lazy("Form"), "form", ("form",)),
    Column(gettext_lazy("Organised by")),
    Column(gettext_lazy("Views answered"), "svar", ("answered_count", "view_count"), descending_first=True),
    default="-datum",
)


@signed_in_member_required
def consultation_list_view(request):
    membership = request.membership
    units = list(OrgUnit.objects.filter(municipality=membership.municipality).order_by("name"))
    unit_id = int_param(request, "enhet")
    unit = next((u for u in units if u.pk == unit_id), None) if membership.is_staff_member else None
    year = year_param(request, "ar")
    sort = CONSULTATION_TABLE.sort(request)
    page = Paginator(sort.apply(consultation_list(membership, unit=unit, year=year)), CONSULTATIONS_PAGE_SIZE)
    page = page.get_page(request.GET.get("sida"))
    context = {
        "consultations": page,
        "page": page,
        "sort": sort,
        "units": units if membership.is_staff_member else [],
        "selected_unit": unit,
        "year": year,
        "can_create": membership.may_register_activities,
        "now": timezone.now(),
    }
    return render(request, "consultations/consultation_list.html", context)


def _warn(request, form) -> None:
    """Saved, but worth a second look: the form's warnings as messages."""
    for warning in form.warnings():
        messages.warning(request, warning)


def _consultation_fields(form) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("organisers", "representatives", "version")}
    data = {k: v for k, v in data.items() if not k.startswith("att_")}
    data["attendance"] = form.attendance
    return data


@member_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        consultation = services.consultation_create(
            municipality=membership.municipality,
            by=request.user,
            fields=_consultation_fields(form),
            organisers=form.cleaned_data["organisers"],
            representatives=form.cleaned_data["representatives"],
        )
        messages.success(request, _("The consultation was scheduled. Now add its agenda items."))
        _warn(request, form)
        return redirect("consultations:detail", pk=consultation.pk)
    status = 400 if form.errors else 200
    return render(request, "consultations/consultation_form.html", {"form": form}, status=status)


@signed_in_member_required
def consultation_ics(request, pk):
    """The consultation as an .ics file for one's own calendar (who may read it may add it)."""
    from lib.invitations import ics_download

    from .services import calendar_meeting

    consultation = get_consultation_for_user(request.user, pk)
    return ics_download(calendar_meeting(consultation), f"samrad-{consultation.pk}.ics")


@signed_in_member_required
def consultation_detail(request, pk):
    consultation = get_consultation_for_user(request.user, pk)
    membership = request.membership
    page = consultation_page(consultation, membership)
    can_run = membership.is_staff_member and may_run(membership, consultation)
    history = history_for(consultation) if membership.is_staff_member else []
    if not can_run:
        _hide_attendance(history, consultation.municipality.suppression_k)
    context = {
        "consultation": consultation,
        "page": page,
        "staff": membership.is_staff_member,
        "can_run": can_run,
        # Exact for those who run it; protected like survey counts for everyone else.
        "attendance": attendance(consultation, exact=can_run),
        "organisers": list(consultation.organisers.order_by("name")),
        "representatives": list(consultation.representatives.select_related("user")),
        "history": history,
    }
    return render(request, "consultations/consultation_detail.html", context)


ATTENDANCE_AUDITED = ("attendance", "attendance_total")


def _hide_attendance(history, k: int) -> None:
    """The history says that the attendance changed, not the figures: those
    who do not run the consultation see it protected only."""
    hidden = str(Cell(None, True, k))
    for event in history:
        if any(key in event.changes for key in ATTENDANCE_AUDITED):
            event.changes = {
                key: [None if v is None else hidden for v in values] if key in ATTENDANCE_AUDITED else values
                for key, values in event.changes.items()
            }


@member_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    membership = request.membership
    form = ConsultationForm(request.POST or None, instance=consultation, membership=membership)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consultation_update(
                    consultation=consultation,
                    by=request.user,
                    fields=_consultation_fields(form),
                    organisers=form.kept_organisers(),
                    representatives=form.kept_representatives(),
                    version=form.cleaned_data["version"],
                )
            except StaleEdit:
                current = type(consultation).objects.get(pk=consultation.pk)
                form = stale_form(
                    lambda data: ConsultationForm(data, instance=current, membership=membership),
                    request.POST,
                    current.version,
                )
                status = CONFLICT
            else:
                messages.success(request, _("The consultation was saved."))
                _warn(request, form)
                return redirect("consultations:detail", pk=consultation.pk)
        else:
            status = 400
    context = {"form": form, "consultation": consultation}
    return render(request, "consultations/consultation_form.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def consultation_delete(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.consultation_delete(consultation=consultation, by=request.user)
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
            return redirect("consultations:detail", pk=consultation.pk)
        messages.success(request, _("The consultation was deleted."))
        return redirect("consultations:list")
    return render(request, "consultations/confirm_delete.html", {"object": consultation, "consultation": consultation})


# --- Items and views --------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    return _item_form(request, consultation, None)


@member_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item_for_user(request.user, pk, write=True)
    return _item_form(request, item.consultation, item)


def _item_form(request, consultation, item):
    form = AgendaItemForm(request.POST or None, instance=item, municipality=consultation.municipality)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("goals", "activities")}
        services.item_save(
            consultation=consultation,
            by=request.user,
            item=item,
            fields=fields,
            goals=form.cleaned_data["goals"],
            activities=form.cleaned_data["activities"],
        )
        messages.success(request, _("The agenda item was saved."))
        return redirect("consultations:detail", pk=consultation.pk)
    context = {"form": form, "consultation": consultation, "item": item}
    return render(request, "consultations/item_form.html", context, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def item_delete(request, pk):
    """A page that says what would be removed; an item with views is kept."""
    item = get_item_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.item_delete(item=item, by=request.user)
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The agenda item was removed."))
        return redirect("consultations:detail", pk=item.consultation_id)
    views = list(item.views.select_related("feedback"))
    context = {
        "item": item,
        "consultation": item.consultation,
        "views": views,
        "kept_message": services.item_kept_message(len(views)) if views else "",
    }
    return render(request, "consultations/item_confirm_delete.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def view_create(request, pk):
    item = get_item_for_user(request.user, pk, write=True)
    form = ViewForm(request.POST or None, consultation=item.consultation)
    if request.method == "POST" and form.is_valid():
        services.view_add(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("The view was recorded."))
        if "another" in request.POST:
            return redirect("consultations:view_create", pk=item.pk)
        return redirect("consultations:detail", pk=item.consultation_id)
    context = {"form": form, "item": item, "consultation": item.consultation}
    return render(request, "consultations/view_form.html", context, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def view_delete(request, pk):
    view = get_view_for_user(request.user, pk, write=True)
    if request.method == "GET":
        if hasattr(view, "feedback"):
            messages.error(request, _("A view that has been answered is kept."))
            return redirect("consultations:trace", pk=view.pk)
        return confirmation(
            request,
            title=_("Remove the view?"),
            subject=view.item.consultation.title,
            what=_("The view is removed from the consultation: “%(text)s”") % {"text": Truncator(view.text).chars(300)},
            consequences=[
                _("Remove a view only if it was recorded by mistake."),
                _("It disappears from the public feedback page.") if view.public else "",
                _("The consultation's history keeps what the view said."),
            ],
            button=_("Yes, remove the view"),
            cancel_url=reverse("consultations:trace", args=[view.pk]),
            danger=True,
        )
    try:
        services.view_delete(view=view, by=request.user)
    except services.NotAllowedNow as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The view was removed."))
    return redirect("consultations:detail", pk=view.item.consultation_id)


@member_required
@require_http_methods(["GET", "POST"])
def feedback_edit(request, pk):
    view = get_view_for_user(request.user, pk, answer=True)
    feedback = Feedback.objects.filter(view=view).first()
    membership = request.membership

    def build(data):
        return FeedbackForm(data, instance=feedback, view=view, membership=membership)

    form = build(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_save(
                    view=view,
                    by=request.user,
                    fields=form.feedback_fields(),
                    goals=form.cleaned_data["goals"],
                    activities=form.cleaned_data["activities"],
                    version=form.cleaned_data.get("version"),
                )
            except StaleEdit:
                current = Feedback.objects.get(view=view)
                form = stale_form(
                    lambda data: FeedbackForm(data, instance=current, view=view, membership=membership),
                    request.POST,
                    current.version,
                )
                status = CONFLICT
            else:
                messages.success(request, _("The feedback was saved."))
                _warn(request, form)
                return redirect("consultations:trace", pk=view.pk)
        else:
            status = 400
    context = {"form": form, "view": view, "item": view.item, "consultation": view.item.consultation}
    return render(request, "consultations/feedback_form.html", context, status=status)


@signed_in_member_required
def trace_view(request, pk):
    view = get_view_for_user(request.user, pk)
    return _trace_page(request, view)


def _trace_page(request, view, *, publish_form=None, status=200):
    membership = request.membership
    consultation = view.item.consultation
    the_trace = trace(view, membership)
    runs = membership.is_staff_member and may_run(membership, consultation)
    # Publishing on the återkoppling page: by those who run the consultation, once it was held.
    can_publish = runs and consultation.starts_at <= timezone.now()
    if can_publish and publish_form is None:
        publish_form = ViewPublishForm(view=view, row=swedish_row(view), feedback=the_trace.feedback)
    context = {
        "trace": the_trace,
        "item": view.item,
        "consultation": consultation,
        "can_answer": membership.is_staff_member and membership.may_edit_unit_work(view.item.responsible_unit_id),
        # A view recorded by mistake is removed here, by those who run the consultation, until it is answered.
        "can_remove": runs and not Feedback.objects.filter(view=view).exists(),
        "staff": membership.is_staff_member,
        "can_publish": can_publish,
        "publish_form": publish_form if can_publish else None,
        "public_url": _public_url(view) if can_publish and view.public else "",
    }
    return render(request, "consultations/trace.html", context, status=status)


def _public_url(view) -> str:
    """The view on the municipality's återkoppling page, once its site is published."""
    from django.urls import NoReverseMatch, reverse

    from public.models import PublicSite

    consultation = view.item.consultation
    if not PublicSite.objects.filter(municipality_id=consultation.municipality_id, published=True).exists():
        return ""
    try:
        url = reverse(
            "public:feedback_consultation", kwargs={"kod": consultation.municipality.code, "pk": consultation.pk}
        )
    except NoReverseMatch:
        return ""
    return f"{url}#synpunkt-{view.pk}"


@member_required
@require_POST
def view_publish(request, pk):
    """Publish the view's public wording (or save its changes), with the personal-details confirmation."""
    view = get_view_for_user(request.user, pk, write=True)
    feedback = Feedback.objects.filter(view=view).first()
    form = ViewPublishForm(request.POST, view=view, row=swedish_row(view), feedback=feedback)
    if form.is_valid():
        was_public = view.public
        try:
            services.view_publish(
                view=view,
                by=request.user,
                said=form.cleaned_data["said"],
                answer=form.cleaned_data["answer"],
                confirmed_personal_data=form.cleaned_data["checked"],
                version=form.cleaned_data.get("version"),
            )
        except services.NotAllowedNow as exc:
            form.add_error(None, str(exc))
        except StaleEdit:
            row = swedish_row(view)
            form = stale_form(
                lambda data: ViewPublishForm(data, view=view, row=row, feedback=feedback),
                request.POST,
                row.text_version if row else 0,
            )
            return _trace_page(request, view, publish_form=form, status=CONFLICT)
        else:
            if was_public:
                messages.success(request, _("The public wording was saved."))
            else:
                messages.success(request, _("The view was published on the public feedback page."))
            return redirect("consultations:trace", pk=view.pk)
    return _trace_page(request, view, publish_form=form, status=400)


@member_required
@require_POST
def view_unpublish(request, pk):
    view = get_view_for_user(request.user, pk, write=True)
    services.view_unpublish(view=view, by=request.user)
    messages.success(request, _("The view was taken off the public feedback page."))
    return redirect("consultations:trace", pk=view.pk)


@member_required
def overdue_list(request):
    membership = request.membership
    units = None if (membership.is_coordinator or not membership.is_contact) else list(membership.unit_ids)
    context = {
        "views": overdue_views(membership.municipality, units=units),
        "days": membership.municipality.feedback_days,
        "mine_only": units is not None,
    }
    return render(request, "consultations/overdue.html", context)


@member_required
def figures_view(request):
    municipality = request.membership.municipality
    year = year_param(request, "ar") or timezone.localdate().year
    context = {"rows": figures(municipality, year), "year": year, "days": municipality.feedback_days}
    return render(request, "consultations/figures.html", context)


@member_required
def figures_xlsx(request):
    """The year's figures and consultations as a spreadsheet, for those who see the figures page."""
    year = year_param(request, "ar") or timezone.localdate().year
    return xlsx_response(export_figures(request.membership, year), f"samrad-nyckeltal-{year}.xlsx")


# --- Minutes ------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    """Write the consultation's draft minutes (a new draft if there is none)."""
    consultation = get_consultation_for_user(request.user, pk, write=True)
    draft = consultation.minutes.order_by("-number").first()
    if draft is not None and not draft.editable:
        messages.error(request, _("The minutes have been sent; approved minutes can only be superseded."))
        return redirect("consultations:minutes", pk=draft.pk)

    def build(data):
        return MinutesForm(data, instance=draft)

    form = build(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            minutes = services.minutes_save(
                consultation=consultation,
                by=request.user,
                text=form.cleaned_data["text"],
                minutes=draft,
                version=form.cleaned_data.get("version"),
            )
        except StaleEdit:
            current = MinutesVersion.objects.get(pk=draft.pk)
            form = stale_form(lambda data: MinutesForm(data, instance=current), request.POST, current.version)
            status = CONFLICT
        else:
            messages.success(request, _("The minutes were saved as a draft."))
            return redirect("consultations:minutes", pk=minutes.pk)
    context = {"form": form, "consultation": consultation, "minutes": draft}
    return render(request, "consultations/minutes_form.html", context, status=status)


@signed_in_member_required
def minutes_detail(request, pk):
    minutes = get_minutes_for_user(request.user, pk)
    membership = request.membership
    consultation = minutes.consultation
    can_run = membership.is_staff_member and may_run(membership, consultation)
    is_reviewer = membership.is_representative and minutes.reviewers.filter(pk=membership.pk).exists()
    context = {
        "minutes": minutes,
        "consultation": consultation,
        "can_run": can_run,
        "can_comment": is_reviewer and minutes.status == MinutesVersion.Status.REVIEW,
        "comments": minutes.comments.select_related("author__user"),
        "comment_form": CommentForm(),
        "send_form": SendMinutesForm(consultation=consultation) if can_run and minutes.editable else None,
        "supersede_form": SupersedeForm() if can_run and minutes.locked else None,
        "reviewers": list(minutes.reviewers.select_related("user")),
        "staff": membership.is_staff_member,
    }
    return render(request, "consultations/minutes_detail.html", context)


def _minutes_action(request, minutes, action, success):
    try:
        action(minutes)
    except services.NotAllowedNow as exc:
        messages.error(request, str(exc))
    except StaleEdit:
        messages.error(request, _("Someone else changed the minutes at the same time; look again and retry."))
    else:
        messages.success(request, success)
    return redirect("consultations:minutes", pk=minutes.pk)


@member_required
@require_http_methods(["GET", "POST"])
def minutes_send(request, pk):
    """The minutes page's choice of reviewers comes here by GET: a confirmation page
    that says who gets e-mail; its form posts the same choice back."""
    minutes = get_minutes_for_user(request.user, pk, write=True)
    form = SendMinutesForm(request.POST if request.method == "POST" else request.GET, consultation=minutes.consultation)
    if not form.is_valid():
        messages.error(request, _("Choose the representatives to send the minutes to."))
        return redirect("consultations:minutes", pk=minutes.pk)
    if request.method == "GET":
        if not minutes.editable:
            messages.error(request, _("Only a draft can be sent for review."))
            return redirect("consultations:minutes", pk=minutes.pk)
        return _send_confirmation(request, minutes, list(form.cleaned_data["reviewers"]))
    return _minutes_action(
        request,
        minutes,
        lambda m: services.minutes_send(minutes=m, by=request.user, reviewers=form.cleaned_data["reviewers"]),
        _("The minutes were sent for review."),
    )


def _send_confirmation(request, minutes, reviewers):
    emails = [m.user.email for m in reviewers if m.user.email]
    now = immediate_recipients(InboxKind.MINUTES_TO_REVIEW, emails)
    without = [m.label for m in reviewers if not m.user.email]
    later = len(emails) - len(now)
    return confirmation(
        request,
        title=_("Send the minutes for review?"),
        subject=_("%(title)s, version %(number)d") % {"title": minutes.consultation.title, "number": minutes.number},
        what=ngettext(
            "The minutes go for review to %(count)d representative: %(names)s.",
            "The minutes go for review to %(count)d representatives: %(names)s.",
            len(reviewers),
        )
        % {"count": len(reviewers), "names": ", ".join(m.label for m in reviewers)},
        consequences=[
            ngettext(
                "%(count)d e-mail with a link to the minutes is sent now.",
                "%(count)d e-mails with a link to the minutes are sent now.",
                len(now),
            )
            % {"count": len(now)},
            ngettext(
                "%(count)d of them chose a summary or no e-mail for minutes to review.",
                "%(count)d of them chose a summary or no e-mail for minutes to review.",
                later,
            )
            % {"count": later}
            if later
            else "",
            _("No e-mail address: %(names)s.") % {"names": ", ".join(without)} if without else "",
            _("The draft can no longer be edited: the representatives comment on it, then it is approved."),
        ],
        button=_("Yes, send for review"),
        cancel_url=reverse("consultations:minutes", args=[minutes.pk]),
        hidden=[("reviewers", str(m.pk)) for m in reviewers],
    )


@member_required
@require_http_methods(["GET", "POST"])
def minutes_approve(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    if request.method == "GET":
        refused = services.minutes_approve_refused(minutes)
        if refused:
            messages.error(request, refused)
            return redirect("consultations:minutes", pk=minutes.pk)
        reviewers = minutes.reviewers.count()
        comments = minutes.comments.count()
        return confirmation(
            request,
            title=_("Approve the minutes?"),
            subject=_("%(title)s, version %(number)d")
            % {"title": minutes.consultation.title, "number": minutes.number},
            what=_("The minutes are approved as they stand now and can no longer be changed."),
            consequences=[
                ngettext(
                    "They were sent for review to %(count)d representative; %(comments)s.",
                    "They were sent for review to %(count)d representatives; %(comments)s.",
                    reviewers,
                )
                % {
                    "count": reviewers,
                    "comments": ngettext("%(count)d comment came in", "%(count)d comments came in", comments)
                    % {"count": comments},
                }
                if reviewers
                else "",
                _("A correction later needs a new version that supersedes them, with the reason."),
                _("Approving does not publish them: publishing is a step of its own."),
            ],
            button=_("Yes, approve the minutes"),
            cancel_url=reverse("consultations:minutes", args=[minutes.pk]),
        )
    return _minutes_action(
        request,
        minutes,
        lambda m: services.minutes_approve(minutes=m, by=request.user),
        _("The minutes were approved."),
    )


@member_required
@require_http_methods(["GET", "POST"])
def minutes_publish(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    if minutes.status != MinutesVersion.Status.APPROVED or hasattr(minutes, "superseded_by"):
        messages.error(request, _("Only approved minutes that have not been superseded can be published."))
        return redirect("consultations:minutes", pk=minutes.pk)
    form = PublishForm(request.POST or None)
    found = services.personal_details_in(minutes.text, names=services.unnamed_people(minutes.consultation))
    if request.method == "POST" and form.is_valid():
        return _minutes_action(
            request,
            minutes,
            lambda m: services.minutes_publish(minutes=m, by=request.user),
            _("The minutes were published."),
        )
    context = {"minutes": minutes, "consultation": minutes.consultation, "form": form, "found": found}
    return render(request, "consultations/minutes_publish.html", context)


@member_required
@require_POST
def minutes_supersede(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    form = SupersedeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the approved minutes are superseded."))
        return redirect("consultations:minutes", pk=minutes.pk)
    try:
        new = services.minutes_supersede(minutes=minutes, by=request.user, reason=form.cleaned_data["reason"])
    except services.NotAllowedNow as exc:
        messages.error(request, str(exc))
        return redirect("consultations:minutes", pk=minutes.pk)
    messages.success(request, _("A new version was started; the approved one is kept."))
    return redirect("consultations:minutes_edit", pk=new.consultation_id)


@signed_in_member_required
@require_POST
def minutes_comment(request, pk):
    minutes = get_minutes_for_user(request.user, pk)
    membership = request.membership
    form = CommentForm(request.POST)
    if not membership.is_representative:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.minutes_comment(minutes=minutes, by=membership, text=form.cleaned_data["text"])
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: your comment was sent."))
    else:
        messages.error(request, _("Write your comment."))
    return redirect("consultations:minutes", pk=minutes.pk)


# --- Councils -------------------------------------------------------------------------


@member_required
def council_list(request):
    councils = Council.objects.filter(municipality=request.membership.municipality).prefetch_related("members")
    return render(request, "consultations/council_list.html", {"councils": councils})


@member_required
def council_detail(request, pk):
    council = get_council_for_user(request.user, pk)
    context = {
        "council": council,
        "members": council.members.all(),
        "consultations": council.consultations.order_by("-starts_at")[:20],
        "can_edit": request.membership.is_coordinator,
    }
    return render(request, "consultations/council_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def council_create(request):
    return _council_form(request, None)


@member_required
@require_http_methods(["GET", "POST"])
def council_edit(request, pk):
    return _council_form(request, get_council_for_user(request.user, pk, write=True))


def _council_form(request, council):
    municipality = request.membership.municipality
    form = CouncilForm(request.POST or None, instance=council, municipality=municipality)
    formset = CouncilMemberFormSet(
        request.POST or None, instance=council or Council(municipality=municipality), prefix="m"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        council = services.council_save(municipality=municipality, by=request.user, form=form, formset=formset)
        messages.success(request, _("The council was saved."))
        return redirect("consultations:council", pk=council.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "consultations/council_form.html",
        {"form": form, "formset": formset, "council": council},
        status=status,
    )


# --- A representative's own data (GDPR art. 15) --------------------------------------------


def _my_data(request) -> dict:
    """What is stored about the signed-in representative; staff have no such page here."""
    from .my_data import my_data

    if not request.membership.is_representative:
        raise PermissionDenied
    return my_data(request.membership)


@signed_in_member_required
@never_cache
def my_data_page(request):
    return render(request, "consultations/my_data.html", {"data": _my_data(request)})


@signed_in_member_required
@never_cache
def my_data_json(request):
    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import JsonResponse

    data = _my_data(request)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = f"inkludera-{request.membership.municipality.code}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
