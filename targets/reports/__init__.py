"""Gap reports as Excel, CSV, HTML and PDF, all rendered from one report model.

`render_report` returns a file's bytes (the dashboard's download); `write_report` writes a file,
its format chosen by the suffix (the CLI). Both build one `Report` from the tracker first, so
every format shows the same numbers as `targets gaps` and the dashboard.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from targets.reports.model import Report, build_report

if TYPE_CHECKING:
    from targets.service import Tracker

FORMATS: tuple[str, ...] = ("xlsx", "csv", "html", "pdf")
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Report",
    "build_report",
    "render",
    "render_report",
    "write_report",
]


def _writer(fmt: str) -> Callable[[Report], bytes]:
    if fmt == "xlsx":
        from targets.reports.xlsx import to_xlsx

        return to_xlsx
    if fmt == "csv":
        from targets.reports.csvfile import to_csv

        return to_csv
    if fmt == "html":
        from targets.reports.html import to_html

        return lambda report: to_html(report).encode("utf-8")
    if fmt == "pdf":
        from targets.reports.pdf import to_pdf

        return to_pdf
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def render(report: Report, fmt: str) -> bytes:
    """A built report as the bytes of one format."""
    return _writer(fmt.lower().lstrip("."))(report)


def render_report(
    tracker: Tracker,
    fmt: str,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
) -> bytes:
    """The report's file as bytes: fmt is xlsx, csv, html or pdf."""
    writer = _writer(fmt.lower().lstrip("."))  # refuse an unknown format before any work
    report = build_report(
        tracker, lang=lang, milestone=milestone, regions=regions, indicators=indicators
    )
    return writer(report)


def write_report(
    tracker: Tracker,
    path: Path | str,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
) -> Path:
    """Write the report to `path`, its format from the suffix; returns the path."""
    path = Path(path)
    data = render_report(
        tracker, path.suffix, lang=lang, milestone=milestone, regions=regions, indicators=indicators
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
