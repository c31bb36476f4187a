"""The columnar snapshot of the values in force (targets.snapshot): served only for the exact state
it was taken from, equal to the row-wise read value by value, on a SQLite file and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from targets import snapshot
from targets import store as store_module
from targets.models import OBSERVATION_DTYPES
from targets.store import Store
from tests.test_columnar import _rows


@pytest.fixture(autouse=True)
def _snapshots_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Small stores read the columnar way, with their snapshots in this test's directory."""
    monkeypatch.setattr(store_module, "COLUMNAR_MIN_ROWS", 0)
    where = tmp_path / "snapshots"
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", str(where))
    return where


def _files(where: Path) -> list[Path]:
    return sorted(where.glob("values-*.arrow"))


def _no_database_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on a columnar read of the database fails the test: only a snapshot can answer."""

    def refuse(*_: object) -> pd.DataFrame:
        raise AssertionError("the database was read")

    monkeypatch.setattr(store_module, "read_frame", refuse)


def _same_as_rows(store: Store) -> pd.DataFrame:
    got = store.observations()
    pd.testing.assert_frame_equal(got, store.observations(columnar=False), check_exact=True)
    return got


def _poison(where: Path, store: Store, key: str) -> None:
    """Overwrite the snapshot kept for `key` with values that no state of the store ever had."""
    bad = store.observations(columnar=False).assign(value=-1.0)
    assert snapshot.save(where, store.url, key, bad) is not None


def test_a_snapshot_answers_the_next_read_value_by_value(
    db_url: str, _snapshots_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url)
    store.write_import(_rows(6000, 1), file_name="a.csv", sha256="a" * 64)
    store.write_import(
        _rows(3000, 2).assign(value=lambda f: f["value"] + 1), file_name="b.csv", sha256="b" * 64
    )
    assert _files(_snapshots_in_tmp) == []
    first = _same_as_rows(store)  # read from the database, then kept
    (kept,) = _files(_snapshots_in_tmp)
    if db_url.startswith("sqlite"):
        # whoever may read the database may read its snapshot, no one else
        db_mode = Path(db_url.removeprefix("sqlite:///")).stat().st_mode & 0o777
        assert kept.stat().st_mode & 0o777 == db_mode & 0o666
    else:
        assert kept.stat().st_mode & 0o777 == 0o600
    _no_database_read(monkeypatch)
    again = Store(db_url)  # another worker: nothing in memory
    got = again.observations()
    pd.testing.assert_frame_equal(got, first, check_exact=True)
    pd.testing.assert_frame_equal(got, again.observations(columnar=False), check_exact=True)
    assert {c: str(t) for c, t in got.dtypes.items()} == {
        c: str(pd.Series([], dtype=t).dtype) for c, t in OBSERVATION_DTYPES.items()
    }
    assert got["unit"].isna().sum() == 1500 and set(got["flag"].dropna()) == {"prelim"}
    assert set(got["note"].dropna()) == {"", "初步核算", 'a "quoted", note'}
    again.dispose()
    store.dispose()


def test_a_stale_snapshot_is_never_served_after_an_import_or_a_revert(
    db_url: str, _snapshots_in_tmp: Path
) -> None:
    store = Store(db_url)
    store.write_import(_rows(4000, 1), file_name="a.csv", sha256="a" * 64)
    before = _same_as_rows(store)
    old_key = store.snapshot_key()
    # were the old state's file served for a later state, these values would show
    _poison(_snapshots_in_tmp, store, old_key)
    revision = _rows(4000, 1).iloc[:2000].assign(value=lambda f: f["value"] * 2)
    second = store.write_import(revision, file_name="b.csv", sha256="b" * 64)
    assert store.snapshot_key() != old_key
    after_import = _same_as_rows(store)
    key = ["indicator", "region", "year"]
    revised = after_import.merge(revision[[*key, "value"]], on=key, suffixes=("", "_new"))
    assert len(revised) == 2000 and (revised["value"] == revised["value_new"]).all()
    assert (after_import["value"] != -1.0).all()
    assert _files(_snapshots_in_tmp) != []  # the new state's, the old one removed
    _poison(_snapshots_in_tmp, store, store.snapshot_key())
    store.revert(second)
    # the same values as the first state, under a key neither earlier file carries
    assert store.snapshot_key() != old_key
    reverted = _same_as_rows(store)
    pd.testing.assert_frame_equal(reverted, before, check_exact=True)
    store.dispose()


def test_snapshot_ready_says_whether_a_full_read_maps_a_snapshot(
    db_url: str, _snapshots_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url)
    store.write_import(_rows(3000, 1), file_name="a.csv", sha256="a" * 64)
    version = store.data_version()
    assert not store.snapshot_ready()  # nothing read yet: the next full read is the database's
    store.observations()
    assert store.snapshot_ready() and store.snapshot_ready(version)
    assert not store.snapshot_ready("0:0")  # kept for this state, not for another version
    store.write_import(_rows(1000, 2), file_name="b.csv", sha256="b" * 64)
    assert not store.snapshot_ready()  # the new state has none until it is read once
    store.observations()
    assert store.snapshot_ready() and not store.snapshot_ready(version)
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", "off")
    assert not store.snapshot_ready()
    store.dispose()


def _made_again(db_url: str) -> Store:
    """The database at db_url dropped and created again, empty."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        for leftover in path.parent.glob(path.name + "*"):
            if leftover.is_file():
                leftover.unlink()
    else:
        from tests.conftest import _reset_pg

        _reset_pg(db_url)
    return Store(db_url)


