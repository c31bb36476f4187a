"""The store on a real SQLite file and on PostgreSQL: vintages, revert, diff, the values in force,
atomic writes and concurrent importers (users: test_users.py, backup: test_backup.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from targets.models import OBSERVATION_COLUMNS
from targets.store import Store
from tests.conftest import together

ROOT = Path(__file__).resolve().parents[1]


def frame(*rows: tuple[str, str, int, float]) -> pd.DataFrame:
    """Import rows from (indicator, region, year, value) tuples, unit '%' and no note."""
    out = pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
    return out.assign(unit="%", note=None)


FIRST = frame(
    ("rd_intensity", "shanghai", 2020, 4.17),
    ("rd_intensity", "shanghai", 2021, 4.21),
    ("rd_intensity", "jiangsu", 2021, 2.95),
    ("urbanisation", "anhui", 2021, 59.39),
)
# revises two values of FIRST and adds one
SECOND = frame(
    ("rd_intensity", "shanghai", 2021, 4.30),
    ("urbanisation", "anhui", 2021, 59.40),
    ("urbanisation", "anhui", 2022, 60.15),
)


def in_force(store: Store) -> dict[tuple[str, str, int], tuple[float, int]]:
    """The values in force as {(indicator, region, year): (value, import_id)}."""
    obs = store.observations()
    return {
        (r.indicator, r.region, r.year): (r.value, r.import_id) for r in obs.itertuples(index=False)
    }


def write(store: Store, rows: pd.DataFrame, name: str, user: str = "ana") -> int:
    return store.write_import(rows, file_name=name, sha256=name.ljust(64, "0"), user=user)


# -- write and read ------------------------------------------------------------------------------
def test_write_and_read_one_import(store: Store) -> None:
    assert store.is_empty()
    assert store.data_version() == "0:0"
    before = datetime.now(UTC)
    rows = FIRST.assign(note=["yearbook 2022", None, None, None])
    import_id = store.write_import(
        rows,
        file_name="first.xlsx",
        sha256="a" * 64,
        sheets="Sheet1",
        layout="long",
        user="ana",
        note="first load",
        warnings=["rd_intensity/shanghai/2020 above the usual range"],
    )

    assert not store.is_empty()
    imp = store.get_import(import_id)
    assert (imp.id, imp.file_name, imp.sha256, imp.sheets, imp.layout) == (
        import_id,
        "first.xlsx",
        "a" * 64,
        "Sheet1",
        "long",
    )
    assert (imp.user, imp.rows, imp.state, imp.note) == ("ana", 4, "active", "first load")
    # a plain text (as stored before warnings were made in both languages) reads in either
    assert [(w.zh, w.en) for w in imp.warnings] == [
        ("rd_intensity/shanghai/2020 above the usual range",) * 2
    ]
    assert imp.created_at.utcoffset() == timedelta(0)
    assert before <= imp.created_at <= datetime.now(UTC)

    expected = pd.DataFrame(
        {
            "indicator": ["rd_intensity", "rd_intensity", "rd_intensity", "urbanisation"],
            "region": ["jiangsu", "shanghai", "shanghai", "anhui"],
            "year": [2021, 2020, 2021, 2021],
            "value": [2.95, 4.17, 4.21, 59.39],
            "unit": ["%", "%", "%", "%"],
            "note": [None, "yearbook 2022", None, None],
            "import_id": [import_id] * 4,
            "flag": [None] * 4,
        }
    ).astype({"note": "str", "flag": "str"})
    got = store.observations()
    assert tuple(got.columns) == OBSERVATION_COLUMNS
    pd.testing.assert_frame_equal(got, expected)
    assert str(got["year"].dtype) == "int64" and str(got["import_id"].dtype) == "int64"
    assert str(got["value"].dtype) == "float64"


def test_optional_columns_and_filters(store: Store) -> None:
    rows = FIRST[["indicator", "region", "year", "value"]]  # no unit, no note
    import_id = write(store, rows, "bare.csv")
    got = store.observations(indicators=["rd_intensity"], regions={"shanghai"})
    assert got[["year", "value"]].values.tolist() == [[2020, 4.17], [2021, 4.21]]
    assert got["unit"].isna().all() and got["note"].isna().all()
    assert got["import_id"].tolist() == [import_id, import_id]
    assert store.observations(indicators=[]).empty
    empty = store.observations(indicators=["nothing"])
    assert tuple(empty.columns) == OBSERVATION_COLUMNS and len(empty) == 0
    assert str(empty["year"].dtype) == "int64"


def test_repeated_key_is_refused(store: Store) -> None:
    rows = pd.concat([FIRST, FIRST.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="repeat"):
        write(store, rows, "twice.csv")
    assert store.is_empty()


# -- vintages ------------------------------------------------------------------------------------
def test_later_import_revises_values_in_force(store: Store) -> None:
    first = write(store, FIRST, "first.csv")
    second = write(store, SECOND, "second.csv")
    assert second > first
    assert in_force(store) == {
        ("rd_intensity", "jiangsu", 2021): (2.95, first),
        ("rd_intensity", "shanghai", 2020): (4.17, first),
        ("rd_intensity", "shanghai", 2021): (4.30, second),
        ("urbanisation", "anhui", 2021): (59.40, second),
        ("urbanisation", "anhui", 2022): (60.15, second),
    }


def test_revert_brings_back_previous_values(store: Store) -> None:
    first = write(store, FIRST, "first.csv")
    second = write(store, SECOND, "second.csv")
    version = store.data_version()
    store.revert(second, user="bo")

    assert store.data_version() != version
    assert store.get_import(second).state == "reverted"
    assert in_force(store) == {
        ("rd_intensity", "jiangsu", 2021): (2.95, first),
        ("rd_intensity", "shanghai", 2020): (4.17, first),
        ("rd_intensity", "shanghai", 2021): (4.21, first),
        ("urbanisation", "anhui", 2021): (59.39, first),
    }
    # the reverted vintage stays as history
    history = store.observations(["urbanisation"], in_force=False)
    assert list(history.columns) == [*OBSERVATION_COLUMNS, "state", "created_at"]
    assert history[["year", "value", "import_id", "state"]].values.tolist() == [
        [2021, 59.39, first, "active"],
        [2021, 59.40, second, "reverted"],
        [2022, 60.15, second, "reverted"],
    ]
    assert str(history["created_at"].dtype) == "datetime64[us, UTC]"

    # reverting the first too leaves nothing in force
    store.revert(first)
    assert store.observations().empty
    assert not store.is_empty()


def test_revert_twice_or_unknown(store: Store) -> None:
    first = write(store, FIRST, "first.csv")
    store.revert(first)
    with pytest.raises(ValueError, match="already reverted"):
        store.revert(first)
    with pytest.raises(KeyError):
        store.revert(first + 100)
    with pytest.raises(KeyError):
        store.get_import(first + 100)


def test_find_import_by_sha(store: Store) -> None:
    first = store.write_import(FIRST, file_name="a.csv", sha256="1" * 64)
    assert store.find_import_by_sha("2" * 64) is None
    found = store.find_import_by_sha("1" * 64)
    assert found is not None and found.id == first and found.file_name == "a.csv"
    store.revert(first)
    # a reverted upload may be imported again
    assert store.find_import_by_sha("1" * 64) is None


def test_diff_categories(store: Store) -> None:
    write(store, FIRST, "first.csv")
    prospective = frame(
        ("urbanisation", "anhui", 2021, 59.39),  # unchanged
        ("rd_intensity", "shanghai", 2021, 4.30),  # revised
        ("rd_intensity", "zhejiang", 2021, 3.0),  # new
    )
    got = store.diff(prospective)
    assert list(got.columns) == ["indicator", "region", "year", "old", "new", "change"]
    rows = [
        (r.indicator, r.region, r.year, None if pd.isna(r.old) else r.old, r.new, r.change)
        for r in got.itertuples(index=False)
    ]
    assert rows == [
        ("rd_intensity", "shanghai", 2021, 4.21, 4.30, "revised"),
        ("rd_intensity", "zhejiang", 2021, None, 3.0, "new"),
        ("urbanisation", "anhui", 2021, 59.39, 59.39, "unchanged"),
    ]


def test_diff_on_an_empty_store_is_all_new(store: Store) -> None:
    got = store.diff(FIRST)
    assert got["change"].tolist() == ["new"] * len(FIRST)
    assert got["old"].isna().all()
    assert got["new"].tolist() == [2.95, 4.17, 4.21, 59.39]  # sorted by indicator, region, year


def test_history_order_and_data_version(store: Store) -> None:
    ids = [write(store, FIRST, f"f{n}.csv") for n in range(3)]
    assert [i.id for i in store.imports()] == ids[::-1]
    assert [i.file_name for i in store.imports()] == ["f2.csv", "f1.csv", "f0.csv"]
    assert store.data_version() == f"{ids[-1]}:0"
    store.revert(ids[0])
    assert store.data_version() == f"{ids[-1]}:1"
    created = [i.created_at for i in store.imports()]
    assert created == sorted(created, reverse=True)


# -- the values-in-force table -------------------------------------------------------------------
def model_in_force(
    ops: list[tuple[str, int, pd.DataFrame | None]],
) -> dict[tuple[str, str, int], tuple[float, int]]:
    """The values in force by the definition: per key, the active import with the highest id."""
    reverted = {import_id for op, import_id, _ in ops if op == "revert"}
    out: dict[tuple[str, str, int], tuple[float, int]] = {}
    for _op, import_id, rows in sorted((o for o in ops if o[0] == "import"), key=lambda o: o[1]):
        if import_id in reverted or rows is None:
            continue
        for r in rows.itertuples(index=False):
            out[(r.indicator, r.region, r.year)] = (r.value, import_id)
    return out


def test_values_in_force_follow_imports_and_reverts_in_any_order(store: Store) -> None:
    """40 random imports and reverts over a small key space (so keys collide and vintages pile
    up): after each step the table equals the definition, computed here from scratch."""
    import random

    rng = random.Random(2019)
    keys = [
        (i, r, y)
        for i in ("a", "b")
        for r in ("yrd", "anhui", "jiangsu")
        for y in range(2018, 2024)
    ]
    ops: list[tuple[str, int, pd.DataFrame | None]] = []
    for step in range(40):
        active = [i for op, i, _ in ops if op == "import" and ("revert", i, None) not in ops]
        if active and rng.random() < 0.3:
            victim = rng.choice(active)
            store.revert(victim)
            ops.append(("revert", victim, None))
        else:
            chosen = rng.sample(keys, rng.randint(1, 8))
            rows = frame(*((i, r, y, float(rng.randint(0, 999))) for i, r, y in chosen))
            ops.append(("import", write(store, rows, f"s{step}.csv"), rows))
        assert in_force(store) == model_in_force(ops), f"after step {step}: {ops[-1][:2]}"
    assert any(op == "revert" for op, _, _ in ops)


def test_values_in_force_are_rebuilt_for_a_database_without_the_table(db_url: str) -> None:
    """A database written before the table existed gets it, derived from its vintages."""
    store = Store(db_url)
    first = write(store, FIRST, "first.csv")
    second = write(store, SECOND, "second.csv")
    store.revert(first)
    expected = in_force(store)
    # FIRST reverted: only SECOND's three values remain
    assert expected == {
        (r.indicator, r.region, r.year): (r.value, second) for r in SECOND.itertuples(index=False)
    }
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE values_in_force"))
    store.dispose()
    reopened = Store(db_url)
    assert in_force(reopened) == expected
    reopened.dispose()


def test_flags_are_stored_per_value_and_final_values_carry_none(store: Store) -> None:
    rows = FIRST.assign(flag=["prelim", "", None, "approx"])
    import_id = write(store, rows, "flagged.csv")
    got = store.observations().set_index(["region", "year"])["flag"]
    assert got[("shanghai", 2020)] == "prelim"
    assert got[("anhui", 2021)] == "approx"
    assert got.isna().sum() == 2  # "" and None are both a final value: NULL
    every = store.observations(in_force=False)
    assert every.loc[every["import_id"] == import_id, "flag"].notna().sum() == 2


def test_columns_without_content_are_stored_null_and_one_value_is_kept(store: Store) -> None:
    """unit, note and flag are left out of the insert when no row has one (bench: a third of
    SQLite's executemany): the values read back exactly as when they are bound one by one."""
    bare = FIRST.drop(columns=["unit", "note"]).assign(flag="")  # "" is a final value: NULL
    first = write(store, bare, "bare.csv")
    one_note = SECOND.assign(unit=[None, "%", None], note=[None, None, "revised"], flag=None)
    second = write(store, one_note, "one-note.csv")
    every = store.observations(in_force=False).set_index(["import_id", "region", "year"])
    assert every.loc[first, ["unit", "note", "flag"]].isna().all().all()
    assert len(every.loc[first]) == 4
    got = every.loc[second]
    assert got.loc[("anhui", 2021), "unit"] == "%" and pd.isna(got.loc[("anhui", 2022), "unit"])
    assert got.loc[("anhui", 2022), "note"] == "revised"
    assert got["note"].isna().sum() == 2 and got["flag"].isna().all()
    assert store.observations().set_index(["region", "year"]).loc[("anhui", 2022), "note"] == (
        "revised"
    )


@pytest.mark.parametrize("chunk", [50_000, 150])
def test_many_rows_per_statement_store_every_row_in_its_place(
    store: Store, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite inserts many rows per statement (at most 999 parameters): whole statements, the
    rest, and a chunk boundary inside a statement all store each row exactly, once."""
    import targets.store

    monkeypatch.setattr(targets.store, "CHUNK", chunk)
    n = 2 * (999 // 8) + 37  # eight columns: two whole statements and 37 rows more
    rows = pd.DataFrame(
        {
            "indicator": "rd_intensity",
            "region": [f"r{i:04d}" for i in range(n)],
            "year": [2000 + i % 25 for i in range(n)],
            "value": [i + 0.125 for i in range(n)],
            "unit": ["%" if i % 3 == 0 else None for i in range(n)],
            "note": [f"note {i}" if i % 7 == 0 else None for i in range(n)],
            "flag": ["prelim" if i % 5 == 0 else "" for i in range(n)],
        }
    )
    import_id = write(store, rows, "many.csv")
    got = store.observations(in_force=False).set_index("region").loc[rows["region"]]
    assert len(got) == n and (got["import_id"] == import_id).all()
    assert got["year"].tolist() == rows["year"].tolist()
    assert got["value"].tolist() == rows["value"].tolist()
    assert got["unit"].where(got["unit"].notna(), None).tolist() == rows["unit"].tolist()
    assert got["note"].where(got["note"].notna(), None).tolist() == rows["note"].tolist()
    flags = rows["flag"].replace("", None).tolist()
    assert got["flag"].where(got["flag"].notna(), None).tolist() == flags
    assert len(store.observations()) == n


def test_the_values_in_force_carry_no_index_by_import(db_url: str) -> None:
    """Nothing reads values_in_force by import: a new store creates no such index, and one an
    older version made is dropped when the store opens (each import paid for it)."""
    store = Store(db_url)
    write(store, FIRST, "first.csv")

    def indexed_columns() -> list[list[str]]:
        return [
            ix["column_names"] for ix in sa.inspect(store.engine).get_indexes("values_in_force")
        ]

    assert ["import_id"] not in indexed_columns()
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("CREATE INDEX ix_values_in_force_import_id ON values_in_force (import_id)")
        )
    assert ["import_id"] in indexed_columns()
    store.dispose()
    store = Store(db_url)
    assert ["import_id"] not in indexed_columns()
    write(store, SECOND, "second.csv")
    assert len(store.observations()) == 5
    store.dispose()


def test_a_database_without_the_flag_column_gains_it(db_url: str) -> None:
    """A database written before flags existed: the column is added, old values have none."""
    store = Store(db_url)
    write(store, FIRST, "first.csv")
    with store.engine.begin() as conn:
        for table in ("values_in_force", "observations"):
            conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN flag"))
    store.dispose()
    reopened = Store(db_url)
    got = reopened.observations()
    assert len(got) == 4 and got["flag"].isna().all()
    write(reopened, SECOND.assign(flag="prelim"), "second.csv")
    flagged = reopened.observations().set_index(["region", "year"])["flag"]
    assert flagged[("anhui", 2022)] == "prelim" and pd.isna(flagged[("shanghai", 2020)])
    reopened.dispose()


def test_gc_pause_nests_across_threads_and_keeps_a_disabled_collector_off() -> None:
    import gc

    from targets.store import _gc_paused

    assert gc.isenabled()
    inner_started, outer_done = threading.Event(), threading.Event()

    def inner() -> None:
        with _gc_paused():
            inner_started.set()
            outer_done.wait(5)
            assert not gc.isenabled()  # the other thread's exit must not resume it under us

    t = threading.Thread(target=inner)
    with _gc_paused():
        t.start()
        inner_started.wait(5)
    outer_done.set()
    t.join()
    assert gc.isenabled()

    gc.disable()
    try:
        with _gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- atomic writes ------------------------------------------------------------------------------
def test_write_failing_halfway_leaves_nothing(store: Store) -> None:
    write(store, FIRST, "first.csv")
    version = store.data_version()
    audit_rows = len(store.audit_log())
    # 2,000 good rows, then one the database refuses (NULL indicator): the import row and the
    # good rows were already sent inside the transaction when the last row fails
    good = frame(*[("gdp", "anhui", 1000 + y, float(y)) for y in range(2000)])
    null_last = pd.DataFrame([{"indicator": None, "region": "anhui", "year": 2023, "value": 1.0}])
    bad = pd.concat([good, null_last], ignore_index=True)
    with pytest.raises(ValueError, match="not stored"):
        write(store, bad, "bad.csv")
    assert store.data_version() == version
    assert [i.file_name for i in store.imports()] == ["first.csv"]
    assert len(store.observations(in_force=False)) == len(FIRST)
    assert len(store.audit_log()) == audit_rows
    # the store still works after the rollback
    assert write(store, SECOND, "second.csv") > 0


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


KILL_MID_WRITE = """
    import os, sys
    import pandas as pd
    from targets.store import Store

    store = Store(sys.argv[1])
    insert = Store._insert_observations

    def insert_then_die(self, conn, columns):
        insert(self, conn, columns)  # every row sent, nothing committed yet
        os._exit(9)

    Store._insert_observations = insert_then_die
    rows = pd.DataFrame({"indicator": ["x"] * 5000, "region": ["anhui"] * 5000,
                         "year": range(5000), "value": 1.0})
    store.write_import(rows, file_name="killed.csv", sha256="k" * 64)
"""


def test_killed_writer_leaves_no_partial_import(db_url: str) -> None:
    Store(db_url).dispose()  # the schema exists before the child starts
    done = _run(KILL_MID_WRITE, db_url)
    assert done.returncode == 9, done.stderr
    store = Store(db_url)
    assert store.is_empty()
    assert store.observations(in_force=False).empty
    assert store.audit_log().empty
    new_id = write(store, FIRST, "after.csv")
    # SQLite reuses the rolled-back id; a PostgreSQL sequence never goes back
    assert new_id == 1 if store.is_sqlite else new_id == 2
    store.dispose()


# -- concurrency --------------------------------------------------------------------------------
def worker_rows(worker: int) -> pd.DataFrame:
    """Every worker writes the same 200 shared keys (value = worker) and 50 keys of its own."""
    shared = [("shared", "yrd", 1900 + y, float(worker)) for y in range(200)]
    own = [(f"own_{worker}", "yrd", 2000 + y, worker + y / 100) for y in range(50)]
    return frame(*shared, *own)


def expected_in_force(store: Store) -> dict[tuple[str, str, int], tuple[float, int]]:
    """What importing the workers' files one by one, in import-id order, leaves in force."""
    out: dict[tuple[str, str, int], tuple[float, int]] = {}
    for imp in sorted(store.imports(), key=lambda i: i.id):
        worker = int(imp.file_name.removeprefix("worker_").removesuffix(".csv"))
        for r in worker_rows(worker).itertuples(index=False):
            out[(r.indicator, r.region, r.year)] = (r.value, imp.id)
    return out


def test_eight_threads_import_concurrently(store: Store) -> None:
    barrier = threading.Barrier(8)
    results: dict[int, int] = {}
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        rows = worker_rows(worker)
        barrier.wait()
        try:
            results[worker] = write(store, rows, f"worker_{worker}.csv")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(8)) and len(set(results.values())) == 8
    assert len(store.imports()) == 8
    assert in_force(store) == expected_in_force(store)
    assert len(store.audit_log()) == 8


WORKER = """
    import sys
    from test_store import worker_rows
    from targets.store import Store

    url, worker = sys.argv[1], int(sys.argv[2])
    store = Store(url)  # every process also races to create the tables
    store.write_import(worker_rows(worker), file_name=f"worker_{worker}.csv", sha256=str(worker) * 64)
    print(store.data_version())
"""


def test_eight_processes_import_into_one_sqlite_file(sqlite_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WORKER), sqlite_url, str(w)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in outputs]
    store = Store(sqlite_url)
    assert sorted(i.id for i in store.imports()) == list(range(1, 9))
    assert in_force(store) == expected_in_force(store)
    store.dispose()


