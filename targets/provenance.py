"""Where a verdict's value comes from: whether it rests on a flagged value (provisional).

A verdict is provisional (初步) when the value it judges, or the base-year value of a goal set as
a change, carries a flag (targets.flags: preliminary, approximate, other scope or definition);
for a value the engine derived, when any component it was made from for that year does: a
member region's value, a series of the formula or the weight. The gap table carries the result
(`PROVISIONAL_COLUMNS`) and every surface words it with `provisional_text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from targets.flags import FLAG_IDS, flag_label, flag_reason
from targets.formula import FormulaError, parse

PROVISIONAL_COLUMNS: tuple[str, ...] = (
    "provisional",  # bool
    "provisional_flag",  # the flag the verdict rests on ("" when final)
    "provisional_reason",  # why, in English ("" when final)
    "provisional_reason_zh",  # why, in Chinese
)
# weights of a weighted mean, by the catalogue's `weight`
_WEIGHT_SERIES = {"population": "population", "gdp": "gdp", "area": "land_area"}


def _region_id(item: Any) -> str:
    return item if isinstance(item, str) else str(getattr(item, "id", item))


def _closure(start: str, step: Any) -> set[str]:
    """`start` and everything reachable by `step` (a name -> names function)."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _inputs(catalogue: Any, indicator: str) -> tuple[set[str], set[str]]:
    """The series a derived value of `indicator` can be made from, and the regions a formula's
    subscripts name (gdp_per_capita[central_zone])."""
    named: set[str] = set()

    def step(sid: str) -> Iterable[str]:
        ind = catalogue.indicators.get(sid)
        if ind is None:
            return ()
        out = set()
        if ind.formula:
            try:
                formula = parse(ind.formula)
            except FormulaError:
                return ()
            out |= set(formula.series)
            named.update(formula.regions)
        if ind.weight in _WEIGHT_SERIES:
            out.add(_WEIGHT_SERIES[ind.weight])
        return out

    return _closure(indicator, step), named


def input_series(catalogue: Any, indicator: str) -> set[str]:
    """The indicator and every series a derived value of it can be made from."""
    return _inputs(catalogue, indicator)[0]


def _members(regions: Any, region: str) -> set[str]:
    def step(rid: str) -> Iterable[str]:
        try:
            return [_region_id(m) for m in regions.members(rid)]
        except (KeyError, ValueError):
            return ()

    return _closure(region, step)


def _words(flag: str, year: int, where: str, where_zh: str) -> tuple[str, str]:
    en = f"{flag_reason(flag, 'en')} ({year} value{' of ' + where if where else ''})"
    zh = f"{flag_reason(flag, 'zh')}（{year}年{where_zh}数值）"
    return en, zh


def provisional_columns(
    gaps: pd.DataFrame, observed: pd.DataFrame, catalogue: Any, regions: Any
) -> pd.DataFrame:
    """PROVISIONAL_COLUMNS for each gap row (indicator, region, year, derived, basis,
    base_year), from the flags of the observed values."""
    n = len(gaps)
    provisional = np.zeros(n, dtype=bool)
    flags = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    reason_zh = np.full(n, "", dtype=object)
    if n and "flag" in observed.columns:
        # one vectorised test, not is_flag per row (seconds at 10 million rows); the same ids
        marked = observed[observed["flag"].isin(FLAG_IDS).to_numpy(dtype=bool)]
        by_key: dict[tuple[str, str, int], str] = {
            (str(r.indicator), str(r.region), int(r.year)): str(r.flag)
            for r in marked.itertuples(index=False)
        }
        by_year: dict[int, list[tuple[str, str, str]]] = {}
        for (ind, reg, yr), flag in by_key.items():
            by_year.setdefault(yr, []).append((ind, reg, flag))
        if by_key:
            memo: dict[tuple[str, str], Any] = {}
            for i, row in enumerate(gaps.to_dict("records")):
                found = _rests_on(row, by_key, by_year, catalogue, regions, memo)
                if found is not None:
                    provisional[i] = True
                    flags[i] = found[0]
                    reason[i], reason_zh[i] = found[1], found[2]
    return pd.DataFrame(
        {
            "provisional": provisional,
            "provisional_flag": pd.array(flags, dtype="str"),
            "provisional_reason": pd.array(reason, dtype="str"),
            "provisional_reason_zh": pd.array(reason_zh, dtype="str"),
        },
        index=gaps.index,
    )


