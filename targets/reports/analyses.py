"""The four analysis tables of a report, worded: assessment, convergence, contributions, methods.

Each takes the Tracker's cached analysis (Tracker.assessment, .convergence,
.regional_contributions, .methods), keeps the report's scope and words it as display strings,
in columns named by the keys of targets.reports.text.TEXT.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import pandas as pd

from targets import roles, statuses
from targets.contribution import value_words
from targets.display import DASH, goal_text, is_missing, number, with_unit, year_text
from targets.source_notes import note_text

if TYPE_CHECKING:
    from targets.tracker import Tracker

ASSESSMENT_TABLE_COLUMNS: tuple[str, ...] = (
    "indicator", "region", "goal", "value", "verdict", "margin", "source",
)  # fmt: skip
# the ids of each assessment row, beside its words (not shown: joined on by the CSV report)
ASSESSMENT_ID_COLUMNS: tuple[str, ...] = (
    "indicator_id", "region_id", "verdict_id", "verdict_provisional",
)  # fmt: skip
CONVERGENCE_TABLE_COLUMNS: tuple[str, ...] = ("indicator", "years", "cv", "maxmin", "trend")
# the numbers behind its "2018–2023", "0.066 → 0.065" and "1.21 → 1.20" (Tracker.convergence)
CONVERGENCE_NUMBER_COLUMNS: tuple[str, ...] = (
    "first_year", "last_year", "cv_first", "cv_last", "maxmin_first", "maxmin_last",
)  # fmt: skip
METHODS_TABLE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "m_ratio",
    "m_projection",
    "m_germany",
    "m_agree",
)
CONTRIBUTION_TABLE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "contrib_year",
    "region",
    "value",
    "share",
)
# The numbers behind some display columns, for Excel (which stores numbers as numbers): the
# column `NAME_num` holds the number, shown with the row's `decimals` or as a percentage.
# A convergence cv has 3 decimals and a max/min ratio 2, as their display text; a year is a whole
# number without a thousands separator.
NUMBER_COLUMNS: dict[str, str] = {"value_num": "decimals", "margin_num": "decimals",
                                  "margin_pct_num": "percent", "share_num": "percent",
                                  "value_year": "year", "year_num": "year", "first_year": "year", "last_year": "year",
                                  "cv_first": "cv", "cv_last": "cv",
                                  "maxmin_first": "ratio", "maxmin_last": "ratio"}  # fmt: skip


def methods_table(
    tracker: Tracker,
    milestone: int,
    regions: Collection[str] | None,
    indicators: Collection[str] | None,
    lang: str,
) -> pd.DataFrame:
    """Tracker.methods for the report's scope (goals with data), disagreements said in words."""
    from targets.status_methods import label

    frame = tracker.methods(milestone)
    frame = frame[frame["status_ratio"] != "no_data"]
    if regions:
        frame = frame[frame["region"].isin(list(regions))]
    if indicators:
        frame = frame[frame["indicator"].isin(list(indicators))]
    words = {True: ("✓ 一致", "✓ agree"), False: ("⚠ 不一致", "⚠ disagree")}
    out = []
    for r in frame.to_dict("records"):
        agree = r["agree"]
        known = agree is not pd.NA and agree is not None
        said = words[bool(agree)] if known else ("— 无法判断", "— cannot judge")
        ind = tracker.catalogue.indicators.get(r["indicator"])
        status = str(r["status_ratio"])
        out.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else r["indicator"],
                "region": tracker.regions.name(r["region"], lang),
                "m_ratio": statuses.text(status, lang),
                "m_projection": label(str(r["status_projection"]), lang),
                "m_germany": label(str(r["status_germany"]), lang),
                "m_agree": said[1 if lang == "en" else 0],
            }
        )
    return pd.DataFrame(out, columns=list(METHODS_TABLE_COLUMNS), dtype="str")


