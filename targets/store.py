"""The store: imports (vintages), observations and an audit log over SQLAlchemy Core.

SQLite by default (a file under data/, WAL, busy timeout, foreign keys on), PostgreSQL when the
URL says `postgresql+psycopg://`. Observations are never overwritten: each belongs to an import,
and the value in force for an indicator x region x year is the one from the active import with
the highest id. Writing an import is one transaction, so a failure or a kill leaves nothing behind.

The values in force are also kept in their own table, `values_in_force`, updated in the same
transaction as each import and revert: reading them then costs one row per key, however many
vintages (yearly revisions) pile up behind it. It is derived data: rebuilt from `observations`
when missing (an older database) and after a restore, and never part of a backup.

Accounts live in targets.users and the portable dump in targets.backup, both functions over a
Store; the engine, MetaData and timestamps in targets.db.
"""

from __future__ import annotations

import gc
import logging
import math
import secrets
import sys
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from pandas.api.types import infer_dtype
from sqlalchemy.engine import Connection

from targets import snapshot
from targets.audit_details import audit_detail
from targets.columnar import adbc_uri, read_frame
from targets.db import (
    BEGIN_OPTION,
    UTCDateTime,
    add_missing_columns,
    make_engine,
    metadata,
    normalise_url,
    now,
)
from targets.issues import Notice, notices_from_json, notices_json
from targets.models import OBSERVATION_COLUMNS, OBSERVATION_DTYPES, Import
from targets.submissions import submissions_t  # noqa: F401 - on `metadata`, created with the others
from targets.throttle import login_attempts_t  # noqa: F401 - on `metadata`, created with the others
from targets.users import upgrade_role_check, users_t  # on `metadata`: created with the others

log = logging.getLogger(__name__)

STATES: tuple[str, ...] = ("active", "reverted")
# rows per executemany / backup batch: bounds memory for very large imports and restores
CHUNK = 50_000
# SQLite's oldest default limit of bound parameters per statement (999 before 3.32): the most an
# observations insert binds, so it runs on any SQLite the sqlite3 module is built with
SQLITE_MAX_PARAMS = 999
# PostgreSQL advisory lock key taken while creating tables, so concurrent first uses do not race
_SCHEMA_LOCK = 0x7A5D_2019
# PostgreSQL advisory lock key held by every import and revert: they run one at a time, so import
# ids follow commit order and the values-in-force upsert never sees a newer import committed first
_WRITE_LOCK = 0x7A5D_2020
# below this many stored rows the row-wise read is sooner than the columnar one, whose SQLite
# reader is a child process (a start of 0.3 s and more; an import reads the values twice)
COLUMNAR_MIN_ROWS = 200_000
_KEY = ["indicator", "region", "year"]
_IN_FORCE_COLUMNS = ["indicator", "region", "year", "import_id", "value", "unit", "note", "flag"]
_TEXT_COLUMNS = ("indicator", "region", "unit", "note", "flag")


imports_t = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("sheets", sa.Text, nullable=False, default=""),
    sa.Column("layout", sa.Text, nullable=False, default=""),
    sa.Column("user_name", sa.Text, nullable=False, default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    # JSON list of {code, zh, en} (targets.issues.Notice); rows stored before: of strings
    sa.Column("warnings", sa.Text, nullable=False, default="[]"),
    sa.CheckConstraint("state IN ('active', 'reverted')", name="ck_imports_state"),
)
# The same bytes are in force at most once: two importers racing with one file cannot both store
# it. Partial (active imports only), because reverting an import frees its file to come again.
ACTIVE_SHA_INDEX = "uq_imports_active_sha256"
active_sha_index = sa.Index(
    ACTIVE_SHA_INDEX,
    imports_t.c.sha256,
    unique=True,
    sqlite_where=imports_t.c.state == "active",
)


def _postgresql_index_options() -> None:
    """The partial index's WHERE for PostgreSQL, given when a store opens one: SQLAlchemy loads
    the whole PostgreSQL dialect to check a `postgresql_` option, which cost every SQLite
    command (`targets import` most) a tenth of a second."""
    # (`in dialect_kwargs` is always true once the dialect is loaded: its default is None)
    if active_sha_index.dialect_options["postgresql"]["where"] is None:
        active_sha_index.dialect_kwargs["postgresql_where"] = imports_t.c.state == "active"