def test_a_database_made_again_never_meets_the_old_snapshot(
    db_url: str, _snapshots_in_tmp: Path
) -> None:
    """Dropped and created again, a database reaches the same data version ("1:0") with other
    values: the token renewed with each change keeps the old file from answering."""
    store = Store(db_url)
    store.write_import(_rows(3000, 1), file_name="a.csv", sha256="a" * 64)
    _same_as_rows(store)
    old_key = store.snapshot_key()
    _poison(_snapshots_in_tmp, store, old_key)
    store.dispose()
    fresh = _made_again(db_url)
    fresh.write_import(_rows(3000, 1), file_name="a.csv", sha256="a" * 64)
    assert fresh.data_version() == "1:0"
    assert fresh.snapshot_key() != old_key
    got = _same_as_rows(fresh)
    assert (got["value"] != -1.0).all()
    fresh.dispose()


def test_a_restore_never_meets_the_old_snapshot(
    db_url: str, _snapshots_in_tmp: Path, tmp_path: Path
) -> None:
    """A dump restored into a database made again: the same data version as before, other values."""
    from targets.backup import backup, restore

    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    source.write_import(_rows(2000, 7), file_name="s.csv", sha256="s" * 64)
    dump = tmp_path / "dump.jsonl.gz"
    backup(source, dump)
    want = source.observations(columnar=False)
    source.dispose()
    store = Store(db_url)
    store.write_import(_rows(2000, 1), file_name="a.csv", sha256="a" * 64)
    _same_as_rows(store)
    key = store.snapshot_key()
    _poison(_snapshots_in_tmp, store, key)
    store.dispose()
    fresh = _made_again(db_url)
    restore(fresh, dump)
    assert fresh.data_version() == "1:0" and fresh.snapshot_key() != key
    got = _same_as_rows(fresh)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    fresh.dispose()


def test_a_change_during_the_read_keeps_no_snapshot(
    sqlite_url: str, _snapshots_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import committed while the database is read: the frame may be either state, so it is
    kept under neither key."""
    store = Store(sqlite_url)
    store.write_import(_rows(1000, 1), file_name="a.csv", sha256="a" * 64)
    real = store_module.read_frame

    def read_then_import(*args: object) -> pd.DataFrame:
        frame = real(*args)  # type: ignore[arg-type]
        other = Store(sqlite_url)
        other.write_import(_rows(2000, 2).iloc[1000:], file_name="b.csv", sha256="b" * 64)
        other.dispose()
        return frame

    monkeypatch.setattr(store_module, "read_frame", read_then_import)
    assert len(store.observations()) == 1000
    assert _files(_snapshots_in_tmp) == []
    monkeypatch.setattr(store_module, "read_frame", real)
    assert len(_same_as_rows(store)) == 2000
    store.dispose()


def test_a_damaged_snapshot_means_the_database_is_read(
    sqlite_url: str, _snapshots_in_tmp: Path
) -> None:
    store = Store(sqlite_url)
    store.write_import(_rows(3000, 1), file_name="a.csv", sha256="a" * 64)
    _same_as_rows(store)
    (kept,) = _files(_snapshots_in_tmp)
    kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])  # truncated
    assert len(_same_as_rows(store)) == 3000
    (kept,) = _files(_snapshots_in_tmp)
    # a file under the right name whose key inside is another's (copied by hand, say)
    other = snapshot.save(_snapshots_in_tmp, store.url, "9:9/other", store.observations())
    assert other is not None and not kept.exists()  # a database keeps one snapshot
    other.rename(kept)
    assert snapshot.load(_snapshots_in_tmp, store.url, store.snapshot_key(), {}) is None
    assert len(_same_as_rows(store)) == 3000
    store.dispose()


def test_where_snapshots_live(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETS_SNAPSHOT_DIR")
    assert snapshot.snapshot_dir("sqlite:////srv/t/targets.db") == Path(
        "/srv/t/targets.db-columnar"
    )
    assert snapshot.snapshot_dir("sqlite://") is None
    assert snapshot.snapshot_dir("sqlite:///file:m?mode=memory&uri=true") is None
    # PostgreSQL has no file to sit beside: only where a directory is configured
    assert snapshot.snapshot_dir("postgresql+psycopg://u@h/db") is None
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", "/srv/cache")
    assert snapshot.snapshot_dir("postgresql+psycopg://u@h/db") == Path("/srv/cache")
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", "off")
    assert snapshot.snapshot_dir("sqlite:////srv/t/targets.db") is None


def test_snapshots_off_writes_no_file(
    sqlite_url: str, _snapshots_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_SNAPSHOT_DIR", "off")
    store = Store(sqlite_url)
    store.write_import(_rows(500, 1), file_name="a.csv", sha256="a" * 64)
    _same_as_rows(store)
    assert not _snapshots_in_tmp.exists()
    assert not list(Path(sqlite_url.removeprefix("sqlite:///")).parent.glob("*-columnar"))
    store.dispose()
