"""The gap report as an Excel workbook (openpyxl).

Sheets: a summary; the gap table (real numbers with per-indicator formats, status colours by
conditional formatting beside a symbol + label column, frozen header, autofilter); one sheet per
category with a native line chart of each indicator against its goal; sources and vintages.
Every text cell goes through `targets.formula_injection.neutralise` (formula injection).
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from targets.display import (
    category_name,
    comparator_sign,
    goal_text,
    is_missing,
    status_text,
)
from targets.formula_injection import neutralise
from targets.progress import STATUS_COLOURS
from targets.region_style import region_style
from targets.reports.analyses import (
    ASSESSMENT_TABLE_COLUMNS,
    CONTRIBUTION_TABLE_COLUMNS,
    CONVERGENCE_TABLE_COLUMNS,
    METHODS_TABLE_COLUMNS,
    NUMBER_COLUMNS,
)
from targets.reports.model import CHART_REGIONS, IndicatorDetail, Report, vintage_note
from targets.reports.steps import Progress, ProgressCallback, as_progress
from targets.reports.text import local_time, method_blocks


def excel_number_format(decimals: int) -> str:
    """The Excel number format for `decimals` digits with a thousands separator."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


MAX_WIDTH = 60  # wider text wraps instead of stretching the column
MIN_WIDTH = 6
PCT = "0.0%"
PCT0 = "0%"
YEAR = "0"
RATIO = "0.00"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
SECTION_FONT = Font(bold=True, size=12)
NOTE_FONT = Font(italic=True, color="FF555555")
THIN = Side(style="thin", color="FFB0B7C3")
HEADER_BORDER = Border(bottom=THIN)
# the shapes of targets.region_style by Excel's names (a second cue besides colour)
EXCEL_MARKERS = {"down": "triangle", "cross": "x"}
SHEET_EN = {  # sheet names are limited to 31 characters
    "城乡区域协调": "Regional coordination",
    "科创产业": "Innovation & industry",
    "基础设施": "Infrastructure",
    "生态环境": "Environment",
    "公共服务": "Public services",
    "科技创新共同体": "S&T Community",
    "三年行动计划": "Three-year plan",
}
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def display_width(text: str) -> int:
    """Width in Excel's character units: CJK and full-width characters count as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _fill(colour: str) -> PatternFill:
    # start (fg) and end (bg) both set: Excel reads one in conditional formats, LibreOffice the other
    return PatternFill("solid", start_color=_argb(colour), end_color=_argb(colour))


def cell_value(value: Any) -> Any:
    """A frame value as openpyxl wants it: None for missing, Python scalars, text neutralised."""
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, datetime):
        # Excel has no time zones: write the Beijing time the other formats show
        return local_time(value).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(value)
    return value


class Sheet:
    """A worksheet written cell by cell, remembering how wide each column needs to be."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.widths: dict[int, int] = {}

    def put(
        self,
        row: int,
        col: int,
        value: Any,
        fmt: str | None = None,
        *,
        font: Font | None = None,
        measure: bool = True,
    ) -> Any:
        cell = self.ws.cell(row=row, column=col, value=cell_value(value))
        if fmt:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        if measure and cell.value is not None:
            self.widths[col] = max(self.widths.get(col, 0), _shown_width(cell.value, fmt))
        return cell

    def header(self, row: int, labels: Sequence[str], col: int = 1) -> None:
        for i, label in enumerate(labels):
            cell = self.put(row, col + i, label, font=HEADER_FONT)
            cell.fill = HEADER_FILL
            cell.border = HEADER_BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    def fit(self) -> None:
        """Set column widths from what was written; wrap the cells of capped columns."""
        for col, width in self.widths.items():
            letter = get_column_letter(col)
            self.ws.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
            if width + 2 > MAX_WIDTH:
                for (cell,) in self.ws.iter_rows(min_col=col, max_col=col):
                    if isinstance(cell.value, str) and display_width(cell.value) > MAX_WIDTH:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _shown_width(value: Any, fmt: str | None) -> int:
    if isinstance(value, str):
        return max(display_width(line) for line in value.splitlines() or [""])
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float):
        decimals = len(fmt.split(".")[1].rstrip("%")) if fmt and "." in fmt else 0
        text = f"{value:,.{decimals}f}"
        return len(text) + (1 if fmt and "%" in fmt else 0)
    return len(str(value))


# ---------------------------------------------------------------------------- gap sheet


