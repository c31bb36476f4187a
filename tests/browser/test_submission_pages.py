"""Reviewed submissions in headless Chromium: an editor limited to Anhui cannot import Jiangsu's
values, submits Anhui's (seeing beforehand the warnings its import would raise), a reviewer sees
the diff and approves, and the overview shows the new value; a returned submission changes
nothing. With TARGETS_EDITS=submit, as an office collecting four provinces' figures would run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from targets.passwords import hash_password
from targets.users import add_user

pytestmark = pytest.mark.browser

ANHUI_CSV = "地区,指标,年份,数值\n安徽,研发投入强度,2024,3.05\n安徽,研发投入强度,2023,2.70\n"
JIANGSU_CSV = "地区,指标,年份,数值\n安徽,研发投入强度,2024,3.05\n江苏,研发投入强度,2024,3.41\n"
ANHUI_CELL = (
    f'#{ids.OVERVIEW_MATRIX} a[href="/indicator/rd_intensity?region=anhui&milestone=2025&lang=en"]'
)


@pytest.fixture
def review_app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Editors submit; ana may give Anhui's values only; rita reviews."""
    from dashboard.app import create_app
    from tests.test_sessions import SECRET

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    monkeypatch.setenv("TARGETS_EDITS", "submit")
    monkeypatch.delenv("TARGETS_PUBLIC_VIEW", raising=False)
    store = fixture_tracker.store
    add_user(store, "ana", "editor", hash_password("ana-password"), regions=["anhui"])
    add_user(store, "rita", "reviewer", hash_password("rita-password"))
    return create_app(fixture_tracker)


def _log_in(dash_duo: Any, name: str, next_path: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server_url}/login?lang=en&next={quote(next_path)}")
    dash_duo.wait_for_element(f"#{ids.LOGIN_USER}").send_keys(name)
    password = dash_duo.find_element(f"#{ids.LOGIN_PASSWORD}")
    password.send_keys(f"{name}-password")
    password.send_keys(Keys.ENTER)


def _log_out(dash_duo: Any) -> None:
    dash_duo.find_element("#shell-logout-submit").click()
    dash_duo.wait_for_element("#shell-login")


def _press(dash_duo: Any, selector: str) -> None:
    """Press a button from the keyboard: focus it, Enter (the grids above it load late and move
    it, which a mouse click at its old place would miss)."""
    button = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)


def _check_file(dash_duo: Any, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    dash_duo.driver.find_element(
        By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]"
    ).send_keys(str(path))
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", name)
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()


def test_an_anhui_editor_submits_a_reviewer_approves_the_overview_changes(
    dash_duo: Any, review_app: Any, fixture_tracker: Any, tmp_path: Path, axe: Any,
    screenshot: Any,
) -> None:  # fmt: skip
    store = fixture_tracker.store
    version = store.data_version()
    dash_duo.start_server(review_app)
    _log_in(dash_duo, "ana", "/upload?lang=en")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_SUBMIT_INTRO}")
    assert dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").text == "Submit for review"

    # Jiangsu's value in the file: refused whole, the row named
    _check_file(dash_duo, tmp_path, "with-jiangsu.csv", JIANGSU_CSV)
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "region-not-allowed", timeout=30)
    report = dash_duo.find_element(f"#{ids.UPLOAD_REPORT}").text
    assert "a value for jiangsu: account ana may upload anhui only" in report
    assert not dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").is_enabled()

    # Anhui's alone: the check shows what the import would change and raise, before submitting
    _check_file(dash_duo, tmp_path, "anhui-2024.csv", ANHUI_CSV)
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", "Ready to import: 2 rows", timeout=30)
    report = dash_duo.find_element(f"#{ids.UPLOAD_REPORT}").text
    assert "revises 1 value(s) in force: rd_intensity anhui 2023: 2.69 → 2.7" in report
    dash_duo.find_element(f"#{ids.UPLOAD_NOTE}").send_keys("安徽省统计局 2024")
    dash_duo.find_element(f"#{ids.UPLOAD_CONFIRM}").click()
    dash_duo.wait_for_contains_text(
        f"#{ids.UPLOAD_RESULT}", "Submitted as #1: 2 rows, pending review", timeout=30
    )
    assert store.data_version() == version  # nothing in force yet

    dash_duo.driver.get(f"{dash_duo.server_url}/submissions?lang=en")
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSION_ROW}-1", "pending review")
    assert dash_duo.find_elements(f"#{ids.SUBMISSIONS_LIST} button") == []  # no review for ana
    screenshot(dash_duo.driver, "submissions-submitter")
    assert axe(dash_duo.driver) == []
    _log_out(dash_duo)

    _log_in(dash_duo, "rita", "/submissions?lang=en")
    card = f"#{ids.SUBMISSION_CARD}-1"
    dash_duo.wait_for_element(card, timeout=15)
    text = dash_duo.find_element(card).text
    assert "by ana" in text and "安徽省统计局 2024" in text
    assert "new 1, unchanged 0, revised 1" in text and "revises 1 value(s) in force" in text
    dash_duo.wait_for_element(f"{card} .ag-row")  # the diff grid
    approve = dash_duo.find_element(f"{card} button.btn-success")
    assert approve.get_attribute("aria-label") == (
        "Approve submission #1 (anhui-2024.csv) and put it in force"
    )
    screenshot(dash_duo.driver, "submissions-review")
    assert axe(dash_duo.driver) == []
    # from the keyboard: focus the button, Enter
    dash_duo.driver.execute_script("arguments[0].focus()", approve)
    approve.send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text(
        f"#{ids.SUBMISSIONS_STATUS}", "Submission #1 approved: in force as import #2", timeout=30
    )
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSION_ROW}-1", "approved")
    assert "in force as import #2" in dash_duo.find_element(f"#{ids.SUBMISSION_ROW}-1").text
    imp = store.get_import(2)
    assert (imp.user, imp.note, imp.file_name) == ("ana", "安徽省统计局 2024", "anhui-2024.csv")

    dash_duo.driver.get(f"{dash_duo.server_url}/?lang=en")
    dash_duo.wait_for_element(ANHUI_CELL, timeout=15)
    cell = dash_duo.find_element(ANHUI_CELL).text
    assert "3.05" in cell and "2024" in cell
    assert dash_duo.get_logs() == []


