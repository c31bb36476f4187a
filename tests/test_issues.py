"""The issue-code registry: every code has advice, and the README's table says it."""

from __future__ import annotations

from pathlib import Path

import pytest

from targets.issues import (
    ADVICE,
    CODES,
    WARNINGS,
    Issue,
    Notice,
    notice,
    notices_from_json,
    notices_json,
)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_code_says_what_to_do_in_both_languages() -> None:
    assert set(ADVICE) == set(CODES)
    assert all(en and zh for en, zh in ADVICE.values())


def test_the_readme_table_has_a_row_per_code_with_its_advice() -> None:
    text = README.read_text(encoding="utf-8")
    for code, (en, zh) in CODES.items():
        assert f"| `{code}` | {en} | {zh} | {ADVICE[code][0]} |" in text, code


def test_a_suggestion_is_part_of_the_json_and_the_text() -> None:
    issue = Issue(
        "unknown-region", "unknown region '安微'", "a.csv", "S", 3, "A", "did you mean 安徽?"
    )
    assert issue.to_dict()["suggestion"] == "did you mean 安徽?"
    assert str(issue) == "a.csv:S:A3: [unknown-region] unknown region '安微' (did you mean 安徽?)"


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_every_warning_in_both_languages_with_the_same_fields(code: str) -> None:
    import re
    import string

    zh, en = WARNINGS[code]
    if code == "status-change":  # worded by targets.alerts in both languages
        assert (zh, en) == ("{zh}", "{en}")
        return
    fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (zh, en)]
    assert fields[0] == fields[1]
    assert re.search(r"[\u4e00-\u9fff]", zh) and zh != en


def test_a_warning_is_stored_in_both_languages_and_read_back() -> None:
    made = notice("identical", id=3, file="a.csv")
    assert made.text("zh") == "与导入批次 #3（a.csv）完全相同；未存储任何数据"
    assert made.text("en") == "identical to import #3 (a.csv); nothing stored"
    stored = notices_json([made, "written before: one language"])
    assert notices_from_json(stored) == [made, Notice("", *["written before: one language"] * 2)]
    with pytest.raises(ValueError, match="unregistered warning code"):
        Notice("no-such-code", "中", "en")
