"""The demo's återkoppling (the ``feedback`` key of demo/<name>-public.yaml):
views from the demo samråd (demo/<name>-consultations.yaml) the municipality
publishes, each matched by the samråd's title and the view's recorded text,
with its public wording in Swedish (published through
consultations.services.view_publish, with its personal-details check) and
translations."""

from __future__ import annotations

from consultations.models import View
from consultations.services import view_publish

from .services import text_save
from .translation import TextStatus


def load_feedback(*, municipality, data: dict, plan=None) -> None:
    for entry in data.get("feedback") or []:
        view = View.objects.get(
            item__consultation__municipality=municipality,
            item__consultation__title=entry["consultation"],
            text=entry["view"],
        )
        sv = entry["sv"]
        view_publish(view=view, by=None, said=sv["said"], answer=sv.get("answer", ""), confirmed_personal_data=True)
        for language, texts in entry.items():
            if language in ("consultation", "view", "sv"):
                continue
            texts = dict(texts)
            status = texts.pop("status", TextStatus.DONE)
            text_save(obj=view, municipality=municipality, language=language, texts=texts, by=None, status=status)
