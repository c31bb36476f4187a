"""Layout detection: find the header row of a sheet, decide what each column holds, and melt the
sheet into one row per value cell, each with the labels (indicator, region, year, unit) that apply
to it and the cell each label came from.

Layouts (detected, not configured; each sheet on its own):
- `long`: columns region, indicator, year, value [, unit, note];
- `regions-as-columns`: rows are indicators, columns regions (a yearbook table);
- `years-as-columns`: rows are regions (indicator from the sheet name or title) or indicators
  (region from the sheet name or title), columns are years;
- `indicator-columns`: rows are regions, one indicator per column, unit in the header bracket.
A header cell's dimension comes from what it names (a year, a region, an indicator), so
two-row headers (an indicator over its years) melt the same way: `indicator-columns+years`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from targets import config
from targets.ingest.messages import make_issue
from targets.ingest.readers import RawSheet
from targets.ingest.resolve import Resolver, parse_year, part_of_year, split_unit
from targets.ingest.values import (
    ESTIMATE_IN_VALUE,
    MARK_CHARS,
    FormulaCell,
    is_known_unit,
    normalise_text,
    normalise_unit,
    parse_value,
)
from targets.issues import Issue, Notice, column_letter, notice

SCAN_ROWS = 60  # the header is looked for in this many first rows
DIMS = ("indicator", "region", "year")

# Header words, Chinese and English, matched ignoring case, width and spaces.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "region": (
        "地区", "省份", "省市", "地市", "城市", "区域", "地区名称", "省份名称", "城市名称",
        "省(市)", "省(区、市)", "省(区,市)", "行政区", "行政区划", "region", "province", "city",
        "area", "region name", "地区代码",
    ),
    "year": ("年份", "年度", "年", "统计年度", "时间", "year"),
    "indicator": (
        "指标", "指标名称", "指标编号", "指标代码", "项目", "统计指标", "indicator",
        "indicator id", "indicator name", "series", "item",
    ),
    "value": ("数值", "值", "数据", "取值", "指标值", "value", "values"),
    "unit": ("单位", "计量单位", "unit", "units"),
    "note": ("备注", "说明", "来源", "数据来源", "资料来源", "note", "notes", "source", "remark", "remarks"),
    # targets.flags: prelim, approx (左右 …), different-scope/-definition; 预计 is refused
    "flag": ("注记", "标记", "数据标记", "数据注记", "flag", "flags"),
    "label": ("名称", "序号", "代码", "编号", "name", "no", "no.", "id", "code"),
}  # fmt: skip
_ROLE_OF = {w.replace(" ", "").lower(): role for role, words in ROLE_WORDS.items() for w in words}
_TOKEN_SPLIT = re.compile(r"[\s/\\|｜、]+")
_FOOTNOTE = re.compile(
    r"^(注|附注|说明|资料来源|数据来源|来源|备注|note|notes|source|sources)\s*\d*\s*[:：.．、]"
    r"|^(注|附注)\s*\d|^[*※①②③④⑤]",
    re.IGNORECASE,
)
# "2023年…" names the data's year; "2023年统计年鉴" names a yearbook's edition (2022 data): skipped
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!鉴|统计年鉴|年鉴)")
# "2019-2023年" names two years (and all between), not 2023: a span is no one year
_YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-‐‑‒–—―~～至到]\s*(?:19|20)\d{2}\s*年")
_UNIT_IN_TEXT = re.compile(r"(?:单位|计量单位|unit)\s*[:：]\s*([^\s,，;；)）]+)", re.IGNORECASE)
_INSTRUCTIONS = re.compile(
    r"^(说明|填表说明|填报说明|使用说明|instructions?|readme|notes?)\b", re.I
)

# The melted frame: one row per value cell. *_row are 1-based Excel rows (0: no cell),
# *_col 0-based columns (-1: no cell), so every issue can point at the cell it is about.
CELL_COLUMNS: tuple[str, ...] = (
    "row", "col", "cell",
    "indicator", "ind_row", "ind_col",
    "region", "reg_row", "reg_col",
    "year", "yr_row", "yr_col",
    "unit", "unit_row", "unit_col",
    "note", "flag", "fmt",
)  # fmt: skip


@dataclass
class HeaderCell:
    text: str = ""
    role: str | None = None  # region/year/indicator/value/unit/note/flag/label, or "corner"
    dim: str | None = None  # the column carries values of this dimension (year/region/indicator)
    unit: str | None = None  # unit in the header's bracket


@dataclass
class Label:
    """A sheet-level label (from the title rows or the sheet name) and the cell it came from."""

    text: str
    row: int = 0
    col: int = -1


@dataclass
class SheetResult:
    sheet: str
    layout: str
    cells: pd.DataFrame | None = None
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    recognised: bool = True
    footnotes: list[str] = field(default_factory=list)  # the sheet's note rows, as written
    # Per key column (indicator, region, year) whose melted column is exactly table[codes]
    # (one value column, no merged cells): (codes, table), so the checks need not hash the
    # column's 110,000 labels again.
    labels: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def cell_label(cell: object) -> str:
    """A cell as header/label text: 2023.0 -> "2023", None/NaN -> "", text NFKC-normalised."""
    if cell is None or cell is pd.NA:
        return ""
    if isinstance(cell, float):
        if cell != cell:
            return ""
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, str):
        return normalise_text(cell)
    return normalise_text(str(cell))


def kept_text(cell: object) -> str:
    """A cell as text to keep (a note, a quote): as written, never normalised; numbers as labels."""
    if isinstance(cell, str):
        return cell
    return cell_label(cell)


def label_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """cell_label over a column as (codes, table): each row's label is table[codes]; an empty
    cell's code points at the table's last entry, ""."""
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    table = np.array([cell_label(u) for u in uniques] + [""], dtype=object)
    return np.where(codes < 0, len(table) - 1, codes), table


def label_column(series: pd.Series) -> np.ndarray:
    """cell_label over a column, each distinct cell once (a 2,000,000-row column has few)."""
    codes, table = label_codes(series)
    return table[codes]


def role_of(text: str) -> str | None:
    key = text.replace(" ", "").lower().rstrip(":：")
    if key in _ROLE_OF:
        return _ROLE_OF[key]
    roles = {_ROLE_OF.get(t.lower()) for t in _TOKEN_SPLIT.split(text) if t}
    roles.discard(None)
    if len(roles) == 1:
        return roles.pop()  # a bilingual header such as "地区 Region"
    if len(roles) > 1:
        return "corner"  # "项目\\地区": a corner cell naming both axes; the content decides
    return None


def classify(text: str, res: Resolver) -> HeaderCell:
    if not text:
        return HeaderCell()
    base, unit = split_unit(text)
    role = role_of(base)
    if role is not None:
        return HeaderCell(text, role=role, unit=unit)
    if parse_year(text) is not None:
        return HeaderCell(text, dim="year")
    if res.region(text) is not None:
        return HeaderCell(text, dim="region")
    if res.indicator(text) is not None:
        return HeaderCell(text, dim="indicator", unit=unit)
    return HeaderCell(text)


def _grid(sheet: RawSheet, nrows: int) -> list[list[str]]:
    head = sheet.cells.iloc[:nrows]
    grid = [[cell_label(v) for v in row] for row in head.itertuples(index=False)]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        top = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = top
    return grid


def _is_header(cells: list[HeaderCell]) -> bool:
    roles = sum(1 for c in cells if c.role and c.role != "corner")
    dims = sum(1 for c in cells if c.dim)
    return roles + dims >= 2 and (roles >= 1 or dims >= 2)


def _extra_header(
    row: list[HeaderCell], main: list[HeaderCell], texts: list[str], main_texts: list[str]
) -> bool:
    """A row above/below the header that only adds a dimension over the value columns
    (an indicator over its years); cells merged across both rows repeat the header's text."""
    nonempty = [j for j, c in enumerate(row) if c.text]
    if not any(row[j].dim for j in nonempty):
        return False
    for j in nonempty:
        if j < len(main_texts) and texts[j] == main_texts[j]:
            continue
        if not row[j].dim or j >= len(main):
            return False
        if main[j].role is not None or main[j].dim == row[j].dim:
            return False
    return True


