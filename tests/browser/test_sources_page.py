"""The sources page in Chromium: addresses as links that open a new tab with no handle on this
page, a badge for official vs repost, and a definition panel per indicator."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app

pytestmark = pytest.mark.browser

OFFICIAL = "https://tjj.ah.gov.cn/ssah/qwfbjd/tjgb/sjtjgb/149258011.html"
REPOST = "http://www.example-repost.cn/news/2024/0301/rd.html"


@pytest.fixture
def app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    rows = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "anhui", "year": 2024, "value": 2.75,
          "unit": None, "note": f"[test figure] official release: {OFFICIAL} «2.75%»"},
         {"indicator": "rd_intensity", "region": "jiangsu", "year": 2024, "value": 3.3,
          "unit": None, "note": f"[test figure] compiled from a public repost: {REPOST} «3.3%»"}]
    )  # fmt: skip
    fixture_tracker.store.write_import(
        rows, file_name="sources.csv", sha256="6" * 64, layout="long", user="tests",
        note="test fixture (not published statistics)",
    )  # fmt: skip
    return create_app(fixture_tracker)


def test_addresses_are_links_with_badges_and_each_indicator_has_a_definition(
    dash_duo: Any, app: Any, axe: Any
) -> None:
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    driver.get(dash_duo.server_url + "/sources?lang=zh")
    dash_duo.wait_for_element(f"#{ids.SOURCES_TABLE} a[href='{OFFICIAL}']", timeout=20)
    for address in (OFFICIAL, REPOST):
        link = dash_duo.find_element(f"#{ids.SOURCES_TABLE} a[href='{address}']")
        assert link.get_attribute("target") == "_blank"
        assert set(link.get_attribute("rel").split()) == {"noopener", "noreferrer"}
        assert link.text == address
    badges = {
        b.text: b.get_attribute("class")
        for b in driver.find_elements("css selector", f"#{ids.SOURCES_TABLE} .source-badge")
    }
    assert "source-official" in badges["官方发布"] and "source-repost" in badges["转载"]
    panel = dash_duo.find_element("#definition-rd_intensity")
    driver.execute_script("arguments[0].open = true; arguments[0].scrollIntoView();", panel)
    text = panel.text
    for part in ("测量内容", "单位", "数值发布方", "tjj.ah.gov.cn：官方 1 个", "规划原文",
                 "研发投入强度达到 3%以上"):  # fmt: skip
        assert part in text, part
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
