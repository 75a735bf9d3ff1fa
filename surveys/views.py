import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from inventories.models import Inventory
from lib import ratelimit
from lib.confirm import confirmation
from lib.forms import int_param
from lib.net import client_address
from lib.origin import sent_from_this_site
from lib.result_tables import tables_csv, tables_xlsx
from lib.tables import Column, Table
from organisations.access import member_required
from public.links import site_address

from . import services
from .access import get_question_for_user, get_survey_for_user, may_change
from .forms import AnswerForm, QuestionForm, StaffEntryForm, SurveyForm
from .languages import UI_LANGUAGES, offered_languages, survey_text, swedish_note, ui_language
from .models import LANGUAGE_NAMES, Survey
from .selectors import survey_results, survey_tables

logger = logging.getLogger(__name__)

# Submissions per address per window on one survey (settings.SURVEY_SUBMIT_LIMIT,
# 20 unless the operator says otherwise): enough for a family on one library
# computer, too few for a script. The address is only hashed, in the cache.
SUBMIT_WINDOW = 3600


# --- Public answering ----------------------------------------------------------------


def _public_context(survey: Survey, language: str, **extra) -> dict:
    """What every public page of a survey shows in the respondent's language. The
    page around the questions is in Swedish or English (UI_LANGUAGES); in any other
    language, the translator's note at the top says it is shown in Swedish."""
    return {
        "survey": survey,
        "language": language,
        "page_note": swedish_note(survey, language) if language not in UI_LANGUAGES else None,
        "public_site": site_address(survey.municipality, language),
        **extra,
    }