def _fill_right(row: list[HeaderCell], positions: set[int]) -> list[HeaderCell]:
    """Blank cells over value columns take the dimension on their left (a merged group header)."""
    out = list(row)
    for j in range(1, len(out)):
        if not out[j].text and j in positions and out[j - 1].dim:
            out[j] = out[j - 1]
    return out


@dataclass
class Header:
    rows: list[int]  # 0-based grid rows forming the header, main row first
    main: int
    cells: list[list[HeaderCell]]  # per header row, per column


def find_header(grid: list[list[str]], res: Resolver) -> Header | None:
    classified: list[list[HeaderCell]] = []
    for r, texts in enumerate(grid):
        cells = [classify(t, res) for t in texts]
        classified.append(cells)
        if not _is_header(cells):
            continue
        rows, blocks = [r], [cells]
        if r + 1 < len(grid):
            below = [classify(t, res) for t in grid[r + 1]]
            if _extra_header(below, cells, grid[r + 1], texts):
                rows.append(r + 1)
                blocks.append(below)
        if r >= 1 and _extra_header(classified[r - 1], cells, grid[r - 1], texts):
            rows.insert(0, r - 1)
            blocks.insert(0, classified[r - 1])
        if len(blocks) > 1:
            positions = {j for b in blocks for j, c in enumerate(b) if c.dim}
            blocks = [_fill_right(b, positions) for b in blocks]
        return Header(rows=rows, main=r, cells=blocks)
    return None


