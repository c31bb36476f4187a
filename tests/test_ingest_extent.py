"""targets.ingest.extent: the used area of each sheet, measured from the file before any reader
builds it. Every workbook here is written by code (openpyxl, odfpy, or part by part)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from targets.ingest import extent
from tests.data import make_fixtures as mf
from tests.test_bad_input import NS, XML, xlsx

LIMIT = 10_000


def sheet(cells: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML}<worksheet xmlns="{NS}">{dim}<sheetData>{cells}</sheetData></worksheet>'


def refusal(data: bytes, kind: str = "xlsx", limit: int = LIMIT) -> extent.AreaError:
    with pytest.raises(extent.AreaError) as info:
        extent.check_workbook(data, kind, limit)
    return info.value


def test_a_stray_cell_far_away_is_refused_at_once_and_named() -> None:
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>'
        '<row r="1000000"><c r="BXX1000000"><v>1</v></c></row>'
    )
    data = xlsx(sheet(cells, "A1:BXX1000000"))
    start = time.perf_counter()
    err = refusal(data, limit=10_000_000)
    assert time.perf_counter() - start < 1.0
    assert err.code == "file-too-many-cells" and err.sheet == "数据"
    assert err.cell == (1_000_000, extent.column_index("BXX"))
    assert "BXX1000000" in err.message and "2,000,000,000 cells" in err.message
    assert "TARGETS_MAX_CELLS" in err.message


def test_a_lying_dimension_does_not_hide_the_far_cell() -> None:
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="500"><c r="Z500"><v>2</v></c></row>'
    err = refusal(xlsx(sheet(cells, "A1:B2")))
    assert err.cell == (500, 25) and "Z500" in err.message  # 500 × 26 = 13,000 > 10,000


def test_cells_without_a_value_do_not_count() -> None:
    # a formatted empty cell (Excel writes them when a cell has a style) is no value
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="ZZ900" s="1"/></row>'
    extent.check_workbook(xlsx(sheet(cells)), "xlsx", LIMIT)


@pytest.mark.parametrize(
    "cells",
    [
        # no r attributes: rows and cells follow the one before them
        "<row>" + "<c><v>1</v></c>" * 20 + "</row>" + "<row><c><v>1</v></c></row>" * 600,
        # a '>' inside an attribute value, then the r the fast pass would miss
        '<row r="1"><c x=">" r="Z600"><v>1</v></c></row>',
        # single quotes
        "<row r='600'><c r='Z600'><v>1</v></c></row>",
        # a formula never computed: no value, but a cell the import reports at its place
        "<row r='600'><c r='Z600'><f>1+1</f></c></row>",
        # a prefixed namespace
        '<row r="600"><x:c xmlns:x="urn:x" r="Z600"><x:v>1</x:v></x:c></row>',
    ],
)
def test_cell_tags_the_fast_pass_cannot_vouch_for_are_measured_exactly(cells: str) -> None:
    err = refusal(xlsx(sheet(cells)))
    assert err.code == "file-too-many-cells"
    assert err.cell is not None and err.cell[0] >= 385  # 501 × 20 or 385 × 26 passes 10,000


def test_the_sheets_of_one_file_count_together() -> None:
    rows = [[1] * 60 for _ in range(100)]  # 6,000 cells a sheet
    one = mf.xlsx_bytes({"A": rows})
    extent.check_workbook(one, "xlsx", LIMIT)
    err = refusal(mf.xlsx_bytes({"A": rows, "B": rows}))
    assert err.sheet == "B" and "6,000 in the sheets before it" in err.message


def test_a_dtd_in_a_worksheet_is_refused_as_unreadable() -> None:
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    cells = "<row><c><v>1</v></c></row>"  # no r: the exact pass, which meets the DTD
    data = xlsx(f'{XML}{doctype}<worksheet xmlns="{NS}"><sheetData>{cells}</sheetData></worksheet>')
    assert refusal(data).code == "file-unreadable"


def test_an_ods_with_repeated_values_counts_the_repeats() -> None:
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S">'
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
        'office:value="1"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    err = refusal(bio.getvalue(), "ods", limit=10_000_000)
    assert err.sheet == "S" and "1,000,000,000 cells" in err.message


def test_an_ods_with_trailing_empty_repeats_is_measured_by_its_values() -> None:
    # LibreOffice ends every sheet with a million empty repeated rows and 1,024 empty columns
    data = mf.ods_bytes({"S": [["地区", "数值"], ["上海", 1.0]]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.xml").decode()
    padded = content.replace(
        "</table:table>",
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>',
    )
    bio = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(bio, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, padded if info.filename == "content.xml" else src.read(info))
    extent.check_workbook(bio.getvalue(), "ods", 10)  # 2 × 2 = 4 cells
    with pytest.raises(extent.AreaError):
        extent.check_workbook(bio.getvalue(), "ods", 3)


def test_the_real_area_of_an_openpyxl_workbook_passes_a_bound_it_fits() -> None:
    rows = [["地区", "指标", "年份", "数值"]] + [["上海", "研发投入强度", 2023, 4.3]] * 99
    data = mf.xlsx_bytes({"S": rows})
    extent.check_workbook(data, "xlsx", 400)
    assert refusal(data, limit=399).cell == (100, 3)
