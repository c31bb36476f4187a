"""render_report / write_report: format by suffix, atomic writes, and the `targets report` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from targets.cli import main
from targets.reports import FORMATS, render_report, write_report
from targets.tracker import Tracker
from tests.conftest import ROOT
from tests.fixtures import build_fixture_db

MAGIC = {"xlsx": b"PK\x03\x04", "csv": b"\xef\xbb\xbfindicator,", "html": b"<!DOCTYPE html>"}


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html"])
def test_write_report_picks_the_format_by_suffix(
    tracker: Tracker, tmp_path: Path, fmt: str
) -> None:
    path = write_report(tracker, tmp_path / "sub" / f"report.{fmt.upper()}", milestone=2025)
    assert path.read_bytes().startswith(MAGIC[fmt])
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_unknown_format_is_refused_before_any_work(tracker: Tracker, tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=r"unknown report format 'odt': use one of xlsx, csv, html, pdf, docx"
    ):
        write_report(tracker, tmp_path / "out" / "report.odt")
    assert not (tmp_path / "out").exists()
    assert FORMATS == ("xlsx", "csv", "html", "pdf", "docx")


def test_render_report_filters_scope(tracker: Tracker) -> None:
    html = render_report(
        tracker, "html", lang="zh", milestone=2025, regions=["anhui"], indicators=["rd_intensity"]
    ).decode()
    assert "安徽" in html and "研发投入强度" in html
    assert "常住人口城镇化率" not in html


def test_cli_report_command(tracker: Tracker, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(
        main,
        ["--db", tracker.db_url, "--catalogue", str(ROOT / "indicators.yaml"), "report", str(out),
         "--lang", "en", "--region", "安徽", "--indicator", "研发投入强度"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 2 and text[1].startswith("rd_intensity,R&D intensity,anhui,Anhui,")
