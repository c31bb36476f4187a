"""The upload page in Chromium: the file's layout in words, and after "confirm" the result is
brought into view and takes the focus (it appears below the preview, off screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from tests.browser.test_edit_pages import GOOD_CSV, _log_in, _write

pytestmark = pytest.mark.browser


def test_result_is_brought_into_view_and_focused(
    dash_duo: Any, edit_app: Any, tmp_path: Path, axe: Any, screenshot: Any
) -> None:
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    driver.set_window_size(1366, 700)
    _log_in(dash_duo, "/upload?lang=zh")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}")
    driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]").send_keys(
        _write(tmp_path, "rd-2024.csv", GOOD_CSV)
    )
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", "rd-2024.csv")
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "版式：长表，每行一个数值", timeout=20)
    assert "long" not in dash_duo.find_element(f"#{ids.UPLOAD_REPORT}").text
    screenshot(driver, "upload_checked_zh")
    confirm = dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}")
    driver.execute_script("window.scrollTo(0, 0);")
    confirm.click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_RESULT}", "#", timeout=20)
    WebDriverWait(driver, 5).until(
        lambda d: d.execute_script("return document.activeElement.id") == ids.UPLOAD_RESULT
    )
    top, bottom, height = driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight];",
        ids.UPLOAD_RESULT,
    )
    assert 0 <= top < height, (top, bottom, height)
    screenshot(driver, "upload_committed_zh")
    assert axe(driver) == []
    assert dash_duo.get_logs() == []
