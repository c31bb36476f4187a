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
