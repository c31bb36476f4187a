"""The one status vocabulary: order, distinct symbols and words, contrast, and its use."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import format as fmt
from targets import display, progress, statuses


def test_the_vocabulary_is_ordered_best_first_with_distinct_symbols_and_words() -> None:
    assert statuses.IDS == (
        "achieved", "on_track", "close", "moderate", "short", "insufficient", "far",
        "moving_away", "missed", "insufficient_data", "no_data",
    )  # fmt: skip
    for lang in ("zh", "en"):
        words = [statuses.label(s, lang) for s in statuses.IDS]
        assert len(set(words)) == len(words), words
    symbols = [statuses.symbol(s) for s in statuses.IDS]
    assert len(set(symbols)) == len(symbols) and all(symbols)
    assert statuses.label("on_track", "en") == "On track"
    assert statuses.label("on_track", "zh") == "进展顺利"
    assert statuses.label("no_data") == "无数据"
    # one value only is its own status, not "no data"
    assert statuses.label("insufficient_data", "en") == "One value only"
    assert statuses.label("insufficient_data", "zh") == "仅一个数值"


def test_every_colour_pair_reads_at_wcag_aa() -> None:
    for status in statuses.IDS:
        bg, fg = statuses.colours(status)
        assert fmt.contrast_ratio(bg, fg) >= 4.5, status


def test_severity_puts_the_worst_judged_status_first_and_no_judgement_last() -> None:
    order = sorted(statuses.IDS, key=statuses.SEVERITY.__getitem__)
    assert order[0] == "missed" and order[-2:] == ["insufficient_data", "no_data"]
    judged = order[:-2]
    assert judged == sorted(judged, key=statuses.RANK.__getitem__, reverse=True)


def test_the_meanings_carry_the_thresholds() -> None:
    assert str(statuses.ON_TRACK) in statuses.meaning("on_track", "en")
    assert str(statuses.MODERATE) in statuses.meaning("moderate", "zh")
    assert "5%" in statuses.meaning("close", "en") and "20%" in statuses.meaning("far", "zh")


def test_an_unknown_id_reads_as_no_data() -> None:
    assert statuses.text("bogus", "en") == statuses.text("no_data", "en") == "? No data"


def test_the_engine_and_the_screen_use_the_same_vocabulary() -> None:
    assert progress.STATUS_IDS == statuses.IDS
    assert fmt.STATUS_COLOURS is statuses.COLOURS
    for status in statuses.IDS:
        for lang in ("zh", "en"):
            assert display.status_text(status, lang) == statuses.text(status, lang)
            assert progress.status_label(status, lang) == fmt.status_label(status, lang)


def test_every_status_reads_the_same_through_every_surface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each status, rendered by each surface that shows a status (the overview's chips, the
    method page's legend, the HTML, PDF and Excel reports' legends, the CSV's label column, the
    CLI's verdict column), reads as statuses.text / statuses.label: one set of words."""
    from io import BytesIO

    import openpyxl
    from click.testing import CliRunner

    from dashboard import ids
    from dashboard.app import create_app
    from dashboard.pages import method as method_page
    from dashboard.pages import overview as overview_page
    from targets.cli import main
    from targets.reports import build_report, render
    from tests.fixtures import build_fixture_db
    from tests.test_dashboard_callbacks import find, text

    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    tracker = build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")
    gaps = tracker.gaps(milestone=2025)
    # every status, one row each: the surfaces word whatever status a row carries
    frame = pd.concat([gaps.iloc[[0]]] * len(statuses.IDS), ignore_index=True)
    frame["status"] = list(statuses.IDS)
    for lang in ("zh", "en"):
        chips = overview_page.counts_bar(frame, lang)
        for s in statuses.IDS:
            assert text(find(chips, ids.STATUS_CHIP.format(status=s))).startswith(
                statuses.text(s, lang)
            )
        app = create_app(tracker)
        with app.server.test_request_context("/"):
            legend = text(find(method_page.layout(lang=lang), ids.METHOD_THRESHOLDS))
        report = build_report(tracker, lang=lang, milestone=2025)
        page = render(report, "html").decode("utf-8")
        book = openpyxl.load_workbook(BytesIO(render(report, "xlsx")))
        cells = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                 for c in row if isinstance(c, str)}  # fmt: skip
        for s in statuses.IDS:
            assert statuses.label(s, lang) in legend, (s, lang)
            assert statuses.text(s, lang) in page, (s, lang)  # the report's legend
            assert statuses.text(s, lang) in cells or statuses.label(s, lang) in cells, (s, lang)
            assert display.status_text(s, lang) == statuses.text(s, lang)
        # the CSV's label and the CLI's verdict word a row's status the same way
        shown = report.rows[["status", "status_label"]].drop_duplicates()
        for s, label in shown.itertuples(index=False):
            assert label == statuses.label(s, lang)
        out = CliRunner().invoke(
            main, ["--db", tracker.db_url, "gaps", "--milestone", "2025", "--format", "json",
                   "--lang", lang],
        )  # fmt: skip
        for row in json.loads(out.output):
            assert row["verdict"].startswith(statuses.text(row["status"], lang))
