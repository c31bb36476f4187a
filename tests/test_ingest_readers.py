"""Readers: the file's kind by content, encodings, delimiters, formats and the upload bounds."""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import pytest

from targets import config
from targets.ingest.readers import ReadError, decode, read_workbook, sniff_delimiter, sniff_kind
from targets.ingest.values import FormulaCell

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402

ROWS = [["地区", "年份", "数值"], ["上海", 2023, 4.34], ["江苏", 2023, "3.29"]]


def _cells(data: bytes) -> list[list[str]]:
    sheet = read_workbook(data).sheets[0]
    return [
        [("" if v is None else str(v)) for v in row] for row in sheet.cells.itertuples(index=False)
    ]


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gbk"),
     ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")],
)  # fmt: skip
def test_text_encodings(encoding: str, name: str) -> None:
    data = mf.csv_bytes(ROWS, encoding=encoding)
    book = read_workbook(data)
    assert book.kind == "text" and book.encoding == name
    assert _cells(data) == [
        ["地区", "年份", "数值"],
        ["上海", "2023", "4.34"],
        ["江苏", "2023", "3.29"],
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(delimiter: str) -> None:
    data = mf.csv_bytes(ROWS, delimiter=delimiter)
    assert read_workbook(data).delimiter == delimiter
    assert _cells(data)[1] == ["上海", "2023", "4.34"]


def test_delimiter_ignores_title_lines_and_quoted_commas() -> None:
    text = '2023年 研发投入\n地区;数值;备注\n上海;4,34;"a; b"\n江苏;3,29;x\n'
    assert sniff_delimiter(text) == ";"


def test_csv_title_row_and_blank_lines_keep_excel_row_numbers() -> None:
    data = "2023年研发投入强度\n\n地区,数值\n上海,4.34\n\n江苏,3.29\n".encode()
    cells = read_workbook(data).sheets[0].cells
    assert cells.shape == (6, 2)
    assert cells.iloc[3].tolist() == ["上海", "4.34"]  # Excel row 4
    assert cells.iloc[5].tolist() == ["江苏", "3.29"]


def test_ragged_csv_later_line_wider_than_the_sample() -> None:
    lines = ["a,b"] * 3000 + ["c,d,e,f"]
    cells = read_workbook("\n".join(lines).encode()).sheets[0].cells
    assert cells.shape == (3001, 4)
    assert cells.iloc[3000].tolist() == ["c", "d", "e", "f"]


def test_xlsx_every_sheet_with_positions() -> None:
    data = mf.xlsx_bytes({"A": [[None], [None, "x", 1.5]], "B": [["y"]]})
    book = read_workbook(data)
    assert book.kind == "xlsx" and [s.name for s in book.sheets] == ["A", "B"]
    a = book.sheets[0].cells
    assert a.iloc[1, 1] == "x" and a.iloc[1, 2] == 1.5  # B2 and C2: positions kept from A1


def test_xls_and_ods() -> None:
    assert read_workbook(mf.xls_bytes({"S": ROWS})).kind == "xls"
    assert _cells(mf.xls_bytes({"S": ROWS}))[1] == ["上海", "2023", "4.34"]
    ods = mf.ods_bytes({"S": ROWS})
    assert read_workbook(ods).kind == "ods"
    assert _cells(ods)[2][0] == "江苏"


def test_formula_without_cached_value_reads_as_a_formula_not_as_empty() -> None:
    data = mf.xlsx_bytes({"S": [["a", "b"], [1.0, "=A2*2"]]})  # openpyxl stores no cached value
    cell = read_workbook(data).sheets[0].cells.iloc[1, 1]
    assert isinstance(cell, FormulaCell) and cell == "=A2*2"


def test_merged_ranges_are_reported() -> None:
    data = mf.xlsx_bytes({"S": [["地区", "2023年"], ["上海", 1]]}, merged={"S": ["B1:C1"]})
    assert read_workbook(data).sheets[0].merged == [((0, 1), (0, 2))]


def _zip(members: dict[str, bytes]) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return bio.getvalue()


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "file-empty", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "file-unreadable", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "file-unreadable", "PNG"),
        (bytes(range(256)) * 8, "file-unreadable", "neither"),
        (b"\x00\x01\x02garbage\xff\xfe\x00", "file-unreadable", ""),
        (b"PK\x03\x04 not really a zip", "file-unreadable", "zip"),
        (
            _zip({"[Content_Types].xml": b"<Types>wordprocessingml</Types>"}),
            "file-unreadable",
            "Word",
        ),
        (
            _zip(
                {
                    "[Content_Types].xml": b'<Types><Override ContentType="application/'
                    b'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'
                }
            ),
            "file-unreadable",
            ".xlsb",
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "file-unreadable",
            "OpenDocument",
        ),
        (_zip({"hello.txt": b"hi"}), "file-unreadable", "zip archive"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "file-unreadable",
            "cannot be opened",
        ),
        (
            _zip({"[Content_Types].xml": b"spreadsheetml", "xl/workbook.xml": b"<bad"}),
            "file-unreadable",
            "",
        ),
        (b"   \n\n  ", "file-empty", ""),
    ],
)
def test_not_a_spreadsheet(data: bytes, code: str, words: str) -> None:
    with pytest.raises(ReadError) as err:
        read_workbook(data)
    assert err.value.code == code
    assert words in err.value.message


