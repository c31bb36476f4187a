"""Hostile and broken uploads through `import_files` into a real store: every one is refused with a
registered code, in bounded time and memory, and writes nothing. Plus a fuzz of the layout
detector: random grids never raise, and every stored value was in the input.

Every file here is made by code.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import random
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets import config
from targets.ingest import import_files, parse_value, read_upload
from targets.issues import CODES
from targets.store import Store

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 10.0
MAX_GROWTH_MB = 500

# -- a minimal .xlsx written part by part, so each part can be made hostile ---------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XML = '<?xml version="1.0" encoding="UTF-8"?>'
# nine levels of ten: &lol9; would expand to 10^9 "lol"s (3 GB) in a parser that expands entities
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
HEADER: list[Any] = ["地区", "指标", "年份", "数值"]
GOOD: list[list[Any]] = [
    HEADER,
    ["上海", "研发投入强度", 2023, 4.34],
    ["江苏", "研发投入强度", 2023, 3.29],
]


def xlsx(
    sheet_xml: str,
    shared_xml: str | None = None,
    *,
    main: str = MAIN,
    vba: bytes | None = None,
) -> bytes:
    """A one-sheet workbook from its sheet XML (and shared strings, and a VBA project)."""
    overrides = [
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>',
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    ]
    rels = [f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared_xml is not None:
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    if vba is not None:
        overrides.append(
            '<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        )
        rels.append(
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/'
            'vbaProject" Target="vbaProject.bin"/>'
        )
    types = (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
    )
    parts = {
        "[Content_Types].xml": types,
        "_rels/.rels": f'{XML}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_xml is not None:
        parts["xl/sharedStrings.xml"] = shared_xml
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        if vba is not None:
            zf.writestr("xl/vbaProject.bin", vba)
    return bio.getvalue()


def cell_xml(ref: str, value: Any) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[list[Any]], doctype: str = "") -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell_xml(f"{'ABCDEFGH'[c]}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    return f'{XML}{doctype}<worksheet xmlns="{NS}"><sheetData>{body}</sheetData></worksheet>'


def csv_text(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


# -- the corpus ----------------------------------------------------------------------------------


def truncated_xlsx() -> bytes:
    data = xlsx(sheet_xml(GOOD))
    return data[: len(data) // 2]


def bomb_over_small_bound() -> bytes:
    """A real sheet whose XML (≈ 200 KB) passes the 50 KB bound that the case sets."""
    rows: list[list[Any]] = [HEADER] + [
        ["上海", "研发投入强度", 1950 + i % 150, 4.0] for i in range(2000)
    ]
    return xlsx(sheet_xml(rows))


@functools.cache
def bomb_one_gib() -> bytes:
    """1 GiB of zeros as the sheet, deflated to about 1 MB."""
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", f'{XML}<Types><Override ContentType="{MAIN}"/></Types>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(1 << 24)
            for _ in range(64):
                member.write(chunk)
    return bio.getvalue()


def bomb_lying_header() -> bytes:
    """128 MiB of whitespace inside valid sheet XML, declared in both zip headers as 1,000
    bytes: the size bound cannot see it, so the reader must stop at the declared size."""
    name = b"xl/worksheets/sheet1.xml"
    good = zipfile.ZipFile(io.BytesIO(xlsx(sheet_xml(GOOD))))
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in good.infolist():
            if info.filename != name.decode():
                zf.writestr(info.filename, good.read(info))
                continue
            with zf.open(info.filename, "w") as member:
                member.write(f'{XML}<worksheet xmlns="{NS}"><sheetData>'.encode())
                for _ in range(8):
                    member.write(b" " * (1 << 24))
                member.write(b"</sheetData></worksheet>")
    data = bytearray(bio.getvalue())
    # (signature, offset of the name length, offset of the name, offset of the size field)
    for sig, n_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        pos = data.find(sig)
        while pos >= 0:
            (n,) = struct.unpack_from("<H", data, pos + n_at)
            if data[pos + name_at : pos + name_at + n] == name:
                struct.pack_into("<I", data, pos + size_at, 1000)
            pos = data.find(sig, pos + 4)
    return bytes(data)


def laughs_in_sheet() -> bytes:
    rows: list[list[Any]] = [HEADER, ["&lol9;", "研发投入强度", 2023, 4.34]]
    return xlsx(sheet_xml(rows, LAUGHS))


def laughs_in_shared_strings() -> bytes:
    shared = (
        f'{XML}{LAUGHS}<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    sheet = (
        f'{XML}<worksheet xmlns="{NS}"><sheetData><row r="1">'
        + "".join(cell_xml(f"{'ABCD'[c]}1", v) for c, v in enumerate(HEADER))
        + '</row><row r="2"><c r="A2" t="s"><v>0</v></c>'
        + cell_xml("B2", "研发投入强度") + cell_xml("C2", 2023) + cell_xml("D2", 4.34)
        + "</row></sheetData></worksheet>"
    )  # fmt: skip
    return xlsx(sheet, shared)


def pdf_named_xlsx() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def million_columns_csv() -> bytes:
    return (",".join(f"c{i}" for i in range(1_000_000)) + "\n").encode()


def garbage_csv() -> bytes:
    return csv_text(GOOD).encode() + random.Random(6).randbytes(20_000)


def nul_csv() -> bytes:
    return csv_text(GOOD).replace("研发投入强度", "研发\x00投入\x00强度").encode()


def nul_padded_csv() -> bytes:
    """A file whose end was never written (a crash leaves NULs where the data should be)."""
    return csv_text(GOOD).encode() + bytes(8192)


def formulas_only_xlsx() -> bytes:
    """A formula in every cell and no cached value (as written by a script, never recalculated)."""
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}"><f>ROW()*{c + 1}</f></c>' for c, col in enumerate("ABCD"))
        + "</row>"
        for r in range(1, 21)
    )
    return xlsx(f'{XML}<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>')


# name -> (bytes maker, the codes a refusal may carry, a MAX_UNCOMPRESSED_BYTES to set or None)
CASES: dict[str, tuple[Callable[[], bytes], set[str], int | None]] = {
    "truncated.xlsx": (truncated_xlsx, {"file-unreadable"}, None),
    "bomb_bound.xlsx": (bomb_over_small_bound, {"file-too-large"}, 50_000),
    "bomb_1gib.xlsx": (bomb_one_gib, {"file-too-large"}, None),
    "bomb_lying.xlsx": (bomb_lying_header, {"file-unreadable"}, None),
    "laughs_sheet.xlsx": (laughs_in_sheet, {"file-unreadable"}, None),
    "laughs_shared.xlsx": (laughs_in_shared_strings, {"file-unreadable"}, None),
    "report.pdf.xlsx": (pdf_named_xlsx, {"file-unreadable"}, None),
    "empty.csv": (lambda: b"", {"file-empty"}, None),
    "wide.csv": (million_columns_csv, {"file-too-large"}, None),
    "garbage.csv": (garbage_csv, {"file-unreadable"}, None),
    "nul.csv": (nul_csv, {"file-unreadable"}, None),
    "nul_padded.csv": (nul_padded_csv, {"file-unreadable"}, None),
    "formulas.xlsx": (formulas_only_xlsx, {"formula-not-computed"}, None),
}


@pytest.fixture
def store(sqlite_url: str):  # type: ignore[no-untyped-def]
    s = Store(sqlite_url)
    yield s
    s.dispose()


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_is_refused_quickly_and_writes_nothing(
    name: str,
    store: Store,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make, codes, bound = CASES[name]
    if bound is not None:
        monkeypatch.setattr(config, "MAX_UNCOMPRESSED_BYTES", bound)
    data = make()
    start = time.perf_counter()
    result = import_files(store, catalogue, regions, [(name, data)])
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS, f"{name} took {elapsed:.1f} s"
    (fr,) = result.report.files
    assert not result.report.ok and fr.import_id is None and fr.rows == 0
    got = {e.code for e in fr.errors}
    assert got and got <= codes, [str(e) for e in fr.errors]
    assert got <= set(CODES)
    assert all(e.message and e.file == name for e in fr.errors)
    if name.startswith("nul"):
        assert "NUL bytes" in fr.errors[0].message
    assert store.imports() == []
    assert store.observations(in_force=False).empty


def test_zip_bomb_is_refused_before_inflating(
    store: Store,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
) -> None:
    data = bomb_one_gib()
    assert len(data) < 5_000_000
    start = time.perf_counter()
    result = import_files(store, catalogue, regions, [("bomb.xlsx", data)])
    # inflating 1 GiB takes seconds; reading the central directory takes milliseconds
    assert time.perf_counter() - start < 1.0
    (err,) = result.report.files[0].errors
    assert err.code == "file-too-large" and "unpacks to 1,07" in err.message


# The memory bound: every case in one fresh interpreter, each case's peak RSS against the baseline.
# ru_maxrss is a high-water mark, so the peak after case k bounds the growth of cases 1..k.
MEMORY_CHILD = """
    import json, resource, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import test_bad_input as t
    from targets import config
    from targets.catalogue import load_catalogue
    from targets.ingest import import_files
    from targets.regions import load_regions
    from targets.store import Store

    catalogue = load_catalogue(Path(sys.argv[2]))
    regions = load_regions()
    store = Store(sys.argv[3])
    default = config.MAX_UNCOMPRESSED_BYTES
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    store.imports()  # the engine and schema are ready before the baseline
    out = {"baseline": peak()}
    for name, (make, codes, bound) in t.CASES.items():
        config.MAX_UNCOMPRESSED_BYTES = default if bound is None else bound
        result = import_files(store, catalogue, regions, [(name, make())])
        out[name] = [peak(), result.report.ok]
    print(json.dumps(out))
