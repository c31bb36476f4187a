"""The gap report as one self-contained, printable HTML file (the PDF is this file, printed).

Inline CSS, charts as inline SVG, no script and no external URL: the file can be mailed,
archived and opened offline. Print CSS puts each section on a new page (the wide gap table on
a landscape page) and numbers the pages. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from targets.display import DASH, category_name, is_missing, number, percent, status_text
from targets.progress import STATUS_COLOURS
from targets.reports.analyses import (
    ASSESSMENT_TABLE_COLUMNS,
    CONTRIBUTION_TABLE_COLUMNS,
    CONVERGENCE_TABLE_COLUMNS,
    METHODS_TABLE_COLUMNS,
)
from targets.reports.model import (
    TABLE_COLUMNS,
    IndicatorDetail,
    Report,
    goal_display,
    vintage_note,
)
from targets.reports.steps import Progress, ProgressCallback, as_progress
from targets.reports.svg import detail_chart
from targets.reports.text import local_time, method_blocks, time_text

FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @top-left { content: string(doc-title); font-size: 7.5pt; color: #777; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7.5pt; color: #777; } }
@page wide { size: A4 landscape; margin: 12mm 12mm 14mm 12mm; }
html { font-family: FONT_STACK; font-size: 9.5pt; color: #1b1f24; line-height: 1.45; }
body { margin: 0 auto; max-width: 1100px; padding: 0 12px; }
h1 { font-size: 19pt; color: #12355b; margin: 0 0 4pt; string-set: doc-title content(); line-height: 1.25; }
h2 { font-size: 14pt; color: #12355b; border-bottom: 1.5pt solid #12355b; padding-bottom: 2pt;
  margin: 0 0 8pt; }
h3 { font-size: 11.5pt; color: #12355b; margin: 12pt 0 4pt; }
h4 { font-size: 10pt; margin: 10pt 0 3pt; color: #333; }
p { margin: 3pt 0 6pt; }
p.drafted { text-align: justify; }
.note { color: #555; font-size: 8.5pt; }
section { break-before: page; }
section.first { break-before: auto; }
section.wide { page: wide; }
header.cover { border-left: 5pt solid #12355b; padding: 2pt 0 2pt 10pt; margin: 4pt 0 12pt; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 1pt 12pt; margin: 8pt 0 0;
  font-size: 9pt; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
.lede { font-size: 10.5pt; margin: 8pt 0 10pt; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5pt; margin: 6pt 0 12pt; }
.tile { border-radius: 3pt; padding: 5pt 7pt;
  border: 0.75pt solid #c9ced6; }
.tile .n { font-size: 17pt; font-weight: bold; display: block; line-height: 1.1; }
.tile .l { font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; }
th { background: #e6ebf2; color: #12355b; text-align: left; font-weight: bold; padding: 3pt 4pt;
  border-bottom: 1pt solid #9aa6b8; vertical-align: bottom; }
td { padding: 2pt 4pt; border-bottom: 0.5pt solid #dde1e6; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.status { font-weight: bold; }
td.status .word { white-space: nowrap; }
td.status .note { font-weight: normal; font-size: 90%; }
/* a region, a verdict, a year: one line, never one character per line */
td.short { white-space: nowrap; }
/* an address or a note can be one long unbreakable string: it may break anywhere, which also
   lets the table shrink its column instead of running off the page */
td.src { overflow-wrap: anywhere; word-break: break-all; font-size: 0.92em; }
table.gaps { font-size: 7.6pt; }
table.gaps td { padding: 1.6pt 3.5pt; }
td.ind { max-width: 170pt; }
table.gaps td.ind { min-width: 150pt; }
table.gaps th { white-space: normal; }
table.gaps td:nth-child(2) { white-space: nowrap; }
td.ind .unit { color: #6b7280; font-size: 0.85em; margin-left: 3pt; white-space: nowrap; }
article.indicator { break-inside: avoid; margin-bottom: 14pt; }
article.indicator + article.indicator { border-top: 0.5pt solid #c9ced6; padding-top: 4pt; }
h3.category { font-size: 12.5pt; border-left: 3pt solid #12355b; padding-left: 6pt; margin-top: 4pt; }
h3.category { break-after: avoid; }
table.nodata td { font-size: 8pt; }
table.nodata td:nth-child(2) { white-space: nowrap; }
.goal { background: #f3f5f8; border-left: 3pt solid #9aa6b8; padding: 4pt 8pt; margin: 4pt 0; }
svg.chart { width: 100%; height: auto; max-width: 680px; display: block; margin: 4pt 0; }
blockquote { margin: 2pt 0 6pt; padding: 2pt 8pt; border-left: 2pt solid #c9ced6; color: #333;
  font-size: 8.5pt; }
cite { font-style: normal; color: #555; font-size: 8pt; }
ul.method li, p.method { font-size: 8.8pt; }
.derived-mark { color: #555; }
footer { margin-top: 12pt; font-size: 8pt; color: #666; }
@media screen { section { margin-top: 28px; } body { padding-bottom: 40px; } }
""".replace("FONT_STACK", FONT_STACK)


