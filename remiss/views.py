from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from lib import ratelimit
from lib.confirm import confirmation
from lib.formatting import short_date
from lib.forms import int_param
from lib.net import client_address
from lib.tables import Column, Table
from organisations.access import coordinator_required, member_required
from plans.access import get_plan_for_user
from reports.render import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, render_docx

from . import services
from .access import (
    body_for_link,
    get_body_for_user,
    get_comment_for_user,
    get_compilation_for_user,
    get_remiss_for_user,
)
from .document import compilation_document
from .forms import AnswerForm, HandlingForm, PublishForm, RemissForm, SendForm
from .models import Answer, CompilationPdf, Underlag
from .selectors import bodies_with_answers, change_options, compilation, next_version, remisses_for

# Answers per address per hour through one organisation's link (as survey answering).
LINK_WINDOW = 3600


REMISSES_PAGE_SIZE = 50
# The list's columns (lib/tables.py): the latest first unless ?ordning= says otherwise.
REMISS_TABLE = Table(
    Column(gettext_lazy("Remiss"), "titel", ("title",)),
    Column(gettext_lazy("Plan"), "plan", ("plan__title",)),
    Column(gettext_lazy("Dnr"), "dnr", ("dnr",)),
    Column(gettext_lazy("Deadline"), "sista-dag", ("deadline",), descending_first=True),
    Column(gettext_lazy("Status"), "status", ("status",)),
    default=None,
)


@member_required
def remiss_list(request):
    """Every remiss the person sees; ?plan= for one plan's."""
    plan_id = int_param(request, "plan")
    plan = get_plan_for_user(request.user, plan_id) if plan_id is not None else None
    sort = REMISS_TABLE.sort(request)
    page = Paginator(sort.apply(remisses_for(request.membership, plan=plan)), REMISSES_PAGE_SIZE)
    page = page.get_page(request.GET.get("sida"))
    return render(request, "remiss/remiss_list.html", {"remisses": page, "page": page, "sort": sort, "plan": plan})


def _remiss_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "dnr": data["dnr"],
        "letter": data["letter"],
        "deadline": data["deadline"],
        "units": list(data["units"]),
        "organisations": data["organisations"],
    }


@coordinator_required
@require_http_methods(["GET", "POST"])
def remiss_create(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, write=True)
    initial = {"title": _("Remiss: %(plan)s") % {"plan": plan.title}}
    form = RemissForm(request.POST or None, initial=initial, municipality=plan.municipality)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            remiss = services.remiss_create(plan=plan, by=request.user, **_remiss_fields(form))
            messages.success(request, _("The remiss was saved as a draft. Check it and send it."))
            return redirect("remiss:detail", pk=remiss.pk)
        status = 400
    return render(request, "remiss/remiss_form.html", {"form": form, "plan": plan}, status=status)


@coordinator_required
@require_http_methods(["GET", "POST"])
def remiss_edit(request, pk):
    remiss = get_remiss_for_user(request.user, pk, write=True)
    if not remiss.is_draft:
        messages.error(request, _("The remiss has been sent: it can no longer be changed."))
        return redirect("remiss:detail", pk=remiss.pk)
    form = RemissForm(request.POST or None, instance=remiss, municipality=remiss.municipality)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remiss_update(remiss=remiss, by=request.user, **_remiss_fields(form))
            except services.RemissRefused as exc:
                form.add_error(exc.field, exc.message)
                status = 400
            else:
                messages.success(request, _("The remiss was saved."))
                return redirect("remiss:detail", pk=remiss.pk)
        else:
            status = 400
    context = {"form": form, "plan": remiss.plan, "remiss": remiss}
    return render(request, "remiss/remiss_form.html", context, status=status)


@member_required
def remiss_detail(request, pk, status=200):
    remiss = get_remiss_for_user(request.user, pk)
    membership = request.membership
    bodies = bodies_with_answers(remiss)
    if membership.is_contact:
        bodies = [b for b in bodies if b.unit_id in membership.unit_ids]
    coordinator = membership.is_coordinator
    if coordinator:
        contacts = services.contacts_by_unit(b.unit_id for b in bodies if b.unit_id)
        for body in bodies:
            body.link = services.body_link(body) if body.is_external else ""
            body.no_contact = bool(body.unit_id) and not contacts.get(body.unit_id)
    context = {
        "remiss": remiss,
        "bodies": bodies,
        "coordinator": coordinator,
        "contact": membership.is_contact,
        "history": history_for(remiss) if coordinator else None,
    }
    if coordinator:
        # The generated remissunderlag: its newest build, and whether it may be made again.
        underlag = remiss.underlag_builds.first()
        context["underlag"] = underlag
        context["may_generate_underlag"] = services.may_generate_underlag(remiss, underlag)
    if coordinator and remiss.is_published:
        context["public_url"] = public_address(remiss)
        context["public_obstacles"] = public_obstacles(remiss)
    return render(request, "remiss/remiss_detail.html", context, status=status)


