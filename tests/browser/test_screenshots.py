"""The pictures of docs/screenshots/ at 1366 px, both languages: each page as a new user meets it,
the indicator's chart, table and map, and a page of the PDF report. Every page shown also passes
axe-core. `make screenshots` (pytest --screenshots docs/screenshots) refreshes them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dashboard import ids
from tests.browser.conftest import ARTEFACTS
from tests.browser.test_edit_pages import _log_in
from tests.conftest import require

pytestmark = pytest.mark.browser

# (name, path, an element there once the page has drawn, an element to scroll to or None)
PAGES = [
    ("overview", "/?lang={lang}", f"#{ids.OVERVIEW_MATRIX}", None),
    ("indicator_chart", "/indicator/rd_intensity?region=yrd,shanghai,jiangsu,zhejiang,anhui&lang={lang}",
     f"#{ids.INDICATOR_SERIES} .js-plotly-plot", None),
    ("indicator_table", "/indicator/rd_intensity?region=yrd,shanghai,jiangsu,zhejiang,anhui&view=table&lang={lang}",
     f"#{ids.INDICATOR_TABLE} .ag-row", None),
    ("indicator_map", "/indicator/rd_intensity?region=yrd,shanghai,jiangsu,zhejiang,anhui&view=map&lang={lang}",
     f"#{ids.INDICATOR_MAP_PROVINCES} .js-plotly-plot", None),
    ("region", "/region/anhui?lang={lang}", f"#{ids.REGION_BULLET} .js-plotly-plot", None),
    ("assessment", "/assessment?milestone=2025&lang={lang}", "#assessment-final-table", "#assessment-final-table"),
    ("sources", "/sources?lang={lang}", f"#{ids.SOURCES_TABLE} .ag-row", None),
]  # fmt: skip


@pytest.fixture
def folders(request: pytest.FixtureRequest) -> list[Path]:
    extra = request.config.getoption("screenshots", default=None)
    return [ARTEFACTS] + ([Path(extra)] if extra else [])


def test_screenshots_of_every_page_at_1366_px(
    dash_duo: Any, edit_app: Any, axe: Any, screenshot: Any
) -> None:
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    for lang in ("zh", "en"):
        for name, path, ready, scroll in PAGES:
            driver.get(dash_duo.server_url + path.format(lang=lang))
            dash_duo.wait_for_element(ready, timeout=20)
            if scroll:
                driver.execute_script(
                    "document.querySelector(arguments[0]).scrollIntoView({block: 'start', behavior: 'instant'});",
                    scroll,
                )
            screenshot(driver, f"{name}_1366_{lang}")
            assert axe(driver) == [], (name, lang)
    # the upload page, as an editor sees it before choosing a file
    _log_in(dash_duo, "/upload?lang=en")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}", timeout=20)
    screenshot(driver, "upload_1366_en")
    driver.get(dash_duo.server_url + "/upload?lang=zh")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}", timeout=20)
    screenshot(driver, "upload_1366_zh")
    assert dash_duo.get_logs() == []


def test_a_page_of_the_pdf_report(
    fixture_tracker: Any, tmp_path: Path, folders: list[Path]
) -> None:
    """The PDF's assessment table (a landscape page), as a picture, in both languages."""
    from pypdf import PdfReader

    from targets.reports import write_report

    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    for lang, heading in (
        ("zh", "2025年目标终期评估"),
        ("en", "Final assessment of the 2025 goals"),
    ):
        pdf = write_report(
            fixture_tracker, tmp_path / f"report_{lang}.pdf", lang=lang, milestone=2025
        )
        reader = PdfReader(str(pdf))
        page = next(
            i for i, p in enumerate(reader.pages, start=1)
            if heading.replace(" ", "") in (p.extract_text() or "").replace(" ", "").replace("\n", "")
        )  # fmt: skip
        assert reader.pages[page - 1].mediabox.width > reader.pages[page - 1].mediabox.height
        stem = tmp_path / f"pdf_{lang}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile",
             str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f"{stem}.png", folder / f"pdf_assessment_{lang}.png")
