"""The ratio, projection and German weather-symbol methods side by side, on constructed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from targets import progress
from targets.status_methods import (
    METHOD_COLUMNS,
    compare_methods,
    disagreements,
    label,
    meets,
)

HIGH = ("higher_is_better", ">")


def gap_rows(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A gap frame with the columns compare_methods reads; defaults: R&D-like goal > 3 in 2025."""
    base: dict[str, object] = {
        "indicator": "rd_intensity",
        "milestone_year": 2025,
        "year": 2023,
        "target": 3.0,
        "comparator": ">",
        "direction": "higher_is_better",
        "progress": np.nan,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


CASES = gap_rows(
    [
        # a: on course for all: deviation = (3 − 3.2) / (3 − 2.9) = −2 → sun
        {"region": "a", "value": 2.9, "projected": 3.2, "status": "on_track"},
        # b: the ratio says on track, the trend falls short by 0.05:
        #    deviation = (3 − 2.95) / (3 − 2.5) = 0.10 → partly cloudy
        {"region": "b", "value": 2.5, "projected": 2.95, "status": "on_track"},
        # c: off course for all: deviation = (3 − 2.5) / (3 − 2.0) = 0.5 → cloudy
        {"region": "c", "value": 2.0, "projected": 2.5, "status": "insufficient"},
        # d: moving away: deviation = (3 − 1.8) / (3 − 2.0) = 1.2 → thunderstorm
        {"region": "d", "value": 2.0, "projected": 1.8, "status": "moving_away"},
        # e: lower is better, goal ≤ 35: deviation = (35 − 35.8) / (35 − 40) = 0.16 → partly
        #    cloudy; the projection misses by 0.8
        {
            "region": "e",
            "indicator": "pm25_concentration",
            "target": 35.0,
            "comparator": "<=",
            "direction": "lower_is_better",
            "value": 40.0,
            "projected": 35.8,
            "status": "moderate",
        },
        # f: met now, but the trend leads back below the goal: thunderstorm, will miss by 0.1
        {"region": "f", "value": 3.1, "projected": 2.9, "status": "achieved"},
        # g: the milestone's own value is in and misses; progress 0.5 > 0 → cloudy
        {
            "region": "g",
            "year": 2025,
            "value": 2.8,
            "projected": 2.7,
            "status": "missed",
            "progress": 0.5,
        },
        # h: one value only: no projection, nothing to compare
        {"region": "h", "value": 2.8, "projected": np.nan, "status": "insufficient_data"},
    ]
)


@pytest.fixture(scope="module")
def compared() -> pd.DataFrame:
    return compare_methods(CASES).set_index("region")


def test_columns() -> None:
    out = compare_methods(CASES)
    assert list(out.columns) == list(METHOD_COLUMNS)
    assert str(out["agree"].dtype) == "boolean"


def test_projection_method(compared: pd.DataFrame) -> None:
    assert compared["status_projection"].to_dict() == {
        "a": "will_meet",
        "b": "will_miss",
        "c": "will_miss",
        "d": "will_miss",
        "e": "will_miss",
        "f": "will_miss",
        "g": "missed",
        "h": "none",
    }
    short = compared["projection_shortfall"]
    assert short[["a", "b", "c", "d", "e", "f", "g"]].tolist() == pytest.approx(
        [0.0, 0.05, 0.5, 1.2, 0.8, 0.1, 0.2]
    )
    assert math.isnan(short["h"])


def test_german_rule(compared: pd.DataFrame) -> None:
    assert compared["status_germany"].to_dict() == {
        "a": "sun",
        "b": "partly_cloudy",
        "c": "cloudy",
        "d": "thunderstorm",
        "e": "partly_cloudy",
        "f": "thunderstorm",
        "g": "cloudy",
        "h": "none",
    }
    dev = compared["deviation"]
    assert dev[["a", "b", "c", "d", "e"]].tolist() == pytest.approx([-2.0, 0.1, 0.5, 1.2, 0.16])
    # met now or the milestone's value known: no distance left to take a share of
    assert dev[["f", "g", "h"]].isna().all()


def test_agreement_and_disagreements(compared: pd.DataFrame) -> None:
    assert compared["agree"].tolist() == [True, False, True, True, True, False, True, pd.NA]
    out = disagreements(compare_methods(CASES))
    # b: ratio on track, trend short; f: achieved now, trend falling back
    assert out["region"].tolist() == ["b", "f"]


@pytest.mark.parametrize(
    ("deviation_case", "weather"),
    [
        # value 2, goal 3: deviation = (3 − P) / 1
        (2.96, "sun"),  # 0.04 < 5%
        (2.90, "partly_cloudy"),  # 0.10
        (2.85, "partly_cloudy"),  # 0.15
        (2.70, "cloudy"),  # 0.30
        (2.00, "thunderstorm"),  # 1.0: no movement at all
    ],
)
def test_german_thresholds(deviation_case: float, weather: str) -> None:
    frame = gap_rows(
        [{"region": "x", "value": 2.0, "projected": deviation_case, "status": "moderate"}]
    )
    assert compare_methods(frame)["status_germany"].iloc[0] == weather


def test_meets_follows_the_comparator_as_worded() -> None:
    assert not meets(3.0, 3.0, ">")
    assert meets(3.0, 3.0, ">=")
    assert meets(34.9, 35.0, "<")
    assert not meets(np.nan, 3.0, ">=")
    assert list(meets(np.array([2.0, 3.5]), 3.0, ">")) == [False, True]


def test_labels() -> None:
    assert label("sun", "zh") == "☀ 晴"
    assert label("will_miss", "en") == "will miss"


def test_over_the_engines_gap_table(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # Anhui R&D intensity jumps, then slips: 2018 2.0, 2019 2.62, then −0.01 a year to 2.58.
    # ratio: actual = (2.58/2.0)^(1/5) − 1 = 5.22%, required = (3/2.0)^(1/7) − 1 = 5.96%:
    #   ratio 0.876 → moderate; the five-year trend (2019–2023) keeps falling, to about 2.56 in
    #   2025 → will miss by about 0.44, deviation (3 − 2.56) / (3 − 2.58) > 1 → thunderstorm:
    #   all three off course, so they agree.
    values = {2018: 2.0, 2019: 2.62, 2020: 2.61, 2021: 2.60, 2022: 2.59, 2023: 2.58}
    obs = pd.DataFrame(
        [("rd_intensity", "anhui", y, v) for y, v in values.items()],
        columns=["indicator", "region", "year", "value"],
    ).assign(unit=None, note=None, import_id=1)
    gaps = progress.compute_gaps(catalogue, regions, obs, milestone=2025)
    out = compare_methods(gaps)
    assert len(out) == len(gaps)
    row = out[out["region"] == "anhui"].iloc[0]
    assert row["status_ratio"] == "moderate"
    assert row["projected"] == pytest.approx(2.56, abs=0.002)
    assert row["status_projection"] == "will_miss"
    assert row["projection_shortfall"] == pytest.approx(3 - row["projected"])
    assert row["deviation"] == pytest.approx((3 - row["projected"]) / (3 - 2.58))
    assert row["status_germany"] == "thunderstorm"
    assert bool(row["agree"])
    # rows without data cannot be judged by any method
    assert out[out["status_ratio"] == "no_data"]["agree"].isna().all()


def test_weather_symbols_have_glyphs_in_the_report_font() -> None:
    """Every symbol the methods print is in Noto CJK, which the PDF embeds (else: empty boxes)."""
    import shutil
    import subprocess

    from targets.status_methods import LABELS
    from tests.conftest import require

    require(shutil.which("fc-list") is not None, "fc-list (fontconfig) is not installed")
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    require("Noto Sans CJK" in installed, "fonts-noto-cjk is not installed")
    for labels in LABELS.values():
        for text in labels.values():
            symbol = text.split(" ")[0]
            if len(symbol) != 1 or symbol.isalnum():
                continue
            fonts = subprocess.run(
                ["fc-list", f":charset={ord(symbol):x}", "family"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            assert "Noto Sans CJK" in fonts or "Noto Serif CJK" in fonts, (symbol, fonts)


def test_met_and_missed_are_the_final_verdicts_words() -> None:
    """One vocabulary: the projection method's met / missed read as the final assessment's."""
    from targets.assessment import verdict_label
    from targets.status_methods import label

    for verdict in ("met", "missed"):
        for lang in ("zh", "en"):
            assert label(verdict, lang) == verdict_label(verdict, lang)
    assert (label("met", "zh"), label("missed", "en")) == ("已实现", "missed")
