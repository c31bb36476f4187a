"""The gap report as PDF: the HTML report printed by WeasyPrint.

Fonts come from the system (Debian `fonts-noto-cjk`: Noto Sans CJK SC); WeasyPrint embeds the
subset it uses, and the inline SVG charts stay vector. No URL is fetched: the HTML has none,
and the URL fetcher refuses any that slipped in.
"""

from __future__ import annotations

from typing import Any

from targets.reports.html import to_html
from targets.reports.model import Report


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing; refused {url!r}")


def to_pdf(report: Report) -> bytes:
    """The PDF file's bytes."""
    import weasyprint  # slow to import (pango, fonts): only when a PDF is asked for

    document = weasyprint.HTML(string=to_html(report), url_fetcher=_no_fetch)
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf
