"""The `targets` command: exit codes, and --json output equal to the library's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from targets.cli import DATA_COLUMNS, GAP_COLUMNS, frame_records, main
from targets.tracker import Tracker
from tests.conftest import ROOT
from tests.fixtures import build_fixture_db


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fixture_url(sqlite_url: str) -> str:
    build_fixture_db(sqlite_url)
    return sqlite_url


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_validate_clean_catalogue(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--catalogue", str(ROOT / "indicators.yaml"), "validate")
    assert code == 0 and "ok" in out


def test_validate_reports_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "formula: rd_expenditure / gdp" in line)
    lines[target] = lines[target].replace("rd_expenditure", "rd_spending")
    broken = tmp_path / "indicators.yaml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(runner, "--catalogue", str(broken), "validate")
    assert code == 1
    assert "rd_spending" in err
    reported = [int(line.split(":")[1]) for line in err.splitlines() if "rd_spending" in line]
    # the problem is reported at the indicator entry that holds the formula, at or above the line
    assert reported and 0 <= target + 1 - reported[0] < 40


def test_indicators_json_lists_every_goal_with_value_and_source(runner: CliRunner) -> None:
    code, out, _ = run(runner, "indicators", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    goals = [r for r in rows.values() if r["milestones"]]
    assert len(goals) >= 21 + 9  # 16 Outline + 6 S&T (R&D shared) + 9 action-plan areas
    urban = rows["urbanization_rate"]["milestones"][0]
    assert (urban["year"], urban["value"], urban["comparator"]) == (2025, 70.0, ">=")
    assert urban["sources"][0]["quote"]
    assert len(rows["rd_intensity"]["milestones"][0]["sources"]) == 2


def test_gaps_json_has_exactly_the_contract_fields_and_the_engine_numbers(
    runner: CliRunner, fixture_url: str
) -> None:
    code, out, _ = run(
        runner, "--db", fixture_url, "gaps", "--milestone", "2025", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    # the contract's fields first, then whose goal, the pace, the verdict in words, provisional
    extra = ["goal_scope", "role", "pace_status", "status_rule", "verdict", "provisional",
             "provisional_reason"]  # fmt: skip
    assert rows and all(list(r) == [*GAP_COLUMNS, *extra] for r in rows)
    anhui = next(r for r in rows if (r["indicator"], r["region"]) == ("rd_intensity", "anhui"))
    assert (anhui["goal_scope"], anhui["role"]) == ("yrd", "benchmark")
    assert "※ benchmark: the plan sets this goal for" in anhui["verdict"]
    from targets.tracker import Tracker

    expected = frame_records(Tracker(fixture_url).gaps(milestone=2025)[GAP_COLUMNS])
    assert [{k: r[k] for k in GAP_COLUMNS} for r in rows] == expected
    assert all(r["provisional"] is False and r["provisional_reason"] == "" for r in rows)
    anhui = next(r for r in rows if (r["indicator"], r["region"]) == ("rd_intensity", "anhui"))
    # hand check: 2018 2.16 -> 2023 2.69, goal > 3 in 2025
    assert anhui["baseline_year"] == 2018 and anhui["baseline_value"] == pytest.approx(2.16)
    assert anhui["gap"] == pytest.approx(0.31)
    assert anhui["progress"] == pytest.approx((2.69 - 2.16) / (3 - 2.16))
    assert anhui["time_elapsed"] == pytest.approx(5 / 7)


def test_gaps_filters_by_alias(runner: CliRunner, fixture_url: str) -> None:
    code, out, _ = run(
        runner, "--db", fixture_url, "gaps", "--region", "安徽省", "--indicator", "研发投入强度",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert {(r["indicator"], r["region"]) for r in rows} == {("rd_intensity", "anhui")}


def test_unknown_region_is_a_one_line_error(runner: CliRunner, fixture_url: str) -> None:
    result = runner.invoke(main, ["--db", fixture_url, "gaps", "--region", "安微"])
    assert result.exit_code == 1
    assert "unknown region" in result.stderr and "Traceback" not in result.stderr


def test_data_csv(runner: CliRunner, fixture_url: str) -> None:
    code, out, _ = run(runner, "--db", fixture_url, "data", "--indicator", "pm25_concentration",
                       "--region", "yrd", "--format", "csv")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ",".join(DATA_COLUMNS)
    assert [line.split(",")[2:4] for line in lines[1:]] == [
        ["2018", "44.0"],
        ["2020", "35.0"],
        ["2022", "31.0"],
        ["2023", "32.0"],
    ]


def test_import_json_refusal_and_success_then_revert(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n火星,研发投入强度,2024,1\n",
                   encoding="utf-8")  # fmt: skip
    result = runner.invoke(main, ["--db", sqlite_url, "import", str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [file] = report["files"]
    assert file["import_id"] is None
    [err] = file["errors"]
    assert (err["code"], err["row"], err["column"]) == ("unknown-region", 3, "A")
    assert set(err) >= {"sheet", "row", "column", "code", "message"}
    code, out, _ = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert json.loads(out) == []  # nothing of the refused file was written

    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    code, out, _ = run(runner, "--db", sqlite_url, "import", str(good), "--json")
    assert code == 0
    import_id = json.loads(out)["files"][0]["import_id"]
    code, out, _ = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert [(r["region"], r["year"], r["value"]) for r in json.loads(out)] == [("anhui", 2024, 2.8)]
    code, out, _ = run(runner, "--db", sqlite_url, "history", "--json")
    assert json.loads(out)[0]["id"] == import_id
    code, _, _ = run(runner, "--db", sqlite_url, "revert", str(import_id))
    assert code == 0
    code, out, _ = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert json.loads(out) == []


def test_import_runs_without_the_cycle_collector_and_turns_it_back_on(
    runner: CliRunner, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sixth of a whole `targets import` process was the cyclic collector walking the objects
    of the modules it loads: the command runs without it, and leaves it as it found it, also
    when a file is refused (exit 1)."""
    import gc

    import targets.ingest

    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("地区,指标,年份,数值\n火星,研发投入强度,2024,1\n", encoding="utf-8")
    seen: list[tuple[str, bool]] = []
    collections: list[int] = []
    importing = False
    original = targets.ingest.import_files

    def spy(*args: Any, **kwargs: Any) -> Any:
        nonlocal importing
        seen.append(("start", gc.isenabled()))
        importing = True
        try:
            return original(*args, **kwargs)
        finally:
            importing = False

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and importing:
            collections.append(info["generation"])

    monkeypatch.setattr(targets.ingest, "import_files", spy)
    gc.callbacks.append(count)
    try:
        assert gc.isenabled()
        code, out, _ = run(runner, "--db", sqlite_url, "import", str(good))
        assert code == 0 and "import #1, 1 row(s)" in out
        assert runner.invoke(main, ["--db", sqlite_url, "import", str(bad)]).exit_code == 1
        assert seen == [("start", False)] * 2 and collections == [] and gc.isenabled()
        gc.disable()  # a caller that turned it off keeps it off
        code, out, _ = run(runner, "--db", sqlite_url, "import", str(good))
        assert code == 0 and "already imported as #1" in out and not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def test_import_leaves_its_objects_out_of_the_collection_at_exit(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The interpreter's last full collection at exit walked every object of pandas, SQLAlchemy
    and pydantic (a tenth of a whole `targets import`): the command freezes them at exit. Seen
    from an exit handler registered before the command runs (handlers run last-in, first-out)."""
    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "from targets.cli import main\n"
        f"main(['--db', {sqlite_url!r}, 'import', {str(good)!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "import #1, 1 row(s)" in out.stdout
    assert out.stdout.strip().endswith("frozen at exit: True")


def _import_in_a_process(sqlite_url: str, tmp_path: Path, before: str, after: str) -> str:
    """`targets import` of one good row through `main` in a new Python process, with the line
    `before` run first and `after` last; its output, which must say the row was imported."""
    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    probe = (
        f"{before}\n"
        "from targets.cli import main\n"
        f"main(['--db', {sqlite_url!r}, 'import', {str(good)!r}], standalone_mode=False)\n"
        f"{after}\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "import #1, 1 row(s)" in out.stdout
    return out.stdout.strip()


def test_import_as_the_process_freezes_its_objects_before_the_collector_resumes(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Turned on again, the collector walked every object the command left alive (0.06-0.2 s of
    a 110,000-row import, freeing nothing): in a process started as `targets` they are frozen
    when the command ends, before the exit handlers. A caller's process (CliRunner) is not."""
    out = _import_in_a_process(
        sqlite_url,
        tmp_path,
        "import gc",
        "print('frozen:', gc.get_freeze_count() > 0, 'enabled:', gc.isenabled())",
    )
    assert out.endswith("frozen: True enabled: True")


def test_an_import_does_not_load_what_only_the_dashboards_upload_child_needs(
    sqlite_url: str, tmp_path: Path
) -> None:
    """psutil is for the memory bound of the dashboard's child process (isolation.py), never a
    CLI import's: loading it cost the import 0.01 s."""
    out = _import_in_a_process(
        sqlite_url, tmp_path, "import sys", "print('psutil loaded:', 'psutil' in sys.modules)"
    )
    assert out.endswith("psutil loaded: False")


def test_import_in_a_callers_process_leaves_its_objects_collectable(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    import gc

    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    frozen = gc.get_freeze_count()
    code, out, _ = run(runner, "--db", sqlite_url, "import", str(good))
    assert code == 0 and "import #1, 1 row(s)" in out
    assert gc.get_freeze_count() == frozen and gc.isenabled()


def test_commands_skip_pydantic_plugins_unless_the_operator_asks(
    runner: CliRunner, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pydantic's search for plugins reads the entry points of every installed package (0.03 s of
    each command); the CLI turns it off unless the variable is set, also to empty (all plugins)."""
    import os

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert run(runner, "--db", sqlite_url, "data", "--format", "json")[0] == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    assert run(runner, "--db", sqlite_url, "data", "--format", "json")[0] == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [name for name in main.commands if not main.commands[name].hidden]
    missing = [n for n in names if f"targets {n}" not in readme]
    assert not missing, f"README lacks: {missing}"


def test_every_issue_code_is_documented_in_the_readme() -> None:
    from targets.issues import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in CODES if f"`{c}`" not in readme] == []


# -- terminal safety: what someone else wrote is shown, never obeyed ---------------------------

# clear screen + home, a carriage return over the line, a forged history line, a bidi override
HOSTILE = (
    "ok\x1b[2J\x1b[H\rdone\n#99    2020-01-01 00:00 active         1 rows  forged\u202ecsv.exe\x9b"
)
RAW = ("\x1b", "\r", "\x9b", "\u202e")


def _printable(text: str) -> bool:
    """No control, bidi or C1 character other than the line breaks the CLI itself writes."""
    return not any(ch in text for ch in RAW) and "\n#99" not in text


def test_history_escapes_notes_file_names_and_users(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    good = tmp_path / "good\x1b[31m.csv"
    good.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,2.8\n", encoding="utf-8")
    code, _, _ = run(runner, "--db", sqlite_url, "import", str(good), "--note", HOSTILE,
                     "--user", "eve\x1b]0;owned\x07")  # fmt: skip
    assert code == 0
    code, out, _ = run(runner, "--db", sqlite_url, "history")
    assert code == 0 and _printable(out) and "\x07" not in out
    [line] = out.splitlines()  # one import, one line: the note's newline cannot add another
    assert "good\\x1b[31m.csv" in line and "eve\\x1b]0;owned\\x07" in line
    assert "ok\\x1b[2J\\x1b[H\\rdone\\n#99" in line and "forged\\u202ecsv.exe\\x9b" in line
    # JSON keeps the exact text, every control character as a JSON escape
    code, out, _ = run(runner, "--db", sqlite_url, "history", "--json")
    assert _printable(out) and "\\u202e" in out and "\\u009b" in out
    assert json.loads(out)[0]["note"] == HOSTILE


def test_data_table_and_csv_escape_notes_json_keeps_them(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    from targets.tracker import Tracker

    rows = pd.DataFrame({"indicator": ["rd_intensity"], "region": ["anhui"], "year": [2024],
                         "value": [2.8], "note": [HOSTILE]})  # fmt: skip
    Tracker(sqlite_url).store.write_import(rows, file_name="x.csv", sha256="a" * 64)
    for fmt in ("table", "csv"):
        code, out, _ = run(runner, "--db", sqlite_url, "data", "--format", fmt)
        assert code == 0 and _printable(out), fmt
        assert len(out.splitlines()) == 2, out  # a header and the one row
    code, out, _ = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert _printable(out) and json.loads(out)[0]["note"] == HOSTILE


def test_import_errors_quoting_a_cell_escape_it(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    # a text file with ESC in it is refused as binary; C1 controls, CR and bidi pass as text
    bad.write_text('地区,指标,年份,数值\n"安徽\x9b2J\r\u202e",研发投入强度,2024,2.8\n',
                   encoding="utf-8")  # fmt: skip
    # the Chinese messages quote the cell as it is (the English ones with repr())
    result = runner.invoke(main, ["--db", sqlite_url, "import", str(bad), "--lang", "zh"])
    assert result.exit_code == 1
    assert "unknown-region" in result.stderr
    # (the reader reads the CR inside the cell as a space)
    assert _printable(result.stderr) and "\\x9b2J \\u202e" in result.stderr
    result = runner.invoke(main, ["--db", sqlite_url, "import", str(bad), "--json", "--lang", "zh"])
    assert _printable(result.stdout)
    [err] = json.loads(result.stdout)["files"][0]["errors"]
    assert "\x9b2J \u202e" in err["message"]  # JSON: the exact text


# -- editors limited to regions -----------------------------------------------------------------


def test_an_editor_limited_to_anhui_cannot_import_jiangsu(
    runner: CliRunner, fixture_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(
        main,
        ["--db", fixture_url, "user", "add", "ana", "--role", "editor", "--regions", "皖",
         "--password-stdin"],
        input="a-long-password\n",
    )  # fmt: skip
    assert result.exit_code == 0 and "limited to anhui" in result.stdout
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "指标,地区,年份,数值\nrd_intensity,安徽,2024,2.8\nrd_intensity,江苏,2024,3.4\n",
        encoding="utf-8",
    )
    code, out, err = run(runner, "--db", fixture_url, "import", "--user", "ana", str(mixed))
    assert code == 1 and "refused" in err
    assert "mixed.csv:D3: [region-not-allowed] a value for jiangsu" in err
    code, out, _ = run(
        runner, "--db", fixture_url, "data", "--region", "jiangsu", "--format", "json"
    )
    assert 2024 not in [r["year"] for r in json.loads(out)]
    # lifted: the same file goes in force
    code, out, _ = run(runner, "--db", fixture_url, "user", "regions", "ana")
    assert code == 0 and "every region" in out
    code, out, _ = run(runner, "--db", fixture_url, "import", "--user", "ana", str(mixed))
    assert code == 0 and "import #2, 2 row(s)" in out
    # an unknown region is refused before anything is stored
    result = runner.invoke(
        main, ["--db", fixture_url, "user", "regions", "ana", "atlantis"], catch_exceptions=False
    )
    assert result.exit_code == 1 and "atlantis" in result.stderr


# -- accounts ----------------------------------------------------------------------------------


def _user(runner: CliRunner, url: str, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(main, ["--db", url, "user", *args], input=stdin)


def _account(url: str, name: str) -> dict[str, Any] | None:
    from targets.store import Store
    from targets.users import get_user

    store = Store(url)
    try:
        return get_user(store, name)
    finally:
        store.dispose()


def _audit(url: str) -> list[tuple[str, str, str]]:
    from targets.store import Store

    store = Store(url)
    try:
        log = store.audit_log()
    finally:
        store.dispose()
    return list(zip(log["action"], log["user"], log["detail"], strict=True))


def test_user_add_refuses_a_padded_or_unprintable_name_before_asking_for_a_password(
    runner: CliRunner, sqlite_url: str
) -> None:
    padded = _user(runner, sqlite_url, "add", " padded", "--role", "editor")
    assert padded.exit_code == 1
    assert "starts or ends with spaces" in padded.stderr and "use 'padded'" in padded.stderr
    assert "Password" not in padded.stdout  # refused before the prompt
    forged = _user(runner, sqlite_url, "add", "eve\x1b[2J", "--role", "editor")
    assert forged.exit_code == 1 and "U+001B" in forged.stderr and "\x1b" not in forged.stderr
    assert _account(sqlite_url, " padded") is None and _account(sqlite_url, "padded") is None
    ok = _user(
        runner,
        sqlite_url,
        "add",
        "Ana",
        "--role",
        "viewer",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert ok.exit_code == 0
    alike = _user(runner, sqlite_url, "add", "ana", "--role", "editor")
    assert alike.exit_code == 1 and "too like the existing user 'Ana'" in alike.stderr
    assert "Password" not in alike.stdout


def test_user_commands_change_the_account_end_its_sessions_and_are_audited(
    runner: CliRunner, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targets.passwords import verify_password

    monkeypatch.setenv("USER", "root")
    monkeypatch.setenv("LOGNAME", "root")
    added = _user(
        runner, sqlite_url, "add", "ana", "--role", "editor", stdin="first-pass\nfirst-pass\n"
    )
    assert added.exit_code == 0, added.output
    epochs = [_account(sqlite_url, "ana")["session_epoch"]]  # type: ignore[index]

    def changed() -> dict[str, Any]:
        row = _account(sqlite_url, "ana")
        assert row is not None and row["session_epoch"] not in epochs  # sessions ended
        epochs.append(row["session_epoch"])
        return row

    mismatch = _user(runner, sqlite_url, "passwd", "ana", stdin="second-pass\nsecond-typo\n")
    assert "do not match" in mismatch.output  # prompted twice; asked again on a mismatch
    assert _account(sqlite_url, "ana")["session_epoch"] == epochs[-1]  # type: ignore[index]
    done = _user(runner, sqlite_url, "passwd", "ana", stdin="second-pass\nsecond-pass\n")
    assert done.exit_code == 0 and "every session of the account ended" in done.stdout
    assert verify_password(changed()["password_hash"], "second-pass")
    piped = _user(runner, sqlite_url, "passwd", "ana", "--password-stdin", stdin="third-pass\n")
    assert piped.exit_code == 0 and verify_password(changed()["password_hash"], "third-pass")

    assert _user(runner, sqlite_url, "role", "ana", "admin").exit_code == 0
    assert changed()["role"] == "admin"
    assert _user(runner, sqlite_url, "role", "ana", "owner").exit_code == 2  # not a role
    assert _user(runner, sqlite_url, "disable", "ana").exit_code == 0
    assert changed()["disabled"] is True
    assert _user(runner, sqlite_url, "enable", "ana").exit_code == 0
    assert _account(sqlite_url, "ana")["disabled"] is False  # type: ignore[index]
    assert _user(runner, sqlite_url, "logout", "ana").exit_code == 0
    changed()
    refused = _user(runner, sqlite_url, "delete", "ana", stdin="n\n")
    assert refused.exit_code == 1 and _account(sqlite_url, "ana") is not None
    assert _user(runner, sqlite_url, "delete", "ana", "--yes").exit_code == 0
    assert _account(sqlite_url, "ana") is None

    assert [(a, u) for a, u, _ in _audit(sqlite_url)] == [
        ("user_delete", "cli:root"),
        ("user_logout", "cli:root"),
        ("user_enable", "cli:root"),
        ("user_disable", "cli:root"),
        ("user_role", "cli:root"),
        ("user_password", "cli:root"),
        ("user_password", "cli:root"),
        ("user_add", "cli:root"),
    ]


@pytest.mark.parametrize("command", ["passwd", "role", "disable", "enable", "logout", "delete"])
def test_user_commands_name_an_unknown_account(
    runner: CliRunner, sqlite_url: str, command: str
) -> None:
    args = {"role": ["role", "nobody", "admin"], "delete": ["delete", "nobody", "--yes"]}
    result = _user(runner, sqlite_url, *args.get(command, [command, "nobody"]), stdin="x\n")
    assert result.exit_code == 1 and "no user 'nobody'" in result.stderr
    assert "Password" not in result.stdout  # asked for nothing
    assert _audit(sqlite_url) == []


def test_user_list_shows_accounts_never_their_hashes(runner: CliRunner, sqlite_url: str) -> None:
    assert _user(runner, sqlite_url, "list").stdout.strip() == "(no users)"
    for name, role in (("bo", "viewer"), ("ana", "editor"), ("王芳", "admin")):
        stdin = "a-long-password\n"
        assert _user(runner, sqlite_url, "add", name, "--role", role, "--password-stdin",
                     stdin=stdin).exit_code == 0  # fmt: skip
    _user(runner, sqlite_url, "regions", "ana", "anhui,jiangsu")
    _user(runner, sqlite_url, "disable", "bo")
    listed = json.loads(_user(runner, sqlite_url, "list", "--json").stdout)
    assert [(u["name"], u["role"], u["disabled"], u["regions"]) for u in listed] == [
        ("ana", "editor", False, ["anhui", "jiangsu"]),
        ("bo", "viewer", True, []),
        ("王芳", "admin", False, []),
    ]
    assert all(set(u) == {"name", "role", "disabled", "regions", "created_at"} for u in listed)
    table = _user(runner, sqlite_url, "list").stdout
    lines = table.splitlines()
    assert lines[0].split() == ["name", "role", "state", "regions", "created"]
    assert lines[1].split()[:4] == ["ana", "editor", "active", "anhui,jiangsu"]
    assert lines[2].split()[:4] == ["bo", "viewer", "disabled", "all"]
    assert "argon2" not in table and "argon2" not in json.dumps(listed)


# -- submissions ---------------------------------------------------------------------------------


def test_submit_list_approve_and_return(
    runner: CliRunner, fixture_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targets.users import add_user

    tr = Tracker(fixture_url)
    add_user(tr.store, "ana", "editor", "h", regions=["anhui"])
    add_user(tr.store, "rita", "reviewer", "h")
    monkeypatch.setenv("TARGETS_EDITS", "submit")
    first = tmp_path / "anhui.csv"
    first.write_text("指标,地区,年份,数值\nrd_intensity,安徽,2023,2.7\n", encoding="utf-8")
    # an editor submits rather than imports
    code, _, err = run(runner, "--db", fixture_url, "import", "--user", "ana", str(first))
    assert code == 1 and "targets submit" in err
    hostile = "请审核\x1b[2J\rforged"
    code, out, _ = run(
        runner, "--db", fixture_url, "submit", "--user", "ana", "--note", hostile, str(first)
    )
    assert code == 0 and "anhui.csv: submission #1, 1 row(s), pending review" in out
    assert "revised: 1" in out and "revises 1 value(s) in force" in out
    code, out, _ = run(runner, "--db", fixture_url, "submissions")
    assert code == 0 and "pending" in out and "(revised 1)" in out
    assert "\x1b" not in out and "\r" not in out and "\\x1b[2J" in out  # shown, not obeyed
    code, out, _ = run(runner, "--db", fixture_url, "submissions", "--json")
    (sub,) = json.loads(out)
    assert (sub["id"], sub["state"], sub["user"], sub["note"]) == (1, "pending", "ana", hostile)
    assert sub["diff"] == [
        {"indicator": "rd_intensity", "region": "anhui", "year": 2023, "old": 2.69, "new": 2.7,
         "change": "revised"}
    ]  # fmt: skip

    code, out, _ = run(runner, "--db", fixture_url, "approve", "1", "--user", "rita")
    assert code == 0 and "submission #1 approved: import #2" in out
    # what is in force changes through a reviewer: the editor cannot revert it either
    code, _, err = run(runner, "--db", fixture_url, "revert", "2", "--user", "ana")
    assert code == 1 and "cannot change what is in force" in err
    code, out, _ = run(runner, "--db", fixture_url, "data", "--region", "anhui", "--format", "json")
    assert {"year": 2023, "value": 2.7} in [
        {"year": r["year"], "value": r["value"]} for r in json.loads(out)
        if r["indicator"] == "rd_intensity"
    ]  # fmt: skip

    second = tmp_path / "second.csv"
    second.write_text("指标,地区,年份,数值\nrd_intensity,安徽,2024,2.9\n", encoding="utf-8")
    run(runner, "--db", fixture_url, "submit", "--user", "ana", str(second))
    result = runner.invoke(main, ["--db", fixture_url, "return", "2", "--user", "rita"])
    assert result.exit_code == 2  # --comment is required
    code, out, _ = run(
        runner, "--db", fixture_url, "return", "2", "--user", "rita", "--comment", "来源？"
    )
    assert code == 0 and "returned" in out
    code, out, _ = run(runner, "--db", fixture_url, "submissions", "--state", "returned")
    assert "#2" in out and "by rita: 来源？" in out
    result = runner.invoke(main, ["--db", fixture_url, "approve", "2", "--user", "rita"])
    assert result.exit_code == 1 and "already returned by rita" in result.stderr


def test_approve_shows_the_diff_again_when_the_values_in_force_changed(
    runner: CliRunner, fixture_url: str, tmp_path: Path
) -> None:
    first = tmp_path / "a.csv"
    first.write_text("指标,地区,年份,数值\nrd_intensity,安徽,2023,2.7\n", encoding="utf-8")
    other = tmp_path / "b.csv"
    other.write_text("指标,地区,年份,数值\nrd_intensity,安徽,2023,2.75\n", encoding="utf-8")
    run(runner, "--db", fixture_url, "submit", "--user", "ana", str(first))
    run(runner, "--db", fixture_url, "import", "--user", "root", str(other))
    result = runner.invoke(main, ["--db", fixture_url, "approve", "1"])
    assert result.exit_code == 1 and "changed since its diff was shown" in result.stderr
    assert "2.75" in result.stdout and "revised" in result.stdout
    code, out, _ = run(runner, "--db", fixture_url, "approve", "1")
    assert code == 0 and "approved" in out


def test_the_command_starts_without_pandas_plotly_dash_or_sqlalchemy() -> None:
    # each command imports what it needs when it runs: --help and the light commands start fast
    heavy = ("pandas", "numpy", "plotly", "dash", "sqlalchemy", "targets.tracker", "targets.users")
    probe = f"import sys, targets.cli; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_account_roles_are_the_users_modules_read_when_asked(runner: CliRunner) -> None:
    from targets.users import ROLES

    shown = runner.invoke(main, ["user", "role", "--help"])
    assert "{" + "|".join(ROLES) + "}" in shown.output
    refused = runner.invoke(main, ["user", "role", "ann", "superuser"])
    assert refused.exit_code == 2 and "'superuser' is not one of" in refused.output


def test_init_loads_the_bundled_statistics_once_and_reads_say_when_the_database_is_empty(
    runner: CliRunner, sqlite_url: str
) -> None:
    from targets.bundled import BUNDLED_DIR, MAIN_FILE

    # a read on an empty database answers, and says on stderr why every goal is pending
    code, out, err = run(runner, "--db", sqlite_url, "assess", "--milestone", "2025")
    assert code == 0 and "pending" in out
    assert "`targets init`" in err
    code, _, err = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert code == 0 and "`targets init`" in err

    code, out, _ = run(runner, "--db", sqlite_url, "init")
    assert code == 0 and "loaded the bundled public statistics as import #" in out
    stored = Tracker(db_url=sqlite_url).store.observations()
    # in force: one value per key of the main file (agreeing releases of one figure are rows
    # of their own there); the superseded file's figures are revised by it
    keys = pd.read_csv(BUNDLED_DIR / MAIN_FILE)[["indicator", "region", "year"]].drop_duplicates()
    assert len(stored) == len(keys) > 100
    code, out, _ = run(runner, "--db", sqlite_url, "init")
    assert code == 0 and "nothing loaded" in out
    assert len(Tracker(db_url=sqlite_url).store.observations()) == len(stored)

    code, out, err = run(runner, "--db", sqlite_url, "data", "--format", "json")
    assert code == 0 and err == ""
    assert len(json.loads(out)) == len(stored)
