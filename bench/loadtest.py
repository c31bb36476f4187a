"""Load test (`make loadtest`, not part of `make test`): gunicorn with 3 workers serving
`targets.wsgi:server` on a fresh PostgreSQL database, loaded for a fixed time at a bounded rate.

Requests: the overview page GET "/", the indicator page GET "/indicator/rd_intensity", and the
overview callback POST (the JSON body dash-renderer sends, with the session cookie, the CSRF
header and a same-site Origin, obtained by a GET / first). Prints the request count, 5xx count,
statuses and p50/p95/p99 latency per kind and overall; stops gunicorn and drops the database.
Only loopback addresses are used. Needs gunicorn (a dev extra) and PostgreSQL
(`TARGETS_LOADTEST_PG`, default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root, not bench/, on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench import HOST, PG_URL, ROOT, gunicorn, pg_database  # noqa: E402

PG_ADMIN = os.environ.get("TARGETS_LOADTEST_PG", PG_URL)
OVERVIEW_OUTPUT = "overview-body.children"


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[(kind, status)] += 1


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        found: dict[str, list[str]] = {}
        for k, v in resp.getheaders():
            found.setdefault(k.lower(), []).append(v)
        return resp.status, found, data
    finally:
        conn.close()


def wait_ready(port: int, limit: float = 180.0) -> None:
    """Until GET / answers 200 (gunicorn accepts connections before its workers have loaded)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within the time limit")


def session(port: int) -> dict[str, str]:
    """GET / for the session and CSRF cookies; the headers a page of this site sends back."""
    status, headers, _ = request(port, "GET", "/")
    assert status == 200, status
    jar: SimpleCookie = SimpleCookie()
    for line in headers.get("set-cookie", []):
        jar.load(line)
    cookies = {k: m.value for k, m in jar.items()}
    token = cookies.get("_csrf_token", "")
    if not token:
        raise RuntimeError(f"no CSRF cookie after GET /: {sorted(cookies)}")
    return {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRFToken": token,
        "Origin": f"http://{HOST}:{port}",
        "Content-Type": "application/json",
    }


def overview_body(port: int, headers: dict[str, str]) -> bytes:
    """The callback request dash-renderer sends when the overview's cities box is ticked."""
    status, _, data = request(port, "GET", "/_dash-dependencies", headers=headers)
    assert status == 200, status
    deps = json.loads(data)
    spec = next(d for d in deps if OVERVIEW_OUTPUT in d["output"])
    key = spec["output"]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    values = {"overview-cities.value": [True], "_pages_location.search": "?lang=zh"}

    def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "id": i["id"],
                "property": i["property"],
                "value": values.get(f"{i['id']}.{i['property']}"),
            }
            for i in items
        ]

    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": filled(spec["inputs"]),
        "state": filled(spec["state"]),
        "changedPropIds": ["overview-cities.value"],
    }
    return json.dumps(body).encode()


def load(
    port: int, headers: dict[str, str], body: bytes, seconds: float, rate: float, threads: int
) -> Results:
    """`threads` clients, each pacing itself to rate/threads requests per second, for `seconds`."""
    results = Results()
    plan = [
        ("GET /", "GET", "/", None),
        ("GET /indicator/rd_intensity", "GET", "/indicator/rd_intensity", None),
        ("POST overview callback", "POST", "/_dash-update-component", body),
    ]
    interval = threads / rate
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        next_at = time.monotonic() + interval * n / threads  # spread the threads' first requests
        i = n
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            kind, method, path, data = plan[i % len(plan)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                status = 0  # connection error
                conn.close()
            results.add(kind, status, time.perf_counter() - start)
        conn.close()

    pool = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 120)
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(results: Results, seconds: float) -> int:
    """Print the table; the number of 5xx and connection errors."""
    every = [x for v in results.latencies.values() for x in v]
    rows = [*sorted(results.latencies.items()), ("all", every)]
    print(f"{'request':32} {'count':>7} {'5xx':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    bad_total = 0
    for kind, lat in rows:
        statuses = {s: c for (k, s), c in results.statuses.items() if kind in ("all", k)}
        bad = sum(c for s, c in statuses.items() if s >= 500 or s == 0)
        if kind == "all":
            bad_total = bad
        p = [percentile(lat, q) * 1000 for q in (0.5, 0.95, 0.99)]
        print(f"{kind:32} {len(lat):7} {bad:5} {p[0]:8.1f} {p[1]:8.1f} {p[2]:8.1f}")
    merged: Counter[int] = Counter()
    for (_, s), c in results.statuses.items():
        merged[s] += c
    print(f"statuses: {dict(sorted(merged.items()))} (0 = connection error)")
    print(f"throughput: {len(every) / seconds:.0f} requests/s over {seconds:.0f} s")
    return bad_total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=300.0, help="target requests per second")
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--workers", type=int, default=3)
    args = ap.parse_args(argv)

    with pg_database(PG_ADMIN) as url:
        if url is None:
            raise SystemExit(f"the load test needs PostgreSQL at {PG_ADMIN}")
        env = {"TARGETS_DB": url, "PYTHONPATH": str(ROOT)}
        # one process makes the schema and imports the bundled statistics, so the workers do not
        # race each other on an empty database
        subprocess.run(
            [sys.executable, "-c", "import targets.wsgi"],
            env={**os.environ, **env}, cwd=ROOT, check=True,
        )  # fmt: skip
        args_ = ("--timeout", "60", "--log-level", "warning")
        with gunicorn(env, workers=args.workers, args=args_) as port:
            wait_ready(port)
            headers = session(port)
            body = overview_body(port, headers)
            # one checked call of each kind before the load: a 403 here means the CSRF setup is wrong
            for method, path, data in (("GET", "/indicator/rd_intensity", None),
                                       ("POST", "/_dash-update-component", body)):  # fmt: skip
                status = request(port, method, path, data, headers)[0]
                if status != 200:
                    raise RuntimeError(f"{method} {path} answered {status} before the load")
            print(
                f"gunicorn -w {args.workers} on {HOST}:{port}, PostgreSQL {url.rsplit('/', 1)[1]}; "
                f"{args.rate:.0f} req/s for {args.seconds:.0f} s from {args.threads} clients"
            )
            start = time.monotonic()
            results = load(port, headers, body, args.seconds, args.rate, args.threads)
            bad = report(results, time.monotonic() - start)
            return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