@dataclass(frozen=True)
class Column:
    key: str  # column of Report.rows
    label: str  # key of the report's words
    kind: str  # text | int | value | pct | rate | ratio


GAP_SHEET_COLUMNS: tuple[Column, ...] = (
    Column("indicator_name", "indicator", "text"),
    Column("region_name", "region", "text"),
    Column("status_text", "status", "text"),
    Column("role_text", "role", "text"),
    Column("goal_scope_name", "goal_scope", "text"),
    Column("pace_label", "pace_status", "text"),
    Column("status_why", "status_why", "text"),
    Column("unit", "unit", "text"),
    Column("year", "year", "int"),
    Column("value", "value", "value"),
    Column("comparator", "comparator", "text"),
    Column("target", "target", "value"),
    Column("milestone_year", "milestone_year", "int"),
    Column("gap", "gap", "value"),
    Column("gap_pct", "gap_pct", "pct"),
    Column("progress", "progress", "pct0"),
    Column("time_elapsed", "time_elapsed", "pct0"),
    Column("required_rate", "required_rate", "rate"),
    Column("actual_rate", "actual_rate", "rate"),
    Column("ratio", "ratio", "ratio"),
    Column("projected", "projected", "value"),
    Column("baseline_year", "baseline_year", "int"),
    Column("baseline_value", "baseline_value", "value"),
    Column("status", "status_code", "text"),
    Column("indicator", "indicator_id", "text"),
    Column("region", "region_id", "text"),
    Column("provisional", "provisional", "text"),
    Column("provisional_reason", "provisional_reason", "text"),
)
GAP_SHEET_KEYS: tuple[str, ...] = tuple(c.key for c in GAP_SHEET_COLUMNS)


def _format(kind: str, decimals: int, linear: bool) -> str | None:
    if kind == "value":
        return excel_number_format(decimals)
    if kind == "int":
        return YEAR
    if kind == "pct":
        return PCT
    if kind == "pct0":
        return PCT0
    if kind == "ratio":
        return RATIO
    if kind == "rate":
        # a linear rate is in the indicator's units a year, a compound one is a share
        return excel_number_format(decimals) if linear else PCT
    return None


def _gap_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(_sheet_name(report.t("sheet_gaps"), wb))
    sheet = Sheet(ws)
    labels = [
        report.t(c.label, year=report.milestone) if c.label == "projected" else report.t(c.label)
        for c in GAP_SHEET_COLUMNS
    ]
    sheet.header(1, labels)
    for r, row in enumerate(report.rows.to_dict("records"), start=2):
        decimals, linear = int(row["decimals"]), bool(row.get("linear", False))
        for c, col in enumerate(GAP_SHEET_COLUMNS, start=1):
            sheet.put(r, c, row[col.key], _format(col.kind, decimals, linear))
    last_row, last_col = len(report.rows) + 1, len(GAP_SHEET_COLUMNS)
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(last_col)}{max(last_row, 2)}"
    _status_rules(ws, GAP_SHEET_KEYS.index("status_text") + 1, GAP_SHEET_KEYS.index("status") + 1,
                  2, last_row)  # fmt: skip
    sheet.fit()


def _status_rules(ws: Worksheet, text_col: int, code_col: int, first: int, last: int) -> None:
    """Colour the status text cells from the status code beside them (conditional formatting)."""
    if last < first:
        return
    target = f"{get_column_letter(text_col)}{first}:{get_column_letter(text_col)}{last}"
    code = f"${get_column_letter(code_col)}{first}"
    for status, (bg, fg) in STATUS_COLOURS.items():
        ws.conditional_formatting.add(
            target,
            FormulaRule(
                formula=[f'{code}="{status}"'],
                fill=_fill(bg),
                font=Font(color=_argb(fg), bold=True),
                stopIfTrue=True,
            ),
        )


# ---------------------------------------------------------------------------- summary sheet


def _status_cell(sheet: Sheet, row: int, col: int, status: str, lang: str) -> None:
    """A status as symbol + label on its colour (static: the summary's rows never move)."""
    bg, fg = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
    cell = sheet.put(row, col, status_text(status, lang), font=Font(color=_argb(fg), bold=True))
    cell.fill = _fill(bg)


