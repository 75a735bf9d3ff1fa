"""Återkoppling: "what you said, what we did" (docs/public-site.md §2.2, §2.3).

A held samråd is on the public pages when its minutes are published (status
*publicerad*, after the minutes' personal-details check) or at least one of
its views is (``View.public``, set by consultations.services.view_publish).
A published view shows only its public wording (the ``said`` and ``answer``
texts), never ``View.text``, who entered it, the feedback's internal
reasoning, compensation or internal notes. A representative is named only
through ``Membership.public_name``, read when the page is drawn, so a
withdrawn consent takes effect at once. Attendance is protected
(``attendance(..., exact=False)``).

``published_views`` is the one rule for which views are public: the pages and
the ``aterkoppling`` dataset of the open-data API both read it. Everything is
read for the municipality in the address; another municipality's id is 404.
Each function takes a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from activities.models import Activity
from consultations.models import Consultation, Feedback, MinutesVersion, View
from consultations.selectors import Attendance, attendance
from lib.languages import SWEDISH
from plans.models import Goal
from public.selectors.plan import public_activities
from public.selectors.start import published_plans
from public.site import PublicContext
from public.texts import Shown, shown


def published_views(municipality) -> QuerySet[View]:
    """The municipality's published views, of samråd already held, with what a
    page or a record shows: the item, the feedback and its unit, the public
    activities and goals carrying it out, the texts. Newest samråd first, then
    in agenda order. Six queries, however many views."""
    activities = public_activities(municipality).prefetch_related("translations").order_by("number", "pk")
    goals = Goal.objects.filter(plan__in=published_plans(municipality)).order_by("plan_id", "depth", "position", "pk")
    return (
        View.objects.filter(
            public=True,
            item__consultation__municipality=municipality,
            # Published only while the site is: the API and the pages say the same.
            item__consultation__municipality__public_site__published=True,
            item__consultation__starts_at__lt=timezone.now(),
        )
        .select_related("item__consultation__municipality", "feedback__unit", "representative__user")
        .prefetch_related(
            "translations",
            Prefetch("feedback__activities", queryset=activities),
            Prefetch("feedback__goals", queryset=goals.only("pk", "plan_id", "code")),
        )
        .order_by("-item__consultation__starts_at", "item__consultation_id", "item__position", "item__pk", "pk")
    )


def feedback_of(view: View) -> Feedback | None:
    """The view's feedback (select_related: no query), or None."""
    try:
        return view.feedback
    except Feedback.DoesNotExist:
        return None


def given_by(view: View) -> str:
    """Who gave the view, as the public reads it: the group, anonymous, or a
    representative by name only while they agree to be named."""
    if view.representative_id:
        return view.representative.public_name
    return str(view.get_given_by_display())


def held_with_something_published(municipality) -> QuerySet[Consultation]:
    """Held samråd of the municipality with published minutes or at least one
    published view; each with ``public_views`` (how many) and ``has_minutes``."""
    published_minutes = MinutesVersion.objects.filter(
        consultation=OuterRef("pk"), status=MinutesVersion.Status.PUBLISHED
    )
    return (
        Consultation.objects.filter(municipality=municipality, starts_at__lt=timezone.now())
        .annotate(
            public_views=Count("items__views", filter=Q(items__views__public=True), distinct=True),
            has_minutes=Exists(published_minutes),
        )
        .filter(Q(public_views__gt=0) | Q(has_minutes=True))
        .order_by("-starts_at", "-pk")
    )


# --- The list ------------------------------------------------------------------------------------


@dataclass
class Year:
    year: int
    consultations: list[Consultation]


def feedback_years(public: PublicContext) -> list[Year]:
    """Held samråd with something published, by year (local time), newest first. One query."""
    consultations = list(held_with_something_published(public.municipality))
    return [
        Year(year, list(group))
        for year, group in groupby(consultations, key=lambda c: timezone.localtime(c.starts_at).year)
    ]


# --- One samråd ----------------------------------------------------------------------------------


@dataclass
class PublishedView:
    view: View
    said: Shown | None
    answer: Shown | None
    given_by: str
    feedback: Feedback | None
    activities: list[tuple[Activity, Shown]] = field(default_factory=list)

    @property
    def preparing(self) -> bool:
        return self.feedback is None or self.feedback.status == Feedback.Status.PREPARING

    @property
    def texts(self) -> list[Shown | None]:
        return [self.said, self.answer, *(title for _activity, title in self.activities)]


def activity_title(activity: Activity, language: str) -> Shown:
    """The public title in ``language`` (or Swedish), else the activity's own Swedish title."""
    return shown(activity, "public_title", language) or Shown(activity.title, SWEDISH, in_swedish=language != SWEDISH)


def published_view(view: View, language: str) -> PublishedView:
    feedback = feedback_of(view)
    activities = list(feedback.activities.all()) if feedback is not None else []
    return PublishedView(
        view=view,
        said=shown(view, "said", language),
        answer=shown(view, "answer", language),
        given_by=given_by(view),
        feedback=feedback,
        activities=[(a, activity_title(a, language)) for a in activities],
    )


@dataclass
class FeedbackPage:
    consultation: Consultation
    minutes: MinutesVersion | None
    attendance: Attendance | None
    views: list[PublishedView]

    @property
    def texts(self) -> list[Shown | None]:
        return [text for view in self.views for text in view.texts]


def feedback_page(public: PublicContext, pk: int) -> FeedbackPage:
    """One held samråd with something published: its published minutes (the
    newest published version), protected attendance and published views. 404
    otherwise, and for another municipality's samråd. A fixed number of queries."""
    consultation = (
        held_with_something_published(public.municipality).select_related("municipality").filter(pk=pk).first()
    )
    if consultation is None:
        raise Http404
    minutes = (
        MinutesVersion.objects.filter(consultation=consultation, status=MinutesVersion.Status.PUBLISHED)
        .order_by("-number")
        .only("pk", "consultation_id", "number", "text", "published_at")
        .first()
        if consultation.has_minutes
        else None
    )
    views = [
        published_view(view, public.language)
        for view in published_views(public.municipality).filter(item__consultation=consultation)
    ]
    return FeedbackPage(
        consultation=consultation,
        minutes=minutes,
        attendance=attendance(consultation, exact=False),
        views=views,
    )


# --- The start page ------------------------------------------------------------------------------


@dataclass
class LatestFeedback:
    views: list[PublishedView]

    @property
    def texts(self) -> list[Shown | None]:
        return [text for view in self.views for text in (view.said, view.answer)]


def latest_feedback(public: PublicContext, *, limit: int = 3) -> LatestFeedback:
    """The latest published views, for the start page (published_views' rule)."""
    views = published_views(public.municipality).order_by("-published_at", "-pk")[:limit]
    return LatestFeedback([published_view(view, public.language) for view in views])


def object_pages(public: PublicContext) -> list[tuple[str, int]]:
    """The walk's återkoppling pages: every held samråd with something published."""
    return [
        ("feedback_consultation", pk)
        for pk in held_with_something_published(public.municipality).values_list("pk", flat=True)
    ]
