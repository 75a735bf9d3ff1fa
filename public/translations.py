"""The translation workflow: which public texts exist in Swedish, and how far
each is translated into each language the municipality offers
(docs/public-site.md §1.4, §1.5).

Everything here works on a neutral list of *units*: one per object × field ×
language, with a stable key (``goal:123:plain_summary``), where the text
appears, the Swedish text and its digest, the current translation and its
state. The staff page counts and lists units, the edit page edits one, and the
XLSX file is one row per unit; an XLIFF file could be written from the same
units later.

A unit's state is the language row's status when the field has a text in that
language, else "missing". A translation made from an older Swedish text is
counted as being translated (the public page shows Swedish for it) and marked
outdated; the language's own name and fallback note have no Swedish text and
are never outdated. The status belongs to the row, so the texts of one object
in one language (an activity's title and description) share it, and a file
gives all lines of one object the same status.

Texts are written only through public.services.text_save / text_review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity
from consultations.models import View
from events.models import Event
from lib.languages import BY_TAG, SWEDISH, UI_LANGUAGES
from lib.locking import StaleEdit
from lib.xlsx import Sheet, XlsxInvalid, cell_text, read_rows, write_workbook
from opendata.selectors import PUBLISHED_PLAN_STATUSES
from plans.models import Goal, Plan

from .models import PublicSite, RightsSection
from .services import PersonalDetails, SourceChanged, text_save, translation_model
from .texts import fallback_note, has_source, made_from_today, swedish_digest, text_fields
from .translation import SHOWN_STATUSES, TextStatus

MISSING = "saknas"
# The states of a unit, in the order the page shows them.
STATES = [
    (MISSING, gettext_lazy("missing")),
    (TextStatus.IN_TRANSLATION.value, TextStatus.IN_TRANSLATION.label),
    (TextStatus.DONE.value, TextStatus.DONE.label),
    (TextStatus.REVIEWED.value, TextStatus.REVIEWED.label),
]
STATE_LABELS = dict(STATES)
# What the Översättningar page lists as work to do.
TO_DO = (MISSING, TextStatus.IN_TRANSLATION.value)

# The kinds of text: key prefix → label (plural, for the counts).
KINDS = {
    "site": gettext_lazy("Public site"),
    "rights": gettext_lazy("Rights information"),
    "plan": gettext_lazy("Plans"),
    "goal": gettext_lazy("Goals"),
    "activity": gettext_lazy("Activities"),
    "event": gettext_lazy("Events"),
    "view": gettext_lazy("Feedback (återkoppling)"),
}


def clean(text: Any) -> str:
    """A text as stored: Unix line breaks, no surrounding blanks."""
    return ("" if text is None else str(text)).replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class Unit:
    """One text of one object in one language."""

    key: str
    kind: str
    obj: Any
    field: str
    where: str
    swedish: str
    digest: str  # of the object's Swedish texts: what a translation is made from
    text: str  # the current translation, "" when missing
    state: str  # MISSING or a TextStatus value
    outdated: bool  # a translation of an older Swedish text
    version: int  # the language row's version, 0 when there is no row
    row_status: str  # the language row's status (shared by the object's texts), "" when there is no row
    author_id: int | None
    max_length: int | None
    sourced: bool = True  # made from a Swedish text (not the language's own name or note)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def staff_url(self) -> str:
        """The object's own staff page, where its Swedish text is written."""
        names = {
            "site": ("public_staff:site_texts", None),
            "rights": ("public_staff:rights_edit", self.obj.pk),
            "plan": ("plans:detail", self.obj.pk),
            "goal": ("plans:goal", self.obj.pk),
            "activity": ("activities:detail", self.obj.pk),
            "event": ("events:detail", self.obj.pk),
            "view": ("consultations:detail", getattr(getattr(self.obj, "item", None), "consultation_id", None)),
        }
        if self.kind not in names:
            return ""
        name, pk = names[self.kind]
        try:
            return reverse(name, args=[] if pk is None else [pk])
        except NoReverseMatch:
            return ""

    @property
    def shares_status_with(self) -> list[str]:
        """The other texts of the object whose status this one's row also sets."""
        model = translation_model(self.obj)
        return [str(model._meta.get_field(name).verbose_name) for name in text_fields(self.obj) if name != self.field]


