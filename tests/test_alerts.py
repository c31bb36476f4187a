"""targets/alerts.py: alerts about an import: status changes, newly behind schedule, stale series."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from targets import progress
from targets.alerts import KINDS, Alert, import_alerts


def alerts_for_import(  # type: ignore[no-untyped-def]
    catalogue, regions, before: pd.DataFrame, after: pd.DataFrame, as_of_year: int
) -> list[Alert]:
    """The alerts between two observation sets, named as the catalogue and registry name them."""
    return import_alerts(
        progress.compute_gaps(catalogue, regions, before),
        progress.compute_gaps(catalogue, regions, after),
        after,
        as_of_year=as_of_year,
        catalogue=catalogue,
        regions=regions,
    )


def obs(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
    frame["unit"] = None
    frame["note"] = None
    frame["import_id"] = 1
    return frame


# R&D intensity, goal > 3 in 2025, baseline 2018:
# before: Anhui 2018 2.16, 2020 2.45
#   actual = (2.45/2.16)^(1/2) − 1 = 6.50%, required = (3/2.16)^(1/7) − 1 = 4.80%: ratio 1.35,
#   on track; progress 0.29/0.84 = 0.345 > time elapsed 2/7 = 0.286: ahead of schedule
# after: + 2022 2.50
#   actual = (2.50/2.16)^(1/4) − 1 = 3.72%: ratio 0.775, moderate progress;
#   progress 0.34/0.84 = 0.405 < 4/7 = 0.571: behind by (0.405 − 0.571) × 7 = 1.2 years;
#   rate needed = (3/2.50)^(1/3) − 1 = 6.27%
BEFORE = [
    ("rd_intensity", "anhui", 2018, 2.16),
    ("rd_intensity", "anhui", 2020, 2.45),
    # the whole region's value stops in 2020: stale by 2025 (nothing for 2023 or 2024)
    ("rd_intensity", "yrd", 2018, 2.81),
    ("rd_intensity", "yrd", 2020, 2.90),
    # recent enough: 2023 is one of the two years before 2025
    ("pct_applications", "yrd", 2019, 18000.0),
    ("pct_applications", "yrd", 2023, 26000.0),
]
AFTER = [
    *BEFORE,
    ("rd_intensity", "anhui", 2022, 2.50),
    # a new series: no_data → something is new data, not a status change
    ("urbanization_rate", "yrd", 2018, 66.0),
    ("urbanization_rate", "yrd", 2023, 71.0),
]


@pytest.fixture(scope="module")
def found(catalogue, regions) -> list[Alert]:  # type: ignore[no-untyped-def]
    return alerts_for_import(catalogue, regions, obs(BEFORE), obs(AFTER), as_of_year=2025)


def test_status_change(found: list[Alert]) -> None:
    changed = [w for w in found if w.kind == "status_changed"]
    assert [(w.indicator, w.region) for w in changed] == [("rd_intensity", "anhui")]
    # the status changed because the pace now counts four years: the message says so, and
    # that Anhui is only compared with the goal set for the whole region
    assert changed[0].message_en == (
        "R&D intensity, Anhui (2025 goal): on track → moderate progress (the latest value is "
        "now 2.50 (2022), was 2.45 (2020); the pace now spans 4 years since 2018 (was 2): ratio "
        "1.35 → 0.77; judged by pace: +3.7% a year over 2018–2022 against +4.8% a year needed, "
        "ratio 0.77 (on track from 0.95)) · ※ benchmark: the plan sets this goal for Yangtze "
        "River Delta"
    )
    assert changed[0].message_zh == (
        "研发投入强度 · 安徽（2025年目标）：进展顺利 → 进展一般（最新值由2.45（2020年）变为2.50（2022年）；"
        "增速改按2018年以来4年计算（原为2年），比值1.35 → 0.77；按增速判断：2018—2022年年均+3.7%，"
        "实现目标需年均+4.8%，比值0.77（0.95以上为进展顺利）） · ※ 对标：规划为长三角设定此目标"
    )
    assert changed[0].message("en") == changed[0].message_en


def test_newly_behind_schedule(found: list[Alert]) -> None:
    behind = [w for w in found if w.kind == "behind_schedule"]
    assert [(w.indicator, w.region) for w in behind] == [("rd_intensity", "anhui")]
    years = (0.34 / 0.84 - 4 / 7) * 7  # −1.1667
    rate = (3 / 2.5) ** (1 / 3) - 1  # 0.0627
    assert f"{-years:.1f}" == "1.2" and f"{rate * 100:.1f}" == "6.3"
    assert behind[0].message_en == (
        "R&D intensity, Anhui (2025 goal): 1.2 years behind schedule; "
        "needs +6.3% a year to reach the 2025 goal"
    )
    assert behind[0].message_zh == (
        "研发投入强度 · 安徽（2025年目标）：落后序时进度1.2年；实现2025年目标需年均增长6.3%"
    )


def test_stale_series_in_scope(found: list[Alert]) -> None:
    stale = [w for w in found if w.kind == "stale"]
    # Anhui's series is as old (2022 < 2023) but Anhui is not in the goal's scope (yrd)
    assert [(w.indicator, w.region) for w in stale] == [("rd_intensity", "yrd")]
    assert stale[0].message_en == (
        "R&D intensity, Yangtze River Delta: no value since 2020 (none for 2023–2024)"
    )
    assert stale[0].message_zh == "研发投入强度 · 长三角：2020年以来无新数值（缺2023—2024年）"


def test_order_and_kinds(found: list[Alert]) -> None:
    assert [w.kind for w in found] == ["status_changed", "behind_schedule", "stale"]
    assert set(KINDS) == {"status_changed", "behind_schedule", "stale", "provisional"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].kind = "stale"  # type: ignore[misc]
    assert found[0].to_dict()["region"] == "anhui"


def test_nothing_changed_nothing_said(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    same = alerts_for_import(catalogue, regions, obs(BEFORE), obs(BEFORE), as_of_year=2022)
    # as of 2022 a series is stale without a value for 2020 or 2021: the whole region's R&D
    # intensity has 2020, PCT applications 2023. Nothing changed, nothing is behind anew.
    assert same == []


def test_without_catalogue_ids_are_the_names(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    before = progress.compute_gaps(catalogue, regions, obs(BEFORE))
    after = progress.compute_gaps(catalogue, regions, obs(AFTER))
    found = import_alerts(before, after, obs(AFTER), as_of_year=2025)
    changed = [w for w in found if w.kind == "status_changed"]
    assert changed[0].message_en.startswith(
        "rd_intensity, anhui (2025 goal): on track → moderate progress (the latest value"
    )
    # without a catalogue there is no scope: Anhui's series (last 2022) is stale as well
    stale = {(w.indicator, w.region) for w in found if w.kind == "stale"}
    assert stale == {("rd_intensity", "yrd"), ("rd_intensity", "anhui")}


def test_a_rule_switch_is_said_in_words(catalogue, regions) -> None:  # type: ignore[no-untyped-def]
    # a 2024 value brings the statistics to a year before the 2025 goal year: the headline turns
    # from pace to distance, and the warning says that and the distance
    after = [*BEFORE, ("rd_intensity", "anhui", 2022, 2.50), ("rd_intensity", "anhui", 2024, 2.78)]
    found = alerts_for_import(catalogue, regions, obs(BEFORE), obs(after), as_of_year=2025)
    anhui = next(w for w in found if w.kind == "status_changed" and w.region == "anhui")
    assert anhui.message_en.startswith(
        "R&D intensity, Anhui (2025 goal): on track → some way short (the latest value is now "
        "2.78 (2024), was 2.45 (2020); the data now reach a year before the 2025 goal year or "
        "later: judged by distance instead of pace; judged by distance"
    )
    assert "改按距离判断" in anhui.message_zh


def flagged(rows: list[tuple[str, str, int, float]], flags: dict[int, str]) -> pd.DataFrame:
    """obs() with a flag per row index (targets.flags ids)."""
    frame = obs(rows)
    frame["flag"] = [flags.get(i) for i in range(len(rows))]
    return frame


def test_a_status_change_and_a_goal_newly_behind_on_a_flagged_value_say_it_is_provisional(
    catalogue,
    regions,  # type: ignore[no-untyped-def]
) -> None:
    """Anhui's 2022 value (the one that moves the status) is preliminary: both warnings end with
    the provisional mark and the reason, as the pages word it (targets.provenance)."""
    after = flagged(AFTER, {len(BEFORE): "prelim"})
    found = alerts_for_import(catalogue, regions, obs(BEFORE), after, as_of_year=2025)
    by_kind = {w.kind: w for w in found if w.region == "anhui"}
    assert set(by_kind) == {"status_changed", "behind_schedule"}  # no separate provisional one
    tail_en = (
        " · provisional (preliminary): a preliminary figure; the final one may differ (2022 value)"
    )
    tail_zh = " · 初步（初步数）：初步数，正式数据可能修订（2022年数值）"
    assert by_kind["status_changed"].message_en.endswith(
        "· ※ benchmark: the plan sets this goal for Yangtze River Delta" + tail_en
    )
    assert by_kind["status_changed"].message_zh.endswith(tail_zh)
    assert by_kind["behind_schedule"].message_en == (
        "R&D intensity, Anhui (2025 goal): 1.2 years behind schedule; "
        "needs +6.3% a year to reach the 2025 goal" + tail_en
    )
    assert by_kind["behind_schedule"].message_zh == (
        "研发投入强度 · 安徽（2025年目标）：落后序时进度1.2年；实现2025年目标需年均增长6.3%"
        + tail_zh
    )


def test_a_new_approximate_value_that_leaves_the_status_says_the_verdict_is_now_provisional(
    catalogue,
    regions,  # type: ignore[no-untyped-def]
) -> None:
    before = [("rd_intensity", "shanghai", 2018, 4.16), ("rd_intensity", "shanghai", 2022, 4.44)]
    after = flagged([*before, ("rd_intensity", "shanghai", 2024, 4.4)], {2: "approx"})
    found = alerts_for_import(catalogue, regions, obs(before), after, as_of_year=2025)
    provisional = [w for w in found if w.kind == "provisional"]
    assert [(w.indicator, w.region) for w in provisional] == [("rd_intensity", "shanghai")]
    assert provisional[0].message_en == (
        "R&D intensity, Shanghai (2025 goal): achieved · ※ benchmark: the plan sets this goal "
        "for Yangtze River Delta · provisional (approximate): an approximate figure "
        "(左右/超过/突破): the outturn rounded or bounded (2024 value)"
    )
    assert provisional[0].message_zh == (
        "研发投入强度 · 上海（2025年目标）：已实现 · ※ 对标：规划为长三角设定此目标"
        " · 初步（约数）：约数（左右/超过/突破），实际值经取整或只给出界限（2024年数值）"
    )
    # the same flagged value imported again (a final 2024 value replaced by it, or a repeat):
    # nothing new to say
    again = alerts_for_import(catalogue, regions, after, after, as_of_year=2025)
    assert [w for w in again if w.kind == "provisional"] == []


def test_a_goal_left_without_data_says_what_is_missing_with_names_as_the_pages_do(
    catalogue,
    regions,  # type: ignore[no-untyped-def]
) -> None:
    """The region's published urbanization rates leave the values in force (as when the import
    that brought them is reverted) and only Shanghai's components for 2023 are left: the goal
    has no value now. The alert words the engine's reason with the names the pages use
    (targets.reasons), not `no population for jiangsu, …`, and has no latest value to compare."""
    shanghai = [("urban_population", "shanghai", 2023, 2200.0), ("population", "shanghai", 2023, 2480.0)]  # fmt: skip
    before = [("urbanization_rate", "yrd", 2018, 66.0), ("urbanization_rate", "yrd", 2023, 71.0)]
    found = alerts_for_import(
        catalogue, regions, obs([*before, *shanghai]), obs(shanghai), as_of_year=2025
    )
    (gone,) = [w for w in found if w.kind == "status_changed"]
    assert (gone.indicator, gone.region) == ("urbanization_rate", "yrd")
    assert gone.message_zh == (
        "常住人口城镇化率 · 长三角（2025年目标）：已实现 → 无数据（2023年缺少江苏、浙江、安徽的常住人口数据；"
        "2023年缺少江苏、浙江、安徽的城镇常住人口数据）"
    )
    assert gone.message_en == (
        "Urbanization rate of the resident population, Yangtze River Delta (2025 goal): "
        "achieved → no data (no Resident population for Jiangsu, Zhejiang, Anhui in 2023; "
        "no Urban resident population for Jiangsu, Zhejiang, Anhui in 2023)"
    )
