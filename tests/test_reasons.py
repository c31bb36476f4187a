"""targets/reasons.py: each reason the engine writes, worded in Chinese and English with ids as
names; what it does not recognise is shown as written."""

from __future__ import annotations

import pytest

from targets.reasons import reason_names, reason_text
from targets.tracker import Tracker

NAMES = {
    "gdp": "地区生产总值", "population": "常住人口", "gdp_per_capita": "人均地区生产总值",
    "anhui": "安徽", "jiangsu": "江苏", "central_zone": "中心区", "yrd": "长三角",
    "anqing": "安庆", "changzhou": "常州", "chizhou": "池州", "chuzhou": "滁州", "hangzhou": "杭州",
}  # fmt: skip
EN = {"gdp": "GDP", "anhui": "Anhui", "jiangsu": "Jiangsu", "yrd": "YRD"}

CASES = [
    ("no gdp for anhui in 2023", "2023年缺少安徽的地区生产总值数据", "no GDP for Anhui in 2023"),
    (
        "no gdp for anhui, jiangsu in 2024; no population for anhui in 2024",
        "2024年缺少安徽、江苏的地区生产总值数据；2024年缺少安徽的常住人口数据",
        "no GDP for Anhui, Jiangsu in 2024; no population for Anhui in 2024",
    ),
    (
        "no gdp_per_capita for central_zone in 2024 (no gdp for anqing, changzhou, chizhou, "
        "chuzhou, hangzhou and 21 more in 2024; no population for anhui in 2024)",
        "2024年缺少中心区的人均地区生产总值数据（2024年缺少安庆、常州、池州、滁州、杭州等26个地区"
        "的地区生产总值数据；2024年缺少安徽的常住人口数据）",
        "no gdp_per_capita for central_zone in 2024 (no GDP for anqing, changzhou, chizhou, "
        "chuzhou, hangzhou and 21 more in 2024; no population for Anhui in 2024)",
    ),
    ("the population weights add up to 0 in 2022", "2022年常住人口权重合计为0",
     "the population weights add up to 0 in 2022"),
    ("gdp / population divides by zero", "地区生产总值 / 常住人口：除数为零",
     "GDP / population divides by zero"),
    (
        "derived 2024 = 3.28 not used: derived differs from published by 0.12 in 2023 (derived "
        "3.10, published 2.98; agreement needs within 0.05)",
        "2024年测算值3.28未采用：2023年测算值与公布值相差0.12（测算3.10，公布2.98；一致须相差不超过"
        "0.05）",
        "derived 2024 = 3.28 not used: derived differs from published by 0.12 in 2023 (derived "
        "3.10, published 2.98; agreement needs within 0.05)",
    ),
    ("no 2017 value (the base year) for yrd", "缺少长三角2017年基数",
     "no 2017 value (the base year) for YRD"),
    ("one value only (2023)", "仅有一个数值（2023年）", "one value only (2023)"),
    ("no value for 2025: judged by the trend to 2024", "2025年无数值：按截至2024年的趋势判断",
     "no value for 2025: judged by the trend to 2024"),
    ("the goal states no comparator", "目标未说明比较方向", "the goal states no comparator"),
    ("no value", "无数值", "no value"),
]  # fmt: skip


@pytest.mark.parametrize(("stored", "zh", "en"), CASES)
def test_each_reason_reads_in_both_languages(stored: str, zh: str, en: str) -> None:
    assert reason_text(stored, "zh", NAMES) == zh
    assert reason_text(stored, "en", EN) == en


def test_what_it_does_not_recognise_is_shown_as_written() -> None:
    assert reason_text(None, "zh") == ""
    assert reason_text("nan", "zh") == ""
    odd = "no gdp for «Anhui, 2023» in 2023 (see the note)"
    assert reason_text(odd, "zh", NAMES) == odd
    # a known part is worded, an unknown part beside it stays whole
    assert (
        reason_text("a remark; one value only (2023)", "zh") == "a remark；仅有一个数值（2023年）"
    )
    # without names the ids show as ids, never a wrong name
    assert reason_text("no gdp for anhui in 2023", "zh") == "2023年缺少anhui的gdp数据"


def test_names_come_from_the_catalogue_and_the_registry() -> None:
    tr = Tracker(db_url="sqlite://")
    zh, en = (
        reason_names(tr.catalogue, tr.regions, "zh"),
        reason_names(tr.catalogue, tr.regions, "en"),
    )
    assert zh["anhui"] == "安徽" and en["anhui"] == tr.regions.name("anhui", "en")
    assert zh["rd_intensity"] == tr.catalogue["rd_intensity"].name.get("zh")
    assert tr.reason_names("zh") == zh
