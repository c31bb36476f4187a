"""Numbers, units and statuses as the dashboard shows them (pure functions, no Dash).

Every value is formatted with its indicator's `decimals`; a missing value is an em dash, never
"nan". The formatting rules, status words, symbols and colours are the library's
(targets.display, targets.statuses), shared with the CLI and the reports so screen and paper
agree; this module adds what only the screen needs (contrast checks).
"""

from __future__ import annotations

from typing import Any

from targets import statuses
from targets.display import (
    DASH,
    goal_text,
    is_missing,
    number,
    percent,
    status_text,
    unit_suffix,
    value_with_unit,
    year_text,
)

__all__ = [
    "DASH",
    "goal_text",
    "is_missing",
    "number",
    "percent",
    "status_text",
    "unit_suffix",
    "value_with_unit",
    "year_text",
]

# The vocabulary (words, symbols, colours, order) is targets.statuses, shared with the reports.
STATUS_COLOURS: dict[str, tuple[str, str]] = statuses.COLOURS
# worst first: how the region page and the "behind" list order goals
STATUS_SEVERITY: dict[str, int] = statuses.SEVERITY
status_label = statuses.label
status_symbol = statuses.symbol
status_colours = statuses.colours


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
