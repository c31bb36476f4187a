"""Hostile text in the data or the catalogue: neutralised in Excel and CSV, escaped in HTML.

A catalogue copy names six goals with each dangerous prefix (= + - @ tab CR) and six imports
carry such notes and file names; every such text cell read back from the files starts with "'".
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from targets.formula_injection import DANGEROUS_PREFIXES
from targets.reports import render_report
from targets.tracker import Tracker
from tests.conftest import ROOT
from tests.fixtures import fixture_rows

PAYLOAD = "cmd|' /C calc'!A0"
# numbered: names are matched ignoring whitespace, so "\t…" and "\r…" alone would collide
HOSTILE = [f"{p}{PAYLOAD} {k}" for k, p in enumerate(DANGEROUS_PREFIXES)]
# the fixture's goal indicators, one per prefix
RENAMED = ["rd_intensity", "urbanization_rate", "pm25_concentration", "pct_applications",
           "life_expectancy", "urban_rural_income_ratio"]  # fmt: skip


@pytest.fixture
def tracker(sqlite_url: str, tmp_path: Path) -> Tracker:
    data = yaml.safe_load((ROOT / "indicators.yaml").read_text(encoding="utf-8"))
    by_id = {ind["id"]: ind for ind in data["indicators"]}
    for ind_id, name in zip(RENAMED, HOSTILE, strict=True):
        by_id[ind_id]["name"] = {"zh": name, "en": name}
    by_id["schooling_years"]["name"] = {"zh": "<script>alert(1)</script>", "en": "<b>x</b>"}
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tr = Tracker(db_url=sqlite_url, catalogue_path=path)
    rows = fixture_rows()
    # one import per prefix, each bringing values of its own so that each is a vintage in force
    for k, (prefix, part) in enumerate(zip(DANGEROUS_PREFIXES, _split(rows, 6), strict=True)):
        tr.store.write_import(
            part, file_name=f"{prefix}file{k}.csv", sha256=f"{k:064d}", layout="long",
            user=f"{prefix}user", note=prefix + PAYLOAD,
        )  # fmt: skip
    return tr


def _split(rows: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    return [rows.iloc[i::n] for i in range(n)]


def _bad(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def test_xlsx_text_cells_are_neutralised(tracker: Tracker) -> None:
    wb = load_workbook(io.BytesIO(render_report(tracker, "xlsx", milestone=2025)))
    texts = [
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
        if isinstance(c.value, str)
    ]  # fmt: skip
    assert not [t for t in texts if _bad(t)]
    for hostile in HOSTILE:
        # names (gap sheet, category sheets, sources) and import notes (vintages)
        assert texts.count("'" + hostile) >= 2, repr(hostile)
    assert "'" + "=" + "file0.csv" in texts
    # numbers stay numbers: a negative rate is not neutralised
    gaps = wb["差距表"]
    assert any(isinstance(c.value, float) and c.value < 0 for row in gaps.iter_rows() for c in row)


def test_csv_text_cells_are_neutralised(tracker: Tracker) -> None:
    back = pd.read_csv(
        io.BytesIO(render_report(tracker, "csv", milestone=2025)), encoding="utf-8-sig"
    )
    names = set(back["indicator_name"])
    for hostile in HOSTILE:
        assert "'" + hostile in names, repr(hostile)
    for col in back.columns:
        if pd.api.types.is_string_dtype(
            back[col]
        ):  # text columns; "-0.15" in a number column is a number
            assert not [v for v in back[col] if isinstance(v, str) and _bad(v)], col


def test_html_escapes_hostile_names(tracker: Tracker) -> None:
    html = render_report(tracker, "html", milestone=2025).decode()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
