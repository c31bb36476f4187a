"""The one report model every format renders: built once from the tracker, then frozen.

The numbers come from `Tracker.gaps` (the same frame as the dashboard and `targets gaps`); this
module only selects, orders and words them. Writers never compute: they lay out a `Report`.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from targets import progress

# one set of formatting rules for screen and paper (re-exported: the writers import them here)
from targets.display import (
    DASH,
    goal_text,
    is_missing,
    number,
    percent,
    status_text,
    with_unit,
    year_text,
)
from targets.models import Indicator
from targets.progress import method_text, status_counts
from targets.reports.steps import Progress, ProgressCallback, as_progress

if TYPE_CHECKING:
    from targets.tracker import Tracker

LANGS = ("zh", "en")
# The plans are Chinese and their readers sit in the delta: times are shown in Beijing time.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
MOVERS_SHOWN = 8
CHART_REGIONS = 8  # lines per chart before it stops being readable; the tables keep every region

# The one palette of screen and paper, kept with the statuses.
STATUS_COLOURS: dict[str, tuple[str, str]] = progress.STATUS_COLOURS

CATEGORY_EN: dict[str, str] = {
    "城乡区域协调": "Urban-rural and regional coordination",
    "科创产业": "Innovation and industry",
    "基础设施": "Infrastructure",
    "生态环境": "Ecology and environment",
    "公共服务": "Public services",
    "科技创新共同体": "S&T Innovation Community",
    "三年行动计划": "Three-year action plan",
    "组成序列": "Component series",
}


# Every word a report prints, in both languages (keys are stable; writers look them up).
TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "长三角一体化发展目标差距报告",
        "title_milestone": "{year}年目标",
        "generated": "生成时间",
        "milestone": "目标年份",
        "scope_regions": "地区",
        "scope_indicators": "指标",
        "all_regions": "全部地区",
        "all_indicators": "全部目标指标",
        "data_as_of": "数据截至",
        "latest_import": "最近一次导入",
        "summary": "摘要",
        "counts": "状态分布",
        "count": "数量",
        "share": "占比",
        "missed": "预计未能实现的目标",
        "missed_note": "按预测法判断：目标年份已过而当年数值未达标，或按近五年趋势推算到{year}年达不到目标（含目前已达标但趋势回落的）的指标 × 地区；差额为推算值（目标年份已过时为实际值）与目标的距离。",
        "missed_none": "按当前趋势，所有有数据的目标均可实现。",
        "shortfall": "差额",
        "movers": "较上年变化最大的指标",
        "no_data_goals": "暂无数据的指标",
        "movers_note": "最新年份与上一年相比的变化（两年都有数据的指标 × 地区），按变化率绝对值排序。",
        "movers_none": "没有可比较的相邻年份数据。",
        "change": "变化",
        "change_pct": "变化率",
        "from": "上期",
        "to": "最新",
        "towards": "↗ 趋近目标",
        "away": "↘ 背离目标",
        "flat": "→ 持平",
        "gap_table": "差距表",
        "gap_table_note": "进度 = 基期以来完成的比例；序时进度 = 基期至目标年已过时间的比例。增速为年均复合增速（带“/年”者为每年变化量）。",
        "details": "分指标详情",
        "methods": "方法与阈值",
        "thresholds": "状态阈值",
        "rule": "判定规则",
        "sources": "目标出处",
        "vintages": "数据版本",
        "vintages_note": "本报告所用数值来自以下导入批次（每个数值取最新的有效导入）。",
        "vintage_none": "本报告范围内没有导入的数据。",
        "words_goals": "仅有文字表述的目标",
        "indicator": "指标",
        "indicator_id": "指标代码",
        "region": "地区",
        "region_id": "地区代码",
        "unit": "单位",
        "category": "类别",
        "year": "最新年份",
        "year_short": "年份",
        "value": "最新值",
        "goal": "目标",
        "target": "目标值",
        "comparator": "比较符",
        "milestone_year": "目标年份",
        "gap": "差距",
        "gap_pct": "差距率",
        "progress": "进度",
        "time_elapsed": "序时进度",
        "baseline_year": "基期",
        "baseline_value": "基期值",
        "actual_rate": "实际年均增速",
        "required_rate": "所需年均增速",
        "ratio": "增速比",
        "projected": "{year}年预测",
        "status": "状态",
        "status_code": "状态代码",
        "per_year": "/年",
        "goal_wording": "目标表述",
        "document": "文件",
        "issued": "印发日期",
        "section": "章节",
        "quote": "原文",
        "import_id": "批次",
        "file_name": "文件名",
        "imported_at": "导入时间",
        "user": "导入人",
        "rows": "行数",
        "used": "本报告所用数值",
        "note": "备注",
        "state": "状态",
        "derived": "推算值（由组成序列计算）",
        "chart_caption": "{name}（{unit}）：各地区数值与{year}年目标（虚线），点线为按趋势推算",
        "chart_more": "图中显示 {shown} 个地区（共 {total} 个），全部地区见下表。",
        "series": "历年数值",
        "sheet_summary": "摘要",
        "sheet_gaps": "差距表",
        "sheet_sources": "出处与数据版本",
        "status_symbol_text": "状态（符号+文字）",
        "page": "第 {page} 页",
        "none": "无",
        "unit_pct_points": "个百分点",
        "assessment": "{year}年目标终期评估",
        "assessment_note": "按目标年当年的数值判断是否实现；该年数值尚未公布的为“待定”，并给出已知最新值（括号内为年份）。差额以目标方向为正。",
        "verdict": "结论",
        "margin": "差额",
        "source": "来源",
        "convergence": "区域差距收敛",
        "convergence_note": "各省（市）间变异系数（cv）与最大/最小值之比的变化趋势。",
        "years": "年份",
        "cv": "变异系数",
        "maxmin": "最大/最小",
        "trend": "趋势",
        "sheet_assessment": "终期评估",
        "sheet_convergence": "区域收敛",
        "contribution": "区域差距从何而来",
        "contribution_note": "按全域目标衡量的指标，取各组成序列齐全的最近年份：比率指标为各省（市）达到目标本身所缺的分子占全域差距的份额（负值表示超过目标、抵消了其他地区的差距）；只有全域目标的总量指标为各省占总量的份额。",
        "contrib_year": "年份",
        "sheet_contribution": "差距来源",
        "methods_compare": "三种方法对比",
        "methods_compare_note": "比值法（本报告的状态）、预测法（联合国亚太经社会）、德国指标报告“天气符号”法；方法结论不一致的行标注“⚠ 不一致”。仅列出有数据的目标。",
        "m_ratio": "比值法",
        "m_projection": "预测法",
        "m_germany": "天气符号",
        "m_agree": "是否一致",
        "sheet_methods_compare": "方法对比",
    },
    "en": {
        "title": "Yangtze River Delta integration goals: gap report",
        "title_milestone": "goals for {year}",
        "generated": "Generated",
        "milestone": "Goal year",
        "scope_regions": "Regions",
        "scope_indicators": "Indicators",
        "all_regions": "all regions",
        "all_indicators": "all goal indicators",
        "data_as_of": "Data as of",
        "latest_import": "Latest import",
        "summary": "Summary",
        "counts": "Goals by status",
        "count": "Count",
        "share": "Share",
        "missed": "Goals expected to be missed",
        "missed_note": "By the projection method: indicator × region pairs whose goal-year value misses the goal, or whose five-year trend falls short of it in {year} (including goals met now but trending back); the shortfall is the distance of the projection (the actual value once the goal year is in) from the goal.",
        "missed_none": "On present trends every goal with data will be met.",
        "shortfall": "Shortfall",
        "movers": "Biggest movers since the previous year",
        "no_data_goals": "Indicators without data yet",
        "movers_note": "Change from the year before the latest to the latest year (pairs with both values), largest relative change first.",
        "movers_none": "No consecutive values to compare.",
        "change": "Change",
        "change_pct": "Change %",
        "from": "Before",
        "to": "Latest",
        "towards": "↗ towards goal",
        "away": "↘ away from goal",
        "flat": "→ unchanged",
        "gap_table": "Gap table",
        "gap_table_note": 'Progress = share of the way from the baseline to the goal; time elapsed = share of the baseline-to-goal-year period gone. Rates are compound annual growth ("/yr": change in units per year).',
        "details": "Indicator details",
        "methods": "Method and thresholds",
        "thresholds": "Status thresholds",
        "rule": "Rule",
        "sources": "Where the goals stand",
        "vintages": "Data vintages",
        "vintages_note": "The values in this report come from these imports (each value from the latest active import).",
        "vintage_none": "No imported data within this report's scope.",
        "words_goals": "Goals stated in words only",
        "indicator": "Indicator",
        "indicator_id": "Indicator id",
        "region": "Region",
        "region_id": "Region id",
        "unit": "Unit",
        "category": "Category",
        "year": "Latest year",
        "year_short": "Year",
        "value": "Latest value",
        "goal": "Goal",
        "target": "Target",
        "comparator": "Comparator",
        "milestone_year": "Goal year",
        "gap": "Gap",
        "gap_pct": "Gap %",
        "progress": "Progress",
        "time_elapsed": "Time elapsed",
        "baseline_year": "Baseline year",
        "baseline_value": "Baseline value",
        "actual_rate": "Actual annual rate",
        "required_rate": "Required annual rate",
        "ratio": "Rate ratio",
        "projected": "Projected {year}",
        "status": "Status",
        "status_code": "Status code",
        "per_year": "/yr",
        "goal_wording": "Goal as worded",
        "document": "Document",
        "issued": "Issued",
        "section": "Section",
        "quote": "Quote",
        "import_id": "Import",
        "file_name": "File",
        "imported_at": "Imported at",
        "user": "User",
        "rows": "Rows",
        "used": "Values used here",
        "note": "Note",
        "state": "State",
        "derived": "derived (computed from component series)",
        "chart_caption": "{name} ({unit}): values by region against the {year} goal (dashed); dotted: trend projection",
        "chart_more": "The chart shows {shown} of {total} regions; the table below has them all.",
        "series": "Values by year",
        "sheet_summary": "Summary",
        "sheet_gaps": "Gaps",
        "sheet_sources": "Sources and vintages",
        "status_symbol_text": "Status (symbol + label)",
        "page": "page {page}",
        "none": "none",
        "unit_pct_points": "percentage points",
        "assessment": "Final assessment of the {year} goals",
        "assessment_note": "Judged on the value for the goal year itself; where it is not published yet the goal is pending and the latest value known is given (its year in brackets). The margin is positive beyond the goal.",
        "verdict": "Verdict",
        "margin": "Margin",
        "source": "Source",
        "convergence": "Regional convergence",
        "convergence_note": "Trend of the coefficient of variation (cv) and the max/min ratio across provinces.",
        "years": "Years",
        "cv": "cv",
        "maxmin": "max/min",
        "trend": "Trend",
        "sheet_assessment": "Assessment",
        "sheet_convergence": "Convergence",
        "contribution": "Where the regional gap comes from",
        "contribution_note": "Goals measured on the whole region, in the latest year with every component: for a ratio, the share of the regional gap that each province's own shortfall makes (negative: beyond the goal, offsetting the others); for a count with a regional goal only, each province's share of the total.",
        "contrib_year": "Year",
        "sheet_contribution": "Gap sources",
        "methods_compare": "Three methods side by side",
        "methods_compare_note": "Ratio method (this report's status), projection (UN ESCAP), Germany's weather symbols; rows where the methods disagree are marked “⚠ disagree”. Goals with data only.",
        "m_ratio": "Ratio",
        "m_projection": "Projection",
        "m_germany": "Weather",
        "m_agree": "Agree?",
        "sheet_methods_compare": "Methods compared",
    },
}


# ---------------------------------------------------------------------------- formatting


def excel_number_format(decimals: int) -> str:
    """The Excel number format for `decimals` digits with a thousands separator."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def local_time(moment: datetime) -> datetime:
    """A stored time (UTC, naive or aware) in Beijing time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TZ)


def time_text(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return DASH
    suffix = "（北京时间）" if lang == "zh" else " (Beijing time)"
    return local_time(moment).strftime("%Y-%m-%d %H:%M") + suffix


def category_name(category: str, lang: str) -> str:
    return CATEGORY_EN.get(category, category) if lang == "en" else category


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class SourceRef:
    """Where a goal stands: the plan's title and date, the section, the words quoted."""

    document: str
    issued: date | None
    section: str
    quote: str
    note: str | None = None