@dataclass(frozen=True)
class Scope:
    """Whose texts a person manages: a coordinator all of them, a unit contact
    the public activities of their units and the public events their units
    organise."""

    everything: bool
    unit_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, membership) -> Scope:
        if membership.is_coordinator:
            return cls(everything=True)
        if membership.is_contact:
            return cls(everything=False, unit_ids=membership.unit_ids)
        return cls(everything=False)

    def manages(self, kind: str, obj) -> bool:
        if self.everything:
            return True
        if kind == "activity":
            return obj.owner_id in self.unit_ids
        if kind == "event":
            return any(unit.pk in self.unit_ids for unit in obj.organisers.all())
        return False


EVERYTHING = Scope(everything=True)


def parse_key(key: str) -> tuple[str, int, str] | None:
    parts = (key or "").strip().split(":")
    if len(parts) != 3 or parts[0] not in KINDS or not parts[1].isascii() or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


# --- The public objects -------------------------------------------------------------------


def _querysets(municipality, scope: Scope) -> dict[str, Any]:
    """Every public object of the municipality with texts, by kind, in the scope:
    the site; rights sections; published plans and their goals; public
    activities of published plans; public events; published views."""
    qs = {
        "site": PublicSite.objects.filter(municipality=municipality),
        "rights": RightsSection.objects.filter(municipality=municipality),
        "plan": Plan.objects.filter(municipality=municipality, status__in=PUBLISHED_PLAN_STATUSES).order_by(
            "-valid_from", "pk"
        ),
        "goal": Goal.objects.filter(
            plan__municipality=municipality, plan__status__in=PUBLISHED_PLAN_STATUSES
        ).select_related("plan"),
        "activity": Activity.objects.filter(
            municipality=municipality,
            visibility=Activity.Visibility.PUBLIC,
            plan__status__in=PUBLISHED_PLAN_STATUSES,
        ).select_related("municipality"),
        "event": Event.objects.filter(municipality=municipality, is_public=True).prefetch_related("organisers"),
        "view": View.objects.filter(item__consultation__municipality=municipality, public=True)
        .select_related("item__consultation")
        .order_by("item__consultation__starts_at", "item__position", "pk"),
    }
    if not scope.everything:
        qs = {kind: q.none() for kind, q in qs.items() if kind not in ("activity", "event")} | {
            "activity": qs["activity"].filter(owner_id__in=scope.unit_ids),
            "event": qs["event"].filter(pk__in=Event.objects.filter(organisers__in=scope.unit_ids).values("pk")),
        }
    return {kind: q.prefetch_related("translations") for kind, q in qs.items()}


def public_objects(municipality, scope: Scope = EVERYTHING, *, only: tuple[str, int] | None = None) -> list:
    """(kind, object) for every public object with texts, in a fixed number of
    queries; ``only`` = (kind, pk) for one object."""
    out = []
    for kind, qs in _querysets(municipality, scope).items():
        if only is not None:
            if kind != only[0]:
                continue
            qs = qs.filter(pk=only[1])
        out += [(kind, obj) for obj in qs]
    return out


def _label(kind: str, obj, sv_row) -> str:
    if kind == "site":
        return _("The public site")
    if kind == "rights":
        heading = clean(getattr(sv_row, "heading", ""))
        return _("Rights information: %(heading)s") % {"heading": heading or obj.position}
    if kind == "plan":
        return _("Plan: %(title)s") % {"title": obj.title}
    if kind == "goal":
        return _("Goal %(code)s %(title)s (%(plan)s)") % {"code": obj.code, "title": obj.title, "plan": obj.plan.title}
    if kind == "activity":
        return _("Activity %(reference)s %(title)s") % {"reference": obj.reference, "title": obj.title}
    if kind == "event":
        return _("Event %(date)s %(title)s") % {"date": localtime(obj.starts_at).date().isoformat(), "title": obj.title}
    consultation = obj.item.consultation
    return _("Feedback from the consultation %(title)s, %(date)s") % {
        "title": consultation.title,
        "date": date_format(localtime(consultation.starts_at).date(), "Y-m-d"),
    }


def _swedish_of_own_language_field(field: str, language: str) -> str:
    """What a language's own name and fallback note say in Swedish."""
    if field == "language_name":
        return BY_TAG[language].swedish_name()
    return fallback_note(None, language).text


def _wanted(field: str, language: str) -> bool:
    """The language's own name is needed where the registry has none; the note
    where the page frame has no catalogue in the language."""
    if field == "language_name":
        return not BY_TAG[language].own_name
    return language not in UI_LANGUAGES


