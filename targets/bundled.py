"""The bundled statistics: published figures with their sources, loaded on first start.

`build_bundled(src, out_dir)` turns the gathered table of published values
(shared/data/observed_sources.csv: indicator, region, year, value, unit, note, source_kind,
source, quote) into two long CSV files the importer reads, with each value's source address and
quote in its note:

- `public_statistics_superseded.csv`: the losing side of each `conflict` pair; imported first so
  that a user sees the revision in the history;
- `public_statistics.csv`: everything usable, in force.

Rows that must not stand as the plan indicator are left out, each with the reason
(`EXCLUDED_NOTES`, `EXCLUDED_SERIES`; the README lists them): `partial`, `estimate`,
`different-definition`, and series that measure something else than the plan indicator.

A figure the release rounds or bounds (`approx`: 左右, 超过, 突破) or calls preliminary (`prelim`)
is kept with that flag in the `flag` column (targets.flags), so that a verdict resting on it is
provisional; where another release gives the final figure for the same year, the flagged one is
left out. The urban-rural income ratio is computed from urban and rural income where no ratio
is published for that region and year: a derived value, its note says so and quotes both sources.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from targets import config
from targets.source_notes import RATIO_REMARK

if TYPE_CHECKING:
    from targets.tracker import Tracker

BUNDLED_DIR = config.DATA_DIR / "bundled"
MAIN_FILE = "public_statistics.csv"
SUPERSEDED_FILE = "public_statistics_superseded.csv"
BUNDLED_NOTE = "bundled public statistics"
HEADER = ["indicator", "region", "year", "value", "unit", "note", "flag"]

# gathered name -> (catalogue id, catalogue unit, factor applied to the published value)
INDICATOR_MAP: dict[str, tuple[str, str, float]] = {
    "rd_intensity": ("rd_intensity", "%", 1.0),
    "rd_expenditure": ("rd_expenditure", "亿元", 1.0),
    "urbanization": ("urbanization_rate", "%", 1.0),
    "urban_rural_income_ratio": ("urban_rural_income_ratio", "倍（农村=1）", 1.0),
    "railway_km": ("railway_km", "公里", 1.0),
    "railway_density": ("railway_density", "公里/万平方公里", 1.0),
    "expressway_km": ("expressway_km", "公里", 1.0),
    # published per 10,000 km²; the plan's unit is per 100 km² (a certain conversion: ÷100)
    "expressway_density": ("expressway_density", "公里/百平方公里", 0.01),
    "pct_applications": ("pct_applications", "件", 1.0),
    "invention_patents_per_10k": ("invention_patents_per_10k", "件/万人", 1.0),
    "good_air_days": ("good_air_days_ratio", "%", 1.0),
    "pm25": ("pm25_concentration", "微克/立方米", 1.0),
    "life_expectancy": ("life_expectancy", "岁", 1.0),
    "schooling_working_age": ("schooling_years", "年", 1.0),
    "st_progress_contribution": ("st_progress_contribution", "%", 1.0),
    # NBS series revised after the 5th economic census; never mixed with first releases
    "gdp_revised": ("gdp", "亿元", 1.0),
    "population": ("population", "万人", 1.0),
    "urban_population": ("urban_population", "万人", 1.0),
    # the components of the income ratio (RATIO_PARTS) and of the per-capita expenditure
    "urban_income": ("urban_disposable_income", "元", 1.0),
    "rural_income": ("rural_disposable_income", "元", 1.0),
    "public_expenditure": ("public_budget_expenditure", "亿元", 1.0),
    # published in 万件 (10,000 patents); the catalogue counts patents
    "effective_invention_patents": ("valid_invention_patents", "件", 10000.0),
}

# Series gathered but not imported, and why (shown in the README and kept testable).
EXCLUDED_SERIES: dict[str, str] = {
    "5g_base_stations": "base-station counts are not the plan's 5G coverage rate (%)",
    "energy_intensity_change_yoy": (
        "year-on-year changes, not the energy-intensity level the −10% on 2017 goal needs"
    ),
    "area": "land areas are kept with their sources in data/regions.yaml, not as yearly values",
    "gdp": (
        "first-release GDP; the ratios use the NBS series revised after the 5th economic census "
        "(gdp_revised), and the two are never mixed"
    ),
    "gdp_per_capita": (
        "per-capita GDP as released rests on first-release GDP; the tracker derives it from the "
        "revised series (gdp / population)"
    ),
    "resident_income": (
        "income of all residents; the plan's ratio needs urban and rural income, which are kept"
    ),
    "hsr_km": "high-speed railway only, not the total railway length the density goal needs",
    "hightech_share": (
        "high-and-new-tech (高新技术) or strategic-emerging shares, not the plan's high-tech "
        "(高技术) output share"
    ),
    "water_quality": (
        "shares of all monitored or national sections, not the plan's cross-boundary sections"
    ),
    "patent_transfers": (
        "patent transfers within the region (区域内), not the plan's cross-province transfers"
    ),
    "rd_expenditure_share_national": "a share of the national total, not a plan indicator",
}
EXCLUDED_NOTES = ("partial", "estimate", "different-definition")
# the gathered notes that flag a kept figure (targets.flags): a verdict on it is provisional
FLAG_NOTES = ("approx", "prelim")

REGION_MAP = {
    "Shanghai": ("shanghai", ""),
    "Jiangsu": ("jiangsu", ""),
    "Zhejiang": ("zhejiang", ""),
    "Anhui": ("anhui", ""),
    "YRD": ("yrd", ""),
    "YRD(41 cities)": ("yrd", "41-city scope"),
}

# Conflicting releases for one (indicator, region, year): which source stays in force.
# The rule (shared/data/README.md): prefer the national table; where neither is, prefer the
# figure whose release also gives the baseline of the same series.
IN_FORCE_SOURCE = {
    ("rd_intensity", "Zhejiang", "2023"): "http://www.szxuejia.com/top/1199108.html",
    ("rd_intensity", "YRD", "2023"): "https://cthks.com/20241204/105479",
    # the NBS R&D bulletin's final figure; the provincial 3.33%左右 came from a press conference
    ("rd_intensity", "Jiangsu", "2024"): "http://www.ilovedushubiji.com/post/47444.html",
}
# notes that mark a figure as a lesser reading of a value another release states exactly
LESSER_NOTES = FLAG_NOTES
# a ratio computed where it is not published: (ratio, numerator, denominator), catalogue ids
RATIO_PARTS = (("urban_rural_income_ratio", "urban_disposable_income", "rural_disposable_income"),)
RATIO_DECIMALS = 2  # as the published ratios are written (2.24:1)


Candidate = tuple[dict[str, str], list[str]]  # a gathered row and its bundled line
Excluded = tuple[dict[str, str], str]  # a gathered row and why it is left out


@dataclass(frozen=True)
class Split:
    main: list[list[str]]
    superseded: list[list[str]]
    excluded: list[tuple[dict[str, str], str]]


def _marks(note: str) -> list[str]:
    """The vocabulary words a gathered note begins its parts with ("conflict; approx 3.33…"
    -> ["conflict", "approx"]); free text after them is not read."""
    return [part.strip().split(" ")[0].rstrip(":") for part in note.split(";")]


def flag_of(row: dict[str, str]) -> str:
    """The flag a kept figure carries (FLAG_NOTES), "" for a final one."""
    return next((m for m in _marks(row["note"]) if m in FLAG_NOTES), "")


def _note(row: dict[str, str], extra: str) -> str:
    parts = [p for p in (row["note"], extra) if p]
    kind = {"repost": "compiled from a public repost", "official": "official release",
            "nbs-export": "NBS table export"}.get(row["source_kind"], row["source_kind"])  # fmt: skip
    head = f"[{'; '.join(parts)}] " if parts else ""
    return f"{head}{kind}: {row['source']} «{row['quote']}»"


def split_rows(rows: Iterable[dict[str, str]]) -> Split:
    """Decide for every gathered row: in force, superseded (conflict), or excluded (with why)."""
    main: list[list[str]] = []
    superseded: list[list[str]] = []
    excluded: list[tuple[dict[str, str], str]] = []
    # rows for the values in force, by catalogue key, until releases that disagree are settled
    candidates: dict[tuple[str, str, str], list[Candidate]] = {}
    for row in rows:
        name, note = row["indicator"], row["note"]
        if name in EXCLUDED_SERIES:
            excluded.append((row, EXCLUDED_SERIES[name]))
            continue
        if set(_marks(note)) & set(EXCLUDED_NOTES):
            excluded.append((row, f"marked {note!r}: not the year's plan indicator"))
            continue
        if name not in INDICATOR_MAP or row["region"] not in REGION_MAP:
            excluded.append((row, "no catalogue indicator or region for it"))
            continue
        ind, unit, factor = INDICATOR_MAP[name]
        region, scope_note = REGION_MAP[row["region"]]
        # keep the published digits exactly; only a unit conversion computes a new number
        value = row["value"] if factor == 1.0 else repr(round(float(row["value"]) * factor, 10))
        extra = scope_note
        if factor != 1.0:
            extra = "; ".join(p for p in (extra, f"published as {row['value']} {row['unit']}") if p)
        out = [ind, region, row["year"], value, unit, _note(row, extra), flag_of(row)]
        key = (name, row["region"], row["year"])
        if key in IN_FORCE_SOURCE and IN_FORCE_SOURCE[key] != row["source"]:
            superseded.append(out)
        else:
            candidates.setdefault((ind, region, row["year"]), []).append((row, out))
    for rivals in candidates.values():
        kept, lost, dropped = _one_figure(rivals)
        main.extend(out for _, out in kept)
        superseded.extend(out for _, out in lost)
        excluded.extend(dropped)
    main.extend(derived_ratios(main))
    return Split(main, superseded, excluded)


def derived_ratios(main: list[list[str]]) -> list[list[str]]:
    """RATIO_PARTS computed where both parts are kept and the ratio is not published: each a
    derived value whose note says so and gives both parts' sources; flagged when a part is."""
    have = {(out[0], out[1], out[2]): out for out in main}
    made: list[list[str]] = []
    for ratio, top, bottom in RATIO_PARTS:
        for (ind, region, year), num in sorted(have.items()):
            den = have.get((bottom, region, year))
            if ind != top or den is None or (ratio, region, year) in have:
                continue
            exact = float(num[3]) / float(den[3])
            value = f"{exact:.{RATIO_DECIMALS}f}"
            how = RATIO_REMARK.format(
                top=top, num=num[3], bottom=bottom, den=den[3], exact=f"{exact:.6g}",
                decimals=RATIO_DECIMALS,
            )  # fmt: skip
            note = f"[{how}] {top}: {num[5]} | {bottom}: {den[5]}"
            made.append([ratio, region, year, value, "倍（农村=1）", note, num[6] or den[6]])
    return made


