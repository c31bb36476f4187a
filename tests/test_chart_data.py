"""The CSV behind an indicator chart, written and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from targets import statuses
from targets.chart_data import (
    CHART_CSV_COLUMNS,
    GAP_BARS,
    GAP_CSV_COLUMNS,
    SPREAD_CSV_COLUMNS,
    ChartSpecError,
    chart_csv,
    gap_bar_regions,
    gap_chart_frame,
    source_counts,
    spec_frame,
    spread_chart_frame,
)
from targets.tracker import Tracker
from tests.fixtures import OFFICIAL_ADDRESS as ADDRESS
from tests.fixtures import add_official_value, build_fixture_db


def test_chart_csv_has_a_bom_rounded_values_sources_and_notes(tmp_path: Path) -> None:
    from targets.bundled import ensure_bundled

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    data = chart_csv(tr, "rd_intensity", ["zhejiang", "anhui"], "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(CHART_CSV_COLUMNS)
    assert list(dict.fromkeys(back["region"])) == ["zhejiang", "anhui"]
    assert set(back["region_name"]) == {"浙江", "安徽"}
    # two decimals, as the indicator shows them
    assert all(len(v.split(".")[1]) == 2 for v in back["value"] if v)
    obs = tr.observations(indicators=["rd_intensity"], regions=["anhui"])
    last = obs.sort_values("year").iloc[-1]
    row = back[(back["region"] == "anhui") & (back["year"] == str(int(last["year"])))].iloc[0]
    assert row["value"] == f"{float(last['value']):.2f}"
    assert row["note"] == last["note"]
    assert row["source_kind"] in ("official", "repost") and row["source_address"].startswith("http")
    assert row["source_address"] in row["note"]


def _with_an_official_value(tmp_path: Path) -> Tracker:
    """The fixture database plus one sourced value (tests.fixtures.add_official_value)."""
    return add_official_value(build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}"))


def test_gap_chart_rows_are_rounded_with_the_goal_and_the_values_source(tmp_path: Path) -> None:
    tr = _with_an_official_value(tmp_path)
    frame = gap_chart_frame(tr, 2025, "en", indicators=["rd_intensity"], regions=["anhui", "yrd"])
    assert list(frame.columns) == list(GAP_CSV_COLUMNS)
    assert frame["region"].tolist() == ["anhui", "yrd"]  # in the order asked
    anhui = frame.iloc[0]
    assert (anhui["year"], anhui["value"], anhui["target"], anhui["gap"]) == (
        2024, "2.75", "3.00", "0.25",
    )  # fmt: skip
    assert anhui["comparator"] == ">" and anhui["unit"] == "% of GDP"
    assert anhui["source_kind"] == "official" and anhui["source_address"] == ADDRESS
    assert anhui["import_id"] == 2 and anhui["note"].startswith("[test figure] official release")
    assert anhui["status"] == statuses.label(
        str(tr.gaps(milestone=2025, indicators=["rd_intensity"], regions=["anhui"])["status"][0]),
        "en",
    )
    # a region's every goal: each rounded to its own indicator's decimals
    mixed = gap_chart_frame(tr, 2025, "zh", regions=["anhui"])
    pm = mixed[mixed["indicator"] == "pm25_concentration"].iloc[0]
    assert pm["value"] == "36" and pm["target"] == "35" and pm["region_name"] == "安徽"


def test_spread_rows_mean_in_the_indicators_decimals_and_cv_in_three(tmp_path: Path) -> None:
    from tests.fixtures import build_fixture_db

    tr = build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")
    frame = spread_chart_frame(tr, "rd_intensity", "zh")
    assert list(frame.columns) == list(SPREAD_CSV_COLUMNS)
    first = frame.iloc[0]
    spread = tr.spread("rd_intensity", "province").iloc[0]
    assert first["year"] == int(spread["year"]) == 2018
    assert first["mean"] == f"{spread['mean']:.2f}" == "2.90"
    assert first["cv"] == f"{spread['cv']:.3f}" == "0.261"
    assert (first["min_region"], first["max_region"]) == ("安徽", "上海")
    assert first["source_kind"] == "computed" and first["import_id"] == "1"
    assert "4 个省市" in first["note"]


def test_a_spec_names_its_frame_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    from tests.fixtures import build_fixture_db

    tr = build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")
    series = spec_frame(tr, {"kind": "series", "indicator": "rd_intensity",
                             "regions": ["anhui", "atlantis"]}, "en")  # fmt: skip
    assert set(series["region"]) == {"anhui"}
    assert spec_frame(tr, {"kind": "empty"}, "en").empty
    for bad in (
        {"kind": "pie"},
        {"kind": "series", "indicator": "nope", "regions": ["anhui"]},
        {"kind": "spread", "indicator": "nope"},
        # no indicator at all would be every indicator: refused, not guessed
        {"kind": "gaps", "milestone": 2025, "indicators": []},
    ):
        with pytest.raises(ChartSpecError, match="chart-spec"):
            spec_frame(tr, bad, "en")


def test_source_counts_count_official_reposts_and_the_rest() -> None:
    frame = pd.DataFrame({"source_kind": ["official", "repost", "official", "derived", None]})
    assert source_counts(frame) == {"official": 2, "repost": 1, "other": 2}


def test_gap_bars_are_all_regions_while_few_else_the_chosen_else_the_furthest_behind() -> None:
    """A region without a gap is never a bar; past the limit the chosen ones are drawn, or with
    none chosen the largest gaps (ties by id), and the count of regions with a gap is kept."""
    gaps = pd.DataFrame(
        {
            "region": ["a", "b", "c", "d", "e"],
            "gap": [1.0, 5.0, None, 5.0, 0.0],
        }
    )
    assert gap_bar_regions(gaps, limit=4) == (["b", "d", "a", "e"], 4)
    assert gap_bar_regions(gaps, ["a"], limit=4) == (["b", "d", "a", "e"], 4)
    assert gap_bar_regions(gaps, limit=2) == (["b", "d"], 4)
    assert gap_bar_regions(gaps, ["e", "c", "a", "e"], limit=2) == (["e", "a"], 4)
    assert gap_bar_regions(gaps.iloc[0:0]) == ([], 0)
    assert GAP_BARS == 30
