"""A columnar snapshot of the values in force per data version: an Arrow IPC file read by mapping it.

Reading 10 million values in force from the database takes seconds even as Arrow columns (the
SQLite driver spends about a microsecond a row, PostgreSQL's binary COPY about as much), and every
new process paid it again. The first full read of a data version writes the frame it produced to
a file; later reads of the same version map that file instead (a few hundred milliseconds).

A snapshot is served only for the exact state it was taken from. Its key is the store's data
version (import ids and reverts) plus a random token the store renews in the same transaction as
every change of the values in force (import, revert, rebuild, restore): a database dropped and
made again, a restore or a revert never meets an older file under its key, because tokens never
repeat. The key and the layout version are in the file itself and checked on every read; a
missing, stale, truncated or unreadable file means the database is read instead.

Where: `TARGETS_SNAPSHOT_DIR` (`off` turns snapshots off), else a directory beside a SQLite file
(`targets.db-columnar/`). PostgreSQL has no file of its own to sit beside: its snapshots are kept
only where `TARGETS_SNAPSHOT_DIR` names a directory (one every worker can read).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

# Bump when the frame's columns, dtypes or their meaning change: older files are then ignored.
LAYOUT_VERSION = "1"
_KEY_META = b"targets.snapshot.key"
_LAYOUT_META = b"targets.snapshot.layout"
_ROWS_META = b"targets.snapshot.rows"
_OFF = ("off", "none", "0", "false", "no")


def snapshot_dir(url: str) -> Path | None:
    """Where snapshots of the database at `url` live, or None where none are kept."""
    import sqlalchemy as sa

    env = os.environ.get("TARGETS_SNAPSHOT_DIR", "").strip()
    if env.lower() in _OFF:
        return None
    if env:
        return Path(env)
    parsed = sa.make_url(url)
    db = parsed.database
    if parsed.get_backend_name() != "sqlite" or not db or db == ":memory:":
        return None
    if db.startswith("file:"):
        return None  # a URI (shared memory in tests): no file to sit beside
    path = Path(db)
    return path.parent / f"{path.name}-columnar"


def _prefix(url: str) -> str:
    """The file-name prefix of one database: several may share a directory."""
    import sqlalchemy as sa

    ident = sa.make_url(url).render_as_string(hide_password=True)
    return "values-" + hashlib.sha256(ident.encode()).hexdigest()[:16] + "-"


def _path(directory: Path, url: str, key: str) -> Path:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return directory / f"{_prefix(url)}{digest}.arrow"


def exists(directory: Path, url: str, key: str) -> bool:
    """Whether a snapshot of `url` taken at `key` is on disk (a stat, nothing read)."""
    return _path(directory, url, key).is_file()


def load(directory: Path, url: str, key: str, dtypes: dict[str, str]) -> pd.DataFrame | None:
    """The snapshot of `url` taken at `key` as a frame with these dtypes, or None (then read
    the database): none there, another key or layout inside, or a file that cannot be read."""
    import pyarrow as pa

    from targets.columnar import frame_of

    path = _path(directory, url, key)
    try:
        source = pa.memory_map(str(path))
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("columnar snapshot %s cannot be opened (%s): reading the database", path, exc)
        return None
    try:
        reader = pa.ipc.open_file(source)
        meta = reader.schema.metadata or {}
        if meta.get(_KEY_META) != key.encode() or meta.get(_LAYOUT_META) != LAYOUT_VERSION.encode():
            # the name is a digest of the key; a file under it with another key was not ours
            log.warning("columnar snapshot %s holds another data version: not used", path)
            return None
        table = reader.read_all()
        if str(table.num_rows).encode() != meta.get(_ROWS_META):
            log.warning("columnar snapshot %s is incomplete: not used", path)
            return None
        return frame_of(_decoded(table), dtypes)
    except (pa.ArrowException, ValueError, OSError) as exc:
        log.warning("columnar snapshot %s cannot be read (%s): reading the database", path, exc)
        return None
    finally:
        source.close()


def save(directory: Path, url: str, key: str, frame: pd.DataFrame) -> Path | None:
    """Write `frame` as the snapshot of `url` at `key`, atomically, and remove that database's
    older snapshots; None (and a warning in the log) where it cannot be written."""
    import pyarrow as pa

    path = _path(directory, url, key)
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        table = _encoded(pa.Table.from_pandas(frame, preserve_index=False))
        table = table.replace_schema_metadata(
            {
                _KEY_META: key.encode(),
                _LAYOUT_META: LAYOUT_VERSION.encode(),
                _ROWS_META: str(table.num_rows).encode(),
            }
        )
        # written beside its final name and renamed: a reader sees the whole file or none
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".writing-", suffix=".arrow")
        # readable by whoever may read the SQLite file it copies (mkstemp's 0600 otherwise)
        os.fchmod(fd, _mode_of(url))
        with os.fdopen(fd, "wb") as out:
            with pa.ipc.new_file(out, table.schema) as writer:
                writer.write_table(table)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        tmp = None
    except (OSError, pa.ArrowException) as exc:
        log.warning("columnar snapshot not written to %s: %s", directory, exc)
        return None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    for old in directory.glob(f"{_prefix(url)}*.arrow"):
        if old != path:
            # a reader that mapped it keeps its pages until it is done (POSIX unlink)
            old.unlink(missing_ok=True)
    return path


def _mode_of(url: str) -> int:
    """The permission bits of the SQLite file at `url`, else owner read/write only."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        try:
            return Path(parsed.database).stat().st_mode & 0o666
        except OSError:
            pass
    return 0o600


def _encoded(table: Any) -> Any:
    """Text columns dictionary-encoded: a region id is stored once, not once per value."""
    import pyarrow as pa

    columns = [
        column.dictionary_encode()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def _decoded(table: Any) -> Any:
    """Dictionary columns back to plain text (one C++ pass per column)."""
    import pyarrow as pa

    columns = [
        column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)
