"""Numbers, units and statuses as the dashboard shows them (pure functions, no Dash).

Every value is formatted with its indicator's `decimals`; a missing value is an em dash, never
"nan". The formatting rules, status words, symbols and colours are the library's
(targets.display, targets.progress), shared with the CLI and the reports so screen and paper
agree; this module adds what only the screen needs (status groups, severity, contrast checks).
"""

from __future__ import annotations

from typing import Any

from targets import progress
from targets.display import (
    DASH,
    is_missing,
    number,
    percent,
    status_text,
    unit_suffix,
    value_with_unit,
)
from targets.display import comparator_sign as comparator
from targets.display import year_text as year

__all__ = [
    "DASH",
    "comparator",
    "is_missing",
    "number",
    "percent",
    "status_text",
    "unit_suffix",
    "value_with_unit",
    "year",
]

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


def status_label(status: str, lang: str) -> str:
    return progress.status_label(status, lang)


def status_symbol(status: str) -> str:
    return progress.status_symbol(status)


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
