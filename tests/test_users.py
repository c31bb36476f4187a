"""targets/users.py on a real SQLite file and on PostgreSQL: accounts, roles, names, session
tokens, disabling, the upgrade of older databases, and their audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from targets.store import Store
from targets.users import (
    ROLES,
    add_user,
    can_edit,
    delete_user,
    end_sessions,
    get_user,
    list_users,
    set_disabled,
    set_password_hash,
    set_role,
)
from tests.test_store import FIRST, write


# -- users and their audit ----------------------------------------------------------------------------
def test_users_and_audit(store: Store) -> None:
    add_user(store, "ana", "editor", "$argon2id$hash1", by="root")
    with pytest.raises(ValueError, match="exists"):
        add_user(store, "ana", "viewer", "x")
    with pytest.raises(ValueError, match="role"):
        add_user(store, "bo", "owner", "x")
    add_user(store, "bo", "viewer", "$argon2id$hash2")

    ana = get_user(store, "ana")
    assert ana is not None
    assert (ana["name"], ana["role"], ana["password_hash"]) == ("ana", "editor", "$argon2id$hash1")
    assert ana["created_at"].tzinfo is not None
    assert get_user(store, "nobody") is None
    assert [(u["name"], u["role"]) for u in list_users(store)] == [
        ("ana", "editor"),
        ("bo", "viewer"),
    ]
    shown = {"name", "role", "disabled", "created_at", "regions"}  # no hash, no session token
    assert all(set(u) == shown for u in list_users(store))

    set_role(store, "bo", "admin", by="ana")
    set_password_hash(store, "bo", "$argon2id$hash3", by="bo")
    bo = get_user(store, "bo")
    assert bo is not None and (bo["role"], bo["password_hash"]) == ("admin", "$argon2id$hash3")
    with pytest.raises(ValueError):
        set_role(store, "bo", "owner")
    with pytest.raises(KeyError):
        set_role(store, "nobody", "admin")
    delete_user(store, "ana", by="bo")
    assert get_user(store, "ana") is None
    with pytest.raises(KeyError):
        delete_user(store, "ana")

    import_id = write(store, FIRST, "first.csv", user="bo")
    store.revert(import_id, user="bo")
    store.audit("login", "bo", "from 10.0.0.1")

    log = store.audit_log()
    assert list(log.columns) == ["id", "at", "user", "action", "detail"]
    assert log["action"].tolist() == [
        "login",
        "revert",
        "import",
        "user_delete",
        "user_password",
        "user_role",
        "user_add",
        "user_add",
    ]
    assert log["user"].tolist() == ["bo", "bo", "bo", "bo", "bo", "ana", "", "root"]
    assert log["id"].is_monotonic_decreasing
    assert str(log["at"].dtype) == "datetime64[us, UTC]"
    assert f"#{import_id} first.csv" in log["detail"].iloc[1]
    assert not any("argon2" in d for d in log["detail"])  # hashes never reach the log
    assert store.audit_log(limit=2)["action"].tolist() == ["login", "revert"]


def test_roles_and_who_may_edit() -> None:
    from targets.users import can_review

    assert ROLES == ("viewer", "editor", "reviewer", "admin")
    assert [r for r in ROLES if can_edit(r)] == ["editor", "admin"]
    assert [r for r in ROLES if can_review(r)] == ["reviewer", "admin"]
    assert not can_edit(None) and not can_edit("owner")


# -- editors limited to regions ---------------------------------------------------------------------
def test_an_editor_limited_to_regions_and_its_audit(store: Store) -> None:
    from targets.users import set_regions

    add_user(store, "ana", "editor", "h", regions=["jiangsu", "anhui", "anhui"], by="root")
    ana = get_user(store, "ana")
    assert ana is not None and ana["regions"] == ["anhui", "jiangsu"]
    add_user(store, "ed", "editor", "h")
    assert get_user(store, "ed")["regions"] == []  # type: ignore[index]
    with pytest.raises(ValueError, match="cannot be limited"):
        add_user(store, "root", "admin", "h", regions=["anhui"])
    assert get_user(store, "root") is None  # nothing of a refused account is stored
    set_regions(store, "ed", ["zhejiang"], by="root")
    set_regions(store, "ana", [], by="root")
    assert [(u["name"], u["regions"]) for u in list_users(store)] == [
        ("ana", []),
        ("ed", ["zhejiang"]),
    ]
    with pytest.raises(KeyError):
        set_regions(store, "nobody", ["anhui"])
    delete_user(store, "ed")
    add_user(store, "ed", "editor", "h")  # a new account of that name starts unlimited
    assert get_user(store, "ed")["regions"] == []  # type: ignore[index]
    details = store.audit_log()["detail"].tolist()
    assert "ana (editor, regions anhui,jiangsu)" in details
    assert "ed -> zhejiang" in details and "ana -> all regions" in details


def test_a_database_from_before_region_limits_gains_them(db_url: str) -> None:
    import sqlalchemy as sa

    old = Store(db_url)
    add_user(old, "ana", "editor", "h")
    with old.write_transaction() as conn:
        conn.execute(sa.text("DROP TABLE user_regions"))
    old.dispose()
    store = Store(db_url)  # opening it creates the table
    from targets.users import set_regions

    set_regions(store, "ana", ["anhui"])
    assert get_user(store, "ana")["regions"] == ["anhui"]  # type: ignore[index]
    store.dispose()


# -- names -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (" padded", "starts or ends with spaces.*use 'padded'"),
        ("padded\t", "starts or ends with spaces"),
        ("", "cannot be empty"),
        ("a" * 65, "at most 64 characters"),
        ("ana\x1b[2J", "control or invisible.*U\\+001B"),
        ("a\u200bna", "U\\+200B"),  # zero-width space: looks like "ana"
    ],
)
def test_a_name_that_could_not_log_in_or_would_forge_output_is_refused(
    store: Store, name: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        add_user(store, name, "viewer", "$argon2id$hash")
    assert list_users(store) == []
    assert store.audit_log().empty


def test_names_differing_only_in_case_or_width_are_one_name(store: Store) -> None:
    add_user(store, "Ana", "viewer", "$argon2id$hash")
    for other in ("ana", "ANA", "Ａna"):  # the last with a full-width Ａ
        with pytest.raises(ValueError, match="too like the existing user 'Ana'"):
            add_user(store, other, "viewer", "$argon2id$hash")
    add_user(store, "王芳", "editor", "$argon2id$hash")  # any script is a name
    assert [u["name"] for u in list_users(store)] == ["Ana", "王芳"]


# -- session tokens and disabling ---------------------------------------------------------------
def _epoch(store: Store, name: str) -> str:
    row = get_user(store, name)
    assert row is not None
    return str(row["session_epoch"])


def test_every_change_that_must_end_sessions_draws_a_new_token(store: Store) -> None:
    add_user(store, "ana", "editor", "$argon2id$hash1")
    add_user(store, "bo", "editor", "$argon2id$hash2")
    seen = [_epoch(store, "ana")]
    assert len(seen[0]) == 32 and seen[0] != _epoch(store, "bo")
    for change in (
        lambda: end_sessions(store, "ana", by="ana", action="logout", detail="from 10.0.0.1"),
        lambda: set_password_hash(store, "ana", "$argon2id$hash3", by="ana"),
        lambda: set_role(store, "ana", "viewer", by="root"),
        lambda: set_disabled(store, "ana", True, by="root"),
    ):
        change()
        assert _epoch(store, "ana") not in seen
        seen.append(_epoch(store, "ana"))
    row = get_user(store, "ana")
    assert row is not None and row["disabled"] is True
    set_disabled(store, "ana", False, by="root")
    row = get_user(store, "ana")
    assert row is not None and row["disabled"] is False
    assert _epoch(store, "ana") == seen[-1]  # enabling opens no session by itself
    assert _epoch(store, "bo") not in seen  # another account's sessions were left alone
    log = store.audit_log()
    assert list(zip(log["action"], log["user"], log["detail"], strict=True))[:5] == [
        ("user_enable", "root", "ana"),
        ("user_disable", "root", "ana"),
        ("user_role", "root", "ana -> viewer"),
        ("user_password", "ana", "ana"),
        ("logout", "ana", "from 10.0.0.1"),
    ]
    with pytest.raises(KeyError):
        set_disabled(store, "nobody", True)
    with pytest.raises(KeyError):
        end_sessions(store, "nobody", by="x", action="logout", detail="")


def test_a_recreated_account_does_not_inherit_the_old_sessions(store: Store) -> None:
    add_user(store, "ana", "editor", "$argon2id$hash1")
    old = _epoch(store, "ana")
    delete_user(store, "ana", by="root")
    add_user(store, "ana", "editor", "$argon2id$hash1")
    assert _epoch(store, "ana") != old


_OLD_USERS_DDL = (
    "CREATE TABLE users (name VARCHAR(200) PRIMARY KEY, role VARCHAR(16) NOT NULL, "
    "password_hash TEXT NOT NULL, created_at {ts} NOT NULL, "
    "CONSTRAINT ck_users_role CHECK (role IN ('viewer', 'editor', 'admin')))"
)


def test_a_database_from_before_session_tokens_is_upgraded(db_url: str) -> None:
    """The users table of an earlier version gains the new columns; its accounts keep working."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    ts = "TIMESTAMP" if db_url.startswith("sqlite") else "TIMESTAMP WITH TIME ZONE"
    with engine.begin() as conn:
        conn.execute(sa.text(_OLD_USERS_DDL.format(ts=ts)))
        conn.execute(
            sa.text(
                "INSERT INTO users VALUES ('ana', 'editor', '$argon2id$old', '2025-01-02 03:04:05')"
            )
        )
    engine.dispose()
    store = Store(db_url)
    try:
        row = get_user(store, "ana")
        assert row is not None
        assert (row["role"], row["disabled"], row["session_epoch"]) == ("editor", False, "")
        set_disabled(store, "ana", True, by="root")
        row = get_user(store, "ana")
        assert row is not None and row["disabled"] is True and len(row["session_epoch"]) == 32
        add_user(store, "bo", "viewer", "$argon2id$new")
        Store(db_url).dispose()  # opening it again finds nothing left to add
        assert [u["name"] for u in list_users(store)] == ["ana", "bo"]
    finally:
        store.dispose()


