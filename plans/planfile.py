"""The plan file: a versioned YAML format for a whole plan.

Reading keeps the line of every value so that each error names the file line
it is about. Validation checks everything and returns all errors at once; it
never touches the database beyond reading the municipality's units. Writing
the plan is ``plans.services.plan_import``. The format is documented in
docs/plan-file-format.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from organisations.models import Municipality, OrgUnit, UnitGroup

from .models import (
    MAX_LEVELS,
    Goal,
    GoalKind,
    GoalResponsibility,
    Plan,
    PlanLevel,
    PlanReference,
    RightsArea,
    SupportRelation,
)

FORMAT_NAME = "inkludera-plan"
FORMAT_VERSION = 2
# Versions this code reads. Version 2 added the goals' identities (``id``) and the
# plan's version metadata (``version``, ``dnr``, ``adopted_paragraph``); a version 1
# file is read as before and its goals get new identities.
READABLE_VERSIONS = (1, 2)


# --- Reading YAML with line numbers -----------------------------------------------


class LDict(dict):
    """A mapping read from YAML, with the line of each key and the raw text of
    each scalar value."""

    line: int
    key_lines: dict[str, int]
    raw: dict[str, str]


class LList(list):
    line: int
    item_lines: list[int]


@dataclass
class PlanFileError:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class PlanFileInvalid(Exception):
    def __init__(self, errors: list[PlanFileError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# Bounds on the work a file can cause, whatever it holds. Anchors and aliases are refused
# outright (a few hundred bytes of aliases expand to gigabytes); nesting and the number of
# values are limited far above what a plan needs (a plan of 4 levels nests about 12 deep,
# and Stockholm's 2030 plan has about 300 values).
MAX_NESTING = 40
MAX_NODES = 50_000
MAX_ERRORS = 100
# Goals in one plan. The largest real plans have a few hundred; importing one
# goal costs a handful of queries, so this also bounds how long an import takes.
MAX_GOALS = 1_000
# A number or a date is never this long; longer values are kept as the text they are.
MAX_NUMBER_LENGTH = 40

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.error = PlanFileError(line, message)


class _Composer(yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """PyYAML's composer, refusing anchors and aliases and bounding nesting and size.
    Values are built by ``_convert``, never by PyYAML's constructor on a whole document."""

    def __init__(self):
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                line,
                _("Anchors and aliases (& and *) are not allowed in a plan file; write each value out in full."),
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                line, _("The file has more than %(max)d values; a plan file is never this large.") % {"max": MAX_NODES}
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _Refused(
                    line,
                    _("The file nests deeper than %(max)d levels; a plan file never does.") % {"max": MAX_NESTING},
                )
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


if yaml.__with_libyaml__:

    class _Loader(yaml._yaml.CParser, _Composer):
        """libyaml reads and parses (ten times faster than PyYAML's Python parser); the
        composing, where aliases would be expanded, is ours."""

        get_single_node = _Composer.get_single_node
        compose_document = _Composer.compose_document

        def __init__(self, stream: str):
            yaml._yaml.CParser.__init__(self, stream)
            _Composer.__init__(self)

else:  # pragma: no cover (PyYAML built without libyaml)

    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Composer):
        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            _Composer.__init__(self)


def _shown(value: Any, limit: int = 80) -> str:
    """A value quoted in an error message, shortened."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar(loader: _Loader, node: yaml.ScalarNode, errors: list[PlanFileError]) -> Any:
    if node.tag == _STR:
        return node.value
    if node.tag in _SCALAR_TAGS:
        if len(node.value) > MAX_NUMBER_LENGTH:
            return node.value
        try:
            return loader.construct_object(node)
        except (ValueError, OverflowError, ArithmeticError, yaml.YAMLError):
            return node.value  # e.g. 2026-13-01: kept as text, reported where a date is expected
    errors.append(
        PlanFileError(
            node.start_mark.line + 1,
            _("The tag “%(tag)s” is not allowed in a plan file; write the value without it.")
            % {"tag": _shown(node.tag)},
        )
    )
    return None


def _convert(loader: _Loader, node: yaml.Node, errors: list[PlanFileError]) -> Any:
    """The node as LDict, LList or a plain value. Walks each node once (there are no aliases)."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node, errors)
    if node.tag not in _COLLECTION_TAGS:
        errors.append(
            PlanFileError(
                line,
                _("The tag “%(tag)s” is not allowed in a plan file; write the value without it.")
                % {"tag": _shown(node.tag)},
            )
        )
    if isinstance(node, yaml.MappingNode):
        result = LDict()
        result.line, result.key_lines, result.raw = line, {}, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                errors.append(
                    PlanFileError(key_line, _("A key must be a word such as “title”, not a list or mapping."))
                )
                continue
            key = key_node.value
            if key in result:
                errors.append(
                    PlanFileError(
                        key_line,
                        _("The key “%(key)s” appears twice (also on line %(other)d).")
                        % {"key": _shown(key), "other": result.key_lines[key]},
                    )
                )
                continue
            result[key] = _convert(loader, value_node, errors)
            result.key_lines[key] = key_line
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
        return result
    result = LList()
    result.line, result.item_lines = line, []
    for item in node.value:
        result.append(_convert(loader, item, errors))
        result.item_lines.append(item.start_mark.line + 1)
    return result


