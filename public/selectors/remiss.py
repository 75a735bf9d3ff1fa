"""A remiss on the public site (docs/public-site.md §2.2, docs/remiss.md).

A remiss is public when the coordinator has published it (``Remiss.published_at``,
remiss.services.remiss_publish), it has been sent (sent or closed), and the plan
version it was sent on is published (on remiss, adopted or replaced), so every goal a
comment names is on the public plan pages too.

What is shown of each body (``publishable``):

- a unit of the municipality (a public authority: its answer is a public record):
  its name, whether and when it answered, its stance, its summary and general
  comments, and every comment;
- an external organisation whose answer agrees to publication (``publish_consent``):
  the same;
- any other external organisation: only "an organisation that has not agreed to
  publication" and whether it answered. Not its name, nor its stance, nor any of its
  texts; the rows of such organisations are ordered by whether they answered, never by
  name or id, and carry no id.

Never shown: the case officer (handläggare) of any answer, e-mail addresses, the
personal links, the covering letter (it may name staff), attached files, who
recorded a handling. Texts are shown with personal identity numbers, phone numbers
and e-mail addresses replaced by markers (lib.personal_data), and so are the names of
staff, of representatives who may not be named, of every answer's case officer and of
the organisations not named (``names_pattern``), whatever the answers hold.

A comment's handling is shown once the coordinator has recorded one (beaktad,
delvis beaktad, ej beaktad); until then the page says it is not handled yet: the
comment itself is the body's public record from the day it arrived, while the
handling is the municipality's position, which exists only once recorded.

The content is the bodies' and the coordinator's Swedish text, marked ``lang="sv"``.
Three queries for the bodies, answers, comments and the names not to publish,
whatever their number (remiss.selectors.compilation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from lib.personal_data import names_pattern as personal_names_pattern
from lib.personal_data import remove_personal_details_and_names
from plans.models import Goal
from public.selectors.plan import in_swedish
from public.selectors.start import published_plans
from public.site import PublicContext
from public.texts import Shown
from remiss.models import Answer, Body, Remiss
from remiss.selectors import compilation

PUBLIC_STATUSES = (Remiss.Status.SENT, Remiss.Status.CLOSED)


def publishable(body: Body, answer: Answer | None) -> bool:
    """Whether the body's name, stance and texts may be on the public site: a unit's
    always (a public authority's answer is a public record), an external
    organisation's only when its answer agrees to publication."""
    return not body.is_external or (answer is not None and answer.publish_consent)


def published_remisses(municipality) -> QuerySet[Remiss]:
    """The municipality's remisses on the public site, newest sent first."""
    return Remiss.objects.filter(
        municipality=municipality,
        published_at__isnull=False,
        status__in=PUBLIC_STATUSES,
        plan__in=published_plans(municipality),
    ).order_by("-sent_on", "-pk")


def names_pattern(remiss: Remiss, bodies: list[Body]) -> re.Pattern | None:
    """The names no public text of the remiss may hold, as one pattern (also in the
    genitive): the municipality's staff and the representatives who have not agreed to
    be named (consultations.services.names_not_to_publish, one query), every answer's
    case officer (full and last name), and the names of the external organisations that
    have not agreed to publication."""
    from consultations.services import names_not_to_publish

    names = set(names_not_to_publish(remiss.municipality_id))
    for body in bodies:
        answer = body.answer_or_none
        officer = (answer.officer if answer is not None else "").strip()
        if officer:
            names.update([officer, officer.split()[-1]])
        if not publishable(body, answer):
            names.add(body.name.strip())
    return personal_names_pattern(names)


@dataclass
class PublicBody:
    named: bool
    name: str  # "" when not named
    is_unit: bool
    answered: bool
    stance: str = ""  # the stance's label; "" when not answered or not named
    stance_code: str = ""  # Answer.Stance; "" when not answered or not named
    late: bool = False
    answered_on: date | None = None
    dnr: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    summary: str = ""
    general_comments: str = ""

    @property
    def has_texts(self) -> bool:
        return bool(self.summary or self.general_comments)


@dataclass
class PublicComment:
    body: str  # the body's name
    text: str
    handling: str  # the handling's label, or "" while not handled
    handling_text: str
    handling_code: str = ""  # Comment.Handling; "" while not handled


@dataclass
class PublicGroup:
    label: str
    goal: Goal | None
    section: str = ""  # Comment.Section
    comments: list[PublicComment] = field(default_factory=list)


@dataclass
class RemissPage:
    remiss: Remiss
    bodies: list[PublicBody]
    groups: list[PublicGroup]
    # (where, text as shown) of each text in which something was replaced by a marker:
    # for the coordinator's confirmation page only, never on the public page.
    masked: list[tuple[str, str]] = field(default_factory=list)

    @property
    def answers(self) -> list[PublicBody]:
        """The shown answers with a summary or general comments."""
        return [b for b in self.bodies if b.named and b.answered and b.has_texts]

    @property
    def not_named(self) -> int:
        return sum(1 for b in self.bodies if not b.named)

    @property
    def not_handled(self) -> int:
        return sum(1 for g in self.groups for c in g.comments if not c.handling)

    def header_texts(self, public: PublicContext) -> list[Shown]:
        return in_swedish(public, self.remiss.title, self.remiss.plan.title)

    def body_texts(self, public: PublicContext) -> list[Shown]:
        return in_swedish(public, *[b.name for b in self.bodies if b.named])

    def answer_texts(self, public: PublicContext) -> list[Shown]:
        return in_swedish(public, *[t for b in self.answers for t in (b.name, b.summary, b.general_comments)])

    def comment_texts(self, public: PublicContext) -> list[Shown]:
        comments = [c.text for g in self.groups for c in g.comments]
        return in_swedish(public, *comments, *[g.label for g in self.groups if g.goal])


def published_remiss(public: PublicContext, pk: int) -> Remiss:
    remiss = published_remisses(public.municipality).select_related("plan").filter(pk=pk).first()
    if remiss is None:
        raise Http404
    return remiss


def remiss_page(remiss: Remiss) -> RemissPage:
    """What the public page shows of ``remiss`` (the module's rules). Three queries."""
    result = compilation(remiss)
    names = names_pattern(remiss, result.bodies)
    masked: list[tuple[str, str]] = []

    def shown(where: str, text: str) -> str:
        out = remove_personal_details_and_names(text, names)
        if out != (text or "").strip():
            masked.append((where, out))
        return out

    named: list[PublicBody] = []
    not_named: list[PublicBody] = []
    shown_bodies: set[int] = set()
    for body in result.bodies:
        answer = body.answer_or_none
        if not publishable(body, answer):
            not_named.append(PublicBody(named=False, name="", is_unit=False, answered=answer is not None))
            continue
        shown_bodies.add(body.pk)
        row = PublicBody(named=True, name=body.display_name, is_unit=not body.is_external, answered=answer is not None)
        if answer is not None:
            row.stance = str(answer.get_stance_display())
            row.stance_code = answer.stance
            row.late = answer.is_late
            row.answered_on = answer.answered_on
            row.dnr = answer.dnr
            row.decided_by = answer.decided_by
            row.decided_on = answer.decided_on
            row.summary = shown(row.name, answer.summary)
            row.general_comments = shown(row.name, answer.general_comments)
        named.append(row)
    # Not by name nor by id: those that answered first, then the others.
    not_named.sort(key=lambda b: not b.answered)
    groups = []
    for group in result.groups:
        comments = [
            PublicComment(
                body=comment.body.display_name,
                text=shown(f"{comment.body.display_name}, {group.label}", comment.text),
                handling=str(comment.get_handling_display()) if comment.handling else "",
                handling_text=shown(f"{comment.body.display_name}, {group.label}", comment.handling_text)
                if comment.handling
                else "",
                handling_code=comment.handling,
            )
            for comment in group.comments
            if comment.answer.body_id in shown_bodies
        ]
        if comments:
            groups.append(PublicGroup(label=group.label, goal=group.goal, section=group.section, comments=comments))
    return RemissPage(remiss=remiss, bodies=named + not_named, groups=groups, masked=masked)


def plan_remisses(plan) -> list[Remiss]:
    """The published remisses of one plan version, for its public page. One query."""
    return list(published_remisses(plan.municipality_id).filter(plan=plan).only("pk", "title", "sent_on", "status"))


def dataset_remisses(municipality) -> list[RemissPage]:
    """The open-data datasets' remisses (opendata "remisser" and "remissynpunkter"):
    each published remiss as its public page shows it, newest sent first. A few
    queries per remiss (remiss_page); a municipality sends a few a year."""
    return [remiss_page(remiss) for remiss in published_remisses(municipality).select_related("plan")]


def object_pages(public: PublicContext) -> list[tuple[str, int]]:
    """The walk's remiss pages: every published remiss."""
    return [("remiss", pk) for pk in published_remisses(public.municipality).values_list("pk", flat=True)]
