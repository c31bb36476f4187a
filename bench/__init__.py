"""Shared helpers of the benchmarks: rows of the table, timers, synthetic data, throwaway
PostgreSQL databases and a gunicorn on loopback.

`make bench` runs bench/run.py, which imports the sections of bench/cache.py, bench/hostile.py and
bench/national.py; bench/loadtest.py runs alone (`make loadtest`). Each of them imports its
helpers from here, never from another script, so every script is loaded once under one name.
Importing this package first raises the tool's upload bounds (the bench files are larger than
the 50 MB default) and puts the repository root on sys.path.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# targets.config reads its bounds at import: the bench files are larger than the 50 MB default
os.environ.setdefault("TARGETS_MAX_UPLOAD_BYTES", str(2 * 1024**3))
os.environ.setdefault("TARGETS_MAX_UNCOMPRESSED_BYTES", str(4 * 1024**3))
os.environ.setdefault("TARGETS_MAX_ROWS", str(20_000_000))
os.environ.setdefault("TARGETS_MAX_CELLS", str(100_000_000))
os.environ.setdefault("TARGETS_SECRET_KEY", secrets.token_hex(32))

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402

if TYPE_CHECKING:
    from targets.tracker import Tracker

SEED = 20240
PG_URL = os.environ.get("TARGETS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PAGES = ["/", "/indicator/rd_intensity", "/region/anhui", "/map", "/method"]
HOST = "127.0.0.1"  # loopback only: the benchmarks never listen on or call another address


@dataclass
class Row:
    figure: str
    value: str
    baseline: str = "–"
    ratio: str = "–"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


@contextmanager
def peak_rss() -> Iterator[dict[str, int]]:
    """Peak resident memory above the starting level, sampled every 5 ms (tracemalloc is too slow)."""
    gc.collect()
    with suppress(OSError, AttributeError):
        # hand freed heap back to the OS first, else the peak hides in memory glibc kept
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    proc = psutil.Process()
    out = {"start": proc.memory_info().rss, "peak": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            out["peak"] = max(out["peak"], proc.memory_info().rss)
            stop.wait(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield out
    finally:
        stop.set()
        thread.join()
        out["peak"] = max(out["peak"], proc.memory_info().rss)
        out["delta"] = out["peak"] - out["start"]


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} rows/s ({seconds:.2f} s)"


def pct(samples: list[float]) -> tuple[float, float]:
    arr = np.array(samples) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


# ----------------------------------------------------------------------------- synthetic data


def long_rows(tracker: Tracker, n: int) -> pd.DataFrame:
    """n long-layout rows over the real indicator ids × the 41 city-level ids × years.

    Keys repeat (with the same value) once n exceeds indicators × 41 × 151 possible years.
    """
    regs = tracker.regions.regions
    cities = [r for r, v in regs.items() if v.level == "city" or r == "shanghai"]
    inds = list(tracker.catalogue.indicators.values())
    pairs = len(inds) * len(cities)
    years = np.arange(1949, 2100)  # the importer reads 19xx and 20xx years
    k = np.arange(n) % (pairs * len(years))
    ind_i, rest = np.divmod(k, len(cities) * len(years))
    reg_i, year_i = np.divmod(rest, len(years))
    lo = np.array([(i.valid_range or (0.0, 100.0))[0] for i in inds])
    hi = np.array([(i.valid_range or (0.0, 100.0))[1] for i in inds])
    # within the valid range, away from its edges; deterministic per key so repeats agree
    key_rng = np.random.default_rng(SEED).random(pairs * len(years))
    frac = 0.1 + 0.3 * key_rng[k]
    value = np.round(lo[ind_i] + (hi[ind_i] - lo[ind_i]) * frac, 2)
    return pd.DataFrame(
        {
            "region": np.array(cities, dtype=object)[reg_i],
            "indicator": np.array([i.id for i in inds], dtype=object)[ind_i],
            "year": years[year_i],
            "value": value,
        }
    )


def write_xlsx(frame: pd.DataFrame, path: Path, percent: set[str] | None = None) -> None:
    """The long rows as an .xlsx; values of the `percent` indicators as a user types 3.29%: the
    cell holds 0.0329 with the format 0.00% (so the import reads every such cell's format)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(list(frame.columns))
    percent = percent or set()
    for rec in frame.itertuples(index=False):
        value: Any = float(rec.value)
        if rec.indicator in percent:
            value = WriteOnlyCell(ws, value=float(repr(rec.value / 100)))
            value.number_format = "0.00%"
        ws.append([rec.region, rec.indicator, int(rec.year), value])
    wb.save(path)


def synthetic_obs(tracker: Tracker, n: int) -> pd.DataFrame:
    """n observations: the real indicators × the 50 real regions plus synthetic counties × 16 years.

    Synthetic regions are unknown to the registry, so they get rows as `compare: all_regions`
    indicators require, but no aggregation; the real regions are aggregated as in production.
    """
    rng = np.random.default_rng(SEED)
    inds = list(tracker.catalogue.indicators.values())
    years = np.arange(2010, 2026)
    per_region = len(inds) * len(years)
    n_reg = max(1, -(-n // per_region))
    real = list(tracker.regions.regions)
    regions = real + [f"syn_county_{i:06d}" for i in range(max(0, n_reg - len(real)))]
    k = np.arange(n)
    ind_i, rest = np.divmod(k, len(regions) * len(years))
    reg_i, year_i = np.divmod(rest, len(years))
    ind_i = ind_i % len(inds)
    lo = np.array([(i.valid_range or (0.0, 100.0))[0] for i in inds])
    hi = np.array([(i.valid_range or (0.0, 100.0))[1] for i in inds])
    # a trend per series plus noise, inside the valid range
    level = 0.2 + 0.3 * rng.random(len(inds) * len(regions))[ind_i * len(regions) + reg_i]
    frac = level * (1 + 0.02 * year_i) + 0.01 * rng.standard_normal(n)
    value = lo[ind_i] + (hi[ind_i] - lo[ind_i]) * np.clip(frac, 0.01, 0.99)
    frame = pd.DataFrame(
        {
            "indicator": pd.Categorical.from_codes(ind_i, [i.id for i in inds]).astype(str),
            "region": pd.Categorical.from_codes(reg_i, regions).astype(str),
            "year": years[year_i],
            "value": value,
            "unit": pd.array([None] * n, dtype="string"),
            "note": pd.array([None] * n, dtype="string"),
            "import_id": np.ones(n, dtype=np.int64),
        }
    )
    return frame.sort_values(["indicator", "region", "year"], ignore_index=True)


# ----------------------------------------------------------------------------- services


@contextmanager
def pg_database(admin_url: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database for one figure, dropped afterwards; yields its URL, or None
    when the server cannot be reached (the figure is then skipped, and says so)."""
    import sqlalchemy as sa

    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = f"targets_bench_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach PostgreSQL means: skip it
        print(f"PostgreSQL unreachable ({type(exc).__name__}): its figures are skipped")
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 1, threads: int = 1, args: Sequence[str] = ()
) -> Iterator[int]:
    """gunicorn serving targets.wsgi:server with `env` (over os.environ) on a free loopback
    port; yields the port once it accepts connections; stops the whole process group after."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
        "-b", f"{HOST}:{port}", *args, "targets.wsgi:server",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            with socket.socket() as s:
                if s.connect_ex((HOST, port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start within 120 s")
            time.sleep(0.1)
        yield port
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group we started (start_new_session)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ----------------------------------------------------------------------------- the dashboard


def router_body(url: str, lang: str = "zh") -> str:
    """The router callback's request for `url` (a path, maybe with a query string), as
    dash-renderer sends it on navigation."""
    path, _, query = url.partition("?")
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {
                    "id": "_pages_location",
                    "property": "search",
                    "value": f"?{query}&lang={lang}" if query else f"?lang={lang}",
                },
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
    )
