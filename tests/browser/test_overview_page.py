"""The overview in Chromium: one vertical scrollbar, usable on a 390 px phone (the first column
stays while the matrix scrolls sideways), cells named in full for screen readers, and the
city-columns switch disabled with its reason when no city has data."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard import ids
from dashboard.app import create_app

pytestmark = pytest.mark.browser

GEOMETRY = """
const wrap = document.querySelector('.matrix-wrap');
const head = document.querySelector('#overview-matrix tbody th.row-head');
return {
  pageWidth: document.documentElement.scrollWidth,
  viewWidth: document.documentElement.clientWidth,
  wrapScrollH: wrap.scrollHeight, wrapClientH: wrap.clientHeight,
  wrapScrollW: wrap.scrollWidth, wrapClientW: wrap.clientWidth,
  wrapLeft: wrap.getBoundingClientRect().left, headLeft: head.getBoundingClientRect().left,
};
"""


@pytest.fixture
def app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    return create_app(fixture_tracker)


def _object_id(driver: Any, element: Any) -> str:
    """The CDP remote object id of a Selenium element."""
    driver.execute_script("window.__pagesTestNode = arguments[0];", element)
    result = driver.execute_cdp_cmd("Runtime.evaluate", {"expression": "window.__pagesTestNode"})
    return str(result["result"]["objectId"])


def test_overview_at_1366_px_names_each_cell_and_says_why_cities_are_off(
    dash_duo: Any, app: Any, axe: Any
) -> None:
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}", timeout=20)
    geometry = driver.execute_script(GEOMETRY)
    # the page scrolls, not a box inside it
    assert geometry["wrapScrollH"] <= geometry["wrapClientH"] + 1
    link = dash_duo.find_element(
        f'#{ids.OVERVIEW_MATRIX} a[href="/indicator/rd_intensity?region=anhui&milestone=2025&lang=zh"]'
    )
    # the link's accessible name, as Chromium computes it for a screen reader
    node = driver.execute_cdp_cmd("DOM.describeNode", {"objectId": _object_id(driver, link)})[
        "node"
    ]
    tree = driver.execute_cdp_cmd(
        "Accessibility.getPartialAXTree",
        {"backendNodeId": node["backendNodeId"], "fetchRelatives": False},
    )
    name = next(
        n["name"]["value"] for n in tree["nodes"] if n.get("role", {}).get("value") == "link"
    )
    assert name.startswith("安徽，研发投入强度，2023年2.69，")
    assert "目标" in name and "✔" not in name
    # the fixture has no city values: the switch is off, disabled, and its label says why
    switch = dash_duo.find_element(f"#{ids.OVERVIEW_CITIES}")
    assert switch.get_attribute("disabled") is not None and not switch.is_selected()
    label = dash_duo.find_element(f"label[for='{ids.OVERVIEW_CITIES}']").text
    assert "尚无城市数据" in label
    assert axe(driver) == []
    assert dash_duo.get_logs() == []


def test_overview_on_a_390_px_phone(dash_duo: Any, app: Any, screenshot: Any) -> None:
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(390, 844)
    for lang in ("zh", "en"):
        driver.get(dash_duo.server_url + f"/?lang={lang}")
        dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX}", timeout=20)
        geometry = driver.execute_script(GEOMETRY)
        # the page is as wide as the phone; the matrix scrolls sideways inside it
        assert geometry["pageWidth"] <= geometry["viewWidth"] + 1, geometry
        assert geometry["wrapScrollW"] > geometry["wrapClientW"], geometry
        assert geometry["wrapScrollH"] <= geometry["wrapClientH"] + 1, geometry
        # scrolled sideways, the goal column stays where it was
        driver.execute_script("document.querySelector('.matrix-wrap').scrollLeft = 300;")
        moved = driver.execute_script(GEOMETRY)
        assert abs(moved["headLeft"] - moved["wrapLeft"]) <= 1, moved
        driver.execute_script("document.querySelector('.matrix-wrap').scrollLeft = 0;")
        screenshot(driver, f"overview_390_{lang}")
    assert dash_duo.get_logs() == []


def test_a_countrys_cities_one_province_at_a_time(
    dash_duo: Any, national_tracker: Any, axe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Synthetic national data (136 cities with data, past MAX_CITY_COLUMNS): with the city
    columns on, a labelled select says whose cities the matrix shows; choosing another province
    redraws the matrix with that province beside its cities, and the address keeps the choice."""
    from selenium.webdriver.support.ui import Select

    from dashboard.pages import overview as page

    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    tr = national_tracker
    dash_duo.start_server(create_app(tr))
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    driver.get(dash_duo.server_url + "/?cities=1&lang=en")
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_MATRIX} td", timeout=60)
    gaps = tr.gaps(milestone=2025)
    base = page.region_columns(tr.regions, gaps, False)
    top = [r for r in base if tr.regions.get(r).level != "province"]

    def heads() -> list[str]:
        return [
            e.text for e in driver.find_elements("css selector", "#overview-matrix th.region-head")
        ]

    select = Select(dash_duo.find_element(f"#{ids.OVERVIEW_PROVINCE}"))
    label = dash_duo.find_element(f"label[for='{ids.OVERVIEW_PROVINCE}']").text
    assert label == "Cities of"
    first = select.first_selected_option.get_attribute("value")
    assert page.ALL_CITIES not in [o.get_attribute("value") for o in select.options]
    shown = heads()
    assert tr.regions.name(first, "en") in shown and len(shown) < len(base)
    # another province: it and its cities only, filtered on the server
    select.select_by_value("syn_p05")
    cities = [c.id for c in tr.regions.cities() if c.parent == "syn_p05"]
    dash_duo.wait_for_text_to_equal(
        "#overview-matrix th.region-head:last-child", tr.regions.name(cities[-1], "en"), timeout=60
    )
    assert heads() == [tr.regions.name(r, "en") for r in [*top, "syn_p05", *cities]]
    assert "province=syn_p05" in driver.current_url
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
