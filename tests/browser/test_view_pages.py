"""The viewing pages in headless Chromium: navigation, language, URL state, map, accessibility.

Each test ends with no console errors (`dash_duo.get_logs() == []`) and runs axe-core on what it
shows (no serious or critical violations). Screenshots go to tests/artefacts/ (zh and en).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from dash.testing.wait import until

from dashboard import ids
from dashboard.app import create_app

pytestmark = pytest.mark.browser

# a few city values (test fixture figures, not statistics) so that the map has colours
CITY_ROWS = [
    ("rd_intensity", "nanjing", {2018: 3.1, 2023: 3.6}),
    ("rd_intensity", "suzhou_js", {2018: 2.8, 2023: 3.9}),
    ("rd_intensity", "hangzhou", {2018: 3.4, 2023: 3.9}),
    ("rd_intensity", "ningbo", {2018: 2.6, 2022: 3.0, 2023: 3.1}),
    ("rd_intensity", "hefei", {2018: 3.1, 2023: 3.6}),
    ("rd_intensity", "wuhu", {2018: 2.3, 2023: 2.5}),
    ("rd_intensity", "bozhou", {2018: 0.9, 2023: 0.8}),
    ("rd_intensity", "xuzhou", {2023: 2.0}),
]


@pytest.fixture
def app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    rows = pd.DataFrame(
        [
            {"indicator": i, "region": r, "year": y, "value": v, "unit": None,
             "note": "test fixture (not published statistics)"}
            for i, r, values in CITY_ROWS
            for y, v in values.items()
        ]
    )  # fmt: skip
    fixture_tracker.store.write_import(
        rows, file_name="cities.csv", sha256="3" * 64, layout="long", user="tests",
        note="test fixture (not published statistics)",
    )  # fmt: skip
    return create_app(fixture_tracker)


def plotly_data(dash_duo: Any, graph_id: str) -> Any:
    """The traces plotly drew in the graph `graph_id` (its DOM node carries them)."""
    return dash_duo.driver.execute_script(
        "const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');"
        "return gd && gd.data ? gd.data.map(t => ({name: t.name, meta: t.meta})) : null;",
        f"#{graph_id}",
    )


def open_page(dash_duo: Any, path: str, ready: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=15)


def query(dash_duo: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(dash_duo.driver.current_url).query)


def check_page(dash_duo: Any, axe: Any, screenshot: Any, name: str) -> None:
    screenshot(dash_duo.driver, name)
    assert axe(dash_duo.driver) == [], name


def test_overview_cell_opens_the_indicator_view(
    dash_duo: Any, app: Any, axe: Any, screenshot: Any
) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}", timeout=15)
    dash_duo.wait_for_text_to_equal("h1", "目标进展总览")
    check_page(dash_duo, axe, screenshot, "overview_zh")

    cell = dash_duo.find_element(
        f'#{ids.OVERVIEW_MATRIX} a[href="/indicator/rd_intensity?region=anhui&milestone=2025&lang=zh"]'
    )
    assert "2.69" in cell.text and "2023" in cell.text
    cell.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.INDICATOR_TITLE}", "研发投入强度", timeout=15)
    dash_duo.wait_for_element(f"#{ids.INDICATOR_SERIES} .js-plotly-plot .scatterlayer")
    traces = plotly_data(dash_duo, ids.INDICATOR_SERIES)
    observed = [t["name"] for t in traces if t["meta"]["kind"] == "observed"]
    assert observed == ["安徽"]
    assert {t["meta"]["kind"] for t in traces} >= {"goal", "baseline", "projection", "required"}
    assert urlsplit(dash_duo.driver.current_url).path == "/indicator/rd_intensity"
    assert query(dash_duo)["region"] == ["anhui"]
    dash_duo.wait_for_element(f"#{ids.INDICATOR_GAPS} .js-plotly-plot .barlayer")
    check_page(dash_duo, axe, screenshot, "indicator_zh")

    # adding a region writes it into the URL without reloading the page
    label = next(
        e for e in dash_duo.find_elements(f"#{ids.INDICATOR_REGIONS} label") if e.text == "江苏"
    )
    label.click()
    dash_duo.wait_for_contains_text(f"#{ids.INDICATOR_SERIES}", "江苏")
    assert query(dash_duo)["region"] == ["anhui,jiangsu"]
    assert dash_duo.get_logs() == []


def test_status_chips_filter_the_matrix(dash_duo: Any, app: Any, axe: Any, screenshot: Any) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}", timeout=15)
    rows = f"#{ids.OVERVIEW_MATRIX} tbody tr:not(:has(.category-head))"
    before = len(dash_duo.find_elements(rows))
    chip = dash_duo.find_element("#count-achieved")
    assert "已实现" in chip.text
    chip.click()
    until(lambda: len(dash_duo.find_elements(rows)) < before, timeout=15)
    kept = dash_duo.find_elements(rows)
    assert kept and all(r.find_elements("css selector", ".status-achieved") for r in kept)
    check_page(dash_duo, axe, screenshot, "overview_chip_zh")
    chip.click()  # unticked: every goal again
    until(lambda: len(dash_duo.find_elements(rows)) == before, timeout=15)
    assert dash_duo.get_logs() == []


def test_language_switch_keeps_the_view_state(
    dash_duo: Any, app: Any, axe: Any, screenshot: Any
) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}", timeout=15)
    # choose the 2026 goals: the URL follows, the page is not reloaded
    dash_duo.find_element(f"#{ids.OVERVIEW_MILESTONE} input[value='2026']").click()
    dash_duo.wait_for_contains_text(f"#{ids.OVERVIEW_BODY}", "重点任务完成数")
    assert query(dash_duo)["milestone"] == ["2026"]

    dash_duo.find_element(f"#{ids.LANG_SWITCH}").click()
    dash_duo.wait_for_text_to_equal("h1", "Progress towards the goals", timeout=15)
    assert query(dash_duo)["lang"] == ["en"] and query(dash_duo)["milestone"] == ["2026"]
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "en"
    nav = dash_duo.find_element(f"#{ids.NAV_LINKS}").text
    assert "Overview" in nav and "Map" in nav and "Sources" in nav
    assert dash_duo.find_element(f"#{ids.LANG_SWITCH}").text == "中文"
    assert "Key tasks completed" in dash_duo.find_element(f"#{ids.OVERVIEW_BODY}").text
    checked = dash_duo.find_element(f"#{ids.OVERVIEW_MILESTONE} input:checked")
    assert checked.get_attribute("value") == "2026"

    # back to 2025 for the English screenshot of the usual view
    dash_duo.find_element(f"#{ids.OVERVIEW_MILESTONE} input[value='2025']").click()
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}")
    check_page(dash_duo, axe, screenshot, "overview_en")

    dash_duo.find_element(f"#{ids.LANG_SWITCH}").click()
    dash_duo.wait_for_text_to_equal("h1", "目标进展总览", timeout=15)
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "zh-CN"
    assert dash_duo.get_logs() == []


def test_map_draws_tiles(dash_duo: Any, app: Any, axe: Any, screenshot: Any) -> None:
    dash_duo.start_server(app)
    for lang, heading in (("zh", "瓦片地图"), ("en", "Tile-grid map")):
        open_page(
            dash_duo,
            f"/map?indicator=rd_intensity&lang={lang}",
            f"#{ids.MAP_CITIES} .js-plotly-plot",
        )
        dash_duo.wait_for_text_to_equal("h1", heading)
        tiles = dash_duo.driver.execute_script(
            "const gd = document.querySelector('#map-cities .js-plotly-plot');"
            "return gd.layout.shapes.filter(s => s.type === 'rect').length;"
        )
        assert tiles == 41
        # the tiles are drawn, with their names as text
        drawn = dash_duo.driver.execute_script(
            "return document.querySelectorAll('#map-cities .shapelayer path').length;"
        )
        assert drawn >= 41
        text = dash_duo.find_element(f"#{ids.MAP_CITIES}").text
        assert ("南京" if lang == "zh" else "Nanjing") in text
        traces = plotly_data(dash_duo, ids.MAP_CITIES)
        statuses = next(t["meta"]["statuses"] for t in traces if t["meta"]["kind"] == "tiles")
        assert "no_data" in statuses and len(set(statuses)) >= 3
        check_page(dash_duo, axe, screenshot, f"map_{lang}")
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(
    ("name", "path", "ready", "heading"),
    [
        ("indicator", "/indicator/pm25_concentration?lang={lang}", f"#{ids.INDICATOR_SERIES} .js-plotly-plot", None),
        ("region", "/region/anhui?lang={lang}", f"#{ids.REGION_BULLET} .js-plotly-plot", {"zh": "安徽", "en": "Anhui"}),
        ("method", "/method?lang={lang}", f"#{ids.METHOD_THRESHOLDS}", {"zh": "进展评估方法", "en": "How progress is assessed"}),
        ("sources", "/sources?lang={lang}", f"#{ids.SOURCES_TABLE} .ag-row", {"zh": "数据来源", "en": "Sources of the data"}),
        ("not_found", "/nowhere?lang={lang}", f"#{ids.NOT_FOUND_TITLE}", {"zh": "未找到页面", "en": "Page not found"}),
    ],
)  # fmt: skip
def test_pages_in_both_languages(
    dash_duo: Any,
    app: Any,
    axe: Any,
    screenshot: Any,
    name: str,
    path: str,
    ready: str,
    heading: Any,
) -> None:
    dash_duo.start_server(app)
    for lang in ("zh", "en"):
        open_page(dash_duo, path.format(lang=lang), ready)
        if heading:
            dash_duo.wait_for_text_to_equal("h1", heading[lang])
        if name == "indicator":
            assert dash_duo.find_element("h1").text == (
                "细颗粒物（PM2.5）平均浓度" if lang == "zh" else "Average PM2.5 concentration"
            )
        check_page(dash_duo, axe, screenshot, f"{name}_{lang}")
    assert dash_duo.get_logs() == []


def test_assessment_copy_button_puts_the_paragraph_on_the_clipboard(
    dash_duo: Any, app: Any, fixture_tracker: Any, axe: Any, screenshot: Any
) -> None:
    """The drafted text is on the page, and its copy button (reached with the keyboard) copies
    exactly one paragraph and says so."""
    import json

    from selenium.webdriver.common.keys import Keys

    from targets.reports.drafting import draft_assessment

    dash_duo.start_server(app)
    driver = dash_duo.driver
    # headless Chromium lets a page read the clipboard once the permission is granted
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": dash_duo.server_url,
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    open_page(dash_duo, "/assessment?milestone=2025", f"#{ids.ASSESSMENT_DRAFT} .drafted")
    draft = draft_assessment(fixture_tracker, 2025, "zh")
    shown = [
        p.text for p in driver.find_elements("css selector", f"#{ids.ASSESSMENT_DRAFT} p.drafted")
    ]
    assert shown == [p.text for p in draft.paragraphs()]

    def dom_id(kind: str) -> str:
        return json.dumps({"key": "goal:rd_intensity", "type": kind}, separators=(",", ":"))

    button = driver.find_element("css selector", f"[id='{dom_id(ids.ASSESSMENT_COPY)}']")
    assert button.get_attribute("aria-label") == "复制这一段：研发投入强度"
    driver.execute_script("arguments[0].focus();", button)
    button.send_keys(Keys.ENTER)
    status = f"[id='{dom_id(ids.ASSESSMENT_COPY_STATUS)}']"
    dash_duo.wait_for_text_to_equal(status, "已复制", timeout=10)
    copied = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('error: ' + e));"
    )
    expected = next(p.text for p in draft.paragraphs() if p.key == "goal:rd_intensity")
    assert copied == expected
    check_page(dash_duo, axe, screenshot, "assessment_zh")


def test_sources_grid_asks_the_server_for_the_rows_on_screen(
    dash_duo: Any,
    app: Any,
    fixture_tracker: Any,
    axe: Any,
    screenshot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the client bound the grid is AG Grid's infinite model: it shows the first page from
    the server's first block, counts every row, and a filter typed in the grid runs there."""
    from dashboard.pages import sources as sources_page

    monkeypatch.setattr(sources_page, "CLIENT_ROWS", 5)
    total = len(sources_page.observation_rows(fixture_tracker, "en"))
    dash_duo.start_server(app)
    open_page(dash_duo, "/sources?lang=en", f"#{ids.SOURCES_TABLE} .ag-row")
    driver = dash_duo.driver
    model = driver.execute_script(
        "return dash_ag_grid.getApi(arguments[0]).getGridOption('rowModelType');",
        ids.SOURCES_TABLE,
    )
    assert model == "infinite"
    rows = driver.find_elements(
        "css selector", f"#{ids.SOURCES_TABLE} .ag-center-cols-container .ag-row"
    )
    assert 0 < len(rows) <= 25  # one page of the first block
    dash_duo.wait_for_contains_text(
        f"#{ids.SOURCES_TABLE} .ag-paging-panel", f"{total}", timeout=10
    )
    first = sources_page.observation_rows(fixture_tracker, "en")[0]
    assert first["indicator"] in driver.find_element("css selector", f"#{ids.SOURCES_TABLE}").text
    check_page(dash_duo, axe, screenshot, "sources_infinite_en")
    assert dash_duo.get_logs() == []
