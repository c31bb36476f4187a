"""Faults at the pipeline level: an import killed with SIGKILL at several moments leaves either
no import or the whole import, on a real SQLite file and on PostgreSQL.

tests/test_store.py already kills a writer inside `Store.write_import` (after every row is sent);
here the real `import_files` runs on a large generated CSV (the child only prints a line when the
store write begins) and is killed by the clock from that line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from targets.ingest import import_files
from targets.store import Store

ROOT = Path(__file__).resolve().parents[1]
ROWS = 150_000
# (line the child prints, seconds after it): inside the store write (150k rows take about 1 s on
# SQLite and 3 s on PostgreSQL here), the last one possibly after the commit on a fast machine.
# A kill while the file is still being read is not tried: nothing has been sent by then.
KILLS = (("writing", 0.0), ("writing", 0.3), ("writing", 0.7))
# this kill lands before the commit on any plausible machine: it must leave nothing
SURELY_BEFORE_COMMIT = KILLS[:1]

CHILD = """
    import sys
    from pathlib import Path
    from targets.catalogue import load_catalogue
    from targets.ingest import import_files
    from targets.regions import load_regions
    from targets.store import Store

    url, path = sys.argv[1], Path(sys.argv[2])
    catalogue = load_catalogue(Path(sys.argv[3]))
    regions = load_regions()
    store = Store(url)
    data = path.read_bytes()
    write_import = Store.write_import

    def announced(self, *args, **kwargs):  # says when the write starts, then writes unchanged
        print("writing", flush=True)
        return write_import(self, *args, **kwargs)

    Store.write_import = announced
    print("ready", flush=True)
    result = import_files(store, catalogue, regions, [("big.csv", data)])
    print("done", result.report.files[0].rows, flush=True)
"""


def big_csv(catalogue, regions, rows: int = ROWS) -> bytes:  # type: ignore[no-untyped-def]
    """A long-layout CSV of `rows` distinct (region, indicator, year) keys, all valid."""
    inds = [i for i in catalogue.indicators.values() if i.valid_range[0] <= 1.5 <= i.valid_range[1]]
    lines = ["地区,指标,年份,数值"]
    for ind in inds:
        for reg in regions.regions.values():
            for year in range(1950, 2100):
                lines.append(f"{reg.name.zh},{ind.name.zh},{year},1.5")
                if len(lines) > rows:
                    return ("\n".join(lines) + "\n").encode()
    raise AssertionError("the catalogue has too few keys for the requested rows")


def run_and_kill(url: str, csv_path: Path, kill: tuple[str, float]) -> str:
    """Start the import in a child, SIGKILL it `after` seconds past the line `mark`; the child's
    output."""
    mark, after = kill
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), url, str(csv_path),
         str(ROOT / "indicators.yaml")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    lines: list[str] = []
    while not lines or lines[-1] != mark:
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else lines
        lines.append(line.strip())
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=60)
    return "\n".join(lines) + "\n" + out


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory: pytest.TempPathFactory, catalogue, regions) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("faults") / "big.csv"
    path.write_bytes(big_csv(catalogue, regions))
    return path


def stored(url: str) -> tuple[list[str], int]:
    """The imports' file names and the number of observation rows (in force or not)."""
    store = Store(url)
    try:
        return [i.file_name for i in store.imports()], len(store.observations(in_force=False))
    finally:
        store.dispose()


@pytest.mark.parametrize("kill", KILLS, ids=[f"{m}+{s}s" for m, s in KILLS])
def test_killed_import_is_all_or_nothing(
    db_url: str,
    kill: tuple[str, float],
    csv_path: Path,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
) -> None:
    Store(db_url).dispose()  # the schema exists before the child starts
    out = run_and_kill(db_url, csv_path, kill)
    names, count = stored(db_url)
    if kill in SURELY_BEFORE_COMMIT:
        assert names == [], "an early kill came after the commit: the timings test nothing"
    if names:
        # the commit happened (the child may have died before printing "done")
        assert (names, count) == (["big.csv"], ROWS)
        return
    assert "done" not in out
    assert count == 0
    if kill != KILLS[0]:
        return
    # after a kill inside the write the store takes the same file whole
    store = Store(db_url)
    try:
        again = import_files(store, catalogue, regions, [("big.csv", csv_path.read_bytes())])
        assert again.report.ok and again.report.files[0].rows == ROWS
    finally:
        store.dispose()
    assert stored(db_url) == (["big.csv"], ROWS)
