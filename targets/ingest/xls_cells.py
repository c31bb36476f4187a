"""What calamine does not say about a legacy .xls: each cell's number format (read with xlrd), and
formulas whose stored result is the empty-string marker that script writers leave (xlwt writes
every formula so; no program computed them).

A formula that Excel itself computed to "" carries the same marker: in a value cell the two cannot
be told apart, so both are refused (`formula-not-computed`) rather than read as missing.
"""

from __future__ import annotations

import io
import struct

import xlrd

from targets.ingest.formats import DATE_IDS, read_format
from targets.ingest.xlsx_cells import SheetCells, XlsxCellsError

_FORMULA, _EOF = 0x0006, 0x000A
_EMPTY_STRING_RESULT = 3  # BIFF8 FORMULA result type: an empty string, no STRING record


def scan_xls(data: bytes) -> dict[str, SheetCells]:
    """Sheet name -> its formatted cells and never-computed formulas."""
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except Exception as exc:  # noqa: BLE001 - xlrd raises many types for damaged files
        raise XlsxCellsError(f"the workbook's cell formats cannot be read ({exc})") from exc
    try:
        styles = _styles(book)
        out: dict[str, SheetCells] = {}
        for index, name in enumerate(book.sheet_names()):
            found = SheetCells()
            found.uncomputed = _empty_formulas(book.mem, book._sh_abs_posn[index])
            if styles:
                _formats(book.sheet_by_index(index), styles, found)
            if found.formats or found.uncomputed:
                out[name] = found
        return out
    except (xlrd.XLRDError, struct.error, IndexError, KeyError) as exc:
        raise XlsxCellsError(f"the workbook's cells cannot be read ({exc})") from exc
    finally:
        book.release_resources()


def _styles(book: xlrd.Book) -> dict[int, str]:
    """XF index -> format code, for formats that change the number shown."""
    out: dict[int, str] = {}
    for index, xf in enumerate(book.xf_list):
        fmt = book.format_map.get(xf.format_key)
        if fmt is None or xf.format_key in DATE_IDS:
            continue
        parsed = read_format(fmt.format_str)
        if not parsed.plain and not parsed.is_date:
            out[index] = fmt.format_str
    return out


def _formats(sheet: xlrd.sheet.Sheet, styles: dict[int, str], found: SheetCells) -> None:
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r)):
            xf = sheet.cell_xf_index(r, c)
            if xf in styles and sheet.cell_type(r, c) == xlrd.XL_CELL_NUMBER:
                found.formats[(r, c)] = styles[xf]
                found.numbers[(r, c)] = float(sheet.cell_value(r, c))


def _empty_formulas(mem: bytes, pos: int) -> dict[tuple[int, int], str]:
    """FORMULA records of one sheet whose result is the empty-string marker."""
    out: dict[tuple[int, int], str] = {}
    end = len(mem)
    while pos + 4 <= end:
        code, length = struct.unpack_from("<HH", mem, pos)
        body = pos + 4
        if code == _EOF:
            break
        if code == _FORMULA and length >= 14:
            row, col = struct.unpack_from("<HH", mem, body)
            result = mem[body + 6 : body + 14]
            if result[6:8] == b"\xff\xff" and result[0] == _EMPTY_STRING_RESULT:
                out[(row, col)] = "=(formula)"
        pos = body + length
    return out
