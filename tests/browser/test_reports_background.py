"""The reports page's background export in headless Chromium, logged in on a private dashboard
(every request, the polls included, needs the session and its CSRF token).

While a PDF is made the format buttons are disabled, a labelled progress bar with its stage in
words and a Cancel button show, and the page passes axe; then the PDF arrives in the download
folder and is a real PDF. Cancel stops the job's process. The same export also runs through a
real Celery worker (tests/test_worker.py starts it).

To look at the page while a job runs without racing it, the job (forked from this process, so
it has the patch) is held at one stage until the test opens a gate: the job still does all of
its real work, only later.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from dash import CeleryManager
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.pages import reports
from targets.passwords import hash_password
from targets.users import add_user
from tests.browser.test_edit_pages import _log_in, _wait_for_file
from tests.test_sessions import SECRET
from tests.test_worker import Worker, celery_worker  # noqa: F401 - the fixture, used below

pytestmark = pytest.mark.browser

FORMAT_BUTTONS = [f"#{reports.BUTTONS[fmt]}" for fmt in reports.FORMATS]


@pytest.fixture
def private_app(fixture_tracker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from dashboard.app import create_app

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    monkeypatch.setenv("TARGETS_PUBLIC_VIEW", "0")
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(tmp_path / "jobs"))
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    # an editor account: _log_in (shared with the editing tests) logs in as erin
    add_user(fixture_tracker.store, "erin", "editor", hash_password("erin-password"))
    return create_app(fixture_tracker)


def hold_job_at(stage: str, gate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next export wait at `stage` until `gate` exists (see the module docstring)."""
    real = reports.progress_values

    def held(fraction: float, at: str, lang: str) -> tuple[str, str, str]:
        if at == stage:
            while not gate.exists():
                time.sleep(0.05)
        return real(fraction, at, lang)

    monkeypatch.setattr(reports, "progress_values", held)


def job_processes() -> list[psutil.Process]:
    """Live processes forked from this one (the diskcache jobs; chromedriver is another program)."""
    me = psutil.Process()
    return [
        p
        for p in me.children()
        if p.status() != psutil.STATUS_ZOMBIE and p.cmdline() == me.cmdline()
    ]


def wait_running(dash_duo: Any, words: str) -> None:
    """The job panel shows, with the stage in words and a percentage."""
    dash_duo.wait_for_contains_text(f"#{ids.REPORTS_PROGRESS_TEXT}", words, timeout=60)
    dash_duo.wait_for_contains_text(f"#{ids.REPORTS_PROGRESS_TEXT}", "%", timeout=60)


def assert_running(dash_duo: Any) -> None:
    driver = dash_duo.driver
    assert all(not dash_duo.find_element(b).is_enabled() for b in FORMAT_BUTTONS)
    assert dash_duo.find_element(f"#{ids.REPORTS_JOB}").is_displayed()
    cancel = dash_duo.find_element(f"#{ids.REPORTS_CANCEL}")
    assert cancel.is_displayed() and cancel.is_enabled()
    bar = dash_duo.find_element(f"#{ids.REPORTS_PROGRESS}")
    # the bar is named by its visible label, and the words beside it say the same percentage
    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{ids.REPORTS_PROGRESS}']")
    assert label.is_displayed() and label.text in ("生成进度", "Progress")
    # both read in one script: the job moves on between two WebDriver calls (a slow machine
    # read the words at 4% and the bar, a moment later, at 17%)
    value, text = driver.execute_script(
        "return [arguments[0].value, arguments[1].innerText];",
        bar,
        dash_duo.find_element(f"#{ids.REPORTS_PROGRESS_TEXT}"),
    )
    assert f"{value:g}%" in text
    assert bar.get_attribute("aria-describedby") == ids.REPORTS_PROGRESS_TEXT
    # the live region tells screen readers the phase (hidden on screen, where the text is)
    live = dash_duo.find_element(f"#{ids.REPORTS_PROGRESS_LIVE}")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    phase = live.get_attribute("textContent")
    assert phase.startswith(("生成中：", "Working: ")) and "%" not in phase
    assert not dash_duo.find_element(f"#{ids.REPORTS_STATUS}").is_displayed()


