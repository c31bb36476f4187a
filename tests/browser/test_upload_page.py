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


def test_the_year_box_is_a_text_box_and_a_bad_year_is_refused_in_the_pages_language(
    dash_duo: Any, edit_app: Any, tmp_path: Path
) -> None:
    """No number box with stepper buttons named in English: a text box for digits, labelled in
    Chinese, and a year out of range is refused by the field's name before anything is read."""
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    _log_in(dash_duo, "/upload?lang=zh")
    year = dash_duo.wait_for_element(f"#{ids.UPLOAD_YEAR}")
    assert (year.get_attribute("type"), year.get_attribute("inputmode")) == ("text", "numeric")
    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{ids.UPLOAD_YEAR}']")
    assert label.text == "年份（可选）"
    assert label.find_elements(By.XPATH, "..//button") == []  # no stepper beside the box
    driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]").send_keys(
        _write(tmp_path, "rd-2024.csv", GOOD_CSV)
    )
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", "rd-2024.csv")
    year.send_keys("18500")  # five digits: the box keeps four
    assert year.get_attribute("value") == "1850"
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    dash_duo.wait_for_contains_text(
        f"#{ids.UPLOAD_REPORT}",
        "“年份（可选）”须为 1949 至 2100 之间的整数，或留空；填写的是“1850”。未导入任何数据。",
        timeout=20,
    )
    assert dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").get_attribute("disabled") == "true"
    assert dash_duo.get_logs() == []
