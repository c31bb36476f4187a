"""The drafted assessment text: hand-made cases word for word, and the figures read from the tables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from targets.reports.drafting import (
    Figure,
    GoalFacts,
    Wording,
    area_paragraph,
    draft_assessment,
    goal_paragraph,
    summary_paragraph,
    tidy_quote,
    value_list,
)
from targets.tracker import Tracker

ROOT = Path(__file__).resolve().parents[1]
OUTLINE_ZH = "长江三角洲区域一体化发展规划纲要"
OUTLINE_EN = "Outline of the Yangtze River Delta Regional Integration Development Plan"


def rd(lang: str, *figures: Figure) -> GoalFacts:
    en = lang == "en"
    return GoalFacts(
        indicator="rd_intensity",
        name="R&D intensity" if en else "研发投入强度",
        category="科创产业",
        unit="% of GDP" if en else "%",
        decimals=2,
        direction="higher_is_better",
        milestone=2025,
        comparator=">",
        wording=(Wording(OUTLINE_EN if en else OUTLINE_ZH, "第二章", "研发投入强度达到 3%以上"),),
        goal_text="R&D intensity at 3% or more",
        scope_names=("Yangtze River Delta" if en else "长三角",),
        scope_refs=("the Yangtze River Delta",),
        judged_as="> 3.00% of GDP" if en else "> 3.00%",
        figures=figures,
    )


def fig(region: str, name: str, **kw: object) -> Figure:
    base = dict(
        region=region,
        region_name=name,
        role="goal",
        verdict="met",
        year=2025,
        value=3.3,
        target=3.0,
        margin=0.3,
        reached=True,
        source=1,
        definite=region == "yrd",
    )
    base.update(kw)
    return Figure(**base)  # type: ignore[arg-type]


def test_met() -> None:
    facts = rd("zh", fig("yrd", "长三角"))
    assert goal_paragraph(facts, "zh") == (
        "研发投入强度：规划目标为到2025年，长三角“研发投入强度达到3%以上”"
        "（《长江三角洲区域一体化发展规划纲要》），本报告按“> 3.00%”评估。"
        "2025年长三角为3.30%，高于目标0.30个百分点，已实现目标。资料来源见附录[1]。"
    )
    facts = rd("en", fig("yrd", "Yangtze River Delta"))
    assert goal_paragraph(facts, "en") == (
        "R&D intensity: the goal for 2025, set for the Yangtze River Delta, is “R&D intensity at "
        f"3% or more” ({OUTLINE_EN}). It is judged here as > 3.00% of GDP. In 2025 the Yangtze "
        "River Delta stood at 3.30% of GDP, 0.30 percentage points above the goal: met. "
        "Sources: annex [1]."
    )


def test_missed() -> None:
    facts = rd("zh", fig("yrd", "长三角", verdict="missed", value=2.9, margin=-0.1, reached=False))
    assert goal_paragraph(facts, "zh").endswith(
        "2025年长三角为2.90%，低于目标0.10个百分点，未实现目标。资料来源见附录[1]。"
    )
    facts = rd(
        "en",
        fig("yrd", "Yangtze River Delta", verdict="missed", value=2.9, margin=-0.1, reached=False),
    )
    assert goal_paragraph(facts, "en").endswith(
        "In 2025 the Yangtze River Delta stood at 2.90% of GDP, 0.10 percentage points below the "
        "goal: missed. Sources: annex [1]."
    )


def test_provisional_says_so_and_why() -> None:
    figure = fig(
        "yrd",
        "长三角",
        provisional=True,
        provisional_reason="依据的数值为初步数，正式数公布后可能修订",
        bundled=True,
    )
    assert goal_paragraph(rd("zh", figure), "zh").endswith(
        "初步测算，2025年长三角为3.30%，高于目标0.30个百分点，已实现目标。"
        "该结论为初步判断（依据的数值为初步数，正式数公布后可能修订）。"
        "资料来源见附录[1]（据公开资料整理，正式引用前请以统计部门公布的数据为准）。"
    )
    figure = replace(
        figure, region_name="Yangtze River Delta", provisional_reason="a preliminary figure"
    )
    assert goal_paragraph(rd("en", figure), "en").endswith(
        "Provisionally, in 2025 the Yangtze River Delta stood at 3.30% of GDP, 0.30 percentage "
        "points above the goal: met. The verdict is provisional: a preliminary figure. Sources: "
        "annex [1] (compiled from public releases; check against the official statistics before "
        "citing)."
    )


def test_pending_goal_ahead_and_benchmarks_above_and_below() -> None:
    facts = rd(
        "zh",
        fig("yrd", "长三角", verdict="pending", year=2023, value=3.34, margin=0.0, source=1),
        fig("shanghai", "上海", role="benchmark", value=4.5, margin=1.5, source=2),
        fig("zhejiang", "浙江", role="benchmark", value=3.3, margin=0.3, source=3),
        fig("jiangsu", "江苏", role="benchmark", verdict="pending", year=2024, value=3.36,
            margin=0.0, source=4),
        fig("anhui", "安徽", role="benchmark", verdict="pending", year=2024, value=2.76,
            margin=-0.24, reached=False, source=5),
    )  # fmt: skip
    assert goal_paragraph(facts, "zh").split("评估。", 1)[1] == (
        "2023年长三角为3.34%，已提前达到目标水平；2025年数据尚未公布，终期结论待定。"
        "分地区看，2025年上海、浙江分别为4.50%、3.30%；2024年江苏、安徽分别为3.36%、2.76%。"
        "其中上海、浙江、江苏已达到全域目标水平，安徽低于全域目标0.24个百分点。"
        "资料来源见附录[1][2][3][4][5]。"
    )


def test_pending_behind_with_the_pace() -> None:
    facts = rd(
        "zh",
        fig("yrd", "长三角", verdict="pending", year=2023, value=2.8, margin=-0.2, reached=False,
            pace="落后序时进度1.0年；实现2025年目标需年均增长3.5%"),
    )  # fmt: skip
    assert goal_paragraph(facts, "zh").split("评估。", 1)[1] == (
        "2023年长三角为2.80%，距目标尚差0.20个百分点；落后序时进度1.0年；实现2025年目标需年均增长3.5%。"
        "2025年数据尚未公布，结论待定。资料来源见附录[1]。"
    )


def test_lower_is_better_met_is_below_the_goal() -> None:
    facts = GoalFacts(
        indicator="pm25_concentration",
        name="细颗粒物（PM2.5）平均浓度",
        category="生态环境",
        unit="微克/立方米",
        decimals=0,
        direction="lower_is_better",
        milestone=2025,
        comparator="<=",
        wording=(Wording(OUTLINE_ZH, "第二章", "细颗粒物（PM2.5）平均浓度总体达标"),),
        goal_text="",
        scope_names=("长三角",),
        judged_as="≤ 35 微克/立方米",
        figures=(
            fig("yrd", "长三角", value=30.0, target=35.0, margin=5.0, source=1),
            fig("anhui", "安徽", role="benchmark", verdict="missed", value=35.2, target=35.0,
                margin=-0.2, reached=False, source=2),
        ),
    )  # fmt: skip
    assert goal_paragraph(facts, "zh").split("评估。", 1)[1] == (
        "2025年长三角为30 微克/立方米，低于目标5 微克/立方米，已实现目标。"
        "分地区看，2025年安徽为35 微克/立方米。其中安徽高于全域目标0.2 微克/立方米。"
        "资料来源见附录[1][2]。"
    )


def test_change_from_base_goal_with_and_without_its_base_value() -> None:
    facts = GoalFacts(
        indicator="energy_intensity",
        name="单位GDP能耗",
        category="生态环境",
        unit="吨标准煤/万元",
        decimals=3,
        direction="lower_is_better",
        milestone=2025,
        comparator="<=",
        wording=(Wording(OUTLINE_ZH, "第二章", "单位 GDP 能耗较 2017 年下降 10%"),),
        goal_text="",
        scope_names=("长三角",),
        judged_as="较2017年 −10%（≤ 0.450）",
        figures=(
            fig("yrd", "长三角", value=0.44, target=0.45, margin=0.01, source=1, derived=True),
            fig("anhui", "安徽", role="benchmark", verdict="missed", value=0.52, target=0.5,
                margin=-0.02, reached=False, source=2),
            fig("jiangsu", "江苏", role="benchmark", verdict="pending", year=2024, value=0.4,
                target=None, margin=None, reached=False, source=3),
        ),
        change=-10.0,
        base_year=2017,
    )  # fmt: skip
    assert goal_paragraph(facts, "zh") == (
        "单位GDP能耗：规划目标为到2025年，长三角“单位GDP能耗较2017年下降10%”"
        "（《长江三角洲区域一体化发展规划纲要》），本报告按“较2017年 −10%（≤ 0.450）”评估。"
        "经测算，2025年长三角为0.440 吨标准煤/万元，低于目标0.010 吨标准煤/万元，已实现目标。"
        "分地区看，2025年安徽为0.520 吨标准煤/万元；2024年江苏为0.400 吨标准煤/万元。"
        "其中安徽高于本地区目标0.020 吨标准煤/万元。"
        "资料来源见附录[1][2][3]（部分数值由组成序列测算）。"
    )
    no_base = replace(
        facts,
        judged_as="较2017年 −10%",
        figures=(fig("yrd", "长三角", verdict="pending", year=2024, value=0.44, target=None,
                     margin=None, reached=False, source=1, reason="缺少长三角2017年基数"),),
    )  # fmt: skip
    # the missing base year in the words of every other surface (targets.reasons)
    assert goal_paragraph(no_base, "zh").split("评估。", 1)[1] == (
        "2024年长三角为0.440 吨标准煤/万元，但缺少长三角2017年基数，目标值无法折算，暂无法评估。"
        "资料来源见附录[1]。"
    )


def test_no_data() -> None:
    empty = fig("yrd", "长三角", verdict="pending", year=None, value=None, margin=None,
                reached=False, source=None)  # fmt: skip
    assert goal_paragraph(rd("zh", empty), "zh").endswith("评估。长三角暂无数据，无法评估。")
    empty_en = replace(empty, region_name="Yangtze River Delta")
    assert goal_paragraph(rd("en", empty_en), "en").endswith(
        "No data for the Yangtze River Delta yet: it cannot be assessed."
    )


def test_summary_and_area_count_the_plan_goals_by_verdict() -> None:
    met = rd("zh", fig("yrd", "长三角"), fig("anhui", "安徽", role="benchmark", value=2.8,
                                          margin=-0.2, reached=False, verdict="missed"))  # fmt: skip
    pending = replace(
        met,
        indicator="x",
        figures=(
            fig("yrd", "长三角", verdict="pending", year=2024, margin=0.0),
            fig("zj", "浙江", verdict="pending", year=None, value=None, margin=None,
                reached=False, provisional=False),
        ),
    )  # fmt: skip
    missed = replace(
        met,
        indicator="y",
        category="生态环境",
        figures=(fig("yrd", "长三角", verdict="missed", margin=-1.0, reached=False, provisional=True),),
    )  # fmt: skip
    areas = [("科创产业", [met, pending]), ("生态环境", [missed])]
    assert summary_paragraph(2025, areas, "zh") == (
        "2025年目标评估概况：纳入评估的量化目标共4项（按指标和规划确定的适用地区计），"
        "其中已实现1项，未实现1项，待定2项。待定目标的2025年数据尚未公布，"
        "其中1项最新数据已提前达到目标水平，1项暂无数据。另有1项结论为初步判断，详见各段说明。"
        "分领域看，科创产业3项（已实现1项，待定2项）；生态环境1项（未实现1项）。"
        "对照全域目标，各省市及城市的1个数值中有0个已达到目标水平。"
    )
    assert area_paragraph("科创产业", [met, pending], "zh") == (
        "科创产业领域共有量化目标3项：已实现1项，待定2项（其中1项已提前达到目标水平）。"
    )
    assert area_paragraph("Ecology", [missed], "en") == (
        "Ecology: 1 quantified goals; 1 missed; 1 provisional."
    )


def test_helpers() -> None:
    assert tidy_quote("单位 GDP 能耗较 2017 年下降 10%") == "单位GDP能耗较2017年下降10%"
    assert tidy_quote("R&D intensity above 3 %") == "R&D intensity above 3 %"
    assert value_list(["4.35", "3.36"], ["", ""], "%", "zh") == "4.35%、3.36%"
    assert value_list(["2.08", "2.24"], ["", "测算"], "倍", "zh") == "2.08、2.24 倍（测算）"
    assert value_list(["4.50", "3.30"], ["", ""], "% of GDP", "en") == "4.50% and 3.30% of GDP"


# ---------------------------------------------------------------------------- from the tables

ROWS = [
    # R&D intensity: the region met in 2025, Anhui (benchmark) short in 2024
    ("rd_intensity", "yrd", 2018, 2.81), ("rd_intensity", "yrd", 2025, 3.40),
    ("rd_intensity", "anhui", 2020, 2.28), ("rd_intensity", "anhui", 2024, 2.76),
    # urbanization: the region missed in 2025
    ("urbanization_rate", "yrd", 2018, 66.0), ("urbanization_rate", "yrd", 2025, 68.0),
    # PM2.5 (lower is better): pending, latest 2024 below the limit
    ("pm25_concentration", "yrd", 2018, 44.0), ("pm25_concentration", "yrd", 2024, 31.0),
    # railway density: pending, behind
    ("railway_density", "yrd", 2018, 330.0), ("railway_density", "yrd", 2023, 406.0),
    # energy use (−10% on 2017): no 2017 value, so no target
    ("energy_intensity", "yrd", 2018, 0.46), ("energy_intensity", "yrd", 2024, 0.44),
]  # fmt: skip
NOTE = "hand-made test values (not statistics)"


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    tr = Tracker(db_url=sqlite_url, catalogue_path=ROOT / "indicators.yaml")
    frame = pd.DataFrame(ROWS, columns=["indicator", "region", "year", "value"]).assign(
        unit=None, note=NOTE
    )
    tr.store.write_import(frame, file_name="cases.csv", sha256="1" * 64, layout="long", note=NOTE)
    return tr


def test_draft_reads_every_figure_from_the_tables(tracker: Tracker) -> None:
    draft = draft_assessment(tracker, 2025, "zh")
    text = {p.key: p.text for p in draft.paragraphs()}
    assessed = tracker.assessment(2025).set_index(["indicator", "region"])
    assert assessed.loc[("rd_intensity", "yrd"), "margin"] == pytest.approx(0.40)
    assert text["goal:rd_intensity"].split("评估。", 1)[1] == (
        "2025年长三角为3.40%，高于目标0.40个百分点，已实现目标。"
        "分地区看，2024年安徽为2.76%。其中安徽低于全域目标0.24个百分点。资料来源见附录[2][3]。"
    )
    assert (
        "2025年长三角为68.0%，低于目标2.0个百分点，未实现目标。" in text["goal:urbanization_rate"]
    )
    assert (
        "2024年长三角为31 微克/立方米，已提前达到目标水平；2025年数据尚未公布，终期结论待定。"
        in text["goal:pm25_concentration"]
    )
    gaps = tracker.gaps(milestone=2025, year=2025).set_index(["indicator", "region"])
    rail = gaps.loc[("railway_density", "yrd")]
    from targets.assessment import pace_text

    assert (
        f"距目标尚差{rail['gap']:.0f} 公里/万平方公里；{pace_text(rail, 'zh')}。"
        in (text["goal:railway_density"])
    )
    assert "长三角暂无数据，无法评估。" in text["goal:coverage_5g"]
    # the missing base year as every surface words it (targets.reasons, with the region's name)
    assert (
        "2024年长三角为0.440 吨标准煤/万元，但缺少长三角2017年基数，目标值无法折算，暂无法评估。"
        in text["goal:energy_intensity"]
    )
    en = {p.key: p.text for p in draft_assessment(tracker, 2025, "en").paragraphs()}
    assert (
        "In 2024 the Yangtze River Delta stood at 0.440 tce per 10,000 yuan; no 2017 value (the "
        "base year) for Yangtze River Delta, so the goal (−10% on 2017) cannot be turned into a "
        "level: not assessed." in en["goal:energy_intensity"]
    )
    # the plan's goals: 1 met, 1 missed, the rest pending (PM2.5 ahead)
    assert draft.summary.text.startswith("2025年目标评估概况：纳入评估的量化目标共")
    assert "其中已实现1项，未实现1项，待定" in draft.summary.text
    # the sources annex: one entry per value cited in reading order (urbanization comes first
    # in the catalogue), its note and import
    assert [(s.number, s.indicator, s.region_name, s.year, s.note) for s in draft.sources[:3]] == [
        (1, "urbanization_rate", "长三角", 2025, NOTE),
        (2, "rd_intensity", "长三角", 2025, NOTE),
        (3, "rd_intensity", "安徽", 2024, NOTE),
    ]
    # the goal table: one row per region, verdicts with symbol and word
    rows = [r for r in draft.table if r.indicator == "rd_intensity"]
    assert [(r.scope, r.value, r.verdict, r.source) for r in rows] == [
        ("长三角 · 规划目标", "3.40% (2025)", "✓ 已实现", "[2]"),
        ("安徽 · 对标", "2.76% (2024)", "… 待定", "[3]"),
    ]


def test_scope_keeps_the_chosen_regions_and_indicators(tracker: Tracker) -> None:
    draft = draft_assessment(tracker, 2025, "en", indicators=["rd_intensity"], regions=["anhui"])
    assert [p.key for p in draft.paragraphs()] == ["summary", "area:科创产业", "goal:rd_intensity"]
    assert "In 2024 Anhui stood at 2.76% of GDP" not in draft.paragraphs()[2].text
    assert "in 2024 Anhui stood at 2.76% of GDP" in draft.paragraphs()[2].text


def test_the_paragraph_frame_is_the_draft_in_reading_order_and_cached(tracker: Tracker) -> None:
    from targets.reports.drafting import paragraph_frame

    draft = draft_assessment(tracker, 2025, "en")
    frame = paragraph_frame(draft)
    assert list(zip(frame["key"], frame["text"], strict=True)) == [
        (p.key, p.text) for p in draft.paragraphs()
    ]
    assert frame["kind"].iloc[0] == "summary" and frame["area"].iloc[0] == ""
    for area in draft.areas:
        rows = frame[frame["area"] == area.category]
        assert rows["kind"].tolist() == ["area"] + ["goal"] * len(area.goals)
        assert set(rows["area_title"]) == {area.title}
    # the page reads it through the Tracker, made once per data version
    pd.testing.assert_frame_equal(tracker.draft(2025, "en"), frame)
    before = tracker.cache_stats().computes
    tracker.draft(2025, "en")
    assert tracker.cache_stats().computes == before