"""


def test_hostile_files_stay_within_memory(sqlite_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MEMORY_CHILD), str(Path(__file__).parent),
         str(ROOT / "indicators.yaml"), sqlite_url],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    baseline = out.pop("baseline")
    assert set(out) == set(CASES)
    for name, (peak_mb, ok) in out.items():
        assert not ok, name
        assert peak_mb - baseline < MAX_GROWTH_MB, f"{name}: +{peak_mb - baseline} MB"


def test_macro_workbook_is_read_for_values_and_its_macros_never_run(
    store: Store,
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    marker = tmp_path / "macro-ran"
    # an OLE2 header and VBA source that would leave a file behind if anything ran it
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    vba += f'Sub Workbook_Open()\n  Shell "touch {marker}"\nEnd Sub\n'.encode()
    data = xlsx(sheet_xml(GOOD), main=MACRO_MAIN, vba=vba)
    result = import_files(store, catalogue, regions, [("macros.xlsm", data)])
    (fr,) = result.report.files
    assert fr.errors == [] and fr.rows == 2 and fr.import_id is not None
    obs = store.observations()
    got = sorted((r.region, r.indicator, int(r.year), float(r.value)) for r in obs.itertuples())
    assert got == [
        ("jiangsu", "rd_intensity", 2023, 3.29),
        ("shanghai", "rd_intensity", 2023, 4.34),
    ]
    assert not marker.exists()


# -- fuzz of the layout detector and pipeline ------------------------------------------------

WORDS = [
    "地区", "指标", "年份", "数值", "单位", "上海", "江苏", "浙江", "安徽", "长三角", "合肥市",
    "苏州", "研发投入强度", "常住人口城镇化率", "地区生产总值", "PM2.5", "2019", "2020年",
    "2023", "2035", "—", "-", "", "合计", "注：", "%", "亿元", "n/a", "=SUM(A1)", "\t",
]  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(WORDS),
    st.integers(min_value=-10, max_value=200_000).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    st.text(max_size=6),
)
REGIONS = ["上海", "江苏", "浙江", "安徽", "长三角", "合肥市", "苏州市", "南京", "上海市"]
INDICATORS = ["研发投入强度", "常住人口城镇化率", "地区生产总值", "单位GDP能耗", "城乡居民收入比"]
YEARS = st.integers(1990, 2035).map(lambda y: str(y) if y % 2 else f"{y}年")
# inside the valid range of every indicator listed
NUMBERS = st.floats(min_value=0.5, max_value=5, allow_nan=False).map(lambda f: f"{f:.2f}")


def mostly(good: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`good` nineteen times in twenty, else any cell: files that are mostly well formed."""
    return st.tuples(st.integers(0, 19), good, CELLS).map(lambda t: t[2] if t[0] == 0 else t[1])


# 1. anything; 2. the long layout with its header; 3. a title naming the indicator over a table
# of regions by years. The last two give stored rows often enough for the value check to bite.
RANDOM_GRIDS = st.integers(1, 6).flatmap(
    lambda w: st.lists(st.lists(CELLS, min_size=w, max_size=w), min_size=1, max_size=8)
)
LONG_GRIDS = st.lists(
    st.tuples(mostly(st.sampled_from(REGIONS)), mostly(st.sampled_from(INDICATORS)),
              mostly(YEARS), mostly(NUMBERS)).map(list),
    min_size=1, max_size=6,
).map(lambda rows: [["地区", "指标", "年份", "数值"], *rows])  # fmt: skip
WIDE_GRIDS = st.tuples(
    st.sampled_from(INDICATORS),
    st.lists(YEARS, min_size=1, max_size=4, unique=True),
    st.lists(st.tuples(st.sampled_from(REGIONS), st.lists(mostly(NUMBERS), min_size=4, max_size=4)),
             min_size=1, max_size=5),
).map(lambda t: [[t[0]], ["地区", *t[1]], *[[r, *v[: len(t[1])]] for r, v in t[2]]])  # fmt: skip
GRIDS = st.one_of(RANDOM_GRIDS, LONG_GRIDS, WIDE_GRIDS)


def input_numbers(grid: list[list[str]]) -> list[float]:
    """Every number a cell of the grid can be read as (as written, or as a percentage)."""
    out: list[float] = []
    for row in grid:
        for cell in row:
            for hint in (None, "%"):
                pv = parse_value(cell, unit_hint=hint)
                if pv.value is not None:
                    out.append(pv.value)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=GRIDS)
def test_random_grids_never_raise_and_store_only_input_values(
    grid: list[list[str]],
    catalogue,  # type: ignore[no-untyped-def]
    regions,  # type: ignore[no-untyped-def]
) -> None:
    # csv.writer quotes what must be quoted; text that is not UTF-8-encodable is skipped
    try:
        data = csv_text(grid).encode("utf-8")
    except UnicodeEncodeError:
        return
    up = read_upload(data, "fuzz.csv", catalogue, regions)
    assert up.ok or up.rows.empty
    assert all(e.code in CODES for e in up.issues)
    numbers = input_numbers(grid)
    for value in up.rows["value"]:
        assert any(value == pytest.approx(n, rel=1e-9) for n in numbers), (value, grid)
