"""The dashboard without a browser: app factory, page layouts, callbacks and the router over HTTP.

Layouts and callbacks are plain functions of the URL state; they run inside a Flask request
context of an app built on the fixture database (tests/fixtures.py).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import format as fmt
from dashboard import ids
from dashboard.app import create_app
from dashboard.i18n import t
from dashboard.pages import href, int_param, query_string
from dashboard.pages import indicator as indicator_page
from dashboard.pages import map as map_page
from dashboard.pages import method as method_page
from dashboard.pages import overview as overview_page
from dashboard.pages import region as region_page
from dashboard.pages import sources as sources_page
from targets import progress, statuses
from targets.bundled import BUNDLED_NOTE
from tests.conftest import ROOT
from tests.fixtures import add_value, build_fixture_db


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    # dashboard.sessions refuses to start without a session key
    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")


@pytest.fixture
def tracker(tmp_path: Path) -> Any:
    return build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")


@pytest.fixture
def app(tracker: Any) -> dash.Dash:
    return create_app(tracker)


@pytest.fixture
def ctx(app: dash.Dash) -> Iterator[None]:
    with app.server.test_request_context("/"):
        yield


# ---------------------------------------------------------------- component tree helpers


def walk(node: Any) -> Iterator[Any]:
    """Every component and string under `node`, depth first."""
    if node is None:
        return
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
        return
    yield node
    if isinstance(node, Component):
        yield from walk(getattr(node, "children", None))
        # a checklist's options carry components as labels (the overview's status chips)
        for option in getattr(node, "options", None) or []:
            if isinstance(option, dict):
                yield from walk(option.get("label"))


def find(node: Any, component_id: str) -> Any:
    for c in walk(node):
        if isinstance(c, Component) and getattr(c, "id", None) == component_id:
            return c
    raise AssertionError(f"no component with id {component_id!r}")


def text(node: Any) -> str:
    return " ".join(str(c) for c in walk(node) if isinstance(c, str | int | float))


def links(node: Any) -> dict[str, Any]:
    """href -> link component, for dcc.Link and html.A."""
    return {c.href: c for c in walk(node) if isinstance(c, dcc.Link | html.A)}


# ---------------------------------------------------------------- factory and registry


def test_create_app_registers_the_pages_and_can_run_twice(tracker: Any) -> None:
    for _ in range(2):
        app = create_app(tracker)
        paths = {p["path"] for p in dash.page_registry.values()}
        assert {"/", "/map", "/method", "/sources", "/404"} <= paths
        templates = {p["path_template"] for p in dash.page_registry.values()}
        assert {"/indicator/<indicator_id>", "/region/<region_id>"} <= templates
        assert app.server.config["TRACKER"] is tracker
    # the 404 page is found by Dash under this module name
    assert any(m.endswith("not_found_404") for m in dash.page_registry)
    nav = [p["label"]["en"] for p in dash.page_registry.values() if p.get("nav")]
    assert nav[:2] == ["Overview", "Map"] and "Sources" in nav


def test_assets_are_local(app: dash.Dash) -> None:
    """Bootstrap is served from assets/, nothing from a CDN."""
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "/assets/bootstrap.min.css" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    # a file response holds the file open until closed: close it here, not in the GC
    with client.get("/assets/bootstrap.min.css") as css:
        assert css.status_code == 200 and b".btn" in css.get_data()
    assert '<html lang="zh-CN">' in page


# ---------------------------------------------------------------- overview


def test_overview_cell_shows_status_value_gap_year_and_links_to_indicator(
    tracker: Any, ctx: None
) -> None:
    layout = overview_page.layout(lang="zh")
    matrix = find(layout, ids.OVERVIEW_MATRIX)
    row = tracker.gaps(milestone=2025, indicators=["rd_intensity"], regions=["anhui"]).iloc[0]
    link = links(matrix)["/indicator/rd_intensity?region=anhui&milestone=2025&lang=zh"]
    cell_text = text(link)
    assert fmt.status_symbol(row["status"]) in cell_text
    assert "2.69" in cell_text and "2023" in cell_text
    assert fmt.number(row["gap"], 2) in cell_text
    assert fmt.status_label(row["status"], "zh") in link.title
    # headers: a th scope=col per region, a th scope=row per goal, a caption
    heads = [c for c in walk(matrix) if isinstance(c, html.Th)]
    assert [text(h) for h in heads if h.scope == "col"][1:7] == [
        "长三角", "中心区", "上海", "江苏", "浙江", "安徽",
    ]  # fmt: skip
    assert any(isinstance(c, html.Caption) for c in walk(matrix))


def test_a_provisional_cell_says_so_in_words_and_why(tracker: Any, ctx: None) -> None:
    row = {"indicator": "rd_intensity", "region": "shanghai", "status": "achieved", "value": 4.5,
           "gap": 0.0, "year": 2025, "reason": "nan", "provisional": True,
           "provisional_flag": "approx", "provisional_reason": "an approximate figure (2025 value)",
           "provisional_reason_zh": "约数（2025年数值）"}  # fmt: skip
    ind = tracker.catalogue["rd_intensity"]
    cell = overview_page.cell(row, ind, "上海", 2025, "zh")
    assert "初步（约数）" in text(cell)
    link = next(c for c in walk(cell) if isinstance(c, dcc.Link))
    assert link.title.endswith("; 初步（约数）：约数（2025年数值）")
    final = overview_page.cell({**row, "provisional": False}, ind, "上海", 2025, "en")
    assert "provisional" not in text(final)
    # a change goal without its base year says which year is missing
    base = {**row, "status": "no_data", "value": float("nan"), "gap": float("nan"),
            "provisional": False, "reason": "no 2017 value (the base year) for yrd"}  # fmt: skip
    none = overview_page.cell(
        base, ind, "长三角", 2025, "zh", reason_names=tracker.reason_names("zh")
    )
    title = next(c for c in walk(none) if isinstance(c, dcc.Link)).title
    # in targets.reasons' words, once (the status's explanation is the reason)
    assert title.endswith(". 缺少长三角2017年基数") and title.count("2017年基数") == 1


def test_region_page_and_behind_list_say_a_verdict_is_provisional_and_why(
    tracker: Any, ctx: None
) -> None:
    """Anhui's 2024 urbanization 62 is approximate: its row on the region page and its item in
    the overview's behind-schedule list carry the mark and the reason; final rows carry none."""
    add_value(
        tracker, "urbanization_rate", "anhui", 2024, 62.0, sha="9", flag="approx",
        note="test fixture (not published statistics)",
    )  # fmt: skip
    words = "初步（约数）：约数（左右/超过/突破），实际值经取整或只给出界限（2024年数值）"
    table = find(region_page.layout(region_id="anhui", lang="zh"), ids.REGION_GOALS)
    cells = {
        text(tr.children[0]): tr.children[1]
        for tr in walk(table)
        if isinstance(tr, html.Tr) and isinstance(tr.children[0], html.Th)
        and tr.children[0].scope == "row"
    }  # fmt: skip
    urban = cells["常住人口城镇化率"]
    assert text(urban).endswith(words) and urban.title.endswith("; " + words)
    assert "初步" not in text(cells["研发投入强度"])
    behind = find(overview_page.layout(lang="zh", milestone="2025"), ids.OVERVIEW_BEHIND)
    items = {text(li).split("落后")[0]: li for li in walk(behind) if isinstance(li, html.Li)}
    item = next(li for k, li in items.items() if k.startswith("安徽 · 常住人口城镇化率"))
    assert text(item).endswith(words)
    assert not any("初步" in text(li) for k, li in items.items() if "研发投入强度" in k)


