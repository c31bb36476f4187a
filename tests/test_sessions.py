"""dashboard.sessions: secret key policy, session cookie flags, login/logout with CSRF and same-origin
checks, throttling, audit entries, sessions ended by a password change, private viewing.

The helpers at the top (make_app, login, dash_post …) are shared by test_dashboard_access.py and
the browser tests.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from dashboard import sessions
from targets.passwords import hash_password
from targets.users import add_user, set_password_hash
from tests.fixtures import build_fixture_db

SECRET = "test-secret-" + "k" * 40
ORIGIN = "http://localhost"  # the Flask test client's host


# -- shared helpers ----------------------------------------------------------------------------


def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[Any, Any]:
    """The real dashboard over a fixture SQLite database, with a secret key and public viewing."""
    from dashboard.app import create_app

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    monkeypatch.delenv("TARGETS_PUBLIC_VIEW", raising=False)
    monkeypatch.delenv("TARGETS_INSECURE_DEV_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    tracker = build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")
    return create_app(tracker), tracker


def csrf_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(sessions.CSRF_COOKIE)
    assert cookie is not None, "the app sets the CSRF cookie on every page"
    return cookie.value


def login(client: FlaskClient, name: str, password: str) -> str:
    """Log in through the form route as a browser would; return the session's new CSRF token."""
    client.get("/login")
    response = client.post(
        sessions.LOGIN_ROUTE,
        data={"username": name, "password": password, sessions.CSRF_FIELD: csrf_cookie(client)},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 303, response.data
    assert "error=" not in response.headers["Location"], response.headers["Location"]
    return csrf_cookie(client)


def page_json(component: Any) -> str:
    """A layout as the JSON Dash sends to the browser (every nested component included)."""
    import plotly.io.json

    # re-encoded so that "/" and CJK read as themselves (plotly escapes them)
    return json.dumps(json.loads(plotly.io.json.to_json_plotly(component)), ensure_ascii=False)


def csv_data_url(text: str) -> str:
    """A file as dcc.Upload hands it over: a base64 data URL."""
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def upload_state(
    files: list[tuple[str, str]], *, checked: Any = None, year: Any = None, note: str = ""
) -> dict[str, Any]:
    """The State values of the upload page's check/commit callback."""
    return {
        "upload-files.contents": [content for _, content in files],
        "upload-files.filename": [name for name, _ in files],
        "upload-year.value": year,
        "upload-note.value": note,
        "upload-checked.data": checked,
        "_pages_location.search": "?lang=en",
    }


def _outputs(key: str) -> list[dict[str, str]]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]


def dash_post(
    app: Any,
    client: FlaskClient,
    output_part: str,
    values: dict[str, Any],
    *,
    changed: str,
    token: str | None,
    origin: str | None = ORIGIN,
    referer: str | None = None,
) -> Any:
    """POST to /_dash-update-component the JSON body dash-renderer sends for one callback.

    The callback is the one whose output key contains `output_part` (from app.callback_map);
    inputs and states take their values from `values` ("id.property" -> value), else None.
    """
    key = next(k for k in app.callback_map if output_part in k)
    spec = app.callback_map[key]

    def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    outputs = _outputs(key)
    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": filled(spec["inputs"]),
        "state": filled(spec["state"]),
        "changedPropIds": [changed],
    }
    headers = {}
    if origin:
        headers["Origin"] = origin
    if referer:
        headers["Referer"] = referer
    if token:
        headers[sessions.CSRF_HEADER] = token
    return client.post("/_dash-update-component", json=body, headers=headers)


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    app, tracker = make_app(tmp_path, monkeypatch)
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    yield app, tracker
    tracker.store.dispose()


def _audit(tracker: Any) -> list[tuple[str, str]]:
    log = tracker.store.audit_log()
    return list(zip(log["action"], log["user"], strict=True))


def _redirect_query(response: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["Location"]).query)


# -- secret key --------------------------------------------------------------------------------


def test_no_secret_key_refuses_to_start_outside_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TARGETS_INSECURE_DEV_KEY", raising=False)
    with pytest.raises(sessions.AuthConfigError, match="TARGETS_SECRET_KEY is not set"):
        sessions.secret_key(debug=False)


