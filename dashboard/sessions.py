"""Access control of the dashboard: sessions, login and logout, CSRF and same-origin checks, roles.

- Viewing is public unless `TARGETS_PUBLIC_VIEW=0`; then every page but /login needs an account.
- Uploading and reverting need an editor or admin account. The role is checked server-side INSIDE
  each protected callback (`editor()`), on every request, from the database: the browser's word
  is never taken, and a role change or a deleted account takes effect at once.
- The session is Flask's signed cookie (HttpOnly, SameSite=Lax), signed with `TARGETS_SECRET_KEY`;
  without one the app refuses to start unless in debug mode or with `TARGETS_INSECURE_DEV_KEY=1`.
- Sessions end on the server, not only in the browser: the cookie carries the account's session
  token (targets.users, `session_epoch`), checked against the database on every request. Logout,
  a password or role change and disabling the account draw a new token, so every session of the
  account ends at once, on every device, and a copy of the cookie taken before no longer works.
- Every state-changing request (any POST, which includes every Dash callback) must come from this
  site (Origin, or Referer, host equal to Host) and carry the session's CSRF token: Dash's renderer
  copies the `_csrf_token` cookie into an `X-CSRFToken` header by itself; the login and logout
  forms carry it in a hidden field.
- Login attempts are throttled per account and client address in the shared store (Redis or the
  database: targets.throttle), so every worker agrees; the client address is the socket's unless
  `TARGETS_TRUSTED_PROXIES` says how many reverse proxies in front may be believed about it
  (X-Forwarded-For, through Werkzeug's ProxyFix). Logins and logouts go to the audit log, failed
  and throttled logins one row per burst (imports and reverts are audited by the store, in
  their transaction).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import dash
import flask
from dash import dcc, html
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from dashboard.i18n import t
from targets import config, users
from targets.audit_details import audit_detail
from targets.passwords import hash_password, verify_password
from targets.throttle import LoginThrottle, record_failure

if TYPE_CHECKING:
    from targets.tracker import Tracker

log = logging.getLogger(__name__)

SESSION_USER = "user"
SESSION_FINGERPRINT = "pwfp"
SESSION_EPOCH = "epoch"
SESSION_CSRF = "csrf"
CSRF_COOKIE = "_csrf_token"  # the cookie dash-renderer reads (Dash's csrf_token_name default)
CSRF_HEADER = "X-CSRFToken"  # the header dash-renderer sends it in (csrf_header_name)
CSRF_FIELD = "csrf_token"  # the hidden field of the login and logout forms

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
LOGIN_ROUTE = "/auth/login"
LOGOUT_ROUTE = "/auth/logout"

MAX_NAME_CHARS = 200
MAX_PASSWORD_CHARS = 1024  # argon2 would hash a megabyte happily; nobody types one

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# what the browser needs to draw the login page when viewing is private (no data in any of these)
_PUBLIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_dash-layout", "/_dash-dependencies",
                    "/_favicon.ico", "/_reload-hash", "/_alive_", "/auth/")  # fmt: skip
# body of a refused callback request: Dash shows it in the console, the page stays as it was
REFUSED = "forbidden: this request needs a session and its CSRF token from this site"
TRUE = ("1", "true", "yes", "on")


class AuthConfigError(RuntimeError):
    """The dashboard cannot start safely with the configuration it was given."""


def _flag(name: str, default: str = "") -> bool:
    return os.environ.get(name, default).strip().lower() in TRUE


def public_view() -> bool:
    """`TARGETS_PUBLIC_VIEW` (default on): may visitors without an account see the data?"""
    return _flag("TARGETS_PUBLIC_VIEW", "1")


def secret_key(debug: bool) -> str:
    """The session signing key from `TARGETS_SECRET_KEY`; a random one only for development."""
    key = os.environ.get("TARGETS_SECRET_KEY", "").strip()
    if key:
        if len(key) < 16:
            raise AuthConfigError(
                "TARGETS_SECRET_KEY is too short: use at least 16 random characters, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`"
            )
        return key
    if debug or _flag("TARGETS_INSECURE_DEV_KEY"):
        log.warning(
            "TARGETS_SECRET_KEY is not set: using a random session key for this process only "
            "(sessions end at restart and are not shared between workers). Do not serve users so."
        )
        return secrets.token_hex(32)
    raise AuthConfigError(
        "TARGETS_SECRET_KEY is not set. The dashboard signs login sessions with it, so it refuses "
        "to start without one. Set it to a long random value (e.g. `export TARGETS_SECRET_KEY="
        "$(python -c 'import secrets; print(secrets.token_hex(32))')`), the same for every worker; "
        "for local development only, run in debug mode or set TARGETS_INSECURE_DEV_KEY=1."
    )


def trusted_proxies() -> int:
    """`TARGETS_TRUSTED_PROXIES`: how many reverse proxies stand in front (default 0: none).

    With N, the client address is the N-th from the right in X-Forwarded-For (each proxy appends
    the address it was called from); with 0 the header is ignored, since any client can send it.
    """
    raw = os.environ.get("TARGETS_TRUSTED_PROXIES", "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise AuthConfigError(
            f"TARGETS_TRUSTED_PROXIES={raw!r}: expected the number of reverse proxies in front "
            "of the dashboard (0, 1, 2 …) whose X-Forwarded-For may be believed"
        )
    return int(raw)


def init_auth(app: dash.Dash, tracker: Tracker, *, debug: bool | None = None) -> None:
    """Configure sessions, the login/logout routes and the request checks on `app`'s server."""
    server = app.server
    if debug is None:
        # create_app enables Dash's dev tools after this call; DASH_DEBUG is what they read
        debug = bool(server.debug) or _flag("DASH_DEBUG")
    server.config.setdefault("TRACKER", tracker)
    server.secret_key = secret_key(debug)
    server.config.update(
        SESSION_COOKIE_NAME="targets_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # behind HTTPS set TARGETS_SECURE_COOKIES=1 so the cookie never travels in clear
        SESSION_COOKIE_SECURE=_flag("TARGETS_SECURE_COOKIES"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=_session_hours()),
    )
    if not server.config.get("MAX_CONTENT_LENGTH"):
        # one upload travels base64-encoded (4/3) in a JSON body: bound the body before parsing
        server.config["MAX_CONTENT_LENGTH"] = config.MAX_UPLOAD_BYTES * 4 // 3 + 1024 * 1024
    prefix = app.config.requests_pathname_prefix.rstrip("/")
    proxies = trusted_proxies()
    if proxies:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    throttle = LoginThrottle(tracker.store, redis_url=config.redis_url())
    server.extensions["targets_auth"] = {"throttle": throttle, "prefix": prefix}
    server.before_request(lambda: _check_request(app, prefix))
    server.after_request(_set_csrf_cookie)
    server.add_url_rule(
        LOGIN_ROUTE, "targets_login", _login_view(throttle, prefix), methods=["POST"]
    )
    server.add_url_rule(LOGOUT_ROUTE, "targets_logout", _logout_view(prefix), methods=["POST"])


