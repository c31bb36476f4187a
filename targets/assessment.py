"""Judging goals beyond the status: pace against schedule, the final assessment, priorities.

Everything here reads the engine's gap table (`targets.progress.compute_gaps`): targets,
progress, schedule years and statuses are never recomputed, only selected and worded.

- Pace against schedule (序时进度): `pace_text` words a gap row ("2.1 years behind schedule;
  needs +5.3% a year to reach the 2025 goal"); `behind_schedule` lists the rows whose progress
  share trails the share of time elapsed.
- Final assessment of a passed milestone: `final_assessment` judges each goal on the value FOR
  the milestone year (met / missed, with a signed margin), and says where that value is still
  missing (pending, with the latest value known).
- Binding or indicative goals: `priority_order` puts binding goals at risk first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from targets import aggregate, progress, reasons, statuses
from targets.aggregate import CatalogueLike, RegionsLike
from targets.display import comparator_sign
from targets.models import Indicator
from targets.provenance import provisional_text, provisional_words

Verdict = Literal["met", "missed", "pending"]
VERDICTS: tuple[str, ...] = ("met", "missed", "pending")
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "met": {"zh": "已实现", "en": "met"},
    "missed": {"zh": "未实现", "en": "missed"},
    "pending": {"zh": "待定", "en": "pending"},
}
# a verdict is never shown by colour alone: its symbol goes with its word
VERDICT_SYMBOLS: dict[str, str] = {"met": "✓", "missed": "✗", "pending": "…"}
# a lead or lag shorter than this (in years) is worded "on schedule"
ON_SCHEDULE_YEARS = 0.05
# statuses that put a goal at risk (priority_order); achieved and on_track are safe, and
# insufficient_data / no_data cannot be judged
AT_RISK: tuple[str, ...] = (
    "missed", "moving_away", "far", "insufficient", "short", "moderate",
)  # fmt: skip
NATURE_RANK: dict[str, int] = {"binding": 0}  # every other nature (indicative, unset) ranks 1

ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "goal_scope",
    "role",
    "milestone_year",
    "baseline_year",
    "baseline_value",
    "target",
    "comparator",
    "direction",
    "value",
    "verdict",
    "margin",
    "margin_pct",
    "source",
    "import_id",
    "derived",
    "latest_year",
    "latest_value",
    "provisional",
    "provisional_flag",
    "provisional_reason",
    "provisional_reason_zh",
    "text",
)


class HasIndicators(Protocol):
    """What priority_order reads of a catalogue."""

    @property
    def indicators(self) -> Mapping[str, Indicator]: ...


def verdict_label(verdict: str, lang: str = "zh") -> str:
    return VERDICT_LABELS[verdict]["en" if lang == "en" else "zh"]


def final_verdict_text(verdict: str, lang: str = "zh") -> str:
    """Symbol and word: '✓ met', '✗ 未实现'."""
    return f"{VERDICT_SYMBOLS[verdict]} {verdict_label(verdict, lang)}"


def _fmt(value: float, decimals: int = 1) -> str:
    """A number as reports print it: fixed decimals, thousands separators, no '-0'."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def _finite(value: Any) -> bool:
    try:
        return value is not None and value is not pd.NA and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> float | None:
    """A finite float, or None for NaN, NA, None and text."""
    return float(value) if _finite(value) else None


# ---------------------------------------------------------------------------- pace


