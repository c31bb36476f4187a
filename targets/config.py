"""Where things live and the bounds that protect the tool; every setting has an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"


def default_db_url() -> str:
    """`TARGETS_DB`, else a SQLite file under data/."""
    return os.environ.get("TARGETS_DB") or f"sqlite:///{DATA_DIR / 'targets.db'}"


def default_catalogue_path() -> Path:
    """`TARGETS_CATALOGUE`, else ./indicators.yaml when present, else the bundled catalogue."""
    env = os.environ.get("TARGETS_CATALOGUE")
    if env:
        return Path(env)
    local = Path("indicators.yaml")
    return local if local.exists() else ROOT / "indicators.yaml"


def default_regions_path() -> Path:
    return Path(os.environ.get("TARGETS_REGIONS") or DATA_DIR / "regions.yaml")


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Upload bounds: generous for real statistics (a yearbook has thousands of rows), tight enough
# that a zip bomb or a million-column sheet is refused within seconds and bounded memory.
MAX_UPLOAD_BYTES = _int_env("TARGETS_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
MAX_UNCOMPRESSED_BYTES = _int_env("TARGETS_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
MAX_ROWS = _int_env("TARGETS_MAX_ROWS", 3_000_000)
MAX_COLUMNS = _int_env("TARGETS_MAX_COLUMNS", 2_000)
MAX_SHEETS = _int_env("TARGETS_MAX_SHEETS", 100)
# Bounds on work, not only on sizes: a 2 KB file can name a cell a million rows away, and one
# wrong cell can be wrong a million times. Each is checked before the work it guards.
# Cells in the used area of all sheets together (rows × columns up to the last cell holding a
# value): readers materialise that rectangle, empty cells included.
MAX_CELLS = _int_env("TARGETS_MAX_CELLS", 10_000_000)
# Characters in one cell: Excel itself holds at most 32,767.
MAX_CELL_CHARS = _int_env("TARGETS_MAX_CELL_CHARS", 32_767)
# Errors kept with their location per file; beyond them only a count per code.
MAX_ERRORS = _int_env("TARGETS_MAX_ERRORS", 1_000)
# Seconds to read and check one file.
MAX_FILE_SECONDS = _int_env("TARGETS_MAX_FILE_SECONDS", 60)
# MiB of memory one upload's check may take, above what the checking process held before.
MAX_UPLOAD_MEMORY_MB = _int_env("TARGETS_MAX_UPLOAD_MEMORY_MB", 2_048)
# Longest name that fuzzy suggestions ("did you mean …?") are computed for.
MAX_LABEL_CHARS = _int_env("TARGETS_MAX_LABEL_CHARS", 100)


# Shared result cache (targets.cache). Read when a Tracker is made, so a test or a worker can set
# them before; a value that cannot work is an error naming the variable, not a silent default.
DEFAULT_CACHE_TTL = 24 * 3600
# A result larger than this stays in the process that computed it (Redis refuses values over
# 512 MB, and moving hundreds of MB per request would cost more than it saves).
DEFAULT_CACHE_MAX_MB = 256


def redis_url() -> str | None:
    """`TARGETS_REDIS` (e.g. redis://127.0.0.1:6379/0): share engine results between workers."""
    return os.environ.get("TARGETS_REDIS", "").strip() or None


def _positive_int_env(name: str, default: int, what: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{name}={raw!r}: expected a whole number of {what} above 0")
    return value


def cache_ttl() -> int:
    """`TARGETS_CACHE_TTL`: seconds a result stays in Redis (default one day)."""
    return _positive_int_env("TARGETS_CACHE_TTL", DEFAULT_CACHE_TTL, "seconds")


def cache_max_mb() -> int:
    """`TARGETS_CACHE_MAX_MB`: the largest result (MiB, pickled) put in Redis (default 256)."""
    return _positive_int_env("TARGETS_CACHE_MAX_MB", DEFAULT_CACHE_MAX_MB, "MiB")


def secret_key() -> str | None:
    """`TARGETS_SECRET_KEY`, the same on every worker: signs sessions and cached results."""
    return os.environ.get("TARGETS_SECRET_KEY", "").strip() or None


EDITS_MODES: tuple[str, ...] = ("direct", "submit")


def edits_mode() -> str:
    """`TARGETS_EDITS`: `direct` (default: an editor's import is in force at once) or `submit`
    (editors submit imports for review; reviewers and admins put them in force)."""
    raw = os.environ.get("TARGETS_EDITS", "").strip().lower() or "direct"
    if raw not in EDITS_MODES:
        raise ValueError(f"TARGETS_EDITS={raw!r}: expected one of {', '.join(EDITS_MODES)}")
    return raw
