"""dashboard/pages/submissions.py through its real callback (a Flask test client, a session, the
CSRF token): only reviewers may approve or return, an approval whose diff went stale shows the new
diff and changes nothing, the page lists what each account may see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard import ids
from dashboard.pages import submissions as page
from targets.ingest import import_files
from targets.passwords import hash_password
from targets.submissions import get_submission, submit
from targets.users import add_user
from tests.test_sessions import ORIGIN, login, make_app, page_json
from tests.test_submissions import ANHUI, OTHER

PASSWORD = "a-long-password"


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    app, tracker = make_app(tmp_path, monkeypatch)
    for name, role in (("ana", "editor"), ("rita", "reviewer")):
        add_user(tracker.store, name, role, hash_password(PASSWORD))
    yield app, tracker
    tracker.store.dispose()


def press(app: Any, who: str, button: str, sid: int, comment: str = "") -> dict[str, Any]:
    """Log in as `who` and press the approve or return button of submission `sid`."""
    client = app.server.test_client()
    token = login(client, who, PASSWORD)
    key = next(k for k in app.callback_map if ids.SUBMISSIONS_LIST in k)
    pressed = {"type": button, "index": sid}
    body = {
        "output": key,
        "outputs": [
            {"id": ids.SUBMISSIONS_LIST, "property": "children"},
            {"id": ids.SUBMISSIONS_STATUS, "property": "children"},
        ],
        "inputs": [
            [{"id": {"type": ids.SUBMISSIONS_APPROVE, "index": sid}, "property": "n_clicks",
              "value": 1 if button == ids.SUBMISSIONS_APPROVE else None}],
            [{"id": {"type": ids.SUBMISSIONS_RETURN, "index": sid}, "property": "n_clicks",
              "value": 1 if button == ids.SUBMISSIONS_RETURN else None}],
        ],
        "state": [
            [{"id": {"type": ids.SUBMISSIONS_COMMENT, "index": sid}, "property": "value",
              "value": comment}],
            {"id": ids.PAGES_LOCATION, "property": "search", "value": "?lang=en"},
        ],
        "changedPropIds": [json.dumps(pressed, separators=(",", ":"), sort_keys=True)
                           + ".n_clicks"],
    }  # fmt: skip
    response = client.post(
        "/_dash-update-component",
        json=body,
        headers={"Origin": ORIGIN, "X-CSRFToken": token},
    )
    assert response.status_code == 200, response.data[:500]
    out: dict[str, Any] = response.get_json()["response"]
    return out


def test_only_a_reviewer_may_approve(app_and_tracker: tuple[Any, Any]) -> None:
    app, tr = app_and_tracker
    sid = submit(tr.store, tr.catalogue, tr.regions, [("a.csv", ANHUI)], user="ana").ids["a.csv"]
    refused = press(app, "ana", ids.SUBMISSIONS_APPROVE, sid)
    assert "Reviewing needs a reviewer or admin account" in json.dumps(refused, ensure_ascii=False)
    assert get_submission(tr.store, sid).state == "pending"
    done = press(app, "rita", ids.SUBMISSIONS_APPROVE, sid)
    text = json.dumps(done, ensure_ascii=False)
    assert f"Submission #{sid} approved: in force as import #2" in text
    assert get_submission(tr.store, sid).state == "approved"


def test_a_stale_diff_is_shown_again_and_nothing_changes(app_and_tracker: tuple[Any, Any]) -> None:
    app, tr = app_and_tracker
    sid = submit(tr.store, tr.catalogue, tr.regions, [("a.csv", ANHUI)], user="ana").ids["a.csv"]
    assert import_files(tr.store, tr.catalogue, tr.regions, [("o.csv", OTHER)]).report.ok
    version = tr.store.data_version()
    out = press(app, "rita", ids.SUBMISSIONS_APPROVE, sid)
    text = json.dumps(out, ensure_ascii=False)
    assert "the values in force changed since it was submitted; nothing was changed" in text
    assert tr.store.data_version() == version
    # the card is drawn again with the diff as it now stands: 2.75 in force, 2.7 submitted
    grid = out[ids.SUBMISSIONS_LIST]["children"]
    rows = json.dumps(grid)
    assert '"old": "2.75"' in rows and '"new": "2.70"' in rows
    assert get_submission(tr.store, sid).state == "pending"


def test_a_return_without_comment_changes_nothing(app_and_tracker: tuple[Any, Any]) -> None:
    app, tr = app_and_tracker
    sid = submit(tr.store, tr.catalogue, tr.regions, [("a.csv", ANHUI)], user="ana").ids["a.csv"]
    out = press(app, "rita", ids.SUBMISSIONS_RETURN, sid, comment="  ")
    assert "needs a comment" in json.dumps(out) and ids.SUBMISSIONS_LIST not in out
    out = press(app, "rita", ids.SUBMISSIONS_RETURN, sid, comment="来源？")
    assert f"Submission #{sid} returned." in json.dumps(out)
    assert get_submission(tr.store, sid).comment == "来源？"


def test_what_each_account_sees(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import sessions

    app, tr = app_and_tracker
    submit(tr.store, tr.catalogue, tr.regions, [("a.csv", ANHUI)], user="ana")
    seen = {}
    for who, role in (("ana", "editor"), ("rita", "reviewer"), ("vic", "viewer"), (None, "")):
        user = None if who is None else {"name": who, "role": role}
        monkeypatch.setattr(sessions, "current_user", lambda user=user: user)
        with app.server.test_request_context("/submissions"):
            seen[who] = page_json(page.layout(lang="en"))
    assert ids.SUBMISSIONS_APPROVE not in seen["ana"] and f"{ids.SUBMISSION_ROW}-1" in seen["ana"]
    assert "pending review" in seen["ana"]
    assert ids.SUBMISSIONS_APPROVE in seen["rita"] and f"{ids.SUBMISSION_CARD}-1" in seen["rita"]
    for nobody in ("vic", None):
        assert ids.SUBMISSIONS_REFUSED in seen[nobody] and "a.csv" not in seen[nobody]


def test_a_reviewer_downloads_the_file_as_submitted(app_and_tracker: tuple[Any, Any]) -> None:
    import base64

    app, tr = app_and_tracker
    sid = submit(tr.store, tr.catalogue, tr.regions, [("a.csv", ANHUI)], user="ana").ids["a.csv"]
    got = {}
    for who in ("ana", "rita"):
        client = app.server.test_client()
        token = login(client, who, PASSWORD)
        key = next(k for k in app.callback_map if ids.SUBMISSIONS_FILE in k)
        pressed = {"type": ids.SUBMISSIONS_DOWNLOAD, "index": sid}
        body = {
            "output": key,
            "outputs": {"id": ids.SUBMISSIONS_FILE, "property": "data"},
            "inputs": [[{"id": pressed, "property": "n_clicks", "value": 1}]],
            "state": [],
            "changedPropIds": [json.dumps(pressed, separators=(",", ":"), sort_keys=True)
                               + ".n_clicks"],
        }  # fmt: skip
        response = client.post(
            "/_dash-update-component", json=body, headers={"Origin": ORIGIN, "X-CSRFToken": token}
        )
        got[who] = response
    # no update: an editor does not download others' files
    assert got["ana"].status_code == 204 or ids.SUBMISSIONS_FILE not in got["ana"].get_data(True)
    data = got["rita"].get_json()["response"][ids.SUBMISSIONS_FILE]["data"]
    assert (data["filename"], base64.b64decode(data["content"])) == ("a.csv", ANHUI)