def test_kind_is_judged_by_content_not_name() -> None:
    assert sniff_kind(mf.xlsx_bytes({"S": ROWS})) == "xlsx"
    assert sniff_kind(mf.ods_bytes({"S": ROWS})) == "ods"
    assert sniff_kind(mf.xls_bytes({"S": ROWS})) == "xls"
    assert sniff_kind(b"a,b\n1,2\n") == "text"


def test_decode_refuses_binary_that_happens_to_decode() -> None:
    with pytest.raises(ReadError):
        decode(b"abc\x01\x02\x03def")


def test_bytes_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ReadError) as err:
        read_workbook(b"a,b\n" * 100)
    assert err.value.code == "file-too-large"


def test_zip_bomb_refused_from_the_central_directory_within_seconds() -> None:
    # 1 GiB of zeros compresses to about 1 MB; the bound is checked before anything is inflated
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", b"spreadsheetml")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\x00" * (1 << 24)
            for _ in range(64):
                f.write(chunk)
    data = bio.getvalue()
    assert len(data) < 5_000_000
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_workbook(data)
    assert time.perf_counter() - start < 2
    assert err.value.code == "file-too-large" and "unpacks to" in err.value.message


def test_sheet_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_SHEETS", 2)
    data = mf.xlsx_bytes({f"S{i}": ROWS for i in range(3)})
    with pytest.raises(ReadError) as err:
        read_workbook(data)
    assert err.value.code == "file-too-many-sheets"


def test_row_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_ROWS", 2)
    for data in (mf.xlsx_bytes({"S": ROWS}), mf.csv_bytes(ROWS), mf.ods_bytes({"S": ROWS})):
        with pytest.raises(ReadError) as err:
            read_workbook(data)
        assert err.value.code == "file-too-many-rows"


def test_column_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_COLUMNS", 2)
    for data in (mf.xlsx_bytes({"S": ROWS}), mf.csv_bytes(ROWS)):
        with pytest.raises(ReadError) as err:
            read_workbook(data)
        assert err.value.code == "file-too-large"


def test_a_csv_read_loads_no_workbook_scanner_and_an_xls_read_does() -> None:
    # xlrd and ElementTree are loaded when a .xls or .ods file comes: every `targets import`
    # of a CSV paid for them before
    import subprocess

    probe = (
        "import sys; from targets.ingest.readers import read_workbook; "
        "book = read_workbook(open(sys.argv[1], 'rb').read()); "
        "print(book.kind, [m for m in ('xlrd', 'xml.etree.ElementTree') if m in sys.modules])"
    )
    root = Path(__file__).resolve().parents[1]
    seen = [
        subprocess.run(
            [sys.executable, "-c", probe, str(root / "tests" / "data" / "corpus" / name)],
            capture_output=True, text=True, check=True, cwd=root,
        ).stdout.strip()
        for name in ("totals_gbk.csv", "pct_format.xls")
    ]  # fmt: skip
    assert seen == ["text []", "xls ['xlrd']"]
