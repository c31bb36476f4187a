"""Bounds on the work one upload may cause, not only on its size.

A 2 KB workbook can name a cell two billion cells away, a CSV can carry a million wrong values,
one cell can hold 40 MB of text. Each bound here is a setting in targets.config (a TARGETS_…
variable with a default), checked before the work it guards, and each refusal is a located
error with a registered code:

- cells in the used area of all sheets (`file-too-many-cells`): from each sheet's structure
  before the reader builds it (extent.py), and again from the reader's own extent;
- characters in one cell (`cell-too-long`);
- errors kept per file: the first MAX_ERRORS with their locations, then only a count per code;
- seconds per file (`file-too-slow`): an alarm in a process that works for that file alone (the
  CLI, or the child the dashboard starts for each upload), a kill from the dashboard's side;
- memory per file (`file-too-much-memory`): the address space of that child (isolation.py).
  Elsewhere memory follows from the bounds above; a web process never limits itself.
"""

from __future__ import annotations

import resource
import signal
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from targets import config
from targets.ingest import extent
from targets.issues import Issue, column_letter


class Refusal(Exception):
    """A whole file refused: a registered issue code, a message and, where known, its place."""

    def __init__(
        self, code: str, message: str, *, sheet: str = "", row: int | None = None, column: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        # sent from the child process that read the file: keep the place, not only the message
        return (type(self), (self.code, self.message), self.__dict__)


@dataclass(frozen=True)
class Limits:
    """The bounds in force, as one value a child process can be given (it reads no settings)."""

    max_upload_bytes: int
    max_uncompressed_bytes: int
    max_rows: int
    max_columns: int
    max_sheets: int
    max_cells: int
    max_cell_chars: int
    max_errors: int
    max_file_seconds: int
    max_upload_memory_mb: int
    max_label_chars: int

    @classmethod
    def current(cls) -> Limits:
        return cls(**{name: getattr(config, name.upper()) for name in cls.__dataclass_fields__})

    def install(self) -> None:
        """Make these the process's settings (in a child process that works for one file)."""
        for name in self.__dataclass_fields__:
            setattr(config, name.upper(), getattr(self, name))


# -- the used area -----------------------------------------------------------------------------


def _refusal(exc: extent.AreaError) -> Refusal:
    row, col = exc.cell if exc.cell is not None else (None, -1)
    return Refusal(
        exc.code,
        exc.message,
        sheet=exc.sheet,
        row=row,
        column=column_letter(col) if col >= 0 else "",
    )


def check_used_area(data: bytes, kind: str) -> None:
    """Refuse a workbook whose sheets' used areas pass MAX_CELLS, before a reader builds them."""
    if kind not in ("xlsx", "ods"):
        return
    try:
        extent.check_workbook(data, kind, config.MAX_CELLS)
    except extent.AreaError as exc:
        raise _refusal(exc) from None


def new_area() -> extent.Area:
    """A running count of cells over one file's sheets, as the reader builds them."""
    return extent.Area(config.MAX_CELLS)


def count_sheet(area: extent.Area, sheet: str, rows: int, cols: int) -> None:
    """Count a sheet the reader has measured, before it becomes Python objects."""
    try:
        area.add(sheet, rows, cols)
    except extent.AreaError as exc:
        raise _refusal(exc) from None


# -- characters per cell -----------------------------------------------------------------------


def check_cell_chars(sheet: str, frame: pd.DataFrame, upper_bound: int | None = None) -> None:
    """Refuse a sheet with a cell longer than MAX_CELL_CHARS, naming the first such cell.

    `upper_bound`: a length no cell can exceed (e.g. the longest line of a CSV): when it is within
    the limit, nothing needs counting.
    """
    limit = config.MAX_CELL_CHARS
    if upper_bound is not None and upper_bound <= limit:
        return
    first: tuple[int, int, int] | None = None
    count = 0
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j].to_numpy(dtype=object)
        lengths = np.fromiter(
            (len(v) if type(v) is str else 0 for v in column), dtype=np.int64, count=len(column)
        )
        over = np.flatnonzero(lengths > limit)
        if len(over):
            count += len(over)
            i = int(over[0])
            if first is None or i < first[0]:
                first = (i, j, int(lengths[i]))
    if first is None:
        return
    i, j, length = first
    more = f" ({count:,} cells in all)" if count > 1 else ""
    raise Refusal(
        "cell-too-long",
        f"this cell holds {length:,} characters, more than the limit of {limit:,} "
        f"(TARGETS_MAX_CELL_CHARS){more}",
        sheet=sheet,
        row=i + 1,
        column=column_letter(j),
    )


