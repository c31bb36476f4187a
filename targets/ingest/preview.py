"""The cells of a refused file to show beside its errors: a bounded excerpt of each sheet with
located errors (its first rows, every row with an error up to a bound, its first columns), made
where the file is read. Showing it never means reading the file again, and an excerpt is all that
leaves the process that read the file (isolation.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from targets.ingest.readers import Workbook
from targets.issues import Issue, column_letter

ROWS = 100  # first rows of a sheet shown, plus every row with an error (up to EXTRA_ROWS)
EXTRA_ROWS = 200
COLUMNS = 40
SHEETS = 10
CHARS = 200  # a longer cell is shown cut, with an ellipsis


@dataclass(frozen=True)
class SheetPreview:
    """Part of one sheet as text: `rows` are Excel row numbers, `columns` Excel letters."""

    sheet: str  # as the issues name it ("" for a CSV)
    rows: list[int]
    columns: list[str]
    cells: list[list[str]]  # one list per shown row, one text per shown column
    total_rows: int


def cell_text(value: object) -> str:
    """A cell as the preview shows it: 2023.0 -> "2023", empty -> "", long text cut."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= CHARS else text[:CHARS] + "…"


def sheet_previews(book: Workbook, issues: list[Issue]) -> list[SheetPreview]:
    """An excerpt of each sheet (of the first SHEETS) that has an error located in it."""
    located = [i for i in issues if i.row is not None or i.column]
    previews = []
    for n, sheet in enumerate(book.sheets[:SHEETS]):
        mine = [i for i in located if i.sheet == sheet.name or (not i.sheet and n == 0)]
        if not mine:
            continue
        cells = sheet.cells
        n_rows, n_cols = cells.shape
        bad_rows = sorted({i.row for i in mine if i.row is not None})
        shown = list(range(min(n_rows, ROWS)))
        shown += [r - 1 for r in bad_rows if ROWS < r <= n_rows][:EXTRA_ROWS]
        width = min(n_cols, COLUMNS)
        previews.append(
            SheetPreview(
                sheet=sheet.name,
                rows=[i + 1 for i in shown],
                columns=[column_letter(j) for j in range(width)],
                cells=[[cell_text(cells.iat[i, j]) for j in range(width)] for i in shown],
                total_rows=n_rows,
            )
        )
    return previews
