"""The calendar: public events and the samråd open to the public, with what a
resident needs to come (time, place, accessibility, interpretation,
childcare, services offered). What is public:

- an event when ``Event.is_public``;
- a samråd when ``Consultation.in_public_calendar``: its title, form, time,
  place, accessibility, services and what is open to influence. Never its
  representatives, compensation or internal notes.

Participants of an event are protected exactly as staff outside the
organising units see them (events.selectors.participants, exact=False): a
total below the municipality's k is hidden. Everything is read for the
municipality in the address, so another municipality's id is 404. The pages,
the iCalendar feeds and the open-data dataset ``evenemang`` all read from
here, and each function takes a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from consultations.models import Consultation
from events.models import Event
from events.selectors import Participants, participants
from lib.ical import CALENDAR_TZ
from organisations.models import OrgUnit
from plans.models import Goal
from public.selectors.start import published_plans
from public.site import PublicContext
from public.texts import Shown, shown

# The calendar's time zone (lib.ical.CALENDAR_TZ), whatever the server's: every
# time is shown, and written in the feeds, as a Stockholm wall-clock time.
# How far back the whole-calendar feed reaches: a calendar app keeps what it
# has, and a year of past dates keeps the file small.
FEED_DAYS_BACK = 365


# Public only while the municipality's public site is published: the pages, the
# feeds and the open-data datasets say the same (an unpublished site takes it all down).
SITE_PUBLISHED = {"municipality__public_site__published": True}


def calendar_events(municipality) -> QuerySet[Event]:
    return Event.objects.filter(municipality=municipality, is_public=True, **SITE_PUBLISHED)


def calendar_consultations(municipality) -> QuerySet[Consultation]:
    return Consultation.objects.filter(municipality=municipality, in_public_calendar=True, **SITE_PUBLISHED)


def today_starts() -> datetime:
    """Midnight today, in Stockholm."""
    return datetime.combine(timezone.localdate(timezone=CALENDAR_TZ), time.min, tzinfo=CALENDAR_TZ)


def upcoming_q() -> Q:
    """Not over yet: ends later than now, or without an end, starts today or later."""
    return Q(ends_at__gte=timezone.now()) | Q(ends_at__isnull=True, starts_at__gte=today_starts())


@dataclass(frozen=True)
class CalendarItem:
    """An event or a samråd as the calendar and the feeds show it."""

    kind: str  # "event" or "consultation"
    pk: int
    title: Shown
    description: Shown | None
    kind_label: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    accessibility: str
    interpretation: str = ""
    childcare: str = ""
    services: list[str] = field(default_factory=list)
    influence: str = ""  # a samråd's level of influence
    sequence: int = 0  # changes of time, place or title (calendar_sequence): the feeds' SEQUENCE
    revised: datetime | None = None  # when it was created or its texts last written: the feeds' DTSTAMP

    @property
    def url_name(self) -> str:
        return self.kind

    @property
    def ics_name(self) -> str:
        return f"{self.kind}_ics"

    @property
    def uid_prefix(self) -> str:
        return "event" if self.kind == "event" else "samrad"

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, CALENDAR_TZ)

    @property
    def local_end(self) -> datetime | None:
        return timezone.localtime(self.ends_at, CALENDAR_TZ) if self.ends_at else None

    @property
    def same_day(self) -> bool:
        return self.local_end is None or self.local_end.date() == self.local_start.date()

    @property
    def texts(self) -> list[Shown | None]:
        return [self.title, self.description]


def event_title(event: Event, language: str) -> Shown:
    """The public title, or the staff title in Swedish when no sv row exists yet."""
    return shown(event, "public_title", language) or Shown(event.title, "sv", in_swedish=language != "sv")


def event_item(event: Event, language: str) -> CalendarItem:
    return CalendarItem(
        kind="event",
        pk=event.pk,
        title=event_title(event, language),
        description=shown(event, "public_text", language),
        kind_label=str(event.get_kind_display()),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        accessibility=event.accessibility,
        interpretation=event.interpretation,
        childcare=event.childcare,
        sequence=event.calendar_sequence,
        revised=max([event.created_at, *(row.text_updated_at for row in event.translations.all())]),
    )


def consultation_item(consultation: Consultation) -> CalendarItem:
    # The title and the note are not public texts with translations: they are
    # Swedish, marked so, and no fallback line is due for them.
    note = consultation.influence_note.strip()
    return CalendarItem(
        kind="consultation",
        pk=consultation.pk,
        title=Shown(consultation.title, "sv"),
        description=Shown(note, "sv") if note else None,
        kind_label=str(consultation.get_form_display()),
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
        place=consultation.place,
        accessibility=consultation.accessibility,
        services=consultation.service_labels(),
        influence=str(consultation.get_influence_display()),
        sequence=consultation.calendar_sequence,
        revised=consultation.created_at,
    )


def calendar_items(municipality, language: str, *, year: int | None = None, since: datetime | None = None):
    """Public events and public-calendar samråd in time order: those not over
    yet, or those of ``year``, or those starting from ``since``. Three queries."""
    events = calendar_events(municipality)
    consultations = calendar_consultations(municipality)
    if year is not None:
        start = datetime(year, 1, 1, tzinfo=CALENDAR_TZ)
        end = datetime(year + 1, 1, 1, tzinfo=CALENDAR_TZ)
        window = Q(starts_at__gte=start, starts_at__lt=end)
    elif since is not None:
        window = Q(starts_at__gte=since) | upcoming_q()
    else:
        window = upcoming_q()
    items = [event_item(e, language) for e in events.filter(window).prefetch_related("translations")]
    items += [consultation_item(c) for c in consultations.filter(window)]
    return sorted(items, key=lambda item: (item.starts_at, item.kind, item.pk))


def calendar_years(municipality) -> list[int]:
    """The years (Stockholm time) with something in the calendar, newest first. Two queries."""
    years: set[int] = set()
    for qs in (calendar_events(municipality), calendar_consultations(municipality)):
        years |= {d.year for d in qs.datetimes("starts_at", "year", tzinfo=CALENDAR_TZ)}
    return sorted(years, reverse=True)


@dataclass
class Month:
    first_day: datetime
    items: list[CalendarItem]


def by_month(items: list[CalendarItem]) -> list[Month]:
    months: list[Month] = []
    for item in items:
        start = item.local_start
        if not months or (months[-1].first_day.year, months[-1].first_day.month) != (start.year, start.month):
            months.append(Month(start.replace(day=1, hour=0, minute=0), []))
        months[-1].items.append(item)
    return months


@dataclass
class CalendarPage:
    year: int | None  # None: what is coming
    months: list[Month]
    years: list[int]

    @property
    def texts(self) -> list[Shown | None]:
        return [text for month in self.months for item in month.items for text in item.texts]


def calendar_page(public: PublicContext, *, year: int | None = None) -> CalendarPage:
    """The calendar page: what is coming, or a year's. Five queries."""
    items = calendar_items(public.municipality, public.language, year=year)
    return CalendarPage(year=year, months=by_month(items), years=calendar_years(public.municipality))


