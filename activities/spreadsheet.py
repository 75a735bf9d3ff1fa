"""The activity spreadsheet: one format for export and import.

Export → edit in Excel → import updates the rows that carry a reference and
adds the rows without one. The import validates every row first and saves
nothing if any row is wrong; errors name the row and the column in Swedish.
Headers and values are Swedish whatever the user's language, so a file
travels between people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from lib.xlsx import Row, Sheet, XlsxInvalid, cell_text, read_rows, split_list, write_workbook
from organisations.models import Membership, OrgUnit
from plans.models import Goal, Plan
from plans.selectors import sort_in_tree_order

from .forms import UnitRules, activity_field_errors, activity_rule_errors
from .models import Activity, Funding, Method, PartnerKind, TargetGroup

REF = "Referens"
TITLE = "Titel"
DESCRIPTION = "Beskrivning"
GOALS = "Mål"
OWNER = "Ansvarig enhet"
ROLE = "Ansvarig funktion"
MANDATE = "Mandat"
CO_UNITS = "Samverkande enheter"
PARTNERS = "Partner i civilsamhället"
PARTNER_KINDS = "Typ av partner"
TARGET_GROUPS = "Målgrupper"
METHODS = "Metoder"
STATUS = "Status"
START = "Startdatum"
END = "Slutdatum"
ONGOING = "Löpande"
BUDGET = "Budget (kr)"
FUNDING = "Finansiering"
FUNDING_ENDS = "Finansiering t.o.m."
VISIBILITY = "Synlighet"

HEADER = [
    REF, TITLE, DESCRIPTION, GOALS, OWNER, ROLE, MANDATE, CO_UNITS, PARTNERS, PARTNER_KINDS,
    TARGET_GROUPS, METHODS, STATUS, START, END, ONGOING, BUDGET, FUNDING, FUNDING_ENDS, VISIBILITY,
]  # fmt: skip
WIDTHS = [14, 40, 50, 14, 18, 24, 30, 24, 30, 20, 24, 24, 14, 12, 12, 8, 12, 18, 14, 10]
YES, NO = "ja", "nej"


def _labels(choices) -> dict[str, str]:
    """Swedish label (lower case) → code, accepting the code itself too."""
    with translation.override("sv"):
        out = {str(label).lower(): value for value, label in choices.choices}
    out.update({value: value for value in choices.values})
    return out


def _join(items) -> str:
    return "; ".join(items)


def export_activities(plan: Plan, activities: list[Activity]) -> bytes:
    """The plan's activities (as given, prefetched) as an .xlsx file."""
    with translation.override("sv"):
        rows = [
            [
                a.reference,
                a.title,
                a.description,
                _join(g.code for g in sort_in_tree_order(list(a.goals.all()))),
                a.owner.short_name,
                a.responsible_role,
                a.mandate,
                _join(sorted(u.short_name for u in a.co_units.all())),
                a.partners,
                _join(a.partner_kind_labels()),
                _join(a.target_group_labels()),
                _join(a.method_labels()),
                a.status.name,
                a.start_date,
                a.end_date,
                YES if a.ongoing else NO,
                a.budget,
                a.get_funding_display(),
                a.funding_ends,
                a.get_visibility_display(),
            ]
            for a in activities
        ]
        values = [
            [_("Column"), _("Allowed values")],
            [GOALS, _join(g.code for g in sort_in_tree_order(list(plan.goals.select_related("plan"))))],
            [OWNER + ", " + CO_UNITS, _("The units' short names, separated by semicolons.")],
            [PARTNER_KINDS, _join(str(label) for label in PartnerKind.labels)],
            [TARGET_GROUPS, _join(str(label) for label in TargetGroup.labels)],
            [METHODS, _join(str(label) for label in Method.labels)],
            [STATUS, _join(s.name for s in plan.activity_statuses.all())],
            [ONGOING, f"{YES}; {NO}"],
            [FUNDING, _join(str(label) for label in Funding.labels)],
            [VISIBILITY, _join(str(label) for label in Activity.Visibility.labels)],
            [START + ", " + END + ", " + FUNDING_ENDS, _("Dates as YYYY-MM-DD.")],
            [REF, _("Leave empty for a new activity; keep it to update an existing one.")],
        ]
    return write_workbook(
        [
            Sheet(title="Aktiviteter", header=HEADER, rows=rows, widths=WIDTHS),
            Sheet(title="Tillåtna värden", header=values[0], rows=values[1:], widths=[30, 100]),
        ]
    )


