"""Where engine results (gap tables and the other analyses, pandas DataFrames) are kept between calls.

- `MemoryCache`: per process, as before: one computation per result and data version.
- `RedisCache`: shared by every worker and machine that uses the same Redis (`TARGETS_REDIS`),
  with the process's own memory in front of it, so a result is computed once per import and not
  once per worker.

A result's key holds everything the result depends on: the database (a hash of its URL without
the password), the catalogue and regions files (hashes of their contents), the engine code and
library versions, the data version (changes with every import or revert) and the result's own key.

Values in Redis are pickled DataFrames signed with HMAC-SHA256 under a key derived from
`TARGETS_SECRET_KEY`; the signature is checked before anything is unpickled, and a value with a
bad signature is ignored (a miss and a warning). Without `TARGETS_SECRET_KEY` each process signs
with a random key of its own: nothing is unsafe, but nothing is shared either (forked gunicorn
workers of one `--preload` master inherit the master's key and do share).

Redis is an optimisation, never a dependency: when it cannot be reached the result is computed
here (a warning is logged once per outage, and Redis is tried again after `retry_after` seconds).
Nor is it used where the caller says the result is made here sooner than Redis sends it
(`prefer_local`: the values in force where a columnar snapshot of them is on disk, targets.tracker).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pandas as pd

from targets import __version__, config

log = logging.getLogger(__name__)

Compute = Callable[[], pd.DataFrame]
# asked on a miss in this process: True when the result is made here sooner than Redis sends it
Local = Callable[[], bool]
ResultKey = tuple[Hashable, ...]

# Bumped when the layout of keys or values changes, so old entries are simply never read.
FORMAT = "1"
_MAGIC = b"TRC1"
_MAC_BYTES = hashlib.sha256().digest_size
_LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}
# Without TARGETS_SECRET_KEY: a key of this process (inherited by workers forked after import)
_PROCESS_SECRET = secrets.token_hex(32)


@dataclass
class CacheStats:
    """Counters since the cache was made (for tests and the bench)."""

    local_hits: int = 0  # served from this process's memory
    shared_hits: int = 0  # served from Redis: another process (or an earlier one) computed it
    misses: int = 0  # found neither here nor in Redis (or made here without asking Redis)
    computes: int = 0  # computations run here
    waits: int = 0  # times this process waited for another one computing the same result
    timeouts: int = 0  # waits that ran out (the other one took too long): computed here
    rejected: int = 0  # values in Redis ignored for a bad signature or content
    errors: int = 0  # Redis operations that failed (Redis down, time-outs)
    oversized: int = 0  # results too large for Redis, kept in this process only

    @property
    def hits(self) -> int:
        return self.local_hits + self.shared_hits


class CacheConfigError(ValueError):
    """A cache setting that cannot work (raised at start, naming the environment variable)."""


# ----------------------------------------------------------------------------- fingerprints


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        # the length first: ("ab", "c") and ("a", "bc") must not hash alike
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def database_fingerprint(db_url: str) -> str:
    """A hash naming the database of `db_url`, without its password.

    A SQLite file or a server on the loopback address is local to a machine: the host name is
    added, so machines sharing one Redis but each with their own local database do not collide.
    """
    import sqlalchemy as sa

    url = sa.engine.make_url(db_url)
    query = {k: v for k, v in url.query.items() if k.lower() not in {"password", "passfile"}}
    url = url.set(query=query)
    local = url.host in _LOCAL_HOSTS
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        # the same file named relatively or absolutely is the same database
        url = url.set(database=str(Path(url.database).resolve()))
    name = url.render_as_string(hide_password=True)  # any password becomes ***
    return _digest(name, socket.gethostname() if local else "")[:20]


def files_fingerprint(*paths: Path) -> str:
    """A hash of the contents of `paths` (the catalogue and the regions file)."""
    return _digest(*(Path(p).read_bytes() for p in paths))[:20]


@cache
def code_fingerprint() -> str:
    """A hash of the engine's source and the versions that shape a result or its pickle.

    Workers of two releases sharing one Redis during a rolling deploy then keep apart.
    """
    package = Path(__file__).resolve().parent
    sources = sorted(package.rglob("*.py"))
    return _digest(
        FORMAT,
        __version__,
        pd.__version__,
        f"{sys.version_info.major}.{sys.version_info.minor}",
        *(str(p.relative_to(package)) for p in sources),
        *(p.read_bytes() for p in sources),
    )[:20]


def namespace(db_url: str, catalogue_path: Path, regions_path: Path) -> str:
    """What a result depends on besides the data version: database, files, code."""
    return _digest(
        database_fingerprint(db_url),
        files_fingerprint(catalogue_path, regions_path),
        code_fingerprint(),
    )[:24]


# ----------------------------------------------------------------------------- the caches


class ResultCache:
    """Results by (namespace, data version, key); `get_or_compute` returns a copy the caller owns."""

    def __init__(self) -> None:
        self.stats = CacheStats()
        self._stats_lock = threading.Lock()

    def get_or_compute(
        self,
        namespace: str,
        version: str,
        key: ResultKey,
        compute: Compute,
        *,
        prefer_local: Local | None = None,
    ) -> pd.DataFrame:
        raise NotImplementedError

    def snapshot(self) -> CacheStats:
        """A copy of the counters."""
        with self._stats_lock:
            return replace(self.stats)

    def reset_stats(self) -> None:
        with self._stats_lock:
            for f in fields(CacheStats):
                setattr(self.stats, f.name, 0)

    def _count(self, name: str, n: int = 1) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + n)


def _own(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame the caller owns: a shallow copy, which pandas' copy-on-write (the default since
    pandas 3) keeps apart from the cached one at the first write. A deep copy of the whole table
    on every call cost 0.6 s of a page's time at 10 million rows."""
    return frame.copy(deep=False)