def pace_text(row: Mapping[str, Any] | pd.Series, lang: str = "zh", decimals: int = 2) -> str:
    """The pace of one gap row in words: years ahead/behind schedule and the growth still needed.

    "" where the pace is unknown (no data). With one value only there is no pace to compare
    with the schedule, only the growth still needed. `decimals` is used for a linear rate (units
    a year: series with zero or negative values); a compound rate is in percent.
    """
    en = lang == "en"
    if row.get("status") == "achieved":
        return "goal achieved" if en else "已实现目标"
    years = _number(row.get("schedule_years"))
    if years is None:
        return ""
    if row.get("pace_status", row.get("status")) == "insufficient_data":
        # the engine's schedule of a single value is 0 years: "on schedule" would be invented
        parts = []
    elif abs(years) < ON_SCHEDULE_YEARS:
        parts = ["on schedule" if en else "与序时进度持平"]
    elif years < 0:
        parts = [f"{-years:.1f} years behind schedule" if en else f"落后序时进度{-years:.1f}年"]
    else:
        parts = [f"{years:.1f} years ahead of schedule" if en else f"超前序时进度{years:.1f}年"]
    rate = _number(row.get("rate_needed"))
    if rate is not None:
        y = int(row["milestone_year"])
        if bool(row.get("linear", False)):
            amount = _fmt(abs(rate), decimals)
            if en:
                parts.append(
                    f"needs {'+' if rate >= 0 else '−'}{amount} a year to reach the {y} goal"
                )
            else:
                parts.append(f"实现{y}年目标需每年{'增加' if rate >= 0 else '减少'}{amount}")
        else:
            pct = f"{abs(rate) * 100:.1f}%"
            if en:
                parts.append(f"needs {'+' if rate >= 0 else '−'}{pct} a year to reach the {y} goal")
            else:
                parts.append(f"实现{y}年目标需年均{'增长' if rate >= 0 else '下降'}{pct}")
    return ("; " if en else "；").join(parts)


