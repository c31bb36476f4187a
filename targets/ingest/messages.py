"""Issue messages in English and Chinese: one template pair per message key."""

from __future__ import annotations

from typing import Any

from targets.issues import Issue, column_letter

# key -> (code, English template, Chinese template)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "unknown-indicator": ("unknown-indicator", "unknown indicator {label!r}", "未知指标“{label}”"),
    "no-indicator": (
        "unknown-indicator",
        "no indicator for this value: add an indicator column, or name it in the sheet name or a title row",
        "该数值没有指标：请增加指标列，或在工作表名称或标题行中写明指标",
    ),
    "unknown-region": ("unknown-region", "unknown region {label!r}", "未知地区“{label}”"),
    "no-region": (
        "unknown-region",
        "no region for this value: add a region column, or name it in the sheet name or a title row",
        "该数值没有地区：请增加地区列，或在工作表名称或标题行中写明地区",
    ),
    "no-year": (
        "no-year",
        "no year for the values of this sheet: add a year column, write the year in the title or "
        "sheet name (2023年…), or give --year",
        "该表数值没有年份：请增加年份列，在标题或工作表名称中写明年份（如 2023年…），或指定 --year",
    ),
    "no-year-cell": (
        "no-year",
        "no year for this value (the year cell is empty and the sheet gives none)",
        "该数值没有年份（年份单元格为空，且工作表未给出年份）",
    ),
    "bad-year": ("bad-year", "{label!r} is not a year", "“{label}”不是有效年份"),
    "part-of-year": (
        "bad-year",
        "{label!r} names part of a year (months or quarters), not the year: the goals are annual, "
        "import the full-year figures",
        "“{label}”指一年中的部分时期（月度或季度），不是全年：目标按年度考核，请导入全年数据",
    ),
    "bad-value": ("bad-value", "{detail}", "数值无法识别：{label}"),
    "unit-mismatch": (
        "unit-mismatch",
        "unit {given!r} cannot be converted with certainty to {expected!r} ({indicator})",
        "单位“{given}”无法确定换算为“{expected}”（{indicator}）",
    ),
    "unit-mismatch-cell": ("unit-mismatch", "{detail}", "数值“{label}”与单位“{expected}”不符"),
    "out-of-range": (
        "out-of-range",
        "{value:g} is outside the valid range [{lo:g}, {hi:g}] {unit} of {indicator}",
        "{value:g} 超出 {indicator} 的有效范围 [{lo:g}, {hi:g}] {unit}",
    ),
    "duplicate-conflict": (
        "duplicate-conflict",
        "{indicator} / {region} / {year} is given twice with different values: {value:g} here, "
        "{other:g} at {where}",
        "{indicator} / {region} / {year} 出现两次且数值不同：此处为 {value:g}，{where} 为 {other:g}",
    ),
    "layout-unknown": (
        "layout-unknown",
        "the layout of this sheet is not recognised: no header row naming regions, indicators, "
        "years or values (地区/指标/年份/数值) was found",
        "无法识别该表布局：未找到包含地区、指标、年份或数值（地区/指标/年份/数值）的表头行",
    ),
    "layout-mixed": (
        "layout-unknown",
        "the header mixes a value column with region, indicator or year columns; use one layout per sheet",
        "表头同时包含“数值”列和地区、指标或年份列；每个工作表请使用一种布局",
    ),
    "layout-measures": (
        "layout-unknown",
        "the row under the header names what the columns measure, but {label!r} is neither an "
        "absolute value (绝对数) nor a growth rate or share (比上年增长%, 比重) that can be passed "
        "over: keep one absolute-value column per year and label it 绝对数",
        "表头下一行说明各列的度量，但“{label}”既不是绝对数，也不是可略过的增长率或比重"
        "（比上年增长%、比重）：每年请保留一列绝对数并标为“绝对数”",
    ),
    "empty-header": (
        "layout-unknown",
        "this column has values but no header",
        "该列有数值但没有表头",
    ),
    "file-empty": ("file-empty", "no data found in the file", "文件中没有数据"),
    "formula-not-computed": (
        "formula-not-computed",
        "{detail}: open and save the file in Excel, WPS or LibreOffice (which computes it), or "
        "paste the values instead of the formula",
        "公式“{label}”在文件中没有计算结果：请用 Excel、WPS 或 LibreOffice 打开并保存该文件，"
        "或将公式粘贴为数值",
    ),
    "number-format": (
        "number-format",
        "{detail}; format the cell as a plain number (or a percent) and write the unit in the header",
        "单元格的数字格式使显示的数字无法确定：{detail}；请将单元格设为常规数字（或百分比）格式，"
        "并在表头写明单位",
    ),
    "estimate-value": (
        "estimate-value",
        "{label!r} is marked {detail!r}, an estimate: a forecast made before the year closed is "
        "never stored as the year's value; import the outturn once it is published",
        "“{label}”标为“{detail}”，是预计数：年度结束前的预计值不能作为当年数值，请在实际数据发布后导入",
    ),
    "target-table": (
        "target-table",
        "{label!r} is in a table of goals (its title or sheet name says {detail!r}): a target is "
        "not the year's observed value; import the outturns (实际值, 完成情况) instead",
        "“{label}”所在表格为目标表（标题或工作表名称为“{detail}”）：目标值不是当年实际值，"
        "请导入实际完成值",
    ),
    "unknown-flag": (
        "unknown-flag",
        "{detail!r} is not a flag: write prelim (初步), approx (左右/超过/突破), different-scope "
        "(口径不同) or different-definition (定义不同), or leave the cell empty for a final value",
        "“{detail}”不是可识别的注记：请填写 初步、左右/超过/突破、口径不同 或 定义不同，"
        "正式数据请留空",
    ),
    "flag-conflict": (
        "flag-conflict",
        "{label!r} says on the number that it is approximate, but its flag is {detail!r}: one "
        "value carries one flag; write the number alone, or make the flag cell say approx (左右)",
        "“{label}”的数字本身表明为约数，但其注记为“{detail}”：一个数值只能有一个注记；"
        "请只填写数字，或将注记改为“左右”",
    ),
    "total-unknown": (
        "unknown-region",
        "{label!r} is a total, but the regions listed with it ({listed}) are not exactly the "
        "members of one region: name the region (长三角合计) or list all its members",
        "“{label}”是合计行，但同表所列地区（{listed}）并非恰好是某一地区的全部成员："
        "请写明地区（如“长三角合计”）或列出其全部成员",
    ),
}


def suggestion_text(names: list[str], lang: str) -> str:
    if not names:
        return ""
    if lang == "zh":
        return "是否为 " + " / ".join(names) + "？"
    return "did you mean " + " / ".join(names) + "?"


def make_issue(
    key: str,
    lang: str,
    *,
    file: str = "",
    sheet: str = "",
    row: int | None = None,
    col: int | None = None,
    letter: str = "",
    suggestions: list[str] | None = None,
    **fields: Any,
) -> Issue:
    """An Issue from a message key; row is 1-based (0/None: none), col 0-based (<0/None: none)
    or `letter` an Excel column letter."""
    code, en, zh = MESSAGES[key]
    template = zh if lang == "zh" else en
    try:
        message = template.format(**fields)
    except (KeyError, ValueError, IndexError):
        message = en.format(**fields) if lang == "zh" else template
    return Issue(
        code=code,
        message=message,
        file=file,
        sheet=sheet,
        row=row if row else None,
        column=letter or (column_letter(col) if col is not None and col >= 0 else ""),
        suggestion=suggestion_text(suggestions or [], lang),
    )