def _session_hours() -> int:
    try:
        return max(1, int(os.environ.get("TARGETS_SESSION_HOURS", "12")))
    except ValueError:
        return 12


# -- who is asking -----------------------------------------------------------------------------


def _fingerprint(password_hash: str) -> str:
    """Ties a session to the password it was opened with: a password change ends old sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def _tracker() -> Tracker:
    return flask.current_app.config["TRACKER"]


def current_user() -> dict[str, str] | None:
    """The logged-in account as {"name", "role"}, read from the database; None when anonymous."""
    if not flask.has_request_context():
        return None
    if "targets_user" in flask.g:
        cached: dict[str, str] | None = flask.g.targets_user
        return cached
    user = None
    name = flask.session.get(SESSION_USER)
    if isinstance(name, str) and name:
        row = users.get_user(_tracker().store, name)
        if row is not None and _session_is_current(row):
            user = {"name": str(row["name"]), "role": str(row["role"])}
    flask.g.targets_user = user
    return user


def _session_is_current(row: dict[str, Any]) -> bool:
    """The session was opened with the account's current password and session token, and the
    account is not disabled (see the module doc: how sessions end)."""
    fingerprint = str(flask.session.get(SESSION_FINGERPRINT, ""))
    epoch = str(flask.session.get(SESSION_EPOCH, ""))
    return (
        not row["disabled"]
        and hmac.compare_digest(_fingerprint(row["password_hash"]), fingerprint)
        and hmac.compare_digest(str(row["session_epoch"]), epoch)
    )


def editor() -> dict[str, str] | None:
    """The current account if it may change data (editor or admin), else None."""
    user = current_user()
    return user if user is not None and users.can_edit(user["role"]) else None


def reverter() -> dict[str, str] | None:
    """The current account if it may revert imports: an editor or admin, but not an editor who
    submits for review (TARGETS_EDITS=submit): what is in force changes through a reviewer."""
    from targets.submissions import must_submit

    user = editor()
    return user if user is not None and not must_submit(user["role"]) else None


def reviewer() -> dict[str, str] | None:
    """The current account if it may approve or return submissions (reviewer or admin)."""
    user = current_user()
    return user if user is not None and users.can_review(user["role"]) else None


def csrf_token() -> str:
    """This session's CSRF token (created on first use); empty outside a request."""
    if not flask.has_request_context():
        return ""
    token = flask.session.get(SESSION_CSRF)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        flask.session[SESSION_CSRF] = token
    return token


