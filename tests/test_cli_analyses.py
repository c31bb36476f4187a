"""The analysis commands (assess, convergence, gaps --behind-schedule) and import warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from targets.cli import frame_records, main
from targets.tracker import Tracker
from tests.conftest import ROOT
from tests.fixtures import build_fixture_db


@pytest.fixture
def fixture_url(sqlite_url: str) -> str:
    build_fixture_db(sqlite_url)
    return sqlite_url


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def test_assess_json_equals_the_tracker_records(fixture_url: str) -> None:
    code, out = run("--db", fixture_url, "assess", "--milestone", "2025", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert records == frame_records(Tracker(fixture_url).assessment(2025, "en"))
    # the fixture stops at 2023: every 2025 goal is still pending, with the latest value given
    anhui = next(r for r in records if (r["indicator"], r["region"]) == ("rd_intensity", "anhui"))
    assert (anhui["verdict"], anhui["latest_year"], anhui["latest_value"]) == (
        "pending",
        2023,
        2.69,
    )


def test_assess_table_names_verdict_and_source(fixture_url: str) -> None:
    code, out = run("--db", fixture_url, "assess", "--milestone", "2025")
    assert code == 0 and "verdict" in out and "pending" in out


def test_convergence_json_says_rd_intensity_narrows(fixture_url: str) -> None:
    code, out = run("--db", fixture_url, "convergence", "--format", "json")
    assert code == 0
    rows = {r["indicator"]: r for r in json.loads(out)}
    assert rows["rd_intensity"]["verdict"] == "narrowing"
    assert (rows["rd_intensity"]["first_year"], rows["rd_intensity"]["last_year"]) == (2018, 2023)


def test_gaps_behind_schedule_lists_only_lagging_rows_with_pace(fixture_url: str) -> None:
    code, out = run(
        "--db", fixture_url, "gaps", "--behind-schedule", "--milestone", "2025", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert [(r["indicator"], r["region"]) for r in rows] == [
        ("urbanization_rate", "anhui"),
        ("rd_intensity", "anhui"),
    ]
    assert rows[1]["pace"].startswith("0.6 years behind schedule; needs +")


def test_gaps_without_the_flag_is_unchanged(fixture_url: str) -> None:
    _, out = run("--db", fixture_url, "gaps", "--milestone", "2025", "--format", "json")
    assert "pace" not in json.loads(out)[0]


def test_import_that_changes_a_status_prints_and_stores_the_warning(
    fixture_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "anhui2024.csv"
    csv.write_text("地区,指标,年份,数值\n安徽,研发投入强度,2024,3.05\n", encoding="utf-8")
    code, out = run("--db", fixture_url, "import", str(csv), "--lang", "en")
    assert code == 0
    lines = [ln for ln in out.splitlines() if ln.startswith("  ! ")]
    assert any("Anhui" in ln and "achieved" in ln.lower() for ln in lines), out
    tracker = Tracker(fixture_url)
    stored = tracker.store.imports()[0].warnings
    assert stored and [w.en for w in stored] == [ln[4:] for ln in lines]
    # and the goal is no longer behind schedule
    behind = tracker.behind_schedule(2025, "en")
    assert ("rd_intensity", "anhui") not in set(
        zip(behind["indicator"], behind["region"], strict=True)
    )


def test_behind_schedule_puts_binding_goals_first(tmp_path: Path) -> None:
    """A goal the catalogue marks binding (约束性) leads the list even when less behind."""
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    marker = "  - id: rd_intensity\n"
    assert marker in text
    copy = tmp_path / "indicators.yaml"
    copy.write_text(text.replace(marker, marker + "    nature: binding\n"), encoding="utf-8")
    base = build_fixture_db(f"sqlite:///{tmp_path / 'a.db'}")
    plain = base.behind_schedule(milestone=2025)
    marked = Tracker(db_url=base.db_url, catalogue_path=copy).behind_schedule(milestone=2025)
    assert "rd_intensity" in set(plain["indicator"])
    assert plain["indicator"].iloc[0] != "rd_intensity"  # not the most behind ...
    assert marked["indicator"].iloc[0] == "rd_intensity"  # ... but binding, so first
    rest = marked[marked["indicator"] != "rd_intensity"]
    assert rest["schedule_years"].is_monotonic_increasing
