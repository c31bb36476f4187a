"""targets/db.py: the SQLite database and its WAL files are private to their owner."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from targets.store import Store
from tests.test_store import FIRST, write


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_database_and_its_wal_files_are_private(tmp_path: Path, usual_umask: None) -> None:
    folder = tmp_path / "new" / "data"
    store = Store(f"sqlite:///{folder / 'targets.db'}")
    write(store, FIRST, "first.csv")
    files = {p.name: _mode(p) for p in folder.iterdir()}
    assert files == {"targets.db": 0o600, "targets.db-wal": 0o600, "targets.db-shm": 0o600}
    assert _mode(folder) == 0o700  # the folder it made for the database
    store.dispose()


def test_a_database_left_readable_by_others_is_made_private(
    tmp_path: Path, usual_umask: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.db"
    Store(f"sqlite:///{path}").dispose()
    os.chmod(path, 0o644)  # as versions before this one created it
    with caplog.at_level("WARNING", logger="targets.store"):
        Store(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600
    assert "readable by other users (mode 644)" in caplog.text