def test_sqlite_pragmas(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"imports", "observations", "users", "audit"} <= names
    store.dispose()


# -- one file in force once, enforced by the database -------------------------------------------
def test_the_same_bytes_twice_are_refused_inside_the_write(store: Store) -> None:
    from targets.store import AlreadyImported

    first = store.write_import(FIRST, file_name="a.csv", sha256="1" * 64)
    with pytest.raises(AlreadyImported) as caught:
        store.write_import(SECOND, file_name="b.csv", sha256="1" * 64)
    assert caught.value.existing.id == first and caught.value.existing.file_name == "a.csv"
    assert [i.id for i in store.imports()] == [first]
    # reverting frees the bytes: the same file may come again, and is then in force once more
    store.revert(first)
    again = store.write_import(FIRST, file_name="a.csv", sha256="1" * 64)
    assert [(i.id, i.state) for i in store.imports()] == [(again, "active"), (first, "reverted")]


def test_the_database_itself_refuses_a_second_active_import_of_one_file(store: Store) -> None:
    """Even a writer that skips the store's check (another program, an older version) cannot
    put one file in force twice: a partial unique index on the active imports' sha256."""
    from targets.store import imports_t

    store.write_import(FIRST, file_name="a.csv", sha256="1" * 64)
    row = dict(file_name="b.csv", sha256="1" * 64, created_at=datetime.now(UTC), row_count=0)
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(imports_t.insert().values(**row, state="active"))
    with store.engine.begin() as conn:  # a reverted one with the same bytes is history, allowed
        conn.execute(imports_t.insert().values(**row, state="reverted"))
    assert len(store.imports()) == 2


