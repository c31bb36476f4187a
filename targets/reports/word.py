"""The assessment document as a Word file (.docx), written with python-docx from the report model.

What a planning office circulates after checking the numbers: a title page (milestone, data
version, date), the summary, the goal table (a real Word table whose header row repeats on every
page), a section per area with each goal's drafted paragraph and chart (the reports' SVG chart
drawn to PNG: Word takes no SVG), and an annex of sources with their addresses and how final each
value is. The footer numbers the pages with a PAGE field.

Fonts: Latin text in Times New Roman / Arial, Chinese in 宋体 (SimSun) for the body and 黑体
(SimHei) for headings, named in w:eastAsia as Word and WPS expect; where those are missing
(LibreOffice on Linux) the CJK fonts installed are used instead (Noto Serif/Sans CJK SC here).
python-docx has no call for a field, a repeating header row or the East Asian font slot: those
three are set on its oxml elements, each in one small function below.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from targets.display import DASH, category_name
from targets.reports.drafting import Draft, SourceEntry, TableRow
from targets.reports.model import Report
from targets.reports.steps import Progress, ProgressCallback, as_progress
from targets.reports.svg import detail_chart, to_png
from targets.reports.text import local_time, time_text
from targets.source_notes import note_text

BODY_FONT = ("Times New Roman", "SimSun")  # (Latin, East Asian)
HEADING_FONT = ("Arial", "SimHei")
NAVY = RGBColor(0x12, 0x35, 0x5B)
GREY = RGBColor(0x55, 0x55, 0x55)
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins each side
# the goal table's columns (keys of TableRow) and their widths in cm
TABLE_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("goal", "goal", 5.0),
    ("scope", "doc_scope", 3.0),
    ("value", "value", 3.3),
    ("verdict", "verdict", 3.3),
    ("source", "source", 1.4),
)
CHART_SCALE = 2.0  # 680 px wide at 2× = 1360 px across 16 cm: about 215 dpi


# ---------------------------------------------------------------------------- oxml helpers


def set_fonts(target: Any, latin: str, east_asian: str) -> None:
    """Latin and East Asian font of a style or a run (python-docx sets the Latin slot only)."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    # theme fonts win over named ones in Word: the built-in headings carry them
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def repeat_header(row: Any) -> None:
    """Mark a table row as a header row that Word repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
    # a header row split across pages would repeat half of itself
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    tr_pr.append(keep)


def add_field(paragraph: Any, instruction: str, shown: str = "1") -> None:
    """A simple field (PAGE, NUMPAGES) in a paragraph; Word and LibreOffice fill it in."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def shade(cell: Any, fill: str) -> None:
    """A cell's background colour (the table header)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


# ---------------------------------------------------------------------------- styles


def _styles(doc: Any, lang: str) -> None:
    styles = doc.styles
    # the document's defaults too: text in no style of ours (table cells) keeps the fonts
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = (
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    )
    if rpr_default is not None:
        fonts = rpr_default.get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(slot), BODY_FONT[0])
        fonts.set(qn("w:eastAsia"), BODY_FONT[1])
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        lang_default = rpr_default.find(qn("w:lang"))
        if lang_default is not None:
            lang_default.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    set_fonts(normal, *BODY_FONT)
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    # the language tags tell Word and LibreOffice which script rules (line breaking) apply
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "en-GB" if lang == "en" else "zh-CN")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang_el)
    for level, size in ((0, 20), (1, 15), (2, 13), (3, 11)):
        style = styles["Title" if level == 0 else f"Heading {level}"]
        set_fonts(style, *HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = level != 3
        style.font.color.rgb = NAVY
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level <= 1 else 8)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    set_fonts(caption, *BODY_FONT)
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = GREY


def _page(doc: Any, report: Report) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    # no page number on the title page
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = report.t("page_field").partition("{page}")
    footer.add_run(before)
    add_field(footer, "PAGE")
    footer.add_run(after)
    for run in footer.runs:
        run.font.size = Pt(9)


# ---------------------------------------------------------------------------- parts


def _title_page(doc: Any, report: Report) -> None:
    t = report.t
    for _ in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph(t("doc_title"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(t("doc_subtitle", year=report.milestone), style="Heading 1")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()
    version = DASH
    if report.data_version is not None:
        vid, when = report.data_version
        version = t("data_version_value", id=vid, date=local_time(when).strftime("%Y-%m-%d"))
    facts = [
        (t("milestone"), str(report.milestone)),
        (t("data_version"), version),
        (t("scope_regions"), report.scope_regions),
        (t("scope_indicators"), report.scope_indicators),
        (t("doc_date"), local_time(report.generated_at).strftime("%Y-%m-%d")),
    ]
    sep = "：" if report.lang == "zh" else ": "
    for label, value in facts:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(label + sep).bold = True
        p.add_run(value)
    doc.add_paragraph()
    caution = doc.add_paragraph()
    caution.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = caution.add_run(t("doc_caution"))
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(doc: Any, report: Report, draft: Draft) -> None:
    doc.add_heading(report.t("doc_summary"), level=1)
    doc.add_paragraph(draft.summary.text)
    note = doc.add_paragraph(style="Caption")
    note.add_run(report.t("drafted_note"))


def _goal_table(doc: Any, report: Report, rows: Sequence[TableRow]) -> None:
    doc.add_heading(report.t("doc_table"), level=1)
    doc.add_paragraph(report.t("doc_table_note"), style="Caption")
    table = doc.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # LibreOffice reads the grid's column widths, Word the cells': set both
    for column, (_, _, width) in zip(table.columns, TABLE_COLUMNS, strict=True):
        column.width = Cm(width)
    header = table.rows[0]
    repeat_header(header)
    for cell, (_, key, width) in zip(header.cells, TABLE_COLUMNS, strict=True):
        cell.width = Cm(width)
        shade(cell, "E6EBF2")
        run = cell.paragraphs[0].add_run(report.t(key))
        run.bold = True
        run.font.size = Pt(9)
    first: Any = None  # the goal cell of the indicator's first row, merged down its rows
    previous = None
    for r in rows:
        cells = table.add_row().cells
        for cell, (attr, _, width) in zip(cells, TABLE_COLUMNS, strict=True):
            cell.width = Cm(width)
            if attr == "goal" and r.indicator == previous:
                continue
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.line_spacing = 1.1
            run = para.add_run(str(getattr(r, attr)))
            run.font.size = Pt(9)
            if attr == "verdict" and r.verdict_code != "pending":
                run.bold = True
        if r.indicator == previous:
            first = first.merge(cells[0])
        else:
            first, previous = cells[0], r.indicator


def _areas(doc: Any, report: Report, draft: Draft, part: Progress) -> None:
    doc.add_heading(report.t("doc_areas"), level=1)
    details = {d.id: d for d in report.details}
    facts = {f.indicator: f for f in draft.facts}
    for n, area in enumerate(draft.areas, start=1):
        title = category_name(area.category, report.lang)
        numeral = _numeral(n) if report.lang == "zh" else str(n)
        doc.add_heading(report.t("doc_area", n=numeral, title=title), level=2)
        doc.add_paragraph(area.intro.text)
        for goal in area.goals:
            indicator = goal.key.split(":", 1)[1]
            doc.add_heading(goal.heading, level=3)
            doc.add_paragraph(goal.text)
            detail = details.get(indicator)
            chart = detail_chart(report, detail) if detail is not None else None
            if chart is None:
                continue
            doc.add_picture(io.BytesIO(to_png(chart.svg, CHART_SCALE)), width=Cm(TEXT_WIDTH_CM))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph(chart.caption, style="Caption")
            numbers = sorted(
                {f.source for f in facts[indicator].figures if f.source is not None}
                if indicator in facts
                else set()
            )
            if numbers:
                refs = "".join(f"[{k}]" for k in numbers)
                sep = "。" if report.lang == "zh" else ". "
                caption.add_run(sep + report.t("doc_source_line", refs=refs))
            if chart.total > chart.shown:
                doc.add_paragraph(
                    report.t("chart_more", shown=chart.shown, total=chart.total), style="Caption"
                )
        part.at(n / (len(draft.areas) + 1), "section:draft")


def _numeral(n: int) -> str:
    """一, 二, … 十九 (the areas are a handful)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def provenance(entry: SourceEntry, report: Report) -> str:
    """How final a cited value is, in words: '据公开资料整理；导入批次 #2'."""
    t = report.t
    parts = []
    if entry.derived:
        parts.append(t("prov_derived"))
    if entry.bundled:
        parts.append(t("prov_bundled"))
    if entry.provisional_reason:
        parts.append(t("prov_provisional", reason=entry.provisional_reason))
    if entry.import_id is not None:
        parts.append(t("prov_import", id=entry.import_id))
    return ("；" if report.lang == "zh" else "; ").join(parts)


