"""Accounts and roles: the users table, ROLES, and the functions that add, read and change users.

Functions over a `Store` (its transactions and audit log): every change of an account is audited
in the same transaction. Password hashing lives in targets.passwords; web sessions in
dashboard.sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from targets.db import UTCDateTime, metadata, now

if TYPE_CHECKING:
    from targets.store import Store

# the one list of roles: the table's check constraint, the CLI's choices and can_edit read it
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
EDITING_ROLES: tuple[str, ...] = ("editor", "admin")

users_t = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint(
        "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="ck_users_role"
    ),
)


def can_edit(role: str | None) -> bool:
    """Whether a role may upload and revert."""
    return role in EDITING_ROLES


def add_user(store: Store, name: str, role: str, password_hash: str, *, by: str = "") -> None:
    """A new account; ValueError for a taken name or a role not in ROLES."""
    _check_role(role)
    with store.write_transaction() as conn:
        if _user_exists(conn, name):
            raise ValueError(f"user {name!r} exists")
        conn.execute(
            users_t.insert().values(
                name=name, role=role, password_hash=password_hash, created_at=now()
            )
        )
        store.audit("user_add", by, f"{name} ({role})", conn=conn)


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    """name, role, password_hash, created_at; None for an unknown name."""
    with store.read_transaction() as conn:
        row = conn.execute(sa.select(users_t).where(users_t.c.name == name)).first()
    return None if row is None else dict(row._mapping)


def list_users(store: Store) -> list[dict[str, Any]]:
    """Every account by name, without password hashes."""
    stmt = sa.select(users_t.c.name, users_t.c.role, users_t.c.created_at).order_by(users_t.c.name)
    with store.read_transaction() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def set_role(store: Store, name: str, role: str, *, by: str = "") -> None:
    _check_role(role)
    _update_user(store, name, {"role": role}, "user_role", f"{name} -> {role}", by)


def set_password_hash(store: Store, name: str, password_hash: str, *, by: str = "") -> None:
    _update_user(store, name, {"password_hash": password_hash}, "user_password", name, by)


def delete_user(store: Store, name: str, *, by: str = "") -> None:
    with store.write_transaction() as conn:
        if conn.execute(users_t.delete().where(users_t.c.name == name)).rowcount == 0:
            raise KeyError(f"no user {name!r}")
        store.audit("user_delete", by, name, conn=conn)


def _update_user(
    store: Store, name: str, values: dict[str, str], action: str, detail: str, by: str
) -> None:
    with store.write_transaction() as conn:
        stmt = users_t.update().where(users_t.c.name == name).values(**values)
        if conn.execute(stmt).rowcount == 0:
            raise KeyError(f"no user {name!r}")
        store.audit(action, by, detail, conn=conn)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")


def _user_exists(conn: Connection, name: str) -> bool:
    return conn.execute(sa.select(users_t.c.name).where(users_t.c.name == name)).first() is not None
