"""The used area of each sheet, read from the file's own structure before any reader builds it.

Readers materialise a sheet as a rectangle from A1 to its farthest cell holding a value, empty
cells included: one stray value at row 1,000,000, column 2,000 is two billion cells. So the area
is measured first and the file refused as soon as the sheets together pass the bound
(TARGETS_MAX_CELLS). A worksheet's declared `<dimension>` is checked first (a 2 KB file naming a
far cell is refused in milliseconds), but a file can lie about it, so the cells are measured too,
streaming each part through zlib in pieces, never inflated whole.

.xlsx/.xlsm: a fast pass with regular expressions over each worksheet part; a cell tag it cannot
vouch for (no `r` attribute, other quoting, a `>` inside an attribute) sends that part to an exact
pass with expat. .ods: expat over content.xml, counting repeated rows and columns. Other kinds are
measured by the reader itself before it builds Python objects (readers.py).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO
from xml.parsers import expat

from targets.issues import column_letter

CHUNK = 1 << 20
# The fast pass reads cell tags as every common writer spells them (Excel, LibreOffice, openpyxl,
# xlsxwriter): `<c r="B7" …>`, r first, no prefix. Counts of the plain substrings then prove that
# every cell tag in the piece was read so; anything else goes to the exact pass.
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')  # not self-closing
_R_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"')
# the declared used area: its last cell (after the colon, or the only cell)
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\s[^>]*?ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"'
)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class AreaError(Exception):
    """The used area passes the bound (`file-too-many-cells`), or a part cannot be followed."""

    def __init__(
        self,
        message: str,
        sheet: str = "",
        cell: tuple[int, int] | None = None,
        code: str = "file-too-many-cells",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.cell = cell  # (1-based row, 0-based column) of the cell that passed the bound
        self.code = code


@dataclass
class Area:
    """A running total of cells over the sheets of one file, refused past `limit`."""

    limit: int
    total: int = 0

    def check(self, sheet: str, rows: int, cols: int) -> None:
        """Refuse as soon as a sheet, measured so far, passes the bound with the sheets before;
        the refusal points at the corner of the area (the far cell, when one cell sets both)."""
        if self.total + rows * cols > self.limit:
            raise AreaError(self._message(rows, cols), sheet, (rows, cols - 1))

    def add(self, sheet: str, rows: int, cols: int) -> None:
        """Count a sheet of rows × cols (from A1) once it is measured."""
        self.check(sheet, rows, cols)
        self.total += rows * cols

    def _message(self, rows: int, cols: int) -> str:
        last = f"{column_letter(cols - 1)}{rows}"
        others = f", with {self.total:,} in the sheets before it" if self.total else ""
        return (
            f"the used area reaches {last}: {rows:,} rows × {cols:,} columns = {rows * cols:,} "
            f"cells{others}, more than the limit of {self.limit:,} (TARGETS_MAX_CELLS); delete "
            "what lies beyond the table (Ctrl+End in Excel goes to the last used cell)"
        )


def column_index(letters: bytes | str) -> int:
    """Excel letters -> 0-based column (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def check_workbook(data: bytes, kind: str, limit: int) -> None:
    """Raise AreaError when the used areas of an .xlsx or .ods together pass `limit` cells."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says what is wrong with the archive
    with zf:
        area = Area(limit)
        try:
            if kind == "xlsx":
                for name, info in _xlsx_worksheets(zf):
                    rows, cols = _xlsx_extent(zf, info, name, area)
                    area.add(name, rows, cols)
            elif kind == "ods" and "content.xml" in zf.namelist():
                _OdsScan(area).run(zf, zf.getinfo("content.xml"))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error):
            return  # a damaged member: the reader refuses the file with its own words


# -- xlsx ------------------------------------------------------------------------------------


def _xlsx_worksheets(zf: zipfile.ZipFile) -> Iterator[tuple[str, zipfile.ZipInfo]]:
    """(sheet name, worksheet part) in workbook order, following the package relationships."""
    names = {i.filename: i for i in zf.infolist()}
    book = "xl/workbook.xml"
    for rel in _elements(_small(zf, names, "_rels/.rels"), "Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            book = posixpath.normpath(rel.get("Target", book).lstrip("/"))
    folder, base = posixpath.split(book)
    rels = _elements(
        _small(zf, names, posixpath.join(folder, "_rels", base + ".rels")), "Relationship"
    )
    parts: dict[str, str] = {}
    for rel in rels:
        if rel.get("Type", "").endswith("/worksheet") and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            parts[rel.get("Id", "")] = posixpath.normpath(path)
    listed = []
    for sheet in _elements(_small(zf, names, book), "sheet"):
        # the relationship id is r:id under whatever prefix the file gives the namespace
        rid = next((v for k, v in sheet.items() if k.rpartition(":")[2] == "id"), "")
        path = parts.get(rid, "")
        if path in names:
            listed.append(path)
            yield sheet.get("name", path), names[path]
    # parts no sheet entry names are measured too: a reader may find them by other means
    for path in sorted(set(parts.values()) - set(listed)):
        if path in names:
            yield path, names[path]
    if not parts:
        for path, info in names.items():
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", path):
                yield path, info


def _small(zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], path: str) -> bytes:
    """A package part that lists things (kilobytes); empty when absent or implausibly large."""
    info = names.get(path)
    if info is None or info.file_size > 10_000_000:
        return b""
    return zf.read(info)


def _elements(xml: bytes, local: str) -> list[dict[str, str]]:
    """The attributes of every element with this local name (any prefix)."""
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == local:
            found.append(attrs)

    if xml:
        parser = _parser()
        parser.StartElementHandler = start
        try:
            parser.Parse(xml, True)
        except (expat.ExpatError, _Doctype):
            return []
    return found


class _Doctype(Exception):
    """A DTD in an Office part: never written by a real tool, a classic vehicle for entity bombs."""


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(*_: object) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = doctype
    return parser


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part in pieces that each end after a '>' (the rest is carried to the next piece)."""
    tail = b""
    while chunk := stream.read(CHUNK):
        buf = tail + chunk
        cut = buf.rfind(b">") + 1
        if cut == 0 and len(buf) > 16 * CHUNK:
            cut = len(buf)  # 16 MB without a tag: text, nothing to measure; do not hold it
        tail = buf[cut:]
        if cut:
            yield buf[:cut]
    if tail:
        yield tail


def _xlsx_extent(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, area: Area
) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell of one worksheet part that holds a value."""
    rows = cols = 0
    with zf.open(info) as stream:
        for n, chunk in enumerate(_chunks(stream)):
            if n == 0:
                _check_dimension(chunk, sheet, area)
            cells = _VALUE_CELL.findall(chunk)
            if not _plain(chunk, len(cells)):
                return _XlsxScan(sheet, area).run(zf, info)
            if not cells:
                continue
            far_col = max(map(column_index, set(map(itemgetter(0), cells)))) + 1
            far_row = max(map(int, set(map(itemgetter(1), cells))))
            if far_row > rows or far_col > cols:
                rows, cols = max(rows, far_row), max(cols, far_col)
                area.check(sheet, rows, cols)
    return rows, cols


def _plain(chunk: bytes, values: int) -> bool:
    """Whether every cell tag of the piece is `<c r="B7"…` (the `values` read, and self-closing
    ones) and no other r attribute hides in one (a reader takes the last of two)."""
    r_first = chunk.count(b'<c r="')
    if chunk.count(b"<c ") != r_first or b"<c>" in chunk or b"<c/" in chunk:
        return False
    if chunk.count(b' r="') != r_first + chunk.count(b'<row r="'):
        return False
    if b":c " in chunk or b":c>" in chunk:  # a prefixed tag: <x:c r="…">
        return False
    # the rest close themselves (no value); each must still be read as a well-formed tag
    return r_first == values or r_first == len(_R_CELL.findall(chunk))


def _check_dimension(head: bytes, sheet: str, area: Area) -> None:
    """The declared used area, from the part's first bytes: refused at once when it passes."""
    m = _DIMENSION.search(head[:65536])
    if m:
        rows, cols = int(m.group(2)), column_index(m.group(1)) + 1
        area.check(sheet, rows, cols)


class _Scan:
    """An expat pass over one part, refusing with AreaError the moment the area passes."""

    def __init__(self, sheet: str, area: Area) -> None:
        self.sheet = sheet
        self.area = area
        self.rows = 0
        self.cols = 0

    def value_at(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        """A value at (1-based row, 0-based col), repeated over rows × cols."""
        last_row, last_col = row + rows - 1, col + cols
        if last_row > self.rows or last_col > self.cols:
            self.rows, self.cols = max(self.rows, last_row), max(self.cols, last_col)
            self.area.check(self.sheet, self.rows, self.cols)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def parse(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser = _parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        try:
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Doctype as exc:
            why = f"{info.filename} declares a DTD, which spreadsheet files never do"
            raise AreaError(why, self.sheet, code="file-unreadable") from exc
        except expat.ExpatError as exc:
            why = f"{info.filename} is not well-formed XML ({exc})"
            raise AreaError(why, self.sheet, code="file-unreadable") from exc


class _XlsxScan(_Scan):
    """Rows and cells without `r` follow the one before them; a cell counts when it has a <v>,
    an <is> or an <f> (a formula without a cached value is reported at its cell)."""

    row = 0
    col = -1
    cell: tuple[int, int] | None = None

    def run(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
        self.parse(zf, info)
        return self.rows, self.cols

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.col = -1
        elif local == "c":
            m = _REF.fullmatch(attrs.get("r", ""))
            if m:
                self.col, self.row = column_index(m.group(1)), int(m.group(2))
            else:
                self.col += 1
            self.cell = (self.row, self.col)
        elif local in ("v", "is", "f") and self.cell is not None:
            self.value_at(*self.cell)
            self.cell = None

    def end(self, name: str) -> None:
        if name.rpartition(":")[2] == "c":
            self.cell = None


# -- ods -------------------------------------------------------------------------------------


class _OdsScan(_Scan):
    """content.xml: each table's rows and cells, with their number-*-repeated counts. A cell counts
    when it has an office:value-type, a formula or any content; trailing empty repeats
    (LibreOffice writes a million of them) hold none."""

    def __init__(self, area: Area) -> None:
        super().__init__("", area)
        self.depth = 0  # nesting of table:table (a subtable is part of its cell)
        self.row = 0
        self.row_repeat = 1
        self.row_has_value = False
        self.col = 0
        self.cell_repeat = 0
        self.cell_has_value = False

    def run(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.parse(zf, info)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = attrs.get("table:name", "")
                self.rows = self.cols = 0
                self.row = 0
            return
        if self.depth != 1:
            return
        if local == "table-row":
            self.row_repeat = _repeat(attrs, "table:number-rows-repeated")
            self.row_has_value = False
            self.col = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.cell_repeat = _repeat(attrs, "table:number-columns-repeated")
            self.cell_has_value = "office:value-type" in attrs or "table:formula" in attrs
        elif self.cell_repeat:
            self.cell_has_value = True  # text:p or any other content of the cell

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "table":
            self.depth -= 1
            if self.depth == 0:
                self.area.add(self.sheet, self.rows, self.cols)
            return
        if self.depth != 1:
            return
        if local in ("table-cell", "covered-table-cell"):
            if self.cell_has_value:
                self.value_at(self.row + 1, self.col, self.row_repeat, self.cell_repeat)
            self.col += self.cell_repeat
            self.cell_repeat = 0
        elif local == "table-row":
            self.row += self.row_repeat


def _repeat(attrs: dict[str, str], key: str) -> int:
    value = attrs.get(key, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1
