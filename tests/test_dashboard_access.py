"""The protected callbacks (upload check/commit, revert) posted to directly, as an attacker would:
without a session, with a viewer's, with an editor's, without the CSRF token, from another site.
Each refusal leaves the database as it was; an editor's request does the work and is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.ids import (
    HISTORY_CONFIRM,
    HISTORY_PENDING,
    HISTORY_STATUS,
    UPLOAD_CHECK,
    UPLOAD_CHECKED,
    UPLOAD_CONFIRM,
    UPLOAD_FILES,
    UPLOAD_REFUSED,
)
from targets.passwords import hash_password
from targets.users import add_user, get_user, set_disabled, set_password_hash, set_role
from tests.test_sessions import (
    ORIGIN,
    csv_data_url,
    dash_post,
    login,
    make_app,
    page_json,
    upload_state,
)

GOOD_CSV = "地区,指标,年份,数值\n上海,研发投入强度,2023,4.50\n江苏,研发投入强度,2024,3.41\n"


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    app, tracker = make_app(tmp_path, monkeypatch)
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    add_user(tracker.store, "vic", "viewer", hash_password("vic-password"))
    yield app, tracker
    tracker.store.dispose()


def _imports(tracker: Any) -> list[tuple[int, str, str]]:
    return [(i.id, i.file_name, i.state) for i in tracker.store.imports()]


def _check(app: Any, client: FlaskClient, token: str | None, **kw: Any) -> Any:
    state = upload_state([("good.csv", csv_data_url(GOOD_CSV))])
    return dash_post(
        app, client, f"{UPLOAD_CHECKED}.data", {f"{UPLOAD_CHECK}.n_clicks": 1, **state},
        changed=f"{UPLOAD_CHECK}.n_clicks", token=token, **kw,
    )  # fmt: skip


def _commit(app: Any, client: FlaskClient, token: str | None, checked: Any) -> Any:
    state = upload_state([("good.csv", csv_data_url(GOOD_CSV))], checked=checked)
    return dash_post(
        app, client, f"{UPLOAD_CHECKED}.data", {f"{UPLOAD_CONFIRM}.n_clicks": 1, **state},
        changed=f"{UPLOAD_CONFIRM}.n_clicks", token=token,
    )  # fmt: skip


def _revert(app: Any, client: FlaskClient, token: str | None, import_id: int) -> Any:
    return dash_post(
        app, client, f"{HISTORY_STATUS}.children",
        {
            f"{HISTORY_CONFIRM}.submit_n_clicks": 1,
            f"{HISTORY_PENDING}.data": import_id,
            "_pages_location.search": "?lang=en",
        },
        changed=f"{HISTORY_CONFIRM}.submit_n_clicks", token=token,
    )  # fmt: skip


def _signature() -> dict[str, Any]:
    import hashlib

    return {
        "files": [["good.csv", hashlib.sha256(GOOD_CSV.encode()).hexdigest()]],
        "year": None,
    }


def test_the_protected_callbacks_are_registered_with_the_outputs_the_tests_post_to(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, _ = app_and_tracker
    keys = " ".join(app.callback_map)
    assert f"{UPLOAD_CHECKED}.data" in keys and f"{HISTORY_STATUS}.children" in keys
    assert UPLOAD_FILES in json.dumps([v["state"] for v in app.callback_map.values()])


def test_no_session_no_token_is_refused_before_the_callback(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    for response in (_check(app, client, None), _commit(app, client, None, _signature())):
        assert response.status_code == 403
    assert _revert(app, client, None, 1).status_code == 403
    assert _imports(tracker) == before


def test_anonymous_session_with_token_is_refused_inside_the_callback(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    client.get("/upload")
    token = client.get_cookie("_csrf_token").value  # type: ignore[union-attr]
    check = _check(app, client, token)
    commit = _commit(app, client, token, _signature())
    assert check.status_code == 200 and commit.status_code == 200
    for response in (check, commit):
        body = response.get_json()["response"]
        assert UPLOAD_REFUSED in json.dumps(body["upload-report"])
        assert body["upload-checked"]["data"] is None
    revert = _revert(app, client, token, before[0][0])
    assert revert.status_code == 200
    assert "editor" in json.dumps(revert.get_json()["response"][HISTORY_STATUS])
    assert _imports(tracker) == before


def test_viewer_is_refused_and_nothing_changes(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "vic", "vic-password")
    for response in (_check(app, client, token), _commit(app, client, token, _signature())):
        assert response.status_code == 200
        assert UPLOAD_REFUSED in json.dumps(response.get_json()["response"]["upload-report"])
    _revert(app, client, token, before[0][0])
    assert _imports(tracker) == before


def test_editor_checks_commits_and_reverts_and_each_write_is_audited(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")

    check = _check(app, client, token)
    assert check.status_code == 200
    body = check.get_json()["response"]
    assert body["upload-checked"]["data"] == _signature()
    assert body["upload-confirm"]["disabled"] is False
    assert "new 1 · unchanged 0 · revised 1" in json.dumps(
        body["upload-report"], ensure_ascii=False
    )
    assert _imports(tracker) == before  # a dry run writes nothing

    commit = _commit(app, client, token, body["upload-checked"]["data"])
    assert commit.status_code == 200
    after = _imports(tracker)
    assert len(after) == len(before) + 1
    new_id, name, state = after[0]
    assert (name, state) == ("good.csv", "active")
    assert tracker.store.get_import(new_id).user == "erin"
    obs = tracker.store.observations(indicators=["rd_intensity"], regions=["jiangsu"])
    assert obs.loc[obs["year"] == 2024, "value"].tolist() == [3.41]

    revert = _revert(app, client, token, new_id)
    assert revert.status_code == 200
    assert tracker.store.get_import(new_id).state == "reverted"
    log = tracker.store.audit_log()
    actions = list(zip(log["action"], log["user"], strict=True))
    assert actions[:3] == [("revert", "erin"), ("import", "erin"), ("login", "erin")]


def test_commit_needs_the_bytes_that_were_checked(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    stale = {"files": [["good.csv", "0" * 64]], "year": None}
    response = _commit(app, client, token, stale)
    assert response.status_code == 200
    assert _imports(tracker) == before


def test_editor_session_without_token_or_from_another_site_is_refused(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    assert _commit(app, client, None, _signature()).status_code == 403
    assert _commit(app, client, "forged-token-" + "x" * 40, _signature()).status_code == 403
    evil = _check(app, client, token, origin="http://evil.example")
    assert evil.status_code == 403
    no_origin = _check(app, client, token, origin=None)
    assert no_origin.status_code == 403
    # Referer stands in for Origin (older browsers, some proxies)
    referer = _check(app, client, token, origin=None, referer=f"{ORIGIN}/upload")
    assert referer.status_code == 200
    assert _imports(tracker) == before


def test_a_demoted_editor_loses_the_right_at_once(app_and_tracker: tuple[Any, Any]) -> None:
    app, tracker = app_and_tracker
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    set_role(tracker.store, "erin", "viewer", by="admin")
    response = _commit(app, client, token, _signature())
    assert UPLOAD_REFUSED in json.dumps(response.get_json()["response"]["upload-report"])
    assert _imports(tracker) == before


# -- a session cookie copied before the session ended -----------------------------------------------
def _copy_of(client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie (a stolen or shared cookie)."""
    cookie = client.get_cookie("targets_session")
    assert cookie is not None
    other = type(client)(client.application)
    other.set_cookie("targets_session", cookie.value)
    return other


