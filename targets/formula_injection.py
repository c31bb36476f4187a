"""Neutralise spreadsheet formula injection in exported text cells (CSV and Excel).

A cell starting with = or @ (or a tab or CR) is read as a formula by Excel, WPS and LibreOffice;
one starting with + or - is too, unless it is only a signed number with words after it
("-189.3% 占全域差距", "+2 revised"): there is nothing to call or reference in that. Prefixing
a formula-like text with an apostrophe makes it plain text. Numbers are left alone: only text
cells are neutralised, so a negative gap stays a number.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# a signed number ("-189.3%", "+1,200") and then, after a space, words with no character a
# formula needs to call, reference or combine anything (operators, brackets, separators, quotes)
SIGNED_NUMBER_WITH_WORDS = re.compile(
    r"[+-]\d[\d,]*(?:\.\d+)?%?(?: [^=+\-*/^&(),;:!|@\"'<>\[\]{}\t\r\n]*)?"
)


def runs_as_formula(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula."""
    if not text.startswith(DANGEROUS_PREFIXES):
        return False
    return SIGNED_NUMBER_WITH_WORDS.fullmatch(text) is None


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out