# The YAML reader's most common complaints, said for a person editing a plan file.
_YAML_PROBLEMS = {
    "could not find expected ':'": gettext_lazy("a colon (:) is missing after a key"),
    "did not find expected node content": gettext_lazy(
        "a value is missing, or begins with a character that cannot begin one"
    ),
    "mapping values are not allowed in this context": gettext_lazy(
        "a colon (:) where no key can begin; put text that contains “: ” in quotes"
    ),
    "did not find expected <document start>": gettext_lazy("unexpected text after the end of the document"),
    "did not find expected key": gettext_lazy("the indentation does not match the lines above"),
    "found character that cannot start any token": gettext_lazy(
        "a character that cannot begin a value here (such as @, ` or a tab); put the text in quotes"
    ),
    "did not find expected comment or line break": gettext_lazy("after | or > the text must start on the next line"),
    "found unexpected end of stream": gettext_lazy(
        "the file ends inside quotes or brackets: a closing quote or bracket is missing"
    ),
    "did not find expected hexdecimal number": gettext_lazy(
        "a backslash code (\\x, \\u) inside double quotes is incomplete"
    ),
    "did not find expected '-' indicator": gettext_lazy(
        "a list item must start with “- ” at the indentation of the items above"
    ),
    "did not find expected ',' or ']'": gettext_lazy("a list in [ ] lacks a comma or its closing ]"),
    "did not find expected ',' or '}'": gettext_lazy("a mapping in { } lacks a comma or its closing }"),
    "block sequence entries are not allowed in this context": gettext_lazy(
        "a list item (“- ”) where none can begin; check the indentation"
    ),
    "mapping keys are not allowed in this context": gettext_lazy("a key where none can begin; check the indentation"),
    "but found another document": gettext_lazy(
        "the file holds more than one document (a line “---” or “...”); a plan file is one"
    ),
    "found unexpected document indicator": gettext_lazy("a line “---” or “...” inside quotes"),
    "found a tab character that violates indentation": gettext_lazy("indent with spaces, not tabs"),
    "found a tab character where an indentation space is expected": gettext_lazy("indent with spaces, not tabs"),
}


def _line_at(text: str | bytes, position: int) -> int:
    return text.count("\n" if isinstance(text, str) else b"\n", 0, max(position, 0)) + 1


