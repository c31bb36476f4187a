"""The result cache: per process (MemoryCache) and shared through the real Redis (RedisCache).

Two Tracker objects over one SQLite file stand for two gunicorn workers; each gets its own
RedisCache, as a separate process would. Redis is the server at 127.0.0.1:6379 (override with
TARGETS_TEST_REDIS), database 15, under a random key prefix deleted afterwards; tests skip when it
is unreachable, and fail under CI=true. The outage tests start a private redis-server and stop it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from targets.cache import (
    CacheConfigError,
    MemoryCache,
    RedisCache,
    database_fingerprint,
    files_fingerprint,
)
from targets.progress import compute_gaps
from targets.tracker import Tracker
from tests.conftest import ROOT, require, require_redis
from tests.fixtures import FIXTURE_NOTE, build_fixture_db

REDIS_URL = os.environ.get("TARGETS_TEST_REDIS", "redis://127.0.0.1:6379/15")
SECRET = "test-cache-secret-0123456789abcdef"
CATALOGUE = ROOT / "indicators.yaml"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_redis(REDIS_URL).close()
    return REDIS_URL


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test only; its keys are deleted afterwards."""
    import redis

    name = f"targets-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{name}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def raw(redis_url: str) -> Iterator[Any]:
    """A plain redis-py client on the test database, to look at and tamper with values."""
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def worker(redis_url: str, prefix: str) -> Callable[..., Tracker]:
    """worker(db_url) -> a Tracker with a RedisCache of its own, like one more gunicorn worker."""

    def make(
        db_url: str, catalogue: Path = CATALOGUE, url: str | None = None, **options: Any
    ) -> Tracker:
        options.setdefault("secret", SECRET)
        cache = RedisCache(url or redis_url, prefix=prefix, **options)
        return Tracker(db_url=db_url, catalogue_path=catalogue, cache=cache)

    return make


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite file holding the fixture statistics (one import)."""
    url = f"sqlite:///{tmp_path / 'targets.db'}"
    build_fixture_db(url).store.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A redis-server of this test, on a free port, that the test may stop and start again."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(200):  # up to ~10 s for the server to accept connections
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server is not installed (apt-get install redis-server)")
    assert binary is not None
    server = PrivateRedis(binary)
    server.start()
    yield server
    server.stop()


def _add_import(tracker: Tracker, value: float, name: str = "more.csv") -> int:
    """One more import revising Anhui's 2023 R&D intensity."""
    rows = pd.DataFrame(
        [
            {
                "indicator": "rd_intensity",
                "region": "anhui",
                "year": 2023,
                "value": value,
                "unit": None,
                "note": FIXTURE_NOTE,
            }
        ]
    )
    return tracker.store.write_import(rows, file_name=name, sha256=uuid.uuid4().hex * 2)


def _anhui_2023(gaps: pd.DataFrame) -> float:
    row = gaps[
        (gaps["indicator"] == "rd_intensity")
        & (gaps["region"] == "anhui")
        & (gaps["milestone_year"] == 2025)
    ]
    return float(row["value"].iloc[0])


# ----------------------------------------------------------------------------- MemoryCache


def _frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.array(["a", "b", "c"][:n], dtype="string"),
            "year": pd.array([2020, 2021, None][:n], dtype="Int64"),
            "value": [1.5, float("nan"), 3.0][:n],
        }
    )


def test_memory_cache_computes_once_per_version_and_returns_copies() -> None:
    cache = MemoryCache()
    calls: list[str] = []

    def compute() -> pd.DataFrame:
        calls.append("x")
        return _frame()

    first = cache.get_or_compute("ns", "1:0", ("gaps",), compute)
    first.loc[0, "value"] = -99.0  # the caller's copy: the cached frame must not change
    second = cache.get_or_compute("ns", "1:0", ("gaps",), compute)
    assert_frame_equal(second, _frame())
    assert len(calls) == 1
    stats = cache.snapshot()
    assert (stats.local_hits, stats.misses, stats.computes) == (1, 1, 1)

    # another key is another result; a new data version drops every result of the old one
    cache.get_or_compute("ns", "1:0", ("assessment", 2025), compute)
    assert len(cache) == 2
    cache.get_or_compute("ns", "2:0", ("gaps",), compute)
    assert len(calls) == 3
    assert len(cache) == 1
    assert cache.snapshot().computes == 3