def _summary_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_name(report.t("sheet_summary"), wb)
    sheet = Sheet(ws)
    t = report.t
    sheet.put(1, 1, report.title, font=TITLE_FONT, measure=False)
    facts: list[tuple[str, Any, str | None]] = [
        (t("milestone"), report.milestone, YEAR),
        (t("scope_regions"), report.scope_regions, None),
        (t("scope_indicators"), report.scope_indicators, None),
        (t("generated"), report.generated_at, DATETIME),
        (t("data_as_of"), report.data_as_of, DATETIME),
        (t("year"), report.latest_year, YEAR),
    ]
    row = 3
    for label, value, fmt in facts:
        sheet.put(row, 1, label, font=HEADER_FONT)
        sheet.put(
            row, 2, value if value is not None else "—", fmt, measure=isinstance(value, datetime)
        )
        row += 1

    row += 1
    sheet.put(row, 1, t("counts"), font=SECTION_FONT, measure=False)
    sheet.header(row + 1, [t("status"), t("count"), t("share")])
    row += 2
    for status, n in report.counts:
        _status_cell(sheet, row, 1, status, report.lang)
        sheet.put(row, 2, n, "0")
        sheet.put(row, 3, n / report.total if report.total else None, PCT0)
        row += 1

    row = _missed_block(sheet, report, row + 1)
    row = _movers_block(sheet, report, row + 1)

    row += 1
    sheet.put(row, 1, t("thresholds"), font=SECTION_FONT, measure=False)
    sheet.header(row + 1, [t("status"), t("rule")])
    row += 2
    for th in report.thresholds:
        _status_cell(sheet, row, 1, th.status, report.lang)
        sheet.put(row, 2, th.rule, measure=False)
        row += 1
    row += 1
    sheet.put(row, 1, t("methods"), font=SECTION_FONT, measure=False)
    for kind, text in method_blocks(report.method, report.lang):
        row += 1
        # a bullet instead of "- ": a list item is not a formula and needs no apostrophe
        sheet.put(row, 1, ("• " if kind == "li" else "") + text, measure=False)
    ws.sheet_view.showGridLines = False
    sheet.fit()


def _missed_block(sheet: Sheet, report: Report, row: int) -> int:
    t = report.t
    sheet.put(row, 1, t("missed"), font=SECTION_FONT, measure=False)
    sheet.put(row + 1, 1, t("missed_note", year=report.milestone), font=NOTE_FONT, measure=False)
    row += 2
    if report.missed.empty:
        sheet.put(row, 1, t("missed_none"), measure=False)
        return row + 1
    sheet.header(row, [t("indicator"), t("region"), t("status"), t("unit"), t("target"),
                       t("value"), t("year"), t("projected", year=report.milestone),
                       t("shortfall"), t("gap_pct")], col=1)  # fmt: skip
    row += 1
    for m in report.missed.to_dict("records"):
        fmt = excel_number_format(int(m["decimals"]))
        sheet.put(row, 1, m["indicator_name"])
        sheet.put(row, 2, m["region_name"])
        _status_cell(sheet, row, 3, str(m["status"]), report.lang)
        sheet.put(row, 4, m["unit"])
        sheet.put(row, 5, goal_text(m["comparator"], m["target"], int(m["decimals"]), ""))
        sheet.put(row, 6, m["value"], fmt)
        sheet.put(row, 7, m["year"], YEAR)
        sheet.put(row, 8, m["expected"], fmt)
        sheet.put(row, 9, m["shortfall"], fmt)
        sheet.put(row, 10, m["shortfall_pct"], PCT)
        row += 1
    return row


def _movers_block(sheet: Sheet, report: Report, row: int) -> int:
    t = report.t
    sheet.put(row, 1, t("movers"), font=SECTION_FONT, measure=False)
    sheet.put(row + 1, 1, t("movers_note"), font=NOTE_FONT, measure=False)
    row += 2
    if report.movers.empty:
        sheet.put(row, 1, t("movers_none"), measure=False)
        return row + 1
    sheet.header(row, [t("indicator"), t("region"), t("unit"), t("year_short"), t("from"),
                       t("year_short"), t("to"), t("change"), t("change_pct"), ""], col=1)  # fmt: skip
    row += 1
    for m in report.movers.to_dict("records"):
        fmt = excel_number_format(int(m["decimals"]))
        sheet.put(row, 1, m["indicator_name"])
        sheet.put(row, 2, m["region_name"])
        sheet.put(row, 3, m["unit"])
        sheet.put(row, 4, m["previous_year"], YEAR)
        sheet.put(row, 5, m["previous_value"], fmt)
        sheet.put(row, 6, m["year"], YEAR)
        sheet.put(row, 7, m["value"], fmt)
        sheet.put(row, 8, m["change"], fmt)
        sheet.put(row, 9, m["change_pct"], PCT)
        sheet.put(row, 10, t(str(m["towards"])))
        row += 1
    return row


# ---------------------------------------------------------------------------- category sheets


def _sheet_name(name: str, wb: Workbook) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = name.translate(_BAD_SHEET_CHARS).strip("' ")[:31] or "Sheet"
    taken = {ws.title for ws in wb.worksheets}
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _nice_bounds(values: list[float]) -> tuple[float, float]:
    """Axis bounds a little outside the data, on round numbers."""
    lo, hi = min(values), max(values)
    span = hi - lo or abs(hi) or 1.0
    step = 10 ** math.floor(math.log10(span / 4)) if span > 0 else 1.0
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= 6:
            step *= mult
            break
    lo_b = math.floor((lo - span * 0.05) / step) * step
    hi_b = math.ceil((hi + span * 0.05) / step) * step
    if lo >= 0 > lo_b:
        lo_b = 0.0
    return lo_b, hi_b


def _join(names: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _goal_lines(
    detail: IndicatorDetail, shown: Sequence[str], lang: str
) -> list[tuple[str, float]]:
    """(label, target) for each distinct target among the charted regions."""
    rows = detail.rows[detail.rows["region"].isin(list(shown))]
    goals: dict[float, list[str]] = {}
    comparator = ""
    for r in rows.to_dict("records"):
        if not is_missing(r["target"]):
            goals.setdefault(float(r["target"]), []).append(str(r["region_name"]))
            comparator = str(r["comparator"])
    sign = comparator_sign(comparator)
    single = len(goals) == 1
    return [
        (
            f"{sign} {target:,.{detail.decimals}f}"
            + ("" if single else f" ({_join(names, lang)})"),
            target,
        )
        for target, names in goals.items()
    ]


def _indicator_block(sheet: Sheet, report: Report, detail: IndicatorDetail, top: int) -> int:
    """Title, a year × region table and a line chart beside it; returns the next free row."""
    t = report.t
    ws = sheet.ws
    sheet.put(top, 1, f"{detail.name}（{detail.unit}）" if report.lang == "zh"
              else f"{detail.name} ({detail.unit})", font=SECTION_FONT, measure=False)  # fmt: skip
    sheet.put(top + 1, 1, f"{t('goal')}: {detail.goal_text}", font=NOTE_FONT, measure=False)
    wide = detail.wide()
    if wide.empty:  # no value yet: say so instead of an empty table and chart
        sheet.put(top + 2, 1, f"{t('no_data_goals')}: {_join(list(detail.rows['region_name']), report.lang)}",
                  measure=False)  # fmt: skip
        return top + 4
    regions = list(wide.index)
    shown = regions[:CHART_REGIONS]
    goals = _goal_lines(detail, shown, report.lang)
    years_seen = [int(y) for y in wide.columns]
    first = min(years_seen, default=report.milestone)
    years = list(range(min(first, report.milestone), max([report.milestone, *years_seen]) + 1))
    names = dict(zip(detail.series["region"], detail.series["region_name"], strict=True))
    header_row = top + 2
    labels = (
        [t("year_short")] + [f"{t('goal')} {g[0]}" for g in goals] + [names[r] for r in regions]
    )
    sheet.header(header_row, labels)
    fmt = excel_number_format(detail.decimals)
    plotted: list[float] = []
    for i, year in enumerate(years, start=header_row + 1):
        sheet.put(i, 1, year, YEAR)
        for j, (_, target) in enumerate(goals, start=2):
            sheet.put(i, j, target, fmt)
            plotted.append(target)
        for j, region in enumerate(regions, start=2 + len(goals)):
            value = wide.at[region, year] if year in wide.columns else None
            sheet.put(i, j, value, fmt)
            if value is not None and not is_missing(value) and region in shown:
                plotted.append(float(value))
    last = header_row + len(years)
    n_lines = len(goals) + len(shown)
    if plotted and n_lines:
        chart = LineChart()
        chart.title = detail.name
        chart.y_axis.title = detail.unit
        chart.x_axis.title = t("year_short")
        chart.height, chart.width = 9.0, 16.0
        chart.display_blanks = "span"  # years without a value do not break a line
        chart.add_data(
            Reference(ws, min_col=2, max_col=1 + n_lines, min_row=header_row, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
        for k, series in enumerate(chart.series):
            series.smooth = False
            if k < len(goals):
                series.graphicalProperties.line.dashStyle = "dash"
                series.graphicalProperties.line.solidFill = "555555"
                series.marker.symbol = "none"
            else:
                # the region's colour and shape on screen and in the PDF (targets.region_style)
                colour, shape = region_style(regions[k - len(goals)])
                series.graphicalProperties.line.solidFill = colour.lstrip("#")
                series.marker.symbol = EXCEL_MARKERS.get(shape, shape)
                series.marker.graphicalProperties.solidFill = colour.lstrip("#")
                series.marker.graphicalProperties.line.solidFill = colour.lstrip("#")
                series.marker.size = 6
        lo, hi = _nice_bounds(plotted)
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = lo, hi
        chart.y_axis.number_format = fmt
        # openpyxl >= 3.1 hides axes unless told otherwise
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        ws.add_chart(chart, f"{get_column_letter(len(labels) + 2)}{header_row}")
    return max(last + 2, header_row + 17)


def _category_sheets(wb: Workbook, report: Report, progress: Progress | None = None) -> None:
    categories = report.categories()
    parts = (progress or Progress(None)).split([1.0] * len(categories)) if categories else []
    for (category, details), part in zip(categories, parts, strict=True):
        part.begin("sheet:indicators")
        name = SHEET_EN.get(category, category) if report.lang == "en" else category
        ws = wb.create_sheet(_sheet_name(name, wb))
        sheet = Sheet(ws)
        sheet.put(1, 1, category_name(category, report.lang), font=TITLE_FONT, measure=False)
        row = 3
        for detail in details:
            row = _indicator_block(sheet, report, detail, row)
        sheet.fit()


# ---------------------------------------------------------------------------- sources and vintages


def _sources_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(_sheet_name(report.t("sheet_sources"), wb))
    sheet = Sheet(ws)
    t = report.t
    sheet.put(1, 1, t("sources"), font=SECTION_FONT, measure=False)
    sheet.header(2, [t("indicator"), t("goal_wording"), t("document"), t("issued"), t("section"),
                     t("quote"), t("note")])  # fmt: skip
    row = 3
    for d in report.details:
        for s in d.sources or ():
            for c, (value, fmt) in enumerate(
                [(d.name, None), (d.goal_text, None), (s.document, None), (s.issued, DATE),
                 # the catalogue's reading notes are in English: English reports only (as html)
                 (s.section, None), (s.quote, None), (s.note if report.lang == "en" else None, None)],
                start=1,
            ):  # fmt: skip
                sheet.put(row, c, value, fmt)
            row += 1
    if report.word_goals:
        row += 1
        sheet.put(row, 1, t("words_goals"), font=SECTION_FONT, measure=False)
        for name, text in report.word_goals:
            row += 1
            sheet.put(row, 1, name)
            sheet.put(row, 2, text)
        row += 1

    row += 1
    sheet.put(row, 1, t("vintages"), font=SECTION_FONT, measure=False)
    sheet.put(row + 1, 1, t("vintages_note"), font=NOTE_FONT, measure=False)
    row += 2
    if not report.vintages:
        sheet.put(row, 1, t("vintage_none"), measure=False)
    else:
        sheet.header(row, [t("import_id"), t("file_name"), t("imported_at"), t("user"),
                           t("rows"), t("used"), t("note"), t("state")])  # fmt: skip
        for v in report.vintages:
            row += 1
            cells: list[tuple[Any, str | None]] = [(v.id, "0"), (v.file_name, None), (v.created_at, DATETIME), (v.user, None),
                 (v.rows, "#,##0"), (v.used, "#,##0"), (vintage_note(v.note, report), None),
                 (report.t(f"state_{v.state}"), None)]  # fmt: skip
            for c, (value, fmt) in enumerate(cells, start=1):
                sheet.put(row, c, value, fmt)
    ws.freeze_panes = "A3"
    sheet.fit()


# ---------------------------------------------------------------------------- analyses


# Where a sheet stores a number instead of the display text: the display column is replaced by
# the number (analyses.NUMBER_COLUMNS) and, where the text also held a unit or what the share
# is of, that text gets a column of its own.
SHEET_NUMBERS: dict[str, dict[str, tuple[str, ...]]] = {
    "assessment": {
        "value": ("value_num", "unit", "value_year"),
        "margin": ("margin_num", "margin_pct_num"),
    },
    "convergence": {
        "years": ("first_year", "last_year"),
        "cv": ("cv_first", "cv_last"),
        "maxmin": ("maxmin_first", "maxmin_last"),
    },
    "contribution": {
        "contrib_year": ("year_num",),
        "value": ("value_num", "unit"),
        "share": ("share_num", "share_of"),
    },
}


def _sheet_columns(key: str, columns: Sequence[str]) -> list[str]:
    numbers = SHEET_NUMBERS.get(key, {})
    return [out for col in columns for out in numbers.get(col, (col,))]


def _number_format(column: str, row: Mapping[str, Any]) -> str | None:
    kind = NUMBER_COLUMNS.get(column)
    if kind == "decimals":
        return excel_number_format(int(row["decimals"]))
    return FIXED_FORMATS.get(kind or "")


# number formats of the NUMBER_COLUMNS kinds that do not depend on the row
FIXED_FORMATS: dict[str, str] = {"percent": PCT, "year": "0", "cv": "0.000", "ratio": "0.00"}


def _frame_sheet(
    wb: Workbook, report: Report, frame: pd.DataFrame, columns: Sequence[str], key: str
) -> None:
    """One sheet of a display frame (assessment, convergence): title, note, header, rows.

    Numbers are stored as numbers with a number format (SHEET_NUMBERS), the rest as text.
    """
    ws = wb.create_sheet(_sheet_name(report.t("sheet_" + key), wb))
    sheet = Sheet(ws)
    t = report.t
    title = t(key, year=report.milestone) if key == "assessment" else t(key)
    sheet.put(1, 1, title, font=SECTION_FONT, measure=False)
    sheet.put(2, 1, t(key + "_note"), font=NOTE_FONT, measure=False)
    shown = _sheet_columns(key, columns)
    sheet.header(3, [t(c) for c in shown])
    if frame.empty:
        sheet.put(4, 1, t("none"), measure=False)
    for i, r in enumerate(frame.to_dict("records"), start=4):
        for c, col in enumerate(shown, start=1):
            sheet.put(i, c, r[col], _number_format(col, r))
    ws.freeze_panes = "B4"
    sheet.fit()


# ---------------------------------------------------------------------------- entry point


def _print_setup(ws: Worksheet) -> None:
    """Landscape A4, as wide as one page: so a printed sheet needs no rescaling."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# how the workbook's part of the bar is shared: seconds per sheet on the bundled data (the
# category sheets with their charts and the final zip take most of it)
SHEET_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("sheet:summary", 3.0),
    ("sheet:gaps", 2.0),
    ("sheet:assessment", 1.0),
    ("sheet:convergence", 1.0),
    ("sheet:contribution", 1.0),
    ("sheet:methods", 1.0),
    ("sheet:indicators", 18.0),
    ("sheet:sources", 1.0),
    ("xlsx:save", 15.0),
)


def to_xlsx(report: Report, progress: ProgressCallback | Progress | None = None) -> bytes:
    """The workbook as bytes; `progress` hears each sheet as it starts."""
    stages = as_progress(progress).stages(SHEET_WEIGHTS)
    wb = Workbook()
    stages.begin("sheet:summary")
    _summary_sheet(wb, report)
    stages.begin("sheet:gaps")
    _gap_sheet(wb, report)
    frames = (
        ("assessment", report.assessment, ASSESSMENT_TABLE_COLUMNS, "assessment"),
        ("convergence", report.convergence, CONVERGENCE_TABLE_COLUMNS, "convergence"),
        ("contribution", report.contribution, CONTRIBUTION_TABLE_COLUMNS, "contribution"),
        ("methods", report.methods, METHODS_TABLE_COLUMNS, "methods_compare"),
    )
    for stage, frame, columns, key in frames:
        stages.begin(f"sheet:{stage}")
        _frame_sheet(wb, report, frame, columns, key)
    # each category sheet announces itself within this stretch
    _category_sheets(wb, report, stages.part("sheet:indicators"))
    stages.begin("sheet:sources")
    _sources_sheet(wb, report)
    stages.begin("xlsx:save")
    for ws in wb.worksheets:
        _print_setup(ws)
    wb.properties.title = report.title
    wb.properties.creator = "targets"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
