"""The region page's goal chart in Chromium over the bundled statistics: no value label lies under
a base-year diamond (Anhui's share of good air days is past its goal and below its base year, so
its diamond sits past the bar's end, where the label used to start), and none runs across the goal
line (Anhui's PM2.5 at 99% of its goal, life expectancy at 100%, R&D at 92%)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboard import ids

pytestmark = pytest.mark.browser

# every label (on a bar, or drawn past a diamond) and every base-year diamond, as boxes on screen
BOXES_JS = """
const chart = document.getElementById(arguments[0]);
const box = (el) => { const r = el.getBoundingClientRect();
                      return [r.left, r.top, r.right, r.bottom, el.textContent]; };
const labels = [...chart.querySelectorAll('.bartext, .annotation-text')]
  .filter(el => /\\(\\d{4}\\)/.test(el.textContent)).map(box);
const diamonds = [...chart.querySelectorAll('.scatterlayer .point')].map(box);
const goal = [...chart.querySelectorAll('.shapelayer path')].map(box);
return [labels, diamonds, goal];
"""


@pytest.fixture
def bundled_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from dashboard.app import create_app
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker
    from tests.test_sessions import SECRET

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    tracker = Tracker(db_url=f"sqlite:///{tmp_path / 'targets.db'}")
    ensure_bundled(tracker)
    return create_app(tracker)


def test_no_value_label_lies_under_a_base_year_diamond(
    dash_duo: Any, bundled_app: Any, screenshot: Any
) -> None:
    dash_duo.start_server(bundled_app)
    dash_duo.driver.set_window_size(1366, 900)
    for lang in ("zh", "en"):
        dash_duo.driver.get(f"{dash_duo.server_url}/region/anhui?lang={lang}")
        dash_duo.wait_for_element(f"#{ids.REGION_BULLET} .scatterlayer .point", timeout=30)
        labels, diamonds, _ = dash_duo.driver.execute_script(BOXES_JS, ids.REGION_BULLET)
        # the good-air-days row's label is there, drawn past its diamond
        assert any("82.2 (2024)" in text for *_, text in labels), labels
        assert len(diamonds) >= 3 and len(labels) >= 8
        under = [
            (text, d)
            for *lb, text in labels
            for *d, _ in diamonds
            if lb[0] < d[2] and d[0] < lb[2] and lb[1] < d[3] and d[1] < lb[3]
        ]
        assert under == [], (lang, under)
        screenshot(dash_duo.driver, f"region_goals_{lang}")
    assert dash_duo.get_logs() == []


def test_no_value_label_runs_across_the_goal_line(dash_duo: Any, bundled_app: Any) -> None:
    dash_duo.start_server(bundled_app)
    # 1024 px: a projector; in English the long indicator names leave the narrowest plot
    for width in (1024, 1366):
        dash_duo.driver.set_window_size(width, 900)
        for lang in ("zh", "en"):
            dash_duo.driver.get(f"{dash_duo.server_url}/region/anhui?lang={lang}")
            dash_duo.wait_for_element(f"#{ids.REGION_BULLET} .scatterlayer .point", timeout=30)
            labels, _, goal = dash_duo.driver.execute_script(BOXES_JS, ids.REGION_BULLET)
            ((line_left, _, line_right, _, _),) = goal
            assert len(labels) >= 8
            # the labels of the bars at 99% and 100% are there, past the line with room to spare
            near = [lb for lb in labels if "35 (2024)" in lb[4] or "79.30 (2024)" in lb[4]]
            assert len(near) == 2 and all(lb[0] >= line_right + 5 for lb in near), near
            crossing = [lb for lb in labels if lb[0] < line_right + 2 and lb[2] > line_left - 2]
            assert crossing == [], (width, lang, line_left, crossing)
    assert dash_duo.get_logs() == []
