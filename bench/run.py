"""Benchmarks: import, engine, store and dashboard timings, each beside a baseline where one exists.

All data are synthetic (seeded, generated here) except the dashboard figures, which use the bundled
public statistics. Prints a table and writes it, with the machine and date, to docs/performance.md.
Sizes: `--xlsx-rows`, `--csv-rows`, `--obs`, `--store-rows`, `--reps` (or BENCH_* env variables);
`--csv-rows 2000000 --obs 10000000` gives the full-scale figures.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root, not bench/, on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402

from bench import (  # noqa: E402
    PG_URL,
    ROOT,
    SEED,
    Row,
    env_int,
    long_rows,
    peak_rss,
    pg_database,
    rate,
    synthetic_obs,
    timed,
    write_xlsx,
)
from targets.tracker import Tracker  # noqa: E402


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--scale",
        choices=["today", "national"],
        default=os.environ.get("BENCH_SCALE", "today"),
        help="today's sizes (make bench) or a national deployment (make bench-national)",
    )
    for name in ("xlsx-rows", "csv-rows", "obs", "store-rows"):
        env = os.environ.get("BENCH_" + name.upper().replace("-", "_"))
        p.add_argument(f"--{name}", type=int, default=int(env) if env else None)
    p.add_argument("--reps", type=int, default=env_int("BENCH_REPS", 30))
    p.add_argument(
        "--call-budget",
        type=float,
        default=float(os.environ.get("BENCH_CALL_BUDGET", 30)),
        help="at most this many seconds of repeated calls per dashboard callback",
    )
    p.add_argument("--loads", type=int, default=env_int("BENCH_LOADS", 20), help="Chromium loads")
    p.add_argument("--pg-url", default=PG_URL)
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    p.add_argument(
        "--only",
        action="append",
        help="run this section only (repeatable; see the table in docs/performance.md); "
        "implies --no-write",
    )
    p.add_argument(
        "--skip", action="append", default=[], help="leave this section out (repeatable)"
    )
    p.add_argument("--no-write", action="store_true", help="print only; leave the docs alone")
    p.add_argument(
        "--cli-before",
        default=os.environ.get("BENCH_CLI_BEFORE"),
        metavar="GIT_REF",
        help="cli-import: also run `targets import` as of this commit (git archive), interleaved "
        "with today's and the bare read, for a before/after ratio from one run",
    )
    args = p.parse_args()
    for key, value in SCALES[args.scale].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


# ----------------------------------------------------------------------------- 1. import


def _import_once(path: Path, work: Path) -> float:
    from targets.ingest import import_files

    db = work / f"imp_{path.suffix[1:]}_{secrets.token_hex(4)}.db"
    tracker = Tracker(db_url=f"sqlite:///{db}")
    tracker.store  # noqa: B018 - create the schema outside the timing
    seconds, result = timed(
        lambda: import_files(
            tracker.store, tracker.catalogue, tracker.regions, [path], tracker=tracker
        )
    )
    if not result.report.ok:
        errors = [str(e) for f in result.report.files for e in f.errors[:3]]
        raise RuntimeError(f"bench import of {path.name} refused: {errors}")
    tracker.store.dispose()
    return seconds


def bench_import(args: argparse.Namespace, work: Path) -> list[Row]:
    tracker = Tracker(db_url=f"sqlite:///{work / 'cat.db'}")
    rows: list[Row] = []

    frame = long_rows(tracker, args.xlsx_rows)
    xlsx = work / "long.xlsx"
    percent = {i.id for i in tracker.catalogue.indicators.values() if i.unit.zh == "%"}
    write_xlsx(frame, xlsx, percent)
    ours = _import_once(xlsx, work)
    base, _ = timed(lambda: pd.read_excel(xlsx, engine="openpyxl"))
    rows.append(
        Row(
            f"import .xlsx, {args.xlsx_rows:,} long rows (synthetic; % values as 0.00%-formatted "
            "cells, every format read) → SQLite",
            rate(args.xlsx_rows, ours),
            f"pandas.read_excel(openpyxl), read only: {rate(args.xlsx_rows, base)}",
            f"{ours / base:.2f}× the time (goal ≤ 1×)",
        )
    )
    print(rows[-1])

    frame = long_rows(tracker, args.csv_rows)
    csv = work / "long.csv"
    frame.to_csv(csv, index=False)
    ours = min(_import_once(csv, work) for _ in range(2))  # best of two: the cores are shared

    def baseline() -> None:
        con = sqlite3.connect(work / f"base_{secrets.token_hex(4)}.db")
        pd.read_csv(csv).to_sql("observations", con, index=False)
        con.commit()
        con.close()

    base = min(timed(baseline)[0] for _ in range(2))
    mb = csv.stat().st_size / 1e6
    rows.append(
        Row(
            f"import .csv, {args.csv_rows:,} long rows, {mb:.0f} MB (synthetic) → SQLite",
            rate(args.csv_rows, ours),
            f"pandas.read_csv + to_sql(sqlite3): {rate(args.csv_rows, base)}",
            f"{ours / base:.2f}× the time (goal ≤ 3×)",
        )
    )
    print(rows[-1])
    return rows


# ----------------------------------------------------------------------------- 1b. CLI processes

CLI_CSV_ROWS = 110_000


def _process_seconds(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process, its children included."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def _checkout(ref: str, work: Path) -> Path:
    """The repository's files as of `ref` (git archive: the repository itself is not touched)."""
    where = work / f"at_{ref.replace('/', '_')}"
    where.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    return where


