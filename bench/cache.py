"""Bench: `Tracker.gaps()` computed (cold), read from Redis by a second worker, and from memory;
`Tracker.observations()` in a second worker, which maps the columnar snapshot instead of Redis.

The data are the synthetic observations of the engine figure (`bench/run.py`, seeded), stored in a
SQLite file. Redis is `--redis` (env BENCH_REDIS; default redis://127.0.0.1:6379/15), used under
a random key prefix deleted afterwards; when it is unreachable the figures are skipped.
Run alone as `python bench/cache.py [--obs N] [--reps N]`, or call `bench_cache(args, work)`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd
import redis

if __package__ in (None, ""):  # run as a script: the repository root, not bench/, on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench import Row, env_int, synthetic_obs, timed  # noqa: E402
from targets.cache import MemoryCache, RedisCache  # noqa: E402
from targets.tracker import Tracker  # noqa: E402

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def _worker(db_url: str, cache: MemoryCache | RedisCache) -> Tracker:
    """A Tracker as a freshly started worker has it: catalogue read, nothing computed yet."""
    tracker = Tracker(db_url=db_url, cache=cache)
    tracker.cache_namespace  # noqa: B018 - loads catalogue and regions outside the timings
    tracker.store.data_version()
    return tracker


def bench_cache(args: argparse.Namespace, work: Path) -> list[Row]:
    """Rows: gaps() cold without and with Redis, warm from Redis (second worker), warm in memory."""
    url = getattr(args, "redis", None) or os.environ.get("BENCH_REDIS") or DEFAULT_REDIS
    reps = max(3, min(int(getattr(args, "reps", 10)), 10))
    prefix = f"targets-bench-{secrets.token_hex(4)}"
    secret = secrets.token_hex(32)
    probe = RedisCache(url, prefix=prefix, secret=secret)
    if not probe.ping():
        print(f"Redis unreachable at {probe.url}: the cache figures are skipped")
        return []

    db_url = f"sqlite:///{work / f'cache_{secrets.token_hex(4)}.db'}"
    loader = Tracker(db_url=db_url, cache=MemoryCache())
    obs = synthetic_obs(loader, args.obs).drop(columns=["import_id"])
    loader.store.write_import(obs, file_name="synthetic.csv", sha256=secrets.token_hex(32))
    n_reg = obs["region"].nunique()
    del obs
    loader.store.dispose()

    try:
        gaps = _measure(db_url, url, prefix, secret, reps, lambda t: t.gaps(), "gaps")
        obs = _measure(db_url, url, prefix, secret, reps, lambda t: t.observations(), "obs")
    finally:
        probe.clear()

    head = f"{args.obs:,} observations (synthetic, {n_reg:,} regions)"
    rows = [
        Row(
            f"gaps(), {head}, {gaps.rows:,} gap rows: cold, computed",
            f"{gaps.compute:.2f} s",
            f"storing it in Redis (pickle, sign, SET {gaps.size / 2**20:,.1f} MiB): "
            f"{gaps.store * 1000:,.0f} ms",
            f"+{gaps.store / gaps.compute:.1%}",
        ),
        Row(
            f"gaps(), {head}: warm from Redis in a second worker (median of {reps})",
            f"{gaps.shared * 1000:,.0f} ms",
            f"computed: {gaps.compute:.2f} s",
            f"{gaps.compute / gaps.shared:,.0f}× faster",
        ),
        Row(
            f"gaps(), {head}: warm in process memory (median of {reps})",
            f"{gaps.local * 1000:,.1f} ms",
            f"computed: {gaps.compute:.2f} s",
            f"{gaps.compute / gaps.local:,.0f}× faster",
        ),
        Row(
            f"observations() (with derived values), {head}, {obs.rows:,} rows: "
            + (
                f"warm from Redis in a second worker (median of {reps})"
                if obs.via_redis
                else "a second worker, the columnar snapshot on disk: mapped and derived "
                f"there, Redis not asked (median of {reps})"
            ),
            f"{obs.shared * 1000:,.0f} ms",
            f"from Redis ({obs.size / 2**20:,.0f} MiB: GET, signature, unpickle): "
            f"{obs.fetch * 1000:,.0f} ms",
            f"{obs.fetch / obs.shared:,.1f}× faster",
        ),
    ]
    for row in rows:
        print(row)
    return rows


@dataclass
class Timings:
    rows: int
    compute: float  # cold, no Redis
    store: float  # pickle + sign + SET of the result
    size: int  # bytes in Redis
    shared: float  # median, in a worker that never computed it (Redis, or the snapshot)
    local: float  # median, from process memory
    fetch: float  # median, GET + signature check + unpickle of the result from Redis
    via_redis: bool  # the second worker read Redis (not the columnar snapshot)


def _measure(
    db_url: str,
    url: str,
    prefix: str,
    secret: str,
    reps: int,
    call: Callable[[Tracker], pd.DataFrame],
    label: str,
) -> Timings:
    call(_worker(db_url, MemoryCache()))  # first run: lazy imports, the file into page cache
    compute_s, frame = timed(lambda: call(_worker(db_url, MemoryCache())))

    # the first worker computes and stores; what storing costs is timed on its own (the
    # computation varies more from run to run than storing takes)
    first = _worker(db_url, RedisCache(url, prefix=prefix, secret=secret))
    call(first)
    # computed here, or already in Redis (the observations come with the gap table measured first)
    first_stats = first.cache_stats()
    assert first_stats.computes + first_stats.shared_hits >= 1, first_stats
    probe = RedisCache(url, prefix=prefix, secret=secret)
    store_s, _ = timed(lambda: probe._put(f"{prefix}:store-probe:{label}", frame))
    client = redis.Redis.from_url(url)
    size = cast(int, client.strlen(f"{prefix}:store-probe:{label}"))
    client.close()
    fetch = [timed(lambda: probe._get(f"{prefix}:store-probe:{label}"))[0] for _ in range(reps)]

    # a second worker that never computed it (its process memory emptied before each rep)
    cache = RedisCache(url, prefix=prefix, secret=secret)
    second = _worker(db_url, cache)
    shared: list[float] = []
    for _ in range(reps):
        cache.clear_local()
        shared.append(timed(lambda: call(second))[0])
    stats = second.cache_stats()
    # from Redis, or (the observations where a columnar snapshot is kept) made from the snapshot
    assert (stats.computes, stats.shared_hits) in ((0, reps), (reps, 0)), stats
    # then from memory in front of Redis: one data-version query and a copy
    local = [timed(lambda: call(second))[0] for _ in range(reps)]
    assert second.cache_stats().local_hits == reps
    return Timings(
        len(frame),
        compute_s,
        store_s,
        size,
        statistics.median(shared),
        statistics.median(local),
        statistics.median(fetch),
        stats.shared_hits == reps,
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--obs", type=int, default=env_int("BENCH_OBS", 2_000_000))
    p.add_argument("--reps", type=int, default=env_int("BENCH_REPS", 10))
    p.add_argument("--redis", default=os.environ.get("BENCH_REDIS", DEFAULT_REDIS))
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="targets_bench_cache_") as tmp:
        bench_cache(args, Path(tmp))


if __name__ == "__main__":
    main()
