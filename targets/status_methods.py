"""Three ways of judging the same goal, side by side, and where they disagree.

1. Ratio method (the tracker's pace status; Statistics Canada / Open SDG / Eurostat): growth
   observed since the baseline against growth required — `pace_status` of the gap table, as
   computed by `targets.progress` (whose headline `status` turns to distance near the goal year).
2. Projection method (UN ESCAP's "anticipated progress"): the value the trend gives for the
   milestone year against the goal — will_meet, or will_miss by `projection_shortfall` (in the
   indicator's unit). The trend is the engine's `projected` (log-linear least squares over the
   last five observed years). Where the value for the milestone year is already known it replaces
   the projection: met / missed.
3. Germany's indicator-report rule (Destatis, Indikatorenbericht zur Deutschen
   Nachhaltigkeitsstrategie, "weather symbols"): the deviation of the trend value from the goal
   as a share of the distance still to go,

       deviation = (T − P) / (T − v_t)

   with T the goal, P the projected value at the milestone year and v_t the latest value. The
   ratio needs no orientation: numerator and denominator both change sign with the goal's
   direction. deviation ≤ 0: the trend reaches or passes the goal.
   - sun (☀): deviation < 5% — the goal is reached or missed by less than 5% of the distance;
   - partly cloudy (◐): 5% ≤ deviation < 20%;
   - cloudy (☁): 20% ≤ deviation < 100% — moving towards the goal, too slowly;
   - thunderstorm (☂): deviation ≥ 100% — the trend stands still or moves away.
   Already met (v_t meets T, so T − v_t is zero or of the wrong sign): sun when the projection
   still meets the goal, thunderstorm when the trend leads back below it (it moves away).
   Milestone passed with its value known: sun when met; when missed, cloudy if the value moved
   towards the goal since the baseline (progress > 0), else thunderstorm.
   Destatis extrapolates the mean yearly change of the last five years; here the engine's one
   trend is used for both projection-based methods so that they differ only in the rule.
   No projection (a single value): none.

On course: ratio achieved | on_track; projection will_meet | met; Germany sun. `agree` is True
when all three say on course or all three say off course, False otherwise, NA when a method
cannot judge (no data, one value).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from targets.assessment import VERDICT_LABELS

# the engine's own comparator rule: one place decides whether a value meets a goal
from targets.progress import meets

SUN = 0.05
PARTLY_CLOUDY = 0.20

PROJECTION_STATUSES: tuple[str, ...] = ("met", "will_meet", "will_miss", "missed", "none")
GERMANY_STATUSES: tuple[str, ...] = ("sun", "partly_cloudy", "cloudy", "thunderstorm", "none")
ON_COURSE: dict[str, frozenset[str]] = {
    "status_ratio": frozenset({"achieved", "on_track"}),
    "status_projection": frozenset({"met", "will_meet"}),
    "status_germany": frozenset({"sun"}),
}
# statuses that are no judgement at all
UNJUDGED: frozenset[str] = frozenset({"insufficient_data", "no_data", "none"})

LABELS: dict[str, dict[str, str]] = {
    # the final verdict's words are the assessment's (one vocabulary: targets.assessment)
    "met": VERDICT_LABELS["met"],
    "will_meet": {"zh": "预计可实现", "en": "will meet"},
    "will_miss": {"zh": "预计难以实现", "en": "will miss"},
    "missed": VERDICT_LABELS["missed"],
    "sun": {"zh": "☀ 晴", "en": "☀ sun"},
    "partly_cloudy": {"zh": "◐ 晴间多云", "en": "◐ partly cloudy"},
    "cloudy": {"zh": "☁ 多云", "en": "☁ cloudy"},
    "thunderstorm": {"zh": "☂ 雷雨", "en": "☂ thunderstorm"},
    "none": {"zh": "无法判断", "en": "cannot judge"},
}
# Symbols only from Noto CJK's repertoire (☀ ◐ ☁ ☂): the PDF embeds that font, and U+26C8 or U+1F324
# would print as empty boxes. The words carry the meaning; the symbols only echo it.

METHOD_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "milestone_year",
    "value",
    "target",
    "projected",
    "status_ratio",
    "status_projection",
    "projection_shortfall",
    "deviation",
    "status_germany",
    "agree",
)


def label(status: str, lang: str = "zh") -> str:
    """The label of a projection or German status (the ratio method's: progress.status_label)."""
    return LABELS[status]["en" if lang == "en" else "zh"]


def compare_methods(gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per gap row: the three methods' judgements and whether they agree."""
    n = len(gaps)
    value = pd.to_numeric(gaps["value"], errors="coerce").to_numpy(dtype=np.float64)
    target = pd.to_numeric(gaps["target"], errors="coerce").to_numpy(dtype=np.float64)
    projected = pd.to_numeric(gaps["projected"], errors="coerce").to_numpy(dtype=np.float64)
    progress_share = pd.to_numeric(gaps["progress"], errors="coerce").to_numpy(dtype=np.float64)
    comparator = gaps["comparator"].astype(object).to_numpy()
    d = np.where(gaps["direction"].astype(object).to_numpy() == "lower_is_better", -1.0, 1.0)
    year = pd.to_numeric(gaps["year"], errors="coerce").to_numpy(dtype=np.float64)
    known = year == gaps["milestone_year"].to_numpy(dtype=np.float64)  # value for Y is in
    # the ratio method is the pace status; the headline (`status`) turns to distance near the goal
    ratio_col = "pace_status" if "pace_status" in gaps.columns else "status"
    status_ratio = gaps[ratio_col].astype(object).to_numpy()

    met_now = meets(value, target, comparator)
    # the value judged by the projection method: the actual one once the milestone year is in
    judged = np.where(known, value, projected)
    met_then = meets(judged, target, comparator)
    usable = np.isfinite(judged) & np.isfinite(target) & (status_ratio != "no_data")

    status_projection = np.full(n, "none", dtype=object)
    status_projection[usable & known] = np.where(met_then[usable & known], "met", "missed")
    running = usable & ~known
    status_projection[running] = np.where(met_then[running], "will_meet", "will_miss")
    shortfall = np.where(usable & ~met_then, d * (target - judged), np.nan)
    shortfall = np.where(usable & met_then, 0.0, shortfall)

    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = np.where(
            usable & ~known & ~met_now, (target - projected) / (target - value), np.nan
        )
    status_germany = np.full(n, "none", dtype=object)
    for i in np.flatnonzero(usable):
        status_germany[i] = _weather(
            bool(known[i]), bool(met_now[i]), bool(met_then[i]), deviation[i], progress_share[i]
        )

    out = pd.DataFrame(
        {
            "indicator": gaps["indicator"].to_numpy(),
            "region": gaps["region"].to_numpy(),
            "milestone_year": gaps["milestone_year"].to_numpy(),
            "value": value,
            "target": target,
            "projected": projected,
            "status_ratio": status_ratio,
            "status_projection": status_projection,
            "projection_shortfall": shortfall,
            "deviation": deviation,
            "status_germany": status_germany,
        }
    )
    for col in ("indicator", "region", "status_ratio", "status_projection", "status_germany"):
        out[col] = out[col].astype("str")
    out["agree"] = _agree(out)
    return out[list(METHOD_COLUMNS)]


def _weather(known: bool, met_now: bool, met_then: bool, deviation: float, progress: float) -> str:
    if known:  # the milestone year's value is in: no extrapolation left to judge
        if met_now:
            return "sun"
        return "cloudy" if np.isfinite(progress) and progress > 0 else "thunderstorm"
    if met_now:
        return "sun" if met_then else "thunderstorm"
    if np.isnan(deviation):  # ±inf (v_t exactly at a strict goal) still has a sign to judge
        return "none"
    if deviation < SUN:
        return "sun"
    if deviation < PARTLY_CLOUDY:
        return "partly_cloudy"
    if deviation < 1.0:
        return "cloudy"
    return "thunderstorm"


def _agree(frame: pd.DataFrame) -> pd.arrays.BooleanArray:
    """True: all three on course or all three off course; False: mixed; NA: one cannot judge."""
    cols = list(ON_COURSE)
    unjudged = np.zeros(len(frame), dtype=bool)
    on = np.zeros((len(frame), len(cols)), dtype=bool)
    for j, col in enumerate(cols):
        values = frame[col].to_numpy(dtype=object)
        unjudged |= np.isin(values, list(UNJUDGED))
        on[:, j] = np.isin(values, list(ON_COURSE[col]))
    same = on.all(axis=1) | (~on).all(axis=1)
    return pd.arrays.BooleanArray(same, unjudged)


def disagreements(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of compare_methods where the methods do not agree (agree is False)."""
    return frame[frame["agree"].eq(False).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
