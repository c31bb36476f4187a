"""render_report's progress: real stages, in order, as fractions that only grow and end at 1.0.

The dashboard's background export drives its progress bar with these calls, so what is checked
here is what a user sees move: the gap table, the model's analyses, each sheet or section, each
PDF page as WeasyPrint lays it out, and the write.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from targets.reports import FORMATS, render_report, stage_label
from targets.reports.model import MODEL_WEIGHTS
from targets.reports.pdf import PAGE_MESSAGE, PROGRESS_LOGGER, _hearing_pages, page_fraction
from targets.reports.steps import DONE, Progress
from targets.tracker import Tracker
from tests.fixtures import build_fixture_db

MODEL_STAGES = [name for name, _ in MODEL_WEIGHTS]
SECTIONS = ["summary", "draft", "gaps", "assessment", "convergence", "contribution", "methods",
            "indicators", "method", "vintages"]  # fmt: skip


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


def _recorder() -> tuple[list[tuple[float, str]], Callable[[float, str], None]]:
    calls: list[tuple[float, str]] = []
    return calls, lambda fraction, stage: calls.append((fraction, stage))


def _assert_grows_to_one(calls: list[tuple[float, str]]) -> None:
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and calls[0][1] == "gaps"
    assert all(a < b for a, b in zip(fractions, fractions[1:], strict=False)), calls
    assert calls[-1] == (1.0, DONE)
    assert all(0.0 <= f <= 1.0 for f in fractions)


def _without_pages(stages: list[str]) -> list[str]:
    return [s for s in stages if not s.startswith("pdf:page:")]


@pytest.mark.parametrize("fmt", ["csv", "html", "xlsx", "docx"])
def test_each_format_reports_its_real_stages_in_order(tracker: Tracker, fmt: str) -> None:
    calls, record = _recorder()
    data = render_report(tracker, fmt, lang="en", milestone=2025, progress=record)
    assert data
    _assert_grows_to_one(calls)
    stages = [s for _, s in calls]
    assert stages[: len(MODEL_STAGES)] == MODEL_STAGES
    written = stages[len(MODEL_STAGES) : -1]
    if fmt == "csv":
        assert written == ["csv:write"]
    elif fmt == "docx":
        # the areas' paragraphs and charts are heard once per area as each is done
        areas = written.count("section:draft") - 1
        assert areas >= 3
        assert written == [
            "section:title", "section:summary", "section:gaps",
            *["section:draft"] * (areas + 1), "section:annex", "docx:save",
        ]  # fmt: skip
    elif fmt == "html":
        assert written == [f"section:{s}" for s in SECTIONS]
    else:
        # one "sheet:indicators" per category sheet the workbook really has
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        categories = len(book.sheetnames) - 7  # summary, gaps, 4 analyses, sources
        book.close()
        assert categories >= 3
        assert written == [
            "sheet:summary", "sheet:gaps", "sheet:assessment", "sheet:convergence",
            "sheet:contribution", "sheet:methods", *["sheet:indicators"] * categories,
            "sheet:sources", "xlsx:save",
        ]  # fmt: skip


def test_pdf_reports_sections_then_every_page_laid_out_then_the_write(tracker: Tracker) -> None:
    calls, record = _recorder()
    data = render_report(tracker, "pdf", lang="zh", milestone=2025, progress=record)
    _assert_grows_to_one(calls)
    stages = [s for _, s in calls]
    assert _without_pages(stages) == [
        *MODEL_STAGES,
        *(f"section:{s}" for s in SECTIONS),
        "pdf:layout",
        "pdf:styles",
        "pdf:boxes",
        "pdf:write",
        DONE,
    ]
    pages = [int(s.rsplit(":", 1)[1]) for s in stages if s.startswith("pdf:page:")]
    # each page of the file was heard once, in order, between the layout and the write
    assert pages == list(range(1, len(PdfReader(io.BytesIO(data)).pages) + 1))
    first, last = stages.index("pdf:page:1"), stages.index(f"pdf:page:{pages[-1]}")
    assert stages.index("pdf:boxes") < first and last < stages.index("pdf:write")


def test_progress_does_not_change_the_file(tracker: Tracker) -> None:
    plain = render_report(tracker, "csv", lang="zh", milestone=2025)
    heard = render_report(tracker, "csv", lang="zh", milestone=2025, progress=lambda f, s: None)
    assert heard == plain and plain.startswith(b"\xef\xbb\xbfindicator,")


def test_pages_are_heard_from_the_rendering_thread_only() -> None:
    """WeasyPrint's progress logger is global: a render hears its own thread's pages only, so
    two PDFs made at once (threads of one server) do not move each other's bars."""
    calls, record = _recorder()
    with _hearing_pages(Progress(record), expected_pages=10):
        for message in ("Step 3 - Applying CSS", PAGE_MESSAGE):
            other = threading.Thread(target=PROGRESS_LOGGER.info, args=(message, 5))
            other.start()
            other.join()
        PROGRESS_LOGGER.info("Step 3 - Applying CSS")
        PROGRESS_LOGGER.info("Step 4 - Creating formatting structure")
        PROGRESS_LOGGER.info(PAGE_MESSAGE, 1)
        PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)", 2)
        PROGRESS_LOGGER.info(PAGE_MESSAGE, 2)
        PROGRESS_LOGGER.info(PAGE_MESSAGE, 1)  # a repagination pass: the bar does not go back
        PROGRESS_LOGGER.info("Step 4 - Creating formatting structure")
    # the steps before the first page take 40% of the layout, the pages the rest
    assert calls == [
        (0.05, "pdf:styles"),
        (0.32, "pdf:boxes"),
        (pytest.approx(0.4 + 0.6 * 0.09), "pdf:page:1"),
        (pytest.approx(0.4 + 0.6 * 0.18), "pdf:page:2"),
    ]


