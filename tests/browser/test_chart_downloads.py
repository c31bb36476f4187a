"""A chart's downloads in Chromium (dashboard/downloads.py), on charts other than the series:
the PNG, SVG and CSV files the buttons save, opened from the download folder."""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any

import pytest
from dash.testing.wait import until

from dashboard import ids
from tests.browser.conftest import chart_part, click
from tests.fixtures import OFFICIAL_ADDRESS as ADDRESS

pytestmark = pytest.mark.browser


def _saved(folder: Path, name: str) -> Path:
    """The file once Chromium has finished writing it."""
    path = folder / name
    until(lambda: path.exists() and not list(folder.glob("*.crdownload")), timeout=20)
    return path


def _download(dash_duo: Any, folder: Path, kind: str, graph: str, name: str) -> Path:
    click(dash_duo.driver, dash_duo.find_element(chart_part(kind, graph)))
    return _saved(folder, name)


def test_region_and_map_charts_download_png_svg_and_csv(
    dash_duo: Any, sourced_app: Any, axe: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    dash_duo.start_server(sourced_app)
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    driver.get(dash_duo.server_url + "/region/anhui?milestone=2025&lang=zh")
    dash_duo.wait_for_element(f"#{ids.REGION_BULLET} .js-plotly-plot .main-svg", timeout=15)
    group = dash_duo.find_element(chart_part(ids.CHART_DOWNLOADS, ids.REGION_BULLET))
    assert group.get_attribute("role") == "group"
    assert group.get_attribute("aria-label") == "下载：安徽 · 各指标相对目标"
    assert [b.text for b in group.find_elements("css selector", "button")] == [
        "下载数据（CSV）", "下载图片（PNG）", "下载图片（SVG）",
    ]  # fmt: skip

    png = _download(dash_duo, folder, ids.CHART_PNG, ids.REGION_BULLET, "anhui-2025-goals.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dash_duo.wait_for_text_to_equal(
        chart_part(ids.CHART_EXPORT_STATUS, ids.REGION_BULLET), "已生成 PNG 文件", timeout=10
    )
    svg = _download(dash_duo, folder, ids.CHART_SVG, ids.REGION_BULLET, "anhui-2025-goals.svg")
    text = html.unescape(svg.read_text(encoding="utf-8"))
    assert text.lstrip().startswith("<svg")
    assert "安徽 · 各指标相对目标" in text  # the title
    assert "每行对照该指标的2025年规划目标" in text  # the goal
    # the source line: the values' sources counted, the plans, the tool
    assert "来源：官方发布 1 个值" in text and "长三角一体化目标跟踪" in text
    assert "《长江三角洲区域一体化发展规划纲要》" in text
    assert "研发投入强度" in text  # the chart itself is in the picture

    data = _download(dash_duo, folder, ids.CHART_CSV_BUTTON, ids.REGION_BULLET,
                     "anhui-2025-goals.csv")  # fmt: skip
    assert data.read_bytes().startswith(b"\xef\xbb\xbf")
    with data.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["indicator"]: r for r in csv.DictReader(f)}
    rd = rows["rd_intensity"]
    assert (rd["region_name"], rd["year"], rd["value"], rd["target"]) == (
        "安徽",
        "2024",
        "2.75",
        "3.00",
    )
    assert rd["source_kind"] == "official" and rd["source_address"] == ADDRESS
    assert rd["note"].startswith("[test figure] official release")
    assert axe(driver) == []

    # the map page's province tiles: the same component, its own file
    driver.get(dash_duo.server_url + "/map?indicator=rd_intensity&milestone=2025&lang=en")
    dash_duo.wait_for_element(f"#{ids.MAP_PROVINCES} .js-plotly-plot .main-svg", timeout=15)
    svg = _download(dash_duo, folder, ids.CHART_SVG, ids.MAP_PROVINCES,
                    "rd_intensity-2025-provinces.svg")  # fmt: skip
    text = html.unescape(svg.read_text(encoding="utf-8"))
    assert "R&D intensity · Provinces" in text
    assert "2025 goal: > 3.00%" in text and "Source: 1 values from official releases" in text
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
