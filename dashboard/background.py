"""Where the dashboard's background jobs (the report exports) run: Dash's own background callbacks.

- `TARGETS_REDIS` set (`redis://host:6379/0`): Dash's CeleryManager over a Celery app with that
  Redis as broker and result backend. The jobs run in `celery -A dashboard.worker worker`
  processes, on this machine or others; `TARGETS_JOBS_QUEUE` (default "targets") names the queue,
  so that two installations can share one Redis database.
- otherwise: Dash's DiskcacheManager. Each job is a process forked from the web process, its
  progress and result kept in a diskcache directory (`TARGETS_JOBS_DIR`, default a private
  directory under the system's temp dir) that every gunicorn worker of the machine shares.
- `TARGETS_JOBS=local` keeps the jobs local although `TARGETS_REDIS` is set (Redis then only
  shares the engine's results, targets.cache); `TARGETS_JOBS=celery` insists on Celery.

A job runs in another process, outside any request, so it cannot read the tracker from
`flask.current_app`. `create_app` records the tracker here (`set_tracker`); a forked job opens a
Tracker of its own on the same database and files, and the Celery worker builds its app (and so
its tracker) from the environment (dashboard/worker.py). Jobs get it with `job_tracker()`.

Nothing unsigned is unpickled from the network: Celery is held to JSON (messages and results),
and a queued job carries no cookies or headers of the request (Dash would send the session
cookie along). Diskcache pickles on the local disk, which is why its directory must be writable
by this user only (checked at start).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from targets.tracker import Tracker

DEFAULT_QUEUE = "targets"
# Results nobody fetched (the browser went away) leave Redis after this long; an export the
# browser waits for is read and deleted at once.
RESULT_TTL_S = 3600
# The diskcache directory's bound: far more than any few reports in flight; when it is passed,
# diskcache evicts the oldest entries.
DISK_LIMIT_BYTES = 1024**3


WEB_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}


class JobsConfigError(RuntimeError):
    """The background-job settings cannot be used safely."""


def redis_url() -> str | None:
    """`TARGETS_REDIS`, or None."""
    return os.environ.get("TARGETS_REDIS", "").strip() or None


def celery_url() -> str | None:
    """The Redis that carries the jobs to Celery workers, or None: jobs run locally (diskcache).

    `TARGETS_JOBS`: "celery" (needs TARGETS_REDIS), "local", or unset: Celery when
    TARGETS_REDIS is set.
    """
    mode = os.environ.get("TARGETS_JOBS", "").strip().lower()
    if mode not in ("", "local", "celery"):
        raise JobsConfigError(f"TARGETS_JOBS={mode!r}: use 'local' or 'celery'")
    url = redis_url()
    if mode == "celery" and url is None:
        raise JobsConfigError("TARGETS_JOBS=celery needs TARGETS_REDIS (the workers' Redis)")
    return None if mode == "local" else url


def jobs_queue() -> str:
    return os.environ.get("TARGETS_JOBS_QUEUE", "").strip() or DEFAULT_QUEUE


def jobs_dir() -> Path:
    """`TARGETS_JOBS_DIR`, else `<temp dir>/targets-jobs-<uid>`; created, and checked private."""
    configured = os.environ.get("TARGETS_JOBS_DIR", "").strip()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(configured) if configured else Path(tempfile.gettempdir()) / f"targets-jobs-{uid}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(path)
    return path


def _check_private(path: Path) -> None:
    """Refuse a jobs directory someone else could write to: diskcache unpickles what it reads."""
    if not hasattr(os, "getuid"):
        return
    # lstat: a symlink planted in /tmp by another user must not redirect us
    info = path.lstat()
    if path.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise JobsConfigError(
            f"the jobs directory {path} must be a directory owned by this user and writable by "
            "no one else (the job results kept there are pickled): fix it, or set "
            "TARGETS_JOBS_DIR to such a directory"
        )


def make_celery(url: str, queue: str = DEFAULT_QUEUE) -> Any:
    """A Celery app with Redis at `url` as broker and result backend, JSON only."""
    from celery import Celery

    celery_app = Celery("targets", broker=url, backend=url)
    celery_app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_default_queue=queue,
        result_expires=RESULT_TTL_S,
        broker_connection_retry_on_startup=True,
        # STARTED once a worker has the job: "queued, no worker yet" can then be told apart
        task_track_started=True,
        # Redis down: the web request says so within about a second (the page then shows an
        # error) instead of retrying for 20 s; the worker restores Celery's patient default
        result_backend_transport_options={"retry_policy": WEB_RETRY_POLICY},
        # an export takes seconds to minutes: a worker takes one at a time, so a long PDF
        # does not hold queued jobs back while another worker is idle
        worker_prefetch_multiplier=1,
    )
    return celery_app


_MANAGERS: dict[tuple[str, str, str], Any] = {}
_MANAGERS_LOCK = threading.Lock()


def make_manager() -> Any:
    """Dash's background callback manager for this environment (CeleryManager or DiskcacheManager).

    One per configuration and process: Dash registers every background callback with every
    manager ever made, so tests that build many apps would otherwise pile them up.
    """
    url = celery_url()
    key = ("celery", url, jobs_queue()) if url else ("diskcache", str(jobs_dir()), "")
    with _MANAGERS_LOCK:
        manager = _MANAGERS.get(key)
        if manager is None:
            manager = _build_manager(key)
            _MANAGERS[key] = manager
        return manager


# what Dash copies from the request into a job's context and no job of ours reads
PRIVATE_CONTEXT = ("cookies", "headers")


def _build_manager(key: tuple[str, str, str]) -> Any:
    from dash import CeleryManager, DiskcacheManager

    class PrivateCeleryManager(CeleryManager):  # type: ignore[misc]
        """Dash's CeleryManager, minus the request's cookies and headers in the queued job.

        Dash sends the whole callback context with the task: the session cookie among it is a
        credential, and it has no business waiting in a Redis list for a worker.
        """

        def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> Any:
            kept = {k: v for k, v in dict(context).items() if k not in PRIVATE_CONTEXT}
            return super().call_job_fn(key, job_fn, args, kept)

    kind, where, queue = key
    if kind == "celery":
        return PrivateCeleryManager(make_celery(where, queue))
    import diskcache

    return DiskcacheManager(diskcache.Cache(where, size_limit=DISK_LIMIT_BYTES))


# -- the tracker of the jobs -------------------------------------------------------------------

_state: dict[str, Any] = {"tracker": None, "pid": None}


def set_tracker(tracker: Tracker) -> None:
    """The tracker background jobs of this process (and processes forked from it) work on."""
    _state.update(tracker=tracker, pid=os.getpid())


def job_tracker() -> Tracker:
    """The tracker recorded by `set_tracker`; in a forked process, a fresh one on the same files."""
    tracker: Tracker | None = _state["tracker"]
    if tracker is None:
        raise RuntimeError("no tracker for background jobs: create_app(tracker) records it")
    if _state["pid"] != os.getpid():
        # A forked job (diskcache) or a Celery pool child: the parent's pooled database
        # connections must not be used from two processes, and a lock another thread of the
        # parent held at the fork would never be released here. A Tracker of its own on the
        # same database, catalogue and regions costs a catalogue load (milliseconds).
        from targets.tracker import Tracker

        tracker = Tracker(
            db_url=tracker.db_url,
            catalogue_path=tracker.catalogue_path,
            regions_path=tracker.regions_path,
        )
        _state.update(tracker=tracker, pid=os.getpid())
    return tracker
