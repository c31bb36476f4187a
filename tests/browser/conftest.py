"""Browser tests: Dash's dash_duo in headless Chromium, axe-core for accessibility, screenshots.

Plain `pytest` runs them headless (no flag needed). Without Chromium, chromedriver or axe-core
they skip on a developer machine and fail under CI=true. `--screenshots DIR` also copies every
screenshot to DIR (`make screenshots` uses docs/screenshots); they always go to tests/artefacts/.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, require

ARTEFACTS = ROOT / "tests" / "artefacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        default=None,
        metavar="DIR",
        help="also save the browser tests' page screenshots to DIR",
    )


def pytest_configure(config: pytest.Config) -> None:
    # headless by default, so that plain `pytest` works on a machine without a display
    if hasattr(config.option, "headless"):
        config.option.headless = True


def chart_part(kind: str, chart: str) -> str:
    """A CSS selector for one part of a chart's downloads (a pattern-matching id, which Dash
    writes as the JSON of the id with its keys sorted)."""
    return "[id='" + json.dumps({"chart": chart, "type": kind}, separators=(",", ":")) + "']"


def click(driver: Any, element: Any) -> None:
    """Click an element once scrolled to the middle of the window (at the bottom edge another
    element, a chart's hover layer, may be over it)."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


@pytest.fixture(autouse=True)
def _a_free_port_for_dash() -> None:
    """Serve each test's app on a port the system says is free.

    Dash's runner counts ports up from 58050 in every process, so two test runs on one machine
    (two checkouts, or CI beside a developer's run) would serve on, and wait forever for, each
    other's port.
    """
    from dash.testing.application_runners import BaseDashRunner

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        BaseDashRunner._next_port = probe.getsockname()[1]


def pytest_setup_options() -> Any:
    """Chrome options for dash_duo (Dash adds --headless, --no-sandbox and the rest)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.add_argument("--disable-background-networking")
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=zh-CN")
    options.add_argument("--force-device-scale-factor=1")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    return options


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    """Runs before dash_duo starts a browser: skip (or fail under CI) when there is none."""
    require(
        bool(shutil.which("chromium") or shutil.which("chromium-browser")),
        "Chromium is not installed (apt-get install chromium)",
    )
    require(
        bool(shutil.which("chromedriver")),
        "chromedriver is not installed (apt-get install chromium-driver)",
    )


@pytest.fixture
def fixture_tracker(tmp_path: Path) -> Any:
    from tests.fixtures import build_fixture_db

    return build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")


@pytest.fixture
def sourced_app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The dashboard over the fixture database plus one value with its source in the bundled
    form (tests.fixtures.add_official_value: Anhui's 2024 R&D intensity, a test figure)."""
    from dashboard.app import create_app
    from tests.fixtures import add_official_value

    monkeypatch.setenv("TARGETS_SECRET_KEY", "browser-test-secret-0123456789")
    return create_app(add_official_value(fixture_tracker))


@pytest.fixture
def edit_app(fixture_tracker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The dashboard over the fixture database with an editor account: erin / erin-password."""
    from dashboard.app import create_app
    from targets.passwords import hash_password
    from targets.users import add_user
    from tests.test_sessions import SECRET

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    monkeypatch.delenv("TARGETS_PUBLIC_VIEW", raising=False)
    add_user(fixture_tracker.store, "erin", "editor", hash_password("erin-password"))
    return create_app(fixture_tracker)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Iterator[Any]:
    """`screenshot(driver, name)` saves tests/artefacts/NAME.png (and DIR/NAME.png)."""
    extra = request.config.getoption("screenshots", default=None)
    targets = [ARTEFACTS] + ([Path(extra)] if extra else [])

    def save(driver: Any, name: str) -> Path:
        path = ARTEFACTS / f"{name}.png"
        for folder in targets:
            folder.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(folder / f"{name}.png"))
        return path

    yield save


@pytest.fixture
def axe() -> Any:
    """`axe(driver)` runs axe-core in the page and returns the serious/critical violations."""
    require(AXE.exists(), "axe-core is not installed (run `npm install` at the repository root)")
    source = AXE.read_text(encoding="utf-8")

    def run(driver: Any) -> list[dict[str, Any]]:
        if not driver.execute_script("return typeof window.axe !== 'undefined'"):
            driver.execute_script(source)
        result = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
               .then(r => done(JSON.stringify(r.violations)))
               .catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));
            """
        )
        violations = json.loads(result)
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
            }
            for v in violations
            if v.get("impact") in ("serious", "critical")
        ]

    return run
