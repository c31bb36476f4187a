"""The Excel report, read back from the file: values, formats, colours, charts, vintages."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from targets.cli import main
from targets.progress import GAP_COLUMNS, STATUS_COLOURS
from targets.reports import write_report
from targets.reports.text import TEXT
from targets.reports.xlsx import GAP_SHEET_KEYS, display_width
from targets.tracker import Tracker
from tests.conftest import ROOT
from tests.fixtures import build_fixture_db


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


@pytest.fixture
def xlsx_path(tracker: Tracker, tmp_path: Path) -> Path:
    return write_report(tracker, tmp_path / "gaps.xlsx", lang="zh", milestone=2025)


def _gap_sheet(path: Path) -> Worksheet:
    wb = load_workbook(path)
    return wb[TEXT["zh"]["sheet_gaps"]]


# openpyxl writes floats with 16 significant digits ("%.16g"), Excel keeps 15: equal to the last
# representable digit, never rounded to the displayed decimals
REL = 1e-15


def _same(cell: object, expected: object) -> bool:
    """A cell equals a frame value: missing is an empty cell, numbers to full precision."""
    if expected is None or expected == "" or (isinstance(expected, float) and math.isnan(expected)):
        return cell is None  # an empty text is an empty cell too
    if isinstance(expected, float):
        return isinstance(cell, int | float) and float(cell) == pytest.approx(expected, rel=REL)
    return cell == expected


def test_gap_sheet_values_equal_the_gap_table(tracker: Tracker, xlsx_path: Path) -> None:
    ws = _gap_sheet(xlsx_path)
    gaps = tracker.gaps(milestone=2025)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(gaps)
    for sheet_row, expected in zip(rows, gaps.astype(object).to_dict("records"), strict=True):
        for col in GAP_COLUMNS:
            value = None if expected[col] is pd.NA else expected[col]
            cell = sheet_row[GAP_SHEET_KEYS.index(col)]
            assert _same(cell, value), (col, cell, value)


def test_gap_sheet_equals_the_cli_json(tracker: Tracker, xlsx_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--db", tracker.db_url, "--catalogue", str(ROOT / "indicators.yaml"),
         "gaps", "--milestone", "2025", "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    rows = list(_gap_sheet(xlsx_path).iter_rows(min_row=2, values_only=True))
    assert len(records) == len(rows) > 0
    for record, row in zip(records, rows, strict=True):
        for key, value in record.items():
            if key in GAP_COLUMNS:  # the contract's numbers (the CLI adds words after them)
                assert _same(row[GAP_SHEET_KEYS.index(key)], value), (key, value)


def test_gap_sheet_layout(xlsx_path: Path) -> None:
    ws = _gap_sheet(xlsx_path)
    header = [c.value for c in ws[1]]
    assert header[:3] == ["指标", "地区", "状态"]
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{ws.max_row}"
    by_key = {k: i + 1 for i, k in enumerate(GAP_SHEET_KEYS)}
    row = next(
        r for r in range(2, ws.max_row + 1)
        if ws.cell(r, by_key["indicator"]).value == "rd_intensity"
        and ws.cell(r, by_key["region"]).value == "anhui"
    )  # fmt: skip
    # numbers are numbers, formatted per the indicator's decimals (R&D intensity: 2)
    assert ws.cell(row, by_key["value"]).value == 2.69
    assert ws.cell(row, by_key["value"]).number_format == "#,##0.00"
    assert ws.cell(row, by_key["progress"]).number_format == "0%"
    assert ws.cell(row, by_key["actual_rate"]).number_format == "0.0%"
    assert ws.cell(row, by_key["year"]).number_format == "0"
    # status as symbol + text, beside its code
    assert (
        ws.cell(row, by_key["status_text"]).value == "◆ 进展一般 · ※ 对标：规划为长三角设定此目标"
    )
    assert ws.cell(row, by_key["role_text"]).value == "对标"
    assert ws.cell(row, by_key["goal_scope_name"]).value == "长三角"
    assert ws.cell(row, by_key["status"]).value == "moderate"
    pct = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, by_key["indicator"]).value == "pct_applications"
    )
    assert ws.cell(pct, by_key["value"]).number_format == "#,##0"


def test_status_colours_are_conditional_formats_on_the_status_column(xlsx_path: Path) -> None:
    ws = _gap_sheet(xlsx_path)
    text_col = ws.cell(1, GAP_SHEET_KEYS.index("status_text") + 1).column_letter
    code_col = ws.cell(1, GAP_SHEET_KEYS.index("status") + 1).column_letter
    rules = {}
    for cf in ws.conditional_formatting:
        assert str(cf.sqref) == f"{text_col}2:{text_col}{ws.max_row}"
        for rule in cf.rules:
            [formula] = rule.formula
            status = formula.split('"')[1]
            assert formula == f'${code_col}2="{status}"'
            rules[status] = rule.dxf.fill.fgColor.rgb
    assert rules == {s: "FF" + bg.lstrip("#").upper() for s, (bg, _) in STATUS_COLOURS.items()}


def test_column_widths_fit_chinese_text(xlsx_path: Path) -> None:
    ws = _gap_sheet(xlsx_path)
    names = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    widest = max(display_width(str(n)) for n in names)
    # CJK characters count double: a 12-character name needs about 24 units, not 12
    assert widest >= 2 * max(len(str(n)) for n in names) - 4
    assert ws.column_dimensions["A"].width >= widest
    assert display_width("研发ab") == 6


def test_every_cell_reads_back_clean(xlsx_path: Path) -> None:
    wb = load_workbook(xlsx_path)
    assert wb.sheetnames[:2] == ["摘要", "差距表"]
    assert wb.sheetnames[-1] == "出处与数据版本"
    assert {"科创产业", "生态环境"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(v, float):
                    assert math.isfinite(v), (ws.title, cell.coordinate)
                if isinstance(v, str):
                    assert v not in ("nan", "None", "<NA>", "NaT"), (ws.title, cell.coordinate)


def test_category_sheets_hold_native_line_charts_against_the_goal(xlsx_path: Path) -> None:
    with zipfile.ZipFile(xlsx_path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = [z.read(n).decode() for n in charts]
    # one chart per indicator with values: urbanisation, R&D, PM2.5, life expectancy, PCT
    assert len(charts) == 5
    assert all("<lineChart>" in x for x in xml)
    assert all('prstDash val="dash"' in x for x in xml)  # the goal line
    wb = load_workbook(xlsx_path)
    ws = wb["科创产业"]
    cells = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert "研发投入强度（%）" in cells
    assert "目标 > 3.00" in cells
    assert {"上海", "江苏", "浙江", "安徽", "长三角"} <= cells


def test_summary_and_vintages_with_dates(tracker: Tracker, xlsx_path: Path) -> None:
    wb = load_workbook(xlsx_path)
    summary = {(c.row, c.column): c.value for row in wb["摘要"].iter_rows() for c in row}
    values = list(summary.values())
    assert values[0] == "长三角一体化发展目标差距报告（2025年目标）"
    assert "◆ 进展一般" in values and "预计未能实现的目标" in values
    assert "较上年变化最大的指标" in values
    [stored] = tracker.store.imports()
    ws = wb["出处与数据版本"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == stored.id)
    assert row[1] == "fixture.csv"
    assert isinstance(row[2], datetime) and row[2].date() >= stored.created_at.date()
    cells = [c.value for r in ws.iter_rows() for c in r]
    assert "长江三角洲区域一体化发展规划纲要" in cells


def test_english_workbook(tracker: Tracker, tmp_path: Path) -> None:
    path = write_report(tracker, tmp_path / "en.xlsx", lang="en", milestone=2025)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Summary", "Gaps"]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert wb["Gaps"].cell(1, 1).value == "Indicator"


def test_libreoffice_opens_it(xlsx_path: Path, tmp_path: Path) -> None:
    """LibreOffice converts the workbook without complaint (skipped where it is not installed,
    except under CI, which installs it)."""
    from conftest import require

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require(
        soffice is not None, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
    )
    assert soffice is not None
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(xlsx_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out / "gaps.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "研发投入强度" in text


def test_analysis_sheets_store_numbers_as_numbers_and_text_as_text(tmp_path: Path) -> None:
    """The contribution sheet (bundled data: the fixture has no regional contributions): each
    share a number shown as a percentage, what it is a share of in its own text column; no text
    starts with an apostrophe unless it would run as a formula ("'-189.3% 占全域差距" was)."""
    from targets.bundled import ensure_bundled
    from targets.formula_injection import runs_as_formula

    tracker = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tracker)
    wb = load_workbook(write_report(tracker, tmp_path / "g.xlsx", lang="zh", milestone=2025))
    zh = TEXT["zh"]
    ws = wb[zh["sheet_contribution"]]
    header = [c.value for c in ws[3]]
    assert header[:7] == [zh[k] for k in ("indicator", "contrib_year", "region", "value_num",
                                          "unit", "share_num", "share_of")]  # fmt: skip
    rows = [r for r in ws.iter_rows(min_row=4) if r[0].value]
    assert rows
    expected = {
        (ind, reg): frame.set_index("region")
        for ind, _, frame in tracker.regional_contributions()
        for reg in frame["region"]
    }
    names = {ind.name.get("zh"): ind.id for ind in tracker.catalogue}
    region_ids = {
        tracker.regions.name(r, "zh"): r for r in ("shanghai", "jiangsu", "zhejiang", "anhui")
    }
    checked = 0
    for r in rows:
        value, share, share_of = r[3], r[5], r[6]
        # an empty cell where the region has no value that year
        assert value.value is None or (
            value.data_type == "n" and isinstance(value.value, int | float)
        )
        assert value.number_format.startswith("#,##0")
        assert share.data_type == "n" and share.number_format == "0.0%"
        assert share_of.value in ("占全域差距", "占总量") and share_of.data_type == "s"
        ind, reg = names[r[0].value], region_ids[r[2].value]
        frame = expected[(ind, reg)]
        col = "share_of_gap" if share_of.value == "占全域差距" else "share_of_total"
        assert share.value == pytest.approx(frame.loc[reg, col], rel=REL)
        checked += 1
    assert checked == len(rows)
    # the assessment sheet: the margin a number, signed by the data, not a text "+1.2 (…)"
    ws = wb[zh["sheet_assessment"]]
    header = [c.value for c in ws[3]]
    margin = header.index(zh["margin_num"])
    margins = [r[margin] for r in ws.iter_rows(min_row=4) if r[margin].value is not None]
    assert margins and all(c.data_type == "n" for c in margins)
    # ... and its latest value: a number, its unit and its year, not "2.08 倍（农村=1） (2023)"
    value, unit, year = (header.index(zh[k]) for k in ("value_num", "unit", "value_year"))
    shanghai_income = next(
        r for r in ws.iter_rows(min_row=4) if (r[0].value, r[1].value) == ("城乡居民收入比", "上海")
    )
    assert (
        shanghai_income[value].value == 2.08 and shanghai_income[value].number_format == "#,##0.00"
    )
    assert shanghai_income[unit].value == "倍（农村=1）" and shanghai_income[unit].data_type == "s"
    assert shanghai_income[year].value == 2023 and shanghai_income[year].number_format == "0"
    # the convergence sheet: years, cv and max/min as numbers equal to Tracker.convergence
    ws = wb[zh["sheet_convergence"]]
    header = [c.value for c in ws[3]]
    assert header == [zh[k] for k in ("indicator", "first_year", "last_year", "cv_first", "cv_last",
                                      "maxmin_first", "maxmin_last", "trend")]  # fmt: skip
    conv = tracker.convergence("province").set_index("indicator")
    names = {ind.name.get("zh"): ind.id for ind in tracker.catalogue}
    measured = 0
    for r in ws.iter_rows(min_row=4):
        want = conv.loc[names[r[0].value]]
        if pd.isna(want["cv_first"]):
            assert [c.value for c in r[1:7]] == [None] * 6
            continue
        assert [c.value for c in r[1:3]] == [want["first_year"], want["last_year"]]
        assert [c.number_format for c in r[1:7]] == ["0", "0", "0.000", "0.000", "0.00", "0.00"]
        for c, col in zip(
            r[3:7], ("cv_first", "cv_last", "maxmin_first", "maxmin_last"), strict=True
        ):
            assert c.data_type == "n" and c.value == pytest.approx(want[col], rel=REL)
        measured += 1
    assert measured >= 3  # R&D intensity, urbanisation, the income ratio have provinces' values
    # every sheet: a number is a numeric cell with a number format, never text that only looks
    # like one ("2020", "2018–2023", "0.066 → 0.065"); no visible apostrophe on text a
    # spreadsheet would read as text anyway
    numberish = re.compile(r"^[\s+\-−–→.,%\d()]*\d[\s+\-−–→.,%\d()]*$")
    numbers = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                where = (sheet.title, c.coordinate, c.value)
                if c.data_type == "n" and c.value is not None:
                    assert isinstance(c.value, int | float), where
                    assert c.number_format != "General", where
                    numbers += 1
                if isinstance(c.value, str):
                    assert c.data_type == "s", where
                    assert not numberish.match(c.value.removeprefix("'")), where
                    if c.value.startswith("'"):
                        assert runs_as_formula(c.value[1:]), where
    assert numbers > 500
    # the vintages in Chinese: the bundled import's note and its state are this tool's words
    texts = {c.value for sheet in wb.worksheets for row in sheet.iter_rows() for c in row}
    assert {"内置公开统计数据", "生效"} <= texts
    assert not texts & {"bundled public statistics", "active", "reverted"}
    assert not any(isinstance(v, str) and "compiled from a public repost" in v for v in texts)
