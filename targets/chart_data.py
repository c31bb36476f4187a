"""The data behind a chart, as the CSV its download button gives: one row a value shown.

UTF-8 with a BOM (Excel and WPS then read the Chinese names), values rounded to the indicator's
decimals as on screen, and for each value where it comes from: official release or repost, the
address, the import, the note; text a spreadsheet would run as a formula neutralised.

Every chart of the dashboard is one of three kinds, each with its frame here (`chart_frame` for
a time series, `gap_chart_frame` for the gap-table charts: gaps by region, a region's goals, the
tile map; `spread_chart_frame` for convergence); `spec_frame` picks one from a chart's spec, the
small dict a page stores beside its chart ({'kind': 'empty'} for a chart saying "no data").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from targets import statuses
from targets.display import comparator_sign, is_missing
from targets.formula_injection import neutralise_frame
from targets.source_notes import parse_note

if TYPE_CHECKING:
    from targets.tracker import Tracker

CHART_CSV_COLUMNS: tuple[str, ...] = (
    "indicator", "indicator_name", "region", "region_name", "year", "value", "unit",
    "derived", "source_kind", "source_address", "import_id", "note",
)  # fmt: skip

GAP_CSV_COLUMNS: tuple[str, ...] = (
    "indicator", "indicator_name", "region", "region_name", "milestone", "year", "value",
    "comparator", "target", "gap", "unit", "status", "derived", "source_kind", "source_address",
    "import_id", "note",
)  # fmt: skip

# cv and max/min are ratios without a unit: three decimals, as the chart's hover shows them
SPREAD_DECIMALS = 3
SPREAD_CSV_COLUMNS: tuple[str, ...] = (
    "indicator", "indicator_name", "level", "year", "n", "mean", "unit", "cv", "maxmin",
    "min_region", "max_region", "source_kind", "import_id", "note",
)  # fmt: skip

SPREAD_NOTE = {
    "zh": "变异系数 = 标准差 / 均值（{n} 个{level}的现行值）；各值来源见该指标的时间序列 CSV",
    "en": "cv = standard deviation / mean of the values in force of {n} {level} regions; "
    "each value's source is in the indicator's series CSV",
}
LEVEL_WORDS = {"zh": {"province": "省市", "city": "城市"}, "en": {"province": "province"}}


# bars a gaps-by-region chart draws unchosen: about a screen (30 px a bar); a country's
# thousand regions stay in its CSV download, which carries every row
GAP_BARS = 30


def gap_bar_regions(
    gaps: pd.DataFrame, chosen: Sequence[str] = (), limit: int = GAP_BARS
) -> tuple[list[str], int]:
    """The regions a gaps-by-region chart draws and how many have a gap: all while they are no
    more than `limit`, else those `chosen` that have one, else the `limit` furthest behind."""
    rows = gaps.dropna(subset=["gap"]) if "gap" in gaps else gaps.iloc[0:0]
    # one indicator's gap table: one row a region; the largest gap is the furthest behind
    rows = rows.sort_values(["gap", "region"], ascending=[False, True], kind="stable")
    regions = list(dict.fromkeys(rows["region"].astype(str)))
    if len(regions) <= limit:
        return regions, len(regions)
    if chosen:
        having = set(regions)
        return [r for r in dict.fromkeys(chosen) if r in having], len(regions)
    return regions[:limit], len(regions)


class ChartSpecError(ValueError):
    """A chart spec this module does not know (a stale or forged store): never a guessed file."""


def rounded(value: Any, decimals: int) -> str | None:
    """The number as the page shows it (`decimals` places), None where there is none."""
    if is_missing(value):
        return None
    return f"{float(value):.{max(decimals, 0)}f}"


def value_source(note: Any, derived: Any) -> tuple[str, str]:
    """(kind, address) of a value: 'derived' when computed, else what its note says ('unstated')."""
    if bool(derived) and not is_missing(derived):
        return "derived", ""
    source = parse_note(None if is_missing(note) else str(note))
    return source.kind or "unstated", source.address


def chart_frame(
    tracker: Tracker,
    indicator_id: str,
    regions: Sequence[str],
    lang: str,
    obs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The values of `indicator_id` for `regions` (in that order, then by year), as exported.

    `obs`: the indicator's values (Tracker.observations) when the caller has read them already.
    """
    ind = tracker.catalogue[indicator_id]
    if obs is None:
        obs = tracker.observations(indicators=[indicator_id], regions=list(regions))
    obs = obs[(obs["indicator"] == indicator_id) & obs["region"].isin(list(regions))]
    order = {r: i for i, r in enumerate(regions)}
    obs = obs.assign(_o=obs["region"].map(order)).sort_values(["_o", "year"], kind="stable")
    rows = []
    for rec in obs.to_dict("records"):
        note = None if is_missing(rec.get("note")) else str(rec["note"])
        derived = bool(rec.get("derived", False))
        kind, address = value_source(note, derived)
        rows.append(
            {
                "indicator": ind.id,
                "indicator_name": ind.name.get(lang),
                "region": rec["region"],
                "region_name": tracker.regions.name(rec["region"], lang),
                "year": int(rec["year"]),
                "value": rounded(rec["value"], ind.decimals),
                "unit": ind.unit.get(lang),
                "derived": "yes" if derived else "no",
                "source_kind": kind,
                "source_address": address,
                "import_id": None if is_missing(rec.get("import_id")) else int(rec["import_id"]),
                "note": note or "",
            }
        )
    return _whole_ids(pd.DataFrame(rows, columns=list(CHART_CSV_COLUMNS)))