@dataclass
class ActivityRow:
    """One validated row, ready to save."""

    line: int
    activity: Activity | None  # None for a new activity
    fields: dict[str, Any]
    goals: list[Goal]
    co_units: list[OrgUnit]
    errors: list[str] = field(default_factory=list)

    def changes_anything(self) -> bool:
        """Whether saving the row would change its activity (always, for a new one).
        Uses the goals and co-operating units prefetched by the checker."""
        a = self.activity
        if a is None:
            return True
        if any(getattr(a, name) != value for name, value in self.fields.items()):
            return True
        if {g.pk for g in self.goals} != {g.pk for g in a.goals.all()}:
            return True
        return {u.pk for u in self.co_units} != {u.pk for u in a.co_units.all()}


def parse_activities(data: bytes, *, plan: Plan, membership: Membership) -> list[ActivityRow]:
    """Validate the whole file against the plan and what the user may change.
    Raises XlsxInvalid with every error found; returns rows only when all are valid."""
    with translation.override("sv"):
        rows = read_rows(data, header=HEADER, max_rows=settings.XLSX_MAX_ROWS)
        checker = _Checker(plan, membership)
        parsed = [checker.row(row) for row in rows]
        errors = [e for r in parsed for e in r.errors]
        if errors:
            raise XlsxInvalid(errors)
        if not parsed:
            raise XlsxInvalid([_("The file has no activities.")])
        return parsed


# The column of each field, to tie the form's messages to the sheet.
COLUMNS = {
    "title": TITLE, "description": DESCRIPTION, "goals": GOALS, "owner": OWNER, "responsible_role": ROLE,
    "mandate": MANDATE, "co_units": CO_UNITS, "partners": PARTNERS, "partner_kinds": PARTNER_KINDS,
    "target_groups": TARGET_GROUPS, "methods": METHODS, "status": STATUS, "start_date": START, "end_date": END,
    "ongoing": ONGOING, "budget": BUDGET, "funding": FUNDING, "funding_ends": FUNDING_ENDS, "visibility": VISIBILITY,
}  # fmt: skip