def test_a_sqlite_store_loads_neither_the_postgresql_dialect_nor_psycopg(tmp_path: Path) -> None:
    # SQLAlchemy loads a whole dialect to check one of its options: the partial index's
    # PostgreSQL WHERE cost every SQLite command a tenth of a second (`targets import` most)
    probe = (
        "import sys; from targets.store import Store; s = Store(sys.argv[1]); "
        "s.write_import(__import__('pandas').DataFrame({'indicator': ['a'], 'region': ['b'], "
        "'year': [2020], 'value': [1.0]}), file_name='a.csv', sha256='1' * 64); "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy.dialects.postgresql', "
        "'psycopg'))))"
    )
    url = f"sqlite:///{tmp_path / 'targets.db'}"
    out = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
    assert len(Store(url).observations()) == 1


def test_the_active_file_index_is_partial_on_postgresql_too(store: Store) -> None:
    """The WHERE of the partial index is given to PostgreSQL when its store opens (the dialect
    is not loaded on SQLite): the index the database holds says it."""
    with store.engine.connect() as conn:
        if store.is_sqlite:
            sql = "SELECT sql FROM sqlite_master WHERE name = :n"
        else:
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = :n"
        (ddl,) = conn.execute(sa.text(sql), {"n": "uq_imports_active_sha256"}).one()
    assert "UNIQUE" in ddl.upper() and "WHERE" in ddl.upper() and "'active'" in ddl


