"""How much each member's shortfall contributes to the gap of a goal set for the whole region.

A goal measured on the whole region (R&D intensity of the delta > 3%) is a ratio of sums,
R = k · ΣN / ΣD (rd_intensity = Σ rd_expenditure / Σ gdp × 100: N = R&D expenditure, D = GDP,
k = 100). With target T, member i lacks

    shortfall_i = d · (T/k · D_i − N_i)

of the numerator to be at the target itself (d = +1 for a higher-is-better goal, −1 for a
lower-is-better one, so that a shortfall is positive where the member falls short). The
shortfalls add up to the regional gap in numerator units, Σ shortfall_i = d · (T/k · ΣD − ΣN);
share_of_gap_i = shortfall_i / Σ shortfall (the shares add up to 1; a member beyond the target
has a negative share: it offsets part of the others' shortfall); gap_points_i = shortfall_i / ΣD
· k is the same in the indicator's unit, and the gap_points add up to d · (T − R).

A weighted mean (`weight: population|gdp|area`: R = Σ w_i x_i / Σ w_i) is the same ratio with
N_i = w_i · x_i, D_i = w_i, k = 1.

One number per fact: `value` is the figure in force (published where a release gives it, as on
every page), `value_source` says which, and `derived_value` is the ratio of the components the
shortfall is computed from. They differ where the published ratio rests on another vintage of a
component (Shanghai's 2020 R&D intensity: 4.17% published, 1615.7 / 41603.9 = 3.88% from the
revised GDP); the shares are then in the components' terms and the page shows both.

An additive count with a goal for the whole region only (PCT applications: 30,000 for the delta)
gives no member a goal, so a member's contribution to the gap is undefined; each member's share
of the total and of the growth since a base year is reported instead, and the frame says so
(`attrs["note"]`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from targets import aggregate
from targets.aggregate import CatalogueLike, RegionsLike
from targets.formula import parse
from targets.models import Indicator

CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "region",
    "numerator",
    "denominator",
    "value",
    "value_source",  # published | derived: one number per fact, the published one first
    "derived_value",  # the value from the components (numerator, denominator) the shares use
    "shortfall",
    "share_of_gap",
    "gap_points",
    "share_of_total",
    "share_of_growth",
)
NOTE_RATIO = (
    "shortfall = numerator a member lacks to be at the target itself; the shortfalls add up to "
    "the regional gap; a negative share is a member beyond the target offsetting the others"
)
NOTE_ADDITIVE = (
    "a count with a goal for the whole region only: a member's contribution to the gap is "
    "undefined without a goal of its own; shown instead: its share of the total and of the "
    "growth since {since}"
)


@dataclass(frozen=True)
class Ratio:
    """R = factor · numerator / denominator, over two component series."""

    numerator: str
    denominator: str
    factor: float


def _product(node: ast.expr, sign: int, acc: dict[str, int], const: list[float]) -> None:
    """Walk a product/quotient: series exponents into acc, numbers into const[0]."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
        _product(node.left, sign, acc, const)
        _product(node.right, sign if isinstance(node.op, ast.Mult) else -sign, acc, const)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        const[0] = -const[0]
        _product(node.operand, sign, acc, const)
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        value = float(node.value)
        const[0] = const[0] * value if sign > 0 else const[0] / value
    elif isinstance(node, ast.Name):
        acc[node.id] = acc.get(node.id, 0) + sign
    else:
        raise ValueError("not a product of series and numbers")


def ratio_of(formula: str) -> Ratio:
    """`rd_expenditure / gdp * 100` → Ratio("rd_expenditure", "gdp", 100.0).

    Raises ValueError for any other shape (a sum, a region subscript, three series).
    """
    parsed = parse(formula)
    acc: dict[str, int] = {}
    const = [1.0]
    try:
        _product(parsed.tree, 1, acc, const)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"formula {formula!r} is not numerator / denominator × constant") from None
    acc = {k: v for k, v in acc.items() if v != 0}
    up = [k for k, v in acc.items() if v == 1]
    down = [k for k, v in acc.items() if v == -1]
    if len(acc) != 2 or len(up) != 1 or len(down) != 1:
        raise ValueError(f"formula {formula!r} is not numerator / denominator × constant")
    return Ratio(up[0], down[0], const[0])


