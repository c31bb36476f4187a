"""Which exported texts a spreadsheet would run as a formula, and only those neutralised."""

from __future__ import annotations

import pandas as pd
import pytest

from targets.formula_injection import neutralise, neutralise_frame, runs_as_formula


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "-1+1",
        "+A1",
        "-SUM(A1:A3)",
        "\t=1",
        "\r=1",
        "-",
        "-x",
        "-189.3% 占全域差距=A1",
        "+5 (A1)",
    ],
)
def test_formula_texts_are_neutralised(text: str) -> None:
    assert runs_as_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["-189.3% 占全域差距", "+2.5% of the gap", "-1,200 revised", "占全域差距", "a-b", ""]
)
def test_signed_numbers_with_words_and_plain_text_are_left_alone(text: str) -> None:
    assert not runs_as_formula(text)
    assert neutralise(text) == text


def test_frames_neutralise_text_columns_only() -> None:
    frame = pd.DataFrame({"n": [-1.5, 2.0], "t": ["=1+1", "-3.0% 占总量"]})
    out = neutralise_frame(frame)
    assert out["n"].tolist() == [-1.5, 2.0]
    assert out["t"].tolist() == ["'=1+1", "-3.0% 占总量"]