@dataclass
class Column:
    index: int
    role: str | None = None
    dims: dict[str, tuple[str, int]] = field(default_factory=dict)  # dim -> (label, header row)
    unit: str | None = None
    unit_row: int = 0
    text: str = ""
    header_row: int = 0  # 1-based


def _columns(header: Header, width: int) -> list[Column]:
    cols = [Column(j) for j in range(width)]
    for r, block in zip(header.rows, header.cells, strict=True):
        for j, c in enumerate(block[:width]):
            col = cols[j]
            if r == header.main:
                col.text, col.header_row = c.text, r + 1
            if c.role and col.role is None:
                col.role = c.role
            if c.dim:
                col.dims[c.dim] = (c.text, r + 1)
            if c.unit and col.unit is None:
                col.unit, col.unit_row = c.unit, r + 1
    for col in cols:
        if not col.header_row:
            col.header_row = header.main + 1
    return cols


def _sheet_labels(
    sheet: RawSheet, grid: list[list[str]], before: int, res: Resolver
) -> dict[str, Label]:
    """Year, unit, indicator and region stated by the title rows or the sheet name."""
    texts = [(r, c, t) for r in range(before) for c, t in enumerate(grid[r]) if t]
    found: dict[str, Label] = {}
    years: dict[int, Label] = {}
    for r, c, t in texts:
        for y in _YEAR_IN_TEXT.findall(t) + _YEAR_SPAN.findall(t):
            years.setdefault(int(y), Label(y, r + 1, c))
        if parse_year(t) is not None:
            years.setdefault(parse_year(t) or 0, Label(t, r + 1, c))
    name = normalise_text(sheet.name)
    if len(years) == 1:
        found["year"] = next(iter(years.values()))
    elif not years:
        sheet_years = {int(y) for y in _YEAR_IN_TEXT.findall(name) + _YEAR_SPAN.findall(name)}
        if parse_year(name) is not None:
            sheet_years.add(parse_year(name) or 0)
        if len(sheet_years) == 1:
            found["year"] = Label(str(sheet_years.pop()))
    # a part of a year in the title or sheet name makes the sheet's year that text, which is
    # no year: each value that takes it is refused (bad-year) at the title cell, never stored
    # as the whole year's
    # a title or sheet name saying its figures are estimates (2024年主要指标预计完成情况):
    # every value of the sheet is an estimate, refused as one (estimate-value)
    for t in [t for _r, _c, t in texts] + [name]:
        said = next((w for w in ESTIMATE_IN_VALUE if w in t), None)
        if said is not None:
            found["estimate"] = Label(said)
            break
    # a title or sheet name saying the table holds goals (2025年目标值, a sheet 目标): its
    # numbers are targets, never the year's outturns (target-table)
    for r, c, t in [(r, c, t) for r, c, t in texts] + [(-1, -1, name)]:
        said = target_title(t)
        if said is not None:
            found["target"] = Label(said, r + 1, c)
            break
    partial = [Label(t, r + 1, c) for r, c, t in texts if part_of_year(t)]
    if not partial and part_of_year(name):
        partial = [Label(name)]
    if partial:
        found["year"] = partial[0]
    for r, c, t in texts:
        m = _UNIT_IN_TEXT.search(t)
        if m and "unit" not in found:
            found["unit"] = Label(m.group(1), r + 1, c)
    for r, c, t in texts:
        text = _UNIT_IN_TEXT.sub("", t)
        ind = res.indicator_in_text(text)
        if ind is not None:
            found["indicator"] = Label(ind.id, r + 1, c)
            unit = split_unit(text)[1]
            if unit and "unit" not in found:
                found["unit"] = Label(unit, r + 1, c)
            elif unit and is_known_unit(unit):
                line = found["unit"]
                if normalise_unit(line.text) != normalise_unit(unit):
                    # 地区生产总值（亿元） over 单位：万元: one title contradicts the other, and
                    # choosing would be a guess; the text converts to nothing (unit-mismatch)
                    found["unit"] = Label(f"{line.text} ≠ {unit}", line.row, line.col)
            break
    if "indicator" not in found and name:
        ind = res.indicator_in_text(name)
        if ind is not None:
            found["indicator"] = Label(ind.id)
    if name and res.region(name) is not None:
        found["region"] = Label(name)
    else:
        for r, c, t in texts:
            stripped = split_unit(_YEAR_IN_TEXT.sub("", _UNIT_IN_TEXT.sub("", t)))[0].strip()
            if stripped and res.region(stripped) is not None:
                found["region"] = Label(stripped, r + 1, c)
                break
    return found


# Words by which a title or sheet name says its table holds goals, and words by which it says
# the table reports outturns against them (目标完成情况): those are read as usual. Kept short on
# purpose: a title merely mentioning 目标 is no target table.
_TARGET_TITLE = re.compile(r"(目标值|规划目标|预期目标|目标任务|目标)(?:表|一览表)?$")
_TARGET_TITLE_ANYWHERE = ("目标值", "规划目标", "预期目标")
_OUTTURN_OF_TARGET = ("完成", "实现", "进展", "进度", "实际", "执行")


