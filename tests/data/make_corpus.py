"""The adversarial import corpus: spreadsheets with the habits statistics offices really have,
written the ways real tools write them, and a manifest of what each must store (or why it is
refused). Synthetic figures, made by this code.

    python tests/data/make_corpus.py        # rewrites tests/data/corpus/ and its manifest.json

Tools: openpyxl (formats, formulas never computed), LibreOffice headless conversions (`soffice
--headless --convert-to`: computed formula values, .ods, a LibreOffice-written .xlsx), xlwt
(.xls), Excel's "Unicode text" export (UTF-16 LE with a BOM, tab-separated) and GBK CSV. The
manifest is written from the cells as a person sees them, never by running the importer:
tests/test_ingest_corpus.py imports each file into a real database and compares.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402

OUT = Path(__file__).resolve().parent / "corpus"
MANIFEST = OUT / "manifest.json"

Rows = Sequence[Sequence[Any]]
Stored = list[tuple[str, str, int, float, str | None]]  # indicator, region, year, value, note
PROVINCES = ["上海", "江苏", "浙江", "安徽"]
PROVINCE_IDS = ["shanghai", "jiangsu", "zhejiang", "anhui"]
GDP_2023 = [47218.66, 128222.2, 82553.0, 47050.6]  # synthetic, in 亿元
RD_2023 = [4.34, 3.29, 3.2, 2.69]  # synthetic, in %


@dataclass
class Case:
    name: str
    trap: str
    tool: str
    write: Callable[[Path], None]
    stored: Stored = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # code, sheet, cell
    warnings: list[str] = field(default_factory=list)  # substrings of the warnings
    suggestions: dict[str, str] = field(default_factory=dict)  # cell -> substring
    from_: str = ""  # for a LibreOffice conversion: the corpus file converted
    # stored value = number LibreOffice shows × shown_factor (0.63万件 shown, 6300 件 stored)
    shown_factor: float = 1.0


# -- writers ------------------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    sheets: dict[str, Rows],
    formats: dict[str, dict[str, str]] | None = None,
    merged: dict[str, list[str]] | None = None,
) -> None:
    path.write_bytes(mf.xlsx_bytes(sheets, merged=merged, formats=formats))


def write_xls(
    path: Path,
    sheets: dict[str, Rows],
    formats: dict[str, dict[tuple[int, int], str]] | None = None,
    merged: dict[str, list[tuple[int, int, int, int, Any]]] | None = None,
) -> None:
    """A BIFF8 .xls by xlwt; formats by (row, col) 0-based; merged (r0, r1, c0, c1, value)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        fmts = (formats or {}).get(name, {})
        spans = (merged or {}).get(name, [])
        covered = {(r, c) for r0, r1, c0, c1, _ in spans for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1)}  # fmt: skip
        for r0, r1, c0, c1, value in spans:
            ws.write_merge(r0, r1, c0, c1, value)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or (r, c) in covered:
                    continue
                if isinstance(v, str) and v.startswith("="):
                    v = xlwt.Formula(v[1:])
                if (r, c) in fmts:
                    ws.write(r, c, v, xlwt.easyxf(num_format_str=fmts[(r, c)]))
                else:
                    ws.write(r, c, v)
    wb.save(str(path))


def write_text(path: Path, rows: Rows, *, encoding: str, delimiter: str = ",") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def unicode_text(path: Path, rows: Rows) -> None:
    """Excel's "Unicode text (*.txt)": UTF-16 LE with a BOM, tab-separated, CRLF."""
    write_text(path, rows, encoding="utf-16", delimiter="\t")


