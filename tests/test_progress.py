"""The progress method on hand-computed cases, plus property tests of status and gap."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targets import progress
from targets.models import I18n, Indicator, Milestone, Region, Source
from targets.progress import (
    EXTRA_COLUMNS,
    GAP_COLUMNS,
    MODERATE,
    ON_TRACK,
    PROJECTION_WINDOW,
    STATUS_IDS,
    STATUS_RANK,
    compute_gaps,
    status_counts,
)

SRC = [Source(document="outline", section="s", quote="q")]


def milestone(
    year: int,
    value: float | None,
    comparator: str | None,
    *,
    basis: str = "absolute",
    base_year: int | None = None,
    overrides: dict[str, float] | None = None,
) -> Milestone:
    return Milestone(
        year=year,
        value=value,
        comparator=comparator,  # type: ignore[arg-type]
        basis=basis,  # type: ignore[arg-type]
        base_year=base_year,
        text=I18n(zh="g", en="g"),
        sources=SRC,
        overrides=overrides or {},
    )


def goal(
    id: str,
    milestones: Sequence[Milestone],
    *,
    scope: Sequence[str] = ("yrd",),
    compare: str = "all_regions",
    formula: str | None = None,
    weight: str | None = "none",  # not aggregated: each region's series stays as given
    baseline: int | None = None,
) -> Indicator:
    return Indicator.model_validate(
        {
            "id": id,
            "name": {"zh": id, "en": id},
            "unit": {"zh": "u", "en": "u"},
            "category": "科创产业",
            "direction": "higher_is_better",
            "scope": list(scope),
            "milestones": list(milestones),
            "compare": compare,
            "formula": formula,
            "weight": weight,
            "baseline": {"year": baseline} if baseline else None,
        }
    )


def component(id: str) -> Indicator:
    return Indicator(id=id, name=I18n(zh=id, en=id), unit=I18n(zh="u", en="u"), category="组成序列")


class Catalogue:
    def __init__(self, *indicators: Indicator) -> None:
        self.indicators = {i.id: i for i in indicators}

    def baseline_year(self, indicator: Indicator, milestone: Milestone) -> int:
        return indicator.baseline.year if indicator.baseline else 2018


class Registry:
    def __init__(self, regions: Iterable[Region]) -> None:
        self.regions = {r.id: r for r in regions}

    def members(self, region_id: str) -> list[str]:
        return list(self.regions[region_id].members)


def region(id: str, level: str, members: Sequence[str] = ()) -> Region:
    return Region.model_validate(
        {"id": id, "name": {"zh": id, "en": id}, "level": level, "members": list(members)}
    )


REGIONS = Registry(
    [
        region("yrd", "region", ["p1", "p2"]),
        region("p1", "province", ["c1"]),
        region("p2", "province"),
        region("c1", "city"),
    ]
)


def obs(rows: Iterable[tuple[str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=["indicator", "region", "year", "value"])
    frame["unit"] = None
    frame["note"] = None
    frame["import_id"] = 1
    return frame


def series(ind: str, reg: str, values: dict[int, float]) -> list[tuple[str, str, int, float]]:
    return [(ind, reg, y, v) for y, v in values.items()]


def gaps_for(
    ind: Indicator, rows: Iterable[tuple[str, str, int, float]], **kw: object
) -> pd.DataFrame:
    return compute_gaps(Catalogue(ind), REGIONS, obs(rows), **kw)  # type: ignore[arg-type]


def one(frame: pd.DataFrame, region: str = "yrd", milestone_year: int | None = None) -> pd.Series:
    hit = frame[frame["region"] == region]
    if milestone_year is not None:
        hit = hit[hit["milestone_year"] == milestone_year]
    assert len(hit) == 1, hit
    return hit.iloc[0]


# ----------------------------------------------------------------- statuses, by hand
# A goal >= 146.41 in 2022 from a 2018 baseline of 100: required = (146.41/100)^(1/4) − 1 = 10 %.
GROWTH = goal("share", [milestone(2022, 146.41, ">=")])


def test_on_track_every_measure_by_hand() -> None:
    # 2018: 100, 2020: 121 → actual = (121/100)^(1/2) − 1 = 10 %; ratio = 10 % / 10 % = 1.0
    r = one(gaps_for(GROWTH, series("share", "yrd", {2018: 100.0, 2020: 121.0})))
    assert r["status"] == "on_track"
    assert r["year"] == 2020 and r["value"] == 121.0
    assert r["baseline_year"] == 2018 and r["baseline_value"] == 100.0
    assert r["target"] == 146.41 and r["comparator"] == ">=" and r["milestone_year"] == 2022
    assert r["gap"] == pytest.approx(25.41)  # 146.41 − 121
    assert r["gap_pct"] == pytest.approx(25.41 / 146.41)  # 0.17355
    assert r["progress"] == pytest.approx(21 / 46.41)  # (121 − 100) / (146.41 − 100) = 0.4525
    assert r["time_elapsed"] == pytest.approx(0.5)  # (2020 − 2018) / (2022 − 2018)
    assert r["actual_rate"] == pytest.approx(0.10)
    assert r["required_rate"] == pytest.approx(0.10)
    assert r["ratio"] == pytest.approx(1.0)
    # the trend through 100 and 121 grows 10 % a year: 121 × 1.1² = 146.41 in 2022
    assert r["projected"] == pytest.approx(146.41)
    assert r["schedule_years"] == pytest.approx((21 / 46.41 - 0.5) * 4)  # −0.19 years
    assert r["rate_needed"] == pytest.approx(0.10)  # (146.41 / 121)^(1/2) − 1
    assert r["direction"] == "higher_is_better" and r["basis"] == "absolute"
    assert not r["derived"] and not r["linear"]


@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        (114.49, "moderate", 0.7),  # 100 × 1.07²: actual 7 %, ratio 0.7
        (106.09, "insufficient", 0.3),  # 100 × 1.03²: actual 3 %, ratio 0.3
        (90.25, "moving_away", -0.5),  # 100 × 0.95²: actual −5 %, ratio −0.5
        (100.0, "insufficient", 0.0),  # no change: ratio 0 is insufficient, not moving away
        (146.41, "achieved", 1.0 / 0.1 * (math.sqrt(1.4641) - 1)),  # met exactly with >=
    ],
)
def test_status_from_ratio(latest: float, status: str, ratio: float) -> None:
    r = one(gaps_for(GROWTH, series("share", "yrd", {2018: 100.0, 2020: latest})))
    assert r["status"] == status
    assert r["ratio"] == pytest.approx(ratio)


def test_thresholds_are_inclusive_at_their_lower_bound() -> None:
    # linear rates (baseline 0) keep the arithmetic exact: required = (100 − 0) / 4 = 25 a year
    ind = goal("x", [milestone(2022, 100.0, ">=")])
    # 2 years: 47.5 → 23.75 a year → ratio 23.75 / 25 = 0.95; 30 → 15 a year → ratio 0.6
    for latest, ratio, status in ((47.5, ON_TRACK, "on_track"), (30.0, MODERATE, "moderate")):
        r = one(gaps_for(ind, series("x", "yrd", {2018: 0.0, 2020: latest})))
        assert r["ratio"] == ratio
        assert r["status"] == status


def test_insufficient_data_with_one_value() -> None:
    r = one(gaps_for(GROWTH, series("share", "yrd", {2019: 120.0})))
    assert r["status"] == "insufficient_data"
    assert r["baseline_year"] == 2019 and r["year"] == 2019  # the first value from 2018 on
    assert math.isnan(r["ratio"]) and math.isnan(r["projected"])
    assert r["gap"] == pytest.approx(26.41)
    assert r["reason"] == "one value only (2019)"
    # (120 − 120) / (146.41 − 120) = 0, never shown as "-0"
    assert r["progress"] == 0 and math.copysign(1.0, r["progress"]) == 1.0


def test_no_negative_zero_in_the_table() -> None:
    # one value of 120 for a goal >= 100: progress = (120 − 120) / (100 − 120) = 0 / −20 = −0.0
    ind = goal("x", [milestone(2025, 100.0, ">=")])
    r = one(gaps_for(ind, series("x", "yrd", {2019: 120.0})))
    assert r["status"] == "achieved"
    assert r["progress"] == 0 and math.copysign(1.0, r["progress"]) == 1.0


def test_no_data_row_for_a_scope_region_without_values() -> None:
    frame = gaps_for(GROWTH, series("share", "p1", {2018: 1.0, 2020: 2.0}))
    r = one(frame, "yrd")
    assert r["status"] == "no_data"
    assert pd.isna(r["value"]) and pd.isna(r["year"]) and pd.isna(r["gap"])
    assert r["reason"] == "no value"
    # compare all_regions: p1 has values, so it gets a row too; p2 and c1 have none and do not
    assert sorted(frame["region"]) == ["p1", "yrd"]


def test_scope_only_goal_has_rows_for_scope_regions_only() -> None:
    count = goal("pct", [milestone(2025, 30000, ">=")], compare="scope_only")
    frame = gaps_for(count, series("pct", "p1", {2019: 1.0, 2023: 2.0}))
    assert frame["region"].tolist() == ["yrd"]


def test_lower_is_better_pm25() -> None:
    pm25 = goal("pm25", [milestone(2025, 35, "<=")])
    frame = gaps_for(
        pm25,
        series("pm25", "yrd", {2018: 50.0, 2021: 40.0})
        + series("pm25", "p1", {2018: 50.0, 2022: 35.0})
        + series("pm25", "p2", {2018: 40.0, 2022: 44.0}),
    )
    r = one(frame, "yrd")
    # required = (35/50)^(1/7) − 1 = −4.970 %; actual = (40/50)^(1/3) − 1 = −7.168 %
    assert r["required_rate"] == pytest.approx(0.7 ** (1 / 7) - 1)
    assert r["actual_rate"] == pytest.approx(0.8 ** (1 / 3) - 1)
    # both negative: the ratio is positive, 1.442 → on track
    assert r["ratio"] == pytest.approx((0.8 ** (1 / 3) - 1) / (0.7 ** (1 / 7) - 1))
    assert r["status"] == "on_track"
    assert r["gap"] == pytest.approx(5.0) and r["gap_pct"] == pytest.approx(5 / 35)
    assert r["progress"] == pytest.approx(10 / 15)  # (40 − 50) / (35 − 50)
    assert r["time_elapsed"] == pytest.approx(3 / 7)
    assert r["direction"] == "lower_is_better"
    # 35 with <= is met; 44 from 40 moves away (actual > 0 while the goal needs a fall)
    assert one(frame, "p1")["status"] == "achieved" and one(frame, "p1")["gap"] == 0
    assert one(frame, "p2")["status"] == "moving_away"


def test_change_from_base_energy_minus_ten_percent() -> None:
    energy = goal("energy", [milestone(2025, -10, "<=", basis="change_from_base", base_year=2017)])
    frame = gaps_for(
        energy,
        series("energy", "p1", {2017: 0.5, 2018: 0.48, 2022: 0.44})
        + series("energy", "p2", {2018: 0.6, 2022: 0.58})
        + series("energy", "yrd", {2017: 0.5, 2018: 0.5, 2023: 0.47}),
    )
    # p1: T = 0.5 × (1 − 10 %) = 0.45; 0.44 <= 0.45 → achieved
    p1 = one(frame, "p1")
    assert p1["target"] == pytest.approx(0.45) and p1["status"] == "achieved" and p1["gap"] == 0
    # p2 has no 2017 value: no target, no_data, and the reason says so
    p2 = one(frame, "p2")
    assert math.isnan(p2["target"]) and p2["status"] == "no_data"
    assert p2["reason"] == "no 2017 value (the base year) for p2"
    # yrd: T = 0.45; baseline 2018 = 0.5; required = 0.9^(1/7) − 1 = −1.494 %;
    # actual = (0.47/0.5)^(1/5) − 1 = −1.230 %; ratio 0.823 → moderate
    yrd = one(frame, "yrd")
    assert yrd["required_rate"] == pytest.approx(0.9 ** (1 / 7) - 1)
    assert yrd["ratio"] == pytest.approx((0.94**0.2 - 1) / (0.9 ** (1 / 7) - 1))
    assert yrd["status"] == "moderate"
    assert yrd["gap"] == pytest.approx(0.02)


def test_region_override_of_the_goal_value() -> None:
    ind = goal("share", [milestone(2022, 146.41, ">=", overrides={"p1": 110.0})])
    frame = gaps_for(ind, series("share", "p1", {2018: 100.0, 2020: 121.0}))
    assert one(frame, "p1")["target"] == 110.0
    assert one(frame, "p1")["status"] == "achieved"
    assert one(frame, "yrd")["target"] == 146.41


def test_strict_comparator_at_exactly_the_target_is_not_achieved() -> None:
    rd = goal("rd", [milestone(2025, 3.0, ">")])
    frame = gaps_for(
        rd,
        series("rd", "yrd", {2018: 2.5, 2023: 3.0}) + series("rd", "p1", {2018: 2.5, 2023: 3.01}),
    )
    r = one(frame, "yrd")
    assert r["status"] != "achieved"
    assert r["gap"] > 0  # the smallest step above 3.0 is still to go
    assert r["gap"] == pytest.approx(0.0)
    # 2.5 → 3.0 in 5 of 7 years: ratio = ((1.2)^(1/5) − 1) / ((1.2)^(1/7) − 1) = 1.39 → on track
    assert r["status"] == "on_track"
    assert one(frame, "p1")["status"] == "achieved"
    # with >= the same value is achieved
    frame2 = gaps_for(
        goal("rd", [milestone(2025, 3.0, ">=")]), series("rd", "yrd", {2018: 2.5, 2023: 3.0})
    )
    assert one(frame2)["status"] == "achieved" and one(frame2)["gap"] == 0


def test_milestone_in_the_past_is_judged_on_the_value_for_its_year() -> None:
    ind = goal("share", [milestone(2020, 110.0, ">=")])
    rows = (
        # met in 2020, fell back later: achieved (judged on 2020)
        series("share", "p1", {2018: 100.0, 2020: 112.0, 2023: 105.0})
        # missed in 2020, met later: missed
        + series("share", "p2", {2018: 100.0, 2020: 104.0, 2023: 115.0})
        # no 2020 value: judged by the trend to 2019 (the latest before 2020), like a running goal
        + series("share", "yrd", {2018: 100.0, 2019: 104.0, 2022: 120.0})
    )
    frame = gaps_for(ind, rows)
    p1 = one(frame, "p1")
    assert (p1["status"], p1["year"], p1["value"]) == ("achieved", 2020, 112.0)
    p2 = one(frame, "p2")
    assert (p2["status"], p2["year"], p2["value"]) == ("missed", 2020, 104.0)
    assert p2["gap"] == pytest.approx(6.0)
    yrd = one(frame, "yrd")
    assert yrd["year"] == 2019 and yrd["status"] != "missed"
    # actual 4 %, required (1.1)^(1/2) − 1 = 4.88 %: ratio 0.82 → moderate
    assert yrd["ratio"] == pytest.approx(0.04 / (1.1**0.5 - 1))
    assert yrd["pace_status"] == "moderate"
    # the goal year is past: the headline is by distance. The trend gives 104 × 1.04 = 108.16
    # in 2020, 1.84 short of 110: 18.4% of the distance from the baseline 100 → some way short
    assert yrd["status_rule"] == "distance"
    assert yrd["distance_share"] == pytest.approx((110 - 104 * 1.04) / 10)
    assert yrd["status"] == "short"
    assert yrd["reason"] == "no value for 2020: judged by the trend to 2019"


def test_as_of_year_uses_only_earlier_observations() -> None:
    ind = goal("share", [milestone(2020, 110.0, ">=")])
    rows = series("share", "p2", {2018: 100.0, 2019: 104.0, 2020: 104.0})
    frame = gaps_for(ind, rows, year=2019)
    p2 = one(frame, "p2")
    # as of 2019 the 2020 value is unknown: not missed, judged by its trend (4 % vs 4.88 %)
    assert p2["year"] == 2019 and p2["pace_status"] == "moderate"
    # one year before the goal year the headline is by distance (108.16 vs 110: 18.4% short)
    assert p2["status"] == "short" and p2["status_rule"] == "distance"


def test_baseline_falls_forward_to_the_first_later_year_with_a_value() -> None:
    r = one(gaps_for(GROWTH, series("share", "yrd", {2016: 90.0, 2019: 100.0, 2020: 110.0})))
    # the 2018 baseline has no value; 2019 is the first later year with one
    assert r["baseline_year"] == 2019 and r["baseline_value"] == 100.0
    assert r["time_elapsed"] == pytest.approx(1 / 3)


def test_linear_analogues_where_a_value_is_not_positive() -> None:
    ind = goal("balance", [milestone(2022, 10.0, ">=")])
    r = one(gaps_for(ind, series("balance", "yrd", {2018: -2.0, 2020: 4.0})))
    # linear: actual = (4 − (−2)) / 2 = 3 a year; required = (10 − (−2)) / 4 = 3 a year
    assert r["linear"]
    assert r["actual_rate"] == pytest.approx(3.0) and r["required_rate"] == pytest.approx(3.0)
    assert r["ratio"] == pytest.approx(1.0) and r["status"] == "on_track"
    # linear trend through (2018, −2) and (2020, 4): 3 a year → 10 in 2022
    assert r["projected"] == pytest.approx(10.0)
    assert r["rate_needed"] == pytest.approx(3.0)  # (10 − 4) / 2


def test_projection_uses_the_last_five_years() -> None:
    values = {
        2010: 1000.0,
        2011: 1.0,
        2016: 100.0,
        2017: 100.0,
        2018: 100.0,
        2019: 100.0,
        2020: 100.0,
    }
    r = one(gaps_for(GROWTH, series("share", "yrd", values)))
    # the last five years are flat at 100: the outliers of 2010/2011 are outside the window
    assert PROJECTION_WINDOW == 5
    assert r["projected"] == pytest.approx(100.0)


def test_baseline_already_meets_goal_but_latest_does_not() -> None:
    ind = goal("share", [milestone(2022, 100.0, ">=")])
    r = one(gaps_for(ind, series("share", "yrd", {2018: 120.0, 2020: 90.0})))
    # no growth is required (120 ≥ 100), the value fell below: moving away, no ratio
    assert r["status"] == "moving_away" and math.isnan(r["ratio"])


def test_word_only_milestones_get_no_row_and_milestone_filter() -> None:
    ind = goal(
        "share",
        [milestone(2022, 146.41, ">="), milestone(2030, 200.0, ">="), milestone(2035, None, None)],
    )
    rows = series("share", "yrd", {2018: 100.0, 2020: 121.0})
    frame = gaps_for(ind, rows)
    assert frame["milestone_year"].tolist() == [2022, 2030]
    assert gaps_for(ind, rows, milestone=2030)["milestone_year"].tolist() == [2030]
    assert gaps_for(ind, rows, milestone=2035).empty


def test_indicator_and_region_filters() -> None:
    rows = series("share", "yrd", {2018: 100.0, 2020: 121.0}) + series("share", "p1", {2018: 1.0})
    frame = gaps_for(GROWTH, rows, region_ids=["p1"])
    assert frame["region"].tolist() == ["p1"]
    assert gaps_for(GROWTH, rows, indicators=["other"]).empty


def test_columns_in_the_contract_order() -> None:
    frame = gaps_for(GROWTH, series("share", "yrd", {2018: 100.0, 2020: 121.0}))
    assert tuple(frame.columns) == GAP_COLUMNS + EXTRA_COLUMNS
    assert GAP_COLUMNS == (
        "indicator", "region", "year", "value", "milestone_year", "target", "comparator", "gap",
        "gap_pct", "progress", "time_elapsed", "baseline_year", "baseline_value", "actual_rate",
        "required_rate", "ratio", "projected", "status",
    )  # fmt: skip
    empty = compute_gaps(Catalogue(GROWTH), REGIONS, obs([]), indicators=["nothing"])
    assert tuple(empty.columns) == GAP_COLUMNS + EXTRA_COLUMNS


def test_rows_follow_catalogue_then_registry_order() -> None:
    a = goal("a", [milestone(2025, 1.0, ">=")])
    b = goal("b", [milestone(2025, 1.0, ">=")])
    rows = (
        series("b", "c1", {2018: 1.0})
        + series("a", "p2", {2018: 1.0})
        + series("a", "p1", {2018: 1.0})
    )
    frame = compute_gaps(Catalogue(a, b), REGIONS, obs(rows))
    assert list(zip(frame.indicator, frame.region, strict=True)) == [
        ("a", "yrd"), ("a", "p1"), ("a", "p2"), ("b", "yrd"), ("b", "c1"),
    ]  # fmt: skip


# ----------------------------------------------------------------- derived values in the engine

RD = goal(
    "rd_intensity", [milestone(2025, 3.0, ">=")], formula="rd_expenditure / gdp * 100", weight=None
)
RD_CATALOGUE = Catalogue(RD, component("rd_expenditure"), component("gdp"))


def test_zone_value_from_components_reaches_the_gap_table() -> None:
    rows = [
        ("rd_expenditure", "p1", 2018, 10.0),
        ("gdp", "p1", 2018, 100.0),
        ("rd_expenditure", "p2", 2018, 1.0),
        ("gdp", "p2", 2018, 900.0),
        ("rd_expenditure", "p1", 2023, 30.0),
        ("gdp", "p1", 2023, 100.0),
        ("rd_expenditure", "p2", 2023, 1.0),
        ("gdp", "p2", 2023, 900.0),
    ]
    frame = compute_gaps(RD_CATALOGUE, REGIONS, obs(rows))
    yrd = one(frame, "yrd")
    # 2018: 11 / 1000 × 100 = 1.1; 2023: 31 / 1000 × 100 = 3.1 ≥ 3 → achieved
    # (the mean of the provinces' ratios, (30 + 0.11) / 2 = 15.06, is never used)
    assert yrd["value"] == pytest.approx(3.1) and yrd["baseline_value"] == pytest.approx(1.1)
    assert yrd["status"] == "achieved" and bool(yrd["derived"]) is True
    assert yrd["note"] == "derived: Σ rd_expenditure / Σ gdp × 100 over 2 provinces"


def test_missing_member_component_gives_no_data_with_the_reason() -> None:
    rows = [
        ("rd_expenditure", "p1", 2023, 30.0),
        ("gdp", "p1", 2023, 100.0),
        ("rd_expenditure", "p2", 2023, 1.0),
    ]
    yrd = one(compute_gaps(RD_CATALOGUE, REGIONS, obs(rows)), "yrd")
    assert yrd["status"] == "no_data"
    assert yrd["reason"] == "no gdp for p2 in 2023"


def test_observed_regional_value_beats_the_derived_one() -> None:
    rows = [
        ("rd_expenditure", "p1", 2023, 30.0),
        ("gdp", "p1", 2023, 100.0),
        ("rd_expenditure", "p2", 2023, 1.0),
        ("gdp", "p2", 2023, 900.0),
        ("rd_intensity", "yrd", 2023, 2.9),
        ("rd_intensity", "yrd", 2018, 2.8),
    ]
    yrd = one(compute_gaps(RD_CATALOGUE, REGIONS, obs(rows)), "yrd")
    assert yrd["value"] == 2.9 and not yrd["derived"] and yrd["status"] != "achieved"


def test_previously_derived_rows_are_recomputed_not_trusted() -> None:
    frame = obs([("share", "yrd", 2018, 100.0), ("share", "yrd", 2020, 121.0)])
    frame["derived"] = [False, True]  # a stale derived row must not count as an observation
    r = one(compute_gaps(Catalogue(GROWTH), REGIONS, frame))
    assert r["status"] == "insufficient_data"


# ----------------------------------------------------------------- constants and helpers


def test_status_counts_lists_every_status() -> None:
    frame = pd.DataFrame({"status": ["achieved", "achieved", "no_data"]})
    counts = status_counts(frame)
    assert list(counts) == list(STATUS_IDS)
    assert counts["achieved"] == 2 and counts["no_data"] == 1 and counts["missed"] == 0


def test_method_text_states_the_thresholds_in_both_languages() -> None:
    assert progress.__doc__ is not None
    for text in (progress.__doc__, progress.METHOD_TEXT["zh"]):
        assert str(ON_TRACK) in text and str(MODERATE) in text
    assert progress.METHOD_TEXT["en"] == progress.__doc__
    assert "已实现" in progress.METHOD_TEXT["zh"]


# ----------------------------------------------------------------- properties

COMPARATORS = st.sampled_from([">=", ">", "<=", "<"])
VALUES = st.floats(min_value=-50, max_value=500, allow_nan=False, allow_infinity=False)


def _status(comparator: str, target: float, v0: float, latest: float, past: bool) -> pd.Series:
    ind = goal("x", [milestone(2025, target, comparator)])
    last_year = 2025 if past else 2021
    return one(gaps_for(ind, series("x", "yrd", {2018: v0, last_year: latest})))


def _better(comparator: str, a: float, b: float) -> tuple[float, float]:
    """(worse, better) of two values for the comparator's direction."""
    lo, hi = sorted((a, b))
    return (lo, hi) if comparator in (">", ">=") else (hi, lo)


