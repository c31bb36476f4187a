"""targets/db.py: the SQLite database and its WAL files are private to their owner; a new
database has 16 KiB pages, an existing one keeps its own."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from targets import db
from targets.store import Store
from tests.test_store import FIRST, SECOND, in_force, write


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


def _page_size(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())


def test_a_new_database_has_16_kib_pages(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'new.db'}")
    write(store, FIRST, "first.csv")
    assert _page_size(store) == 16384
    assert in_force(store)[("rd_intensity", "shanghai", 2021)] == (4.21, 1)
    store.dispose()


def test_an_existing_database_keeps_its_page_size_and_its_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:
        m.setattr(db, "PAGE_SIZE", 4096)  # as versions before this one created it
        old = Store(f"sqlite:///{path}")
        write(old, FIRST, "first.csv")
        assert _page_size(old) == 4096
        old.dispose()
    store = Store(f"sqlite:///{path}")
    write(store, SECOND, "second.csv")
    assert _page_size(store) == 4096
    assert in_force(store) == {
        ("rd_intensity", "shanghai", 2020): (4.17, 1),
        ("rd_intensity", "shanghai", 2021): (4.30, 2),
        ("rd_intensity", "jiangsu", 2021): (2.95, 1),
        ("urbanisation", "anhui", 2021): (59.40, 2),
        ("urbanisation", "anhui", 2022): (60.15, 2),
    }
    store.dispose()
