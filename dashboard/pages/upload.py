"""Upload (/upload, editors only): drop files, check them (dry run), see the report, confirm.

The check shows, per file, every error located (sheet, cell, code, message, suggestion) with a
grid of the sheet's cells where the offending cells are marked, or, for a file that passes, what
the import would change (new / unchanged / revised old -> new). Confirm imports exactly the bytes
that were checked (their sha256 is kept from the check). Both steps re-check the account's role on
the server; the page shown to others only says to log in as an editor.

File contents, names and notes are shown as text only: Dash escapes text children, and the grids
render cell values as text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import ids as shell_ids
from dashboard import sessions
from dashboard.format import number
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import add_page, href, lang_from_search, tracker
from targets import config
from targets.ingest import ImportResult, ParsedUpload, ReadError, import_files, read_workbook
from targets.issues import FileReport, Issue, column_letter

UPLOAD_FILES = "upload-files"
UPLOAD_BROWSE = "upload-browse"
UPLOAD_SELECTED = "upload-selected"
UPLOAD_YEAR = "upload-year"
UPLOAD_NOTE = "upload-note"
UPLOAD_CHECK = "upload-check"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_REPORT = "upload-report"
UPLOAD_RESULT = "upload-result"
UPLOAD_CHECKED = "upload-checked"
UPLOAD_REFUSED = "upload-refused"

PREVIEW_ROWS = 100  # first rows of a sheet shown in the preview, plus every row with an error
PREVIEW_EXTRA_ROWS = 200
PREVIEW_COLUMNS = 40
PREVIEW_SHEETS = 10
MAX_NOTE_CHARS = 500
ERROR_STYLE = {"backgroundColor": "#f8d7da", "color": "#58151c", "fontWeight": "bold"}
POLITE: dict[str, Any] = {"aria-live": "polite"}  # screen readers announce the report
MARK = "⚠ "  # marks an offending cell in words as well as colour


def register(app: dash.Dash) -> None:
    add_page(
        __name__, path="/upload", label=TEXT["upload_page"], order=50, layout=layout, role="editor"
    )
    # dcc.Upload's own <input type=file> has no label and takes a Tab stop of its own: name it
    # and leave the keyboard to the visible "choose files" button (the element may render late,
    # the drop zone is loaded asynchronously, so look for it a few times)
    app.clientside_callback(
        """
        function(label, id) {
            let tries = 0;
            const mark = () => {
                const input = document.querySelector('#' + id + ' input[type=file]');
                if (input) {
                    input.setAttribute('aria-label', label);
                    input.setAttribute('tabindex', '-1');
                } else if (tries++ < 50) {
                    setTimeout(mark, 100);
                }
            };
            mark();
            return window.dash_clientside.no_update;
        }
        """,
        Output(UPLOAD_BROWSE, "title"),
        Input(UPLOAD_BROWSE, "children"),
        State(UPLOAD_FILES, "id"),
    )
    app.callback(
        Output(UPLOAD_SELECTED, "children"),
        Output(UPLOAD_REPORT, "children", allow_duplicate=True),
        Output(UPLOAD_RESULT, "children", allow_duplicate=True),
        Output(UPLOAD_CONFIRM, "disabled", allow_duplicate=True),
        Input(UPLOAD_FILES, "filename"),
        State(shell_ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(selected)
    app.callback(
        Output(UPLOAD_REPORT, "children"),
        Output(UPLOAD_RESULT, "children"),
        Output(UPLOAD_CONFIRM, "disabled"),
        Output(UPLOAD_CHECKED, "data"),
        Input(UPLOAD_CHECK, "n_clicks"),
        Input(UPLOAD_CONFIRM, "n_clicks"),
        State(UPLOAD_FILES, "contents"),
        State(UPLOAD_FILES, "filename"),
        State(UPLOAD_YEAR, "value"),
        State(UPLOAD_NOTE, "value"),
        State(UPLOAD_CHECKED, "data"),
        State(shell_ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(act)


# -- layout ------------------------------------------------------------------------------------


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    heading = html.H1(t("upload_heading", lang), className="h3")
    if sessions.editor() is None:
        return html.Div([heading, refusal(lang)])
    mb = config.MAX_UPLOAD_BYTES / 1024 / 1024
    return html.Div(
        [
            heading,
            html.P(t("upload_intro", lang)),
            html.Label(
                t("upload_files", lang), htmlFor=UPLOAD_BROWSE, className="form-label fw-semibold"
            ),
            dcc.Upload(
                html.Div(
                    [
                        html.Span(t("upload_drop", lang) + " "),
                        # a real button: reachable with Tab, Enter opens the file dialog (the
                        # click bubbles to the drop zone)
                        html.Button(
                            t("upload_browse", lang),
                            id=UPLOAD_BROWSE,
                            type="button",
                            className="btn btn-outline-primary btn-sm",
                        ),
                    ]
                ),
                id=UPLOAD_FILES,
                multiple=True,
                max_size=config.MAX_UPLOAD_BYTES,
                accept=".xlsx,.xlsm,.xls,.ods,.csv,.txt",
                className="upload-drop border border-2 rounded p-4 text-center mb-1",
                style={"borderStyle": "dashed"},
            ),
            html.P(t("upload_limit", lang, mb=f"{mb:g}"), className="small text-body-secondary"),
            html.Div(
                t("upload_none_selected", lang), id=UPLOAD_SELECTED, className="mb-3", role="status"
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label(
                                t("upload_year", lang), htmlFor=UPLOAD_YEAR, className="form-label"
                            ),
                            dcc.Input(
                                id=UPLOAD_YEAR,
                                type="number",
                                min=1949,
                                max=2100,
                                step=1,
                                className="form-control",
                            ),
                            html.Div(
                                t("upload_year_help", lang),
                                id=f"{UPLOAD_YEAR}-help",
                                className="form-text",
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            html.Label(
                                t("upload_note", lang), htmlFor=UPLOAD_NOTE, className="form-label"
                            ),
                            dcc.Input(
                                id=UPLOAD_NOTE,
                                type="text",
                                maxLength=MAX_NOTE_CHARS,
                                className="form-control",
                            ),
                            html.Div(
                                t("upload_note_help", lang),
                                id=f"{UPLOAD_NOTE}-help",
                                className="form-text",
                            ),
                        ],
                        md=9,
                    ),
                ],
                className="mb-3",
            ),
            html.Div(
                [
                    html.Button(
                        t("upload_check", lang),
                        id=UPLOAD_CHECK,
                        type="button",
                        className="btn btn-primary me-2",
                    ),
                    html.Button(
                        t("upload_confirm", lang),
                        id=UPLOAD_CONFIRM,
                        type="button",
                        disabled=True,
                        className="btn btn-success",
                    ),
                ],
                className="mb-3",
            ),
            dcc.Store(id=UPLOAD_CHECKED),
            dcc.Loading(
                [
                    html.Section(id=UPLOAD_REPORT, **POLITE),
                    html.Section(id=UPLOAD_RESULT, **POLITE),
                ],
                type="default",
            ),
        ]
    )


def refusal(lang: str) -> dbc.Alert:
    """What anyone but an editor sees, on the page and in answer to a protected callback."""
    return dbc.Alert(
        [
            html.Span(t("upload_need_editor", lang) + " "),
            dcc.Link(
                t("log_in", lang),
                href=href(sessions.LOGIN_PATH, lang, next=href("/upload", lang)),
                className="alert-link",
            ),
        ],
        id=UPLOAD_REFUSED,
        color="warning",
    )


# -- callbacks ---------------------------------------------------------------------------------


def selected(filenames: list[str] | None, search: str | None) -> tuple[Any, list, list, bool]:
    """New files chosen: list them, forget the last report (a new check is needed)."""
    lang = lang_from_search(search)
    if not filenames:
        return t("upload_none_selected", lang), [], [], True
    chosen = html.Div(
        [
            html.Span(t("upload_selected", lang) + " "),
            html.Ul([html.Li(name) for name in filenames]),
        ]
    )
    return chosen, [], [], True


def act(
    check_clicks: int | None,
    confirm_clicks: int | None,
    contents: list[str] | None,
    filenames: list[str] | None,
    year: Any,
    note: str | None,
    checked: dict[str, Any] | None,
    search: str | None,
) -> tuple[Any, Any, bool, Any]:
    """The dry run (check button) or the import (confirm button); editors only."""
    lang = lang_from_search(search)
    user = sessions.editor()  # checked here, on the server, for every request
    if user is None:
        return refusal(lang), [], True, None
    files, problem = decode_files(contents, filenames, lang)
    if problem:
        return dbc.Alert(problem, color="danger"), [], True, None
    year_value = _year(year)
    signature = {
        "files": [[name, hashlib.sha256(data).hexdigest()] for name, data in files],
        "year": year_value,
    }
    tr = tracker()
    note_text = (note or "").strip()[:MAX_NOTE_CHARS]
    if dash.ctx.triggered_id == UPLOAD_CONFIRM:
        if not checked or checked != signature:
            return dash.no_update, dbc.Alert(t("upload_changed", lang), color="warning"), True, None
        result = import_files(
            tr.store, tr.catalogue, tr.regions, files,
            year=year_value, dry_run=False, user=user["name"], note=note_text, lang=lang,
        )  # fmt: skip
        return dash.no_update, commit_view(result, lang), True, None
    result = import_files(
        tr.store, tr.catalogue, tr.regions, files,
        year=year_value, dry_run=True, user=user["name"], note=note_text, lang=lang,
    )  # fmt: skip
    importable = any(f.ok and f.duplicate_of is None and f.rows > 0 for f in result.report.files)
    datas = dict(files)
    return report_view(result, datas, tr, lang), [], not importable, signature


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1949 <= year <= 2100 else None


def decode_files(
    contents: list[str] | None, filenames: list[str] | None, lang: str
) -> tuple[list[tuple[str, bytes]], str]:
    """dcc.Upload's data URLs -> [(name, bytes)], or an error message (sizes checked first)."""
    if not contents or not filenames or len(contents) != len(filenames):
        return [], t("upload_no_files", lang)
    # the size is known from the base64 length before anything is decoded
    estimate = sum(len(c.partition(",")[2]) * 3 // 4 for c in contents if isinstance(c, str))
    if estimate > config.MAX_UPLOAD_BYTES:
        return [], t(
            "upload_too_large", lang, size=f"{estimate:,}", limit=f"{config.MAX_UPLOAD_BYTES:,}"
        )
    files = []
    for name, content in zip(filenames, contents, strict=True):
        if not isinstance(content, str) or not isinstance(name, str):
            return [], t("upload_bad_contents", lang)
        try:
            data = base64.b64decode(content.partition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            return [], t("upload_bad_contents", lang)
        files.append((name, data))
    total = sum(len(d) for _, d in files)
    if total > config.MAX_UPLOAD_BYTES:
        return [], t(
            "upload_too_large", lang, size=f"{total:,}", limit=f"{config.MAX_UPLOAD_BYTES:,}"
        )
    return files, ""


# -- report views ------------------------------------------------------------------------------


def report_view(result: ImportResult, datas: dict[str, bytes], tr: Any, lang: str) -> list[Any]:
    parts: list[Any] = [html.H2(t("upload_report", lang), className="h4")]
    for index, fr in enumerate(result.report.files):
        upload = result.uploads.get(fr.file)
        body: list[Any] = []
        if fr.errors:
            body.append(issues_table(fr.errors, lang))
            body += preview_grids(datas.get(fr.file), fr.file, fr.errors, index, lang)
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
        status, colour = t("upload_refused", lang, n=len(fr.errors)), "danger"
    elif fr.duplicate_of is not None:
        status, colour = t("upload_duplicate", lang, id=fr.duplicate_of), "secondary"
    else:
        status, colour = t("upload_accepted", lang, rows=fr.rows), "success"
    layout = upload.layout_summary() if upload is not None and upload.ok else ""
    return [
        html.Strong(fr.file, className="me-2"),
        dbc.Badge(status, color=colour, className="me-2"),
        html.Span(layout, className="small text-body-secondary"),
    ]


def issues_table(issues: list[Issue], lang: str) -> html.Div:
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
        for i in issues
    ]
    return html.Div(
        [
            html.H3(t("upload_errors", lang), className="h6"),
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


def warnings_list(warnings: list[str], lang: str) -> Any:
    if not warnings:
        return html.Div()
    return html.Div(
        [
            html.H3(t("upload_warnings", lang), className="h6"),
            html.Ul([html.Li(w) for w in warnings]),
        ]
    )


def preview_grids(
    data: bytes | None, file_name: str, issues: list[Issue], index: int, lang: str
) -> list[Any]:
    """The raw cells of each sheet that has located errors, offending cells marked."""
    located = [i for i in issues if i.row is not None or i.column]
    if data is None or not located:
        return []
    try:
        book = read_workbook(data)
    except ReadError:
        return []
    grids = []
    for n, sheet in enumerate(book.sheets[:PREVIEW_SHEETS]):
        mine = [i for i in located if i.sheet == sheet.name or (not i.sheet and n == 0)]
        if mine:
            name = sheet.name or file_name  # a CSV has one sheet without a name
            grids += [
                html.H3(t("upload_preview", lang, sheet=name), className="h6 mt-3"),
                html.P(t("upload_preview_rows", lang, n=PREVIEW_ROWS), className="small"),
                preview_grid(sheet.cells, mine, f"upload-preview-{index}-{n}"),
            ]
    return grids


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def preview_grid(cells: pd.DataFrame, issues: list[Issue], grid_id: str) -> dag.AgGrid:
    """An AG Grid of the sheet (Excel row numbers and column letters), error cells marked."""
    bad_cells = {(i.row, i.column) for i in issues if i.row is not None and i.column}
    bad_rows = sorted({i.row for i in issues if i.row is not None})
    n_rows, n_cols = cells.shape
    shown = list(range(min(n_rows, PREVIEW_ROWS)))
    extra = [r - 1 for r in bad_rows if PREVIEW_ROWS < r <= n_rows][:PREVIEW_EXTRA_ROWS]
    letters = [column_letter(j) for j in range(min(n_cols, PREVIEW_COLUMNS))]
    records = []
    for i in shown + extra:
        record: dict[str, Any] = {"_row": i + 1}
        for j, letter in enumerate(letters):
            text = _text(cells.iat[i, j])
            record[letter] = MARK + text if (i + 1, letter) in bad_cells else text
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
    for letter in letters:
        rows = sorted(r for r, c in bad_cells if c == letter)
        column_def: dict[str, Any] = {"field": letter, "headerName": letter}
        if rows:
            column_def["cellStyle"] = _style_rows(rows)
        column_defs.append(column_def)
    return dag.AgGrid(
        id=grid_id,
        rowData=records,
        columnDefs=column_defs,
        defaultColDef={"resizable": True, "sortable": False, "minWidth": 80},
        dashGridOptions={
            "ensureDomOrder": True,
            "enableCellTextSelection": True,
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


def diff_view(diff: pd.DataFrame, tr: Any, index: int, lang: str) -> html.Div:
    """Counts and a grid of what the import changes, revised values first."""
    counts = diff["change"].value_counts()
    order = {"revised": 0, "new": 1, "unchanged": 2}
    frame = diff.assign(_order=diff["change"].map(order)).sort_values(
        ["_order", "indicator", "region", "year"], ignore_index=True
    )
    records = []
    for row in frame.itertuples(index=False):
        ind = tr.catalogue.lookup(row.indicator)
        reg = tr.regions.try_resolve(row.region)
        decimals = ind.decimals if ind is not None else 2
        records.append(
            {
                "indicator": ind.name.get(lang) if ind is not None else row.indicator,
                "region": reg.name.get(lang) if reg is not None else row.region,
                "year": int(row.year),
                "old": number(row.old, decimals),
                "new": number(row.new, decimals),
                "change": t(f"upload_change_{row.change}", lang),
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
            dag.AgGrid(
                id=f"upload-diff-{index}",
                rowData=records,
                columnDefs=column_defs,
                defaultColDef={"resizable": True, "sortable": True, "filter": True},
                dashGridOptions={"ensureDomOrder": True, "enableCellTextSelection": True},
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
                t("upload_refused", lang, n=len(fr.errors))
                if fr.errors
                else t("upload_not_imported", lang)
            )
        items.append(
            html.Li(
                [
                    html.Strong(fr.file),
                    html.Span(": " + status, className="upload-commit-status"),
                    warnings_list(fr.warnings, lang),
                    issues_table(fr.errors, lang) if fr.errors else html.Div(),
                ],
                className="mb-2",
            )
        )
    return [
        html.H2(t("upload_result", lang), className="h4"),
        dbc.Alert(html.Ul(items, className="mb-0"), color="info"),
        dcc.Link(t("upload_see_history", lang), href=href("/history", lang)),
    ]
