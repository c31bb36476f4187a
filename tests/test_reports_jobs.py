"""The reports page's export as a Dash background job (diskcache, the default), over HTTP.

The job runs in a process of its own and reports progress; the browser's polls go through the
same CSRF and same-origin checks as every callback; Cancel kills the job's process. The
helpers at the top (`start_job`, `poll`, `run_job`) are shared with test_dashboard_access.py
and test_worker.py.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import stat
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from dash import CeleryManager, DiskcacheManager
from flask.testing import FlaskClient

from dashboard import background, ids, sessions
from dashboard.pages import reports
from tests.test_sessions import ORIGIN, _outputs, dash_post, make_app

# a bound so that a job that never ends fails the test instead of hanging the run
JOB_LIMIT_S = 180.0
NO_WORKER_S = 30.0  # a Celery job nobody has started by then has no worker to go to


# -- helpers -----------------------------------------------------------------------------------


def export_values(fmt: str, **overrides: Any) -> dict[str, Any]:
    """The callback's inputs as the page sends them after a click on `fmt`."""
    return {
        f"{reports.BUTTONS[fmt]}.n_clicks": 1,
        f"{ids.REPORTS_MILESTONE}.value": 2025,
        f"{ids.REPORTS_REGIONS}.value": [],
        f"{ids.REPORTS_INDICATORS}.value": [],
        f"{ids.REPORTS_LANG}.value": "en",
        # a nonce per click, as per page view: a result another test left unread in Redis under
        # the same inputs would otherwise answer this click at once, with no progress on the way
        f"{ids.REPORTS_NONCE}.data": f"test-{uuid.uuid4().hex}",
        "_pages_location.search": "?lang=en",
        **overrides,
    }


def start_job(app: Any, client: FlaskClient, fmt: str, token: str | None, **values: Any) -> Any:
    """Click a format button: the answer is the job's signed handles, not the file."""
    return dash_post(
        app, client, f"{ids.REPORTS_DOWNLOAD}.data", export_values(fmt, **values),
        changed=f"{reports.BUTTONS[fmt]}.n_clicks", token=token,
    )  # fmt: skip


def poll(
    app: Any,
    client: FlaskClient,
    handles: dict[str, Any],
    token: str | None,
    *,
    origin: str | None = ORIGIN,
    output_part: str = f"{ids.REPORTS_DOWNLOAD}.data",
    extra: dict[str, str] | None = None,
    referer: str | None = None,
) -> Any:
    """One poll as dash-renderer sends it: the same callback, its values blanked, the handles in
    the query string, the CSRF header from the cookie."""
    key = next(k for k in app.callback_map if output_part in k)
    spec = app.callback_map[key]
    outputs = _outputs(key)
    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [{**i, "value": None} for i in spec["inputs"]],
        "state": [{**i, "value": None} for i in spec["state"]],
        "changedPropIds": [],
    }
    query = {k: v for k, v in handles.items() if k in ("cacheKey", "job")} | (extra or {})
    headers = {"Origin": origin} if origin else {}
    if referer:
        headers["Referer"] = referer
    if token:
        headers[sessions.CSRF_HEADER] = token
    return client.post(f"/_dash-update-component?{urlencode(query)}", json=body, headers=headers)


def wait_for_result(
    app: Any, client: FlaskClient, handles: dict[str, Any], token: str
) -> tuple[Any, list[dict[str, Any]]]:
    """Poll until the job's answer arrives: (the final response, every progress update seen)."""
    seen: list[dict[str, Any]] = []
    started = time.monotonic()
    deadline = started + JOB_LIMIT_S
    while time.monotonic() < deadline:
        _no_worker_hint(app, handles, time.monotonic() - started)
        answer = poll(app, client, handles, token)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        data = answer.get_json()
        if "progress" in data:
            seen.append(data["progress"])
        if "response" in data:
            return data["response"], seen
        time.sleep(0.1)
    raise AssertionError(f"the job did not finish within {JOB_LIMIT_S} s")


def _no_worker_hint(app: Any, handles: dict[str, Any], waited: float) -> None:
    """Fail at once, and say why, when Celery jobs wait for a worker that is not there."""
    manager = app._background_manager
    if not isinstance(manager, CeleryManager) or waited < NO_WORKER_S:
        return
    if manager.handle.AsyncResult(unsigned(handles["job"])).status == "PENDING":
        raise AssertionError(
            f"no Celery worker took the job in {NO_WORKER_S:.0f} s: TARGETS_REDIS is set, so "
            "exports go to Celery; start `celery -A dashboard.worker worker`, or run the "
            "tests with TARGETS_JOBS=local (or without TARGETS_REDIS)"
        )