def test_every_kind_of_write_to_a_returned_frame_leaves_the_cached_one_alone() -> None:
    """Results are shallow copies (copy-on-write keeps them apart): each way a caller can change
    its frame in place must leave the next caller's frame as computed."""
    cache = MemoryCache()
    writes: list[Callable[[pd.DataFrame], object]] = [
        lambda f: f.loc.__setitem__((0, "value"), -1.0),
        lambda f: f.iloc.__setitem__((1, 2), -2.0),
        lambda f: f.__setitem__("value", 0.0),
        lambda f: f.__setitem__("extra", 1),
        lambda f: f.update(pd.DataFrame({"value": [7.0]})),
        lambda f: f.pop("year"),
        lambda f: f.insert(0, "first", 0),
        lambda f: setattr(f, "columns", [f"c{i}" for i in range(f.shape[1])]),
        lambda f: setattr(f, "index", f.index[::-1]),
        lambda f: f["value"].to_numpy().__setitem__(0, -3.0),  # read-only under CoW
    ]
    for n, write in enumerate(writes):
        got = cache.get_or_compute("ns", "1:0", ("gaps",), _frame)
        with contextlib.suppress(ValueError, TypeError):  # read-only views refuse: that is fine
            write(got)
        assert_frame_equal(cache.get_or_compute("ns", "1:0", ("gaps",), _frame), _frame()), n


def test_memory_cache_keeps_namespaces_apart() -> None:
    cache = MemoryCache()
    a = cache.get_or_compute("db-a", "1:0", ("gaps",), lambda: _frame(1))
    b = cache.get_or_compute("db-b", "1:0", ("gaps",), lambda: _frame(2))
    assert (len(a), len(b)) == (1, 2)
    # a new version of one namespace leaves the other one's results alone
    cache.get_or_compute("db-a", "2:0", ("gaps",), lambda: _frame(3))
    again = cache.get_or_compute("db-b", "1:0", ("gaps",), lambda: _frame(3))
    assert len(again) == 2
    assert cache.snapshot().computes == 3


