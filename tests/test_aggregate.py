"""Derived values: formulas from components, zone aggregates from Σ members, observed wins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import pytest

from targets.aggregate import derive, derive_with_reasons, missing_reasons
from targets.models import I18n, Indicator, Milestone, Region, Source

SRC = [Source(document="outline", section="s", quote="q")]


def indicator(
    id: str,
    *,
    formula: str | None = None,
    weight: str | None = None,
    goal: float | None = None,
    scope: Sequence[str] = ("yrd",),
) -> Indicator:
    milestones = (
        [Milestone(year=2025, value=goal, comparator=">=", text=I18n(zh="g", en="g"), sources=SRC)]
        if goal is not None
        else []
    )
    return Indicator(
        id=id,
        name=I18n(zh=id, en=id),
        unit=I18n(zh="u", en="u"),
        category="组成序列" if goal is None else "科创产业",
        direction="higher_is_better" if goal is not None else None,
        scope=list(scope) if goal is not None else [],
        milestones=milestones,
        formula=formula,
        weight=weight,  # type: ignore[arg-type]
    )


class Catalogue:
    def __init__(self, *indicators: Indicator) -> None:
        self.indicators = {i.id: i for i in indicators}

    def baseline_year(self, indicator: Indicator, milestone: Milestone) -> int:
        return 2018


class Registry:
    def __init__(self, regions: Iterable[Region]) -> None:
        self.regions = {r.id: r for r in regions}

    def members(self, region_id: str) -> list[str]:
        return list(self.regions[region_id].members)


def region(id: str, level: str, members: Sequence[str] = (), area: float | None = None) -> Region:
    return Region.model_validate(
        {
            "id": id,
            "name": {"zh": id, "en": id},
            "level": level,
            "members": list(members),
            "area_km2": area,
        }
    )


# yrd = provinces p1, p2; p1 = cities c1, c2; the zone z = c1 and p2 (a province as a city-level member)
REGIONS = Registry(
    [
        region("yrd", "region", ["p1", "p2"], area=300.0),
        region("z", "zone", ["c1", "p2"]),
        region("p1", "province", ["c1", "c2"], area=100.0),
        region("p2", "province", [], area=200.0),
        region("c1", "city", [], area=40.0),
        region("c2", "city", [], area=60.0),
    ]
)

GDP = indicator("gdp")
RD = indicator("rd_expenditure")
POP = indicator("population")
RD_INTENSITY = indicator("rd_intensity", formula="rd_expenditure / gdp * 100", goal=3)
LIFE = indicator("life_expectancy", weight="population", goal=79)
SCORE = indicator("score", weight="none", goal=1)
CATALOGUE = Catalogue(RD_INTENSITY, LIFE, SCORE, GDP, RD, POP)


def obs(rows: Iterable[tuple[str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=["indicator", "region", "year", "value"])
    frame["unit"] = None
    frame["note"] = None
    frame["import_id"] = 1
    return frame


def value(frame: pd.DataFrame, ind: str, reg: str, year: int) -> float:
    hit = frame[(frame.indicator == ind) & (frame.region == reg) & (frame.year == year)]
    assert len(hit) == 1, f"{ind} {reg} {year}: {len(hit)} rows"
    return float(hit["value"].iloc[0])


def row(frame: pd.DataFrame, ind: str, reg: str, year: int) -> pd.Series:
    hit = frame[(frame.indicator == ind) & (frame.region == reg) & (frame.year == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def has(frame: pd.DataFrame, ind: str, reg: str, year: int) -> bool:
    return bool(((frame.indicator == ind) & (frame.region == reg) & (frame.year == year)).any())


# provinces with very different R&D intensity: p1 = 10 / 100 → 10 %, p2 = 1 / 900 → 0.111 %
PROVINCES = obs(
    [
        ("rd_expenditure", "p1", 2022, 10.0),
        ("gdp", "p1", 2022, 100.0),
        ("rd_expenditure", "p2", 2022, 1.0),
        ("gdp", "p2", 2022, 900.0),
    ]
)


def test_formula_at_a_region_where_components_are_observed() -> None:
    out = derive(CATALOGUE, REGIONS, PROVINCES)
    # p1: 10 / 100 * 100 = 10
    assert value(out, "rd_intensity", "p1", 2022) == pytest.approx(10.0)
    r = row(out, "rd_intensity", "p1", 2022)
    assert bool(r["derived"]) is True
    assert r["note"] == "derived: rd_expenditure / gdp × 100"


def test_zone_ratio_is_sum_of_numerators_over_sum_of_denominators() -> None:
    out = derive(CATALOGUE, REGIONS, PROVINCES)
    # Σ rd = 10 + 1 = 11; Σ gdp = 100 + 900 = 1000; 11 / 1000 * 100 = 1.1
    # the naive mean of the provinces' ratios would be (10 + 0.111) / 2 = 5.056
    assert value(out, "rd_intensity", "yrd", 2022) == pytest.approx(1.1)
    assert value(out, "rd_intensity", "yrd", 2022) != pytest.approx((10 + 100 / 900) / 2)
    assert value(out, "gdp", "yrd", 2022) == pytest.approx(1000.0)
    assert value(out, "rd_expenditure", "yrd", 2022) == pytest.approx(11.0)
    note = row(out, "rd_intensity", "yrd", 2022)["note"]
    assert note == "derived: Σ rd_expenditure / Σ gdp × 100 over 2 provinces"
    assert row(out, "gdp", "yrd", 2022)["note"] == "derived: Σ gdp over 2 provinces"


def test_observed_rows_are_kept_and_flagged_not_derived() -> None:
    out = derive(CATALOGUE, REGIONS, PROVINCES)
    observed = out[~out["derived"]]
    assert len(observed) == 4
    assert observed["import_id"].tolist() == [1, 1, 1, 1]
    assert out["derived"].dtype == bool
    assert set(out.columns) >= {"indicator", "region", "year", "value", "unit", "note", "import_id"}


def test_province_from_cities_then_region_from_provinces() -> None:
    frame = obs(
        [
            ("gdp", "c1", 2021, 30.0),
            ("gdp", "c2", 2021, 70.0),
            ("gdp", "p2", 2021, 900.0),
        ]
    )
    out = derive(CATALOGUE, REGIONS, frame)
    # p1 = c1 + c2 = 100; yrd = p1 + p2 = 1000; zone z = c1 + p2 = 930
    assert value(out, "gdp", "p1", 2021) == pytest.approx(100.0)
    assert value(out, "gdp", "yrd", 2021) == pytest.approx(1000.0)
    assert value(out, "gdp", "z", 2021) == pytest.approx(930.0)


def test_observed_value_beats_derived() -> None:
    # a published regional ratio (2.0) stays in force; no derived row is made for that key
    frame = pd.concat(
        [PROVINCES, obs([("rd_intensity", "yrd", 2022, 2.0), ("gdp", "yrd", 2022, 999.0)])]
    )
    out = derive(CATALOGUE, REGIONS, frame)
    assert value(out, "rd_intensity", "yrd", 2022) == 2.0
    assert value(out, "gdp", "yrd", 2022) == 999.0
    assert not bool(row(out, "rd_intensity", "yrd", 2022)["derived"])


def test_observed_province_beats_sum_of_its_cities() -> None:
    frame = obs([("gdp", "c1", 2021, 30.0), ("gdp", "c2", 2021, 70.0), ("gdp", "p1", 2021, 105.0)])
    out = derive(CATALOGUE, REGIONS, frame)
    assert value(out, "gdp", "p1", 2021) == 105.0
    assert not bool(row(out, "gdp", "p1", 2021)["derived"])


def test_member_missing_means_no_aggregate_and_a_reason() -> None:
    frame = pd.concat(
        [
            PROVINCES,
            obs(
                [
                    ("rd_expenditure", "p1", 2023, 12.0),
                    ("gdp", "p1", 2023, 110.0),
                    ("rd_expenditure", "p2", 2023, 1.5),
                ]
            ),
        ]
    )
    out, reasons = derive_with_reasons(CATALOGUE, REGIONS, frame)
    assert not has(out, "gdp", "yrd", 2023)
    assert not has(out, "rd_intensity", "yrd", 2023)
    assert has(out, "rd_intensity", "yrd", 2022)  # the complete year is still made
    why = reasons.set_index(["indicator", "region", "year"])["reason"]
    assert why[("gdp", "yrd", 2023)] == "no gdp for p2 in 2023"
    assert why[("rd_intensity", "yrd", 2023)] == "no gdp for p2 in 2023"
    # p2 itself has rd_expenditure but no gdp in 2023
    assert why[("rd_intensity", "p2", 2023)] == "no gdp for p2 in 2023"
    assert list(reasons.columns) == ["indicator", "region", "year", "reason"]
    assert missing_reasons(CATALOGUE, REGIONS, frame).equals(reasons)


def test_reason_names_every_missing_member_and_counts_beyond_five() -> None:
    cities = [f"k{i}" for i in range(8)]
    reg = Registry([region("big", "zone", cities)] + [region(c, "city") for c in cities])
    frame = obs([("gdp", "k0", 2020, 1.0)])
    reasons = missing_reasons(Catalogue(GDP), reg, frame)
    assert reasons["reason"].tolist() == ["no gdp for k1, k2, k3, k4, k5 and 2 more in 2020"]


def test_weighted_mean_uses_the_weight_series() -> None:
    frame = obs(
        [
            ("life_expectancy", "p1", 2020, 80.0),
            ("life_expectancy", "p2", 2020, 76.0),
            ("population", "p1", 2020, 300.0),
            ("population", "p2", 2020, 100.0),
        ]
    )
    out = derive(CATALOGUE, REGIONS, frame)
    # (80 × 300 + 76 × 100) / 400 = (24000 + 7600) / 400 = 79.0 (the plain mean would be 78)
    assert value(out, "life_expectancy", "yrd", 2020) == pytest.approx(79.0)
    assert row(out, "life_expectancy", "yrd", 2020)["note"] == (
        "derived: population-weighted mean of life_expectancy over 2 provinces"
    )


def test_weighted_mean_without_a_weight_is_absent_with_reason() -> None:
    frame = obs(
        [
            ("life_expectancy", "p1", 2020, 80.0),
            ("life_expectancy", "p2", 2020, 76.0),
            ("population", "p1", 2020, 300.0),
        ]
    )
    out, reasons = derive_with_reasons(CATALOGUE, REGIONS, frame)
    assert not has(out, "life_expectancy", "yrd", 2020)
    why = reasons.set_index(["indicator", "region", "year"])["reason"]
    assert why[("life_expectancy", "yrd", 2020)] == "no population for p2 in 2020"


def test_area_weight_falls_back_to_the_region_table() -> None:
    density = indicator("density", weight="area", goal=1)
    frame = obs([("density", "p1", 2020, 10.0), ("density", "p2", 2020, 1.0)])
    out = derive(Catalogue(density), REGIONS, frame)
    # areas 100 and 200 km²: (10 × 100 + 1 × 200) / 300 = 4.0
    assert value(out, "density", "yrd", 2020) == pytest.approx(4.0)


def test_weight_none_is_not_aggregated() -> None:
    frame = obs([("score", "p1", 2020, 1.0), ("score", "p2", 2020, 2.0)])
    out = derive(CATALOGUE, REGIONS, frame)
    assert not has(out, "score", "yrd", 2020)
    assert len(out) == 2


def test_goal_count_without_weight_adds_up() -> None:
    # counts such as PCT applications have neither formula nor weight: they add up
    pct = indicator("pct_applications", goal=30000)
    frame = obs(
        [("pct_applications", "p1", 2023, 20000.0), ("pct_applications", "p2", 2023, 6000.0)]
    )
    out = derive(Catalogue(pct), REGIONS, frame)
    assert value(out, "pct_applications", "yrd", 2023) == 26000.0


def test_ratios_are_never_averaged_without_components() -> None:
    frame = obs([("rd_intensity", "p1", 2022, 3.0), ("rd_intensity", "p2", 2022, 2.0)])
    out = derive(CATALOGUE, REGIONS, frame)
    assert not has(out, "rd_intensity", "yrd", 2022)


def test_cross_region_formula_at_scope_regions() -> None:
    gdp_pc = indicator("gdp_per_capita", formula="gdp / population * 10000")
    ratio = indicator(
        "gdp_per_capita_ratio",
        formula="gdp_per_capita[z] / gdp_per_capita[yrd]",
        goal=1.2,
        scope=["z"],
    )
    frame = obs(
        [
            ("gdp", "c1", 2021, 300.0),
            ("gdp", "c2", 2021, 100.0),
            ("gdp", "p2", 2021, 600.0),
            ("population", "c1", 2021, 100.0),
            ("population", "c2", 2021, 100.0),
            ("population", "p2", 2021, 300.0),
        ]
    )
    out = derive(Catalogue(ratio, gdp_pc, GDP, POP), REGIONS, frame)
    # zone z = c1 + p2: gdp 900, population 400 → 22 500 per person (×10 000)
    # yrd = p1 (c1 + c2: 400, 200) + p2 (600, 300): gdp 1000, population 500 → 20 000
    assert value(out, "gdp_per_capita", "z", 2021) == pytest.approx(22500.0)
    assert value(out, "gdp_per_capita", "yrd", 2021) == pytest.approx(20000.0)
    # 22 500 / 20 000 = 1.125, at the scope region only
    assert value(out, "gdp_per_capita_ratio", "z", 2021) == pytest.approx(1.125)
    assert set(out.loc[out.indicator == "gdp_per_capita_ratio", "region"]) == {"z"}
    assert row(out, "gdp_per_capita_ratio", "z", 2021)["note"] == (
        "derived: gdp_per_capita[z] / gdp_per_capita[yrd]"
    )


def test_cross_region_formula_reason_when_one_side_missing() -> None:
    gdp_pc = indicator("gdp_per_capita", formula="gdp / population * 10000")
    ratio = indicator(
        "gdp_per_capita_ratio",
        formula="gdp_per_capita[z] / gdp_per_capita[yrd]",
        goal=1.2,
        scope=["z"],
    )
    frame = obs([("gdp_per_capita", "z", 2021, 2.0)])
    reasons = missing_reasons(Catalogue(ratio, gdp_pc, GDP, POP), REGIONS, frame)
    why = reasons.set_index(["indicator", "region", "year"])["reason"]
    assert why[("gdp_per_capita_ratio", "z", 2021)] == "no gdp_per_capita for yrd in 2021"


def test_unknown_indicators_and_regions_pass_through() -> None:
    frame = obs([("other", "somewhere", 2020, 1.0)])
    out = derive(CATALOGUE, REGIONS, frame)
    assert len(out) == 1
    assert value(out, "other", "somewhere", 2020) == 1.0


def test_empty_observations() -> None:
    out, reasons = derive_with_reasons(CATALOGUE, REGIONS, obs([]))
    assert len(out) == 0 and len(reasons) == 0
    assert "derived" in out.columns


def test_rederiving_a_derived_frame_gives_the_same_rows() -> None:
    once = derive(CATALOGUE, REGIONS, PROVINCES)
    twice = derive(CATALOGUE, REGIONS, once)
    assert len(twice) == len(once)