def _edits(app: Any, client: FlaskClient, token: str) -> bool:
    """Whether the upload check runs for this session as for an editor (else it is refused)."""
    body = _check(app, client, token).get_json()["response"]
    return body["upload-checked"]["data"] == _signature()


def test_a_cookie_copied_before_logout_no_longer_edits(app_and_tracker: tuple[Any, Any]) -> None:
    from dashboard import sessions

    app, tracker = app_and_tracker
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    copy = _copy_of(client)
    assert _edits(app, copy, token)  # the copy works as the original while the session lasts
    logout = client.post(
        sessions.LOGOUT_ROUTE, data={sessions.CSRF_FIELD: token}, headers={"Origin": ORIGIN}
    )
    assert logout.status_code == 303
    assert not _edits(app, copy, token)
    assert _revert(app, copy, token, _imports(tracker)[0][0]).status_code == 200
    assert all(state == "active" for _, _, state in _imports(tracker))
    # logging in again opens a new session; the copy of the old one stays ended
    new_token = login(client, "erin", "erin-password")
    assert _edits(app, client, new_token)
    assert not _edits(app, copy, token)


@pytest.mark.parametrize(
    "change",
    [
        lambda store: set_password_hash(store, "erin", hash_password("a-new-password"), by="x"),
        lambda store: set_role(store, "erin", "admin", by="root"),
        lambda store: set_disabled(store, "erin", True, by="root"),
    ],
    ids=["password", "role", "disable"],
)
def test_a_password_role_or_disable_change_ends_every_session(
    app_and_tracker: tuple[Any, Any], change: Any
) -> None:
    app, tracker = app_and_tracker
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    assert _edits(app, client, token)
    change(tracker.store)
    assert not _edits(app, client, token)


