"""The assessment page's tables read at 1366 px and in print: no word broken one character per
line (中/心/区, 待/定), no table wider than the page."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.app import create_app
from tests.fixtures import add_value

pytestmark = pytest.mark.browser

LONG_ADDRESS = (
    "https://www.stats.gov.cn/sj/zxfb/202402/t20240228_1947915.html"
    "?channel=statistical-communique-of-the-peoples-republic-of-china-2023&lang=zh-CN#section-7"
)

# for every cell of the assessment tables: its text and how many lines that text takes
LINES = """
return Array.from(document.querySelectorAll('table[id^="assessment-"] td, table[id^="assessment-"] th'))
  .filter(c => c.offsetParent !== null && c.textContent.trim().length >= 2)
  .map(c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    return {text: c.textContent.trim(), cls: c.className, lines: tops.size};
  });
"""
OVERFLOW = """
return Array.from(document.querySelectorAll('table[id^="assessment-"]')).map(t =>
  [t.id, t.getBoundingClientRect().right, document.documentElement.clientWidth]);
"""


@pytest.fixture
def app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    add_value(
        fixture_tracker, "urbanization_rate", "central_zone", 2025, 71.9, sha="7",
        note=f"test fixture (not published statistics) {LONG_ADDRESS}",
        import_note="test fixture (not published statistics)",
    )  # fmt: skip
    return create_app(fixture_tracker)


@pytest.mark.parametrize("media", ["screen", "print"])
def test_assessment_tables_read_at_1366_px_and_in_print(
    dash_duo: Any, app: Any, media: str
) -> None:
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(1366, 900)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    driver.get(dash_duo.server_url + "/assessment?milestone=2025&lang=zh")
    dash_duo.wait_for_element("#assessment-final-table td", timeout=20)
    # the methods table and the drafted text come in their own requests after the first paint
    dash_duo.wait_for_element("#assessment-methods-table td", timeout=20)
    dash_duo.wait_for_element("#assessment-draft .drafted", timeout=20)
    cells = driver.execute_script(LINES)
    assert len(cells) > 20
    # a region, a verdict, a short number: one line each
    broken = [c for c in cells if c["lines"] > 1 and len(c["text"]) <= 8 and " " not in c["text"]]
    assert broken == []
    assert any(c["text"] == "中心区" for c in cells)
    # nothing wraps one character per line: a line holds at least 2 characters on average
    squeezed = [c for c in cells if c["lines"] > 1 and len(c["text"]) / c["lines"] < 2]
    assert squeezed == []
    # the long address wraps inside its cell: no table runs past the window
    for table_id, right, width in driver.execute_script(OVERFLOW):
        assert right <= width + 1, table_id
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assessment_page_fits_a_phone(dash_duo: Any, app: Any, lang: str) -> None:
    """At 390 × 844 the page does not scroll sideways (the English indicator names in its
    selects made it 512 px wide); its tables scroll inside their own frames."""
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(390, 844)
    driver.get(dash_duo.server_url + f"/assessment?milestone=2025&lang={lang}")
    dash_duo.wait_for_element("#assessment-final-table td", timeout=30)
    dash_duo.wait_for_element("#assessment-methods-table td", timeout=30)
    width, view = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= view, (width, view)
    selects = driver.execute_script(
        "return Array.from(document.querySelectorAll('select')).map("
        "s => Math.round(s.getBoundingClientRect().right))"
    )
    assert selects and max(selects) <= view
    assert dash_duo.get_logs() == []


def test_the_final_table_part_is_chosen_from_the_keyboard(
    dash_duo: Any, app: Any, fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past TABLE_PART_ROWS the final table comes one area at a time: the labelled select is
    reached with Tab and moved with the arrow keys, the server sends the next area's rows only,
    the sentence above the table says which part is shown, the address keeps it, and the
    methods table compares the same part."""
    from dash.testing.wait import until
    from selenium.webdriver.common.keys import Keys

    from dashboard.pages import assessment as page
    from targets import assessment
    from targets.display import category_name

    monkeypatch.setattr(page, "TABLE_PART_ROWS", 5)
    frame = fixture_tracker.assessment(2025, "zh")
    areas = assessment.areas(fixture_tracker.catalogue, frame)
    sizes = [len(assessment.in_area(fixture_tracker.catalogue, frame, a)) for a in areas]
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/assessment?milestone=2025&lang=zh")
    dash_duo.wait_for_element("#assessment-final-table td", timeout=20)
    label = driver.find_element("css selector", 'label[for="assessment-table-part"]')
    assert label.text == "表格显示的部分"

    def text_of(selector: str) -> str:
        # read in one script: the part re-renders, and an element found before it did would be
        # stale by the time its text is asked for
        return str(driver.execute_script(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
            selector,
        ))  # fmt: skip

    def body_rows() -> int:
        return int(driver.execute_script(
            "return document.querySelectorAll('#assessment-final-table tbody tr').length"
        ))  # fmt: skip

    assert body_rows() == sizes[0]
    scope = dash_duo.find_element("#assessment-scope")
    scope.send_keys(Keys.TAB)  # from the regions' select, Tab reaches the table's part
    until(lambda: driver.switch_to.active_element.get_attribute("id") == "assessment-table-part", 5)
    driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    shown = f"显示“{category_name(areas[1], 'zh')}”的 {sizes[1]} 行"
    until(lambda: shown in text_of(".assessment-table-shown"), 20)
    until(lambda: body_rows() == sizes[1], 20)
    # the methods table below follows the part chosen
    area = f"“{category_name(areas[1], 'zh')}”"
    until(lambda: area in text_of(".assessment-methods-shown"), 20)
    assert "table=area" in driver.current_url
    assert dash_duo.get_logs() == []