def test_an_overview_cell_says_why_its_latest_value_changed_its_status(
    tracker: Any, ctx: None
) -> None:
    """Issue 14: importing Anhui's 2024 R&D intensity (2.78, above 2023's 2.69) moved its cell
    with no word why; the hover now says what it was and why it moved."""
    rows = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "anhui", "year": 2024, "value": 2.78,
          "unit": None, "note": "test fixture (not published statistics)"}]
    )  # fmt: skip
    tracker.store.write_import(rows, file_name="a.csv", sha256="6" * 64, layout="long",
                               user="tests", note="test fixture")  # fmt: skip
    matrix = find(overview_page.layout(lang="en", milestone="2025"), ids.OVERVIEW_MATRIX)
    links = [c for c in walk(matrix) if isinstance(c, dcc.Link) and getattr(c, "title", None)]
    anhui = next(c for c in links if c.title.startswith("Anhui · R&D intensity"))
    assert anhui.title.endswith(
        "; with its 2024 value: moderate progress → some way short (the latest value is now "
        "2.78 (2024), was 2.69 (2023); the data now reach a year before the 2025 goal year or "
        "later: judged by distance instead of pace)"
    )
    # Shanghai's R&D intensity kept its status with its latest value: nothing about a change
    shanghai = next(c for c in links if c.title.startswith("Shanghai · R&D intensity"))
    assert "with its" not in shanghai.title


def test_overview_counts_add_up_to_the_cells(tracker: Any, ctx: None) -> None:
    layout = overview_page.layout(lang="en")
    gaps = tracker.gaps(milestone=2025)
    shown = gaps[
        gaps["region"].isin(["yrd", "central_zone", "shanghai", "jiangsu", "zhejiang", "anhui"])
    ]
    counts = shown["status"].value_counts()
    for status, n in counts.items():
        item = find(layout, f"count-{status}")
        assert text(item) == f"{fmt.status_symbol(status)} {fmt.status_label(status, 'en')} {n}"
    # a status with no cell has no chip; every cell is counted under its own status
    for status in set(statuses.IDS) - set(counts.index):
        with pytest.raises(AssertionError, match="no component"):
            find(layout, f"count-{status}")
    assert int(counts.sum()) == len(shown)
    assert counts["achieved"] >= 3  # rd_intensity in Shanghai, Jiangsu, Zhejiang


def test_overview_behind_schedule_list_is_sorted_and_skips_achieved(
    tracker: Any, ctx: None
) -> None:
    behind = find(overview_page.layout(lang="en"), ids.OVERVIEW_BEHIND)
    items = [c for c in walk(behind) if isinstance(c, html.Li)]
    gaps = tracker.gaps(milestone=2025)
    lagging = gaps[(gaps["schedule_years"] < 0) & (gaps["status"] != "achieved")]
    assert len(items) == len(lagging) > 0
    years = [float(text(i).split(" years behind")[0].split()[-1]) for i in items]
    assert years == sorted(years, reverse=True)
    assert "Achieved" not in text(behind)


def test_overview_2035_shows_goals_in_words(ctx: None) -> None:
    layout = overview_page.layout(milestone="2035", lang="zh")
    assert "城乡区域差距明显缩小" in text(layout)
    with pytest.raises(AssertionError):
        find(layout, ids.OVERVIEW_MATRIX)


def test_overview_callback_writes_the_state_into_the_url(ctx: None) -> None:
    body, search, *_ = overview_page.update(2026, True, None, "?lang=en")
    assert search == "?milestone=2026&cities=1&lang=en"
    assert "Key tasks completed" in text(body)
    _, search, options, province, hidden = overview_page.update(
        "not-a-year", False, None, "?lang=zh"
    )
    assert search == "?milestone=2025&lang=zh"
    assert (options, province, hidden) == ([], None, True)  # no province select without cities


def test_bundled_banner_only_for_bundled_data(tracker: Any, ctx: None) -> None:
    assert find(overview_page.layout(), ids.BUNDLED_BANNER).hidden is True
    rows = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "anhui", "year": 2024, "value": 2.8,
          "unit": "%", "note": "http://example.org «2.8»"}]
    )  # fmt: skip
    tracker.store.write_import(
        rows, file_name="public_statistics.csv", sha256="1" * 64, layout="long", user="system",
        note=BUNDLED_NOTE,
    )  # fmt: skip
    banner = find(overview_page.layout(lang="en"), ids.BUNDLED_BANNER)
    assert t("bundled_banner", "en") in text(banner)
    assert "/sources?lang=en" in links(banner)


# ---------------------------------------------------------------- indicator