def feed_items(public: PublicContext) -> list[CalendarItem]:
    """The whole-calendar feed: what is coming and the past year. Three queries."""
    since = today_starts() - timedelta(days=FEED_DAYS_BACK)
    return calendar_items(public.municipality, public.language, since=since)


def upcoming(public: PublicContext, n: int = 3) -> list[CalendarItem]:
    """The next ``n`` public events and samråd (the start page's part). Three queries."""
    events = calendar_events(public.municipality).filter(upcoming_q()).order_by("starts_at", "pk")[:n]
    consultations = calendar_consultations(public.municipality).filter(upcoming_q()).order_by("starts_at", "pk")[:n]
    items = [event_item(e, public.language) for e in events.prefetch_related("translations")]
    items += [consultation_item(c) for c in consultations]
    return sorted(items, key=lambda item: (item.starts_at, item.kind, item.pk))[:n]


# --- One event, one samråd ------------------------------------------------------------------------


def goal_sort_key(goal: Goal):
    return (goal.plan_id, [int(part) if part.isdigit() else part for part in goal.code.split(".")], goal.pk)


def served_goals(municipality) -> Prefetch:
    """An event's goals in the municipality's published plans (the ones with public pages)."""
    return Prefetch(
        "goals",
        queryset=Goal.objects.filter(plan__in=published_plans(municipality)).only("pk", "plan_id", "code", "title"),
        to_attr="public_goals",
    )