def e(value: Any) -> str:
    """Escaped text; missing -> '—'."""
    return DASH if is_missing(value) else escape(str(value))


def _status_td(status: str, lang: str, text: str | None = None) -> str:
    """A status cell on its colour; `text` (the verdict with its notes) instead of the bare word."""
    bg, fg = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
    # the word stays on one line; the notes after it (benchmark, provisional) may wrap
    word, _, notes = (text if text is not None else status_text(status, lang)).partition(" · ")
    note = f'<span class="note"> · {escape(notes)}</span>' if notes else ""
    return (
        f'<td class="status status-{escape(status)}" style="background:{bg};color:{fg}">'
        f'<span class="word">{escape(word)}</span>{note}</td>'
    )


def _table(headers: Sequence[tuple[str, bool]], rows: Iterable[str], cls: str = "") -> str:
    """A table from (header, numeric) pairs and pre-rendered <tr> rows."""
    head = "".join(f'<th class="num">{escape(h)}</th>' if num else f"<th>{escape(h)}</th>"
                   for h, num in headers)  # fmt: skip
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _td(value: Any, num: bool = False, cls: str = "") -> str:
    classes = " ".join(c for c in ("num" if num else "", cls) if c)
    return f'<td class="{classes}">{e(value)}</td>' if classes else f"<td>{e(value)}</td>"


def _name_td(name: Any, unit: Any) -> str:
    """An indicator's name with its unit below: the numbers beside it then need no unit."""
    return f'<td class="ind">{e(name)}<span class="unit">{e(unit)}</span></td>'


# ---------------------------------------------------------------------------- sections


def _cover(report: Report) -> str:
    t = report.t
    facts = [
        (t("milestone"), str(report.milestone)),
        (t("scope_regions"), report.scope_regions),
        (t("scope_indicators"), report.scope_indicators),
        (t("data_as_of"), time_text(report.data_as_of, report.lang)),
        (t("year"), str(report.latest_year) if report.latest_year else DASH),
        (t("generated"), time_text(report.generated_at, report.lang)),
    ]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    return (
        f'<header class="cover"><h1>{escape(report.title)}</h1><dl class="facts">{dl}</dl></header>'
    )


def _lede(report: Report) -> str:
    """One sentence a reader can forward: how many goals and how they stand."""
    parts = [f"{status_text(s, report.lang)} {n}" for s, n in report.counts if n]
    if report.lang == "zh":
        return (f"本报告覆盖 {report.total} 个“指标 × 地区”目标（{report.milestone}年）："
                + "，".join(parts) + "。")  # fmt: skip
    return (f"This report covers {report.total} indicator × region goals for {report.milestone}: "
            + ", ".join(parts) + ".")  # fmt: skip


