"""The upload page's report (dashboard/upload_report.py) under bounds, through the real check
callback: files are read in a child process, only the first errors are listed (the rest counted per code), a refused file's
preview comes from that child, and an accepted file's change grid is bounded."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from dashboard import ids, upload_report
from targets import config
from targets.passwords import hash_password
from targets.users import add_user
from tests.test_bad_input import NS, XML, xlsx
from tests.test_sessions import csv_data_url, dash_post, login, make_app, upload_state


@pytest.fixture
def app_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    app, tracker = make_app(tmp_path, monkeypatch)
    add_user(tracker.store, "erin", "editor", hash_password("erin-password"))
    yield app, tracker
    tracker.store.dispose()


def check(app: Any, files: list[tuple[str, str]]) -> dict[str, Any]:
    """Log in as an editor and press Check: the callback's outputs."""
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    response = dash_post(
        app, client, f"{ids.UPLOAD_CHECKED}.data",
        {f"{ids.UPLOAD_CHECK}.n_clicks": 1, **upload_state(files)},
        changed=f"{ids.UPLOAD_CHECK}.n_clicks", token=token,
    )  # fmt: skip
    assert response.status_code == 200, response.data[:500]
    body: dict[str, Any] = response.get_json()["response"]
    return body


def grids(report: Any, class_name: str) -> list[dict[str, Any]]:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props", node)  # a component, or the response's {"children": …}
            if class_name in str(props.get("className", "")) and "rowData" in props:
                found.append(props)
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(report)
    return found


