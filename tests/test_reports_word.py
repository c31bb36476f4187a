"""The assessment document (.docx): opened with python-docx, and rendered by LibreOffice to PDF.

The LibreOffice check needs `soffice` (Debian libreoffice-writer-nogui), the Noto CJK fonts and
pdftotext: skipped locally without them, failed under CI=true.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from targets.reports import MEDIA_TYPES, build_report, render, write_report
from targets.reports.model import Report
from tests.conftest import require
from tests.fixtures import build_fixture_db


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    """The fixture database's 2025 assessment, in Chinese, built once for the module."""
    tmp = tmp_path_factory.mktemp("word")
    tracker = build_fixture_db(f"sqlite:///{tmp / 'targets.db'}")
    report = build_report(tracker, lang="zh", milestone=2025)
    path = tmp / "2025-assessment.docx"
    path.write_bytes(render(report, "docx"))
    return report, path


def _headings(document: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_title_page_headings_and_paragraphs(built: tuple[Report, Path]) -> None:
    report, path = built
    document = docx.Document(str(path))
    assert report.draft is not None
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("长三角一体化发展规划实施情况评估报告") + 1] == "2025年量化目标"
    vid, _ = report.data_version or (None, None)
    assert any(t.startswith(f"数据版本：第{vid}批导入（20") for t in texts)
    assert _headings(document, 1) == [
        "2025年量化目标",  # the title page's subtitle
        "一、总体情况",
        "二、目标实现情况一览",
        "三、分领域评估",
        "附录：资料来源",
    ]
    assert _headings(document, 2)[0].startswith("（一）")
    # every drafted paragraph is in the document, word for word, in reading order
    drafted = [p.text for p in report.draft.paragraphs()]
    found = [t for t in texts if t in drafted]
    assert found == drafted
    assert set(_headings(document, 3)) == {p.heading for a in report.draft.areas for p in a.goals}


def test_goal_table_is_a_word_table_with_a_repeating_header(built: tuple[Report, Path]) -> None:
    report, path = built
    assert report.draft is not None
    document = docx.Document(str(path))
    [table] = document.tables
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["目标", "范围", "最新值", "结论", "来源"]
    tr_pr = header._tr.trPr
    assert tr_pr is not None
    flag = tr_pr.find(qn("w:tblHeader"))
    assert flag is not None and flag.get(qn("w:val")) == "true"
    # no other row repeats
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
               for r in table.rows[1:])  # fmt: skip
    body = [[c.text for c in r.cells[1:]] for r in table.rows[1:]]
    assert body == [[r.scope, r.value, r.verdict, r.source] for r in report.draft.table]
    # the goal column is merged down each indicator's rows: one cell restarts, the rest continue
    merges = [r._tr.tc_lst[0].vMerge for r in table.rows[1:]]
    starts = [i for i, m in enumerate(merges) if m == "restart"]
    rd = [i for i, r in enumerate(report.draft.table) if r.indicator == "rd_intensity"]
    assert len(rd) == 5 and rd[0] in starts
    assert merges[rd[1] : rd[-1] + 1] == ["continue"] * 4
    assert table.rows[1 + rd[0]].cells[0].text == "研发投入强度 > 3.00%"


def test_one_chart_per_goal_with_values(built: tuple[Report, Path]) -> None:
    report, path = built
    document = docx.Document(str(path))
    with_values = [d for d in report.details if d.series["value"].notna().any()]
    assert len(document.inline_shapes) == len(with_values) >= 4
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        assert part.content_type == "image/png"
        assert part.blob[:8] == b"\x89PNG\r\n\x1a\n"
        assert shape.width == docx.shared.Cm(16)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("研发投入强度（%）：各地区数值与2025年目标") and "资料来源：附录[" in c
               for c in captions)  # fmt: skip


def test_footer_numbers_pages_and_fonts_name_the_east_asian_slot(
    built: tuple[Report, Path],
) -> None:
    _, path = built
    document = docx.Document(str(path))
    section = document.sections[0]
    assert section.different_first_page_header_footer  # no number on the title page
    footer = section.footer.paragraphs[0]
    fields = footer._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == "第 1 页"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "SimSun"
    assert normal.get(qn("w:ascii")) == "Times New Roman"
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "SimHei"
    assert heading.get(qn("w:asciiTheme")) is None  # a theme font would win over SimHei


def test_annex_lists_each_source_with_its_address_and_provenance(
    built: tuple[Report, Path],
) -> None:
    report, path = built
    assert report.draft is not None
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    annex = texts[texts.index("附录：资料来源") :]
    entries = [t for t in annex if t.startswith("[")]
    assert len(entries) == len(report.draft.sources)
    first = report.draft.sources[0]
    assert entries[0].startswith(
        f"[1] {first.indicator_name} · {first.region_name} · {first.year}："
    )
    assert "test fixture (not published statistics)" in entries[0]
    assert "导入批次 #1" in entries[0]
    assert all(
        ("由组成序列测算" in entries[s.number - 1]) == s.derived for s in report.draft.sources
    )


def test_english_document(tmp_path: Path, sqlite_url: str) -> None:
    tracker = build_fixture_db(sqlite_url)
    path = write_report(tracker, tmp_path / "assessment.docx", lang="en", milestone=2025)
    document = docx.Document(str(path))
    assert _headings(document, 1)[1:] == [
        "1. Summary",
        "2. The goals at a glance",
        "3. Assessment by area",
        "Annex: sources",
    ]
    footer = document.sections[0].footer.paragraphs[0]
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == "page 1"
    assert MEDIA_TYPES["docx"].endswith("wordprocessingml.document")


def test_libreoffice_renders_it_with_the_table_figures(
    built: tuple[Report, Path], tmp_path: Path
) -> None:
    report, path = built
    assert report.draft is not None
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require(
        soffice is not None,
        "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
    )
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    assert soffice is not None
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out / "2025-assessment.pdf"
    assert pdf.exists()
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    # every figure of the goal table with its year, every verdict, and the page numbers
    for row in report.draft.table:
        assert "".join(row.value.split()) in flat, row.value
        assert "".join(row.verdict.split("（")[0].split()) in flat, row.verdict
    assert "一、总体情况" in flat and "第2页" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts  # the Chinese text is drawn in a CJK font, not boxes
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) >= 5
