"""dashboard/i18n.py: one catalogue of interface words; every word in both languages, every key
a page asks for exists, and no page keeps words of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from dashboard.i18n import TEXT, t

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
SOURCES = sorted(DASHBOARD.rglob("*.py"))
SWITCH = ("switch_to_other", "switch_label")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_word_in_both_languages_with_the_same_placeholders(key: str) -> None:
    zh, en = TEXT[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)
    if key not in SWITCH:  # the language switch is worded in the language it switches to
        # Chinese text is Chinese: an untranslated English copy would pass the checks above
        assert zh != en and re.search(r"[\u3000-\u9fff]", zh)


def _keys_in(arg: ast.expr) -> list[str]:
    """The literal keys an argument can take: a string, or either branch of `a if c else b`."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        return _keys_in(arg.body) + _keys_in(arg.orelse)
    return []


def _literal_keys(source: Path) -> list[tuple[int, str]]:
    """The keys passed as string literals to t(...) in one module."""
    return [
        (node.lineno, key)
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "t"
        and node.args
        for key in _keys_in(node.args[0])
    ]


def test_every_key_a_page_asks_for_is_in_the_catalogue() -> None:
    missing = [
        f"{src.relative_to(DASHBOARD.parent)}:{line}: {key}"
        for src in SOURCES
        for line, key in _literal_keys(src)
        if key not in TEXT
    ]
    assert len([k for src in SOURCES for k in _literal_keys(src)]) > 200
    assert missing == []


def test_no_module_keeps_a_word_list_of_its_own() -> None:
    """The one lookup is i18n.t: no other TEXT dict, no tx() beside it."""
    own = []
    for src in SOURCES:
        if src.name == "i18n.py":
            continue
        for node in ast.parse(src.read_text(encoding="utf-8")).body:
            names = [getattr(x, "id", "") for x in getattr(node, "targets", [])]
            names.append(getattr(getattr(node, "target", None), "id", ""))
            if "TEXT" in names or (isinstance(node, ast.FunctionDef) and node.name == "tx"):
                own.append(f"{src.name}:{node.lineno}")
    assert own == []


def test_lookup_fills_placeholders_in_either_language() -> None:
    assert t("upload_accepted", "en", rows=12) == "Ready to import: 12 rows"
    assert t("upload_accepted", "zh", rows=12) == "可以导入：12 行"
    assert t("upload_accepted", "fr", rows=1) == "可以导入：1 行"  # unknown language: Chinese