def test_only_the_first_errors_are_listed_and_the_rest_counted(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = app_and_tracker
    monkeypatch.setattr(config, "MAX_ERRORS", 5)
    lines = ["地区,指标,年份,数值"] + [f"上海,研发投入强度,{2000 + i},x{i}" for i in range(30)]
    body = check(app, [("bad.csv", csv_data_url("\n".join(lines)))])
    report = json.dumps(body["upload-report"], ensure_ascii=False)
    assert "Refused: 30 errors" in report
    assert "Only the first 5 errors are listed" in report
    assert "and 25 more bad-value errors" in report
    assert report.count("'x") == 5  # the five listed messages name their cells' text
    (preview,) = grids(body["upload-report"], "upload-preview")
    assert [r["_row"] for r in preview["rowData"]][:3] == [1, 2, 3]
    assert preview["rowData"][1]["D"] == "⚠ x0"  # marked, from the excerpt the child made
    assert body["upload-confirm"]["disabled"] is True


def test_the_grid_of_changes_is_bounded_and_says_so(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = app_and_tracker
    monkeypatch.setattr(upload_report, "DIFF_ROWS", 10)
    lines = ["地区,指标,年份,数值"] + [f"上海,研发投入强度,{1990 + i},3.{i:02d}" for i in range(30)]
    body = check(app, [("many.csv", csv_data_url("\n".join(lines)))])
    report = json.dumps(body["upload-report"], ensure_ascii=False)
    assert "Ready to import: 30 rows" in report
    (diff,) = grids(body["upload-report"], "upload-diff")
    assert len(diff["rowData"]) == 10
    assert "The grid lists 10 of 30 rows, revised first" in report


def test_a_far_cell_is_refused_and_the_web_process_does_not_grow(
    app_and_tracker: tuple[Any, Any],
) -> None:
    app, _ = app_and_tracker
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>'
        '<row r="20000"><c r="BXX20000"><v>1</v></c></row>'
    )
    data = xlsx(f'{XML}<worksheet xmlns="{NS}"><sheetData>{cells}</sheetData></worksheet>')
    url = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    me = psutil.Process()
    before = me.memory_info().rss
    body = check(app, [("far.xlsx", url)])
    grown = (me.memory_info().rss - before) / 2**20
    report = json.dumps(body["upload-report"], ensure_ascii=False)
    assert "file-too-many-cells" in report and "BXX20000" in report
    assert grown < 100, f"the web process grew {grown:.0f} MB"  # the old reader took 2.3 GB


def test_a_file_past_the_memory_bound_is_a_refusal_not_an_outage(
    app_and_tracker: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = app_and_tracker
    monkeypatch.setattr(config, "MAX_UPLOAD_MEMORY_MB", 40)
    lines = ["地区,指标,年份,数值"] + [
        f"上海,研发投入强度,{1950 + i % 100},x{i}" for i in range(300_000)
    ]
    body = check(app, [("big.csv", csv_data_url("\n".join(lines)))])
    report = json.dumps(body["upload-report"], ensure_ascii=False)
    assert "file-too-much-memory" in report
    assert "needs more than 40 MB to read" in report and "TARGETS_MAX_UPLOAD_MEMORY_MB" in report
    # the same page answers the next check at once
    ok = check(
        app, [("good.csv", csv_data_url("地区,指标,年份,数值\n上海,研发投入强度,2024,4.5\n"))]
    )
    assert "Ready to import: 1 rows" in json.dumps(ok["upload-report"], ensure_ascii=False)


def test_layout_codes_are_shown_as_words() -> None:
    assert upload_report.layout_words("indicator-columns", "en") == "one indicator per column"
    assert upload_report.layout_words("S1: long; S2: years-as-columns", "zh") == (
        "S1: 长表，每行一个数值; S2: 每列一个年份"
    )
    assert upload_report.layout_words("indicator-columns+years", "en") == (
        "one indicator per column + years in the columns too"
    )
    assert upload_report.layout_words("odd-layout", "en") == "odd-layout"  # shown, not hidden


def test_overwriting_a_derived_value_says_what_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value the tool derives (the region's GDP, summed from the provinces) that a file now
    brings: "replaces the derived 316,175.90 with an uploaded 316,200.00", not "— → … new"."""
    import pandas as pd

    from dashboard.app import create_app
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    obs = tr.observations(indicators=["gdp"], regions=["yrd"])
    derived = obs[obs["derived"].astype(bool) & (obs["year"] == 2023)].iloc[0]
    diff = pd.DataFrame(
        [{"indicator": "gdp", "region": "yrd", "year": 2023, "old": None, "new": 316200.0,
          "change": "new"},
         {"indicator": "gdp", "region": "shanghai", "year": 2030, "old": None, "new": 1.0,
          "change": "new"}]
    )  # fmt: skip
    app = create_app(tr)
    with app.server.test_request_context("/"):
        view = upload_report.diff_view(diff, tr, 0, "en")
    (grid,) = [c for c in view.children if getattr(c, "id", None) == "upload-diff-0"]
    rows = {(r["region"], r["year"]): r for r in grid.rowData}
    decimals = tr.catalogue["gdp"].decimals
    old = f"{float(derived['value']):,.{decimals}f}"
    yrd = rows[("Yangtze River Delta", 2023)]
    assert yrd["old"] == old
    assert yrd["change"] == f"replaces the derived {old} with an uploaded {316200:,.{decimals}f}"
    assert rows[("Shanghai", 2030)]["change"] == "new"


# a sheet of one year without a year column: the year box says which year it is
ONE_YEAR_CSV = "地区,指标,数值\n上海,研发投入强度,4.5\n"


def _press(
    app: Any, button: str, year: Any, lang: str, checked: Any = None
) -> tuple[dict[str, Any], str]:
    """Log in as an editor, press Check or Confirm with `year` typed: (outputs, their text)."""
    client = app.server.test_client()
    token = login(client, "erin", "erin-password")
    state = upload_state([("one-year.csv", csv_data_url(ONE_YEAR_CSV))], year=year, checked=checked)
    state["_pages_location.search"] = f"?lang={lang}"
    response = dash_post(
        app, client, f"{ids.UPLOAD_CHECKED}.data", {f"{button}.n_clicks": 1, **state},
        changed=f"{button}.n_clicks", token=token,
    )  # fmt: skip
    assert response.status_code == 200, response.data[:500]
    body: dict[str, Any] = response.get_json()["response"]
    return body, json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize(
    ("year", "shown"), [("20x4", "20x4"), ("1800", "1800"), ("2024.5", "2024.5"), (" -1 ", "-1")]
)
def test_a_year_that_is_no_whole_number_in_range_is_refused_naming_the_field(
    app_and_tracker: tuple[Any, Any], year: str, shown: str
) -> None:
    app, tracker = app_and_tracker
    before = len(tracker.store.imports())
    for lang, said in (
        ("zh", f"“年份（可选）”须为 1949 至 2100 之间的整数，或留空；填写的是“{shown}”。未导入任何数据。"),
        ("en", f"“Year (optional)” must be a whole number from 1949 to 2100, or left empty; it says"
               f" “{shown}”. Nothing was imported."),
    ):  # fmt: skip
        body, text = _press(app, ids.UPLOAD_CHECK, year, lang)
        assert said in text
        assert body[ids.UPLOAD_CONFIRM]["disabled"] is True
        assert body[ids.UPLOAD_CHECKED]["data"] is None  # nothing checked: confirm stays shut
        # a confirm that arrives anyway (the year edited after a check) imports nothing either
        signature = {"files": [["one-year.csv", "x"]], "year": None}
        body, text = _press(app, ids.UPLOAD_CONFIRM, year, lang, checked=signature)
        assert said in text
    assert len(tracker.store.imports()) == before


@pytest.mark.parametrize("year", ["2024", " 2024 ", "２０２４"])
def test_a_whole_year_in_range_is_the_year_of_a_sheet_without_one(
    app_and_tracker: tuple[Any, Any], year: str
) -> None:
    app, tracker = app_and_tracker
    body, text = _press(app, ids.UPLOAD_CHECK, year, "en")
    assert "Ready to import: 1 rows" in text, text[:2000]
    assert body[ids.UPLOAD_CHECKED]["data"]["year"] == 2024
    before = len(tracker.store.imports())
    _press(app, ids.UPLOAD_CONFIRM, year, "en", checked=body[ids.UPLOAD_CHECKED]["data"])
    assert len(tracker.store.imports()) == before + 1
    obs = tracker.store.observations()
    rows = obs[(obs["indicator"] == "rd_intensity") & (obs["region"] == "shanghai")]
    assert 2024 in set(rows["year"]) and 4.5 in set(rows[rows["year"] == 2024]["value"])


def test_an_empty_year_box_means_no_year(app_and_tracker: tuple[Any, Any]) -> None:
    app, _ = app_and_tracker
    body, text = _press(app, ids.UPLOAD_CHECK, "", "en")
    assert "must be a whole number" not in text
    assert body[ids.UPLOAD_CHECKED]["data"]["year"] is None
