"""Each province's part of the regional gap, with the arithmetic written out."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from targets.contribution import (
    CONTRIBUTION_COLUMNS,
    Ratio,
    ratio_of,
    regional_gap_contributions,
)

PROVINCES = ["shanghai", "jiangsu", "zhejiang", "anhui"]


def obs(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
    frame["unit"] = None
    frame["note"] = None
    frame["import_id"] = 1
    return frame


# R&D expenditure (亿元) and GDP (亿元) in 2021
RD = {"shanghai": (1800.0, 43000.0), "jiangsu": (3400.0, 116000.0),
      "zhejiang": (2100.0, 73000.0), "anhui": (1000.0, 42000.0)}  # fmt: skip


def rd_obs() -> pd.DataFrame:
    rows = [("rd_expenditure", r, 2021, n) for r, (n, _) in RD.items()]
    rows += [("gdp", r, 2021, d) for r, (_, d) in RD.items()]
    return obs(rows)


def by_region(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("region")


def test_ratio_of_formulas() -> None:
    assert ratio_of("rd_expenditure / gdp * 100") == Ratio("rd_expenditure", "gdp", 100.0)
    assert ratio_of("valid_invention_patents / population") == Ratio(
        "valid_invention_patents", "population", 1.0
    )
    assert ratio_of("100 * a / b") == Ratio("a", "b", 100.0)
    assert ratio_of("a / (b / 100)") == Ratio("a", "b", 100.0)
    for bad in (
        "a + b",
        "gdp_per_capita[central_zone] / gdp_per_capita[yrd]",
        "a / b / c",
        "a * b",
    ):
        with pytest.raises(ValueError, match="numerator / denominator"):
            ratio_of(bad)


def test_ratio_shortfalls_by_hand(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # target 3.2%: T / k = 0.032 of GDP
    # shortfall = 0.032 × GDP − R&D:
    #   shanghai 0.032 × 43000 − 1800 = 1376 − 1800 = −424 (beyond the target)
    #   jiangsu  0.032 × 116000 − 3400 = 3712 − 3400 = 312
    #   zhejiang 0.032 × 73000 − 2100 = 2336 − 2100 = 236
    #   anhui    0.032 × 42000 − 1000 = 1344 − 1000 = 344
    # Σ = 468 = 0.032 × 274000 − 8300 (the regional gap in 亿元 of R&D)
    # shares: −424/468, 312/468, 236/468, 344/468 (sum 1)
    # gap points = shortfall / 274000 × 100; Σ = 468 / 2740 = 0.170803 = 3.2 − 8300/2740
    out = regional_gap_contributions(catalogue, regions, rd_obs(), "rd_intensity", 2021, 3.2)
    assert list(out.columns) == list(CONTRIBUTION_COLUMNS)
    assert out["region"].tolist() == [*PROVINCES, "yrd"]
    t = by_region(out)
    assert t["shortfall"][PROVINCES].tolist() == pytest.approx([-424, 312, 236, 344])
    assert t.loc["yrd", "shortfall"] == pytest.approx(468)
    assert t["share_of_gap"][PROVINCES].tolist() == pytest.approx(
        [-424 / 468, 312 / 468, 236 / 468, 344 / 468]
    )
    assert t["share_of_gap"][PROVINCES].sum() == pytest.approx(1.0)
    assert t.loc["yrd", "share_of_gap"] == 1.0
    assert t["gap_points"][PROVINCES].tolist() == pytest.approx(
        [-424 / 2740, 312 / 2740, 236 / 2740, 344 / 2740]
    )
    regional_value = 8300 / 274000 * 100  # 3.029197
    assert t.loc["yrd", "value"] == pytest.approx(regional_value)
    assert t["gap_points"][PROVINCES].sum() == pytest.approx(3.2 - regional_value)
    assert t.loc["yrd", "gap_points"] == pytest.approx(3.2 - regional_value)
    assert (t.loc["yrd", "numerator"], t.loc["yrd", "denominator"]) == (8300, 274000)
    assert t.loc["anhui", "value"] == pytest.approx(1000 / 42000 * 100)
    assert out.attrs["method"] == "ratio"
    assert (out.attrs["target"], out.attrs["factor"]) == (3.2, 100.0)


def test_default_target_is_the_catalogues_goal(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # the 2025 goal (3): shortfalls 0.03 × GDP − R&D: 1290 − 1800 = −510, 3480 − 3400 = 80,
    # 2190 − 2100 = 90, 1260 − 1000 = 260; Σ = −80: the region is beyond the goal by 80 亿元
    out = regional_gap_contributions(catalogue, regions, rd_obs(), "rd_intensity", 2021)
    t = by_region(out)
    assert out.attrs["target"] == 3.0
    assert t["shortfall"].tolist() == pytest.approx([-510, 80, 90, 260, -80])
    assert t["share_of_gap"][PROVINCES].sum() == pytest.approx(1.0)


def test_weighted_mean_is_a_ratio_of_sums(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # life expectancy (population-weighted), goal 79:
    #   N_i = pop × years, D_i = pop, shortfall = pop × (79 − x):
    #   shanghai 2500 × (79 − 83) = −10000; jiangsu 8500 × 1 = 8500;
    #   zhejiang 6500 × (79 − 80) = −6500; anhui 6100 × (79 − 77) = 12200; Σ = 4200
    #   regional value = (2500·83 + 8500·78 + 6500·80 + 6100·77) / 23600 = 1860200 / 23600
    #   = 78.822034; gap = 79 − 78.822034 = 0.177966 = 4200 / 23600
    values = {"shanghai": (83.0, 2500.0), "jiangsu": (78.0, 8500.0),
              "zhejiang": (80.0, 6500.0), "anhui": (77.0, 6100.0)}  # fmt: skip
    rows = [("life_expectancy", r, 2020, x) for r, (x, _) in values.items()]
    rows += [("population", r, 2020, p) for r, (_, p) in values.items()]
    out = regional_gap_contributions(catalogue, regions, obs(rows), "life_expectancy", 2020, 79)
    t = by_region(out)
    assert out.attrs["method"] == "weighted"
    assert t["shortfall"].tolist() == pytest.approx([-10000, 8500, -6500, 12200, 4200])
    assert t.loc["yrd", "value"] == pytest.approx(1860200 / 23600)
    assert t.loc["yrd", "gap_points"] == pytest.approx(79 - 1860200 / 23600)
    assert t["share_of_gap"][PROVINCES].sum() == pytest.approx(1.0)
    assert t["value"][PROVINCES].tolist() == pytest.approx([83, 78, 80, 77])


def test_weighted_mean_shortfall_in_weight_units(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # Life expectancy (population-weighted), goal >= 79: shortfall = pop × (79 − x):
    #   shanghai 2500 × (79 − 83) = −10000; jiangsu 8500 × 1 = 8500; zhejiang 6500 × (−1) = −6500;
    #   anhui 6100 × 2 = 12200; Σ = 4200; gap = 4200 / 23600 = 0.177966 years below the goal
    values = {"shanghai": (83.0, 2500.0), "jiangsu": (78.0, 8500.0),
              "zhejiang": (80.0, 6500.0), "anhui": (77.0, 6100.0)}  # fmt: skip
    rows = [("life_expectancy", r, 2022, x) for r, (x, _) in values.items()]
    rows += [("population", r, 2022, p) for r, (_, p) in values.items()]
    out = regional_gap_contributions(catalogue, regions, obs(rows), "life_expectancy", 2022)
    t = by_region(out)
    assert t["shortfall"].tolist() == pytest.approx([-10000, 8500, -6500, 12200, 4200])
    assert t.loc["yrd", "gap_points"] == pytest.approx(4200 / 23600)
    assert 79 - t.loc["yrd", "value"] == pytest.approx(4200 / 23600)


def test_additive_count_reports_shares_instead(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # PCT applications, goal 30000 for the delta only; growth since the baseline 2019
    # (the S&T plan's): 2019 → 2023: 3000 → 5000, 6000 → 9000, 4000 → 6000, 1000 → 2000
    # total 22000 (14000 in 2019), growth 8000; gap 30000 − 22000 = 8000
    # share of total: 5/22, 9/22, 6/22, 2/22; of growth: 2/8, 3/8, 2/8, 1/8
    then = {"shanghai": 3000.0, "jiangsu": 6000.0, "zhejiang": 4000.0, "anhui": 1000.0}
    now = {"shanghai": 5000.0, "jiangsu": 9000.0, "zhejiang": 6000.0, "anhui": 2000.0}
    rows = [("pct_applications", r, 2019, v) for r, v in then.items()]
    rows += [("pct_applications", r, 2023, v) for r, v in now.items()]
    out = regional_gap_contributions(catalogue, regions, obs(rows), "pct_applications", 2023)
    t = by_region(out)
    assert out.attrs["method"] == "additive"
    assert "undefined" in out.attrs["note"] and "2019" in out.attrs["note"]
    assert t["share_of_total"].tolist() == pytest.approx([5 / 22, 9 / 22, 6 / 22, 2 / 22, 1.0])
    assert t["share_of_growth"].tolist() == pytest.approx([2 / 8, 3 / 8, 2 / 8, 1 / 8, 1.0])
    assert t.loc["yrd", "value"] == 22000
    assert t.loc["yrd", "shortfall"] == 8000
    assert t["shortfall"][PROVINCES].isna().all()
    assert t["share_of_gap"].isna().all()


def test_missing_component_leaves_the_shares_undefined(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    frame = rd_obs()
    frame = frame[~((frame["indicator"] == "gdp") & (frame["region"] == "anhui"))]
    out = regional_gap_contributions(catalogue, regions, frame, "rd_intensity", 2021, 3.2)
    t = by_region(out)
    assert math.isnan(t.loc["anhui", "shortfall"])
    assert t["share_of_gap"].isna().all()
    assert math.isnan(t.loc["yrd", "value"])
    # the others' own shortfalls are still known
    assert t.loc["jiangsu", "shortfall"] == pytest.approx(312)


def test_not_aggregated_goal_is_refused(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="not aggregated"):
        regional_gap_contributions(catalogue, regions, rd_obs(), "cross_border_water_quality", 2021)


def test_a_published_value_wins_and_the_derivation_is_kept_beside_it(  # type: ignore[no-untyped-def]
    catalogue, regions
) -> None:
    # Shanghai publishes 4.17% for 2021; its components give 1800 / 43000 × 100 = 4.186%
    frame = pd.concat([rd_obs(), obs([("rd_intensity", "shanghai", 2021, 4.17)])])
    out = by_region(regional_gap_contributions(catalogue, regions, frame, "rd_intensity", 2021))
    sh = out.loc["shanghai"]
    assert (sh["value"], sh["value_source"]) == (4.17, "published")
    assert sh["derived_value"] == pytest.approx(1800 / 43000 * 100)
    js = out.loc["jiangsu"]
    assert js["value_source"] == "derived"
    assert js["value"] == js["derived_value"] == pytest.approx(3400 / 116000 * 100)
    # the shares are in the components' terms either way
    assert out.loc["shanghai", "shortfall"] == pytest.approx(0.03 * 43000 - 1800)
