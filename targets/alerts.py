"""Alerts: what an import changed, in words (status changes, goals newly behind schedule, stale series).

`import_alerts` compares the gap tables before and after an import (the Tracker's, cached per
data version). The import pipeline stores the messages on the import; the dashboard and the CLI
show them.

- status_changed: a goal's status moved (R&D intensity, Anhui (2025 goal): on track → moderate
  progress). A row that had no data before is new data, not a change, and is not reported.
- behind_schedule: a goal that is behind schedule now (progress < time elapsed, not achieved)
  and was not before.
- stale: a series with a goal in its scope that has values, but none for the two years before
  `as_of_year` (in 2025: none for 2023 or 2024).
- provisional: a goal whose verdict now rests on a flagged value (4.4左右: approximate) and did
  not before, its status unchanged (a status change says it in its own message).

A status change or a goal newly behind schedule whose verdict is provisional says so, with the
reason, in the words of targets.provenance (provisional_words), as every page does. Goals,
regions and the engine's reasons for a missing value are named as the pages name them
(targets.reasons: reason_names, reason_text), ids only where the catalogue or registry is absent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from targets import roles, statuses, verdicts
from targets.aggregate import CatalogueLike, RegionsLike
from targets.assessment import behind_schedule, pace_text
from targets.provenance import provisional_words
from targets.reasons import reason_names

Kind = Literal["status_changed", "behind_schedule", "stale", "provisional"]
KINDS: tuple[str, ...] = ("status_changed", "behind_schedule", "stale", "provisional")
# a series is stale when it has no value for this many years before the as-of year
STALE_YEARS = 2
_KEY = ["indicator", "region", "milestone_year"]
LANGS: tuple[str, str] = ("zh", "en")


@dataclass(frozen=True)
class Alert:
    """One message about what an import changed, in both languages."""

    kind: Kind
    indicator: str
    region: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "indicator": self.indicator,
            "region": self.region,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class _NoNames:
    """A catalogue or registry that is not there: every id stands for itself."""

    indicators: dict[str, Any] = {}
    regions: dict[str, Any] = {}


class _Names:
    """Indicator and region names in zh/en as the pages name them (targets.reasons.reason_names,
    as Tracker.reason_names), the id where the catalogue or registry lacks one."""

    def __init__(self, catalogue: CatalogueLike | None, regions: RegionsLike | None) -> None:
        self.catalogue = catalogue
        self.regions = regions
        found = (
            catalogue if catalogue is not None else _NoNames(),
            regions if regions is not None else _NoNames(),
        )
        self.named = {lang: reason_names(*found, lang) for lang in LANGS}

    def indicator(self, ind: str, lang: str) -> str:
        return self.named[lang].get(ind, ind)

    def region(self, reg: str, lang: str) -> str:
        return self.named[lang].get(reg, reg)

    def format(self, ind: str, lang: str) -> tuple[int, str]:
        """(decimals, unit) of an indicator; (2, '') where the catalogue lacks it."""
        found = self.catalogue.indicators.get(ind) if self.catalogue is not None else None
        if found is None:
            return 2, ""
        return int(found.decimals), found.unit.get(lang)

    def role(self, row: Mapping[str, Any], lang: str) -> str:
        """' · ※ 对标：规划为长三角设定此目标' for a benchmark row, '' for the region's own goal."""
        if not roles.is_benchmark(row):
            return ""
        scope = str(row.get("goal_scope", ""))
        return f" · {roles.benchmark_note(self.region(scope, lang), lang)}"

    def provisional(self, row: Mapping[str, Any], lang: str) -> str:
        """' · 初步（约数）：why' for a verdict on a flagged value, '' for a final one."""
        words = provisional_words(row, lang)
        return f" · {words}" if words else ""

    def goal(self, row: Mapping[str, Any], lang: str) -> str:
        """'R&D intensity, Anhui (2025 goal)' / '研发投入强度 · 安徽（2025年目标）'."""
        ind, reg = str(row["indicator"]), str(row["region"])
        y = row.get("milestone_year")
        if lang == "en":
            text = f"{self.indicator(ind, 'en')}, {self.region(reg, 'en')}"
            return text + (f" ({int(y)} goal)" if y is not None else "")
        text = f"{self.indicator(ind, 'zh')} · {self.region(reg, 'zh')}"
        return text + (f"（{int(y)}年目标）" if y is not None else "")


def _alert(
    kind: Kind, row: Mapping[str, Any], names: _Names, words: Callable[[str], str], role: bool
) -> Alert:
    """One alert on a goal in both languages: '<goal>: <words(lang)>', then the benchmark note
    (`role`) and the provisional mark with why, each as the pages word them."""
    messages = {}
    for lang in LANGS:
        sep = "：" if lang == "zh" else ": "
        note = names.role(row, lang) if role else ""
        messages[lang] = (
            f"{names.goal(row, lang)}{sep}{words(lang)}{note}{names.provisional(row, lang)}"
        )
    return Alert(kind, str(row["indicator"]), str(row["region"]), messages["zh"], messages["en"])


def _status_changes(before: pd.DataFrame, after: pd.DataFrame, names: _Names) -> list[Alert]:
    """A goal whose status moved, with why in words: what changed in the data or the rule, and
    the rule's numbers now (targets.verdicts), a missing value's reason with names."""
    joined = after.merge(before, on=_KEY, how="left", suffixes=("", "_before"))
    old = joined["status_before"].astype(object).to_numpy()
    new = joined["status"].astype(object).to_numpy()
    known = np.array([isinstance(s, str) and s != "no_data" for s in old], dtype=bool)
    cols = [c for c in before.columns if c not in _KEY]

    def change(row: dict[str, Any]) -> Callable[[str], str]:
        was_row = {**row, **{c: row.get(f"{c}_before") for c in cols}}
        was, now = str(row["status_before"]), str(row["status"])

        def words(lang: str) -> str:
            decimals, unit = names.format(str(row["indicator"]), lang)
            # to no data: no latest value to compare, the reason (with names) says what is missing
            gone = now == "no_data"
            why = "" if gone else verdicts.change_reason(was_row, row, lang, decimals)
            now_why = verdicts.explain(row, lang, decimals, unit, names.named[lang])
            moved = f"{statuses.label(was, lang)} → {statuses.label(now, lang)}"
            if lang == "en":
                return f"{moved.lower()} ({'; '.join(p for p in (why, now_why) if p)})"
            return f"{moved}（{'；'.join(p for p in (why, now_why) if p)}）"

        return words

    return [
        _alert("status_changed", row, names, change(row), role=True)
        for row in joined[known & (old != new)].to_dict("records")
    ]


def _newly_behind(before: pd.DataFrame, after: pd.DataFrame, names: _Names) -> list[Alert]:
    was = behind_schedule(before)[_KEY]
    now = behind_schedule(after)
    fresh = now.merge(was.assign(_was=True), on=_KEY, how="left")
    fresh = fresh[fresh["_was"].isna().to_numpy(dtype=bool)]
    return [
        _alert("behind_schedule", row, names, partial(pace_text, row), role=False)
        for row in fresh.to_dict("records")
    ]