def longest_field(data: bytes, encoding: str) -> int | None:
    """A length no field of this CSV can pass, found without reading it: its longest line in
    bytes, when no quote can carry a field over a line end and the encoding writes a line end as
    the only byte 10 (UTF-8, GBK); else None."""
    if encoding not in ("utf-8", "utf-8-sig", "gbk") or b'"' in data:
        return None
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    return int(np.diff(ends, prepend=-1, append=len(data)).max())


def csv_refusal(exc: Exception, text: str) -> Refusal:
    """The csv module's error as a refusal: a field past its own bound is a cell too long."""
    if "field larger than field limit" not in str(exc):
        return Refusal("file-unreadable", f"the text cannot be read as CSV ({exc})")
    limit = config.MAX_CELL_CHARS
    where = next(((i, line) for i, line in enumerate(text.splitlines()) if len(line) > limit), None)
    if where is None:  # a quoted cell spanning lines
        return Refusal(
            "cell-too-long",
            f"a cell holds more than {limit:,} characters, the limit (TARGETS_MAX_CELL_CHARS)",
        )
    i, line = where
    column = ""
    for delimiter in (",", "\t", ";", "|"):  # the delimiter is not known yet: the first that splits
        fields = line.split(delimiter)
        if len(fields) > 1:
            j = next((j for j, f in enumerate(fields) if len(f) > limit), -1)
            column = column_letter(j) if j >= 0 else ""
            break
    return Refusal(
        "cell-too-long",
        f"a cell holds more than {limit:,} characters, the limit (TARGETS_MAX_CELL_CHARS)",
        row=i + 1,
        column=column,
    )


# -- errors kept per file ----------------------------------------------------------------------


class IssueLog:
    """The first `limit` issues of a file, each once, with their locations; beyond them only a
    count per code, so a million wrong cells cost a counter, not a million messages."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = max(1, config.MAX_ERRORS if limit is None else limit)
        self.issues: list[Issue] = []
        self.more: Counter[str] = Counter()
        self._seen: set[tuple[Any, ...]] = set()

    def room(self) -> int:
        """How many more issues are kept with their locations."""
        return max(0, self.limit - len(self.issues))

    def add(self, issue: Issue) -> None:
        key = (issue.code, issue.sheet, issue.row, issue.column, issue.message)
        if key in self._seen:
            return
        if len(self.issues) < self.limit:
            self._seen.add(key)
            self.issues.append(issue)
        else:
            self.more[issue.code] += 1

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    def count(self, code: str, n: int) -> None:
        """n issues of this code found but not made (there was no room to keep them)."""
        if n > 0:
            self.more[code] += n

    def kept(self, rows: pd.DataFrame, code: str) -> pd.DataFrame:
        """The first rows that still fit; the rest are counted under `code`."""
        room = self.room()
        self.count(code, len(rows) - room)
        return rows if len(rows) <= room else rows.iloc[:room]

    @property
    def total(self) -> int:
        return len(self.issues) + sum(self.more.values())


# -- time and memory, for a process that works for one file --------------------------------------


def too_slow(seconds: int) -> Refusal:
    return Refusal(
        "file-too-slow",
        f"checking the file took longer than {seconds:,} s, the limit (TARGETS_MAX_FILE_SECONDS)",
    )


def too_much_memory(megabytes: int) -> Refusal:
    return Refusal(
        "file-too-much-memory",
        f"the file needs more than {megabytes:,} MB to read, the limit "
        "(TARGETS_MAX_UPLOAD_MEMORY_MB)",
    )


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Refuse the file (`file-too-slow`) when the block takes longer than `seconds`: an alarm, so
    only from the main thread of a process that works for this file alone (the CLI, the child)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("a time limit by alarm can only be set from the main thread")

    def alarm(_signum: int, _frame: object) -> None:
        raise too_slow(seconds)

    old_handler = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)


@contextmanager
def memory_limit(megabytes: int) -> Iterator[None]:
    """Bound this process's address space at what it holds now plus `megabytes`: beyond, Python
    raises MemoryError and a C or Rust reader may abort or crash. Only for a process that works
    for one file and can die for it (the child of isolation.py), never a web or CLI process."""
    import psutil  # here, not at the top: a CLI import never limits itself (0.01 s to load)

    old = resource.getrlimit(resource.RLIMIT_AS)
    soft = psutil.Process().memory_info().vms + megabytes * 1024 * 1024
    if old[1] != resource.RLIM_INFINITY:
        soft = min(soft, old[1])
    resource.setrlimit(resource.RLIMIT_AS, (soft, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, old)
