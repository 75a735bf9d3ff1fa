"""The staff calendar (Samråd → Kalender): the consultations and events a
person may see, as a month grid and as a list. Access is as on their own pages
(consultations.selectors.consultations_for, events.access.visible_events): staff
see the municipality's, a representative the consultations they are invited to
and the public events. Days are Stockholm days (lib.ical.CALENDAR_TZ), so an
item at 00:30 on the night summer time begins is on its own date. Each read
takes four queries, however many items."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.access import visible_events
from lib.ical import CALENDAR_TZ
from organisations.models import Membership, OrgUnit

from .selectors import consultations_for

# How far back the list reaches (the month grid reaches any month).
LIST_MONTHS_BACK = 12


@dataclass(frozen=True)
class Item:
    kind: str  # "consultation" or "event"
    pk: int
    title: str
    kind_label: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    organisers: tuple[str, ...]

    @property
    def url(self) -> str:
        name = "consultations:detail" if self.kind == "consultation" else "events:detail"
        return reverse(name, args=[self.pk])

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, CALENDAR_TZ)

    @property
    def local_end(self) -> datetime | None:
        return timezone.localtime(self.ends_at, CALENDAR_TZ) if self.ends_at else None

    @property
    def first_day(self) -> date:
        return self.local_start.date()

    @property
    def last_day(self) -> date:
        end = self.local_end
        if end is None or end <= self.local_start:
            return self.first_day
        # An end at midnight belongs to the day before.
        return (end - timedelta(microseconds=1)).date()

    @property
    def same_day(self) -> bool:
        return self.last_day == self.first_day


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CALENDAR_TZ)


def _organisers() -> Prefetch:
    return Prefetch("organisers", queryset=OrgUnit.objects.only("pk", "short_name").order_by("short_name"))


def items_between(membership: Membership, start: datetime | None, end: datetime | None) -> list[Item]:
    """What the person may see that takes place (in part) in [start, end), in
    time order. Four queries."""
    window = Q()
    if end is not None:
        window &= Q(starts_at__lt=end)
    if start is not None:
        window &= Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start)
    consultations = consultations_for(membership).filter(window).prefetch_related(_organisers())
    events = visible_events(membership).filter(window).prefetch_related(_organisers())
    items = [
        Item("consultation", c.pk, c.title, str(c.get_form_display()), c.starts_at, c.ends_at,
             c.place or (str(_("video link")) if c.video_link else ""),
             tuple(u.short_name for u in c.organisers.all()))
        for c in consultations.distinct()
    ]  # fmt: skip
    items += [
        Item("event", e.pk, e.title, str(e.get_kind_display()), e.starts_at, e.ends_at, e.place,
             tuple(u.short_name for u in e.organisers.all()))
        for e in events
    ]  # fmt: skip
    return sorted(items, key=lambda item: (item.starts_at, item.kind, item.pk))


# --- The month grid ---------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    items: list[Item] = field(default_factory=list)


@dataclass
class Week:
    number: int  # the ISO week, as Swedish calendars number them
    days: list[Day]


@dataclass
class MonthGrid:
    first_day: date
    weeks: list[Week]
    weekdays: list[date]  # a Monday to Sunday, for the column headers

    @property
    def previous(self) -> date:
        return (self.first_day - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first_day + timedelta(days=31)).replace(day=1)

    @property
    def items(self) -> list[Item]:
        """Each item once, in time order (the list that stands in on small screens)."""
        seen: dict[tuple[str, int], Item] = {}
        for week in self.weeks:
            for day in week.days:
                for item in day.items:
                    seen.setdefault((item.kind, item.pk), item)
        return sorted(seen.values(), key=lambda item: (item.starts_at, item.kind, item.pk))


def month_grid(membership: Membership, first_day: date) -> MonthGrid:
    """The month as weeks, Monday first, each day with what takes place on it
    (an item of several days on each). Four queries."""
    first_day = first_day.replace(day=1)
    days_in_month = pycalendar.monthrange(first_day.year, first_day.month)[1]
    last_day = first_day.replace(day=days_in_month)
    items = items_between(membership, local_midnight(first_day), local_midnight(last_day + timedelta(days=1)))
    today = timezone.localdate(timezone=CALENDAR_TZ)
    start = first_day - timedelta(days=first_day.weekday())
    end = last_day + timedelta(days=6 - last_day.weekday())
    by_day: dict[date, Day] = {}
    weeks: list[Week] = []
    current = start
    while current <= end:
        days = []
        for offset in range(7):
            day = current + timedelta(days=offset)
            by_day[day] = Day(day, day.month == first_day.month, day == today)
            days.append(by_day[day])
        weeks.append(Week(current.isocalendar().week, days))
        current += timedelta(days=7)
    for item in items:
        day = max(item.first_day, first_day)
        while day <= min(item.last_day, last_day):
            by_day[day].items.append(item)
            day += timedelta(days=1)
    return MonthGrid(first_day, weeks, [start + timedelta(days=n) for n in range(7)])


# --- The list ------------------------------------------------------------------------------


@dataclass
class ListMonth:
    first_day: date
    items: list[Item]


@dataclass
class CalendarList:
    upcoming: list[Item]
    past: list[ListMonth]  # newest month first
    since: date


def calendar_list(membership: Membership) -> CalendarList:
    """What is coming (not over yet), then what took place since the first of
    the month a year ago, by month, newest first. Four queries."""
    now = timezone.now()
    today = timezone.localdate(timezone=CALENDAR_TZ)
    months_back = today.year * 12 + today.month - 1 - LIST_MONTHS_BACK
    since = date(months_back // 12, months_back % 12 + 1, 1)
    upcoming, past = [], []
    for item in items_between(membership, local_midnight(since), None):
        # Over: ended, or (without an end) started before today.
        over = item.ends_at < now if item.ends_at else item.first_day < today
        (past if over else upcoming).append(item)
    months: list[ListMonth] = []
    for item in sorted(past, key=lambda item: (item.starts_at, item.kind, item.pk), reverse=True):
        first = item.first_day.replace(day=1)
        if not months or months[-1].first_day != first:
            months.append(ListMonth(first, []))
        months[-1].items.append(item)
    for month in months:
        month.items.reverse()  # in time order within the month
    return CalendarList(upcoming, months, since)
