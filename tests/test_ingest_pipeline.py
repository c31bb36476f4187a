"""import_files end to end into a real store, on SQLite and PostgreSQL: accepted files, refusals
that write nothing, dry runs, revisions and identical re-uploads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from targets import config
from targets.ingest import import_files
from targets.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
import make_fixtures as mf  # noqa: E402

CAT = mf.tiny_catalogue()
REG = mf.TinyRegions()

FIRST = [
    ["地区", "指标", "年份", "数值", "来源"],
    ["上海", "研发投入强度", 2022, 4.44, "http://stats.example/sh «上海 4.44»"],
    ["江苏", "研发投入强度", 2022, 3.12, None],
    ["浙江", "研发投入强度", 2022, 3.11, None],
    ["上海", "地区生产总值", 2022, 44652.8, None],
]


def _csv(rows: list[list[Any]]) -> bytes:
    return mf.csv_bytes(rows)


def _observations(store: Store) -> list[tuple[str, str, int, float]]:
    obs = store.observations()
    return sorted(
        (r.indicator, r.region, int(r.year), float(r.value)) for r in obs.itertuples(index=False)
    )


def test_accepted_file_is_one_import_with_layout_sheets_and_notes(store: Store) -> None:
    data = mf.xlsx_bytes({"数据": FIRST, "2022年": [["指标", "安徽"], ["研发投入强度", 2.56]]})
    result = import_files(store, CAT, REG, [("stats.xlsx", data)], user="ana", note="first load")
    (fr,) = result.report.files
    assert result.report.ok and fr.errors == [] and fr.rows == 5 and fr.import_id is not None
    assert _observations(store) == [
        ("gdp", "shanghai", 2022, 44652.8),
        ("rd_intensity", "anhui", 2022, 2.56),
        ("rd_intensity", "jiangsu", 2022, 3.12),
        ("rd_intensity", "shanghai", 2022, 4.44),
        ("rd_intensity", "zhejiang", 2022, 3.11),
    ]
    imp = store.get_import(fr.import_id)
    assert (imp.file_name, imp.user, imp.note, imp.rows) == ("stats.xlsx", "ana", "first load", 5)
    assert imp.sheets == "数据, 2022年"
    assert imp.layout == "数据: long; 2022年: regions-as-columns"
    obs = store.observations()
    note = obs.loc[(obs["region"] == "shanghai") & (obs["indicator"] == "rd_intensity"), "note"]
    assert note.tolist() == ["http://stats.example/sh «上海 4.44»"]
    assert set(obs["unit"]) == {"%", "亿元"}


def test_refused_file_writes_nothing_and_lists_every_error(store: Store) -> None:
    bad = [*FIRST, ["安微", "研发投入强度", 2022, 2.5], ["南京", "研发投入强度", 2022, 99]]
    result = import_files(
        store, CAT, REG, [("bad.csv", _csv(bad)), ("good.csv", _csv(FIRST))], user="u"
    )
    bad_report, good_report = result.report.files
    assert not result.report.ok
    assert [(e.code, e.row, e.column) for e in bad_report.errors] == [
        ("unknown-region", 6, "A"),
        ("out-of-range", 7, "D"),
    ]
    assert bad_report.import_id is None and bad_report.rows == 0
    assert good_report.ok and good_report.import_id is not None
    assert [i.file_name for i in store.imports()] == ["good.csv"]
    assert bad_report.errors[0].suggestion.startswith("did you mean 安徽")
    assert result.report.to_dict()["files"][0]["errors"][0] == {
        "code": "unknown-region",
        "message": "unknown region '安微'",
        "sheet": "",
        "row": 6,
        "column": "A",
        "suggestion": bad_report.errors[0].suggestion,
    }


def test_dry_run_stores_nothing_and_diffs(store: Store) -> None:
    result = import_files(store, CAT, REG, [("a.csv", _csv(FIRST))], dry_run=True)
    assert result.report.files[0].import_id is None and result.report.files[0].rows == 4
    assert store.imports() == []
    diff = result.diffs["a.csv"]
    assert diff["change"].tolist() == ["new"] * 4


def test_revision_two_changed_values(store: Store) -> None:
    import_files(store, CAT, REG, [("2022.csv", _csv(FIRST))])
    revised = [row[:] for row in FIRST]
    revised[1][3] = 4.45  # 上海 R&D intensity revised
    revised[4][3] = 44809.1  # 上海 GDP revised
    preview = import_files(store, CAT, REG, [("2022r.csv", _csv(revised))], dry_run=True)
    diff = preview.diffs["2022r.csv"]
    changed = diff[diff["change"] == "revised"]
    assert [(r.indicator, r.region, r.old, r.new) for r in changed.itertuples()] == [
        ("gdp", "shanghai", 44652.8, 44809.1),
        ("rd_intensity", "shanghai", 4.44, 4.45),
    ]
    assert (diff["change"] == "unchanged").sum() == 2
    result = import_files(store, CAT, REG, [("2022r.csv", _csv(revised))])
    assert result.report.files[0].import_id is not None
    assert ("rd_intensity", "shanghai", 2022, 4.45) in _observations(store)
    history = store.observations(in_force=False)
    assert len(history) == 8  # both vintages kept


def test_identical_bytes_are_recognised_not_stored_again(store: Store) -> None:
    data = _csv(FIRST)
    first = import_files(store, CAT, REG, [("a.csv", data)])
    again = import_files(store, CAT, REG, [("renamed.csv", data)])
    (fr,) = again.report.files
    assert again.report.ok
    assert fr.duplicate_of == first.report.files[0].import_id and fr.import_id is None
    assert any("identical to import" in w.en for w in fr.warnings)
    assert len(store.imports()) == 1


def test_paths_and_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    store = Store(sqlite_url)
    good = tmp_path / "good.xlsx"
    good.write_bytes(mf.xlsx_bytes({"S": FIRST}))
    pdf = tmp_path / "pdf_renamed.xlsx"
    pdf.write_bytes(b"%PDF-1.5\n%\xb5\xb5\xb5\xb5\n")
    result = import_files(store, CAT, REG, [good, pdf, tmp_path / "missing.csv"])
    codes = [[e.code for e in f.errors] for f in result.report.files]
    assert codes == [[], ["file-unreadable"], ["file-unreadable"]]
    assert [f.file for f in result.report.files] == ["good.xlsx", "pdf_renamed.xlsx", "missing.csv"]
    monkeypatch.setattr(config, "MAX_UPLOAD_BYTES", 10)
    big = import_files(store, CAT, REG, [good])
    assert [e.code for e in big.report.files[0].errors] == ["file-too-large"]
    store.dispose()


def test_uploaded_name_is_only_displayed(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    result = import_files(store, CAT, REG, [("../../etc/passwd", _csv(FIRST))], dry_run=True)
    assert result.report.files[0].file == "passwd"
    assert result.report.ok
    store.dispose()


def test_unit_conversion_is_recorded_as_a_warning(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    rows = [
        ["地区", "指标", "年份", "数值", "单位"],
        ["上海", "地区生产总值", 2022, 446528000, "万元"],
    ]
    result = import_files(store, CAT, REG, [("w.csv", _csv(rows))])
    (fr,) = result.report.files
    assert [(w.code, w.en, w.zh) for w in fr.warnings] == [
        (
            "converted",
            "1 value(s) of gdp converted from 万元 to 亿元",
            "1 个 gdp 数值已由 万元 换算为 亿元",
        )
    ]
    assert store.get_import(fr.import_id or 0).warnings == fr.warnings
    obs = store.observations()
    assert obs["value"].tolist() == [pytest.approx(44652.8)] and obs["unit"].tolist() == ["亿元"]
    store.dispose()


def test_rows_frame_shape() -> None:
    from targets.ingest import read_upload
    from targets.ingest.checks import empty_rows

    up = read_upload(_csv(FIRST), "a.csv", CAT, REG)
    assert list(up.rows.columns) == [
        "indicator", "region", "year", "value", "unit", "note", "flag", "sheet", "row", "column",
    ]  # fmt: skip
    assert up.rows["year"].dtype == "int64" and up.rows["value"].dtype == "float64"
    assert isinstance(up.rows, pd.DataFrame) and len(up.sha256) == 64
    # text as Python objects, as empty_rows() has them: the store passes them on as they are
    for col in ("indicator", "region", "unit", "flag", "sheet", "column"):
        assert up.rows[col].dtype == object == empty_rows()[col].dtype, col
        assert all(type(v) is str for v in up.rows[col]), col
    assert up.rows["region"].tolist()[0] == "shanghai" and up.rows["column"].tolist()[0] == "D"


# -- the same file from two places at the same moment --------------------------------------------

# One importer process. It looks for an earlier import of the bytes as the pipeline does, then
# waits until every importer has looked (a barrier of files in `folder`): the moment two uploads
# of one file race, made certain instead of left to chance. Prints its report as JSON.
RACE_IMPORTER = """
    import json, sys, time
    from pathlib import Path

    url, folder, n, me, data_dir = sys.argv[1:6]
    sys.path.insert(0, data_dir)
    import make_fixtures as mf
    from targets.ingest import import_files
    from targets.store import Store

    look = Store.find_import_by_sha

    def look_then_wait(self, sha):
        found = look(self, sha)
        Path(folder, f"looked-{me}").touch()
        deadline = time.monotonic() + 90
        while len(list(Path(folder).glob("looked-*"))) < int(n):
            assert time.monotonic() < deadline, "the other importers never looked"
            time.sleep(0.005)
        return found

    Store.find_import_by_sha = look_then_wait
    store = Store(url)
    data = Path(folder, "same.csv").read_bytes()
    result = import_files(store, mf.tiny_catalogue(), mf.TinyRegions(), [("same.csv", data)])
    print(json.dumps(result.report.files[0].to_dict() | {"dup": result.report.files[0].duplicate_of}))
