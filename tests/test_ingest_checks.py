"""Refusals: every error a file can have, each with its code and the cell it is about
(sheet, 1-based row, column letter). A file with any error gives no rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from targets.ingest import ParsedUpload, read_upload

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
