"""targets/users.py on a real SQLite file and on PostgreSQL: accounts, roles, and their audit."""

from __future__ import annotations

import pytest

from targets.store import Store
from targets.users import (
    ROLES,
    add_user,
    can_edit,
    delete_user,
    get_user,
    list_users,
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
    assert all("password_hash" not in u for u in list_users(store))

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
    assert ROLES == ("viewer", "editor", "admin")
    assert [r for r in ROLES if can_edit(r)] == ["editor", "admin"]
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
