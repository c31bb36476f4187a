"""A verdict in words: why a gap row has its status, and why a status changed.

The hovers of the dashboard, the import warnings (targets.alerts), the CLI and the reports say
the same sentences, built here from the gap table's columns (targets.progress): the rule that made
the headline (pace or distance), the numbers it used and whose goal it is (targets.roles).
Whether a verdict is provisional is worded by targets.provenance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from targets import roles, statuses
from targets.display import DASH, difference, goal_text, is_missing, number, percent
from targets.reasons import reason_text


def _int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def _rate(value: Any, linear: bool, decimals: int, unit: str, lang: str) -> str:
    if linear:
        text = number(value, decimals, sign=True)
        per = "/年" if lang == "zh" else " a year"
        return text if text == DASH else f"{text}{unit}{per}"
    return percent(value, 1, sign=True)


def explain(
    row: Mapping[str, Any],
    lang: str,
    decimals: int = 2,
    unit: str = "",
    names: Mapping[str, str] | None = None,
) -> str:
    """Why the row has its status, with the numbers of the rule that made it (`names`: ids as
    names in a missing value's reason, targets.reasons)."""
    zh = lang != "en"
    status = str(row.get("status", "no_data"))
    goal = goal_text(row.get("comparator"), row.get("target"), decimals, unit)
    v = number(row.get("value"), decimals)
    t, y = _int(row.get("year")), _int(row.get("milestone_year"))
    if status == "no_data":
        text = reason_text(row.get("reason"), lang, names)
        return text or ("无数值" if zh else "no value")
    if status == "achieved":
        return f"{t}年数值{v}已达到目标{goal}" if zh else f"the {t} value {v} meets the goal {goal}"
    gap = difference(row.get("gap"), decimals, unit, lang)
    if status == "missed":
        if zh:
            return f"{y}年数值{v}未达到目标{goal}，差{gap}"
        return f"the {y} value {v} misses the goal {goal} by {gap}"
    if row.get("status_rule") == "distance":
        projected = row.get("projected")
        judged = projected if not is_missing(projected) else row.get("value")
        share = percent(row.get("distance_share"), 0)
        j = number(judged, decimals)
        if row.get("distance_share") == 0:  # the trend reaches the goal by the goal year
            if zh:
                return f"按距离判断（{y}年目标临近或已过）：按趋势{y}年约为{j}，可达到目标{goal}"
            return (
                f"judged by distance (the {y} goal year is within a year or past): the trend "
                f"gives {j} for {y}, which meets the goal {goal}"
            )
        if zh:
            basis = f"按趋势{y}年约为{j}" if not is_missing(projected) else f"最新值{v}（{t}年）"
            return (
                f"按距离判断（{y}年目标临近或已过）：{basis}，差距占尚需距离的{share}"
                f"（{statuses.CLOSE:.0%}以内为接近目标，{statuses.SHORT:.0%}以内为尚有差距）"
            )
        basis = (
            f"the trend gives {j} for {y}"
            if not is_missing(projected)
            else f"the latest value is {v} ({t})"
        )
        return (
            f"judged by distance (the {y} goal year is within a year or past): {basis}, "
            f"short by {share} of the distance to go (close within {statuses.CLOSE:.0%}, "
            f"some way short within {statuses.SHORT:.0%})"
        )
    if status == "insufficient_data":
        return f"仅有{t}年一个数值，无法判断趋势" if zh else f"one value only ({t}): no trend yet"
    linear = bool(row.get("linear", False))
    actual = _rate(row.get("actual_rate"), linear, decimals, unit, lang)
    required = _rate(row.get("required_rate"), linear, decimals, unit, lang)
    t0 = _int(row.get("baseline_year"))
    ratio = number(row.get("ratio"), 2)
    if zh:
        return (
            f"按增速判断：{t0}—{t}年年均{actual}，实现目标需年均{required}，比值{ratio}"
            f"（{statuses.ON_TRACK}以上为进展顺利）"
        )
    return (
        f"judged by pace: {actual} a year over {t0}–{t} against {required} a year needed, "
        f"ratio {ratio} (on track from {statuses.ON_TRACK})"
    )


def scope_note(row: Mapping[str, Any], scope_name: str, lang: str) -> str:
    """The benchmark note of a benchmark row ('' for the region's own goal)."""
    return roles.benchmark_note(scope_name, lang) if roles.is_benchmark(row) else ""


def verdict_text(row: Mapping[str, Any], scope_name: str, lang: str) -> str:
    """The status as every table shows it: '✔ 已实现', then the benchmark note for a region only
    compared with another scope's goal. (The provisional mark, targets.provenance, follows it
    where a surface shows one.)"""
    parts = [statuses.text(str(row.get("status", "no_data")), lang)]
    parts += [n for n in (scope_note(row, scope_name, lang),) if n]
    return " · ".join(parts)


def change_reason(
    before: Mapping[str, Any], after: Mapping[str, Any], lang: str, decimals: int = 2
) -> str:
    """What moved a status between two gap tables, in words (the data, the rule, the span)."""
    zh = lang != "en"
    parts: list[str] = []
    t_was, t_now = _int(before.get("year")), _int(after.get("year"))
    v_was = number(before.get("value"), decimals)
    v_now = number(after.get("value"), decimals)

    def stated(value: str, year: int | None) -> str:
        # a side without a value says so, never "— (None)"
        if year is None or value == DASH:
            return "无数值" if zh else "no value"
        return f"{value}（{year}年）" if zh else f"{value} ({year})"

    if (t_was, v_was) != (t_now, v_now):
        was, now = stated(v_was, t_was), stated(v_now, t_now)
        parts.append(
            f"最新值由{was}变为{now}" if zh else f"the latest value is now {now}, was {was}"
        )
    rule_was, rule_now = before.get("status_rule"), after.get("status_rule")
    if rule_was == "pace" and rule_now == "distance":
        y = _int(after.get("milestone_year"))
        parts.append(
            f"数据已到{y}年目标的前一年或之后，改按距离判断"
            if zh
            else f"the data now reach a year before the {y} goal year or later: judged by "
            "distance instead of pace"
        )
    elif rule_now == "pace" and (
        t_was != t_now or before.get("baseline_year") != after.get("baseline_year")
    ):
        t0 = _int(after.get("baseline_year"))
        t0_was = _int(before.get("baseline_year"))
        span_was = None if t_was is None or t0_was is None else t_was - t0_was
        span_now = None if t_now is None or t0 is None else t_now - t0
        r_was, r_now = number(before.get("ratio"), 2), number(after.get("ratio"), 2)
        if span_now is not None and t0 is not None:
            # no pace before (one value, or only the base year's): said so, not "was 0 years"
            if span_was:
                since = (
                    f"增速改按{t0}年以来{span_now}年计算（原为{span_was}年）"
                    if zh
                    else f"the pace now spans {span_now} years since {t0} (was {span_was})"
                )
            else:
                since = (
                    f"增速按{t0}年以来{span_now}年计算（此前只有基期值，无增速）"
                    if zh
                    else f"the pace now spans {span_now} years since {t0} (before, the base "
                    "year's value alone: no pace)"
                )
            ratio = (
                (f"比值{r_now}" if zh else f"ratio {r_now}")
                if r_was == DASH
                else (f"比值{r_was} → {r_now}" if zh else f"ratio {r_was} → {r_now}")
            )
            parts.append(f"{since}，{ratio}" if zh else f"{since}: {ratio}")
    return "；".join(parts) if zh else "; ".join(parts)


def gaps_before_latest(
    catalogue: Any, regions: Any, observed: pd.DataFrame, milestone: int | None = None
) -> pd.DataFrame:
    """The gap table as it stood before each series' latest value: every indicator × region's
    latest observed year left out, the rest derived again. A cell whose status differs from
    this table's changed with its latest value; `change_words` says how."""
    from targets import aggregate
    from targets.progress import compute_gaps

    obs = aggregate.observed_rows(observed)
    year = pd.to_numeric(obs["year"], errors="coerce")
    latest = year.groupby([obs["indicator"], obs["region"]]).transform("max")
    before = obs[(year < latest).to_numpy(dtype=bool)].reset_index(drop=True)
    return compute_gaps(
        catalogue, regions, aggregate.derive_all(catalogue, regions, before), milestone=milestone
    )


def change_words(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], lang: str, decimals: int = 2
) -> str:
    """'with its 2022 value: on track → moderate progress (why)' where the latest value changed
    the status (`before`: the row of gaps_before_latest); "" where it did not or nothing was
    judged before."""
    was = before.get("status") if before is not None else None
    now = str(after.get("status"))
    # no data or one value only judged nothing: the latest value is the first judgement
    if before is None or not isinstance(was, str) or was in ("no_data", "insufficient_data", now):
        return ""
    why = change_reason(before, after, lang, decimals)
    year = _int(after.get("year"))
    if lang == "en":
        words = f"{statuses.label(was, 'en').lower()} → {statuses.label(now, 'en').lower()}"
        return f"with its {year} value: {words}" + (f" ({why})" if why else "")
    words = f"{statuses.label(was, 'zh')} → {statuses.label(now, 'zh')}"
    return f"{year}年数值使状态变化：{words}" + (f"（{why}）" if why else "")
