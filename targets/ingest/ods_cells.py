"""What calamine does not say about an .ods: each cell's number format, and formulas that were
never computed.

An OpenDocument cell names a cell style, which names a data style (`number:percentage-style`,
`number:number-style` with `<number:text>万件</number:text>` …). Each data style is written here
as the Excel format code that shows the same thing, so one reader of format codes
(targets.ingest.formats) judges both file types.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from targets import config
from targets.ingest.formats import read_format
from targets.ingest.xlsx_cells import SheetCells, XlsxCellsError

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_NUMBER_STYLES = {
    _q("number:number-style"): "number",
    _q("number:percentage-style"): "percentage",
    _q("number:currency-style"): "currency",
    _q("number:date-style"): "date",
    _q("number:time-style"): "date",
    _q("number:boolean-style"): "date",
    _q("number:text-style"): "text",
}
_NAME = _q("style:name")
_DATA_STYLE = _q("style:data-style-name")
_PARENT = _q("style:parent-style-name")
_FAMILY = _q("style:family")
_CELL_TAGS = (_q("table:table-cell"), _q("table:covered-table-cell"))
_REPEAT_COLS = _q("table:number-columns-repeated")
_REPEAT_ROWS = _q("table:number-rows-repeated")
_VALUE_TYPE = _q("office:value-type")
_VALUE = _q("office:value")
_FORMULA = _q("table:formula")
_STYLE_NAME = _q("table:style-name")
_DEFAULT_CELL_STYLE = _q("table:default-cell-style-name")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


def _section_code(element: ET.Element, kind: str) -> str:
    """One data style as an Excel format section: `0.0"万件"`, `0.00%`, `#,##0,` …"""
    if kind == "date":
        return "yyyy-mm-dd"
    if kind == "text":
        return "@"
    parts: list[str] = []
    percent_done = False
    for child in element:
        tag = child.tag
        if tag in (_q("number:number"), _q("number:scientific-number"), _q("number:fraction")):
            places = int(child.get(_q("number:decimal-places"), "0") or 0)
            code = "0" + ("." + "0" * places if places else "")
            factor = child.get(_q("number:display-factor"))
            if factor:
                thousands = {"1000": ",", "1000000": ",,"}.get(factor)
                # another factor shows a number scaled in a way Excel formats cannot say
                code += thousands if thousands is not None else f'"×{factor}"0'
            parts.append(code)
        elif tag == _q("number:text"):
            text = child.text or ""
            if kind == "percentage" and "%" in text and not percent_done:
                text = text.replace("%", "", 1)
                parts.append("%")
                percent_done = True
            parts.append(_quoted(text))
        elif tag == _q("number:currency-symbol"):
            continue
    if kind == "percentage" and not percent_done:
        parts.append("%")
    return "".join(parts) or "General"


def _data_styles(root: ET.Element | None) -> dict[str, str]:
    """Data style name -> Excel format code (sections from style:map conditions on the sign)."""
    if root is None:
        return {}
    elements: dict[str, tuple[ET.Element, str]] = {}
    for el in root.iter():
        kind = _NUMBER_STYLES.get(el.tag)
        if kind is not None and el.get(_NAME):
            elements[el.get(_NAME, "")] = (el, kind)
    codes: dict[str, str] = {}
    for name, (el, kind) in elements.items():
        own = _section_code(el, kind)
        maps = [(m.get(_q("style:condition"), ""), m.get(_q("style:apply-style-name"), ""))
                for m in el.findall("style:map", _NS)]  # fmt: skip
        if not maps:
            codes[name] = own
            continue
        by_cond = {c.replace(" ", ""): s for c, s in maps}
        sections: list[str] = []
        for cond in ("value()>=0", "value()>0", "value()<0", "value()=0"):
            if cond in by_cond and by_cond[cond] in elements:
                sections.append(_section_code(*elements[by_cond.pop(cond)]))
        if by_cond:  # another condition: keep it, so the format is refused as conditional
            sections.insert(0, "[" + next(iter(by_cond)).replace("value()", "") + "]0")
        codes[name] = ";".join([*sections, own])
    return codes


def _cell_styles(roots: list[ET.Element | None], data_codes: dict[str, str]) -> dict[str, str]:
    """Cell style name -> format code, following parent styles."""
    data_of: dict[str, str] = {}
    parent_of: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for el in root.iter(_q("style:style")):
            if el.get(_FAMILY) != "table-cell":
                continue
            name = el.get(_NAME, "")
            if el.get(_DATA_STYLE):
                data_of[name] = el.get(_DATA_STYLE, "")
            if el.get(_PARENT):
                parent_of[name] = el.get(_PARENT, "")
    out: dict[str, str] = {}
    for name in {*data_of, *parent_of}:
        seen, cur = set(), name
        while cur and cur not in data_of and cur not in seen:
            seen.add(cur)
            cur = parent_of.get(cur, "")
        code = data_codes.get(data_of.get(cur, ""), "")
        if code:
            out[name] = code
    return out


def _worth_reading(code: str) -> bool:
    fmt = read_format(code)
    return not fmt.plain and not fmt.is_date


def scan_ods(data: bytes) -> dict[str, SheetCells]:
    """Sheet name -> its formatted and uncomputed cells (sheets with neither are left out)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        styles_root = ET.fromstring(zf.read("styles.xml")) if "styles.xml" in names else None
        content = zf.read("content.xml")
    except (zipfile.BadZipFile, OSError, KeyError, ET.ParseError) as exc:
        raise XlsxCellsError(f"the workbook's cell formats cannot be read ({exc})") from exc
    try:
        return _scan_content(content, styles_root)
    except ET.ParseError as exc:
        raise XlsxCellsError(f"the workbook's cells cannot be read ({exc})") from exc


