"""The upload page's reports: what a check found (the first errors located, the rest counted, in
an excerpt of the sheet made where the file was read; or the diff against the values in force)
and what an import stored.

Outside dashboard/pages/ because Dash imports every module there as a page. File contents,
names and notes are shown as text only: Dash escapes text children, and the grids render cell
values as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.i18n import TEXT, grid_locale, t
from dashboard.pages import href
from targets.display import number
from targets.ingest import ImportResult, ParsedUpload
from targets.ingest import preview as excerpt
from targets.ingest.preview import SheetPreview
from targets.issues import FileReport, Issue, Notice, more_errors_text

if TYPE_CHECKING:
    from targets.tracker import Tracker

DIFF_ROWS = 2_000  # rows of what an import changes sent to the page (the counts cover all)
ERROR_STYLE = {"backgroundColor": "#f8d7da", "color": "#58151c", "fontWeight": "bold"}
MARK = "⚠ "  # marks an offending cell in words as well as colour


def report_view(result: ImportResult, tr: Tracker, lang: str) -> list[Any]:
    parts: list[Any] = [html.H2(t("upload_report", lang), className="h4")]
    for index, fr in enumerate(result.report.files):
        upload = result.uploads.get(fr.file)
        body: list[Any] = []
        if fr.errors:
            body.append(issues_table(fr, lang))
            if upload is not None:
                body += preview_grids(upload.previews, fr.file, fr.errors, index, lang)
        elif fr.file in result.diffs:
            body.append(diff_view(result.diffs[fr.file], tr, index, lang))
        body.append(warnings_list(fr.warnings, lang))
        parts.append(
            dbc.Card(
                [
                    dbc.CardHeader(file_heading(fr, upload, lang)),
                    dbc.CardBody(body),
                ],
                className="mb-3 upload-file-report",
            )
        )
    return parts


def file_heading(fr: FileReport, upload: ParsedUpload | None, lang: str) -> list[Any]:
    if fr.errors:
        status, colour = t("upload_refused", lang, n=f"{fr.error_count:,}"), "danger"
    elif fr.duplicate_of is not None:
        status, colour = t("upload_duplicate", lang, id=fr.duplicate_of), "secondary"
    else:
        status, colour = t("upload_accepted", lang, rows=fr.rows), "success"
    layout = (
        t("layout_label", lang, layout=layout_words(upload.layout_summary(), lang))
        if upload is not None and upload.ok
        else ""
    )
    return [
        html.Strong(fr.file, className="me-2"),
        dbc.Badge(status, color=colour, className="me-2"),
        html.Span(layout, className="small text-body-secondary"),
    ]


def layout_words(summary: str, lang: str) -> str:
    """'S1: indicator-columns; S2: long' -> 'S1: 每列一个指标; S2: 长表，每行一个数值'.

    Each layout code (targets.ingest.layouts) in words; a code this page does not know is shown
    as it is rather than hidden.
    """

    def words(code: str) -> str:
        parts = code.split("+")
        known = [f"layout_{p}" in TEXT for p in parts]
        return " + ".join(
            t(f"layout_{p}", lang) if k else p for p, k in zip(parts, known, strict=True)
        )

    out = []
    for part in summary.split("; "):
        sheet, sep, code = part.rpartition(": ")
        out.append(f"{sheet}{sep}{words(code)}")
    return "; ".join(out)


def issues_table(fr: FileReport, lang: str) -> html.Div:
    """The errors listed with their places, then a line per code for those not listed."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"upload_{k}", lang), scope="col")
                for k in ("sheet", "cell", "code", "message", "suggestion")
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(i.sheet),
                html.Td(_cell_name(i)),
                html.Td(html.Code(i.code)),
                html.Td(i.message),
                html.Td(i.suggestion),
            ]
        )
        for i in fr.errors
    ]
    more: list[Any] = []
    if fr.more_errors:
        more = [
            html.P(t("upload_more_errors", lang, shown=f"{len(fr.errors):,}"), className="mb-1"),
            html.Ul(
                [html.Li(line) for line in more_errors_text(fr.more_errors, lang)],
                className="upload-more-errors",
            ),
        ]
    return html.Div(
        [
            html.H3(t("upload_errors", lang), className="h6"),
            *more,
            html.Table(
                [head, html.Tbody(rows)],
                className="table table-sm table-bordered upload-issues",
            ),
        ],
        className="table-responsive",
    )


