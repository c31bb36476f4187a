"""Accounts and roles: the users table, ROLES, and the functions that add, read and change users.

Functions over a `Store` (its transactions and audit log): every change of an account is audited
in the same transaction. Password hashing lives in targets.passwords; web sessions in
dashboard.sessions. An editor may be limited to regions (`user_regions`, one row per region;
none: every region); what that allows an upload is targets.ingest.scope's business.
"""

from __future__ import annotations

from collections.abc import Iterable
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


# The regions an editor is limited to. A table of its own rather than a column, so that an older
# database gains it from create_all; no foreign key, so that the users table can be rebuilt on
# SQLite (whose constraints change no other way) without touching this one.
user_regions_t = sa.Table(
    "user_regions",
    metadata,
    sa.Column("user_name", sa.String(200), primary_key=True),
    sa.Column("region", sa.String(200), primary_key=True),
)
# roles that may be limited to regions: the others see and change every region
SCOPED_ROLES: tuple[str, ...] = ("editor",)


def can_edit(role: str | None) -> bool:
    """Whether a role may upload and revert."""
    return role in EDITING_ROLES


def add_user(
    store: Store,
    name: str,
    role: str,
    password_hash: str,
    *,
    by: str = "",
    regions: Iterable[str] = (),
) -> None:
    """A new account, limited to `regions` (ids, an editor only) when any are given; ValueError
    for a taken name, a role not in ROLES or regions for a role that cannot be limited."""
    _check_role(role)
    scope = _check_regions(role, regions)
    with store.write_transaction() as conn:
        if _user_exists(conn, name):
            raise ValueError(f"user {name!r} exists")
        conn.execute(
            users_t.insert().values(
                name=name, role=role, password_hash=password_hash, created_at=now()
            )
        )
        _write_regions(conn, name, scope)
        limited = f", regions {','.join(scope)}" if scope else ""
        store.audit("user_add", by, f"{name} ({role}{limited})", conn=conn)


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    """name, role, password_hash, created_at, regions (a sorted list; empty: every region);
    None for an unknown name."""
    with store.read_transaction() as conn:
        row = conn.execute(sa.select(users_t).where(users_t.c.name == name)).first()
        if row is None:
            return None
        return {**row._mapping, "regions": _regions_of(conn).get(name, [])}


def list_users(store: Store) -> list[dict[str, Any]]:
    """Every account by name with its regions, without password hashes."""
    stmt = sa.select(users_t.c.name, users_t.c.role, users_t.c.created_at).order_by(users_t.c.name)
    with store.read_transaction() as conn:
        scopes = _regions_of(conn)
        return [{**r._mapping, "regions": scopes.get(r.name, [])} for r in conn.execute(stmt)]


def set_regions(store: Store, name: str, regions: Iterable[str], *, by: str = "") -> None:
    """Limit an editor to `regions` (ids); none lifts the limit."""
    with store.write_transaction() as conn:
        role = conn.execute(sa.select(users_t.c.role).where(users_t.c.name == name)).scalar()
        if role is None:
            raise KeyError(f"no user {name!r}")
        scope = _check_regions(role, regions)
        conn.execute(user_regions_t.delete().where(user_regions_t.c.user_name == name))
        _write_regions(conn, name, scope)
        store.audit("user_regions", by, f"{name} -> {','.join(scope) or 'all regions'}", conn=conn)


def set_role(store: Store, name: str, role: str, *, by: str = "") -> None:
    _check_role(role)
    _update_user(store, name, {"role": role}, "user_role", f"{name} -> {role}", by)


def set_password_hash(store: Store, name: str, password_hash: str, *, by: str = "") -> None:
    _update_user(store, name, {"password_hash": password_hash}, "user_password", name, by)


def delete_user(store: Store, name: str, *, by: str = "") -> None:
    with store.write_transaction() as conn:
        if conn.execute(users_t.delete().where(users_t.c.name == name)).rowcount == 0:
            raise KeyError(f"no user {name!r}")
        # a later account of that name must not inherit the limit
        conn.execute(user_regions_t.delete().where(user_regions_t.c.user_name == name))
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


def _check_regions(role: str, regions: Iterable[str]) -> list[str]:
    scope = sorted({r.strip() for r in regions if r.strip()})
    if scope and role not in SCOPED_ROLES:
        raise ValueError(f"a {role} cannot be limited to regions (only: {', '.join(SCOPED_ROLES)})")
    return scope


def _write_regions(conn: Connection, name: str, regions: list[str]) -> None:
    if regions:
        conn.execute(user_regions_t.insert(), [{"user_name": name, "region": r} for r in regions])


def _regions_of(conn: Connection) -> dict[str, list[str]]:
    """Every limited account's regions, sorted."""
    stmt = sa.select(user_regions_t.c.user_name, user_regions_t.c.region).order_by(
        user_regions_t.c.user_name, user_regions_t.c.region
    )
    out: dict[str, list[str]] = {}
    for user_name, region in conn.execute(stmt):
        out.setdefault(user_name, []).append(region)
    return out


def _user_exists(conn: Connection, name: str) -> bool:
    return conn.execute(sa.select(users_t.c.name).where(users_t.c.name == name)).first() is not None
