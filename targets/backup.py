"""Backup and restore: a portable gzip JSON-lines dump of imports, observations, submissions (their
files in base64), users and audit.

`backup(store, path)` writes one consistent snapshot; `restore(store, path)` loads it into an
empty store in one transaction, ids kept, across backends (SQLite <-> PostgreSQL). The
values-in-force table is derived data: never dumped, rebuilt after a restore.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from targets.db import UTCDateTime, now
from targets.store import (
    CHUNK,
    Store,
    active_sha_index,
    audit_t,
    ensure_active_sha_unique,
    imports_t,
    observations_t,
)
from targets.submissions import submissions_t
from targets.users import user_regions_t, users_t

BACKUP_FORMAT = "yrd-targets-backup"
BACKUP_VERSION = 1
# backup order: parents before children, so a restore satisfies the foreign keys as it streams
_BACKUP_TABLES: tuple[sa.Table, ...] = (
    imports_t, observations_t, submissions_t, users_t, user_regions_t, audit_t,
)  # fmt: skip
_SERIAL_TABLES: tuple[sa.Table, ...] = (imports_t, submissions_t, audit_t)
# nullable columns added after version 1 dumps were written: absent from an older dump, NULL
# on restore (columns with a default take it instead)
_ADDED_COLUMNS: dict[str, frozenset[str]] = {observations_t.name: frozenset({"flag"})}


def backup(store: Store, path: Path | str) -> dict[str, int]:
    """Write a gzip JSON-lines dump (a header line, then one line per row); return row counts.

    The dump holds password hashes: it is written readable by its owner only, under a temporary
    name in the same folder, and renamed to `path` only when complete, so a failed backup (a
    full disk, a kill) leaves no partial file and any earlier backup at `path` intact.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as raw:
            gz = gzip.GzipFile(fileobj=raw, mode="wb", filename=target.name)
            # closing the text layer closes the gzip stream (writing its trailer), not `raw`
            with gz, io.TextIOWrapper(gz, encoding="utf-8") as out:
                counts = _write_dump(store, out)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return counts


def _write_dump(store: Store, out: io.TextIOBase) -> dict[str, int]:
    with store.engine.connect() as conn:
        if not store.is_sqlite:
            # one snapshot for every table, so the dump is consistent under concurrent writes
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            counts = {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in _BACKUP_TABLES
            }
            header = {
                "format": BACKUP_FORMAT,
                "version": BACKUP_VERSION,
                "created_at": now().isoformat(),
                "counts": counts,
            }
            out.write(json.dumps(header) + "\n")
            for table in _BACKUP_TABLES:
                order = list(table.primary_key.columns)
                result = conn.execution_options(yield_per=CHUNK).execute(
                    sa.select(table).order_by(*order)
                )
                for row in result:
                    line = {"table": table.name, "row": dict(row._mapping)}
                    out.write(json.dumps(line, ensure_ascii=False, default=_json_default) + "\n")
    return counts


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def restore(store: Store, path: Path | str) -> dict[str, int]:
    """Load a dump written by backup() into an EMPTY store, ids kept; one transaction.

    ValueError (nothing restored) for a non-empty database or a damaged or foreign file.
    """
    try:
        return _restore(store, path)
    except (sa.exc.IntegrityError, gzip.BadGzipFile, EOFError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not restored: {str(exc).splitlines()[0]}") from exc


def _restore(store: Store, path: Path | str) -> dict[str, int]:
    tables = {t.name: t for t in _BACKUP_TABLES}
    with store.write_transaction() as conn:
        for t in _BACKUP_TABLES:
            if conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first():
                raise ValueError(f"restore needs an empty database; table {t.name} has rows")
        # a dump of a database from before the index may hold one file in force twice: it
        # restores as it was, and the index comes back once one of them is reverted
        active_sha_index.drop(conn, checkfirst=True)
        with gzip.open(path, "rt", encoding="utf-8") as src:
            header = _read_header(src.readline())
            seen = dict.fromkeys(tables, 0)
            batch: list[dict[str, Any]] = []
            current: sa.Table | None = None
            for lineno, line in enumerate(src, start=2):
                rec = json.loads(line)
                table = tables.get(rec.get("table"))
                if table is None:
                    raise ValueError(f"{path}:{lineno}: unknown table {rec.get('table')!r}")
                if table is not current:
                    _flush(conn, current, batch)
                    current, batch = table, []
                batch.append(_decode_row(table, rec["row"]))
                seen[table.name] += 1
                if len(batch) >= CHUNK:
                    _flush(conn, current, batch)
                    batch = []
            _flush(conn, current, batch)
        # a dump from before a table existed has no count for it (and no rows)
        counted = {name: n for name, n in seen.items() if n or name in header["counts"]}
        if counted != header["counts"]:
            raise ValueError(f"{path}: truncated dump: rows {seen}, header says {header['counts']}")
        store.rebuild_in_force(conn)
        ensure_active_sha_unique(conn)
        if not store.is_sqlite:
            # ids were inserted explicitly: move the sequences past them or the next insert fails
            for t in _SERIAL_TABLES:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                        f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {t.name}"
                    )
                )
    return seen


def _read_header(line: str) -> dict[str, Any]:
    try:
        header = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a {BACKUP_FORMAT} file: {exc}") from exc
    if not isinstance(header, dict) or header.get("format") != BACKUP_FORMAT:
        raise ValueError(f"not a {BACKUP_FORMAT} file")
    if header.get("version") != BACKUP_VERSION:
        raise ValueError(f"backup version {header.get('version')} is not {BACKUP_VERSION}")
    return header


def _decode_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    # backup() writes every column: anything else is a damaged or foreign file, except columns
    # added since (they have a default) missing from an older version's dump
    added_since = {
        c.name: c.default.arg
        for c in table.columns
        if isinstance(c.default, sa.ColumnDefault) and c.default.is_scalar
    } | dict.fromkeys(_ADDED_COLUMNS.get(table.name, ()))
    wrong = sorted((set(row) ^ set(table.columns.keys())) - added_since.keys())
    if wrong:
        raise ValueError(f"table {table.name}: unknown or missing column(s) {wrong}")
    out = {**{k: v for k, v in added_since.items() if k not in row}, **row}
    for col in table.columns:
        if isinstance(col.type, UTCDateTime) and out.get(col.name) is not None:
            out[col.name] = datetime.fromisoformat(out[col.name])
        elif isinstance(col.type, sa.LargeBinary) and out.get(col.name) is not None:
            out[col.name] = base64.b64decode(out[col.name], validate=True)
    return out


def _flush(conn: Connection, table: sa.Table | None, batch: list[dict[str, Any]]) -> None:
    if table is not None and batch:
        conn.execute(table.insert(), batch)


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")  # a submitted file
    raise TypeError(f"cannot serialise {type(value).__name__}")