def test_debug_or_the_insecure_flag_get_a_random_key_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("TARGETS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TARGETS_INSECURE_DEV_KEY", raising=False)
    first = sessions.secret_key(debug=True)
    monkeypatch.setenv("TARGETS_INSECURE_DEV_KEY", "1")
    second = sessions.secret_key(debug=False)
    assert len(first) == 64 and len(second) == 64 and first != second
    assert "TARGETS_SECRET_KEY is not set" in caplog.text


def test_a_short_secret_key_is_refused_and_a_good_one_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "short")
    with pytest.raises(sessions.AuthConfigError, match="too short"):
        sessions.secret_key(debug=True)
    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    assert sessions.secret_key(debug=False) == SECRET


def test_create_app_without_a_key_fails_with_the_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.app import create_app

    tracker = build_fixture_db(f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.delenv("TARGETS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TARGETS_INSECURE_DEV_KEY", raising=False)
    monkeypatch.delenv("DASH_DEBUG", raising=False)
    with pytest.raises(sessions.AuthConfigError):
        create_app(tracker)


# -- login and logout --------------------------------------------------------------------------


def test_login_sets_an_httponly_samesite_session_and_is_audited(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    client.get("/login")
    response = client.post(
        sessions.LOGIN_ROUTE,
        data={
            "username": "erin",
            "password": "erin-password",
            sessions.CSRF_FIELD: csrf_cookie(client),
            "next": "/upload?lang=en",
            "lang": "en",
        },
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/upload?lang=en"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("targets_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    # the CSRF token is renewed at login, and readable by the page's script (not HttpOnly)
    csrf = next(c for c in cookies if c.startswith(f"{sessions.CSRF_COOKIE}="))
    assert "HttpOnly" not in csrf and "SameSite=Lax" in csrf
    assert _audit(tracker)[0] == ("login", "erin")
    with client.session_transaction() as session:
        assert session[sessions.SESSION_USER] == "erin"


def test_wrong_password_and_unknown_user_get_the_same_answer(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    client.get("/login")
    answers = []
    for name, password in (("erin", "wrong-password"), ("nobody", "wrong-password")):
        response = client.post(
            sessions.LOGIN_ROUTE,
            data={"username": name, "password": password, sessions.CSRF_FIELD: csrf_cookie(client)},
            headers={"Origin": ORIGIN},
        )
        answers.append((response.status_code, response.headers["Location"]))
    assert answers[0] == answers[1]
    assert _redirect_query(response)["error"] == ["invalid"]
    # one audit row for the burst, naming both names tried
    assert _audit(tracker)[0] == ("login_failed", "erin")
    detail = tracker.store.audit_log()["detail"].tolist()[0]
    assert detail.startswith("2 failed from 127.0.0.1") and "names tried: erin, nobody" in detail
    with client.session_transaction() as session:
        assert sessions.SESSION_USER not in session


def test_login_page_says_wrong_name_or_password_without_naming_which(
    app_and_tracker: tuple[Any, Any],
) -> None:
    from dashboard.pages import login as login_page

    app, _ = app_and_tracker
    with app.server.test_request_context("/login"):
        page = page_json(login_page.layout(lang="en", error="invalid"))
    assert "Wrong user name or password." in page
    assert sessions.CSRF_FIELD in page and sessions.LOGIN_ROUTE in page
    assert '"type": "password"' in page and '"autoComplete": "current-password"' in page


def test_login_without_the_csrf_token_does_not_log_in(app_and_tracker: tuple[Any, Any]) -> None:
    app, _ = app_and_tracker
    client = app.server.test_client()
    client.get("/login")
    response = client.post(
        sessions.LOGIN_ROUTE,
        data={"username": "erin", "password": "erin-password", sessions.CSRF_FIELD: "guess"},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 303 and _redirect_query(response)["error"] == ["expired"]
    with client.session_transaction() as session:
        assert sessions.SESSION_USER not in session


def test_login_from_another_site_is_forbidden(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    client.get("/login")
    data = {
        "username": "erin",
        "password": "erin-password",
        sessions.CSRF_FIELD: csrf_cookie(client),
    }
    assert (
        client.post(
            sessions.LOGIN_ROUTE, data=data, headers={"Origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert (
        client.post(sessions.LOGIN_ROUTE, data=data).status_code == 403
    )  # neither Origin nor Referer
    assert ("login", "erin") not in _audit(tracker)


def test_login_is_throttled_after_five_failures_even_with_the_right_password(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    client.get("/login")

    def attempt(password: str) -> list[str]:
        response = client.post(
            sessions.LOGIN_ROUTE,
            data={
                "username": "Erin",
                "password": password,
                sessions.CSRF_FIELD: csrf_cookie(client),
            },
            headers={"Origin": ORIGIN},
        )
        return _redirect_query(response).get("error", [])

    assert [attempt("nope-nope") for _ in range(5)] == [["invalid"]] * 5
    assert attempt("erin-password") == ["throttled"]
    assert _audit(tracker)[0] == ("login_failed", "Erin")
    detail = tracker.store.audit_log()["detail"].tolist()[0]
    assert detail.startswith("5 failed, 1 refused by the throttle from 127.0.0.1")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/upload?lang=en", "/upload?lang=en"),
        ("/indicator/rd_intensity", "/indicator/rd_intensity"),
        ("//evil.example/x", "/?lang=en"),
        ("/\\evil.example", "/?lang=en"),
        ("https://evil.example/", "/?lang=en"),
        ("javascript:alert(1)", "/?lang=en"),
        ("/login?next=/upload", "/?lang=en"),
        ("", "/?lang=en"),
        (None, "/?lang=en"),
    ],
)
def test_safe_next_keeps_local_paths_only(target: str | None, expected: str) -> None:
    assert sessions.safe_next(target, "en") == expected


def test_logout_needs_the_token_then_ends_the_session(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    stale = client.post(
        sessions.LOGOUT_ROUTE, data={sessions.CSRF_FIELD: "stale"}, headers={"Origin": ORIGIN}
    )
    assert stale.status_code == 303
    with client.session_transaction() as session:
        assert session[sessions.SESSION_USER] == "erin"
    done = client.post(
        sessions.LOGOUT_ROUTE,
        data={sessions.CSRF_FIELD: token, "lang": "en"},
        headers={"Origin": ORIGIN},
    )
    assert done.status_code == 303 and done.headers["Location"] == "/?lang=en"
    with client.session_transaction() as session:
        assert sessions.SESSION_USER not in session
    assert _audit(tracker)[0] == ("logout", "erin")


def test_logout_of_an_account_deleted_meanwhile_still_logs_out(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from targets.users import delete_user

    app, tracker = app_and_tracker
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    # deleted between the session check and the logout's own write
    real = sessions.users.end_sessions

    def deleted_first(store: Any, name: str, **kw: Any) -> None:
        delete_user(store, name, by="root")
        real(store, name, **kw)

    monkeypatch.setattr(sessions.users, "end_sessions", deleted_first)
    done = client.post(
        sessions.LOGOUT_ROUTE, data={sessions.CSRF_FIELD: token}, headers={"Origin": ORIGIN}
    )
    assert done.status_code == 303
    with client.session_transaction() as session:
        assert sessions.SESSION_USER not in session


def test_a_password_change_ends_existing_sessions(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    login(client, "erin", "erin-password")
    with client.session_transaction() as session:
        saved = dict(session)
    with app.server.test_request_context("/"):
        import flask

        flask.session.update(saved)
        assert sessions.current_user() == {"name": "erin", "role": "editor"}
    set_password_hash(tracker.store, "erin", hash_password("a-new-password"), by="erin")
    with app.server.test_request_context("/"):
        flask.session.update(saved)
        assert sessions.current_user() is None


def test_current_user_is_none_outside_a_request() -> None:
    assert sessions.current_user() is None
    assert sessions.csrf_token() == ""


# -- private viewing ---------------------------------------------------------------------------


def test_private_view_sends_anonymous_visitors_to_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, tracker = make_app(tmp_path, monkeypatch, TARGETS_PUBLIC_VIEW="0")
    add_user(tracker.store, "vic", "viewer", hash_password("vic-password"))
    client = app.server.test_client()
    response = client.get("/indicator/rd_intensity?lang=en")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/indicator/rd_intensity?lang=en"]
    assert client.get("/login").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    token = csrf_cookie(client)

    def route(pathname: str) -> Any:
        return dash_post(
            app, client, "_pages_content.children",
            {"_pages_location.pathname": pathname, "_pages_location.search": ""},
            changed="_pages_location.pathname", token=token,
        )  # fmt: skip

    page = route("/")
    assert page.status_code == 204  # nothing of the data pages for anonymous visitors
    assert route("/login").status_code == 200
    # a data callback with a forged "I am on /login" input is not let through either
    key = next(k for k in app.callback_map if "overview-body.children" in k)
    forged = client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": _outputs(key),
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/login"},
                {"id": "overview-cities", "property": "value", "value": []},
            ],
            "state": [{"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"],
        },
        headers={"Origin": ORIGIN, sessions.CSRF_HEADER: token},
    )
    assert forged.status_code == 204
    token = login(client, "vic", "vic-password")
    assert client.get("/indicator/rd_intensity?lang=en").status_code == 200
    assert route("/").status_code == 200


def test_public_view_is_the_default(app_and_tracker: tuple[Any, Any]) -> None:
    app, _ = app_and_tracker
    assert sessions.public_view()
    assert app.server.test_client().get("/indicator/rd_intensity").status_code == 200


def test_request_body_is_bounded(app_and_tracker: tuple[Any, Any]) -> None:
    from targets import config

    app, _ = app_and_tracker
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert config.MAX_UPLOAD_BYTES < limit < config.MAX_UPLOAD_BYTES * 2
    assert re.fullmatch(r"\d+", str(limit))


# -- throttling as the web sees it: shared, per account × address, proxy-aware -------------------


def _try(
    client: FlaskClient, name: str, password: str, *, remote: str = "127.0.0.1", xff: str = ""
) -> str:
    """One login through the form from `remote` (the socket's address); 'ok' or the error."""
    headers = {"Origin": ORIGIN} | ({"X-Forwarded-For": xff} if xff else {})
    environ = {"REMOTE_ADDR": remote}
    client.get("/login", environ_base=environ)
    response = client.post(
        sessions.LOGIN_ROUTE,
        data={"username": name, "password": password, sessions.CSRF_FIELD: csrf_cookie(client)},
        headers=headers,
        environ_base=environ,
    )
    assert response.status_code == 303
    return _redirect_query(response).get("error", ["ok"])[0]


def test_failures_on_other_accounts_never_lock_out_a_correct_password(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    attacker, erin = app.server.test_client(), app.server.test_client()
    for name in ("ana", "bo", "erin2", "nobody"):
        assert [_try(attacker, name, "guess-guess") for _ in range(6)][-1] == "throttled"
    # the same address (one office behind one NAT), another account: not locked out
    assert _try(erin, "erin", "erin-password") == "ok"


def test_failures_from_other_addresses_never_lock_out_a_correct_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind one proxy: a stranger guessing at erin's name does not lock erin out."""
    app, tracker = make_app(tmp_path, monkeypatch, TARGETS_TRUSTED_PROXIES="1")
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    stranger, erin = app.server.test_client(), app.server.test_client()
    proxy = "10.0.0.2"  # every request arrives from the proxy
    tries = [
        _try(stranger, "erin", "guess-guess", remote=proxy, xff="203.0.113.7") for _ in range(7)
    ]
    assert tries == ["invalid"] * 5 + ["throttled"] * 2
    assert _try(erin, "erin", "erin-password", remote=proxy, xff="198.51.100.2") == "ok"
    # the stranger stays throttled, even with the right password
    assert _try(stranger, "erin", "erin-password", remote=proxy, xff="203.0.113.7") == "throttled"
    detail = tracker.store.audit_log()["detail"].tolist()
    assert any(d.startswith("5 failed, 3 refused by the throttle from 203.0.113.7") for d in detail)


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(
    app_and_tracker: tuple[Any, Any],
) -> None:
    """Without TARGETS_TRUSTED_PROXIES a client cannot escape its count with a made-up header."""
    app, tracker = app_and_tracker
    client = app.server.test_client()
    tries = [_try(client, "erin", "guess-guess", xff=f"192.0.2.{i}") for i in range(7)]
    assert tries == ["invalid"] * 5 + ["throttled"] * 2
    assert "from 127.0.0.1" in tracker.store.audit_log()["detail"].tolist()[0]


def test_two_proxies_the_client_is_the_second_address_from_the_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, tracker = make_app(tmp_path, monkeypatch, TARGETS_TRUSTED_PROXIES="2")
    client = app.server.test_client()
    # what the client wrote itself (leftmost) is not believed
    _try(client, "x", "guess-guess", remote="10.0.0.3", xff="6.6.6.6, 198.51.100.9, 10.0.0.2")
    assert "from 198.51.100.9" in tracker.store.audit_log()["detail"].tolist()[0]


def test_a_bad_proxy_count_stops_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(sessions.AuthConfigError, match="TARGETS_TRUSTED_PROXIES='yes'"):
        make_app(tmp_path, monkeypatch, TARGETS_TRUSTED_PROXIES="yes")


def test_two_workers_share_one_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two app instances (two gunicorn workers) over one database: failures on either count."""
    from dashboard.app import create_app

    first, tracker = make_app(tmp_path, monkeypatch)
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    second = create_app(type(tracker)(db_url=tracker.db_url))
    one, two = first.server.test_client(), second.server.test_client()
    tries = [_try(one if i % 2 else two, "erin", "guess-guess") for i in range(6)]
    assert tries == ["invalid"] * 5 + ["throttled"]
    assert _try(one, "erin", "erin-password") == "throttled"


def test_a_flood_of_failed_logins_leaves_imports_and_reverts_on_the_history_page(
    app_and_tracker: tuple[Any, Any],
) -> None:
    from dashboard.pages.history import AUDIT_ROWS

    app, tracker = app_and_tracker
    store = tracker.store
    [imported] = store.imports()
    store.revert(imported.id, user="ana")
    before = len(store.audit_log(limit=10_000))
    client = app.server.test_client()
    client.get("/login")
    token = csrf_cookie(client)
    started = time.monotonic()
    answers = [
        client.post(
            sessions.LOGIN_ROUTE,
            data={"username": f"guess{i % 2}", "password": "x" * 12, sessions.CSRF_FIELD: token},
            headers={"Origin": ORIGIN},
        ).status_code
        for i in range(250)
    ]
    elapsed = time.monotonic() - started
    assert answers == [303] * 250
    log = store.audit_log(limit=10_000)
    assert len(log) == before + 1  # one row for the whole burst
    assert log["detail"].tolist()[0].startswith("10 failed, 240 refused by the throttle from")
    shown = store.audit_log(limit=AUDIT_ROWS)["action"].tolist()
    assert "import" in shown and "revert" in shown
    print(f"250 failed logins in {elapsed:.1f} s")


def test_with_redis_the_count_is_kept_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import require_redis

    url = os.environ.get("TARGETS_TEST_REDIS", "redis://127.0.0.1:6379/15")
    client_redis = require_redis(url)
    app, tracker = make_app(tmp_path, monkeypatch, TARGETS_REDIS=url, TARGETS_JOBS="local")
    from targets.cache import database_fingerprint

    prefix = f"targets:login:{database_fingerprint(tracker.store.url)}:"
    try:
        client = app.server.test_client()
        assert [_try(client, "erin", "guess-guess") for _ in range(6)][-1] == "throttled"
        [key] = list(client_redis.scan_iter(match=prefix + "*"))
        assert int(client_redis.get(key)) == 6 and 0 < client_redis.pttl(key) <= 60_000
    finally:
        keys = list(client_redis.scan_iter(match=prefix + "*"))
        if keys:
            client_redis.delete(*keys)
        client_redis.close()
