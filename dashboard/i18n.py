"""Interface text in Chinese and English; Chinese is the default language.

Text from the data (indicator names, units, goal wording) comes from the catalogue's I18n fields;
this module holds only the words of the interface itself.
"""

from __future__ import annotations

from typing import Any

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

# key -> (zh, en); `{name}` placeholders are filled by `t(key, lang, name=...)`
TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("长三角一体化目标跟踪", "YRD integration target tracker"),
    "app_subtitle": (
        "《长江三角洲区域一体化发展规划纲要》等规划的量化目标进展",
        "Progress towards the quantitative goals of the Yangtze River Delta integration plans",
    ),
    "main_nav": ("主导航", "Main navigation"),
    "switch_to_other": ("English", "中文"),
    "switch_label": ("Switch the interface to English", "切换为中文界面"),
    "log_in": ("登录", "Log in"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "footer": (
        "目标来自规划原文；数值以其来源说明为准。",
        "Goals are quoted from the plans; each value is as good as the source its note names.",
    ),
    # pages (navbar labels)
    "page_overview": ("总览", "Overview"),
    "page_indicator": ("指标", "Indicator"),
    "page_region": ("地区", "Region"),
    "page_map": ("地图", "Map"),
    "page_method": ("方法", "Method"),
    "page_sources": ("数据来源", "Sources"),
    "page_not_found": ("未找到页面", "Page not found"),
    # shared controls and words
    "milestone": ("目标年份", "Goal year"),
    "region": ("地区", "Region"),
    "regions": ("地区", "Regions"),
    "indicator": ("指标", "Indicator"),
    "category": ("类别", "Category"),
    "status": ("状态", "Status"),
    "value": ("数值", "Value"),
    "latest": ("最新值", "Latest value"),
    "latest_year": ("最新年份", "Latest year"),
    "year": ("年份", "Year"),
    "target": ("目标值", "Goal"),
    "goal": ("目标", "Goal"),
    "gap": ("差距", "Gap"),
    "gap_short": ("差", "gap"),
    "baseline": ("基期", "Baseline"),
    "progress": ("完成进度", "Progress"),
    "time_elapsed": ("时间进度", "Time elapsed"),
    "projected": ("按趋势预测", "Projected by trend"),
    "required_path": ("所需路径", "Required path"),
    "unit": ("单位", "Unit"),
    "note": ("说明（来源）", "Note (source)"),
    "import_id": ("导入批次", "Import"),
    "derived": ("推算值", "Derived"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "no_data": ("无数据", "No data"),
    "none": ("无", "None"),
    "open_indicator": ("查看指标", "Open indicator"),
    "in_year": ("{year}年", "in {year}"),
    "goal_year": ("{year}年目标", "{year} goal"),
    "words_only": ("文字表述的目标", "Goals stated in words"),
    "words_only_note": (
        "以下目标在规划中只有文字表述，没有数值，因此不计算差距。",
        "The plans state these goals in words only, with no number, so no gap is computed.",
    ),
    # overview
    "overview_heading": ("目标进展总览", "Progress towards the goals"),
    "show_cities": (
        "显示城市列（仅限有城市数据的指标）",
        "Show city columns (where cities have data)",
    ),
    "matrix_caption": (
        "各指标在各地区相对{year}年目标的状态。每格：状态符号、最新值、差距与最新年份；点击进入指标页。",
        "Status of each indicator in each region against its {year} goal. Each cell: status "
        "symbol, latest value, gap and latest year; select a cell to open the indicator.",
    ),
    "counts_heading": ("状态统计", "Status counts"),
    "count_achieved": ("已达标", "Achieved"),
    "count_on_track": ("进展顺利", "On track"),
    "count_at_risk": ("有风险", "At risk"),
    "count_off_track": ("偏离目标", "Off track"),
    "count_no_data": ("无数据", "No data"),
    "behind_heading": ("落后于序时进度", "Behind schedule"),
    "behind_note": (
        "完成进度落后于时间进度的目标，按落后年数排序。",
        "Goals whose progress lags the time elapsed, most behind first.",
    ),
    "behind_none": ("没有落后于序时进度的目标。", "No goal is behind schedule."),
    "years_behind": ("落后 {years} 年", "{years} years behind"),
    "bundled_banner": (
        "根据公开发布资料整理，引用前请与官方统计年鉴核对。",
        "Compiled from public releases; verify against the official yearbooks before citing.",
    ),
    "bundled_link": ("查看数据来源", "See the sources"),
    "empty_db": (
        "数据库中还没有数据。请上传统计数据，或运行 `targets serve` 载入内置数据。",
        "The database holds no data yet. Upload statistics, or run `targets serve` to load the "
        "bundled set.",
    ),
    # indicator
    "unknown_indicator": ("没有这个指标：{id}", "No such indicator: {id}"),
    "series_heading": ("时间序列", "Time series"),
    "series_note": (
        "实线为统计值，虚线为按近五年趋势外推，点线为从最新值到目标的所需路径，菱形为基期值。",
        "Solid: observed. Dashed: projection of the last five years' trend. Dotted: the path "
        "required from the latest value to the goal. Diamond: baseline.",
    ),
    "gaps_heading": ("各地区差距", "Gap by region"),
    "gaps_caption": (
        "条形为尚需缩小的差距（{unit}），已达标为 0；括号内为最新年份。",
        "Bars: the gap still to go ({unit}), 0 once the goal is met; the latest year in brackets.",
    ),
    "table_heading": ("数值表", "Values"),
    "table_note": (
        "可排序、筛选；选中单元格后可复制。",
        "Sort and filter the columns; select cells to copy them.",
    ),
    "goals_heading": ("目标原文", "The goal as worded"),
    "source": ("出处", "Source"),
    "choose_regions": ("选择地区", "Choose regions"),
    "series_graph_label": ("{name}的时间序列图", "Time-series chart of {name}"),
    "gaps_graph_label": ("{name}各地区差距条形图", "Bar chart of the gap of {name} by region"),
    "component_series": (
        "这是组成序列（用于计算其他指标），本身没有目标。",
        "This is a component series (used to compute other indicators); it has no goal of its own.",
    ),
    # region
    "unknown_region": ("没有这个地区：{id}", "No such region: {id}"),
    "bullet_heading": ("各指标相对目标", "Each indicator against its goal"),
    "bullet_note": (
        "横条为最新值占目标的百分比（越低越好的指标取目标/数值），竖线为目标（100%），菱形为基期。",
        "Bars: latest value as a percentage of the goal (goal / value for lower-is-better "
        "indicators). Line: the goal (100%). Diamond: baseline.",
    ),
    "region_goals_heading": ("目标差距排序", "Goals by distance still to go"),
    "bullet_graph_label": (
        "{name}各指标完成情况子弹图",
        "Bullet chart of each indicator in {name}",
    ),
    "pct_of_goal": ("占目标 %", "% of goal"),
    # map
    "map_heading": ("瓦片地图", "Tile-grid map"),
    "map_note": (
        "这是瓦片地图，不是边界地图：每个方块代表一个城市，位置只是示意；粗线框出各省。",
        "This is a tile-grid map, not a boundary map: each square is one city at a schematic "
        "position; thick lines outline the provinces.",
    ),
    "map_cities": ("城市", "Cities"),
    "map_provinces": ("省级", "Provinces"),
    "map_graph_label": ("{name}城市瓦片地图", "Tile-grid map of {name} by city"),
    "map_provinces_label": ("{name}省级瓦片", "Province tiles of {name}"),
    "map_summary": ("有数据的城市：{n} / {total}", "Cities with data: {n} of {total}"),
    # method
    "method_heading": ("进展评估方法", "How progress is assessed"),
    "thresholds_heading": ("状态阈值", "Status thresholds"),
    "threshold_rule": ("判定规则", "Rule"),
    "documents_heading": ("目标出处", "Where the goals come from"),
    "document": ("文件", "Document"),
    "issuer": ("发布机关", "Issued by"),
    "issued": ("发布日期", "Issued"),
    "doc_baseline": ("默认基期", "Default baseline"),
    "goal_count": ("目标数", "Goals"),
    # sources
    "sources_heading": ("数据来源", "Sources of the data"),
    "sources_note": (
        "当前生效的全部数值及其说明（来源网址与引文）。可筛选、排序、复制。",
        "Every value in force with its note (source address and quote). Filter, sort and copy.",
    ),
    "imports_heading": ("导入批次", "Imports"),
    "file_name": ("文件名", "File"),
    "created_at": ("时间", "Time"),
    "rows": ("行数", "Rows"),
    "state": ("状态", "State"),
    "user": ("用户", "User"),
    # 404
    "not_found_text": ("找不到这个页面。", "There is no page at this address."),
    "back_home": ("返回总览", "Back to the overview"),
}


def norm_lang(lang: Any) -> str:
    """The language of a URL parameter: 'en' or the default 'zh' (anything else is ignored)."""
    return "en" if str(lang or "").lower().startswith("en") else DEFAULT_LANG


def t(key: str, lang: str, **values: Any) -> str:
    """The interface text `key` in `lang`, with `{placeholders}` filled."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
