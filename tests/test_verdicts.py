"""targets/verdicts.py: why a row has its status, and why a status changed, in words."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from dash import html

from dashboard import ids
from dashboard.app import create_app
from dashboard.pages import assessment as assessment_page
from targets import roles, verdicts
from targets.assessment import final_verdict_text
from targets.cli import main
from targets.display import is_missing
from targets.provenance import provisional_words
from targets.reports import build_report, render
from targets.reports.analyses import verdict_words
from targets.tracker import Tracker
from tests.conftest import require
from tests.test_dashboard_callbacks import find, text, walk

BASE = {
    "indicator": "x", "region": "anhui", "milestone_year": 2025, "comparator": ">=",
    "target": 70.0, "value": 62.57, "year": 2024, "gap": 7.43, "baseline_year": 2021,
    "baseline_value": 59.39, "linear": False, "role": "benchmark", "goal_scope": "yrd",
}  # fmt: skip


def test_distance_rule_is_said_with_its_numbers() -> None:
    row = {**BASE, "status": "far", "status_rule": "distance", "projected": 63.4,
           "distance_share": 0.57}  # fmt: skip
    assert verdicts.explain(row, "en", 1, "%") == (
        "judged by distance (the 2025 goal year is within a year or past): the trend gives "
        "63.4 for 2025, short by 57% of the distance to go (close within 5%, some way short "
        "within 20%)"
    )
    assert verdicts.explain(row, "zh", 1, "%").startswith("按距离判断（2025年目标临近或已过）")


def test_pace_rule_is_said_with_its_rates() -> None:
    row = {**BASE, "status": "moderate", "status_rule": "pace", "actual_rate": 0.037,
           "required_rate": 0.048, "ratio": 0.77, "projected": math.nan}  # fmt: skip
    assert verdicts.explain(row, "en") == (
        "judged by pace: +3.7% a year over 2021–2024 against +4.8% a year needed, "
        "ratio 0.77 (on track from 0.95)"
    )


def test_verdict_text_carries_the_benchmark_note() -> None:
    row = {**BASE, "status": "missed"}
    assert verdicts.verdict_text(row, "长三角", "zh") == "✗ 未实现 · ※ 对标：规划为长三角设定此目标"
    own = {**BASE, "status": "missed", "role": "goal"}
    assert verdicts.verdict_text(own, "the YRD", "en") == "✗ Missed"


def test_a_change_of_latest_value_and_span_is_said() -> None:
    before = {**BASE, "status": "on_track", "status_rule": "pace", "year": 2022,
              "value": 60.0, "ratio": 1.0}  # fmt: skip
    after = {**BASE, "status": "moderate", "status_rule": "pace", "ratio": 0.8}
    assert verdicts.change_reason(before, after, "en", 1) == (
        "the latest value is now 62.6 (2024), was 60.0 (2022); the pace now spans 3 years "
        "since 2021 (was 1): ratio 1.00 → 0.80"
    )


def test_a_change_from_no_value_or_from_the_base_year_alone_is_said_as_such() -> None:
    """Never "— (None)" nor "was 0 years": a side without a value, or a pace that had only the
    base year's value before, is said in words."""
    gone = {**BASE, "status": "no_data", "status_rule": None, "year": math.nan,
            "value": math.nan, "ratio": math.nan}  # fmt: skip
    back = {**BASE, "status": "moderate", "status_rule": "distance"}
    assert verdicts.change_reason(gone, back, "zh", 1) == "最新值由无数值变为62.6（2024年）"
    assert verdicts.change_reason(back, gone, "en", 1) == (
        "the latest value is now no value, was 62.6 (2024)"
    )
    base_only = {**BASE, "status": "insufficient_data", "status_rule": "pace", "year": 2021,
                 "value": 58.0, "ratio": math.nan}  # fmt: skip
    paced = {**BASE, "status": "moderate", "status_rule": "pace", "ratio": 0.8}
    assert verdicts.change_reason(base_only, paced, "zh", 1) == (
        "最新值由58.0（2021年）变为62.6（2024年）；"
        "增速按2021年以来3年计算（此前只有基期值，无增速），比值0.80"
    )
    assert verdicts.change_reason(base_only, paced, "en", 1) == (
        "the latest value is now 62.6 (2024), was 58.0 (2021); the pace now spans 3 years "
        "since 2021 (before, the base year's value alone: no pace): ratio 0.80"
    )