def _digits(value: str) -> int:
    return len(value.split(".", 1)[1]) if "." in value else 0


def _one_figure(rivals: list[Candidate]) -> tuple[list[Candidate], list[Candidate], list[Excluded]]:
    """One value per (indicator, region, year): (in force, superseded, excluded with why).

    Releases that agree all stay (more sources, one figure). Where they differ, a figure marked
    `conflict` is kept visible as superseded and an approximate or preliminary one is left out,
    when another release gives an unmarked figure; and a figure that is another's rounding
    yields to the more precise one. Any other disagreement is left for the importer to refuse:
    it must be settled in IN_FORCE_SOURCE, never guessed.
    """
    plain = [r for r in rivals if not r[0]["note"].startswith((*LESSER_NOTES, "conflict"))]
    if len({out[3] for _, out in rivals}) == 1:
        # one figure: final when any release gives it unmarked (a prelim that became final)
        if plain and len(plain) < len(rivals):
            final = [r for r in rivals if r in plain or r[0]["note"].startswith("conflict")]
            dropped_same: list[Excluded] = [
                (row, f"marked {row['note'].split(';')[0]!r}; another release gives it as final")
                for row, _ in rivals
                if (row, _) not in final
            ]
            return final, [], dropped_same
        return rivals, [], []
    pool = plain or rivals
    superseded = [r for r in rivals if plain and r[0]["note"].startswith("conflict")]
    dropped: list[Excluded] = [
        (row, f"marked {row['note'].split(';')[0]!r} where another release gives the exact figure")
        for row, _ in rivals
        if plain and row["note"].startswith(LESSER_NOTES)
    ]
    best = max(_digits(out[3]) for _, out in pool)
    precise = [r for r in pool if _digits(r[1][3]) == best]
    for row, out in pool:
        if _digits(out[3]) < best:
            if all(round(float(p[3]), _digits(out[3])) == float(out[3]) for _, p in precise):
                dropped.append((row, f"the same figure rounded ({out[3]} for {precise[0][1][3]})"))
            else:
                precise.append((row, out))  # a real disagreement: the importer refuses it
    return precise, superseded, dropped


