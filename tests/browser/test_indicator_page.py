"""The indicator page in Chromium: plan quotes readable, each value's source on hover, and the
chart's picture downloads carrying its title, goal and source line."""

from __future__ import annotations

import base64
import html
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from dash.testing.wait import until

from dashboard import ids
from tests.browser.conftest import chart_part, click
from tests.fixtures import OFFICIAL_ADDRESS as ADDRESS

pytestmark = pytest.mark.browser


def test_quotes_do_not_overlap_their_citations(dash_duo: Any, sourced_app: Any) -> None:
    dash_duo.start_server(sourced_app)
    dash_duo.driver.get(dash_duo.server_url + "/indicator/rd_intensity?lang=zh")
    dash_duo.wait_for_element(f"#{ids.INDICATOR_GOALS} .quote", timeout=15)
    boxes = dash_duo.driver.execute_script(
        """return Array.from(document.querySelectorAll('#indicator-goals .quote')).map(f => {
             const q = f.querySelector('blockquote').getBoundingClientRect();
             const c = f.querySelector('figcaption').getBoundingClientRect();
             return [q.bottom, c.top, f.querySelector('figcaption').textContent];
           });"""
    )
    assert boxes
    for quote_bottom, caption_top, caption in boxes:
        assert caption_top >= quote_bottom - 0.5, caption


