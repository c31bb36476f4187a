"""targets/flags.py: one vocabulary of per-value flags; an estimate is never a flag."""

from __future__ import annotations

import pytest

from targets.flags import (
    ESTIMATE_CODE,
    FLAG_IDS,
    UNKNOWN_CODE,
    flag_label,
    flag_reason,
    is_flag,
    read_flag,
)


@pytest.mark.parametrize(
    ("written", "flag"),
    [
        ("prelim", "prelim"), ("初步", "prelim"), ("（p）", "prelim"), ("Preliminary", "prelim"),
        ("approx", "approx"), ("左右", "approx"), ("超过", "approx"), ("突破", "approx"),
        ("口径不同", "different-scope"), ("different-definition", "different-definition"),
        ("", ""), (None, ""), (float("nan"), ""), ("正式", ""),
    ],
)  # fmt: skip
def test_spellings_of_each_flag(written: object, flag: str) -> None:
    assert read_flag(written) == (flag, None)


def test_an_estimate_and_an_unknown_word_are_refused_with_their_code() -> None:
    assert read_flag("预计") == ("", ESTIMATE_CODE)
    assert read_flag(" Estimate ") == ("", ESTIMATE_CODE)
    assert read_flag("maybe") == ("", UNKNOWN_CODE)


def test_every_flag_has_words_in_both_languages() -> None:
    assert FLAG_IDS == ("prelim", "approx", "different-scope", "different-definition")
    for flag in FLAG_IDS:
        assert is_flag(flag)
        assert flag_label(flag, "zh") and flag_label(flag, "en") != flag_label(flag, "zh")
        assert flag_reason(flag, "en") and flag_reason(flag, "zh")
    assert flag_label("approx", "zh") == "约数"
    assert not is_flag("") and not is_flag(None) and flag_reason("") == ""