def gap_chart_frame(
    tracker: Tracker,
    milestone: int,
    lang: str,
    *,
    indicators: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    obs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator × region of the gap table for `milestone`: the latest value, the
    goal and the gap, each rounded to its indicator's decimals, with the value's source.

    `obs`: values in force holding at least those of `indicators` (Tracker.observations), when
    the caller has read them already.
    """
    gaps = tracker.gaps(milestone=milestone, indicators=indicators, regions=regions)
    wanted = list(dict.fromkeys(gaps["indicator"].astype(str))) if len(gaps) else []
    if not wanted:
        obs = pd.DataFrame(columns=["indicator", "region", "year", "note", "import_id", "derived"])
    elif obs is None:
        # only the regions asked for: a region's page reads its own values, not the country's
        obs = tracker.observations(indicators=wanted, regions=list(regions) if regions else None)
    # the row of the value each gap was measured on (its note, import, whether derived): one
    # join, not a lookup per row (a country's counties are thousands of rows)
    key = ["indicator", "region", "year"]
    found = obs[[*key, "note", "import_id", "derived"]].rename(
        columns={"note": "obs_note", "import_id": "obs_import", "derived": "obs_derived"}
    )
    found = found.assign(year=pd.to_numeric(found["year"]).astype("Int64"), obs_found=True)
    found = found.drop_duplicates(key, keep="last")
    gaps = gaps.assign(year=pd.to_numeric(gaps["year"], errors="coerce").astype("Int64"))
    gaps = gaps.merge(found, on=key, how="left")
    if regions is not None:
        order = {r: i for i, r in enumerate(regions)}
        gaps = gaps.assign(_o=gaps["region"].map(order)).sort_values("_o", kind="stable")
    rows = []
    for g in gaps.to_dict("records"):
        ind = tracker.catalogue[str(g["indicator"])]
        year = None if is_missing(g.get("year")) else int(g["year"])
        seen = not is_missing(g.get("obs_found")) and bool(g["obs_found"])
        note = "" if not seen or is_missing(g.get("obs_note")) else str(g["obs_note"])
        derived = seen and bool(g.get("obs_derived", False))
        kind, address = value_source(note, derived) if seen else ("", "")
        rows.append(
            {
                "indicator": ind.id,
                "indicator_name": ind.name.get(lang),
                "region": g["region"],
                "region_name": tracker.regions.name(str(g["region"]), lang),
                "milestone": int(milestone),
                "year": year,
                "value": rounded(g.get("value"), ind.decimals),
                "comparator": comparator_sign(g.get("comparator")),
                "target": rounded(g.get("target"), ind.decimals),
                "gap": rounded(g.get("gap"), ind.decimals),
                "unit": ind.unit.get(lang),
                "status": statuses.label(str(g["status"]), lang),
                "derived": ("yes" if derived else "no") if seen else "",
                "source_kind": kind,
                "source_address": address,
                "import_id": None
                if not seen or is_missing(g.get("obs_import"))
                else int(g["obs_import"]),
                "note": note,
            }
        )
    return _whole_ids(pd.DataFrame(rows, columns=list(GAP_CSV_COLUMNS)))


def _whole_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Import ids and years as whole numbers, also beside a missing one (not 3.0)."""
    for col in ("import_id", "year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def spread_chart_frame(
    tracker: Tracker, indicator_id: str, lang: str, level: str = "province"
) -> pd.DataFrame:
    """Per year: the spread across `level` regions (targets.convergence.spread), the mean in the
    indicator's decimals, cv and max/min in SPREAD_DECIMALS; the imports the values came from."""
    ind = tracker.catalogue[indicator_id]
    from targets.convergence import level_regions

    spread = tracker.spread(indicator_id, level)
    members = list(level_regions(tracker.regions, level))  # type: ignore[arg-type]
    obs = tracker.observations(indicators=[indicator_id], regions=members)
    names = LEVEL_WORDS.get(lang, LEVEL_WORDS["en"])
    rows = []
    for s in spread.to_dict("records"):
        year = int(s["year"])
        used = obs[obs["year"].astype(int) == year]
        imports = sorted({int(i) for i in used["import_id"].tolist() if not is_missing(i)})
        rows.append(
            {
                "indicator": ind.id,
                "indicator_name": ind.name.get(lang),
                "level": level,
                "year": year,
                "n": int(s["n"]),
                "mean": rounded(s.get("mean"), ind.decimals),
                "unit": ind.unit.get(lang),
                "cv": rounded(s.get("cv"), SPREAD_DECIMALS),
                "maxmin": rounded(s.get("maxmin"), SPREAD_DECIMALS),
                "min_region": tracker.regions.name(str(s["min_region"]), lang),
                "max_region": tracker.regions.name(str(s["max_region"]), lang),
                "source_kind": "computed",
                "import_id": ";".join(str(i) for i in imports),
                "note": SPREAD_NOTE["zh" if lang == "zh" else "en"].format(
                    n=int(s["n"]), level=names.get(level, level)
                ),
            }
        )
    return pd.DataFrame(rows, columns=list(SPREAD_CSV_COLUMNS))


def spec_frame(tracker: Tracker, spec: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The frame a chart's spec names: {'kind': 'series'|'gaps'|'spread', …} (see the module)."""
    kind = spec.get("kind")
    if kind == "empty":
        # a chart that says "no data" (no indicator to show): its CSV is the header alone
        return pd.DataFrame(columns=list(CHART_CSV_COLUMNS))
    catalogue = tracker.catalogue.indicators
    indicator = spec.get("indicator")
    if kind in ("series", "spread") and indicator not in catalogue:
        raise ChartSpecError(f"chart-spec: unknown indicator {indicator!r}")
    if kind == "series":
        regions = [r for r in spec.get("regions") or [] if r in tracker.regions.regions]
        return chart_frame(tracker, str(indicator), regions, lang)
    if kind == "spread":
        return spread_chart_frame(tracker, str(indicator), lang, str(spec.get("level", "province")))
    if kind == "gaps":
        inds = spec.get("indicators")
        if inds is not None and (not inds or any(i not in catalogue for i in inds)):
            raise ChartSpecError(f"chart-spec: unknown indicator in {inds!r}")
        regs = spec.get("regions")
        if regs is not None:
            regs = [r for r in regs if r in tracker.regions.regions]
        return gap_chart_frame(tracker, int(spec["milestone"]), lang, indicators=inds, regions=regs)
    raise ChartSpecError(f"chart-spec: unknown chart kind {kind!r}")


def source_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many values of a chart's frame are official, reposts, or other (derived, unstated)."""
    kinds = frame["source_kind"].fillna("").astype(str).tolist() if len(frame) else []
    official, repost = kinds.count("official"), kinds.count("repost")
    return {"official": official, "repost": repost, "other": len(kinds) - official - repost}


def to_csv(frame: pd.DataFrame) -> bytes:
    """A chart frame as the CSV file's bytes (CRLF line ends, BOM, formulas neutralised)."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def chart_csv(tracker: Tracker, indicator_id: str, regions: Sequence[str], lang: str) -> bytes:
    """The series chart's CSV file's bytes (CRLF line ends, BOM)."""
    return to_csv(chart_frame(tracker, indicator_id, regions, lang))
