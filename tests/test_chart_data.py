"""The CSV behind an indicator chart, written and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from targets.chart_data import CHART_CSV_COLUMNS, chart_csv
from targets.tracker import Tracker


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