@dataclass(frozen=True, eq=False)
class IndicatorDetail:
    """One indicator's page: its goal, sources, gap rows and yearly series by region."""

    id: str
    name: str
    unit: str
    category: str
    decimals: int
    direction: str | None
    goal_text: str
    sources: tuple[SourceRef, ...]
    rows: pd.DataFrame  # the indicator's rows of `Report.rows`
    series: pd.DataFrame  # long: region, region_name, year, value, derived
    regions: tuple[str, ...]  # region ids, in the gap table's order

    def wide(self) -> pd.DataFrame:
        """The series as region rows × year columns (values stay numbers)."""
        if self.series.empty:
            return pd.DataFrame(index=pd.Index([], name="region"))
        wide = self.series.pivot_table(
            index="region", columns="year", values="value", aggfunc="last", sort=True
        )
        return wide.reindex([r for r in self.regions if r in wide.index])


@dataclass(frozen=True)
class Vintage:
    """An import whose values are in force in this report."""

    id: int
    file_name: str
    created_at: datetime
    user: str
    state: str
    rows: int
    note: str
    used: int  # values of this report's scope that come from it


@dataclass(frozen=True)
class Threshold:
    status: str
    symbol: str
    label: str
    rule: str


@dataclass(frozen=True, eq=False)
class Report:
    """Everything a gap report shows, in one language, for one milestone and scope."""

    title: str
    generated_at: datetime
    lang: str
    milestone: int
    scope_regions: str
    scope_indicators: str
    counts: tuple[tuple[str, int], ...]  # (status, count) in rank order
    missed: pd.DataFrame
    movers: pd.DataFrame
    rows: pd.DataFrame  # the gap frame (GAP_COLUMNS...) + name, unit, decimals, category columns
    table: pd.DataFrame  # display strings, columns TABLE_COLUMNS
    details: tuple[IndicatorDetail, ...]
    method: str
    thresholds: tuple[Threshold, ...]
    word_goals: tuple[tuple[str, str], ...]  # (indicator name, goal text) of goals in words only
    vintages: tuple[Vintage, ...]
    # display strings, columns ASSESSMENT_TABLE_COLUMNS / CONVERGENCE_TABLE_COLUMNS (keys of TEXT)
    assessment: pd.DataFrame = field(default_factory=pd.DataFrame)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    contribution: pd.DataFrame = field(default_factory=pd.DataFrame)
    methods: pd.DataFrame = field(default_factory=pd.DataFrame)

    def t(self, key: str, **kwargs: Any) -> str:
        """A report word in the report's language."""
        text = TEXT[self.lang][key]
        return text.format(**kwargs) if kwargs else text

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def data_as_of(self) -> datetime | None:
        """When the newest import used here was made."""
        return max((v.created_at for v in self.vintages), default=None)

    @property
    def latest_year(self) -> int | None:
        years = self.rows["year"].dropna()
        return int(years.max()) if len(years) else None

    def categories(self) -> list[tuple[str, list[IndicatorDetail]]]:
        """Details grouped by category, in catalogue order."""
        groups: dict[str, list[IndicatorDetail]] = {}
        for d in self.details:
            groups.setdefault(d.category, []).append(d)
        return list(groups.items())


