"""Results warmed after an import (targets.warm): the first page after it reads the cache."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from targets.ingest import import_files
from targets.tracker import Tracker
from targets.warm import Warmer, warm, warm_detached
from tests.conftest import require_redis
from tests.fixtures import build_fixture_db

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/0"
CSV = "indicator,region,year,value\nrd_intensity,anhui,2024,2.61\nrd_intensity,jiangsu,2024,3.27\n"


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    return build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")


def _import(tracker: Tracker, tmp_path: Path, name: str = "new.csv") -> int:
    path = tmp_path / name
    path.write_text(CSV, encoding="utf-8")
    result = import_files(tracker.store, tracker.catalogue, tracker.regions, [path])
    stored = result.report.files[0].import_id
    assert stored is not None, result.report.files[0].errors
    return stored


def test_after_an_import_the_first_gap_table_request_hits_the_cache(
    tracker: Tracker, tmp_path: Path
) -> None:
    warmer = Warmer(tracker, poll=0.05)
    warmer.start()
    try:
        assert warmer.wait(60)
        _import(tracker, tmp_path)
        warmer.kick()
        assert warmer.wait(60)
        year = tracker.catalogue.milestone_years()[0]
        before = tracker.cache_stats()
        gaps = tracker.gaps(milestone=year)
        after = tracker.cache_stats()
        assert after.local_hits == before.local_hits + 1
        assert after.computes == before.computes
        # and it is the new data's table: the imported value is in it
        row = gaps[(gaps["indicator"] == "rd_intensity") & (gaps["region"] == "anhui")]
        assert (row["year"].iloc[0], row["value"].iloc[0]) == (2024, 2.61)
    finally:
        warmer.stop()


def test_an_import_by_another_process_is_noticed_within_the_poll(
    tracker: Tracker, tmp_path: Path
) -> None:
    warmer = Warmer(tracker, poll=0.05)
    warmer.start()
    try:
        assert warmer.wait(60)
        other = Tracker(db_url=tracker.db_url, catalogue_path=ROOT / "indicators.yaml")
        _import(other, tmp_path)  # another Tracker: nothing tells this one's warmer
        other.store.dispose()
        deadline = time.monotonic() + 60
        version = tracker.store.data_version()
        while warmer._warm_version != version and time.monotonic() < deadline:
            time.sleep(0.05)
        before = tracker.cache_stats()
        tracker.gaps()
        assert tracker.cache_stats().computes == before.computes
    finally:
        warmer.stop()


def test_updating_is_true_while_a_version_is_computed(tracker: Tracker) -> None:
    release = threading.Event()
    entered = threading.Event()

    def slow(t: Tracker) -> str:
        entered.set()
        release.wait(30)
        return t.store.data_version()

    warmer = Warmer(tracker, poll=0.05, work=slow)
    assert not warmer.updating()
    warmer.start()
    try:
        assert entered.wait(30)
        assert warmer.updating()
        release.set()
        assert warmer.wait(30)
        assert not warmer.updating()
    finally:
        release.set()
        warmer.stop()


def test_a_failing_warm_is_logged_and_not_repeated_until_the_next_import(
    tracker: Tracker, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken(t: Tracker) -> str:
        calls.append(t.store.data_version())
        raise RuntimeError("engine broke")

    warmer = Warmer(tracker, poll=0.02, work=broken)
    warmer.start()
    try:
        assert warmer.wait(30)
        time.sleep(0.3)  # fifteen polls
        assert calls == [tracker.store.data_version()]
        assert not warmer.updating()
        assert "engine broke" in caplog.text
    finally:
        warmer.stop()


def test_warm_on_an_empty_store_computes_nothing(tmp_path: Path) -> None:
    empty = Tracker(db_url=f"sqlite:///{tmp_path / 'e.db'}")
    assert warm(empty) == "0:0"
    assert empty.cache_stats().computes == 0


def test_the_dashboard_shell_says_updating_in_words(tracker: Tracker, monkeypatch: Any) -> None:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    from dashboard import ids
    from dashboard.app import create_app

    app = create_app(tracker, warm=True)
    warmer = app.server.config["WARMER"]
    assert isinstance(warmer, Warmer)
    monkeypatch.setattr(warmer, "updating", lambda: True)
    shell = next(v for k, v in app.callback_map.items() if ids.UPDATING in k)
    with app.server.test_request_context("/"):
        out = shell["callback"].__wrapped__("/", "?lang=en")
        assert out[-3].startswith("Updating…")
        monkeypatch.setattr(warmer, "updating", lambda: False)
        assert shell["callback"].__wrapped__("/", "?lang=en")[-3] is None
    warmer.stop()


def test_without_redis_the_cli_starts_no_warming_process(monkeypatch: Any) -> None:
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    assert warm_detached("sqlite:///x.db", None) is None


def test_the_detached_warm_fills_redis_for_the_dashboard_workers(
    tracker: Tracker, tmp_path: Path, monkeypatch: Any
) -> None:
    require_redis(REDIS_URL).close()
    from targets.cache import RedisCache

    secret = "warm-test-secret-0123456789abcdef"
    monkeypatch.setenv("TARGETS_REDIS", REDIS_URL)
    monkeypatch.setenv("TARGETS_SECRET_KEY", secret)
    child = warm_detached(tracker.db_url, str(ROOT / "indicators.yaml"))
    assert child is not None
    assert child.wait(120) == 0
    worker = Tracker(
        db_url=tracker.db_url,
        catalogue_path=ROOT / "indicators.yaml",
        cache=RedisCache(REDIS_URL, secret=secret),
    )
    try:
        worker.gaps(milestone=worker.catalogue.milestone_years()[0])
        stats = worker.cache_stats()
        assert (stats.shared_hits, stats.computes) == (1, 0)
    finally:
        assert isinstance(worker.cache, RedisCache)
        worker.cache.clear(worker.cache_namespace)
        worker.cache.close()


def test_warm_makes_the_assessment_pages_sections_too(tracker: Tracker) -> None:
    warm(tracker)
    before = tracker.cache_stats()
    tracker.convergence("province")
    tracker.regional_contributions()
    tracker.methods(2025)
    for lang in ("zh", "en"):
        tracker.assessment(2025, lang)
        assert not tracker.draft(2025, lang).empty
    after = tracker.cache_stats()
    assert after.computes == before.computes
    assert after.local_hits > before.local_hits


def test_warm_makes_the_provenance_notes_each_goals_indicator_page_opens_on(
    tracker: Tracker,
) -> None:
    """The regions are the page's own choice (dashboard/pages/indicator.py), both languages."""
    from dashboard.pages import indicator as indicator_page

    warm(tracker)
    goals = list(tracker.catalogue.goals())
    assert goals
    before = tracker.cache_stats()
    for ind in goals:
        available = indicator_page.available_regions(tracker, ind.id)
        regions = indicator_page.default_regions(tracker, available)
        for lang in ("zh", "en"):
            tracker.value_notes(ind.id, regions, lang)
    after = tracker.cache_stats()
    assert after.computes == before.computes
    assert after.local_hits > before.local_hits


