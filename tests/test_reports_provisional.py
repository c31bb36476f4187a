"""A verdict resting on a flagged value reads as provisional (初步) in every report format,
with the reason: CSV, Excel, HTML and PDF, on the bundled statistics."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from targets.bundled import ensure_bundled
from targets.reports import render_report
from targets.reports.xlsx import GAP_SHEET_KEYS
from targets.tracker import Tracker
from tests.conftest import ROOT, require

APPROX_ZH = "约数（左右/超过/突破），实际值经取整或只给出界限（2025年数值）"


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Tracker:
    url = f"sqlite:///{tmp_path_factory.mktemp('prov') / 'b.db'}"
    tracker = Tracker(db_url=url, catalogue_path=ROOT / "indicators.yaml")
    ensure_bundled(tracker)
    return tracker


def test_csv_and_excel_carry_the_flag_and_the_reason(tracker: Tracker) -> None:
    raw = render_report(tracker, "csv", milestone=2025, regions=["shanghai", "jiangsu"])
    rows = {(r["indicator"], r["region"]): r
            for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}  # fmt: skip
    rd = rows[("rd_intensity", "shanghai")]
    assert (rd["status"], rd["provisional"], rd["provisional_reason"]) == (
        "achieved", "True", APPROX_ZH,
    )  # fmt: skip
    final = rows[("rd_intensity", "jiangsu")]
    assert (final["provisional"], final["provisional_reason"]) == ("False", "")

    data = render_report(tracker, "xlsx", milestone=2025, regions=["shanghai"], lang="en")
    wb = load_workbook(io.BytesIO(data))
    ws = next(ws for ws in wb.worksheets if ws.title == "Gaps")
    col = {k: i for i, k in enumerate(GAP_SHEET_KEYS)}
    got = {(r[col["indicator"]], r[col["region"]]): r for r in ws.iter_rows(min_row=2, values_only=True)}  # fmt: skip
    row = got[("rd_intensity", "shanghai")]
    assert row[col["provisional"]] is True
    assert str(row[col["provisional_reason"]]).startswith("an approximate figure")


def test_html_and_pdf_say_provisional_beside_the_status(tracker: Tracker, tmp_path: Path) -> None:
    html = render_report(tracker, "html", milestone=2025, regions=["shanghai"]).decode()
    # the gap table's row of Shanghai's R&D intensity: its status cell ends with the mark
    row = html[html.index('id="gaps"') :]
    row = row[row.index("研发投入强度<span") :]
    row = row[: row.index("</tr>")]
    status = row[row.index('class="status status-achieved"') :]
    assert "已实现" in status and status.endswith("初步（约数）</span></td>")
    assert "初步" in html and APPROX_ZH in html  # the assessment table and the drafted text
    pdf = render_report(tracker, "pdf", milestone=2025, regions=["shanghai"], lang="en")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    require(subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0,
            "pdftotext (poppler-utils) is not installed")  # fmt: skip
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "provisional (approximate)" in " ".join(text.split())
