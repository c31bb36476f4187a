"""Columnar reads: a SELECT's result as Arrow columns through ADBC, not one Python tuple per row.

Reading the 10 million values in force through the Python drivers (sqlite3, psycopg) made a
tuple and a Python object per cell: 25-36 s. The ADBC drivers (`adbc-driver-sqlite`,
`adbc-driver-postgresql`; PostgreSQL's binary COPY) hand back Arrow arrays that pandas takes
over without a Python object per cell. SQLAlchemy keeps the schema and every write
(targets.store); this module only reads, on a connection of its own.

SQLite is read in a child process. The SQLite driver carries its own copy of the SQLite library,
and two copies in one process corrupt a database: POSIX locks are per process, so neither copy
sees the other's connections, and the driver's copy, thinking itself alone, checkpointed and
deleted the write-ahead log under the store's open connection (measured here: "disk I/O error";
sqlite.org/howtocorrupt.html, 2.2.1). The child loads only the driver's copy and streams the
result back in Arrow's IPC format, about a tenth of a second plus the read.

Where ADBC cannot see the same database (SQLite in memory: each connection is its own database)
`adbc_uri` gives None and the store keeps its row-wise read.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the child imports this module: it loads no more than it needs
    import pandas as pd

Backend = Literal["sqlite", "postgresql"]
# SQLite's driver infers each column's type from the first batch and refuses a later row of
# another type (a unit that is NULL in the first 1,024 rows, text after): one batch of every row
# lets it see them all. The driver takes at most this (a C int); 2**30 rows is far beyond any read.
_SQLITE_BATCH_ROWS = 2**30


def adbc_uri(url: str) -> tuple[Backend, str] | None:
    """The ADBC backend and URI of a SQLAlchemy URL, or None where ADBC cannot read that database."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        db = parsed.database
        # in memory, or a `file:` URI (shared-cache memory databases in tests): not the same file
        if not db or db == ":memory:" or db.startswith("file:"):
            return None
        return "sqlite", db
    if backend == "postgresql":
        # libpq takes the SQLAlchemy URL without its driver name (user, password, host, options)
        return "postgresql", parsed.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
    return None


def _fetch(backend: Backend, uri: str, sql: str) -> Any:
    """One SELECT through ADBC's low-level API, as a pyarrow Table.

    Not its DB-API layer: that imports pyarrow.dataset and with it pandas, a second of start-up
    for the SQLite child, which needs neither.
    """
    import adbc_driver_manager
    import pyarrow as pa

    if backend == "sqlite":
        import adbc_driver_sqlite

        database = adbc_driver_sqlite.connect(uri)
    else:
        import adbc_driver_postgresql

        database = adbc_driver_postgresql.connect(uri)
    try:
        conn = adbc_driver_manager.AdbcConnection(database)
        try:
            stmt = adbc_driver_manager.AdbcStatement(conn)
            try:
                if backend == "sqlite":
                    stmt.set_options(**{"adbc.sqlite.query.batch_rows": str(_SQLITE_BATCH_ROWS)})
                stmt.set_sql_query(sql)
                stream, _ = stmt.execute_query()
                # the same hand-over of the C stream as ADBC's own DB-API layer
                return pa.RecordBatchReader._import_from_c(stream.address).read_all()
            finally:
                stmt.close()
        finally:
            conn.close()
    finally:
        database.close()


def read_arrow(backend: Backend, uri: str, sql: str) -> Any:
    """Run one SELECT (no parameters) and return its result as one pyarrow Table."""
    if backend == "postgresql":
        return _fetch(backend, uri, sql)
    import pyarrow as pa

    # -I: the child ignores PYTHON* variables and the user's site; sys.path is passed explicitly
    child = subprocess.Popen(
        [sys.executable, "-I", "-c", _CHILD, uri, *sys.path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(sql.encode())
    child.stdin.close()
    try:
        table = pa.ipc.open_stream(child.stdout).read_all()
    except pa.ArrowInvalid:
        table = None  # the child failed before it wrote a stream: its error follows
    child.stdout.close()
    assert child.stderr is not None
    with child.stderr:  # closed here: a pipe left to the garbage collector is a ResourceWarning
        err = child.stderr.read().decode(errors="replace")
    if child.wait() != 0 or table is None:
        last = err.strip().splitlines()[-1] if err.strip() else f"exit status {child.returncode}"
        raise ValueError(f"columnar read of {uri} failed: {last}")
    return table


# The SQLite child: the SQL on stdin, the result as one Arrow IPC stream on stdout.
_CHILD = """
import sys
sys.path[:] = sys.argv[2:]
from targets.columnar import _fetch
import pyarrow as pa
table = _fetch("sqlite", sys.argv[1], sys.stdin.read())
with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as out:
    out.write_table(table)
"""


def _column(table: Any, name: str, dtype: str) -> pd.Series:
    """One column with the dtype the row-wise read gives it; a refusal naming the column otherwise."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    arrow = table.column(name)
    if arrow.null_count == len(arrow):
        # SQLite types a column of NULLs as int64: it is missing text or numbers, nothing else
        if dtype == "int64" and len(arrow):
            raise ValueError(f"column {name}: {len(arrow):,} missing values where {dtype} is due")
        if dtype != "str":
            return pd.Series(np.full(len(arrow), np.nan), dtype=dtype)
        # missing text as Arrow nulls: pandas turning a million NaN into str took half a second
        arrow = pa.nulls(len(arrow), pa.string())
    kind = arrow.type
    if dtype == "str" and not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise ValueError(f"column {name}: read as {kind}, text expected")
    if dtype in ("int64", "float64") and not (
        pa.types.is_integer(kind) or pa.types.is_floating(kind)
    ):
        raise ValueError(f"column {name}: read as {kind}, a number expected")
    series = arrow.to_pandas()
    if dtype == "int64" and series.isna().any():
        raise ValueError(f"column {name}: {int(series.isna().sum()):,} missing values")
    return series.astype(dtype)


def read_frame(backend: Backend, uri: str, sql: str, dtypes: dict[str, str]) -> pd.DataFrame:
    """The result of `sql` as a frame with these columns and dtypes (pandas' str for text)."""
    return frame_of(read_arrow(backend, uri, sql), dtypes)


def frame_of(table: Any, dtypes: dict[str, str]) -> pd.DataFrame:
    """A pyarrow Table as a frame with these columns and dtypes (pandas' str for text)."""
    import pandas as pd

    missing = [name for name in dtypes if name not in table.column_names]
    if missing:
        raise ValueError(f"the query returned no column {', '.join(missing)}")
    return pd.DataFrame({name: _column(table, name, dtype) for name, dtype in dtypes.items()})
