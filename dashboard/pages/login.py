"""Login (/login) and logout (/logout): plain HTML forms posting to the Flask routes of sessions.py.

The forms are ordinary <form method=post> so the browser's password manager works and the session
cookie is set by a normal response; each carries the session's CSRF token in a hidden field.
A failed login says only "wrong user name or password": never whether the account exists.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import sessions
from dashboard.i18n import norm_lang
from dashboard.pages import add_page, href

LOGIN_FORM = "login-form"
LOGIN_USER = "login-username"
LOGIN_PASSWORD = "login-password"
LOGIN_SUBMIT = "login-submit"
LOGIN_ERROR = "login-error"
LOGIN_STATUS = "login-status"
LOGOUT_FORM = "logout-form"
LOGOUT_SUBMIT = f"{LOGOUT_FORM}-submit"

TEXT: dict[str, tuple[str, str]] = {
    "login": ("登录", "Log in"),
    "logout": ("退出登录", "Log out"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "login_intro": (
        "上传数据和撤销导入需要编辑账号。账号由管理员用 “targets user add” 创建。",
        "Uploading and reverting imports need an editor account. An administrator creates "
        "accounts with “targets user add”.",
    ),
    "error_invalid": ("用户名或密码错误。", "Wrong user name or password."),
    "error_throttled": (
        "登录尝试过于频繁，请一分钟后再试。",
        "Too many login attempts: wait a minute and try again.",
    ),
    "error_expired": (
        "表单已过期，请重新输入后提交。",
        "The form had expired: please enter your details again.",
    ),
    "logged_in_as": ("当前登录：{name}（{role}）", "Logged in as {name} ({role})"),
    "not_logged_in": ("您尚未登录。", "You are not logged in."),
    "logout_intro": (
        "退出后，编辑页面需要重新登录。",
        "After logging out, editing needs a new login.",
    ),
    "private_view": (
        "本站的数据仅对登录用户开放。",
        "The data on this site is shown to logged-in users only.",
    ),
}
ERRORS = {"invalid": "error_invalid", "throttled": "error_throttled", "expired": "error_expired"}
ROLE_NAMES = {
    "viewer": ("查看者", "viewer"),
    "editor": ("编辑", "editor"),
    "admin": ("管理员", "admin"),
}


def tx(key: str, lang: str, **values: Any) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def role_name(role: str, lang: str) -> str:
    zh, en = ROLE_NAMES.get(role, (role, role))
    return en if lang == "en" else zh


def register(app: dash.Dash) -> None:
    add_page(
        __name__, path=sessions.LOGIN_PATH, label=TEXT["login"], order=90, layout=layout, nav=False
    )
    add_page(
        f"{__name__}.logout",
        path=sessions.LOGOUT_PATH,
        label=TEXT["logout"],
        order=91,
        layout=logout_layout,
        nav=False,
    )


def _route(path: str) -> str:
    """A Flask route under the app's URL prefix."""
    try:
        return str(dash.get_relative_path(path))
    except Exception:  # noqa: BLE001 - outside a running app (unit tests) the bare path is right
        return path


def _field(label: str, component_id: str, **props: Any) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=component_id, className="form-label"),
            dcc.Input(id=component_id, className="form-control", **props),
        ],
        className="mb-3",
    )


def layout(
    lang: str = "zh", error: str | None = None, next: str | None = None, **_: Any
) -> html.Div:
    lang = norm_lang(lang)
    user = sessions.current_user()
    parts: list[Any] = [html.H1(tx("login", lang), className="h3")]
    if user is not None:
        parts += [
            html.P(
                tx("logged_in_as", lang, name=user["name"], role=role_name(user["role"], lang)),
                id=LOGIN_STATUS,
            ),
            _logout_form(lang),
        ]
        return html.Div(parts, className="col-md-6 col-lg-4")
    if not sessions.public_view():
        parts.append(html.P(tx("private_view", lang)))
    parts.append(html.P(tx("login_intro", lang), className="text-body-secondary"))
    if error in ERRORS:
        parts.append(dbc.Alert(tx(ERRORS[error], lang), id=LOGIN_ERROR, color="danger"))
    parts.append(
        html.Form(
            [
                _field(
                    tx("username", lang),
                    LOGIN_USER,
                    name="username",
                    type="text",
                    autoComplete="username",
                    required=True,
                    maxLength=sessions.MAX_NAME_CHARS,
                    autoFocus=True,
                ),
                _field(
                    tx("password", lang),
                    LOGIN_PASSWORD,
                    name="password",
                    type="password",
                    autoComplete="current-password",
                    required=True,
                    maxLength=sessions.MAX_PASSWORD_CHARS,
                ),
                dcc.Input(type="hidden", name=sessions.CSRF_FIELD, value=sessions.csrf_token()),
                dcc.Input(type="hidden", name="next", value=sessions.safe_next(next, lang)),
                dcc.Input(type="hidden", name="lang", value=lang),
                html.Button(
                    tx("login", lang), id=LOGIN_SUBMIT, type="submit", className="btn btn-primary"
                ),
            ],
            id=LOGIN_FORM,
            action=_route(sessions.LOGIN_ROUTE),
            method="post",
        )
    )
    return html.Div(parts, className="col-md-6 col-lg-4")


def _logout_form(lang: str) -> html.Form:
    return sessions.logout_form(
        lang, label=tx("logout", lang), form_id=LOGOUT_FORM, button_class="btn btn-secondary"
    )


def logout_layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    user = sessions.current_user()
    parts: list[Any] = [html.H1(tx("logout", lang), className="h3")]
    if user is None:
        parts += [
            html.P(tx("not_logged_in", lang), id=LOGIN_STATUS),
            dcc.Link(tx("login", lang), href=href(sessions.LOGIN_PATH, lang)),
        ]
    else:
        parts += [
            html.P(
                tx("logged_in_as", lang, name=user["name"], role=role_name(user["role"], lang)),
                id=LOGIN_STATUS,
            ),
            html.P(tx("logout_intro", lang)),
            _logout_form(lang),
        ]
    return html.Div(parts, className="col-md-6 col-lg-4")