def test_the_dashboards_warmer_makes_the_row_index_and_the_sources_page_too(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 10 M values the first overview after an import built the row index (0.9 s) and the
    first sources page counted its publishers and built its grid (11.8 s): warmed since."""
    from dashboard.app import create_app, warm_pages
    from dashboard.pages import sources as sources_page

    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    assert create_app(tracker, warm=True).server.config["WARMER"]._work is warm_pages
    version = warm_pages(tracker)
    before = tracker.cache_stats()
    tracker.publishers()  # the fixture's notes name no publisher: an empty table, still kept
    assert tracker.cache_stats().computes == before.computes
    assert {c: held[0] for c, held in tracker._rows_by.items()} == {
        "region": version,
        "indicator": version,
    }
    for lang in ("zh", "en"):
        assert sources_page._frames[(tracker.cache_namespace, lang)][0] == version


def test_a_served_app_keeps_its_startup_objects_out_of_the_collectors_passes(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A served app (warm=True: `targets serve`, targets.wsgi) freezes what it loaded, so the
    collector's full passes stop walking it on every request; an app made for a test does not."""
    import gc

    from dashboard.app import create_app

    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    gc.unfreeze()
    try:
        create_app(tracker)
        assert gc.get_freeze_count() == 0
        create_app(tracker, warm=True)
        assert gc.get_freeze_count() > 10_000  # the modules, layouts and catalogue loaded
    finally:
        gc.unfreeze()
