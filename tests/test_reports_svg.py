"""The inline SVG charts: round ticks, end labels that do not overlap, escaped text."""

from __future__ import annotations

import pandas as pd

from targets.reports.model import IndicatorDetail
from targets.reports.svg import LABEL_GAP, Line, _spread, line_chart, ticks


def test_ticks_are_round_and_cover_the_range() -> None:
    assert ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert ticks(2.1, 4.6) == [2.5, 3.0, 3.5, 4.0, 4.5]
    assert ticks(5, 5) == [5]


def test_end_labels_are_spread_apart_within_the_plot() -> None:
    placed = _spread([100.0, 101.0, 102.0, 50.0], 10.0, 105.0)
    assert placed[3] == 50.0
    stack = sorted(placed[:3])
    assert all(b - a >= LABEL_GAP - 1e-9 for a, b in zip(stack, stack[1:], strict=False))
    assert max(placed) <= 105.0


def test_chart_draws_lines_goal_and_projection_with_escaped_labels() -> None:
    detail = IndicatorDetail(
        id="x", name="X", unit="%", category="科创产业", decimals=1, direction="higher_is_better",
        goal_text="", sources=(), rows=pd.DataFrame(), series=pd.DataFrame(), regions=("a",),
    )  # fmt: skip
    lines = [Line("<A&B>", "shanghai", ((2018, 1.0, False), (2020, 2.0, True)), projected=3.0)]
    svg = line_chart(detail, lines, [("目标 ≥ 3.0", 3.0)], 2025, title="t")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "&lt;A&amp;B&gt;" in svg and "<A&B>" not in svg
    assert svg.count("<polyline") == 1
    assert 'stroke-dasharray="6,4"' in svg  # the goal
    assert 'stroke-dasharray="1.5,2.5"' in svg  # the projection to 2025
    assert 'fill="#ffffff"' in svg  # the derived 2020 value and the projection are hollow
    assert ">2025</text>" in svg