def bench_cli_import(args: argparse.Namespace, work: Path) -> list[Row]:
    """`targets import` of a 110,000-row long CSV against a bare pandas.read_csv process (and,
    with --cli-before, against the same command as of an earlier commit, in the same run)."""
    tracker = Tracker(db_url=f"sqlite:///{work / 'cat.db'}")
    csv = work / "cli_long.csv"
    long_rows(tracker, CLI_CSV_ROWS).to_csv(csv, index=False)
    targets = str(Path(sys.executable).with_name("targets"))
    bare = [sys.executable, "-c", f"import pandas; pandas.read_csv({str(csv)!r})"]
    env = dict(os.environ)
    commands = {"now": [targets, "import", str(csv)]}
    envs, cwds = {"now": env}, {"now": ROOT}
    if args.cli_before:
        # the earlier code, first on the path (`-m` puts the working directory there) ahead of
        # this checkout's editable install
        old = _checkout(args.cli_before, work)
        commands["before"] = [sys.executable, "-m", "targets", "import", str(csv)]
        envs["before"], cwds["before"] = {**env, "PYTHONPATH": str(old)}, old
    # the code under test compiled, as an installed package has it (pip writes the bytecode;
    # pandas' is there for the bare read): with PYTHONDONTWRITEBYTECODE set, as on the shared
    # machine, every process compiled our forty-odd modules from source again, 0.1-0.15 s CPU
    for where in cwds.values():
        compileall.compile_dir(where / "targets", quiet=1)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*commands, "bare"]}
    runs = max(3, min(args.reps, 7))
    for n in range(runs):  # interleaved: all see the same load on a shared machine
        for name, argv in commands.items():
            envs[name]["TARGETS_DB"] = f"sqlite:///{work / f'cli_{name}_{n}.db'}"
            times[name].append(_process_seconds(argv, envs[name], cwds[name]))
        times["bare"].append(_process_seconds(bare, env))

    def stat(name: str) -> str:
        walls, cpus = [w for w, _ in times[name]], [c for _, c in times[name]]
        return (
            f"wall min {min(walls):.2f} s, median {float(np.median(walls)):.2f} s; "
            f"CPU min {min(cpus):.2f} s, median {float(np.median(cpus)):.2f} s"
        )

    def ratios(name: str) -> str:
        wall = min(w for w, _ in times[name]) / min(w for w, _ in times["bare"])
        cpu = min(c for _, c in times[name]) / min(c for _, c in times["bare"])
        return f"{wall:.2f}× the wall time, {cpu:.2f}× the CPU time"

    result = f"{ratios('now')} (min ÷ min; goal ≤ 3×)"
    if args.cli_before:
        result += f"; as of {args.cli_before}: {ratios('before')}"
    row = Row(
        f"`targets import` of a {CLI_CSV_ROWS:,}-row long CSV (synthetic) → SQLite, whole "
        f"process (bytecode compiled), {runs} interleaved runs; load avg "
        f"{os.getloadavg()[0]:.1f}",
        stat("now") + (f" (as of {args.cli_before}: {stat('before')})" if args.cli_before else ""),
        f'`python -c "import pandas; pandas.read_csv(…)"`: {stat("bare")}',
        result,
    )
    print(row)
    return [row]