observations_t = sa.Table(
    "observations",
    metadata,
    # The primary key is the index the in-force query needs: per key, the import ids in order.
    sa.Column("indicator", sa.String(200), primary_key=True),
    sa.Column("region", sa.String(200), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column(
        "import_id",
        sa.Integer,
        sa.ForeignKey("imports.id"),
        primary_key=True,
        autoincrement=False,
        index=True,
    ),
    sa.Column("value", sa.Float(precision=53), nullable=False),
    sa.Column("unit", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    # targets.flags (prelim, approx, …): a verdict on the value is provisional; NULL when final
    sa.Column("flag", sa.Text, nullable=True),
    # SQLite: rows live in the primary-key B-tree itself, so an insert writes one tree, not two
    sqlite_with_rowid=False,
)

# One row per key: the value of the active import with the highest id (see the module docstring).
in_force_t = sa.Table(
    "values_in_force",
    metadata,
    sa.Column("indicator", sa.String(200), primary_key=True),
    sa.Column("region", sa.String(200), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    # no index on import_id: nothing reads this table by import (revert and the upsert go
    # through observations' index), and it was 0.09 of the upsert's 0.2 s per 110,000 rows
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("value", sa.Float(precision=53), nullable=False),
    sa.Column("unit", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    # targets.flags (prelim, approx, …): a verdict on the value is provisional; NULL when final
    sa.Column("flag", sa.Text, nullable=True),
    # SQLite: rows live in the primary-key B-tree itself, so an insert writes one tree, not two
    sqlite_with_rowid=False,
)

# the index older versions kept on values_in_force.import_id: dropped when a store opens
_UNUSED_IN_FORCE_INDEX = "ix_values_in_force_import_id"

# One row: a random token renewed in the transaction of every change to `values_in_force`. With
# the data version it keys the columnar snapshot (targets.snapshot); unlike the data version it
# never repeats, also when a database is dropped and made again or restored from a dump.
values_token_t = sa.Table(
    "values_token",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("token", sa.String(64), nullable=False),
)

audit_t = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False, default=""),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)


def _integrity_errors() -> tuple[type[Exception], ...]:
    """SQLAlchemy's IntegrityError, and psycopg's (raised by COPY on the raw connection) once
    PostgreSQL is in use: importing psycopg cost every SQLite command a tenth of a second."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return (sa.exc.IntegrityError,)
    return (sa.exc.IntegrityError, psycopg.errors.IntegrityError)


def _text_or_none(series: pd.Series) -> list[str | None]:
    """A column as Python strings, missing values as None (pandas gives NaN for missing str)."""
    if isinstance(series.dtype, pd.StringDtype):
        # text already: each distinct text made a Python str once (a file names a few dozen
        # indicators and regions), half the time of one str per row
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        texts = np.empty(len(uniques) + 1, dtype=object)  # code -1, missing, reads the last
        texts[:-1] = uniques.tolist()
        return texts[codes].tolist()  # type: ignore[no-any-return]
    missing = series.isna()
    if missing.all():  # a note column without notes
        return [None] * len(series)
    values = series.to_numpy()
    if series.dtype == object and infer_dtype(values, skipna=True) == "string":
        # Python strings already (the import's rows): as they are, missing as None
        if missing.any():
            values = values.copy()
            values[missing.to_numpy()] = None
        return values.tolist()  # type: ignore[no-any-return]
    return series.astype("str").astype(object).where(~missing, None).tolist()


def _numbers_or_none(series: pd.Series) -> list[Any]:
    """A numeric column as Python numbers, missing values as None."""
    if not series.hasnans:
        return series.to_numpy().tolist()  # type: ignore[no-any-return]
    return series.astype(object).where(series.notna(), None).tolist()


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _observation_records(rows: pd.DataFrame, import_id: int) -> dict[str, list[Any]]:
    """Columns of observation rows as Python lists ready for the driver (NA -> None)."""
    missing = [c for c in ("indicator", "region", "year", "value") if c not in rows.columns]
    if missing:
        raise ValueError(f"rows lack column(s) {', '.join(missing)}")
    n = len(rows)
    year = pd.to_numeric(rows["year"]).astype("Int64")  # raises on 2020.5: a year is whole
    # NaN is a legal float8 in PostgreSQL; None makes both backends refuse a missing value
    value = pd.to_numeric(rows["value"]).astype("float64")
    columns: dict[str, list[Any]] = {
        "import_id": [import_id] * n,
        "indicator": _text_or_none(rows["indicator"]),
        "region": _text_or_none(rows["region"]),
        "year": _numbers_or_none(year),
        "value": _numbers_or_none(value),
    }
    # A column the rows lack, or hold nothing in, is left out of the insert: the database
    # stores NULL for it. Three NULLs bound per row were a third of SQLite's executemany
    # (0.12 of 0.38 s CPU for 110,000 rows; bench/run.py, section cli-import).
    for name, as_stored in (("unit", _text_or_none), ("note", _text_or_none), ("flag", _flags)):
        if name not in rows.columns:
            continue
        stored_null = rows[name].isna()
        if name == "flag":  # "" (final) is stored as NULL too
            stored_null |= rows[name].eq("")
        if not stored_null.all():
            columns[name] = as_stored(rows[name])
    return columns


def _flags(series: pd.Series) -> list[str | None]:
    """Flags as stored: "" (final) as NULL, like a value without a flag column."""
    return [f or None for f in _text_or_none(series)]


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_resume = True


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of result tuples are made.

    Each tuple counts as an allocation, so a large fetch triggers full collections that walk every
    tuple already fetched (measured: a 10-million-row read took 26 s instead of 9 s). The tuples
    hold no cycles. A counter, because threads pause and resume it independently.
    """
    global _gc_pausers, _gc_resume
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_resume = gc.isenabled()  # an application that turned it off keeps it off
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_resume:
                gc.enable()


def _frame(records: Sequence[Any], dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame from result rows, built column by column (pandas probes each Row object when
    given rows, which costs more than the query at a million rows); `utc` marks timestamps."""
    columns = list(zip(*records, strict=True)) if records else [() for _ in dtypes]
    data: dict[str, pd.Series] = {}
    for (name, dtype), values in zip(dtypes.items(), columns, strict=True):
        if dtype == "utc":
            data[name] = pd.Series(
                pd.to_datetime(list(values), utc=True), dtype="datetime64[us, UTC]"
            )
        else:
            data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data)


def _observation_frame(records: Sequence[Any], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    dtypes = dict(OBSERVATION_DTYPES)
    if extra:
        dtypes.update({"state": "str", "created_at": "utc"})
    return _frame(records, dtypes)


def _sorted_by_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in indicator, region, year order, sorting integer codes rather than strings."""
    if len(frame) < 2:
        return frame
    ind, _ = pd.factorize(frame["indicator"], sort=True)
    reg, _ = pd.factorize(frame["region"], sort=True)
    order = np.lexsort((frame["year"].to_numpy(), reg, ind))
    return frame.take(order).reset_index(drop=True)


def _import_from_row(row: Any) -> Import:
    return Import(
        id=row.id,
        file_name=row.file_name,
        sha256=row.sha256,
        sheets=row.sheets,
        layout=row.layout,
        user=row.user_name,
        created_at=row.created_at,
        rows=row.row_count,
        state=row.state,
        note=row.note,
        warnings=notices_from_json(row.warnings),
    )


class AlreadyImported(ValueError):
    """These bytes are already in force as `existing`: nothing was stored."""

    def __init__(self, existing: Import) -> None:
        super().__init__(
            f"identical to import #{existing.id} ({existing.file_name}); nothing stored"
        )
        self.existing = existing


class Store:
    """Imports, observations and the audit log in one database (users: targets.users)."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        if not self.is_sqlite:
            _postgresql_index_options()
        self._create_schema()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection (tests and forked workers call this)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({sa.make_url(self.url).render_as_string(hide_password=True)!r})"

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        """One write transaction: BEGIN IMMEDIATE on SQLite, committed on success, else rolled back."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def read_transaction(self) -> Iterator[Connection]:
        """One read transaction (a consistent snapshot on SQLite; statement-level on PostgreSQL)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _create_schema(self) -> None:
        with self.write_transaction() as conn:
            if not self.is_sqlite:
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
            had_in_force = sa.inspect(conn).has_table(in_force_t.name)
            upgrade_role_check(conn)
            metadata.create_all(conn, checkfirst=True)
            # a database from before the accounts could be disabled and their sessions ended
            add_missing_columns(conn, users_t)
            # a database from before values carried a flag: NULL, a final value
            add_missing_columns(conn, observations_t)
            add_missing_columns(conn, in_force_t)
            # a database from before the index was dropped (see in_force_t)
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {_UNUSED_IN_FORCE_INDEX}"))
            if not had_in_force:
                # a database written before the table existed: derive it once from the vintages
                self.rebuild_in_force(conn)
            if conn.execute(sa.select(values_token_t.c.token)).first() is None:
                _renew_token(conn)
            ensure_active_sha_unique(conn)

    def _lock_writers(self, conn: Connection) -> None:
        """Serialise imports and reverts on PostgreSQL (SQLite's BEGIN IMMEDIATE already does)."""
        if not self.is_sqlite:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_WRITE_LOCK)))

    def rebuild_in_force(self, conn: Connection) -> None:
        """Recompute the whole values-in-force table from the vintages."""
        conn.execute(in_force_t.delete())
        conn.execute(
            in_force_t.insert().from_select(_IN_FORCE_COLUMNS, self._in_force_query(lambda q: q))
        )
        _renew_token(conn)

    def _upsert_in_force(self, conn: Connection, import_id: int) -> None:
        """Put the rows of the newest import in force (it has the highest id: it wins every key)."""
        cols = ", ".join(_IN_FORCE_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _IN_FORCE_COLUMNS if c not in _KEY)
        # the WHERE also resolves SQLite's parsing ambiguity of INSERT ... SELECT ... ON CONFLICT
        conn.execute(
            sa.text(
                f"INSERT INTO {in_force_t.name} ({cols}) "
                f"SELECT {cols} FROM {observations_t.name} WHERE import_id = :id "
                f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET {updates}"
            ),
            {"id": import_id},
        )
        _renew_token(conn)

    def _recompute_in_force(self, conn: Connection, import_id: int) -> None:
        """After a revert: the keys of that import take their value from the remaining vintages."""
        o = observations_t
        keys = sa.select(o.c.indicator, o.c.region, o.c.year).where(o.c.import_id == import_id)
        mine = sa.tuple_(in_force_t.c.indicator, in_force_t.c.region, in_force_t.c.year)
        conn.execute(in_force_t.delete().where(mine.in_(keys)))
        touched = sa.tuple_(o.c.indicator, o.c.region, o.c.year).in_(keys)
        conn.execute(
            in_force_t.insert().from_select(
                _IN_FORCE_COLUMNS, self._in_force_query(lambda q: q.where(touched), ordered=False)
            )
        )
        _renew_token(conn)

    # -- imports -----------------------------------------------------------------------------
    def write_import(
        self,
        rows: pd.DataFrame,
        *,
        file_name: str,
        sha256: str,
        sheets: str = "",
        layout: str = "",
        user: str = "",
        note: str = "",
        warnings: Sequence[Notice | str] | None = None,
        then: Callable[[Connection, int], None] | None = None,
    ) -> int:
        """Store `rows` (indicator, region, year, value[, unit, note]) as one import; return its id.

        One transaction: the import row, every observation and the audit entry, or nothing;
        AlreadyImported when an active import has the same `sha256` (checked inside the
        transaction, so of two importers racing with one file exactly one stores it);
        ValueError (nothing stored) for repeated keys or a row the database refuses. `then`
        runs last inside the transaction, under the write lock, with the new import's id: what
        it raises undoes the import (an approved submission is marked so in it).
        """
        keys = rows[[c for c in _KEY if c in rows.columns]]
        if len(keys.columns) == len(_KEY) and keys.duplicated().any():
            dup = keys[keys.duplicated(keep=False)].iloc[0].tolist()
            raise ValueError(f"rows repeat indicator x region x year {dup}: one value per key")
        try:
            return self._write_import(
                rows, file_name, sha256, sheets, layout, user, note, warnings, then
            )
        except _integrity_errors() as exc:
            # the unique index caught a writer that did not queue behind the write lock
            earlier = self.find_import_by_sha(sha256)
            if earlier is not None:
                raise AlreadyImported(earlier) from exc
            # a NULL key or value, a value of the wrong type: the whole import was rolled back
            msg = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise ValueError(f"import of {file_name} not stored: {msg}") from exc

    def _write_import(
        self,
        rows: pd.DataFrame,
        file_name: str,
        sha256: str,
        sheets: str,
        layout: str,
        user: str,
        note: str,
        warnings: Sequence[Notice | str] | None,
        then: Callable[[Connection, int], None] | None = None,
    ) -> int:
        with self.write_transaction() as conn:
            self._lock_writers(conn)
            # under the write lock: no other import can commit these bytes between this look
            # and the commit (the unique index enforces it should a writer skip the lock)
            earlier = conn.execute(_active_by_sha(sha256)).first()
            if earlier is not None:
                raise AlreadyImported(_import_from_row(earlier))
            stmt = imports_t.insert().values(
                file_name=file_name,
                sha256=sha256,
                sheets=sheets,
                layout=layout,
                user_name=user,
                created_at=now(),
                row_count=len(rows),
                state="active",
                note=note,
                warnings=notices_json(list(warnings or [])),
            )
            import_id = int(conn.execute(stmt.returning(imports_t.c.id)).scalar_one())
            self._insert_observations(conn, _observation_records(rows, import_id))
            self._upsert_in_force(conn, import_id)
            detail = audit_detail("import", id=import_id, file=file_name, rows=len(rows))
            self.audit("import", user, detail, conn=conn)
            if then is not None:
                then(conn, import_id)
        return import_id

    def set_import_warnings(self, import_id: int, warnings: Sequence[Notice | str]) -> None:
        """Replace the stored warnings of an import (those computed once its values are in force)."""
        with self.write_transaction() as conn:
            done = conn.execute(
                imports_t.update()
                .where(imports_t.c.id == import_id)
                .values(warnings=notices_json(list(warnings)))
            )
            if done.rowcount == 0:
                raise KeyError(f"no import #{import_id}")

    def _insert_observations(self, conn: Connection, columns: dict[str, list[Any]]) -> None:
        names = list(columns)
        if self.is_sqlite:
            # Many rows per INSERT, their values flat in one parameter list: SQLite steps its
            # VM and Python binds once per statement, not once per row. 0.34 against 0.43 s
            # CPU (min of 10) for 110,000 rows to a row per statement, itself half the time of
            # a Core insert with a parameter dict per row.
            width = len(names)
            per = max(1, SQLITE_MAX_PARAMS // width)  # rows per statement
            row = f"({', '.join('?' * width)})"
            sql = f"INSERT INTO observations ({', '.join(names)}) VALUES "
            for start in range(0, len(columns["import_id"]), CHUNK):
                flat = list(
                    chain.from_iterable(
                        zip(*(columns[n][start : start + CHUNK] for n in names), strict=True)
                    )
                )
                step = per * width
                whole = len(flat) // step * step
                if whole:
                    # tuples of `step` values each, cut in C (zip over one iterator)
                    groups = list(zip(*[iter(flat[:whole])] * step, strict=True))
                    conn.exec_driver_sql(sql + ", ".join([row] * per), groups)
                if whole < len(flat):  # the rest, fewer than `per` rows
                    rest = (len(flat) - whole) // width
                    conn.exec_driver_sql(sql + ", ".join([row] * rest), tuple(flat[whole:]))
            return
        # PostgreSQL: COPY through the raw psycopg connection, inside the same transaction;
        # several times faster than executemany for large imports.
        raw = conn.connection.driver_connection
        assert raw is not None
        sql = f"COPY observations ({', '.join(names)}) FROM STDIN"
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for rec in zip(*(columns[n] for n in names), strict=True):
                copy.write_row(rec)

    def find_import_by_sha(self, sha256: str) -> Import | None:
        """The newest active import of a file with these bytes, if any."""
        with self.read_transaction() as conn:
            row = conn.execute(_active_by_sha(sha256)).first()
        return None if row is None else _import_from_row(row)

    def imports(self) -> list[Import]:
        """Every import, newest first."""
        with self.read_transaction() as conn:
            rows = conn.execute(sa.select(imports_t).order_by(imports_t.c.id.desc())).all()
        return [_import_from_row(r) for r in rows]

    def get_import(self, import_id: int) -> Import:
        with self.read_transaction() as conn:
            row = conn.execute(sa.select(imports_t).where(imports_t.c.id == import_id)).first()
        if row is None:
            raise KeyError(f"no import #{import_id}")
        return _import_from_row(row)

    def revert(self, import_id: int, user: str = "") -> None:
        """Withdraw an import: the values in force before it come back. Its rows stay as history."""
        with self.write_transaction() as conn:
            self._lock_writers(conn)
            row = conn.execute(
                sa.select(imports_t.c.state, imports_t.c.file_name).where(
                    imports_t.c.id == import_id
                )
            ).first()
            if row is None:
                raise KeyError(f"no import #{import_id}")
            if row.state == "reverted":
                raise ValueError(f"import #{import_id} is already reverted")
            conn.execute(
                imports_t.update().where(imports_t.c.id == import_id).values(state="reverted")
            )
            self._recompute_in_force(conn, import_id)
            self.audit(
                "revert", user, audit_detail("revert", id=import_id, file=row.file_name), conn=conn
            )

    def is_empty(self) -> bool:
        """True when no import was ever written (reverted ones count as written)."""
        with self.read_transaction() as conn:
            return conn.execute(sa.select(imports_t.c.id).limit(1)).first() is None

    def data_version(self) -> str:
        """A token that changes whenever an import is written or reverted; caches key on it."""
        with self.read_transaction() as conn:
            return self.version_on(conn)

    def version_on(self, conn: Connection, *, besides: int | None = None) -> str:
        """data_version as `conn` sees it; `besides` leaves one import out (the one being
        written in that transaction: was anything else written meanwhile?)."""
        imports = sa.select(imports_t).where(imports_t.c.id != (besides or 0)).subquery()
        reverted = sa.func.sum(sa.case((imports.c.state == "reverted", 1), else_=0))
        max_id, n_reverted = conn.execute(sa.select(sa.func.max(imports.c.id), reverted)).one()
        return f"{max_id or 0}:{n_reverted or 0}"

    # -- observations ------------------------------------------------------------------------
    def observations(
        self,
        indicators: Collection[str] | None = None,
        regions: Collection[str] | None = None,
        *,
        in_force: bool = True,
        columnar: bool = True,
    ) -> pd.DataFrame:
        """Values in force (OBSERVATION_COLUMNS), or with in_force=False every vintage plus
        `state` and `created_at` of its import; sorted by indicator, region, year (, import_id).

        All values in force are read as Arrow columns (targets.columnar) where the database
        allows; `columnar=False` reads them row by row through SQLAlchemy, as filtered reads do.
        """
        if in_force and columnar and indicators is None and regions is None:
            where = adbc_uri(self.url)
            if where is not None and self._active_rows() >= COLUMNAR_MIN_ROWS:
                return self._columnar_in_force(where)
        o, i = observations_t, imports_t
        cols = [o.c[name] for name in OBSERVATION_COLUMNS]

        def filtered(stmt: sa.Select[Any]) -> sa.Select[Any]:
            if indicators is not None:
                stmt = stmt.where(o.c.indicator.in_(list(indicators)))
            if regions is not None:
                stmt = stmt.where(o.c.region.in_(list(regions)))
            return stmt

        if in_force:
            v = in_force_t
            stmt = sa.select(*(v.c[n] for n in OBSERVATION_COLUMNS))
            if self.is_sqlite:
                # SQLite walks the primary key in order; PostgreSQL would sort every row with the
                # text collation instead (14 s of a 16 s read at 10 million rows): sorted below
                stmt = stmt.order_by(v.c.indicator, v.c.region, v.c.year)
            if indicators is not None:
                stmt = stmt.where(v.c.indicator.in_(list(indicators)))
            if regions is not None:
                stmt = stmt.where(v.c.region.in_(list(regions)))
            extra: tuple[str, ...] = ()
        else:
            stmt = filtered(
                sa.select(*cols, i.c.state, i.c.created_at)
                .join(i, i.c.id == o.c.import_id)
                .order_by(o.c.indicator, o.c.region, o.c.year, o.c.import_id)
            )
            extra = ("state", "created_at")
        with self.read_transaction() as conn, _gc_paused():
            if in_force:
                # plain str/int/float columns: the driver's tuples need no SQLAlchemy Row
                # processing, which cost a third of the read
                result = conn.execute(stmt)
                records = result.cursor.fetchall() if result.cursor is not None else []
                result.close()
            else:
                records = conn.execute(stmt).all()
            frame = _observation_frame(records, extra)
        return frame if (self.is_sqlite or not in_force) else _sorted_by_key(frame)

    def snapshot_key(self) -> str:
        """What a columnar snapshot of the values in force is valid for: the data version and
        the token renewed with every change of them, read in one transaction."""
        with self.read_transaction() as conn:
            token = conn.execute(sa.select(values_token_t.c.token)).scalar_one_or_none()
            return f"{self.version_on(conn)}/{token or ''}"

    def snapshot_ready(self, version: str | None = None) -> bool:
        """Whether a full read of the values in force would map a columnar snapshot (of the data
        version `version`, where given) instead of reading the database."""
        directory = snapshot.snapshot_dir(self.url)
        if directory is None or adbc_uri(self.url) is None:
            return False
        key = self.snapshot_key()
        if version is not None and key.split("/", 1)[0] != version:
            return False
        return snapshot.exists(directory, self.url, key)

    def _columnar_in_force(self, where: tuple[Any, str]) -> pd.DataFrame:
        """All values in force as columns: from the snapshot of this exact state where there is
        one, else from the database (then kept as the snapshot, if nothing changed meanwhile)."""
        directory = snapshot.snapshot_dir(self.url)
        key = self.snapshot_key() if directory is not None else ""
        if directory is not None:
            kept = snapshot.load(directory, self.url, key, OBSERVATION_DTYPES)
            if kept is not None:
                return kept
        frame = read_frame(*where, _in_force_sql(where[0]), OBSERVATION_DTYPES)
        if where[0] != "sqlite":
            frame = _sorted_by_key(frame)
        # the read ran on a connection of its own: the same key after it means no import or
        # revert committed in between, so the frame is the state the key names
        if directory is not None and self.snapshot_key() == key:
            snapshot.save(directory, self.url, key, frame)
        return frame

    def _active_rows(self) -> int:
        """The rows of the active imports: at least the values in force, from a few import rows."""
        with self.read_transaction() as conn:
            total = conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(imports_t.c.row_count), 0)).where(
                    imports_t.c.state == "active"
                )
            ).scalar_one()
        return int(total)

    def _in_force_query(
        self, filtered: Callable[[sa.Select[Any]], sa.Select[Any]], *, ordered: bool = True
    ) -> sa.Select[Any]:
        """Per key, the row of the highest import id among active imports (_IN_FORCE_COLUMNS),
        computed from the vintages: what `values_in_force` holds, used to build and repair it.

        Two forms because the planners differ (measured at 10 million rows, 10 vintages):
        SQLite groups over the covering primary-key index and looks each winner up (4.5 s);
        PostgreSQL walks the primary key once with a window max and needs no sort (10 s,
        where the grouped join rebuilt its hash once per parallel worker: 16 s).
        """
        o, i = observations_t, imports_t
        key = [o.c.indicator, o.c.region, o.c.year]
        if self.is_sqlite:
            latest = filtered(
                sa.select(*key, sa.func.max(o.c.import_id).label("mx"))
                .join(i, i.c.id == o.c.import_id)
                .where(i.c.state == "active")
                .group_by(*key)
            ).subquery("latest")
            on = sa.and_(*(c == latest.c[c.name] for c in key), o.c.import_id == latest.c.mx)
            stmt = sa.select(*(o.c[n] for n in _IN_FORCE_COLUMNS)).join(latest, on)
            return stmt.order_by(*key) if ordered else stmt
        mx = sa.func.max(o.c.import_id).over(partition_by=key).label("mx")
        active = sa.select(i.c.id).where(i.c.state == "active")
        vintages = filtered(
            sa.select(*(o.c[n] for n in _IN_FORCE_COLUMNS), mx).where(o.c.import_id.in_(active))
        ).subquery("vintages")
        stmt = sa.select(*(vintages.c[n] for n in _IN_FORCE_COLUMNS)).where(
            vintages.c.import_id == vintages.c.mx
        )
        if ordered:
            stmt = stmt.order_by(vintages.c.indicator, vintages.c.region, vintages.c.year)
        return stmt

    def diff(self, rows: pd.DataFrame) -> pd.DataFrame:
        """For a prospective import: indicator, region, year, old, new, change (new|unchanged|revised)."""
        new = pd.DataFrame(
            {
                "indicator": pd.Series(_text_or_none(rows["indicator"]), dtype="str"),
                "region": pd.Series(_text_or_none(rows["region"]), dtype="str"),
                "year": pd.to_numeric(rows["year"]).astype("int64").to_numpy(),
                "new": pd.to_numeric(rows["value"]).astype("float64").to_numpy(),
            }
        )
        current = self.observations(
            indicators=set(new["indicator"].dropna()), regions=set(new["region"].dropna())
        )
        old = current[_KEY + ["value"]].rename(columns={"value": "old"})
        out = new.merge(old, on=_KEY, how="left")
        # tolerance: the same statistic read from xlsx and from csv can differ in the last bit
        same = np.isclose(out["old"], out["new"], rtol=1e-9, atol=1e-12)
        out["change"] = np.where(out["old"].isna(), "new", np.where(same, "unchanged", "revised"))
        out["change"] = out["change"].astype("str")
        out = out[[*_KEY, "old", "new", "change"]]
        return out.sort_values(_KEY, ignore_index=True)

    # -- audit -------------------------------------------------------------------------------
    def audit(self, action: str, user: str, detail: str, conn: Connection | None = None) -> int:
        """Record an action and return its id; pass `conn` to make the entry part of the
        caller's transaction."""
        stmt = (
            audit_t.insert()
            .values(at=now(), user_name=user, action=action, detail=detail)
            .returning(audit_t.c.id)
        )
        if conn is not None:
            return int(conn.execute(stmt).scalar_one())
        with self.write_transaction() as own:
            return int(own.execute(stmt).scalar_one())

    def audit_log(self, limit: int = 200) -> pd.DataFrame:
        """The latest entries, newest first: id, at, user, action, detail."""
        a = audit_t
        stmt = (
            sa.select(a.c.id, a.c.at, a.c.user_name, a.c.action, a.c.detail)
            .order_by(a.c.id.desc())
            .limit(limit)
        )
        with self.read_transaction() as conn:
            records = conn.execute(stmt).all()
        dtypes = {"id": "int64", "at": "utc", "user": "str", "action": "str", "detail": "str"}
        return _frame(records, dtypes)


