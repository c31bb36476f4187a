"""Bench section `hostile`: what the bounds on uploads cost, and what a hostile file costs now.

Each figure stands beside a baseline measured in the same run: the used-area scan beside the
reader it protects, a check in a child process beside the same check in the process, each
hostile file beside a good file of the same kind. Every file is synthetic, made here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import Row, long_rows, peak_rss, timed, write_xlsx
from targets.tracker import Tracker
from tests.test_hostile_files import errors_every_row, far_cell, long_header_cell


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def bench_hostile(args: argparse.Namespace, work: Path) -> list[Row]:
    from targets.ingest import extent, read_upload
    from targets.ingest.isolation import read_upload_isolated
    from targets.ingest.readers import read_workbook

    tracker = Tracker(db_url=f"sqlite:///{work / 'hostile.db'}")
    cat, reg = tracker.catalogue, tracker.regions
    rows: list[Row] = []

    # 1. the used-area scan beside the reader it protects
    xlsx = work / "hostile_long.xlsx"
    if not xlsx.exists():
        write_xlsx(long_rows(tracker, args.xlsx_rows), xlsx)
    data = xlsx.read_bytes()
    scan = min(timed(lambda: extent.check_workbook(data, "xlsx", 10**12))[0] for _ in range(2))
    read = min(timed(lambda: read_workbook(data))[0] for _ in range(2))
    rows.append(
        Row(
            f"used-area scan of an .xlsx, {args.xlsx_rows:,} long rows (synthetic)",
            f"{scan:.2f} s",
            f"read_workbook, scan included: {read:.2f} s",
            f"{scan / read:.2f}× the time",
        )
    )
    print(rows[-1])

    # 2. a check in a child process beside the same check here
    csv = work / "hostile_good.csv"
    long_rows(tracker, 100_000).to_csv(csv, index=False)
    good = csv.read_bytes()
    read_upload_isolated(b"a,b\n1,2\n", "warm.csv", cat, reg)  # the forkserver starts once
    with peak_rss() as here_mem:
        here, _ = timed(lambda: read_upload(good, csv.name, cat, reg))
    with peak_rss() as child_mem:
        child, up = timed(lambda: read_upload_isolated(good, csv.name, cat, reg))
    assert up.ok, [str(i) for i in up.issues[:3]]
    rows.append(
        Row(
            "check a 100,000-row CSV in a child process (synthetic)",
            f"{child:.2f} s; the calling process +{_mb(child_mem['delta'])}",
            f"in the process: {here:.2f} s, +{_mb(here_mem['delta'])}",
            f"{child / here:.2f}× the time",
        )
    )
    print(rows[-1])

    # 3. hostile files beside a good file of the same kind, each checked in a child under the
    # defaults a server runs with (this bench raises the bounds for its own large files)
    from targets import config

    raised = config.MAX_CELLS
    config.MAX_CELLS = 10_000_000

    def checked(data: bytes, name: str) -> tuple[float, int, str]:
        with peak_rss() as mem:
            seconds, up = timed(lambda: read_upload_isolated(data, name, cat, reg))
        code = up.issues[0].code if up.issues else "accepted"
        return seconds, mem["delta"], code

    small = b"\xe5\x9c\xb0\xe5\x8c\xba,\xe6\x95\xb0\xe5\x80\xbc\n"  # 地区,数值
    cases = [
        ("a value in A1 and one at row 1,000,000, column BXX (.xlsx, 2 KB)",
         far_cell(1_000_000, "BXX"), "far.xlsx", far_cell(2, "B"), "two cells (.xlsx)"),
        ("the same at row 20,000 behind a dimension that says A1:A1",
         far_cell(20_000, "BXX", dimension=False), "lying.xlsx", far_cell(2, "B"), "two cells (.xlsx)"),
        ("a wrong value on each of 200,000 rows (.csv, 8 MB)",
         errors_every_row(200_000), "errors.csv", good, "100,000 good rows (.csv)"),
        ("a 40 MB text cell in the header (.csv)",
         long_header_cell(14_000_000), "cell.csv", small, "a two-cell CSV"),
        ("the far cell at row 20,000 with TARGETS_MAX_CELLS raised to 100,000,000: the memory bound refuses it",
         far_cell(20_000, "BXX", dimension=False), "lying.xlsx", far_cell(2, "B"), "two cells (.xlsx)"),
    ]  # fmt: skip
    for label, bad, name, base_data, base_label in cases:
        if "raised" in label:
            config.MAX_CELLS = raised
        seconds, grown, code = checked(bad, name)
        base_s, _, _ = checked(base_data, "base" + Path(name).suffix)
        rows.append(
            Row(
                f"check {label}",
                f"`{code}` in {seconds:.2f} s; the calling process +{_mb(grown)}",
                f"{base_label}: {base_s:.2f} s",
                f"{seconds / base_s:.2f}× the time",
            )
        )
        print(rows[-1])
    config.MAX_CELLS = raised
    tracker.store.dispose()
    return rows
