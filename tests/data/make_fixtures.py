"""Spreadsheet fixtures made by code: every layout, encoding and file format the importer reads.

Tests call the builders directly (bytes in memory or files under tmp_path). Run this module to
write a browsable sample set under tests/data/ingest/:  python tests/data/make_fixtures.py
"""

from __future__ import annotations

import csv
import difflib
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from targets.catalogue import Catalogue
from targets.models import I18n, Indicator, Region
from targets.names import normalize_name

OUT = Path(__file__).resolve().parent / "ingest"

Rows = Sequence[Sequence[Any]]


# -- a tiny catalogue and region registry, independent of indicators.yaml / regions.yaml -------


def _ind(id: str, zh: str, en: str, unit: str, rng: tuple[float, float], *syn: str) -> Indicator:
    return Indicator(
        id=id, name=I18n(zh=zh, en=en), unit=I18n(zh=unit, en=unit), category="科创产业",
        valid_range=rng, synonyms=list(syn),
    )  # fmt: skip


def tiny_catalogue() -> Catalogue:
    inds = [
        _ind("rd_intensity", "研发投入强度", "R&D intensity", "%", (0, 20), "研发经费投入强度"),
        _ind(
            "urbanization_rate", "常住人口城镇化率", "Urbanization rate", "%", (0, 100), "城镇化率"
        ),
        _ind("gdp", "地区生产总值", "GDP", "亿元", (0, 1_000_000), "GDP", "生产总值"),
        _ind("population", "常住人口", "Resident population", "万人", (0, 50_000)),
        _ind(
            "pct_applications",
            "PCT国际专利申请量",
            "PCT applications",
            "件",
            (0, 1_000_000),
            "PCT申请量",
        ),
    ]
    return Catalogue(Path("tiny.yaml"), {}, {i.id: i for i in inds}, {})


class UnknownRegion(LookupError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        super().__init__(f"unknown region {name!r}")
        self.suggestions = suggestions


class TinyRegions:
    """resolve/try_resolve over a handful of regions, like targets.regions.RegionRegistry."""

    def __init__(self) -> None:
        def reg(id: str, zh: str, en: str, level: str, *aliases: str) -> Region:
            return Region(id=id, name=I18n(zh=zh, en=en), level=level, aliases=list(aliases))  # type: ignore[arg-type]

        self.regions = {
            r.id: r
            for r in (
                reg("yrd", "长三角", "Yangtze River Delta", "region", "长三角地区", "三省一市"),
                reg("central_zone", "中心区", "Central zone", "zone"),
                reg("shanghai", "上海市", "Shanghai", "province", "上海", "沪", "310000"),
                reg("jiangsu", "江苏省", "Jiangsu", "province", "江苏", "苏", "320000"),
                reg("zhejiang", "浙江省", "Zhejiang", "province", "浙江", "浙", "330000"),
                reg("anhui", "安徽省", "Anhui", "province", "安徽", "皖", "340000"),
                reg("nanjing", "南京市", "Nanjing", "city", "南京"),
            )
        }
        self._by = {
            normalize_name(n): r.id
            for r in self.regions.values()
            for n in (r.id, r.name.zh, r.name.en, *r.aliases)
        }

    def try_resolve(self, name: str) -> Region | None:
        rid = self._by.get(normalize_name(str(name)))
        return None if rid is None else self.regions[rid]

    def resolve(self, name: str) -> Region:
        found = self.try_resolve(name)
        if found is None:
            close = difflib.get_close_matches(normalize_name(name), list(self._by), n=3, cutoff=0.3)
            raise UnknownRegion(name, [self.regions[self._by[c]].name.zh for c in close])
        return found


# -- writers ------------------------------------------------------------------------------------


def xlsx_bytes(
    sheets: dict[str, Rows],
    merged: dict[str, list[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """An .xlsx with one sheet per entry; None cells stay empty; `merged` ranges like "B3:C3";
    `formats` number formats by cell ({"S": {"B3": "0.00%"}})."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
        for ref, code in (formats or {}).get(name, {}).items():
            ws[ref].number_format = code
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


def xls_bytes(sheets: dict[str, Rows]) -> bytes:
    """A legacy .xls (BIFF8) written with xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


def ods_bytes(sheets: dict[str, Rows]) -> bytes:
    """An .ods written by pandas with odfpy."""
    bio = io.BytesIO()
    with pd.ExcelWriter(bio, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return bio.getvalue()


def csv_bytes(
    rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


# -- sample sheets, one per layout ------------------------------------------------------------

LONG: list[list[Any]] = [
    ["地区", "指标", "年份", "数值", "单位", "备注"],
    ["上海", "研发投入强度", 2023, 4.34, "%", "统计公报"],
    ["江苏", "研发投入强度", 2023, 3.29, "%", None],
    ["上海", "地区生产总值", 2023, 47218.66, "亿元", None],
]

YEARBOOK: list[list[Any]] = [
    ["2023年长三角主要统计指标"],
    [],
    ["指标", "单位", "上海", "江苏", "浙江", "安徽"],
    ["地区生产总值", "亿元", 47218.66, 128222.2, 82553, 47050.6],
    ["研发投入强度", "%", 4.34, 3.29, 3.2, 2.69],
    ["注：研发投入强度为研发经费与地区生产总值之比。"],
    ["资料来源：各省市统计公报"],
]

YEARS_AS_COLUMNS: list[list[Any]] = [
    ["研发经费投入强度（%）"],
    ["地区", "2021年", "2022年", "2023年"],
    ["上海", 4.21, 4.44, 4.34],
    ["江苏", 2.95, "3.12", "—"],
]

INDICATOR_COLUMNS: list[list[Any]] = [
    ["地区", "年份", "研发经费投入强度（%）", "城镇化率（%）"],
    ["上海", 2023, 4.34, 89.46],
    ["浙江", 2023, 3.2, 74.2],
]


def samples() -> dict[str, bytes]:
    """One file per layout and format: name -> bytes."""
    return {
        "long.xlsx": xlsx_bytes({"数据": LONG}),
        "yearbook.xlsx": xlsx_bytes({"2023年": YEARBOOK}),
        "years_as_columns.xls": xls_bytes({"研发投入强度": YEARS_AS_COLUMNS}),
        "indicator_columns.ods": ods_bytes({"Sheet1": INDICATOR_COLUMNS}),
        "long_gbk.csv": csv_bytes(LONG, encoding="gbk"),
        "long_utf16.txt": csv_bytes(LONG, encoding="utf-16", delimiter="\t"),
        "long_bom_semicolon.csv": csv_bytes(LONG, encoding="utf-8-sig", delimiter=";"),
    }


def main(out: Path = OUT) -> list[Path]:
    """Write the sample set (for people to open; the tests build their own)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in samples().items():
        (out / name).write_bytes(data)
        paths.append(out / name)
    print(f"wrote {len(paths)} files to {out}", file=sys.stderr)
    return paths


if __name__ == "__main__":
    main()
