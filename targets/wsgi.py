"""WSGI entry point for many users: `gunicorn --preload -w 4 --timeout 90 -b 0.0.0.0:8050 targets.wsgi:server`.

`--preload` runs this module once, before the workers fork, so the bundled statistics are loaded
into an empty database by one process only (workers starting together would each see an empty
database). The connection pool is disposed before the fork: a forked worker must not share the
parent's connections.

The database URL comes from TARGETS_DB (PostgreSQL when several workers share it); the session
secret from TARGETS_SECRET_KEY. Workers are stateless: every request reads through the store.
"""

from __future__ import annotations

from dashboard.app import create_app
from targets.bundled import ensure_bundled
from targets.tracker import Tracker

tracker = Tracker()
ensure_bundled(tracker)
tracker.store.engine.dispose()
# each worker computes the results of new data in the background (targets.warm)
app = create_app(tracker, warm=True)
server = app.server
