"""Accounts and roles: the users table, ROLES, and the functions that add, read and change users.

Functions over a `Store` (its transactions and audit log): every change of an account is audited
in the same transaction. Password hashing lives in targets.passwords; web sessions in
dashboard.sessions. An editor may be limited to regions (`user_regions`, one row per region;
none: every region); what that allows an upload is targets.ingest.scope's business.

Sessions end through `session_epoch`: a random token kept with the account and copied into each
session at login; a session whose token is not the account's current one is no longer logged in.
A new token is drawn on logout, a password or role change and on disabling the account, so every
session opened before ends at once, on every device (a cookie copied before included).
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from targets.audit_details import audit_detail
from targets.db import UTCDateTime, metadata, now

if TYPE_CHECKING:
    from targets.store import Store

# the one list of roles: the table's check constraint, the CLI's choices and can_edit read it
ROLES: tuple[str, ...] = ("viewer", "editor", "reviewer", "admin")
EDITING_ROLES: tuple[str, ...] = ("editor", "admin")
# who approves or returns submissions (targets.submissions)
REVIEWING_ROLES: tuple[str, ...] = ("reviewer", "admin")
ROLE_CHECK = "ck_users_role"
ROLE_CHECK_SQL = "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")"
MAX_NAME_CHARS = 64

users_t = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # added after the first release: server defaults fill the rows of older databases
    sa.Column("disabled", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("session_epoch", sa.String(32), nullable=False, default="", server_default=""),
    # a role added since (reviewer): upgrade_role_check gives older databases this check
    sa.CheckConstraint(ROLE_CHECK_SQL, name=ROLE_CHECK),
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


def check_name(name: str) -> None:
    """ValueError unless `name` can be typed at the login form and read in the audit log.

    A name with spaces at either end is refused, not trimmed: the login form trims what is typed,
    so such an account could never log in, and trimming silently would leave a script believing
    it created the name it passed. Control and invisible format characters are refused too (they
    would forge lines where the name is printed), and names differing only in case or width from
    an existing one are refused by add_user (the login throttle counts them as one account).
    """
    if not name:
        raise ValueError("a user name cannot be empty")
    if name != name.strip():
        raise ValueError(
            f"user name {name!r} starts or ends with spaces, which the login form drops, so "
            f"the account could never log in; use {name.strip()!r} instead"
        )
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"a user name has at most {MAX_NAME_CHARS} characters, not {len(name)}")
    bad = [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    if bad:
        raise ValueError(
            f"user name {name!r} holds control or invisible character(s) "
            + ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(bad))
        )


def new_epoch() -> str:
    """A fresh session token for an account (see the module's doc)."""
    return secrets.token_hex(16)


def can_review(role: str | None) -> bool:
    """Whether a role may approve or return submissions."""
    return role in REVIEWING_ROLES


def upgrade_role_check(conn: Connection) -> None:
    """A database made before a role existed refuses it in its check constraint: give the users
    table the constraint of ROLES. PostgreSQL alters the constraint; SQLite, which cannot, has
    the table rebuilt (renamed, made anew, rows copied) in the caller's transaction."""
    inspector = sa.inspect(conn)
    if not inspector.has_table(users_t.name):
        return
    checks = inspector.get_check_constraints(users_t.name)
    text = next((c["sqltext"] for c in checks if c.get("name") == ROLE_CHECK), None)
    if text is None or all(f"'{role}'" in str(text) for role in ROLES):
        return
    if conn.dialect.name != "sqlite":
        # as text: sa.schema.AddConstraint would mark the table's constraint as added by ALTER,
        # and every CREATE TABLE of this process would then leave it out
        conn.execute(sa.text(f"ALTER TABLE {users_t.name} DROP CONSTRAINT {ROLE_CHECK}"))
        conn.execute(
            sa.text(
                f"ALTER TABLE {users_t.name} ADD CONSTRAINT {ROLE_CHECK} CHECK ({ROLE_CHECK_SQL})"
            )
        )
        return
    columns = [c["name"] for c in inspector.get_columns(users_t.name)]
    kept = ", ".join(c for c in columns if c in users_t.c)
    conn.execute(sa.text(f"ALTER TABLE {users_t.name} RENAME TO {users_t.name}_before"))
    users_t.create(conn)
    conn.execute(
        sa.text(f"INSERT INTO {users_t.name} ({kept}) SELECT {kept} FROM {users_t.name}_before")
    )
    conn.execute(sa.text(f"DROP TABLE {users_t.name}_before"))


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
    for a bad or taken name (in any case), a role not in ROLES or regions for a role that cannot
    be limited."""
    check_name(name)
    _check_role(role)
    scope = _check_regions(role, regions)
    with store.write_transaction() as conn:
        _check_free(conn, name)
        conn.execute(
            users_t.insert().values(
                name=name,
                role=role,
                password_hash=password_hash,
                created_at=now(),
                session_epoch=new_epoch(),
            )
        )
        _write_regions(conn, name, scope)
        limited = {"regions": ",".join(scope)} if scope else {}
        store.audit(
            "user_add", by, audit_detail("user_add", name=name, role=role, **limited), conn=conn
        )


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    """name, role, password_hash, created_at, regions (a sorted list; empty: every region);
    None for an unknown name."""
    with store.read_transaction() as conn:
        row = conn.execute(sa.select(users_t).where(users_t.c.name == name)).first()
        if row is None:
            return None
        return {**row._mapping, "regions": _regions_of(conn).get(name, [])}


def list_users(store: Store) -> list[dict[str, Any]]:
    """Every account by name: name, role, disabled, created_at, regions (no hashes, no token)."""
    u = users_t
    stmt = sa.select(u.c.name, u.c.role, u.c.disabled, u.c.created_at).order_by(u.c.name)
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
        limited = {"regions": ",".join(scope)} if scope else {}
        store.audit(
            "user_regions", by, audit_detail("user_regions", name=name, **limited), conn=conn
        )


def set_role(store: Store, name: str, role: str, *, by: str = "") -> None:
    """Change the role; the account's sessions end (it logs in again under the new role)."""
    _check_role(role)
    values = {"role": role, "session_epoch": new_epoch()}
    _update_user(
        store, name, values, "user_role", audit_detail("user_role", name=name, role=role), by
    )


def set_password_hash(store: Store, name: str, password_hash: str, *, by: str = "") -> None:
    """Change the password; every session opened with the old one ends."""
    values = {"password_hash": password_hash, "session_epoch": new_epoch()}
    _update_user(store, name, values, "user_password", name, by)


def set_disabled(store: Store, name: str, disabled: bool, *, by: str = "") -> None:
    """Disable an account (its sessions end, it cannot log in) or enable it again."""
    values: dict[str, Any] = {"disabled": disabled}
    if disabled:
        values["session_epoch"] = new_epoch()
    action = "user_disable" if disabled else "user_enable"
    _update_user(store, name, values, action, name, by)


def end_sessions(store: Store, name: str, *, by: str, action: str, detail: str) -> None:
    """End every session of the account (logout, or an admin's order), audited as `action`."""
    _update_user(store, name, {"session_epoch": new_epoch()}, action, detail, by)


def delete_user(store: Store, name: str, *, by: str = "") -> None:
    with store.write_transaction() as conn:
        if conn.execute(users_t.delete().where(users_t.c.name == name)).rowcount == 0:
            raise KeyError(f"no user {name!r}")
        # a later account of that name must not inherit the limit
        conn.execute(user_regions_t.delete().where(user_regions_t.c.user_name == name))
        store.audit("user_delete", by, name, conn=conn)


def _update_user(
    store: Store, name: str, values: dict[str, Any], action: str, detail: str, by: str
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


def name_key(name: str) -> str:
    """What two names that must not both exist share: case and width folded (Ａna, ANA, ana)."""
    return unicodedata.normalize("NFKC", name).casefold()


def check_new_name(store: Store, name: str) -> None:
    """ValueError unless `name` is a valid name no account has yet (in any case): what add_user
    checks, for a caller to ask before it prompts for a password."""
    check_name(name)
    with store.read_transaction() as conn:
        _check_free(conn, name)


def _check_free(conn: Connection, name: str) -> None:
    taken = _same_name(conn, name)
    if taken is not None:
        raise ValueError(
            f"user {name!r} exists"
            if taken == name
            else f"user {name!r} is too like the existing user {taken!r}"
        )


def _same_name(conn: Connection, name: str) -> str | None:
    """The existing account whose name is `name` up to case and width, if any."""
    key = name_key(name)
    for (other,) in conn.execute(sa.select(users_t.c.name)):
        if name_key(other) == key:
            return str(other)
    return None