def _token_matches(sent: str | None) -> bool:
    expected = flask.session.get(SESSION_CSRF)
    return bool(sent) and isinstance(expected, str) and hmac.compare_digest(str(sent), expected)


def _trusted_hosts() -> set[str]:
    """Extra hosts allowed as Origin, for a proxy that rewrites Host (`TARGETS_TRUSTED_HOSTS`)."""
    return {
        h.strip().lower()
        for h in os.environ.get("TARGETS_TRUSTED_HOSTS", "").split(",")
        if h.strip()
    }


def same_origin() -> bool:
    """True when the request says it comes from a page of this site (Origin, else Referer)."""
    source = flask.request.headers.get("Origin") or flask.request.headers.get("Referer")
    if not source or source == "null":
        return False
    host = urlsplit(source).netloc.lower()
    return bool(host) and (host == flask.request.host.lower() or host in _trusted_hosts())


# -- request checks ----------------------------------------------------------------------------


def _check_request(app: dash.Dash, prefix: str) -> Response | None:
    """before_request: CSRF and origin for every unsafe method; private viewing for anonymous."""
    request = flask.request
    path = (
        request.path[len(prefix) :] if prefix and request.path.startswith(prefix) else request.path
    )
    if request.method in UNSAFE_METHODS:
        if not same_origin():
            return _refuse(403)
        # the auth forms check their field themselves, so an expired form gets a friendly page
        if not path.startswith("/auth/") and not _token_matches(request.headers.get(CSRF_HEADER)):
            return _refuse(403)
    if public_view() or path.startswith(_PUBLIC_PREFIXES) or current_user() is not None:
        return None
    if path == "/_dash-update-component":
        # only what draws the login and logout pages (router and header) runs for anonymous users
        body = request.get_json(silent=True)
        return None if _routes_to_login(app, body) else Response(status=204)
    if request.method == "GET" and path not in (LOGIN_PATH, LOGOUT_PATH):
        query = urlencode(
            {"next": request.full_path.rstrip("?"), "lang": request.args.get("lang", "zh")}
        )
        return flask.redirect(f"{prefix}{LOGIN_PATH}?{query}")
    return None


def _routes_to_login(app: dash.Dash, body: Any) -> bool:
    """True when a callback request draws the login or logout page: the callback it names takes
    the page's pathname as an input, the request's inputs are exactly the callback's declared
    ones (Dash passes them by position, so a forged list could smuggle another callback's
    values in), and the pathname is /login or /logout."""
    if not isinstance(body, dict):
        return False
    spec = app.callback_map.get(str(body.get("output")))
    inputs = body.get("inputs")
    if spec is None or not isinstance(inputs, list):
        return False
    declared = [(i["id"], i["property"]) for i in spec["inputs"]]
    sent = [(i.get("id"), i.get("property")) if isinstance(i, dict) else None for i in inputs]
    if sent != declared or ("_pages_location", "pathname") not in declared:
        return False
    pathname = inputs[declared.index(("_pages_location", "pathname"))].get("value")
    return pathname in (LOGIN_PATH, LOGOUT_PATH)


def _refuse(status: int) -> Response:
    return Response(REFUSED, status=status, mimetype="text/plain")


def _set_csrf_cookie(response: Response) -> Response:
    """Give the page the session's CSRF token as a cookie dash-renderer can read (not HttpOnly)."""
    token = csrf_token()
    if flask.request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            samesite="Lax",
            secure=bool(flask.current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=False,
            path="/",
        )
    return response


# -- login and logout --------------------------------------------------------------------------


_DUMMY_HASH: list[str] = []