class _Checker:
    """Reads each row's cells into an activity's values (references, codes and
    names into objects), then validates them with the activity form's rules
    (activities.forms: UnitRules, activity_field_errors, activity_rule_errors)."""

    def __init__(self, plan: Plan, membership: Membership):
        self.plan = plan
        self.membership = membership
        municipality = plan.municipality
        self.units = {u.short_name.lower(): u for u in OrgUnit.objects.filter(municipality=municipality)}
        self.unit_rules = UnitRules(membership)
        self.goals = {g.code: g for g in plan.goals.all()}
        self.statuses = {s.name.lower(): s for s in plan.activity_statuses.all()}
        self.existing = {
            a.reference: a
            for a in Activity.objects.filter(municipality=municipality)
            .select_related("municipality", "owner", "status")
            .prefetch_related("goals", "co_units")
        }
        self.target_groups = _labels(TargetGroup)
        self.methods = _labels(Method)
        self.partner_kinds = _labels(PartnerKind)
        self.funding = _labels(Funding)
        self.visibility = _labels(Activity.Visibility)
        self.seen: dict[str, int] = {}

    def row(self, row: Row) -> ActivityRow:
        v = row.values
        errors: list[str] = []
        columns_in_error: set[str] = set()

        def err(column: str, message: str) -> None:
            columns_in_error.add(column)
            errors.append(_("Row %(line)d, column ”%(column)s”: %(message)s") % {
                "line": row.line, "column": column, "message": message,
            })  # fmt: skip

        activity = self._activity(cell_text(v[REF]).upper(), row.line, err)
        goals = self._objects(
            v[GOALS], self.goals, GOALS, err, lambda code: _("the plan has no goal %(code)s.") % {"code": code}
        )
        unit_missing = lambda name: _("no unit has the short name %(name)s.") % {"name": name}  # noqa: E731
        owner = None
        if cell_text(v[OWNER]):
            (owner,) = self._objects(v[OWNER], self.units, OWNER, err, unit_missing, lower=True, single=True) or (None,)
        co_units = self._objects(v[CO_UNITS], self.units, CO_UNITS, err, unit_missing, lower=True)

        status = None
        status_name = cell_text(v[STATUS])
        if status_name:
            status = self.statuses.get(status_name.lower())
            if status is None:
                err(STATUS, _("the plan has no status “%(value)s”.") % {"value": status_name})
        elif activity is not None:
            status = activity.status
        else:
            status = next(iter(self.statuses.values()), None)

        ongoing_text = cell_text(v[ONGOING]).lower()
        if ongoing_text not in ("", YES, NO, "yes", "no", "1", "0"):
            err(ONGOING, _("write ja or nej."))
        fields = {
            "title": cell_text(v[TITLE]),
            "description": cell_text(v[DESCRIPTION]),
            "owner": owner,
            "responsible_role": cell_text(v[ROLE]),
            "mandate": cell_text(v[MANDATE]),
            "partners": cell_text(v[PARTNERS]),
            "partner_kinds": self._choices(v[PARTNER_KINDS], self.partner_kinds, PARTNER_KINDS, err),
            "target_groups": self._choices(v[TARGET_GROUPS], self.target_groups, TARGET_GROUPS, err),
            "methods": self._choices(v[METHODS], self.methods, METHODS, err),
            "status": status,
            "start_date": _date(v[START], START, err),
            "end_date": _date(v[END], END, err),
            "ongoing": ongoing_text in (YES, "yes", "1"),
            "budget": _budget(v[BUDGET], err),
            "funding": self._one(v[FUNDING], self.funding, Funding.ORDINARY, FUNDING, err),
            "funding_ends": _date(v[FUNDING_ENDS], FUNDING_ENDS, err),
            "visibility": self._one(v[VISIBILITY], self.visibility, Activity.Visibility.INTERNAL, VISIBILITY, err),
        }

        # The form's rules, on the values read.
        if owner is None and OWNER not in columns_in_error:
            err(OWNER, _("a responsible unit is required."))
        elif owner is not None and owner.pk not in self.unit_rules.owner_ids(activity):
            if self.unit_rules.coordinator:
                err(OWNER, _("%(name)s is not an active unit.") % {"name": owner.name})
            else:
                err(OWNER, _("you do not act for %(name)s.") % {"name": owner.name})
        allowed = self.unit_rules.co_unit_ids(activity)
        for unit in co_units:
            if unit.pk not in allowed:
                err(CO_UNITS, _("%(name)s is not an active unit.") % {"name": unit.name})
        for name, messages in activity_field_errors(fields).items():
            if COLUMNS[name] not in columns_in_error:
                for message in messages:
                    err(COLUMNS[name], message)
        for name, message in activity_rule_errors(fields=fields, goals=goals, co_units=co_units):
            if COLUMNS[name] not in columns_in_error:
                err(COLUMNS[name], message)
        return ActivityRow(
            line=row.line, activity=activity, fields=fields, goals=goals, co_units=co_units, errors=errors
        )

    def _activity(self, ref: str, line: int, err) -> Activity | None:
        """The activity a row's reference names, if the user may change it."""
        if not ref:
            return None
        activity = self.existing.get(ref)
        if activity is None:
            err(REF, _("no activity has the reference %(ref)s; leave it empty for a new activity.") % {"ref": ref})
        elif activity.plan_id != self.plan.pk:
            err(REF, _("%(ref)s belongs to another plan.") % {"ref": ref})
            activity = None
        elif ref in self.seen:
            err(REF, _("%(ref)s is also on row %(other)d.") % {"ref": ref, "other": self.seen[ref]})
        self.seen.setdefault(ref, line)
        if activity is not None and not self.membership.may_edit_unit_work(activity.owner_id):
            err(REF, _("%(ref)s belongs to %(unit)s, which you do not act for.") % {
                "ref": ref, "unit": activity.owner.name,
            })  # fmt: skip
        return activity

    @staticmethod
    def _objects(value, table: dict, column: str, err, missing, *, lower=False, single=False) -> list:
        """The objects a list cell names, in order, each once."""
        items = [cell_text(value)] if single else split_list(value)
        out = []
        for item in items:
            found = table.get(item.lower() if lower else item)
            if found is None:
                err(column, missing(item))
            elif found not in out:
                out.append(found)
        return out

    @staticmethod
    def _choices(value, table: dict[str, str], column: str, err) -> list[str]:
        out = []
        for item in split_list(value):
            code = table.get(item.lower())
            if code is None:
                err(column, _("“%(value)s” is not one of the allowed values.") % {"value": item})
            elif code not in out:
                out.append(code)
        return out

    @staticmethod
    def _one(value, table: dict[str, str], default: str, column: str, err) -> str:
        text = cell_text(value)
        if not text:
            return default
        code = table.get(text.lower())
        if code is None:
            err(column, _("“%(value)s” is not one of the allowed values.") % {"value": text})
            return default
        return code


def _date(value, column: str, err) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(cell_text(value))
    except ValueError:
        err(column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": cell_text(value)})
        return None


def _budget(value, err) -> int | None:
    """Whole kronor from a number or a text such as "50 000"; its range is the model's."""
    if value in (None, ""):
        return None
    text = cell_text(value).replace(" ", "").replace("\u00a0", "")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        err(BUDGET, _("“%(value)s” is not a number.") % {"value": cell_text(value)})
        return None
    if not math.isfinite(number) or number != int(number):
        err(BUDGET, _("whole kronor only."))
        return None
    return int(number)