def _tiles(report: Report) -> str:
    tiles = []
    for status, n in report.counts:
        bg, fg = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
        if n == 0:  # an empty status stays quiet: a colour strip, not a block of colour
            bg, fg = "#ffffff", "#6b7280"
        share = percent(n / report.total) if report.total else DASH
        tiles.append(
            f'<div class="tile status-{escape(status)}" style="background:{bg};color:{fg};'
            f'border-left:5pt solid {STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])[0]}">'
            f'<span class="n">{n}</span><span class="l">{escape(status_text(status, report.lang))}'
            f" · {share}</span></div>"
        )
    return f'<div class="tiles">{"".join(tiles)}</div>'


def _missed(report: Report) -> str:
    t = report.t
    out = [f"<h3>{escape(t('missed'))}</h3>",
           f'<p class="note">{escape(t("missed_note", year=report.milestone))}</p>']  # fmt: skip
    if report.missed.empty:
        return "".join(out) + f"<p>{escape(t('missed_none'))}</p>"
    headers = [(t("indicator"), False), (t("region"), False), (t("goal"), False),
               (t("value"), True), (t("projected", year=report.milestone), True),
               (t("shortfall"), True), (t("status"), False)]  # fmt: skip
    rows = []
    for m in report.missed.to_dict("records"):
        d = int(m["decimals"])
        latest = f"{number(m['value'], d)} ({int(m['year'])})"
        shortfall = f"{number(m['shortfall'], d)} ({percent(m['shortfall_pct'], 1)})"
        rows.append(
            "<tr>" + _name_td(m["indicator_name"], m["unit"]) + _td(m["region_name"])
            + _td(goal_display(m, report.lang, unit=False))
            + _td(latest, True) + _td(number(m["expected"], d), True)
            + _td(shortfall, True) + _status_td(str(m["status"]), report.lang) + "</tr>"
        )  # fmt: skip
    return "".join(out) + _table(headers, rows)


def _movers(report: Report) -> str:
    t = report.t
    out = [f"<h3>{escape(t('movers'))}</h3>", f'<p class="note">{escape(t("movers_note"))}</p>']
    if report.movers.empty:
        return "".join(out) + f"<p>{escape(t('movers_none'))}</p>"
    headers = [(t("indicator"), False), (t("region"), False), (t("from"), True), (t("to"), True),
               (t("change"), True), (t("change_pct"), True), ("", False)]  # fmt: skip
    rows = []
    for m in report.movers.to_dict("records"):
        d = int(m["decimals"])
        rows.append(
            "<tr>" + _name_td(m["indicator_name"], m["unit"]) + _td(m["region_name"])
            + _td(f"{number(m['previous_value'], d)} ({m['previous_year']})", True)
            + _td(f"{number(m['value'], d)} ({m['year']})", True)
            + _td(number(m["change"], d, sign=True), True)
            + _td(percent(m["change_pct"], 1, sign=True), True)
            + _td(t(str(m["towards"]))) + "</tr>"
        )  # fmt: skip
    return "".join(out) + _table(headers, rows)


def _summary(report: Report) -> str:
    return (
        '<section class="first" id="summary">'
        + _cover(report)
        + f"<h2>{escape(report.t('summary'))}</h2>"
        + f'<p class="lede">{escape(_lede(report))}</p>'
        + _tiles(report)
        + _missed(report)
        + _movers(report)
        + "</section>"
    )


def _drafted(report: Report) -> str:
    """The drafted assessment text (targets.reports.drafting), the same words as the Word file."""
    draft = report.draft
    if draft is None:
        return ""
    t = report.t
    parts = [
        f'<section id="drafted"><h2>{escape(t("drafted"))}</h2>',
        f'<p class="note">{escape(t("drafted_note"))}</p>',
        f'<p class="drafted" data-key="summary">{escape(draft.summary.text)}</p>',
    ]
    for area in draft.areas:
        parts.append(f'<h3 class="category">{escape(area.title)}</h3>')
        parts.append(
            f'<p class="drafted" data-key="{escape(area.intro.key)}">{escape(area.intro.text)}</p>'
        )
        for goal in area.goals:
            parts.append(
                f'<h4>{escape(goal.heading)}</h4><p class="drafted" data-key="{escape(goal.key)}">'
                f"{escape(goal.text)}</p>"
            )
    parts.append("</section>")
    return "".join(parts)


