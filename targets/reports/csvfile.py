"""The gap report as CSV: UTF-8 with a BOM (so Excel and WPS read the Chinese names), one row per
indicator × region, the gap table's machine column names plus name columns in the report's language.

Numbers are rounded as the README states: values in the indicator's unit (value, target, gap,
baseline, projection) to the indicator's decimals, shares and rates to RATE_DECIMALS places.
"""

from __future__ import annotations

import pandas as pd

from targets.formula_injection import neutralise_frame
from targets.progress import GAP_COLUMNS
from targets.reports.model import Report
from targets.reports.steps import Progress, ProgressCallback, as_progress

NAME_COLUMNS = {"indicator": "indicator_name", "region": "region_name"}
# columns in the indicator's unit, rounded to its `decimals`
UNIT_COLUMNS = ("value", "target", "gap", "baseline_value", "projected")
# shares of the goal or of the time (0.7143), growth rates and ratios: a fixed precision
RATE_COLUMNS = (
    "gap_pct", "progress", "time_elapsed", "actual_rate", "required_rate", "ratio",
    "distance_share",
)  # fmt: skip
RATE_DECIMALS = 4


def csv_columns() -> list[str]:
    """GAP_COLUMNS with each id followed by its name (and the indicator's unit), then the status
    label and whether the verdict is provisional, with why."""
    out: list[str] = []
    for col in GAP_COLUMNS:
        out.append(col)
        if col in NAME_COLUMNS:
            out.append(NAME_COLUMNS[col])
        if col == "region":
            out.append("unit")
    out.append("status_label")
    # whether the verdict rests on a flagged value, and why (in the report's language)
    out += ["provisional", "provisional_reason"]
    # whose goal, the pace beside the headline, and why (targets.verdicts, in the report's words)
    out += ["goal_scope", "role", "pace_status", "status_rule", "distance_share", "status_text",
            "status_why"]  # fmt: skip
    return [*out, *VERDICT_COLUMNS]


# the final verdict of the report's milestone (targets.assessment: met / missed / pending), its
# words as every other format shows them (analyses.verdict_words) and whether the verdict is
# provisional: `provisional` is the status's, which differs for a pending goal (never provisional:
# nothing is judged yet) whose latest value is flagged
VERDICT_COLUMNS = ("verdict", "verdict_text", "verdict_provisional")


def with_verdicts(rows: pd.DataFrame, assessment: pd.DataFrame) -> pd.DataFrame:
    """`rows` with VERDICT_COLUMNS from the report's assessment table, joined on indicator and
    region; "" where the assessment has no row (a goal without this milestone)."""
    ids = ["indicator_id", "region_id"]
    if assessment.empty or not set(ids) <= set(assessment.columns):
        return rows.assign(verdict="", verdict_text="", verdict_provisional="")
    verdicts = assessment[[*ids, "verdict_id", "verdict", "verdict_provisional"]].rename(
        columns={"indicator_id": "indicator", "region_id": "region", "verdict": "verdict_text",
                 "verdict_id": "verdict"}
    )  # fmt: skip
    out = rows.merge(verdicts, on=["indicator", "region"], how="left", validate="many_to_one")
    out.index = rows.index
    return out.fillna({c: "" for c in VERDICT_COLUMNS})


def _fixed(value: float, decimals: int) -> str:
    """2.6912 -> '2.69', 32.0 -> '32' (0 decimals), missing -> '' (an empty CSV field)."""
    if pd.isna(value):
        return ""
    text = f"{value:.{max(decimals, 0)}f}"
    # "-0.0" reads as a sign error
    return text.lstrip("-") if float(text) == 0 else text


def rounded(frame: pd.DataFrame, decimals: pd.Series) -> pd.DataFrame:
    """`frame` with UNIT_COLUMNS written to each row's `decimals` (as fixed-point text, so 32 is
    not '32.0') and RATE_COLUMNS rounded to RATE_DECIMALS."""
    out = frame.copy()
    places = decimals.astype("int64").tolist()
    for col in UNIT_COLUMNS:
        numbers = pd.to_numeric(out[col], errors="coerce").astype("float64").tolist()
        out[col] = [_fixed(v, d) for v, d in zip(numbers, places, strict=True)]
    for col in RATE_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64").round(RATE_DECIMALS)
    return out


def to_csv(report: Report, progress: ProgressCallback | Progress | None = None) -> bytes:
    """The CSV file's bytes (CRLF line ends, as RFC 4180 and Excel expect)."""
    as_progress(progress).begin("csv:write")
    # neutralised before the numbers become text: a negative number is not a formula
    rows = with_verdicts(report.rows, report.assessment)
    frame = rounded(neutralise_frame(rows[csv_columns()]), rows["decimals"])
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
