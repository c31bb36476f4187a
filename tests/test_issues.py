"""The issue-code registry: every code has advice, and the README's table says it."""

from __future__ import annotations

from pathlib import Path

from targets.issues import ADVICE, CODES, Issue

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
