"""Faults at the pipeline level: an import killed with SIGKILL at several moments leaves either
no import or the whole import, on a real SQLite file and on PostgreSQL.

tests/test_store.py already kills a writer inside `Store.write_import` (after every row is sent);
here the real `import_files` runs unpatched on a large generated CSV and is killed by the clock.
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
# seconds after the child says it is about to call import_files; the whole import takes about
# a second on a quiet machine, so the early kills land in reading and the later ones in writing
KILL_AFTER = (0.2, 0.6, 0.9, 1.2, 1.6)

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


def run_and_kill(url: str, csv_path: Path, after: float) -> str:
    """Start the import in a child, SIGKILL it `after` seconds past "ready"; the child's output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), url, str(csv_path),
         str(ROOT / "indicators.yaml")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "ready", child.stderr.read() if child.stderr else line
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=60)
    return out


@pytest.mark.parametrize("after", KILL_AFTER)
def test_killed_import_is_all_or_nothing(
    db_url: str,
    after: float,
    tmp_path: Path,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
) -> None:
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(big_csv(catalogue, regions))
    Store(db_url).dispose()  # the schema exists before the child starts
    out = run_and_kill(db_url, csv_path, after)
    store = Store(db_url)
    try:
        imports = store.imports()
        count = len(store.observations(in_force=False))
        if imports:
            # the commit happened (the child may have died before printing "done")
            assert [i.file_name for i in imports] == ["big.csv"]
            assert count == ROWS
        else:
            assert "done" not in out
            assert count == 0
            assert store.is_empty()
        # the store is usable after the kill: a later import of the same file is whole or a duplicate
        again = import_files(store, catalogue, regions, [("big.csv", csv_path.read_bytes())])
        assert again.report.ok
        assert len(store.imports()) == 1
        assert len(store.observations(in_force=False)) == ROWS
    finally:
        store.dispose()


def test_at_least_one_kill_interrupts_an_import(
    sqlite_url: str,
    tmp_path: Path,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
) -> None:
    """The earliest kill must land before the commit, or the timings above test nothing."""
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(big_csv(catalogue, regions))
    Store(sqlite_url).dispose()
    out = run_and_kill(sqlite_url, csv_path, 0.05)
    store = Store(sqlite_url)
    try:
        assert "done" not in out
        assert store.imports() == []
        assert store.observations(in_force=False).empty
    finally:
        store.dispose()