def test_hover_names_the_source_and_pictures_carry_title_goal_and_source(
    dash_duo: Any, sourced_app: Any, axe: Any
) -> None:
    from dashboard.pages import indicator

    dash_duo.start_server(sourced_app)
    dash_duo.driver.get(dash_duo.server_url + "/indicator/rd_intensity?region=anhui&lang=zh")
    dash_duo.wait_for_element(f"#{ids.INDICATOR_SERIES} .js-plotly-plot .scatterlayer", timeout=15)
    traces = dash_duo.driver.execute_script(
        "const gd = document.querySelector('#indicator-series .js-plotly-plot');"
        "return gd.data.filter(t => t.meta.kind === 'observed')"
        "  .map(t => ({x: t.x, custom: t.customdata, hover: t.hovertemplate}));"
    )
    (anhui,) = traces
    assert "%{customdata}" in anhui["hover"]
    hover = dict(zip(anhui["x"], anhui["custom"], strict=True))
    assert hover[2024].startswith("来源：官方发布<br>https://tjj.ah.gov.cn/")
    assert "导入 #2" in hover[2024] and "备注：test figure" in hover[2024]
    # the fixture's own values say nothing of their source: said so, with their note
    assert hover[2023].startswith("来源未注明") and "导入 #1" in hover[2023]

    with sourced_app.server.test_request_context("/"):
        tr = sourced_app.server.config["TRACKER"]
        ind = tr.catalogue["rd_intensity"]
        obs = tr.observations(indicators=["rd_intensity"])
        meta, _ = indicator.export_metas(tr, ind, ["anhui"], 2025, "zh", obs)
    assert meta["goal"].startswith("2025年目标") and "官方发布 1 个值" in meta["source"]
    svg = dash_duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const gd = document.querySelector('#indicator-series .js-plotly-plot');"
        "Plotly.toImage(window.trackerCharts.exportFigure(gd, arguments[0]), {format: 'svg'})"
        "  .then(done, e => done('error: ' + e));",
        meta,
    )
    assert svg.startswith("data:image/svg+xml")
    text = html.unescape(unquote(svg.split(",", 1)[1]))
    for part in (
        "研发投入强度",
        meta["goal"],
        "官方发布 1 个值",
        "长三角一体化目标跟踪",
    ):
        assert part in text, part
    png = dash_duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const gd = document.querySelector('#indicator-series .js-plotly-plot');"
        "Plotly.toImage(window.trackerCharts.exportFigure(gd, arguments[0]), {format: 'png'})"
        "  .then(done, e => done('error: ' + e));",
        meta,
    )
    assert base64.b64decode(png.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    # the buttons: the SVG one makes the file and says so
    click(dash_duo.driver, dash_duo.find_element(chart_part(ids.CHART_SVG, ids.INDICATOR_SERIES)))
    dash_duo.wait_for_text_to_equal(
        chart_part(ids.CHART_EXPORT_STATUS, ids.INDICATOR_SERIES), "已生成 SVG 文件", timeout=10
    )
    assert axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []


def _query(dash_duo: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(dash_duo.driver.current_url).query)


def _shown(dash_duo: Any) -> dict[str, bool]:
    """Which of the three views is on screen (not merely in the page)."""
    return dash_duo.driver.execute_script(
        "return Object.fromEntries(arguments[0].map(id => {"
        "  const e = document.getElementById(id);"
        "  return [id, !!e && !e.hidden && e.getClientRects().length > 0];"
        "}));",
        [ids.INDICATOR_VIEW_CHART, ids.INDICATOR_VIEW_TABLE, ids.INDICATOR_VIEW_MAP],
    )


def _choose_view(dash_duo: Any, words: str) -> None:
    label = next(
        e for e in dash_duo.find_elements(f"#{ids.INDICATOR_VIEW} label") if e.text == words
    )
    click(dash_duo.driver, label)


def test_chart_table_map_switch_is_in_the_url_survives_a_reload_and_goes_back(
    dash_duo: Any, sourced_app: Any, axe: Any
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = dash_duo.driver
    dash_duo.start_server(sourced_app)
    driver.get(
        dash_duo.server_url + "/indicator/rd_intensity?region=anhui,jiangsu&milestone=2025&lang=zh"
    )
    dash_duo.wait_for_element(f"#{ids.INDICATOR_SERIES} .js-plotly-plot .scatterlayer", timeout=15)
    # one labelled group of three radios, in the page's language, the chart chosen
    legend = dash_duo.find_element(f"fieldset:has(#{ids.INDICATOR_VIEW}) legend")
    assert legend.text == "视图"
    labels = [e.text for e in dash_duo.find_elements(f"#{ids.INDICATOR_VIEW} label")]
    assert labels == ["图表", "表格", "地图"]
    radios = dash_duo.find_elements(f"#{ids.INDICATOR_VIEW} input[type=radio]")
    assert [r.is_selected() for r in radios] == [True, False, False]
    assert _shown(dash_duo) == {
        ids.INDICATOR_VIEW_CHART: True, ids.INDICATOR_VIEW_TABLE: False,
        ids.INDICATOR_VIEW_MAP: False,
    }  # fmt: skip
    assert "view" not in _query(dash_duo)
    assert axe(driver) == []

    # the table: the same selection, values rounded as the indicator shows them, goal, source
    _choose_view(dash_duo, "表格")
    until(lambda: _query(dash_duo).get("view") == ["table"], timeout=15)
    assert _query(dash_duo)["region"] == ["anhui,jiangsu"]
    assert _query(dash_duo)["milestone"] == ["2025"]
    dash_duo.wait_for_element(f"#{ids.INDICATOR_TABLE} .ag-row", timeout=15)
    assert (
        _shown(dash_duo)[ids.INDICATOR_VIEW_TABLE]
        and not _shown(dash_duo)[ids.INDICATOR_VIEW_CHART]
    )
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('#indicator-table .ag-row')).map(r =>"
        "  Object.fromEntries(Array.from(r.querySelectorAll('.ag-cell')).map(c =>"
        "    [c.getAttribute('col-id'), c.textContent])));"
    )
    anhui = next(c for c in cells if c["region"] == "安徽" and c["year"] == "2024")
    assert anhui["value"] == "2.75" and anhui["goal"] == "> 3.00%"
    assert anhui["source_kind"] == "官方发布" and anhui["source_address"] == ADDRESS
    assert {c["region"] for c in cells} == {"安徽", "江苏"}
    # sortable: the value column's header sorts the rows by value
    header = dash_duo.find_element(f"#{ids.INDICATOR_TABLE} .ag-header-cell[col-id=value]")
    click(driver, header)
    until(
        lambda: (
            driver.execute_script(
                "return document.querySelector('#indicator-table .ag-header-cell[col-id=value]')"
                "  .getAttribute('aria-sort')"
            )
            == "ascending"
        ),
        timeout=10,
    )
    ordered = driver.execute_script(
        "return Array.from(document.querySelectorAll('#indicator-table .ag-center-cols-container"
        " .ag-row')).sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        "  .map(r => parseFloat(r.querySelector('[col-id=value]').textContent));"
    )
    assert ordered == sorted(ordered) and len(ordered) >= 5
    assert axe(driver) == []

    # the map: the tile grid of this indicator and milestone, with its downloads
    _choose_view(dash_duo, "地图")
    until(lambda: _query(dash_duo).get("view") == ["map"], timeout=15)
    dash_duo.wait_for_element(f"#{ids.INDICATOR_MAP_CITIES} .js-plotly-plot .main-svg", timeout=15)
    assert _shown(dash_duo) == {
        ids.INDICATOR_VIEW_CHART: False, ids.INDICATOR_VIEW_TABLE: False,
        ids.INDICATOR_VIEW_MAP: True,
    }  # fmt: skip
    dash_duo.find_element(chart_part(ids.CHART_SVG, ids.INDICATOR_MAP_CITIES))
    assert axe(driver) == []

    # a reload (or the link shared) opens the same view with the same selection
    driver.refresh()
    dash_duo.wait_for_element(f"#{ids.INDICATOR_MAP_CITIES} .js-plotly-plot .main-svg", timeout=15)
    radios = dash_duo.find_elements(f"#{ids.INDICATOR_VIEW} input[type=radio]")
    assert [r.is_selected() for r in radios] == [False, False, True]
    ticked = [
        e.get_attribute("value")
        for e in dash_duo.find_elements(f"#{ids.INDICATOR_REGIONS} input")
        if e.is_selected()
    ]
    assert sorted(ticked) == ["anhui", "jiangsu"]
    assert axe(driver) == []

    # back: the view before, the table
    driver.back()
    until(lambda: _query(dash_duo).get("view") == ["table"], timeout=15)
    dash_duo.wait_for_element(f"#{ids.INDICATOR_TABLE} .ag-row", timeout=15)
    until(lambda: _shown(dash_duo)[ids.INDICATOR_VIEW_TABLE], timeout=15)
    assert not _shown(dash_duo)[ids.INDICATOR_VIEW_MAP]

    # the keyboard: the checked radio takes the focus, an arrow key moves to the next view
    table_radio = dash_duo.find_elements(f"#{ids.INDICATOR_VIEW} input[type=radio]")[1]
    until(lambda: table_radio.is_selected(), timeout=10)
    driver.execute_script("arguments[0].focus();", table_radio)
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    until(lambda: "view" not in _query(dash_duo), timeout=15)
    until(lambda: _shown(dash_duo)[ids.INDICATOR_VIEW_CHART], timeout=15)
    # drawn while hidden (the page opened on the table), the chart takes its column's width
    width = (
        "return document.querySelector('#indicator-series .main-svg')"
        "  .getBoundingClientRect().width"
    )
    until(lambda: driver.execute_script(width) > 500, timeout=15)
    assert dash_duo.get_logs() == []


def test_a_countrys_regions_scroll_in_a_box_above_the_chart(
    dash_duo: Any, national_tracker: Any, axe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Synthetic national data: the hundreds of regions to choose from scroll in a box of a few
    lines, so the chart starts on the first screen; the last checkbox is reached with the
    keyboard and scrolled into view, and ticking it draws its line."""
    from selenium.webdriver.common.keys import Keys

    from dashboard.app import create_app

    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    dash_duo.start_server(create_app(national_tracker))
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    driver.get(dash_duo.server_url + "/indicator/rd_intensity?lang=en")
    dash_duo.wait_for_element(f"#{ids.INDICATOR_SERIES} .main-svg", timeout=60)
    boxes = driver.find_elements("css selector", f"#{ids.INDICATOR_REGIONS} input")
    assert len(boxes) > 100
    box = driver.find_element("css selector", f"#{ids.INDICATOR_REGIONS}")
    assert box.size["height"] <= 160  # about six lines, not pages of checkboxes
    chart = driver.find_element("css selector", f"#{ids.INDICATOR_SERIES}")
    assert chart.location["y"] < 900  # the chart starts on the first screen
    last = boxes[-1]
    driver.execute_script("arguments[0].focus()", boxes[-2])
    boxes[-2].send_keys(Keys.TAB)
    until(lambda: driver.switch_to.active_element == last, 5)
    inside = driver.execute_script(
        "const b = arguments[0].getBoundingClientRect(), i = arguments[1]"
        ".getBoundingClientRect(); return i.top >= b.top - 1 && i.bottom <= b.bottom + 1",
        box,
        last,
    )
    assert inside
    # the synthetic data say so in words on the page, and the gaps chart draws 30 bars of many
    banner = driver.find_element("css selector", f"#{ids.SYNTHETIC_BANNER}")
    until(lambda: banner.text == "Synthetic data — not official statistics", 10)
    assert banner.is_displayed() and banner.get_attribute("role") == "note"
    note = driver.find_element("css selector", f"#{ids.INDICATOR_GAPS_NOTE}")
    assert note.text.startswith("Showing the 30 furthest behind of ") and note.is_displayed()
    bars = driver.find_elements("css selector", f"#{ids.INDICATOR_GAPS} .barlayer .point")
    assert len(bars) == 30
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
