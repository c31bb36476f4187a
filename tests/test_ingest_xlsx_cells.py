"""Formats and never-computed formulas read from an .xlsx package's XML."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from targets.ingest.xlsx_cells import cell_index, scan_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402


def _with_sheet(data: bytes, sheet_xml: str) -> bytes:
    """The same package with sheet1's XML replaced (as other writers spell it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml.encode()
            dst.writestr(info, body)
    return out.getvalue()


def test_cell_references() -> None:
    assert cell_index("B3") == (2, 1)
    assert cell_index("$AA$10") == (9, 26)
    assert cell_index("3B") is None


def test_formatted_numbers_and_formulas_from_openpyxl() -> None:
    data = mf.xlsx_bytes(
        {"S": [["a", "b"], ["x", 0.0329], ["y", "=B2*2"], ["z", "text"]]},
        formats={"S": {"B2": "0.00%", "B4": "0.00%"}},
    )
    found = scan_xlsx(data)["S"]
    assert found.formats == {(1, 1): "0.00%"}  # the text cell's format shows nothing
    assert found.numbers == {(1, 1): 0.0329}
    assert found.uncomputed == {(2, 1): "=B2*2"}


def test_prefixed_elements_shared_formulas_and_empty_string_results() -> None:
    base = mf.xlsx_bytes({"S": [["a"]]}, formats={"S": {"A1": "0.00%"}})
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<x:worksheet xmlns:x="{ns}"><x:sheetData><x:row r="1">'
        '<x:c r="A1" s="1"><x:v>0.5</x:v></x:c>'
        '<x:c r="B1"><x:f t="shared" ref="B1:B2" si="0">A1*2</x:f></x:c>'
        '<x:c r="C1" t="str"><x:f>IF(A1&gt;1,"x","")</x:f><x:v></x:v></x:c>'
        '</x:row><x:row r="2"><x:c r="B2"><x:f t="shared" si="0"/></x:c>'
        '<x:c r="C2"><x:f>A1+1</x:f><x:v>1.5</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    found = scan_xlsx(_with_sheet(base, sheet))["S"]
    assert found.numbers == {(0, 0): 0.5}
    # a formula whose result is "" (t="str") and one with a cached value are computed
    assert found.uncomputed == {(0, 1): "=A1*2", (1, 1): "=(shared formula)"}


def test_a_plain_workbook_has_nothing_to_report() -> None:
    assert scan_xlsx(mf.xlsx_bytes({"S": [["a", 1.5]]})) == {}


def test_cells_spelled_otherwise_are_read_all_the_same() -> None:
    base = mf.xlsx_bytes({"S": [["a"]]}, formats={"S": {"A1": "0.00%"}})
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<worksheet xmlns="{ns}"><sheetData>'
        '<row r="1" s="1" customFormat="1"><c r="A1" s="1" t="n"><v>0.25</v></c></row>'
        '<row r="2"><c r="A2"\ts="1"><v>0.5</v></c><c s="1" r="B2"><v>0.75</v></c></row>'
        "</sheetData></worksheet>"
    )
    found = scan_xlsx(_with_sheet(base, sheet))["S"]
    assert found.numbers == {(0, 0): 0.25, (1, 0): 0.5, (1, 1): 0.75}


def _hiding_workbook() -> bytes:
    """A real openpyxl file hiding a sheet, a very hidden sheet, a row and columns."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in [["地区", "2022年", "2023年"], ["上海", 1.0, 2.0], ["安徽", 3.0, 4.0]]:
        ws.append(row)
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["C"].hidden = True
    wb.create_sheet("H").append(["地区", "研发投入强度(%)"])
    wb["H"].sheet_state = "hidden"
    wb.create_sheet("V").sheet_state = "veryHidden"
    wb.create_sheet("Plain").append(["a", 1.5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_hidden_sheets_rows_and_columns() -> None:
    found = scan_xlsx(_hiding_workbook())
    assert (found["S"].state, found["S"].hidden_rows, found["S"].hidden_cols) == ("", [2], [(2, 2)])
    assert (found["H"].state, found["H"].hidden_rows, found["H"].hidden_cols) == ("hidden", [], [])
    assert found["V"].state == "veryHidden"
    assert "Plain" not in found  # a sheet that hides nothing costs nothing