def test_memory_cache_threads_missing_one_key_compute_once() -> None:
    cache = MemoryCache()
    arrived = threading.Semaphore(0)
    calls: list[int] = []
    results: list[pd.DataFrame] = []

    def compute() -> pd.DataFrame:
        calls.append(1)
        for _ in range(8):  # hold on until every thread has asked for the same result
            arrived.acquire()
        time.sleep(0.05)  # and given them a moment to queue at the gate
        return _frame()

    def ask() -> None:
        arrived.release()
        results.append(cache.get_or_compute("ns", "1:0", ("gaps",), compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 8
    for frame in results:
        assert_frame_equal(frame, _frame())


def test_memory_cache_does_not_keep_a_failure() -> None:
    cache = MemoryCache()

    def broken() -> pd.DataFrame:
        raise RuntimeError("engine failed")

    with pytest.raises(RuntimeError, match="engine failed"):
        cache.get_or_compute("ns", "1:0", ("gaps",), broken)
    assert len(cache) == 0
    assert len(cache.get_or_compute("ns", "1:0", ("gaps",), _frame)) == 3


def test_tracker_without_redis_uses_process_memory(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    tracker = Tracker(db_url=db, catalogue_path=CATALOGUE)
    assert isinstance(tracker.cache, MemoryCache)
    first = tracker.gaps()
    assert_frame_equal(tracker.gaps(), first)
    stats = tracker.cache_stats()
    # two results computed: the gap table and the observations it was computed from
    assert (stats.computes, stats.local_hits, stats.shared_hits) == (2, 1, 0)


# ----------------------------------------------------------------------------- fingerprints


def test_database_fingerprint_leaves_out_the_password_and_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = "postgresql+psycopg://tracker:{}@db.example.org:5432/{}"
    assert database_fingerprint(pg.format("pw-one", "yrd")) == database_fingerprint(
        pg.format("pw-two", "yrd")
    )
    assert database_fingerprint(pg.format("pw", "yrd")) != database_fingerprint(
        pg.format("pw", "yrd_staging")
    )
    # one SQLite file named relatively or absolutely is one database; another file is another
    monkeypatch.chdir(tmp_path)
    assert database_fingerprint("sqlite:///t.db") == database_fingerprint(
        f"sqlite:///{tmp_path / 't.db'}"
    )
    assert database_fingerprint("sqlite:///t.db") != database_fingerprint("sqlite:///u.db")


def test_files_fingerprint_follows_the_contents(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_bytes(CATALOGUE.read_bytes())
    two.write_bytes(CATALOGUE.read_bytes())
    assert files_fingerprint(one) == files_fingerprint(two)
    two.write_bytes(CATALOGUE.read_bytes() + b"\n# an edit\n")
    assert files_fingerprint(one) != files_fingerprint(two)


# ----------------------------------------------------------------------------- shared via Redis


def test_second_worker_gets_the_gap_table_from_redis_without_computing(
    db: str, worker: Callable[..., Tracker], raw: Any, prefix: str
) -> None:
    first, second = worker(db, ttl=600), worker(db, ttl=600)
    gaps = first.gaps()
    # the gap table and the observations (the store read) it was computed from
    assert first.cache_stats().computes == 2

    shared = second.gaps()
    stats = second.cache_stats()
    assert (stats.computes, stats.shared_hits, stats.misses) == (0, 1, 0)
    assert_frame_equal(shared, gaps)  # values and dtypes
    # the same numbers as the engine without any cache
    plain = compute_gaps(first.catalogue, first.regions, first.store.observations())
    assert_frame_equal(shared, plain)

    # in Redis, signed, with the TTL asked for
    keys = [k.decode() for k in raw.scan_iter(match=f"{prefix}:*:gaps:*")]
    assert len(keys) == 1
    assert 0 < raw.ttl(keys[0]) <= 600
    assert raw.get(keys[0]).startswith(b"TRC1")

    # the second call is served from process memory: Redis is not asked again
    raw.delete(keys[0])
    assert_frame_equal(second.gaps(), gaps)
    stats = second.cache_stats()
    assert (stats.local_hits, stats.shared_hits, stats.computes) == (1, 1, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.gaps(milestone=2025),
        lambda t: t.observations(),
        lambda t: t.assessment(2025, "en"),
        lambda t: t.behind_schedule(2025),
        lambda t: t.convergence(),
        lambda t: t.methods(2025),
    ],
    ids=["gaps", "observations", "assessment", "behind_schedule", "convergence", "methods"],
)
def test_every_cached_analysis_round_trips_through_redis(
    db: str, worker: Callable[..., Tracker], call: Callable[[Tracker], pd.DataFrame]
) -> None:
    first, second = worker(db), worker(db)
    expected = call(first)
    got = call(second)
    assert_frame_equal(got, expected)
    assert second.cache_stats().computes == 0
    assert second.cache_stats().shared_hits >= 1


def test_an_import_through_one_worker_invalidates_for_both(
    db: str, worker: Callable[..., Tracker]
) -> None:
    first, second = worker(db), worker(db)
    before = first.gaps()
    assert_frame_equal(second.gaps(), before)
    assert _anhui_2023(before) == pytest.approx(2.69)

    import_id = _add_import(first, 2.75)
    after_first = first.gaps()
    assert _anhui_2023(after_first) == pytest.approx(2.75)
    assert first.cache_stats().computes == 4  # gaps and observations, before and after
    after_second = second.gaps()
    assert_frame_equal(after_second, after_first)
    assert second.cache_stats().computes == 0  # the new table came from Redis too

    # a revert through the second worker brings the old values back in both
    second.store.revert(import_id)
    assert _anhui_2023(second.gaps()) == pytest.approx(2.69)
    assert _anhui_2023(first.gaps()) == pytest.approx(2.69)
    assert first.cache_stats().computes + second.cache_stats().computes == 6


class _Marker:
    """Unpickling this would create a file: proof that a tampered value was unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


@pytest.mark.parametrize("how", ["payload", "raw-pickle", "other-secret"])
def test_a_tampered_value_is_never_unpickled(
    db: str,
    worker: Callable[..., Tracker],
    raw: Any,
    prefix: str,
    tmp_path: Path,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = worker(db), worker(db)
    gaps = first.gaps()
    (key,) = [k.decode() for k in raw.scan_iter(match=f"{prefix}:*:gaps:*")]
    marker = tmp_path / "unpickled"
    evil = pickle.dumps(_Marker(marker))
    good = raw.get(key)
    if how == "payload":  # the signature kept, the pickle swapped
        forged = good[:36] + evil
    elif how == "raw-pickle":  # no signature at all
        forged = evil
    else:  # correctly signed, but with a key that is not ours
        other = RedisCache(REDIS_URL, prefix=prefix, secret="another-secret-0123456789abcdef")
        forged = other._seal(key, pd.DataFrame({"x": [1]}))
    raw.set(key, forged)

    with caplog.at_level(logging.WARNING, logger="targets.cache"):
        got = second.gaps()
    assert not marker.exists()
    assert_frame_equal(got, gaps)
    stats = second.cache_stats()
    # the forged gap table rejected and recomputed, from the observations shared in Redis
    assert (stats.rejected, stats.computes, stats.shared_hits) == (1, 1, 1)
    assert any("bad signature" in r.getMessage() for r in caplog.records)
    # the recomputed table replaced the forged value: a third worker reads it
    third = worker(db)
    assert_frame_equal(third.gaps(), gaps)
    assert third.cache_stats().shared_hits == 1


def test_two_databases_on_one_redis_do_not_collide(
    tmp_path: Path, worker: Callable[..., Tracker]
) -> None:
    url_a = f"sqlite:///{tmp_path / 'a.db'}"
    url_b = f"sqlite:///{tmp_path / 'b.db'}"
    build_fixture_db(url_a)
    other = Tracker(db_url=url_b, catalogue_path=CATALOGUE, cache=MemoryCache())
    _add_import(other, 3.10, name="b.csv")  # a different table under the same data version
    a, b = worker(url_a), worker(url_b)
    assert a.store.data_version() == b.store.data_version() == "1:0"

    gaps_a = a.gaps()
    gaps_b = b.gaps()
    assert b.cache_stats().computes == 2  # its own gaps and observations
    assert b.cache_stats().shared_hits == 0
    assert _anhui_2023(gaps_b) == pytest.approx(3.10)
    assert _anhui_2023(gaps_a) == pytest.approx(2.69)


def test_editing_the_catalogue_changes_the_key(
    db: str, tmp_path: Path, worker: Callable[..., Tracker]
) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    goal = '- year: 2025\n        value: 3\n        comparator: ">"'
    assert text.count(goal) == 1  # rd_intensity's 2025 goal
    same = tmp_path / "same.yaml"
    same.write_text(text, encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace(goal, goal.replace("value: 3", "value: 3.5")), encoding="utf-8")

    original = worker(db)
    gaps = original.gaps()
    # the same contents under another path share the result; the edited goal does not
    twin = worker(db, catalogue=same)
    assert_frame_equal(twin.gaps(), gaps)
    assert twin.cache_stats().computes == 0
    assert twin.cache_namespace == original.cache_namespace
    changed = worker(db, catalogue=edited)
    assert changed.cache_namespace != original.cache_namespace
    new = changed.gaps()
    assert changed.cache_stats().computes == 2  # gaps and observations, under the new key
    rd = (new["indicator"] == "rd_intensity") & (new["milestone_year"] == 2025)
    assert set(new.loc[rd, "target"]) == {3.5}


SECOND_PROCESS = """
import json, sys
from targets.cache import RedisCache
from targets.tracker import Tracker
url, prefix, db, catalogue = sys.argv[1:]
tracker = Tracker(db_url=db, catalogue_path=catalogue, cache=RedisCache(url, prefix=prefix))
tracker.gaps()
stats = tracker.cache_stats()
print(json.dumps({"computes": stats.computes, "shared": stats.shared_hits,
                  "rejected": stats.rejected}))
"""


def test_without_a_shared_secret_another_process_does_not_share(
    db: str, worker: Callable[..., Tracker], redis_url: str, prefix: str
) -> None:
    def second_process() -> dict[str, int]:
        out = subprocess.run(
            [sys.executable, "-c", SECOND_PROCESS, redis_url, prefix, db, str(CATALOGUE)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "TARGETS_SECRET_KEY": ""},
        )
        assert "TARGETS_SECRET_KEY is not set" in out.stderr
        result: dict[str, int] = json.loads(out.stdout)
        return result

    first = worker(db, secret=None)  # this process's random key
    first.gaps()
    # another process has another random key: it computes, and sees no "bad signature" either
    assert second_process() == {"computes": 2, "shared": 0, "rejected": 0}  # gaps + observations
    # a second Tracker in this process (or a worker forked from it) shares the process's key
    same_process = worker(db, secret=None)
    same_process.gaps()
    assert same_process.cache_stats().shared_hits == 1


# ----------------------------------------------------------------------------- thundering herd


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll for a state another thread reaches (a guard against hanging, not a timed assertion)."""
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def test_a_worker_missing_a_key_being_computed_waits_for_that_result(
    redis_url: str, prefix: str, raw: Any
) -> None:
    holder = RedisCache(redis_url, prefix=prefix, secret=SECRET, lock_wait=60)
    waiter = RedisCache(redis_url, prefix=prefix, secret=SECRET, lock_wait=60)
    release = threading.Event()
    results: dict[str, pd.DataFrame] = {}

    def slow() -> pd.DataFrame:
        release.wait(30)
        return _frame()

    def not_expected() -> pd.DataFrame:
        raise AssertionError("the waiting worker computed instead of waiting")

    lock_key = holder.redis_key("ns", "1:0", ("gaps",)) + ":lock"
    first = threading.Thread(
        target=lambda: results.update(a=holder.get_or_compute("ns", "1:0", ("gaps",), slow))
    )
    second = threading.Thread(
        target=lambda: results.update(b=waiter.get_or_compute("ns", "1:0", ("gaps",), not_expected))
    )
    first.start()
    try:
        _wait_until(lambda: bool(raw.exists(lock_key)), "the first worker takes the lock")
        second.start()
        _wait_until(lambda: waiter.snapshot().waits == 1, "the second worker waits")
    finally:  # threads end before the prefix's keys are deleted, even when the test fails
        release.set()
        first.join()
        if second.ident is not None:
            second.join()
    assert_frame_equal(results["b"], results["a"])
    assert waiter.snapshot().timeouts == 0
    assert (holder.snapshot().computes, waiter.snapshot().computes) == (1, 0)
    assert waiter.snapshot().shared_hits == 1
    assert not raw.exists(lock_key)  # released after the value was stored


def test_the_wait_is_bounded_then_the_worker_computes(
    redis_url: str, prefix: str, raw: Any
) -> None:
    waiter = RedisCache(redis_url, prefix=prefix, secret=SECRET, lock_wait=0.3)
    lock_key = waiter.redis_key("ns", "1:0", ("gaps",)) + ":lock"
    raw.set(lock_key, "a worker that hangs", ex=60)
    frame = waiter.get_or_compute("ns", "1:0", ("gaps",), _frame)
    assert_frame_equal(frame, _frame())
    stats = waiter.snapshot()
    assert (stats.waits, stats.timeouts, stats.computes) == (1, 1, 1)
    assert raw.get(lock_key) == b"a worker that hangs"  # someone else's lock is left alone


def test_a_holder_that_fails_lets_the_waiter_compute(redis_url: str, prefix: str, raw: Any) -> None:
    holder = RedisCache(redis_url, prefix=prefix, secret=SECRET)
    waiter = RedisCache(redis_url, prefix=prefix, secret=SECRET, lock_wait=60)
    release = threading.Event()
    errors: list[BaseException] = []

    def broken() -> pd.DataFrame:
        release.wait(30)
        raise RuntimeError("engine failed")

    def run_holder() -> None:
        try:
            holder.get_or_compute("ns", "1:0", ("gaps",), broken)
        except RuntimeError as exc:
            errors.append(exc)

    lock_key = holder.redis_key("ns", "1:0", ("gaps",)) + ":lock"
    first = threading.Thread(target=run_holder)
    results: list[pd.DataFrame] = []
    second = threading.Thread(
        target=lambda: results.append(waiter.get_or_compute("ns", "1:0", ("gaps",), _frame))
    )
    first.start()
    try:
        _wait_until(lambda: bool(raw.exists(lock_key)), "the first worker takes the lock")
        second.start()
        _wait_until(lambda: waiter.snapshot().waits == 1, "the second worker waits")
    finally:
        release.set()
        first.join()
        if second.ident is not None:
            second.join()
    assert len(errors) == 1
    assert_frame_equal(results[0], _frame())
    # computed as soon as the lock was gone, not after the wait ran out
    assert (waiter.snapshot().computes, waiter.snapshot().timeouts) == (1, 0)


def test_with_a_columnar_snapshot_the_values_are_mapped_not_sent_through_redis(
    db: str,
    worker: Callable[..., Tracker],
    raw: Any,
    prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """make bench, 2 M rows: the frame from Redis in a second worker 0.67 s, from the snapshot
    0.15 s. Where a snapshot of the data version is on disk the frame never goes to Redis; the
    analyses made from it still do."""
    from targets import store as store_module

    monkeypatch.setattr(store_module, "COLUMNAR_MIN_ROWS", 0)  # the fixture is small
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    first, second = worker(db), worker(db)
    # the first full read after the import: the database, then the snapshot kept (no put after)
    assert not first.store.snapshot_ready()
    expected = first.observations()
    assert first.store.snapshot_ready()
    gaps = first.gaps()
    # a second worker maps the snapshot: the same values, none from Redis
    got = second.observations()
    assert_frame_equal(got, expected, check_exact=True)
    alone = Tracker(db_url=db, catalogue_path=CATALOGUE, cache=MemoryCache())
    assert_frame_equal(got, alone.observations())  # as a worker without Redis makes it
    alone.store.dispose()
    stats = second.cache_stats()
    assert (stats.computes, stats.shared_hits) == (1, 0)
    assert not list(raw.scan_iter(match=f"{prefix}:*:observations:*"))
    # the gap table still comes from Redis: made once, read by the others
    assert_frame_equal(second.gaps(), gaps)
    assert second.cache_stats().shared_hits == 1
    assert len(list(raw.scan_iter(match=f"{prefix}:*:gaps:*"))) == 1

    # snapshots off: the frame is shared through Redis again
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", "off")
    _add_import(first, 2.5)
    assert_frame_equal(worker(db).observations(), first.observations())
    assert len(list(raw.scan_iter(match=f"{prefix}:*:observations:*"))) == 1


def test_a_result_too_large_for_redis_stays_in_the_process(
    db: str, worker: Callable[..., Tracker], raw: Any, prefix: str
) -> None:
    first, second = worker(db, max_bytes=1000), worker(db, max_bytes=1000)
    gaps = first.gaps()
    assert_frame_equal(second.gaps(), gaps)
    assert first.cache_stats().oversized == 2  # the gap table and the observations
    assert second.cache_stats().computes == 2  # gaps + observations, both too large to share
    assert not list(raw.scan_iter(match=f"{prefix}:*:gaps:*"))


# ----------------------------------------------------------------------------- Redis away


def test_an_unreachable_redis_still_gives_results(
    db: str, worker: Callable[..., Tracker], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="targets.cache"):
        # retry_after=0: Redis is tried (and fails) on every call, yet one warning is logged
        tracker = worker(db, url=f"redis://127.0.0.1:{_free_port()}/0", retry_after=0)
        gaps = tracker.gaps()
        tracker.assessment(2025)
        assert_frame_equal(tracker.gaps(), gaps)
    plain = compute_gaps(tracker.catalogue, tracker.regions, tracker.store.observations())
    assert_frame_equal(gaps, plain)
    stats = tracker.cache_stats()
    assert stats.computes == 3  # gaps, observations (shared by both), assessment
    assert stats.local_hits >= 1
    assert stats.errors >= 2
    outage = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outage) == 1  # once, not per request


def test_redis_stopping_and_starting_under_a_running_dashboard(
    db: str,
    worker: Callable[..., Tracker],
    private_redis: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from dashboard.app import create_app
    from dashboard.pages import overview

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    tracker = worker(db, url=private_redis.url, retry_after=0)
    app = create_app(tracker)

    def page() -> str:
        with app.server.test_request_context("/"):
            return str(overview.layout(lang="en"))

    assert "2.69" in page()
    assert tracker.cache_stats().computes >= 1

    private_redis.stop()
    _add_import(tracker, 2.81)
    with caplog.at_level(logging.WARNING, logger="targets.cache"):
        assert "2.81" in page()  # Redis down: the page is computed here, with the new import
    assert tracker.cache_stats().errors >= 1
    assert any("unavailable" in r.getMessage() for r in caplog.records)

    private_redis.start()  # back: results are shared again
    _add_import(tracker, 2.93, name="third.csv")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="targets.cache"):
        assert "2.93" in page()
        tracker.gaps(milestone=2025)
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    another = worker(db, url=private_redis.url)
    assert _anhui_2023(another.gaps(milestone=2025)) == pytest.approx(2.93)
    assert another.cache_stats().shared_hits == 1


# ----------------------------------------------------------------------------- settings


def test_targets_redis_selects_the_shared_cache(
    db: str, redis_url: str, raw: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_REDIS", redis_url)
    monkeypatch.setenv("TARGETS_CACHE_TTL", "120")
    monkeypatch.setenv("TARGETS_CACHE_MAX_MB", "3")
    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    first = Tracker(db_url=db, catalogue_path=CATALOGUE)
    second = Tracker(db_url=db, catalogue_path=CATALOGUE)
    assert isinstance(first.cache, RedisCache)
    assert isinstance(second.cache, RedisCache)
    assert (first.cache.ttl, first.cache.max_bytes) == (120, 3 * 2**20)
    try:
        gaps = first.gaps()
        assert_frame_equal(second.gaps(), gaps)
        assert second.cache_stats().shared_hits == 1
        keys = list(raw.scan_iter(match=f"targets:*:{first.cache_namespace}:*"))
        assert keys
        assert all(0 < raw.ttl(k) <= 120 for k in keys)
    finally:
        first.cache.clear(first.cache_namespace)


@pytest.mark.parametrize(
    "url",
    [
        "localhost:6379",
        "http://127.0.0.1:6379/0",
        "redis://:hunter2-secret@127.0.0.1:port/0",
        "redis://127.0.0.1:6379/0?no_such_option=1",
    ],
)
def test_a_wrong_redis_url_is_a_clear_error_at_start(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_REDIS", url)
    with pytest.raises(CacheConfigError, match="TARGETS_REDIS") as info:
        Tracker(db_url="sqlite:///unused.db", catalogue_path=CATALOGUE)
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize("name", ["TARGETS_CACHE_TTL", "TARGETS_CACHE_MAX_MB"])
@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_a_wrong_number_is_a_clear_error(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_REDIS", REDIS_URL)
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Tracker(db_url="sqlite:///unused.db", catalogue_path=CATALOGUE)
