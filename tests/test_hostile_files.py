"""Hostile files, each generated here by code, against the real programs a user runs.

- The CLI (`python -m targets import --json`) as a child process: each file is refused with a
  located error and a registered code, within a time limit, and the child's peak resident memory
  (os.wait4's rusage of that very child) stays near that of a run on a good two-row file.
- A real dashboard (gunicorn, one worker process with threads, on a free port): an editor's bad
  upload is refused on the page while the same worker answers another visitor, and the worker
  neither dies nor grows.

The cases are the ones found when the service was probed (issue 18): a stray cell far away (the
reader aborted the process, or took 2.3 GB), a sheet wide and tall at once, an error on every row,
long text cells in the header, long labels, an .ods repeating one value 90 million times.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from targets.issues import CODES
from targets.passwords import hash_password
from targets.users import add_user
from tests.conftest import stop
from tests.fixtures import build_fixture_db
from tests.test_bad_input import NS, XML, xlsx

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 120  # a run past this is killed: on the old code the 40 MB cell never finished
GROWTH_MB = 250  # peak RSS above the good file's run (the old reader took 2.3 GB at row 20,000)
HEADER = "地区,指标,年份,数值\n"


# -- the corpus --------------------------------------------------------------------------------


def sheet(cells: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML}<worksheet xmlns="{NS}">{dim}<sheetData>{cells}</sheetData></worksheet>'


def far_cell(row: int, letters: str, dimension: bool = True) -> bytes:
    """A value in A1 and one stray value far away: a 2 KB file naming a vast rectangle."""
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>'
        f'<row r="{row}"><c r="{letters}{row}"><v>1</v></c></row>'
    )
    return xlsx(sheet(cells, f"A1:{letters}{row}" if dimension else "A1:A1"))


def wide_tall_csv() -> bytes:
    """5,001 rows × 2,000 columns: each within its own bound, together 10,002,000 cells."""
    line = ",".join(["1"] * 2000) + "\n"
    return (line * 5001).encode()


def wide_tall_xlsx() -> bytes:
    """400 rows × 300 columns of numbers (run with TARGETS_MAX_CELLS=100000)."""
    from targets.issues import column_letter

    letters = [column_letter(j) for j in range(300)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
        for r in range(1, 401)
    )
    return xlsx(sheet(rows))


def errors_every_row(rows: int) -> bytes:
    body = "".join(f"上海,研发投入强度,{1950 + i % 100},abc{i}\n" for i in range(rows))
    return (HEADER + body).encode()


def long_header_cell(chars: int) -> bytes:
    return f"地区,{'研' * chars}\n上海,1\n".encode()


def long_header_cell_xlsx(chars: int) -> bytes:
    shared = (
        f'{XML}<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>{"研" * chars}</t></si></sst>'
    )
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="s"><v>0</v></c>'
        '</row><row r="2"><c r="A2" t="inlineStr"><is><t>上海</t></is></c><c r="B2"><v>1</v></c>'
        "</row>"
    )
    return xlsx(sheet(cells), shared)


def long_labels(n: int, chars: int) -> bytes:
    """n distinct region names of `chars` characters (under the cell bound): each unknown."""
    body = "".join(f"{chr(0x4E00 + i) * chars},研发投入强度,2023,1.5\n" for i in range(n))
    return (HEADER + body).encode()


def ods_repeats() -> bytes:
    """One value repeated over 1,000 columns × 90,000 rows by two attributes (an .ods written by
    odfpy, its table replaced): 90 million cells, under the reader's own limit of 100 million."""
    from tests.data import make_fixtures as mf

    bomb = (
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="90000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>'
    )
    source = mf.ods_bytes({"S": [["地区", 1.0]]})
    bio = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(bio, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "content.xml":
                text = part.decode()
                start, end = text.index("<table:table "), text.index("</table:table>") + 14
                part = (text[:start] + bomb + text[end:]).encode()
            dst.writestr(info, part)
    return bio.getvalue()


@dataclass(frozen=True)
class Case:
    make: Callable[[], bytes]
    code: str
    where: tuple[str, int | None, str]  # sheet, row, column of the first error
    env: tuple[tuple[str, str], ...] = ()


CASES: dict[str, Case] = {
    "far_cell_1m.xlsx": Case(lambda: far_cell(1_000_000, "BXX"), "file-too-many-cells", ("数据", 1_000_000, "BXX")),
    "far_cell_20k.xlsx": Case(lambda: far_cell(20_000, "BXX"), "file-too-many-cells", ("数据", 20_000, "BXX")),
    "far_cell_lying.xlsx": Case(lambda: far_cell(20_000, "BXX", dimension=False), "file-too-many-cells", ("数据", 20_000, "BXX")),
    "wide_tall.csv": Case(wide_tall_csv, "file-too-many-cells", ("", 5_001, "BXX")),
    # refused in the first piece of the stream that passes the bound: some row after the 333rd
    "wide_tall.xlsx": Case(wide_tall_xlsx, "file-too-many-cells", ("数据", None, "KN"), (("TARGETS_MAX_CELLS", "100000"),)),
    "cell_025mb.csv": Case(lambda: long_header_cell(87_000), "cell-too-long", ("", 1, "B")),
    "cell_1mb.csv": Case(lambda: long_header_cell(350_000), "cell-too-long", ("", 1, "B")),
    "cell_40mb.csv": Case(lambda: long_header_cell(14_000_000), "cell-too-long", ("", 1, "B")),
    "cell_1mb.xlsx": Case(lambda: long_header_cell_xlsx(350_000), "cell-too-long", ("数据", 1, "B")),
    "repeats.ods": Case(ods_repeats, "file-too-many-cells", ("S", 90_000, "ALL")),
}  # fmt: skip


# -- the CLI as a child --------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def run_cli(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> Run:
    """`python -m targets ARGS` to its end (killed after LIMIT_S), with its own peak RSS."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TARGETS_MAX_")}
    full_env.update(env or {})
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    start = time.perf_counter()
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(
            [sys.executable, "-m", "targets", *args], cwd=ROOT, env=full_env, stdout=o, stderr=e
        )
        killer = threading.Timer(LIMIT_S, lambda: os.kill(proc.pid, signal.SIGKILL))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return Run(
        proc.returncode,
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
        seconds,
        usage.ru_maxrss / 1024,
    )


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The peak RSS of the CLI checking a good two-row file, measured in this run."""
    tmp = tmp_path_factory.mktemp("baseline")
    good = tmp / "good.csv"
    good.write_text(HEADER + "上海,研发投入强度,2023,4.3\n江苏,研发投入强度,2023,3.3\n")
    run = run_cli(["--db", f"sqlite:///{tmp / 'b.db'}", "import", "--dry-run", str(good)], tmp)
    assert run.code == 0, run.stderr
    return run.peak_mb


def import_json(
    path: Path, tmp_path: Path, env: dict[str, str] | None = None
) -> tuple[Run, dict[str, Any]]:
    run = run_cli(
        ["--db", f"sqlite:///{tmp_path / 't.db'}", "import", "--dry-run", "--json", str(path)],
        tmp_path,
        env,
    )
    assert run.code == 1, f"exit {run.code} after {run.seconds:.0f} s: {run.stderr[-2000:]}"
    (report,) = json.loads(run.stdout)["files"]
    return run, report


@pytest.mark.parametrize("name", list(CASES))
def test_each_hostile_file_is_refused_at_its_place_in_bounded_time_and_memory(
    name: str, tmp_path: Path, baseline: float
) -> None:
    case = CASES[name]
    path = tmp_path / name
    path.write_bytes(case.make())
    run, report = import_json(path, tmp_path, dict(case.env))
    (error,) = report["errors"]
    assert error["code"] == case.code and error["code"] in CODES, error
    sheet, row, column = case.where
    assert (error["sheet"], error["column"]) == (sheet, column), error
    assert error["row"] == row if row is not None else error["row"] > 333, error
    assert run.seconds < LIMIT_S
    assert run.peak_mb < baseline + GROWTH_MB, (
        f"{name}: peak {run.peak_mb:.0f} MB, a good file {baseline:.0f} MB"
    )


def test_an_error_on_every_row_lists_the_first_thousand_and_counts_the_rest(
    tmp_path: Path, baseline: float
) -> None:
    path = tmp_path / "errors.csv"
    path.write_bytes(errors_every_row(200_000))
    run, report = import_json(path, tmp_path)
    assert len(report["errors"]) == 1_000 and report["error_count"] == 200_000
    assert report["more_errors"] == {"bad-value": 199_000}
    first = report["errors"][0]
    assert (first["code"], first["row"], first["column"]) == ("bad-value", 2, "D")
    assert run.peak_mb < baseline + 1_000, f"peak {run.peak_mb:.0f} MB"  # 8 MB of CSV
    text = run_cli(
        ["--db", f"sqlite:///{tmp_path / 't.db'}", "import", "--dry-run", str(path)], tmp_path
    )
    lines = text.stderr.splitlines()
    assert lines[0] == "errors.csv: refused, 200,000 error(s)"
    assert len(lines) == 1 + 1_000 + 1, len(lines)
    assert lines[-1] == "  … and 199,000 more bad-value errors"


def test_long_labels_are_reported_without_fuzzy_matching_them(
    tmp_path: Path, baseline: float
) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes(long_labels(200, 30_000))  # 200 names of 30,000 characters: 18 MB
    run, report = import_json(path, tmp_path)
    assert report["error_count"] == 200
    assert {e["code"] for e in report["errors"]} == {"unknown-region"}
    assert [(e["row"], e["column"]) for e in report["errors"][:2]] == [(2, "A"), (3, "A")]
    assert all(e["suggestion"] == "" for e in report["errors"])
    assert run.peak_mb < baseline + GROWTH_MB
    # a short mistyped name still gets its suggestion
    typo = tmp_path / "typo.csv"
    typo.write_bytes((HEADER + "上梅,研发投入强度,2023,4.3\n").encode())
    _, report = import_json(typo, tmp_path)
    assert "上海" in report["errors"][0]["suggestion"]


# -- a real server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def worker(self) -> psutil.Process:
        (child,) = psutil.Process(self.process.pid).children()
        return child


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """gunicorn, one worker with four threads, over a fixture database with an editor."""
    db = f"sqlite:///{tmp_path / 'targets.db'}"
    tracker = build_fixture_db(db)
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    tracker.store.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARGETS_")}
    env.update(
        TARGETS_DB=db,
        TARGETS_SECRET_KEY="hostile-test-" + "k" * 40,
        TARGETS_JOBS_DIR=str(tmp_path / "jobs"),
    )
    log = tmp_path / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "--preload", "-w", "1", "--threads", "4",
        "--timeout", "120", "-b", f"127.0.0.1:{port}", "targets.wsgi:server",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(server.url + "/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        stop(process)


def _editor_session(server: Server) -> Any:
    import requests

    from dashboard import sessions

    s = requests.Session()
    s.get(server.url + "/login", timeout=10)
    token = s.cookies[sessions.CSRF_COOKIE]
    r = s.post(
        server.url + sessions.LOGIN_ROUTE,
        data={"username": "erin", "password": "erin-password", sessions.CSRF_FIELD: token},
        headers={"Origin": server.url},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 303 and "error=" not in r.headers["Location"], r.text[:500]
    s.get(server.url + "/upload?lang=en", timeout=10)
    return s


def _check_upload(server: Server, session: Any, name: str, data: bytes) -> Any:
    """POST the upload page's Check callback as dash-renderer does."""
    import base64

    from dashboard import sessions

    deps = session.get(server.url + "/_dash-dependencies", timeout=10).json()
    spec = next(d for d in deps if "upload-checked.data" in d["output"])
    values = {
        "upload-check.n_clicks": 1,
        "upload-files.contents": [
            "data:application/octet-stream;base64," + base64.b64encode(data).decode()
        ],
        "upload-files.filename": [name],
        "_pages_location.search": "?lang=en",
    }

    def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    outputs = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
        for p in spec["output"].strip(".").split("...")
    ]
    body = {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": filled(spec["inputs"]),
        "state": filled(spec["state"]),
        "changedPropIds": ["upload-check.n_clicks"],
    }
    headers = {"Origin": server.url, sessions.CSRF_HEADER: session.cookies[sessions.CSRF_COOKIE]}
    return session.post(
        server.url + "/_dash-update-component", json=body, headers=headers, timeout=LIMIT_S
    )


def test_the_server_stays_up_and_answers_others_while_a_bad_upload_is_refused(
    server: Server,
) -> None:
    import requests

    worker = server.worker()
    editor = _editor_session(server)
    before = worker.memory_info().rss
    result: dict[str, Any] = {}

    def upload() -> None:
        result["far"] = _check_upload(server, editor, "far.xlsx", far_cell(1_000_000, "BXX"))
        result["rows"] = _check_upload(server, editor, "errors.csv", errors_every_row(200_000))

    thread = threading.Thread(target=upload)
    thread.start()
    answered = []
    while thread.is_alive():  # another visitor, while the editor's files are checked
        start = time.perf_counter()
        for path in ("/?lang=en", "/_dash-layout"):
            page = requests.get(server.url + path, timeout=30)
            answered.append((page.status_code, time.perf_counter() - start))
        time.sleep(0.5)
    thread.join()
    assert answered and all(code == 200 for code, _ in answered), answered
    for key, code in (("far", "file-too-many-cells"), ("rows", "bad-value")):
        response = result[key]
        assert response.status_code == 200, server.log.read_text()[-3000:]
        report = json.dumps(response.json()["response"]["upload-report"], ensure_ascii=False)
        assert code in report, report[:1000]
    assert "Refused: 1 errors" in json.dumps(result["far"].json(), ensure_ascii=False)
    assert "and 199,000 more bad-value errors" in json.dumps(
        result["rows"].json(), ensure_ascii=False
    )
    assert server.worker().pid == worker.pid  # the same worker: it neither died nor was replaced
    grown = (worker.memory_info().rss - before) / 2**20
    assert grown < 300, f"the web worker grew {grown:.0f} MB"