def test_a_database_from_before_the_reviewer_role_is_given_it(db_url: str) -> None:
    """The users table of an older database checks role IN (viewer, editor, admin): opening it
    upgrades the check (PostgreSQL alters it, SQLite rebuilds the table), accounts kept."""
    import sqlalchemy as sa

    old = Store(db_url)
    add_user(old, "ana", "editor", "$argon2id$h1")
    old_check = "role IN ('viewer', 'editor', 'admin')"
    with old.write_transaction() as conn:
        if old.is_sqlite:
            conn.execute(sa.text("ALTER TABLE users RENAME TO users_new"))
            conn.execute(
                sa.text(
                    "CREATE TABLE users (name VARCHAR(200) NOT NULL, role VARCHAR(16) NOT NULL, "
                    "password_hash TEXT NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (name), "
                    f"CONSTRAINT ck_users_role CHECK ({old_check}))"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO users SELECT name, role, password_hash, created_at FROM users_new"
                )
            )
            conn.execute(sa.text("DROP TABLE users_new"))
        else:
            conn.execute(sa.text("ALTER TABLE users DROP CONSTRAINT ck_users_role"))
            conn.execute(
                sa.text(f"ALTER TABLE users ADD CONSTRAINT ck_users_role CHECK ({old_check})")
            )
    with pytest.raises(sa.exc.IntegrityError), old.write_transaction() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (name, role, password_hash, created_at) "
                "VALUES ('rita', 'reviewer', 'h', '2020-01-01 00:00:00')"
            )
        )
    old.dispose()

    store = Store(db_url)
    add_user(store, "rita", "reviewer", "h")
    ana = get_user(store, "ana")
    assert ana is not None and (ana["role"], ana["password_hash"]) == ("editor", "$argon2id$h1")
    assert [u["name"] for u in list_users(store)] == ["ana", "rita"]
    # the check is still there, with the new role
    with pytest.raises(sa.exc.IntegrityError), store.write_transaction() as conn:
        conn.execute(sa.text("UPDATE users SET role = 'owner' WHERE name = 'ana'"))
    store.dispose()
    Store(db_url).dispose()  # opening it again finds nothing to upgrade