# display columns of the gap table, in order (keys of TEXT)
TABLE_COLUMNS: tuple[str, ...] = (
    "indicator", "region", "year", "value", "goal", "gap", "progress", "time_elapsed",
    "required_rate", "actual_rate", "projected", "status",
)  # fmt: skip


ASSESSMENT_TABLE_COLUMNS: tuple[str, ...] = (
    "indicator", "region", "goal", "value", "verdict", "margin", "source",
)  # fmt: skip
CONVERGENCE_TABLE_COLUMNS: tuple[str, ...] = ("indicator", "years", "cv", "maxmin", "trend")
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
VERDICT_SYMBOLS = {"met": "✓", "missed": "✗", "pending": "…"}


def _rate_text(rate: Any, linear: bool, decimals: int, per_year: str) -> str:
    if linear:
        return number(rate, decimals, sign=True) + (per_year if not is_missing(rate) else "")
    return percent(rate, 1, sign=True)


def _enrich(tracker: Tracker, gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap frame with the names, unit, decimals and category each row is shown with."""
    cat = tracker.catalogue
    ids = gaps["indicator"].tolist()
    out = gaps.copy()
    out["indicator_name"] = pd.array([cat[i].name.get(lang) for i in ids], dtype="str")
    out["region_name"] = pd.array(
        [tracker.regions.name(r, lang) for r in gaps["region"]], dtype="str"
    )
    out["unit"] = pd.array([cat[i].unit.get(lang) for i in ids], dtype="str")
    out["decimals"] = [cat[i].decimals for i in ids]
    out["category"] = pd.array([cat[i].category for i in ids], dtype="str")
    # a goal set as a change from a base year is shown as that change (its level per region follows)
    changes = [
        _change_goal(cat[i], int(y)) for i, y in zip(ids, gaps["milestone_year"], strict=True)
    ]
    out["goal_change"] = [c[0] for c in changes]
    out["goal_base_year"] = [c[1] for c in changes]
    out["status_label"] = pd.array(
        [progress.status_label(s, lang) for s in gaps["status"]], dtype="str"
    )
    out["status_text"] = pd.array([status_text(s, lang) for s in gaps["status"]], dtype="str")
    return out


def _change_goal(ind: Indicator, year: int) -> tuple[float, int | None]:
    """(percent change, base year) of a change_from_base goal; (nan, None) otherwise."""
    ms = ind.milestone(year)
    if ms is None or ms.basis != "change_from_base" or ms.value is None:
        return math.nan, None
    return float(ms.value), ms.base_year


def goal_display(row: dict[str, Any], lang: str, *, unit: bool = True) -> str:
    """The goal as a table shows it: '≥ 3.00%', or '较2017年 −10%（≤ 0.451）' for a change goal.

    unit=False where the table shows the unit beside the indicator's name instead.
    """
    d = int(row["decimals"])
    unit_text = str(row["unit"]) if unit else ""
    level = goal_text(row["comparator"], row["target"], d, unit_text)
    change = row.get("goal_change")
    if change is None or is_missing(change):
        return level
    base = year_text(row.get("goal_base_year"))  # a float in a frame column that has gaps
    pct = number(change, 0 if float(change).is_integer() else 1, sign=True).replace("-", "−") + "%"
    text = f"较{base}年 {pct}" if lang == "zh" else f"{pct} on {base}"
    return text if level == DASH else f"{text}（{level}）" if lang == "zh" else f"{text} ({level})"


def _table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap table as display strings (numbers per indicator decimals; the unit in its own field)."""
    per_year = TEXT[lang]["per_year"]
    records = []
    for r in rows.to_dict("records"):
        d = int(r["decimals"])
        linear = bool(r.get("linear", False))
        gap = number(r["gap"], d)
        if gap != DASH and not is_missing(r["gap_pct"]) and r["gap"] > 0:
            gap += f" ({percent(r['gap_pct'], 1)})"
        records.append(
            {
                "indicator": r["indicator_name"],
                "region": r["region_name"],
                "year": year_text(r["year"]),
                "unit": str(r["unit"]),
                "value": number(r["value"], d),
                "goal": goal_display(r, lang, unit=False),
                "gap": gap,
                "progress": percent(r["progress"]),
                # without a value there is no "now" to measure elapsed time from
                "time_elapsed": DASH if is_missing(r["year"]) else percent(r["time_elapsed"]),
                "required_rate": _rate_text(r["required_rate"], linear, d, per_year),
                "actual_rate": _rate_text(r["actual_rate"], linear, d, per_year),
                "projected": number(r["projected"], d),
                "status": status_text(str(r["status"]), lang),
                "status_code": str(r["status"]),
                "derived": bool(r.get("derived", False)),
            }
        )
    columns = [*TABLE_COLUMNS, "unit", "status_code", "derived"]
    return pd.DataFrame.from_records(records, columns=columns)


def _missed(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows the projection method (targets.status_methods) judges missed or to be missed, by how much.

    `expected` is the value judged: the actual one once the goal year is in, else the projection;
    `shortfall` its distance from the goal in the indicator's unit.
    """
    from targets.status_methods import compare_methods

    judged = compare_methods(rows)
    miss = judged["status_projection"].isin(["will_miss", "missed"]).to_numpy()
    known = judged["status_projection"].eq("missed").to_numpy()
    found = rows[miss].copy()
    found["expected"] = judged["value"].where(known, judged["projected"])[miss].to_numpy()
    found["shortfall"] = judged["projection_shortfall"][miss].to_numpy()
    target = found["target"].abs()
    found["shortfall_pct"] = (found["shortfall"] / target.where(target > 0)).astype("float64")
    return found.sort_values("shortfall_pct", ascending=False, kind="stable", ignore_index=True)


def _movers(rows: pd.DataFrame, obs: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Per indicator × region: latest value against the one before it; largest relative change first."""
    info = rows.drop_duplicates(["indicator", "region"]).set_index(["indicator", "region"])
    found = []
    for (ind, reg), series in obs.groupby(["indicator", "region"], sort=False):
        if (ind, reg) not in info.index or len(series) < 2:
            continue
        last = series.sort_values("year").tail(2)
        (y0, v0), (y1, v1) = zip(last["year"], last["value"], strict=True)
        # "since the previous year": a change over a gap of years would look bigger than it is
        if int(y1) - int(y0) != 1 or is_missing(v0) or is_missing(v1):
            continue
        row = info.loc[(ind, reg)]
        change = float(v1) - float(v0)
        up = str(row["comparator"]) in (">", ">=")
        found.append(
            {
                "indicator": ind,
                "region": reg,
                "indicator_name": row["indicator_name"],
                "region_name": row["region_name"],
                "unit": row["unit"],
                "decimals": int(row["decimals"]),
                "previous_year": int(y0),
                "previous_value": float(v0),
                "year": int(y1),
                "value": float(v1),
                "change": change,
                "change_pct": change / abs(float(v0)) if v0 else math.nan,
                "towards": "flat" if change == 0 else ("towards" if (change > 0) == up else "away"),
            }
        )
    columns = [
        "indicator", "region", "indicator_name", "region_name", "unit", "decimals",
        "previous_year", "previous_value", "year", "value", "change", "change_pct", "towards",
    ]  # fmt: skip
    frame = pd.DataFrame.from_records(found, columns=columns)
    if frame.empty:
        return frame
    order = frame["change_pct"].abs().fillna(-1).sort_values(ascending=False, kind="stable")
    return frame.loc[order.index].head(limit).reset_index(drop=True)


def _sources(tracker: Tracker, ind: Indicator, milestone: int, lang: str) -> tuple[SourceRef, ...]:
    ms = ind.milestone(milestone)
    if ms is None:
        return ()
    docs = tracker.catalogue.documents
    refs = []
    for s in ms.sources:
        doc = docs.get(s.document)
        refs.append(
            SourceRef(
                document=doc.title.get(lang) if doc else s.document,
                issued=doc.issued if doc else None,
                section=s.section,
                quote=s.quote,
                note=s.note,
            )
        )
    return tuple(refs)


def _details(
    tracker: Tracker, rows: pd.DataFrame, obs: pd.DataFrame, milestone: int, lang: str
) -> tuple[IndicatorDetail, ...]:
    out = []
    for ind_id, ind_rows in rows.groupby("indicator", sort=False):
        ind = tracker.catalogue[str(ind_id)]
        regions = tuple(dict.fromkeys(ind_rows["region"].tolist()))
        series = obs[(obs["indicator"] == ind_id) & obs["region"].isin(regions)]
        series = series.assign(
            region_name=[tracker.regions.name(r, lang) for r in series["region"]]
        )[["region", "region_name", "year", "value", "derived"]].reset_index(drop=True)
        ms = ind.milestone(milestone)
        out.append(
            IndicatorDetail(
                id=ind.id,
                name=ind.name.get(lang),
                unit=ind.unit.get(lang),
                category=ind.category,
                decimals=ind.decimals,
                direction=ind.direction,
                goal_text=ms.text.get(lang) if ms else "",
                sources=_sources(tracker, ind, milestone, lang),
                rows=ind_rows.reset_index(drop=True),
                series=series,
                regions=regions,
            )
        )
    return tuple(out)


def _vintages(tracker: Tracker, obs: pd.DataFrame) -> tuple[Vintage, ...]:
    observed = obs[~obs["derived"].astype(bool)] if "derived" in obs else obs
    used = observed["import_id"].dropna().astype(int).value_counts().to_dict()
    return tuple(
        Vintage(
            id=i.id,
            file_name=i.file_name,
            created_at=i.created_at,
            user=i.user,
            state=i.state,
            rows=i.rows,
            note=i.note,
            used=int(used[i.id]),
        )
        for i in tracker.store.imports()
        if i.id in used
    )


def _thresholds(lang: str) -> tuple[Threshold, ...]:
    on, mod = progress.ON_TRACK, progress.MODERATE
    rules = {
        "zh": {
            "achieved": "最新值按规划措辞的比较符达到目标",
            "on_track": f"增速比 ≥ {on}",
            "moderate": f"{mod} ≤ 增速比 < {on}",
            "insufficient": f"0 ≤ 增速比 < {mod}",
            "moving_away": "增速比 < 0：数值背离目标",
            "missed": "目标年份已过，当年数值未达到目标",
            "insufficient_data": "仅有一个数值，无法判断趋势",
            "no_data": "没有数值（或缺少基年值）",
        },
        "en": {
            "achieved": "the latest value meets the goal, comparator as worded",
            "on_track": f"rate ratio ≥ {on}",
            "moderate": f"{mod} ≤ rate ratio < {on}",
            "insufficient": f"0 ≤ rate ratio < {mod}",
            "moving_away": "rate ratio < 0: the value moves away from the goal",
            "missed": "the goal year has passed and its value misses the goal",
            "insufficient_data": "a single value, so no trend yet",
            "no_data": "no value (or no base-year value)",
        },
    }[lang]
    return tuple(
        Threshold(s, progress.status_symbol(s), progress.status_label(s, lang), rules[s])
        for s in progress.STATUS_IDS
    )


def _word_goals(
    tracker: Tracker, milestone: int, indicators: Collection[str] | None, lang: str
) -> tuple[tuple[str, str], ...]:
    out = []
    for ind in tracker.catalogue.goals():
        if indicators and ind.id not in indicators:
            continue
        ms = ind.milestone(milestone)
        if ms is not None and not ms.is_numeric:
            out.append((ind.name.get(lang), ms.text.get(lang)))
    return tuple(out)


# how the model's part of the bar is shared: seconds each stage took on the bundled data
# (the regional contributions dominate; everything else is a few tens of milliseconds)
MODEL_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("gaps", 1.0),
    ("details", 1.0),
    ("assessment", 1.0),
    ("convergence", 1.5),
    ("contribution", 8.0),
    ("methods", 0.5),
)


def build_report(
    tracker: Tracker,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    now: datetime | None = None,
    progress: ProgressCallback | Progress | None = None,
) -> Report:
    """The report for one milestone, scope and language, from the tracker's gap table.

    `progress(fraction, stage)` hears each stage as it starts (see targets.reports.steps).
    """
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: use one of {', '.join(LANGS)}")
    stages = as_progress(progress).stages(MODEL_WEIGHTS)
    text = TEXT[lang]
    stages.begin("gaps")
    gaps = tracker.gaps(milestone=milestone, indicators=indicators, regions=regions)
    rows = _enrich(tracker, gaps, lang)
    counts = status_counts(rows)
    missed, table = _missed(rows), _table(rows, lang)
    stages.begin("details")
    pairs = rows[["indicator", "region"]].drop_duplicates()
    obs = tracker.observations(indicators=pairs["indicator"].unique().tolist() or None)
    obs = obs.merge(pairs, on=["indicator", "region"]).sort_values(
        ["indicator", "region", "year"], kind="stable", ignore_index=True
    )
    movers = _movers(rows, obs, MOVERS_SHOWN)
    details = _details(tracker, rows, obs, milestone, lang)
    vintages = _vintages(tracker, obs)
    stages.begin("assessment")
    assessment = _assessment_table(tracker, milestone, regions, indicators, lang)
    stages.begin("convergence")
    convergence = _convergence_table(tracker, indicators, lang)
    stages.begin("contribution")
    contribution = _contribution_table(tracker, indicators, lang)
    stages.begin("methods")
    methods = _methods_table(tracker, milestone, regions, indicators, lang)
    region_names = [tracker.regions.name(r, lang) for r in regions] if regions else []
    indicator_names = [tracker.catalogue[i].name.get(lang) for i in indicators or []]
    sep = "、" if lang == "zh" else ", "
    return Report(
        title=f"{text['title']}（{text['title_milestone'].format(year=milestone)}）"
        if lang == "zh"
        else f"{text['title']} ({text['title_milestone'].format(year=milestone)})",
        generated_at=now or datetime.now(UTC),
        lang=lang,
        milestone=milestone,
        scope_regions=sep.join(region_names) or text["all_regions"],
        scope_indicators=sep.join(indicator_names) or text["all_indicators"],
        counts=tuple(counts.items()),
        missed=missed,
        movers=movers,
        rows=rows,
        table=table,
        details=details,
        method=method_text(lang),
        thresholds=_thresholds(lang),
        word_goals=_word_goals(tracker, milestone, indicators, lang),
        vintages=vintages,
        assessment=assessment,
        convergence=convergence,
        contribution=contribution,
        methods=methods,
    )


def _methods_table(
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
                "m_ratio": f"{progress.status_symbol(status)} {progress.status_label(status, lang)}",
                "m_projection": label(str(r["status_projection"]), lang),
                "m_germany": label(str(r["status_germany"]), lang),
                "m_agree": said[1 if lang == "en" else 0],
            }
        )
    return pd.DataFrame(out, columns=list(METHODS_TABLE_COLUMNS), dtype="str")


