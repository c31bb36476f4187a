"""The provisional mark in Chromium, where issue 14 found it missing: an upload of a value written
`62左右` (approximate) says in its warnings that the verdict on it is provisional and why; then
the region page's goal table and the overview's behind-schedule list say it too, in the words
of targets.provenance (provisional_words), and the pages pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboard import ids
from tests.browser.test_edit_pages import _log_in, _write

pytestmark = pytest.mark.browser

# a test figure (not a published statistic): Anhui's 2024 urbanization written as 62左右
APPROX_CSV = "地区,指标,年份,数值\n安徽,常住人口城镇化率,2024,62左右\n"
MARK_ZH = "初步（约数）：约数（左右/超过/突破），实际值经取整或只给出界限（2024年数值）"
MARK_EN = (
    "provisional (approximate): an approximate figure (左右/超过/突破): the outturn rounded or "
    "bounded (2024 value)"
)


def test_an_approximate_upload_is_marked_provisional_in_its_warnings_region_and_overview(
    dash_duo: Any, edit_app: Any, fixture_tracker: Any, tmp_path: Path, axe: Any
) -> None:
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    _log_in(dash_duo, "/upload?lang=zh")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}")
    driver.find_element("css selector", f"#{ids.UPLOAD_FILES} input[type=file]").send_keys(
        _write(tmp_path, "anhui-2024.csv", APPROX_CSV)
    )
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", "anhui-2024.csv")
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    # the check forecasts the warnings the import will give: the status change carries the mark
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", MARK_ZH, timeout=30)
    report = dash_duo.find_element(f"#{ids.UPLOAD_REPORT}").text
    assert "常住人口城镇化率 · 安徽（2025年目标）" in report
    assert axe(driver) == []
    dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_RESULT}", MARK_ZH, timeout=30)
    stored = fixture_tracker.store.observations()
    mine = stored[(stored["region"] == "anhui") & (stored["year"] == 2024)]
    assert (mine["value"].tolist(), mine["flag"].tolist()) == ([62.0], ["approx"])

    # the region page: the urbanization row's status cell says it, visibly and in its hover
    driver.get(f"{dash_duo.server_url}/region/anhui?lang=en&milestone=2025")
    dash_duo.wait_for_contains_text(f"#{ids.REGION_GOALS}", MARK_EN, timeout=30)
    row = next(
        r
        for r in driver.find_elements("css selector", f"#{ids.REGION_GOALS} tbody tr")
        if r.text.startswith("Urbanization rate")
    )
    cell = row.find_element("css selector", ".status-cell")
    assert cell.find_element("css selector", ".cell-provisional").text == MARK_EN
    assert cell.get_attribute("title").endswith(MARK_EN)
    # only the flagged goal: Anhui's R&D intensity rests on final values
    rd = next(
        r
        for r in driver.find_elements("css selector", f"#{ids.REGION_GOALS} tbody tr")
        if r.text.startswith("R&D intensity")
    )
    assert "provisional" not in rd.text
    assert axe(driver) == []

    # the overview's behind-schedule list, in Chinese
    driver.get(f"{dash_duo.server_url}/?lang=zh&milestone=2025")
    dash_duo.wait_for_contains_text(f"#{ids.OVERVIEW_BEHIND}", MARK_ZH, timeout=30)
    item = next(
        li
        for li in driver.find_elements("css selector", f"#{ids.OVERVIEW_BEHIND} li")
        if li.text.startswith("安徽 · 常住人口城镇化率")
    )
    assert item.find_element("css selector", ".cell-provisional").text == MARK_ZH
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