def _crumbs(remiss):
    return [(_("Remisses"), reverse("remiss:list")), (remiss.title, reverse("remiss:detail", args=[remiss.pk]))]


def _send_confirmation(request, remiss, form, status=200):
    """The sending's confirmation page: who gets e-mail, with the sending date to fill in."""
    recipients = services.remiss_recipients(remiss)
    emails = sum(len(addresses) for _body, addresses in recipients)
    silent = [body.display_name for body, addresses in recipients if not addresses]
    return confirmation(
        request,
        title=_("Send the remiss?"),
        subject=remiss.title,
        what=ngettext(
            "The remiss of %(plan)s goes to %(count)d body, with the answer date %(deadline)s.",
            "The remiss of %(plan)s goes to %(count)d bodies, with the answer date %(deadline)s.",
            len(recipients),
        )
        % {"plan": remiss.plan.title, "count": len(recipients), "deadline": short_date(remiss.deadline)},
        consequences=[
            ngettext(
                "%(count)d e-mail is sent now: a unit's contact persons, an external organisation at its address "
                "with its own link.",
                "%(count)d e-mails are sent now: a unit's contact persons, an external organisation at its address "
                "with its own link.",
                emails,
            )
            % {"count": emails},
            _("No e-mail goes to %(names)s: no contact person with an e-mail address.") % {"names": ", ".join(silent)}
            if silent
            else "",
            _("The remissunderlag (the plan version as PDF and Word) is made and attached to the remiss."),
            _("The remiss, its bodies and its answer date can no longer be changed."),
        ],
        button=_("Yes, send the remiss"),
        cancel_url=reverse("remiss:detail", args=[remiss.pk]),
        breadcrumbs=_crumbs(remiss),
        form=form,
        status=status,
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def remiss_send(request, pk):
    remiss = get_remiss_for_user(request.user, pk, write=True)
    if not remiss.is_draft:
        messages.error(request, _("The remiss has already been sent."))
        return redirect("remiss:detail", pk=remiss.pk)
    if request.method == "GET":
        return _send_confirmation(request, remiss, SendForm(initial={"sent_on": timezone.localdate()}))
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            queued = services.remiss_send(remiss=remiss, by=request.user, on=form.cleaned_data["sent_on"])
        except services.RemissRefused as exc:
            # The deadline and the bodies are the draft's: their errors are shown on the sending date.
            form.add_error("sent_on" if exc.field in ("sent_on", "deadline") else None, exc.message)
        else:
            messages.success(request, _("The remiss was sent: %(n)s e-mails are on their way.") % {"n": queued})
            return redirect("remiss:detail", pk=remiss.pk)
    return _send_confirmation(request, remiss, form, status=400)


@coordinator_required
@require_POST
def underlag_request(request, pk):
    """Make the remissunderlag (PDF and Word of the plan version) again: a draft's at any
    time, a sent remiss's after a failed build (services.may_generate_underlag)."""
    remiss = get_remiss_for_user(request.user, pk, write=True)
    if not services.may_generate_underlag(remiss, remiss.underlag_builds.first()):
        messages.error(request, _("The remissunderlag of a sent remiss is made again only if making it failed."))
    else:
        services.underlag_request(remiss=remiss, by=request.user)
        messages.success(request, _("The remissunderlag is being made. Reload this page in a minute to see the files."))
    return redirect(f"{reverse('remiss:detail', args=[remiss.pk])}#underlag")


@coordinator_required
@require_http_methods(["GET", "POST"])
def remiss_close(request, pk):
    remiss = get_remiss_for_user(request.user, pk, write=True)
    if request.method == "GET":
        if not remiss.is_sent:
            messages.error(request, _("Only a sent remiss can be closed."))
            return redirect("remiss:detail", pk=remiss.pk)
        bodies = remiss.bodies.count()
        waiting = remiss.bodies.filter(answer__isnull=True).count()
        return confirmation(
            request,
            title=_("Close the remiss?"),
            subject=remiss.title,
            what=_("The remiss is closed to answers."),
            consequences=[
                ngettext(
                    "%(waiting)d of %(count)d body has not answered: it can no longer answer itself.",
                    "%(waiting)d of %(count)d bodies have not answered: they can no longer answer themselves.",
                    bodies,
                )
                % {"waiting": waiting, "count": bodies}
                if waiting
                else _("Every body has answered."),
                _("External organisations' personal links stop taking answers; nobody is sent an e-mail."),
                _("After closing, only the coordinator registers answers, marked as received late."),
            ],
            button=_("Yes, close the remiss"),
            cancel_url=reverse("remiss:detail", args=[remiss.pk]),
            breadcrumbs=_crumbs(remiss),
        )
    try:
        services.remiss_close(remiss=remiss, by=request.user)
    except services.RemissRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The remiss was closed."))
    return redirect("remiss:detail", pk=remiss.pk)


def public_address(remiss) -> str:
    """The remiss's page on the municipality's public site (in Swedish)."""
    return reverse("public:remiss", kwargs={"kod": remiss.municipality.code, "pk": remiss.pk})


def public_obstacles(remiss) -> list[str]:
    """Why a published remiss is not on the public site now (public/selectors/remiss.py)."""
    from public.models import PublicSite
    from public.selectors.start import published_plans

    out = []
    if not PublicSite.objects.filter(municipality_id=remiss.municipality_id, published=True).exists():
        out.append(_("The municipality's public site is not published."))
    if not published_plans(remiss.municipality_id).filter(pk=remiss.plan_id).exists():
        out.append(
            _(
                "The plan version it was sent on is not on the public site: "
                "it must be out for consultation, adopted or replaced."
            )
        )
    return out


@coordinator_required
@require_http_methods(["GET", "POST"])
def remiss_publish(request, pk):
    """The confirmation page: what the public page will show, what is hidden, then publish."""
    from public.selectors.remiss import publishable, remiss_page

    remiss = get_remiss_for_user(request.user, pk, write=True)
    if remiss.is_draft:
        messages.error(request, _("A remiss is published once it has been sent."))
        return redirect("remiss:detail", pk=remiss.pk)
    form = PublishForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remiss_publish(
                    remiss=remiss, by=request.user, confirmed_personal_data=form.cleaned_data["confirm"]
                )
            except services.RemissRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The remiss was published on the public site."))
                return redirect("remiss:detail", pk=remiss.pk)
        status = 400
    page = remiss_page(remiss)
    bodies = bodies_with_answers(remiss)
    context = {
        "remiss": remiss,
        "form": form,
        "page": page,
        "not_named": [b for b in bodies if not publishable(b, b.answer_or_none)],
        "obstacles": public_obstacles(remiss),
        "public_url": public_address(remiss),
    }
    return render(request, "remiss/publish_confirm.html", context, status=status)


@coordinator_required
@require_POST
def remiss_unpublish(request, pk):
    remiss = get_remiss_for_user(request.user, pk, write=True)
    services.remiss_unpublish(remiss=remiss, by=request.user)
    messages.success(request, _("The remiss was taken off the public site."))
    return redirect("remiss:detail", pk=remiss.pk)


def _save_answer(request, form, body, via):
    """Save a valid form; False (with the error on the form) when the service refuses."""
    try:
        services.answer_save(
            body=body,
            by=request.user if request.user.is_authenticated else None,
            via=via,
            fields=form.answer_fields(),
            comments=form.comments(),
            received_late=form.cleaned_data.get("received_late", False),
        )
    except services.RemissRefused as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return False
    return True


@member_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    """A body's answer: a unit's contact for their own unit; the coordinator types in
    an answer received as a document, for any body. A contact who may no longer write
    (the remiss is closed) reads their unit's answer, its comments and their handling."""
    try:
        body = get_body_for_user(request.user, pk, write=True)
    except PermissionDenied:
        if request.method != "GET" or not request.membership.is_contact:
            raise
        return answer_readonly(request, get_body_for_user(request.user, pk))
    remiss = body.remiss
    coordinator = request.membership.is_coordinator
    if remiss.is_draft:
        raise Http404
    goals = remiss.plan.goals.all()
    form = AnswerForm(request.POST or None, body=body, goals=goals, coordinator=coordinator)
    status = 200
    if request.method == "POST":
        via = Answer.Via.TYPED_IN if coordinator else Answer.Via.APP
        if form.is_valid() and _save_answer(request, form, body, via):
            messages.success(request, _("The answer of %(body)s was saved.") % {"body": body.display_name})
            return redirect("remiss:detail", pk=remiss.pk)
        status = 400
    context = {
        "form": form,
        "body": body,
        "remiss": remiss,
        "coordinator": coordinator,
        "answer": getattr(body, "answer", None),
        "history": answer_history(body),
    }
    return render(request, "remiss/answer_form.html", context, status=status)


def answer_history(body) -> list:
    """The answer's history: its own events and those of its files (recorded on the body)."""
    events = history_for(body)
    answer = getattr(body, "answer", None)
    if answer is not None:
        events += history_for(answer)
    return sorted(events, key=lambda e: (e.at, e.pk), reverse=True)


def answer_readonly(request, body):
    """A unit's answer as sent, for its contact once they may no longer change it."""
    from .selectors import answer_with_comments

    if body.remiss.is_draft:
        raise Http404
    answer = answer_with_comments(body)
    context = {"body": body, "remiss": body.remiss, "answer": answer, "history": answer_history(body)}
    return render(request, "remiss/answer_readonly.html", context)


def _handling_choices(remiss):
    """The later version whose changes a comment may be linked to, and those changes
    (None, [] before a later version exists)."""
    from plans import versions

    later = next_version(remiss.plan)
    if later is None:
        return None, []
    return later, change_options(versions.compare(versions.snapshot(remiss.plan), versions.snapshot(later)))


@member_required
def compilation_page(request, pk, bound=None, status=200):
    remiss = get_compilation_for_user(request.user, pk)
    result = compilation(remiss)
    coordinator = request.membership.is_coordinator
    if coordinator:
        later, options = _handling_choices(remiss)
        for comment in result.comments:
            if bound is not None and bound.instance.pk == comment.pk:
                comment.form = bound
            else:
                comment.form = HandlingForm(instance=comment, prefix=f"c{comment.pk}", version=later, options=options)
    pdf = remiss.pdfs.first()  # the newest
    context = {"remiss": remiss, "c": result, "coordinator": coordinator, "pdf": pdf}
    return render(request, "remiss/compilation.html", context, status=status)


@member_required
def compilation_docx(request, pk):
    """The compilation as Word, made on request: fast enough for a city's remiss
    (docs/remiss.md); the PDF is made by the worker (compilation_pdf_request)."""
    remiss = get_compilation_for_user(request.user, pk)
    rendered = render_docx(compilation_document(compilation(remiss)))
    response = HttpResponse(rendered.data, content_type=DOCX_CONTENT_TYPE)
    name = f"remissammanstallning-{slugify((remiss.dnr or remiss.title).replace('/', '-'))[:60]}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordinator_required
@require_POST
def compilation_pdf_request(request, pk):
    remiss = get_remiss_for_user(request.user, pk, write=True)
    services.compilation_pdf_request(remiss=remiss, by=request.user)
    messages.success(request, _("The PDF is being made. Reload this page in a minute to download it."))
    return redirect("remiss:compilation", pk=remiss.pk)


@member_required
def compilation_pdf_file(request, pk):
    """A PDF the worker made, for those who may read the compilation; streamed from the storage."""
    pdf = get_object_or_404(CompilationPdf.objects.select_related("remiss"), pk=pk, status=CompilationPdf.Status.DONE)
    get_compilation_for_user(request.user, pdf.remiss_id)  # 404/403 as the compilation page
    stored = pdf.pdf.storage.open(pdf.pdf.name, "rb")
    name = f"remissammanstallning-{slugify((pdf.remiss.dnr or pdf.remiss.title).replace('/', '-'))[:60]}.pdf"
    return FileResponse(stored, as_attachment=True, filename=name, content_type=PDF_CONTENT_TYPE)


@coordinator_required
@require_POST
def comment_handle(request, pk):
    comment = get_comment_for_user(request.user, pk)
    remiss = get_remiss_for_user(request.user, comment.answer.body.remiss_id, write=True)
    later, options = _handling_choices(remiss)
    form = HandlingForm(request.POST, instance=comment, prefix=f"c{comment.pk}", version=later, options=options)
    if form.is_valid():
        try:
            services.comment_handle(
                comment=comment,
                by=request.user,
                handling=form.cleaned_data["handling"],
                text=form.cleaned_data["handling_text"],
                version=later if "changes" in form.fields else None,
                changes=form.cleaned_data.get("changes"),
            )
        except services.RemissRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The handling was saved."))
            return redirect(f"{reverse('remiss:compilation', args=[remiss.pk])}#comment-{comment.pk}")
    # The page again, with this comment's form and its errors under its fields.
    messages.error(
        request,
        _("The handling of the comment of %(body)s was not saved: see the errors at the comment.")
        % {"body": comment.answer.body.display_name},
    )
    return compilation_page(request, remiss.pk, bound=form, status=400)


# --- The external organisation's link ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def link_answer(request, token):
    """An external organisation's answer through its personal link: no account; the
    link names the organisation and opens only its own answer."""
    body = body_for_link(token)
    remiss = body.remiss
    documents = remiss_documents(remiss)
    # "Being made" only while a build of the generated remissunderlag is waiting.
    pending = not documents and remiss.underlag_builds.filter(status=Underlag.Status.WAITING).exists()
    if remiss.is_closed:
        context = {"body": body, "remiss": remiss, "documents": documents, "token": token, "underlag_pending": pending}
        return render(request, "remiss/link_closed.html", context)
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        body=body,
        goals=remiss.plan.goals.all(),
        coordinator=False,
        with_file=True,
    )
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(
            scope=f"remiss-link:{body.pk}",
            address=client_address(request),
            limit=settings.SURVEY_SUBMIT_LIMIT,
            window_seconds=LINK_WINDOW,
        ):
            return render(request, "remiss/link_busy.html", {"body": body, "remiss": remiss}, status=429)
        if form.is_valid() and _save_link_answer(request, form, body):
            return redirect("remiss_public:thanks", token=token)
        status = 400
    context = {
        "form": form,
        "body": body,
        "remiss": remiss,
        "public": True,
        "documents": documents,
        "underlag_pending": pending,
        "sent_files": body_documents(body),
        "token": token,
    }
    return render(request, "remiss/answer_form.html", context, status=status)


