"""Errors as data: an Issue has a stable code, a message and a location (file, sheet, row, column).

Modelled on frictionless: checks yield Issues; one report renders as text, JSON or a table.
The code registry below is the documented catalogue of codes (README and tests read it).
"""

from __future__ import annotations

import json
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
    "file-empty": ("no data found in the file", "文件中没有数据"),
    "layout-unknown": ("the sheet's layout could not be recognised", "无法识别表格布局"),
    # import: cell level
    "unknown-indicator": ("unknown indicator", "未知指标"),
    "unknown-region": ("unknown region", "未知地区"),
    "no-year": ("no year for a value", "数值缺少年份"),
    "bad-year": ("a year that is not a plausible year", "年份无效"),
    "bad-value": ("a value that is not a number", "数值无法识别"),
    "out-of-range": ("a value outside the indicator's valid_range", "数值超出有效范围"),
    "unit-mismatch": ("a unit that cannot be converted with certainty", "单位不一致且无法确定换算"),
    "duplicate-conflict": (
        "the same observation twice with different values",
        "同一观测值出现两次且不一致",
    ),
}


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
    warnings: list[str] = field(default_factory=list)
    duplicate_of: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "import_id": self.import_id,
            "rows": self.rows,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": list(self.warnings),
        }


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