def test_indicator_layout_title_series_and_goal_quotes(tracker: Any, ctx: None) -> None:
    layout = indicator_page.layout(indicator_id="rd_intensity", region="anhui", lang="en")
    assert text(find(layout, ids.INDICATOR_TITLE)) == "R&D intensity"
    fig = go.Figure(find(layout, ids.INDICATOR_SERIES).figure)
    observed = [tr for tr in fig.data if tr.meta["kind"] == "observed"]
    assert [tr.name for tr in observed] == ["Anhui"]
    assert list(observed[0].y) == pytest.approx([2.16, 2.28, 2.56, 2.69])
    (goal,) = [tr for tr in fig.data if tr.meta["kind"] == "goal"]
    assert goal.y[0] == 3.0
    goals = text(find(layout, ids.INDICATOR_GOALS))
    quote = tracker.catalogue["rd_intensity"].milestone(2025).sources[0].quote
    assert quote in goals
    grid = find(layout, ids.INDICATOR_TABLE)
    assert {r["region"] for r in grid.rowData} == {"Anhui"}
    assert {r["year"] for r in grid.rowData} == {2018, 2020, 2022, 2023}


def test_indicator_layout_defaults_to_the_provinces_and_zones(ctx: None) -> None:
    layout = indicator_page.layout(indicator_id="rd_intensity")
    assert find(layout, ids.INDICATOR_REGIONS).value == [
        "yrd", "shanghai", "jiangsu", "zhejiang", "anhui",
    ]  # fmt: skip


def test_the_central_zone_is_selectable_where_the_goal_is_its_own(ctx: None) -> None:
    layout = indicator_page.layout(indicator_id="urban_rural_income_ratio", lang="en")
    options = [o["value"] for o in find(layout, ids.INDICATOR_REGIONS).options]
    assert "central_zone" in options


def test_indicator_unknown_id_says_so(ctx: None) -> None:
    layout = indicator_page.layout(indicator_id="nope", lang="en")
    assert text(find(layout, ids.INDICATOR_TITLE)) == "No such indicator: nope"


def test_indicator_callback_updates_figures_table_and_url(ctx: None) -> None:
    out = indicator_page.page_state(
        ["jiangsu", "anhui", "atlantis"], 2025, "chart", "rd_intensity", "?lang=en"
    )
    series, gaps_fig, gaps_note, rows, _notes, verdict, meta, gaps_meta, map_children = out[:9]
    series, gaps_fig = go.Figure(series), go.Figure(gaps_fig)
    hidden, search = out[9:12], out[12]
    assert gaps_note == ""  # every region with a gap is drawn
    assert hidden == (False, True, True) and map_children is dash.no_update
    # headline and pace side by side, whose goal, and the rule in words
    words = text(verdict)
    assert "Headline" in words and "Pace" in words
    assert "※ benchmark: the plan sets this goal for Yangtze River Delta" in words
    assert "judged by" in words or "meets the goal" in words
    assert search == "?region=jiangsu,anhui&milestone=2025&lang=en"
    assert {tr.meta["region"] for tr in series.data if tr.meta["kind"] == "observed"} == {
        "jiangsu", "anhui",
    }  # fmt: skip
    assert {r["region"] for r in rows} == {"Jiangsu", "Anhui"}
    bars = {tr.meta["status"] for tr in gaps_fig.data}
    assert "achieved" in bars
    # what a downloaded picture carries follows the selection and the language
    assert meta["title"] == "R&D intensity" and meta["goal"].startswith("2025 goal: ")
    assert meta["source"].startswith("Source: ") and meta["filename"] == "rd_intensity-2025"
    assert meta["spec"] == {"kind": "series", "indicator": "rd_intensity",
                            "regions": ["jiangsu", "anhui"]}  # fmt: skip
    assert gaps_meta["spec"] == {"kind": "gaps", "milestone": 2025, "indicators": ["rd_intensity"]}
    assert gaps_meta["title"] == "R&D intensity · Gap by region"


def test_indicator_view_is_in_the_url_and_a_view_change_redraws_only_the_map(ctx: None) -> None:
    out = indicator_page.page_state(
        ["anhui"], 2025, "map", "rd_intensity", "?lang=en", view_only=True
    )
    assert out[:8] == (dash.no_update,) * 8
    assert out[9:12] == (True, True, False)
    assert out[12] == "?region=anhui&milestone=2025&view=map&lang=en"
    # the map view is the map page's tile grid of this indicator and milestone
    cities = go.Figure(find(out[8], ids.INDICATOR_MAP_CITIES).figure)
    (tiles,) = [tr for tr in cities.data if tr.meta["kind"] == "tiles"]
    assert len(tiles.meta["regions"]) == 41
    table = indicator_page.page_state(["anhui"], 2025, "table", "rd_intensity", "?lang=en")
    assert table[9:12] == (True, False, True) and table[8] is dash.no_update
    assert table[12] == "?region=anhui&milestone=2025&view=table&lang=en"
    # an unknown view is the chart, and the URL then names none
    chart = indicator_page.page_state(["anhui"], 2025, "pie", "rd_intensity", "?lang=en")
    assert chart[9:12] == (False, True, True) and "view=" not in chart[12]


def test_indicator_layout_opens_the_view_the_url_names(ctx: None) -> None:
    table = indicator_page.layout(indicator_id="rd_intensity", view="table", lang="zh")
    assert find(table, ids.INDICATOR_VIEW).value == "table"
    assert [o["label"] for o in find(table, ids.INDICATOR_VIEW).options] == ["图表", "表格", "地图"]
    assert find(table, ids.INDICATOR_VIEW_TABLE).hidden is False
    assert find(table, ids.INDICATOR_VIEW_CHART).hidden is True
    # the table: each value with its region's goal and its source, rounded on screen
    grid = find(table, ids.INDICATOR_TABLE)
    anhui = next(r for r in grid.rowData if r["region"] == "安徽" and r["year"] == 2023)
    assert anhui["goal"] == "> 3.00%" and anhui["source_kind"] == "未注明"
    fields = [c["field"] for c in grid.columnDefs]
    assert {"goal", "source_kind", "source_address", "flag", "note"} <= set(fields)
    value = next(c for c in grid.columnDefs if c["field"] == "value")
    assert ",.2f" in value["valueFormatter"]["function"]
    assert all(c.get("sortable", True) for c in grid.columnDefs) and grid.defaultColDef["sortable"]
    shown = indicator_page.layout(indicator_id="rd_intensity", view="map", lang="zh")
    assert find(shown, ids.INDICATOR_VIEW_MAP).hidden is False
    assert go.Figure(find(shown, ids.INDICATOR_MAP_CITIES).figure).data


