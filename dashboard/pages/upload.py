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
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard import ids, sessions
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import add_page, href, lang_from_search, login_alert, tracker, warmer
from dashboard.upload_report import commit_view, report_view
from targets import config
from targets.ingest import import_files
from targets.ingest.resolve import MAX_YEAR, MIN_YEAR
from targets.ingest.scope import Scope
from targets.submissions import SubmitResult, must_submit, submit

MAX_NOTE_CHARS = 500
POLITE: dict[str, Any] = {"aria-live": "polite"}  # screen readers announce the report


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
        Output(ids.UPLOAD_BROWSE, "title"),
        Input(ids.UPLOAD_BROWSE, "children"),
        State(ids.UPLOAD_FILES, "id"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="revealResult"),
        Output(ids.UPLOAD_RESULT, "title"),
        Input(ids.UPLOAD_RESULT, "children"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.UPLOAD_SELECTED, "children"),
        Output(ids.UPLOAD_REPORT, "children", allow_duplicate=True),
        Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
        Output(ids.UPLOAD_CONFIRM, "disabled", allow_duplicate=True),
        Input(ids.UPLOAD_FILES, "filename"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(selected)
    app.callback(
        Output(ids.UPLOAD_REPORT, "children"),
        Output(ids.UPLOAD_RESULT, "children"),
        Output(ids.UPLOAD_CONFIRM, "disabled"),
        Output(ids.UPLOAD_CHECKED, "data"),
        Input(ids.UPLOAD_CHECK, "n_clicks"),
        Input(ids.UPLOAD_CONFIRM, "n_clicks"),
        State(ids.UPLOAD_FILES, "contents"),
        State(ids.UPLOAD_FILES, "filename"),
        State(ids.UPLOAD_YEAR, "value"),
        State(ids.UPLOAD_NOTE, "value"),
        State(ids.UPLOAD_CHECKED, "data"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(act)


# -- layout ------------------------------------------------------------------------------------


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    heading = html.H1(t("upload_heading", lang), className="h3")
    user = sessions.editor()
    if user is None:
        return html.Div([heading, refusal(lang)])
    mb = config.MAX_UPLOAD_BYTES / 1024 / 1024
    submits = must_submit(user["role"])
    return html.Div(
        [
            heading,
            html.P(t("upload_intro", lang)),
            html.P(t("upload_submit_intro", lang), id=ids.UPLOAD_SUBMIT_INTRO) if submits else None,
            html.Label(
                t("upload_files", lang),
                htmlFor=ids.UPLOAD_BROWSE,
                className="form-label fw-semibold",
            ),
            dcc.Upload(
                html.Div(
                    [
                        html.Span(t("upload_drop", lang) + " "),
                        # a real button: reachable with Tab, Enter opens the file dialog (the
                        # click bubbles to the drop zone)
                        html.Button(
                            t("upload_browse", lang),
                            id=ids.UPLOAD_BROWSE,
                            type="button",
                            className="btn btn-outline-primary btn-sm",
                        ),
                    ]
                ),
                id=ids.UPLOAD_FILES,
                multiple=True,
                max_size=config.MAX_UPLOAD_BYTES,
                accept=".xlsx,.xlsm,.xls,.ods,.csv,.txt",
                className="upload-drop border border-2 rounded p-4 text-center mb-1",
                style={"borderStyle": "dashed"},
            ),
            html.P(t("upload_limit", lang, mb=f"{mb:g}"), className="small text-body-secondary"),
            html.Div(
                t("upload_none_selected", lang),
                id=ids.UPLOAD_SELECTED,
                className="mb-3",
                role="status",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label(
                                t("upload_year", lang),
                                htmlFor=ids.UPLOAD_YEAR,
                                className="form-label",
                            ),
                            # a text box, not type=number: Dash's number box adds stepper
                            # buttons with fixed English names; the callback checks the year
                            dcc.Input(
                                id=ids.UPLOAD_YEAR,
                                type="text",
                                inputMode="numeric",
                                pattern="[0-9]{4}",
                                maxLength=4,
                                autoComplete="off",
                                className="form-control",
                            ),
                            html.Div(
                                t("upload_year_help", lang),
                                id=f"{ids.UPLOAD_YEAR}-help",
                                className="form-text",
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            html.Label(
                                t("upload_note", lang),
                                htmlFor=ids.UPLOAD_NOTE,
                                className="form-label",
                            ),
                            dcc.Input(
                                id=ids.UPLOAD_NOTE,
                                type="text",
                                maxLength=MAX_NOTE_CHARS,
                                className="form-control",
                            ),
                            html.Div(
                                t("upload_note_help", lang),
                                id=f"{ids.UPLOAD_NOTE}-help",
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
                        id=ids.UPLOAD_CHECK,
                        type="button",
                        className="btn btn-primary me-2",
                    ),
                    html.Button(
                        t("upload_submit" if submits else "upload_confirm", lang),
                        id=ids.UPLOAD_CONFIRM,
                        type="button",
                        disabled=True,
                        className="btn btn-success",
                    ),
                ],
                className="mb-3",
            ),
            dcc.Store(id=ids.UPLOAD_CHECKED),
            dcc.Loading(
                [
                    html.Section(id=ids.UPLOAD_REPORT, **POLITE),
                    html.Section(id=ids.UPLOAD_RESULT, **POLITE),
                ],
                type="default",
            ),
        ]
    )


def refusal(lang: str) -> dbc.Alert:
    """What anyone but an editor sees, on the page and in answer to a protected callback."""
    return login_alert("upload_need_editor", "/upload", ids.UPLOAD_REFUSED, lang)


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
    year_value, year_ok = parse_year(year)
    if not year_ok:
        shown = str(year).strip()[:20]  # as typed (the box takes 4 characters; a request more)
        field = t("upload_year", lang)
        bad = t("upload_bad_year", lang, field=field, value=shown, low=MIN_YEAR, high=MAX_YEAR)
        return dbc.Alert(bad, color="danger"), [], True, None
    files, problem = decode_files(contents, filenames, lang)
    if problem:
        return dbc.Alert(problem, color="danger"), [], True, None
    signature = {
        "files": [[name, hashlib.sha256(data).hexdigest()] for name, data in files],
        "year": year_value,
    }
    tr = tracker()
    note_text = (note or "").strip()[:MAX_NOTE_CHARS]
    # an editor limited to regions: read from the database on every request, like the role
    scope = Scope.of(tr.store, tr.regions, user["name"])
    if dash.ctx.triggered_id == ids.UPLOAD_CONFIRM:
        if not checked or checked != signature:
            return dash.no_update, dbc.Alert(t("upload_changed", lang), color="warning"), True, None
        if must_submit(user["role"]):
            # held for review: stored with its diff and warnings, nothing put in force
            out = submit(
                tr.store, tr.catalogue, tr.regions, files,
                user=user["name"], note=note_text, year=year_value, lang=lang, isolate=True,
            )  # fmt: skip
            return dash.no_update, submitted_view(out, lang), True, None
        # each file is read in a child process with its own memory and time bounds: no file
        # can take this process (and everyone's pages) down
        result = import_files(
            tr.store, tr.catalogue, tr.regions, files,
            year=year_value, dry_run=False, user=user["name"], note=note_text, lang=lang,
            isolate=True, scope=scope, tracker=tr,
        )  # fmt: skip
        found = warmer()
        if found is not None:
            found.kick()  # the new data's results are computed now, before anyone asks
        return dash.no_update, commit_view(result, lang), True, None
    result = import_files(
        tr.store, tr.catalogue, tr.regions, files,
        year=year_value, dry_run=True, user=user["name"], note=note_text, lang=lang, isolate=True,
        scope=scope, forecast=True,
    )  # fmt: skip
    importable = any(f.ok and f.duplicate_of is None and f.rows > 0 for f in result.report.files)
    return report_view(result, tr, lang), [], not importable, signature


def submitted_view(out: SubmitResult, lang: str) -> list[Any]:
    """What became of each file submitted for review."""
    items = []
    for fr in out.result.report.files:
        if fr.file in out.ids:
            status = t("upload_submitted", lang, id=out.ids[fr.file], rows=fr.rows)
        elif fr.file in out.pending_as:
            status = t("upload_already_submitted", lang, id=out.pending_as[fr.file])
        elif fr.duplicate_of is not None:
            status = t("upload_duplicate", lang, id=fr.duplicate_of)
        elif fr.errors:
            status = t("upload_refused", lang, n=f"{fr.error_count:,}")
        else:
            status = t("upload_not_imported", lang)
        items.append(
            html.Li(
                [html.Strong(fr.file), html.Span(": " + status, className="upload-commit-status")],
                className="mb-2",
            )
        )
    return [
        html.H2(t("upload_result", lang), className="h4"),
        dbc.Alert(html.Ul(items, className="mb-0"), color="info", id=ids.UPLOAD_SUBMITTED),
        dcc.Link(t("upload_see_submissions", lang), href=href("/submissions", lang)),
    ]


def parse_year(value: Any) -> tuple[int | None, bool]:
    """The year box's text -> (year or None when left empty, whether it is acceptable).

    Anything but a whole number from MIN_YEAR to MAX_YEAR (digits only, surrounding spaces
    and full-width digits allowed) is refused, never read as "no year"."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None, True
    if not text.isdecimal():
        return None, False
    year = int(text)
    return (year, True) if MIN_YEAR <= year <= MAX_YEAR else (None, False)


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