def test_eight_threads_importing_one_file_store_it_once(store: Store) -> None:
    from targets.store import AlreadyImported

    outcomes = together(8, lambda: store.write_import(FIRST, file_name="same.csv", sha256="5" * 64))
    stored = [o for o in outcomes if isinstance(o, int)]
    refused = [o.existing.id for o in outcomes if isinstance(o, AlreadyImported)]
    assert len(stored) == 1 and refused == stored * 7, outcomes
    assert [i.id for i in store.imports()] == stored
    assert len(store.observations(in_force=False)) == len(FIRST)


def test_a_database_with_one_file_in_force_twice_says_so_and_is_enforced_once_reverted(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What the race left in databases of earlier versions: the store still opens, names the
    imports to revert, and makes the index once they are."""
    from targets.store import ACTIVE_SHA_INDEX, imports_t

    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"DROP INDEX {ACTIVE_SHA_INDEX}"))
    for name in ("a.csv", "b.csv"):
        with store.engine.begin() as conn:
            conn.execute(
                imports_t.insert().values(
                    file_name=name, sha256="1" * 64, created_at=datetime.now(UTC),
                    row_count=0, state="active",
                )
            )  # fmt: skip
    store.dispose()
    with caplog.at_level("WARNING", logger="targets.store"):
        store = Store(db_url)
    assert "the same file is in force twice (imports #1 and #2)" in caplog.text

    def indexed() -> bool:
        names = [ix["name"] for ix in sa.inspect(store.engine).get_indexes("imports")]
        return ACTIVE_SHA_INDEX in names

    assert not indexed()
    store.revert(2)
    store.dispose()
    store = Store(db_url)
    assert indexed()
    store.dispose()


def test_a_dump_with_one_file_in_force_twice_restores(db_url: str, tmp_path: Path) -> None:
    from targets.backup import backup, restore
    from targets.store import ACTIVE_SHA_INDEX, imports_t

    source = Store(f"sqlite:///{tmp_path / 'old.db'}")
    with source.engine.begin() as conn:
        conn.execute(sa.text(f"DROP INDEX {ACTIVE_SHA_INDEX}"))
        for name in ("a.csv", "b.csv"):
            conn.execute(
                imports_t.insert().values(
                    file_name=name, sha256="1" * 64, created_at=datetime.now(UTC),
                    row_count=0, state="active",
                )
            )  # fmt: skip
    backup(source, tmp_path / "dump.jsonl.gz")
    target = Store(db_url)
    assert restore(target, tmp_path / "dump.jsonl.gz")["imports"] == 2
    assert [i.file_name for i in target.imports()] == ["b.csv", "a.csv"]
    source.dispose()
    target.dispose()