def _dummy_verify(password: str) -> None:
    """Spend the time a real check takes, so timing does not tell whether a user name exists."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password(secrets.token_hex(16)))
    verify_password(_DUMMY_HASH[0], password)


def authenticate(store: Any, name: str, password: str) -> dict[str, Any] | None:
    """The account row when the name and password match and the account is not disabled, else
    None (same work and the same answer either way: a disabled account is not told apart)."""
    row = users.get_user(store, name) if name else None
    if row is None:
        _dummy_verify(password)
        return None
    return row if verify_password(row["password_hash"], password) and not row["disabled"] else None


def safe_next(target: str | None, lang: str) -> str:
    """A local path to return to after login; anything else (other sites, `//x`) -> the overview."""
    text = (target or "").strip()
    parts = urlsplit(text)
    if not text.startswith("/") or text.startswith(("//", "/\\")) or parts.scheme or parts.netloc:
        return f"/?lang={lang}"
    if parts.path in (LOGIN_PATH, LOGOUT_PATH):
        return f"/?lang={lang}"
    return text


def _client_address() -> str:
    """The client's address: the socket's, or from X-Forwarded-For as ProxyFix read it."""
    return flask.request.remote_addr or "?"


def _login_redirect(prefix: str, lang: str, next_url: str, error: str) -> Response:
    query = urlencode({"error": error, "next": next_url, "lang": lang})
    return flask.redirect(f"{prefix}{LOGIN_PATH}?{query}", code=303)


def _login_view(throttle: LoginThrottle, prefix: str) -> Any:
    def login() -> Response:
        form = flask.request.form
        lang = "en" if form.get("lang") == "en" else "zh"
        next_url = safe_next(form.get("next"), lang)
        if not _token_matches(form.get(CSRF_FIELD)):
            return _login_redirect(prefix, lang, next_url, "expired")
        name = form.get("username", "").strip()[:MAX_NAME_CHARS]
        password = form.get("password", "")[:MAX_PASSWORD_CHARS]
        store = _tracker().store
        address = _client_address()
        # counted before the password is checked, so concurrent guesses cannot all get through
        if not throttle.attempt(name, address):
            record_failure(store, address=address, name=name, refused=True)
            return _login_redirect(prefix, lang, next_url, "throttled")
        row = authenticate(store, name, password)
        if row is None:
            record_failure(store, address=address, name=name, refused=False)
            return _login_redirect(prefix, lang, next_url, "invalid")
        throttle.reset(name, address)
        start_session(row)
        store.audit("login", row["name"], audit_detail("login", role=row["role"], address=address))
        return flask.redirect(prefix + next_url, code=303)

    return login


def start_session(row: dict[str, Any]) -> None:
    """Log the account `row` (from targets.users.get_user) in, in the current request's session:
    nothing of the anonymous session survives, and the CSRF token is new."""
    flask.session.clear()
    flask.session.permanent = True
    flask.session[SESSION_USER] = row["name"]
    flask.session[SESSION_FINGERPRINT] = _fingerprint(row["password_hash"])
    flask.session[SESSION_EPOCH] = str(row["session_epoch"])
    flask.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    flask.g.pop("targets_user", None)


def _logout_view(prefix: str) -> Any:
    def logout() -> Response:
        form = flask.request.form
        lang = "en" if form.get("lang") == "en" else "zh"
        if not _token_matches(form.get(CSRF_FIELD)):
            return flask.redirect(f"{prefix}{LOGOUT_PATH}?lang={lang}", code=303)
        user = current_user()
        if user is not None:
            # a new session token ends this session everywhere, a copied cookie included
            with contextlib.suppress(KeyError):  # deleted meanwhile: its sessions ended with it
                users.end_sessions(
                    _tracker().store,
                    user["name"],
                    by=user["name"],
                    action="logout",
                    detail=f"from {_client_address()}",
                )
        flask.session.clear()
        flask.g.pop("targets_user", None)
        return flask.redirect(f"{prefix}/?lang={lang}", code=303)

    return logout


def logout_form(
    lang: str,
    *,
    label: str | None = None,
    form_id: str = "shell-logout",
    button_class: str = "btn btn-outline-light btn-sm",
) -> html.Form:
    """A one-button form posting to the logout route with the CSRF token (for the header)."""
    try:
        action = str(dash.get_relative_path(LOGOUT_ROUTE))
    except Exception:  # noqa: BLE001 - outside a running app the bare path is right
        action = LOGOUT_ROUTE
    return html.Form(
        [
            dcc.Input(type="hidden", name=CSRF_FIELD, value=csrf_token()),
            dcc.Input(type="hidden", name="lang", value=lang),
            html.Button(
                label or t("login_logout", lang),
                id=f"{form_id}-submit",
                type="submit",
                className=button_class,
            ),
        ],
        id=form_id,
        action=action,
        method="post",
        className="d-inline",
    )