# ---------------------------------------------------------------- region, map, method, sources


def test_region_page_bullets_and_goals_sorted_by_distance(tracker: Any, ctx: None) -> None:
    layout = region_page.layout(region_id="anhui", lang="en")
    assert text(find(layout, ids.REGION_TITLE)) == "Anhui"
    fig = find(layout, ids.REGION_BULLET).figure
    shares = {
        y: x
        for tr in fig.data
        if tr.meta["kind"] == "share"
        for y, x in zip(tr.y, tr.x, strict=True)
    }
    assert shares["R&D intensity"] == pytest.approx(2.69 / 3 * 100)
    table = find(layout, ids.REGION_GOALS)
    names = [text(r.children[0]) for r in walk(table) if isinstance(r, html.Tr)][1:]
    gaps = tracker.gaps(milestone=2025, regions=["anhui"]).sort_values("gap_pct", ascending=False)
    expected = [tracker.catalogue[i].name.en for i in gaps.dropna(subset=["gap_pct"])["indicator"]]
    assert names[: len(expected)] == expected


def test_region_unknown_id(ctx: None) -> None:
    assert "No such region" in text(region_page.layout(region_id="atlantis", lang="en"))


def test_map_draws_a_tile_per_city_and_the_provinces(tracker: Any, ctx: None) -> None:
    layout = map_page.layout(indicator="rd_intensity", lang="zh")
    cities = go.Figure(find(layout, ids.MAP_CITIES).figure)
    rects = [s for s in cities.layout.shapes if s.type == "rect"]
    assert len(rects) == len([c for c in tracker.regions.cities() if c.grid is not None]) == 41
    (tiles,) = [tr for tr in cities.data if tr.meta["kind"] == "tiles"]
    statuses = dict(zip(tiles.meta["regions"], tiles.meta["statuses"], strict=True))
    shanghai = tracker.gaps(milestone=2025, indicators=["rd_intensity"], regions=["shanghai"])
    assert statuses["shanghai"] == shanghai["status"].iloc[0]
    assert statuses["nanjing"] == "no_data"
    provinces = go.Figure(find(layout, ids.MAP_PROVINCES).figure)
    (ptiles,) = [tr for tr in provinces.data if tr.meta["kind"] == "tiles"]
    assert ptiles.meta["regions"] == ["shanghai", "jiangsu", "zhejiang", "anhui"]
    assert "瓦片地图" in text(layout) and "不是边界地图" in text(layout)


def test_map_callback_switches_indicator_and_url(ctx: None) -> None:
    out = map_page.update("pm25_concentration", 2025, "?lang=en")
    cities, provinces, summary, meta_cities, meta_provinces, options, value, search = out
    assert meta_cities["spec"]["indicators"] == ["pm25_concentration"]
    assert len(meta_cities["spec"]["regions"]) == 41
    assert meta_provinces["spec"]["regions"] == ["shanghai", "jiangsu", "zhejiang", "anhui"]
    assert value == "pm25_concentration"
    assert search == "?indicator=pm25_concentration&milestone=2025&lang=en"
    assert "PM2.5" in summary and summary.endswith("Cities with data: 0 of 41")
    assert {o["value"] for o in options} >= {"rd_intensity", "pm25_concentration"}


def test_method_page_thresholds_come_from_the_engine(tracker: Any, ctx: None) -> None:
    layout = method_page.layout(lang="en")
    thresholds = text(find(layout, ids.METHOD_THRESHOLDS))
    assert str(progress.ON_TRACK) in thresholds and str(progress.MODERATE) in thresholds
    for status in progress.STATUS_IDS:
        assert fmt.status_label(status, "en") in thresholds
    documents = text(find(layout, ids.METHOD_DOCUMENTS))
    for doc in tracker.catalogue.documents.values():
        assert doc.title.en in documents and doc.issued.isoformat() in documents


def test_sources_page_lists_every_value_in_force_as_text(tracker: Any, ctx: None) -> None:
    hostile = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "jiangsu", "year": 2024, "value": 3.4,
          "unit": "%", "note": "<script>alert(1)</script> <b>bold</b>"}]
    )  # fmt: skip
    tracker.store.write_import(
        hostile, file_name="<img src=x>.csv", sha256="2" * 64, layout="long", user="t"
    )
    layout = sources_page.layout(lang="en")
    grid = find(layout, ids.SOURCES_TABLE)
    assert len(grid.rowData) == len(tracker.store.observations())
    notes = {r["note"] for r in grid.rowData}
    assert "<script>alert(1)</script> <b>bold</b>" in notes  # kept as text, shown as text
    # AG Grid shows cells as text unless a column asks for an HTML/markdown renderer: only our
    # own renderers, which give React text (a link's href only when it is an http(s) address)
    assert {col.get("cellRenderer") for col in grid.columnDefs} == {
        None,
        "SourceLink",
        "SourceBadge",
    }
    renderers = (ROOT / "dashboard" / "assets" / "dashAgGridComponentFunctions.js").read_text()
    assert "innerHTML" not in renderers and "dangerouslySetInnerHTML" not in renderers
    files = {r["file_name"] for r in find(layout, ids.SOURCES_IMPORTS).rowData}
    assert "<img src=x>.csv" in files


