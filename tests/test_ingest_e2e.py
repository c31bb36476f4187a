"""End to end with the real catalogue (indicators.yaml) and region registry (data/regions.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from targets.bundled import BUNDLED_DIR, MAIN_FILE
from targets.ingest import import_files, read_upload
from targets.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402


def test_every_sample_file_imports(
    tmp_path: Path, sqlite_url: str, catalogue: Any, regions: Any
) -> None:
    paths = mf.main(tmp_path)
    store = Store(sqlite_url)
    result = import_files(store, catalogue, regions, paths)
    assert [(f.file, [str(e) for e in f.errors]) for f in result.report.files] == [
        (p.name, []) for p in paths
    ]
    layouts = {i.file_name: i.layout for i in store.imports()}
    assert layouts["yearbook.xlsx"] == "regions-as-columns"
    assert layouts["years_as_columns.xls"] == "years-as-columns"
    assert layouts["indicator_columns.ods"] == "indicator-columns"
    assert layouts["long_utf16.txt"] == "long"
    # the same figures from seven files: the latest import of each key is in force
    obs = store.observations()
    sh = obs[(obs["indicator"] == "rd_intensity") & (obs["region"] == "shanghai")]
    assert dict(zip(sh["year"], sh["value"], strict=True)) == {2021: 4.21, 2022: 4.44, 2023: 4.34}
    store.dispose()


def test_city_yearbook_with_a_name_two_cities_share(catalogue: Any, regions: Any) -> None:
    sheet = [["2023年各市研发投入强度（%）"], ["城市", "数值"],
             ["南京市", 3.6], ["苏州", 4.0], ["台州", 2.9], ["Suzhou", 2.1]]  # fmt: skip
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "cities.xlsx", catalogue, regions)
    assert [(i.code, i.row, i.column) for i in up.issues] == [("unknown-region", 6, "A")]
    assert "suzhou_js" in up.issues[0].suggestion and "suzhou_ah" in up.issues[0].suggestion


def test_bundled_statistics_import_with_their_notes(catalogue: Any, regions: Any) -> None:
    path = BUNDLED_DIR / MAIN_FILE
    up = read_upload(path.read_bytes(), path.name, catalogue, regions)
    assert up.issues == [] and up.layouts == {"": "long"}
    assert len(up.rows) > 100
    assert up.rows["note"].notna().all()


def _rows(up: Any) -> list[tuple[str, str, int, float, Any]]:
    return [
        (r.indicator, r.region, int(r.year), float(r.value), r.note)
        for r in up.rows.itertuples(index=False)
    ]


def test_a_percent_format_is_read_as_the_percent_shown(catalogue: Any, regions: Any) -> None:
    sheet = [["2023年研发投入强度（%）"], ["地区", "数值"], ["上海", 0.0434], ["江苏", 0.0329]]
    data = mf.xlsx_bytes({"S": sheet}, formats={"S": {"B3": "0.00%", "B4": "0.00%"}})
    up = read_upload(data, "pct.xlsx", catalogue, regions)
    assert up.issues == []
    assert _rows(up) == [
        ("rd_intensity", "shanghai", 2023, 4.34, None),
        ("rd_intensity", "jiangsu", 2023, 3.29, None),
    ]


def test_a_unit_in_the_format_must_agree_with_the_header(catalogue: Any, regions: Any) -> None:
    sheet = [["2023年"], ["地区", "PCT国际专利申请量（件）"], ["上海", 0.63], ["江苏", 9000]]
    data = mf.xlsx_bytes({"S": sheet}, formats={"S": {"B3": '0.00"万件"'}})
    up = read_upload(data, "unit.xlsx", catalogue, regions)
    assert [(i.code, i.row, i.column) for i in up.issues] == [("unit-mismatch", 3, "B")]
    assert "万件" in up.issues[0].message


def test_a_formula_never_computed_is_an_error_at_its_cell(catalogue: Any, regions: Any) -> None:
    sheet = [["2023年研发投入强度（%）"], ["地区", "数值"], ["上海", 4.34], ["江苏", "=B3-1"]]
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "f.xlsx", catalogue, regions)
    assert [(i.code, i.row, i.column) for i in up.issues] == [("formula-not-computed", 4, "B")]
    assert "LibreOffice" in up.issues[0].message


def test_marks_leave_the_number_and_their_note_joins_the_value(
    catalogue: Any, regions: Any
) -> None:
    sheet = [
        ["2023年研发投入强度（%）"],
        ["地区", "数值", "备注"],
        ["上海", "4.34①", "统计公报，第3页…"],
        ["江苏", "3.29*", None],
        ["浙江", "3.2(p)", None],
        ["注：①为初步核算数。"],
    ]
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "marks.xlsx", catalogue, regions)
    assert up.issues == []
    assert _rows(up) == [
        # the note as written (NFKC would make ，… into ,...), then the note row that explains ①
        ("rd_intensity", "shanghai", 2023, 4.34, "统计公报，第3页…; ① 注：①为初步核算数。"),
        ("rd_intensity", "jiangsu", 2023, 3.29, "* 见表注 / see the sheet's notes"),
        ("rd_intensity", "zhejiang", 2023, 3.2, "(p) 初步数 / preliminary"),
    ]
    # (p), and ① whose note row says 初步, make the value preliminary; * says nothing of it
    assert up.rows["flag"].tolist() == ["prelim", "", "prelim"]


def test_a_flag_column_flags_each_value_and_an_estimate_is_refused_at_its_cell(
    catalogue: Any, regions: Any, tmp_path: Path
) -> None:
    sheet = [
        ["2024年研发投入强度（%）"],
        ["地区", "数值", "注记"],
        ["上海", 4.4, "左右"],
        ["江苏", "3.36r", None],
        ["浙江", "3.2(p)", "初步"],
        ["安徽", 2.76, "口径不同"],
    ]
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "flags.xlsx", catalogue, regions)
    assert up.issues == []
    assert up.rows["flag"].tolist() == ["approx", "", "prelim", "different-scope"]
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    import_files(store, catalogue, regions, [_saved(tmp_path, "flags.xlsx", sheet)])
    stored = store.observations().set_index("region")["flag"]
    assert (stored["shanghai"], stored["zhejiang"], stored["anhui"]) == (
        "approx", "prelim", "different-scope",
    )  # fmt: skip
    assert pd.isna(stored["jiangsu"])

    refused = [*sheet[:3], ["江苏", 3.3, "预计"], ["浙江", 3.2, "maybe"]]
    up = read_upload(mf.xlsx_bytes({"S": refused}), "estimate.xlsx", catalogue, regions)
    assert up.rows.empty
    assert [(i.code, i.row, i.column) for i in up.issues] == [
        ("estimate-value", 4, "B"),
        ("unknown-flag", 5, "B"),
    ]
    assert "never stored as the year's value" in up.issues[0].message
    zh = read_upload(mf.xlsx_bytes({"S": refused}), "e.xlsx", catalogue, regions, lang="zh")
    assert "预计数" in zh.issues[0].message


def test_words_on_the_number_store_it_flagged_approx_and_estimates_or_ranges_are_refused(
    catalogue: Any, regions: Any, tmp_path: Path
) -> None:
    """4.4左右 in the value cell is stored as 4.4 flagged approx, as a flag cell saying 左右 is;
    its verdict is then provisional. 预计, ranges and two words are refused at their cells."""
    sheet = [
        ["2024年研发投入强度（%）"],
        ["地区", "数值", "注记"],
        ["上海", "4.4左右", None],
        ["江苏", "约3.36", None],
        ["浙江", "3.2 左右", "左右"],
        ["安徽", "超过2.7", None],
        ["长三角", "3.1%以上", None],
    ]
    path = _saved(tmp_path, "words.xlsx", sheet)
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    result = import_files(store, catalogue, regions, [path])
    assert [f.errors for f in result.report.files] == [[]]
    stored = store.observations().set_index("region")
    assert {r: (stored.at[r, "value"], stored.at[r, "flag"]) for r in stored.index} == {
        "shanghai": (4.4, "approx"), "jiangsu": (3.36, "approx"), "zhejiang": (3.2, "approx"),
        "anhui": (2.7, "approx"), "yrd": (3.1, "approx"),
    }  # fmt: skip
    from targets.progress import compute_gaps

    gaps = compute_gaps(catalogue, regions, store.observations(), milestone=2025)
    sh = gaps[(gaps["indicator"] == "rd_intensity") & (gaps["region"] == "shanghai")].iloc[0]
    assert (bool(sh["provisional"]), sh["provisional_flag"]) == (True, "approx")
    store.dispose()

    refused = [
        *sheet[:2],
        ["上海", "预计4.4", None],
        ["江苏", "3.3-3.4", None],
        ["浙江", "3.2左右或更高", None],
        ["安徽", "约2.7左右", None],
        ["长三角", "3.1左右", "初步"],
        ["上海", "4.4以下", None],
    ]
    up = read_upload(mf.xlsx_bytes({"S": refused}), "refused.xlsx", catalogue, regions)
    assert up.rows.empty
    assert [(i.code, i.row, i.column) for i in up.issues] == [
        ("estimate-value", 3, "B"), ("bad-value", 4, "B"), ("bad-value", 5, "B"),
        ("bad-value", 6, "B"), ("bad-value", 8, "B"), ("flag-conflict", 7, "B"),
    ]  # fmt: skip
    messages = [i.message for i in up.issues]
    assert "'预计4.4' is marked '预计', an estimate" in messages[0]
    assert "'3.3-3.4' is a range, not one value" in messages[1]
    assert "'3.2左右或更高' is not one value" in messages[2]
    assert "its flag is '初步'" in messages[5]


def _saved(folder: Path, name: str, sheet: list[list[Any]]) -> Path:
    path = folder / name
    path.write_bytes(mf.xlsx_bytes({"S": sheet}))
    return path


def test_a_total_row_is_the_region_and_is_checked_against_its_members(
    catalogue: Any, regions: Any
) -> None:
    sheet = [["2023年地区生产总值（亿元）"], ["地区", "数值"], ["上海", 47218.66],
             ["江苏", 128222.2], ["浙江", 82553], ["安徽", 47050.6], ["合计", 305000]]  # fmt: skip
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "t.xlsx", catalogue, regions)
    assert up.issues == []
    assert ("gdp", "yrd", 2023, 305000.0, None) in _rows(up)
    assert any("S!B7" in w.en and "305,044.46" in w.en for w in up.warnings)


def test_a_total_of_some_members_is_refused(catalogue: Any, regions: Any) -> None:
    sheet = [["2023年地区生产总值（亿元）"], ["地区", "数值"], ["上海", 47218.66],
             ["江苏", 128222.2], ["合计", 175440.86]]  # fmt: skip
    up = read_upload(mf.xlsx_bytes({"S": sheet}), "t.xlsx", catalogue, regions)
    assert [(i.code, i.row, i.column) for i in up.issues] == [("unknown-region", 5, "A")]
    assert "total" in up.issues[0].message
