"""targets/display.py: formatting rules shared by the dashboard and the reports."""

from __future__ import annotations

import math

import pandas as pd

from targets import display


def test_numbers_units_goals_and_missing() -> None:
    assert display.number(1234.5, 1) == "1,234.5"
    assert display.number(-0.04, 1) == "0.0"  # no "-0.0"
    assert display.number(0.31, 2, sign=True) == "+0.31"
    for missing in (None, math.nan, pd.NA, math.inf):
        assert display.number(missing) == "—"
    assert display.value_with_unit(2.69, 2, "%") == "2.69%"
    assert display.value_with_unit(507, 0, "公里/万平方公里") == "507 公里/万平方公里"
    assert display.value_with_unit(None, 2, "%") == "—"
    assert display.goal_text(">=", 70, 1, "%") == "≥ 70.0%"
    assert display.goal_text(None, 35, 0, "微克/立方米") == "35 微克/立方米"
    assert display.percent(0.8215, 1) == "82.2%"
    assert display.year_text(2023.0) == "2023"
    assert display.status_text("on_track", "en") == "▲ On track"


def test_a_difference_of_percents_is_in_percentage_points() -> None:
    assert display.difference(-0.24, 2, "%", "zh") == "0.24个百分点"
    assert display.difference(0.24, 2, "% of GDP", "en") == "0.24 percentage points"
    assert display.difference(101, 0, "公里/万平方公里", "zh") == "101 公里/万平方公里"
    assert display.difference(8.7, 1, "微克/立方米", "zh") == "8.7 微克/立方米"
    assert display.difference(None, 1, "%", "zh") == "—"
    # 35.2 against "≤ 35" with 0 decimals: a shortfall, never "0"
    assert display.difference(0.2, 0, "微克/立方米", "zh") == "0.2 微克/立方米"
    assert display.difference(0.0, 0, "微克/立方米", "zh") == "0 微克/立方米"


def test_year_tick_step_is_one_rule_for_the_dashboard_and_the_reports() -> None:
    assert [display.year_tick_step(span) for span in (0, 7, 12, 13, 20, 29)] == [1, 1, 1, 5, 5, 5]