"""


def test_the_same_file_imported_at_the_same_moment_is_stored_once(
    db_url: str, tmp_path: Path
) -> None:
    import json
    import os
    import subprocess
    import textwrap

    Store(db_url).dispose()  # the schema exists before the importers start
    (tmp_path / "same.csv").write_bytes(_csv(FIRST))
    n = 4
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    code = textwrap.dedent(RACE_IMPORTER)
    data_dir = str(Path(__file__).resolve().parent / "data")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url, str(tmp_path), str(n), str(i), data_dir],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for i in range(n)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * n, [err for _, err in outs]
    reports = [json.loads(out) for out, _ in outs]
    store = Store(db_url)
    [stored] = store.imports()  # one import, not n
    winners = [r for r in reports if r["import_id"] is not None]
    losers = [r for r in reports if r["import_id"] is None]
    assert [w["import_id"] for w in winners] == [stored.id] and len(losers) == n - 1
    # each loser got the answer of a repeat made one after the other
    again = import_files(store, CAT, REG, [("same.csv", _csv(FIRST))]).report.files[0]
    assert again.duplicate_of == stored.id
    for loser in losers:
        assert loser == again.to_dict() | {"dup": stored.id}
    assert len(store.observations()) == len(FIRST) - 1
    store.dispose()


# -- status-change warnings, through the Tracker and without one ---------------------------------

# R&D intensity in Anhui, goal > 3 in 2025 from 2.16 in 2018 (tests/test_alerts.py works the
# figures): 2.45 in 2020 is on track, 2.50 in 2022 is moderate progress
ON_TRACK = [["地区", "指标", "年份", "数值"], ["安徽", "研发投入强度", 2018, 2.16], ["安徽", "研发投入强度", 2020, 2.45]]  # fmt: skip
SLOWER = [["地区", "指标", "年份", "数值"], ["安徽", "研发投入强度", 2022, 2.50]]


@pytest.mark.parametrize("through_tracker", [True, False], ids=["tracker", "store"])
def test_an_import_that_moves_a_goal_says_so_and_keeps_it_with_the_import(
    sqlite_url: str, through_tracker: bool
) -> None:
    from targets.tracker import Tracker

    tracker = Tracker(db_url=sqlite_url)
    via = {"tracker": tracker} if through_tracker else {}
    args = (tracker.store, tracker.catalogue, tracker.regions)
    first = import_files(*args, [("2020.csv", _csv(ON_TRACK))], **via)  # type: ignore[arg-type]
    assert not any("→" in w.en for w in first.report.files[0].warnings)  # new data is no change
    result = import_files(*args, [("2022.csv", _csv(SLOWER))], **via)  # type: ignore[arg-type]
    (fr,) = result.report.files
    goal = "R&D intensity, Anhui (2025 goal)"
    # each message goes on to say why (targets/alerts.py); its opening names goal and change
    assert [w.en.split(" (the latest")[0].split(";")[0] for w in fr.warnings] == [
        f"{goal}: on track → moderate progress",
        f"{goal}: 1.2 years behind schedule",
    ]
    assert tracker.store.get_import(fr.import_id or 0).warnings == fr.warnings
    if through_tracker:
        # gap table and observations before and after each import (3 data versions), but the
        # second import's "before" is the first one's "after", taken from the Tracker's cache
        stats = tracker.cache_stats()
        assert (stats.computes, stats.local_hits) == (6, 1)
    tracker.store.dispose()


def test_a_forecast_is_the_warnings_the_import_then_raises(sqlite_url: str) -> None:
    """A dry run with forecast=True says what the import would: the values in force it revises,
    and the same status changes the import reports once written."""
    from tests.fixtures import build_fixture_db

    tr = build_fixture_db(sqlite_url)
    data = "指标,地区,年份,数值\nurbanization_rate,安徽,2024,72\nrd_intensity,安徽,2023,2.7\n"
    files = [("a.csv", data.encode())]
    version = tr.store.data_version()
    dry = import_files(tr.store, tr.catalogue, tr.regions, files, dry_run=True, forecast=True)
    assert tr.store.data_version() == version
    said = dry.report.files[0].warnings
    assert said[0].en == "revises 1 value(s) in force: rd_intensity anhui 2023: 2.69 → 2.7"
    assert "Anhui (2025 goal): moderate progress → achieved" in said[1].en
    done = import_files(tr.store, tr.catalogue, tr.regions, files)
    assert done.report.files[0].warnings == said[1:]
    zh = import_files(
        tr.store, tr.catalogue, tr.regions, [("b.csv", b"indicator,region,year,value\n"
        b"rd_intensity,anhui,2023,2.8\n")], dry_run=True, forecast=True, lang="zh",
    )  # fmt: skip
    assert (
        zh.report.files[0].warnings[0].zh
        == "将修订 1 个现行数值：rd_intensity anhui 2023: 2.7 → 2.8"
    )
