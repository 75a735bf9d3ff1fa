"""The demo municipalities' public sites (demo/<name>-public.yaml): settings,
texts per language, plain summaries of the current plan and its goals. English
texts are the team's translations (status done); Romani varieties are offered
without texts, so the demo shows the honest fallback and invents nothing."""

from __future__ import annotations

from pathlib import Path

import yaml

from plans.models import Goal

from .demo_calendar import load_calendar
from .demo_feedback import load_feedback
from .demo_plan import load_plan_texts
from .demo_rights import load_rights
from .services import SITE_FIELDS, site_for, site_publish, site_update, text_save
from .translation import TextStatus


def _texts(obj, municipality, by_language: dict) -> None:
    """Swedish first: translations record the Swedish text they were made from."""
    for language in sorted(by_language, key=lambda tag: tag != "sv"):
        texts = by_language[language]
        status = texts.pop("status", TextStatus.DONE)
        text_save(obj=obj, municipality=municipality, language=language, texts=texts, by=None, status=status)


def load_demo_public(*, municipality, path: Path, plan=None) -> bool:
    """Load the site once; a second run leaves it as it is. True when loaded."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    site = site_for(municipality)
    if site.published or site.contact_email:
        return False
    settings = data.get("site", {})
    site_update(site=site, by=None, data={k: settings[k] for k in SITE_FIELDS if k in settings})
    _texts(site, municipality, data.get("texts", {}))
    if plan is not None:
        _texts(plan, municipality, data.get("plan_summary", {}))
        goals = {goal.code: goal for goal in Goal.objects.filter(plan=plan)}
        for code, texts in (data.get("goal_summaries") or {}).items():
            _texts(goals[str(code)], municipality, texts)
    for loader in EXTRA_LOADERS:
        loader(municipality=municipality, data=data, plan=plan)
    if settings.get("published"):
        site_publish(site=site, by=None)
    return True


# The other areas' demo content, each reading its own keys of the file.
EXTRA_LOADERS = [load_rights, load_calendar, load_plan_texts, load_feedback]