def test_sources_past_the_client_bound_are_paged_filtered_and_sorted_on_the_server(
    tracker: Any, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    all_rows = sources_page.observation_rows(tracker, "en")
    assert len(all_rows) > 10
    monkeypatch.setattr(sources_page, "CLIENT_ROWS", 10)
    grid = find(sources_page.layout(lang="en"), ids.SOURCES_TABLE)
    assert grid.rowModelType == "infinite" and getattr(grid, "rowData", None) is None
    # the first block: the grid's first rows, and how many there are
    block = sources_page.serve_rows({"startRow": 0, "endRow": 4}, "?lang=en")
    assert block == {"rowData": all_rows[:4], "rowCount": len(all_rows)}
    assert len(json.dumps(block)) < 2_000  # the rows on screen, not the table
    # filtered on the server: a year and a word of the indicator's name
    year = all_rows[0]["year"]
    request = {
        "startRow": 0,
        "endRow": 100,
        "filterModel": {
            "year": {"filterType": "number", "type": "equals", "filter": year},
            "indicator": {"filterType": "text", "type": "contains", "filter": "r&d"},
        },
        "sortModel": [{"colId": "value", "sort": "desc"}],
    }
    block = sources_page.serve_rows(request, "?lang=en")
    want = [r for r in all_rows if r["year"] == year and "r&d" in r["indicator"].lower()]
    assert want and block["rowCount"] == len(want)
    got = block["rowData"]
    assert {(r["region"], r["indicator_id"]) for r in got} == {
        (r["region"], r["indicator_id"]) for r in want
    }
    values = [r["value"] for r in got]
    assert values == sorted(values, reverse=True)
    # a block never exceeds the bound, whatever is asked
    monkeypatch.setattr(sources_page, "MAX_BLOCK_ROWS", 5)
    assert len(sources_page.serve_rows({"startRow": 0, "endRow": 10_000}, "")["rowData"]) == 5
    with pytest.raises(ValueError, match="filter set/in on year is not supported"):
        sources_page.serve_rows(
            {
                "startRow": 0,
                "endRow": 5,
                "filterModel": {"year": {"filterType": "set", "type": "in"}},
            },
            "",
        )


def test_sources_rows_follow_a_new_import(tracker: Any, ctx: None) -> None:
    before = len(sources_page.observation_rows(tracker, "en"))
    extra = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "jiangsu", "year": 2030, "value": 3.9}]
    )
    tracker.store.write_import(extra, file_name="x.csv", sha256="5" * 64)
    rows = sources_page.observation_rows(tracker, "en")
    assert len(rows) == before + 1 and any(r["year"] == 2030 for r in rows)


def test_no_page_renders_data_as_html(ctx: None) -> None:
    layouts = [
        overview_page.layout(),
        indicator_page.layout(indicator_id="rd_intensity"),
        region_page.layout(region_id="anhui"),
        map_page.layout(),
        method_page.layout(),
        sources_page.layout(),
    ]
    for layout in layouts:
        for c in walk(layout):
            assert not isinstance(c, dcc.Markdown)
            assert not getattr(c, "dangerously_allow_html", False)


def test_every_page_renders_on_an_empty_database(tmp_path: Path) -> None:
    from targets.tracker import Tracker

    app = create_app(Tracker(db_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with app.server.test_request_context("/"):
        assert t("empty_db", "en") in text(overview_page.layout(lang="en"))
        series = find(indicator_page.layout(indicator_id="rd_intensity"), ids.INDICATOR_SERIES)
        assert go.Figure(series.figure).layout.annotations[0].text == t("no_data", "zh")
        region_page.layout(region_id="anhui")
        tiles = go.Figure(find(map_page.layout(), ids.MAP_CITIES).figure).data[0]
        assert set(tiles.meta["statuses"]) == {"no_data"}
        assert find(sources_page.layout(), ids.SOURCES_TABLE).rowData == []


# ---------------------------------------------------------------- URL helpers and i18n


def test_href_keeps_state_and_lang_last() -> None:
    assert href("/indicator/x", "en", region="a,b", milestone=2025) == (
        "/indicator/x?region=a,b&milestone=2025&lang=en"
    )
    assert href("/", "fr", cities=None) == "/?lang=zh"
    assert query_string("en", milestone=2026) == "?milestone=2026&lang=en"
    assert int_param("2026", [2025, 2026], 2025) == 2026
    assert int_param("2024'; drop", [2025, 2026], 2025) == 2025


# ---------------------------------------------------------------- the router over HTTP


def _dispatch(client: Any, pathname: str, search: str) -> tuple[int, Any]:
    """POST Dash's router callback the way dash-renderer does (same origin, CSRF header)."""
    client.get("/")  # sets the CSRF cookie and starts Dash's routing on the first request
    token = client.get_cookie("_csrf_token")
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    response = client.post(
        "/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Origin": "http://localhost", "X-CSRFToken": token.value if token else ""},
    )
    return response.status_code, response.get_json(silent=True)


@pytest.fixture
def bundled_app(tmp_path: Path) -> dash.Dash:
    """The app over the bundled public statistics, as `targets serve` starts on an empty database."""
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    tracker = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tracker)
    return create_app(tracker)


def test_router_renders_every_page_from_the_url(bundled_app: dash.Dash) -> None:
    client = bundled_app.server.test_client()
    status, payload = _dispatch(client, "/indicator/rd_intensity", "?region=anhui&lang=en")
    assert status == 200, payload
    assert "R&D intensity" in json.dumps(payload["response"]["_pages_content"], ensure_ascii=False)
    timings = {}
    for path, search in [
        ("/", "?lang=zh"),
        ("/", "?milestone=2026&cities=1&lang=en"),
        ("/indicator/rd_intensity", "?region=anhui,jiangsu&lang=en"),
        ("/region/anhui", "?lang=zh"),
        ("/map", "?indicator=rd_intensity&lang=zh"),
        ("/method", "?lang=en"),
        ("/sources", "?lang=zh"),
    ]:
        _dispatch(client, path, search)  # warm the tracker's cache for this data version
        start = time.perf_counter()
        status, payload = _dispatch(client, path, search)
        timings[path + search] = time.perf_counter() - start
        assert status == 200, (path, payload)
    # speed is measured by `make bench` (p50/p95), not asserted here: a timed test flakes on a
    # loaded CI machine and proves nothing about the distribution
    print({k: round(v * 1000) for k, v in timings.items()})


def test_router_shows_the_404_page(app: dash.Dash) -> None:
    status, payload = _dispatch(app.server.test_client(), "/no/such/page", "?lang=en")
    assert status == 200
    assert "Page not found" in json.dumps(payload["response"]["_pages_content"])