class MemoryCache(ResultCache):
    """This process's results for the newest data version of each namespace.

    Threads missing the same result wait for the first one's computation instead of repeating it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._current: dict[str, str] = {}  # namespace -> the data version held
        self._frames: dict[tuple[str, str, ResultKey], pd.DataFrame] = {}
        self._gates: dict[tuple[str, str, ResultKey], threading.Lock] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._frames)

    def clear(self) -> None:
        with self._lock:
            self._current.clear()
            self._frames.clear()

    def get_or_compute(
        self,
        namespace: str,
        version: str,
        key: ResultKey,
        compute: Compute,
        *,
        prefer_local: Local | None = None,  # nothing is shared: always local
    ) -> pd.DataFrame:
        frame, local = self.lookup(namespace, version, key, compute)
        if local:
            self._count("local_hits")
        else:
            self._count("misses")
            self._count("computes")
        return _own(frame)

    def lookup(
        self, namespace: str, version: str, key: ResultKey, load: Compute
    ) -> tuple[pd.DataFrame, bool]:
        """(frame, True) from memory, else (load(), False) after keeping it; no copy, no counting."""
        slot = (namespace, version, key)
        with self._lock:
            self._roll(namespace, version)
            hit = self._frames.get(slot)
            if hit is not None:
                return hit, True
            gate = self._gates.setdefault(slot, threading.Lock())
        with gate:
            with self._lock:
                hit = self._frames.get(slot)
            if hit is not None:  # another thread loaded it while we waited at the gate
                return hit, True
            try:
                frame = load()
            except BaseException:
                with self._lock:
                    self._gates.pop(slot, None)
                raise
            with self._lock:
                # an import while computing moved the namespace on: keep nothing of the old one
                if self._current.get(namespace) == version:
                    self._frames[slot] = frame
                # in the same step as storing: a thread arriving now finds the frame, not a gap
                self._gates.pop(slot, None)
        return frame, False

    def _roll(self, namespace: str, version: str) -> None:
        """Drop the namespace's results of other data versions (caller holds the lock)."""
        if self._current.get(namespace) == version:
            return
        self._current[namespace] = version
        for slot in [s for s in self._frames if s[0] == namespace and s[1] != version]:
            del self._frames[slot]


