"""The PDF report: pages, Chinese text that extracts, embedded CJK fonts, vector charts.

Needs fonts-noto-cjk and poppler-utils (pdftotext): skipped locally without them, failed under CI.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from targets.reports import write_report
from targets.tracker import Tracker
from tests.conftest import require
from tests.fixtures import add_value, build_fixture_db


def _has_noto_cjk() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":family"], capture_output=True, text=True).stdout
    return "Noto Sans CJK SC" in out


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    require(_has_noto_cjk(), "the Noto Sans CJK SC font (Debian fonts-noto-cjk) is not installed")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return build_fixture_db(sqlite_url)


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_chinese_pdf(tracker: Tracker, tmp_path: Path) -> None:
    path = write_report(tracker, tmp_path / "gaps.pdf", lang="zh", milestone=2025)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    # cover + summary, 2-4 pages of drafted text, gap table, 4-6 pages of indicator details,
    # method (with the headline rule), vintages
    assert 8 <= len(reader.pages) <= 20
    text = _text(path)
    for name in (
        "研发投入强度",
        "常住人口城镇化率",
        "PCT国际专利申请量",
        "差距表",
        "方法与阈值",
        "数据版本",
        "评估文字",
        "2025年目标评估概况：纳入评估的量化目标共",
    ):
        assert name in text.replace(" ", ""), name
    assert "◆进展一般" in text.replace(" ", "")
    # the gap table is on a landscape page
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    assert sizes == {(595, 842), (842, 595)}
    # the Chinese font is embedded (a subset), not referenced
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font: Any = ref.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            assert desc is not None and any(
                k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ), font["/BaseFont"]
    assert any("Noto-Sans-CJK-SC" in f for f in fonts)
    # charts are vector: no raster image anywhere
    assert all(not page.images for page in reader.pages)


def test_english_pdf(tracker: Tracker, tmp_path: Path) -> None:
    path = write_report(
        tracker, tmp_path / "gaps.pdf", lang="en", milestone=2025, regions=["anhui"]
    )
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    # summary, gap table, one page per analysis section, details, method, vintages
    assert 4 <= len(reader.pages) <= 16
    text = " ".join(_text(path).split())
    assert "R&D intensity" in text and "Anhui" in text and "Moderate progress" in text


# a source address as statistics offices publish them: long, and without a place to break
LONG_ADDRESS = (
    "https://www.stats.gov.cn/sj/zxfb/202402/t20240228_1947915.html"
    "?channel=statistical-communique-of-the-peoples-republic-of-china-2023&lang=zh-CN#section-7"
)
WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _words(path: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, width, height, xMin, yMin, xMax, yMax, text) of every word pdftotext finds."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    page, width, height = 0, 0.0, 0.0
    for line in out.splitlines():
        if m := PAGE.search(line):
            page, width, height = page + 1, float(m[1]), float(m[2])
        elif m := WORD.search(line):
            box = (float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            words.append((page, width, height, *box, html.unescape(m[5])))
    return words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_fit_the_page_and_long_addresses_wrap(
    tracker: Tracker, tmp_path: Path, lang: str
) -> None:
    """No word of any page lies outside its page box, the whole address is there (wrapped),
    and short cells (a region, a verdict) are not broken one character per line."""

    add_value(
        tracker, "urbanization_rate", "yrd", 2025, 71.9, sha="7",
        note=f"test fixture (not published statistics) {LONG_ADDRESS}",
        import_note=f"test fixture {LONG_ADDRESS}",
    )  # fmt: skip
    path = write_report(tracker, tmp_path / "gaps.pdf", lang=lang, milestone=2025)
    words = _words(path)
    assert words
    outside = [w for w in words if w[3] < 0 or w[4] < 0 or w[5] > w[1] + 0.5 or w[6] > w[2] + 0.5]
    assert outside == []
    # the address's pieces, line after line (other cells of the row may come between them)
    pieces = "".join(w[7] for w in words if len(w[7]) > 2 and w[7] in LONG_ADDRESS)
    assert LONG_ADDRESS in pieces
    # a region's name is one word on one line, never 中/心/区 stacked
    region = "中心区" if lang == "zh" else "Central"
    assert any(w[7] == region or w[7].startswith(region) for w in words), region
    singles = [w[7] for w in words if w[7] in ("中", "心", "区", "待", "定")]
    assert singles == []
