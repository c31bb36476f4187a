"""Shared fixtures: real SQLite files and a fresh PostgreSQL database per test session.

Under CI=true a missing PostgreSQL or Chromium fails the run loudly instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
PG_ADMIN_URL = os.environ.get(
    "TARGETS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, why: str) -> None:
    """Skip when a service is missing on a developer machine; fail under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {why}", pytrace=False)
    pytest.skip(why)


def require_redis(url: str) -> Any:
    """A client of the Redis at `url`; skipped where it does not answer, a failure under CI."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        require(False, f"Redis is not reachable at {url}: {exc}")
    return client


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"targets_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        admin.dispose()
        require(False, f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _reset_pg(url: str) -> None:
    import sqlalchemy as sa

    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on a real SQLite file and on PostgreSQL (emptied first)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'targets.db'}"
    url: str = request.getfixturevalue("pg_url")
    _reset_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'targets.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    """A Store on db_url (both backends), closed afterwards."""
    from targets.store import Store

    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def catalogue():  # type: ignore[no-untyped-def]
    from targets.catalogue import load_catalogue

    return load_catalogue(ROOT / "indicators.yaml")


@pytest.fixture(scope="session")
def regions():  # type: ignore[no-untyped-def]
    from targets.regions import load_regions

    return load_regions()


# values of the synthetic national fixture: 31 provinces and 136 cities, 30 years, enough for
# every page to cut, page or drill down as it does at national size, in seconds to build
NATIONAL_TEST_OBS = 200_000


@pytest.fixture(scope="session")
def national_tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Tracker over synthetic national-scale data (bench/national.py, seeded; every name says
    it is synthetic), built once per session."""
    from bench.national import build_national

    tracker = build_national(tmp_path_factory.mktemp("national"), NATIONAL_TEST_OBS)
    yield tracker
    tracker.store.dispose()


def national_client(app: Any) -> Callable[[str], Any]:
    """post(body) to `app`'s callback endpoint as dash-renderer does (CSRF cookie and header)."""
    client = app.server.test_client()
    client.get("/")
    cookie = client.get_cookie("_csrf_token")
    headers = {"Origin": "http://localhost", "X-CSRFToken": cookie.value if cookie else ""}

    def post(body: str) -> Any:
        response = client.post(
            "/_dash-update-component", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200, response.data[:300]
        return response

    return post


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which files are readable by others unless made private."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def together(n: int, work: Callable[[], Any]) -> list[Any]:
    """Run `work` in `n` threads released at the same moment (a barrier): what each returned,
    or the exception it raised."""
    barrier = threading.Barrier(n)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            outcome = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome = exc
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def stop(process: subprocess.Popen[Any], timeout: float = 30) -> None:
    """End a server a test started: asked first (SIGTERM), killed if it does not go in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
