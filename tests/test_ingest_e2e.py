"""End to end with the real catalogue (indicators.yaml) and region registry (data/regions.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
