"""Numbers, units and statuses as the dashboard shows them (pure functions, no Dash).

Every value is formatted with its indicator's `decimals`; a missing value is an em dash, never
"nan". Status words and symbols come from targets.progress (one vocabulary for screen, CLI and
reports); only the colours are the dashboard's own.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from targets import progress

DASH = "—"

# The palette lives with the statuses (targets.progress) so the reports use the same colours.
STATUS_COLOURS: dict[str, tuple[str, str]] = progress.STATUS_COLOURS

# headline groups of the overview: group -> statuses (in the order of STATUS_COLOURS)
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "achieved": ("achieved",),
    "on_track": ("on_track",),
    "at_risk": ("moderate", "insufficient"),
    "off_track": ("moving_away", "missed"),
    "no_data": ("insufficient_data", "no_data"),
}

# worst first: how the region page and the "behind" list order goals
STATUS_SEVERITY: dict[str, int] = {
    "missed": 0,
    "moving_away": 1,
    "insufficient": 2,
    "moderate": 3,
    "on_track": 4,
    "achieved": 5,
    "insufficient_data": 6,
    "no_data": 7,
}


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, decimals: int = 1) -> str:
    """`1234.5` -> '1,234.5' with `decimals` digits; missing -> '—'."""
    if is_missing(value):
        return DASH
    x = float(value)
    if math.isinf(x):
        return DASH
    text = f"{x:,.{max(decimals, 0)}f}"
    # "-0.0" reads as a sign error
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def unit_suffix(unit: str) -> str:
    """The unit as it follows a number: '%' is attached, words are spaced."""
    if not unit:
        return ""
    return unit if unit.startswith(("%", "‰", "‱")) else f" {unit}"


def value_with_unit(value: Any, decimals: int, unit: str) -> str:
    """'2.69 %'-style text; missing -> '—' with no unit."""
    text = number(value, decimals)
    return text if text == DASH else text + unit_suffix(unit)


def percent(share: Any, decimals: int = 0) -> str:
    """A share (0.82) as '82%'."""
    if is_missing(share):
        return DASH
    return f"{float(share) * 100:.{decimals}f}%"


COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def comparator(value: Any) -> str:
    """'>=' as '≥' (the way the plans' goals read); missing -> ''."""
    return "" if is_missing(value) else COMPARATORS.get(str(value), str(value))


def year(value: Any) -> str:
    """A year column value (float from a frame with gaps) as '2023'."""
    return DASH if is_missing(value) else str(int(value))


def status_label(status: str, lang: str) -> str:
    return progress.status_label(status, lang)


def status_symbol(status: str) -> str:
    return progress.status_symbol(status)


def status_text(status: str, lang: str) -> str:
    """Symbol and word together: never a status by colour alone."""
    return f"{status_symbol(status)} {status_label(status, lang)}"


def status_colours(status: str) -> tuple[str, str]:
    """(background, text) colours of a status; unknown statuses look like no data."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    h = colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1 to 21)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def years_text(years: Any, lang: str) -> str:
    """A schedule lag (negative years) as '1.3' (absolute, one decimal)."""
    return DASH if is_missing(years) else f"{abs(float(years)):.1f}"
