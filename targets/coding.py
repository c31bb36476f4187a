"""Observations as integer codes: the engine's shared vocabulary (targets.aggregate, targets.progress).

One sorted int64 key per observation, `indicator << 40 | region << 16 | year` (`Coded`), so that
grouping and "the latest value up to year Y" are array operations even on millions of
observations; `CodedSeries` is one series' values keyed `region << 16 | year`. The sorted-array
tools below work on such keys without hashing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

YEAR_BITS = 16
YEAR_MASK = (1 << YEAR_BITS) - 1
REGION_BITS = 24
IND_SHIFT = YEAR_BITS + REGION_BITS

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass
class Coded:
    """Observations as sorted integer keys (indicator << 40 | region << 16 | year) and values."""

    indicators: list[str]
    regions: list[str]
    key: IntArray
    value: FloatArray
    # position of the row in the source frame; -1 for a derived row
    row: IntArray
    # index into `notes` for a derived row; -1 for an observed one
    note: IntArray
    notes: list[str] = field(default_factory=list)

    @property
    def ind(self) -> IntArray:
        return self.key >> IND_SHIFT

    @property
    def reg(self) -> IntArray:
        return (self.key >> YEAR_BITS) & ((1 << REGION_BITS) - 1)

    @property
    def year(self) -> IntArray:
        return self.key & YEAR_MASK

    @property
    def derived(self) -> NDArray[np.bool_]:
        return self.row < 0

    def ind_code(self, indicator: str) -> int:
        """The code of an indicator id, or -1 when no observation has it."""
        return self._ind_index.get(indicator, -1)

    def find_region(self, region: str) -> int:
        """The code of a region id, or -1 when unknown."""
        return self._reg_index.get(region, -1)

    def reg_code(self, region: str) -> int:
        """The code of a region id, adding it to the table when new."""
        code = self._reg_index.get(region)
        if code is None:
            code = len(self.regions)
            self.regions.append(region)
            self._reg_index[region] = code
        return code

    def __post_init__(self) -> None:
        self._ind_index = {name: i for i, name in enumerate(self.indicators)}
        self._reg_index = {name: i for i, name in enumerate(self.regions)}

    def add_indicator(self, indicator: str) -> int:
        code = self._ind_index.get(indicator)
        if code is None:
            code = len(self.indicators)
            self.indicators.append(indicator)
            self._ind_index[indicator] = code
        return code


def _codes(column: pd.Series) -> tuple[IntArray, list[str]]:
    """Integer codes and names of a text column; fast on the store's sorted output (few runs)."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        return _arrow_codes(column)
    values = column.to_numpy(dtype=object)
    n = len(values)
    if n > 1:
        starts = np.flatnonzero(np.append(True, values[1:] != values[:-1]))
        if len(starts) * 4 < n:
            # code only the first row of each run and repeat: avoids hashing every row
            run_codes, uniques = pd.factorize(values[starts], sort=False)
            lengths = np.diff(np.append(starts, n))
            codes = np.repeat(run_codes.astype(np.int64), lengths)
            return codes, [str(u) for u in uniques]
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _arrow_codes(column: pd.Series) -> tuple[IntArray, list[str]]:
    """_codes of a text column held as Arrow strings (the store's reads), without making a Python
    string per row: at 10 million rows that conversion alone took seconds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.array
    n = len(array)
    if n > 1 and not column.isna().any():
        arrow = pa.chunked_array(pa.array(array))
        # where a row differs from the one before: the runs, compared in Arrow's C++ kernels
        changed = pc.not_equal(arrow.slice(1), arrow.slice(0, n - 1))
        starts = np.flatnonzero(np.append(True, changed.to_numpy()))
        if len(starts) * 4 < n:
            run_codes, uniques = pd.factorize(array.take(starts), sort=False)
            codes = np.repeat(run_codes.astype(np.int64), np.diff(np.append(starts, n)))
            return codes, [str(u) for u in uniques]
    # Arrow's dictionary encoding: codes in order of first appearance, -1 for a missing value
    codes, uniques = pd.factorize(array, sort=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def is_sorted(key: IntArray) -> bool:
    return len(key) < 2 or bool(np.all(key[1:] >= key[:-1]))


def _sort_order(ind: IntArray, reg: IntArray, year: IntArray, key: IntArray) -> IntArray | None:
    """The permutation that sorts `key`, or None when it is sorted already (the store's order)."""
    if is_sorted(key):
        return None
    n_reg = int(reg.max()) + 1
    pair = ind * n_reg + reg
    if int(pair.max()) <= 0xFFFF:
        # two stable 16-bit passes are radix sorts: about twice as fast as one int64 argsort
        order = np.argsort(year.astype(np.uint16), kind="stable")
        return order[np.argsort(pair[order].astype(np.uint16), kind="stable")]
    return np.argsort(key, kind="stable")


def encode(obs: pd.DataFrame, regions: Iterable[str] = ()) -> Coded:
    """Observations (indicator, region, year, value …) → Coded; rows without a value are dropped.

    Where a key occurs twice the later row wins (the frame is expected to hold values in force).
    """
    value = pd.to_numeric(obs["value"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    year_col = pd.to_numeric(obs["year"], errors="coerce")
    keep = ~np.isnan(value) & year_col.notna().to_numpy()
    rows = np.flatnonzero(keep).astype(np.int64)
    if len(rows) < len(obs):
        obs = obs.iloc[rows]
        value = value[rows]
        year_col = year_col.iloc[rows]
    year = year_col.to_numpy(dtype=np.int64)
    if len(year) and (year.min() < 0 or year.max() > YEAR_MASK):
        raise ValueError(f"years must lie in 0..{YEAR_MASK}")
    ind, ind_names = _codes(obs["indicator"])
    reg, reg_names = _codes(obs["region"])
    named = (ind >= 0) & (reg >= 0)  # factorize codes a missing id as -1
    if not named.all():
        ind, reg, year, value, rows = ind[named], reg[named], year[named], value[named], rows[named]
    known = set(reg_names)
    reg_names += [r for r in regions if r not in known]
    if len(reg_names) >= 1 << REGION_BITS:
        raise ValueError("too many regions")
    key = (ind << IND_SHIFT) | (reg << YEAR_BITS) | year
    if not is_sorted(key):
        # the store sorts by name: with codes in name order its output needs no sorting at all
        ind_rank = np.argsort(np.argsort(np.array(ind_names, dtype=object), kind="stable"))
        reg_rank = np.argsort(np.argsort(np.array(reg_names, dtype=object), kind="stable"))
        by_name = (ind_rank[ind] << IND_SHIFT) | (reg_rank[reg] << YEAR_BITS) | year
        if is_sorted(by_name):
            ind_names = [ind_names[i] for i in np.argsort(ind_rank)]
            reg_names = [reg_names[i] for i in np.argsort(reg_rank)]
            ind, reg, key = ind_rank[ind], reg_rank[reg], by_name
    order = _sort_order(ind, reg, year, key)
    if order is not None:
        key, value, rows = key[order], value[order], rows[order]
    if len(key) > 1:
        # a repeated key: keep the last row given (stable sort kept the given order)
        last = np.append(key[1:] != key[:-1], True)
        if not last.all():
            key, value, rows = key[last], value[last], rows[last]
    return Coded(
        indicators=ind_names,
        regions=reg_names,
        key=key,
        value=value,
        row=rows,
        note=np.full(len(key), -1, dtype=np.int64),
    )


# --------------------------------------------------------------------------- sorted-array tools


def member_of(a: IntArray, b: IntArray) -> NDArray[np.bool_]:
    """a ∈ b, elementwise, for b sorted (a binary search: no hashing of millions of keys)."""
    if len(b) == 0 or len(a) == 0:
        return np.zeros(len(a), dtype=bool)
    pos = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return np.asarray(b[pos] == a)


def region_runs(keys: IntArray, regions: IntArray) -> IntArray:
    """Positions of the series keys (region << YEAR_BITS | year, sorted) of the given regions
    (sorted), in key order.

    Each region's keys are one contiguous run: two binary searches per region instead of one
    membership test per key (an aggregate has tens of members, a series millions of keys).
    """
    lo = np.searchsorted(keys, regions << YEAR_BITS)
    hi = np.searchsorted(keys, (regions + 1) << YEAR_BITS)
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return np.array([], dtype=np.int64)
    # the runs' positions one after the other: lo[i], lo[i] + 1, …, hi[i] - 1 for each region
    offsets = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
    return (offsets + np.arange(total)).astype(np.int64)


def merge_sorted(a: IntArray, b: IntArray) -> tuple[IntArray, NDArray[np.bool_]]:
    """Merge two sorted disjoint key arrays: (merged keys, mask of the positions that came from b)."""
    from_b = np.zeros(len(a) + len(b), dtype=bool)
    from_b[np.searchsorted(a, b) + np.arange(len(b))] = True
    keys = np.empty(len(a) + len(b), dtype=np.int64)
    keys[from_b] = b
    keys[~from_b] = a
    return keys, from_b


def union_sorted(arrays: Sequence[IntArray]) -> IntArray:
    """Sorted union of sorted unique key arrays (cheap when they are equal, the common case)."""
    out = arrays[0] if arrays else np.array([], dtype=np.int64)
    for other in arrays[1:]:
        if len(other) == len(out) and np.array_equal(other, out):
            continue
        out = merge_sorted(out, other[~member_of(other, out)])[0]
    return out


@dataclass
class CodedSeries:
    """One series' values: keys (region << 16 | year) sorted and unique, and values."""

    keys: IntArray
    values: FloatArray

    @staticmethod
    def empty() -> CodedSeries:
        return CodedSeries(np.array([], dtype=np.int64), np.array([], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.keys)

    def at(self, keys: IntArray) -> FloatArray:
        """Values at the given keys, NaN where absent."""
        if len(self.keys) == 0:
            return np.full(len(keys), np.nan)
        pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[pos] == keys, self.values[pos], np.nan)

    def merge(self, other: CodedSeries) -> CodedSeries:
        """self ∪ other, keys disjoint."""
        if len(other) == 0:
            return self
        keys, from_other = merge_sorted(self.keys, other.keys)
        values = np.empty(len(keys), dtype=np.float64)
        values[from_other] = other.values
        values[~from_other] = self.values
        return CodedSeries(keys, values)

    def select(self, mask: NDArray[np.bool_]) -> CodedSeries:
        return CodedSeries(self.keys[mask], self.values[mask])
