"""targets/backup.py: a dump restored across backends gives the same frames; bad dumps are refused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from targets.backup import backup, restore
from targets.store import Store
from targets.users import add_user, get_user
from tests.test_store import FIRST, SECOND, write


# -- backup and restore -------------------------------------------------------------------------
def _fill(store: Store) -> None:
    first = write(
        store, FIRST.assign(note=["页注 ①", None, "tab\there", 'quote "x"\nline']), "一.csv"
    )
    write(store, SECOND.assign(value=[1 / 3, 1e-300, 123456789.123456789]), "second.csv")
    store.revert(first, user="ana")
    add_user(store, "ana", "admin", "$argon2id$h")


def _snapshot(store: Store) -> tuple[object, ...]:
    return (
        store.observations(in_force=False),
        store.observations(),
        [i.model_dump() for i in store.imports()],
        get_user(store, "ana"),
        store.audit_log(),
    )


def _assert_same(a: tuple[object, ...], b: tuple[object, ...]) -> None:
    pd.testing.assert_frame_equal(a[0], b[0])  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a[1], b[1])  # type: ignore[arg-type]
    assert a[2] == b[2] and a[3] == b[3]
    pd.testing.assert_frame_equal(a[4], b[4])  # type: ignore[arg-type]


def test_backup_restore_round_trip_across_backends(
    sqlite_url: str, db_url: str, tmp_path: Path
) -> None:
    """Backup a SQLite database, restore it into SQLite and into PostgreSQL: the same frames."""
    source = Store(sqlite_url.replace("targets.db", "source.db"))
    _fill(source)
    dump = tmp_path / "dump.jsonl.gz"
    counts = backup(source, dump)
    assert counts == {"imports": 2, "observations": 7, "users": 1, "audit": 4}

    target = Store(db_url)
    assert restore(target, dump) == counts
    _assert_same(_snapshot(source), _snapshot(target))
    assert target.data_version() == source.data_version()

    # ids continue after the restored ones (PostgreSQL sequences were advanced)
    assert write(target, FIRST, "after.csv") == 3
    target.audit("check", "", "")
    assert target.audit_log(limit=1)["id"].tolist() == [counts["audit"] + 2]

    with pytest.raises(ValueError, match="empty"):
        restore(target, dump)
    source.dispose()
    target.dispose()


def test_backup_from_postgresql_restores_into_sqlite(
    db_url: str, sqlite_url: str, tmp_path: Path
) -> None:
    source = Store(db_url)
    _fill(source)
    dump = tmp_path / "dump.jsonl.gz"
    backup(source, dump)
    target = Store(sqlite_url.replace("targets.db", "target.db"))
    restore(target, dump)
    _assert_same(_snapshot(source), _snapshot(target))
    source.dispose()
    target.dispose()


def test_restore_refuses_foreign_or_truncated_files(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gz"
    with gzip.open(bad, "wt") as out:
        out.write('{"format": "something-else"}\n')
    with pytest.raises(ValueError, match="not a"):
        restore(store, bad)

    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    _fill(source)
    dump = tmp_path / "dump.gz"
    backup(source, dump)
    with gzip.open(dump, "rt") as src:
        lines = src.readlines()
    with gzip.open(bad, "wt") as out:
        out.writelines(lines[:-1])
    with pytest.raises(ValueError, match="truncated"):
        restore(store, bad)
    with gzip.open(bad, "wt") as out:
        out.writelines([*lines[:-1], '{"table": "audit", "row": {"id": 99}}\n'])
    with pytest.raises(ValueError, match="missing column"):
        restore(store, bad)
    row = {"id": 99, "at": None, "user_name": "", "action": "x", "detail": ""}
    with gzip.open(bad, "wt") as out:
        out.writelines([*lines[:-1], json.dumps({"table": "audit", "row": row}) + "\n"])
    with pytest.raises(ValueError, match="not restored"):  # NULL time: the database refuses
        restore(store, bad)
    bad.write_bytes(b"plain text, not gzip")
    with pytest.raises(ValueError, match="not restored"):
        restore(store, bad)
    assert store.is_empty() and get_user(store, "ana") is None  # the partial restore rolled back
    source.dispose()