def test_a_disabled_account_cannot_log_in_and_is_not_told_apart(
    app_and_tracker: tuple[Any, Any],
) -> None:
    from dashboard import sessions

    app, tracker = app_and_tracker
    set_disabled(tracker.store, "erin", True, by="root")
    client = app.server.test_client()
    client.get("/login")
    response = client.post(
        sessions.LOGIN_ROUTE,
        data={
            "username": "erin",
            "password": "erin-password",
            sessions.CSRF_FIELD: client.get_cookie(sessions.CSRF_COOKIE).value,  # type: ignore[union-attr]
        },
        headers={"Origin": ORIGIN},
    )
    assert "error=invalid" in response.headers["Location"]  # as for a wrong password
    set_disabled(tracker.store, "erin", False, by="root")
    assert _edits(app, client, login(client, "erin", "erin-password"))


def test_the_upload_page_shows_the_form_to_editors_only(app_and_tracker: tuple[Any, Any]) -> None:
    from dashboard.pages import upload

    app, _ = app_and_tracker
    with app.server.test_request_context("/upload"):
        import flask

        flask.session.clear()
        anonymous = page_json(upload.layout(lang="en"))
    assert UPLOAD_REFUSED in anonymous and UPLOAD_FILES not in anonymous
    assert "log in as an editor" in anonymous


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_edit_page_renders_for_an_editor_and_for_anonymous(
    app_and_tracker: tuple[Any, Any], lang: str
) -> None:
    from dashboard import sessions
    from dashboard.pages import history, login, reports, upload

    app, tracker = app_and_tracker
    layouts = (upload.layout, history.layout, login.layout, login.logout_layout, reports.layout)
    with app.server.test_request_context("/"):
        anonymous = [page_json(f(lang=lang)) for f in layouts]
        row = get_user(tracker.store, "erin")
        sessions.start_session(row)
        editor = [page_json(f(lang=lang)) for f in layouts]
    assert UPLOAD_FILES in editor[0] and UPLOAD_FILES not in anonymous[0]
    assert "history-revert" in editor[1] and "history-revert" not in anonymous[1]
    assert ids.LOGIN_USER in anonymous[2] and ids.LOGOUT_FORM in editor[2]
    assert ids.LOGOUT_FORM in editor[3] and ids.LOGOUT_FORM not in anonymous[3]
    assert ids.REPORTS_DOWNLOAD in anonymous[4]


