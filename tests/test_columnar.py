"""The columnar read of the values in force (targets.columnar) against the row-wise read, value by
value, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from targets import store as store_module
from targets.columnar import adbc_uri, read_frame
from targets.models import OBSERVATION_COLUMNS, OBSERVATION_DTYPES
from targets.store import Store


@pytest.fixture(autouse=True)
def _columnar_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stores here are small: read them the columnar way all the same."""
    monkeypatch.setattr(store_module, "COLUMNAR_MIN_ROWS", 0)


def _rows(n: int, seed: int) -> pd.DataFrame:
    """n rows whose unit is missing in the first 1,500 (more than the SQLite driver's first batch)
    and text after it, with notes in Chinese, quotes and empty strings among missing ones."""
    rng = np.random.default_rng(seed)
    k = np.arange(n)
    unit = np.where(k < 1500, None, np.where(k % 3 == 0, "亿元", "%")).astype(object)
    note = np.array([None, "", "初步核算", 'a "quoted", note'], dtype=object)[k % 4]
    return pd.DataFrame(
        {
            "indicator": np.where((k // 20) % 2 == 0, "gdp", "rd_intensity"),
            "region": [f"syn_{r:04d}" for r in k // 40],
            "year": 1990 + k % 20,
            "value": np.round(rng.normal(50, 30, n), 6),
            "unit": unit,
            "note": note,
            "flag": np.where(k % 5 == 0, "prelim", None).astype(object),
        }
    )


def _equal(store: Store) -> pd.DataFrame:
    columnar = store.observations()
    rows = store.observations(columnar=False)
    assert list(columnar.columns) == list(OBSERVATION_COLUMNS)
    assert {c: str(t) for c, t in columnar.dtypes.items()} == {
        c: str(t) for c, t in rows.dtypes.items()
    }
    assert {c: str(t) for c, t in columnar.dtypes.items()} == {
        c: str(pd.Series([], dtype=t).dtype) for c, t in OBSERVATION_DTYPES.items()
    }
    pd.testing.assert_frame_equal(columnar, rows, check_exact=True)
    return columnar


def test_columnar_read_equals_the_row_read_value_by_value(store: Store) -> None:
    assert store.observations().empty
    _equal(store)  # an empty store: the same empty columns
    first = _rows(6000, 1)
    store.write_import(first, file_name="a.csv", sha256="a" * 64)
    second = _rows(3000, 2).assign(value=lambda f: f["value"] + 1)  # revises half the keys
    second_id = store.write_import(second, file_name="b.csv", sha256="b" * 64)
    third = _rows(7000, 3).iloc[6000:]  # new keys only, then withdrawn
    third_id = store.write_import(third, file_name="c.csv", sha256="c" * 64)
    store.revert(third_id)

    got = _equal(store)
    assert len(got) == 6000
    first_key = got.iloc[0]
    assert (first_key["indicator"], first_key["region"], first_key["year"]) == (
        "gdp",
        "syn_0000",
        1990,
    )
    # a revised value: from the second import, exactly as written
    revised = got[(got["region"] == "syn_0010") & (got["year"] == 2000)].iloc[0]
    want = second[(second["region"] == "syn_0010") & (second["year"] == 2000)].iloc[0]
    assert revised["value"] == want["value"] and revised["import_id"] == second_id
    assert revised["indicator"] == want["indicator"]
    # missing text stays missing (NaN), empty text stays empty, Chinese survives
    assert got["unit"].isna().sum() == 1500
    assert set(got["unit"].dropna()) == {"亿元", "%"}
    assert set(got["note"].dropna()) == {"", "初步核算", 'a "quoted", note'}
    assert got["note"].isna().sum() == 1500
    assert set(got["flag"].dropna()) == {"prelim"}


def test_the_store_stays_whole_around_columnar_reads(sqlite_url: str) -> None:
    """The SQLite driver's own copy of SQLite, in this process, deleted the write-ahead log under
    the store's open connection ("disk I/O error"): it reads in a child process instead."""
    store = Store(sqlite_url)
    assert store.observations().empty
    for n in range(3):
        store.write_import(_rows(100, n), file_name=f"{n}.csv", sha256=f"{n}" * 64)
        assert len(store.observations()) == 100
    with store.read_transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert store.data_version() == "3:0"
    store.dispose()


def test_a_store_without_notes_or_units_reads_missing_text(store: Store) -> None:
    rows = _rows(50, 4).assign(unit=None, note=None)
    store.write_import(rows, file_name="a.csv", sha256="a" * 64)
    got = _equal(store)
    assert got["unit"].isna().all() and got["note"].isna().all()
    assert str(got["unit"].dtype) == str(pd.Series([], dtype="str").dtype)


def test_adbc_uri_names_the_same_database() -> None:
    assert adbc_uri("sqlite:///data/targets.db") == ("sqlite", "data/targets.db")
    assert adbc_uri("sqlite:////srv/t.db") == ("sqlite", "/srv/t.db")
    # each connection to an in-memory database is a database of its own: no columnar read
    assert adbc_uri("sqlite://") is None
    assert adbc_uri("sqlite:///:memory:") is None
    assert adbc_uri("sqlite:///file:mem?mode=memory&cache=shared&uri=true") is None
    assert adbc_uri("postgresql+psycopg://u:p%40ss@db.example:5433/t?sslmode=require") == (
        "postgresql",
        "postgresql://u:p%40ss@db.example:5433/t?sslmode=require",
    )
    assert adbc_uri("mysql://u@h/db") is None


def test_an_in_memory_store_reads_row_by_row() -> None:
    store = Store("sqlite://")
    store.write_import(_rows(10, 5), file_name="a.csv", sha256="a" * 64)
    assert len(store.observations()) == 10
    store.dispose()


def test_a_column_of_the_wrong_type_is_refused_by_name(tmp_path: Path) -> None:
    db = tmp_path / "odd.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (year, unit)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(2020, "%"), ("twenty", 3)])
    con.commit()
    con.close()
    with pytest.raises(ValueError, match="column year: read as string, a number expected"):
        read_frame("sqlite", str(db), "SELECT year FROM t WHERE year = 'twenty'", {"year": "int64"})
    with pytest.raises(ValueError, match="column unit: read as int64, text expected"):
        read_frame("sqlite", str(db), "SELECT unit FROM t WHERE unit = 3", {"unit": "str"})
    with pytest.raises(ValueError, match="column year: 1 missing values"):
        read_frame("sqlite", str(db), "SELECT NULL AS year", {"year": "int64"})
    with pytest.raises(ValueError, match="no column unit"):
        read_frame("sqlite", str(db), "SELECT year FROM t", {"unit": "str"})
    got = read_frame("sqlite", str(db), "SELECT year FROM t WHERE year = 2020", {"year": "int64"})
    assert got["year"].tolist() == [2020]


def test_a_small_store_is_read_row_by_row(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below COLUMNAR_MIN_ROWS no reader process is started: it would cost more than it saves."""
    monkeypatch.setattr(store_module, "COLUMNAR_MIN_ROWS", 101)

    def refuse(*_: object) -> pd.DataFrame:
        raise AssertionError("the columnar reader was started")

    monkeypatch.setattr(store_module, "read_frame", refuse)
    store = Store(sqlite_url)
    store.write_import(_rows(100, 1), file_name="a.csv", sha256="a" * 64)
    assert len(store.observations()) == 100
    store.write_import(_rows(101, 2).iloc[100:], file_name="b.csv", sha256="b" * 64)
    with pytest.raises(AssertionError, match="columnar reader was started"):
        store.observations()  # 101 rows stored: the columnar read
    store.dispose()