def bench_cli_start(args: argparse.Namespace, work: Path) -> list[Row]:
    """`targets --help`, whole process: what every command pays before it starts its work."""
    targets = str(Path(sys.executable).with_name("targets"))
    bare = [sys.executable, "-c", "pass"]
    env = dict(os.environ)
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    runs = max(5, min(args.reps, 9))
    for _ in range(runs):  # interleaved: both see the same load on a shared machine
        ours.append(_process_seconds([targets, "--help"], env))
        base.append(_process_seconds(bare, env))

    def stat(times: list[tuple[float, float]]) -> str:
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        return (
            f"wall min {min(walls):.2f} s, median {float(np.median(walls)):.2f} s; "
            f"CPU min {min(cpus):.2f} s, median {float(np.median(cpus)):.2f} s"
        )

    goal = 0.3
    wall = min(w for w, _ in ours)
    row = Row(
        f"`targets --help`, whole process, {runs} runs; load avg {os.getloadavg()[0]:.1f}",
        stat(ours),
        f"`python -c pass`: {stat(base)}",
        f"goal < {goal} s: {'met ✓' if wall < goal else 'not met ✗'} (wall min); "
        f"{wall / min(w for w, _ in base):.2f}× the wall time of a bare Python start",
    )
    print(row)
    return [row]


# ----------------------------------------------------------------------------- 2. engine, store


def bench_engine(args: argparse.Namespace, work: Path) -> list[Row]:
    from targets.progress import compute_gaps

    tracker = Tracker(db_url=f"sqlite:///{work / 'cat.db'}")
    obs = synthetic_obs(tracker, args.obs)
    n_reg = obs["region"].nunique()
    compute_gaps(tracker.catalogue, tracker.regions, obs.head(10_000))  # imports, warm caches
    with peak_rss() as mem:
        seconds, gaps = timed(lambda: compute_gaps(tracker.catalogue, tracker.regions, obs))
    row = Row(
        f"engine compute_gaps, {args.obs:,} observations (synthetic, {n_reg:,} regions, "
        f"{len(gaps):,} gap rows)",
        f"{seconds:.2f} s, peak memory +{mem['delta'] / 2**20:,.0f} MiB "
        f"(input frame {obs.memory_usage(deep=True).sum() / 2**20:,.0f} MiB)",
    )
    print(row)
    return [row]


@contextmanager
def _snapshots(setting: str) -> Iterator[None]:
    """TARGETS_SNAPSHOT_DIR set to `setting` for the duration (`off`: no columnar snapshot)."""
    before = os.environ.get("TARGETS_SNAPSHOT_DIR")
    os.environ["TARGETS_SNAPSHOT_DIR"] = setting
    try:
        yield
    finally:
        if before is None:
            del os.environ["TARGETS_SNAPSHOT_DIR"]
        else:
            os.environ["TARGETS_SNAPSHOT_DIR"] = before


def _load() -> str:
    return "load avg " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _engine_alone(tracker: Tracker, frame: pd.DataFrame) -> pd.DataFrame:
    """Everything Tracker.gaps() does once the values in force are in memory."""
    from targets.aggregate import derive_all
    from targets.progress import compute_gaps

    derived = derive_all(tracker.catalogue, tracker.regions, frame)
    return compute_gaps(tracker.catalogue, tracker.regions, derived)


