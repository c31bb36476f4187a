"""What calamine does not say about an .xlsx: each cell's number format, and formulas that were
never computed.

python-calamine returns values only: 0.0329 for a cell that shows 3.29%, and an empty string for a
formula that a script wrote and no spreadsheet program ever computed. This module reads the
package's XML beside it: the styles (which cell formats are not plain numbers) and, only where
such formats or formulas occur, the cells themselves, by regular expressions over the bytes (no
per-cell Python work for the cells that do not matter, so a large plain workbook costs one scan).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from targets.ingest.formats import DATE_IDS, builtin_code, read_format

Cell = tuple[int, int]  # 0-based (row, column), as in RawSheet.cells

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:c, x:f …)
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
_SHEET = re.compile(rb"<" + _P + rb"sheet\b([^>]*)/?>")
_REL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)/?>")
_NUMFMT = re.compile(rb"<" + _P + rb"numFmt\b([^>]*)/?>")
_CELLXFS = re.compile(rb"<" + _P + rb"cellXfs\b[^>]*>(.*?)</" + _P + rb"cellXfs>", re.S)
_XF = re.compile(rb"<" + _P + rb"xf\b([^>]*?)/?>")
_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
_FORMULA_TEXT = re.compile(rb"<" + _P + rb"f\b[^>]*>([^<]*)</" + _P + rb"f>")
_TAG = re.compile(rb"<" + _P + rb"c\s")
_CLOSE_CELL = re.compile(rb"</" + _P + rb"c>")
_S_ATTR = re.compile(rb'(?:^|\s)s="([^"]*)"')
_R_ATTR = re.compile(rb'(?:^|\s)r="([^"]*)"')
_T_ATTR = re.compile(rb'(?:^|\s)t="([^"]*)"')
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
# rows and columns hidden in the file: their cells are read all the same (a warning says so)
_HIDDEN_ROW = re.compile(rb"<" + _P + rb'row\b([^>]*?\shidden="(?:1|true)"[^>]*)>')
_HIDDEN_COL = re.compile(rb"<" + _P + rb'col\b([^>]*?\shidden="(?:1|true)"[^>]*)>')
_ALL_CELLS = re.compile(
    rb"<" + _P + rb"c\s([^>]*?)(?:/>|>(.*?)</" + _P + rb"c>)", re.S
)  # fmt: skip


class XlsxCellsError(Exception):
    """The package's XML cannot be read where the values depend on it."""


@dataclass
class SheetCells:
    """Per sheet: cells whose format changes what they show, and formulas never computed."""

    formats: dict[Cell, str] = field(default_factory=dict)  # format code of numeric cells
    numbers: dict[Cell, float] = field(default_factory=dict)  # their number, as in the file
    uncomputed: dict[Cell, str] = field(default_factory=dict)  # formula text, "=…"
    # what the file hides from whoever opens it: the sheet ("hidden", "veryHidden" or ""), and
    # 0-based rows and (first, last) column spans
    state: str = ""
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)

    @property
    def hides(self) -> bool:
        return bool(self.state or self.hidden_rows or self.hidden_cols)


def _attrs(raw: bytes) -> dict[str, str]:
    """Attributes by local name (r:id -> id), entities decoded."""
    out: dict[str, str] = {}
    for key, value in _ATTR.findall(raw):
        local = key.decode("ascii", "replace").rsplit(":", 1)[-1]
        out.setdefault(local, html.unescape(value.decode("utf-8", "replace")))
    return out


def cell_index(ref: str) -> Cell | None:
    """ "B3" -> (2, 1); anything else -> None."""
    m = _REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _sheet_parts(
    zf: zipfile.ZipFile, names: set[str], states: dict[str, str] | None = None
) -> dict[str, str]:
    """Sheet name -> the zip member holding its cells; `states` gets each hidden sheet's state."""
    book = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _REL.findall(zf.read("_rels/.rels")):
            a = _attrs(rel)
            if a.get("Type", "").endswith("/officeDocument"):
                book = a.get("Target", book).lstrip("/")
    if book not in names:
        return {}
    base = posixpath.dirname(book)
    rels_name = posixpath.join(base, "_rels", posixpath.basename(book) + ".rels")
    targets: dict[str, str] = {}
    if rels_name in names:
        for rel in _REL.findall(zf.read(rels_name)):
            a = _attrs(rel)
            target = a.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            targets[a.get("Id", "")] = posixpath.normpath(path)
    parts: dict[str, str] = {}
    for sheet in _SHEET.findall(zf.read(book)):
        a = _attrs(sheet)
        part = targets.get(a.get("id", ""))
        if part in names and "name" in a:
            parts[a["name"]] = part
            if states is not None and a.get("state", "visible") in ("hidden", "veryHidden"):
                states[a["name"]] = a["state"]
    return parts


