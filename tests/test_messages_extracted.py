"""Every text marked for translation in Python reaches the translators.

``makemessages`` runs xgettext, which does not look inside f-strings (Debian's
gettext 0.21): ``f"({gettext('no longer responsible')})"`` is never extracted,
so the Swedish catalogue drops its entry as obsolete at the next run and the
page shows the English text. The goal page's history grid did so. This test
reads the project's Python and refuses a translation call inside an f-string's
replacement field: call it outside and put the result in."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".cache", "node_modules", "migrations", "tests", "bench", "var"}
TRANSLATING = {
    "_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
    "npgettext_lazy", "gettext_noop",
}  # fmt: skip


def translation_calls_in_fstrings(source: str) -> list[int]:
    """The lines of the translation calls inside f-strings' replacement fields."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for value in node.values:
            if not isinstance(value, ast.FormattedValue):
                continue
            for inner in ast.walk(value.value):
                if isinstance(inner, ast.Call):
                    func = inner.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if name in TRANSLATING:
                        lines.append(inner.lineno)
    return lines


def project_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIP & set(path.relative_to(ROOT).parts[:-1]) and not path.name.startswith("test_")
    ]


def test_no_translation_call_inside_an_fstring():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_files()
        for line in translation_calls_in_fstrings(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Translation calls inside f-strings (makemessages misses them):\n" + "\n".join(found)


def test_the_check_finds_one():
    assert translation_calls_in_fstrings("x = f\"({gettext('no longer responsible')})\"") == [1]
    assert translation_calls_in_fstrings("x = f\"{a} {_('of')}\"\ny = _('of')") == [1]
    assert translation_calls_in_fstrings("label = _('of')\nx = f'{label}'") == []


def test_the_files_read_include_the_app_code():
    names = {str(path.relative_to(ROOT)) for path in project_files()}
    assert "plans/templatetags/history_grid.py" in names and "reports/render.py" in names
    assert not any(part in SKIP for name in names for part in Path(name).parts[:-1])