def _contribution_table(
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
                    "value": with_unit(number(r["value"], int(ind.decimals)), ind.unit.get(lang)),
                    "share": f"{number(100 * r[col], 1)}% {what}",
                }
            )
    return pd.DataFrame(out, columns=list(CONTRIBUTION_TABLE_COLUMNS), dtype="str")


def _assessment_table(
    tracker: Tracker,
    milestone: int,
    regions: Collection[str] | None,
    indicators: Collection[str] | None,
    lang: str,
) -> pd.DataFrame:
    """Tracker.assessment in the report's scope, worded (verdict with symbol and word)."""
    from targets.assessment import verdict_label

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
            value = (
                f"{with_unit(number(r['latest_value'], dec), unit)} ({year_text(r['latest_year'])})"
            )
        else:
            value = with_unit(number(r["value"], dec), unit)
        margin = number(r["margin"], dec, sign=True)
        if not is_missing(r["margin_pct"]):
            margin += f" ({number(r['margin_pct'], 1, sign=True)}%)"
        out.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else r["indicator"],
                "region": tracker.regions.name(r["region"], lang),
                "goal": goal_text(r["comparator"], r["target"], dec, unit),
                "value": value,
                "verdict": f"{VERDICT_SYMBOLS[r['verdict']]} {verdict_label(r['verdict'], lang)}",
                "margin": margin,
                "source": "" if is_missing(r["source"]) else str(r["source"]),
            }
        )
    return pd.DataFrame(out, columns=list(ASSESSMENT_TABLE_COLUMNS), dtype="str")


def _convergence_table(
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
            }
        )
    return pd.DataFrame(out, columns=list(CONVERGENCE_TABLE_COLUMNS), dtype="str")


def method_blocks(text: str, lang: str) -> list[tuple[str, str]]:
    """The method text as ("p" | "li", text) blocks: its hard line breaks come from a docstring."""
    joiner = "" if lang == "zh" else " "
    blocks: list[tuple[str, str]] = []
    for para in text.strip().split("\n\n"):
        current: list[str] = []
        kind = "p"
        for raw in para.splitlines():
            line = raw.strip()
            if line.startswith("- "):
                if current:
                    blocks.append((kind, joiner.join(current)))
                kind, current = "li", [line[2:]]
            elif kind == "li" and not raw.startswith((" ", "\t")):
                # a line flush left after list items starts a new paragraph
                blocks.append((kind, joiner.join(current)))
                kind, current = "p", [line]
            else:
                current.append(line)
        if current:
            blocks.append((kind, joiner.join(current)))
    return blocks
