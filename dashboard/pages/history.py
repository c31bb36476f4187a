"""History (/history): every import (a vintage) with a revert button per active one, and the audit log.

Reverting needs an editor account and a confirmation (dcc.ConfirmDialog); the role is checked on
the server inside the revert callback. The audit log (logins, imports, reverts, account changes,
with the client address of logins) is shown to editors and admins only. File names, notes and
audit details are shown as text: Dash escapes text children, nothing is parsed as HTML.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, dcc, html

from dashboard import ids, sessions
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import add_page, href, import_note, lang_from_search, tracker
from targets.audit_details import audit_fields
from targets.issues import Notice
from targets.models import Import
from targets.throttle import MANY_WORDS

AUDIT_ROWS = 200


def register(app: dash.Dash) -> None:
    add_page(__name__, path="/history", label=TEXT["history_page"], order=55, layout=layout)
    app.callback(
        Output(ids.HISTORY_CONFIRM, "displayed"),
        Output(ids.HISTORY_CONFIRM, "message"),
        Output(ids.HISTORY_PENDING, "data"),
        Input({"type": ids.REVERT_BUTTON, "index": ALL}, "n_clicks"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(ask)
    app.callback(
        Output(ids.HISTORY_IMPORTS, "children"),
        Output(ids.HISTORY_AUDIT, "children"),
        Output(ids.HISTORY_STATUS, "children"),
        Input(ids.HISTORY_CONFIRM, "submit_n_clicks"),
        State(ids.HISTORY_PENDING, "data"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(revert)


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    store = tracker().store
    can_revert = sessions.reverter() is not None
    sees_audit = sessions.editor() is not None
    parts: list[Any] = [
        html.H1(t("history_heading", lang), className="h3"),
        html.P(t("history_intro", lang)),
    ]
    if sees_audit and not can_revert:
        parts.append(html.P(t("history_reviewed_edits", lang), className="small"))
    elif not can_revert:
        parts.append(
            html.P(
                [
                    t("history_login_to_revert", lang) + " ",
                    dcc.Link(
                        t("log_in", lang),
                        href=href(sessions.LOGIN_PATH, lang, next=href("/history", lang)),
                    ),
                ],
                className="small",
            )
        )
    parts += [
        dcc.ConfirmDialog(id=ids.HISTORY_CONFIRM),
        dcc.Store(id=ids.HISTORY_PENDING),
        html.Div(id=ids.HISTORY_STATUS, role="status"),
        html.Div(imports_table(store.imports(), can_revert, lang), id=ids.HISTORY_IMPORTS),
        html.H2(t("history_audit_heading", lang), className="h4 mt-4"),
        html.Div(audit_view(store, sees_audit, lang), id=ids.HISTORY_AUDIT),
    ]
    return html.Div(parts)


def _time(value: Any) -> str:
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def warnings_details(warnings: list[Notice], lang: str) -> Any:
    """The warnings stored with an import, folded (status changes, sheets skipped …)."""
    if not warnings:
        return None
    summary = t("history_warning_count", lang, n=len(warnings))
    return html.Details(
        [
            html.Summary(summary),
            html.Ul([html.Li(w.text(lang)) for w in warnings], className="small mb-0"),
        ],
        className="history-warnings",
    )


def imports_table(imports: list[Import], can_revert: bool, lang: str) -> Any:
    if not imports:
        return html.P(t("history_no_imports", lang))
    keys = ["history_id", "history_time", "file_name", "user", "rows", "state", "history_note"]
    head = [html.Th(t(k, lang), scope="col") for k in keys]
    if can_revert:
        head.append(html.Th(t("history_revert", lang), scope="col"))
    rows = []
    for imp in imports:
        # the button's accessible name says which import (its visible text is just "Revert")
        aria: dict[str, Any] = {
            "aria-label": t("history_revert_label", lang, id=imp.id, file=imp.file_name)
        }
        cells: list[Any] = [
            html.Td(f"#{imp.id}"),
            html.Td(_time(imp.created_at)),
            html.Td(imp.file_name, className="history-file"),
            html.Td(imp.user),
            html.Td(f"{imp.rows:,}", className="text-end"),
            html.Td(t(f"history_{imp.state}", lang), className=f"history-state-{imp.state}"),
            html.Td(
                [
                    html.Span(import_note(imp.note, lang), className="history-note-text"),
                    warnings_details(imp.warnings, lang),
                ],
                className="history-note",
            ),
        ]
        if can_revert:
            cells.append(
                html.Td(
                    html.Button(
                        t("history_revert", lang),
                        id={"type": ids.REVERT_BUTTON, "index": imp.id},
                        type="button",
                        className="btn btn-outline-danger btn-sm",
                        **aria,
                    )
                    if imp.state == "active"
                    else ""
                )
            )
        rows.append(html.Tr(cells, id=f"history-import-{imp.id}"))
    return html.Div(
        html.Table(
            [html.Thead(html.Tr(head)), html.Tbody(rows)],
            className="table table-sm table-striped history-table",
        ),
        className="table-responsive",
    )


def audit_view(store: Any, can_see: bool, lang: str) -> Any:
    if not can_see:
        return html.P(t("history_audit_editors_only", lang), className="small text-body-secondary")
    log = store.audit_log(limit=AUDIT_ROWS)
    keys = ["history_time", "user", "history_action", "history_detail"]
    rows = [
        html.Tr(
            [
                html.Td(_time(rec["at"])),
                html.Td(rec["user"]),
                html.Td(_action(rec["action"], lang)),
                html.Td(audit_text(str(rec["action"]), str(rec["detail"]), lang)),
            ]
        )
        for rec in log.to_dict(orient="records")
    ]
    return html.Div(
        [
            html.P(t("history_audit_intro", lang, n=AUDIT_ROWS), className="small"),
            html.Div(
                html.Table(
                    [
                        html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in keys])),
                        html.Tbody(rows),
                    ],
                    className="table table-sm audit-table",
                ),
                className="table-responsive",
            ),
        ]
    )


def audit_text(action: str, detail: str, lang: str) -> str:
    """An audit detail in the page's language (targets.audit_details reads its fields), the
    roles and change counts in it too; a detail no template reads as stored."""
    read = audit_fields(action, detail)
    if read is None:
        return detail
    i, fields = read
    if "role" in fields and f"role_{fields['role']}" in TEXT:
        fields["role"] = t(f"role_{fields['role']}", lang)
    if fields.get("address") == MANY_WORDS:
        fields["address"] = t("audit_many_addresses", lang)
    if "counts" in fields:
        fields["counts"] = COUNT.sub(
            lambda m: f"{t(f'upload_change_{m[1]}', lang)} {m[2]}", fields["counts"]
        ).replace(", ", "，" if lang == "zh" else ", ")
    return t(f"audit_{action}_{i}", lang, **fields)


# "new 1, revised 2" in an audit detail (targets.submissions words the counts so)
COUNT = re.compile(r"\b(new|unchanged|revised) (\d+)")


def _action(action: str, lang: str) -> str:
    """An audited action in words (`action_<name>` in the catalogue), or as stored."""
    key = f"action_{action}"
    return t(key, lang) if key in TEXT else action


def ask(clicks: list[int | None], search: str | None) -> tuple[Any, Any, Any]:
    """A revert button was pressed: ask for confirmation (the buttons exist only for editors)."""
    lang = lang_from_search(search)
    trigger = dash.ctx.triggered_id
    if not any(clicks) or not isinstance(trigger, dict) or sessions.reverter() is None:
        return dash.no_update, dash.no_update, dash.no_update
    import_id = int(trigger["index"])
    try:
        imp = tracker().store.get_import(import_id)
    except KeyError:
        return dash.no_update, dash.no_update, dash.no_update
    message = t("history_confirm", lang, id=imp.id, file=imp.file_name, rows=f"{imp.rows:,}")
    return True, message, import_id


def revert(submitted: int | None, pending: Any, search: str | None) -> tuple[Any, Any, Any]:
    """The confirmed revert; editors only (not those who submit), checked here on the server."""
    lang = lang_from_search(search)
    user = sessions.reverter()
    if user is None:
        return (
            dash.no_update,
            dash.no_update,
            dbc.Alert(t("history_need_editor", lang), color="warning"),
        )
    if not submitted or pending is None:
        return dash.no_update, dash.no_update, dash.no_update
    store = tracker().store
    try:
        import_id = int(pending)
        store.revert(import_id, user=user["name"])
    except (KeyError, ValueError, TypeError) as exc:
        why = exc.args[0] if exc.args else str(exc)
        status = dbc.Alert(t("history_revert_failed", lang, why=why), color="danger")
    else:
        status = dbc.Alert(t("history_reverted_ok", lang, id=import_id), color="success")
    return imports_table(store.imports(), True, lang), audit_view(store, True, lang), status