def soffice_convert(src: Path, target: str, out_dir: Path) -> Path:
    """LibreOffice headless: `soffice --headless --convert-to TARGET` (formulas are computed)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             target, "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile},
        )  # fmt: skip
        made = next(Path(tmp).iterdir())
        dest = out_dir / made.name
        shutil.move(str(made), dest)
        return dest


# -- the sheets ---------------------------------------------------------------------------------


def rd_sheet(values: Sequence[Any], title: str = "2023年研发投入强度（%）") -> list[list[Any]]:
    return [[title], ["地区", "数值"], *[[p, v] for p, v in zip(PROVINCES, values, strict=True)]]


def rd_stored(note: Sequence[str | None] | None = None) -> Stored:
    notes = note or [None] * 4
    return [
        ("rd_intensity", r, 2023, v, n)
        for r, v, n in zip(PROVINCE_IDS, RD_2023, notes, strict=True)
    ]


def gdp_stored(values: Sequence[float] = GDP_2023, year: int = 2023) -> Stored:
    return [("gdp", r, year, v, None) for r, v in zip(PROVINCE_IDS, values, strict=True)]


PCT = [r / 100 for r in RD_2023]  # 0.0434 …: what a cell formatted 0.00% holds for 4.34%
PCT_FORMATS = {"S": {f"B{r}": "0.00%" for r in range(3, 7)}}

TWO_LEVEL = [
    ["各省市地区生产总值（亿元）"],
    ["地区", "2022年", None, "2023年", None],
    [None, "绝对数", "比上年增长(%)", "绝对数", "比上年增长(%)"],
    ["上海", 44652.8, -0.2, 47218.66, 5.0],
    ["江苏", 122875.6, 2.8, 128222.2, 5.8],
    ["浙江", 77715.4, 3.1, 82553.0, 6.0],
    ["安徽", 45045.0, 3.5, 47050.6, 5.8],
    ["注：增长速度按可比价格计算。"],
]
TWO_LEVEL_MERGED = ["A2:A3", "B2:C2", "D2:E2"]
GDP_2022 = [44652.8, 122875.6, 77715.4, 45045.0]
TWO_LEVEL_STORED = gdp_stored(GDP_2022, 2022) + gdp_stored()
MARKS = [
    ["2023年研发投入强度（%）"],
    ["地区", "数值", "备注"],
    ["上海", "4.34①", "统计公报，第3页…"],
    ["江苏", "3.29*", None],
    ["浙江", "3.2(p)", None],
    ["安徽", "2.69r", "（修订）“初步核算”"],
    ["注：①为初步核算数；*含研发费用加计扣除口径调整。"],
]
MARKS_STORED: Stored = [
    ("rd_intensity", "shanghai", 2023, 4.34,
     "统计公报，第3页…; ① 注：①为初步核算数；*含研发费用加计扣除口径调整。"),
    ("rd_intensity", "jiangsu", 2023, 3.29, "* 注：①为初步核算数；*含研发费用加计扣除口径调整。"),
    ("rd_intensity", "zhejiang", 2023, 3.2, "(p) 初步数 / preliminary"),
    ("rd_intensity", "anhui", 2023, 2.69, "（修订）“初步核算”; r 修订数 / revised"),
]  # fmt: skip
JIANGSU_CITIES = ["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州",
                  "镇江", "泰州", "宿迁"]  # fmt: skip
JIANGSU_IDS = ["nanjing", "wuxi", "xuzhou", "changzhou", "suzhou_js", "nantong", "lianyungang",
               "huaian", "yancheng", "yangzhou", "zhenjiang", "taizhou_js", "suqian"]  # fmt: skip
JIANGSU_PCT = [1803, 1012, 120, 803, 2301, 420, 95, 130, 140, 210, 160, 150, 55]  # synthetic


def cases(out: Path) -> list[Case]:  # noqa: PLR0915 - one list, read top to bottom
    x = write_xlsx
    c: list[Case] = []

    # -- number formats ---------------------------------------------------------------------
    c.append(
        Case(
            "pct_format.xlsx",
            "percent format: the cell holds 0.0434 and shows 4.34%",
            "openpyxl",
            lambda p: x(p, {"S": rd_sheet(PCT)}, PCT_FORMATS),
            rd_stored(),
        )
    )
    urban = [89.46, 75.04, 74.2, 61.51]
    c.append(Case(
        "pct_format_formulas.xlsx", "=B/100 formulas with a percent format, never computed",
        "openpyxl",
        lambda p: x(p, {"S": [["2023年常住人口城镇化率（%）"], ["地区", "输入", "数值"],
                              *[[n, v, f"=B{r}/100"] for r, (n, v) in
                                enumerate(zip(PROVINCES, urban, strict=True), 3)]]},
                    {"S": {f"C{r}": "0.00%" for r in range(3, 7)}}),
        refused=[("formula-not-computed", "S", f"C{r}") for r in range(3, 7)],
    ))  # fmt: skip
    c.append(Case(
        "pct_format_computed.xlsx",
        "the same after LibreOffice computed =B/100 (0.38159999999999994 shows 38.16%): read to "
        "Excel's 15 digits",
        "openpyxl + LibreOffice", lambda p: None,
        [("urbanization_rate", r, 2023, v, None) for r, v in zip(PROVINCE_IDS, urban, strict=True)],
        from_="pct_format_formulas.xlsx",
    ))  # fmt: skip
    c.append(
        Case(
            "permille_format.xlsx",
            "a ‰ format is text in Excel and LibreOffice: 43.4 shows 43.4‰ = 4.34%",
            "openpyxl",
            lambda p: x(
                p,
                {"S": rd_sheet([v * 10 for v in RD_2023], "2023年研发投入强度")},
                {"S": {f"B{r}": "0.0‰" for r in range(3, 7)}},
            ),
            rd_stored(),
            shown_factor=0.1,
        )
    )
    c.append(Case(
        "unit_format_wanjian.xlsx", 'a unit in a custom format: 0.63 shows 0.63万件 = 6,300 件',
        "openpyxl",
        lambda p: x(p, {"S": [["2023年"], ["地区", "PCT国际专利申请量"],
                              *[[n, v] for n, v in zip(PROVINCES, [0.63, 0.9, 0.54, 0.09], strict=True)]]},
                    {"S": {f"B{r}": '0.00"万件"' for r in range(3, 7)}}),
        [("pct_applications", r, 2023, v, None) for r, v in
         zip(PROVINCE_IDS, [6300.0, 9000.0, 5400.0, 900.0], strict=True)],
        warnings=["converted from 万件 to 件"], shown_factor=1e4,
    ))  # fmt: skip
    c.append(Case(
        "unit_format_yiyuan.xlsx", 'a unit in the format, none in the header: #,##0.00"亿元"',
        "openpyxl",
        lambda p: x(p, {"S": [["2023年地区生产总值"], ["地区", "数值"],
                              *[[n, v] for n, v in zip(PROVINCES, GDP_2023, strict=True)]]},
                    {"S": {f"B{r}": '#,##0.00"亿元"' for r in range(3, 7)}}),
        gdp_stored(),
    ))  # fmt: skip
    c.append(Case(
        "unit_format_wanyuan.xlsx", 'the format says 万元 where the catalogue counts 亿元',
        "openpyxl",
        lambda p: x(p, {"S": [["2023年地区生产总值"], ["地区", "数值"],
                              *[[n, round(v * 1e4)] for n, v in zip(PROVINCES, GDP_2023, strict=True)]]},
                    {"S": {f"B{r}": '0"万元"' for r in range(3, 7)}}),
        gdp_stored(), warnings=["converted from 万元 to 亿元"], shown_factor=1e-4,
    ))  # fmt: skip
    c.append(Case(
        "unit_format_clash.xlsx", "the header says 件, the format 万件: which one? refused",
        "openpyxl",
        lambda p: x(p, {"S": [["2023年"], ["地区", "PCT国际专利申请量（件）"], ["上海", 0.63], ["江苏", 9000]]},
                    {"S": {"B3": '0.00"万件"'}}),
        refused=[("unit-mismatch", "S", "B3")],
    ))  # fmt: skip
    c.append(Case(
        "thousands_comma.xlsx", "#,##0.0, shows thousands: 47218660 shows 47,218.7 (亿元 header)",
        "openpyxl",
        lambda p: x(p, {"S": [["2023年地区生产总值（亿元）"], ["地区", "数值"],
                              *[[n, round(v * 1000)] for n, v in zip(PROVINCES, GDP_2023, strict=True)]]},
                    {"S": {f"B{r}": "#,##0.0," for r in range(3, 7)}}),
        gdp_stored(),
    ))  # fmt: skip
    c.append(Case(
        "format_double_percent.xlsx", "0.0%%: Excel multiplies twice, LibreOffice once: refused",
        "openpyxl",
        lambda p: x(p, {"S": rd_sheet(PCT)}, {"S": {"B3": "0.0%%"}}),
        refused=[("number-format", "S", "B3")],
    ))  # fmt: skip
    c.append(Case(
        "format_literal_point.xlsx", '0!.0000"万": a decimal point written as text: refused',
        "openpyxl",
        lambda p: x(p, {"S": [["2023年"], ["地区", "PCT国际专利申请量"], ["上海", 6300]]},
                    {"S": {"B3": '0!.0000"万"'}}),
        refused=[("number-format", "S", "B3")],
    ))  # fmt: skip
    c.append(Case(
        "format_zero_dash.xlsx", 'zero shown as "-" by the format (0.00;-0.00;"-"): refused',
        "openpyxl",
        lambda p: x(p, {"S": rd_sheet([4.34, 3.29, 3.2, 0])}, {"S": {"B6": '0.00;-0.00;"-"'}}),
        refused=[("number-format", "S", "B6")],
    ))  # fmt: skip
    c.append(Case(
        "general_chinese.xlsx", "G/通用格式, the Chinese Excel/WPS General: a number, not a date",
        "openpyxl",
        lambda p: x(p, {"S": rd_sheet(RD_2023)}, {"S": {f"B{r}": "G/通用格式" for r in range(3, 7)}}),
        rd_stored(),
    ))  # fmt: skip
    c.append(
        Case(
            "pct_format.xls",
            "percent format in a legacy .xls",
            "xlwt",
            lambda p: write_xls(
                p, {"S": rd_sheet(PCT)}, {"S": {(r, 1): "0.00%" for r in range(2, 6)}}
            ),
            rd_stored(),
        )
    )
    c.append(Case(
        "unit_format.xls", 'a unit in an .xls format: 0.0"万件"', "xlwt",
        lambda p: write_xls(p, {"S": [["2023年"], ["地区", "PCT国际专利申请量"], ["上海", 0.63], ["江苏", 0.9]]},
                            {"S": {(2, 1): '0.00"万件"', (3, 1): '0.00"万件"'}}),
        [("pct_applications", "shanghai", 2023, 6300.0, None),
         ("pct_applications", "jiangsu", 2023, 9000.0, None)],
        warnings=["converted from 万件 to 件"], shown_factor=1e4,
    ))  # fmt: skip

    # -- formulas -----------------------------------------------------------------------------
    formula_rows = [["2023年地区生产总值（亿元）"], ["地区", "第一产业", "其他", "数值"],
                    *[[n, 1000.5, v - 1000.5, f"=B{r}+C{r}"]
                      for r, (n, v) in enumerate(zip(PROVINCES, GDP_2023, strict=True), 3)]]  # fmt: skip
    c.append(Case(
        "formula_uncomputed.xlsx", "formulas written by a script, never computed: refused at each cell",
        "openpyxl", lambda p: x(p, {"S": formula_rows}),
        refused=[("formula-not-computed", "S", f"D{r}") for r in range(3, 7)],
    ))  # fmt: skip
    formula_simple = [["2023年地区生产总值（亿元）"], ["地区", "数值"],
                      ["上海", 47218.66], ["江苏", "=B3+81003.54"], ["浙江", 82553], ["安徽", "=47050.6"]]  # fmt: skip
    c.append(
        Case(
            "formula_uncomputed_values.xlsx",
            "a formula among values, never computed",
            "openpyxl",
            lambda p: x(p, {"S": formula_simple}),
            refused=[("formula-not-computed", "S", "B4"), ("formula-not-computed", "S", "B6")],
        )
    )
    c.append(
        Case(
            "formula_cached_lo.xlsx",
            "the same formulas after LibreOffice computed them (soffice --convert-to xlsx)",
            "openpyxl + LibreOffice",
            lambda p: None,
            gdp_stored(),
            from_="formula_uncomputed_values.xlsx",
        )
    )
    c.append(
        Case(
            "formula_cached_lo.ods",
            "the same formulas, computed, as .ods",
            "openpyxl + LibreOffice",
            lambda p: None,
            gdp_stored(),
            from_="formula_uncomputed_values.xlsx",
        )
    )
    c.append(
        Case(
            "formula_uncomputed.xls",
            "an xlwt formula (xlwt stores no result): refused, never read as missing",
            "xlwt",
            lambda p: write_xls(p, {"S": formula_simple}),
            refused=[("formula-not-computed", "S", "B4"), ("formula-not-computed", "S", "B6")],
        )
    )

    # -- footnote marks and notes -------------------------------------------------------------
    c.append(
        Case(
            "marks.xlsx",
            "footnote marks glued to numbers; ① must not become a digit",
            "openpyxl",
            lambda p: x(p, {"S": MARKS}),
            MARKS_STORED,
        )
    )
    c.append(
        Case(
            "marks_gbk.csv",
            "the marks in a GBK (GB18030) CSV",
            "csv (gb18030)",
            lambda p: write_text(p, MARKS, encoding="gb18030"),
            MARKS_STORED,
        )
    )
    c.append(
        Case(
            "marks_unicode_text.txt",
            "the marks in Excel's Unicode text export",
            "Excel Unicode text (UTF-16 LE, tab)",
            lambda p: unicode_text(p, MARKS),
            MARKS_STORED,
        )
    )
    c.append(Case(
        "marks_superscript.xlsx", "superscript, # and △ after the number, a note row per mark",
        "openpyxl",
        lambda p: x(p, {"S": [["2023年研发投入强度（%）"], ["地区", "数值"], ["上海", "4.34¹"],
                              ["江苏", "3.29#"], ["浙江", "3.2△"], ["安徽", 2.69],
                              ["¹ 含部分企业研发费用加计扣除数据。"]]}),
        [("rd_intensity", "shanghai", 2023, 4.34, "¹ ¹ 含部分企业研发费用加计扣除数据。"),
         ("rd_intensity", "jiangsu", 2023, 3.29, "# 见表注 / see the sheet's notes"),
         ("rd_intensity", "zhejiang", 2023, 3.2, "△ 见表注 / see the sheet's notes"),
         ("rd_intensity", "anhui", 2023, 2.69, None)],
    ))  # fmt: skip
    c.append(Case(
        "marks_refused.xlsx", "a mark before the number (△ means minus in some tables), a subscript",
        "openpyxl",
        lambda p: x(p, {"S": rd_sheet(["△4.34", "3.2₉", "3.2", "2.69"])}),
        refused=[("bad-value", "S", "B3"), ("bad-value", "S", "B4")],
    ))  # fmt: skip
    notes_rows = [["地区", "指标", "年份", "数值", "备注"],
                  ["上海", "研发投入强度", 2023, 4.34, "《上海市2023年国民经济和社会发展统计公报》：“研发经费…占4.34%”"],
                  ["江苏", "研发投入强度", 2023, 3.29, "ＡＢＣ，全角（括号）　全角空格"]]  # fmt: skip
    notes_stored: Stored = [
        ("rd_intensity", "shanghai", 2023, 4.34, notes_rows[1][4]),
        ("rd_intensity", "jiangsu", 2023, 3.29, notes_rows[2][4]),
    ]
    c.append(
        Case(
            "notes_verbatim.xlsx",
            "notes kept as written (，…“” full-width) ",
            "openpyxl",
            lambda p: x(p, {"数据": notes_rows}),
            notes_stored,
        )
    )
    c.append(
        Case(
            "notes_verbatim_gbk.csv",
            "the notes in GBK",
            "csv (gbk)",
            lambda p: write_text(p, notes_rows, encoding="gbk"),
            notes_stored,
        )
    )

    # -- totals -------------------------------------------------------------------------------
    total = round(sum(GDP_2023), 2)
    gdp_rows = [["2023年地区生产总值（亿元）"], ["地区", "数值"],
                *[[n, v] for n, v in zip(PROVINCES, GDP_2023, strict=True)]]  # fmt: skip
    c.append(
        Case(
            "totals_sanshengyishi.xlsx",
            "三省一市合计 below the provinces",
            "openpyxl",
            lambda p: x(p, {"S": [*gdp_rows, ["三省一市合计", total]]}),
            [*gdp_stored(), ("gdp", "yrd", 2023, total, None)],
        )
    )
    c.append(
        Case(
            "totals_heji_mismatch.xlsx",
            "合计 that is not the sum of the provinces: stored, with a warning",
            "openpyxl",
            lambda p: x(p, {"S": [*gdp_rows, ["合计", 305000]]}),
            [*gdp_stored(), ("gdp", "yrd", 2023, 305000.0, None)],
            warnings=["S!B7", "305,044.46"],
        )
    )
    c.append(Case("totals_gbk.csv", "长三角合计 in a GBK CSV", "csv (gbk)",
                  lambda p: write_text(p, [["地区", "指标", "年份", "数值"],
                                           *[[n, "地区生产总值", 2023, v] for n, v in
                                             zip(PROVINCES, GDP_2023, strict=True)],
                                           ["长三角合计", "地区生产总值", 2023, total]], encoding="gbk"),
                  [*gdp_stored(), ("gdp", "yrd", 2023, total, None)]))  # fmt: skip
    c.append(
        Case(
            "totals_partial.xlsx",
            "合计 of only two provinces is no region: refused",
            "openpyxl",
            lambda p: x(p, {"S": [*gdp_rows[:4], ["合计", 175440.86]]}),
            refused=[("unknown-region", "S", "A5")],
        )
    )
    city_total = sum(JIANGSU_PCT)
    c.append(Case(
        "totals_jiangsu_cities.xlsx", "全省 above Jiangsu's 13 cities (a provincial yearbook)",
        "openpyxl",
        lambda p: x(p, {"S": [["2023年PCT国际专利申请量（件）"], ["地区", "数值"], ["全省", city_total],
                              *[[n, v] for n, v in zip(JIANGSU_CITIES, JIANGSU_PCT, strict=True)]]}),
        [("pct_applications", "jiangsu", 2023, float(city_total), None),
         *[("pct_applications", r, 2023, float(v), None) for r, v in
           zip(JIANGSU_IDS, JIANGSU_PCT, strict=True)]],
    ))  # fmt: skip
    c.append(Case(
        "totals_ratio.xlsx", "a total of a ratio (研发投入强度) is stored, never summed",
        "openpyxl",
        lambda p: x(p, {"S": [*rd_sheet(RD_2023), ["全域", 3.21]]}),
        [*rd_stored(), ("rd_intensity", "yrd", 2023, 3.21, None)],
    ))  # fmt: skip

    # -- two-level yearbook headers -----------------------------------------------------------
    c.append(
        Case(
            "yearbook_two_level.xlsx",
            "years merged over 绝对数 | 比上年增长(%): the absolute values, growth passed over",
            "openpyxl",
            lambda p: x(p, {"S": TWO_LEVEL}, merged={"S": TWO_LEVEL_MERGED}),
            TWO_LEVEL_STORED,
            warnings=["growth rates"],
        )
    )
    c.append(
        Case(
            "yearbook_two_level.ods",
            "the same yearbook as .ods",
            "openpyxl + LibreOffice",
            lambda p: None,
            TWO_LEVEL_STORED,
            warnings=["growth rates"],
            from_="yearbook_two_level.xlsx",
        )
    )
    c.append(
        Case(
            "yearbook_two_level_lo.xlsx",
            "the same yearbook as LibreOffice writes .xlsx",
            "openpyxl + LibreOffice",
            lambda p: None,
            TWO_LEVEL_STORED,
            warnings=["growth rates"],
            from_="yearbook_two_level.xlsx",
        )
    )
    c.append(Case(
        "yearbook_two_level.xls", "the same yearbook as .xls (xlwt merged cells)", "xlwt",
        lambda p: write_xls(p, {"S": TWO_LEVEL},
                            merged={"S": [(1, 2, 0, 0, "地区"), (1, 1, 1, 2, "2022年"),
                                          (1, 1, 3, 4, "2023年")]}),
        TWO_LEVEL_STORED, warnings=["growth rates"],
    ))  # fmt: skip
    c.append(Case(
        "yearbook_two_level_unmerged.xlsx", "the years written once, not merged, over two columns",
        "openpyxl", lambda p: x(p, {"S": TWO_LEVEL}), TWO_LEVEL_STORED, warnings=["growth rates"],
    ))  # fmt: skip
    wan = [["各省市地区生产总值"], ["地区", "2022年", None, "2023年", None],
           [None, "绝对数（万元）", "增长%", "绝对数（万元）", "增长%"],
           *[[n, round(a * 1e4), 1.0, round(b * 1e4), 2.0]
             for n, a, b in zip(PROVINCES, GDP_2022, GDP_2023, strict=True)]]  # fmt: skip
    c.append(
        Case(
            "yearbook_two_level_units.xlsx",
            "the unit in the sub-header (绝对数（万元）) is the column's: 万元 → 亿元",
            "openpyxl",
            lambda p: x(p, {"S": wan}, merged={"S": TWO_LEVEL_MERGED}),
            TWO_LEVEL_STORED,
            warnings=["growth rates", "converted from 万元 to 亿元"],
            shown_factor=1e-4,
        )
    )
    bad_two = [list(r) for r in TWO_LEVEL]
    bad_two[2] = [None, "绝对数", "备考", "绝对数", "备考"]
    c.append(
        Case(
            "yearbook_two_level_unknown.xlsx",
            "a sub-header naming something else: one layout error, not twenty",
            "openpyxl",
            lambda p: x(p, {"S": bad_two}, merged={"S": TWO_LEVEL_MERGED}),
            refused=[("layout-unknown", "S", "C3")],
        )
    )

    # -- formats through other tools ----------------------------------------------------------
    c.append(
        Case(
            "pct_format.ods",
            "the percent format as .ods (a percentage data style)",
            "openpyxl + LibreOffice",
            lambda p: None,
            rd_stored(),
            from_="pct_format.xlsx",
        )
    )
    c.append(Case("unit_format_wanjian.ods", "a unit format as .ods (number style with text)",
                  "openpyxl + LibreOffice", lambda p: None,
                  [("pct_applications", r, 2023, v, None) for r, v in
                   zip(PROVINCE_IDS, [6300.0, 9000.0, 5400.0, 900.0], strict=True)],
                  warnings=["converted from 万件 to 件"], shown_factor=1e4, from_="unit_format_wanjian.xlsx"))  # fmt: skip
    c.append(
        Case(
            "pct_format_lo.xlsx",
            "the percent format as LibreOffice writes .xlsx",
            "openpyxl + LibreOffice",
            lambda p: None,
            rd_stored(),
            from_="pct_format.xlsx",
        )
    )
    c.append(Case(
        "pct_text_unicode_text.txt", "percent signs typed as text, in Excel's Unicode text",
        "Excel Unicode text (UTF-16 LE, tab)",
        lambda p: unicode_text(p, rd_sheet([f"{v}%" for v in RD_2023], "2023年研发投入强度")),
        rd_stored(),
    ))  # fmt: skip

    # -- suggestions --------------------------------------------------------------------------
    c.append(Case(
        "unknown_names.xlsx", "a mistyped region and indicator: refused with what they meant",
        "openpyxl",
        lambda p: x(p, {"数据": [["地区", "指标", "年份", "数值"], ["安微", "研发投入强度", 2023, 2.69],
                                 ["上海", "研发投入强渡", 2023, 4.34]]}),
        refused=[("unknown-indicator", "数据", "B3"), ("unknown-region", "数据", "A2")],
        suggestions={"A2": "安徽", "B3": "研发投入强度"},
    ))  # fmt: skip
    return c


def build(out: Path = OUT) -> dict[str, Any]:
    """Write every file and the manifest; LibreOffice conversions run after their sources."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    all_cases = cases(out)
    for case in all_cases:
        if not case.from_:
            case.write(out / case.name)
    for case in all_cases:
        if case.from_:
            src = out / case.from_
            target = case.name.rsplit(".", 1)[1]
            with tempfile.TemporaryDirectory() as tmp:
                made = soffice_convert(src, target, Path(tmp))
                shutil.move(str(made), out / case.name)
    manifest = {
        "about": "Synthetic figures, generated by tests/data/make_corpus.py; `stored` is what a "
        "person sees in each cell (indicator, region, year, value, note); `refused` the "
        "errors (code, sheet, cell) of a file that must store nothing.",
        "files": {
            case.name: {
                "trap": case.trap,
                "tool": case.tool,
                **({"converted_from": case.from_} if case.from_ else {}),
                **({"shown_factor": case.shown_factor} if case.shown_factor != 1.0 else {}),
                **({"stored": [list(r) for r in case.stored]} if not case.refused else {}),
                **({"refused": [list(r) for r in case.refused]} if case.refused else {}),
                **({"warnings": case.warnings} if case.warnings else {}),
                **({"suggestions": case.suggestions} if case.suggestions else {}),
            }
            for case in all_cases
        },
    }
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(all_cases)} files and the manifest to {out}", file=sys.stderr)
    return manifest


if __name__ == "__main__":
    build()