def build_bundled(src: Path, out_dir: Path = BUNDLED_DIR) -> Split:
    """Write the two bundled CSV files from the gathered table; return the split for reporting."""
    with src.open(encoding="utf-8", newline="") as fh:
        split = split_rows(csv.DictReader(fh))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in ((MAIN_FILE, split.main), (SUPERSEDED_FILE, split.superseded)):
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
    return split


def bundled_files(directory: Path = BUNDLED_DIR) -> list[Path]:
    """The bundled files in import order (superseded figures first, so the others are in force)."""
    return [directory / SUPERSEDED_FILE, directory / MAIN_FILE]


def ensure_bundled(tracker: Tracker, directory: Path = BUNDLED_DIR) -> int | None:
    """On an empty database import the bundled statistics; return the last import id or None."""
    if not tracker.store.is_empty():
        return None
    from targets.ingest import import_files

    result = import_files(
        tracker.store, tracker.catalogue, tracker.regions, bundled_files(directory),
        user="system", note=BUNDLED_NOTE, tracker=tracker,
    )  # fmt: skip
    if not result.report.ok:
        problems = "; ".join(str(e) for f in result.report.files for e in f.errors[:5])
        raise RuntimeError(f"the bundled statistics did not import: {problems}")
    ids = [f.import_id for f in result.report.files if f.import_id is not None]
    return max(ids) if ids else None


def is_bundled(note: str) -> bool:
    return BUNDLED_NOTE in (note or "")


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys

    source = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else config.ROOT.parent / "shared" / "data" / "observed_sources.csv"
    )
    result = build_bundled(source)
    print(
        f"in force: {len(result.main)}, superseded: {len(result.superseded)}, excluded: {len(result.excluded)}"
    )
    for row, why in result.excluded:
        print(f"  excluded {row['indicator']} {row['region']} {row['year']} {row['value']}: {why}")