def _gap_table(report: Report) -> str:
    t = report.t
    numeric = {"year", "value", "gap", "progress", "time_elapsed", "required_rate",
               "actual_rate", "projected"}  # fmt: skip
    headers = [
        (t(c, year=report.milestone) if c == "projected" else t(c), c in numeric)
        for c in TABLE_COLUMNS
    ]
    rows = []
    for r in report.table.to_dict("records"):
        cells = []
        for c in TABLE_COLUMNS:
            if c == "status":
                # the table's words: the status, and 初步 where the verdict is provisional
                cells.append(_status_td(str(r["status_code"]), report.lang, str(r["status"])))
            else:
                cells.append(
                    _name_td(r[c], r["unit"]) if c == "indicator" else _td(r[c], c in numeric)
                )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<section class="wide" id="gaps">'
        f"<h2>{escape(t('gap_table'))}</h2>"
        f'<p class="note">{escape(t("gap_table_note"))}</p>'
        + _table(headers, rows, "gaps")
        + "</section>"
    )


def _series_table(report: Report, detail: IndicatorDetail) -> str:
    wide = detail.wide()
    if wide.empty:
        return ""
    years = [int(y) for y in wide.columns]
    derived = {
        (r, int(y))
        for r, y, d in zip(
            detail.series["region"], detail.series["year"], detail.series["derived"], strict=True
        )
        if d
    }
    names = dict(zip(detail.series["region"], detail.series["region_name"], strict=True))
    status = dict(zip(detail.rows["region"], detail.rows["status"], strict=False))
    headers = [(report.t("region"), False)] + [(str(y), True) for y in years]
    headers.append((report.t("status"), False))
    rows = []
    for region in wide.index:
        cells = [_td(names.get(region, region))]
        for y in years:
            v = wide.at[region, y]
            text = number(v, detail.decimals)
            cells.append(_td(text + ("*" if (region, y) in derived and text != DASH else ""), True))
        cells.append(_status_td(str(status.get(region, "no_data")), report.lang))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note derived-mark">* {escape(report.t("derived"))}</p>' if derived else ""
    return _table(headers, rows, "series") + note


def _sources(report: Report, detail: IndicatorDetail) -> str:
    out = []
    for s in detail.sources:
        issued = f" · {report.t('issued')} {s.issued.isoformat()}" if s.issued else ""
        # the catalogue's reading notes are in English: shown to English readers only
        note = f"<br>{escape(s.note)}" if s.note and report.lang == "en" else ""
        out.append(
            f"<blockquote>{escape(s.quote)}<br><cite>《{escape(s.document)}》 · "
            f"{escape(s.section)}{escape(issued)}</cite>{note}</blockquote>"
            if report.lang == "zh"
            else f"<blockquote>{escape(s.quote)}<br><cite><i>{escape(s.document)}</i>, "
            f"{escape(s.section)}{escape(issued)}</cite>{note}</blockquote>"
        )
    return "".join(out)


def _chart(report: Report, detail: IndicatorDetail) -> str:
    chart = detail_chart(report, detail)
    if chart is None:
        return ""
    more = (
        f'<p class="note">{escape(report.t("chart_more", shown=chart.shown, total=chart.total))}</p>'
        if chart.total > chart.shown
        else ""
    )
    return (
        f'<figure style="margin:0">{chart.svg}<figcaption class="note">'
        f"{escape(chart.caption)}</figcaption></figure>{more}"
    )


