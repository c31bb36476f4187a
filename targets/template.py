"""A fill-in workbook for one year, generated from the catalogue; it imports as it is filled.

One sheet per category (indicators as rows: id, name, unit; regions as columns), the year in each
title (`2025年 …`) so the importer finds it, decimal data validation within each indicator's
valid_range on the input cells, and an instructions sheet in Chinese and English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from targets.models import CATEGORIES, Indicator, Region

# the whole region, the central zone, the four provinces
TEMPLATE_REGIONS: tuple[str, ...] = (
    "yrd",
    "central_zone",
    "shanghai",
    "jiangsu",
    "zhejiang",
    "anhui",
)
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1
FIRST_REGION_COL = 4  # D: after indicator id, name, unit
INSTRUCTIONS_SHEET = "说明 Instructions"

_INPUT = PatternFill("solid", fgColor="FFFDF2CC")
_HEAD = PatternFill("solid", fgColor="FFDCE6F1")


def _sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31]


def _regions(regions: Any) -> list[Region]:
    return [regions.resolve(r) for r in TEMPLATE_REGIONS]


def _by_category(catalogue: Any) -> list[tuple[str, list[Indicator]]]:
    indicators: list[Indicator] = list(catalogue.indicators.values())
    order = list(CATEGORIES) + sorted({i.category for i in indicators} - set(CATEGORIES))
    groups = [(c, [i for i in indicators if i.category == c]) for c in order]
    return [(c, inds) for c, inds in groups if inds]


def _number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(float(x))


def _write_category(
    ws: Worksheet, category: str, inds: list[Indicator], regs: list[Region], year: int
) -> None:
    last_col = FIRST_REGION_COL + len(regs) - 1
    ws.cell(1, 1, f"{year}年 长三角一体化发展目标指标填报表 · {category}（Data entry for {year}）")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.cell(2, 1, "在黄色单元格填写数值，单位以“单位”列为准，无数据请留空。"
                  "Fill in the yellow cells in the unit shown; leave a cell blank where there is no value.")  # fmt: skip
    ws.cell(2, 1).font = Font(italic=True, color="FF555555")
    headers = ["指标 Indicator", "名称 Name", "单位 Unit", *[r.name.zh for r in regs]]
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, c, text)
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for k, ind in enumerate(inds):
        r = FIRST_DATA_ROW + k
        ws.cell(r, 1, ind.id)
        ws.cell(r, 2, f"{ind.name.zh} / {ind.name.en}")
        ws.cell(r, 3, ind.unit.zh)
        for c in range(FIRST_REGION_COL, last_col + 1):
            cell = ws.cell(r, c)
            cell.fill = _INPUT
            cell.number_format = "0." + "0" * ind.decimals if ind.decimals > 0 else "0"
        if ind.valid_range is not None:
            lo, hi = ind.valid_range
            dv = DataValidation(
                type="decimal", operator="between", formula1=_number(lo), formula2=_number(hi),
                allow_blank=True, showErrorMessage=True, errorTitle="数值超出范围 Out of range",
                error=f"{ind.name.zh}：{_number(lo)} – {_number(hi)} {ind.unit.zh}",
            )  # fmt: skip
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(FIRST_REGION_COL)}{r}:{get_column_letter(last_col)}{r}")
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, FIRST_REGION_COL)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 14
    for c in range(FIRST_REGION_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12


_INSTRUCTIONS: list[tuple[str, str]] = [
    ("本表用于填报{year}年长三角一体化发展目标指标及其组成序列的数值。",
     "This workbook collects the {year} values of the Yangtze River Delta integration indicators and their component series."),
    ("每个类别一个工作表：每行一个指标（A 列为指标编号，请勿修改），每列一个地区。",
     "One sheet per category: one indicator per row (column A holds its id; do not change it), one region per column."),
    ("数值请按“单位”列的单位填写；无数据的单元格留空，不要填 0。",
     "Write values in the unit of the Unit column; leave a cell blank where there is no value, never 0."),
    ("数值须在指标的有效范围内，超出范围的数值会被拒绝。",
     "Values must lie within each indicator's valid range; values outside it are refused."),
    ("年份取自各表标题（“{year}年 …”），请勿修改标题中的年份。",
     "The year is read from each sheet's title (\"{year}年 …\"); do not change it."),
    ("填好后用 `targets import 文件.xlsx` 或仪表板的上传页面导入；有任何错误时整个文件不会写入。",
     "Import the filled workbook with `targets import FILE.xlsx` or the dashboard's upload page; a file with any error is not stored at all."),
]  # fmt: skip


def _write_instructions(ws: Worksheet, year: int, regs: list[Region]) -> None:
    ws.cell(1, 1, "填表说明").font = Font(bold=True, size=13)
    ws.cell(1, 2, "Instructions").font = Font(bold=True, size=13)
    for k, (zh, en) in enumerate(_INSTRUCTIONS, start=2):
        ws.cell(k, 1, zh.format(year=year)).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(k, 2, en.format(year=year)).alignment = Alignment(wrap_text=True, vertical="top")
    r = len(_INSTRUCTIONS) + 3
    ws.cell(r, 1, "地区列").font = Font(bold=True)
    ws.cell(r, 2, "Region columns").font = Font(bold=True)
    for k, reg in enumerate(regs, start=r + 1):
        ws.cell(k, 1, reg.name.zh)
        ws.cell(k, 2, f"{reg.name.en} ({reg.id})")
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 80


def write_template(path: Path, catalogue: Any, regions: Any, *, year: int) -> None:
    """Write the fill-in workbook for `year` to `path` (.xlsx)."""
    regs = _regions(regions)
    wb = Workbook()
    _write_instructions(wb.active, year, regs)
    wb.active.title = INSTRUCTIONS_SHEET
    for category, inds in _by_category(catalogue):
        ws = wb.create_sheet(_sheet_title(category))
        _write_category(ws, category, inds, regs, year)
    wb.active = 1 if len(wb.sheetnames) > 1 else 0
    wb.save(path)
