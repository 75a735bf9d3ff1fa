"""The start page and the plan every public page starts from."""

from __future__ import annotations

from dataclasses import dataclass

from opendata.selectors import PUBLISHED_PLAN_STATUSES
from plans.models import Plan
from public.site import PublicContext
from public.texts import Shown, shown


def published_plans(municipality):
    """The plans a resident may read: on remiss, adopted or replaced (as in the API)."""
    return Plan.objects.filter(municipality=municipality, status__in=PUBLISHED_PLAN_STATUSES)


def current_plan(municipality) -> Plan | None:
    """The plan the public pages start from: the one the coordinators chose as
    current, if published; else the adopted plan, else one on remiss."""
    plans = published_plans(municipality).prefetch_related("translations")
    chosen = plans.filter(is_current=True).first()
    if chosen is not None:
        return chosen
    return plans.exclude(status=Plan.Status.REPLACED).current_first().first()


@dataclass(frozen=True)
class StartPage:
    intro: Shown | None
    contact: Shown | None
    plan: Plan | None
    plan_summary: Shown | None

    @property
    def texts(self) -> list[Shown | None]:
        return [self.intro, self.contact, self.plan_summary]


def start_page(public: PublicContext) -> StartPage:
    plan = current_plan(public.municipality)
    return StartPage(
        intro=shown(public.site, "intro", public.language),
        contact=shown(public.site, "contact_text", public.language),
        plan=plan,
        plan_summary=shown(plan, "plain_summary", public.language) if plan else None,
    )