def _style_formats(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Cell style index (the `s` attribute) -> format code, for the styles worth reading: those
    whose format changes the number shown, and every custom format that is not a date (calamine
    reads a number in some of them, such as `G/通用格式`, as a date)."""
    styles = "xl/styles.xml"
    if styles not in names:
        return {}
    xml = zf.read(styles)
    custom = {}
    for raw in _NUMFMT.findall(xml):
        a = _attrs(raw)
        if a.get("numFmtId", "").isdigit():
            custom[int(a["numFmtId"])] = a.get("formatCode", "")
    block = _CELLXFS.search(xml)
    if block is None:
        return {}
    out: dict[str, str] = {}
    for index, raw in enumerate(_XF.findall(block.group(1))):
        fid_text = _attrs(raw).get("numFmtId", "0")
        fid = int(fid_text) if fid_text.isdigit() else 0
        if fid in DATE_IDS:
            continue
        code = custom.get(fid, builtin_code(fid))
        fmt = read_format(code)
        if fmt.is_date:
            continue
        if not fmt.plain or fid in custom:
            out[str(index)] = code
    return out


def scan_xlsx(data: bytes) -> dict[str, SheetCells]:
    """Sheet name -> its formatted and uncomputed cells (sheets with neither are left out)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        states: dict[str, str] = {}
        parts = _sheet_parts(zf, names, states)
        formats = _style_formats(zf, names)
        out: dict[str, SheetCells] = {}
        for sheet, part in parts.items():
            xml = zf.read(part)
            found = _scan_sheet(xml, formats)
            found.state = states.get(sheet, "")
            if b"hidden=" in xml:  # one byte search: the usual sheet hides nothing
                _hidden(xml, found)
            if found.formats or found.uncomputed or found.hides:
                out[sheet] = found
        return out
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise XlsxCellsError(f"the workbook's cell formats cannot be read ({exc})") from exc


def _scan_sheet(xml: bytes, formats: dict[str, str]) -> SheetCells:
    found = SheetCells()
    if _has_formulas(xml):
        for m in _ALL_CELLS.finditer(xml):
            _take(found, m.group(1), m.group(2) or b"", formats)
    elif formats:
        # only the cells carrying one of the styles: the regex engine finds their style
        # attribute, and the cell around it is read (attribute values hold no < or >)
        styles = b"|".join(re.escape(s.encode()) for s in sorted(formats, key=len, reverse=True))
        hits = re.compile(rb'\ss="(?:' + styles + rb')"')
        if _canonical(xml, styles, formats, found):
            return found
        for m in hits.finditer(xml):
            start = xml.rfind(b"<", 0, m.start())
            head_end = xml.find(b">", m.end())
            tag = _TAG.match(xml, start)
            if tag is None or head_end < 0:
                continue  # a row's or column's style, not a cell's
            attrs = xml[tag.end() : head_end]
            content = b""
            if not attrs.endswith(b"/"):
                close = _CLOSE_CELL.search(xml, head_end)
                content = xml[head_end + 1 : close.start() if close else len(xml)]
            _take(found, attrs.rstrip(b"/"), content, formats)
    return found


def _hidden(xml: bytes, found: SheetCells) -> None:
    """The rows and column spans the sheet hides (hidden="1"), as 0-based indices."""
    for raw in _HIDDEN_ROW.findall(xml):
        r = _attrs(raw).get("r", "")
        if r.isdigit():
            found.hidden_rows.append(int(r) - 1)
    for raw in _HIDDEN_COL.findall(xml):
        a = _attrs(raw)
        lo, hi = a.get("min", ""), a.get("max", "")
        if lo.isdigit() and hi.isdigit():
            found.hidden_cols.append((int(lo) - 1, int(hi) - 1))


def _has_formulas(xml: bytes) -> bool:
    """Whether any <f> element occurs (byte searches: a regex over 40 MB takes seconds)."""
    return any(tag in xml for tag in (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/"))


def _canonical(xml: bytes, styles: bytes, formats: dict[str, str], found: SheetCells) -> bool:
    """The common spelling (`<c r="B2" s="1" t="n"><v>0.0329</v></c>`, as Excel, LibreOffice
    and openpyxl write numbers) read by one findall; False, with nothing recorded, when any
    styled cell may be spelled otherwise (the general path then reads them all)."""
    if any(sep in xml for sep in (b'\ts="', b'\ns="', b'\rs="')):
        return False  # a style attribute after a tab or line break: not counted below
    cells = re.compile(
        rb'<c r="([A-Z]{1,3}\d+)" s="(' + styles + rb')"(?: t="n")?><v>([^<]+)</v></c>'
    ).findall(xml)
    styled = sum(xml.count(b' s="' + style.encode() + b'"') for style in formats)
    if len(cells) != styled:
        return False
    try:
        numbers = [float(v) for _r, _s, v in cells]
    except ValueError:
        return False
    for (ref, style, _v), number in zip(cells, numbers, strict=True):
        where = cell_index(ref.decode())
        if where is None:
            return False
        found.formats[where] = formats[style.decode()]
        found.numbers[where] = number
    return True


def _take(found: SheetCells, raw_attrs: bytes, content: bytes, formats: dict[str, str]) -> None:
    """Record one cell if its format matters or it is a formula without a computed value."""
    style_m = _S_ATTR.search(raw_attrs)
    style = style_m.group(1).decode() if style_m else "0"
    formula = _FORMULA.search(content) is not None
    if style not in formats and not formula:
        return
    ref = _R_ATTR.search(raw_attrs)
    where = cell_index(ref.group(1).decode()) if ref else None
    if where is None:
        raise XlsxCellsError("a cell has no reference (r=…); save the file again in Excel")
    kind_m = _T_ATTR.search(raw_attrs)
    kind = kind_m.group(1).decode() if kind_m else "n"
    value = _VALUE.search(content)
    # a formula whose result is the empty string has t="str" and an empty <v>
    cached = value is not None and (value.group(1) != b"" or kind == "str")
    if formula and not cached:
        text = _FORMULA_TEXT.search(content)
        body = html.unescape(text.group(1).decode("utf-8", "replace")) if text else ""
        found.uncomputed[where] = "=" + (body or "(shared formula)")
        return
    if style in formats and kind == "n" and value is not None and value.group(1).strip():
        try:
            number = float(value.group(1))
        except ValueError:
            return
        found.formats[where] = formats[style]
        found.numbers[where] = number
