"""The indicator page in Chromium: plan quotes readable, each value's source on hover, and the
chart's picture downloads carrying its title, goal and source line."""

from __future__ import annotations

import base64
import html
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app

pytestmark = pytest.mark.browser

ADDRESS = "https://tjj.ah.gov.cn/ssah/qwfbjd/tjgb/sjtjgb/149258011.html"


@pytest.fixture
def app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    # one value with a source in the bundled form (test figure, not a published statistic)
    rows = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "anhui", "year": 2024, "value": 2.75,
          "unit": None, "note": f"[test figure] official release: {ADDRESS} «2.75%»"}]
    )  # fmt: skip
    fixture_tracker.store.write_import(
        rows, file_name="official.csv", sha256="5" * 64, layout="long", user="tests",
        note="test fixture (not published statistics)",
    )  # fmt: skip
    return create_app(fixture_tracker)


def test_quotes_do_not_overlap_their_citations(dash_duo: Any, app: Any) -> None:
    dash_duo.start_server(app)
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
    dash_duo: Any, app: Any, axe: Any
) -> None:
    from dashboard.pages import indicator

    dash_duo.start_server(app)
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

    with app.server.test_request_context("/"):
        tr = app.server.config["TRACKER"]
        ind = tr.catalogue["rd_intensity"]
        obs = tr.observations(indicators=["rd_intensity"])
        meta = indicator.export_meta(tr, ind, ["anhui"], 2025, "zh", obs)
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
    dash_duo.find_element(f"#{ids.INDICATOR_SVG}").click()
    dash_duo.wait_for_text_to_equal(
        f"#{ids.INDICATOR_EXPORT_STATUS}", "已生成 SVG 文件", timeout=10
    )
    assert axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []
