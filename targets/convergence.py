"""Convergence across the region: is the spread between provinces (or cities) narrowing?

The plans aim at integration, so besides "is the goal met" a reviewer asks whether the regions
are drawing closer (σ-convergence). For one indicator and each year, `spread` gives the
unweighted cross-section of the provinces' (or cities') values: mean, population standard
deviation (ddof = 0), coefficient of variation cv = std / mean, and the max/min ratio. `trend`
fits cv against the year by least squares: narrowing when the slope is below −FLAT_SLOPE a
year, widening above +FLAT_SLOPE, flat in between.

Only complete years count: every province must have a value (the four of them, so that a year
is never compared with a different set of regions); for cities at least CITY_COVERAGE of them,
and the frame says how many (n of n_expected).

The Outline's goal "central-zone per-capita GDP / whole-region per-capita GDP ≤ 1.2"
(gdp_per_capita_ratio) is itself a convergence measure between the 27 central cities and the
rest; `spread(obs, regions, "gdp_per_capita", level="city")` shows the same question city by city.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

import numpy as np
import pandas as pd

from targets import aggregate
from targets.aggregate import CatalogueLike, RegionsLike

Level = Literal["province", "city"]
Verdict = Literal["narrowing", "widening", "flat", "insufficient_data"]

# |slope of cv| below this (per year) is "flat": 0.002 a year is 0.02 over a decade
FLAT_SLOPE = 0.002
# a city-level year counts when at least this share of the cities has a value
CITY_COVERAGE = 0.8

SPREAD_COLUMNS: tuple[str, ...] = (
    "year",
    "n",
    "n_expected",
    "mean",
    "std",
    "cv",
    "maxmin",
    "min_region",
    "max_region",
)
TABLE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "first_year",
    "last_year",
    "n_years",
    "cv_first",
    "cv_last",
    "maxmin_first",
    "maxmin_last",
    "slope",
    "verdict",
)
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "narrowing": {"zh": "差距缩小", "en": "narrowing"},
    "widening": {"zh": "差距扩大", "en": "widening"},
    "flat": {"zh": "基本稳定", "en": "flat"},
    "insufficient_data": {"zh": "数据不足", "en": "insufficient data"},
}


def verdict_label(verdict: str, lang: str = "zh") -> str:
    return VERDICT_LABELS[verdict]["en" if lang == "en" else "zh"]


def level_regions(regions: RegionsLike, level: Level) -> list[str]:
    """The region ids compared at a level: the provinces, or the city-level regions.

    Cities as the registry counts them (Shanghai, a province without members, is also one of
    the 41 cities); a registry without `cities()` is read by each region's `level`.
    """
    if level == "city":
        cities = getattr(regions, "cities", None)
        if callable(cities):
            return [str(getattr(r, "id", r)) for r in cities()]
    if level not in ("province", "city"):
        raise ValueError(f"level must be 'province' or 'city', not {level!r}")
    return [rid for rid, r in regions.regions.items() if getattr(r, "level", None) == level]


def _empty_spread() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.Series([], dtype="int64"),
            "n": pd.Series([], dtype="int64"),
            "n_expected": pd.Series([], dtype="int64"),
            "mean": pd.Series([], dtype="float64"),
            "std": pd.Series([], dtype="float64"),
            "cv": pd.Series([], dtype="float64"),
            "maxmin": pd.Series([], dtype="float64"),
            "min_region": pd.Series([], dtype="str"),
            "max_region": pd.Series([], dtype="str"),
        }
    )


def spread(
    obs_with_derived: pd.DataFrame,
    regions: RegionsLike,
    indicator: str,
    level: Level = "province",
) -> pd.DataFrame:
    """Per complete year: n, n_expected, mean, std (ddof=0), cv, maxmin, min_region, max_region.

    `obs_with_derived` is the frame of values in force with the engine's derived rows
    (`aggregate.derive`): a province's R&D intensity may exist only as Σ expenditure / Σ GDP.
    cv is NaN where the mean is not positive, maxmin where the minimum is not positive.
    """
    members = level_regions(regions, level)
    expected = len(members)
    if expected == 0:
        return _empty_spread()
    sub = obs_with_derived[
        (obs_with_derived["indicator"] == indicator) & obs_with_derived["region"].isin(members)
    ]
    sub = pd.DataFrame(
        {
            "region": sub["region"].astype(str).to_numpy(),
            "year": pd.to_numeric(sub["year"], errors="coerce").to_numpy(),
            "value": pd.to_numeric(sub["value"], errors="coerce").to_numpy(),
        }
    ).dropna()
    # values in force: one per region and year (a repeated key: the later row, as the engine)
    sub = sub.drop_duplicates(["region", "year"], keep="last")
    need = expected if level == "province" else int(np.ceil(CITY_COVERAGE * expected))
    rows: list[dict[str, Any]] = []
    for year, group in sub.groupby("year", sort=True):
        if len(group) < need:
            continue
        values = group["value"].to_numpy(dtype=np.float64)
        names = group["region"].to_numpy(dtype=object)
        mean = float(values.mean())
        std = float(values.std(ddof=0))
        lo, hi = int(values.argmin()), int(values.argmax())
        rows.append(
            {
                "year": int(year),
                "n": len(values),
                "n_expected": expected,
                "mean": mean,
                "std": std,
                "cv": std / mean if mean > 0 else np.nan,
                "maxmin": values[hi] / values[lo] if values[lo] > 0 else np.nan,
                "min_region": str(names[lo]),
                "max_region": str(names[hi]),
            }
        )
    if not rows:
        return _empty_spread()
    out = pd.DataFrame(rows, columns=list(SPREAD_COLUMNS))
    return out.astype({"min_region": "str", "max_region": "str"})


def trend(spread_frame: pd.DataFrame) -> dict[str, Any]:
    """Least-squares slope of cv per year over the frame's years, and the verdict.

    Returns slope, verdict (narrowing | widening | flat | insufficient_data: fewer than two
    years with a cv), first_year, last_year, n_years, cv_first, cv_last, maxmin_first,
    maxmin_last.
    """
    frame = spread_frame.dropna(subset=["cv"]).sort_values("year")
    out: dict[str, Any] = {
        "slope": np.nan,
        "verdict": "insufficient_data",
        "first_year": None,
        "last_year": None,
        "n_years": len(frame),
        "cv_first": np.nan,
        "cv_last": np.nan,
        "maxmin_first": np.nan,
        "maxmin_last": np.nan,
    }
    if frame.empty:
        return out
    first, last = frame.iloc[0], frame.iloc[-1]
    out.update(
        first_year=int(first["year"]),
        last_year=int(last["year"]),
        cv_first=float(first["cv"]),
        cv_last=float(last["cv"]),
        maxmin_first=float(first["maxmin"]),
        maxmin_last=float(last["maxmin"]),
    )
    if len(frame) < 2:
        return out
    x = frame["year"].to_numpy(dtype=np.float64)
    y = frame["cv"].to_numpy(dtype=np.float64)
    dx = x - x.mean()
    slope = float((dx * (y - y.mean())).sum() / (dx * dx).sum())
    if slope < -FLAT_SLOPE:
        verdict = "narrowing"
    elif slope > FLAT_SLOPE:
        verdict = "widening"
    else:
        verdict = "flat"
    out.update(slope=slope, verdict=verdict)
    return out


def convergence_table(
    catalogue: CatalogueLike,
    regions: RegionsLike,
    obs: pd.DataFrame | aggregate.Derived,
    level: Level = "province",
    indicators: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per goal indicator benchmarked across regions (compare: all_regions): the trend.

    `indicators` replaces the default list (e.g. add "gdp_per_capita", the series behind the
    central-zone/whole-region goal). Derived values are made here unless `obs` comes derived
    (aggregate.Derived).
    """
    if indicators is None:
        ids = [
            i.id
            for i in catalogue.indicators.values()
            if i.compare == "all_regions" and any(m.is_numeric for m in i.milestones)
        ]
    else:
        ids = list(indicators)
    full = aggregate.derived(catalogue, regions, obs).frame
    rows = []
    for ind in ids:
        t = trend(spread(full, regions, ind, level))
        rows.append({"indicator": ind, **{k: t[k] for k in TABLE_COLUMNS if k != "indicator"}})
    out = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return out.astype(
        {
            "indicator": "str",
            "verdict": "str",
            "first_year": "Int64",
            "last_year": "Int64",
            "n_years": "int64",
        }
    )
