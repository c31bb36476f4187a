"""Names in a spreadsheet -> indicators and regions (targets/ingest/resolve.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from targets.ingest import read_upload
from targets.ingest.resolve import Resolver

sys.path.insert(0, str(Path(__file__).parent / "data"))
import make_fixtures as mf  # noqa: E402

RES = Resolver(mf.tiny_catalogue(), mf.TinyRegions())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2023年常住人口城镇化率（%）", "urbanization_rate"),
        ("表3-1 2023年各省市研发投入强度（%）", "rd_intensity"),
        ("2023年长三角地区生产总值", "gdp"),
        ("安徽省2023年研发投入强度", "rd_intensity"),
        ("长三角三省一市2023年主要指标：研发投入强度", "rd_intensity"),
        ("2023年全社会研发投入强度完成情况", "rd_intensity"),
        ("R&D intensity by province, 2023", "rd_intensity"),
        ("研发投入强度（续）", "rd_intensity"),
    ],
)
def test_a_title_naming_the_indicator(title: str, expected: str) -> None:
    found = RES.indicator_in_text(title)
    assert found is not None and found.id == expected


@pytest.mark.parametrize(
    "title",
    [
        "2023年户籍人口城镇化率（%）",  # registered, not resident population
        "2023年各省地区生产总值增速",  # a growth rate, not GDP
        "2023年规模以上工业企业研发投入强度（%）",  # industry's, not the region's
        "2023年研发投入强度提高幅度",  # a change, not the level
        "2025年研发投入强度目标",  # a goal, not an outturn
        "2023年研发投入强度和地区生产总值",  # two indicators
    ],
)
def test_a_title_qualifying_the_name_names_no_indicator(title: str) -> None:
    assert RES.indicator_in_text(title) is None


def test_a_qualified_title_refuses_the_sheet_instead_of_storing_another_series() -> None:
    # 户籍人口城镇化率 50.1 was stored as Anhui's (resident-population) urbanization rate
    sheet = [["2023年户籍人口城镇化率（%）"], ["地区", "数值"], ["安徽", 50.1]]
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "t.xlsx", mf.tiny_catalogue(), mf.TinyRegions())
    assert up.rows.empty
    assert [(i.code, i.sheet) for i in up.issues] == [("unknown-indicator", "S")]
