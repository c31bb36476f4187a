"""The database underneath the store: engine, dialect settings, the shared MetaData, UTC times.

The store's tables (targets.store), the users' table (targets.users) and the backup
(targets.backup) all build on this module; it knows nothing of imports or observations.
"""

from __future__ import annotations

import logging
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

# execution option read by the SQLite "begin" listener: IMMEDIATE for write transactions
BEGIN_OPTION = "targets_sqlite_begin"

# the page size of a SQLite database the store creates (existing databases keep theirs)
PAGE_SIZE = 16384


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()


def now() -> datetime:
    """The current time, timezone-aware (UTC): every stored timestamp."""
    return datetime.now(UTC)


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here (psycopg2 is not a dependency)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _private_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds password hashes); SQLite
    gives its -wal and -shm files the database file's mode. A file an earlier version left
    readable by others is made private, and the log says so."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except FileExistsError:
        pass
    for each in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            info = each.stat()
            if info.st_mode & 0o077 and info.st_uid == os.geteuid():
                os.chmod(each, 0o600)
                log.warning(
                    "%s was readable by other users (mode %o): made private (600)",
                    each,
                    stat.S_IMODE(info.st_mode),
                )
        except FileNotFoundError:
            continue


def make_engine(url: str) -> Engine:
    """An engine for `url`; on SQLite with the pragmas and transaction control the store relies on."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        _private_sqlite_file(Path(parsed.database))
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would BEGIN DEFERRED lazily),
        # so the "begin" listener decides between DEFERRED reads and IMMEDIATE writes.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        # 16 KiB pages for a database this connection creates (a 110,000-row import writes
        # about 0.07 s faster than with the default 4 KiB); it must come before WAL mode, which
        # writes the file's header. An existing database keeps its page size: SQLite ignores
        # this pragma once the file has one (and in WAL mode even VACUUM keeps it).
        cur.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        cur.execute("PRAGMA journal_mode = WAL")
        # 64 MB page cache (the default is 2 MB): the in-force query looks up one row per key
        cur.execute("PRAGMA cache_size = -65536")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front and queue on busy_timeout; a deferred transaction
        # that upgrades to a writer fails at once with "database is locked" instead of waiting.
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def add_missing_columns(conn: Connection, table: sa.Table) -> list[str]:
    """Add the columns of `table` that an existing database lacks (it was created by an earlier
    version); each needs a server default, which fills the rows already there. Returns their
    names. Callers hold the schema lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
    PostgreSQL), so two processes starting at once do not both add a column."""
    have = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    added = []
    for column in table.columns:
        if column.name in have:
            continue
        if column.server_default is None and not column.nullable:
            raise RuntimeError(f"{table.name}.{column.name}: a new column needs a server default")
        ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
        log.info("database upgraded: column %s.%s added", table.name, column.name)
        added.append(column.name)
    return added
