"""Bytes -> raw sheets. The kind of file is judged by its content, never by its name.

Workbooks (.xlsx/.xlsm/.ods/.xls) are read by python-calamine, which returns cached formula values
and no number formats: the formats and the formulas never computed come from the package itself
(xlsx_cells, ods_cells, xls_cells). An .xlsb is refused: its formats cannot be read. Text is read as CSV with the encoding and the
delimiter sniffed. Every bound in targets.config is checked before the expensive step it guards.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import python_calamine as pc

from targets import config
from targets.ingest import bounds
from targets.ingest.values import FormulaCell
from targets.ingest.xlsx_cells import SheetCells, XlsxCellsError, scan_xlsx

Kind = Literal["xlsx", "ods", "xls", "text"]
Span = tuple[tuple[int, int], tuple[int, int]]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_DELIMITERS = (",", "\t", ";", "|")
# Signatures of common files that are not spreadsheets, to say what the file is.
_NOT_SHEETS = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-zip archive",
    b"Rar!": "a RAR archive",
    b"PK\x05\x06": "an empty zip archive",
}


class ReadError(bounds.Refusal):
    """The whole file cannot be read; `code` is an issue code (file-unreadable, file-too-large …)."""


@dataclass
class RawSheet:
    """One sheet as read: cells by position. Frame row i is Excel row i + 1, column j is letter j."""

    name: str
    cells: pd.DataFrame
    merged: list[Span] = field(default_factory=list)
    # (row, col) -> number format code of numeric cells whose format changes what they show
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    # what the file hides (.xlsx): the sheet's state ("hidden", "veryHidden" or ""), 0-based
    # rows and (first, last) 0-based column spans; their cells are read as any other
    state: str = ""
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Workbook:
    kind: Kind
    sheets: list[RawSheet]
    encoding: str = ""
    delimiter: str = ""


def sniff_kind(data: bytes) -> Kind:
    """xlsx/ods/xls by magic bytes (and the zip's declared content type), else text."""
    if not data:
        raise ReadError("file-empty", "the file is empty (0 bytes)")
    if data.startswith(_OLE2):
        return "xls"
    if data.startswith(_ZIP):
        return _zip_kind(data)
    for magic, what in _NOT_SHEETS.items():
        if data.startswith(magic):
            raise ReadError("file-unreadable", f"the file is {what}, not a spreadsheet")
    return "text"


def _zip_kind(data: bytes) -> Kind:
    """Check the zip's central directory: total uncompressed size first, then its content type."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("file-unreadable", f"the file is a damaged zip archive ({exc})") from exc
    total = sum(i.file_size for i in infos)
    if total > config.MAX_UNCOMPRESSED_BYTES:
        raise ReadError(
            "file-too-large",
            f"the workbook unpacks to {total:,} bytes, more than the limit of "
            f"{config.MAX_UNCOMPRESSED_BYTES:,}",
        )
    names = {i.filename: i for i in infos}

    def small_member(name: str) -> str:
        info = names[name]
        if info.file_size > 1_000_000:  # a content-type member is a few KB
            raise ReadError("file-unreadable", f"the archive member {name} is implausibly large")
        return zf.read(info).decode("utf-8", "replace")

    try:
        if "[Content_Types].xml" in names:
            types = small_member("[Content_Types].xml")
            if "sheet.binary" in types:
                # calamine reads its values, but not its number formats: a 3.29% cell would
                # be stored as 0.0329, so the file is refused rather than misread
                raise ReadError(
                    "file-unreadable",
                    "the file is an Excel binary workbook (.xlsb), whose number formats this "
                    "tool cannot read; save it as .xlsx",
                )
            if "spreadsheetml" in types or "ms-excel" in types:
                return "xlsx"
            what = "a Word document" if "wordprocessingml" in types else "an Office file"
            if "presentationml" in types:
                what = "a PowerPoint presentation"
            raise ReadError("file-unreadable", f"the file is {what}, not a spreadsheet")
        if "mimetype" in names:
            mime = small_member("mimetype").strip()
            if mime == "application/vnd.oasis.opendocument.spreadsheet":
                return "ods"
            raise ReadError("file-unreadable", f"the file is an OpenDocument file of type {mime}")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise ReadError("file-unreadable", f"the zip archive cannot be read ({exc})") from exc
    raise ReadError("file-unreadable", "the file is a zip archive, not a spreadsheet")


def read_workbook(data: bytes) -> Workbook:
    """Read every sheet of an upload, or raise ReadError."""
    if len(data) > config.MAX_UPLOAD_BYTES:
        raise ReadError(
            "file-too-large",
            f"the file has {len(data):,} bytes, more than the limit of {config.MAX_UPLOAD_BYTES:,}",
        )
    kind = sniff_kind(data)
    if kind == "text":
        return read_text(data)
    bounds.check_used_area(data, kind)
    sheets = _read_calamine(data)
    _add_cells(data, kind, sheets)
    return Workbook(kind, sheets)


def _scanner(kind: Literal["xlsx", "ods", "xls"]) -> Callable[[bytes], dict[str, SheetCells]]:
    """The cell scanner for a kind of workbook; the .ods and .xls ones are loaded when such a
    file comes (xlrd and ElementTree cost every CSV import otherwise)."""
    if kind == "ods":
        from targets.ingest.ods_cells import scan_ods

        return scan_ods
    if kind == "xls":
        from targets.ingest.xls_cells import scan_xls

        return scan_xls
    return scan_xlsx


def _add_cells(data: bytes, kind: Literal["xlsx", "ods", "xls"], sheets: list[RawSheet]) -> None:
    """Formats and uncomputed formulas from the package's XML, laid over calamine's values."""
    try:
        extras = _scanner(kind)(data)
    except XlsxCellsError as exc:
        raise ReadError("file-unreadable", str(exc)) from exc
    for sheet in sheets:
        found = extras.get(sheet.name)
        if found is None:
            continue
        sheet.state, sheet.hidden_cols = found.state, found.hidden_cols
        sheet.hidden_rows = frozenset(found.hidden_rows)
        if not found.numbers and not found.uncomputed:
            continue  # only hidden rows or columns: the values stand as read
        grid = sheet.cells.to_numpy(dtype=object)
        wanted = [*found.numbers, *found.uncomputed]
        rows = max(max((r for r, _ in wanted), default=-1) + 1, grid.shape[0])
        cols = max(max((c for _, c in wanted), default=-1) + 1, grid.shape[1])
        if (rows, cols) != grid.shape:
            bigger = np.full((rows, cols), None, dtype=object)
            bigger[: grid.shape[0], : grid.shape[1]] = grid
            grid = bigger
        else:
            grid = grid.copy()
        if found.numbers:
            # the numbers as stored: calamine may have read one as a date
            at = np.array(list(found.numbers), dtype=np.int64)
            grid[at[:, 0], at[:, 1]] = list(found.numbers.values())
        for (r, c), formula in found.uncomputed.items():
            grid[r, c] = FormulaCell(formula)
        cells = pd.DataFrame(grid, columns=range(cols), dtype=object)
        sheet.cells = cells
        sheet.formats = found.formats


def _read_calamine(data: bytes) -> list[RawSheet]:
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types for bad files
        raise ReadError("file-unreadable", f"the workbook cannot be opened ({exc})") from exc
    try:
        metas = [m for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        if len(metas) > config.MAX_SHEETS:
            raise ReadError(
                "file-too-many-sheets",
                f"the workbook has {len(metas)} sheets, more than the limit of {config.MAX_SHEETS}",
            )
        sheets: list[RawSheet] = []
        total_rows = 0
        area = bounds.new_area()
        for meta in metas:
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except Exception as exc:  # noqa: BLE001
                raise ReadError(
                    "file-unreadable", f"sheet {meta.name!r} cannot be read ({exc})"
                ) from exc
            # calamine's `end` is the last used cell, 0-based; rows and columns count from A1
            end_row, end_col = sheet.end if sheet.height and sheet.end else (-1, -1)
            total_rows += end_row + 1
            if total_rows > config.MAX_ROWS:
                raise ReadError(
                    "file-too-many-rows",
                    f"the workbook has more than {config.MAX_ROWS:,} rows (the limit)",
                )
            if end_col + 1 > config.MAX_COLUMNS:
                raise ReadError(
                    "file-too-large",
                    f"sheet {meta.name!r} has {end_col + 1:,} columns, more than the limit "
                    f"of {config.MAX_COLUMNS:,}",
                )
            bounds.count_sheet(area, meta.name, end_row + 1, end_col + 1)
            rows = sheet.to_python(skip_empty_area=False) if sheet.height else []
            width = max((len(r) for r in rows), default=0)
            frame = pd.DataFrame(rows, columns=range(width), dtype=object)
            bounds.check_cell_chars(meta.name, frame)
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(RawSheet(meta.name, frame, merged))
        return sheets
    finally:
        wb.close()


# -- text ------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif _utf16_nuls(data[:4096]):
        head = data[:4096]
        # ASCII in UTF-16 has its NUL byte second (LE) or first (BE)
        odd, even = head[1::2].count(0), head[0::2].count(0)
        candidates = ["utf-16-le" if odd >= even else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text, "gbk" if enc == "gb18030" else enc
    why = "the file is neither a workbook nor text in UTF-8, GBK/GB18030 or UTF-16"
    if b"\x00" in data:
        why += " (it contains NUL bytes: a damaged or binary file)"
    raise ReadError("file-unreadable", why)


def _utf16_nuls(head: bytes) -> bool:
    """NUL bytes as UTF-16 text without a BOM has them: many (digits, separators and line ends
    are ASCII), nearly all on one side of each pair. A few stray NULs in 8-bit text, or NUL
    padding, are damage: that text is then refused as binary instead of being misread."""
    nuls = head.count(0)
    if nuls == 0 or nuls * 32 < len(head):
        return False
    return max(head[1::2].count(0), head[0::2].count(0)) >= 0.9 * nuls


# control characters no text file holds: all below 32 but \t \n \v \f \r
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    # one regular-expression scan, not a Python loop over 65,536 characters (0.014 s per file)
    return _CONTROLS.search(text, 0, 65536) is not None


def sniff_delimiter(text: str) -> str:
    """The delimiter among , tab ; | that splits the most sample lines into the same field count."""
    lines = [ln for ln in text[:100_000].splitlines()[:200] if ln.strip()][:60]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = (len(multi), multi.count(mode))
        if score > best_score:
            best, best_score = delim, score
    return best


def read_text(data: bytes) -> Workbook:
    text, encoding = decode(data)
    if not text.strip():
        raise ReadError("file-empty", "the file has no text")
    try:
        return _read_text(text, encoding, bounds.longest_field(data, encoding))
    except csv.Error as exc:  # the csv module's own bound on a field (131,072 characters)
        raise bounds.csv_refusal(exc, text) from None


def _read_text(text: str, encoding: str, longest: int | None) -> Workbook:
    newlines = text.count("\n")  # counted once: 3 ms over 4 MB of text
    if newlines > config.MAX_ROWS:
        raise ReadError("file-too-many-rows", f"the file has more than {config.MAX_ROWS:,} rows")
    delim = sniff_delimiter(text)
    sample = text[:200_000].splitlines()[:-1] or text.splitlines()
    width = max((len(r) for r in csv.reader(sample, delimiter=delim)), default=1)
    if width > config.MAX_COLUMNS:
        raise ReadError(
            "file-too-large",
            f"the file has {width:,} columns, more than the limit of {config.MAX_COLUMNS:,}",
        )
    lines = newlines + (not text.endswith("\n"))  # at least the rows
    bounds.count_sheet(bounds.new_area(), "", lines, width)
    try:
        frame = _read_csv(text, delim, width)
    except (pd.errors.ParserError, ValueError):
        # a later line has more fields than the sample: count them all, once
        width = max(len(r) for r in csv.reader(io.StringIO(text), delimiter=delim))
        bounds.count_sheet(bounds.new_area(), "", lines, width)
        try:
            frame = _read_csv(text, delim, width)
        except (pd.errors.ParserError, ValueError) as exc:
            raise ReadError("file-unreadable", f"the text cannot be read as CSV ({exc})") from exc
    if frame.shape[1] > config.MAX_COLUMNS:
        raise ReadError(
            "file-too-large",
            f"the file has {frame.shape[1]:,} columns, more than the limit of "
            f"{config.MAX_COLUMNS:,}",
        )
    bounds.check_cell_chars("", frame, upper_bound=longest)
    return Workbook("text", [RawSheet("", frame)], encoding=encoding, delimiter=delim)


def _read_csv(text: str, delim: str, width: int) -> pd.DataFrame:
    # the C parser reads UTF-8 bytes several times faster than a text stream
    frame = pd.read_csv(
        io.BytesIO(text.encode("utf-8")),
        encoding="utf-8",
        sep=delim,
        header=None,
        names=list(range(max(width, 1))),
        dtype=object,  # cells as Python str, as the workbook readers give them
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
    )
    return frame
