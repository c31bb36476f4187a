"""Login throttling shared by every worker, and one audit entry per burst of failed logins.

- **Counted where every worker sees it**: in Redis when `TARGETS_REDIS` is set, else in the
  database (table `login_attempts`); each attempt is one atomic increment (a Lua INCR, or one
  INSERT … ON CONFLICT DO UPDATE … RETURNING), so concurrent attempts are counted one by one and
  at most `limit` of them reach the password check. Redis down: the database counts instead.
- **Counted before the password is checked**, per account *and* client address: `attempt()`
  returns False once an account has had `limit` attempts from one address in `window_s`; the
  password is then not even checked. A correct password resets that account × address count.
  Nothing is counted per account alone or per address alone: failures on other accounts, or on
  this account from other addresses, never lock out the right password from here, so nobody can
  lock a colleague out by guessing at their name, nor everyone behind one proxy address.
- **One audit row per burst**: failed and refused logins from one address are one burst while
  they keep coming (each extends it by `quiet_s`); its first failure writes an audit row and
  later ones update that row's counts (table `login_bursts`), in one transaction with the row
  locked, so the counts only grow. When more than MAX_BURSTS addresses are in a burst at once,
  the others join one shared row, "from many addresses". A flood of anonymous POSTs thus adds a
  handful of rows, and imports and reverts stay on the history page.

Addresses are the client's as the web layer determined it (dashboard.sessions trusts
X-Forwarded-For only from configured proxies); an IPv6 address counts by its /64 network, which
one client can otherwise walk through.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from targets.audit_details import audit_detail
from targets.db import metadata

if TYPE_CHECKING:
    from targets.store import Store

log = logging.getLogger(__name__)

# a few attempts per minute: enough for typos, far too few to guess a password
LIMIT = 5
WINDOW_S = 60.0
# a burst of failures from one address ends after this long without one
QUIET_S = 60.0
# addresses with a burst row of their own at once; more join one shared row
MAX_BURSTS = 10
MANY = "*"
# how an audit detail names MANY (dashboard.pages.history words it in the page's language)
MANY_WORDS = "many addresses"
NAMES_SHOWN = 5
AUDIT_NAME_CHARS = 64
REDIS_RETRY_S = 30.0

login_attempts_t = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # sha256 of account and address
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),  # epoch seconds
)

login_bursts_t = sa.Table(
    "login_bursts",
    metadata,
    sa.Column("address", sa.String(64), primary_key=True),
    sa.Column("audit_id", sa.Integer, nullable=True),
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("refused", sa.Integer, nullable=False),
    sa.Column("first_at", sa.Float, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
    sa.Column("names", sa.Text, nullable=False),  # JSON list, the first NAMES_SHOWN distinct
)

_ATTEMPT_SQL = sa.text(
    "INSERT INTO login_attempts (key, count, expires) VALUES (:key, 1, :until) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN login_attempts.expires <= :now THEN 1 ELSE login_attempts.count + 1 END, "
    "expires = CASE WHEN login_attempts.expires <= :now THEN :until "
    "ELSE login_attempts.expires END "
    "RETURNING count"
)
# INCR with the window set by the first attempt: one atomic step in Redis
_ATTEMPT_LUA = (
    "local n = redis.call('INCR', KEYS[1]) "
    "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
    "return n"
)
_BURST_SQL = sa.text(
    "INSERT INTO login_bursts (address, audit_id, failed, refused, first_at, last_at, expires, names) "
    "VALUES (:address, NULL, :failed, :refused, :now, :now, :until, '[]') "
    "ON CONFLICT (address) DO UPDATE SET "
    "audit_id = CASE WHEN login_bursts.expires <= :now THEN NULL ELSE login_bursts.audit_id END, "
    "failed = CASE WHEN login_bursts.expires <= :now THEN :failed "
    "ELSE login_bursts.failed + :failed END, "
    "refused = CASE WHEN login_bursts.expires <= :now THEN :refused "
    "ELSE login_bursts.refused + :refused END, "
    "first_at = CASE WHEN login_bursts.expires <= :now THEN :now ELSE login_bursts.first_at END, "
    "names = CASE WHEN login_bursts.expires <= :now THEN '[]' ELSE login_bursts.names END, "
    "last_at = :now, expires = :until "
    "RETURNING audit_id, failed, refused, first_at, names"
)


def client_key(address: str) -> str:
    """The address a throttle counts by: an IPv6 address by its /64 network, others as given."""
    text = (address or "?").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(name: str) -> str:
    """Names differing only in case or surrounding space count as one account."""
    return name.strip().casefold()[:200]


def _pair(account: str, address: str) -> str:
    return hashlib.sha256(f"{account_key(account)}\0{client_key(address)}".encode()).hexdigest()


class LoginThrottle:
    """Counts login attempts per account × address in Redis or the database (see module doc)."""

    def __init__(
        self,
        store: Store,
        *,
        redis_url: str | None = None,
        limit: int = LIMIT,
        window_s: float = WINDOW_S,
    ) -> None:
        self.store = store
        self.limit = limit
        self.window_s = window_s
        self._redis: Any = None
        self._prefix = ""
        self._down_until = 0.0
        self._lock = threading.Lock()
        if redis_url:
            import redis

            from targets.cache import database_fingerprint

            self._redis = redis.Redis.from_url(
                redis_url, socket_connect_timeout=1.0, socket_timeout=2.0
            )
            # several databases may share one Redis: their counts stay apart
            self._prefix = f"targets:login:{database_fingerprint(store.url)}:"

    @property
    def backend(self) -> str:
        """Where attempts are counted now: "redis" or "database"."""
        return "redis" if self._redis_usable() else "database"

    def attempt(self, account: str, address: str) -> bool:
        """Count one attempt; False when the password must not be checked (too many attempts)."""
        key = _pair(account, address)
        count = self._redis_count(key) if self._redis_usable() else None
        if count is None:
            count = self._db_count(key)
        return count <= self.limit

    def reset(self, account: str, address: str) -> None:
        """A correct password: forget the attempts of this account from this address."""
        key = _pair(account, address)
        if self._redis_usable():
            import redis

            try:
                self._redis.delete(self._prefix + key)
            except redis.RedisError as exc:
                self._redis_failed(exc)
        with self.store.write_transaction() as conn:
            conn.execute(login_attempts_t.delete().where(login_attempts_t.c.key == key))

    # -- Redis, with the database behind it --------------------------------------------------
    def _redis_usable(self) -> bool:
        return self._redis is not None and time.monotonic() >= self._down_until

    def _redis_count(self, key: str) -> int | None:
        import redis

        try:
            return int(
                self._redis.eval(_ATTEMPT_LUA, 1, self._prefix + key, int(self.window_s * 1000))
            )
        except redis.RedisError as exc:
            self._redis_failed(exc)
            return None

    def _redis_failed(self, exc: Exception) -> None:
        with self._lock:
            if time.monotonic() >= self._down_until:
                log.warning(
                    "Redis is unreachable for login throttling (%s): counting in the database; "
                    "trying Redis again in %.0f s",
                    exc,
                    REDIS_RETRY_S,
                )
            self._down_until = time.monotonic() + REDIS_RETRY_S

    def _db_count(self, key: str) -> int:
        now = time.time()
        with self.store.write_transaction() as conn:
            count = conn.execute(
                _ATTEMPT_SQL, {"key": key, "now": now, "until": now + self.window_s}
            ).scalar_one()
            if count == 1:
                # a new window: the moment to clear windows that ended (keeps the table small)
                conn.execute(login_attempts_t.delete().where(login_attempts_t.c.expires <= now))
        return int(count)


def record_failure(
    store: Store, *, address: str, name: str, refused: bool, quiet_s: float = QUIET_S
) -> int:
    """Count a failed (or, `refused`, throttled) login from `address` into its burst: the
    burst's first writes an audit row, later ones update its counts. Returns the row's id."""
    now = time.time()
    shown = name.strip()[:AUDIT_NAME_CHARS]
    with store.write_transaction() as conn:
        key = _burst_address(conn, client_key(address), now)
        params = {
            "address": key,
            "failed": 0 if refused else 1,
            "refused": 1 if refused else 0,
            "now": now,
            "until": now + quiet_s,
        }
        # the upsert locks the burst's row until commit: its updates apply in order
        audit_id, failed, refused_n, first_at, names_json = conn.execute(_BURST_SQL, params).one()
        names: list[str] = json.loads(names_json)
        if shown not in names and len(names) < NAMES_SHOWN:
            names.append(shown)
        detail = _burst_detail(key, failed, refused_n, first_at, now, names)
        if audit_id is None:
            audit_id = store.audit("login_failed", shown, detail, conn=conn)
        else:
            conn.execute(
                sa.text("UPDATE audit SET detail = :detail WHERE id = :id"),
                {"detail": detail, "id": audit_id},
            )
        conn.execute(
            login_bursts_t.update()
            .where(login_bursts_t.c.address == key)
            .values(audit_id=audit_id, names=json.dumps(names, ensure_ascii=False))
        )
        if failed + refused_n == 1:
            conn.execute(login_bursts_t.delete().where(login_bursts_t.c.expires <= now))
    return int(audit_id)


def _burst_address(conn: Connection, address: str, now: float) -> str:
    """`address`, or MANY when MAX_BURSTS other addresses are in a burst already."""
    b = login_bursts_t
    mine = conn.execute(
        sa.select(b.c.address).where(b.c.address == address, b.c.expires > now)
    ).first()
    if mine is not None:
        return address
    others = conn.execute(
        sa.select(sa.func.count()).where(b.c.expires > now, b.c.address != MANY)
    ).scalar_one()
    return MANY if others >= MAX_BURSTS else address


def _burst_detail(
    address: str, failed: int, refused: int, first: float, last: float, names: list[str]
) -> str:
    where = MANY_WORDS if address == MANY else address
    span = " – ".join(
        dict.fromkeys(datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S") for t in (first, last))
    )
    more = ", …" if len(names) >= NAMES_SHOWN else ""
    counts: dict[str, object] = {"failed": failed, **({"refused": refused} if refused else {})}
    return audit_detail(
        "login_failed", **counts, address=where, span=span, names=", ".join(names) + more
    )