def behind_schedule(gaps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Gap rows behind schedule (progress < time elapsed, not achieved), most behind first.

    Adds a column `pace` (pace_text in `lang`). Rows whose pace is unknown are left out.
    """
    progress_share = pd.to_numeric(gaps["progress"], errors="coerce")
    elapsed = pd.to_numeric(gaps["time_elapsed"], errors="coerce")
    mask = (progress_share < elapsed).fillna(False) & (gaps["status"] != "achieved")
    out = gaps[mask.to_numpy(dtype=bool)].sort_values(
        "schedule_years", kind="stable", ignore_index=True
    )
    pace = [pace_text(r, lang) for r in out.to_dict("records")]
    return out.assign(pace=pd.array(pace, dtype="str"))


# ---------------------------------------------------------------------------- final assessment


def _sources(full: aggregate.Derived) -> pd.DataFrame:
    """note, import_id and derived of every value in force, observed or derived by the engine."""
    cols = ["indicator", "region", "year", "note", "import_id", "derived"]
    frame = full.frame[cols].copy()
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    # the frame holds values in force; where a key repeats, the later row wins (as in encode)
    return frame.drop_duplicates(["indicator", "region", "year"], keep="last")


def final_assessment(
    catalogue: CatalogueLike,
    regions: RegionsLike,
    obs: pd.DataFrame | aggregate.Derived,
    milestone: int,
    lang: str = "zh",
) -> pd.DataFrame:
    """The final-evaluation table of one milestone year (columns ASSESSMENT_COLUMNS).

    Each goal is judged on its value FOR the milestone year, by the engine (compute_gaps with
    year=milestone: status achieved → met, missed → missed). Where that value is not published
    yet the verdict is pending and latest_year/latest_value give the latest value known.
    margin is signed in the goal's direction (positive: beyond the goal; negative: short of it),
    in the indicator's unit; margin_pct is the margin as a percent of |target|. source and
    import_id say where the value comes from (for a derived value: the derivation, no import).
    `obs` may come derived already (aggregate.Derived). provisional says the verdict rests
    on a flagged value (targets.provenance), provisional_flag on which flag, provisional_reason
    why in `lang` and provisional_reason_zh why in Chinese: the columns
    `targets.provenance.provisional_words` reads, so the table's verdicts are worded as every
    other surface words them.
    """
    full = aggregate.derived(catalogue, regions, obs)
    gaps = progress.compute_gaps(catalogue, regions, full, milestone=milestone, year=milestone)
    en = lang == "en"
    year = pd.to_numeric(gaps["year"], errors="coerce")
    for_y = (year == milestone).fillna(False).to_numpy(dtype=bool)
    status = gaps["status"].to_numpy(dtype=object)
    verdict = np.where(
        for_y & (status == "achieved"),
        "met",
        np.where(for_y & (status == "missed"), "missed", "pending"),
    )
    sign = np.where(gaps["direction"].to_numpy(dtype=object) == "lower_is_better", -1.0, 1.0)
    value = gaps["value"].to_numpy(dtype=np.float64)
    target = gaps["target"].to_numpy(dtype=np.float64)
    judged = verdict != "pending"
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = np.where(judged, sign * (value - target), np.nan)
        margin_pct = np.where(judged & (target != 0), margin / np.abs(target) * 100, np.nan)

    src = _sources(full)
    keyed = gaps[["indicator", "region"]].assign(year=year.astype("Int64"))
    found = keyed.merge(src, on=["indicator", "region", "year"], how="left")
    # only a verdict can be provisional: a pending goal is judged on nothing yet
    provisional = judged & gaps["provisional"].to_numpy(dtype=bool)
    records = gaps.to_dict("records")

    out = pd.DataFrame(
        {
            "indicator": gaps["indicator"],
            "region": gaps["region"],
            # whose goal: a province judged against the delta's goal is a benchmark verdict
            "goal_scope": gaps["goal_scope"],
            "role": gaps["role"],
            "milestone_year": gaps["milestone_year"],
            "baseline_year": gaps["baseline_year"],
            "baseline_value": gaps["baseline_value"],
            "target": target,
            "comparator": gaps["comparator"],
            "direction": gaps["direction"],
            "value": np.where(judged, value, np.nan),
            "verdict": pd.array(verdict, dtype="str"),
            "margin": margin,
            "margin_pct": margin_pct,
            "source": pd.array(found["note"].to_numpy(dtype=object), dtype="str"),
            "import_id": pd.array(
                pd.to_numeric(found["import_id"], errors="coerce"), dtype="Int64"
            ),
            "derived": found["derived"].fillna(False).astype(bool).to_numpy(),
            "latest_year": gaps["year"].where(~pd.Series(judged)),
            "latest_value": np.where(judged, np.nan, value),
            "provisional": provisional,
            "provisional_flag": pd.array(
                np.where(provisional, gaps["provisional_flag"].to_numpy(dtype=object), ""),
                dtype="str",
            ),
            "provisional_reason": pd.array(
                [
                    provisional_text(g, lang) if p else ""
                    for g, p in zip(records, provisional, strict=True)
                ],
                dtype="str",
            ),
            "provisional_reason_zh": pd.array(
                [
                    provisional_text(g, "zh") if p else ""
                    for g, p in zip(records, provisional, strict=True)
                ],
                dtype="str",
            ),
        }
    )
    texts = []
    names = reasons.reason_names(catalogue, regions, "en" if en else "zh")
    for g, o in zip(records, out.to_dict("records"), strict=True):
        ind = catalogue.indicators.get(str(g["indicator"]))
        decimals = ind.decimals if ind is not None else 2
        text = _assessment_text(g, o, milestone, decimals, en, names)
        # a verdict on a flagged value says so, and why, in the words of every surface
        words = provisional_words(o, lang)
        if words:
            text += f" — {words}" if en else f"——{words}"
        texts.append(text)
    out["text"] = pd.array(texts, dtype="str")
    return out[list(ASSESSMENT_COLUMNS)]


def _assessment_text(
    gap: Mapping[str, Any],
    row: Mapping[str, Any],
    milestone: int,
    decimals: int,
    en: bool,
    names: Mapping[str, str],
) -> str:
    """'met: 3.29 > 3 by 0.29 (9.7%)' · 'pending: value for 2025 not yet published; latest …'."""
    sign = comparator_sign(gap["comparator"])
    verdict = row["verdict"]
    if verdict in ("met", "missed"):
        v = _fmt(row["value"], decimals)
        t = _fmt(row["target"], decimals)
        m = _fmt(abs(row["margin"]), decimals)
        pct = f" ({abs(row['margin_pct']):.1f}%)" if _finite(row["margin_pct"]) else ""
        pct_zh = f"（{abs(row['margin_pct']):.1f}%）" if _finite(row["margin_pct"]) else ""
        if verdict == "met":
            if en:
                return f"met: {v} (goal {sign} {t}), beyond it by {m}{pct}"
            return f"已实现：{v}（目标{sign}{t}），超出{m}{pct_zh}"
        if en:
            return f"missed: {v} (goal {sign} {t}), short by {m}{pct}"
        return f"未实现：{v}（目标{sign}{t}），差距{m}{pct_zh}"
    if not _finite(gap["value"]):
        why = reasons.reason_text(gap.get("reason"), "en" if en else "zh", names)
        # the engine's plain "no value" says nothing the sentence does not say already
        if why == "no value":
            why = ""
        if en:
            return f"pending: value for {milestone} not yet published; no earlier value" + (
                f" ({why})" if why else ""
            )
        return f"待定：{milestone}年数值尚未公布，此前亦无数值" + (f"（{why}）" if why else "")
    latest = f"{int(gap['year'])}: {_fmt(float(gap['value']), decimals)}"
    latest_zh = f"最新为{int(gap['year'])}年：{_fmt(float(gap['value']), decimals)}"
    if not _finite(gap["target"]):
        why = reasons.reason_text(gap.get("reason"), "en" if en else "zh", names) or "no target"
        if en:
            return f"pending: the goal cannot be judged ({why}); latest {latest}"
        return f"待定：无法评估（{why}）；{latest_zh}"
    already = gap["status"] == "achieved"
    if en:
        note = " (already meets the goal)" if already else ""
        return f"pending: value for {milestone} not yet published; latest {latest}{note}"
    note = "（已达到目标）" if already else ""
    return f"待定：{milestone}年数值尚未公布；{latest_zh}{note}"


# ---------------------------------------------------------------------------- areas


def areas(catalogue: HasIndicators, frame: pd.DataFrame) -> list[str]:
    """The areas (catalogue categories) of the goals `frame` holds, in catalogue order: the
    parts the drafted text is in (targets.reports.drafting), and the final table's parts."""
    present = set(frame["indicator"].astype(str)) if not frame.empty else set()
    out: list[str] = []
    for ind_id, ind in catalogue.indicators.items():
        if ind_id in present and ind.category not in out:
            out.append(ind.category)
    return out


def in_area(catalogue: HasIndicators, frame: pd.DataFrame, area: str) -> pd.DataFrame:
    """The rows of `frame` whose goal belongs to `area` (a catalogue category)."""
    ids = [i for i, ind in catalogue.indicators.items() if ind.category == area]
    return frame[frame["indicator"].isin(ids)]


# ---------------------------------------------------------------------------- priorities


def priority_order(gaps: pd.DataFrame, catalogue: HasIndicators) -> pd.DataFrame:
    """Gap rows in the order a review should take them: binding goals at risk first.

    Groups: (1) binding goals at risk, (2) other goals at risk, (3) the rest. Within a group the
    worse status comes first (missed, moving away, insufficient, moderate), then the further
    behind schedule. Adds `nature` (binding | indicative | "" where the plan does not say),
    `at_risk` (status in AT_RISK) and `priority` (1 = first).
    """
    nature = [
        str(getattr(catalogue.indicators.get(str(i)), "nature", None) or "")
        for i in gaps["indicator"]
    ]
    status = gaps["status"].astype(object)
    at_risk = status.isin(AT_RISK).to_numpy(dtype=bool)
    binding = np.array([NATURE_RANK.get(n, 1) for n in nature])
    group = np.where(at_risk, binding, 2)
    # a worse status first within a group: among the at-risk ones the engine's rank grows worse
    severity = -status.map(statuses.RANK).fillna(len(statuses.RANK)).to_numpy()
    behind = pd.to_numeric(gaps["schedule_years"], errors="coerce").fillna(np.inf).to_numpy()
    # the rest keep the engine's order (catalogue, region, milestone): lexsort is stable
    order = np.lexsort((np.where(at_risk, behind, 0.0), np.where(at_risk, severity, 0), group))
    out = gaps.iloc[order].reset_index(drop=True)
    return out.assign(
        nature=pd.array([nature[i] for i in order], dtype="str"),
        at_risk=at_risk[order],
        priority=np.arange(1, len(out) + 1),
    )
