"""Cell values and units: what a statistics cell says, and whether its unit converts with certainty.

`parse_value` reads one cell; `parse_column` does a whole column, parsing each distinct text once.
A value is never invented: the number stored is the number written, times a scaling that is
certain (a `万`/`亿` suffix, a `%` sign, or a unit conversion such as 万元 → 亿元).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

# Spellings of "no value" in statistics tables: dashes of every width, ellipses, n/a, the
# confidentiality mark x. Missing is neither an error nor zero.
_MISSING_WORDS = frozenset(
    {"", "n/a", "na", "n.a.", "n.a", "nan", "null", "/", "x", "#n/a", "无数据", "不详"}
)
_DASHES = "-‐‑‒–—―−─━－﹣"
_ONLY_DASHES = re.compile(f"^[{_DASHES}]+$")
_ONLY_DOTS = re.compile(r"^[.…·。]+$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_MULTIPLIERS: dict[str, float] = {"万": 1e4, "亿": 1e8, "万亿": 1e12}

# Units that differ only by a power of ten of the same base (元 ↔ 万元 ↔ 亿元 …).
_BASES = (
    "元", "美元", "人", "人次", "件", "个", "项", "篇", "户", "吨", "辆", "台", "千瓦时", "千瓦",
    "平方公里", "公里", "平方米", "立方米", "标准箱", "吨公里", "人公里",
)  # fmt: skip
_UNIT_ALIASES: dict[str, str] = {
    "％": "%", "percent": "%", "pct": "%", "百分比": "%", "百分数": "%",
    "μg/m3": "μg/m³", "ug/m3": "μg/m³", "µg/m³": "μg/m³", "µg/m3": "μg/m³", "ug/m³": "μg/m³",
    "微克/立方米": "μg/m³", "km": "公里", "千米": "公里", "km2": "平方公里", "km²": "平方公里",
    "yuan": "元", "persons": "人", "people": "人", "years": "年",
}  # fmt: skip
# A unit that says "a share written as a fraction": converted to a percent only when said so.
_FRACTION_UNITS = frozenset({"比例", "比率", "ratio", "fraction", "小数", "share"})


@dataclass(frozen=True)
class ParsedValue:
    """One cell read as a number. `scale` is the certain factor applied to the number as written."""

    value: float | None
    missing: bool = False
    error: str | None = None  # an issue code: bad-value or unit-mismatch
    scale: float = 1.0
    message: str = ""


MISSING = ParsedValue(None, missing=True)


def normalise_text(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalise_unit(unit: str | None) -> str:
    """A unit spelled one way: NFKC, no brackets or spaces, aliases folded (％ → %)."""
    if unit is None:
        return ""
    text = normalise_text(str(unit)).strip("()[]（）【】 ")
    text = text.replace(" ", "")
    return _UNIT_ALIASES.get(text.lower(), _UNIT_ALIASES.get(text, text))


def _decompose(unit: str) -> tuple[str, float] | None:
    """万元 -> ("元", 1e4); 元 -> ("元", 1); units outside the known families -> None."""
    for prefix, mult in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("", 1.0)):
        if unit.startswith(prefix) and unit[len(prefix) :] in _BASES:
            return unit[len(prefix) :], mult
    return None


def unit_factor(given: str | None, expected: str | None) -> float | None:
    """The factor turning a value in `given` into `expected`; None when not certain."""
    g, e = normalise_unit(given), normalise_unit(expected)
    if not g or not e or g == e:
        return 1.0
    dg, de = _decompose(g), _decompose(e)
    if dg and de and dg[0] == de[0]:
        return dg[1] / de[1]
    if g.lower() in _FRACTION_UNITS and e == "%":
        return 100.0
    return None


def _number(text: str) -> float | None:
    if _PLAIN.match(text):
        return float(text)
    if _GROUPED.match(text):
        return float(text.replace(",", ""))
    return None


def _is_missing_text(text: str) -> bool:
    low = text.lower()
    return low in _MISSING_WORDS or bool(_ONLY_DASHES.match(text) or _ONLY_DOTS.match(text))


def _bad(text: object, why: str = "") -> ParsedValue:
    return ParsedValue(None, error="bad-value", message=why or f"{text!r} is not a number")


def parse_value(cell: Any, *, unit_hint: str | None = None) -> ParsedValue:
    """Read one cell as a number in the unit `unit_hint` (the column's unit), or as missing."""
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return MISSING
    if isinstance(cell, bool | np.bool_):
        return _bad(cell, f"{cell!r} is a true/false cell, not a number")
    if isinstance(cell, int | float | np.integer | np.floating):
        v = float(cell)
        if math.isnan(v):
            return MISSING
        return ParsedValue(v) if math.isfinite(v) else _bad(cell)
    if isinstance(cell, datetime | date | time | timedelta):
        return _bad(cell, f"a date or time ({cell}) where a number is expected")
    return _parse_text(str(cell), unit_hint)


def _parse_text(raw: str, unit_hint: str | None) -> ParsedValue:
    text = normalise_text(raw).replace("\u2212", "-")
    if _is_missing_text(text):
        return MISSING
    body, percent, mult = text, False, 1.0
    if body.endswith("%"):
        body, percent = body[:-1].rstrip(), True
    else:
        for suffix in ("万亿", "亿", "万"):
            if body.endswith(suffix):
                body, mult = body[: -len(suffix)].rstrip(), _MULTIPLIERS[suffix]
                break
    number = _number(body)
    if number is None or not math.isfinite(number):
        return _bad(raw)
    hint = normalise_unit(unit_hint)
    if percent:
        if not hint or hint == "%":
            return ParsedValue(number)
        if hint.lower() in _FRACTION_UNITS:
            return ParsedValue(number / 100, scale=0.01)
        return ParsedValue(
            None, error="unit-mismatch", message=f"{raw!r} is a percent but the unit is {hint}"
        )
    if mult == 1.0:
        return ParsedValue(number)
    if not hint:
        return ParsedValue(number * mult, scale=mult)
    parts = _decompose(hint)
    if parts is None:
        return ParsedValue(
            None,
            error="unit-mismatch",
            message=f"{raw!r} has a 万/亿 suffix but the unit {hint} does not count in 万/亿",
        )
    factor = mult / parts[1]
    return ParsedValue(number * factor, scale=factor)


@dataclass(frozen=True)
class ParsedColumn:
    """A column of cells read as numbers: arrays aligned with the input."""

    value: np.ndarray  # float64, NaN where missing or erroneous
    missing: np.ndarray  # bool
    error: np.ndarray  # object: issue code or None
    message: np.ndarray  # object: English detail or ""
    scale: np.ndarray  # float64


def parse_column(cells: pd.Series, unit_hints: pd.Series | None = None) -> ParsedColumn:
    """parse_value over a column: numbers pass straight through, each distinct text is parsed once."""
    n = len(cells)
    value = np.full(n, np.nan)
    missing = np.zeros(n, dtype=bool)
    error = np.full(n, None, dtype=object)
    message = np.full(n, "", dtype=object)
    scale = np.ones(n)
    if n == 0:
        return ParsedColumn(value, missing, error, message, scale)
    obj = cells.astype(object).to_numpy()
    # Fast path: real numbers (xlsx cells) and plain numeric text (csv cells).
    kinds = pd.Series(obj).map(type).to_numpy()
    is_num = (kinds == float) | (kinds == int)  # noqa: E721 - exact types: bool is not a number here
    nums = np.full(n, np.nan)
    if is_num.any():
        nums[is_num] = obj[is_num].astype(float)
    is_str = kinds == str  # noqa: E721
    if is_str.any():
        coerced = pd.to_numeric(pd.Series(obj[is_str]), errors="coerce").to_numpy(dtype=float)
        nums[is_str] = coerced
    fast = np.isfinite(nums) & (is_num | is_str)
    value[fast] = nums[fast]
    blank = pd.isna(pd.Series(obj)).to_numpy() | (is_num & np.isnan(nums))
    missing[blank & ~fast] = True
    rest = ~fast & ~blank
    if rest.any():
        idx = np.flatnonzero(rest)
        hints = (
            np.full(len(idx), None, dtype=object)
            if unit_hints is None
            else unit_hints.astype(object).to_numpy()[idx]
        )
        cache: dict[tuple[Any, ...], ParsedValue] = {}
        for k, (cell, raw_hint) in enumerate(zip(obj[idx], hints, strict=True)):
            hint = None if _na(raw_hint) else str(raw_hint)
            key = (type(cell), cell if isinstance(cell, str) else repr(cell), hint)
            pv = cache.get(key)
            if pv is None:
                pv = cache[key] = parse_value(cell, unit_hint=hint)
            i = idx[k]
            missing[i] = pv.missing
            error[i] = pv.error
            message[i] = pv.message
            scale[i] = pv.scale
            if pv.value is not None:
                value[i] = pv.value
    return ParsedColumn(value, missing, error, message, scale)


def _na(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))
