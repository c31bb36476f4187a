"""The Celery worker of the dashboard's background jobs: `celery -A dashboard.worker worker`.

Used when `TARGETS_REDIS` is set (see dashboard.background). The worker needs the web server's
environment: the same `TARGETS_REDIS` (and `TARGETS_JOBS_QUEUE` if set), `TARGETS_DB`,
`TARGETS_CATALOGUE` / `TARGETS_REGIONS` if set, and `TARGETS_SECRET_KEY` (the app refuses to
build without one). Building the app here, as targets/wsgi.py does, registers each background
callback as a Celery task named by a hash of the callback's code and outputs, so the worker and
the web servers must run the same version of the code.

The module is named on the command line, so it exposes `celery_app` (Celery finds the instance
by type) and deliberately no attribute called `app`, which Celery would try first.
"""

from __future__ import annotations

from dashboard import background
from dashboard.app import create_app
from targets.tracker import Tracker

if background.celery_url() is None:
    raise background.JobsConfigError(
        "TARGETS_REDIS is not set (or TARGETS_JOBS=local): the Celery worker takes its jobs "
        "from Redis (e.g. TARGETS_REDIS=redis://127.0.0.1:6379/0). Without it the dashboard "
        "runs its jobs itself and needs no worker."
    )

manager = background.make_manager()
tracker = Tracker()
dash_app = create_app(tracker, background_manager=manager)
celery_app = manager.handle
# a worker writing a result rides out a Redis restart (Celery's default: 20 retries, 1 s apart)
celery_app.conf.result_backend_transport_options = {}