def run_job(app: Any, client: FlaskClient, fmt: str, token: str, **values: Any) -> Any:
    """Click, then poll to the end: the callback's outputs (download data, status)."""
    started = start_job(app, client, fmt, token, **values)
    assert started.status_code == 200, started.get_data(as_text=True)
    response, _ = wait_for_result(app, client, started.get_json(), token)
    return response


def unsigned(handle: str) -> str:
    return handle.rsplit("~", 1)[0]


def page_token(client: FlaskClient) -> str:
    client.get("/reports?lang=en")
    cookie = client.get_cookie(sessions.CSRF_COOKIE)
    assert cookie is not None
    return cookie.value


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(tmp_path / "jobs"))
    app, tracker = make_app(tmp_path, monkeypatch)
    yield app, tracker
    tracker.store.dispose()


# -- the job -----------------------------------------------------------------------------------


def test_the_pdf_is_made_in_another_process_with_progress(app_and_tracker: Any) -> None:
    app, _ = app_and_tracker
    assert isinstance(app._background_manager, DiskcacheManager)
    client = app.server.test_client()
    token = page_token(client)
    started = start_job(app, client, "pdf", token)
    assert started.status_code == 200
    handles = started.get_json()
    # the request returned at once with a job, not a file: the job is a process of its own
    assert "response" not in handles and set(handles) >= {"cacheKey", "job"}
    assert int(unsigned(handles["job"])) != os.getpid()
    response, seen = wait_for_result(app, client, handles, token)

    sent = response[ids.REPORTS_DOWNLOAD]["data"]
    assert sent["filename"] == "yrd-targets-2025-en.pdf"
    data = base64.b64decode(sent["content"])
    assert data.startswith(b"%PDF")
    assert response[ids.REPORTS_STATUS]["children"] == (
        f"yrd-targets-2025-en.pdf is ready ({len(data):,} bytes)."
    )
    texts = [p[f"{ids.REPORTS_PROGRESS_TEXT}.children"] for p in seen]
    values = [int(p[f"{ids.REPORTS_PROGRESS}.value"]) for p in seen]
    assert texts and all(t.startswith(("Working: ", "Done, downloading")) for t in texts)
    assert values == sorted(values) and all(0 <= v <= 100 for v in values)
    assert all(f"{v}%" in t for v, t in zip(values, texts, strict=True))


def test_polls_pass_the_csrf_and_origin_checks_like_any_callback(app_and_tracker: Any) -> None:
    app, _ = app_and_tracker
    client = app.server.test_client()
    token = page_token(client)
    handles = start_job(app, client, "csv", token).get_json()
    assert poll(app, client, handles, None).status_code == 403
    assert poll(app, client, handles, token, origin="https://evil.example").status_code == 403
    assert poll(app, client, handles, token, origin=None).status_code == 403
    response, _ = wait_for_result(app, client, handles, token)
    text = base64.b64decode(response[ids.REPORTS_DOWNLOAD]["data"]["content"]).decode("utf-8-sig")
    assert text.startswith("indicator,") and "rd_intensity" in text
    # and starting a job needs the token too
    assert start_job(app, client, "csv", None).status_code == 403


