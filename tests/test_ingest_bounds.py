"""targets.ingest.bounds through read_upload: the used area, characters per cell, errors kept per
file, the time limit; each refusal located, with its code, and the bound named in its message.
Files are written by code (openpyxl, xlwt, CSV text)."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable

import pytest

from targets import config
from targets.ingest import bounds, read_upload
from targets.ingest.readers import ReadError
from targets.issues import Issue
from tests.data import make_fixtures as mf

CAT = mf.tiny_catalogue()
REG = mf.TinyRegions()
HEADER = ["地区", "指标", "年份", "数值"]


def read(data: bytes, name: str = "f.xlsx", **kw: object):  # type: ignore[no-untyped-def]
    return read_upload(data, name, CAT, REG, **kw)  # type: ignore[arg-type]


def only(up) -> Issue:  # type: ignore[no-untyped-def]
    assert len(up.issues) == 1, [str(i) for i in up.issues]
    assert up.rows.empty
    return up.issues[0]


@pytest.mark.parametrize("writer", [mf.xlsx_bytes, mf.xls_bytes])
def test_the_used_area_of_all_sheets_is_bounded(
    writer: Callable[[dict[str, list[list[object]]]], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "MAX_CELLS", 1_000)
    rows = [HEADER, ["上海", "研发投入强度", 2023, 4.3]]
    assert read(writer({"S": rows})).ok
    far = rows + [[None] * 4] * 300 + [[None, None, None, None, None, None, None, None, None, 1]]
    issue = only(read(writer({"S": far})))
    assert issue.code == "file-too-many-cells" and issue.sheet == "S"
    assert (issue.row, issue.column) == (303, "J") and "303 rows × 10 columns" in issue.message
    assert "TARGETS_MAX_CELLS" in issue.message


def test_a_csv_is_bounded_by_its_lines_times_its_widest_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(config, "MAX_CELLS", 1_000)
    lines = [",".join(HEADER)] + ["上海,研发投入强度,2023,4.3"] * 200
    assert read("\n".join(lines).encode(), "f.csv").ok  # 201 × 4
    wide = lines + [",".join(["1"] * 20)]  # the sample sees 4 columns; the last line has 20
    issue = only(read("\n".join(wide).encode(), "f.csv"))
    assert issue.code == "file-too-many-cells" and "20 columns" in issue.message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_longer_than_the_bound_is_refused_at_its_cell(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "MAX_CELL_CHARS", 500)
    rows = [HEADER, ["上海", "研发投入强度", 2023, 4.3], ["江苏", "x" * 501, 2023, 3.1]]
    data = mf.xlsx_bytes({"S": rows}) if kind == "xlsx" else mf.csv_bytes(rows)
    issue = only(read(data, f"f.{kind}"))
    assert issue.code == "cell-too-long" and (issue.row, issue.column) == (3, "B")
    assert "501 characters" in issue.message and "TARGETS_MAX_CELL_CHARS" in issue.message


def test_a_field_past_the_csv_modules_own_bound_is_a_cell_too_long() -> None:
    data = ("地区,指标\n上海," + "研" * 200_000 + "\n").encode()
    issue = only(read(data, "f.csv"))
    assert issue.code == "cell-too-long" and issue.row == 2


def test_only_the_first_errors_are_kept_and_the_rest_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(config, "MAX_ERRORS", 10)
    rows = [HEADER] + [["上海", "研发投入强度", 2000 + i % 20, f"x{i}"] for i in range(500)]
    rows += [["火星", "研发投入强度", 2023, 1.0]] * 3
    start = time.perf_counter()
    up = read(mf.csv_bytes(rows), "f.csv")
    assert time.perf_counter() - start < 10
    assert len(up.issues) == 10
    assert [(i.code, i.row, i.column) for i in up.issues[:2]] == [
        ("unknown-region", 502, "A"),
        ("unknown-region", 503, "A"),
    ]
    assert up.issues[3].code == "bad-value" and up.issues[3].row == 2
    assert up.more_issues == {"bad-value": 493}  # 500 bad values, 7 of them kept


def test_the_issue_log_keeps_each_issue_once() -> None:
    log = bounds.IssueLog(2)
    a = Issue("bad-value", "x", row=2, column="D")
    log.extend([a, a, Issue("bad-value", "y", row=3, column="D"), a])
    log.add(Issue("no-year", "z"))
    log.count("bad-value", 5)
    assert log.issues == [a, Issue("bad-value", "y", row=3, column="D")]
    assert dict(log.more) == {"no-year": 1, "bad-value": 5} and log.total == 8


def test_the_time_limit_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_FILE_SECONDS", 1)
    slow = mf.TinyRegions()

    def try_resolve(name: str):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # a resolver that takes half a second per name: four names, two seconds
        return mf.TinyRegions.try_resolve(slow, name)

    monkeypatch.setattr(slow, "try_resolve", try_resolve)
    rows = [HEADER] + [[f"地区{i}", "研发投入强度", 2023, 1.0] for i in range(4)]
    start = time.perf_counter()
    up = read_upload(mf.csv_bytes(rows), "slow.csv", CAT, slow, whole_process=True)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 1.8
    issue = only(up)
    assert issue.code == "file-too-slow" and "TARGETS_MAX_FILE_SECONDS" in issue.message


def test_a_refusal_keeps_its_place_through_pickle() -> None:
    err = pickle.loads(pickle.dumps(ReadError("cell-too-long", "m", sheet="S", row=3, column="B")))
    assert (type(err), err.code, err.message, err.sheet, err.row, err.column) == (
        ReadError, "cell-too-long", "m", "S", 3, "B",
    )  # fmt: skip


def test_limits_are_a_snapshot_of_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_CELLS", 123)
    limits = bounds.Limits.current()
    assert limits.max_cells == 123 and limits.max_errors == config.MAX_ERRORS
    monkeypatch.setattr(config, "MAX_CELLS", 5)
    limits.install()
    assert config.MAX_CELLS == 123


def test_a_quoted_cell_longer_than_any_of_its_lines_is_still_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(config, "MAX_CELL_CHARS", 500)
    quoted = '"' + ("x" * 300 + "\n") * 3 + '"'  # 903 characters over lines of 300
    data = f"地区,指标,年份,数值\n上海,{quoted},2023,4.3\n".encode()
    assert bounds.longest_field(data, "utf-8") is None  # a quote: lines bound nothing
    assert bounds.longest_field(b"a,b\nccc,d\n", "utf-8") == 6  # "ccc,d" and its line end
    issue = only(read(data, "q.csv"))
    assert issue.code == "cell-too-long" and (issue.row, issue.column) == (2, "B")