def test_the_status_before_the_latest_value_and_why_it_moved(
    catalogue: object, regions: object
) -> None:
    """Anhui's R&D intensity 2.16 (2018), 2.45 (2020), 2.50 (2022): on track before the 2022
    value (ratio 1.35), moderate progress with it (0.77); the words say so, and why."""
    import pandas as pd

    frame = pd.DataFrame(
        [("rd_intensity", "anhui", y, v) for y, v in ((2018, 2.16), (2020, 2.45), (2022, 2.50))],
        columns=["indicator", "region", "year", "value"],
    ).assign(unit=None, note=None, import_id=1)
    before = verdicts.gaps_before_latest(catalogue, regions, frame, milestone=2025)
    from targets.progress import compute_gaps

    now = compute_gaps(catalogue, regions, frame, milestone=2025)
    pick = lambda g: g[(g["indicator"] == "rd_intensity") & (g["region"] == "anhui")].iloc[0]  # noqa: E731
    was, row = pick(before).to_dict(), pick(now).to_dict()
    assert (was["status"], int(was["year"]), row["status"]) == ("on_track", 2020, "moderate")
    assert verdicts.change_words(was, row, "en", 2) == (
        "with its 2022 value: on track → moderate progress (the latest value is now 2.50 (2022), "
        "was 2.45 (2020); the pace now spans 4 years since 2018 (was 2): ratio 1.35 → 0.77)"
    )
    assert verdicts.change_words(was, row, "zh", 2) == (
        "2022年数值使状态变化：进展顺利 → 进展一般（最新值由2.45（2020年）变为2.50（2022年）；"
        "增速改按2018年以来4年计算（原为2年），比值1.35 → 0.77）"
    )
    # the same status, or nothing judged before (one value only): nothing to say
    assert verdicts.change_words(row, row, "en") == ""
    assert verdicts.change_words({**was, "status": "insufficient_data"}, row, "en") == ""
    assert verdicts.change_words(None, row, "en") == ""


