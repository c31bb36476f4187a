"""targets.throttle on real SQLite, PostgreSQL and Redis: attempts counted per account × address,
atomically, shared by processes; one audit row per burst of failed logins."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from targets.store import Store
from targets.throttle import (
    LIMIT,
    MAX_BURSTS,
    LoginThrottle,
    client_key,
    login_attempts_t,
    record_failure,
)
from tests.conftest import ROOT, require_redis, together

REDIS_URL = os.environ.get("TARGETS_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client() -> Iterator[Any]:
    client = require_redis(REDIS_URL)
    yield client
    client.close()


def _clear_redis(client: Any, store: Store) -> None:
    from targets.cache import database_fingerprint

    keys = list(client.scan_iter(match=f"targets:login:{database_fingerprint(store.url)}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["database", "redis"])
def throttle(request: pytest.FixtureRequest, store: Store) -> Iterator[LoginThrottle]:
    """A throttle counting in the database (SQLite or PostgreSQL) or in Redis."""
    if request.param == "database":
        yield LoginThrottle(store, limit=3)
        return
    client = request.getfixturevalue("redis_client")
    made = LoginThrottle(store, redis_url=REDIS_URL, limit=3)
    assert made.backend == "redis"
    yield made
    _clear_redis(client, store)


def _rows(store: Store) -> int:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(login_attempts_t)).scalar())


# -- counting ---------------------------------------------------------------------------------


def test_attempts_are_counted_per_account_and_address(throttle: LoginThrottle) -> None:
    assert [throttle.attempt("erin", "192.0.2.1") for _ in range(4)] == [True] * 3 + [False]
    assert not throttle.attempt(" Erin ", "192.0.2.1")  # the same account, however written
    # neither another address nor another account is touched by those failures
    assert throttle.attempt("erin", "192.0.2.2")
    assert throttle.attempt("frank", "192.0.2.1")
    throttle.reset("erin", "192.0.2.1")  # a correct password
    assert throttle.attempt("erin", "192.0.2.1")


def test_where_the_count_lives(throttle: LoginThrottle, store: Store) -> None:
    throttle.attempt("erin", "192.0.2.1")
    # with Redis nothing is written to the database per attempt
    assert _rows(store) == (1 if throttle.backend == "database" else 0)


def test_the_window_ends(store: Store) -> None:
    throttle = LoginThrottle(store, limit=1, window_s=0.5)
    assert throttle.attempt("erin", "192.0.2.1")
    assert not throttle.attempt("erin", "192.0.2.1")
    time.sleep(0.6)
    assert throttle.attempt("erin", "192.0.2.1")


def test_an_ipv6_client_counts_by_its_64_network() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7" == client_key("192.0.2.7")
    assert client_key("not an address") == "not an address"


def test_concurrent_attempts_are_each_counted(throttle: LoginThrottle) -> None:
    """Sixteen guesses at the same moment: exactly `limit` of them may check a password."""
    allowed = together(16, lambda: throttle.attempt("erin", "192.0.2.1"))
    assert sorted(allowed) == [False] * 13 + [True] * 3


# Four worker processes guess at one account from one address, eight times each, all at once.
WORKER = """
    import sys, time
    from targets.store import Store
    from targets.throttle import LoginThrottle

    url, redis_url, start = sys.argv[1], sys.argv[2] or None, float(sys.argv[3])
    throttle = LoginThrottle(Store(url), redis_url=redis_url)
    time.sleep(max(0.0, start - time.time()))
    print(sum(throttle.attempt("erin", "198.51.100.4") for _ in range(8)))
"""


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_worker_processes_share_one_count(backend: str, store: Store, request: Any) -> None:
    redis_url = ""
    if backend == "redis":
        client = request.getfixturevalue("redis_client")
        request.addfinalizer(lambda: _clear_redis(client, store))
        redis_url = REDIS_URL
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.time() + 4  # after every process has imported and connected
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WORKER), store.url, redis_url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outs]
    # a per-process count would have let 4 × LIMIT through
    assert sum(int(out) for out, _ in outs) == LIMIT


def test_redis_down_counts_in_the_database(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    throttle = LoginThrottle(store, redis_url="redis://127.0.0.1:1/0", limit=2)
    with caplog.at_level("WARNING", logger="targets.throttle"):
        assert [throttle.attempt("erin", "192.0.2.1") for _ in range(3)] == [True, True, False]
    assert throttle.backend == "database" and _rows(store) == 1
    assert caplog.text.count("Redis is unreachable for login throttling") == 1


# -- one audit row per burst ---------------------------------------------------------------------


def _bursts(store: Store) -> list[tuple[str, str]]:
    log = store.audit_log()
    rows = log[log["action"] == "login_failed"]
    return list(zip(rows["user"], rows["detail"], strict=True))


def test_a_burst_of_failures_is_one_audit_row_with_its_counts(store: Store) -> None:
    store.audit("import", "ana", "#1 yearbook.xlsx: 12 rows")
    names = [f"user{i % 7}" for i in range(60)]
    for i, name in enumerate(names):
        record_failure(store, address="203.0.113.5", name=name, refused=i >= 20)
    [(user, detail)] = _bursts(store)
    assert user == "user0"
    assert detail.startswith("20 failed, 40 refused by the throttle from 203.0.113.5 (")
    assert detail.endswith("names tried: user0, user1, user2, user3, user4, …")
    # another address is another burst
    record_failure(store, address="203.0.113.6", name="erin", refused=False)
    assert [d.split(" (")[0] for _, d in _bursts(store)] == [
        "1 failed from 203.0.113.6",
        "20 failed, 40 refused by the throttle from 203.0.113.5",
    ]
    assert len(store.audit_log()) == 3  # the import's entry is still there


def test_a_burst_ends_after_a_quiet_spell(store: Store) -> None:
    record_failure(store, address="203.0.113.5", name="a", refused=False, quiet_s=0.3)
    record_failure(store, address="203.0.113.5", name="a", refused=False, quiet_s=0.3)
    time.sleep(0.4)
    record_failure(store, address="203.0.113.5", name="a", refused=False, quiet_s=0.3)
    assert [d.split(" (")[0] for _, d in _bursts(store)] == [
        "1 failed from 203.0.113.5",
        "2 failed from 203.0.113.5",
    ]


def test_many_addresses_at_once_share_one_row(store: Store) -> None:
    for i in range(MAX_BURSTS + 15):
        record_failure(store, address=f"198.51.100.{i}", name="x", refused=False)
    bursts = _bursts(store)
    assert len(bursts) == MAX_BURSTS + 1
    assert bursts[0][1].startswith("15 failed from many addresses")


def test_concurrent_failures_are_all_counted(store: Store) -> None:
    def fail() -> None:
        for _ in range(5):
            record_failure(store, address="203.0.113.9", name="erin", refused=False)

    assert together(12, fail) == [None] * 12
    [(_, detail)] = _bursts(store)
    assert detail.startswith("60 failed from 203.0.113.9")


def test_throttle_tables_are_not_backed_up(store: Store, tmp_path: Path) -> None:
    LoginThrottle(store).attempt("erin", "192.0.2.1")
    record_failure(store, address="192.0.2.1", name="erin", refused=False)
    from targets.backup import backup

    counts = backup(store, tmp_path / "dump.jsonl.gz")
    # the counts are kept beside the tables of record, never in a dump (whatever tables it holds)
    assert {"imports", "users", "audit"} <= set(counts)
    assert not {"login_attempts", "login_bursts"} & set(counts)
    assert counts["audit"] == 1  # the burst's row is audit history, and kept