def test_indicator_page_says_which_figure_stands_and_which_verdicts_are_provisional(
    tmp_path: Path,
) -> None:
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    app = create_app(tr)
    with app.server.test_request_context("/indicator/rd_intensity"):
        layout = indicator_page.layout(
            indicator_id="rd_intensity", region="yrd,shanghai", milestone="2025", lang="en"
        )
        notes = text(find(layout, ids.INDICATOR_PROVENANCE))
        assert "Shanghai: provisional (approximate) — an approximate figure" in notes
        # the region's published 3.34 stands; its components give 3.22
        assert "published 2023 value 3.34 in force; derived 2023 = 3.22 from components" in notes
        assert "no 2025 value derived although members have 2025 values" in notes
        grid = find(layout, ids.INDICATOR_TABLE)
        flags = {(r["region"], r["year"]): r["flag"] for r in grid.rowData}
        assert flags[("Shanghai", 2025)] == "approximate" and flags[("Shanghai", 2020)] == ""


def test_indicator_page_says_why_a_newer_derived_regional_value_is_not_used(
    tracker: Any, ctx: None
) -> None:
    """Components for 2023 and 2024 give the region 3.33 and 3.36; it publishes 3.00 for 2023:
    the derivation disagrees with the published series, so 3.00 stands and the page says why."""
    from tests.test_provenance import COMPONENTS, COMPONENTS_2024

    rows = pd.DataFrame(
        [{"indicator": i, "region": r, "year": y, "value": v, "unit": None,
          "note": "test fixture (not published statistics)"}
         for i, r, y, v, _ in [*COMPONENTS, *COMPONENTS_2024,
                               ("rd_intensity", "yrd", 2023, 3.0, None)]]
    )  # fmt: skip
    tracker.store.write_import(rows, file_name="c.csv", sha256="8" * 64, layout="long",
                               user="tests", note="test fixture")  # fmt: skip
    layout = indicator_page.layout(
        indicator_id="rd_intensity", region="yrd", milestone="2025", lang="en"
    )
    notes = text(find(layout, ids.INDICATOR_PROVENANCE))
    assert (
        "Yangtze River Delta: published 2023 value 3.00 in force; derived 2024 = 3.36 not used: "
        "derived differs from published by 0.33 in 2023 (derived 3.33, published 3.00; "
        "agreement needs within 0.06)"
    ) in notes
    yrd = tracker.gaps(milestone=2025, regions=["yrd"])
    yrd = yrd[yrd["indicator"] == "rd_intensity"].iloc[0]
    assert (int(yrd["year"]), yrd["value"]) == (2023, 3.0)


def test_chinese_indicator_page_shows_no_english_plan_notes(tracker: Any, ctx: None) -> None:
    """The catalogue's reading notes are English: on English pages only, as in the reports."""
    note = tracker.catalogue["rd_intensity"].milestones[0].sources[0].note
    assert note and note.startswith("the Outline says")
    zh = text(indicator_page.layout(indicator_id="rd_intensity", lang="zh"))
    en = text(indicator_page.layout(indicator_id="rd_intensity", lang="en"))
    assert note not in zh and "研发投入强度达到 3%以上" in zh
    assert note in en


def test_at_national_size_the_overview_shows_one_provinces_cities_at_a_time(
    national_tracker: Any,
) -> None:
    """Synthetic national data (31 provinces, 136 cities with data): with the city columns on,
    the matrix holds one province's cities, chosen on the server; each answer stays under 1 MB
    and the behind-schedule list at MAX_BEHIND items with a sentence saying how many there are."""
    import json

    from bench.national import national_calls
    from tests.conftest import national_client

    tr = national_tracker
    app = create_app(tr)
    post = national_client(app)
    calls = {c.label: c.body for c in national_calls(app, tr) if c.label.startswith("/:")}
    calls |= {c.label: c.body for c in national_calls(app, tr) if "/?cities=1" in c.label}
    assert len(calls) == 4  # the page, with cities, and its filter with cities on and off
    gaps = tr.gaps(milestone=2025)
    cities = set(overview_page.region_columns(tr.regions, gaps, True)) - set(
        overview_page.region_columns(tr.regions, gaps, False)
    )
    assert len(cities) > overview_page.MAX_CITY_COLUMNS
    for label, body in calls.items():
        answer = post(body)
        assert len(answer.data) < 1_000_000, (label, len(answer.data))
        shown = json.loads(answer.data)["response"]
        heads = json.dumps(shown).count('"region-head"')
        if "cities on" in label or "cities=1" in label:
            # one province beside its cities, never every city
            first = next(p.id for p in tr.regions.provinces() if cities & tr.regions.within([p.id]))
            mine = cities & tr.regions.within([first])
            base = overview_page.region_columns(tr.regions, gaps, False)
            top = [r for r in base if tr.regions.get(r).level != "province"]  # delta and zones
            assert heads == len(top) + 1 + len(mine)
            assert 0 < len(mine) < len(cities)
        else:
            assert heads == len(overview_page.region_columns(tr.regions, gaps, False))
    with app.server.test_request_context("/"):
        body, search, options, province, hidden = overview_page.update(
            2025, True, "syn_p02", "?lang=en"
        )
        assert province == "syn_p02" and not hidden and "province=syn_p02" in search
        assert overview_page.ALL_CITIES not in [o["value"] for o in options]
        behind = find(html.Div(body), ids.OVERVIEW_BEHIND)
        items = [c for c in walk(behind) if isinstance(c, html.Li)]
        total = len(tr.behind_schedule(2025, "en"))
        assert len(items) == overview_page.MAX_BEHIND < total
        assert "most behind of" in text(behind)