def _detail(report: Report, detail: IndicatorDetail) -> str:
    t = report.t
    unit = f"（{detail.unit}）" if report.lang == "zh" else f" ({detail.unit})"
    return (
        f'<article class="indicator" id="ind-{escape(detail.id)}">'
        f'<h3>{escape(detail.name)}<span class="note">{escape(unit)}</span></h3>'
        f'<div class="goal"><b>{escape(t("goal_wording"))}:</b> {escape(detail.goal_text)}</div>'
        + _chart(report, detail)
        + _series_table(report, detail)
        + _sources(report, detail)
        + "</article>"
    )


def _details(report: Report) -> str:
    parts = [f'<section id="details"><h2>{escape(report.t("details"))}</h2>']
    for category, details in report.categories():
        parts.append(f'<h3 class="category">{escape(category_name(category, report.lang))}</h3>')
        with_data = [d for d in details if d.series["value"].notna().any()]
        parts.extend(_detail(report, d) for d in with_data)
        parts.append(_without_data(report, [d for d in details if d not in with_data]))
    parts.append("</section>")
    return "".join(parts)


def _without_data(report: Report, details: Sequence[IndicatorDetail]) -> str:
    """Indicators with no value yet: one compact table instead of an empty chart each."""
    if not details:
        return ""
    t = report.t
    rows = []
    for d in details:
        src = (
            "；".join(f"《{s.document}》{s.section}" for s in d.sources)
            if report.lang == "zh"
            else "; ".join(f"{s.document}, {s.section}" for s in d.sources)
        )
        regions = (
            "、".join(d.rows["region_name"])
            if report.lang == "zh"
            else ", ".join(d.rows["region_name"])
        )
        rows.append("<tr>" + _td(d.name) + _td(regions) + _td(d.goal_text) + _td(src) + "</tr>")
    headers = [(t("indicator"), False), (t("region"), False), (t("goal_wording"), False),
               (t("sources"), False)]  # fmt: skip
    return f"<h4>{escape(t('no_data_goals'))}</h4>" + _table(headers, rows, "nodata")


def _method(report: Report) -> str:
    t = report.t
    rows = [
        "<tr>" + _status_td(th.status, report.lang) + _td(th.rule) + "</tr>"
        for th in report.thresholds
    ]
    blocks = method_blocks(report.method, report.lang)
    body: list[str] = []
    in_list = False
    for kind, text in blocks[1:]:  # the first block is the method's own title
        if kind == "li" and not in_list:
            body.append('<ul class="method">')
            in_list = True
        elif kind != "li" and in_list:
            body.append("</ul>")
            in_list = False
        body.append(
            f"<li>{escape(text)}</li>" if kind == "li" else f'<p class="method">{escape(text)}</p>'
        )
    if in_list:
        body.append("</ul>")
    words = ""
    if report.word_goals:
        items = "".join(f"<li><b>{escape(n)}</b>: {escape(x)}</li>" for n, x in report.word_goals)
        words = f"<h3>{escape(t('words_goals'))}</h3><ul>{items}</ul>"
    return (
        f'<section id="method"><h2>{escape(t("methods"))}</h2>'
        f"<h3>{escape(t('thresholds'))}</h3>"
        + _table([(t("status"), False), (t("rule"), False)], rows)
        + "".join(body)
        + words
        + "</section>"
    )


def _vintages(report: Report) -> str:
    t = report.t
    head = f'<section id="vintages"><h2>{escape(t("vintages"))}</h2>'
    if not report.vintages:
        return head + f"<p>{escape(t('vintage_none'))}</p></section>"
    headers = [(t("import_id"), True), (t("file_name"), False), (t("imported_at"), False),
               (t("user"), False), (t("rows"), True), (t("used"), True), (t("note"), False)]  # fmt: skip
    rows = [
        "<tr>" + _td(f"#{v.id}", True) + _td(v.file_name, cls="src")
        + _td(local_time(v.created_at).strftime("%Y-%m-%d %H:%M"), cls="short")
        + _td(v.user) + _td(f"{v.rows:,}", True) + _td(f"{v.used:,}", True)
        + _td(vintage_note(v.note, report), cls="src") + "</tr>"
        for v in report.vintages
    ]  # fmt: skip
    zone = "北京时间" if report.lang == "zh" else "Beijing time"
    return (
        head
        + f'<p class="note">{escape(t("vintages_note"))} ({escape(zone)})</p>'
        + _table(headers, rows)
        + f"<footer>{escape(t('generated'))}: {escape(time_text(report.generated_at, report.lang))}"
        + " · targets</footer></section>"
    )


