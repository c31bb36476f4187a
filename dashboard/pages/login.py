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

from dashboard import ids, sessions
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import add_page, href

LOGOUT_SUBMIT = f"{ids.LOGOUT_FORM}-submit"

ERRORS = {
    "invalid": "login_error_invalid",
    "throttled": "login_error_throttled",
    "expired": "login_error_expired",
}


def role_name(role: str, lang: str) -> str:
    """A role in words (`role_<role>` in the catalogue), or as stored when it has none."""
    key = f"role_{role}"
    return t(key, lang) if key in TEXT else role


def register(app: dash.Dash) -> None:
    add_page(
        __name__, path=sessions.LOGIN_PATH, label=TEXT["log_in"], order=90, layout=layout, nav=False
    )
    add_page(
        f"{__name__}.logout",
        path=sessions.LOGOUT_PATH,
        label=TEXT["login_logout"],
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
    parts: list[Any] = [html.H1(t("log_in", lang), className="h3")]
    if user is not None:
        parts += [
            html.P(
                t(
                    "login_logged_in_as",
                    lang,
                    name=user["name"],
                    role=role_name(user["role"], lang),
                ),
                id=ids.LOGIN_STATUS,
            ),
            _logout_form(lang),
        ]
        return html.Div(parts, className="col-md-6 col-lg-4")
    if not sessions.public_view():
        parts.append(html.P(t("login_private_view", lang)))
    parts.append(html.P(t("login_intro", lang), className="text-body-secondary"))
    if error in ERRORS:
        parts.append(dbc.Alert(t(ERRORS[error], lang), id=ids.LOGIN_ERROR, color="danger"))
    parts.append(
        html.Form(
            [
                _field(
                    t("login_username", lang),
                    ids.LOGIN_USER,
                    name="username",
                    type="text",
                    autoComplete="username",
                    required=True,
                    maxLength=sessions.MAX_NAME_CHARS,
                    autoFocus=True,
                ),
                _field(
                    t("login_password", lang),
                    ids.LOGIN_PASSWORD,
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
                    t("log_in", lang),
                    id=ids.LOGIN_SUBMIT,
                    type="submit",
                    className="btn btn-primary",
                ),
            ],
            id=ids.LOGIN_FORM,
            action=_route(sessions.LOGIN_ROUTE),
            method="post",
        )
    )
    return html.Div(parts, className="col-md-6 col-lg-4")


def _logout_form(lang: str) -> html.Form:
    return sessions.logout_form(
        lang,
        label=t("login_logout", lang),
        form_id=ids.LOGOUT_FORM,
        button_class="btn btn-secondary",
    )


def logout_layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    user = sessions.current_user()
    parts: list[Any] = [html.H1(t("login_logout", lang), className="h3")]
    if user is None:
        parts += [
            html.P(t("login_not_logged_in", lang), id=ids.LOGIN_STATUS),
            dcc.Link(t("log_in", lang), href=href(sessions.LOGIN_PATH, lang)),
        ]
    else:
        parts += [
            html.P(
                t(
                    "login_logged_in_as",
                    lang,
                    name=user["name"],
                    role=role_name(user["role"], lang),
                ),
                id=ids.LOGIN_STATUS,
            ),
            html.P(t("login_logout_intro", lang)),
            _logout_form(lang),
        ]
    return html.Div(parts, className="col-md-6 col-lg-4")
