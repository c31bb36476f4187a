"""parse_value, parse_column and unit_factor: every spelling of a number, of missing, of a unit."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targets.ingest.values import (
    mark_meaning,
    parse_column,
    parse_value,
    scale_exactly,
    unit_factor,
)


@pytest.mark.parametrize(
    ("cell", "hint", "value", "scale"),
    [
        (3.1, None, 3.1, 1.0),
        (42, None, 42.0, 1.0),
        ("3.1", None, 3.1, 1.0),
        (" 3.1 ", None, 3.1, 1.0),
        ("-0.5", None, -0.5, 1.0),
        ("+7", None, 7.0, 1.0),
        (".5", None, 0.5, 1.0),
        ("1e3", None, 1000.0, 1.0),
        ("3.1%", "%", 3.1, 1.0),
        ("3.1 %", None, 3.1, 1.0),
        ("３．１％", "%", 3.1, 1.0),  # full-width digits, point and percent
        ("１２３", None, 123.0, 1.0),
        ("1,234.5", None, 1234.5, 1.0),
        ("12,345,678", None, 12345678.0, 1.0),
        ("１，２３４", None, 1234.0, 1.0),
        ("−2.5", None, -2.5, 1.0),  # U+2212 minus sign
        ("3.5万", "件", 35000.0, 1e4),
        ("3.5万", None, 35000.0, 1e4),
        ("1.2亿", "万元", 12000.0, 1e4),
        ("2亿", "元", 2e8, 1e8),
        ("1.2万", "万元", 1.2, 1.0),  # the suffix restates the unit
        ("3.1%", "比例", 0.031, 0.01),
    ],
)
def test_numbers(cell: object, hint: str | None, value: float, scale: float) -> None:
    pv = parse_value(cell, unit_hint=hint)
    assert pv.error is None and not pv.missing
    assert pv.value == pytest.approx(value, rel=1e-12)
    assert pv.scale == scale


@pytest.mark.parametrize(
    "cell",
    [None, "", "  ", "—", "——", "－", "-", "--", "…", "...", "……", "n/a", "N/A", "NA", "na", "/", "x",
     "X", "nan", float("nan"), pd.NA, "#N/A", "–", "―"],
)  # fmt: skip
def test_missing_spellings_are_missing_not_zero(cell: object) -> None:
    pv = parse_value(cell)
    assert pv.missing and pv.value is None and pv.error is None


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("abc", "bad-value"),
        ("3,5", "bad-value"),  # a decimal comma is ambiguous: refused, never guessed
        ("1.234,5", "bad-value"),
        ("12,34", "bad-value"),
        ("约3.1左右", "bad-value"),  # two words on one number: not one value
        (">3", "bad-value"),
        ("3.1.2", "bad-value"),
        ("inf", "bad-value"),
        (float("inf"), "bad-value"),
        (True, "bad-value"),
        (datetime(2023, 1, 1), "bad-value"),
        (date(2023, 1, 1), "bad-value"),
        ("#DIV/0!", "bad-value"),
        ("3.1%", "unit-mismatch"),  # with hint 亿元 below
    ],
)
def test_refused(cell: object, code: str) -> None:
    hint = "亿元" if code == "unit-mismatch" else None
    pv = parse_value(cell, unit_hint=hint)
    assert pv.error == code and pv.value is None and not pv.missing
    assert pv.message


def test_suffix_where_the_unit_cannot_count_in_wan() -> None:
    pv = parse_value("3万", unit_hint="%")
    assert pv.error == "unit-mismatch"
    assert parse_value("3万", unit_hint="件/万人").error == "unit-mismatch"


@pytest.mark.parametrize("hint", ["亿元", "亿美元", "亿千瓦时"])
def test_wan_under_a_yi_unit_is_refused(hint: str) -> None:
    # 4.7万 in a 亿元 column was stored as 0.00047 亿元 (read as 4.7万元); a release writing
    # 4.7万亿元 means 47,000 亿元. Either reading is a guess: refused at the cell
    pv = parse_value("4.7万", unit_hint=hint)
    assert pv.value is None and pv.error == "unit-mismatch"
    assert "4.7万" in pv.message and hint in pv.message


@pytest.mark.parametrize(
    ("given", "expected", "factor"),
    [
        ("亿元", "亿元", 1.0),
        ("万元", "亿元", 1e-4),
        ("元", "亿元", 1e-8),
        ("亿元", "万元", 1e4),
        ("人", "万人", 1e-4),
        ("万件", "件", 1e4),
        ("％", "%", 1.0),
        ("（%）", "%", 1.0),
        ("ug/m3", "μg/m³", 1.0),
        ("比例", "%", 100.0),
        ("ratio", "%", 100.0),
        ("‰", "%", 0.1),  # shares of a whole: 3.29‰ is 0.329%
        ("%", "‰", 10.0),
        ("", "亿元", 1.0),  # no unit given: the catalogue's
    ],
)
def test_unit_factor_certain(given: str, expected: str, factor: float) -> None:
    assert unit_factor(given, expected) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("美元", "元"), ("%", "亿元"), ("万人", "亿元"), ("%", "比例"), ("‰", "亿元"), ("吨", "万元"),
     ("件/万人", "件")],
)  # fmt: skip
def test_unit_factor_refuses_the_uncertain(given: str, expected: str) -> None:
    assert unit_factor(given, expected) is None


def test_parse_column_matches_parse_value() -> None:
    cells = pd.Series([1.5, "2.5", "3.1%", "—", None, "1,234", "abc", 7, "", "3万"], dtype=object)
    hints = pd.Series(["%", "%", "%", "%", "%", "件", "%", "%", "%", "件"], dtype=object)
    col = parse_column(cells, hints)
    for i, (cell, hint) in enumerate(zip(cells, hints, strict=True)):
        pv = parse_value(cell, unit_hint=hint)
        assert col.missing[i] == pv.missing
        assert col.error[i] == pv.error
        assert col.scale[i] == pv.scale
        if pv.value is None:
            assert np.isnan(col.value[i])
        else:
            assert col.value[i] == pv.value


def test_parse_column_on_text_dtype() -> None:
    col = parse_column(pd.Series(["1", "2.5", "", "x", "nan"], dtype="str"))
    assert col.value[:2].tolist() == [1.0, 2.5]
    assert col.missing.tolist() == [False, False, True, True, True]


_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=12),
        st.text(alphabet="0123456789.,-+%万亿 ０１２３４５６７８９．，％—…/xNAe", max_size=12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**15), max_value=10**15),
    ),
    st.sampled_from([None, "%", "亿元", "万元", "件", "比例"]),
)
def test_parse_value_never_invents(cell: object, hint: str | None) -> None:
    """Never crashes; a parsed value is a number written in the input, times its certain scale."""
    pv = parse_value(cell, unit_hint=hint)
    assert (pv.value is not None) + pv.missing + (pv.error is not None) == 1
    if pv.value is None:
        return
    assert math.isfinite(pv.value)
    if isinstance(cell, int | float):
        assert pv.value == float(cell) and pv.scale == 1.0
        return
    text = unicodedata.normalize("NFKC", str(cell)).replace(",", "").replace("\u2212", "-")
    written = [float(m) for m in _NUM.findall(text)]
    assert any(pv.value == pytest.approx(w * pv.scale, rel=1e-12, abs=1e-300) for w in written)
    assert pv.scale in (1.0, 1e4, 1e8, 1e12, 0.01, 1e-4, 1e8 / 1e4)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="0123456789.,-+%万亿 ０１２３e_xX/—", max_size=8),
            st.floats(allow_nan=True, allow_infinity=True),
            st.none(),
        ),
        max_size=20,
    ),
    st.sampled_from([None, "%", "亿元", "件"]),
)
def test_parse_column_agrees_with_parse_value(cells: list[object], hint: str | None) -> None:
    series = pd.Series(cells, dtype=object)
    col = parse_column(
        series, None if hint is None else pd.Series([hint] * len(cells), dtype=object)
    )
    for i, cell in enumerate(cells):
        pv = parse_value(cell, unit_hint=hint)
        assert (col.missing[i], col.error[i], col.flag[i]) == (pv.missing, pv.error, pv.flag)
        if pv.value is not None:
            assert col.value[i] == pv.value


@pytest.mark.parametrize(
    ("cell", "value", "mark"),
    [
        ("3.29①", 3.29, "①"),  # NFKC would make it 3.291
        ("3.29 ②", 3.29, "②"),
        ("3.29¹", 3.29, "¹"),
        ("3.29⑴", 3.29, "⑴"),
        ("4.1*", 4.1, "*"),
        ("4.1**", 4.1, "**"),
        ("4.1＃", 4.1, "＃"),
        ("4.1△", 4.1, "△"),
        ("2.6(p)", 2.6, "(p)"),
        ("2.6（P）", 2.6, "（P）"),
        ("5.0r", 5.0, "r"),
        ("3.29%①", 3.29, "①"),
        ("1.2万*", 12000.0, "*"),
    ],
)
def test_footnote_marks_come_off_and_never_become_digits(
    cell: str, value: float, mark: str
) -> None:
    pv = parse_value(cell, unit_hint="%" if "%" in cell else None)
    assert (pv.value, pv.mark, pv.error) == (value, mark, None)


@pytest.mark.parametrize(
    ("cell", "hint", "value"),
    [
        ("4.4左右", "%", 4.4),
        ("4.4 左右", "%", 4.4),
        ("约4.4", "%", 4.4),
        ("大约 4.4", "%", 4.4),
        ("超过4.4", "%", 4.4),
        ("突破4.4", "%", 4.4),
        ("4.4以上", "%", 4.4),
        ("4.4%左右", "%", 4.4),
        ("约４.４％", "%", 4.4),  # full width, as NFKC reads it
        ("突破1.2万", "件", 12000.0),
    ],
)
def test_words_on_the_number_read_it_flagged_approx(cell: str, hint: str, value: float) -> None:
    pv = parse_value(cell, unit_hint=hint)
    assert (pv.value, pv.flag, pv.error) == (value, "approx", None)
    col = parse_column(pd.Series([cell, 4.4]), pd.Series([hint, hint]))
    assert (col.value.tolist(), col.flag.tolist()) == ([value, 4.4], ["approx", ""])


def test_a_mark_after_the_words_comes_off_too() -> None:
    pv = parse_value("4.4左右①", unit_hint="%")
    assert (pv.value, pv.flag, pv.mark) == (4.4, "approx", "①")


@pytest.mark.parametrize(
    ("cell", "code", "said"),
    [
        ("预计4.4", "estimate-value", "预计"),
        ("4.4（预计）", "estimate-value", "预计"),
        ("预计4.4左右", "estimate-value", "预计"),
        ("4.4-4.6", "bad-value", "is a range, not one value"),
        ("4.4～4.6", "bad-value", "is a range, not one value"),
        ("4.4至4.6", "bad-value", "is a range, not one value"),
        ("4.4左右或更高", "bad-value", "is not one value"),
        ("约4.4左右", "bad-value", "is not one value"),
        ("4.4以下", "bad-value", "is not one value"),
        ("近4.4", "bad-value", "is not one value"),
        ("左右", "bad-value", "is not one value"),
    ],
)
def test_estimates_ranges_and_two_words_are_refused(cell: str, code: str, said: str) -> None:
    pv = parse_value(cell, unit_hint="%")
    assert (pv.error, pv.value, pv.flag) == (code, None, "")
    assert said in pv.message


@pytest.mark.parametrize("cell", ["①3.29", "3.2₁", "½", "3.2Ⅱ", "△3.29", "3r5", "3.29e"])
def test_anything_else_around_a_number_is_refused(cell: str) -> None:
    pv = parse_value(cell)
    assert pv.error == "bad-value" and pv.value is None


def test_mark_meanings() -> None:
    assert mark_meaning("(p)") == ("(p) 初步数 / preliminary", "prelim")
    assert mark_meaning("r")[1] == "revised"
    assert mark_meaning("①")[0].startswith("① ")


@pytest.mark.parametrize(
    ("value", "factor", "expected"),
    [(0.0329, 100.0, 3.29), (47218.66, 1e-4, 4.721866), (3.3, 0.1, 0.33), (1.2, 1e4, 12000.0)],
)
def test_scaling_shifts_the_decimal_point_exactly(
    value: float, factor: float, expected: float
) -> None:
    # 0.0329 * 100 is 3.2899999999999996 in floating point: a number nobody wrote
    assert scale_exactly(value, factor) == expected


def test_per_mille_text_converts_to_percent() -> None:
    assert parse_value("3.29‰", unit_hint="%").value == 0.329
    assert parse_value("3.29‰", unit_hint="亿元").error == "unit-mismatch"


def test_scaling_reads_the_number_to_excels_fifteen_digits() -> None:
    # =38.16/100 holds 0.38159999999999994 and shows 38.16%
    assert scale_exactly(38.16 / 100, 100.0) == 38.16


def test_text_numbers_read_as_pandas_reads_them() -> None:
    """Plain decimals go through Arrow, the rest through pd.to_numeric: the same double either
    way, bit for bit, sign of zero included, and NaN for what is not a number."""
    from targets.ingest.values import _text_numbers

    rng = np.random.default_rng(17)
    texts = [
        f"{x:.{d}f}" for d in range(15) for x in rng.random(2000) * 10.0 ** rng.integers(-3, 9)
    ]
    texts += [str(int(x)) for x in rng.integers(-(10**14), 10**14, 2000)]
    texts += ["-0", "-0.0", "0", "0.0", "00.5", "007", "-0.5", "+3", ".5", "5.", " 12", "12 ",
              "1e5", "1E-3", "1_000", "１２", "inf", "-inf", "nan", "1,000", "", "-", "12345678901234",
              "123456789012345", "1234567890123456", "0.12345678901234", "99999999999999.9",
              "12345678901234567890", "-12345678901234567890", "0x10", "1.2.3", "٣"]  # fmt: skip
    cells = np.array(texts, dtype=object)
    got = _text_numbers(cells)
    want = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").to_numpy(dtype=float)
    assert [x.hex() for x in got.tolist()] == [x.hex() for x in want.tolist()]
    not_numbers = {t for t, x in zip(texts, got.tolist(), strict=True) if math.isnan(x)}
    assert not_numbers == {"1_000", "１２", "nan", "1,000", "", "-", "0x10", "1.2.3", "٣"}