# columns of the analysis tables that hold a short word or number (kept on one line), and
# those that hold an address or a free note (broken anywhere)
SHORT_COLUMNS = frozenset({"region", "verdict", "trend", "years", "contrib_year"})
SOURCE_COLUMNS = frozenset({"source", "note"})


def _frame_td(value: Any, column: str, numeric: set[str]) -> str:
    if column in numeric:
        return _td(value, True)
    if column in SHORT_COLUMNS:
        return _td(value, cls="short")
    return _td(value, cls="src") if column in SOURCE_COLUMNS else _td(value)


def _frame_section(
    report: Report,
    frame: Any,
    columns: Sequence[str],
    section_id: str,
    numeric: set[str],
    *,
    wide: bool = False,
) -> str:
    """A section of one display frame (assessment, convergence): heading, note, table.

    `wide` puts it on a landscape page (tables of seven or more columns).
    """
    t = report.t
    title = t(section_id, year=report.milestone) if section_id == "assessment" else t(section_id)
    klass = ' class="wide"' if wide else ""
    head = f'<section id="{section_id}"{klass}><h2>{escape(title)}</h2>'
    head += f'<p class="note">{escape(t(section_id + "_note"))}</p>'
    if frame is None or frame.empty:
        return head + f"<p>{escape(t('none'))}</p></section>"
    rows = [
        "<tr>" + "".join(_frame_td(r[c], c, numeric) for c in columns) + "</tr>"
        for r in frame.to_dict("records")
    ]
    return head + _table([(t(c), c in numeric) for c in columns], rows) + "</section>"


def _assessment(report: Report) -> str:
    numeric = {"goal", "value", "margin"}
    return _frame_section(
        report, report.assessment, ASSESSMENT_TABLE_COLUMNS, "assessment", numeric, wide=True
    )


def _convergence(report: Report) -> str:
    numeric = {"years", "cv", "maxmin"}
    return _frame_section(
        report, report.convergence, CONVERGENCE_TABLE_COLUMNS, "convergence", numeric
    )


def _contribution(report: Report) -> str:
    numeric = {"contrib_year", "value", "share"}
    return _frame_section(
        report, report.contribution, CONTRIBUTION_TABLE_COLUMNS, "contribution", numeric, wide=True
    )


def _methods(report: Report) -> str:
    return _frame_section(
        report, report.methods, METHODS_TABLE_COLUMNS, "methods_compare", set(), wide=True
    )


# how the HTML's part of the bar is shared: the indicator details (one SVG chart each) take
# nearly all of the time on the bundled data, every other section about a millisecond
SECTIONS: tuple[tuple[str, Callable[[Report], str], float], ...] = (
    ("summary", _summary, 1.0),
    ("draft", _drafted, 1.0),
    ("gaps", _gap_table, 1.0),
    ("assessment", _assessment, 1.0),
    ("convergence", _convergence, 1.0),
    ("contribution", _contribution, 2.0),
    ("methods", _methods, 1.0),
    ("indicators", _details, 30.0),
    ("method", _method, 1.0),
    ("vintages", _vintages, 1.0),
)


def to_html(report: Report, progress: ProgressCallback | Progress | None = None) -> str:
    """The whole report as one HTML document; `progress` hears each section as it starts."""
    lang = "zh-CN" if report.lang == "zh" else "en"
    parts = as_progress(progress).split([weight for _, _, weight in SECTIONS])
    body = []
    for (name, section, _), part in zip(SECTIONS, parts, strict=True):
        part.begin(f"section:{name}")
        body.append(section(report))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
