"""Errors as data: an Issue has a stable code, a message and a location (file, sheet, row, column).

Modelled on frictionless: checks yield Issues; one report renders as text, JSON or a table.
The code registry below is the documented catalogue of codes (README and tests read it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# code -> (English description, Chinese description). Stable: scripts depend on these codes.
CODES: dict[str, tuple[str, str]] = {
    # catalogue
    "catalogue-yaml": ("the catalogue is not valid YAML", "指标目录不是有效的 YAML"),
    "catalogue-schema": ("a catalogue entry breaks the schema", "指标目录条目不符合格式"),
    "catalogue-unknown-series": (
        "a formula names a series that does not exist",
        "公式引用了不存在的序列",
    ),
    "catalogue-out-of-range": ("a goal value is outside valid_range", "目标值超出有效范围"),
    "catalogue-unknown-region": ("a scope or override names an unknown region", "范围中有未知地区"),
    "catalogue-duplicate-id": ("two entries share one id", "指标编号重复"),
    # import: file level
    "file-unreadable": ("the file is not a spreadsheet this tool can read", "文件不是可读取的表格"),
    "file-too-large": ("the file passes a configured size bound", "文件超过大小限制"),
    "file-too-many-rows": ("the file passes the configured row bound", "文件行数超过限制"),
    "file-too-many-sheets": (
        "the workbook passes the configured sheet bound",
        "工作表数量超过限制",
    ),
    "file-too-many-cells": (
        "the sheets' used area passes the configured cell bound",
        "表格已用区域的单元格数超过限制",
    ),
    "file-too-slow": (
        "checking the file takes longer than the configured time bound",
        "检查文件超过时间限制",
    ),
    "file-too-much-memory": (
        "reading the file needs more memory than the configured bound",
        "读取文件所需内存超过限制",
    ),
    "cell-too-long": (
        "a cell holds more characters than the configured bound",
        "单元格字符数超过限制",
    ),
    "file-empty": ("no data found in the file", "文件中没有数据"),
    "layout-unknown": ("the sheet's layout could not be recognised", "无法识别表格布局"),
    # import: cell level
    "unknown-indicator": ("unknown indicator", "未知指标"),
    "unknown-region": ("unknown region", "未知地区"),
    "no-year": ("no year for a value", "数值缺少年份"),
    "bad-year": ("a year that is not a plausible year", "年份无效"),
    "bad-value": ("a value that is not a number", "数值无法识别"),
    "formula-not-computed": (
        "a formula cell with no computed value in the file",
        "公式单元格在文件中没有计算结果",
    ),
    "number-format": (
        "a number format that changes the number shown in a way that cannot be read with certainty",
        "数字格式使显示的数字无法确定",
    ),
    "out-of-range": ("a value outside the indicator's valid_range", "数值超出有效范围"),
    "unit-mismatch": ("a unit that cannot be converted with certainty", "单位不一致且无法确定换算"),
    "duplicate-conflict": (
        "the same observation twice with different values",
        "同一观测值出现两次且不一致",
    ),
    # import: who may upload what
    "region-not-allowed": (
        "a value for a region outside the regions the account may upload",
        "数值所属地区不在该账户可上传的地区范围内",
    ),
    "estimate-value": (
        "a value flagged as an estimate (预计), not an outturn",
        "数值标为预计数，并非实际值",
    ),
    "target-table": (
        "a value in a table of goals (a title or sheet name saying 目标值, 规划目标), not an outturn",
        "数值位于目标表（标题或工作表名称为目标值、规划目标等），并非实际值",
    ),
    "unknown-flag": ("a flag outside the flag vocabulary", "无法识别的数据注记"),
    "flag-conflict": (
        "a number written approximate (4.4左右) whose flag cell or mark says otherwise",
        "数字本身表明为约数，但注记或标记另有所指",
    ),
}


# code -> what to do about it (English, Chinese): the README's issue table shows it per code.
ADVICE: dict[str, tuple[str, str]] = {
    "catalogue-yaml": (
        "fix the YAML at the line named (indentation, a missing colon or quote)",
        "按所示行号修正 YAML（缩进、冒号或引号）",
    ),
    "catalogue-schema": (
        "give the key the value the message names; the header of indicators.yaml describes every key",
        "按提示填写该键；indicators.yaml 文件头说明了每个键",
    ),
    "catalogue-unknown-series": (
        "use an indicator id that exists (the message suggests the closest)",
        "使用已有的指标编号（提示中给出最接近的编号）",
    ),
    "catalogue-out-of-range": (
        "correct the goal, or widen valid_range if the range is wrong",
        "修正目标值；若范围有误则放宽 valid_range",
    ),
    "catalogue-unknown-region": (
        "use a region id from data/regions.yaml",
        "使用 data/regions.yaml 中的地区编号",
    ),
    "catalogue-duplicate-id": (
        "give one of the two entries another id",
        "为其中一个条目改用其他编号",
    ),
    "file-unreadable": (
        "save the file as .xlsx (or CSV in UTF-8) and upload that",
        "将文件另存为 .xlsx（或 UTF-8 编码的 CSV）后上传",
    ),
    "file-too-large": (
        "split the file, or ask the administrator to raise the bound",
        "拆分文件，或请管理员提高上限",
    ),
    "file-too-many-rows": ("split the file into several uploads", "将文件拆分为多次上传"),
    "file-too-many-sheets": (
        "remove the sheets that hold no statistics, or split the workbook",
        "删除不含统计数据的工作表，或拆分工作簿",
    ),
    "file-too-many-cells": (
        "delete the rows and columns beyond the table (Ctrl+End shows the last used cell), or "
        "split the file",
        "删除表格以外的行和列（按 Ctrl+End 可找到最后使用的单元格），或拆分文件",
    ),
    "file-too-slow": (
        "split the file, or ask the administrator to raise TARGETS_MAX_FILE_SECONDS",
        "拆分文件，或请管理员提高 TARGETS_MAX_FILE_SECONDS",
    ),
    "file-too-much-memory": (
        "split the file, or ask the administrator to raise TARGETS_MAX_UPLOAD_MEMORY_MB",
        "拆分文件，或请管理员提高 TARGETS_MAX_UPLOAD_MEMORY_MB",
    ),
    "cell-too-long": (
        "shorten the cell named: a long text belongs in a note, not in a table",
        "缩短所指单元格：长文本应写在备注中，而不是表格里",
    ),
    "file-empty": (
        "check that the sheet has a header row and values under it",
        "检查工作表是否有表头行及其下的数值",
    ),
    "layout-unknown": (
        "give the sheet a header row naming regions, indicators or years (地区/指标/年份/数值), "
        "one layout per sheet; for a yearbook table with growth columns, keep the absolute values",
        "为工作表加一行表头，写明地区、指标或年份（地区/指标/年份/数值），每个工作表一种布局；"
        "年鉴表含增长率列时保留绝对数",
    ),
    "unknown-indicator": (
        "use the indicator's name as the catalogue spells it (see the suggestion), or add a "
        "synonym to indicators.yaml",
        "按指标目录的写法填写指标名称（见建议），或在 indicators.yaml 中添加同义词",
    ),
    "unknown-region": (
        "use a region's name or alias from data/regions.yaml (see the suggestion); for a total "
        "row, name the region (长三角合计) or list all its members",
        "使用 data/regions.yaml 中的地区名称或别名（见建议）；合计行请写明地区（如长三角合计）"
        "或列出其全部成员",
    ),
    "no-year": (
        "add a year column, write the year in the title or sheet name (2023年…), or give --year",
        "增加年份列，在标题或工作表名称中写明年份（如 2023年…），或指定 --year",
    ),
    "bad-year": (
        "write the year as four digits (2023 or 2023年)",
        "年份写为四位数字（2023 或 2023年）",
    ),
    "bad-value": (
        "write the number alone (a footnote mark after it: 3.29①); dashes or empty for no value",
        "只填写数字（注释符号写在数字后，如 3.29①）；无数据时留空或填“—”",
    ),
    "formula-not-computed": (
        "open and save the file in Excel, WPS or LibreOffice (which computes the formulas), or "
        "paste values instead of formulas",
        "用 Excel、WPS 或 LibreOffice 打开并保存文件（计算公式），或将公式粘贴为数值",
    ),
    "number-format": (
        "format the cell as a plain number or a percent and write the unit in the header",
        "将单元格设为常规数字或百分比格式，并在表头写明单位",
    ),
    "out-of-range": (
        "check the value and its unit (a share written as 0.034 instead of 3.4%?)",
        "核对数值及其单位（是否把 3.4% 写成了 0.034？）",
    ),
    "unit-mismatch": (
        "write the catalogue's unit in the header, or convert the values; the cell's format and "
        "the header must name the same unit",
        "在表头写明指标目录中的单位，或换算数值；单元格格式与表头的单位须一致",
    ),
    "duplicate-conflict": (
        "keep one of the two values (the message names both cells)",
        "保留两个数值中的一个（提示中给出了两个单元格）",
    ),
    "region-not-allowed": (
        "remove the rows of the other regions, or ask the administrator to change the account's "
        "regions (`targets user regions NAME`)",
        "删除其他地区的行，或请管理员调整该账户的地区范围（`targets user regions NAME`）",
    ),
    "estimate-value": (
        "leave the year out until its outturn is published; an approximate outturn (左右, 超过) "
        "may be flagged approx",
        "在实际数据发布前不导入该年数值；实际值为约数（左右、超过）时可标注为约数",
    ),
    "target-table": (
        "import the table of outturns (实际值, 完成情况); the goals belong in the catalogue "
        "(indicators.yaml)",
        "导入实际完成值表（实际值、完成情况）；目标值应写入指标目录（indicators.yaml）",
    ),
    "unknown-flag": (
        "write prelim, approx, different-scope or different-definition (初步, 左右, 口径不同, "
        "定义不同), or leave the flag cell empty",
        "填写 初步、左右、口径不同 或 定义不同，或将注记单元格留空",
    ),
    "flag-conflict": (
        "write the number alone with its flag in the flag cell, or make the flag cell say approx",
        "只填写数字并在注记单元格中注明，或将注记改为约数（左右）",
    ),
}


# Warnings: what an import or a check says without refusing the file. code -> (Chinese, English)
# templates; each warning is made in both languages (Notice), stored so, and shown in the
# reader's language: an import made from the CLI in English reads in Chinese on a Chinese page.
WARNINGS: dict[str, tuple[str, str]] = {
    "growth-rates": (
        "工作表 {sheet}：第 {letters} 列（{what}）是增速或比重而非水平值，已跳过；读取的是绝对数",
        "sheet {sheet}: column(s) {letters} ({what}) are growth rates or shares, not levels: "
        "passed over; the absolute values (绝对数) are read",
    ),
    "year-from-title": (
        "工作表 {sheet}：标题或表名给出的年份为 {found}，已代替指定的年份 {given}",
        "sheet {sheet}: its title or name gives the year {found}, used instead of --year {given}",
    ),
    # what the file hides is read all the same: said, so that whoever checked only what Excel
    # shows knows which figures came in unseen
    "hidden-sheet": (
        "工作表 {sheet} 在文件中被隐藏，其数值已导入",
        "sheet {sheet} is hidden in the file; its values were imported",
    ),
    "very-hidden-sheet": (
        "工作表 {sheet} 在文件中被深度隐藏（Excel 的“取消隐藏”也看不到），其数值已导入",
        "sheet {sheet} is very hidden in the file (Excel's Unhide does not list it); its values "
        "were imported",
    ),
    "hidden-rows": (
        "工作表 {sheet}：第 {rows} 行在文件中被隐藏，其数值已导入",
        "sheet {sheet}: row(s) {rows} are hidden in the file; their values were imported",
    ),
    "hidden-columns": (
        "工作表 {sheet}：第 {letters} 列在文件中被隐藏，其内容已导入",
        "sheet {sheet}: column(s) {letters} are hidden in the file; their cells were imported",
    ),
    "estimate-note": (
        "{cells}：备注（{said}）称该数值为预计数，但已作为当年实际值导入：请核实；预计数请待实际数据"
        "发布后再导入",
        "{cells}: the note ({said}) calls the figure an estimate, yet it was stored as the "
        "year's outturn: check it, and leave a forecast out until the outturn is published",
    ),
    "sheet-skipped": (
        "工作表 {sheet}：无法识别布局，已跳过该表",
        "sheet {sheet}: layout not recognised, sheet skipped",
    ),
    "converted": (
        "{n} 个 {indicator} 数值已由 {unit} 换算为 {target}",
        "{n} value(s) of {indicator} converted from {unit} to {target}",
    ),
    "converted-in-sheet": (
        "工作表 {sheet}：{n} 个 {indicator} 数值已由 {unit} 换算为 {target}",
        "sheet {sheet}: {n} value(s) of {indicator} converted from {unit} to {target}",
    ),
    "total-mismatch": (
        "{cell}：{region} {year} 年 {indicator} 的合计为 {value}，但其上方 {n} 个组成地区之和为 "
        "{total}（差额超过舍入误差）",
        "{cell}: the total of {indicator} {year} for {region} is {value} but its {n} members "
        "above sum to {total} (more than rounding)",
    ),
    "repeated": (
        "{n} 个重复的相同数值只保留一个",
        "{n} repeated value(s) with the same number kept once",
    ),
    "identical": (
        "与导入批次 #{id}（{file}）完全相同；未存储任何数据",
        "identical to import #{id} ({file}); nothing stored",
    ),
    "too-many-rows": (
        "{rows:,} 行，超过 {limit:,} 行，未检查状态变化",
        "{rows:,} rows: more than {limit:,}, status changes not checked",
    ),
    "not-checked": ("未检查状态变化：{why}", "status changes not checked: {why}"),
    "revisions": (
        "将修订 {n} 个现行数值：{listed}",
        "revises {n} value(s) in force: {listed}",
    ),
    "revisions-more": (
        "将修订 {n} 个现行数值：{listed}；另有 {more} 个",
        "revises {n} value(s) in force: {listed}; and {more} more",
    ),
    "already-submitted": (
        "已作为提交 #{id} 提交，正在等待审核",
        "already submitted as #{id}, pending review",
    ),
    # a status change an import brings (targets.alerts words it in both languages)
    "status-change": ("{zh}", "{en}"),
}


@dataclass(frozen=True)
class Notice:
    """A warning in both languages; `code` is a key of WARNINGS ('' for one stored before
    warnings were made in both languages: its one text in either)."""

    code: str
    zh: str
    en: str

    def __post_init__(self) -> None:
        if self.code and self.code not in WARNINGS:
            raise ValueError(f"unregistered warning code {self.code!r}")

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "zh": self.zh, "en": self.en}

    @classmethod
    def stored(cls, item: Any) -> Notice:
        """A warning as stored (to_dict), or a plain text stored before (shown as written)."""
        if isinstance(item, Notice):
            return item
        if isinstance(item, str):
            return cls("", item, item)
        return cls(str(item.get("code", "")), str(item["zh"]), str(item["en"]))


def notice(code: str, **fields: Any) -> Notice:
    """The warning `code` with its fields filled in both languages."""
    zh, en = WARNINGS[code]
    return Notice(code, zh.format(**fields), en.format(**fields))


def notices_json(warnings: Sequence[Notice | str]) -> str:
    """Warnings as the store keeps them: a JSON list of {code, zh, en}."""
    return json.dumps([Notice.stored(w).to_dict() for w in warnings], ensure_ascii=False)


def notices_from_json(text: str | None) -> list[Notice]:
    return [Notice.stored(item) for item in json.loads(text or "[]")]


def notice_texts(warnings: list[Notice], lang: str) -> list[str]:
    return [w.text(lang) for w in warnings]


@dataclass(frozen=True)
class Issue:
    """One located problem. `row` is 1-based as in Excel; `column` is an Excel letter."""

    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    suggestion: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered issue code {self.code!r}")

    def location(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"{self.column}{self.row}" if self.column else f"row {self.row}")
        elif self.column:
            parts.append(f"column {self.column}")
        return ":".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("file")
        return d

    def __str__(self) -> str:
        text = f"{self.location()}: [{self.code}] {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


def more_errors_text(more: dict[str, int], lang: str = "en") -> list[str]:
    """One line per code of the errors not listed: "and 999,000 more bad-value errors"."""
    if lang == "zh":
        return [f"另有 {n:,} 个 {code} 错误未列出（{CODES[code][1]}）" for code, n in more.items()]
    return [f"and {n:,} more {code} error{'s' if n != 1 else ''}" for code, n in more.items()]


def column_letter(index: int) -> str:
    """0-based column index -> Excel letter (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class FileReport:
    """The outcome of importing one file."""

    file: str
    import_id: int | None = None
    rows: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    duplicate_of: int | None = None
    # errors found beyond the ones listed (the first TARGETS_MAX_ERRORS): a count per code
    more_errors: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        """Every error found, listed or not."""
        return len(self.errors) + sum(self.more_errors.values())

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """As JSON: the warnings in `lang` (the errors are already in the language checked in)."""
        return {
            "file": self.file,
            "import_id": self.import_id,
            "rows": self.rows,
            "errors": [e.to_dict() for e in self.errors],
            "error_count": self.error_count,
            "more_errors": dict(self.more_errors),
            "warnings": notice_texts(self.warnings, lang),
        }


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"files": [f.to_dict(lang) for f in self.files]}

    def to_json(self, lang: str = "en") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)
