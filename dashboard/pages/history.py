"""History (/history): every import (a vintage) with a revert button per active one, and the audit log.

Reverting needs an editor account and a confirmation (dcc.ConfirmDialog); the role is checked on
the server inside the revert callback. The audit log (logins, imports, reverts, account changes,
with the client address of logins) is shown to editors and admins only. File names, notes and
audit details are shown as text: Dash escapes text children, nothing is parsed as HTML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, dcc, html

from dashboard import ids as shell_ids
from dashboard import sessions
from dashboard.i18n import norm_lang
from dashboard.pages import add_page, href, lang_from_search, tracker
from targets.models import Import

HISTORY_IMPORTS = "history-imports"
HISTORY_AUDIT = "history-audit"
HISTORY_CONFIRM = "history-confirm"
HISTORY_PENDING = "history-pending"
HISTORY_STATUS = "history-status"
REVERT_BUTTON = "history-revert"  # pattern-matching id type: {"type": REVERT_BUTTON, "index": id}
AUDIT_ROWS = 200

TEXT: dict[str, tuple[str, str]] = {
    "page": ("导入历史", "History"),
    "heading": ("导入历史", "Import history"),
    "intro": (
        "每次上传的每个文件是一个导入批次。撤销后，该批次的数值不再生效，此前的数值恢复；记录保留。",
        "Each uploaded file is one import. Reverting an import withdraws its values and brings "
        "back those in force before it; its records stay.",
    ),
    "login_to_revert": ("以编辑身份登录后可撤销导入。", "Log in as an editor to revert imports."),
    "login": ("登录", "Log in"),
    "id": ("批次", "Import"),
    "time": ("时间（UTC）", "Time (UTC)"),
    "file": ("文件名", "File"),
    "user": ("用户", "User"),
    "rows": ("行数", "Rows"),
    "state": ("状态", "State"),
    "note": ("说明", "Note"),
    "action": ("操作", "Action"),
    "detail": ("详情", "Detail"),
    "active": ("生效", "active"),
    "reverted": ("已撤销", "reverted"),
    "revert": ("撤销", "Revert"),
    "revert_label": ("撤销导入批次 #{id}（{file}）", "Revert import #{id} ({file})"),
    "confirm": (
        "撤销导入批次 #{id}（{file}，{rows} 行）？其数值将不再生效，此前的数值恢复。",
        "Revert import #{id} ({file}, {rows} rows)? Its values are withdrawn and those in force "
        "before it come back.",
    ),
    "reverted_ok": ("已撤销导入批次 #{id}。", "Import #{id} reverted."),
    "revert_failed": ("无法撤销：{why}", "Could not revert: {why}"),
    "need_editor": ("撤销需要编辑账号。", "Reverting needs an editor account."),
    "no_imports": ("还没有导入。", "No import yet."),
    "audit_heading": ("审计日志", "Audit log"),
    "audit_intro": (
        "所有写入操作和登录记录（最近 {n} 条），含操作人和时间。",
        "Every write and login (the latest {n}), with who and when.",
    ),
    "audit_editors_only": (
        "审计日志仅对编辑和管理员显示。",
        "The audit log is shown to editors and administrators only.",
    ),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "import": ("导入", "import"),
    "revert": ("撤销", "revert"),
    "login": ("登录", "login"),
    "login_failed": ("登录失败", "failed login"),
    "login_throttled": ("登录受限", "login throttled"),
    "logout": ("退出", "logout"),
    "user_add": ("新增账号", "account added"),
    "user_role": ("修改角色", "role changed"),
    "user_password": ("修改密码", "password changed"),
    "user_delete": ("删除账号", "account deleted"),
}


def tx(key: str, lang: str, **values: Any) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def register(app: dash.Dash) -> None:
    add_page(__name__, path="/history", label=TEXT["page"], order=55, layout=layout)
    app.callback(
        Output(HISTORY_CONFIRM, "displayed"),
        Output(HISTORY_CONFIRM, "message"),
        Output(HISTORY_PENDING, "data"),
        Input({"type": REVERT_BUTTON, "index": ALL}, "n_clicks"),
        State(shell_ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(ask)
    app.callback(
        Output(HISTORY_IMPORTS, "children"),
        Output(HISTORY_AUDIT, "children"),
        Output(HISTORY_STATUS, "children"),
        Input(HISTORY_CONFIRM, "submit_n_clicks"),
        State(HISTORY_PENDING, "data"),
        State(shell_ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(revert)


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    store = tracker().store
    can_revert = sessions.editor() is not None
    parts: list[Any] = [
        html.H1(tx("heading", lang), className="h3"),
        html.P(tx("intro", lang)),
    ]
    if not can_revert:
        parts.append(
            html.P(
                [
                    tx("login_to_revert", lang) + " ",
                    dcc.Link(
                        tx("login", lang),
                        href=href(sessions.LOGIN_PATH, lang, next=href("/history", lang)),
                    ),
                ],
                className="small",
            )
        )
    parts += [
        dcc.ConfirmDialog(id=HISTORY_CONFIRM),
        dcc.Store(id=HISTORY_PENDING),
        html.Div(id=HISTORY_STATUS, role="status"),
        html.Div(imports_table(store.imports(), can_revert, lang), id=HISTORY_IMPORTS),
        html.H2(tx("audit_heading", lang), className="h4 mt-4"),
        html.Div(audit_view(store, can_revert, lang), id=HISTORY_AUDIT),
    ]
    return html.Div(parts)


def _time(value: Any) -> str:
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def warnings_details(warnings: list[str], lang: str) -> Any:
    """The warnings stored with an import, folded (status changes, sheets skipped …)."""
    if not warnings:
        return None
    summary = f"{len(warnings)} warning(s)" if lang == "en" else f"{len(warnings)} 条提示"
    return html.Details(
        [html.Summary(summary), html.Ul([html.Li(w) for w in warnings], className="small mb-0")],
        className="history-warnings",
    )


def imports_table(imports: list[Import], can_revert: bool, lang: str) -> Any:
    if not imports:
        return html.P(tx("no_imports", lang))
    keys = ["id", "time", "file", "user", "rows", "state", "note"]
    head = [html.Th(tx(k, lang), scope="col") for k in keys]
    if can_revert:
        head.append(html.Th(tx("revert", lang), scope="col"))
    rows = []
    for imp in imports:
        # the button's accessible name says which import (its visible text is just "Revert")
        aria: dict[str, Any] = {
            "aria-label": tx("revert_label", lang, id=imp.id, file=imp.file_name)
        }
        cells: list[Any] = [
            html.Td(f"#{imp.id}"),
            html.Td(_time(imp.created_at)),
            html.Td(imp.file_name, className="history-file"),
            html.Td(imp.user),
            html.Td(f"{imp.rows:,}", className="text-end"),
            html.Td(tx(imp.state, lang), className=f"history-state-{imp.state}"),
            html.Td(
                [
                    html.Span(imp.note, className="history-note-text"),
                    warnings_details(imp.warnings, lang),
                ],
                className="history-note",
            ),
        ]
        if can_revert:
            cells.append(
                html.Td(
                    html.Button(
                        tx("revert", lang),
                        id={"type": REVERT_BUTTON, "index": imp.id},
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
        return html.P(tx("audit_editors_only", lang), className="small text-body-secondary")
    log = store.audit_log(limit=AUDIT_ROWS)
    keys = ["time", "user", "action", "detail"]
    rows = [
        html.Tr(
            [
                html.Td(_time(rec["at"])),
                html.Td(rec["user"]),
                html.Td(_action(rec["action"], lang)),
                html.Td(rec["detail"]),
            ]
        )
        for rec in log.to_dict(orient="records")
    ]
    return html.Div(
        [
            html.P(tx("audit_intro", lang, n=AUDIT_ROWS), className="small"),
            html.Div(
                html.Table(
                    [
                        html.Thead(html.Tr([html.Th(tx(k, lang), scope="col") for k in keys])),
                        html.Tbody(rows),
                    ],
                    className="table table-sm audit-table",
                ),
                className="table-responsive",
            ),
        ]
    )


def _action(action: str, lang: str) -> str:
    zh, en = ACTIONS.get(action, (action, action))
    return en if lang == "en" else zh


def ask(clicks: list[int | None], search: str | None) -> tuple[Any, Any, Any]:
    """A revert button was pressed: ask for confirmation (the buttons exist only for editors)."""
    lang = lang_from_search(search)
    trigger = dash.ctx.triggered_id
    if not any(clicks) or not isinstance(trigger, dict) or sessions.editor() is None:
        return dash.no_update, dash.no_update, dash.no_update
    import_id = int(trigger["index"])
    try:
        imp = tracker().store.get_import(import_id)
    except KeyError:
        return dash.no_update, dash.no_update, dash.no_update
    message = tx("confirm", lang, id=imp.id, file=imp.file_name, rows=f"{imp.rows:,}")
    return True, message, import_id


def revert(submitted: int | None, pending: Any, search: str | None) -> tuple[Any, Any, Any]:
    """The confirmed revert; editors only, checked here on the server."""
    lang = lang_from_search(search)
    user = sessions.editor()
    if user is None:
        return dash.no_update, dash.no_update, dbc.Alert(tx("need_editor", lang), color="warning")
    if not submitted or pending is None:
        return dash.no_update, dash.no_update, dash.no_update
    store = tracker().store
    try:
        import_id = int(pending)
        store.revert(import_id, user=user["name"])
    except (KeyError, ValueError, TypeError) as exc:
        why = exc.args[0] if exc.args else str(exc)
        status = dbc.Alert(tx("revert_failed", lang, why=why), color="danger")
    else:
        status = dbc.Alert(tx("reverted_ok", lang, id=import_id), color="success")
    return imports_table(store.imports(), True, lang), audit_view(store, True, lang), status