def test_a_returned_submission_changes_nothing(
    dash_duo: Any, review_app: Any, fixture_tracker: Any, axe: Any, screenshot: Any
) -> None:
    from targets.submissions import get_submission, submit

    tr = fixture_tracker
    out = submit(
        tr.store, tr.catalogue, tr.regions, [("anhui.csv", ANHUI_CSV.encode())], user="ana"
    )
    sid = out.ids["anhui.csv"]
    before, version = tr.store.observations(), tr.store.data_version()
    dash_duo.start_server(review_app)
    _log_in(dash_duo, "rita", "/submissions?lang=en")
    card = f"#{ids.SUBMISSION_CARD}-{sid}"
    dash_duo.wait_for_element(card, timeout=15)
    # returning needs a comment: without one, nothing happens but a message
    _press(dash_duo, f"{card} button.btn-outline-secondary")
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSIONS_STATUS}", "needs a comment", timeout=20)
    assert get_submission(tr.store, sid).state == "pending"
    dash_duo.find_element(f"{card} textarea").send_keys("2023 年数值请附来源")
    _press(dash_duo, f"{card} button.btn-outline-secondary")
    dash_duo.wait_for_contains_text(
        f"#{ids.SUBMISSIONS_STATUS}", f"Submission #{sid} returned", timeout=20
    )
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSION_ROW}-{sid}", "returned")
    assert tr.store.data_version() == version and tr.store.observations().equals(before)
    _log_out(dash_duo)

    _log_in(dash_duo, "ana", "/submissions?lang=en")
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSION_ROW}-{sid}", "rita: 2023 年数值请附来源")
    screenshot(dash_duo.driver, "submissions-returned")
    # the same in Chinese: the state in words and sign, the reviewer's comment, no axe finding
    dash_duo.driver.get(f"{dash_duo.server_url}/submissions?lang=zh")
    dash_duo.wait_for_contains_text(f"#{ids.SUBMISSION_ROW}-{sid}", "↩ 已退回")
    assert (
        "审核人 rita：2023 年数值请附来源"
        in dash_duo.find_element(f"#{ids.SUBMISSION_ROW}-{sid}").text
    )
    screenshot(dash_duo.driver, "submissions-returned-zh")
    assert axe(dash_duo.driver) == []
    dash_duo.driver.get(f"{dash_duo.server_url}/?lang=en")
    dash_duo.wait_for_element(ANHUI_CELL, timeout=15)
    assert "2.69" in dash_duo.find_element(ANHUI_CELL).text
    assert dash_duo.get_logs() == []
