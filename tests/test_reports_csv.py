"""The CSV report parses back (UTF-8 with BOM) to the gap table, with names in the chosen language."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from targets.progress import GAP_COLUMNS
from targets.reports import render_report, write_report
from targets.reports.csvfile import RATE_COLUMNS, RATE_DECIMALS, UNIT_COLUMNS, csv_columns
from targets.tracker import Tracker
from tests.fixtures import build_fixture_db


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


def test_csv_parses_back_to_the_gap_table(tracker: Tracker, tmp_path: Path) -> None:
    path = write_report(tracker, tmp_path / "gaps.csv", milestone=2025)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in raw
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == csv_columns()
    gaps = tracker.gaps(milestone=2025)
    assert len(back) == len(gaps)
    decimals = back["indicator"].map({ind.id: ind.decimals for ind in tracker.catalogue})
    for col in GAP_COLUMNS:
        expected, got = gaps[col], back[col]
        if pd.api.types.is_numeric_dtype(expected):
            # rounded as the README says: the unit's columns to the indicator's decimals
            places = (
                decimals if col in UNIT_COLUMNS else RATE_DECIMALS if col in RATE_COLUMNS else 9
            )
            exact = [
                round(v, int(d)) if pd.notna(v) else v
                for v, d in zip(
                    expected.astype("float64"), pd.Series(places, index=back.index), strict=True
                )
            ]
            pd.testing.assert_series_equal(
                got.astype("float64"),
                pd.Series(exact, dtype="float64"),
                check_names=False,
                rtol=0,
                atol=0,
            )
        else:
            assert (
                got.fillna("").astype(str).tolist() == expected.fillna("").astype(str).tolist()
            ), col


def test_one_row_per_indicator_and_region_with_names(tracker: Tracker) -> None:
    back = pd.read_csv(
        io.BytesIO(render_report(tracker, "csv", milestone=2025)), encoding="utf-8-sig"
    )
    assert not back.duplicated(["indicator", "region"]).any()
    row = back.set_index(["indicator", "region"]).loc[("rd_intensity", "anhui")]
    assert (row["indicator_name"], row["region_name"], row["unit"]) == ("研发投入强度", "安徽", "%")
    assert row["status"] == "moderate" and row["status_label"] == "进展一般"
    assert row["value"] == 2.69 and row["year"] == 2023


def test_english_names(tracker: Tracker) -> None:
    data = render_report(tracker, "csv", lang="en", milestone=2025, regions=["anhui"])
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert set(back["region_name"]) == {"Anhui"}
    assert set(back["region"]) == {"anhui"}
    assert "Moderate progress" in set(back["status_label"])


def test_floats_are_rounded_to_the_indicators_decimals(tracker: Tracker) -> None:
    """No 0.7142857142857143: each number has at most the digits its column is rounded to."""
    text = render_report(tracker, "csv", milestone=2025).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    decimals = back["indicator"].map({ind.id: ind.decimals for ind in tracker.catalogue})
    checked = 0
    for col in (*UNIT_COLUMNS, *RATE_COLUMNS):
        for cell, d in zip(back[col], decimals, strict=True):
            if "." not in cell:
                continue
            allowed = int(d) if col in UNIT_COLUMNS else RATE_DECIMALS
            assert len(cell.split(".")[1]) <= allowed, (col, cell)
            checked += 1
    assert checked > 50
    assert "0.7142857142857143" not in text