def organisers() -> Prefetch:
    return Prefetch(
        "organisers", queryset=OrgUnit.objects.only("pk", "name").order_by("name"), to_attr="public_organisers"
    )


def event_participants(event: Event, municipality) -> Participants | None:
    """Participants, after the event started, protected as for staff outside the organising units."""
    if event.starts_at > timezone.now():
        return None
    return participants(event, exact=False, k=municipality.suppression_k)


@dataclass
class EventPage:
    event: Event
    item: CalendarItem
    organisers: list[str]
    goals: list[Goal]
    participants: Participants | None

    @property
    def texts(self) -> list[Shown | None]:
        return self.item.texts


def public_event(municipality, pk: int) -> Event:
    """A public event of the municipality with its texts, organisers and
    published goals, or 404. Four queries."""
    event = (
        calendar_events(municipality)
        .prefetch_related("translations", organisers(), served_goals(municipality))
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_page(public: PublicContext, pk: int) -> EventPage:
    event = public_event(public.municipality, pk)
    return EventPage(
        event=event,
        item=event_item(event, public.language),
        organisers=[unit.name for unit in event.public_organisers],
        goals=sorted(event.public_goals, key=goal_sort_key),
        participants=event_participants(event, public.municipality),
    )


def consultation_page(public: PublicContext, pk: int) -> CalendarItem:
    """A samråd in the public calendar, or 404. One query."""
    consultation = calendar_consultations(public.municipality).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation_item(consultation)


def calendar_object_pages(public: PublicContext) -> list[tuple[str, int]]:
    """Every event and samråd page and its feed (for public.walk)."""
    events = calendar_events(public.municipality).order_by("pk").values_list("pk", flat=True)
    consultations = calendar_consultations(public.municipality).order_by("pk").values_list("pk", flat=True)
    pages = [(name, pk) for pk in events for name in ("event", "event_ics")]
    return pages + [(name, pk) for pk in consultations for name in ("consultation", "consultation_ics")]


# --- The open-data dataset "evenemang" ------------------------------------------------------------


@dataclass
class EventRecord:
    """A public event as the ``evenemang`` dataset publishes it: the Swedish
    texts, the facts of the calendar, the published goals and public
    activities it serves, and the participants protected as on its page."""

    event: Event
    item: CalendarItem
    organisers: list[str]
    goal_ids: list[int]
    activity_ids: list[int]
    participants: Participants | None


def dataset_events(municipality) -> QuerySet[Event]:
    """The public events, oldest first, with what a record needs (five queries for a page of them)."""
    from activities.models import Activity

    public_activities = Activity.objects.filter(
        plan__in=published_plans(municipality), visibility=Activity.Visibility.PUBLIC
    ).only("pk")
    return (
        calendar_events(municipality)
        .prefetch_related(
            "translations",
            organisers(),
            Prefetch("goals", queryset=Goal.objects.only("pk")),
            Prefetch("activities", queryset=public_activities, to_attr="public_activities"),
        )
        .order_by("starts_at", "pk")
    )


def event_records(municipality, events) -> list[EventRecord]:
    return [
        EventRecord(
            event=event,
            item=event_item(event, "sv"),
            organisers=[unit.name for unit in event.public_organisers],
            goal_ids=[goal.pk for goal in event.goals.all()],
            activity_ids=[activity.pk for activity in event.public_activities],
            participants=event_participants(event, municipality),
        )
        for event in events
    ]