def target_title(text: str) -> str | None:
    """The words by which a title or sheet name says its figures are goals (2025年目标值 ->
    目标值), or None; 目标完成情况 and kin report outturns and give None."""
    key = re.sub(r"\s+", "", text)
    if "目标" not in key or any(w in key for w in _OUTTURN_OF_TARGET):
        return None
    m = _TARGET_TITLE.search(key)
    if m is not None:
        return m.group(1)
    return next((w for w in _TARGET_TITLE_ANYWHERE if w in key), None)


def _target_issues(
    frame: pd.DataFrame, said: str, *, lang: str, file: str, sheet: str
) -> list[Issue]:
    """Each written value of a target table refused at its cell (at most MAX_ERRORS: the
    issue log counts no more than that anyway)."""
    out: list[Issue] = []
    for cell, row, col in zip(frame["cell"], frame["row"], frame["col"], strict=True):
        label = kept_text(cell).strip()
        if not label:
            continue
        out.append(
            make_issue("target-table", lang, file=file, sheet=sheet, row=int(row), col=int(col),
                       label=label, detail=said)
        )  # fmt: skip
        if len(out) >= config.MAX_ERRORS:
            break
    return out


def _spans(numbers: list[int], most: int = 10) -> str:
    """[4, 7, 8, 9] -> "4, 7-9"; past `most` spans, "…"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:most])
    return text + (", …" if len(runs) > most else "")


def _hidden_warnings(
    sheet: RawSheet, frame: pd.DataFrame, key_cols: Iterable[Column]
) -> list[Notice]:
    """What the file hides and the import reads: the sheet, the rows of values, the columns of
    values or labels. Cells hidden but empty, or outside the table, are no news."""
    cells = frame["cell"].to_numpy(dtype=object)
    present = np.array([kept_text(c).strip() != "" for c in cells], dtype=bool)
    if not present.any():
        return []
    out: list[Notice] = []
    if sheet.state:
        code = "very-hidden-sheet" if sheet.state == "veryHidden" else "hidden-sheet"
        out.append(notice(code, sheet=sheet.name))
    rows = frame["row"].to_numpy()[present]
    hidden_rows = [int(r) for r in np.unique(rows) if int(r) - 1 in sheet.hidden_rows]
    if hidden_rows:
        out.append(notice("hidden-rows", sheet=sheet.name, rows=_spans(hidden_rows)))
    used = {int(c) for c in np.unique(frame["col"].to_numpy()[present])}
    used |= {c.index for c in key_cols}
    hidden_cols = [j for j in sorted(used) if any(lo <= j <= hi for lo, hi in sheet.hidden_cols)]
    if hidden_cols:
        letters = ", ".join(column_letter(j) for j in hidden_cols)
        out.append(notice("hidden-columns", sheet=sheet.name, letters=letters))
    return out


# A free-text note saying the figure is an estimate: less certain than a flag cell (预计 there is
# refused), so the value is kept and a warning names its cells.
ESTIMATE_IN_NOTE = ("预计", "预估", "估计", "预测")


def _estimate_notes(frame: pd.DataFrame, sheet: str, most: int = 10) -> list[Notice]:
    """One warning naming the cells (the first `most`) whose note says 预计数 or kin."""
    codes, uniques = pd.factorize(frame["note"], use_na_sentinel=True)
    said = np.array(
        [next((w for w in ESTIMATE_IN_NOTE if w in str(u)), "") for u in uniques] + [""],
        dtype=object,
    )
    hit = said[np.where(codes < 0, len(uniques), codes)] != ""
    if not hit.any():
        return []
    cells = frame["cell"].to_numpy(dtype=object)
    at = [i for i in np.flatnonzero(hit) if kept_text(cells[i]).strip()]
    if not at:
        return []
    prefix = f"{sheet}!" if sheet else ""
    rows, cols = frame["row"].to_numpy(), frame["col"].to_numpy()
    where = ", ".join(f"{prefix}{column_letter(int(cols[i]))}{int(rows[i])}" for i in at[:most])
    if len(at) > most:
        where += f", … ({len(at)})"
    # a long source quote is cut: the cells are what the analyst looks up
    notes = (str(frame["note"].iat[i]) for i in at[:most])
    words = "、".join(dict.fromkeys(n if len(n) <= 30 else n[:30] + "…" for n in notes))
    return [notice("estimate-note", cells=where, said=words)]


def _is_footnote(label: str, raw: object) -> bool:
    """A note row: 注：…, 资料来源：…, or a row that begins with a footnote mark (①…, *…) as
    written (NFKC would have turned ① into 1)."""
    if not label:
        return False
    if _FOOTNOTE.match(label):
        return True
    first = raw.lstrip()[:1] if isinstance(raw, str) else ""
    return bool(first) and (first in MARK_CHARS or first == "※")


def is_instructions(name: str) -> bool:
    return bool(_INSTRUCTIONS.match(normalise_text(name)))


def analyse_sheet(
    sheet: RawSheet, res: Resolver, *, year: int | None = None, lang: str = "en", file: str = ""
) -> SheetResult:
    """Detect the layout of one sheet and melt it; issues here are layout-level only."""
    name = sheet.name
    cells = sheet.cells
    if cells.empty or not cells.shape[1]:
        return SheetResult(name, "empty")
    grid = _grid(sheet, SCAN_ROWS)
    header = find_header(grid, res)
    if header is None:
        if not any(t for row in grid for t in row):
            return SheetResult(name, "empty")
        formula = _first_formula(cells.iloc[:SCAN_ROWS])
        if formula is not None:
            # the header itself is formulas no program computed: that is what to fix first
            r, c, text = formula
            issue = make_issue(
                "formula-not-computed", lang, file=file, sheet=name, row=r + 1, col=c,
                label=text, detail=f"the formula {text!r} has no computed value in the file",
            )  # fmt: skip
            return SheetResult(name, "unknown", issues=[issue], recognised=False)
        issue = make_issue("layout-unknown", lang, file=file, sheet=name)
        return SheetResult(name, "unknown", issues=[issue], recognised=False)
    width = cells.shape[1]
    cols = _columns(header, width)
    labels = _sheet_labels(sheet, grid, header.rows[0], res)
    data_start = header.rows[-1] + 1  # 0-based frame row of the first data row
    measures = _measure_row(grid, data_start, cols)
    passed_over: list[Column] = []
    if measures is not None:
        unknown = [j for j, kind in measures.items() if kind == "?"]
        if unknown:
            j = unknown[0]
            issue = make_issue(
                "layout-measures", lang, file=file, sheet=name, row=data_start + 1, col=j,
                label=grid[data_start][j],
            )  # fmt: skip
            return SheetResult(name, "unknown", issues=[issue])
        passed_over = _apply_measures(cols, measures, grid[data_start], data_start + 1)
        data_start += 1

    value_cols = [c for c in cols if c.dims or c.role == "value"]
    kinds = {d for c in value_cols for d in c.dims}
    has_value_role = any(c.role == "value" for c in value_cols)
    issues: list[Issue] = []
    if has_value_role and kinds:
        issues.append(make_issue("layout-mixed", lang, file=file, sheet=name, row=header.main + 1))
        return SheetResult(name, "unknown", issues=issues)
    first_value = min((c.index for c in value_cols), default=width)
    data = cells.iloc[data_start:]
    main_kind = _main_kind(cols, header.main + 1)

    # Columns the header does not explain: on the left, the stub (row labels) or ignored;
    # on the right, more value columns whose labels failed to resolve (reported later).
    stub: Column | None = None
    for col in cols:
        if col.role or col.dims:
            continue
        if col.index < first_value:
            if stub is None and not col.text:
                stub = col
            continue
        if has_value_role:
            continue
        if not col.text:
            if _has_values(data[col.index]):
                issues.append(
                    make_issue("empty-header", lang, file=file, sheet=name,
                               row=col.header_row, col=col.index)
                )  # fmt: skip
            continue
        if main_kind:
            col.dims[main_kind] = (col.text, col.header_row)
            value_cols.append(col)
    for col in cols:
        if col.role == "corner" and stub is None and col.index < first_value:
            stub = col
    value_cols.sort(key=lambda c: c.index)

    key_cols: dict[str, Column] = {}
    for col in cols:
        keys = ("region", "indicator", "year", "unit", "note", "flag")
        if col.role in keys and col.role not in key_cols:
            key_cols[col.role] = col
    col_dims = {d for c in value_cols for d in c.dims}
    if stub is not None and stub.index not in {c.index for c in key_cols.values()}:
        needed = [d for d in ("indicator", "region") if d not in key_cols and d not in col_dims]
        role = _stub_role(stub, data, needed, labels, res)
        if role is not None:
            key_cols[role] = stub
    if not value_cols:
        issue = make_issue("layout-unknown", lang, file=file, sheet=name, row=header.main + 1)
        return SheetResult(name, "unknown", issues=[*issues, issue], recognised=False)

    layout = _layout_name(has_value_role, [c.dims for c in value_cols])
    warnings: list[Notice] = []
    if passed_over:
        letters = ", ".join(column_letter(c.index) for c in passed_over)
        what = grid[data_start - 1][passed_over[0].index]
        warnings.append(notice("growth-rates", sheet=name, letters=letters, what=what))
    sheet_year = "year" in labels and "year" not in key_cols and "year" not in col_dims
    if sheet_year and year is not None and parse_year(labels["year"].text) != year:
        found = labels["year"].text
        warnings.append(notice("year-from-title", sheet=name, found=found, given=year))
    # rows to read: not blank, not a footnote
    first_key = min((c.index for c in key_cols.values()), default=0)
    # the lead column is factorized once: its note rows, and its labels as a key column
    raw_lead = (
        data[first_key].astype(object).to_numpy() if len(data) else np.array([], dtype=object)
    )
    codes, uniques = pd.factorize(
        pd.Series(raw_lead, dtype=object, copy=False), use_na_sentinel=True
    )
    lead_table = np.array([cell_label(u) for u in uniques] + [""], dtype=object)
    flags = np.array(
        [_is_footnote(lead_table[k], u) for k, u in enumerate(uniques)] + [False], dtype=bool
    )
    is_note = flags[codes]
    footnotes: list[str] = []
    if is_note.any():
        footnotes = [kept_text(c) for c in raw_lead[is_note] if kept_text(c)]
        data = data[~is_note]
        codes = codes[~is_note]
    excel_rows = (data.index.to_numpy() + 1).astype(np.int64)
    key_codes = {
        role: (np.where(codes < 0, len(lead_table) - 1, codes), lead_table)
        if col.index == first_key
        else label_codes(data[col.index])
        for role, col in key_cols.items()
    }
    key_labels = {role: table[c] for role, (c, table) in key_codes.items()}
    _fill_merged_keys(sheet, key_cols, key_labels, data)

    notes_kept = (
        np.array([kept_text(c) for c in data[key_cols["note"].index]], dtype=object)
        if "note" in key_cols
        else np.full(len(data), "", dtype=object)
    )
    flags_kept = (
        np.array([kept_text(c) for c in data[key_cols["flag"].index]], dtype=object)
        if "flag" in key_cols
        else np.full(len(data), "", dtype=object)
    )
    if "estimate" in labels:
        flags_kept = np.full(len(data), labels["estimate"].text, dtype=object)
    parts = [
        _melt_column(col, data, excel_rows, key_cols, key_labels, labels, year, notes_kept,
                     sheet.formats, flags_kept)
        for col in value_cols
    ]  # fmt: skip
    frame = parts[0][0] if len(parts) == 1 else pd.concat([p[0] for p in parts], ignore_index=True)
    if sheet.state or sheet.hidden_rows or sheet.hidden_cols:
        warnings += _hidden_warnings(sheet, frame, key_cols.values())
    if "note" in key_cols:
        warnings += _estimate_notes(frame, name)
    if "target" in labels:
        issues += _target_issues(frame, labels["target"].text, lang=lang, file=file, sheet=name)
        return SheetResult(name, layout, frame.iloc[:0], issues=issues, warnings=warnings)
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if len(parts) == 1 and not sheet.merged:  # merged cells rewrite labels: codes out of date
        coded = {dim: key_codes[dim] for dim in parts[0][1]}
    return SheetResult(
        name, layout, frame, issues=issues, warnings=warnings, footnotes=footnotes, labels=coded
    )


# The row under a yearbook's two-level header names what each value column measures.
_ABSOLUTE = frozenset(
    {"绝对数", "绝对值", "绝对额", "总量", "数值", "数量", "金额", "总额", "实绩", "本年", "当年",
     "value", "values", "absolute", "level", "amount", "total"}
)  # fmt: skip
_RELATIVE = re.compile(
    r"(增长|增速|增幅|增减|比上年|比去年|同比|环比|比重|占比|构成|位次|排名|排序|指数|"
    r"growth|change|share|rank|index|%|％|±)",
    re.IGNORECASE,
)


def _measure_kind(text: str) -> str:
    """ "abs" for 绝对数, "rel" for 比上年增长(%) and kin, "?" for anything else."""
    key = split_unit(text)[0].replace(" ", "").lower()
    if key in _ABSOLUTE:
        return "rel" if _RELATIVE.search(text) and "%" in text else "abs"
    return "rel" if _RELATIVE.search(text) else "?"


def _measure_row(grid: list[list[str]], r: int, cols: list[Column]) -> dict[int, str] | None:
    """Column -> "abs" / "rel" / "?" when row r (under the header) is a row of measure labels
    (绝对数 | 比上年增长(%)) over the value columns; None when it is not such a row."""
    if r >= len(grid):
        return None
    texts = grid[r]
    found: dict[int, str] = {}
    for col in cols:
        j = col.index
        text = texts[j] if j < len(texts) else ""
        if not text or (text == col.text and not col.dims):
            continue  # blank, or a key header merged down over both rows (地区)
        if not col.dims and col.text:
            return None  # a key column holds data here: a data row
        if parse_value(text).value is not None:
            return None  # a number (4.34%): a data row
        found[j] = _measure_kind(text)
    kinds = set(found.values())
    # a sub-header names at least one measure it recognises; a data row names none
    if not found or not kinds & {"abs", "rel"}:
        return None
    return found


def _apply_measures(
    cols: list[Column], measures: dict[int, str], texts: list[str], row: int
) -> list[Column]:
    """Keep the absolute columns (a year written once over two columns reaches its blank
    neighbour; a unit in the sub-header, 绝对数（万元）, is the column's), pass over the relative
    ones (a growth rate is never a level)."""
    passed: list[Column] = []
    left: Column | None = None
    for col in cols:
        kind = measures.get(col.index)
        if kind is None:
            left = col if col.dims else left
            continue
        if not col.dims and left is not None and col.index == left.index + 1:
            col.dims = dict(left.dims)
            col.text = col.text or left.text
        unit = split_unit(texts[col.index])[1]
        if kind == "abs" and unit:
            col.unit, col.unit_row = unit, row
        if kind == "rel":
            col.dims = {}
            col.role = "passed-over"
            passed.append(col)
        left = col if col.dims or col.role == "passed-over" else left
    return passed


def _first_formula(head: pd.DataFrame) -> tuple[int, int, str] | None:
    """The first formula cell without a computed value: (row, column, formula), 0-based."""
    for r, row in enumerate(head.itertuples(index=False)):
        for c, cell in enumerate(row):
            if isinstance(cell, FormulaCell):
                return r, c, str(cell)
    return None


def _main_kind(cols: list[Column], main_row: int) -> str | None:
    counts: dict[str, int] = {}
    for c in cols:
        for d, (_t, r) in c.dims.items():
            if r == main_row:
                counts[d] = counts.get(d, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda d: counts[d])


def _has_values(series: pd.Series) -> bool:
    labels = label_column(series)
    return bool((labels != "").any())


def _stub_role(
    stub: Column, data: pd.DataFrame, needed: list[str], labels: dict[str, Label], res: Resolver
) -> str | None:
    """What the row-label column holds: the dimension still missing, or what its cells name."""
    open_dims = [d for d in needed if d not in labels]
    if len(open_dims) == 1:
        return open_dims[0]
    sample = [t for t in label_column(data[stub.index].iloc[:300]) if t]
    n_reg = sum(1 for t in sample if res.region(t) is not None)
    n_ind = sum(1 for t in sample if res.indicator(t) is not None)
    candidates = open_dims or needed or ["region", "indicator"]
    if n_reg == n_ind == 0:
        return candidates[0] if len(candidates) == 1 else "region"
    best = "region" if n_reg >= n_ind else "indicator"
    return best if best in candidates or not needed else candidates[0]


def _layout_name(has_value_role: bool, dims: list[dict[str, tuple[str, int]]]) -> str:
    if has_value_role:
        return "long"
    kinds = {d for ds in dims for d in ds}
    names = {
        "region": "regions-as-columns",
        "year": "years-as-columns",
        "indicator": "indicator-columns",
    }
    if len(kinds) == 1:
        return names[kinds.pop()]
    if "indicator" in kinds:
        rest = sorted(kinds - {"indicator"})
        return "indicator-columns+" + "+".join(f"{k}s" for k in rest)
    return "+".join(names[k] for k in sorted(kinds))


def _fill_merged_keys(
    sheet: RawSheet,
    key_cols: dict[str, Column],
    key_labels: dict[str, np.ndarray],
    data: pd.DataFrame,
) -> None:
    """A key cell merged down over several rows (a region over its indicators) names them all."""
    if not sheet.merged or not len(data):
        return
    position = {int(i): k for k, i in enumerate(data.index)}
    for (r0, c0), (r1, c1) in sheet.merged:
        for role, col in key_cols.items():
            if not c0 <= col.index <= c1 or r0 not in position:
                continue
            top = key_labels[role][position[r0]]
            for r in range(r0 + 1, r1 + 1):
                if r in position:
                    key_labels[role][position[r]] = top


def _unit_of_row_label(
    out: dict[str, object],
    stated: np.ndarray,
    text: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The unit in an indicator label's bracket (地区生产总值（万元） as a row of a yearbook
    table) is the unit of that row's values: it was dropped, and 1.2 under PCT国际专利申请量（万件）
    went in as 1.2 件. Where a unit cell or the column's header states another unit, both are
    kept in the unit text, which converts to nothing (unit-mismatch at the unit's cell)."""
    labels = np.asarray(out["indicator"], dtype=object)
    units: dict[str, str] = {}
    for label in pd.unique(labels):
        unit = split_unit(str(label))[1]
        units[label] = unit if unit and is_known_unit(unit) else ""
    own = np.array([units[label] for label in labels], dtype=object)
    has = own != ""
    if not has.any():
        return text, row, col
    text, row, col = text.copy(), row.copy(), col.copy()
    same: dict[tuple[str, str], bool] = {}  # each (stated, label) pair once: files are long
    for pair in zip(text[has], own[has], strict=True):
        if pair not in same:
            same[pair] = normalise_unit(pair[0]) == normalise_unit(pair[1])
    differs = has.copy()
    differs[has] = [not same[p] for p in zip(text[has], own[has], strict=True)]
    clash = differs & stated
    text[clash] = text[clash] + " ≠ " + own[clash]
    take = has & ~stated
    text[take] = own[take]
    row[take] = np.asarray(out["ind_row"])[take]
    col[take] = np.asarray(out["ind_col"])[take]
    return text, row, col


def _melt_column(
    col: Column,
    data: pd.DataFrame,
    excel_rows: np.ndarray,
    key_cols: dict[str, Column],
    key_labels: dict[str, np.ndarray],
    labels: dict[str, Label],
    year: int | None,
    notes: np.ndarray,
    formats: dict[tuple[int, int], str],
    flags: np.ndarray,
) -> tuple[pd.DataFrame, set[str]]:
    """The column's cells, one row each, with their labels; and the dimensions whose labels
    are every row's own key cell (key_labels[dim] as it is)."""
    n = len(data)
    own_dims: set[str] = set()
    out: dict[str, object] = {
        "row": excel_rows,
        "col": np.full(n, col.index, dtype=np.int64),
        # object, never pandas' str: with pyarrow installed str stores Arrow strings and a
        # FormulaCell (a str subclass) would come back a plain str, read as a bad value
        "cell": data[col.index].astype(object).to_numpy(),
    }
    for dim, short in (("indicator", "ind"), ("region", "reg"), ("year", "yr"), ("unit", "unit")):
        # fallbacks in order: the column's header, the sheet's title/name, --year
        fallback: tuple[str, int, int] = ("", 0, -1)
        if dim in col.dims:
            text, hrow = col.dims[dim]
            fallback = (text, hrow, col.index)
        elif dim == "unit" and col.unit:
            fallback = (col.unit, col.unit_row, col.index)
        elif dim in labels:
            lab = labels[dim]
            fallback = (lab.text, lab.row, lab.col)
        elif dim == "year" and year is not None:
            fallback = (str(year), 0, -1)
        if dim in key_cols and dim not in col.dims:
            own = key_labels[dim]
            if dim == "unit" and col.unit:
                # a unit cell contradicting the value column's own header (数值（亿元） over a
                # row saying 万元): one of the two is wrong, and choosing would be a guess. Both
                # are kept in the unit text, which converts to nothing: unit-mismatch at the cell
                header = normalise_unit(col.unit)
                other = [u for u in pd.unique(own) if u and normalise_unit(u) != header]
                clash = np.isin(own, np.array(other, dtype=object))
                own = np.where(clash, own + " ≠ " + col.unit, own)
            # the row's own cell wins; a blank one falls back, or else is pointed at as missing
            use_own = np.ones(n, dtype=bool) if fallback[0] == "" else own != ""
            if use_own.all():  # every row has its own (a long sheet): no fallback to blend in
                if own is key_labels[dim]:  # as labelled (a unit clash rewrites its texts)
                    own_dims.add(dim)
                text_arr, row_arr = own, excel_rows
                col_arr = np.full(n, key_cols[dim].index, dtype=np.int64)
            else:
                text_arr = np.where(use_own, own, np.full(n, fallback[0], dtype=object))
                row_arr = np.where(use_own, excel_rows, np.int64(fallback[1]))
                col_arr = np.where(use_own, key_cols[dim].index, np.int64(fallback[2]))
        else:
            text_arr = np.full(n, fallback[0], dtype=object)
            row_arr = np.full(n, fallback[1], dtype=np.int64)
            col_arr = np.full(n, fallback[2], dtype=np.int64)
        if dim == "unit":
            # a unit cell or the value column's header states the unit for this cell; a title's
            # 单位： line only for the sheet, so a row label's own unit overrides that one
            stated = np.full(n, bool(col.unit))
            if "unit" in key_cols:
                stated = np.where(use_own, own != "", stated)
            text_arr, row_arr, col_arr = _unit_of_row_label(out, stated, text_arr, row_arr, col_arr)
        out[dim] = text_arr
        out[f"{short}_row"] = row_arr
        out[f"{short}_col"] = col_arr
    out["note"] = notes
    out["flag"] = flags
    fmt = np.full(n, "", dtype=object)
    if formats:
        for k, r in enumerate(excel_rows):
            code = formats.get((int(r) - 1, col.index))
            if code is not None:
                fmt[k] = code
    out["fmt"] = fmt
    # Text columns stay Python objects: the checks read them as object arrays, and pandas
    # would otherwise copy each into Arrow strings and back (a tenth of a second at 110,000).
    # No copies: each column is a new array or one no one writes to after this (the note,
    # flag and row arrays are shared by a sheet's value columns), and copy=False keeps one
    # block per column instead of stacking them into 2-D blocks (10 ms at 110,000).
    frame = pd.DataFrame(
        {
            k: pd.Series(v, dtype=object, copy=False) if k in _TEXT_CELLS else v
            for k, v in out.items()
        },
        columns=list(CELL_COLUMNS),
        copy=False,
    )
    return frame, own_dims


_TEXT_CELLS = frozenset({"cell", "indicator", "region", "year", "unit", "note", "flag", "fmt"})
