"""Refusals: every error a file can have, each with its code and the cell it is about
(sheet, 1-based row, column letter). A file with any error gives no rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from targets.ingest import ParsedUpload, read_upload
from targets.ingest.checks import Checked, validate
from targets.ingest.layouts import analyse_sheet
from targets.ingest.readers import read_workbook
from targets.ingest.resolve import Resolver

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402

CAT = mf.tiny_catalogue()
REG = mf.TinyRegions()
HEAD = ["地区", "指标", "年份", "数值"]


def read(sheets: dict[str, list[list[Any]]], **kw: Any) -> ParsedUpload:
    return read_upload(mf.xlsx_bytes(sheets), "bad.xlsx", CAT, REG, **kw)


def flat(up: ParsedUpload) -> list[tuple[str, str, int | None, str]]:
    assert up.rows.empty, "a file with errors gives no rows"
    return [(i.sheet, i.code, i.row, i.column) for i in up.issues]


def test_every_error_is_listed_with_its_cell() -> None:
    sheet = [
        HEAD,
        ["上海", "研发投入强度", 2023, 4.34],
        ["安微", "研发投入强度", 2023, 2.6],  # unknown region (typo)
        ["江苏", "研发强度指数", 2023, 3.1],  # unknown indicator
        ["浙江", "研发投入强度", "二〇二三", 3.2],  # bad year
        ["安徽", "研发投入强度", 2023, "大于2.7"],  # bad value
        ["南京", "研发投入强度", 2023, 25],  # out of range [0, 20]
        ["上海", "地区生产总值", 2023, 47218.66],
        ["上海", "地区生产总值", 2023, 47000],  # conflicts with row 8
        ["江苏", "地区生产总值", 2023, 128222.2],
        ["江苏", "地区生产总值", 2023, "128,222.2"],  # the same value twice: fine
    ]
    up = read({"S": sheet})
    assert flat(up) == [
        ("S", "unknown-indicator", 4, "B"),
        ("S", "unknown-region", 3, "A"),
        ("S", "bad-year", 5, "C"),
        ("S", "bad-value", 6, "D"),
        ("S", "out-of-range", 7, "D"),
        ("S", "duplicate-conflict", 8, "D"),
        ("S", "duplicate-conflict", 9, "D"),
    ]
    by_code = {i.code: i for i in up.issues}
    assert by_code["unknown-region"].message == "unknown region '安微'"
    assert by_code["unknown-region"].suggestion.startswith("did you mean 安徽")
    assert by_code["unknown-indicator"].suggestion.startswith("did you mean 研发")
    assert "25 is outside the valid range [0, 20]" in by_code["out-of-range"].message
    assert "47218.7 here, 47000 at S!D9" in up.issues[5].message
    assert str(by_code["bad-value"]) == "bad.xlsx:S:D6: [bad-value] '大于2.7' is not a number"


def test_messages_in_chinese() -> None:
    up = read({"S": [HEAD, ["安微", "研发投入强度", 2023, 2.6]]}, lang="zh")
    (issue,) = up.issues
    assert issue.message == "未知地区“安微”"
    assert issue.suggestion.startswith("是否为 安徽")


def test_unknown_region_in_a_header_points_at_the_header_cell() -> None:
    sheet = [["2023年"], ["指标", "上海", "江苏", "合计"], ["研发投入强度", 4.34, 3.29, 3.5]]
    assert flat(read({"S": sheet})) == [("S", "unknown-region", 2, "D")]


def test_unknown_indicator_column_header() -> None:
    sheet = [["地区", "年份", "研发投入强度（%）", "幸福指数"], ["上海", 2023, 4.34, 88]]
    assert flat(read({"S": sheet})) == [("S", "unknown-indicator", 1, "D")]


def test_values_under_an_empty_header() -> None:
    sheet = [["指标", "上海", None], ["研发投入强度", 4.34, 3.29]]
    assert flat(read({"S": sheet}, year=2023)) == [("S", "layout-unknown", 1, "C")]


def test_no_year_anywhere() -> None:
    up = read({"S": [["地区", "研发投入强度（%）"], ["上海", 4.34], ["江苏", 3.29]]})
    assert flat(up) == [("S", "no-year", None, "")]
    assert "--year" in up.issues[0].message
    assert read({"S": [["地区", "研发投入强度（%）"], ["上海", 4.34]]}, year=2023).issues == []


def test_empty_year_cell_without_a_sheet_year() -> None:
    up = read({"S": [HEAD, ["上海", "研发投入强度", None, 4.34]]})
    assert flat(up) == [("S", "no-year", 2, "C")]


def test_empty_region_cell() -> None:
    up = read({"S": [HEAD, [None, "研发投入强度", 2023, 4.34]]})
    assert flat(up) == [("S", "unknown-region", 2, "A")]
    assert "no region" in up.issues[0].message


def test_no_indicator_for_years_as_columns() -> None:
    up = read({"Sheet1": [["地区", "2022", "2023"], ["上海", 1.0, 2.0]]})
    assert flat(up) == [("Sheet1", "unknown-indicator", None, "")]


def test_unit_that_cannot_be_converted() -> None:
    sheet = [["地区", "指标", "年份", "数值", "单位"],
             ["上海", "地区生产总值", 2023, 6800, "亿美元"],
             ["江苏", "研发投入强度", 2023, "3.2%", "亿元"]]  # fmt: skip
    up = read({"S": sheet})
    assert flat(up) == [("S", "unit-mismatch", 2, "E"), ("S", "unit-mismatch", 3, "E"),
                        ("S", "unit-mismatch", 3, "D")]  # fmt: skip
    assert "'亿美元' cannot be converted with certainty to '亿元'" in up.issues[0].message


def test_fraction_only_where_the_header_says_so() -> None:
    ok = read({"S": [["地区", "年份", "城镇化率（比例）"], ["上海", 2023, 0.8946]]})
    assert ok.rows["value"].tolist() == [pytest.approx(89.46)]
    # without the header saying so, 0.8946 is taken as written (0.89 %), never multiplied
    plain = read({"S": [["地区", "年份", "城镇化率（%）"], ["上海", 2023, 0.8946]]})
    assert plain.rows["value"].tolist() == [0.8946]


def test_no_data_at_all() -> None:
    up = read({"S": [HEAD, ["上海", "研发投入强度", 2023, "—"]]})
    assert flat(up) == [("", "file-empty", None, "")]


def test_layout_unknown_when_no_sheet_is_recognised() -> None:
    up = read({"A": [["随便写的一段话"], [1, 2]], "B": [["x", "y"]]})
    assert flat(up) == [("A", "layout-unknown", None, ""), ("B", "layout-unknown", None, "")]


def test_value_column_mixed_with_year_columns() -> None:
    up = read({"S": [["地区", "数值", "2023"], ["上海", 1, 2]]})
    assert flat(up) == [("S", "layout-unknown", 1, "")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file-empty"),
        (b"%PDF-1.4 ...", "file-unreadable"),
        (bytes(range(256)), "file-unreadable"),
    ],
)
def test_file_level_refusals(data: bytes, code: str) -> None:
    up = read_upload(data, "report.xlsx", CAT, REG)
    assert [(i.code, i.file, i.sheet, i.row) for i in up.issues] == [
        (code, "report.xlsx", "", None)
    ]


def test_file_level_refusal_in_chinese() -> None:
    up = read_upload(b"%PDF-1.4", "r.xlsx", CAT, REG, lang="zh")
    assert up.issues[0].message.startswith("文件不是可读取的表格")


def test_a_mark_whose_note_row_says_estimate_is_refused_at_its_cell() -> None:
    # ① explained as 预计数 below the table: the figure is a forecast, which was stored as the
    # year's outturn with the note quoted; ② on the same note line says 初步 and stays a value
    sheet = [
        ["2023年研发投入强度（%）"],
        ["地区", "数值"],
        ["上海", "4.34①"],
        ["江苏", "3.29②"],
        ["浙江", "3.2*"],
        ["注：①为初步核算数；②为预计数。"],
        ["*为预估数"],
    ]
    up = read({"S": sheet})
    assert flat(up) == [("S", "estimate-value", 4, "B"), ("S", "estimate-value", 5, "B")]
    assert up.issues[0].message.startswith("'3.29②' is marked '②', an estimate")
    sheet[3] = ["江苏", "3.29"]
    sheet[4] = ["浙江", "3.2"]
    ok = read({"S": sheet})
    assert ok.issues == [] and ok.rows["flag"].tolist() == ["prelim", "", ""]


# A long CSV with a unit, note and flag column and one of almost every problem a value can
# have: the exact output below pins what validate gives, so that a faster path that moved any
# row, code, cell or word would fail here.
MESSY = """地区,指标,年份,数值,单位,备注,注记
上海,研发投入强度,2023,4.34,,,
安微,研发投入强度,2023,2.6,,,
江苏,研发强度指数,2023,3.1,,,
浙江,研发投入强度,二〇二三,3.2,,,
安徽,研发投入强度,2023,大于2.7,,,
南京,研发投入强度,2023,25,,,
上海,地区生产总值,2023,47218.66,,,
上海,地区生产总值,2023,47000,,,
江苏,地区生产总值,2023,"128,222.2",,,
江苏,地区生产总值,2023,128222.2,,,
浙江,地区生产总值,2023,6800,亿美元,,
安徽,研发投入强度,2022,3.2%,亿元,,
浙江,常住人口,2023,预计6600,,,
安徽,常住人口,2023,6100,,,预计
上海,常住人口,2023,2480左右,,,p
江苏,常住人口,2023,8500,,,xyz
,研发投入强度,2021,2.1,,,
上海,,2021,2.1,,,
上海,研发投入强度,,2.1,,,
合计,地区生产总值,2023,1000,,,
上海,PCT国际专利申请量,2023,1.2万,件,,
"""

# The same columns without an error: footnote marks and their note rows, flags, words on the
# number, grouped digits, a 万亿 suffix, unit conversions, a repeat, blanks and a share.
CLEAN = """地区,指标,年份,数值,单位,备注,注记
上海,研发投入强度,2023,4.34①,,来源：统计公报,
江苏,研发投入强度,2023,3.29*,,,
浙江,研发投入强度,2023,3.2(p),,,
安徽,研发投入强度,2023,约2.7,,,
江苏,地区生产总值,2023,1282222000,万元,,
浙江,地区生产总值,2023,8.26万亿,,,初步
安徽,地区生产总值,2023,"47,050.6",亿元,,
上海,常住人口,2023,2487.45,,,
上海,常住人口,2023,2487.45,,,
江苏,常住人口,2022,—,,,
浙江,常住人口,2022,,,,
南京,城镇化率,2023,87.2%,,,
南京,城镇化率,2022,0.865,比例,,
上海,PCT国际专利申请量,2023,1.2万,件,,左右
注：①为初步核算数,,,,,,
* 为快报数,,,,,,
"""


def _checked(text: str) -> Checked:
    """validate's own result (a refused file's upload carries no rows), as the pipeline calls it."""
    res = Resolver(CAT, REG)
    (sheet,) = read_workbook(text.encode()).sheets
    result = analyse_sheet(sheet, res, file="f.csv")
    assert result.cells is not None
    cells = result.cells.assign(sheet=result.sheet)
    return validate(cells, res, file="f.csv", footnotes={"": result.footnotes})


def test_every_check_on_a_messy_long_file_exactly() -> None:
    up = read_upload(MESSY.encode(), "f.csv", CAT, REG)
    assert [(i.code, i.file, i.sheet, i.row, i.column) for i in up.issues] == [
        ("unknown-indicator", "f.csv", "", 19, "B"),
        ("unknown-indicator", "f.csv", "", 4, "B"),
        ("unknown-region", "f.csv", "", 18, "A"),
        ("unknown-region", "f.csv", "", 3, "A"),
        ("unknown-region", "f.csv", "", 21, "A"),
        ("no-year", "f.csv", "", 20, "C"),
        ("bad-year", "f.csv", "", 5, "C"),
        ("unit-mismatch", "f.csv", "", 12, "E"),
        ("unit-mismatch", "f.csv", "", 13, "E"),
        ("bad-value", "f.csv", "", 6, "D"),
        ("unit-mismatch", "f.csv", "", 13, "D"),
        ("estimate-value", "f.csv", "", 14, "D"),
        ("estimate-value", "f.csv", "", 15, "D"),
        ("flag-conflict", "f.csv", "", 16, "D"),
        ("unknown-flag", "f.csv", "", 17, "D"),
        ("out-of-range", "f.csv", "", 7, "D"),
        ("duplicate-conflict", "f.csv", "", 8, "D"),
        ("duplicate-conflict", "f.csv", "", 9, "D"),
    ]
    said = [(i.message, i.suggestion) for i in up.issues]
    assert said[1] == ("unknown indicator '研发强度指数'", "did you mean 研发经费投入强度?")
    assert said[3] == ("unknown region '安微'", "did you mean 安徽省 / 安徽省?")
    assert said[4][0].startswith("'合计' is a total, but the regions listed with it (anhui、")
    assert said[5][0] == "no year for this value (the year cell is empty and the sheet gives none)"
    assert said[6][0] == "'二〇二三' is not a year"
    assert said[7][0] == "unit '亿美元' cannot be converted with certainty to '亿元' (gdp)"
    assert said[9][0] == "'大于2.7' is not a number"
    assert said[10][0] == "'3.2%' is a percent but the unit is 亿元"
    assert said[12][0].startswith("'6100' is marked '预计', an estimate")
    assert said[13][0].startswith("'2480左右' says on the number that it is approximate, but its")
    assert said[14][0].startswith("'xyz' is not a flag")
    assert said[15][0] == "25 is outside the valid range [0, 20] % of R&D intensity"
    assert said[16][0] == (
        "gdp / shanghai / 2023 is given twice with different values: 47218.7 here, 47000 at D9"
    )
    assert up.rows.empty and up.warnings == []
    # the values that passed every check, as validate hands them on
    rows = _checked(MESSY).rows
    assert [str(t) for t in rows.dtypes] == [
        "object", "object", "int64", "float64", "object", "object", "object", "object", "int64",
        "object",
    ]  # fmt: skip
    assert [tuple(r) for r in rows.itertuples(index=False)] == [
        ("rd_intensity", "shanghai", 2023, 4.34, "%", None, "", "", 2, "D"),
        ("rd_intensity", "nanjing", 2023, 25.0, "%", None, "", "", 7, "D"),
        ("gdp", "shanghai", 2023, 47218.66, "亿元", None, "", "", 8, "D"),
        ("gdp", "jiangsu", 2023, 128222.2, "亿元", None, "", "", 10, "D"),
        ("pct_applications", "shanghai", 2023, 12000.0, "件", None, "", "", 22, "D"),
    ]


def test_every_value_of_a_clean_long_file_exactly() -> None:
    up = read_upload(CLEAN.encode(), "f.csv", CAT, REG)
    assert up.issues == []
    assert [(w.code, w.en) for w in up.warnings] == [
        ("converted", "1 value(s) of gdp converted from 万元 to 亿元"),
        ("converted", "1 value(s) of urbanization_rate converted from 比例 to %"),
        ("repeated", "1 repeated value(s) with the same number kept once"),
    ]
    assert [tuple(r) for r in up.rows.itertuples(index=False)] == [
        ("rd_intensity", "shanghai", 2023, 4.34, "%", "来源：统计公报; ① 注：①为初步核算数", "prelim",
         "", 2, "D"),
        ("rd_intensity", "jiangsu", 2023, 3.29, "%", "* * 为快报数", "", "", 3, "D"),
        ("rd_intensity", "zhejiang", 2023, 3.2, "%", "(p) 初步数 / preliminary", "prelim", "", 4,
         "D"),
        ("rd_intensity", "anhui", 2023, 2.7, "%", None, "approx", "", 5, "D"),
        ("gdp", "jiangsu", 2023, 128222.2, "亿元", None, "", "", 6, "D"),
        ("gdp", "zhejiang", 2023, 82600.0, "亿元", None, "prelim", "", 7, "D"),
        ("gdp", "anhui", 2023, 47050.6, "亿元", None, "", "", 8, "D"),
        ("population", "shanghai", 2023, 2487.45, "万人", None, "", "", 9, "D"),
        ("urbanization_rate", "nanjing", 2023, 87.2, "%", None, "", "", 13, "D"),
        ("urbanization_rate", "nanjing", 2022, 86.5, "%", None, "", "", 14, "D"),
        ("pct_applications", "shanghai", 2023, 12000.0, "件", None, "approx", "", 15, "D"),
    ]  # fmt: skip
    # text stays Python objects (the store binds them as they are), numbers numpy columns
    assert [str(t) for t in up.rows.dtypes] == [str(t) for t in _checked(MESSY).rows.dtypes]
    assert {type(v) for c in ("indicator", "unit", "flag", "sheet") for v in up.rows[c]} == {str}


@pytest.mark.parametrize("text", [MESSY, CLEAN])
def test_the_layouts_label_codes_check_alike(text: str) -> None:
    """A long sheet hands validate its label columns as codes (not hashed again): the codes
    spell the melted labels exactly, and validate gives the same with them as without."""
    res = Resolver(CAT, REG)
    (sheet,) = read_workbook(text.encode()).sheets
    result = analyse_sheet(sheet, res, file="f.csv")
    assert result.cells is not None and set(result.labels) >= {"indicator", "region", "year"}
    for dim, (codes, table) in result.labels.items():
        assert table[codes].tolist() == result.cells[dim].tolist(), dim
    cells = result.cells.assign(sheet=result.sheet)
    notes = {"": result.footnotes}
    plain = validate(cells, res, file="f.csv", footnotes=notes)
    coded = validate(cells, res, file="f.csv", footnotes=notes, labels=result.labels)
    assert coded.issues == plain.issues and coded.warnings == plain.warnings
    pd.testing.assert_frame_equal(coded.rows, plain.rows)