# ------------------------------------------------- the 2025 verdicts through every surface


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Tracker:
    from targets.bundled import ensure_bundled
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path_factory.mktemp('verdicts') / 'b.db'}"
    tracker = Tracker(db_url=url, catalogue_path=ROOT / "indicators.yaml")
    assert ensure_bundled(tracker) is not None
    return tracker


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_2025_verdicts_read_the_same_in_every_surface(
    bundled: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's final assessment, worded once (targets.reports.analyses.verdict_words), is
    what the CLI (JSON, CSV), the assessment page, the HTML, Excel, CSV, PDF and Word reports
    say."""
    lang = "zh"
    frame = bundled.assessment(2025, lang)
    records = frame.to_dict("records")
    scope = {r["goal_scope"]: bundled.regions.name(str(r["goal_scope"]), lang) for r in records}
    words = {
        (r["indicator"], r["region"]): verdict_words(r, lang, scope[r["goal_scope"]])
        for r in records
    }
    judged = [r for r in records if r["verdict"] != "pending"]
    # real verdicts, not all pending: met and missed (the 2025 figures out so far are the
    # provinces': benchmarks against the delta's goals), some provisional
    assert {r["verdict"] for r in judged} == {"met", "missed"}
    assert {r["role"] for r in judged} == {"benchmark"}
    assert {r["role"] for r in records} == {"goal", "benchmark"}
    assert any(r["provisional"] for r in judged)

    # CLI: JSON and CSV carry scope, role, value, source, verdict and the provisional flag
    runner = CliRunner()
    args = ["--db", bundled.db_url, "assess", "--milestone", "2025", "--lang", lang]
    out = runner.invoke(main, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    cli = {(r["indicator"], r["region"]): r for r in json.loads(out.output)}
    for r in records:
        got = cli[(r["indicator"], r["region"])]
        assert (got["goal_scope"], got["role"], got["verdict"], got["provisional"]) == (
            r["goal_scope"], r["role"], r["verdict"], bool(r["provisional"]),
        )  # fmt: skip
        assert got["source"] == (None if is_missing(r["source"]) else r["source"])
    table = runner.invoke(main, [*args, "--format", "table"])
    assert table.exit_code == 0 and "goal_scope" in table.output and "benchmark" in table.output

    # the assessment page: the verdict cell starts with the same words and notes
    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    app = create_app(bundled)
    with app.server.test_request_context("/"):
        layout = assessment_page.layout(lang=lang, milestone="2025")
    final = find(layout, ids.ASSESSMENT_FINAL + "-table")
    rows = [c for c in walk(final) if isinstance(c, html.Tr)][1:]
    cells = [" ".join(text(c) for c in row.children[4:5]) for row in rows]
    assert len(cells) == len(records)
    for r, cell in zip(records, cells, strict=True):
        word = words[(r["indicator"], r["region"])]
        base, _, note = word.partition(" · ")
        assert cell.startswith(base), (cell, word)
        if r["role"] == "benchmark":
            assert note.split("——")[0] in cell
        # a provisional verdict: the same mark and reason on the page and in the reports
        provisional = provisional_words(r, lang)
        assert bool(provisional) == bool(r["provisional"])
        if provisional:
            assert provisional.startswith("初步（") and provisional in cell
            assert word.endswith("——" + provisional)

    # the report: HTML, Excel, PDF text and the Word table say the same words
    report = build_report(bundled, lang=lang, milestone=2025)
    shown = report.assessment
    assert list(shown["verdict"]) == [words[(r["indicator"], r["region"])] for r in records]
    page_html = render(report, "html").decode("utf-8")
    for word in set(words.values()):
        assert escape(word) in page_html, word
    # the CSV report, read back from the file: each row's verdict id and words, row by row
    csv_path = tmp_path / "r.csv"
    csv_path.write_bytes(render(report, "csv"))
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        in_csv = {(row["indicator"], row["region"]): row for row in csv.DictReader(fh)}
    assert set(in_csv) == set(words)
    for r in records:
        key = (r["indicator"], r["region"])
        assert (in_csv[key]["verdict"], in_csv[key]["verdict_text"]) == (
            cli[key]["verdict"], words[key],
        )  # fmt: skip
        assert in_csv[key]["verdict_provisional"] == str(cli[key]["provisional"])
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    in_excel = {c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
                for c in row if isinstance(c, str)}  # fmt: skip
    assert set(words.values()) <= in_excel
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(report, "pdf"))
    pdf_text = _squeeze(
        subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                       check=True).stdout
    )  # fmt: skip
    for r in judged:
        base = words[(r["indicator"], r["region"])].split(" · ")[0]
        assert _squeeze(base) in pdf_text
    assert _squeeze(roles.benchmark_note(scope["yrd"], lang)) in pdf_text
    document = docx.Document(io.BytesIO(render(report, "docx")))
    word_rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows[1:]]
    checked = 0
    for r in judged:
        region = bundled.regions.name(str(r["region"]), lang)
        line = f"{region} · {roles.word(str(r['role']), lang)}"
        name = bundled.catalogue[str(r["indicator"])].name.get(lang)
        found = [w for w in word_rows if w[1] == line and w[0].startswith(name)]
        if found:  # the Word table lists the goals of the drafted areas
            assert found[0][3].startswith(final_verdict_text(str(r["verdict"]), lang))
            checked += 1
    assert checked >= 3