def _rests_on(
    row: Mapping[str, Any],
    by_key: dict[tuple[str, str, int], str],
    by_year: dict[int, list[tuple[str, str, str]]],
    catalogue: Any,
    regions: Any,
    memo: dict[tuple[str, str], Any],
) -> tuple[str, str, str] | None:
    """(flag, reason en, reason zh) of the first flagged value the row's verdict rests on;
    `memo` keeps each indicator's inputs and each region's members once computed."""
    year = row.get("year")
    if year is None or year is pd.NA or (isinstance(year, float) and np.isnan(year)):
        return None
    ind, reg, year = str(row["indicator"]), str(row["region"]), int(year)
    years = [year]
    if row.get("basis") == "change_from_base" and row.get("base_year") is not None:
        years.append(int(row["base_year"]))
    for y in years:
        flag = by_key.get((ind, reg, y))
        if flag is not None:
            return (flag, *_words(flag, y, "", ""))
    if not bool(row.get("derived", False)):
        return None
    if ("i", ind) not in memo:
        memo[("i", ind)] = _inputs(catalogue, ind)
    if ("r", reg) not in memo:
        memo[("r", reg)] = _members(regions, reg)
    series, named = memo[("i", ind)]
    members = memo[("r", reg)] | named
    for y in years:
        for c_ind, c_reg, flag in sorted(by_year.get(y, [])):
            if c_ind in series and c_reg in members:
                where = f"{c_reg} {c_ind}"
                where_zh = f"{_name(regions, c_reg)}{_ind_name(catalogue, c_ind)}"
                return (flag, *_words(flag, y, where, where_zh))
    return None


def _name(regions: Any, rid: str) -> str:
    try:
        return str(regions.name(rid, "zh"))
    except (AttributeError, KeyError, ValueError):
        return rid


def _ind_name(catalogue: Any, sid: str) -> str:
    ind = catalogue.indicators.get(sid)
    return ind.name.zh if ind is not None else sid


def provisional_text(row: Mapping[str, Any], lang: str = "zh") -> str:
    """Why a gap row's verdict is provisional, in `lang`; "" when it is final (or the row has
    no such columns: a table from before flags)."""
    if not bool(row.get("provisional", False)) or row.get("provisional") is pd.NA:
        return ""
    column = "provisional_reason" if lang == "en" else "provisional_reason_zh"
    text = row.get(column)
    if isinstance(text, str) and text not in ("", "nan"):
        return text
    return flag_reason(str(row.get("provisional_flag") or ""), lang)


def provisional_mark(row: Mapping[str, Any], lang: str = "zh") -> str:
    """The short word shown beside a provisional verdict: 初步 / provisional, with the flag."""
    if not bool(row.get("provisional", False)) or row.get("provisional") is pd.NA:
        return ""
    flag = flag_label(str(row.get("provisional_flag") or ""), lang)
    if lang == "en":
        return f"provisional ({flag})" if flag else "provisional"
    return f"初步（{flag}）" if flag else "初步"


def provisional_words(row: Mapping[str, Any], lang: str = "zh") -> str:
    """The mark and why, as every surface shows them beside a verdict: '初步（约数）：约数…（2025年
    数值）' / 'provisional (approximate): an approximate figure … (2025 value)'; "" when final."""
    mark = provisional_mark(row, lang)
    if not mark:
        return ""
    why = provisional_text(row, lang)
    if not why:
        return mark
    return f"{mark}{'：' if lang != 'en' else ': '}{why}"


# ---------------------------------------------------------------------------- published or derived


