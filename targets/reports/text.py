"""Every word a report prints, in both languages, and how a report words times and the method.

Writers look words up by stable key (`Report.t(key)`); numbers, units, goals and statuses are
worded by targets.display, the same functions the dashboard uses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from targets.display import DASH

# The plans are Chinese and their readers sit in the delta: times are shown in Beijing time.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

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


def local_time(moment: datetime) -> datetime:
    """A stored time (UTC, naive or aware) in Beijing time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TZ)


def time_text(moment: datetime | None, lang: str) -> str:
    """'2026-03-01 12:30（北京时间）': a stored time as the report prints it."""
    if moment is None:
        return DASH
    suffix = "（北京时间）" if lang == "zh" else " (Beijing time)"
    return local_time(moment).strftime("%Y-%m-%d %H:%M") + suffix


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
