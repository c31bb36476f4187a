"""Every chart of every page, as plotly.js runs it: no cloud, link or logo; download kept; and
beside each, the CSV, PNG and SVG buttons of dashboard/downloads.py."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.i18n import t

pytestmark = pytest.mark.browser

# (path, a chart that is there once the page has drawn, how many charts the page has)
PAGES = [
    ("/indicator/rd_intensity?lang=zh", f"#{ids.INDICATOR_SERIES} .main-svg", 2),
    # the map view: its two tile maps, the chart view's two charts hidden in the page
    ("/indicator/rd_intensity?view=map&lang=en", f"#{ids.INDICATOR_MAP_CITIES} .main-svg", 4),
    ("/region/anhui?lang=en", f"#{ids.REGION_BULLET} .main-svg", 1),
    ("/map?indicator=rd_intensity&lang=zh", f"#{ids.MAP_CITIES} .main-svg", 2),
    ("/assessment?milestone=2025&lang=zh", f"#{ids.ASSESSMENT_CV_GRAPH} .main-svg", 1),
]

# what each chart's effective config is (plotly.js's defaults merged with ours)
CONTEXT = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
  id: gd.parentElement.closest('[id]') && gd.parentElement.closest('[id]').id,
  downloads: Array.from((document.getElementById(JSON.stringify(
      {chart: gd.parentElement.closest('[id]').id, type: 'chart-downloads'})) || {querySelectorAll: () => []})
    .querySelectorAll('button')).map(b => b.id && JSON.parse(b.id).type),
  displaylogo: gd._context.displaylogo,
  showSendToCloud: gd._context.showSendToCloud,
  showEditInChartStudio: gd._context.showEditInChartStudio,
  showLink: gd._context.showLink,
  displayModeBar: gd._context.displayModeBar,
  buttons: Array.from(gd.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title')),
  links: Array.from(gd.querySelectorAll('a')).map(a => a.getAttribute('href')),
}));
"""


def test_no_chart_offers_to_send_its_data_off_the_machine(
    dash_duo: Any, fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    dash_duo.start_server(create_app(fixture_tracker))
    for path, ready, count in PAGES:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(ready, timeout=15)
        charts = dash_duo.driver.execute_script(CONTEXT)
        assert len(charts) == count, (path, charts)
        for chart in charts:
            where = (path, chart["id"])
            assert chart["displaylogo"] is False, where
            assert chart["showSendToCloud"] is False, where
            # plotly.js 4 no longer knows these options (undefined): they must not be true
            assert chart["showEditInChartStudio"] in (False, None), where
            assert chart["showLink"] in (False, None), where
            assert chart["displayModeBar"] is not False, where
            titles = set(chart["buttons"])
            # the toolbar speaks the page's language (dashboard.figures.PLOTLY_WORDS)
            lang = "en" if "lang=en" in path else "zh"
            assert t("plotly_download_png", lang) in titles, where
            assert lang == "en" or "Download plot as a PNG" not in titles, where
            assert not any("Share" in t or "Chart Studio" in t or "Plotly" in t for t in titles), (
                where
            )
            assert not any("plotly.com" in (href or "") for href in chart["links"]), where
            assert chart["downloads"] == [ids.CHART_CSV_BUTTON, ids.CHART_PNG, ids.CHART_SVG], where
    assert dash_duo.get_logs() == []