def units_of(objects: Iterable[tuple[str, Any]], language: str) -> list[Unit]:
    """The units of ``objects`` (prefetched) in ``language``: every field with a
    Swedish text."""
    out = []
    for kind, obj in objects:
        rows = {row.language_code: row for row in obj.translations.all()}
        sv, row = rows.get(SWEDISH), rows.get(language)
        digest = swedish_digest(obj, rows)
        label = _label(kind, obj, sv)
        model = translation_model(obj)
        for field in text_fields(obj):
            sourced = has_source(obj, field)
            if not sourced:
                if not _wanted(field, language):
                    continue
                swedish = _swedish_of_own_language_field(field, language)
            else:
                swedish = clean(getattr(sv, field, "") if sv else "")
            if not swedish:
                continue
            text = clean(getattr(row, field, "") if row else "")
            # The own name and note have no Swedish source: never outdated.
            outdated = bool(text) and sourced and not made_from_today(obj, row, field, rows)
            if not text:
                state = MISSING
            elif sourced and row.text_status in SHOWN_STATUSES and outdated:
                state = TextStatus.IN_TRANSLATION.value  # the page shows Swedish for it
            else:
                state = row.text_status
            model_field = model._meta.get_field(field)
            out.append(
                Unit(
                    key=f"{kind}:{obj.pk}:{field}",
                    kind=kind,
                    obj=obj,
                    field=field,
                    where=f"{label} – {capfirst(model_field.verbose_name)}",
                    swedish=swedish,
                    digest=digest,
                    text=text,
                    state=state,
                    outdated=outdated,
                    version=row.text_version if row else 0,
                    row_status=row.text_status if row else "",
                    author_id=row.text_author_id if row else None,
                    max_length=getattr(model_field, "max_length", None),
                    sourced=sourced,
                )
            )
    return out


