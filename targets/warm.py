"""Results computed for a new data version before anyone asks: no visitor pays the cold read.

At national size the first gap table after an import costs a read of every value in force plus
the engine (seconds to tens of seconds). `warm` computes the results the first pages ask for
through the Tracker's cache; `Warmer` does it in a background thread of the serving process
whenever the data version changes, whoever imported (the CLI, an upload, another worker), so
the first page after an import is served from the cache like the second. `updating()` tells a
page that a computation is under way.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from targets.tracker import Tracker

log = logging.getLogger(__name__)

# seconds between looks at the data version (one small query): an import elsewhere is noticed
# within this time, an import in this process at once (`kick`)
POLL_SECONDS = 2.0


def milestone_years(tracker: Tracker) -> list[int]:
    """The goal years the pages offer, as the catalogue states them."""
    return tracker.catalogue.milestone_years()


def warm(tracker: Tracker) -> str:
    """Compute the results the first pages read (values with derived ones, the gap table of
    every goal year, the behind-schedule lists, the assessment page's tables and drafted text,
    the indicator pages' provenance notes) for the current data version; return it."""
    version = tracker.store.data_version()
    if tracker.store.is_empty():
        return version
    tracker.observations()
    # the row index by region and by indicator that every filtered read uses (0.2-0.9 s each
    # at 10 M), and the sources page's publishers (7 s at 10 M before they were counted on codes)
    tracker.regions_with_values()
    tracker.indicators_with_values()
    tracker.publishers()
    tracker.synthetic_in_force()  # the banner of every page
    tracker.gaps()
    for year in milestone_years(tracker):
        tracker.gaps(milestone=year)
        # the overview's hovers say why a status changed with the latest value
        tracker.gaps_before_latest(milestone=year)
        for lang in ("zh", "en"):
            tracker.behind_schedule(year, lang)
    # then the assessment page's sections for the goal year it opens on: at 1 M values its
    # drafted text alone took 18 s to make, its contributions 7 s
    tracker.convergence("province")
    tracker.regional_contributions()
    opens_on = assessment_year(tracker)
    if opens_on is not None:
        tracker.methods(opens_on)
        for lang in ("zh", "en"):
            tracker.assessment(opens_on, lang)
            tracker.draft(opens_on, lang)
    warm_value_notes(tracker)
    return version


# the levels the indicator page opens on, and how many lines at most (dashboard/pages/indicator.py)
OPENING_LEVELS = ("region", "zone", "province")
MAX_OPENING_LINES = 8


def indicator_regions(tracker: Tracker, indicator: str, present: Collection[str]) -> list[str]:
    """The regions the indicator page offers, in the registry's order: those with a value of
    `indicator` (`present`) and those the plan sets a goal for, with or without a value (the
    central zone for its income ratio: their verdict is the goal's own)."""
    wanted = set(present)
    ind = tracker.catalogue.indicators.get(indicator)
    if ind is not None:
        wanted |= set(ind.scope)
        wanted |= {r for m in ind.milestones for r in m.overrides}
    return [rid for rid in tracker.regions.regions if rid in wanted]


def opening_regions(tracker: Tracker, available: Collection[str]) -> list[str]:
    """The regions the indicator page opens on when the URL names none: the whole region, the
    zones and the provinces; the provinces only while all fit in MAX_OPENING_LINES lines (a
    country's 31 do not: then the levels above them, or the first provinces if there are none)."""
    top = [r for r in available if tracker.regions.get(r).level in OPENING_LEVELS]
    if len(top) <= MAX_OPENING_LINES:
        return top
    above = [r for r in top if tracker.regions.get(r).level != "province"]
    return above or top[:MAX_OPENING_LINES]


def warm_value_notes(tracker: Tracker) -> None:
    """The indicator pages' provenance notes (Tracker.value_notes) for the regions each goal's
    page opens on (the overview links every goal), both languages: made on the first view after
    an import they cost 1.9 s a page at 1 M values."""
    frame = tracker.observations()
    present = {
        str(i): set(r)
        for i, r in frame.groupby("indicator", observed=True)["region"].unique().items()
    }
    for ind in tracker.catalogue.goals():
        regions = opening_regions(
            tracker, indicator_regions(tracker, ind.id, present.get(ind.id, ()))
        )
        for lang in ("zh", "en"):
            tracker.value_notes(ind.id, regions, lang)


def assessment_year(tracker: Tracker) -> int | None:
    """The goal year the assessment page opens on: 2025 (the Outline's) if the catalogue has
    it, else its first goal year."""
    years = milestone_years(tracker)
    return 2025 if 2025 in years else (years[0] if years else None)


def warm_detached(db: str | None, catalogue: str | None) -> subprocess.Popen[bytes] | None:
    """After an import by a command that exits: `targets warm` in a process of its own, which
    the command does not wait for, filling the shared cache (Redis) the dashboard's workers read.
    Without Redis a result computed in another process helps no one (each dashboard worker warms
    its own memory when it sees the new data version): nothing is started, None."""
    from targets import config

    if config.redis_url() is None:
        return None
    env = dict(os.environ)
    # through the environment, not the command line: a URL's password stays out of `ps`
    if db:
        env["TARGETS_DB"] = db
    if catalogue:
        env["TARGETS_CATALOGUE"] = catalogue
    return subprocess.Popen(
        [sys.executable, "-m", "targets", "warm"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C at the terminal after the import does not stop it
    )


class Warmer:
    """Keeps the results of the newest data version computed, in a daemon thread of this process."""

    def __init__(
        self,
        tracker: Tracker,
        *,
        poll: float = POLL_SECONDS,
        work: Callable[[Tracker], str] = warm,
    ) -> None:
        self.tracker = tracker
        self.poll = poll
        self._work = work
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._warm_version: str | None = None  # the version whose results are computed
        self._busy = False
        self._done = threading.Condition(self._lock)

    def start(self) -> None:
        """Start the thread (again in a forked worker, whose parent's thread did not follow)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="targets-warmer", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def kick(self) -> None:
        """Look at the data version now (this process has just imported)."""
        self._wake.set()

    def updating(self) -> bool:
        """True while the results of a new data version are being computed."""
        with self._lock:
            return self._busy

    def wait(self, timeout: float = 60.0) -> bool:
        """Until the results of the current data version are computed; False on time-out."""
        want = self.tracker.store.data_version()
        self.kick()
        with self._done:
            return self._done.wait_for(lambda: self._warm_version == want, timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._once()
            except Exception:  # noqa: BLE001 - the database unreachable: look again later
                log.exception("cannot read the data version; results are computed when asked")
            self._wake.wait(self.poll)
            self._wake.clear()

    def _once(self) -> None:
        version = self.tracker.store.data_version()
        with self._lock:
            if version == self._warm_version:
                return
            self._busy = True
        try:
            done = self._work(self.tracker)
        except Exception:  # noqa: BLE001 - a page computes what warming could not
            log.exception("warming the results of data version %s failed", version)
            done = version  # not tried again until the next import
        finally:
            with self._done:
                self._busy = False
                self._done.notify_all()
        with self._done:
            self._warm_version = done
            self._done.notify_all()