# No CSRF cookie: a respondent whose browser refuses cookies must still be able to answer. The
# form's signed stamp (bound to the survey, valid STAMP_MAX_AGE) and the check that the answer was
# sent from this site's own page (lib.origin) take the CSRF check's place. An answer that fails
# either is shown again filled in, never dropped.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The public questionnaire: no account, no cookie needed, nothing kept about the person.
    Offered in Swedish and in each language of the survey with all its texts (surveys.languages)."""
    survey = get_object_or_404(Survey, token=token)
    if survey.status == Survey.Status.DRAFT:
        raise Http404
    offered = offered_languages(survey)
    language = request.GET.get("sprak") or request.POST.get("sprak") or ""
    if language not in offered:
        language = ""
    if not survey.is_answerable():
        with translation.override(ui_language(language or "sv")):
            return render(request, "surveys/public_closed.html", _public_context(survey, language or "sv"))
    if not language and len(offered) > 1:
        choices = [(code, LANGUAGE_NAMES[code], survey_text(survey, code, "title").text) for code in offered]
        return render(request, "surveys/public_language.html", {"survey": survey, "choices": choices})
    language = language or "sv"
    with translation.override(ui_language(language)):
        form = AnswerForm(request.POST or None, survey=survey, language=language)
        status, resend = 200, None
        if request.method == "POST" and not sent_from_this_site(request):
            status = 403
            resend = _(
                "Your answers have not been sent: the form came from a page that is not part of this site. "
                "Check your answers below and press “Send my answers” if you want to send them."
            )
        elif request.method == "POST" and form.stamp_expired():
            status = 400
            resend = _(
                "Your answers have not been sent yet: the form was open for a long time. "
                "Check your answers below and press “Send my answers” again."
            )
        if resend:
            # Shown again as sent, with a new stamp: nothing the respondent wrote is lost.
            data = request.POST.copy()
            data["stamp"] = form.new_stamp(filled=True)
            form = AnswerForm(data, survey=survey, language=language)
        elif request.method == "POST":
            if form.is_robot():
                # Looks automatic: answer as if it went well, and keep nothing.
                return redirect(f"{request.path}tack/?sprak={language}")
            if not ratelimit.allow(
                scope=f"survey:{survey.pk}",
                address=client_address(request),
                limit=settings.SURVEY_SUBMIT_LIMIT,
                window_seconds=SUBMIT_WINDOW,
            ):
                return render(request, "surveys/public_busy.html", _public_context(survey, language), status=429)
            if form.is_valid():
                try:
                    services.response_submit(
                        survey=survey, language=language, answers=form.answers, on=timezone.localdate()
                    )
                except services.NotAccepting:  # closed while the respondent was answering
                    return render(request, "surveys/public_closed.html", _public_context(survey, language))
                return redirect(f"{request.path}tack/?sprak={language}")
            status = 400
        context = _public_context(
            survey,
            language,
            form=form,
            resend=resend,
            title=survey_text(survey, language, "title"),
            intro=survey_text(survey, language, "intro"),
            text_note=swedish_note(survey, language),
        )
        return render(request, "surveys/public_form.html", context, status=status)


@never_cache
def thanks(request, token):
    survey = get_object_or_404(Survey, token=token)
    language = request.GET.get("sprak", "sv")
    if language not in offered_languages(survey):  # never a language whose texts are incomplete
        language = "sv"
    with translation.override(ui_language(language)):
        return render(request, "surveys/public_thanks.html", _public_context(survey, language))


# --- Staff -------------------------------------------------------------------------------


SURVEYS_PAGE_SIZE = 50
# The survey table's columns (lib/tables.py): the latest opened first unless ?ordning= says otherwise.
SURVEY_TABLE = Table(
    Column(gettext_lazy("Survey"), "namn", ("name",)),
    Column(gettext_lazy("Inventory"), "inventering", ("inventory__name",), nullable=True),
    Column(gettext_lazy("Unit"), "enhet", ("unit__short_name",), nullable=True),
    Column(gettext_lazy("Open"), "oppen", ("opens_on", "closes_on"), descending_first=True, css="nowrap"),
    Column(gettext_lazy("Status"), "status", ("status",)),
    default="-oppen",
)


@member_required
def survey_list(request):
    membership = request.membership
    sort = SURVEY_TABLE.sort(request, anchor="h-surveys")
    surveys = sort.apply(
        Survey.objects.filter(municipality=membership.municipality).select_related("unit", "inventory")
    )
    surveys = Paginator(surveys, SURVEYS_PAGE_SIZE).get_page(request.GET.get("sida"))
    inventories = Inventory.objects.filter(municipality=membership.municipality).annotate(
        survey_count=Count("surveys", distinct=True), note_count=Count("notes", distinct=True)
    )
    context = {
        "surveys": surveys,
        "sort": sort,
        "inventories": inventories,
        "can_create": membership.may_register_activities,
    }
    return render(request, "surveys/survey_list.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    initial = {"inventory": int_param(request, "inventering")}
    form = SurveyForm(request.POST or None, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            municipality=membership.municipality, by=request.user, fields=form.survey_fields()
        )
        messages.success(request, _("The survey was created. Now add its questions."))
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form}, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    form = SurveyForm(request.POST or None, instance=survey, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=request.user, fields=form.survey_fields())
        except services.SurveyLocked as exc:
            form.add_error("inventory", str(exc))
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:detail", pk=survey.pk)
    context = {"form": form, "survey": survey}
    return render(request, "surveys/survey_form.html", context, status=400 if form.errors else 200)


@member_required
def survey_detail(request, pk):
    survey = get_survey_for_user(request.user, pk)
    questions = list(survey.questions.select_related("show_if").order_by("position", "pk"))
    context = {
        "survey": survey,
        "questions": questions,
        "response_count": survey.responses.count(),
        "can_change": may_change(request.membership, survey),
        "public_url": request.build_absolute_uri(f"/e/{survey.token}/"),
        "history": history_for(survey),
    }
    return render(request, "surveys/survey_detail.html", context)


def _locked_redirect(request, survey, exc):
    messages.error(request, str(exc))
    return redirect("surveys:detail", pk=survey.pk)


@member_required
@require_http_methods(["GET", "POST"])
def question_create(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    return _question_form(request, survey, None)


@member_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = get_question_for_user(request.user, pk, write=True)
    return _question_form(request, question.survey, question)


def _question_form(request, survey, question):
    try:
        services.require_unlocked(survey)
    except services.SurveyLocked as exc:
        return _locked_redirect(request, survey, exc)
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(survey=survey, by=request.user, question=question, fields=form.question_fields())
        except services.SurveyLocked as exc:
            return _locked_redirect(request, survey, exc)
        messages.success(request, _("The question was saved."))
        return redirect("surveys:detail", pk=survey.pk)
    context = {"form": form, "survey": survey, "question": question}
    return render(request, "surveys/question_form.html", context, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def question_delete(request, pk):
    question = get_question_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return confirmation(
            request,
            title=_("Remove the question?"),
            subject=question.text("sv"),
            what=_("The question is removed from the survey “%(name)s”, in every language.")
            % {"name": question.survey.name},
            consequences=[_("The survey's history keeps the question's Swedish text.")],
            button=_("Yes, remove the question"),
            cancel_url=reverse("surveys:detail", args=[question.survey_id]),
            danger=True,
        )
    try:
        services.question_delete(question=question, by=request.user)
    except services.SurveyLocked as exc:
        return _locked_redirect(request, question.survey, exc)
    messages.success(request, _("The question was removed."))
    return redirect("surveys:detail", pk=question.survey_id)


@member_required
@require_POST
def survey_status(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    status = request.POST.get("status", "")
    if status not in Survey.Status.values:
        return redirect("surveys:detail", pk=survey.pk)
    try:
        services.survey_set_status(survey=survey, by=request.user, status=status)
    except services.SurveyLocked as exc:
        return _locked_redirect(request, survey, exc)
    messages.success(request, _("The survey is now %(status)s.") % {"status": survey.get_status_display()})
    return redirect("surveys:detail", pk=survey.pk)


@member_required
@require_POST
def survey_new_version(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    new = services.survey_new_version(survey=survey, by=request.user)
    messages.success(request, _("A new version was made as a draft; the old one and its answers are kept."))
    return redirect("surveys:detail", pk=new.pk)


@member_required
@require_http_methods(["GET", "POST"])
def survey_delete(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.survey_delete(survey=survey, by=request.user)
        except services.SurveyLocked as exc:
            return _locked_redirect(request, survey, exc)
        messages.success(request, _("The survey was deleted."))
        return redirect("surveys:list")
    return render(request, "surveys/survey_confirm_delete.html", {"survey": survey})


@member_required
@require_http_methods(["GET", "POST"])
def staff_entry(request, pk):
    """Type in a paper or interview answer: the same questions, marked as such, no identity."""
    survey = get_survey_for_user(request.user, pk, write=True)
    if not survey.accepts_entries:
        if survey.status == Survey.Status.DRAFT:
            messages.error(request, _("Open the survey before entering answers."))
        else:
            messages.error(request, _("The results are finalised: no answers can be added."))
        return redirect("surveys:detail", pk=survey.pk)
    language = request.GET.get("sprak", "sv")
    if language not in survey.languages:
        language = "sv"
    form = StaffEntryForm(
        request.POST or None, survey=survey, language=language, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                language=language,
                answers=form.answers,
                on=form.cleaned_data["answered_on"],
                source=form.cleaned_data["source"],
            )
        except services.NotAccepting:
            messages.error(request, _("The results are finalised: no answers can be added."))
            return redirect("surveys:detail", pk=survey.pk)
        messages.success(request, _("The answer was saved. Enter the next one below."))
        return redirect("surveys:entry", pk=survey.pk)
    context = {"survey": survey, "form": form, "language": language}
    return render(request, "surveys/staff_entry.html", context, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def survey_finalise(request, pk):
    survey = get_survey_for_user(request.user, pk, write=True)
    if request.method == "GET":
        if refused := services.survey_finalise_refused(survey):
            return _locked_redirect(request, survey, refused)
        answers = survey.responses.count()
        return confirmation(
            request,
            title=_("Finalise the results?"),
            subject=survey.name,
            what=ngettext(
                "The results are fixed from the %(count)d answer the survey has now.",
                "The results are fixed from the %(count)d answers the survey has now.",
                answers,
            )
            % {"count": answers},
            consequences=[
                _("No answer can be added after this, not even a paper or interview answer."),
                _("The result tables are shown from then on, with small counts hidden."),
                _("The results are shown at the survey's link for everyone, as the survey's results are published.")
                if survey.results_published
                else _("The results are not shown at the survey's link: the survey's results are not published."),
                _("To ask again, make a new version of the survey."),
            ],
            button=_("Yes, finalise the results"),
            cancel_url=reverse("surveys:detail", args=[survey.pk]),
        )
    try:
        services.survey_finalise(survey=survey, by=request.user)
    except services.NotFinalisable as exc:
        return _locked_redirect(request, survey, exc)
    messages.success(request, _("The results are finalised. No answers can be added from now on."))
    return redirect("surveys:results", pk=survey.pk)


@member_required
def results(request, pk):
    """The finalised results; until then only the number of answers."""
    survey = get_survey_for_user(request.user, pk)
    context = {
        "survey": survey,
        "results": survey_results(survey) if survey.is_finalised else None,
        "response_count": survey.responses.count(),
        "can_change": may_change(request.membership, survey),
    }
    return render(request, "surveys/results.html", context)


def _download(survey, fmt: str):
    """The result tables as XLSX or CSV: the same suppressed cells as the page."""
    if not survey.is_finalised:
        raise Http404
    tables = survey_tables(survey_results(survey))
    name = f"enkat-{slugify(survey.name) or survey.pk}"
    return tables_xlsx(tables, f"{name}.xlsx") if fmt == "xlsx" else tables_csv(tables, f"{name}.csv")


@member_required
def results_export(request, pk, fmt):
    return _download(get_survey_for_user(request.user, pk), fmt)


def _published(token) -> Survey:
    """A survey whose results are public (Survey.results_are_public)."""
    survey = get_object_or_404(Survey.objects.select_related("municipality"), token=token)
    if not survey.results_are_public():
        raise Http404
    return survey


def public_results(request, token):
    survey = _published(token)
    results = survey_results(survey)
    context = {
        "survey": survey,
        "results": results,
        "title": survey.text("sv", "title"),
        "public_site": site_address(survey.municipality),
    }
    return render(request, "surveys/public_results.html", context)


def public_results_export(request, token, fmt):
    return _download(_published(token), fmt)
