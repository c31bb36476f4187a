"""The editing side in headless Chromium: log in as an editor, upload a CSV, read the check report,
confirm, find the import in History (its note, an HTML payload, shown as text and never run),
revert it; a refused file's preview marks the bad cells; anonymous visitors see no upload form;
the reports page downloads a file that opens.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.pages import reports

pytestmark = pytest.mark.browser

XSS_NOTE = "<img src=x onerror=alert(1)>"
GOOD_CSV = "地区,指标,年份,数值\n上海,研发投入强度,2023,4.50\n江苏,研发投入强度,2024,3.41\n"
BAD_CSV = "地区,指标,年份,数值\n上海,研发投入强度,2024,abc\n火星,研发投入强度,2024,3.4\n"


def _no_alert(driver: Any) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"an alert fired: {text!r}")


def _log_in(dash_duo: Any, next_path: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server_url}/login?lang=en&next={quote(next_path)}")
    dash_duo.wait_for_element(f"#{ids.LOGIN_USER}").send_keys("erin")
    password = dash_duo.find_element(f"#{ids.LOGIN_PASSWORD}")
    password.send_keys("erin-password")
    password.send_keys(Keys.ENTER)  # the form submits from the keyboard


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _wait_for_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file arrived in {folder}: {list(folder.iterdir())}")


def test_editor_uploads_checks_confirms_then_reverts_in_history(
    dash_duo: Any, edit_app: Any, fixture_tracker: Any, tmp_path: Path, screenshot: Any
) -> None:
    store = fixture_tracker.store
    before = len(store.imports())
    dash_duo.start_server(edit_app)
    _log_in(dash_duo, "/upload?lang=en")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}")
    driver = dash_duo.driver
    # dcc.Upload's hidden <input type=file>: Selenium hands it the path, as a drop would
    driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]").send_keys(
        _write(tmp_path, "rd-2024.csv", GOOD_CSV)
    )
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", "rd-2024.csv")
    dash_duo.find_element(f"#{ids.UPLOAD_NOTE}").send_keys(XSS_NOTE)
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "Ready to import: 2 rows", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "new 1 · unchanged 0 · revised 1")
    assert len(store.imports()) == before  # the check wrote nothing
    screenshot(driver, "upload-checked")

    confirm = dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}")
    assert confirm.is_enabled()
    confirm.click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_RESULT}", "Imported as #", timeout=20)
    new = store.imports()[0]
    assert (new.file_name, new.user, new.note, new.rows) == ("rd-2024.csv", "erin", XSS_NOTE, 2)
    screenshot(driver, "upload-committed")

    driver.get(f"{dash_duo.server_url}/history?lang=en")
    row = f"#history-import-{new.id}"
    dash_duo.wait_for_element(row)
    note_cell = dash_duo.find_element(f"{row} .history-note-text")
    assert note_cell.text == XSS_NOTE  # the markup shows as its characters
    assert driver.find_elements(By.CSS_SELECTOR, f"#{ids.HISTORY_IMPORTS} img") == []
    _no_alert(driver)
    assert "import" in dash_duo.find_element(f"#{ids.HISTORY_AUDIT}").text
    screenshot(driver, "history-with-note")

    dash_duo.find_element(f"{row} button").click()
    dialog = WebDriverWait(driver, 10).until(EC.alert_is_present())
    assert f"Revert import #{new.id} (rd-2024.csv, 2 rows)?" in dialog.text
    dialog.accept()
    dash_duo.wait_for_text_to_equal(f"{row} .history-state-reverted", "reverted", timeout=20)
    assert store.get_import(new.id).state == "reverted"
    assert dash_duo.find_elements(f"{row} button") == []  # nothing left to revert
    actions = store.audit_log()["action"].tolist()
    assert actions[:3] == ["revert", "import", "login"]
    screenshot(driver, "history-reverted")

    # the header's logout button ends the session: the page offers a login link again
    dash_duo.find_element("#shell-logout-submit").click()
    dash_duo.wait_for_element(f"#{ids.LOGIN_LINK}")
    assert store.audit_log()["action"].tolist()[0] == "logout"
    driver.get(f"{dash_duo.server_url}/history?lang=en")
    dash_duo.wait_for_element(row)
    assert dash_duo.find_elements(f"#{ids.HISTORY_IMPORTS} button") == []
    assert dash_duo.get_logs() == []


def test_a_refused_file_shows_located_errors_and_marked_cells(
    dash_duo: Any, edit_app: Any, fixture_tracker: Any, tmp_path: Path, screenshot: Any
) -> None:
    dash_duo.start_server(edit_app)
    _log_in(dash_duo, "/upload?lang=en")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}")
    dash_duo.driver.find_element(
        By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]"
    ).send_keys(_write(tmp_path, "bad.csv", BAD_CSV))
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", "bad.csv")
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "Refused: 2 errors", timeout=20)
    table = dash_duo.find_element(".upload-issues").text
    assert "D2" in table and "bad-value" in table and "A3" in table and "unknown-region" in table
    cell = dash_duo.wait_for_element(
        ".upload-preview .ag-cell[col-id='D']:not(.ag-cell-value:empty)"
    )
    marked = [
        c.text
        for c in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".upload-preview .ag-cell")
        if c.text.startswith("⚠")
    ]
    assert sorted(marked) == ["⚠ abc", "⚠ 火星"], cell.text
    headers = [
        h.text
        for h in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".upload-preview .ag-header-cell")
    ]
    assert "Suggestion" in headers, headers
    bad = next(
        c
        for c in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".upload-preview .ag-cell")
        if c.text == "⚠ abc"
    )
    assert bad.value_of_css_property("background-color") == "rgba(248, 215, 218, 1)"
    assert not dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").is_enabled()
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView()", dash_duo.find_element(".upload-issues")
    )
    time.sleep(0.3)  # let the grid finish drawing after the scroll
    screenshot(dash_duo.driver, "upload-refused")
    assert dash_duo.get_logs() == []


def test_anonymous_visitors_get_no_upload_form_and_no_revert_button(
    dash_duo: Any, edit_app: Any, screenshot: Any, axe: Any
) -> None:
    dash_duo.start_server(edit_app)
    dash_duo.driver.get(f"{dash_duo.server_url}/upload?lang=en")
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REFUSED}", "log in as an editor")
    assert dash_duo.find_elements(f"#{ids.UPLOAD_FILES}") == []
    dash_duo.driver.get(f"{dash_duo.server_url}/history?lang=en")
    dash_duo.wait_for_element(f"#{ids.HISTORY_IMPORTS} table")
    assert dash_duo.find_elements(f"#{ids.HISTORY_IMPORTS} button") == []
    assert "editors and administrators only" in dash_duo.find_element(f"#{ids.HISTORY_AUDIT}").text
    assert axe(dash_duo.driver) == []
    dash_duo.driver.get(f"{dash_duo.server_url}/login?lang=zh")
    dash_duo.wait_for_element(f"#{ids.LOGIN_USER}")
    assert axe(dash_duo.driver) == []
    screenshot(dash_duo.driver, "login")
    assert dash_duo.get_logs() == []


def test_edit_pages_pass_axe_for_an_editor(
    dash_duo: Any, edit_app: Any, tmp_path: Path, axe: Any, screenshot: Any
) -> None:
    dash_duo.start_server(edit_app)
    _log_in(dash_duo, "/upload?lang=zh")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}")
    assert axe(dash_duo.driver) == []
    screenshot(dash_duo.driver, "upload_zh")
    # the drop zone's button is reachable with the keyboard: Tab lands on it
    browse = dash_duo.find_element(f"#{ids.UPLOAD_BROWSE}")
    assert browse.tag_name == "button" and browse.get_attribute("tabindex") in (None, "0")
    dash_duo.driver.get(f"{dash_duo.server_url}/history?lang=zh")
    dash_duo.wait_for_element(f"#{ids.HISTORY_IMPORTS} button")
    assert axe(dash_duo.driver) == []
    screenshot(dash_duo.driver, "history_zh")
    dash_duo.driver.get(f"{dash_duo.server_url}/reports?lang=zh")
    dash_duo.wait_for_element(f"#{reports.BUTTONS['pdf']}")
    assert axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []


def test_reports_page_downloads_files_that_open(
    dash_duo: Any, edit_app: Any, screenshot: Any
) -> None:
    dash_duo.start_server(edit_app)
    dash_duo.driver.get(f"{dash_duo.server_url}/reports?lang=en")
    dash_duo.wait_for_element(f"#{reports.BUTTONS['csv']}").click()
    folder = Path(dash_duo.download_path)
    got = _wait_for_file(folder, ".csv")
    assert got.name == "yrd-targets-2025-en.csv"
    rows = list(csv.reader(io.StringIO(got.read_text(encoding="utf-8-sig"))))
    assert len(rows) > 5 and any(
        "rd_intensity" in ",".join(r) or "R&D" in ",".join(r) for r in rows
    )
    dash_duo.wait_for_contains_text(f"#{ids.REPORTS_STATUS}", "is ready")

    dash_duo.find_element(f"#{reports.BUTTONS['xlsx']}").click()
    book = openpyxl.load_workbook(_wait_for_file(folder, ".xlsx"), read_only=True)
    assert book.sheetnames
    book.close()
    screenshot(dash_duo.driver, "reports")
    assert dash_duo.get_logs() == []