def _annex(doc: Any, report: Report, draft: Draft) -> None:
    doc.add_heading(report.t("doc_annex"), level=1)
    doc.add_paragraph(report.t("doc_annex_note"), style="Caption")
    sep = " · "
    for s in draft.sources:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(0.9)
        p.paragraph_format.first_line_indent = Cm(-0.9)
        p.paragraph_format.space_after = Pt(3)
        p.add_run(f"[{s.number}] ").bold = True
        year = DASH if s.year is None else str(s.year)
        p.add_run(
            sep.join((s.indicator_name, s.region_name, year))
            + ("：" if report.lang == "zh" else ": ")
        )
        note = p.add_run(note_text(s.note, report.lang) or DASH)
        note.font.size = Pt(9)
        flags = provenance(s, report)
        if flags:
            extra = p.add_run(f"（{flags}）" if report.lang == "zh" else f" ({flags})")
            extra.font.size = Pt(9)
            extra.font.color.rgb = GREY
    doc.add_paragraph()
    stamp = doc.add_paragraph(style="Caption")
    stamp.add_run(
        f"{report.t('generated')}: {time_text(report.generated_at, report.lang)} · yrd-targets"
    )


# how the writer's part of the bar is shared (seconds on the bundled data): the charts, drawn
# to PNG one by one, take most of it
PARTS: tuple[tuple[str, float], ...] = (
    ("section:title", 0.2),
    ("section:summary", 0.2),
    ("section:gaps", 0.5),
    ("section:draft", 6.0),
    ("section:annex", 0.3),
    ("docx:save", 0.3),
)


def to_docx(report: Report, progress: ProgressCallback | Progress | None = None) -> bytes:
    """The assessment document as .docx bytes; `progress` hears each part as it starts."""
    if report.draft is None:
        raise ValueError("the report has no drafted text: build it with build_report")
    draft = report.draft
    stages = as_progress(progress).stages(PARTS)
    doc = Document()
    _styles(doc, report.lang)
    _page(doc, report)
    doc.core_properties.title = (
        f"{report.t('doc_title')} · {report.t('doc_subtitle', year=report.milestone)}"
    )
    doc.core_properties.author = "yrd-targets"
    doc.core_properties.language = "zh-CN" if report.lang == "zh" else "en-GB"
    stages.begin("section:title")
    _title_page(doc, report)
    stages.begin("section:summary")
    _summary(doc, report, draft)
    stages.begin("section:gaps")
    _goal_table(doc, report, draft.table)
    _areas(doc, report, draft, stages.begin("section:draft"))
    stages.begin("section:annex")
    _annex(doc, report, draft)
    stages.begin("docx:save")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