def _engine_through_store(url: str, label: str, obs: pd.DataFrame, snapshots: Path) -> Row:
    """Tracker.gaps() in a fresh worker (nothing cached in memory): from the columnar snapshot
    the first read after the import kept, and from the database with snapshots off; beside the
    engine alone and the row-wise read of the same run."""
    writer = Tracker(db_url=url)
    rows = obs.drop(columns=["import_id"])
    write, _ = timed(
        lambda: writer.store.write_import(rows, file_name="synthetic.csv", sha256="0" * 64)
    )
    writer.store.dispose()

    def worker() -> Tracker:
        fresh = Tracker(db_url=url)  # a new worker: nothing cached
        fresh.store.observations(["gdp"])  # connect and load the catalogue outside the timing
        return fresh

    with _snapshots(str(snapshots)):
        tracker = worker()
        # the first full read after the import (the warmer's): the database, then the snapshot kept
        with peak_rss() as mem:
            first, frame = timed(tracker.store.observations)
            # the engine alone: everything Tracker.gaps() does once the values are in memory
            engine, gaps = timed(partial(_engine_alone, tracker, frame))
        del frame
        tracker.store.dispose()
        size = sum(f.stat().st_size for f in snapshots.glob("*.arrow"))
        cold_at = _load()
        tracker = worker()
        cold, _ = timed(tracker.gaps)  # what a new worker pays with the snapshot there
        again, _ = timed(tracker.gaps)
        tracker.store.dispose()
    with _snapshots("off"):
        tracker = worker()
        cold_db, _ = timed(tracker.gaps)  # no snapshot: the columnar read of the database
        # the baseline: the row-wise read through the Python driver, as before the columnar read
        rowwise, _ = timed(partial(tracker.store.observations, columnar=False))
        tracker.store.dispose()
    row = Row(
        f"Tracker.gaps() through the store, {label}, {len(obs):,} observations in force "
        f"(synthetic, {len(gaps):,} gap rows), a new worker",
        f"{cold:.2f} s cold from the columnar snapshot ({size / 2**20:,.0f} MiB), "
        f"{again * 1000:.0f} ms cached; {cold_db:.2f} s cold with snapshots off; the first read "
        f"after the import (database, keeping the snapshot) {first:.2f} s, peak memory "
        f"+{mem['delta'] / 2**20:,.0f} MiB; write_import: {rate(len(obs), write)}; {cold_at}",
        f"engine alone (derive + compute_gaps, values in memory): {engine:.2f} s; row-wise read "
        f"(Python driver) {rowwise:.2f} s + engine = {rowwise + engine:.2f} s",
        f"{cold / engine:.2f}× the engine alone, {cold / (rowwise + engine):.2f}× the row-wise "
        f"(snapshots off: {cold_db / engine:.2f}×, {cold_db / (rowwise + engine):.2f}×); "
        + ("goal < 5 s: met ✔" if cold < 5 else f"goal < 5 s: not met ✗ ({cold / 5:.1f}×)"),
    )
    print(row)
    return row


def bench_engine_store(args: argparse.Namespace, work: Path) -> list[Row]:
    tracker = Tracker(db_url=f"sqlite:///{work / 'cat.db'}")
    obs = synthetic_obs(tracker, args.obs)
    rows = [
        _engine_through_store(
            f"sqlite:///{work / 'engine.db'}", "SQLite", obs, work / "snapshots-sqlite"
        )
    ]
    with pg_database(args.pg_url) as url:
        if url is not None:
            rows.append(_engine_through_store(url, "PostgreSQL", obs, work / "snapshots-pg"))
    return rows


def _store_batches(n: int, imports: int) -> Iterator[pd.DataFrame]:
    """`imports` vintages of the same n / imports keys (each a revision of the one before)."""
    per = n // imports
    rng = np.random.default_rng(SEED)
    k = np.arange(per)
    years = 1949 + k % 152
    reg = k // 152
    base = pd.DataFrame(
        {
            "indicator": np.array(["gdp", "population"], dtype=object)[reg % 2],
            "region": [f"syn_region_{r:05d}" for r in reg],
            "year": years,
        }
    )
    for _ in range(imports):
        batch = base.copy()
        batch["value"] = np.round(rng.random(per) * 1000, 3)
        batch["unit"] = None
        batch["note"] = None
        yield batch


def _bench_store(url: str, label: str, args: argparse.Namespace) -> Row:
    from targets.store import Store

    store = Store(url)
    try:
        write = 0.0
        for n, batch in enumerate(_store_batches(args.store_rows, 10)):
            s, _ = timed(
                partial(store.write_import, batch, file_name=f"v{n}.csv", sha256=f"{n:064x}")
            )
            write += s
        # the database's read, not the columnar snapshot a second read would map
        with _snapshots("off"):
            store.observations()  # warm the page cache like a running server
            seconds, frame = timed(store.observations)
    finally:
        store.dispose()
    row = Row(
        f"Store.observations() in force, {label}, {args.store_rows:,} rows in 10 imports "
        f"(synthetic) → {len(frame):,} in force",
        f"{seconds:.2f} s",
        f"write_import × 10: {rate(args.store_rows, write)}",
    )
    print(row)
    return row


