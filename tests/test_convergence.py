"""Spread across provinces and cities, and its trend, with the arithmetic done by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from targets import aggregate
from targets.convergence import (
    CITY_COVERAGE,
    FLAT_SLOPE,
    SPREAD_COLUMNS,
    TABLE_COLUMNS,
    convergence_table,
    level_regions,
    spread,
    trend,
    verdict_label,
)

PROVINCES = ["shanghai", "jiangsu", "zhejiang", "anhui"]


def obs(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
    frame["unit"] = None
    frame["note"] = None
    frame["import_id"] = 1
    return frame


# R&D intensity of the four provinces, chosen so that the mean is 3 every year:
# 2019: 4.0 3.0 3.0 2.0 → deviations ±1, 0, 0: var = 2/4 = 0.5, std = 0.707107, cv = 0.235702,
#       max/min = 4/2 = 2
# 2020: 3.6 3.0 3.0 2.4 → var = 2 × 0.36 / 4 = 0.18, std = 0.424264, cv = 0.141421, max/min 1.5
# 2021: 3.3 3.0 3.0 2.7 → var = 2 × 0.09 / 4 = 0.045, std = 0.212132, cv = 0.070711, max/min 1.2222
# 2022: Anhui missing → not a complete year, left out
# least-squares slope of cv over x = −1, 0, 1: (0.070711 − 0.235702) / 2 = −0.082496 a year
RD: dict[int, list[float | None]] = {
    2019: [4.0, 3.0, 3.0, 2.0],
    2020: [3.6, 3.0, 3.0, 2.4],
    2021: [3.3, 3.0, 3.0, 2.7],
    2022: [3.2, 3.0, 3.0, None],
}


def rd_obs() -> pd.DataFrame:
    rows = [
        ("rd_intensity", reg, year, v)
        for year, values in RD.items()
        for reg, v in zip(PROVINCES, values, strict=True)
        if v is not None
    ]
    rows.append(("rd_intensity", "yrd", 2019, 3.1))  # the whole region is not a province
    return obs(rows)


def test_spread_by_hand(regions) -> None:  # type: ignore[no-untyped-def]
    out = spread(rd_obs(), regions, "rd_intensity")
    assert list(out.columns) == list(SPREAD_COLUMNS)
    assert out["year"].tolist() == [2019, 2020, 2021]
    assert out["n"].tolist() == [4, 4, 4]
    assert out["n_expected"].tolist() == [4, 4, 4]
    assert out["mean"].tolist() == pytest.approx([3.0, 3.0, 3.0])
    assert out["std"].tolist() == pytest.approx([math.sqrt(0.5), math.sqrt(0.18), math.sqrt(0.045)])
    assert out["cv"].tolist() == pytest.approx([0.235702, 0.141421, 0.070711], abs=1e-6)
    assert out["maxmin"].tolist() == pytest.approx([2.0, 1.5, 3.3 / 2.7])
    assert out["min_region"].tolist() == ["anhui"] * 3
    assert out["max_region"].tolist() == ["shanghai"] * 3


def test_trend_by_hand(regions) -> None:  # type: ignore[no-untyped-def]
    t = trend(spread(rd_obs(), regions, "rd_intensity"))
    assert t["slope"] == pytest.approx((math.sqrt(0.045) - math.sqrt(0.5)) / 3 / 2)
    assert t["slope"] == pytest.approx(-0.082496, abs=1e-6)
    assert t["verdict"] == "narrowing"
    assert (t["first_year"], t["last_year"], t["n_years"]) == (2019, 2021, 3)
    assert t["cv_first"] == pytest.approx(0.235702, abs=1e-6)
    assert t["cv_last"] == pytest.approx(0.070711, abs=1e-6)
    assert (t["maxmin_first"], t["maxmin_last"]) == pytest.approx((2.0, 3.3 / 2.7))


def frame_of(cvs: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(cvs), "cv": list(cvs.values()), "maxmin": 1.5})


@pytest.mark.parametrize(
    ("cvs", "verdict"),
    [
        # slope over 2019..2021 = (cv_2021 − cv_2019) / 2
        ({2019: 0.10, 2020: 0.11, 2021: 0.12}, "widening"),  # +0.01 a year
        ({2019: 0.100, 2020: 0.101, 2021: 0.102}, "flat"),  # +0.001 < 0.002
        ({2019: 0.102, 2020: 0.101, 2021: 0.100}, "flat"),  # −0.001
        ({2019: 0.110, 2020: 0.105, 2021: 0.100}, "narrowing"),  # −0.005
        ({2019: 0.1}, "insufficient_data"),
        ({}, "insufficient_data"),
    ],
)
def test_trend_verdicts(cvs: dict[int, float], verdict: str) -> None:
    assert trend(frame_of(cvs))["verdict"] == verdict
    assert FLAT_SLOPE == 0.002


def test_trend_of_one_year_keeps_first_and_last() -> None:
    t = trend(frame_of({2020: 0.2}))
    assert (t["first_year"], t["last_year"], t["cv_first"]) == (2020, 2020, 0.2)
    assert math.isnan(t["slope"])


def test_spread_uses_derived_values(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # Jiangsu's intensity comes only from its components: 3000 / 100000 × 100 = 3.0
    rows = [
        ("rd_intensity", r, 2020, v)
        for r, v in zip(PROVINCES, [3.6, None, 3.0, 2.4], strict=True)
        if v
    ]
    rows += [("rd_expenditure", "jiangsu", 2020, 3000.0), ("gdp", "jiangsu", 2020, 100000.0)]
    frame = obs(rows)
    assert spread(frame, regions, "rd_intensity").empty  # observed values only: three provinces
    out = spread(aggregate.derive(catalogue, regions, frame), regions, "rd_intensity")
    assert out["n"].tolist() == [4]
    assert out["cv"].tolist() == pytest.approx([math.sqrt(0.18) / 3])


def test_spread_zero_mean_and_minimum() -> None:
    class Registry:
        regions = {r: type("R", (), {"level": "province"})() for r in ("a", "b")}

        def members(self, region_id: str) -> list[str]:
            return []

    # values 0 and 2: mean 1, std 1, cv 1; the minimum 0 leaves max/min undefined
    out = spread(obs([("x", "a", 2020, 0.0), ("x", "b", 2020, 2.0)]), Registry(), "x")
    assert out["cv"].tolist() == [1.0]
    assert math.isnan(out["maxmin"].iloc[0])


def test_city_level_needs_80_percent_of_the_cities(regions) -> None:  # type: ignore[no-untyped-def]
    cities = level_regions(regions, "city")
    assert len(cities) == 41 and "shanghai" in cities and "nanjing" in cities
    need = math.ceil(CITY_COVERAGE * 41)  # 32.8 → 33 cities
    rows = [("pm25_concentration", c, 2021, 30.0 + i) for i, c in enumerate(cities[:need])]
    rows += [("pm25_concentration", c, 2022, 30.0) for c in cities[: need - 1]]
    out = spread(obs(rows), regions, "pm25_concentration", level="city")
    assert out["year"].tolist() == [2021]
    assert (out["n"].iloc[0], out["n_expected"].iloc[0]) == (33, 41)
    # 30, 31, …, 62: mean 46, population std = sqrt((33² − 1) / 12) = sqrt(90.667)
    assert out["mean"].iloc[0] == pytest.approx(46.0)
    assert out["std"].iloc[0] == pytest.approx(math.sqrt((33**2 - 1) / 12))
    assert out["maxmin"].iloc[0] == pytest.approx(62 / 30)


def test_level_must_be_province_or_city(regions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="level"):
        level_regions(regions, "zone")  # type: ignore[arg-type]


def test_convergence_table(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    out = convergence_table(catalogue, regions, rd_obs())
    assert list(out.columns) == list(TABLE_COLUMNS)
    # every goal benchmarked across regions, none of the goals set for the scope only
    assert "rd_intensity" in set(out["indicator"])
    assert "pct_applications" not in set(out["indicator"])
    assert "gdp_per_capita_ratio" not in set(out["indicator"])
    row = out[out["indicator"] == "rd_intensity"].iloc[0]
    assert (row["first_year"], row["last_year"], row["n_years"]) == (2019, 2021, 3)
    assert (row["cv_first"], row["cv_last"]) == pytest.approx((0.235702, 0.070711), abs=1e-6)
    assert (row["maxmin_first"], row["maxmin_last"]) == pytest.approx((2.0, 3.3 / 2.7))
    assert row["verdict"] == "narrowing"
    other = out[out["indicator"] == "urbanization_rate"].iloc[0]
    assert other["verdict"] == "insufficient_data" and other["n_years"] == 0


def test_convergence_table_for_chosen_series(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # per-capita GDP = gdp / population × 10000: 15, 12, 12, 9 in 2020 (one year: no trend)
    gdp = {"shanghai": 15.0, "jiangsu": 12.0, "zhejiang": 12.0, "anhui": 9.0}
    rows = [("gdp", r, 2020, v) for r, v in gdp.items()]
    rows += [("population", r, 2020, 10000.0) for r in gdp]
    out = convergence_table(catalogue, regions, obs(rows), indicators=["gdp_per_capita"])
    assert out["indicator"].tolist() == ["gdp_per_capita"]
    # deviations ±3, 0, 0 around 12: std = sqrt(18/4) = 2.1213, cv = 0.17678
    assert out["cv_first"].iloc[0] == pytest.approx(math.sqrt(4.5) / 12)
    assert out["verdict"].iloc[0] == "insufficient_data"


def test_verdict_labels() -> None:
    assert verdict_label("narrowing", "zh") == "差距缩小"
    assert verdict_label("widening", "en") == "widening"
