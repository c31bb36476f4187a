"""One colour and one marker per region, the same on every chart: screen, PDF, HTML and Word.

Okabe-Ito colours (told apart with any colour vision; yellow left out, unreadable on white), and
a marker shape as the second cue. The whole region and the provinces have fixed styles; any
other region (a city) gets one from its id, so it too keeps its colour from chart to chart.
"""

from __future__ import annotations

import zlib

REGION_STYLES: dict[str, tuple[str, str]] = {
    "yrd": ("#000000", "circle"),
    "central_zone": ("#56B4E9", "diamond"),
    "demo_zone": ("#E69F00", "star"),
    "shanghai": ("#0072B2", "square"),
    "jiangsu": ("#009E73", "triangle"),
    "zhejiang": ("#CC79A7", "down"),
    "anhui": ("#D55E00", "cross"),
}
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross", "plus", "star")
# the shapes above by plotly's names
PLOTLY_SYMBOLS = {"triangle": "triangle-up", "down": "triangle-down", "cross": "x", "plus": "cross"}


def region_style(region: str) -> tuple[str, str]:
    """(colour, marker shape) of `region`: fixed for the named regions, else from its id."""
    if region in REGION_STYLES:
        return REGION_STYLES[region]
    k = zlib.crc32(region.encode("utf-8"))
    return PALETTE[k % len(PALETTE)], MARKERS[(k // len(PALETTE)) % len(MARKERS)]


def region_colour(region: str) -> str:
    return region_style(region)[0]


def plotly_symbol(region: str) -> str:
    shape = region_style(region)[1]
    return PLOTLY_SYMBOLS.get(shape, shape)
