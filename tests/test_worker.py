"""Exports through Celery: with TARGETS_REDIS set, a real `celery -A dashboard.worker worker`
process (started here) makes the file, and the web app only hands out the job and its result.

Needs Redis (`TARGETS_TEST_REDIS`, default redis://127.0.0.1:6379/14): skipped locally without
it, failed under CI=true. Each run uses a queue of its own, so a parallel run or another
installation on the same Redis takes none of its jobs; the worker is stopped and its keys
deleted afterwards. `celery_worker` is shared with the browser test of the reports page.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dash import CeleryManager
from pypdf import PdfReader

from dashboard import ids
from targets.tracker import Tracker
from tests.conftest import ROOT, require_redis, stop
from tests.fixtures import build_fixture_db
from tests.test_sessions import SECRET

REDIS_URL = os.environ.get("TARGETS_TEST_REDIS", "redis://127.0.0.1:6379/14")
READY_LIMIT_S = 90.0  # a bound on the worker's start, so a broken worker fails instead of hanging


@dataclass
class Worker:
    """A running Celery worker and what the test needs to talk to it."""

    process: subprocess.Popen[bytes]
    log: Path
    queue: str
    tracker: Any

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def succeeded(self) -> list[tuple[str, str]]:
        """(task name, task id) of every task this worker reports as succeeded."""
        return re.findall(r"Task (\S+)\[([0-9a-f-]{36})\] succeeded", self.log_text())


def redis_client() -> Any:
    return require_redis(REDIS_URL)


@contextmanager
def running_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, pool: str, bundled: bool = False
) -> Iterator[Worker]:
    """A fixture database (or the bundled statistics), a Celery worker on it with its own
    queue, and this process's environment set so that create_app() sends jobs there."""
    client = redis_client()
    queue = f"targets-test-{uuid.uuid4().hex[:10]}"
    db_url = f"sqlite:///{tmp_path / 'targets.db'}"
    env = {
        "TARGETS_REDIS": REDIS_URL,
        "TARGETS_JOBS_QUEUE": queue,
        "TARGETS_DB": db_url,
        "TARGETS_CATALOGUE": str(ROOT / "indicators.yaml"),
        "TARGETS_SECRET_KEY": SECRET,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("TARGETS_PUBLIC_VIEW", raising=False)
    monkeypatch.delenv("TARGETS_JOBS_DIR", raising=False)
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    if bundled:
        from targets.bundled import ensure_bundled

        tracker = Tracker(db_url=db_url, catalogue_path=ROOT / "indicators.yaml")
        ensure_bundled(tracker)
    else:
        tracker = build_fixture_db(db_url)
    log = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "dashboard.worker", "worker", f"--pool={pool}",
        "--concurrency=1", "--loglevel=INFO", "--without-mingle", "--without-gossip",
        "--without-heartbeat", "--hostname", f"{queue}@%h",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=subprocess.STDOUT
        )
    worker = Worker(process, log, queue, tracker)
    try:
        deadline = time.monotonic() + READY_LIMIT_S
        while " ready." not in worker.log_text():
            if process.poll() is not None:
                raise AssertionError(
                    f"the worker exited ({process.returncode}):\n{worker.log_text()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start:\n{worker.log_text()}")
            time.sleep(0.2)
        yield worker
    finally:
        stop(process)
        task_ids = set(re.findall(r"\[([0-9a-f-]{36})\]", worker.log_text()))
        keys = [queue, f"_kombu.binding.{queue}"]
        keys += [f"celery-task-meta-{task_id}" for task_id in task_ids]
        client.delete(*keys)
        clear = getattr(tracker.cache, "clear", None)
        if clear is not None:  # the engine's result cache is in the same Redis
            clear(tracker.cache_namespace)
        tracker.store.dispose()


@pytest.fixture
def celery_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Worker]:
    """`celery -A dashboard.worker worker --pool=solo` on the fixture database."""
    with running_worker(tmp_path, monkeypatch, pool="solo") as worker:
        yield worker


def test_the_worker_makes_the_file_the_page_downloads(celery_worker: Worker) -> None:
    from dashboard.app import create_app
    from tests.test_reports_jobs import page_token, start_job, unsigned, wait_for_result

    app = create_app(celery_worker.tracker)
    assert isinstance(app._background_manager, CeleryManager)
    client = app.server.test_client()
    token = page_token(client)
    started = start_job(app, client, "pdf", token, **{"_pages_location.search": "?lang=zh"})
    assert started.status_code == 200, started.get_data(as_text=True)
    handles = started.get_json()
    task_id = unsigned(handles["job"])
    response, seen = wait_for_result(app, client, handles, token)

    sent = response[ids.REPORTS_DOWNLOAD]["data"]
    assert sent["filename"] == "yrd-targets-2025-en.pdf"
    reader = PdfReader(io.BytesIO(base64.b64decode(sent["content"])))
    assert "Yangtze River Delta integration goals: gap report" in reader.pages[0].extract_text()
    # the progress travelled from the worker through Redis, in the page's language
    texts = [p[f"{ids.REPORTS_PROGRESS_TEXT}.children"] for p in seen]
    assert texts and all(t.startswith(("生成中：", "已生成")) for t in texts)
    # the worker process did the job: it logged this very task, and the result backend says so
    done = celery_worker.succeeded()
    assert [tid for _, tid in done] == [task_id]
    assert done[0][0].startswith("background_callback_")
    manager = app._background_manager
    assert manager.handle.AsyncResult(task_id).status == "SUCCESS"
    assert celery_worker.process.poll() is None  # still serving


def test_cancel_terminates_the_running_job_in_a_prefork_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel reaches the worker: the job's pool process is terminated, no file is made, and
    the page's next poll ends the wait. (A PDF of the bundled statistics takes seconds; the
    cancel is sent as soon as the worker has started the job.)"""
    from dashboard.app import create_app
    from tests.test_reports_jobs import page_token, poll, start_job, unsigned

    with running_worker(tmp_path, monkeypatch, pool="prefork", bundled=True) as worker:
        app = create_app(worker.tracker)
        client = app.server.test_client()
        token = page_token(client)
        handles = start_job(app, client, "pdf", token).get_json()
        task = app._background_manager.handle.AsyncResult(unsigned(handles["job"]))
        deadline = time.monotonic() + READY_LIMIT_S
        while task.status == "PENDING" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert task.status == "STARTED"
        key = next(k for k in app.callback_map if k.startswith(f"{ids.REPORTS_CANCEL}.id"))
        poll(app, client, {}, token, output_part=key, extra={"cancelJob": handles["job"]})
        while task.status == "STARTED" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert task.status == "REVOKED"
        assert poll(app, client, handles, token).status_code == 204
        while f"Terminating {task.id}" not in worker.log_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"Terminating {task.id}" in worker.log_text()
        assert worker.succeeded() == []
        assert worker.process.poll() is None  # the worker lives on for the next job


def test_the_worker_refuses_to_start_without_redis(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TARGETS_REDIS", "TARGETS_JOBS")}
    env.update(TARGETS_SECRET_KEY=SECRET, TARGETS_DB=f"sqlite:///{tmp_path / 'x.db'}")
    result = subprocess.run(
        [sys.executable, "-c", "import dashboard.worker"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "TARGETS_REDIS is not set" in result.stderr
