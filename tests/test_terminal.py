"""targets.terminal: control characters escaped for display, kept exact in JSON."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from targets.terminal import is_safe, safe, safe_frame, safe_json


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain 安徽 text", "plain 安徽 text"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x07\x7f\x9b", "\\x00\\x07\\x7f\\x9b"),
        ("abc\u202edcba\u2066x\u2069", "abc\\u202edcba\\u2066x\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
        ("back\\slash", "back\\slash"),
    ],
)
def test_safe_escapes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert safe(text) == shown
    assert is_safe(safe(text)) and is_safe(text) == (text == shown)


def test_safe_frame_escapes_text_cells_and_leaves_numbers_and_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "note": pd.Series(["a\x1bb", None], dtype="str"),
            "obj": pd.Series(["\r", 3], dtype=object),
            "value": [1.5, float("nan")],
        }
    )
    out = safe_frame(frame)
    assert out["note"].tolist()[0] == "a\\x1bb" and pd.isna(out["note"].tolist()[1])
    assert out["obj"].tolist() == ["\\r", 3]
    assert out["value"].tolist()[0] == 1.5 and pd.isna(out["value"].tolist()[1])
    assert list(out.dtypes) == list(frame.dtypes)
    assert frame["note"].tolist()[0] == "a\x1bb"  # the input is not changed


def test_safe_json_is_lossless() -> None:
    data = {"note": "\x1b[2J\x7f\x9b\u202e\u2028 安徽", "n": 1}
    text = safe_json(json.dumps(data, ensure_ascii=False))
    assert is_safe(text) and "安徽" in text
    assert json.loads(text) == data
