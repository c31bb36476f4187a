"""Gap reports as Excel, CSV, HTML and PDF, and the assessment document in Word, all rendered
from one report model.

`render_report` returns a file's bytes (the dashboard's download); `write_report` writes a file,
its format chosen by the suffix (the CLI). Both build one `Report` from the tracker first, so
every format shows the same numbers as `targets gaps` and the dashboard. Both take an optional
`progress(fraction, stage)` callback that hears the real stages of the work (targets.reports.steps):
the dashboard's background export drives its progress bar with it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from targets.reports.model import Report, build_report
from targets.reports.steps import Progress, ProgressCallback, as_progress, stage_label

if TYPE_CHECKING:
    from targets.tracker import Tracker

FORMATS: tuple[str, ...] = ("xlsx", "csv", "html", "pdf", "docx")
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Progress",
    "ProgressCallback",
    "Report",
    "build_report",
    "render",
    "render_report",
    "stage_label",
    "write_report",
]


Writer = Callable[[Report, Progress], bytes]

# How the bar is shared between building the model and writing the format, from timing the
# bundled data: the model takes about 0.8 s; CSV is instant, HTML 0.1 s, Excel 0.2 s, and a
# PDF about 4 s (WeasyPrint's page layout), Word about 3 s (its charts drawn to PNG).
MODEL_SHARE: dict[str, float] = {"csv": 0.95, "html": 0.85, "xlsx": 0.75, "pdf": 0.18, "docx": 0.6}


def _writer(fmt: str) -> Writer:
    if fmt == "xlsx":
        from targets.reports.xlsx import to_xlsx

        return to_xlsx
    if fmt == "csv":
        from targets.reports.csvfile import to_csv

        return to_csv
    if fmt == "html":
        from targets.reports.html import to_html

        return lambda report, progress: to_html(report, progress).encode("utf-8")
    if fmt == "pdf":
        from targets.reports.pdf import to_pdf

        return to_pdf
    if fmt == "docx":
        from targets.reports.word import to_docx

        return to_docx
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def render(
    report: Report, fmt: str, *, progress: ProgressCallback | Progress | None = None
) -> bytes:
    """A built report as the bytes of one format."""
    return _writer(fmt.lower().lstrip("."))(report, as_progress(progress))


def render_report(
    tracker: Tracker,
    fmt: str,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    progress: ProgressCallback | None = None,
) -> bytes:
    """The report's file as bytes: fmt is xlsx, csv, html, pdf or docx (the assessment document).

    `progress(fraction, stage)` is called as each real stage starts (the gap table, the model's
    analyses, each sheet or section, each step and page of the PDF's layout, its writing), with
    fractions of the whole job that only grow, and finally `(1.0, "done")`;
    `steps.stage_label` words a stage.
    """
    fmt = fmt.lower().lstrip(".")
    writer = _writer(fmt)  # refuse an unknown format before any work
    model, output = Progress(progress).split([MODEL_SHARE[fmt], 1.0 - MODEL_SHARE[fmt]])
    report = build_report(
        tracker,
        lang=lang,
        milestone=milestone,
        regions=regions,
        indicators=indicators,
        progress=model,
    )
    data = writer(report, output)
    Progress(progress).finish()
    return data


def write_report(
    tracker: Tracker,
    path: Path | str,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    progress: ProgressCallback | None = None,
) -> Path:
    """Write the report to `path`, its format from the suffix; returns the path."""
    path = Path(path)
    data = render_report(
        tracker,
        path.suffix,
        lang=lang,
        milestone=milestone,
        regions=regions,
        indicators=indicators,
        progress=progress,
    )
    # write beside the target and rename: a reader never sees half a file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
