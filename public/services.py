"""Writing public texts and the public site. Every write is audited in its
transaction, as everywhere else.

Texts (docs/public-site.md §1.4):
- Swedish is the source. When a Swedish text changes, every translation marked
  done or reviewed goes back to "being translated", so the page shows Swedish
  again instead of an outdated translation; a correction that does not change
  the meaning (``correction=True``) keeps them and moves their digest along.
- A translation records the digest of the Swedish texts it was made from.
- A review is made by someone other than the one who last wrote the text.
- Each language's row has its own version (optimistic locking), so two people
  can work on two languages of the same object at once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff
from lib.languages import BY_TAG, SWEDISH
from lib.locking import StaleEdit, claim_version

from .models import PublicSite
from .texts import digest_of_swedish, field_digest, has_source, swedish_digest, text_fields
from .translation import SHOWN_STATUSES, TextStatus


class SourceChanged(ValidationError):
    """A translation of a Swedish text that has changed since it was made."""


class PersonalDetails(ValidationError):
    """A public text that looks like it holds personal details (the message says what)."""


def personal_details_problems(obj, municipality, texts: dict[str, str]) -> list[str]:
    """What in public texts looks like personal details, in any language: for
    the public wording of a view everything the minutes' check looks for
    (identity numbers, phone numbers, e-mail addresses, names); for every other
    public text the names of people who may not be named (representatives
    without consent, staff), as a contact is a functional mailbox and texts are
    signed by the unit."""
    from consultations.models import View
    from consultations.services import names_not_to_publish, personal_details_in

    joined = "\n".join(text for text in texts.values() if text)
    if not joined.strip():
        return []
    return personal_details_in(
        joined, names=names_not_to_publish(municipality.pk), names_only=not isinstance(obj, View)
    )


def translation_model(obj):
    return obj._parler_meta.root_model


def _row(obj, language: str, *, lock: bool = True):
    rows = translation_model(obj).objects.filter(master=obj, language_code=language)
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def _current_sv_digest(obj) -> str:
    return swedish_digest(obj, {SWEDISH: _row(obj, SWEDISH, lock=False)})


@transaction.atomic
def text_save(
    *,
    obj,
    municipality,
    language: str,
    texts: dict[str, str],
    by,
    status: str = TextStatus.DONE,
    version: int | None = None,
    correction: bool = False,
    source_digest: str | None = None,
):
    """Write ``texts`` (field → text; fields left out keep their text) of
    ``obj`` in ``language``. ``version`` is the row version the editor opened
    (None: no check; 0: the editor saw no row). ``source_digest`` is the digest
    of the Swedish text a translation was made from (an imported file's); by
    default today's. Raises StaleEdit, PersonalDetails (a ValidationError) for a text that
    looks like it holds personal details, or ValidationError for a translation of
    a Swedish text that changed since. Returns the row.

    ``status`` is done or being translated: "reviewed" is set only by
    text_review. A reviewed translation saved with its texts unchanged (and
    still made from today's Swedish text) stays reviewed; asking for "reviewed"
    is accepted only then, and refused otherwise.

    The language's own name and fallback note have no Swedish source: a save
    of only those neither checks ``source_digest`` nor moves the row's digest,
    so it does not pass off the row's other, outdated texts as current."""
    if language not in BY_TAG:
        raise ValidationError(_("Unknown language."))
    fields = text_fields(obj)
    unknown = set(texts) - set(fields)
    if unknown:
        raise ValueError(f"not public text fields: {sorted(unknown)}")
    if status not in TextStatus.values:
        raise ValidationError(_("Unknown translation status."))
    model = translation_model(obj)
    row = _row(obj, language)
    if version is not None and (row.text_version if row else 0) != version:
        raise StaleEdit
    before = {field: getattr(row, field, "") if row else "" for field in fields}
    before_status = row.text_status if row else ""
    after = {**before, **{field: (value or "").strip() for field, value in texts.items()}}
    now = timezone.now()
    if language == SWEDISH:
        status = TextStatus.DONE
        new_digest = digest_of_swedish(obj, after)
    else:
        current = _current_sv_digest(obj)
        sourced = any(has_source(obj, field) for field in texts)
        if sourced and source_digest is not None and source_digest != current:
            raise SourceChanged(_("The Swedish text has changed since this translation was made."))
        # Only the own name or note: nothing in it is made from the Swedish text.
        new_digest = current if sourced or row is None else row.text_digest
        stays_reviewed = before_status == TextStatus.REVIEWED and before == after and row.text_digest == new_digest
        if stays_reviewed and status == TextStatus.DONE:
            status = TextStatus.REVIEWED.value  # the reviewed text, saved unchanged, stays reviewed
        elif status == TextStatus.REVIEWED and not stays_reviewed:
            raise ValidationError(_("A translation is marked reviewed only by a review, by someone else."))
    changed = {field: value for field, value in after.items() if value != before[field]}
    if found := personal_details_problems(obj, municipality, changed):
        raise PersonalDetails(_("The text seems to contain personal details: %(found)s.") % {"found": "; ".join(found)})
    if row is None:
        row = model(master=obj, language_code=language, text_version=0)
    if before == after and before_status == status and row.pk and row.text_digest == new_digest:
        return row
    old_digest = row.text_digest
    for field, value in after.items():
        setattr(row, field, value)
    row.text_status = status
    row.text_digest = new_digest
    if language != SWEDISH:
        # Each text saved here is made from today's Swedish text of its field.
        sv_row = _row(obj, SWEDISH, lock=False)
        row.text_sources = {
            **(row.text_sources or {}),
            **{
                field: field_digest(field, getattr(sv_row, field, "") if sv_row else "")
                for field in texts
                if has_source(obj, field)
            },
        }
    row.text_version = (row.text_version or 0) + 1
    row.text_updated_at = now
    row.text_author = by
    row.save()
    changes = {f"{field} [{language}]": pair for field, pair in diff(before, after).items()}
    if before_status != status and language != SWEDISH:
        changes[f"status [{language}]"] = [before_status, status]
    if language == SWEDISH and correction:
        _move_sources(obj, before, after)
    if language == SWEDISH and digest_of_swedish(obj, before) != new_digest:
        _swedish_changed(
            obj,
            municipality=municipality,
            by=by,
            old_digest=old_digest,
            new_digest=new_digest,
            correction=correction,
            changes=changes,
        )
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        changes=changes,
    )
    return row


def _move_sources(obj, before: dict, after: dict) -> None:
    """After a correction of Swedish texts: translations made from the text
    before it are made from the corrected one."""
    moved = {
        field: (field_digest(field, before[field]), field_digest(field, after[field]))
        for field in before
        if before[field] != after[field]
    }
    for row in translation_model(obj).objects.filter(master=obj).exclude(language_code=SWEDISH):
        sources = dict(row.text_sources or {})
        for field, (old, new) in moved.items():
            if sources.get(field) == old:
                sources[field] = new
        if sources != (row.text_sources or {}):
            row.text_sources = sources
            row.save(update_fields=["text_sources"])


def _swedish_changed(obj, *, municipality, by, old_digest, new_digest, correction, changes) -> None:
    """After a Swedish text changed: translations made from the old text go back
    to being translated, or, for a correction, move their digest along.

    A row that also holds the language's own name or fallback note keeps its
    status: those texts have no Swedish source and stay on the pages, while its
    translations of the old Swedish text are hidden all the same (their digest
    no longer matches: public.texts.made_from_today) and counted as being
    translated on the Översättningar page."""
    others = translation_model(obj).objects.filter(master=obj).exclude(language_code=SWEDISH)
    if correction:
        others.filter(text_digest=old_digest).update(text_digest=new_digest)
        changes["translations"] = ["", _("kept: a correction that does not change the meaning")]
        return

    def written(row, sourced: bool) -> bool:
        return any((getattr(row, f) or "").strip() for f in text_fields(obj) if has_source(obj, f) == sourced)

    shown = others.filter(text_status__in=SHOWN_STATUSES)
    reset = [row.language_code for row in shown if written(row, True) and not written(row, False)]
    if reset:
        others.filter(language_code__in=reset).update(
            text_status=TextStatus.IN_TRANSLATION, text_version=F("text_version") + 1
        )
        changes["translations"] = [", ".join(reset), _("back to being translated: the Swedish text changed")]


@transaction.atomic
def text_review(*, obj, municipality, language: str, by, version: int | None = None):
    """Mark a done translation as reviewed: by someone other than its author."""
    row = _row(obj, language)
    if row is None or language == SWEDISH or row.text_status != TextStatus.DONE:
        raise ValidationError(_("Only a translation marked done can be reviewed."))
    if version is not None and row.text_version != version:
        raise StaleEdit
    if row.text_author_id is not None and row.text_author_id == getattr(by, "pk", None):
        raise PermissionDenied(_("A translation is reviewed by someone other than the one who wrote it."))
    if row.text_digest != swedish_digest(obj, {r.language_code: r for r in obj.translations.all()}):
        raise SourceChanged(_("The Swedish text has changed since this translation was made."))
    row.text_status = TextStatus.REVIEWED
    row.text_version += 1
    row.text_updated_at = timezone.now()
    row.save(update_fields=["text_status", "text_version", "text_updated_at"])
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        changes={f"status [{language}]": [TextStatus.DONE.label, TextStatus.REVIEWED.label]},
    )
    return row