def _scan_content(content: bytes, styles_root: ET.Element | None) -> dict[str, SheetCells]:
    auto: ET.Element | None = None
    formats: dict[str, str] = {}
    out: dict[str, SheetCells] = {}
    sheet: SheetCells | None = None
    name = ""
    col_styles: list[tuple[int, str]] = []  # (first column, default cell style) runs
    row = col = 0
    row_cells: list[tuple[int, int, dict[str, Any]]] = []
    row_repeat = 1
    for event, el in _events(content):
        tag = el.tag
        if event == "end" and tag == _q("office:automatic-styles"):
            auto = el
            codes = _data_styles(styles_root) | _data_styles(auto)
            cells = _cell_styles([styles_root, auto], codes)
            formats = {k: v for k, v in cells.items() if _worth_reading(v)}
        elif event == "start" and tag == _q("table:table"):
            name, sheet, row, col_styles = el.get(_q("table:name"), ""), SheetCells(), 0, []
        elif event == "end" and tag == _q("table:table-column"):
            first = col_styles[-1][0] + 1 if col_styles else 0
            n = min(int(el.get(_REPEAT_COLS, "1") or 1), config.MAX_COLUMNS)
            style = el.get(_DEFAULT_CELL_STYLE, "")
            col_styles.extend([(first + k, style) for k in range(n)] if style in formats else [])
            if style not in formats:
                col_styles.append((first + n - 1, ""))
        elif event == "start" and tag == _q("table:table-row"):
            col, row_cells = 0, []
            row_repeat = int(el.get(_REPEAT_ROWS, "1") or 1)
        elif event == "end" and tag in _CELL_TAGS:
            repeat = int(el.get(_REPEAT_COLS, "1") or 1)
            attrs = dict(el.attrib)
            numeric = attrs.get(_VALUE_TYPE) in ("float", "percentage", "currency")
            if tag == _CELL_TAGS[0] and (_FORMULA in attrs or (numeric and formats)):
                row_cells.append((col, min(repeat, config.MAX_COLUMNS), attrs))
            col += repeat
            el.clear()
        elif event == "end" and tag == _q("table:table-row") and sheet is not None:
            if row_cells:
                defaults = dict(col_styles)
                for r in range(row, row + min(row_repeat, config.MAX_ROWS)):
                    _cells_of_row(sheet, r, row_cells, formats, defaults)
            row += row_repeat
            el.clear()
        elif event == "end" and tag == _q("table:table") and sheet is not None:
            if sheet.formats or sheet.uncomputed:
                out[name] = sheet
            sheet = None
            el.clear()
    return out


def _events(content: bytes) -> Iterator[tuple[str, ET.Element]]:
    yield from ET.iterparse(io.BytesIO(content), events=("start", "end"))


def _cells_of_row(
    sheet: SheetCells,
    row: int,
    cells: list[tuple[int, int, dict[str, Any]]],
    formats: dict[str, str],
    defaults: dict[int, str],
) -> None:
    for first, repeat, attrs in cells:
        for c in range(first, first + repeat):
            kind = attrs.get(_VALUE_TYPE)
            if _FORMULA in attrs and kind is None:
                sheet.uncomputed[(row, c)] = "=" + str(attrs[_FORMULA]).removeprefix("of:=")
                continue
            style = attrs.get(_STYLE_NAME) or defaults.get(c, "")
            code = formats.get(style)
            if code is None or kind not in ("float", "percentage", "currency"):
                continue
            try:
                number = float(attrs.get(_VALUE, ""))
            except ValueError:
                continue
            sheet.formats[(row, c)] = code
            sheet.numbers[(row, c)] = number