@settings(max_examples=150, deadline=None)
@given(COMPARATORS, VALUES, VALUES, VALUES, VALUES, st.booleans())
def test_status_is_monotone_in_the_latest_value(
    comparator: str, target: float, v0: float, a: float, b: float, past: bool
) -> None:
    worse, better = _better(comparator, a, b)
    s_worse = _status(comparator, target, v0, worse, past)["status"]
    s_better = _status(comparator, target, v0, better, past)["status"]
    assert STATUS_RANK[s_better] <= STATUS_RANK[s_worse], (s_better, s_worse)


@settings(max_examples=150, deadline=None)
@given(COMPARATORS, VALUES, VALUES, VALUES)
def test_gap_is_zero_exactly_when_the_goal_is_met(
    comparator: str, target: float, v0: float, latest: float
) -> None:
    r = _status(comparator, target, v0, latest, past=False)
    met = {
        ">=": latest >= target,
        ">": latest > target,
        "<=": latest <= target,
        "<": latest < target,
    }[comparator]
    assert (r["gap"] == 0) == met
    assert (r["status"] == "achieved") == met
    assert r["gap"] >= 0


def test_meets_is_the_one_comparator_rule() -> None:
    from targets.progress import goal_gap, meets

    values = [3.0, 3.0, 2.9, 35.0, 36.0, float("nan"), 3.0]
    targets_ = [3.0, 3.0, 3.0, 35.0, 35.0, 3.0, 3.0]
    comparators = [">", ">=", ">=", "<=", "<=", ">=", None]
    assert meets(values, targets_, comparators).tolist() == [
        False, True, False, True, False, False, False,
    ]  # fmt: skip
    gaps = goal_gap(values, targets_, comparators)
    assert gaps[1] == 0 and gaps[2] == pytest.approx(0.1) and gaps[4] == pytest.approx(1.0)
    assert 0 < gaps[0] < 1e-12  # "> 3" at exactly 3: not met, by the smallest step


