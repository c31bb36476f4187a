"""targets/backup.py: a dump restored across backends gives the same frames; bad dumps are refused."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from targets.backup import backup, restore
from targets.store import Store
from targets.users import add_user, get_user
from tests.test_store import FIRST, SECOND, _run, frame, write


# -- backup and restore -------------------------------------------------------------------------
def _fill(store: Store) -> None:
    first = write(
        store, FIRST.assign(note=["页注 ①", None, "tab\there", 'quote "x"\nline']), "一.csv"
    )
    write(
        store,
        SECOND.assign(value=[1 / 3, 1e-300, 123456789.123456789], flag=["prelim", None, "approx"]),
        "second.csv",
    )
    store.revert(first, user="ana")
    add_user(store, "ana", "admin", "$argon2id$h")
    add_user(store, "bo", "editor", "$argon2id$h", regions=["anhui", "jiangsu"])


def _snapshot(store: Store) -> tuple[object, ...]:
    return (
        store.observations(in_force=False),
        store.observations(),
        [i.model_dump() for i in store.imports()],
        get_user(store, "ana"),
        get_user(store, "bo"),
        store.audit_log(),
    )


def _assert_same(a: tuple[object, ...], b: tuple[object, ...]) -> None:
    pd.testing.assert_frame_equal(a[0], b[0])  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a[1], b[1])  # type: ignore[arg-type]
    assert a[2] == b[2] and a[3] == b[3] and a[4] == b[4]
    pd.testing.assert_frame_equal(a[5], b[5])  # type: ignore[arg-type]


def test_backup_restore_round_trip_across_backends(
    sqlite_url: str, db_url: str, tmp_path: Path
) -> None:
    """Backup a SQLite database, restore it into SQLite and into PostgreSQL: the same frames."""
    source = Store(sqlite_url.replace("targets.db", "source.db"))
    _fill(source)
    dump = tmp_path / "dump.jsonl.gz"
    counts = backup(source, dump)
    assert counts == {
        "imports": 2, "observations": 7, "submissions": 0, "users": 2, "user_regions": 2,
        "audit": 5,
    }  # fmt: skip

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


def test_a_dump_from_before_flags_restores_with_no_flags(store: Store, tmp_path: Path) -> None:
    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    _fill(source)
    dump = tmp_path / "dump.gz"
    backup(source, dump)
    with gzip.open(dump, "rt") as src:
        records = [json.loads(line) for line in src]
    for rec in records[1:]:
        if rec.get("table") == "observations":
            del rec["row"]["flag"]  # as version 1 wrote it before the column existed
    old = tmp_path / "old.gz"
    with gzip.open(old, "wt") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    restore(store, old)
    got = store.observations(in_force=False)
    assert len(got) == 7 and got["flag"].isna().all()
    source.dispose()


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


def test_a_dump_from_before_session_tokens_restores_with_the_defaults(
    store: Store, tmp_path: Path
) -> None:
    """A dump an earlier version wrote has no `disabled` or `session_epoch` in its users' rows:
    they restore enabled, with the empty token (their old sessions are long gone anyway)."""
    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    _fill(source)
    dump = tmp_path / "dump.gz"
    backup(source, dump)
    source.dispose()
    with gzip.open(dump, "rt") as src:
        lines = [json.loads(line) for line in src]
    for rec in lines[1:]:
        if rec["table"] == "users":
            del rec["row"]["disabled"], rec["row"]["session_epoch"]
    with gzip.open(dump, "wt") as out:
        out.writelines(json.dumps(rec) + "\n" for rec in lines)
    restore(store, dump)
    ana = get_user(store, "ana")
    assert ana is not None
    assert (ana["role"], ana["disabled"], ana["session_epoch"]) == ("admin", False, "")


# -- private files; a failed backup leaves nothing behind ----------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_is_private(store: Store, tmp_path: Path, usual_umask: None) -> None:
    write(store, FIRST, "first.csv")
    dump = tmp_path / "dump.jsonl.gz"
    backup(store, dump)
    assert _mode(dump) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "dump" in p.name) == ["dump.jsonl.gz"]


# The child may write files of at most 256 KiB (RLIMIT_FSIZE): a backup larger than that fails
# in the middle with EFBIG, as it would on a full disk.
BACKUP_TOO_BIG = """
    import resource, signal, sys
    from targets.backup import backup
    from targets.store import Store

    store = Store(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))
    try:
        backup(store, sys.argv[2])
    except OSError as exc:
        print(exc.errno, exc.strerror)
        sys.exit(3)
"""


def test_a_failed_backup_leaves_no_partial_file_and_the_last_one_intact(
    db_url: str, tmp_path: Path
) -> None:
    import errno
    import random

    store = Store(db_url)
    write(store, FIRST, "first.csv")
    dump = tmp_path / "backups" / "targets.jsonl.gz"
    dump.parent.mkdir()
    backup(store, dump)
    good = dump.read_bytes()
    # enough rows that the next dump passes the child's file size limit (random digits do not
    # compress much)
    rnd = random.Random(7)
    big = frame(*[("load", f"r{i % 500}", 1000 + i // 500, rnd.random()) for i in range(30_000)])
    write(store, big, "big.csv")
    store.dispose()
    done = _run(BACKUP_TOO_BIG, db_url, str(dump))
    assert done.returncode == 3, done.stderr
    assert done.stdout.split()[0] == str(errno.EFBIG)
    assert [p.name for p in dump.parent.iterdir()] == ["targets.jsonl.gz"]  # no partial file
    assert dump.read_bytes() == good  # the earlier backup is as it was
    # and it still restores
    target = Store(f"sqlite:///{tmp_path / 'restored.db'}")
    assert restore(target, dump)["imports"] == 1
    target.dispose()


def test_a_submission_and_its_file_survive_backup_and_restore(
    sqlite_url: str, db_url: str, tmp_path: Path
) -> None:
    from targets.submissions import get_submission, submission_file, submit
    from tests.fixtures import build_fixture_db
    from tests.test_submissions import ANHUI

    source = build_fixture_db(sqlite_url.replace("targets.db", "source.db"))
    out = submit(source.store, source.catalogue, source.regions, [("a.csv", ANHUI)], user="ana")
    sid = out.ids["a.csv"]
    dump = tmp_path / "dump.jsonl.gz"
    assert backup(source.store, dump)["submissions"] == 1
    target = Store(db_url)
    restore(target, dump)
    assert submission_file(target, sid) == ("a.csv", ANHUI)
    got, want = get_submission(target, sid), get_submission(source.store, sid)
    assert got.diff.equals(want.diff) and got.to_dict() == want.to_dict()
    source.store.dispose()
    target.dispose()
