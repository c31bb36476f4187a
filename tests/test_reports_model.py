"""The report model: the same numbers as Tracker.gaps, selected and worded for one language."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import pytest

from targets import statuses
from targets.progress import GAP_COLUMNS, STATUS_IDS
from targets.reports.model import TABLE_COLUMNS, build_report, goal_display
from targets.reports.text import time_text
from targets.tracker import Tracker
from tests.fixtures import SERIES, build_fixture_db

NOW = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


def test_rows_are_the_gap_table(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    gaps = tracker.gaps(milestone=2025)
    pd.testing.assert_frame_equal(report.rows[list(GAP_COLUMNS)], gaps[list(GAP_COLUMNS)])
    assert list(report.table.columns[: len(TABLE_COLUMNS)]) == list(TABLE_COLUMNS)
    assert len(report.table) == len(gaps)


def test_counts_by_status_in_rank_order(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    counts = dict(report.counts)
    assert [s for s, _ in report.counts] == list(STATUS_IDS)
    assert report.total == len(tracker.gaps(milestone=2025))
    expected = tracker.gaps(milestone=2025)["status"].value_counts().to_dict()
    assert {s: n for s, n in counts.items() if n} == expected


def test_missed_lists_goals_whose_trend_falls_short_with_the_shortfall(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    missed = report.missed.set_index(["indicator", "region"])
    gaps = tracker.gaps(milestone=2025).set_index(["indicator", "region"])
    # Anhui's R&D intensity: trend 2.92 in 2025 against "超过 3%"
    row = missed.loc[("rd_intensity", "anhui")]
    projected = gaps.loc[("rd_intensity", "anhui"), "projected"]
    assert 2.8 < projected < 3.0
    assert row["expected"] == pytest.approx(projected)
    assert row["shortfall"] == pytest.approx(3.0 - projected)
    assert row["shortfall_pct"] == pytest.approx((3.0 - projected) / 3.0)
    # goals met and staying met are not listed
    assert ("rd_intensity", "jiangsu") not in missed.index
    assert ("pm25_concentration", "yrd") not in missed.index
    # worst first
    assert list(report.missed["shortfall_pct"]) == sorted(
        report.missed["shortfall_pct"], reverse=True
    )


def test_movers_compare_consecutive_years_only(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    movers = report.movers.set_index(["indicator", "region"])
    js = movers.loc[("rd_intensity", "jiangsu")]
    assert (js["previous_year"], js["year"]) == (2022, 2023)
    assert js["change"] == pytest.approx(3.29 - 3.12)
    assert js["towards"] == "towards"
    # PM2.5 went up 31 -> 32: away from a "<=" goal
    assert movers.loc[("pm25_concentration", "yrd"), "towards"] == "away"
    # 2019 -> 2023 is not "since the previous year"
    assert ("pct_applications", "yrd") not in movers.index
    pct = report.movers["change_pct"].abs().tolist()
    assert pct == sorted(pct, reverse=True)


def test_vintages_are_the_imports_used_with_their_dates(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    [vintage] = report.vintages
    [stored] = tracker.store.imports()
    assert vintage.id == stored.id
    assert vintage.file_name == "fixture.csv"
    assert vintage.used == sum(len(values) for _, _, values in SERIES)
    assert report.data_as_of == stored.created_at


def test_scope_filters_and_names(tracker: Tracker) -> None:
    report = build_report(
        tracker, milestone=2025, regions=["anhui"], indicators=["rd_intensity"], now=NOW
    )
    assert report.rows[["indicator", "region"]].values.tolist() == [["rd_intensity", "anhui"]]
    assert report.scope_regions == "安徽"
    assert report.scope_indicators == "研发投入强度"
    [detail] = report.details
    assert detail.wide().loc["anhui"].dropna().to_dict() == {
        2018: 2.16,
        2020: 2.28,
        2022: 2.56,
        2023: 2.69,
    }
    assert [v.used for v in report.vintages] == [4]


def test_english_report_words_and_names(tracker: Tracker) -> None:
    report = build_report(tracker, lang="en", milestone=2025, regions=["anhui"], now=NOW)
    assert report.title.startswith("Yangtze River Delta")
    assert list(report.rows["indicator_name"]) == [
        tracker.catalogue[i].name.en for i in report.rows["indicator"]
    ]
    assert tracker.catalogue["rd_intensity"].name.en in set(report.rows["indicator_name"])
    assert set(report.rows["region_name"]) == {"Anhui"}
    # the word, then (for a region compared with the region's goal) the benchmark note
    word = report.table.loc[0, "status"].split(" · ")[0].split(" ", 1)[1]
    assert word in set(statuses.labels("en").values())
    assert report.table.loc[0, "status"].endswith(
        "※ benchmark: the plan sets this goal for Yangtze River Delta"
    )


def test_unknown_language_is_refused(tracker: Tracker) -> None:
    with pytest.raises(ValueError, match="language 'fr'"):
        build_report(tracker, lang="fr")


def test_display_table_formats_by_indicator_decimals_and_unit(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    table = report.table.set_index(["indicator", "region"])
    rd = table.loc[("研发投入强度", "安徽")]
    assert rd["value"] == "2.69"
    assert rd["unit"] == "%"
    assert rd["goal"] == "> 3.00"
    assert rd["year"] == "2023"
    assert rd["status"] == "◆ 进展一般 · ※ 对标：规划为长三角设定此目标"
    assert table.loc[("单位GDP能耗", "长三角"), "goal"] == "较2017年 −10%"
    pct = table.loc[("PCT国际专利申请量", "长三角")]
    assert (pct["value"], pct["unit"], pct["goal"]) == ("26,000", "件", "≥ 30,000")
    # a row without data shows dashes, never "nan"
    assert not report.table.apply(lambda c: c.astype(str).str.contains("nan")).to_numpy().any()


def test_change_goal_is_shown_as_the_change() -> None:
    row = {"decimals": 3, "unit": "吨标准煤/万元", "comparator": "<=", "target": math.nan,
           "goal_change": -10.0, "goal_base_year": 2017.0}  # fmt: skip
    assert goal_display(row, "zh") == "较2017年 −10%"
    assert goal_display({**row, "target": 0.45}, "en") == "−10% on 2017 (≤ 0.450 吨标准煤/万元)"


def test_same_report_on_sqlite_and_postgresql(db_url: str) -> None:
    from targets.reports import render

    tracker = build_fixture_db(db_url)
    report = build_report(tracker, milestone=2025, now=NOW)
    [vintage] = report.vintages
    assert report.data_as_of == vintage.created_at == tracker.store.imports()[0].created_at
    assert "北京时间" in time_text(report.data_as_of, "zh")
    assert dict(report.counts)["moderate"] == 2
    assert render(report, "xlsx").startswith(b"PK")


def test_achieved_rows_show_no_progress_share(tracker: Tracker) -> None:
    report = build_report(tracker, milestone=2025, now=NOW)
    done = report.table[report.table["status_code"] == "achieved"]
    assert len(done) > 0
    # past the goal the share reads 0% or negative: an achieved goal shows none at all
    assert set(done["progress"]) == {"—"} and set(done["time_elapsed"]) == {"—"}
    running = report.table[report.table["status_code"] == "moderate"]
    assert (running["progress"] != "—").all()
