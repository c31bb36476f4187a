"""Pace against schedule, the final assessment of a milestone and priorities, on hand-computed cases."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from targets import assessment, progress
from targets.assessment import (
    ASSESSMENT_COLUMNS,
    behind_schedule,
    final_assessment,
    pace_text,
    priority_order,
)
from targets.models import Indicator
from targets.provenance import provisional_words


def obs(rows: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    """(indicator, region, year, value[, note, import_id]) → an observations frame."""
    full = [(*r, "yearbook", 1)[:6] if len(r) == 4 else r for r in rows]
    frame = pd.DataFrame(
        full, columns=["indicator", "region", "year", "value", "note", "import_id"]
    )
    frame["unit"] = None
    return frame


# ---------------------------------------------------------------------------- pace


def test_pace_text_behind_with_the_growth_still_needed(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # R&D intensity goal > 3 in 2025, baseline 2018 (the Outline's), Anhui 2.16 → 2.40 in 2021:
    # progress = (2.40 − 2.16) / (3 − 2.16) = 0.24 / 0.84 = 0.285714
    # time elapsed = (2021 − 2018) / (2025 − 2018) = 3/7 = 0.428571
    # schedule years = (0.285714 − 0.428571) × 7 = −1.0
    # rate needed = (3 / 2.40)^(1/4) − 1 = 1.25^0.25 − 1 = 0.057371 → 5.7%
    frame = obs([("rd_intensity", "anhui", 2018, 2.16), ("rd_intensity", "anhui", 2021, 2.40)])
    gaps = progress.compute_gaps(catalogue, regions, frame, milestone=2025)
    row = gaps[gaps["region"] == "anhui"].iloc[0]
    assert row["schedule_years"] == pytest.approx(-1.0)
    assert (
        pace_text(row, "en")
        == "1.0 years behind schedule; needs +5.7% a year to reach the 2025 goal"
    )
    assert pace_text(row, "zh") == "落后序时进度1.0年；实现2025年目标需年均增长5.7%"


@pytest.mark.parametrize(
    ("row", "en", "zh"),
    [
        ({"status": "achieved", "schedule_years": -3.0}, "goal achieved", "已实现目标"),
        ({"status": "on_track", "schedule_years": np.nan}, "", ""),
        ({"status": "on_track", "schedule_years": 0.02}, "on schedule", "与序时进度持平"),
        (
            {"status": "on_track", "schedule_years": 1.26, "rate_needed": np.nan},
            "1.3 years ahead of schedule",
            "超前序时进度1.3年",
        ),
        (
            # a lower-is-better goal: the value must still fall 2.0% a year
            {
                "status": "moderate",
                "schedule_years": -0.5,
                "rate_needed": -0.02,
                "milestone_year": 2025,
            },
            "0.5 years behind schedule; needs −2.0% a year to reach the 2025 goal",
            "落后序时进度0.5年；实现2025年目标需年均下降2.0%",
        ),
        (
            # one value only: no pace against the schedule, only the growth still needed
            {
                "status": "insufficient_data",
                "schedule_years": 0.0,
                "rate_needed": 0.1175,
                "milestone_year": 2025,
            },
            "needs +11.8% a year to reach the 2025 goal",
            "实现2025年目标需年均增长11.8%",
        ),
        (
            # a series with values ≤ 0 has linear rates: units a year
            {
                "status": "insufficient",
                "schedule_years": -2.0,
                "rate_needed": 0.25,
                "milestone_year": 2025,
                "linear": True,
            },
            "2.0 years behind schedule; needs +0.25 a year to reach the 2025 goal",
            "落后序时进度2.0年；实现2025年目标需每年增加0.25",
        ),
    ],
)
def test_pace_text_cases(row: dict[str, Any], en: str, zh: str) -> None:
    assert pace_text(row, "en") == en
    assert pace_text(row, "zh") == zh


def test_behind_schedule_selects_and_sorts() -> None:
    gaps = pd.DataFrame(
        {
            "indicator": ["a", "b", "c", "d", "e"],
            "region": ["yrd"] * 5,
            "milestone_year": [2025] * 5,
            "progress": [0.2, 0.5, 0.1, np.nan, 0.3],
            "time_elapsed": [0.5, 0.5, 0.6, 0.5, 0.7],
            # a: (0.2 − 0.5) × 7 = −2.1; c: −3.5; e: achieved although behind; b on schedule
            "schedule_years": [-2.1, 0.0, -3.5, np.nan, -2.8],
            "rate_needed": [np.nan] * 5,
            "status": ["insufficient", "on_track", "moving_away", "no_data", "achieved"],
        }
    )
    out = behind_schedule(gaps, lang="en")
    assert out["indicator"].tolist() == ["c", "a"]
    assert out["pace"].tolist() == ["3.5 years behind schedule", "2.1 years behind schedule"]
    assert behind_schedule(gaps)["pace"].tolist() == ["落后序时进度3.5年", "落后序时进度2.1年"]


# ---------------------------------------------------------------------------- final assessment


@pytest.fixture(scope="module")
def final(catalogue, regions) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = obs(
        [
            # met: 4.40 in 2025 against > 3: margin +1.40 = 46.667% of 3
            ("rd_intensity", "shanghai", 2018, 4.16),
            ("rd_intensity", "shanghai", 2025, 4.40, "上海统计年鉴2026", 12),
            # missed: 2.90 in 2025: margin 2.90 − 3 = −0.10 = −3.333%
            ("rd_intensity", "anhui", 2018, 2.16),
            ("rd_intensity", "anhui", 2025, 2.90),
            # pending: no 2025 value; latest 2023 = 3.29, which already meets the goal
            ("rd_intensity", "jiangsu", 2018, 2.70),
            ("rd_intensity", "jiangsu", 2023, 3.29, "江苏统计公报2023", 9),
            # pending: the 2026 value comes after the milestone and is not the milestone's value
            ("rd_intensity", "zhejiang", 2018, 2.57),
            ("rd_intensity", "zhejiang", 2023, 2.90),
            ("rd_intensity", "zhejiang", 2026, 3.10),
            # exactly 3.00: the S&T plan says 超过 (>), so 3.00 misses, by 0
            ("rd_intensity", "yrd", 2018, 2.81),
            ("rd_intensity", "yrd", 2025, 3.00),
            # change from base: 10% below 2017 → target 0.40 × 0.9 = 0.36; 0.35 ≤ 0.36 is met,
            # margin −(0.35 − 0.36) = +0.01 = 2.778% of 0.36
            ("energy_intensity", "shanghai", 2017, 0.40),
            ("energy_intensity", "shanghai", 2018, 0.38),
            ("energy_intensity", "shanghai", 2025, 0.35),
            # a derived value: urbanization rate = urban population / population × 100
            # = 4400 / 6200 × 100 = 70.968 ≥ 70: met by 0.968 (1.382%)
            ("urban_population", "anhui", 2018, 3400.0),
            ("population", "anhui", 2018, 6300.0),
            ("urban_population", "anhui", 2025, 4400.0),
            ("population", "anhui", 2025, 6200.0),
        ]
    )
    return final_assessment(catalogue, regions, frame, 2025, lang="en")


def row_of(frame: pd.DataFrame, indicator: str, region: str) -> pd.Series:
    rows = frame[(frame["indicator"] == indicator) & (frame["region"] == region)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_final_assessment_columns(final: pd.DataFrame) -> None:
    assert list(final.columns) == list(ASSESSMENT_COLUMNS)
    assert set(final["verdict"]) <= set(assessment.VERDICTS)
    assert (final["milestone_year"] == 2025).all()


def test_final_assessment_met(final: pd.DataFrame) -> None:
    r = row_of(final, "rd_intensity", "shanghai")
    assert (r["verdict"], r["value"], r["target"], r["comparator"]) == ("met", 4.40, 3.0, ">")
    assert r["margin"] == pytest.approx(1.40)
    assert r["margin_pct"] == pytest.approx(46.6667, abs=1e-4)
    assert (r["baseline_year"], r["baseline_value"]) == (2018, 4.16)
    assert (r["source"], r["import_id"], r["derived"]) == ("上海统计年鉴2026", 12, False)
    assert pd.isna(r["latest_year"]) and math.isnan(r["latest_value"])
    assert r["text"] == "met: 4.40 (goal > 3.00), beyond it by 1.40 (46.7%)"


def test_final_assessment_missed(final: pd.DataFrame) -> None:
    r = row_of(final, "rd_intensity", "anhui")
    assert r["verdict"] == "missed"
    assert r["margin"] == pytest.approx(-0.10)
    assert r["margin_pct"] == pytest.approx(-3.3333, abs=1e-4)
    assert r["text"] == "missed: 2.90 (goal > 3.00), short by 0.10 (3.3%)"


def test_final_assessment_strict_comparator_at_the_goal_misses(final: pd.DataFrame) -> None:
    r = row_of(final, "rd_intensity", "yrd")
    assert r["verdict"] == "missed"
    assert r["margin"] == pytest.approx(0.0)


def test_final_assessment_pending(final: pd.DataFrame) -> None:
    r = row_of(final, "rd_intensity", "jiangsu")
    assert r["verdict"] == "pending"
    assert math.isnan(r["value"]) and math.isnan(r["margin"])
    assert (r["latest_year"], r["latest_value"]) == (2023, 3.29)
    assert (r["source"], r["import_id"]) == ("江苏统计公报2023", 9)
    assert r["text"] == (
        "pending: value for 2025 not yet published; latest 2023: 3.29 (already meets the goal)"
    )
    z = row_of(final, "rd_intensity", "zhejiang")
    assert (z["verdict"], z["latest_year"], z["latest_value"]) == ("pending", 2023, 2.90)
    assert z["text"] == "pending: value for 2025 not yet published; latest 2023: 2.90"


def test_final_assessment_change_from_base_uses_the_engines_target(final: pd.DataFrame) -> None:
    r = row_of(final, "energy_intensity", "shanghai")
    assert r["target"] == pytest.approx(0.36)
    assert r["comparator"] == "<="
    assert r["verdict"] == "met"
    assert r["margin"] == pytest.approx(0.01)
    assert r["margin_pct"] == pytest.approx(2.7778, abs=1e-4)


def test_final_assessment_derived_value_says_how_it_was_made(final: pd.DataFrame) -> None:
    r = row_of(final, "urbanization_rate", "anhui")
    assert r["verdict"] == "met"
    assert r["value"] == pytest.approx(4400 / 6200 * 100)
    assert r["margin"] == pytest.approx(4400 / 6200 * 100 - 70)
    assert bool(r["derived"]) and pd.isna(r["import_id"])
    assert r["source"].startswith("derived: urban_population / population")


def test_final_assessment_no_value_at_all(final: pd.DataFrame) -> None:
    r = row_of(final, "pct_applications", "yrd")
    assert r["verdict"] == "pending"
    assert pd.isna(r["latest_year"])
    assert r["text"] == "pending: value for 2025 not yet published; no earlier value"


def test_final_assessment_in_chinese(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    frame = obs(
        [
            ("rd_intensity", "anhui", 2018, 2.16),
            ("rd_intensity", "anhui", 2025, 2.90),
            ("rd_intensity", "jiangsu", 2018, 2.70),
            ("rd_intensity", "jiangsu", 2023, 2.95),
        ]
    )
    out = final_assessment(catalogue, regions, frame, 2025)
    assert (
        row_of(out, "rd_intensity", "anhui")["text"]
        == "未实现：2.90（目标>3.00），差距0.10（3.3%）"
    )
    assert (
        row_of(out, "rd_intensity", "jiangsu")["text"]
        == "待定：2025年数值尚未公布；最新为2023年：2.95"
    )
    assert assessment.verdict_label("pending", "zh") == "待定"


# ---------------------------------------------------------------------------- priorities


class NatureCatalogue:
    """Only what priority_order reads: indicators with a nature."""

    def __init__(self, catalogue: Any, natures: dict[str, str | None]) -> None:
        self.indicators: dict[str, Indicator] = {
            i: catalogue.indicators[i].model_copy(update={"nature": n}) for i, n in natures.items()
        }


def test_priority_order_binding_at_risk_first(catalogue) -> None:  # type: ignore[no-untyped-def]
    cat = NatureCatalogue(
        catalogue,
        {
            "rd_intensity": "indicative",
            "pm25_concentration": "binding",
            "energy_intensity": "binding",
            "life_expectancy": None,
            "good_air_days_ratio": "binding",
        },
    )
    gaps = pd.DataFrame(
        {
            "indicator": [
                "rd_intensity",  # indicative, missed
                "pm25_concentration",  # binding, moderate
                "energy_intensity",  # binding, achieved: not at risk
                "life_expectancy",  # unset, moving away
                "good_air_days_ratio",  # binding, insufficient
            ],
            "region": ["yrd"] * 5,
            "milestone_year": [2025] * 5,
            "status": ["missed", "moderate", "achieved", "moving_away", "insufficient"],
            "schedule_years": [-1.0, -0.5, 0.5, -3.0, -2.0],
        }
    )
    out = priority_order(gaps, cat)
    # binding at risk, worse status first (insufficient before moderate); then the others at
    # risk (missed before moving away); then the rest
    assert out["indicator"].tolist() == [
        "good_air_days_ratio",
        "pm25_concentration",
        "rd_intensity",
        "life_expectancy",
        "energy_intensity",
    ]
    assert out["priority"].tolist() == [1, 2, 3, 4, 5]
    assert out["at_risk"].tolist() == [True, True, True, True, False]
    assert out["nature"].tolist() == ["binding", "binding", "indicative", "", "binding"]


def test_priority_order_within_a_status_the_further_behind_first(catalogue) -> None:  # type: ignore[no-untyped-def]
    cat = NatureCatalogue(catalogue, {"rd_intensity": "binding"})
    gaps = pd.DataFrame(
        {
            "indicator": ["rd_intensity"] * 3,
            "region": ["shanghai", "jiangsu", "anhui"],
            "milestone_year": [2025] * 3,
            "status": ["moderate"] * 3,
            "schedule_years": [-0.5, -2.5, -1.5],
        }
    )
    assert priority_order(gaps, cat)["region"].tolist() == ["jiangsu", "anhui", "shanghai"]


def test_a_change_goal_without_its_base_year_says_so_in_the_words_of_targets_reasons(
    catalogue, regions
) -> None:  # type: ignore[no-untyped-def]
    # energy use −10% on 2017: Jiangsu has 2018 and 2025 but no 2017, the region nothing at all;
    # the missing base year is worded as on every other surface (targets.reasons), with names
    frame = obs(
        [("energy_intensity", "jiangsu", 2018, 0.38), ("energy_intensity", "jiangsu", 2025, 0.35)]
    )
    zh = final_assessment(catalogue, regions, frame, 2025, lang="zh")
    en = final_assessment(catalogue, regions, frame, 2025, lang="en")
    assert row_of(zh, "energy_intensity", "jiangsu")["text"] == (
        "待定：无法评估（缺少江苏2017年基数）；最新为2025年：0.350"
    )
    assert row_of(zh, "energy_intensity", "yrd")["text"] == (
        "待定：2025年数值尚未公布，此前亦无数值（缺少长三角2017年基数）"
    )
    assert row_of(en, "energy_intensity", "jiangsu")["text"] == (
        "pending: the goal cannot be judged (no 2017 value (the base year) for Jiangsu); "
        "latest 2025: 0.350"
    )
    assert row_of(en, "energy_intensity", "yrd")["text"].endswith(
        "no earlier value (no 2017 value (the base year) for Yangtze River Delta)"
    )


def test_a_verdict_on_an_approximate_value_is_provisional_and_a_pending_one_is_not(
    catalogue: Any, regions: Any
) -> None:
    frame = pd.DataFrame(
        [
            ("rd_intensity", "shanghai", 2018, 4.16, None),
            ("rd_intensity", "shanghai", 2025, 4.5, "approx"),
            ("rd_intensity", "jiangsu", 2018, 2.7, None),
            ("rd_intensity", "jiangsu", 2024, 3.3, "prelim"),
        ],
        columns=["indicator", "region", "year", "value", "flag"],
    ).assign(unit="%", note="", import_id=1)
    got = final_assessment(catalogue, regions, frame, 2025, lang="zh").set_index("region")
    sh = got.loc["shanghai"]
    assert (sh["verdict"], bool(sh["provisional"])) == ("met", True)
    assert (
        sh["provisional_reason"] == "约数（左右/超过/突破），实际值经取整或只给出界限（2025年数值）"
    )
    # the columns targets.provenance words a verdict from, as on every other surface
    assert (sh["provisional_flag"], sh["provisional_reason_zh"]) == (
        "approx",
        sh["provisional_reason"],
    )
    assert provisional_words(sh, "zh") == "初步（约数）：" + sh["provisional_reason"]
    assert sh["text"].endswith("——初步（约数）：" + sh["provisional_reason"])
    en = final_assessment(catalogue, regions, frame, 2025, lang="en").set_index("region")
    assert en.loc["shanghai", "provisional_reason_zh"] == sh["provisional_reason"]
    assert en.loc["shanghai", "text"].endswith(
        " — provisional (approximate): an approximate figure (左右/超过/突破): the outturn "
        "rounded or bounded (2025 value)"
    )
    # Jiangsu's 2025 value is not out: pending, and a pending goal is not provisional
    js = got.loc["jiangsu"]
    assert (js["verdict"], bool(js["provisional"]), js["provisional_reason"]) == (
        "pending",
        False,
        "",
    )


def test_a_final_verdict_reads_as_symbol_and_word() -> None:
    from targets.assessment import final_verdict_text

    assert final_verdict_text("met", "en") == "✓ met"
    assert final_verdict_text("missed", "zh") == "✗ 未实现"
    assert final_verdict_text("pending", "zh") == "… 待定"