def _cell_name(issue: Issue) -> str:
    if issue.row is not None:
        return f"{issue.column}{issue.row}" if issue.column else str(issue.row)
    return issue.column


def warnings_list(warnings: list[Notice], lang: str) -> Any:
    if not warnings:
        return html.Div()
    return html.Div(
        [
            html.H3(t("upload_warnings", lang), className="h6"),
            html.Ul([html.Li(w.text(lang)) for w in warnings]),
        ]
    )


def preview_grids(
    previews: list[SheetPreview], file_name: str, issues: list[Issue], index: int, lang: str
) -> list[Any]:
    """The cells of each sheet that has located errors, offending cells marked (the excerpt was
    made where the file was read: the file is never read again here)."""
    grids = []
    for n, preview in enumerate(previews):
        mine = [i for i in issues if i.sheet == preview.sheet or (not i.sheet and n == 0)]
        name = preview.sheet or file_name  # a CSV has one sheet without a name
        grids += [
            html.H3(t("upload_preview", lang, sheet=name), className="h6 mt-3"),
            html.P(t("upload_preview_rows", lang, n=excerpt.ROWS), className="small"),
            preview_grid(preview, mine, f"upload-preview-{index}-{n}", lang),
        ]
    return grids


def preview_grid(
    preview: SheetPreview, issues: list[Issue], grid_id: str, lang: str = "zh"
) -> dag.AgGrid:
    """An AG Grid of the excerpt (Excel row numbers and column letters), error cells marked, and
    a last column with the suggestions for the row's errors (did you mean 安徽?)."""
    bad_cells = {(i.row, i.column) for i in issues if i.row is not None and i.column}
    bad_rows = sorted({i.row for i in issues if i.row is not None})
    records = []
    for row, texts in zip(preview.rows, preview.cells, strict=True):
        record: dict[str, Any] = {"_row": row}
        for letter, text in zip(preview.columns, texts, strict=True):
            record[letter] = MARK + text if (row, letter) in bad_cells else text
        record["_suggestion"] = "; ".join(
            f"{x.column}{x.row}: {x.suggestion}" for x in issues if x.row == row and x.suggestion
        )
        records.append(record)
    column_defs: list[dict[str, Any]] = [
        {
            "field": "_row",
            "headerName": "#",
            "pinned": "left",
            "width": 70,
            "cellStyle": _style_rows(bad_rows),
        }
    ]
    for letter in preview.columns:
        rows = sorted(r for r, c in bad_cells if c == letter)
        column_def: dict[str, Any] = {"field": letter, "headerName": letter}
        if rows:
            column_def["cellStyle"] = _style_rows(rows)
        column_defs.append(column_def)
    column_defs.append(
        {"field": "_suggestion", "headerName": t("upload_suggestion", lang), "minWidth": 200}
    )
    return dag.AgGrid(
        id=grid_id,
        rowData=records,
        columnDefs=column_defs,
        defaultColDef={"resizable": True, "sortable": False, "minWidth": 80},
        dashGridOptions={
            "ensureDomOrder": True,
            "enableCellTextSelection": True,
            "localeText": grid_locale(lang),
            # a short sheet is shown whole; a long one scrolls inside a fixed height
            **({"domLayout": "autoHeight"} if len(records) <= 12 else {}),
        },
        style={} if len(records) <= 12 else {"height": "420px"},
        className="ag-theme-alpine upload-preview",
    )


def _style_rows(rows: list[int]) -> dict[str, Any]:
    # the condition holds only integers we generated: no text of the file reaches the expression
    listed = ", ".join(str(int(r)) for r in rows)
    return {
        "styleConditions": [
            {"condition": f"[{listed}].includes(params.data._row)", "style": ERROR_STYLE}
        ]
    }


