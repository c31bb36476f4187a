"""Reading uploaded statistics: readers (calamine, CSV), layout detection, value parsing, checks.

Public API: `read_upload` (bytes -> ParsedUpload) and `import_files` (files -> store imports).
"""

from targets.ingest.pipeline import ImportResult, ParsedUpload, import_files, read_upload
from targets.ingest.readers import ReadError, read_workbook
from targets.ingest.values import ParsedValue, parse_value, unit_factor

__all__ = [
    "ImportResult",
    "ParsedUpload",
    "ParsedValue",
    "ReadError",
    "import_files",
    "parse_value",
    "read_upload",
    "read_workbook",
    "unit_factor",
]