def find_unit(municipality, language: str, key: str) -> Unit | None:
    """The unit ``key`` names in ``language``, if it is one of the
    municipality's public texts (None for an unknown key or another
    municipality's object)."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    kind, pk, field = parsed
    for unit in units_of(public_objects(municipality, only=(kind, pk)), language):
        if unit.field == field:
            return unit
    return None


# --- Counts for the staff page ------------------------------------------------------------


@dataclass
class KindCounts:
    kind: str
    label: str
    counts: list[int]  # in the order of STATES
    total: int


@dataclass
class LanguageOverview:
    tag: str
    slug: str
    name: str
    rows: list[KindCounts]
    totals: list[int]
    total: int
    to_do: list[Unit]
    to_review: list[Unit]


def overview(objects: list, languages: Iterable[str]) -> list[LanguageOverview]:
    """Per language: counts per kind and state, the texts to write and the texts
    waiting for a review. ``objects``: public_objects()."""
    out = []
    for tag in languages:
        units = units_of(objects, tag)
        counter = Counter((unit.kind, unit.state) for unit in units)
        rows = []
        for kind, label in KINDS.items():
            counts = [counter[(kind, state)] for state, _label in STATES]
            if sum(counts):
                rows.append(KindCounts(kind=kind, label=str(label), counts=counts, total=sum(counts)))
        totals = [sum(row.counts[i] for row in rows) for i in range(len(STATES))]
        language = BY_TAG[tag]
        out.append(
            LanguageOverview(
                tag=tag,
                slug=language.slug,
                name=str(language.name),
                rows=rows,
                totals=totals,
                total=sum(totals),
                to_do=[unit for unit in units if unit.state in TO_DO],
                to_review=[unit for unit in units if unit.state == TextStatus.DONE],
            )
        )
    return out


# --- The XLSX file ------------------------------------------------------------------------
# Headers and values are Swedish whatever the user's language, so a file travels
# between people (as the activity spreadsheet's).

KEY = "Nyckel"
WHERE = "Var texten visas"
SWEDISH_TEXT = "Svensk text"
DIGEST = "Kontrollsumma (ändra inte)"
# The status is the object's in the language (one row holds e.g. an activity's
# title and description): the header says so, and the lines of one object must agree.
STATUS = "Status (gäller objektets alla texter)"
# The object's status when the file was exported: a status changed in Inkludera
# meanwhile is noticed (the "current translation" column does the same for the text).
EXPORTED_STATUS = "Status vid export (ändra inte)"


def current_column(language: str) -> str:
    return f"Nuvarande översättning ({language})"


def new_column(language: str) -> str:
    return f"Ny översättning ({language})"


def header(language: str) -> list[str]:
    return [KEY, WHERE, SWEDISH_TEXT, DIGEST, current_column(language), new_column(language), STATUS, EXPORTED_STATUS]


WIDTHS = [24, 40, 60, 18, 60, 60, 24, 20]
EDITABLE = (5, 6)  # the new translation and the status; the rest is locked


def _status_text(state: str) -> str:
    """A status as the file writes it: its Swedish label, empty when missing (no text or no row)."""
    if state in (MISSING, ""):
        return ""
    with translation.override(SWEDISH):
        return str(TextStatus(state).label)


def export_units(units: list[Unit], language: str) -> bytes:
    """The units as an .xlsx file, texts to write first."""
    order = {MISSING: 0, TextStatus.IN_TRANSLATION.value: 1}
    rows = [
        [
            unit.key,
            unit.where,
            unit.swedish,
            unit.digest,
            unit.text,
            "",
            _status_text(unit.state),
            _status_text(unit.row_status),
        ]
        for unit in sorted(units, key=lambda unit: order.get(unit.state, 2))
    ]
    title = BY_TAG[language].slug or language
    return write_workbook([Sheet(title=title, header=header(language), rows=rows, widths=WIDTHS, editable=EDITABLE)])


def export_file(municipality, scope: Scope, language: str) -> bytes:
    with translation.override(SWEDISH):
        return export_units(units_of(public_objects(municipality, scope), language), language)


@dataclass
class ImportSummary:
    done: int = 0  # saved as done
    in_translation: int = 0  # saved as being translated
    unchanged: int = 0
    skipped: int = 0  # rows without a new translation


@dataclass
class _Line:
    line: int
    unit: Unit
    text: str
    status: str


def _status(value: Any) -> str | None:
    """The status a line asks for: done when empty; None when not allowed."""
    text = " ".join(cell_text(value).lower().replace("_", " ").split())
    if text in ("", "klar"):
        return TextStatus.DONE.value
    if text in ("under översättning", "under oversattning"):
        return TextStatus.IN_TRANSLATION.value
    return None


def _shown_by(value: Any) -> bool | None:
    """Whether a line's status puts the object's texts on the public pages
    (klar, empty or granskad, as exported for a reviewed text) or not (under
    översättning); None for a status not allowed."""
    if " ".join(cell_text(value).lower().split()) == "granskad":
        return True
    status = _status(value)
    return None if status is None else status == TextStatus.DONE


def import_file(data: bytes, *, municipality, language: str, scope: Scope, by) -> ImportSummary:
    """Read a translator's file and save every new translation in it, all or
    nothing. Raises XlsxInvalid with every line's error (in Swedish)."""
    with translation.override(SWEDISH), transaction.atomic():
        rows = read_rows(data, header=header(language), max_rows=settings.XLSX_MAX_ROWS)
        objects = public_objects(municipality)
        units = {unit.key: unit for unit in units_of(objects, language)}
        new, current = new_column(language), current_column(language)
        summary = ImportSummary()
        errors: list[str] = []
        lines: list[_Line] = []
        seen: dict[str, int] = {}
        # Per object (one row in the language): its lines with a text and whether each
        # asks for the texts to be shown. One status serves all of them.
        statuses: dict[tuple[str, int], list[tuple[int, bool]]] = {}

        def err(line: int, column: str, message: str, out: list = errors) -> None:
            out.append(
                _("Row %(line)d, column ”%(column)s”: %(message)s")
                % {"line": line, "column": column, "message": message}
            )

        for row in rows:
            v = row.values
            key = cell_text(v[KEY])
            unit = units.get(key)
            text = clean(cell_text(v[new]) if not isinstance(v[new], str) else v[new])
            if not text:
                summary.skipped += 1
                # Left as it is, but a text it holds shares the status of the object's other lines.
                shown = _shown_by(v[STATUS])
                if unit is not None and scope.manages(unit.kind, unit.obj) and clean(v[current]) and shown is not None:
                    statuses.setdefault((unit.kind, unit.obj.pk), []).append((row.line, shown))
                continue
            line_errors: list[str] = []
            if unit is None:
                err(row.line, KEY, _("unknown key %(key)s.") % {"key": key or "–"}, line_errors)
            elif not scope.manages(unit.kind, unit.obj):
                err(row.line, KEY, _("%(key)s is not among the texts you manage.") % {"key": key}, line_errors)
            elif key in seen:
                err(
                    row.line,
                    KEY,
                    _("%(key)s is also on row %(other)d.") % {"key": key, "other": seen[key]},
                    line_errors,
                )
            seen.setdefault(key, row.line)
            status = _status(v[STATUS])
            if status is None:
                err(
                    row.line,
                    STATUS,
                    _("the status “%(value)s” is not allowed; write klar or under översättning.")
                    % {"value": cell_text(v[STATUS])},
                    line_errors,
                )
            if unit is not None and not line_errors:
                statuses.setdefault((unit.kind, unit.obj.pk), []).append((row.line, status == TextStatus.DONE))
                changed_since = _("the translation was changed in Inkludera after the file was exported; export again.")
                # The own name and note have no Swedish text, so a Swedish change does not concern them.
                if unit.sourced and cell_text(v[DIGEST]) != unit.digest:
                    err(
                        row.line,
                        DIGEST,
                        _("the Swedish text has changed since the file was exported; export again."),
                        line_errors,
                    )
                elif clean(v[current]) != unit.text:
                    err(row.line, current, changed_since, line_errors)
                elif cell_text(v[EXPORTED_STATUS]) != _status_text(unit.row_status):
                    err(row.line, EXPORTED_STATUS, changed_since, line_errors)
                if unit.max_length and len(text) > unit.max_length:
                    err(row.line, new, _("at most %(max)d characters (it has %(length)d).") % {
                        "max": unit.max_length, "length": len(text),
                    }, line_errors)  # fmt: skip
            errors += line_errors
            if not line_errors:
                lines.append(_Line(line=row.line, unit=unit, text=text, status=status))
        # A "klar" line must not publish another line's draft of the same object, nor an
        # "under översättning" line take the object's other texts off the pages.
        for object_lines in statuses.values():
            if len({shown for _line, shown in object_lines}) > 1:
                others = ", ".join(str(line) for line, _shown in object_lines)
                for line, _shown in object_lines:
                    err(
                        line,
                        STATUS,
                        _(
                            "the status applies to all texts of the object in this language, and its rows "
                            "(%(lines)s) give different statuses; give them the same status."
                        )
                        % {"lines": others},
                    )
        if errors:
            raise XlsxInvalid(errors)

        # Save. The versions read above guard against an edit made meanwhile; two
        # texts of one object share a row, whose version each save moves on. A
        # reviewed text saved unchanged stays reviewed (text_save).
        versions: dict[tuple[str, int], int] = {}
        for item in lines:
            unit = item.unit
            if item.text == unit.text and item.status == unit.state and not unit.outdated:
                summary.unchanged += 1
                continue
            row_key = (unit.kind, unit.obj.pk)
            version = versions.get(row_key, unit.version)
            try:
                saved = text_save(
                    obj=unit.obj,
                    municipality=municipality,
                    language=language,
                    texts={unit.field: item.text},
                    by=by,
                    status=item.status,
                    version=version,
                    source_digest=unit.digest,
                )
            except StaleEdit:
                errors.append(
                    _("Row %(line)d: the translation was changed by someone else during the import; export again.")
                    % {"line": item.line}
                )
                continue
            except PersonalDetails as exc:
                errors.append(_("Row %(line)d: %(problem)s") % {"line": item.line, "problem": " ".join(exc.messages)})
                continue
            except SourceChanged:
                errors.append(
                    _("Row %(line)d: the Swedish text has changed since the file was exported; export again.")
                    % {"line": item.line}
                )
                continue
            except ValidationError as exc:
                errors.append(_("Row %(line)d: %(problem)s") % {"line": item.line, "problem": " ".join(exc.messages)})
                continue
            versions[row_key] = saved.text_version
            if saved.text_version == version:
                summary.unchanged += 1  # nothing to save (a reviewed text, unchanged, stays reviewed)
            elif item.status == TextStatus.IN_TRANSLATION:
                summary.in_translation += 1
            else:
                summary.done += 1
        if errors:
            raise XlsxInvalid(errors)  # leaves the transaction: nothing is saved
        if not lines and not summary.skipped:
            raise XlsxInvalid([_("The file has no texts.")])
        return summary