def read_yaml(text: str) -> tuple[Any, list[PlanFileError]]:
    """The document with the line of every value. Raises PlanFileInvalid if it cannot be read."""
    errors: list[PlanFileError] = []
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise PlanFileInvalid([PlanFileError(1, _("The file is empty."))])
        data = _convert(loader, node, errors)
    except _Refused as exc:
        raise PlanFileInvalid([exc.error]) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in bytes of UTF-8, PyYAML's reader in characters.
        line = _line_at(text.encode("utf-8"), exc.position) if yaml.__with_libyaml__ else _line_at(text, exc.position)
        raise PlanFileInvalid(
            [
                PlanFileError(
                    line,
                    _("The file contains a control character (U+%(code)04X) that is not allowed; remove it.")
                    % {"code": exc.character if isinstance(exc.character, int) else 0},
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if exc.problem in _YAML_PROBLEMS:
            message = _("This is not valid YAML: %(problem)s.") % {"problem": _YAML_PROBLEMS[exc.problem]}
        else:
            message = _(
                "This is not valid YAML; check the indentation, colons and quotes here (the reader said: %(problem)s)."
            ) % {"problem": _shown(exc.problem or exc.context or "", 200)}
        raise PlanFileInvalid([PlanFileError(line, message)]) from None
    except yaml.YAMLError as exc:
        raise PlanFileInvalid(
            [PlanFileError(1, _("This is not valid YAML: %(problem)s.") % {"problem": _shown(str(exc), 200)})]
        ) from None
    finally:
        if loader is not None and hasattr(loader, "dispose"):
            loader.dispose()
    return data, errors


# --- The validated plan ------------------------------------------------------------


@dataclass
class ResponsibilitySpec:
    target: OrgUnit | UnitGroup
    role: str


@dataclass
class GoalSpec:
    code: str
    title: str
    depth: int
    kind: str = ""
    description: str = ""
    guidance: str = ""
    all_units: bool = False
    rights_areas: list[str] = field(default_factory=list)
    responsibilities: list[ResponsibilitySpec] = field(default_factory=list)
    children: list[GoalSpec] = field(default_factory=list)
    line: int = 0
    # The goal's identity across the plan's versions (docs/plan-versions.md); None: a new one.
    identity: uuid.UUID | None = None


@dataclass
class LevelSpec:
    name: str
    goal_kind: str = ""


@dataclass
class SupportSpec:
    supporter: OrgUnit
    kind: str
    supported: list[OrgUnit | UnitGroup] = field(default_factory=list)
    area: str = ""


@dataclass
class ReferenceSpec:
    title: str
    kind: str
    url: str = ""
    note: str = ""


@dataclass
class PlanSpec:
    title: str
    kind: str
    status: str
    overall_goal: str = ""
    description: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    adopted_by: str = ""
    adopted_on: dt.date | None = None
    version: int = 1
    dnr: str = ""
    adopted_paragraph: str = ""
    levels: list[LevelSpec] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)
    # Steering (the optional "steering" section): units that must have a contact person,
    # support between units, other steering documents referred to.
    contact_units: list[OrgUnit] = field(default_factory=list)
    support: list[SupportSpec] = field(default_factory=list)
    references: list[ReferenceSpec] = field(default_factory=list)

    def all_goals(self) -> list[GoalSpec]:
        out: list[GoalSpec] = []

        def walk(goals: list[GoalSpec]) -> None:
            for g in goals:
                out.append(g)
                walk(g.children)

        walk(self.goals)
        return out


PLAN_KEYS = {
    "title", "kind", "status", "overall_goal", "description",
    "valid_from", "valid_to", "adopted_by", "adopted_on",
    "version", "dnr", "adopted_paragraph",
}  # fmt: skip
LEVEL_KEYS = {"name", "goal_kind"}
GOAL_KEYS = {
    "id", "code", "title", "kind", "description", "guidance",
    "rights_areas", "responsible", "goals",
}  # fmt: skip
RESPONSIBLE_KEYS = {"all_units", "primary", "co_responsible"}
STEERING_KEYS = {"contact_units", "support", "references"}
SUPPORT_KEYS = {"unit", "kind", "supports", "area"}
REFERENCE_KEYS = {"title", "kind", "url", "note"}
TOP_KEYS = {"format", "version", "plan", "levels", "goals", "steering"}


def _items(seq: LList | None) -> list[tuple[Any, int]]:
    """A list's items with their lines (none for a missing list)."""
    return list(zip(seq, seq.item_lines, strict=True)) if seq else []


def _choices_text(choices) -> str:
    return ", ".join(value for value, _label in choices)


class _Validator:
    def __init__(self, municipality: Municipality):
        self.errors: list[PlanFileError] = []
        self.identities: set[uuid.UUID] = set()
        units = list(OrgUnit.objects.filter(municipality=municipality))
        groups = list(UnitGroup.objects.filter(municipality=municipality))
        self.targets: dict[str, OrgUnit | UnitGroup] = {}
        for target in [*groups, *units]:  # a unit wins over a group with the same short name
            self.targets[target.short_name.casefold()] = target
        self.codes: dict[str, int] = {}
        self.goal_count = 0

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(PlanFileError(line, message))

    # Typed getters: each reports a wrong type at the value's line and returns a default.

    def _line(self, mapping: LDict, key: str) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def unknown_keys(self, mapping: LDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(
                    self._line(mapping, key),
                    _("Unknown key “%(key)s” in %(where)s. Allowed: %(allowed)s.")
                    % {"key": _shown(key), "where": where, "allowed": ", ".join(sorted(allowed))},
                )

    def text(self, mapping: LDict, key: str, *, required: bool = False, field=None) -> str:
        """Text for the model field ``field``: its length and its validators (one line,
        no control characters) apply here as they do in the forms."""
        value = mapping.get(key)
        line = self._line(mapping, key)
        return self.check_text(line, key, value, required=required, raw=mapping.raw.get(key), field=field)

    def check_text(self, line: int, key: str, value: Any, *, required: bool, raw: str | None = None, field=None) -> str:
        if value is None or value == "":
            if required:
                self.error(line, _("“%(key)s” is missing; it must be filled in.") % {"key": key})
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(line, _("“%(key)s” must be text.") % {"key": key})
            return ""
        if not isinstance(value, str):
            # A number written where text is expected: keep what was typed (1.10 stays 1.10).
            value = raw if raw is not None else str(value)
        value = value.strip()
        if required and not value:
            self.error(line, _("“%(key)s” is missing; it must be filled in.") % {"key": key})
        if field is None:
            return value
        max_length = getattr(field, "max_length", None)
        if max_length and len(value) > max_length:
            self.error(
                line,
                _("“%(key)s” is too long: at most %(max)d characters.") % {"key": key, "max": max_length},
            )
        for validator in field.validators:
            if isinstance(validator, MaxLengthValidator):
                continue
            try:
                validator(value)
            except ValidationError as exc:
                for message in exc.messages:
                    self.error(line, _("“%(key)s”: %(message)s") % {"key": key, "message": message})
        return value

    def choice(self, mapping: LDict, key: str, choices, *, default: str = "") -> str:
        value = mapping.get(key)
        if value is None or value == "":
            return default
        valid = [v for v, _label in choices]
        if value not in valid:
            self.error(
                self._line(mapping, key),
                _("“%(value)s” is not a valid %(key)s. Allowed: %(allowed)s.")
                % {"value": _shown(value), "key": key, "allowed": _choices_text(choices)},
            )
            return default
        return value

    def date(self, mapping: LDict, key: str) -> dt.date | None:
        value = mapping.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(
            self._line(mapping, key),
            _("“%(key)s” must be a date written as YYYY-MM-DD, not “%(value)s”.")
            % {"key": key, "value": _shown(value)},
        )
        return None

    def boolean(self, mapping: LDict, key: str) -> bool:
        value = mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(self._line(mapping, key), _("“%(key)s” must be true or false.") % {"key": key})
            return False
        return value

    def mapping(self, mapping: LDict, key: str, *, required: bool = False) -> LDict | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(mapping.line, _("“%(key)s” is missing.") % {"key": key})
            return None
        if not isinstance(value, LDict):
            self.error(self._line(mapping, key), _("“%(key)s” must be a mapping (key: value).") % {"key": key})
            return None
        return value

    def sequence(self, mapping: LDict, key: str) -> LList | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, LList):
            self.error(self._line(mapping, key), _("“%(key)s” must be a list.") % {"key": key})
            return None
        return value

    # The document.

    def document(self, data: Any) -> PlanSpec | None:
        if not isinstance(data, LDict):
            self.error(
                getattr(data, "line", 1),
                _("The file must be a mapping with the keys format, version, plan, levels and goals."),
            )
            return None
        self.unknown_keys(data, TOP_KEYS, _("the file"))
        if data.get("format") != FORMAT_NAME:
            self.error(
                self._line(data, "format"),
                _("“format” must be %(name)s: this does not look like a plan file.") % {"name": FORMAT_NAME},
            )
        version = data.get("version")
        if "version" not in data:
            self.error(data.line, _("“%(key)s” is missing.") % {"key": "version"})
        elif type(version) is not int or version not in READABLE_VERSIONS:
            self.error(
                self._line(data, "version"),
                _("Unsupported format version “%(version)s”; this version of Inkludera reads version %(supported)d.")
                % {"version": _shown(version), "supported": FORMAT_VERSION},
            )
        plan_map = self.mapping(data, "plan", required=True)
        if plan_map is None:
            return None
        self.unknown_keys(plan_map, PLAN_KEYS, "plan")
        spec = PlanSpec(
            title=self.text(plan_map, "title", required=True, field=Plan._meta.get_field("title")),
            kind=self.choice(plan_map, "kind", Plan.Kind.choices, default=""),
            status=self.choice(plan_map, "status", Plan.Status.choices, default=Plan.Status.DRAFT),
            overall_goal=self.text(plan_map, "overall_goal", field=Plan._meta.get_field("overall_goal")),
            description=self.text(plan_map, "description", field=Plan._meta.get_field("description")),
            valid_from=self.date(plan_map, "valid_from"),
            valid_to=self.date(plan_map, "valid_to"),
            adopted_by=self.text(plan_map, "adopted_by", field=Plan._meta.get_field("adopted_by")),
            adopted_on=self.date(plan_map, "adopted_on"),
            version=self.plan_version(plan_map),
            dnr=self.text(plan_map, "dnr", field=Plan._meta.get_field("dnr")),
            adopted_paragraph=self.text(plan_map, "adopted_paragraph", field=Plan._meta.get_field("adopted_paragraph")),
        )
        if not plan_map.get("kind"):
            self.error(
                self._line(plan_map, "kind"),
                _("“kind” is missing. Allowed: %(allowed)s.") % {"allowed": _choices_text(Plan.Kind.choices)},
            )
        if spec.valid_from and spec.valid_to and spec.valid_to < spec.valid_from:
            self.error(self._line(plan_map, "valid_to"), _("“valid_to” is before “valid_from”."))
        spec.levels = self.levels(data)
        goals = self.sequence(data, "goals")
        if goals is not None and spec.levels:
            spec.goals = self.goals(goals, depth=1, levels=spec.levels)
        self.steering(data, spec)
        return spec

    def unit_named(self, value: Any, line: int, *, groups: bool) -> OrgUnit | UnitGroup | None:
        if not isinstance(value, str) or not value.strip():
            self.error(line, _("A unit is named by its short name, as text."))
            return None
        target = self.targets.get(value.strip().casefold())
        if target is None or (not groups and not isinstance(target, OrgUnit)):
            self.error(
                line,
                _("Unknown unit “%(name)s”: no unit in the municipality has that short name.")
                % {"name": _shown(value)},
            )
            return None
        return target

    def steering(self, data: LDict, spec: PlanSpec) -> None:
        steering = self.mapping(data, "steering")
        if steering is None:
            return
        self.unknown_keys(steering, STEERING_KEYS, "steering")
        seq = self.sequence(steering, "contact_units")
        for value, line in _items(seq):
            unit = self.unit_named(value, line, groups=False)
            if unit is not None and unit not in spec.contact_units:
                spec.contact_units.append(unit)
        seq = self.sequence(steering, "support")
        for item, line in _items(seq):
            if not isinstance(item, LDict):
                self.error(line, _("Each support relation is a mapping with unit, kind and supports."))
                continue
            self.unknown_keys(item, SUPPORT_KEYS, "support")
            supporter = self.unit_named(item.get("unit"), self._line(item, "unit"), groups=False)
            kind = self.choice(item, "kind", SupportRelation.Kind.choices, default=SupportRelation.Kind.COORDINATES)
            area = self.text(item, "area", field=SupportRelation._meta.get_field("area"))
            supported = []
            names = self.sequence(item, "supports")
            if not names:
                self.error(self._line(item, "supports"), _("“%(key)s” is missing.") % {"key": "supports"})
            for value, name_line in _items(names):
                target = self.unit_named(value, name_line, groups=True)
                if target is not None:
                    supported.append(target)
            if supporter is not None and supported:
                spec.support.append(SupportSpec(supporter=supporter, kind=kind, supported=supported, area=area))
        seq = self.sequence(steering, "references")
        for item, line in _items(seq):
            if not isinstance(item, LDict):
                self.error(line, _("Each referenced document is a mapping with title and kind."))
                continue
            self.unknown_keys(item, REFERENCE_KEYS, "references")
            title = self.text(item, "title", required=True, field=PlanReference._meta.get_field("title"))
            kind = self.choice(item, "kind", PlanReference.Kind.choices, default=PlanReference.Kind.PROGRAMME)
            url = self.text(item, "url", field=PlanReference._meta.get_field("url"))
            if url and not url.startswith(("https://", "http://")):
                self.error(self._line(item, "url"), _("“url” must be a web address starting with https://."))
                url = ""
            note = self.text(item, "note", field=PlanReference._meta.get_field("note"))
            if title:
                spec.references.append(ReferenceSpec(title=title, kind=kind, url=url, note=note))

    def levels(self, data: LDict) -> list[LevelSpec]:
        seq = self.sequence(data, "levels")
        if seq is None:
            if "levels" not in data:
                self.error(
                    data.line, _("“levels” is missing: name the plan's levels, 1 to %(max)d.") % {"max": MAX_LEVELS}
                )
            return []
        if not 1 <= len(seq) <= MAX_LEVELS:
            self.error(
                seq.line,
                _("A plan has 1 to %(max)d levels; this file names %(count)d.")
                % {"max": MAX_LEVELS, "count": len(seq)},
            )
            return []
        levels = []
        name_field = PlanLevel._meta.get_field("name")
        for item, line in _items(seq):
            if isinstance(item, str):
                levels.append(LevelSpec(name=self.check_text(line, "name", item, required=True, field=name_field)))
                continue
            if not isinstance(item, LDict):
                self.error(line, _("A level must be a name or a mapping with “name”."))
                continue
            self.unknown_keys(item, LEVEL_KEYS, _("a level"))
            levels.append(
                LevelSpec(
                    name=self.text(item, "name", required=True, field=name_field),
                    goal_kind=self.choice(item, "goal_kind", GoalKind.choices),
                )
            )
        return levels

    def goals(self, seq: LList, *, depth: int, levels: list[LevelSpec]) -> list[GoalSpec]:
        specs = []
        for item, line in _items(seq):
            if not isinstance(item, LDict):
                self.error(line, _("A goal must be a mapping with at least “code” and “title”."))
                continue
            if depth > len(levels):
                self.error(
                    line,
                    ngettext(
                        "The goal is at level %(depth)d, but the plan has only %(count)d level.",
                        "The goal is at level %(depth)d, but the plan has only %(count)d levels.",
                        len(levels),
                    )
                    % {"depth": depth, "count": len(levels)},
                )
                continue
            self.goal_count += 1
            if self.goal_count == MAX_GOALS + 1:
                self.error(
                    line, _("The plan has more than %(max)d goals; a plan is never this large.") % {"max": MAX_GOALS}
                )
            self.unknown_keys(item, GOAL_KEYS, _("a goal"))
            code = self.text(item, "code", required=True, field=Goal._meta.get_field("code"))
            if code:
                key = code.casefold()
                if key in self.codes:
                    self.error(
                        self._line(item, "code"),
                        _("The code “%(code)s” is used twice (also on line %(other)d).")
                        % {"code": _shown(code), "other": self.codes[key]},
                    )
                else:
                    self.codes[key] = self._line(item, "code")
            spec = GoalSpec(
                code=code,
                title=self.text(item, "title", required=True, field=Goal._meta.get_field("title")),
                depth=depth,
                kind=self.goal_kind(item, levels[depth - 1]),
                description=self.text(item, "description", field=Goal._meta.get_field("description")),
                guidance=self.text(item, "guidance", field=Goal._meta.get_field("guidance")),
                line=line,
            )
            spec.identity = self.identity(item)
            spec.rights_areas = self.rights_areas(item)
            self.responsible(item, spec)
            children = self.sequence(item, "goals")
            if children:
                spec.children = self.goals(children, depth=depth + 1, levels=levels)
            specs.append(spec)
        return specs

    def plan_version(self, plan_map: LDict) -> int:
        """The plan's version number (1 when not given)."""
        if "version" not in plan_map:
            return 1
        value = plan_map["version"]
        if type(value) is not int or not 1 <= value <= 32767:
            self.error(
                self._line(plan_map, "version"),
                _("“version” must be a whole number from 1, not “%(value)s”.") % {"value": _shown(value)},
            )
            return 1
        return value

    def identity(self, item: LDict) -> uuid.UUID | None:
        """The goal's ``id``: kept when it is the first goal of the file with it; a goal
        repeating an id gets a new identity (None), as does a goal without one."""
        if "id" not in item or item["id"] in (None, ""):
            return None
        value = item["id"]
        try:
            identity = uuid.UUID(str(value)) if isinstance(value, str) else None
        except ValueError:
            identity = None
        if identity is None:
            self.error(
                self._line(item, "id"),
                _("“id” must be a goal identity as the export writes it (or left out), not “%(value)s”.")
                % {"value": _shown(value)},
            )
            return None
        if identity in self.identities:
            return None
        self.identities.add(identity)
        return identity

    def goal_kind(self, item: LDict, level: LevelSpec) -> str:
        """A goal takes its level's kind unless it names one; ``kind: ""`` means none."""
        if "kind" in item and item["kind"] in (None, ""):
            return ""
        return self.choice(item, "kind", GoalKind.choices, default=level.goal_kind)

    def rights_areas(self, item: LDict) -> list[str]:
        seq = self.sequence(item, "rights_areas")
        if not seq:
            return []
        valid = {c for c, _label in RightsArea.Code.choices}
        out = []
        for value, line in _items(seq):
            if not isinstance(value, str) or value not in valid:
                self.error(
                    line,
                    _("“%(value)s” is not a rights area. Allowed: %(allowed)s.")
                    % {"value": _shown(value), "allowed": _choices_text(RightsArea.Code.choices)},
                )
            elif value not in out:
                out.append(value)
        return out

    def responsible(self, item: LDict, spec: GoalSpec) -> None:
        resp = self.mapping(item, "responsible")
        if resp is None:
            return
        self.unknown_keys(resp, RESPONSIBLE_KEYS, "responsible")
        spec.all_units = self.boolean(resp, "all_units")
        seen: dict[str, int] = {}
        for key, role in (("primary", GoalResponsibility.Role.PRIMARY), ("co_responsible", GoalResponsibility.Role.CO)):
            seq = self.sequence(resp, key)
            if not seq:
                continue
            for value, line in _items(seq):
                if not isinstance(value, str) or not value.strip():
                    self.error(line, _("A responsible unit is named by its short name, as text."))
                    continue
                target = self.targets.get(value.strip().casefold())
                if target is None:
                    self.error(
                        line,
                        _("Unknown unit “%(name)s”: no unit or group in the municipality has that short name.")
                        % {"name": _shown(value)},
                    )
                    continue
                marker = f"{type(target).__name__}:{target.pk}"
                if marker in seen:
                    self.error(
                        line,
                        _("“%(name)s” is named twice as responsible for the same goal (also on line %(other)d).")
                        % {"name": _shown(value), "other": seen[marker]},
                    )
                    continue
                seen[marker] = line
                spec.responsibilities.append(ResponsibilitySpec(target=target, role=role))


def parse_plan_file(text: str | bytes, municipality: Municipality) -> PlanSpec:
    """Read and validate a plan file. Raises PlanFileInvalid with every error found
    (at most MAX_ERRORS, the last saying how many more there are)."""
    if len(text) > settings.PLAN_FILE_MAX_BYTES:
        raise PlanFileInvalid([file_too_large_error()])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlanFileInvalid(
                [
                    PlanFileError(
                        text.count(b"\n", 0, exc.start) + 1,
                        _("The file is not UTF-8 text: save it as UTF-8 and try again."),
                    )
                ]
            ) from None
    data, errors = read_yaml(text)
    validator = _Validator(municipality)
    validator.errors.extend(errors)
    spec = validator.document(data)
    if validator.errors or spec is None:
        all_errors = sorted(validator.errors, key=lambda e: (e.line is not None, e.line or 0))
        if len(all_errors) > MAX_ERRORS:
            rest = all_errors[MAX_ERRORS:]
            more = ngettext(
                "… and %(count)d more error from here on; correct the ones above first.",
                "… and %(count)d more errors from here on; correct the ones above first.",
                len(rest),
            ) % {"count": len(rest)}
            all_errors = [*all_errors[:MAX_ERRORS], PlanFileError(rest[0].line, more)]
        raise PlanFileInvalid(all_errors)
    return spec


def file_too_large_error() -> PlanFileError:
    return PlanFileError(
        None,
        _("The file is too large: at most %(max)d kB.") % {"max": settings.PLAN_FILE_MAX_BYTES // 1000},
    )


# --- Writing -------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _lf(text: str) -> str:
    """Line breaks as "\n", whatever a stored text has (CR LF from a browser before the
    forms normalised them, lib.forms.normalise_newlines): the same text, the same file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _str_representer(dumper: yaml.SafeDumper, value: str):
    value = _lf(value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
# A choice set in memory (Plan.Kind.HANDLINGSPLAN) is a str subclass: written as its value.
_Dumper.add_multi_representer(str, lambda dumper, value: _str_representer(dumper, str(value)))


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the file format, read in a fixed number of queries."""
    levels = list(plan.levels.order_by("depth"))
    goals = list(
        plan.goals.order_by("depth", "position", "pk").prefetch_related(
            "rights_areas",
            Prefetch(
                "responsibilities",
                queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("pk"),
            ),
        )
    )
    children: dict[int | None, list[Goal]] = {}
    for goal in goals:
        children.setdefault(goal.parent_id, []).append(goal)

    def goal_data(goal: Goal) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(goal.identity), "code": goal.code, "title": goal.title}
        level_kind = levels[goal.depth - 1].goal_kind if goal.depth <= len(levels) else ""
        if goal.kind and goal.kind != level_kind:
            out["kind"] = goal.kind
        elif not goal.kind and level_kind:
            out["kind"] = ""
        for key in ("description", "guidance"):
            if getattr(goal, key):
                out[key] = _lf(getattr(goal, key))
        areas = [a.code for a in sorted(goal.rights_areas.all(), key=lambda a: a.position)]
        if areas:
            out["rights_areas"] = areas
        responsible: dict[str, Any] = {}
        if goal.all_units:
            responsible["all_units"] = True
        resps = sorted(goal.responsibilities.all(), key=lambda r: r.pk)
        for key, role in (("primary", GoalResponsibility.Role.PRIMARY), ("co_responsible", GoalResponsibility.Role.CO)):
            names = [r.short_name for r in resps if r.role == role]
            if names:
                responsible[key] = names
        if responsible:
            out["responsible"] = responsible
        kids = children.get(goal.pk, [])
        if kids:
            out["goals"] = [goal_data(k) for k in kids]
        return out

    plan_data: dict[str, Any] = {"title": plan.title, "kind": plan.kind, "status": plan.status}
    if plan.version != 1:
        plan_data["version"] = plan.version
    keys = (
        "dnr",
        "valid_from",
        "valid_to",
        "adopted_by",
        "adopted_on",
        "adopted_paragraph",
        "overall_goal",
        "description",
    )
    for key in keys:
        value = getattr(plan, key)
        if value not in (None, ""):
            plan_data[key] = _lf(value) if isinstance(value, str) else value
    level_data = []
    for level in levels:
        entry: dict[str, Any] = {"name": level.name}
        if level.goal_kind:
            entry["goal_kind"] = level.goal_kind
        level_data.append(entry)
    out = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "plan": plan_data,
        "levels": level_data,
        "goals": [goal_data(g) for g in children.get(None, [])],
    }
    steering: dict[str, Any] = {}
    contact_units = [u.short_name for u in plan.contact_units.order_by("name")]
    if contact_units:
        steering["contact_units"] = contact_units
    support = []
    relations = plan.support_relations.select_related("supporter").prefetch_related(
        "supported_units", "supported_groups"
    )
    for relation in relations.order_by("pk"):
        entry = {"unit": relation.supporter.short_name, "kind": relation.kind}
        entry["supports"] = [u.short_name for u in sorted(relation.supported_units.all(), key=lambda u: u.name)] + [
            g.short_name for g in sorted(relation.supported_groups.all(), key=lambda g: g.name)
        ]
        if relation.area:
            entry["area"] = relation.area
        support.append(entry)
    if support:
        steering["support"] = support
    references = []
    for ref in plan.references.order_by("pk"):
        entry = {"title": ref.title, "kind": ref.kind}
        for key in ("url", "note"):
            if getattr(ref, key):
                entry[key] = getattr(ref, key)
        references.append(entry)
    if references:
        steering["references"] = references
    if steering:
        out["steering"] = steering
    return out


def dump_plan(plan: Plan) -> str:
    header = (
        f"# Inkludera plan file, format version {FORMAT_VERSION} (docs/plan-file-format.md).\n"
        f"# {plan.municipality.name} ({plan.municipality.code}): {plan.title}\n"
    )
    body = yaml.dump(
        plan_to_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return header + body
