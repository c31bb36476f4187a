"""Closest known names to a mistyped one: the one fuzzy matcher that regions, the catalogue and the
import's suggestions share (`did you mean 安徽省?`).

A suggestion is a courtesy: it never resolves a name, it only says what the name probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from targets import config

CUTOFF = 0.55  # below this a candidate is noise (北京 is not 南京)
WINDOW = 0.15  # keep only candidates nearly as close as the best one
MAX_SUGGESTIONS = 3


def similarity(query: str, candidate: str) -> float:
    """difflib's ratio; for names of equal length also position by position, first character double.

    Short Chinese names share their last character so often (苏州, 杭州, 徐州) that the ratio alone
    cannot tell a typo (苏洲 → 苏州) from a different city (北京 → 南京): the distinctive first
    character decides.
    """
    ratio = difflib.SequenceMatcher(None, query, candidate).ratio()
    if len(query) != len(candidate):
        return ratio
    weights = [2.0] + [1.0] * (len(query) - 1)
    same = sum(w for w, a, b in zip(weights, query, candidate, strict=True) if a == b)
    return (ratio + same / sum(weights)) / 2


def closest(
    query: str,
    candidates: Iterable[str],
    *,
    n: int = MAX_SUGGESTIONS,
    cutoff: float = CUTOFF,
    window: float = WINDOW,
) -> list[str]:
    """The candidates closest to `query` (keys compared as given), best first, at most n.

    Only candidates within `window` of the best score and above `cutoff` are kept, so a clear
    best match is not followed by distant ones. A query longer than TARGETS_MAX_LABEL_CHARS is
    a cell of text, not a mistyped name: nothing is computed for it (matching it cost seconds).
    """
    if not query or len(query) > config.MAX_LABEL_CHARS:
        return []  # a whole cell of text is no mistyped name: never fuzzy-match it
    scored = sorted(((similarity(query, c), c) for c in candidates), key=lambda sc: -sc[0])
    if not scored or scored[0][0] < cutoff:
        return []
    floor = max(cutoff, scored[0][0] - window)
    return [c for score, c in scored if score >= floor][:n]