def bench_store(args: argparse.Namespace, work: Path) -> list[Row]:
    rows = [_bench_store(f"sqlite:///{work / 'store.db'}", "SQLite", args)]
    with pg_database(args.pg_url) as url:
        if url is not None:
            rows.append(_bench_store(url, "PostgreSQL", args))
    return rows


# ----------------------------------------------------------------------------- 3. dashboard


# ----------------------------------------------------------------------------- the report


def _machine() -> str:
    return (
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, {platform.platform()}"
    )


def _table(rows: list[Row]) -> str:
    lines = ["| figure | value | baseline | ratio |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.value} | {r.baseline} | {r.ratio} |" for r in rows]
    return "\n".join(lines)


# Sizes per scale: today's data and uploads, and a national deployment (31 provinces, ~340
# cities, ~2,800 counties, ~100 indicators, 30 years: about 10 million observations).
SCALES: dict[str, dict[str, int]] = {
    "today": {"xlsx_rows": 200_000, "csv_rows": 200_000, "obs": 2_000_000, "store_rows": 1_000_000},
    "national": {
        "xlsx_rows": 200_000,
        "csv_rows": 2_000_000,
        "obs": 10_000_000,
        "store_rows": 10_000_000,
    },
}


def _sections(scale: str) -> dict[str, Callable[[argparse.Namespace, Path], list[Row]]]:
    """The figures of one scale, in the order they run (the national ones need more time)."""
    from bench import cache, hostile, national

    common: dict[str, Callable[[argparse.Namespace, Path], list[Row]]] = {
        "import": bench_import,
        "cli-start": bench_cli_start,
        "cli-import": bench_cli_import,
        "hostile": hostile.bench_hostile,
        "engine": bench_engine,
        "engine-store": bench_engine_store,
        "store": bench_store,
    }
    if scale == "today":
        return {
            **common,
            "cache": cache.bench_cache,
            "dashboard": national.bench_bundled_callbacks,
            "chromium": national.bench_chromium_bundled,
        }
    return {
        **common,
        "dashboard": national.bench_national_dashboard,
        "chromium": national.bench_chromium_national,
    }


def _block(scale: str, rows: list[Row], args: argparse.Namespace, when: str) -> str:
    sizes = " ".join(
        f"--{k.replace('_', '-')} {getattr(args, k)}"
        for k in ("xlsx_rows", "csv_rows", "obs", "store_rows", "reps")
    )
    skipped = f" Not run this time: {', '.join(args.skip)}." if args.skip else ""
    return (
        f"<!-- bench:{scale}:start -->\n"
        f"Measured by `make {'bench' if scale == 'today' else 'bench-national'}` on {when}, on "
        f"{_machine()}. Sizes: `--scale {scale} {sizes}`.{skipped}\n\n"
        f"{_table(rows)}\n"
        f"<!-- bench:{scale}:end -->"
    )


def _write_doc(path: Path, scale: str, block: str) -> None:
    """Replace this scale's table in the document, leaving the prose around it as written."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start, end = f"<!-- bench:{scale}:start -->", f"<!-- bench:{scale}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    args = _args()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{when} · {_machine()} · scale {args.scale}")
    sections = _sections(args.scale)
    unknown = (set(args.only or ()) | set(args.skip)) - set(sections)
    if unknown:
        raise SystemExit(
            f"no section {', '.join(sorted(unknown))} at scale {args.scale}; "
            f"choose from {', '.join(sections)}"
        )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="targets_bench_") as tmp:
        work = Path(tmp)
        for name, bench in sections.items():
            if (not args.only or name in args.only) and name not in args.skip:
                print(f"-- {name}", flush=True)
                rows += bench(args, work)
    print()
    print(_table(rows))
    if not args.no_write and not args.only:
        _write_doc(args.out, args.scale, _block(args.scale, rows, args, when))
        shown = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
        print(f"\nwritten to {shown}")


if __name__ == "__main__":
    main()