def _newly_provisional(before: pd.DataFrame, after: pd.DataFrame, names: _Names) -> list[Alert]:
    """A goal whose verdict rests on a flagged value now and did not (or on another one) before,
    with the same status: an import of 4.4左右 says that the verdict on it is provisional."""
    if "provisional" not in after.columns:
        return []
    now = after[after["provisional"].to_numpy(dtype=bool)]
    if now.empty:
        return []
    cols = ["status", "provisional", "provisional_reason"]
    had = before[[*_KEY, *[c for c in cols if c in before.columns]]]
    joined = now.merge(had, on=_KEY, how="left", suffixes=("", "_before"))
    out = []
    for row in joined.to_dict("records"):
        was = row.get("status_before")
        if isinstance(was, str) and was != "no_data" and was != row["status"]:
            continue  # a status change: its message carries the mark
        prev = row.get("provisional_before")
        if (
            isinstance(prev, bool | np.bool_)
            and prev
            and (row.get("provisional_reason_before") == row["provisional_reason"])
        ):
            continue  # provisional for the same reason before this import
        status = str(row["status"])

        def word(lang: str, status: str = status) -> str:
            text = statuses.label(status, lang)
            return text.lower() if lang == "en" else text

        out.append(_alert("provisional", row, names, word, role=True))
    return out


def _stale(
    after: pd.DataFrame,
    obs_after: pd.DataFrame,
    as_of_year: int,
    names: _Names,
    catalogue: CatalogueLike | None,
) -> list[Alert]:
    pairs = after[["indicator", "region"]].drop_duplicates()
    if catalogue is not None:  # goals in scope: the regions each goal is set for
        scope = {i.id: set(i.scope) for i in catalogue.indicators.values()}
        keep = [
            r in scope.get(i, ()) for i, r in zip(pairs["indicator"], pairs["region"], strict=True)
        ]
        pairs = pairs[np.array(keep, dtype=bool)]
    # the latest value: observed (obs_after) or derived by the engine (the gap table's year)
    obs_years = pd.DataFrame(
        {
            "indicator": obs_after["indicator"].astype(str).to_numpy(),
            "region": obs_after["region"].astype(str).to_numpy(),
            "year": pd.to_numeric(obs_after["year"], errors="coerce").to_numpy(dtype=np.float64),
        }
    )
    obs_years = obs_years[pd.to_numeric(obs_after["value"], errors="coerce").notna().to_numpy()]
    gap_years = pd.DataFrame(
        {
            "indicator": after["indicator"].astype(str).to_numpy(),
            "region": after["region"].astype(str).to_numpy(),
            "year": pd.to_numeric(after["year"], errors="coerce").to_numpy(dtype=np.float64),
        }
    )
    latest = (
        pd.concat([obs_years, gap_years]).dropna().groupby(["indicator", "region"])["year"].max()
    )
    first_missing = as_of_year - STALE_YEARS
    out = []
    for ind, reg in zip(pairs["indicator"], pairs["region"], strict=True):
        last = latest.get((str(ind), str(reg)))
        if last is None or np.isnan(last) or last >= first_missing:
            continue  # never had a value (not stale: missing), or recent enough
        row = {"indicator": ind, "region": reg, "milestone_year": None}
        since, to = int(last), as_of_year - 1

        def words(lang: str, since: int = since, to: int = to) -> str:
            if lang == "en":
                return f"no value since {since} (none for {first_missing}–{to})"
            return f"{since}年以来无新数值（缺{first_missing}—{to}年）"

        out.append(_alert("stale", row, names, words, role=False))
    return out


def import_alerts(
    before_gaps: pd.DataFrame,
    after_gaps: pd.DataFrame,
    obs_after: pd.DataFrame,
    *,
    as_of_year: int,
    catalogue: CatalogueLike | None = None,
    regions: RegionsLike | None = None,
) -> list[Alert]:
    """Alerts about an import: status changes, goals newly behind schedule, stale series.

    The gap tables are compute_gaps' output before and after the import; obs_after the values
    in force after it. catalogue and regions supply names (ids otherwise) and, for stale
    series, the goals' scope (every row of after_gaps otherwise). Both languages are always
    filled: `Alert.message(lang)` picks one.
    """
    names = _Names(catalogue, regions)
    return [
        *_status_changes(before_gaps, after_gaps, names),
        *_newly_behind(before_gaps, after_gaps, names),
        *_stale(after_gaps, obs_after, as_of_year, names, catalogue),
        *_newly_provisional(before_gaps, after_gaps, names),
    ]