def _decomposition(ind: Indicator) -> tuple[str, Ratio | None]:
    """How the regional value is made: ("ratio", Ratio), ("weighted", Ratio) or ("additive", None)."""
    if ind.formula:
        return "ratio", ratio_of(ind.formula)
    if ind.weight in aggregate.WEIGHT_SERIES:
        weight = aggregate.WEIGHT_SERIES[str(ind.weight)]
        # N_i = w_i · x_i is built below; the "numerator" name is the indicator itself
        return "weighted", Ratio(ind.id, weight, 1.0)
    if ind.weight is None:
        return "additive", None
    raise ValueError(f"{ind.id} is not aggregated (weight: none): no regional decomposition")


def _default_target(ind: Indicator, year: int) -> float:
    """The goal of the first numeric milestone at or after `year`, else of the last one."""
    numeric = sorted((m for m in ind.milestones if m.is_numeric), key=lambda m: m.year)
    if not numeric:
        raise ValueError(f"{ind.id} has no numeric goal")
    if any(m.basis != "absolute" for m in numeric):
        raise ValueError(f"{ind.id}: a goal set as a change needs an explicit target")
    ms = next((m for m in numeric if m.year >= year), numeric[-1])
    assert ms.value is not None
    return float(ms.value)


def _values(full: pd.DataFrame, series: str, members: list[str], year: int) -> pd.Series:
    """The values in force of one series for the members in one year (NaN where missing)."""
    sub = full[(full["indicator"] == series) & (pd.to_numeric(full["year"]) == year)]
    sub = sub.drop_duplicates(["region"], keep="last")
    vals = pd.Series(
        pd.to_numeric(sub["value"], errors="coerce").to_numpy(dtype=np.float64),
        index=sub["region"].astype(str).to_numpy(),
    )
    return vals.reindex(members)