def site_for(municipality) -> PublicSite:
    """The municipality's public site (made, unpublished, on first use)."""
    site, _created = PublicSite.objects.get_or_create(municipality=municipality)
    return site


SITE_FIELDS = (
    "contact_email",
    "languages",
    "compliance",
    "assessed_on",
    "assessment_method",
    "statement_updated_on",
    "data_controller",
    "dpo_email",
)


def _site_snapshot(site: PublicSite) -> dict:
    return {field: getattr(site, field) for field in SITE_FIELDS}


@transaction.atomic
def site_update(*, site: PublicSite, by, data: dict, version: int | None = None) -> PublicSite:
    """Change the site's settings (SITE_FIELDS). A published site keeps what it
    needs to stay published."""
    before = _site_snapshot(site)
    for field, value in data.items():
        if field not in SITE_FIELDS:
            raise ValueError(f"not a site field: {field}")
        setattr(site, field, value)
    site.full_clean(exclude=["municipality"])
    if site.published and (missing := site.missing_for_publishing()):
        raise ValidationError(
            _("A published site needs %(missing)s. Unpublish it first.") % {"missing": ", ".join(missing)}
        )
    claim_version(site, version)
    site.save()
    audit_record(
        municipality=site.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=site,
        changes=diff(before, _site_snapshot(site)),
    )
    return site