def test_the_weasyprint_logger_is_left_as_it_was(tracker: Tracker) -> None:
    before = (PROGRESS_LOGGER.level, PROGRESS_LOGGER.propagate, list(PROGRESS_LOGGER.handlers))
    render_report(tracker, "pdf", lang="en", indicators=["rd_intensity"], progress=lambda *_: None)
    assert (PROGRESS_LOGGER.level, PROGRESS_LOGGER.propagate) == before[:2]
    assert PROGRESS_LOGGER.handlers == before[2]
    assert PROGRESS_LOGGER.getEffectiveLevel() > logging.INFO  # nobody's log fills with pages


def test_every_stage_has_words_in_both_languages(tracker: Tracker) -> None:
    stages: set[str] = set()
    for fmt in FORMATS:
        calls, record = _recorder()
        render_report(tracker, fmt, lang="zh", indicators=["rd_intensity"], progress=record)
        stages |= {s for _, s in calls}
    assert "pdf:page:1" in stages and "sheet:indicators" in stages and "docx:save" in stages
    for stage in stages:
        zh, en = stage_label(stage, "zh"), stage_label(stage, "en")
        assert zh != stage and en != stage and zh != en, stage
    assert stage_label("gaps", "zh") == "计算差距"
    assert stage_label("gaps", "en") == "computing gaps"
    assert stage_label("sheet:gaps", "en") == "writing sheet: gap table"
    assert stage_label("pdf:page:7", "zh") == "PDF 排版：第 7 页"


def test_an_unknown_format_is_refused_before_any_progress(tracker: Tracker) -> None:
    calls, record = _recorder()
    with pytest.raises(ValueError, match="unknown report format 'odt'"):
        render_report(tracker, "odt", progress=record)
    assert calls == []


def test_progress_parts_split_by_weight_and_refuse_empty_stages() -> None:
    calls, record = _recorder()
    whole = Progress(record)
    first, second = whole.split([1.0, 3.0])
    inner = second.stages([("a", 1.0), ("b", 1.0)])
    first.begin("x")
    inner.begin("a")
    inner.begin("b")
    whole.finish()
    assert calls == [(0.0, "x"), (0.25, "a"), (0.625, "b"), (1.0, DONE)]
    with pytest.raises(ValueError, match="positive weight"):
        whole.split([1.0, 0.0])
    Progress(None).begin("nothing happens")  # no callback: a no-op, not an error


def test_page_fraction_grows_and_stays_inside_the_layout_stretch() -> None:
    values = [page_fraction(n / 10) for n in range(1, 400)]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))
    assert values[9] == pytest.approx(0.9) and values[-1] < 0.99