def regional_gap_contributions(
    catalogue: CatalogueLike,
    regions: RegionsLike,
    obs: pd.DataFrame | aggregate.Derived,
    indicator: str,
    year: int,
    target: float | None = None,
    *,
    region: str | None = None,
    since: int | None = None,
) -> pd.DataFrame:
    """Each member's part of the regional gap in `year` (columns CONTRIBUTION_COLUMNS).

    One row per member of `region` (default: the indicator's first scope region, e.g. yrd),
    then a total row for the region itself (Σ numerator, Σ denominator, the regional value
    from the components, the regional gap; share_of_gap 1). `target` defaults to the goal of
    the first numeric milestone at or after `year`. attrs: method (ratio | weighted |
    additive), target, factor, note. Where a member's component is missing, the member's
    numbers are NaN and so are the shares and the total.
    For an additive count, shortfall/share_of_gap/gap_points are NaN for the members and the
    total row's shortfall is the regional gap; share_of_total and share_of_growth (since
    `since`, default the goal's baseline year) are given instead. `obs` may come derived
    already (aggregate.Derived).
    """
    ind = catalogue.indicators[indicator]
    region = region or (ind.scope[0] if ind.scope else "yrd")
    members = [str(getattr(m, "id", m)) for m in regions.members(region)]
    if not members:
        raise ValueError(f"{region} has no members")
    method, ratio = _decomposition(ind)
    if target is None:
        target = _default_target(ind, year)
    d = -1.0 if ind.direction == "lower_is_better" else 1.0
    full = aggregate.derived(catalogue, regions, obs).frame

    if method == "additive":
        return _additive(catalogue, ind, full, members, region, year, target, d, since)
    assert ratio is not None
    if method == "weighted":
        x = _values(full, ind.id, members, year)
        w = _values(full, ratio.denominator, members, year)
        if ratio.denominator == aggregate.WEIGHT_SERIES["area"] and w.isna().all():
            area = {rid: getattr(regions.regions.get(rid), "area_km2", None) for rid in members}
            w = pd.Series([np.nan if a is None else float(a) for a in area.values()], index=members)
        num, den = x * w, w
    else:
        num = _values(full, ratio.numerator, members, year)
        den = _values(full, ratio.denominator, members, year)
    k = ratio.factor
    published = _published(full, ind.id, [*members, region], year)
    shortfall = d * (target / k * den - num)
    total_num, total_den = num.sum(skipna=False), den.sum(skipna=False)
    total_short = shortfall.sum(skipna=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = shortfall / total_short if total_short != 0 else shortfall * np.nan
        points = shortfall / total_den * k
    rows = pd.DataFrame(
        {
            "region": members + [region],
            "numerator": [*num.to_numpy(), total_num],
            "denominator": [*den.to_numpy(), total_den],
            "derived_value": [*(k * num / den).to_numpy(), k * total_num / total_den],
            "shortfall": [*shortfall.to_numpy(), total_short],
            "share_of_gap": [*share.to_numpy(), 1.0 if np.isfinite(total_short) else np.nan],
            "gap_points": [*points.to_numpy(), total_short / total_den * k],
            "share_of_total": np.nan,
            "share_of_growth": np.nan,
        }
    )
    published.index = rows.index
    rows["value_source"] = np.where(published.notna(), "published", "derived")
    rows["value"] = published.fillna(rows["derived_value"])
    return _finish(rows, method, target, k, NOTE_RATIO)


def _published(full: pd.DataFrame, series: str, regions: list[str], year: int) -> pd.Series:
    """The observed (published) values of a series in `year` per region; NaN where only derived."""
    observed = full[~full["derived"].astype(bool)] if "derived" in full.columns else full
    return _values(observed, series, regions, year).reset_index(drop=True)


def _additive(
    catalogue: CatalogueLike,
    ind: Indicator,
    full: pd.DataFrame,
    members: list[str],
    region: str,
    year: int,
    target: float,
    d: float,
    since: int | None,
) -> pd.DataFrame:
    if since is None:
        ms = next((m for m in ind.milestones if m.is_numeric), None)
        since = catalogue.baseline_year(ind, ms) if ms is not None else year - 1
    now = _values(full, ind.id, members, year)
    then = _values(full, ind.id, members, since)
    total_now, total_then = now.sum(skipna=False), then.sum(skipna=False)
    growth = now - then
    total_growth = total_now - total_then
    with np.errstate(divide="ignore", invalid="ignore"):
        share_total = now / total_now
        share_growth = growth / total_growth if total_growth != 0 else growth * np.nan
    rows = pd.DataFrame(
        {
            "region": members + [region],
            "numerator": [*now.to_numpy(), total_now],
            "denominator": np.nan,
            "value": [*now.to_numpy(), total_now],
            # members as published; the region's total is their sum
            "value_source": [*["published"] * len(members), "derived"],
            "derived_value": [*now.to_numpy(), total_now],
            "shortfall": [*np.full(len(members), np.nan), d * (target - total_now)],
            "share_of_gap": np.nan,
            "gap_points": [*np.full(len(members), np.nan), d * (target - total_now)],
            "share_of_total": [*share_total.to_numpy(), 1.0 if np.isfinite(total_now) else np.nan],
            "share_of_growth": [
                *share_growth.to_numpy(),
                1.0 if np.isfinite(total_growth) and total_growth != 0 else np.nan,
            ],
        }
    )
    return _finish(rows, "additive", target, 1.0, NOTE_ADDITIVE.format(since=since))


def value_words(row: dict[str, Any], decimals: int, lang: str) -> str:
    """A member's value as the tables show it: the figure in force, and where it is published
    and its components give another number, that number beside it ("4.17 (from components:
    3.88)"): the shares rest on the components."""
    from targets.display import number

    text = number(row["value"], decimals)
    derived = row.get("derived_value")
    if row.get("value_source") != "published" or derived is None or pd.isna(derived):
        return text
    other = number(derived, decimals)
    if other == text:
        return text
    return f"{text}（分项测算：{other}）" if lang == "zh" else f"{text} (from components: {other})"


def _finish(
    rows: pd.DataFrame, method: str, target: float, factor: float, note: str
) -> pd.DataFrame:
    text = ("region", "value_source")
    out = rows.astype({c: "float64" for c in CONTRIBUTION_COLUMNS if c not in text})
    for col in text:
        out[col] = out[col].astype("str")
    out = out[list(CONTRIBUTION_COLUMNS)]
    attrs: dict[str, Any] = {"method": method, "target": target, "factor": factor, "note": note}
    out.attrs.update(attrs)
    return out
