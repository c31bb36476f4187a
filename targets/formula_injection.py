"""Neutralise spreadsheet formula injection in exported text cells (CSV and Excel).

A cell starting with = + - @ tab or CR is read as a formula by Excel, WPS and LibreOffice;
prefixing it with an apostrophe makes it plain text. Numbers are left alone: only text cells
are neutralised, so a negative gap stays a number.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out
