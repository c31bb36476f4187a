"""targets/coding.py: observations as sorted integer keys, and the sorted-array tools."""

from __future__ import annotations

import numpy as np

from targets.coding import CodedSeries, encode, merge_sorted, region_runs, union_sorted
from tests.test_aggregate import obs


def test_encode_sorts_and_keeps_the_last_of_a_repeated_key() -> None:
    frame = obs([("b", "r", 2021, 1.0), ("a", "r", 2020, 2.0), ("b", "r", 2021, 3.0)])
    coded = encode(frame)
    assert list(coded.key) == sorted(coded.key)
    assert sorted(coded.value.tolist()) == [2.0, 3.0]
    assert list(coded.row) in ([1, 2], [2, 1])


def test_encode_keeps_names_with_their_values_in_any_row_order() -> None:
    # sorted by name as the store returns it; region codes by first appearance would not be
    rows = [("a", "shanghai", 2020, 1.0), ("b", "anhui", 2020, 2.0), ("b", "shanghai", 2020, 3.0)]
    for frame in (obs(rows), obs(rows[::-1]), obs([rows[1], rows[0], rows[2]])):
        coded = encode(frame)
        assert list(coded.key) == sorted(coded.key)
        got = {
            (coded.indicators[i], coded.regions[r], int(y), v)
            for i, r, y, v in zip(coded.ind, coded.reg, coded.year, coded.value, strict=True)
        }
        assert got == set(rows)


def test_series_lookup_and_merge() -> None:
    a = CodedSeries(np.array([1, 5, 9], dtype=np.int64), np.array([1.0, 5.0, 9.0]))
    b = CodedSeries(np.array([3, 7], dtype=np.int64), np.array([3.0, 7.0]))
    np.testing.assert_array_equal(a.at(np.array([5, 6, 9])), [5.0, np.nan, 9.0])
    merged = a.merge(b)
    assert merged.keys.tolist() == [1, 3, 5, 7, 9]
    assert merged.values.tolist() == [1.0, 3.0, 5.0, 7.0, 9.0]
    assert len(CodedSeries.empty().at(np.array([1]))) == 1


def test_sorted_array_tools() -> None:
    keys, from_b = merge_sorted(np.array([2, 8], dtype=np.int64), np.array([5], dtype=np.int64))
    assert keys.tolist() == [2, 5, 8] and from_b.tolist() == [False, True, False]
    assert union_sorted([np.array([1, 4]), np.array([1, 4]), np.array([2])]).tolist() == [1, 2, 4]
    # region 1's keys are 1 << 16 | year: positions 1 and 2 of these sorted keys
    series = np.array([(0 << 16) | 2020, (1 << 16) | 2020, (1 << 16) | 2021, (2 << 16) | 2020])
    assert region_runs(series, np.array([1], dtype=np.int64)).tolist() == [1, 2]
    assert region_runs(series, np.array([0, 2], dtype=np.int64)).tolist() == [0, 3]


def test_codes_of_arrow_text_equal_those_of_python_text() -> None:
    """The store's text columns are Arrow strings: coded in Arrow, they must give the same codes
    and names, in the same order, as the same text held as Python objects."""
    import pandas as pd

    from targets.coding import _codes

    sorted_runs = ["gdp"] * 40 + ["rd_intensity"] * 30 + ["urban"] * 30  # the store's order
    columns = [
        sorted_runs,
        sorted_runs[::-1],
        [f"r{i % 7}" for i in range(100)],  # a run per row: the other branch
        ["安徽", None, "上海", "安徽", None],  # missing ids code as -1
        ["x"],
        [],
    ]
    for values in columns:
        arrow = pd.Series(values, dtype="str")
        assert isinstance(arrow.dtype, pd.StringDtype) and arrow.dtype.storage == "pyarrow"
        codes, names = _codes(arrow)
        want_codes, want_names = _codes(pd.Series(values, dtype=object))
        assert codes.tolist() == want_codes.tolist() and names == want_names
        assert codes.dtype == np.int64
    codes, names = _codes(pd.Series(sorted_runs[::-1], dtype="str"))
    assert names == ["urban", "rd_intensity", "gdp"]
    assert codes[:30].tolist() == [0] * 30 and codes[-1] == 2
    codes, names = _codes(pd.Series(["安徽", None, "上海", "安徽", None], dtype="str"))
    assert codes.tolist() == [0, -1, 1, 0, -1] and names == ["安徽", "上海"]