def _save_link_answer(request, form, body) -> bool:
    """The answer and the file sent with it, both or neither: the file is stored last,
    inside the answer's transaction, so a refused answer stores no file."""
    from django.db import transaction

    from documents.services import attachment_add

    with transaction.atomic():
        if not _save_answer(request, form, body, Answer.Via.LINK):
            return False
        if form.checked_file is not None:
            attachment_add(
                obj=body,
                by=None,
                upload=form.cleaned_data["decision_file"],
                checked=form.checked_file,
                title=_("Sent with the answer through the personal link"),
            )
    return True


def body_documents(body) -> list:
    """The files an organisation sent with its answer through its personal link (added by
    no account), not those staff attached to the answer."""
    from documents.selectors import attachments_of

    return [a for a in attachments_of(body) if a.added_by_id is None]


def remiss_documents(remiss) -> list:
    """The remiss's own attachments (the remissunderlag), never a body's answer files."""
    from documents.selectors import attachments_of

    return attachments_of(remiss)


@never_cache
def link_document(request, token, pk, name):
    """A file of the remiss (the remissunderlag) through an organisation's personal link:
    the same token check as the answer page, and only an attachment of that remiss
    itself or one the organisation sent with its answer (another remiss's file, a file
    staff attached to the answer, or another body's file, is 404); sent with the
    headers of every attachment download (docs/documents.md)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from documents.models import Attachment
    from documents.views import attachment_response

    from .models import Body, Remiss

    body = body_for_link(token)
    remiss_files = Q(content_type=ContentType.objects.get_for_model(Remiss), object_id=body.remiss_id)
    own_files = Q(content_type=ContentType.objects.get_for_model(Body), object_id=body.pk, added_by__isnull=True)
    attachment = get_object_or_404(
        Attachment.objects.filter(remiss_files | own_files),
        pk=pk,
        municipality_id=body.remiss.municipality_id,
    )
    return attachment_response(attachment)


@never_cache
def link_thanks(request, token):
    body = body_for_link(token)
    return render(request, "remiss/link_thanks.html", {"body": body, "remiss": body.remiss})
