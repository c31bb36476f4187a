"""The gap report as PDF: the HTML report printed by WeasyPrint.

Fonts come from the system (Debian `fonts-noto-cjk`: Noto Sans CJK SC); WeasyPrint embeds the
subset it uses, and the inline SVG charts stay vector. No URL is fetched: the HTML has none,
and the URL fetcher refuses any that slipped in. Progress is reported page by page while
WeasyPrint lays the pages out (it announces each page on its `weasyprint.progress` logger).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from targets.reports.html import to_html
from targets.reports.model import Report
from targets.reports.steps import Progress, ProgressCallback, as_progress

# how the PDF's part of the bar is shared: seconds per step on the bundled data (23 pages:
# HTML 0.1 s, parsing and page layout 2-4 s, writing the file with embedded fonts 0.5-2 s)
PDF_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("html", 2.0),
    ("pdf:layout", 31.0),
    ("pdf:write", 12.0),
)
# Within the layout: where each of WeasyPrint's steps starts (share of the layout stretch). Its
# steps before the first page (parsing, applying the CSS, building the boxes) take about 40% of
# the layout, on the bundled data (0.7 of 1.9 s) as on a synthetic national-scale report
# (174 of 431 s, 965 pages).
LAYOUT_STEPS: dict[str, tuple[str, float]] = {
    "Step 3 - Applying CSS": ("pdf:styles", 0.05),
    "Step 4 - Creating formatting structure": ("pdf:boxes", 0.32),
}
PAGES_START = 0.4
# pages ≈ PAGES_FIXED + characters of HTML / CHARS_PER_PAGE: fitted on the bundled data's
# reports from one indicator to all (9 to 27 pages) and the national-scale one (965 pages)
PAGES_FIXED = 7.0
CHARS_PER_PAGE = 8000.0
# WeasyPrint's documented progress logger ("infos ... advertise rendering steps"): a record as
# each step starts, and one per page as it is laid out
PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
PAGE_MESSAGE = "Step 5 - Creating layout - Page %d"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing; refused {url!r}")


def page_fraction(x: float) -> float:
    """Pages laid out over pages expected -> the share of the pages' stretch: 0.9·x up to the
    estimate, then creeping towards 0.99, so that an estimate that fell short still moves the
    bar forward and never past the stretch."""
    return 0.9 * x if x <= 1 else 0.99 - 0.09 / x


class _LayoutProgress(logging.Handler):
    """Turns WeasyPrint's step and "page N" records of this thread into progress."""

    def __init__(self, part: Progress, expected_pages: float) -> None:
        super().__init__(logging.INFO)
        self.part = part
        self.pages_part = part.part(PAGES_START, 1.0)
        self.expected = max(expected_pages, 1.0)
        self.thread = threading.get_ident()
        self.steps: set[str] = set()
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        step = LAYOUT_STEPS.get(str(record.msg))
        if step is not None and not self.pages and step[0] not in self.steps:
            self.steps.add(step[0])
            self.part.at(step[1], step[0])
            return
        if record.msg != PAGE_MESSAGE:
            return
        args = record.args
        page = args[0] if isinstance(args, tuple) and args else None
        # a repagination pass lays out page 1 again: the bar waits instead of going back
        if not isinstance(page, int) or page <= self.pages:
            return
        self.pages = page
        self.pages_part.at(page_fraction(page / self.expected), f"pdf:page:{page}")


_listening = {"count": 0, "level": logging.NOTSET, "propagate": True}
_listening_lock = threading.Lock()


@contextmanager
def _hearing_pages(part: Progress, expected_pages: float) -> Iterator[None]:
    """While WeasyPrint lays out, report its steps and each page; the logger is left as it was.

    Its records are INFO, below the default WARNING: the level is lowered for the duration,
    and then propagation is stopped too, so that nobody's log fills with page numbers they
    did not ask for.
    """
    handler = _LayoutProgress(part, expected_pages)
    with _listening_lock:
        if _listening["count"] == 0:
            _listening.update(level=PROGRESS_LOGGER.level, propagate=PROGRESS_LOGGER.propagate)
            if PROGRESS_LOGGER.getEffectiveLevel() > logging.INFO:
                PROGRESS_LOGGER.setLevel(logging.INFO)
                PROGRESS_LOGGER.propagate = False
        _listening["count"] += 1
        PROGRESS_LOGGER.addHandler(handler)
    try:
        yield
    finally:
        with _listening_lock:
            PROGRESS_LOGGER.removeHandler(handler)
            _listening["count"] -= 1
            if _listening["count"] == 0:
                PROGRESS_LOGGER.setLevel(_listening["level"])
                PROGRESS_LOGGER.propagate = bool(_listening["propagate"])


def to_pdf(report: Report, progress: ProgressCallback | Progress | None = None) -> bytes:
    """The PDF file's bytes; `progress` hears the HTML sections, each page laid out, the write."""
    stages = as_progress(progress).stages(PDF_WEIGHTS)
    html = to_html(report, stages.part("html"))
    layout = stages.begin("pdf:layout")
    import weasyprint  # slow to import (pango, fonts): only when a PDF is asked for

    # render() then write_pdf() is what HTML.write_pdf does in one call; split, so that the
    # layout (most of the time) and the writing are two stages
    expected = PAGES_FIXED + len(html) / CHARS_PER_PAGE
    hearing: AbstractContextManager[None] = (
        _hearing_pages(layout, expected) if layout.callback else nullcontext()
    )
    with hearing:
        document = weasyprint.HTML(string=html, url_fetcher=_no_fetch).render()
    stages.begin("pdf:write")
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf
