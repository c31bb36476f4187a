"""targets/verdicts.py: why a row has its status, and why a status changed, in words."""

from __future__ import annotations

import math

from targets import verdicts

BASE = {
    "indicator": "x", "region": "anhui", "milestone_year": 2025, "comparator": ">=",
    "target": 70.0, "value": 62.57, "year": 2024, "gap": 7.43, "baseline_year": 2021,
    "baseline_value": 59.39, "linear": False, "role": "benchmark", "goal_scope": "yrd",
}  # fmt: skip


def test_distance_rule_is_said_with_its_numbers() -> None:
    row = {**BASE, "status": "far", "status_rule": "distance", "projected": 63.4,
           "distance_share": 0.57}  # fmt: skip
    assert verdicts.explain(row, "en", 1, "%") == (
        "judged by distance (the 2025 goal year is within a year or past): the trend gives "
        "63.4 for 2025, short by 57% of the distance to go (close within 5%, some way short "
        "within 20%)"
    )
    assert verdicts.explain(row, "zh", 1, "%").startswith("按距离判断（2025年目标临近或已过）")


def test_pace_rule_is_said_with_its_rates() -> None:
    row = {**BASE, "status": "moderate", "status_rule": "pace", "actual_rate": 0.037,
           "required_rate": 0.048, "ratio": 0.77, "projected": math.nan}  # fmt: skip
    assert verdicts.explain(row, "en") == (
        "judged by pace: +3.7% a year over 2021–2024 against +4.8% a year needed, "
        "ratio 0.77 (on track from 0.95)"
    )


def test_verdict_text_carries_the_benchmark_note() -> None:
    row = {**BASE, "status": "missed"}
    assert verdicts.verdict_text(row, "长三角", "zh") == "✗ 未实现 · ※ 对标：规划为长三角设定此目标"
    own = {**BASE, "status": "missed", "role": "goal"}
    assert verdicts.verdict_text(own, "the YRD", "en") == "✗ Missed"


def test_a_change_of_latest_value_and_span_is_said() -> None:
    before = {**BASE, "status": "on_track", "status_rule": "pace", "year": 2022,
              "value": 60.0, "ratio": 1.0}  # fmt: skip
    after = {**BASE, "status": "moderate", "status_rule": "pace", "ratio": 0.8}
    assert verdicts.change_reason(before, after, "en", 1) == (
        "the latest value is now 62.6 (2024), was 60.0 (2022); the pace now spans 3 years "
        "since 2021 (was 1): ratio 1.00 → 0.80"
    )