class _Only:
    """A catalogue seen through the series one derivation needs: deriving every series of the
    catalogue for one region's note cost 0.15 s a region, 5 s an indicator page at 1 M values."""

    def __init__(self, catalogue: Any, keep: set[str]) -> None:
        self._catalogue = catalogue
        self.indicators = {k: v for k, v in catalogue.indicators.items() if k in keep}

    def baseline_year(self, indicator: Any, milestone: Any) -> int:
        return int(self._catalogue.baseline_year(indicator, milestone))


def value_notes(
    catalogue: Any,
    regions: Any,
    observed: pd.DataFrame,
    indicator: str,
    region_ids: Iterable[str],
    lang: str = "zh",
) -> list[str]:
    """Sentences saying, per region, which figure is in force and why another is not.

    The rule (README, "One number per fact"): for a year with a published figure, that figure is
    in force and a value from components is only shown beside it; a year without one takes the
    value derived from components, so a newer derived value supersedes an older published one.
    Where members have newer values but the region's cannot be derived, the note says why.
    """
    from targets import aggregate
    from targets.display import number

    ind = catalogue.indicators.get(indicator)
    if ind is None:
        return []
    series, named = _inputs(catalogue, indicator)
    # the series a derived value of the indicator is made from, and nothing else: the same
    # derived values, without deriving the rest of the catalogue
    only = _Only(catalogue, series)
    mine = observed[observed["indicator"].isin(series)]
    year_of = pd.to_numeric(mine["year"], errors="coerce")
    notes: list[str] = []
    en = lang == "en"
    for region in region_ids:
        members = _members(regions, region) - {region}
        own = mine[(mine["indicator"] == indicator) & (mine["region"] == region)]
        if ind.formula is None and not members:
            continue  # a region's own series: nothing is derived for it
        # what the engine would derive for this region if nothing were published for it, from
        # the region's own subtree only (a page view must not derive the whole country)
        subtree = mine["region"].isin(members | {region} | named)
        without = mine[subtree].drop(own.index)
        made = aggregate.derive_all(only, regions, without)
        frame = made.frame
        derived = frame[
            frame["derived"].astype(bool)
            & (frame["indicator"] == indicator)
            & (frame["region"] == region)
        ]
        d_by_year = dict(
            zip(derived["year"].astype(int), derived["value"].astype(float), strict=True)
        )
        p_by_year = dict(zip(own["year"].astype(int), own["value"].astype(float), strict=True))
        name = _region_name(regions, region, lang)
        dec = ind.decimals
        if p_by_year:
            p_year = max(p_by_year)
            p_val = number(p_by_year[p_year], dec)
            same_year = d_by_year.get(p_year)
            if same_year is not None and number(same_year, dec) != p_val:
                d_val = number(same_year, dec)
                notes.append(
                    f"{name}: published {p_year} value {p_val} in force; derived {p_year} = "
                    f"{d_val} from components, not used: a published figure wins for its year"
                    if en
                    else f"{name}：{p_year}年采用公布值{p_val}；按分项测算为{d_val}，未采用："
                    "同一年份以公布值为准"
                )
            newer = [y for y in d_by_year if y > p_year]
            if newer:
                y = max(newer)
                d_new = number(d_by_year[y], dec)
                check = _agreement(p_by_year, d_by_year, dec, en)
                if check is not None and not check[0]:
                    notes.append(
                        f"{name}: published {p_year} value {p_val} in force; derived {y} = "
                        f"{d_new} not used: {check[1]}"
                        if en
                        else f"{name}：采用{p_year}年公布值{p_val}；{y}年按分项测算为{d_new}，"
                        f"未采用：{check[1]}"
                    )
                    continue
                said = (
                    check[1]
                    if check is not None
                    else (
                        "not checked: no year has both a published and a derived value"
                        if en
                        else "无法核对：没有同时有公布值和测算值的年份"
                    )
                )
                notes.append(
                    f"{name}: derived {y} = {d_new} from components is the "
                    f"latest value (no published {y} value); published {p_year} = {p_val}; {said}"
                    if en
                    else f"{name}：{y}年按分项测算为{d_new}，为最新数值"
                    f"（该年无公布值）；{p_year}年公布值为{p_val}；{said}"
                )
                continue
            member_years = year_of[mine["region"].isin(members)]
            latest = int(member_years.max()) if member_years.notna().any() else None
            if latest is not None and latest > p_year and latest not in d_by_year:
                why = _reason(made.reasons, indicator, region, latest, lang, catalogue, regions)
                if not why:
                    why = _missing_parts(catalogue, regions, mine, ind, region, latest, lang)
                notes.append(
                    f"{name}: published value {p_year} in force; no {latest} value derived "
                    f"although members have {latest} values: {why}"
                    if en
                    else f"{name}：采用{p_year}年公布值；成员已有{latest}年数值，但无法测算"
                    f"{latest}年全域值：{why}"
                )
    return notes


