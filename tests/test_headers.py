"""dashboard.headers: every response carries the CSP and the framing, referrer and sniffing headers;
the policy names no outside origin and allows exactly the inline scripts Dash writes."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard import sessions as auth
from dashboard.headers import content_security_policy
from tests.test_sessions import ORIGIN, login, make_app


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    app, tracker = make_app(tmp_path, monkeypatch)
    yield app, tracker
    tracker.store.dispose()


def _policy(response: Any) -> dict[str, list[str]]:
    text = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in text.split(";") if d.strip()}


def _assert_headers(response: Any, where: str) -> None:
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], where
    script = policy["script-src"]
    assert script[0] == "'self'" and all(s.startswith("'sha256-") for s in script[1:]), where
    sources = [s for values in policy.values() for s in values]
    # nothing from another origin: no scheme-and-host source, no wildcard
    assert not [s for s in sources if "://" in s or "*" in s or s in ("http:", "https:")], where


def test_every_kind_of_response_carries_the_headers(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    responses = {
        "page": client.get("/"),
        "layout": client.get("/_dash-layout"),
        "dependencies": client.get("/_dash-dependencies"),
        "asset": client.get(
            "/assets/" + next(p.name for p in Path(app.config.assets_folder).glob("*.css"))
        ),
        "not found": client.get("/no/such/thing.js"),
        "refused post": client.post("/_dash-update-component", json={}),
        "login form": client.post(auth.LOGIN_ROUTE, data={}, headers={"Origin": ORIGIN}),
    }
    for where, response in responses.items():
        _assert_headers(response, where)
    assert responses["asset"].status_code == 200
    assert responses["refused post"].status_code == 403
    assert responses["login form"].status_code == 303


def test_the_hashes_are_exactly_the_inline_scripts_of_the_page(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    response = app.server.test_client().get("/")
    html = response.get_data(as_text=True)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline, "Dash writes at least its renderer's start line inline"
    digests = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    }
    assert set(_policy(response)["script-src"][1:]) == digests


def test_the_policy_text() -> None:
    text = content_security_policy(["'sha256-abc='"])
    assert "script-src 'self' 'sha256-abc='" in text
    assert "'unsafe-eval'" not in text
    assert text.count("'unsafe-inline'") == 1 and "style-src 'self' 'unsafe-inline'" in text


def test_a_logged_in_editor_gets_the_same_headers(app_and_tracker: tuple[Any, Any]) -> None:
    from targets.passwords import hash_password
    from targets.users import add_user

    app, tracker = app_and_tracker
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    client = app.server.test_client()
    login(client, "erin", "erin-password")
    _assert_headers(client.get("/upload"), "upload page")