def derived_values(tr: Tracker, diff: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    """(indicator, region, year) -> the value this tool derives there now, for the diff's keys."""
    if diff.empty:
        return {}
    obs = tr.observations(
        indicators=sorted(set(diff["indicator"].astype(str))),
        regions=sorted(set(diff["region"].astype(str))),
    )
    obs = obs[obs["derived"].to_numpy(dtype=bool)]
    return {
        (str(i), str(r), int(y)): float(v)
        for i, r, y, v in zip(
            obs["indicator"], obs["region"], obs["year"], obs["value"], strict=True
        )
        if v is not None and v == v
    }


def diff_view(diff: pd.DataFrame, tr: Tracker, index: int | str, lang: str) -> html.Div:
    """Counts and a grid of what the import changes, revised values first."""
    counts = diff["change"].value_counts()
    order = {"revised": 0, "new": 1, "unchanged": 2}
    frame = diff.assign(_order=diff["change"].map(order)).sort_values(
        ["_order", "indicator", "region", "year"], ignore_index=True
    )
    shown = frame.head(DIFF_ROWS)  # a page of a million rows would hold the server and the browser
    derived = derived_values(tr, shown)
    records = []
    for row in shown.itertuples(index=False):
        ind = tr.catalogue.lookup(row.indicator)
        reg = tr.regions.try_resolve(row.region)
        decimals = ind.decimals if ind is not None else 2
        old, change = number(row.old, decimals), t(f"upload_change_{row.change}", lang)
        was = derived.get((str(row.indicator), str(row.region), int(row.year)))
        if row.change == "new" and was is not None:
            # a value shown as derived until now: say what it replaces, not "— → 62.8 new"
            old = number(was, decimals)
            change = t(
                "upload_change_replaces_derived",
                lang,
                old=old,
                new=number(row.new, decimals),
            )
        records.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else row.indicator,
                "region": reg.name.get(lang) if reg is not None else row.region,
                "year": int(row.year),
                "old": old,
                "new": number(row.new, decimals),
                "change": change,
            }
        )
    revised = t("upload_change_revised", lang)
    column_defs = [
        {
            "field": k,
            "headerName": t(k if k in ("indicator", "region", "year") else f"upload_{k}", lang),
        }
        for k in ("indicator", "region", "year", "old", "new", "change")
    ]
    return html.Div(
        [
            html.H3(t("upload_diff", lang), className="h6"),
            html.P(
                t(
                    "upload_counts",
                    lang,
                    new=int(counts.get("new", 0)),
                    unchanged=int(counts.get("unchanged", 0)),
                    revised=int(counts.get("revised", 0)),
                ),
                className="upload-diff-counts",
            ),
            html.P(
                t("upload_diff_rows", lang, shown=f"{len(shown):,}", total=f"{len(frame):,}")
                if len(shown) < len(frame)
                else "",
                className="small upload-diff-shown",
            ),
            dag.AgGrid(
                id=f"upload-diff-{index}",
                rowData=records,
                columnDefs=column_defs,
                defaultColDef={"resizable": True, "sortable": True, "filter": True},
                dashGridOptions={
                    "ensureDomOrder": True,
                    "enableCellTextSelection": True,
                    "localeText": grid_locale(lang),
                },
                getRowStyle={
                    "styleConditions": [
                        {
                            # a literal we wrote, compared with a value we wrote
                            "condition": f"params.data.change === {revised!r}",
                            "style": {"backgroundColor": "#fff3cd"},
                        }
                    ]
                },
                style={"height": "320px"},
                className="ag-theme-alpine upload-diff",
            ),
        ]
    )


def commit_view(result: ImportResult, lang: str) -> list[Any]:
    items = []
    for fr in result.report.files:
        if fr.import_id is not None:
            status = t("upload_imported", lang, id=fr.import_id, rows=fr.rows)
        elif fr.duplicate_of is not None:
            status = t("upload_duplicate", lang, id=fr.duplicate_of)
        else:
            status = (
                t("upload_refused", lang, n=f"{fr.error_count:,}")
                if fr.errors
                else t("upload_not_imported", lang)
            )
        items.append(
            html.Li(
                [
                    html.Strong(fr.file),
                    html.Span(": " + status, className="upload-commit-status"),
                    warnings_list(fr.warnings, lang),
                    issues_table(fr, lang) if fr.errors else html.Div(),
                ],
                className="mb-2",
            )
        )
    return [
        html.H2(t("upload_result", lang), className="h4"),
        dbc.Alert(html.Ul(items, className="mb-0"), color="info"),
        dcc.Link(t("upload_see_history", lang), href=href("/history", lang)),
    ]
