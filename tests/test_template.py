"""The fill-in template: its shape, its validation, and the round trip
template -> filled with openpyxl -> import_files -> store gives exactly the filled values."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openpyxl

from targets.ingest import import_files, read_upload
from targets.store import Store
from targets.template import FIRST_DATA_ROW, HEADER_ROW, INSTRUCTIONS_SHEET, write_template

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402

CAT = mf.tiny_catalogue()
REG = mf.TinyRegions()


def _fill(path: Path, values: dict[tuple[str, str], float]) -> None:
    """Write values[(indicator id, region zh name)] into the template's cells."""
    wb = openpyxl.load_workbook(path)
    left = dict(values)
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[HEADER_ROW]]
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW):
            for (ind, region), v in list(left.items()):
                if row[0].value == ind:
                    row[header.index(region)].value = v
                    del left[(ind, region)]
    assert not left, f"not in the template: {left}"
    wb.save(path)


def test_template_shape(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, CAT, REG, year=2025)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "科创产业"]
    ws = wb["科创产业"]
    assert str(ws["A1"].value).startswith("2025年 ")
    assert [c.value for c in ws[HEADER_ROW]] == [
        "指标 Indicator", "名称 Name", "单位 Unit", "长三角", "中心区", "上海市", "江苏省", "浙江省", "安徽省",
    ]  # fmt: skip
    assert [ws.cell(r, 1).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)] == list(
        CAT.indicators
    )
    assert ws.cell(FIRST_DATA_ROW, 3).value == "%"
    rules = {
        str(dv.sqref): (dv.type, dv.formula1, dv.formula2)
        for dv in ws.data_validations.dataValidation
    }
    assert rules[f"D{FIRST_DATA_ROW}:I{FIRST_DATA_ROW}"] == ("decimal", "0", "20")
    assert rules[f"D{FIRST_DATA_ROW + 2}:I{FIRST_DATA_ROW + 2}"] == ("decimal", "0", "1e+06")
    text = " ".join(
        str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    )
    assert "2025" in text and "Instructions" in text and "说明" in text


def test_empty_template_imports_as_no_data(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, CAT, REG, year=2025)
    up = read_upload(path.read_bytes(), "t.xlsx", CAT, REG)
    assert [i.code for i in up.issues] == ["file-empty"]


def test_round_trip(tmp_path: Path, sqlite_url: str) -> None:
    path = tmp_path / "filled.xlsx"
    write_template(path, CAT, REG, year=2024)
    filled = {
        ("rd_intensity", "上海市"): 4.35,
        ("rd_intensity", "长三角"): 3.3,
        ("gdp", "安徽省"): 50625.0,
        ("pct_applications", "中心区"): 21000,
    }
    _fill(path, filled)
    store = Store(sqlite_url)
    result = import_files(store, CAT, REG, [path])
    assert result.report.ok, result.report.to_json()
    ids = {"上海市": "shanghai", "长三角": "yrd", "安徽省": "anhui", "中心区": "central_zone"}
    expected = sorted((i, ids[r], 2024, float(v)) for (i, r), v in filled.items())
    obs = store.observations()
    got = sorted((o.indicator, o.region, int(o.year), float(o.value)) for o in obs.itertuples())
    assert got == expected
    imp = store.get_import(result.report.files[0].import_id or 0)
    assert imp.layout == "regions-as-columns" and imp.sheets == "科创产业"
    store.dispose()


def test_round_trip_with_the_real_catalogue(
    tmp_path: Path, db_url: str, catalogue: Any, regions: Any
) -> None:
    path = tmp_path / "filled.xlsx"
    write_template(path, catalogue, regions, year=2025)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == INSTRUCTIONS_SHEET and len(wb.sheetnames) >= 3
    names = {rid: regions.resolve(rid).name.zh for rid in ("yrd", "shanghai", "anhui")}
    filled: dict[tuple[str, str], float] = {}
    for k, ind in enumerate(catalogue.indicators.values()):
        lo, hi = ind.valid_range or (0.0, 100.0)
        filled[(ind.id, names[("yrd", "shanghai", "anhui")[k % 3]])] = round(lo + (hi - lo) / 3, 2)
    _fill(path, filled)
    store = Store(db_url)
    result = import_files(store, catalogue, regions, [path])
    assert result.report.ok, result.report.to_json()
    by_name = {v: k for k, v in names.items()}
    expected = sorted((i, by_name[r], 2025, v) for (i, r), v in filled.items())
    got = sorted(
        (o.indicator, o.region, int(o.year), float(o.value))
        for o in store.observations().itertuples()
    )
    assert got == expected
    store.dispose()