def _redact(url: str) -> str:
    """The URL with any password replaced by ***, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


class RedisCache(ResultCache):
    """Results shared through Redis, with this process's memory in front.

    Lookup order: process memory, then Redis (signature checked), then compute. A process that
    misses takes a short lock in Redis (SET NX with expiry) while it computes; others missing the
    same key meanwhile wait for its value, up to `lock_wait` seconds, and then compute themselves.
    Where `prefer_local()` says the result is made here sooner, Redis is neither read nor written.
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: int = 86_400,
        secret: str | None = None,
        prefix: str = "targets",
        # the lock outlives a slow computation (national scale: tens of seconds) but not a crashed
        # worker for long; the wait stays under gunicorn's default 30 s worker timeout
        lock_ttl: float = 60.0,
        lock_wait: float = 20.0,
        retry_after: float = 30.0,
        max_bytes: int = config.DEFAULT_CACHE_MAX_MB * 2**20,
        connect_timeout: float = 1.0,
        socket_timeout: float = 5.0,
    ) -> None:
        super().__init__()
        import redis

        self.url = _redact(url)
        self.ttl = int(ttl)
        self.prefix = prefix
        self.lock_ttl = lock_ttl
        self.lock_wait = lock_wait
        self.retry_after = retry_after
        self.max_bytes = max_bytes
        try:
            if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
                raise ValueError("the scheme must be redis://, rediss:// or unix://")
            self._client = redis.Redis.from_url(
                url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout
            )
            # building one connection (without connecting) rejects unknown ?options now, not later
            pool = self._client.connection_pool
            pool.connection_class(**pool.connection_kwargs)
        except (ValueError, TypeError) as exc:
            raise CacheConfigError(
                f"TARGETS_REDIS={self.url!r} is not a usable Redis URL ({exc}); "
                "expected e.g. redis://127.0.0.1:6379/0, rediss://user:password@host:6380/0 "
                "or unix:///run/redis.sock"
            ) from exc
        if not secret:
            log.warning(
                "TARGETS_SECRET_KEY is not set: results cached in Redis are signed with a random "
                "key of this process, so other workers cannot use them (set the same "
                "TARGETS_SECRET_KEY on every worker to share them)"
            )
            secret = _PROCESS_SECRET
        # a key of its own, derived from the secret: the session-signing key is not reused as is
        self._key = hmac.new(secret.encode(), b"targets result cache", hashlib.sha256).digest()
        # processes with different secrets use different keys: they do not see each other's
        # values, so a bad signature means a value was altered, not a misconfiguration
        self._key_id = hashlib.sha256(b"key-id" + self._key).hexdigest()[:12]
        self._local = MemoryCache()
        self._state_lock = threading.Lock()
        self._down_until = 0.0
        self._outage = False

    # -- the public side -------------------------------------------------------------------
    def get_or_compute(
        self,
        namespace: str,
        version: str,
        key: ResultKey,
        compute: Compute,
        *,
        prefer_local: Local | None = None,
    ) -> pd.DataFrame:
        rkey = self.redis_key(namespace, version, key)
        frame, local = self._local.lookup(
            namespace, version, key, lambda: self._load_shared(rkey, compute, prefer_local)
        )
        if local:
            self._count("local_hits")
        return _own(frame)

    def redis_key(self, namespace: str, version: str, key: ResultKey) -> str:
        """The Redis key of one result: readable head, hashed tail (user text stays out of it)."""
        head = str(key[0]) if key else "result"
        return (
            f"{self.prefix}:{FORMAT}:{self._key_id}:{namespace}:{version}:{head}:"
            f"{_digest(repr(key))[:16]}"
        )

    def clear_local(self) -> None:
        """Forget this process's copies (the next call reads Redis again)."""
        self._local.clear()

    def clear(self, namespace: str | None = None) -> int:
        """Delete this cache's entries (of one namespace, or all under the prefix) from Redis."""
        pattern = f"{self.prefix}:*" if namespace is None else f"{self.prefix}:*:{namespace}:*"
        keys = list(self._client.scan_iter(match=pattern, count=1000))
        for i in range(0, len(keys), 1000):
            self._client.unlink(*keys[i : i + 1000])
        self._local.clear()
        return len(keys)

    def ping(self) -> bool:
        """True when Redis answers now."""
        import redis

        try:
            return bool(self._client.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        self._client.close()

    # -- one miss in this process ----------------------------------------------------------
    def _load_shared(self, rkey: str, compute: Compute, prefer_local: Local | None) -> pd.DataFrame:
        if prefer_local is not None and prefer_local():
            self._count("misses")
            frame = compute()
            self._count("computes")
            return frame
        frame = self._get(rkey)
        if frame is not None:
            self._count("shared_hits")
            return frame
        self._count("misses")
        lock_key = rkey + ":lock"
        token, contended = self._acquire(lock_key)
        if contended:
            self._count("waits")
            frame = self._wait_for(rkey, lock_key)
            if frame is not None:
                self._count("shared_hits")
                return frame
        try:
            frame = compute()
            self._count("computes")
            # asked again: the computation may have made the faster way (the first full read
            # after an import keeps the columnar snapshot), and then no one reads the value
            if prefer_local is None or not prefer_local():
                self._put(rkey, frame)
        finally:
            if token is not None:
                self._release(lock_key, token)
        return frame

    # -- Redis operations: each one falls back quietly when Redis is away -------------------
    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, exc: Exception) -> None:
        """Note a failed Redis call: warn once per outage, leave Redis alone for a while."""
        self._count("errors")
        with self._state_lock:
            self._down_until = time.monotonic() + self.retry_after
            first = not self._outage
            self._outage = True
        if first:
            log.warning(
                "Redis cache at %s unavailable (%s: %s): computing results in this process; "
                "trying Redis again every %.0f s",
                self.url,
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    def _succeeded(self) -> None:
        if self._outage:
            with self._state_lock:
                back, self._outage = self._outage, False
            if back:
                log.warning("Redis cache at %s reachable again", self.url)

    def _get(self, rkey: str) -> pd.DataFrame | None:
        import redis

        if not self._available():
            return None
        try:
            blob = cast("bytes | None", self._client.get(rkey))
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        self._succeeded()
        if blob is None:
            return None
        return self._open(rkey, blob)

    def _put(self, rkey: str, frame: pd.DataFrame) -> None:
        import redis

        if not self._available():
            return
        # a cheap lower bound first: a frame far too large is not pickled only to be dropped
        if int(frame.memory_usage(index=True, deep=False).sum()) > self.max_bytes:
            self._count("oversized")
            return
        blob = self._seal(rkey, frame)
        if len(blob) > self.max_bytes:
            self._count("oversized")
            log.info("result %s is %d bytes, over the Redis limit: kept here only", rkey, len(blob))
            return
        try:
            self._client.set(rkey, blob, ex=self.ttl)
        except redis.RedisError as exc:
            self._failed(exc)
            return
        self._succeeded()

    def _acquire(self, lock_key: str) -> tuple[str | None, bool]:
        """(token, contended): our token when we hold the lock; contended when another one does."""
        import redis

        if not self._available():
            return None, False
        token = secrets.token_hex(16)
        try:
            got = self._client.set(lock_key, token, nx=True, px=int(self.lock_ttl * 1000))
        except redis.RedisError as exc:
            self._failed(exc)
            return None, False
        return (token, False) if got else (None, True)

    _RELEASE = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
        "else return 0 end"
    )

    def _release(self, lock_key: str, token: str) -> None:
        """Delete the lock if it is still ours (it may have expired and been taken by another)."""
        import redis

        try:
            self._client.eval(self._RELEASE, 1, lock_key, token)
        except redis.RedisError as exc:
            self._failed(exc)

    def _wait_for(self, rkey: str, lock_key: str) -> pd.DataFrame | None:
        """Poll until the value appears or the lock holder gives up, at most `lock_wait` seconds."""
        import redis

        deadline = time.monotonic() + self.lock_wait
        pause = 0.01
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
            try:
                # EXISTS, not GET: the value may be large, fetch it once it is there
                pipe = self._client.pipeline()
                pipe.exists(rkey)
                pipe.exists(lock_key)
                has_value, locked = pipe.execute()
            except redis.RedisError as exc:
                self._failed(exc)
                return None
            if has_value:
                return self._get(rkey)
            if not locked:  # the holder failed or its lock expired: compute ourselves
                return None
        self._count("timeouts")
        log.info("waited %.1f s for %s computed elsewhere: computing here", self.lock_wait, rkey)
        return None

    # -- signed pickles ---------------------------------------------------------------------
    def _mac(self, rkey: str, payload: bytes | memoryview) -> bytes:
        # the key is signed with the value: a valid value copied under another key is refused
        h = hmac.new(self._key, digestmod=hashlib.sha256)
        h.update(rkey.encode())
        h.update(b"\0")
        h.update(payload)
        return h.digest()

    def _seal(self, rkey: str, frame: pd.DataFrame) -> bytes:
        payload = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        return b"".join((_MAGIC, self._mac(rkey, payload), payload))

    def _open(self, rkey: str, blob: bytes) -> pd.DataFrame | None:
        """The frame in `blob` if its signature is ours; None (and a warning) otherwise."""
        view = memoryview(blob)
        head = len(_MAGIC) + _MAC_BYTES
        mac, payload = view[len(_MAGIC) : head], view[head:]
        if (
            len(blob) < head
            or bytes(view[: len(_MAGIC)]) != _MAGIC
            or not hmac.compare_digest(mac, self._mac(rkey, payload))
        ):
            self._count("rejected")
            log.warning(
                "Redis cache: value of %s has a bad signature; ignored (not unpickled), "
                "computing instead: something other than this tracker writes to this Redis",
                rkey,
            )
            return None
        frame = pickle.loads(payload)  # noqa: S301 - signed by us, checked just above
        if not isinstance(frame, pd.DataFrame):
            self._count("rejected")
            log.warning("Redis cache: value of %s is not a table; ignored", rkey)
            return None
        return frame


def make_cache() -> ResultCache:
    """The cache the settings ask for: Redis when `TARGETS_REDIS` is set, else process memory."""
    url = config.redis_url()
    if url is None:
        return MemoryCache()
    return RedisCache(
        url,
        ttl=config.cache_ttl(),
        secret=config.secret_key(),
        max_bytes=config.cache_max_mb() * 2**20,
    )


__all__ = [
    "CacheConfigError",
    "CacheStats",
    "MemoryCache",
    "RedisCache",
    "ResultCache",
    "code_fingerprint",
    "database_fingerprint",
    "files_fingerprint",
    "make_cache",
    "namespace",
]
