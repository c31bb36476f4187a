"""dashboard/downloads.py: every figure of every page has its downloads, and the CSV they give
is a real file with the chart's values rounded as shown, their sources and notes."""

from __future__ import annotations

import base64
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from dash import dcc
from dash.development.base_component import Component

from dashboard import downloads, ids
from dashboard.app import create_app
from tests.fixtures import OFFICIAL_ADDRESS as ADDRESS
from tests.fixtures import add_official_value, build_fixture_db
from tests.test_dashboard_callbacks import walk

# the state each page is rendered in: every view of the indicator page, the path ids
PAGE_STATES: dict[str, list[dict[str, Any]]] = {
    "/indicator/<indicator_id>": [
        {"indicator_id": "rd_intensity", "view": view, "region": "anhui,yrd"}
        for view in ("chart", "table", "map")
    ],
    "/region/<region_id>": [{"region_id": "anhui"}],
    "/map": [{"indicator": "rd_intensity"}],
}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dash.Dash:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    # the fixture database plus Anhui's 2024 R&D intensity 2.7456 from an official release
    tr = add_official_value(build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}"))
    return create_app(tr)


def rendered_pages(app: dash.Dash, lang: str) -> Iterator[tuple[str, Any]]:
    """Every registered page's layout, in each state of PAGE_STATES (else its default)."""
    for page in dash.page_registry.values():
        where = page.get("path_template") or page["path"]
        for state in PAGE_STATES.get(where, [{}]):
            with app.server.test_request_context(page["path"]):
                yield f"{where} {state}", page["layout"](lang=lang, **state)


def graphs_and_downloads(layout: Any) -> tuple[list[Any], dict[str, Any]]:
    """The dcc.Graphs of a layout, and its download groups by the graph they belong to."""
    nodes = [c for c in walk(layout) if isinstance(c, Component)]
    graphs = [c for c in nodes if isinstance(c, dcc.Graph)]
    groups = {
        c.id["chart"]: c
        for c in nodes
        if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == ids.CHART_DOWNLOADS
    }
    return graphs, groups


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_of_every_page_has_csv_png_and_svg_downloads(
    app: dash.Dash, lang: str
) -> None:
    seen = set()
    for where, layout in rendered_pages(app, lang):
        graphs, groups = graphs_and_downloads(layout)
        for graph in graphs:
            seen.add(graph.id)
            assert graph.id in groups, (where, graph.id)
            parts = {
                c.id["type"]: c
                for c in walk(groups[graph.id])
                if isinstance(getattr(c, "id", None), dict)
            }
            for kind in (ids.CHART_CSV_BUTTON, ids.CHART_PNG, ids.CHART_SVG, ids.CHART_CSV):
                assert parts[kind].id == downloads.chart_id(kind, graph.id), (where, kind)
            meta = parts[ids.CHART_EXPORT].data
            assert meta["graph"] == graph.id and meta["lang"] == lang
            assert meta["title"] and meta["source"] and meta["filename"], (where, meta)
            words = "来源：" if lang == "zh" else "Source: "
            assert meta["source"].startswith(words), meta["source"]
        # no download group without its figure
        assert set(groups) <= {g.id for g in graphs}, where
    assert seen == {
        ids.INDICATOR_SERIES, ids.INDICATOR_GAPS, ids.INDICATOR_MAP_CITIES,
        ids.INDICATOR_MAP_PROVINCES, ids.REGION_BULLET, ids.MAP_CITIES, ids.MAP_PROVINCES,
        ids.ASSESSMENT_CV_GRAPH,
    }  # fmt: skip


def _metas(app: dash.Dash, lang: str) -> dict[str, dict[str, Any]]:
    found = {}
    for _, layout in rendered_pages(app, lang):
        for c in walk(layout):
            if isinstance(getattr(c, "id", None), dict) and c.id["type"] == ids.CHART_EXPORT:
                found[c.id["chart"]] = c.data
    return found


def _download(app: dash.Dash, meta: dict[str, Any], folder: Path) -> Path:
    """The file the CSV button gives, written as the browser saves it."""
    with app.server.test_request_context("/"):
        out = downloads.download_csv(1, meta)
    path = folder / out["filename"]
    path.write_bytes(base64.b64decode(out["content"]))
    return path


def _read(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_every_charts_csv_has_a_bom_rounded_values_sources_and_notes(
    app: dash.Dash, tmp_path: Path
) -> None:
    metas = _metas(app, "en")
    files = {graph: _download(app, meta, tmp_path) for graph, meta in metas.items()}
    assert files[ids.REGION_BULLET].name == "anhui-2025-goals.csv"
    for graph, path in files.items():
        rows = _read(path)
        assert rows, graph
        assert {"source_kind", "note"} <= set(rows[0]), graph
    # the series: Anhui's 2024 value as shown (2 decimals), with its address and import
    series = {(r["region"], r["year"]): r for r in _read(files[ids.INDICATOR_SERIES])}
    anhui = series[("anhui", "2024")]
    assert anhui["value"] == "2.75" and anhui["source_kind"] == "official"
    assert anhui["source_address"] == ADDRESS and anhui["import_id"] == "2"
    # the gaps, the map and the region's goals: the same value, its goal and gap, rounded
    for graph in (ids.INDICATOR_GAPS, ids.INDICATOR_MAP_PROVINCES, ids.MAP_PROVINCES):
        rows = {(r["indicator"], r["region"]): r for r in _read(files[graph])}
        row = rows[("rd_intensity", "anhui")]
        assert (row["value"], row["target"], row["gap"]) == ("2.75", "3.00", "0.25"), graph
        assert row["source_address"] == ADDRESS and row["note"].startswith("[test figure]")
    goals = {r["indicator"]: r for r in _read(files[ids.REGION_BULLET])}
    assert set(r["region"] for r in goals.values()) == {"anhui"}
    assert goals["rd_intensity"]["value"] == "2.75"
    assert goals["pm25_concentration"]["value"] == "36"  # no decimals for this indicator
    # the cities' map: all 41 tiles' rows that have a goal row, none of a province
    cities = _read(files[ids.MAP_CITIES])
    assert "anhui" not in {r["region"] for r in cities}
    # convergence: cv in three decimals, the mean in the indicator's two
    spread = _read(files[ids.ASSESSMENT_CV_GRAPH])
    assert all(len(r["cv"].split(".")[1]) == 3 for r in spread)
    assert all(
        len(r["mean"].split(".")[1]) == 2 for r in spread if r["indicator"] == "rd_intensity"
    )


def test_a_forged_spec_gives_no_file(app: dash.Dash) -> None:
    from targets.chart_data import ChartSpecError

    meta = {"spec": {"kind": "series", "indicator": "../../etc/passwd"}, "lang": "en"}
    with app.server.test_request_context("/"), pytest.raises(ChartSpecError):
        downloads.download_csv(1, meta)
    with app.server.test_request_context("/"):
        assert downloads.download_csv(1, {"lang": "en"}) is dash.no_update
        assert downloads.download_csv(None, meta) is dash.no_update
