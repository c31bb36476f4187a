"""Interface text in Chinese and English, one catalogue for every page; Chinese is the default.

Every word of the interface is a key of `TEXT` (key -> (zh, en)) looked up with `t(key, lang)`;
a page's own words carry its name as prefix (`upload_refused`), words shared by pages do not.
Text from the data (indicator names, units, goal wording) comes from the catalogue's I18n fields,
and numbers, goals and statuses are worded by targets.display, as in the reports.
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
    "flag": ("注记", "Flag"),
    "provenance_heading": (
        "数据口径与初步判断",
        "Which figure, and which verdicts are provisional",
    ),
    "import_id": ("导入批次", "Import"),
    "indicator_id": ("指标编号", "Indicator id"),
    # the note `targets init` gives the import of the bundled statistics (targets.bundled)
    "bundled_import_note": ("内置公开统计数据", "bundled public statistics"),
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
    "show_cities_none": (
        "显示城市列（不可用：尚无城市数据，导入城市数值后可用）",
        "Show city columns (unavailable: no city has data yet; import city values first)",
    ),
    "show_cities": (
        "显示城市列（仅限有城市数据的指标）",
        "Show city columns (where cities have data)",
    ),
    "matrix_caption": (
        "各指标在各地区相对{year}年目标的状态。每格：状态符号、最新值、差距与最新年份；点击进入指标页。"
        "带 ※ 对标 的格（虚线框）：规划并未为该地区设定此目标，只是与为长三角或中心区设定的目标相比较；"
        "带“初步”的格：所依据的数值为初步数、约数或口径不同。",
        "Status of each indicator in each region against its {year} goal. Each cell: status "
        "symbol, latest value, gap and latest year; select a cell to open the indicator. Cells "
        "marked ※ benchmark (dashed frame): the plan does not set this goal for the region, "
        "which is only compared with the goal set for the delta or the central zone; cells "
        "marked provisional rest on a preliminary, approximate or differently defined value.",
    ),
    "statuses_meaning": ("状态含义", "What the statuses mean"),
    "verdicts_heading": ("{year}年目标：总体状态与增速状态", "The {year} goal: headline and pace"),
    "verdicts_note": (
        "增速状态按公布的比值法（实际增速 / 所需增速）；目标年临近（一年以内）或已过时，总体状态改看距离："
        "预测值（已公布时为实际值）与目标的差距占尚需距离的比例，5%以内为接近目标，20%以内为尚有差距，"
        "超过为差距较大。",
        "Pace: the published ratio method (actual against required yearly growth). Once the goal "
        "year is within a year or past, the headline judges distance instead: the projected (or, "
        "once published, actual) shortfall as a share of the distance still to go: within 5% "
        "close to the goal, within 20% some way short, beyond that far from the goal.",
    ),
    "whose_goal": ("目标归属", "Whose goal"),
    "rule_column": ("规则", "Rule"),
    "rule_pace": ("增速（目标年较远时）", "pace (goal year far)"),
    "rule_distance": ("距离（目标年临近或已过）", "distance (goal year within a year or past)"),
    "rule_both": ("两种规则相同", "both rules"),
    "headline_status": ("总体状态", "Headline"),
    "pace_status": ("增速状态", "Pace"),
    "why": ("判断依据", "Why"),
    "counts_heading": ("状态统计", "Status counts"),
    "chips_note": (
        "每个状态的格数；勾选状态，矩阵只显示含该状态的目标。",
        "Cells per status; tick statuses to keep only the goals with such a cell in the matrix.",
    ),
    "behind_heading": ("落后于序时进度", "Behind schedule"),
    "behind_note": (
        "完成进度落后于时间进度的目标，按落后年数排序。",
        "Goals whose progress lags the time elapsed, most behind first.",
    ),
    "behind_cut": (
        "列出最落后的{shown}项（共{total}项）；全部见报告或命令 targets gaps --behind-schedule。",
        "The {shown} most behind of {total} are listed; the reports and "
        "`targets gaps --behind-schedule` list them all.",
    ),
    "cities_of": ("显示哪个省的城市", "Cities of"),
    "cities_all": ("全部城市", "Every province"),
    "behind_none": ("没有落后于序时进度的目标。", "No goal is behind schedule."),
    "years_behind": ("落后 {years} 年", "{years} years behind"),
    "bundled_banner": (
        "根据公开发布资料整理，引用前请与官方统计年鉴核对。",
        "Compiled from public releases; verify against the official yearbooks before citing.",
    ),
    "synthetic_banner": ("合成数据 — 非官方统计", "Synthetic data — not official statistics"),
    "bundled_link": ("查看数据来源", "See the sources"),
    "updating": (
        "更新中…：新导入数据的结果正在计算，页面可能稍慢。",
        "Updating…: the results of newly imported data are being computed; pages may be slow.",
    ),
    "empty_db": (
        "数据库中还没有数据。请上传统计数据，或运行 `targets serve` 载入内置数据。",
        "The database holds no data yet. Upload statistics, or run `targets serve` to load the "
        "bundled set.",
    ),
    # indicator
    "unknown_indicator": ("没有这个指标：{id}", "No such indicator: {id}"),
    "series_heading": ("时间序列", "Time series"),
    # downloads of a chart
    "download_csv": ("下载数据（CSV）", "Download data (CSV)"),
    "download_png": ("下载图片（PNG）", "Download image (PNG)"),
    "download_svg": ("下载图片（SVG）", "Download image (SVG)"),
    "downloads_of": ("下载：{title}", "Downloads: {title}"),
    "downloaded": ("已生成 {format} 文件", "{format} file made"),
    "export_source": (
        "来源：{sources}；目标：{plans}。长三角一体化目标跟踪",
        "Source: {sources}; goal: {plans}. YRD integration target tracker",
    ),
    "export_sources": (
        "官方发布 {official} 个值，转载 {repost} 个值，其他 {other} 个值",
        "{official} values from official releases, {repost} from reposts, {other} other",
    ),
    # the hover of a value: where it comes from
    "source_official": ("来源：官方发布", "Source: official release"),
    "source_repost": ("来源：转载（非官方）", "Source: repost (not official)"),
    "source_derived": ("由其他数值推算", "Derived from other values"),
    "source_unstated": ("来源未注明", "Source not stated"),
    "hover_import": ("导入 #{id}", "Import #{id}"),
    "hover_derived": ("本工具由组成部分推算", "Computed by this tool from its components"),
    "hover_note": ("备注：{note}", "Note: {note}"),
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
    "gaps_shown": (
        "图中显示{total}个地区中的{shown}个；全部地区见 CSV 下载。",
        "Showing {shown} of {total} regions; all are in the CSV download.",
    ),
    "gaps_shown_behind": (
        "图中显示{total}个地区中差距最大的{shown}个（可在上方“{where}”中勾选其他地区）；"
        "全部地区见 CSV 下载。",
        "Showing the {shown} furthest behind of {total} regions (tick others under “{where}” "
        "above); all are in the CSV download.",
    ),
    "table_heading": ("数值表", "Values"),
    "indicator_view": ("视图", "View"),
    "view_chart": ("图表", "Chart"),
    "view_table": ("表格", "Table"),
    "view_map": ("地图", "Map"),
    "table_note": (
        "可排序、筛选；选中单元格后可复制。",
        "Sort and filter the columns; select cells to copy them.",
    ),
    "goals_heading": ("目标原文", "The goal as worded"),
    "source": ("出处", "Source"),
    "choose_regions": ("选择地区", "Choose regions"),
    "indicator_more_regions": (
        "为便于阅读，图表先画{shown}个地区；另有{more}个省级地区未画出，可在上方“{where}”中勾选加入。",
        "For legibility the chart opens on {shown} regions; {more} more provinces are not drawn: "
        "tick them under “{where}” above to add them.",
    ),
    "series_graph_label": ("{name}的时间序列图", "Time-series chart of {name}"),
    "gaps_graph_label": ("{name}各地区差距条形图", "Bar chart of the gap of {name} by region"),
    "component_series": (
        "这是组成序列（用于计算其他指标），本身没有目标。",
        "This is a component series (used to compute other indicators); it has no goal of its own.",
    ),
    # region
    "unknown_region": ("没有这个地区：{id}", "No such region: {id}"),
    "bullet_heading": ("各指标相对目标", "Each indicator against its goal"),
    "bullet_export_goal": (
        "每行对照该指标的{year}年规划目标",
        "Each row against its indicator's {year} goal in the plans",
    ),
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
    "source_kind": ("来源类别", "Kind of source"),
    "source_address": ("来源地址", "Source address"),
    "kind_official": ("官方发布", "official"),
    "kind_repost": ("转载", "repost"),
    "kind_derived": ("推算", "derived"),
    "kind_unstated": ("未注明", "not stated"),
    "opens_new_tab": ("（在新标签页打开）", " (opens in a new tab)"),
    "definitions_heading": ("指标定义与元数据", "What each indicator measures"),
    "def_measures": ("测量内容", "What is measured"),
    "def_unit": ("单位", "Unit"),
    "def_publisher": ("数值发布方", "Who publishes the values"),
    "def_publisher_none": ("尚无带来源地址的数值", "No value with a source address yet"),
    "def_wording": ("规划原文", "The plan's wording"),
    "def_values": (
        "{host}：官方 {official} 个、转载 {repost} 个数值",
        "{host}: {official} official, {repost} reposted values",
    ),
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
    # the assessment page
    "assessment_page": ("终期评估", "Assessment"),
    "assessment_heading": ("目标年终期评估", "Final assessment of a goal year"),
    "assessment_final": ("{year}年目标实现情况", "Goals for {year}: met, missed or pending"),
    "assessment_final_note": (
        "按目标年当年的数值判断；该年数值尚未公布的目标为“待定”，并给出已知最新值。",
        "Judged on the value for the goal year itself; where it is not published yet the goal is pending and the latest value known is given.",
    ),
    "assessment_verdict": ("结论", "Verdict"),
    "assessment_margin": ("差额", "Margin"),
    "assessment_source": ("来源", "Source"),
    "assessment_convergence": ("区域差距是否缩小", "Are regional differences narrowing?"),
    "assessment_conv_note": (
        "各省（市）间变异系数（cv）与最大/最小值之比的趋势。",
        "Trend of the coefficient of variation (cv) and the max/min ratio across provinces.",
    ),
    "assessment_years": ("年份", "Years"),
    "assessment_cv": ("变异系数", "cv"),
    "assessment_maxmin": ("最大/最小", "max/min"),
    "assessment_trend": ("趋势", "Trend"),
    "assessment_cv_of": ("{name}：变异系数", "{name}: coefficient of variation"),
    "assessment_methods": ("三种方法对比", "Three methods side by side"),
    "assessment_methods_note": (
        "比值法（本工具的状态）、预测法（联合国亚太经社会）、德国指标报告“天气符号”法；方法结论不一致的行标注“不一致”。",
        "Ratio method (the tracker's status), projection (UN ESCAP), Germany's weather symbols; rows where the methods disagree are marked “disagree”.",
    ),
    "assessment_ratio": ("比值法", "Ratio"),
    "assessment_projection": ("预测法", "Projection"),
    "assessment_germany": ("天气符号", "Weather"),
    "assessment_agree": ("是否一致", "Agree?"),
    "assessment_agree_yes": ("✓ 一致", "✓ agree"),
    "assessment_agree_no": ("⚠ 不一致", "⚠ disagree"),
    "assessment_agree_na": ("— 无法判断", "— cannot judge"),
    "assessment_none": ("没有数据", "No data"),
    "assessment_scope": ("地区范围", "Regions shown"),
    "assessment_scope_all": ("全部地区", "Every region"),
    "assessment_scope_top": (
        "省级及以上（各省市县请逐省查看）",
        "Provinces and above (cities and counties: choose a province)",
    ),
    "assessment_scope_of": ("{name}及其市、县", "{name}, its cities and counties"),
    "assessment_rows_cut": (
        "共 {total} 行，仅显示前 {shown} 行：请在“地区范围”中选择一个省。",
        "{total} rows: the first {shown} are shown. Choose a province under “Regions shown” for the rest.",
    ),
    "assessment_table_part": ("表格显示的部分", "Part of the table shown"),
    "assessment_table_all": ("全部领域", "Every area"),
    "assessment_table_part_label": ("{part}（{rows}行）", "{part} ({rows} rows)"),
    "assessment_table_whole": (
        "表格共 {total} 行，全部显示。",
        "The table has {total} rows, all shown.",
    ),
    "assessment_table_shown": (
        "表格共 {total} 行，显示“{part}”的 {shown} 行；其余各部分请在“表格显示的部分”中选择。",
        "The table has {total} rows; shown: “{part}”, {shown} rows. Choose another part under "
        "“Part of the table shown” for the rest.",
    ),
    "assessment_methods_shown": (
        "对比表共 {total} 行，随上方“表格显示的部分”显示“{part}”的 {shown} 行。",
        "The comparison has {total} rows; shown, as above under “Part of the table shown”: "
        "“{part}”, {shown} rows.",
    ),
    "assessment_contribution": ("区域差距从何而来", "Where the regional gap comes from"),
    "contribution_value_note": (
        "数值为现行公布值；与分项（分子、分母）测算值不同时并列给出，差距份额按分项计算",
        "The value in force (published where released); where its components give another "
        "number it is shown beside it, and the shares are computed from the components",
    ),
    "assessment_contrib_note": (
        "按全域目标衡量的指标：比率指标为各省（市）达到目标本身所缺的分子占全域差距的份额（负值表示超过目标、抵消了其他地区的差距）；只有全域目标的总量指标为各省占总量的份额。取各组成序列齐全的最近年份。",
        "Goals measured on the whole region: for a ratio, the share of the regional gap that each province's own shortfall makes (negative: beyond the goal, offsetting the others); for a count with a regional goal only, each province's share of the total. The latest year with every component is used.",
    ),
    "assessment_share_gap": ("占全域差距", "Share of the gap"),
    "assessment_share_total": ("占总量", "Share of the total"),
    "assessment_draft": ("评估文字（可复制）", "Drafted text (to copy)"),
    "assessment_draft_note": (
        "按固定模板由上表及差距表的数字起草，与 Word 评估报告（报告页）的文字相同；引用前请核对数字。",
        "Drafted from fixed templates over the figures of the tables, the same words as the Word "
        "assessment document (Reports page); check the numbers before quoting.",
    ),
    "assessment_copy": ("复制", "Copy"),
    "assessment_loading": ("更新中…", "Updating…"),
    "assessment_draft_part": ("显示的段落", "Paragraphs shown"),
    "assessment_draft_all": ("全部段落", "Every paragraph"),
    "assessment_draft_overview": ("总体情况及各领域概述", "Summary and each area's overview"),
    "assessment_copy_label": ("复制这一段：{heading}", "Copy this paragraph: {heading}"),
    "assessment_copied": ("已复制", "Copied"),
    "assessment_copy_failed": (
        "无法复制，请手动选择文字",
        "Could not copy: select the text by hand",
    ),
    # the history page
    "history_page": ("导入历史", "History"),
    "history_heading": ("导入历史", "Import history"),
    "history_intro": (
        "每次上传的每个文件是一个导入批次。撤销后，该批次的数值不再生效，此前的数值恢复；记录保留。",
        "Each uploaded file is one import. Reverting an import withdraws its values and brings back those in force before it; its records stay.",
    ),
    "history_login_to_revert": (
        "以编辑身份登录后可撤销导入。",
        "Log in as an editor to revert imports.",
    ),
    "history_id": ("批次", "Import"),
    "history_time": ("时间（UTC）", "Time (UTC)"),
    "history_note": ("说明", "Note"),
    "history_action": ("操作", "Action"),
    "history_detail": ("详情", "Detail"),
    # an audited action's detail (targets.audit_details: `audit_<action>_<template index>`)
    "audit_import_0": ("#{id} {file}：{rows} 行", "#{id} {file}: {rows} rows"),
    "audit_revert_0": ("导入批次 #{id}（{file}）", "#{id} {file}"),
    "audit_submit_0": (
        "#{id} {file}：{rows} 行（{counts}）",
        "#{id} {file}: {rows} rows ({counts})",
    ),
    "audit_approve_0": ("#{id} → 导入批次 #{import_id}", "#{id} -> import #{import_id}"),
    "audit_submission_diff_0": (
        "#{id}：现行数值已变化；{counts}",
        "#{id}: in force changed; {counts}",
    ),
    "audit_return_0": ("报送 #{id}，意见：{comment}", "#{id}: {comment}"),
    "audit_login_0": ("{role}，来自 {address}", "{role} from {address}"),
    "audit_login_failed_0": (
        "来自 {address}：失败 {failed} 次，被限流拒绝 {refused} 次（{span} UTC）；尝试的用户名：{names}",
        "{failed} failed, {refused} refused by the throttle from {address} ({span} UTC); "
        "names tried: {names}",
    ),
    "audit_login_failed_1": (
        "来自 {address}：失败 {failed} 次（{span} UTC）；尝试的用户名：{names}",
        "{failed} failed from {address} ({span} UTC); names tried: {names}",
    ),
    "audit_many_addresses": ("多个地址", "many addresses"),
    "audit_user_add_0": (
        "{name}（角色 {role}，地区 {regions}）",
        "{name} ({role}, regions {regions})",
    ),
    "audit_user_add_1": ("{name}（角色 {role}）", "{name} ({role})"),
    "audit_user_role_0": ("{name} 的角色改为 {role}", "{name} -> {role}"),
    "audit_user_regions_0": ("{name} 的地区改为全部地区", "{name} -> all regions"),
    "audit_user_regions_1": ("{name} 的地区改为 {regions}", "{name} -> {regions}"),
    "history_active": ("生效", "active"),
    "history_reverted": ("已撤销", "reverted"),
    "history_revert": ("撤销", "Revert"),
    "history_revert_label": ("撤销导入批次 #{id}（{file}）", "Revert import #{id} ({file})"),
    "history_confirm": (
        "撤销导入批次 #{id}（{file}，{rows} 行）？其数值将不再生效，此前的数值恢复。",
        "Revert import #{id} ({file}, {rows} rows)? Its values are withdrawn and those in force before it come back.",
    ),
    "history_reverted_ok": ("已撤销导入批次 #{id}。", "Import #{id} reverted."),
    "history_revert_failed": ("无法撤销：{why}", "Could not revert: {why}"),
    "history_need_editor": ("撤销需要编辑账号。", "Reverting needs an editor account."),
    "history_no_imports": ("还没有导入。", "No import yet."),
    "history_audit_heading": ("审计日志", "Audit log"),
    "history_audit_intro": (
        "所有写入操作和登录记录（最近 {n} 条），含操作人和时间。",
        "Every write and login (the latest {n}), with who and when.",
    ),
    "history_audit_editors_only": (
        "审计日志仅对编辑和管理员显示。",
        "The audit log is shown to editors and administrators only.",
    ),
    # levels of the region registry, and the audited actions (history page)
    "level_region": ("全域", "Whole region"),
    "level_zone": ("区域", "Zone"),
    "level_province": ("省级", "Province"),
    "level_city": ("城市", "City"),
    "level_county": ("县区", "County"),
    "action_import": ("导入", "import"),
    "action_revert": ("撤销", "revert"),
    "action_login": ("登录", "login"),
    "action_login_failed": ("登录失败", "failed login"),
    "action_login_throttled": ("登录受限", "login throttled"),
    "action_logout": ("退出", "logout"),
    "action_user_add": ("新增账号", "account added"),
    "action_user_role": ("修改角色", "role changed"),
    "action_user_password": ("修改密码", "password changed"),
    "action_user_delete": ("删除账号", "account deleted"),
    "action_user_regions": ("修改地区范围", "regions changed"),
    "action_submit": ("报送待审", "submitted for review"),
    "action_approve": ("审核通过", "submission approved"),
    "action_return": ("退回报送", "submission returned"),
    "action_submission_diff": (
        "现行数值已变：重新比对",
        "values in force changed: diff made again",
    ),
    "history_reviewed_edits": (
        "编辑的更改须经审核（TARGETS_EDITS=submit）：撤销导入需要管理员账号。",
        "Editors' changes are reviewed (TARGETS_EDITS=submit): reverting an import needs an admin "
        "account.",
    ),
    "history_warning_count": ("{n} 条提示", "{n} warning(s)"),
    "current_page": (" (当前页)", " (current page)"),
    "lowest": ("最低", "lowest"),
    "highest": ("最高", "highest"),
    # the login page
    "role_viewer": ("查看者", "viewer"),
    "role_editor": ("编辑", "editor"),
    "role_reviewer": ("审核人", "reviewer"),
    "role_admin": ("管理员", "admin"),
    "login_logout": ("退出登录", "Log out"),
    "login_username": ("用户名", "User name"),
    "login_password": ("密码", "Password"),
    "login_intro": (
        "上传数据和撤销导入需要编辑账号。账号由管理员用 “targets user add” 创建。",
        "Uploading and reverting imports need an editor account. An administrator creates accounts with “targets user add”.",
    ),
    "login_error_invalid": ("用户名或密码错误。", "Wrong user name or password."),
    "login_error_throttled": (
        "登录尝试过于频繁，请一分钟后再试。",
        "Too many login attempts: wait a minute and try again.",
    ),
    "login_error_expired": (
        "表单已过期，请重新输入后提交。",
        "The form had expired: please enter your details again.",
    ),
    "login_logged_in_as": ("当前登录：{name}（{role}）", "Logged in as {name} ({role})"),
    "login_not_logged_in": ("您尚未登录。", "You are not logged in."),
    "login_logout_intro": (
        "退出后，编辑页面需要重新登录。",
        "After logging out, editing needs a new login.",
    ),
    "login_private_view": (
        "本站的数据仅对登录用户开放。",
        "The data on this site is shown to logged-in users only.",
    ),
    # the reports page
    "reports_page": ("报告", "Reports"),
    "reports_heading": ("下载差距报告", "Download the gap report"),
    "reports_intro": (
        "报告与总览页和命令行 “targets report” 的数字完全相同。不选地区或指标即包含全部。",
        "The report has the same numbers as the overview and “targets report”. Leave regions or indicators unchosen to include them all.",
    ),
    "reports_regions": ("地区（可多选）", "Regions (any number)"),
    "reports_indicators": ("指标（可多选）", "Indicators (any number)"),
    "reports_choose": ("展开选择", "Choose"),
    "reports_none_is_all": ("不选即全部。", "None chosen means all."),
    "reports_lang": ("报告语言", "Language of the report"),
    "reports_format": ("下载格式", "Download as"),
    "reports_pdf_slow": (
        "PDF 需要几秒钟生成，生成时可以取消。",
        "A PDF takes a few seconds to make; you can cancel it meanwhile.",
    ),
    "reports_docx_note": (
        "Word 文件是该目标年份的评估报告：按固定模板起草的文字、目标一览表、各目标图表和资料来源附录，"
        "可在 Word、WPS 中修改后印发（数字请先核对）。",
        "The Word file is the assessment document of the goal year: drafted text, the goal table, "
        "a chart per goal and an annex of sources, to edit in Word or WPS before circulating "
        "(check the numbers first).",
    ),
    "reports_progress": ("生成进度", "Progress"),
    "reports_working": ("生成中：{stage}… {pct}%", "Working: {stage}… {pct}%"),
    "reports_finished": ("已生成，正在下载… 100%", "Done, downloading… 100%"),
    "reports_live": ("生成中：{stage}", "Working: {stage}"),
    "reports_live_sheets": ("生成中：写入工作表", "Working: writing the sheets"),
    "reports_live_sections": ("生成中：编排章节", "Working: composing the sections"),
    "reports_live_finished": ("已生成，正在下载", "Done, downloading"),
    "reports_cancel": ("取消生成", "Cancel"),
    "reports_cancelled": ("已取消，没有生成文件。", "Cancelled: no file was made."),
    "reports_ready": ("已生成 {file}（{size} 字节）。", "{file} is ready ({size} bytes)."),
    "reports_failed": ("无法生成报告：{why}", "The report could not be made: {why}"),
    "reports_job_failed": (
        "后台任务无法运行，请稍后再试。",
        "the background job could not be run; please try again later.",
    ),
    # the upload page
    "upload_page": ("上传", "Upload"),
    "upload_heading": ("上传统计数据", "Upload statistics"),
    "upload_intro": (
        "支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK）。先检查（不写入），看过报告后再确认导入；每个文件成为一个导入批次，可在“导入历史”中撤销。",
        "Accepted: .xlsx, .xls, .ods and .csv (UTF-8 or GBK). Check first (nothing is written), read the report, then confirm; each file becomes one import, which History can revert.",
    ),
    "upload_need_editor": (
        "上传数据需要编辑账号。请以编辑身份登录。",
        "Uploading needs an editor account: log in as an editor.",
    ),
    "upload_files": ("文件", "Files"),
    "upload_drop": ("把文件拖到这里，或", "Drag and drop files here, or"),
    "upload_browse": ("选择文件", "choose files"),
    "upload_limit": (
        "每次最多 {mb} MB（所有文件合计）。",
        "Up to {mb} MB per upload (all files together).",
    ),
    "upload_none_selected": ("尚未选择文件。", "No file chosen yet."),
    "upload_selected": ("已选择：", "Chosen:"),
    "upload_year": ("年份（可选）", "Year (optional)"),
    "upload_year_help": (
        "表格中没有年份时使用，例如只含一年数据的表。",
        "Used where the sheet gives no year, e.g. a table of a single year.",
    ),
    "upload_note": ("说明（可选）", "Note (optional)"),
    "upload_note_help": (
        "记录在导入历史中，例如数据来源。",
        "Kept in the import history, e.g. where the figures come from.",
    ),
    "upload_check": ("检查（试运行）", "Check (dry run)"),
    "upload_confirm": ("确认导入", "Confirm import"),
    "upload_report": ("检查报告", "Check report"),
    "upload_result": ("导入结果", "Import result"),
    "upload_no_files": ("请先选择文件。", "Choose files first."),
    "upload_bad_year": (
        "“{field}”须为 {low} 至 {high} 之间的整数，或留空；填写的是“{value}”。未导入任何数据。",
        "“{field}” must be a whole number from {low} to {high}, or left empty; it says"
        " “{value}”. Nothing was imported.",
    ),
    "upload_too_large": (
        "文件合计 {size} 字节，超过上限 {limit} 字节。",
        "The files add up to {size} bytes, more than the limit of {limit}.",
    ),
    "upload_bad_contents": ("文件内容无法读取。", "The file contents could not be read."),
    "upload_changed": (
        "检查之后文件或年份有变化，请重新检查。",
        "The files or the year changed after the check: check again.",
    ),
    "upload_accepted": ("可以导入：{rows} 行", "Ready to import: {rows} rows"),
    "upload_refused": (
        "拒绝：{n} 个错误，整个文件不会写入",
        "Refused: {n} errors; nothing of this file is written",
    ),
    "upload_more_errors": (
        "只列出前 {shown} 个错误及其位置：",
        "Only the first {shown} errors are listed with their places:",
    ),
    "upload_duplicate": (
        "与导入批次 #{id} 完全相同，不会重复写入",
        "Identical to import #{id}; nothing will be stored",
    ),
    "upload_counts": (
        "新增 {new} · 不变 {unchanged} · 修订 {revised}",
        "new {new} · unchanged {unchanged} · revised {revised}",
    ),
    "upload_errors": ("错误", "Errors"),
    "upload_warnings": ("提示", "Warnings"),
    "upload_sheet": ("工作表", "Sheet"),
    "upload_cell": ("单元格", "Cell"),
    "upload_code": ("代码", "Code"),
    "upload_message": ("说明", "Message"),
    "upload_suggestion": ("建议", "Suggestion"),
    "upload_preview": (
        "表格预览（{sheet}）：标有 ⚠ 的单元格有错误",
        "Preview of {sheet}: cells marked ⚠ have errors",
    ),
    "upload_preview_rows": (
        "显示前 {n} 行及出错的行。",
        "Showing the first {n} rows and the rows with errors.",
    ),
    "upload_diff_rows": (
        "表中列出 {shown} 行（共 {total} 行，修订的在前）；上面的计数包括全部。",
        "The grid lists {shown} of {total} rows, revised first; the counts above cover all.",
    ),
    "upload_diff": ("导入后的变化", "What the import changes"),
    # a file's layout (targets.ingest.layouts) in words, not its code
    "layout_label": ("版式：{layout}", "Layout: {layout}"),
    "layout_long": ("长表，每行一个数值", "long: one value per row"),
    "layout_indicator-columns": ("每列一个指标", "one indicator per column"),
    "layout_regions-as-columns": ("每列一个地区", "one region per column"),
    "layout_years-as-columns": ("每列一个年份", "one year per column"),
    "layout_regions": ("列中另有地区", "regions in the columns too"),
    "layout_years": ("列中另有年份", "years in the columns too"),
    "upload_change_replaces_derived": (
        "以上传的 {new} 替换推算值 {old}",
        "replaces the derived {old} with an uploaded {new}",
    ),
    "upload_old": ("原值", "Old"),
    "upload_new": ("新值", "New"),
    "upload_change": ("变化", "Change"),
    "upload_change_new": ("新增", "new"),
    "upload_change_unchanged": ("不变", "unchanged"),
    "upload_change_revised": ("修订", "revised"),
    "upload_imported": ("已导入为批次 #{id}：{rows} 行", "Imported as #{id}: {rows} rows"),
    "upload_not_imported": ("未导入", "Not imported"),
    "upload_see_history": ("查看导入历史", "See the import history"),
    "upload_nothing_to_import": ("没有可以导入的文件。", "No file can be imported."),
    "upload_submit": ("提交审核", "Submit for review"),
    "upload_submit_intro": (
        "您的上传须经审核：检查后点击“提交审核”，审核人批准后数值才生效。",
        "Your uploads are reviewed: after the check, “Submit for review”; the values go in force "
        "once a reviewer approves them.",
    ),
    "upload_submitted": (
        "已提交为报送 #{id}：{rows} 行，等待审核",
        "Submitted as #{id}: {rows} rows, pending review",
    ),
    "upload_already_submitted": (
        "与待审核的报送 #{id} 相同，未重复提交",
        "Identical to submission #{id}, pending review; not submitted again",
    ),
    "upload_see_submissions": ("查看我的报送", "See your submissions"),
    # the submissions page
    "submissions_page": ("报送审核", "Submissions"),
    "submissions_heading": ("报送与审核", "Submissions and review"),
    "submissions_intro": (
        "各地报送的数据经审核后生效。报送保存文件、说明、与现行数值的比对及导入将产生的提示；"
        "审核人批准（按常规导入生效）或退回（附意见，不改变任何数值）。",
        "Submitted figures go in force once reviewed. A submission keeps the file, the note, its "
        "diff against the values in force and the warnings its import would raise; a reviewer "
        "approves it (it goes in force as an import) or returns it with a comment (nothing "
        "changes).",
    ),
    "submissions_need_login": (
        "查看报送需要登录编辑、审核人或管理员账号。",
        "Log in with an editor, reviewer or admin account to see submissions.",
    ),
    "submissions_pending": ("待审核", "Pending review"),
    "submissions_none_pending": ("没有待审核的报送。", "No submission is waiting for review."),
    "submissions_mine": ("我的报送", "Your submissions"),
    "submissions_all": ("全部报送", "All submissions"),
    "submissions_none": ("还没有报送。", "No submissions yet."),
    "submissions_by": ("报送人 {user}，{time}", "by {user}, {time}"),
    "submissions_note": ("说明：", "Note: "),
    "submissions_comment": ("审核意见（退回时必填）", "Comment (required to return)"),
    "submissions_approve": ("批准生效", "Approve"),
    "submissions_return": ("退回", "Return"),
    "submissions_download": ("下载报送的文件", "Download the submitted file"),
    # the visible words first: the accessible name must contain them (WCAG 2.5.3)
    "submissions_download_label": (
        "下载报送的文件：#{id}（{file}）",
        "Download the submitted file: #{id} ({file})",
    ),
    "submissions_approve_label": (
        "批准报送 #{id}（{file}）并使其生效",
        "Approve submission #{id} ({file}) and put it in force",
    ),
    "submissions_return_label": (
        "退回报送 #{id}（{file}）",
        "Return submission #{id} ({file})",
    ),
    "submissions_approved": (
        "报送 #{id} 已批准，导入为批次 #{import_id}。",
        "Submission #{id} approved: in force as import #{import_id}.",
    ),
    "submissions_returned": ("报送 #{id} 已退回。", "Submission #{id} returned."),
    "submissions_diff_changed": (
        "报送 #{id}：提交后现行数值已有变化，未作任何更改。下方为重新比对的结果，请核对后再批准。",
        "Submission #{id}: the values in force changed since it was submitted; nothing was "
        "changed. The diff below is made again: review it, then approve again.",
    ),
    "submissions_refused": ("未能完成：{why}", "Not done: {why}"),
    "submissions_need_reviewer": (
        "审核需要审核人或管理员账号。",
        "Reviewing needs a reviewer or admin account.",
    ),
    "submissions_state_pending": ("○ 待审核", "○ pending review"),
    "submissions_state_approved": ("✓ 已批准", "✓ approved"),
    "submissions_state_returned": ("↩ 已退回", "↩ returned"),
    "submissions_id": ("编号", "No."),
    "submissions_time": ("提交时间", "Submitted"),
    "submissions_file": ("文件", "File"),
    "submissions_user": ("报送人", "Submitter"),
    "submissions_state": ("状态", "State"),
    "submissions_changes": ("变化", "Changes"),
    "submissions_review": ("审核", "Review"),
    "submissions_counts": (
        "新增 {new}，不变 {unchanged}，修订 {revised}",
        "new {new}, unchanged {unchanged}, revised {revised}",
    ),
    "submissions_review_text": ("审核人 {reviewer}：{comment}", "{reviewer}: {comment}"),
    "submissions_in_force_as": ("生效为批次 #{id}", "in force as import #{id}"),
    # plotly.js's own words (dashboard.figures.PLOTLY_WORDS): the chart toolbar and its hints
    "plotly_autoscale": ("自动缩放", "Autoscale"),
    "plotly_reset_axes": ("重置坐标轴", "Reset axes"),
    "plotly_zoom": ("缩放", "Zoom"),
    "plotly_zoom_in": ("放大", "Zoom in"),
    "plotly_zoom_out": ("缩小", "Zoom out"),
    "plotly_pan": ("平移", "Pan"),
    "plotly_box_select": ("矩形选择", "Box Select"),
    "plotly_lasso_select": ("套索选择", "Lasso Select"),
    "plotly_download_png": ("下载图片（PNG）", "Download plot as a PNG"),
    "plotly_download": ("下载图片", "Download plot"),
    "plotly_spikes": ("显示/隐藏辅助线", "Toggle Spike Lines"),
    "plotly_hover_closest": ("悬停显示最近的数据", "Show closest data on hover"),
    "plotly_hover_compare": ("悬停比较数据", "Compare data on hover"),
    "plotly_double_click": ("双击还原", "Double-click to zoom back out"),
    "plotly_snapshot_taking": (
        "正在生成图片，请稍候",
        "Taking snapshot - this may take a few seconds",
    ),
    "plotly_snapshot_done": ("图片已生成", "Snapshot succeeded"),
    "plotly_snapshot_failed": (
        "抱歉，图片下载失败",
        "Sorry, there was a problem downloading your snapshot!",
    ),
    # AG Grid's own words (its localeText keys after "grid_"): paging, filters, screen-reader names
    # AG Grid writes "Page 1 of 8" and "1 to 20 of 25" with these: "页码 1，共 8", "1 至 20，共 25"
    "grid_page": ("页码", "Page"),
    "grid_to": ("至", "to"),
    "grid_of": ("，共", "of"),
    "grid_more": ("更多", "more"),
    "grid_next": ("下一页", "Next"),
    "grid_last": ("末页", "Last"),
    "grid_first": ("首页", "First"),
    "grid_previous": ("上一页", "Previous"),
    "grid_nextPage": ("下一页", "Next Page"),
    "grid_lastPage": ("末页", "Last Page"),
    "grid_firstPage": ("首页", "First Page"),
    "grid_previousPage": ("上一页", "Previous Page"),
    "grid_pageLastRowUnknown": ("未知", "?"),
    "grid_loadingOoo": ("加载中…", "Loading..."),
    "grid_loadingError": ("加载出错", "ERR"),
    "grid_noRowsToShow": ("没有可显示的行", "No Rows To Show"),
    "grid_filterOoo": ("筛选…", "Filter..."),
    "grid_equals": ("等于", "Equals"),
    "grid_notEqual": ("不等于", "Does not equal"),
    "grid_blank": ("为空", "Blank"),
    "grid_notBlank": ("不为空", "Not blank"),
    "grid_empty": ("请选择", "Choose one"),
    "grid_lessThan": ("小于", "Less than"),
    "grid_greaterThan": ("大于", "Greater than"),
    "grid_lessThanOrEqual": ("小于或等于", "Less than or equal to"),
    "grid_greaterThanOrEqual": ("大于或等于", "Greater than or equal to"),
    "grid_inRange": ("介于", "Between"),
    "grid_inRangeStart": ("从", "From"),
    "grid_inRangeEnd": ("到", "To"),
    "grid_contains": ("包含", "Contains"),
    "grid_notContains": ("不包含", "Does not contain"),
    "grid_startsWith": ("开头是", "Begins with"),
    "grid_endsWith": ("结尾是", "Ends with"),
    "grid_andCondition": ("并且", "AND"),
    "grid_orCondition": ("或者", "OR"),
    "grid_applyFilter": ("应用", "Apply"),
    "grid_resetFilter": ("重置", "Reset"),
    "grid_clearFilter": ("清除", "Clear"),
    "grid_cancelFilter": ("取消", "Cancel"),
    "grid_selectAll": ("全选", "Select All"),
    "grid_searchOoo": ("搜索…", "Search..."),
    "grid_ariaFilterInput": ("筛选输入", "Filter Input"),
    "grid_ariaDateFilterInput": ("日期筛选输入", "Date Filter Input"),
    "grid_ariaFilterValue": ("筛选值", "Filter Value"),
    "grid_ariaFilteringOperator": ("筛选条件", "Filtering Operator"),
    "grid_ariaFilterColumnsInput": ("筛选列输入", "Filter Columns Input"),
    "grid_ariaFilterFromValue": ("筛选起始值", "Filter from value"),
    "grid_ariaFilterToValue": ("筛选结束值", "Filter to value"),
    "grid_ariaFilterList": ("筛选", "Filter"),
    "grid_ariaFilterMenuOpen": ("打开筛选菜单", "Open Filter Menu"),
    "grid_ariaColumnFiltering": ("列筛选", "Column Filtering"),
    "grid_ariaSortableColumn": ("按回车键排序", "Press ENTER to sort"),
    "grid_ariaMenuColumn": ("按 Alt+向下键打开列菜单", "Press ALT DOWN to open column menu"),
    "grid_ariaFilterColumn": ("按 Ctrl+回车键打开筛选", "Press CTRL ENTER to open filter"),
    "grid_ariaPageSizeSelectorLabel": ("每页行数", "Page Size"),
    "grid_pageSizeSelectorLabel": ("每页行数：", "Page Size:"),
    "grid_ariaRowPageSize": ("每页行数", "Page Size"),
    "grid_ariaHidden": ("隐藏", "hidden"),
    "grid_ariaVisible": ("可见", "visible"),
    "grid_ariaSearch": ("搜索", "Search"),
    "grid_ariaSearchFilterValues": ("搜索筛选值", "Search filter values"),
    "grid_ariaLabelDialog": ("对话框", "Dialog"),
    "grid_ariaLabelColumnMenu": ("列菜单", "Column Menu"),
    "grid_ariaLabelColumnFilter": ("列筛选", "Column Filter"),
    "grid_ariaLabelCellEditor": ("单元格编辑器", "Cell Editor"),
    "grid_ariaLabelLoadingContextMenu": ("正在加载菜单", "Loading Context Menu"),
    "grid_sortAscending": ("升序", "Sort Ascending"),
    "grid_sortDescending": ("降序", "Sort Descending"),
    "grid_sortUnSort": ("清除排序", "Clear Sort"),
    "grid_ariaSortAscending": ("升序", "ascending"),
    "grid_ariaSortDescending": ("降序", "descending"),
    "grid_ariaSortNone": ("未排序", "none"),
}


def norm_lang(lang: Any) -> str:
    """The language of a URL parameter: 'en' or the default 'zh' (anything else is ignored)."""
    return "en" if str(lang or "").lower().startswith("en") else DEFAULT_LANG


def t(key: str, lang: str, **values: Any) -> str:
    """The interface text `key` in `lang`, with `{placeholders}` filled."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def grid_locale(lang: str) -> dict[str, str]:
    """AG Grid's `localeText` in `lang`: its paging, filters and screen-reader names from TEXT."""
    return {key[5:]: t(key, lang) for key in TEXT if key.startswith("grid_")}