def test_upload_size_is_bounded_in_the_page_and_on_the_server(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.pages import upload
    from targets import config

    app, tracker = app_and_tracker
    with app.server.test_request_context("/upload"):
        from dashboard import sessions

        sessions.start_session(get_user(tracker.store, "erin"))
        page = page_json(upload.layout(lang="en"))
    assert f'"max_size": {config.MAX_UPLOAD_BYTES}' in page
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    monkeypatch.setattr(config, "MAX_UPLOAD_BYTES", len(GOOD_CSV.encode()) - 1)
    response = _check(app, client, token)
    report = json.dumps(response.get_json()["response"]["upload-report"], ensure_ascii=False)
    assert "more than the limit of" in report
    assert response.get_json()["response"]["upload-checked"]["data"] is None
    assert _imports(tracker) == before


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [
        ("xlsx", b"PK\x03\x04"),
        ("csv", None),
        ("html", b"<!"),
        ("pdf", b"%PDF"),
        ("docx", b"PK\x03\x04"),
    ],
)
def test_reports_download_callback_sends_each_format(
    app_and_tracker: tuple[Any, Any], fmt: str, magic: bytes | None
) -> None:
    import base64

    from tests.test_reports_jobs import run_job

    app, _ = app_and_tracker
    client = app.server.test_client()
    client.get("/reports")
    token = client.get_cookie("_csrf_token").value  # type: ignore[union-attr]
    # the export is a background job: the click starts it, polls fetch the file
    response = run_job(
        app, client, fmt, token,
        **{f"{ids.REPORTS_REGIONS}.value": ["anhui", "not-a-region"],
           f"{ids.REPORTS_INDICATORS}.value": ["rd_intensity"]},
    )  # fmt: skip
    sent = response[ids.REPORTS_DOWNLOAD]["data"]
    stem = "yrd-assessment" if fmt == "docx" else "yrd-targets"
    assert sent["filename"] == f"{stem}-2025-en.{fmt}" and sent["base64"] is True
    data = base64.b64decode(sent["content"])
    if magic is not None:
        assert data.lstrip()[: len(magic)].upper() == magic.upper()
    else:
        text = data.decode("utf-8-sig")
        assert "rd_intensity" in text or "R&D" in text
        assert "anhui" in text.lower() and "jiangsu" not in text.lower()


def test_the_preview_grid_shows_each_rows_suggestions() -> None:
    from dashboard.upload_report import preview_grid
    from targets.ingest.preview import SheetPreview
    from targets.issues import Issue

    cells = [["地区", "数值"], ["安微", "2.69"], ["上海", "4.34"]]
    preview = SheetPreview("", [1, 2, 3], ["A", "B"], cells, total_rows=3)
    issue = Issue(
        "unknown-region", "unknown region '安微'", "f.csv", "", 2, "A", "是否为 安徽 (anhui)？"
    )
    grid = preview_grid(preview, [issue], "g", "zh")
    assert grid.columnDefs[-1]["headerName"] == "建议"
    rows = {r["_row"]: r["_suggestion"] for r in grid.rowData}
    assert rows == {1: "", 2: "A2: 是否为 安徽 (anhui)？", 3: ""}


def test_with_reviewed_edits_an_editor_submits_and_cannot_revert(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """TARGETS_EDITS=submit: the confirm button submits for review, and reverting (a change of
    what is in force too) is refused to editors, on the page and in the callback."""
    from dashboard import sessions
    from dashboard.pages import history
    from targets.submissions import list_submissions

    app, tracker = app_and_tracker
    monkeypatch.setenv("TARGETS_EDITS", "submit")
    before = _imports(tracker)
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    check = _check(app, client, token).get_json()["response"]
    commit = _commit(app, client, token, check["upload-checked"]["data"])
    assert "Submitted as #1" in json.dumps(commit.get_json()["response"], ensure_ascii=False)
    assert _imports(tracker) == before and len(list_submissions(tracker.store)) == 1

    _revert(app, client, token, before[0][0])
    assert _imports(tracker) == before  # refused inside the callback
    monkeypatch.setattr(sessions, "current_user", lambda: {"name": "erin", "role": "editor"})
    with app.server.test_request_context("/history"):
        page = page_json(history.layout(lang="en"))
    assert "reverting an import needs an admin account" in page
    assert ids.HISTORY_AUDIT in page and ids.REVERT_BUTTON not in page