def test_cancel_kills_the_job_process(
    app_and_tracker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = app_and_tracker
    gate = tmp_path / "never"
    real = reports.progress_values

    def held(fraction: float, stage: str, lang: str) -> tuple[str, str, str]:
        # the job (forked from this process, so it has this patch) waits here for ever:
        # only Cancel can end it
        while not gate.exists():
            time.sleep(0.05)
        return real(fraction, stage, lang)

    monkeypatch.setattr(reports, "progress_values", held)
    client = app.server.test_client()
    token = page_token(client)
    handles = start_job(app, client, "pdf", token).get_json()
    manager = app._background_manager
    pid = unsigned(handles["job"])
    assert manager.job_running(pid)
    assert poll(app, client, handles, token).get_json() == {"multi": True}

    # what the renderer sends on a click on Cancel: Dash's cancel callback, the job's handle
    key = next(k for k in app.callback_map if k.startswith(f"{ids.REPORTS_CANCEL}.id"))
    cancel = poll(app, client, {}, token, output_part=key, extra={"cancelJob": handles["job"]})
    assert cancel.status_code in (200, 204)
    assert not manager.job_running(pid)
    # the page's next poll ends the wait: no file, nothing to update
    assert poll(app, client, handles, token).status_code == 204


def test_a_job_that_dies_is_said_in_the_status_line(
    app_and_tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a report error but a crash in the job: the status line says so, in the page's
    language (a poll has no input values; the page's address has ?lang=en), with no details."""
    app, _ = app_and_tracker

    def crash(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("internal detail /srv/secret-path")

    monkeypatch.setattr(reports, "render_report", crash)  # the forked job has it too
    client = app.server.test_client()
    token = page_token(client)
    handles = start_job(app, client, "csv", token).get_json()
    deadline = time.monotonic() + JOB_LIMIT_S
    while time.monotonic() < deadline:
        answer = poll(app, client, handles, token, referer="http://localhost/reports?lang=en")
        data = answer.get_json()
        if "response" in data:
            break
        time.sleep(0.1)
    status = json.dumps(data["response"][ids.REPORTS_STATUS], ensure_ascii=False)
    assert "The report could not be made: the background job could not be run" in status
    assert "secret-path" not in status and ids.REPORTS_DOWNLOAD not in data["response"]


def test_an_unreachable_job_queue_is_said_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TARGETS_REDIS set but nobody answers there: the click gets the error in the status line
    (after a short retry), not a hanging request."""
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    app, tracker = make_app(tmp_path, monkeypatch)  # the tracker caches in memory
    monkeypatch.setenv("TARGETS_REDIS", "redis://127.0.0.1:1/0")  # a port nothing listens on
    from dashboard.app import create_app

    app = create_app(tracker)
    assert isinstance(app._background_manager, CeleryManager)
    client = app.server.test_client()
    token = page_token(client)
    answer = start_job(app, client, "pdf", token, **{"_pages_location.search": "?lang=zh"})
    assert answer.status_code == 200
    status = json.dumps(answer.get_json()["response"][ids.REPORTS_STATUS], ensure_ascii=False)
    assert "无法生成报告：后台任务无法运行，请稍后再试。" in status
    assert "127.0.0.1" not in status
    tracker.store.dispose()


def test_two_page_views_asking_for_the_same_report_get_a_file_each(app_and_tracker: Any) -> None:
    """Dash names a job's result by the callback's inputs: the page's nonce keeps two people's
    identical requests apart (without it the first poll to arrive takes the one result)."""
    from tests.test_sessions import page_json

    app, _ = app_and_tracker
    with app.server.test_request_context("/reports"):
        nonces = {page_json(reports.layout(lang="en")).split(ids.REPORTS_NONCE)[1][:60]
                  for _ in range(2)}  # fmt: skip
    assert len(nonces) == 2
    first, second = app.server.test_client(), app.server.test_client()
    tokens = page_token(first), page_token(second)
    jobs = [
        start_job(app, client, "csv", token, **{f"{ids.REPORTS_NONCE}.data": nonce})
        for client, token, nonce in zip((first, second), tokens, ("view-1", "view-2"), strict=True)
    ]
    handles = [job.get_json() for job in jobs]
    assert handles[0]["cacheKey"] != handles[1]["cacheKey"]
    for client, token, handle in zip((first, second), tokens, handles, strict=True):
        response, _ = wait_for_result(app, client, handle, token)
        assert response[ids.REPORTS_DOWNLOAD]["data"]["filename"] == "yrd-targets-2025-en.csv"


def test_a_forged_job_handle_stops_nothing(app_and_tracker: Any) -> None:
    """Dash signs the handles: a pid the server did not hand out is never killed."""
    app, _ = app_and_tracker
    client = app.server.test_client()
    token = page_token(client)
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    child.start()
    try:
        key = next(k for k in app.callback_map if k.startswith(f"{ids.REPORTS_CANCEL}.id"))
        forged = {"cancelJob": f"{child.pid}~{'0' * 64}"}
        assert poll(app, client, {}, token, output_part=key, extra=forged).status_code in (200, 204)
        assert child.is_alive()
    finally:
        child.kill()
        child.join()


def test_the_cancelled_line_is_in_the_page_language() -> None:
    assert reports.cancelled(1, "?lang=en") == "Cancelled: no file was made."
    assert reports.cancelled(1, "?lang=zh") == "已取消，没有生成文件。"


def test_progress_words_say_the_stage_and_the_percentage() -> None:
    assert reports.progress_values(0.4, "gaps", "zh") == (
        "40", "生成中：计算差距… 40%", "生成中：计算差距",
    )  # fmt: skip
    assert reports.progress_values(0.4, "gaps", "en") == (
        "40", "Working: computing gaps… 40%", "Working: computing gaps",
    )  # fmt: skip
    # every page is on screen; a screen reader hears the phase once
    assert reports.progress_values(0.3, "pdf:styles", "en")[2] == (
        "Working: laying out the PDF pages"
    )
    assert reports.progress_values(0.731, "pdf:page:12", "en") == (
        "73", "Working: laying out PDF page 12… 73%", "Working: laying out the PDF pages",
    )  # fmt: skip
    assert reports.progress_values(0.8, "sheet:gaps", "zh")[1:] == (
        "生成中：写入工作表：差距表… 80%", "生成中：写入工作表",
    )  # fmt: skip
    assert reports.progress_values(1.0, "done", "zh") == (
        "100", "已生成，正在下载… 100%", "已生成，正在下载",
    )  # fmt: skip


def test_the_page_has_a_labelled_progress_bar_and_a_cancel_button(app_and_tracker: Any) -> None:
    from tests.test_sessions import page_json

    app, _ = app_and_tracker
    with app.server.test_request_context("/reports"):
        page = page_json(reports.layout(lang="zh"))
    assert f'"htmlFor": "{ids.REPORTS_PROGRESS}"' in page and '"生成进度"' in page
    assert f'"aria-describedby": "{ids.REPORTS_PROGRESS_TEXT}"' in page
    assert '"aria-live": "polite"' in page and '"取消生成"' in page


# -- where jobs run ----------------------------------------------------------------------------


def test_without_redis_jobs_run_in_a_private_diskcache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(tmp_path / "jobs"))
    manager = background.make_manager()
    assert isinstance(manager, DiskcacheManager)
    assert Path(manager.handle.directory) == tmp_path / "jobs"
    assert stat.S_IMODE((tmp_path / "jobs").stat().st_mode) == 0o700
    assert background.make_manager() is manager  # one per configuration and process

    monkeypatch.delenv("TARGETS_JOBS_DIR")
    default = background.jobs_dir()
    assert default.name == f"targets-jobs-{os.getuid()}"
    assert stat.S_IMODE(default.stat().st_mode) & 0o022 == 0


def test_a_jobs_directory_others_can_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.delenv("TARGETS_REDIS", raising=False)
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(shared))
    with pytest.raises(background.JobsConfigError, match="writable by no one else"):
        background.make_manager()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "jobs-real", target_is_directory=True)
    (tmp_path / "jobs-real").mkdir(mode=0o700)
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(link))
    with pytest.raises(background.JobsConfigError):
        background.jobs_dir()


def test_with_redis_jobs_go_to_celery_in_json_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # building the manager connects to nothing: this needs no Redis server
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    monkeypatch.setenv("TARGETS_REDIS", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("TARGETS_JOBS_QUEUE", "reports-test")
    manager = background.make_manager()
    assert isinstance(manager, CeleryManager)
    conf = manager.handle.conf
    assert conf.broker_url == "redis://127.0.0.1:6379/9"
    assert conf.result_backend == "redis://127.0.0.1:6379/9"
    assert conf.task_default_queue == "reports-test"
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.result_serializer == "json" and conf.task_track_started
    assert background.make_manager() is manager


def test_a_queued_job_carries_no_cookies_or_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session cookie is a credential: it does not travel to Redis with the job."""
    monkeypatch.delenv("TARGETS_JOBS", raising=False)
    monkeypatch.setenv("TARGETS_REDIS", "redis://127.0.0.1:6379/9")
    manager = background.make_manager()
    queued: list[tuple[Any, ...]] = []

    class Task:
        def delay(self, *args: Any) -> Any:
            queued.append(args)
            return type("Result", (), {"task_id": "task-1"})()

    context = {
        "cookies": {"targets_session": "secret"}, "headers": {"Cookie": "targets_session=secret"},
        "triggered_inputs": [{"prop_id": "reports-pdf.n_clicks", "value": 1}], "path": "/x",
    }  # fmt: skip
    assert manager.call_job_fn("key", Task(), [1, 2], context) == "task-1"
    ((key, progress_key, args, sent),) = queued
    assert (key, progress_key, args) == ("key", "key-progress", [1, 2])
    assert sent == {"triggered_inputs": context["triggered_inputs"], "path": "/x"}
    assert "secret" not in repr(queued)


def test_targets_jobs_chooses_local_or_celery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGETS_JOBS_DIR", str(tmp_path / "jobs"))
    monkeypatch.setenv("TARGETS_REDIS", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("TARGETS_JOBS", "local")  # Redis for the result cache only
    assert isinstance(background.make_manager(), DiskcacheManager)
    monkeypatch.delenv("TARGETS_REDIS")
    monkeypatch.setenv("TARGETS_JOBS", "celery")
    with pytest.raises(background.JobsConfigError, match="needs TARGETS_REDIS"):
        background.make_manager()
    monkeypatch.setenv("TARGETS_JOBS", "threads")
    with pytest.raises(background.JobsConfigError, match="use 'local' or 'celery'"):
        background.make_manager()


def _tracker_in_child(queue: Any) -> None:
    original = background._state["tracker"]
    mine = background.job_tracker()
    queue.put((mine is original, mine.db_url, len(mine.store.imports())))


def test_a_forked_job_opens_its_own_tracker_on_the_same_database(app_and_tracker: Any) -> None:
    _, tracker = app_and_tracker  # make_app -> create_app recorded it
    assert background.job_tracker() is tracker
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_tracker_in_child, args=(queue,))
    child.start()
    same, url, imports = queue.get(timeout=60)
    child.join()
    assert (same, url, imports) == (False, tracker.db_url, len(tracker.store.imports()))
    assert background.job_tracker() is tracker  # the parent keeps its own
