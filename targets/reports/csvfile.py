"""The gap report as CSV: UTF-8 with a BOM (so Excel and WPS read the Chinese names), one row per
indicator × region, the gap table's machine column names plus name columns in the report's language."""

from __future__ import annotations

from targets.formula_injection import neutralise_frame
from targets.progress import GAP_COLUMNS
from targets.reports.model import Report
from targets.reports.steps import Progress, ProgressCallback, as_progress

NAME_COLUMNS = {"indicator": "indicator_name", "region": "region_name"}


def csv_columns() -> list[str]:
    """GAP_COLUMNS with each id followed by its name (and the indicator's unit), then the status label."""
    out: list[str] = []
    for col in GAP_COLUMNS:
        out.append(col)
        if col in NAME_COLUMNS:
            out.append(NAME_COLUMNS[col])
        if col == "region":
            out.append("unit")
    out.append("status_label")
    return out


def to_csv(report: Report, progress: ProgressCallback | Progress | None = None) -> bytes:
    """The CSV file's bytes (CRLF line ends, as RFC 4180 and Excel expect)."""
    as_progress(progress).begin("csv:write")
    frame = neutralise_frame(report.rows[csv_columns()])
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
