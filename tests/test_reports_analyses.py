"""The final-assessment and convergence sections of the report: model, Excel sheets, HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from targets.reports import write_report
from targets.reports.analyses import ASSESSMENT_TABLE_COLUMNS, CONVERGENCE_TABLE_COLUMNS
from targets.reports.html import to_html
from targets.reports.model import build_report
from targets.reports.text import TEXT
from targets.tracker import Tracker
from tests.fixtures import build_fixture_db


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


def test_model_words_the_tracker_assessment(tracker: Tracker) -> None:
    report = build_report(tracker, lang="en", milestone=2025)
    assert len(report.assessment) == len(tracker.assessment(2025, "en"))
    anhui = report.assessment[
        (report.assessment["region"] == "Anhui")
        & (report.assessment["indicator"] == tracker.catalogue["rd_intensity"].name.en)
    ].iloc[0]
    assert anhui["verdict"] == (
        "… pending · ※ benchmark: the plan sets this goal for Yangtze River Delta"
    )
    assert anhui["value"] == "2.69% of GDP (2023)"
    assert anhui["goal"] == "> 3.00% of GDP"
    conv = report.convergence.set_index("indicator")
    rd = conv.loc[tracker.catalogue["rd_intensity"].name.en]
    assert (rd["years"], rd["trend"]) == ("2018–2023", "narrowing")


def test_scope_limits_the_assessment(tracker: Tracker) -> None:
    report = build_report(
        tracker, lang="zh", milestone=2025, regions=["anhui"], indicators=["rd_intensity"]
    )
    assert report.assessment["region"].tolist() == [tracker.regions.name("anhui", "zh")]
    name = tracker.catalogue["rd_intensity"].name.zh
    assert report.convergence["indicator"].tolist() == [name]


def test_xlsx_has_an_assessment_and_a_convergence_sheet(tracker: Tracker, tmp_path: Path) -> None:
    path = write_report(tracker, tmp_path / "r.xlsx", lang="zh", milestone=2025)
    wb = load_workbook(path)
    zh = TEXT["zh"]
    assert wb.sheetnames[2:4] == [zh["sheet_assessment"], zh["sheet_convergence"]]
    ws = wb[zh["sheet_assessment"]]
    # the value as a number, its unit and year, the margin as two numbers (its own unit, a
    # percentage), each in place of the display text
    shown = [c for c in ASSESSMENT_TABLE_COLUMNS if c not in ("value", "margin")]
    shown[3:3] = ["value_num", "unit", "value_year"]
    shown[7:7] = ["margin_num", "margin_pct_num"]
    assert [c.value for c in ws[3]] == [zh[c] for c in shown]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(tracker.assessment(2025, "zh"))
    assert any(
        r[1] == tracker.regions.name("anhui", "zh")
        and r[6] == "… 待定 · ※ 对标：规划为长三角设定此目标"
        for r in rows
    )
    conv = wb[zh["sheet_convergence"]]
    shown = ["indicator", "first_year", "last_year", "cv_first", "cv_last", "maxmin_first",
             "maxmin_last", "trend"]  # fmt: skip
    assert shown[::7] == list(CONVERGENCE_TABLE_COLUMNS)[::4]
    assert [c.value for c in conv[3]] == [zh[c] for c in shown]
    assert any(r[7] == "差距缩小" for r in conv.iter_rows(min_row=4, values_only=True))


def test_html_has_the_two_sections(tracker: Tracker) -> None:
    page = to_html(build_report(tracker, lang="en", milestone=2025))
    assert (
        '<section id="assessment" class="wide"><h2>Final assessment of the 2025 goals</h2>' in page
    )
    assert '<section id="convergence"><h2>Regional convergence</h2>' in page
    assert page.index('id="gaps"') < page.index('id="assessment"') < page.index('id="details"')
    assert "narrowing" in page


def test_contribution_sheet_and_section_on_the_bundled_data(tmp_path: Path) -> None:
    from targets.bundled import ensure_bundled

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    path = write_report(tr, tmp_path / "gap.xlsx", lang="en", milestone=2025)
    ws = load_workbook(path)["Gap sources"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    anhui_pct = [
        r for r in rows if r[0] == "PCT international patent applications" and r[2] == "Anhui"
    ]
    # Anhui's 1,901 of the region's 18,997 PCT applications in 2023 (hand sum of the provinces)
    assert anhui_pct and anhui_pct[0][1] == 2023  # a year is a number, as every number
    # the share a number (shown as a percentage), what it is a share of beside it
    assert anhui_pct[0][5] == pytest.approx(1901 / 18997) and anhui_pct[0][6] == "of the total"
    html = to_html(build_report(tr, lang="en", milestone=2025))
    assert 'id="contribution"' in html and "of the gap" in html


def test_methods_side_by_side_in_the_reports(tracker: Tracker, tmp_path: Path) -> None:
    report = build_report(tracker, lang="en", milestone=2025)
    expected = tracker.methods(2025)
    expected = expected[expected["status_ratio"] != "no_data"]
    assert len(report.methods) == len(expected) > 0
    disagree = int((expected["agree"] == False).sum())  # noqa: E712 - a nullable boolean
    assert (report.methods["m_agree"] == "⚠ disagree").sum() == disagree
    path = write_report(tracker, tmp_path / "gap.xlsx", lang="en", milestone=2025)
    ws = load_workbook(path)["Methods compared"]
    assert ws.cell(3, 3).value == "Ratio" and ws.max_row == 3 + len(expected)
    assert 'id="methods_compare"' in to_html(report)
