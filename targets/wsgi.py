"""WSGI entry point for many users: `gunicorn -w 4 -b 0.0.0.0:8050 targets.wsgi:server`.

The database URL comes from TARGETS_DB (PostgreSQL when several workers share it); the session
secret from TARGETS_SECRET_KEY. Workers are stateless: every request reads through the store.
"""

from __future__ import annotations

from dashboard.app import create_app
from targets.bundled import ensure_bundled
from targets.service import Tracker

tracker = Tracker()
ensure_bundled(tracker)
app = create_app(tracker)
server = app.server