def _agreement(
    published: Mapping[int, float], derived: Mapping[int, float], dec: int, en: bool
) -> tuple[bool, str] | None:
    """Whether the derivation reproduces the published series in the latest year with both
    (targets.aggregate.agrees, the engine's rule), and that in words; None without such a year."""
    from targets.aggregate import agreement_tolerance, agrees
    from targets.display import number

    both = set(published) & set(derived)
    if not both:
        return None
    y = max(both)
    p, d = published[y], derived[y]
    tol = number(agreement_tolerance(p, dec), dec)
    diff = number(abs(d - p), dec)
    if agrees(d, p, dec):
        return True, (
            f"derived {y} = {number(d, dec)} agrees with published {number(p, dec)} (within {tol})"
            if en
            else f"{y}年测算值{number(d, dec)}与公布值{number(p, dec)}一致（差距不超过{tol}）"
        )
    return False, (
        f"derived differs from published by {diff} in {y} (derived {number(d, dec)}, "
        f"published {number(p, dec)}; agreement needs within {tol})"
        if en
        else f"{y}年测算值与公布值相差{diff}（测算{number(d, dec)}，公布{number(p, dec)}；"
        f"一致须相差不超过{tol}）"
    )


def _reason(
    reasons: pd.DataFrame,
    indicator: str,
    region: str,
    year: int,
    lang: str,
    catalogue: Any,
    regions: Any,
) -> str:
    """The engine's reason for (indicator, region, year), worded in `lang` (targets.reasons)."""
    from targets.reasons import reason_names, reason_text

    hit = reasons[
        (reasons["indicator"] == indicator)
        & (reasons["region"] == region)
        & (pd.to_numeric(reasons["year"], errors="coerce") == year)
    ]
    if not len(hit):
        return ""
    return reason_text(str(hit["reason"].iloc[-1]), lang, reason_names(catalogue, regions, lang))


def _missing_parts(
    catalogue: Any, regions: Any, mine: pd.DataFrame, ind: Any, region: str, year: int, lang: str
) -> str:
    """Which components lack a value in `year`: "no rd_expenditure, gdp for shanghai, … in 2024"."""
    parts = sorted(parse(ind.formula).series) if ind.formula else [ind.id]
    members = [_region_id(m) for m in regions.members(region)]
    at = mine[pd.to_numeric(mine["year"], errors="coerce") == year]
    have = set(zip(at["indicator"], at["region"], strict=True))
    lacking = [s for s in parts if any((s, m) not in have for m in members)]
    who = sorted({m for s in lacking for m in members if (s, m) not in have})
    if not lacking:
        return (
            f"the components for {year} are incomplete" if lang == "en" else f"{year}年分项数据不全"
        )
    if lang == "en":
        return f"no {', '.join(lacking)} for {', '.join(who)} in {year}"
    names = "、".join(_region_name(regions, m, "zh") for m in who)
    series = "、".join(_ind_name(catalogue, x) for x in lacking)
    return f"{year}年缺少{names}的{series}数据"


def _region_name(regions: Any, rid: str, lang: str) -> str:
    try:
        return str(regions.name(rid, lang))
    except (AttributeError, KeyError, ValueError):
        return rid