def _renew_token(conn: Connection) -> None:
    """A new token for the values in force, in the caller's transaction (see values_token_t)."""
    token = secrets.token_hex(16)
    if conn.execute(values_token_t.update().values(token=token)).rowcount == 0:
        conn.execute(values_token_t.insert().values(id=1, token=token))


def _in_force_sql(backend: str) -> str:
    """Every value in force, as plain SQL for the columnar reader."""
    sql = f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM {in_force_t.name}"
    # SQLite walks its primary key in order; PostgreSQL would sort text keys with its collation
    # (14 s of a 16 s read at 10 million rows): the caller sorts integer codes instead
    return sql + f" ORDER BY {', '.join(_KEY)}" if backend == "sqlite" else sql


def _active_by_sha(sha256: str) -> sa.Select[Any]:
    """The newest active import with these bytes."""
    return (
        sa.select(imports_t)
        .where(imports_t.c.sha256 == sha256, imports_t.c.state == "active")
        .order_by(imports_t.c.id.desc())
        .limit(1)
    )


def ensure_active_sha_unique(conn: Connection) -> None:
    """Create the unique index on active imports' sha256 where it is missing (a database from
    before it). Where the same bytes are already in force twice (what the race it prevents left
    behind) the index cannot be made: the log names the imports to revert, and imports are still
    checked inside their transaction meanwhile."""
    if any(ix["name"] == ACTIVE_SHA_INDEX for ix in sa.inspect(conn).get_indexes(imports_t.name)):
        return
    twice = conn.execute(
        sa.select(imports_t.c.sha256, sa.func.min(imports_t.c.id), sa.func.max(imports_t.c.id))
        .where(imports_t.c.state == "active")
        .group_by(imports_t.c.sha256)
        .having(sa.func.count() > 1)
        .limit(5)
    ).all()
    if twice:
        pairs = ", ".join(f"#{lo} and #{hi}" for _, lo, hi in twice)
        log.warning(
            "the same file is in force twice (imports %s): revert the later one "
            "(`targets revert ID`) so the database can enforce one active import per file",
            pairs,
        )
        return
    active_sha_index.create(conn)