def test_publishers_count_each_value_once_by_its_notes_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sources page's publishers per indicator (each distinct note parsed once, counted by
    the values carrying it) equal a parse of every value's note, on the bundled statistics."""
    from urllib.parse import urlsplit

    from targets.bundled import ensure_bundled
    from targets.source_notes import parse_note
    from targets.tracker import Tracker

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    stored = tr.store.observations()
    expected: dict[str, dict[str, list[int]]] = {}
    for rec in stored.to_dict("records"):
        note = parse_note(None if fmt.is_missing(rec["note"]) else str(rec["note"]))
        host = urlsplit(note.address).hostname if note.address.startswith("http") else ""
        if host and note.kind in ("official", "repost"):
            slot = expected.setdefault(rec["indicator"], {}).setdefault(host, [0, 0])
            slot[0 if note.kind == "official" else 1] += 1
    app = create_app(tr)
    with app.server.test_request_context("/sources"):
        got = sources_page.publishers_of(tr)
    assert {i: {h: list(c) for h, c in hosts.items()} for i, hosts in got.items()} == expected
    assert sum(o + r for hosts in got.values() for o, r in hosts.values()) > 50
    # most official values first
    for hosts in got.values():
        officials = [o for o, _ in hosts.values()]
        assert officials == sorted(officials, reverse=True)
    # counted once per data version (Tracker.publishers), not once per view
    from targets import source_notes

    counted: list[int] = []
    count = source_notes.publisher_counts
    monkeypatch.setattr(
        source_notes, "publisher_counts", lambda obs: counted.append(1) or count(obs)
    )
    tr.store.write_import(
        pd.DataFrame(
            {
                "indicator": ["gdp"],
                "region": ["anhui"],
                "year": [2031],
                "value": [1.0],
                "note": ["official release: https://tjj.ah.gov.cn/test «a test figure»"],
            }
        ),
        file_name="later.csv",
        sha256="c" * 64,
    )
    with app.server.test_request_context("/sources"):
        again = sources_page.publishers_of(tr)
        assert sources_page.publishers_of(tr) == again
    assert counted == [1]
    before = got.get("gdp", {}).get("tjj.ah.gov.cn", (0, 0))
    assert again["gdp"]["tjj.ah.gov.cn"] == (before[0] + 1, before[1])


def test_region_page_shows_no_progress_share_for_a_goal_with_one_value(
    tracker: Any, ctx: None
) -> None:
    """A goal with one value is its own baseline: "0% progress, 0% time elapsed" would say
    nothing, so both read "—"; a goal with a baseline and a later value keeps its shares."""
    rows = pd.DataFrame(
        [{"indicator": "life_expectancy", "region": "anhui", "year": 2024, "value": 78.5,
          "unit": None, "note": "test fixture (not published statistics)"}]
    )  # fmt: skip
    tracker.store.write_import(rows, file_name="life.csv", sha256="8" * 64, layout="long",
                               user="tests", note="test fixture")  # fmt: skip
    gaps = tracker.gaps(milestone=2025, regions=["anhui"]).set_index("indicator")
    one = gaps.loc["life_expectancy"]
    assert one["baseline_year"] == one["year"] == 2024 and one["status"] != "achieved"
    assert gaps.loc["rd_intensity", "baseline_year"] < gaps.loc["rd_intensity", "year"]
    table = find(region_page.layout(region_id="anhui", lang="en"), ids.REGION_GOALS)
    cells = {
        text(tr.children[0]): [text(td) for td in tr.children[1:]]
        for tr in walk(table)
        if isinstance(tr, html.Tr) and isinstance(tr.children[0], html.Th)
        and tr.children[0].scope == "row"
    }  # fmt: skip
    life = tracker.catalogue["life_expectancy"].name.en
    rd = tracker.catalogue["rd_intensity"].name.en
    assert cells[life][-2:] == ["—", "—"]
    assert all(c.endswith("%") for c in cells[rd][-2:]), cells[rd]


# the engine's English reasons (targets.aggregate, targets.progress, targets.provenance)
ENGLISH_REASON = re.compile(
    r"\bno \w+ for \w+|not used:|\band \d+ more\b|one value only|the base year|judged by the "
    r"trend|weights add up|divides by zero|\bno value\b"
)


def _shown(node: Any) -> list[str]:
    """Every text a page shows: strings, and a component's title and aria-label."""
    said = [c for c in walk(node) if isinstance(c, str)]
    for c in walk(node):
        if isinstance(c, Component):
            props = c.to_plotly_json()["props"]
            said += [str(props[k]) for k in ("title", "aria-label") if props.get(k)]
    return said


def test_chinese_pages_word_the_engines_reasons_over_the_bundled_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the bundled statistics the engine has reasons (central_zone's GDP per capita for
    2024, change goals without a base year): the overview's hovers, the region pages and the
    indicator pages show them in Chinese, with names, and none in the engine's English."""
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    gaps = tr.gaps(milestone=2025)
    with_reason = gaps[gaps["reason"].notna() & (gaps["reason"] != "no value")]
    assert len(with_reason) and with_reason["reason"].str.contains(" more").any()
    app = create_app(tr)
    with app.server.test_request_context("/"):
        pages = [overview_page.layout(lang="zh", milestone="2025")]
        pages += [
            region_page.layout(region_id=r, lang="zh", milestone="2025")
            for r in sorted(set(with_reason["region"]))
        ]
        pages += [
            indicator_page.layout(indicator_id=i, lang="zh", milestone="2025")
            for i in sorted(set(with_reason["indicator"]))
        ]
    shown = [s for page in pages for s in _shown(page)]
    english = [s for s in shown if ENGLISH_REASON.search(s)]
    assert english == []
    said = "\n".join(shown)
    assert "2024年缺少中心区的人均地区生产总值数据" in said
    assert "等26个地区" in said and "仅有一个数值" in said