# ----------------------------------------------------------------- the headline: pace, then distance

YEARS = st.lists(st.integers(min_value=2015, max_value=2025), min_size=1, max_size=6, unique=True)
POSITIVE = st.floats(min_value=0.5, max_value=500, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    COMPARATORS,
    POSITIVE,
    YEARS,
    st.lists(POSITIVE, min_size=6, max_size=6),
    st.floats(min_value=0.01, max_value=100),
    st.one_of(st.none(), st.integers(min_value=2019, max_value=2027)),
)
def test_a_better_latest_value_never_lowers_the_headline(
    comparator: str,
    target: float,
    years: list[int],
    values: list[float],
    step: float,
    as_of: int | None,
) -> None:
    """For the same years, a value further in the goal's direction never gives a worse status,
    whichever rule (pace or distance) the years select."""
    years = sorted(years)
    if as_of is not None:
        years = [y for y in years if y <= as_of] or [min(as_of, 2025)]
    worse = dict(zip(years, values, strict=False))
    better = dict(worse)
    up = comparator in (">", ">=")
    better[years[-1]] = worse[years[-1]] + step if up else max(worse[years[-1]] - step, 0.01)
    ind = goal("x", [milestone(2025, target, comparator)])
    kw = {} if as_of is None else {"year": as_of}
    r_worse = one(gaps_for(ind, series("x", "yrd", worse), **kw))
    r_better = one(gaps_for(ind, series("x", "yrd", better), **kw))
    assert r_worse["status_rule"] == r_better["status_rule"] or "achieved" in (
        r_worse["status"],
        r_better["status"],
    )
    assert STATUS_RANK[r_better["status"]] <= STATUS_RANK[r_worse["status"]], (
        r_better["status"],
        r_worse["status"],
    )


def test_near_the_goal_year_distance_decides_not_the_trend() -> None:
    ind = goal("air", [milestone(2025, 80.0, ">=")])
    # 0.4 short of 80 after falling from 81: by pace it moves away; a year before the goal year
    # it is judged by the projected shortfall against |T| (the baseline already met the goal)
    near = series("air", "p1", {2020: 81.0, 2021: 82.4, 2023: 79.6})
    # 62.6 against 70 one year before: 7.4 short of a distance of 70 − 59.4 = 10.6 to go
    far = series("air", "p2", {2021: 59.39, 2024: 62.57})
    frame = gaps_for(ind, near + far, year=2024)
    p1, p2 = one(frame, "p1"), one(frame, "p2")
    assert p1["pace_status"] == "moving_away" and p1["status_rule"] == "distance"
    assert p1["status"] == "close" and p1["distance_share"] < 0.05
    assert p2["status"] == "far" and p2["distance_share"] > 0.20
    assert STATUS_RANK[p2["status"]] > STATUS_RANK[p1["status"]]
    # three years before the goal year the pace rule still holds
    early = one(gaps_for(ind, near, year=2022), "p1")
    assert early["status_rule"] == "pace" and early["status"] == early["pace_status"]