def contribution_table(
    tracker: Tracker, indicators: Collection[str] | None, lang: str
) -> pd.DataFrame:
    """Tracker.regional_contributions for the report's indicators, worded."""
    out = []
    for ind_id, year, frame in tracker.regional_contributions():
        if indicators and ind_id not in indicators:
            continue
        ind = tracker.catalogue.indicators[ind_id]
        ratio = frame.attrs.get("method") != "additive"
        col = "share_of_gap" if ratio else "share_of_total"
        what = (
            ("占全域差距" if ratio else "占总量")
            if lang == "zh"
            else ("of the gap" if ratio else "of the total")
        )
        for r in frame[frame["region"] != "yrd"].to_dict("records"):
            out.append(
                {
                    "indicator": ind.name.get(lang),
                    "contrib_year": year_text(year),
                    "region": tracker.regions.name(r["region"], lang),
                    "value": with_unit(value_words(r, int(ind.decimals), lang), ind.unit.get(lang)),
                    "share": f"{number(100 * r[col], 1)}% {what}",
                    "value_num": r["value"],
                    "unit": ind.unit.get(lang),
                    "decimals": int(ind.decimals),
                    "share_num": r[col],
                    "share_of": what,
                    "year_num": int(year),
                }
            )
    extra = ["value_num", "unit", "decimals", "share_num", "share_of", "year_num"]
    return _typed(pd.DataFrame(out, columns=[*CONTRIBUTION_TABLE_COLUMNS, *extra]))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Display columns as text, the numbers behind them (NUMBER_COLUMNS, decimals) as numbers."""
    types = {c: "str" for c in frame.columns}
    types.update({c: "float64" for c in frame.columns if c in NUMBER_COLUMNS})
    # years stay whole numbers (2023, not 2023.0), missing where there is none
    types.update({c: "Int64" for c in frame.columns if NUMBER_COLUMNS.get(c) == "year"})
    if "decimals" in frame.columns:
        types["decimals"] = "int64"
    return frame.astype(types)


def verdict_words(row: dict[str, Any], lang: str, scope_name: str = "") -> str:
    """'✔ met', then for a benchmark the note '※ benchmark: the plan sets this goal for …', and
    for a verdict resting on a flagged value '— provisional (approximate): why', in the words of
    targets.provenance (provisional_words) as every page words it. The CLI and every report
    format word a final verdict through this."""
    from targets.assessment import final_verdict_text
    from targets.provenance import provisional_words

    words = final_verdict_text(str(row["verdict"]), lang)
    if roles.is_benchmark(row):
        words += f" · {roles.benchmark_note(scope_name, lang)}"
    provisional = provisional_words(row, lang)
    if not provisional:
        return words
    return f"{words} — {provisional}" if lang == "en" else f"{words}——{provisional}"


def assessment_table(
    tracker: Tracker,
    milestone: int,
    regions: Collection[str] | None,
    indicators: Collection[str] | None,
    lang: str,
) -> pd.DataFrame:
    """Tracker.assessment in the report's scope, worded (verdict with symbol and word)."""

    frame = tracker.assessment(milestone, lang)
    if regions:
        frame = frame[frame["region"].isin(list(regions))]
    if indicators:
        frame = frame[frame["indicator"].isin(list(indicators))]
    out = []
    for r in frame.to_dict("records"):
        ind = tracker.catalogue.indicators.get(r["indicator"])
        unit = ind.unit.get(lang) if ind is not None else ""
        dec = int(ind.decimals) if ind is not None else 2
        if r["verdict"] == "pending" and not is_missing(r["latest_value"]):
            value_num, value_year = r["latest_value"], r["latest_year"]
            value = f"{with_unit(number(value_num, dec), unit)} ({year_text(value_year)})"
        else:
            value_num, value_year = r["value"], None if is_missing(r["value"]) else milestone
            value = with_unit(number(value_num, dec), unit)
        margin = number(r["margin"], dec, sign=True)
        if not is_missing(r["margin_pct"]):
            margin += f" ({number(r['margin_pct'], 1, sign=True)}%)"
        scope = tracker.regions.name(str(r.get("goal_scope", "")), lang)
        out.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else r["indicator"],
                "region": tracker.regions.name(r["region"], lang),
                "goal": goal_text(r["comparator"], r["target"], dec, unit),
                "value": value,
                "verdict": verdict_words(r, lang, scope),
                "margin": margin,
                "source": "" if is_missing(r["source"]) else note_text(str(r["source"]), lang),
                "value_num": None if is_missing(value_num) else float(value_num),
                "unit": unit,
                "value_year": None if is_missing(value_year) else int(value_year),
                "margin_num": None if is_missing(r["margin"]) else float(r["margin"]),
                "margin_pct_num": (
                    None if is_missing(r["margin_pct"]) else float(r["margin_pct"]) / 100
                ),
                "decimals": dec,
                # the ids behind the words: the CSV report joins its gap rows on them
                "indicator_id": str(r["indicator"]),
                "region_id": str(r["region"]),
                "verdict_id": str(r["verdict"]),
                "verdict_provisional": str(bool(r.get("provisional", False))),
            }
        )
    extra = ["value_num", "unit", "value_year", "margin_num", "margin_pct_num", "decimals",
             *ASSESSMENT_ID_COLUMNS]  # fmt: skip
    return _typed(pd.DataFrame(out, columns=[*ASSESSMENT_TABLE_COLUMNS, *extra]))


def convergence_table(
    tracker: Tracker, indicators: Collection[str] | None, lang: str
) -> pd.DataFrame:
    """Tracker.convergence (provinces) for the report's indicators, worded."""
    from targets.convergence import verdict_label

    frame = tracker.convergence("province")
    if indicators:
        frame = frame[frame["indicator"].isin(list(indicators))]
    out = []
    for r in frame.to_dict("records"):
        ind = tracker.catalogue.indicators.get(r["indicator"])
        years = (
            DASH
            if is_missing(r["first_year"])
            else f"{year_text(r['first_year'])}–{year_text(r['last_year'])}"
        )
        out.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else r["indicator"],
                "years": years,
                "cv": f"{number(r['cv_first'], 3)} → {number(r['cv_last'], 3)}",
                "maxmin": f"{number(r['maxmin_first'], 2)} → {number(r['maxmin_last'], 2)}",
                "trend": verdict_label(str(r["verdict"]), lang),
                **{
                    col: None if is_missing(r[col]) else r[col]
                    for col in CONVERGENCE_NUMBER_COLUMNS
                },
            }
        )
    frame = pd.DataFrame(out, columns=[*CONVERGENCE_TABLE_COLUMNS, *CONVERGENCE_NUMBER_COLUMNS])
    return _typed(frame)