def test_at_national_size_the_indicator_page_opens_on_a_handful_of_lines(
    national_tracker: Any,
) -> None:
    """Synthetic national data (31 provinces): the indicator page opens on the levels above the
    provinces and says how many provinces more there are and where to tick them; every answer of
    the indicator and map pages stays under 1 MB, the map drawing a tile per city."""
    from bench.national import national_calls
    from targets.warm import MAX_OPENING_LINES
    from tests.conftest import national_client

    tr = national_tracker
    app = create_app(tr)
    post = national_client(app)
    calls = [c for c in national_calls(app, tr) if c.label.startswith(("/indicator", "/map"))]
    assert len(calls) == 4  # each page, and its control callback
    for call in calls:
        assert len(post(call.body).data) < 1_000_000, call.label
    provinces = [p.id for p in tr.regions.provinces()]
    with app.server.test_request_context("/"):
        layout = indicator_page.layout(indicator_id="rd_intensity", lang="en")
        fig = go.Figure(find(layout, ids.INDICATOR_SERIES).figure)
        drawn = [tr_.meta["region"] for tr_ in fig.data if tr_.meta["kind"] == "observed"]
        assert 0 < len(drawn) <= MAX_OPENING_LINES
        assert not set(drawn) & set(provinces)
        chosen = find(layout, ids.INDICATOR_REGIONS).value
        with_data = set(indicator_page.available_regions(tr, "rd_intensity")) & set(provinces)
        assert len(with_data) == 31
        assert (
            f"the chart opens on {len(chosen)} regions; 31 more provinces are not drawn: "
            "tick them under “Choose regions” above"
        ) in text(layout)
        # a province ticked is drawn, and the URL naming regions gets no such sentence
        named = indicator_page.layout(
            indicator_id="rd_intensity", region=f"{chosen[0]},{provinces[0]}", lang="en"
        )
        assert "more provinces are not drawn" not in text(named)
        map_layout = map_page.layout(indicator="rd_intensity", lang="en")
        tiles = go.Figure(find(map_layout, ids.MAP_CITIES).figure)
        (grid,) = [tr_ for tr_ in tiles.data if tr_.meta["kind"] == "tiles"]
        assert len(grid.meta["regions"]) == len([c for c in tr.regions.cities() if c.grid])


def test_the_delta_indicator_page_opens_on_the_delta_its_zone_and_provinces(
    tracker: Any, ctx: None
) -> None:
    """Few enough lines to read: every region, zone and province with data, and no sentence
    about regions left out."""
    layout = indicator_page.layout(indicator_id="rd_intensity", lang="en")
    fig = go.Figure(find(layout, ids.INDICATOR_SERIES).figure)
    drawn = {tr_.meta["region"] for tr_ in fig.data if tr_.meta["kind"] == "observed"}
    assert {"shanghai", "jiangsu", "zhejiang", "anhui", "yrd"} <= drawn
    assert "not drawn" not in text(layout)


def test_at_national_size_the_gaps_chart_draws_the_chosen_or_the_furthest_behind(
    national_tracker: Any,
) -> None:
    """Synthetic national data (over a hundred regions with a gap): the control callback's gaps
    chart draws exactly the ticked regions when the person chose some, else the GAP_BARS
    furthest behind, with a line saying how many of how many; the CSV still carries them all."""
    from bench.national import _callback_body
    from targets.chart_data import GAP_BARS, spec_frame
    from tests.conftest import national_client

    tr = national_tracker
    app = create_app(tr)
    post = national_client(app)
    gaps = tr.gaps(milestone=2025, indicators=["rd_intensity"]).dropna(subset=["gap"])
    total = gaps["region"].nunique()
    assert total > GAP_BARS
    names = {r: tr.regions.name(r, "en") for r in tr.regions.regions}
    available = indicator_page.available_regions(tr, "rd_intensity")
    opening = indicator_page.default_regions(tr, available)
    provinces = [p.id for p in tr.regions.provinces()][:5]

    def answer(ticked: list[str]) -> tuple[list[str], str, Any]:
        body = _callback_body(
            app,
            "indicator-series.figure",
            {
                "indicator-regions.value": ticked,
                "indicator-milestone.value": 2025,
                "indicator-id.data": "rd_intensity",
                "_pages_location.search": "?lang=en",
            },
        )
        got = json.loads(post(body).data)["response"]
        fig = go.Figure(got[ids.INDICATOR_GAPS]["figure"])
        bars = [y for tr_ in fig.data if tr_.meta["kind"] == "gap" for y in tr_.y]
        (store,) = [
            v["data"] for k, v in got.items() if ids.CHART_EXPORT in k and ids.INDICATOR_GAPS in k
        ]
        return bars, got[ids.INDICATOR_GAPS_NOTE]["children"], store

    # unchosen (the page's opening regions ticked): the furthest behind, largest gap first
    bars, note, store = answer(opening)
    behind = gaps.sort_values(["gap", "region"], ascending=[False, True])["region"][:GAP_BARS]
    assert sorted(bars) == sorted(names[r] for r in behind)
    assert note == (
        f"Showing the {GAP_BARS} furthest behind of {total} regions (tick others under "
        "“Choose regions” above); all are in the CSV download."
    )
    # the download carries every region of the gap table, not the bars drawn
    with app.server.test_request_context("/"):
        csv = spec_frame(tr, store["spec"], "en")
    assert set(csv["region"]) >= set(gaps["region"]) and len(set(csv["region"])) > GAP_BARS
    # chosen: exactly those drawn
    bars, note, _ = answer(provinces)
    assert sorted(bars) == sorted(names[r] for r in provinces)
    assert note == f"Showing 5 of {total} regions; all are in the CSV download."


def test_every_page_says_synthetic_data_while_they_are_in_force(
    national_tracker: Any, tmp_path: Path
) -> None:
    """The shell (on every page) shows a note in words over the synthetic national data, in both
    languages, and keeps it hidden over the bundled public statistics."""
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    def banner(app: Any, path: str, search: str) -> tuple[Any, Any]:
        shell = next(v for k, v in app.callback_map.items() if ids.SYNTHETIC_BANNER in k)
        with app.server.test_request_context(path):
            out = shell["callback"].__wrapped__(path, search)
        return out[-2], out[-1]

    national = create_app(national_tracker)
    assert banner(national, "/", "?lang=zh") == ("合成数据 — 非官方统计", False)
    assert banner(national, "/indicator/rd_intensity", "?lang=en") == (
        "Synthetic data — not official statistics",
        False,
    )
    bundled = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(bundled)
    app = create_app(bundled)
    assert banner(app, "/", "?lang=en") == (None, True)
    shell_layout = app.layout() if callable(app.layout) else app.layout
    note = find(shell_layout, ids.SYNTHETIC_BANNER)
    assert note.role == "note" and note.hidden is True