@transaction.atomic
def site_publish(*, site: PublicSite, by, published: bool = True) -> PublicSite:
    """Publish (or unpublish) the municipality's public pages. Publishing needs the
    contact mailbox and the accessibility statement's and privacy notice's parts
    (DOS-lagen)."""
    site = PublicSite.objects.select_for_update().get(pk=site.pk)
    if published and (missing := site.missing_for_publishing()):
        raise ValidationError(_("Fill in %(missing)s before publishing.") % {"missing": ", ".join(missing)})
    if site.published == published:
        return site
    site.published = published
    if published and site.published_at is None:
        site.published_at = timezone.now()
    site.version += 1
    site.save(update_fields=["published", "published_at", "version"])
    audit_record(
        municipality=site.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=site,
        changes={"published": [not published, published]},
    )
    return site


# --- Rights information (docs/public-site.md §2.2) -----------------------------------


def _rights_texts(section) -> dict:
    sv = _row(section, SWEDISH, lock=False)
    return {"heading": sv.heading if sv else "", "text": sv.text if sv else ""}


@transaction.atomic
def rights_section_create(*, municipality, by, heading: str, text: str):
    """A new section of the rights information, last, with its Swedish texts."""
    from django.db.models import Max

    from .models import RightsSection

    last = RightsSection.objects.filter(municipality=municipality).aggregate(last=Max("position"))["last"]
    section = RightsSection.objects.create(municipality=municipality, position=(last or 0) + 1)
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=section,
        changes={"position": [None, section.position]},
    )
    text_save(obj=section, municipality=municipality, language=SWEDISH, texts={"heading": heading, "text": text}, by=by)
    return section


@transaction.atomic
def rights_section_move(*, section, by, up: bool) -> None:
    """Move a section one place up or down (it swaps places with its neighbour)."""
    from .models import RightsSection

    sections = list(
        RightsSection.objects.select_for_update().filter(municipality=section.municipality).order_by("position", "pk")
    )
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(sections):
        return
    sections[index], sections[other] = sections[other], sections[index]
    for position, moved in enumerate(sections, start=1):
        if moved.position != position:
            before = moved.position
            moved.position = position
            moved.version += 1
            moved.save(update_fields=["position", "version"])
            audit_record(
                municipality=section.municipality,
                actor=by,
                action=AuditEvent.Action.UPDATE,
                obj=moved,
                changes={"position": [before, position]},
            )


@transaction.atomic
def rights_section_delete(*, section, by) -> None:
    audit_record(
        municipality=section.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=section,
        changes={f"{field} [sv]": [value, None] for field, value in _rights_texts(section).items() if value},
    )
    section.delete()
