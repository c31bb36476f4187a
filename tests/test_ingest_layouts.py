"""Layout detection: each layout, in each file format, gives exactly the rows written, each with the
cell it came from. Uses a tiny in-test catalogue and region registry (tests/data/make_fixtures.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from targets.ingest import ParsedUpload, read_upload

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402

CAT = mf.tiny_catalogue()
REG = mf.TinyRegions()

Writer = Callable[[dict[str, Any]], bytes]
WRITERS: dict[str, Writer] = {
    "xlsx": mf.xlsx_bytes,
    "xls": mf.xls_bytes,
    "ods": mf.ods_bytes,
    "csv": lambda sheets: mf.csv_bytes(next(iter(sheets.values()))),
}


def read(data: bytes, name: str = "upload.xlsx", **kw: Any) -> ParsedUpload:
    return read_upload(data, name, CAT, REG, **kw)


def rows(up: ParsedUpload) -> list[tuple[Any, ...]]:
    assert up.issues == [], [str(i) for i in up.issues]
    cols = ["indicator", "region", "year", "value", "sheet", "row", "column"]
    return sorted(tuple(r) for r in up.rows[cols].itertuples(index=False))


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_long(fmt: str) -> None:
    up = read(WRITERS[fmt]({"数据": mf.LONG}))
    sheet = "数据" if fmt != "csv" else ""
    assert up.layouts == {sheet: "long"}
    assert rows(up) == [
        ("gdp", "shanghai", 2023, 47218.66, sheet, 4, "D"),
        ("rd_intensity", "jiangsu", 2023, 3.29, sheet, 3, "D"),
        ("rd_intensity", "shanghai", 2023, 4.34, sheet, 2, "D"),
    ]
    notes = dict(zip(up.rows["region"] + up.rows["indicator"], up.rows["note"], strict=True))
    assert notes["shanghaird_intensity"] == "统计公报"
    assert notes["jiangsurd_intensity"] is None


def test_long_english_headers_and_codes() -> None:
    data = mf.csv_bytes(
        [["Region", "Indicator", "Year", "Value", "Unit", "Source"],
         ["310000", "R&D intensity", "2022年", "4.44", "%", "http://example.org «quote»"],
         ["Anhui", "rd_intensity", "2022.0", "2.56", "％", ""]]
    )  # fmt: skip
    up = read(data, "x.csv")
    assert rows(up) == [
        ("rd_intensity", "anhui", 2022, 2.56, "", 3, "D"),
        ("rd_intensity", "shanghai", 2022, 4.44, "", 2, "D"),
    ]
    assert up.rows["note"].tolist()[0] == "http://example.org «quote»"


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_yearbook_regions_as_columns_year_from_title_footnotes_skipped(fmt: str) -> None:
    up = read(WRITERS[fmt]({"Sheet1": mf.YEARBOOK}))
    assert up.layouts == {"Sheet1": "regions-as-columns"}
    got = rows(up)
    assert len(got) == 8
    assert ("gdp", "anhui", 2023, 47050.6, "Sheet1", 4, "F") in got
    assert ("rd_intensity", "shanghai", 2023, 4.34, "Sheet1", 5, "C") in got


def test_yearbook_year_from_sheet_name_and_corner_cell() -> None:
    sheet = [["项目\\地区", "上海", "江苏"], ["研发投入强度（%）", 4.44, 3.12]]
    up = read(mf.xlsx_bytes({"2022年": sheet}))
    assert rows(up) == [
        ("rd_intensity", "jiangsu", 2022, 3.12, "2022年", 2, "C"),
        ("rd_intensity", "shanghai", 2022, 4.44, "2022年", 2, "B"),
    ]


def test_yearbook_blank_corner_and_year_option() -> None:
    sheet = [[None, "上海", "江苏"], ["地区生产总值", 47218.66, 128222.2]]
    up = read(mf.xlsx_bytes({"Sheet1": sheet}), year=2023)
    assert up.layouts == {"Sheet1": "regions-as-columns"}
    assert rows(up) == [
        ("gdp", "jiangsu", 2023, 128222.2, "Sheet1", 2, "C"),
        ("gdp", "shanghai", 2023, 47218.66, "Sheet1", 2, "B"),
    ]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_years_as_columns_indicator_from_title(fmt: str) -> None:
    up = read(WRITERS[fmt]({"Sheet1": mf.YEARS_AS_COLUMNS}))
    sheet = "" if fmt == "csv" else "Sheet1"
    assert up.layouts == {sheet: "years-as-columns"}
    assert rows(up) == [  # 江苏 2023 is "—": missing, not stored, not an error
        ("rd_intensity", "jiangsu", 2021, 2.95, sheet, 4, "B"),
        ("rd_intensity", "jiangsu", 2022, 3.12, sheet, 4, "C"),
        ("rd_intensity", "shanghai", 2021, 4.21, sheet, 3, "B"),
        ("rd_intensity", "shanghai", 2022, 4.44, sheet, 3, "C"),
        ("rd_intensity", "shanghai", 2023, 4.34, sheet, 3, "D"),
    ]


def test_years_as_columns_indicator_from_sheet_name_numeric_years() -> None:
    sheet = [["地区", 2018, "2019.0", "2020年"], ["安徽", 54.7, 55.8, 58.3]]
    up = read(mf.xlsx_bytes({"城镇化率": sheet}))
    assert [(r[0], r[2], r[3]) for r in rows(up)] == [
        ("urbanization_rate", 2018, 54.7),
        ("urbanization_rate", 2019, 55.8),
        ("urbanization_rate", 2020, 58.3),
    ]


def test_years_as_columns_rows_are_indicators_region_from_sheet() -> None:
    sheet = [["上海市主要指标"], ["指标", "单位", "2022", "2023"],
             ["地区生产总值", "亿元", 44652.8, 47218.66], ["研发投入强度", "%", 4.44, 4.34]]  # fmt: skip
    up = read(mf.xlsx_bytes({"上海": sheet}))
    assert up.layouts == {"上海": "years-as-columns"}
    assert rows(up) == [
        ("gdp", "shanghai", 2022, 44652.8, "上海", 3, "C"),
        ("gdp", "shanghai", 2023, 47218.66, "上海", 3, "D"),
        ("rd_intensity", "shanghai", 2022, 4.44, "上海", 4, "C"),
        ("rd_intensity", "shanghai", 2023, 4.34, "上海", 4, "D"),
    ]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_indicator_columns_with_year_column(fmt: str) -> None:
    up = read(WRITERS[fmt]({"Sheet1": mf.INDICATOR_COLUMNS}))
    sheet = "" if fmt == "csv" else "Sheet1"
    assert set(up.layouts.values()) == {"indicator-columns"}
    assert rows(up) == [
        ("rd_intensity", "shanghai", 2023, 4.34, sheet, 2, "C"),
        ("rd_intensity", "zhejiang", 2023, 3.2, sheet, 3, "C"),
        ("urbanization_rate", "shanghai", 2023, 89.46, sheet, 2, "D"),
        ("urbanization_rate", "zhejiang", 2023, 74.2, sheet, 3, "D"),
    ]


def test_indicator_columns_units_converted_from_header_bracket() -> None:
    sheet = [["2023年各省市主要指标"], ["地区", "地区生产总值（万元）", "常住人口（人）"],
             ["上海", 472186600, 24874500]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}))
    got = {r[0]: r[3] for r in rows(up)}
    assert got["gdp"] == pytest.approx(47218.66)
    assert got["population"] == pytest.approx(2487.45)
    assert set(up.rows["unit"]) == {"亿元", "万人"}
    assert any("converted from 万元 to 亿元" in w.en for w in up.warnings)


def test_two_row_header_merged_indicator_over_years() -> None:
    sheet = [["地区", "地区生产总值（亿元）", None, "研发投入强度（%）", None],
             [None, "2022年", "2023年", "2022年", "2023年"],
             ["江苏", 122875.6, 128222.2, 3.12, 3.29]]  # fmt: skip
    data = mf.xlsx_bytes({"S": sheet}, merged={"S": ["A1:A2", "B1:C1", "D1:E1"]})
    up = read(data)
    assert up.layouts == {"S": "indicator-columns+years"}
    assert rows(up) == [
        ("gdp", "jiangsu", 2022, 122875.6, "S", 3, "B"),
        ("gdp", "jiangsu", 2023, 128222.2, "S", 3, "C"),
        ("rd_intensity", "jiangsu", 2022, 3.12, "S", 3, "D"),
        ("rd_intensity", "jiangsu", 2023, 3.29, "S", 3, "E"),
    ]


def test_two_row_header_without_merge_info_is_forward_filled() -> None:
    sheet = [["地区", "地区生产总值（亿元）", None], [None, "2022年", "2023年"], ["江苏", 1.0, 2.0]]
    up = read(mf.csv_bytes(sheet), "x.csv")
    assert [(r[0], r[2], r[3]) for r in rows(up)] == [("gdp", 2022, 1.0), ("gdp", 2023, 2.0)]


def test_merged_region_down_the_rows_of_a_long_sheet() -> None:
    sheet = [["地区", "指标", "年份", "数值"], ["上海", "研发投入强度", 2023, 4.34],
             [None, "地区生产总值", 2023, 47218.66]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}, merged={"S": ["A2:A3"]}))
    assert [(r[0], r[1]) for r in rows(up)] == [("gdp", "shanghai"), ("rd_intensity", "shanghai")]


def test_title_rows_blank_rows_and_unit_line() -> None:
    sheet = [[None], ["2023年长三角地区生产总值"], ["单位：万元"], [], ["地区", "数值"], [],
             ["上海", 472186600], ["说明：初步核算数"]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert up.layouts == {"S": "long"}
    assert rows(up) == [("gdp", "shanghai", 2023, pytest.approx(47218.66), "S", 7, "B")]


def test_each_sheet_detected_on_its_own_and_instructions_skipped() -> None:
    book = {"说明": [["本表说明"], ["地区 指标 年份"]], "长": mf.LONG, "2023年": mf.YEARBOOK}
    up = read(mf.xlsx_bytes(book))
    assert up.layouts == {"说明": "skipped", "长": "long", "2023年": "regions-as-columns"}
    assert up.sheets == ["长", "2023年"]
    assert up.layout_summary() == "长: long; 2023年: regions-as-columns"
    assert len(up.rows) == 8  # the long sheet's 3 values repeat in the yearbook: kept once
    assert "3 repeated value(s) with the same number kept once" in [w.en for w in up.warnings]


def test_unrecognised_extra_sheet_is_a_warning_when_another_sheet_has_data() -> None:
    up = read(mf.xlsx_bytes({"数据": mf.LONG, "图表": [["随便写的一段话"], [1, 2, 3]]}))
    assert up.issues == []
    assert up.layouts["图表"] == "unknown"
    assert "sheet 图表: layout not recognised, sheet skipped" in [w.en for w in up.warnings]


def test_value_spellings_through_a_whole_file() -> None:
    sheet = [["地区", "指标", "年份", "数值"],
             ["上海", "PCT申请量", 2023, "1,234"], ["江苏", "PCT申请量", 2023, "１．５万"],
             ["浙江", "PCT申请量", 2023, "—"], ["安徽", "PCT申请量", 2023, "n/a"],
             ["上海", "研发投入强度", 2023, "4.34%"], ["江苏", "研发投入强度", 2023, "x"],
             ["浙江", "研发投入强度", 2023, None], ["安徽", "研发投入强度", 2023, "２．６９"]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert [(r[0], r[1], r[3]) for r in rows(up)] == [
        ("pct_applications", "jiangsu", 15000.0),
        ("pct_applications", "shanghai", 1234.0),
        ("rd_intensity", "anhui", 2.69),
        ("rd_intensity", "shanghai", 4.34),
    ]


def test_year_option_versus_title() -> None:
    sheet = [["2023年主要指标"], ["指标", "上海"], ["研发投入强度", 4.34]]
    up = read(mf.xlsx_bytes({"S": sheet}), year=2022)
    assert up.rows["year"].tolist() == [2023]
    assert [w.en for w in up.warnings] == [
        "sheet S: its title or name gives the year 2023, used instead of --year 2022"
    ]
    assert [w.zh for w in up.warnings] == [
        "工作表 S：标题或表名给出的年份为 2023，已代替指定的年份 2022"
    ]
    # a yearbook's edition is not the data's year
    edition = [["2023年统计年鉴"], ["指标", "上海"], ["研发投入强度", 4.44]]
    assert read(mf.xlsx_bytes({"S": edition}), year=2022).rows["year"].tolist() == [2022]


@pytest.mark.parametrize(
    ("sheets", "where", "said"),
    [
        # a monthly release's half-year GDP would have gone in as the year's
        ({"S": [["2023年1-6月各省市主要经济指标"], ["地区", "地区生产总值(亿元)"], ["安徽", 22783.5]]},
         ("S", 1, "A"), "2023年1-6月各省市主要经济指标"),
        ({"S": [["2023年前三季度"], ["地区", "地区生产总值(亿元)"], ["安徽", 34000.5]]},
         ("S", 1, "A"), "2023年前三季度"),
        ({"2023": [["1-9月"], ["地区", "地区生产总值(亿元)"], ["安徽", 34000.5]]},
         ("2023", 1, "A"), "1-9月"),
        ({"2023年上半年": [["地区", "地区生产总值(亿元)"], ["安徽", 22783.5]]},
         ("2023年上半年", None, ""), "2023年上半年"),
    ],
)  # fmt: skip
def test_title_or_sheet_naming_part_of_a_year_is_refused(
    sheets: dict[str, Any], where: tuple[str, int | None, str], said: str
) -> None:
    up = read(mf.xlsx_bytes(sheets), year=2023)
    assert [(i.code, i.sheet, i.row, i.column) for i in up.issues] == [("bad-year", *where)]
    assert up.issues[0].message == (
        f"{said!r} names part of a year (months or quarters), not the year: the goals are "
        "annual, import the full-year figures"
    )


def test_whole_year_months_are_the_year() -> None:
    for title in ("2023年1-12月主要指标", "2023年12月末主要指标"):
        sheet = [[title], ["地区", "地区生产总值(亿元)"], ["安徽", 47050.6]]
        up = read(mf.xlsx_bytes({"S": sheet}))
        assert up.issues == [] and up.rows["year"].tolist() == [2023]


@pytest.mark.parametrize(
    "sheets",
    [
        {"S": [["2024年主要指标预计完成情况"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]},
        {"2023年预计": [["地区", "研发投入强度(%)"], ["安徽", 2.8]]},
    ],
)
def test_a_title_or_sheet_saying_estimates_refuses_each_value(sheets: dict[str, Any]) -> None:
    # an estimates table (预计完成情况) went in as the year's outturns
    up = read(mf.xlsx_bytes(sheets), year=2023)
    sheet = next(iter(sheets))
    assert [(i.code, i.sheet, i.row, i.column) for i in up.issues] == [
        ("estimate-value", sheet, len(sheets[sheet]), "B")
    ]
    assert up.issues[0].message.startswith("'2.8' is marked '预计', an estimate")


def test_a_span_of_years_in_the_title_is_no_one_year() -> None:
    # "2019-2023年" was read as 2023 (only 2023 is followed by 年): a one-column table under it
    # went in as 2023's values
    sheet = [["2019-2023年研发投入强度"], ["地区", "研发投入强度(%)"], ["安徽", 2.69]]
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert [(i.code, i.sheet, i.row) for i in up.issues] == [("no-year", "S", None)]
    assert read(mf.xlsx_bytes({"S": sheet}), year=2023).rows["year"].tolist() == [2023]
    # the span over year columns names nothing the columns do not
    cols = [["2019—2023年研发投入强度（%）"], ["地区", "2022年", "2023年"], ["安徽", 2.56, 2.69]]
    assert sorted(read(mf.xlsx_bytes({"S": cols})).rows["year"].tolist()) == [2022, 2023]


def test_a_unit_cell_contradicting_the_value_columns_header_is_refused_at_the_cell() -> None:
    # 数值（亿元） over a row whose unit cell says 万元: the unit cell won, and 47050.6 went in
    # as 4.70506 亿元; an agreeing unit cell (spelled otherwise) and a blank one are fine
    data = mf.csv_bytes(
        [["地区", "指标", "年份", "数值（亿元）", "单位"],
         ["安徽", "地区生产总值", "2023", "47050.6", "万元"],
         ["江苏", "地区生产总值", "2023", "128222.2", "亿元"],
         ["浙江", "地区生产总值", "2023", "82553", ""]]
    )  # fmt: skip
    up = read(data, "u.csv")
    assert [(i.code, i.row, i.column) for i in up.issues] == [("unit-mismatch", 2, "E")]
    assert "万元 ≠ 亿元" in up.issues[0].message
    ok = read(data.replace("万元".encode(), "亿元".encode()), "u.csv")
    assert sorted(ok.rows["value"].tolist()) == [47050.6, 82553.0, 128222.2]


def test_the_unit_in_a_row_labels_bracket_is_the_unit_of_its_values() -> None:
    # a yearbook row 'PCT国际专利申请量（万件）': the bracket was dropped and 0.12 went in as 0.12 件
    sheet = [["2023年 单位：亿元"], ["指标", "上海", "安徽"],
             ["PCT国际专利申请量（万件）", 0.62, 0.12],
             ["地区生产总值（现价）", 47218.66, 47050.6]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert rows(up) == [
        ("gdp", "anhui", 2023, 47050.6, "S", 4, "C"),  # 现价 is no unit: the title's 亿元
        ("gdp", "shanghai", 2023, 47218.66, "S", 4, "B"),
        ("pct_applications", "anhui", 2023, 1200.0, "S", 3, "C"),
        ("pct_applications", "shanghai", 2023, 6200.0, "S", 3, "B"),
    ]
    # a unit cell saying otherwise than the label: refused at the unit cell, naming both
    data = mf.csv_bytes(
        [
            ["地区", "指标", "年份", "数值", "单位"],
            ["安徽", "地区生产总值（亿元）", "2023", "47050.6", "万元"],
        ]
    )
    bad = read(data, "u.csv")
    assert [(i.code, i.row, i.column) for i in bad.issues] == [("unit-mismatch", 2, "E")]
    assert "万元 ≠ 亿元" in bad.issues[0].message


def test_two_title_units_that_disagree_are_refused() -> None:
    # 地区生产总值（亿元） over 单位：万元: the 单位 line won, and 47050.6 went in as 4.70506 亿元
    sheet = [["地区生产总值（亿元）"], ["单位：万元"], ["地区", "2022年", "2023年"],
             ["安徽", 45045.0, 47050.6]]  # fmt: skip
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert [(i.code, i.row, i.column) for i in up.issues] == [("unit-mismatch", 2, "A")]
    assert "万元 ≠ 亿元" in up.issues[0].message
    sheet[1] = ["单位：亿元"]
    assert rows(read(mf.xlsx_bytes({"S": sheet})))[1][3] == 47050.6


@pytest.mark.parametrize(
    ("sheets", "said"),
    [
        ({"S": [["2025年目标值"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]}, "目标值"),
        ({"S": [["2025年目标"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]}, "目标"),
        (
            {"S": [["长三角规划目标（2025年）"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]},
            "规划目标",
        ),
        ({"S": [["2025年预期目标"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]}, "预期目标"),
        ({"S": [["2025年目标任务"], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]}, "目标任务"),
        ({"目标": [["地区", "研发投入强度(%)"], ["安徽", 2.8]]}, "目标"),
    ],
)
def test_a_table_of_goals_refuses_each_value(sheets: dict[str, Any], said: str) -> None:
    # a goals table (2025年目标值) went in as 2025's observed values
    up = read(mf.xlsx_bytes(sheets), year=2025)
    sheet = next(iter(sheets))
    assert [(i.code, i.sheet, i.row, i.column) for i in up.issues] == [
        ("target-table", sheet, len(sheets[sheet]), "B")
    ]
    assert up.issues[0].message == (
        f"'2.8' is in a table of goals (its title or sheet name says {said!r}): a target is not "
        "the year's observed value; import the outturns (实际值, 完成情况) instead"
    )
    assert up.rows.empty


@pytest.mark.parametrize(
    "title", ["2023年目标完成情况", "2023年目标任务完成情况", "2023年主要目标完成情况"]
)
def test_outturns_against_goals_are_read(title: str) -> None:
    sheet = [[title], ["地区", "研发投入强度(%)"], ["安徽", 2.8]]
    assert rows(read(mf.xlsx_bytes({"S": sheet}))) == [
        ("rd_intensity", "anhui", 2023, 2.8, "S", 3, "B")
    ]


def test_hidden_sheets_rows_and_columns_are_read_and_said() -> None:
    # an analyst who checked only what Excel shows never saw these figures come in

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in [
        ["研发投入强度（%）"],
        ["地区", "2022年", "2023年"],
        ["上海", 1.0, 2.0],
        ["安徽", 3.0, 4.0],
        ["江苏", 5.0, 6.0],
    ]:
        ws.append(row)
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[9].hidden = True  # hidden, but holds nothing read: no news
    up = read(_saved_with_hidden_sheet(wb, "veryHidden"), "upload.xlsx")
    assert up.issues == []
    assert len(up.rows) == 7  # every hidden value is imported, as before
    assert [w.text("en") for w in up.warnings] == [
        "sheet S: row(s) 4-5 are hidden in the file; their values were imported",
        "sheet S: column(s) C are hidden in the file; their cells were imported",
        "sheet 研发投入强度 is very hidden in the file (Excel's Unhide does not list it); its "
        "values were imported",
    ]
    assert [w.text("zh") for w in up.warnings] == [
        "工作表 S：第 4-5 行在文件中被隐藏，其数值已导入",
        "工作表 S：第 C 列在文件中被隐藏，其内容已导入",
        "工作表 研发投入强度 在文件中被深度隐藏（Excel 的“取消隐藏”也看不到），其数值已导入",
    ]


def test_a_workbook_hiding_nothing_says_nothing() -> None:
    up = read(mf.xlsx_bytes({"S": [["研发投入强度（%）"], ["地区", "2023年"], ["上海", 2.0]]}))
    assert up.issues == [] and up.warnings == []


def _saved_with_hidden_sheet(wb: Any, state: str) -> bytes:
    """`wb` with a sheet 研发投入强度 (浙江 2023: 3.2) in `state` (hidden, veryHidden), saved."""
    import io

    sheet = wb.create_sheet("研发投入强度")
    sheet.append(["地区", "2023年"])
    sheet.append(["浙江", 3.2])
    sheet.sheet_state = state
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_hidden_sheet_is_read_and_said() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    up = read(_saved_with_hidden_sheet(wb, "hidden"))
    assert rows(up) == [("rd_intensity", "zhejiang", 2023, 3.2, "研发投入强度", 2, "B")]
    assert [w.text("en") for w in up.warnings] == [
        "sheet 研发投入强度 is hidden in the file; its values were imported"
    ]


@pytest.mark.parametrize("note", ["预计数", "预计", "预估", "估计数", "2023年为预计数"])
def test_a_note_calling_the_value_an_estimate_is_kept_and_said(note: str) -> None:
    # 2.69 with the note 预计数 went in as the 2023 outturn with no word
    data = f"地区,指标,年份,数值,备注\n安徽,研发投入强度,2023,2.69,{note}\n上海,研发投入强度,2023,4.2,\n"
    up = read(data.encode(), "upload.csv")
    assert rows(up) == [
        ("rd_intensity", "anhui", 2023, 2.69, "", 2, "D"),
        ("rd_intensity", "shanghai", 2023, 4.2, "", 3, "D"),
    ]
    assert [w.text("en") for w in up.warnings] == [
        f"D2: the note ({note}) calls the figure an estimate, yet it was stored as the year's "
        "outturn: check it, and leave a forecast out until the outturn is published"
    ]
    assert up.warnings[0].text("zh").startswith(f"D2：备注（{note}）称该数值为预计数")


def test_estimate_notes_name_each_sheet_cell_and_other_notes_say_nothing() -> None:
    sheet = [
        ["研发投入强度（%）"],
        ["地区", "2022年", "2023年", "备注"],
        ["上海", 4.2, 4.4, "初步核算数"],
        ["安徽", 2.6, 2.69, "2023年为预计数"],
    ]
    up = read(mf.xlsx_bytes({"S": sheet}))
    assert len(up.rows) == 4 and up.issues == []
    assert [w.text("en") for w in up.warnings] == [
        "S!B4, S!C4: the note (2023年为预计数) calls the figure an estimate, yet it was stored "
        "as the year's outturn: check it, and leave a forecast out until the outturn is published"
    ]
