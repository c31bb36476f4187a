"""How numbers, units, goals and statuses read: one set of rules for the dashboard and the reports.

The reports must carry exactly the numbers on screen, so both format through these functions.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from targets import statuses

DASH = "—"
COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, decimals: int = 1, *, sign: bool = False) -> str:
    """`1234.5` -> '1,234.5' with `decimals` digits; missing or infinite -> '—'."""
    if is_missing(value) or math.isinf(float(value)):
        return DASH
    text = f"{float(value):{'+' if sign else ''},.{max(decimals, 0)}f}"
    # "-0.0" reads as a sign error
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("+-")
    return text


def percent(share: Any, decimals: int = 0, *, sign: bool = False) -> str:
    """A share (0.82) as '82%'."""
    if is_missing(share) or math.isinf(float(share)):
        return DASH
    return number(float(share) * 100, decimals, sign=sign) + "%"


def unit_suffix(unit: str) -> str:
    """The unit as it follows a number: '%' is attached, words are spaced."""
    if not unit:
        return ""
    return unit if unit.startswith(("%", "‰", "‱")) else f" {unit}"


def with_unit(text: str, unit: str) -> str:
    """'2.69' + '%' -> '2.69%'; '507' + '公里/万平方公里' -> '507 公里/万平方公里'."""
    return text if text == DASH else text + unit_suffix(unit)


def value_with_unit(value: Any, decimals: int, unit: str) -> str:
    """'2.69%'-style text; missing -> '—' with no unit."""
    return with_unit(number(value, decimals), unit)


def difference(value: Any, decimals: int, unit: str, lang: str) -> str:
    """A distance between two values, unsigned: a difference of percents is in percentage points
    ('0.24个百分点', '0.24 percentage points'), any other unit is the unit itself. A distance
    that the decimals would round to 0 gets the digits it needs ('0.2', not '0')."""
    if is_missing(value) or math.isinf(float(value)):
        return DASH
    amount = abs(float(value))
    text = number(amount, decimals)
    # a real shortfall of 0.2 must not read "0": show the digits that make it visible
    shown = decimals
    while amount > 0 and float(text.replace(",", "")) == 0 and shown < decimals + 3:
        shown += 1
        text = number(amount, shown)
    if unit.startswith("%"):
        return text + ("个百分点" if lang == "zh" else " percentage points")
    return with_unit(text, unit)


def year_text(value: Any) -> str:
    """A year column value (float in a frame with gaps) as '2023'."""
    return DASH if is_missing(value) else str(int(value))


def comparator_sign(value: Any) -> str:
    """'>=' as '≥' (the way the plans' goals read); missing -> ''."""
    return "" if is_missing(value) else COMPARATOR_SIGNS.get(str(value), str(value))


def goal_text(comparator: Any, target: Any, decimals: int, unit: str) -> str:
    """'≥ 3.00%' from the comparator, the target and the unit."""
    if is_missing(target):
        return DASH
    return f"{comparator_sign(comparator)} {value_with_unit(target, decimals, unit)}".strip()


def status_text(status: str, lang: str) -> str:
    """Symbol and word together: a status is never shown by colour alone."""
    return statuses.text(status, lang)


# the catalogue's categories are Chinese words (models.CATEGORIES); their English names, the
# same on screen and in the reports
CATEGORY_EN: dict[str, str] = {
    "城乡区域协调": "Urban-rural and regional coordination",
    "科创产业": "Innovation and industry",
    "基础设施": "Infrastructure",
    "生态环境": "Ecology and environment",
    "公共服务": "Public services",
    "科技创新共同体": "S&T Innovation Community",
    "三年行动计划": "Three-year action plan",
    "组成序列": "Component series",
}


def category_name(category: str, lang: str) -> str:
    """A catalogue category in `lang` (unknown categories as they are)."""
    return CATEGORY_EN.get(category, category) if lang == "en" else category


# a tick every year up to this many years on an axis; past it one every five: at one a year a
# 30-year national series turned its labels on end (the dashboard's charts and the reports' SVG)
YEARLY_TICKS_MAX_SPAN = 12


def year_tick_step(span: int) -> int:
    """Years between labelled ticks on an axis of years spanning `span` years."""
    return 1 if span <= YEARLY_TICKS_MAX_SPAN else 5