def assert_idle(dash_duo: Any) -> None:
    assert all(dash_duo.find_element(b).is_enabled() for b in FORMAT_BUTTONS)
    assert not dash_duo.find_element(f"#{ids.REPORTS_JOB}").is_displayed()
    assert dash_duo.find_element(f"#{ids.REPORTS_STATUS}").is_displayed()


def test_pdf_export_shows_progress_then_downloads_a_real_pdf(
    dash_duo: Any,
    private_app: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    axe: Any,
    screenshot: Any,
) -> None:
    gate = tmp_path / "go"
    hold_job_at("pdf:write", gate, monkeypatch)
    dash_duo.start_server(private_app)
    _log_in(dash_duo, "/reports?lang=zh")
    dash_duo.wait_for_element(f"#{reports.BUTTONS['pdf']}").click()

    wait_running(dash_duo, "生成中：")
    # held before the write: by then every page has been laid out, and the bar says so
    dash_duo.wait_for_contains_text(f"#{ids.REPORTS_PROGRESS_TEXT}", "PDF 排版：第", timeout=60)
    assert_running(dash_duo)
    screenshot(dash_duo.driver, "reports-running_zh")
    assert axe(dash_duo.driver) == []

    gate.touch()
    pdf = _wait_for_file(Path(dash_duo.download_path), ".pdf", timeout=120)
    assert pdf.name == "yrd-targets-2025-zh.pdf"
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert len(reader.pages) > 3
    assert "长三角一体化发展目标差距报告" in reader.pages[0].extract_text()
    dash_duo.wait_for_contains_text(
        f"#{ids.REPORTS_STATUS}", "已生成 yrd-targets-2025-zh.pdf", timeout=30
    )
    assert_idle(dash_duo)
    # no refused poll, no failed callback
    assert dash_duo.get_logs() == []


def test_cancel_stops_the_job_and_says_so(
    dash_duo: Any,
    private_app: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    axe: Any,
    screenshot: Any,
) -> None:
    hold_job_at("pdf:layout", tmp_path / "never", monkeypatch)
    dash_duo.start_server(private_app)
    _log_in(dash_duo, "/reports?lang=en")
    dash_duo.wait_for_element(f"#{reports.BUTTONS['pdf']}").click()
    wait_running(dash_duo, "Working: ")
    assert_running(dash_duo)
    assert len(job_processes()) == 1  # the held job
    screenshot(dash_duo.driver, "reports-running_en")
    assert axe(dash_duo.driver) == []

    dash_duo.find_element(f"#{ids.REPORTS_CANCEL}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.REPORTS_STATUS}", "Cancelled: no file was made.")
    assert_idle(dash_duo)
    assert job_processes() == []  # killed, not left running in the background
    assert list(Path(dash_duo.download_path).glob("*.pdf")) == []
    assert dash_duo.get_logs() == []


def test_export_through_a_celery_worker(
    dash_duo: Any,
    celery_worker: Worker,  # noqa: F811 - the fixture imported above
) -> None:
    from dashboard.app import create_app

    add_user(celery_worker.tracker.store, "erin", "editor", hash_password("erin-password"))
    app = create_app(celery_worker.tracker)
    assert isinstance(app._background_manager, CeleryManager)
    dash_duo.start_server(app)
    _log_in(dash_duo, "/reports?lang=en")
    dash_duo.wait_for_element(f"#{reports.BUTTONS['xlsx']}").click()
    book = _wait_for_file(Path(dash_duo.download_path), ".xlsx", timeout=120)
    assert book.name == "yrd-targets-2025-en.xlsx" and book.read_bytes()[:4] == b"PK\x03\x04"
    dash_duo.wait_for_contains_text(f"#{ids.REPORTS_STATUS}", "is ready", timeout=30)
    # the worker process made it (the web app has no job process of its own)
    assert [name for name, _ in celery_worker.succeeded()] != []
    assert job_processes() == []
    assert dash_duo.get_logs() == []
