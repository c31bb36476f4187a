"""The bundled statistics: built from the gathered published figures, imported on first start."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from targets.bundled import (
    BUNDLED_DIR,
    EXCLUDED_SERIES,
    MAIN_FILE,
    SUPERSEDED_FILE,
    build_bundled,
    ensure_bundled,
    is_bundled,
    split_rows,
)
from targets.cli import main
from targets.tracker import Tracker
from tests.conftest import ROOT, require

SHARED = ROOT.parent / "shared" / "data" / "observed_sources.csv"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def bundled_tracker(tmp_path_factory: pytest.TempPathFactory) -> Tracker:
    url = f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'b.db'}"
    tracker = Tracker(db_url=url, catalogue_path=ROOT / "indicators.yaml")
    assert ensure_bundled(tracker) is not None
    return tracker


def test_committed_files_are_the_build_of_the_gathered_table(tmp_path: Path) -> None:
    require(SHARED.exists(), f"{SHARED} is not beside the clone")
    build_bundled(SHARED, tmp_path)
    for name in (MAIN_FILE, SUPERSEDED_FILE):
        assert (tmp_path / name).read_text(encoding="utf-8") == (BUNDLED_DIR / name).read_text(
            encoding="utf-8"
        ), f"data/bundled/{name} is stale: run python -m targets.bundled"


def test_every_value_carries_its_source_and_no_estimate_stands() -> None:
    rows = read(BUNDLED_DIR / MAIN_FILE)
    assert len(rows) > 100
    assert all(("http" in r["note"] or "github:" in r["note"]) and "«" in r["note"] for r in rows)
    # published digits kept exactly (Jiangsu's revised 2020 GDP is 104566.6, not 104567)
    gdp = {(r["region"], r["year"]): r["value"] for r in rows if r["indicator"] == "gdp"}
    assert gdp[("jiangsu", "2020")] == "104566.6"
    # Shanghai's 2021 R&D intensity is an estimate ("预计达4.1%左右"): never bundled
    assert not any(r["indicator"] == "rd_intensity" and r["region"] == "shanghai"
                   and r["year"] == "2021" for r in rows)  # fmt: skip
    # Shanghai's 2021 life expectancy is of the registered population: a different definition
    assert not any(r["indicator"] == "life_expectancy" and r["year"] == "2021" for r in rows)
    # 5G base-station counts are not the coverage rate
    assert not any("5g" in r["indicator"] for r in rows)
    # 482 km per 10,000 km² is 4.82 km per 100 km², the plan's unit
    express = [r for r in rows if r["indicator"] == "expressway_density"]
    assert [r["value"] for r in express] == ["4.82"]


def test_first_start_imports_bundled_data_visibly(bundled_tracker: Tracker) -> None:
    imports = bundled_tracker.store.imports()
    assert len(imports) == 2 and all(is_bundled(i.note) for i in imports)
    assert ensure_bundled(bundled_tracker) is None  # not twice


def test_conflicting_releases_both_visible_national_table_in_force(
    bundled_tracker: Tracker,
) -> None:
    store = bundled_tracker.store
    in_force = store.observations(["rd_intensity"], ["zhejiang"]).set_index("year")["value"]
    assert in_force[2023] == pytest.approx(3.20)
    every = store.observations(["rd_intensity"], ["zhejiang"], in_force=False)
    assert sorted(every[every["year"] == 2023]["value"].round(2)) == [3.15, 3.20]


def test_derived_values_against_published_ratios(bundled_tracker: Tracker) -> None:
    obs = bundled_tracker.observations()

    def value(ind: str, reg: str, year: int) -> float:
        hit = obs[(obs["indicator"] == ind) & (obs["region"] == reg) & (obs["year"] == year)]
        assert len(hit) == 1, (ind, reg, year)
        return float(hit["value"].iloc[0])

    # Zhejiang 2024: urban 5033 / resident 6670 万人 = 75.46%; published 75.5% (rounding agrees)
    published = value("urbanization_rate", "zhejiang", 2024)
    assert published == pytest.approx(75.5)
    assert pytest.approx(published, abs=0.05) == 5033 / 6670 * 100
    # 2024 whole-region urbanisation from components: Σ urban / Σ resident population
    expected = (2228 + 6440 + 5033 + 3831) / (2480 + 8526 + 6670 + 6123) * 100
    assert value("urbanization_rate", "yrd", 2024) == pytest.approx(expected)
    # Shanghai 2020: the published 4.17% stands; from the revised GDP series the ratio would be
    # 1615.7 / 41603.9 = 3.88%: the two GDP series differ, so the published ratio is kept.
    assert value("rd_intensity", "shanghai", 2020) == pytest.approx(4.17)
    assert 1615.7 / value("gdp", "shanghai", 2020) * 100 == pytest.approx(3.88, abs=0.005)
    # one number per fact: the contribution table shows the published 4.17 too, the components'
    # 3.88 beside it (the shares rest on the components)
    contrib = bundled_tracker.contributions("rd_intensity", 2020).set_index("region")
    sh = contrib.loc["shanghai"]
    assert (sh["value"], sh["value_source"]) == (pytest.approx(4.17), "published")
    assert sh["derived_value"] == pytest.approx(3.88, abs=0.005)
    from targets.contribution import value_words

    assert value_words(sh.to_dict(), 2, "en") == "4.17 (from components: 3.88)"


def test_gaps_a_planner_can_check_by_hand(bundled_tracker: Tracker) -> None:
    gaps = bundled_tracker.gaps(milestone=2025).set_index(["indicator", "region"])
    # R&D intensity, whole region: 3.34% in 2023 > 3%: achieved
    rd = gaps.loc[("rd_intensity", "yrd")]
    assert (rd["year"], rd["value"], rd["status"]) == (2023, pytest.approx(3.34), "achieved")
    # Anhui R&D: 2.76% (2024, the NBS bulletin) against 3%
    anhui = gaps.loc[("rd_intensity", "anhui")]
    assert (anhui["year"], anhui["value"]) == (2024, pytest.approx(2.76))
    assert anhui["gap"] == pytest.approx(0.24)
    # PM2.5, whole region (41 cities): 31 μg/m³ in 2022 <= 35: achieved
    pm = gaps.loc[("pm25_concentration", "yrd")]
    assert (pm["year"], pm["status"], pm["gap"]) == (2022, "achieved", 0)
    # PCT applications, whole region = Σ provinces: 2023 = 6185 + 6547 + 4364 + 1901 = 18997
    pct = gaps.loc[("pct_applications", "yrd")]
    assert pct["value"] == pytest.approx(18997)
    assert pct["gap"] == pytest.approx(30000 - 18997)
    # goals with no value at all stay visible as no data
    assert gaps.loc[("coverage_5g", "yrd")]["status"] == "no_data"


def test_bundled_frame_is_readable_by_pandas() -> None:
    frame = pd.read_csv(BUNDLED_DIR / MAIN_FILE)
    assert list(frame.columns) == ["indicator", "region", "year", "value", "unit", "note", "flag"]


def _line(rows: list[dict[str, str]], ind: str, region: str, year: str) -> list[dict[str, str]]:
    return [r for r in rows if (r["indicator"], r["region"], r["year"]) == (ind, region, year)]


def test_approximate_and_preliminary_figures_keep_their_flag() -> None:
    rows = read(BUNDLED_DIR / MAIN_FILE)
    flags = {(r["indicator"], r["region"], r["year"]): r["flag"] for r in rows}
    # 科技进步贡献率达67%左右: a real outturn, rounded
    assert flags[("st_progress_contribution", "jiangsu", "2022")] == "approx"
    # 2.72 is marked prelim and no final figure was found: kept, flagged
    assert flags[("rd_intensity", "jiangsu", "2019")] == "prelim"
    assert flags[("life_expectancy", "anhui", "2024")] == "prelim"
    assert flags[("rd_intensity", "shanghai", "2025")] == "approx"
    assert flags[("urbanization_rate", "zhejiang", "2025")] == "approx"
    # where the NBS bulletin gives 4.35, the 4.4%左右 releases are left out
    assert [r["value"] for r in _line(rows, "rd_intensity", "shanghai", "2024")] == ["4.35"]
    assert flags[("rd_intensity", "shanghai", "2024")] == ""
    assert {r["flag"] for r in rows} == {"", "approx", "prelim"}


def test_a_prelim_figure_yields_to_the_same_figure_given_as_final() -> None:
    def row(note: str, source: str) -> dict[str, str]:
        return {"indicator": "rd_intensity", "region": "Jiangsu", "year": "2019", "value": "2.72",
                "unit": "%", "note": note, "source_kind": "official", "source": source,
                "quote": "2.72%"}  # fmt: skip

    split = split_rows([row("prelim", "https://a.example/p"), row("", "https://b.example/f")])
    assert [(out[3], out[6]) for out in split.main] == [("2.72", "")]
    assert "https://b.example/f" in split.main[0][5]
    assert [why for _, why in split.excluded] == [
        "marked 'prelim'; another release gives it as final"
    ]


def test_different_definitions_and_other_series_are_out_with_the_reason() -> None:
    require(SHARED.exists(), f"{SHARED} is not beside the clone")
    with SHARED.open(encoding="utf-8", newline="") as fh:
        split = split_rows(csv.DictReader(fh))
    why = {(r["indicator"], r["region"], r["year"], r["value"]): w for r, w in split.excluded}
    # Shanghai's 2022 life expectancy is of the registered population only
    assert "registered population" in why[("life_expectancy", "Shanghai", "2022", "83.18")]
    assert "different-definition" in why[("life_expectancy", "Shanghai", "2022", "83.18")]
    # the 31-city air figures are not the plan's 41-city scope
    assert "31个城市" in why[("pm25", "YRD", "2025", "31.7")]
    assert why[("gdp", "Anhui", "2025", "52989")] == EXCLUDED_SERIES["gdp"]
    assert why[("resident_income", "Anhui", "2025", "38755")] == EXCLUDED_SERIES["resident_income"]
    assert why[("patent_transfers", "YRD", "2024", "16000")] == EXCLUDED_SERIES["patent_transfers"]
    # every gathered name is either mapped or excluded with a reason: none silently dropped
    assert not [w for w in why.values() if "no catalogue indicator" in w]


def test_the_income_ratio_is_derived_where_it_is_not_published() -> None:
    rows = read(BUNDLED_DIR / MAIN_FILE)
    (anhui,) = _line(rows, "urban_rural_income_ratio", "anhui", "2025")
    # 51737 / 23828 = 2.1713: Anhui's 2025 communiqué gives both incomes, not the ratio
    assert (anhui["value"], anhui["flag"]) == ("2.17", "")
    assert anhui["note"].startswith("[derived: urban_disposable_income 51737 / ")
    assert anhui["note"].count("http") == 2 and anhui["note"].count("«") == 2
    # Zhejiang publishes its ratio (1.81左右): that figure stands, approximate
    (zhejiang,) = _line(rows, "urban_rural_income_ratio", "zhejiang", "2025")
    assert (zhejiang["value"], zhejiang["flag"]) == ("1.81", "approx")
    assert "derived" not in zhejiang["note"]
    (patents,) = _line(rows, "valid_invention_patents", "yrd", "2025")
    assert float(patents["value"]) == 1734000  # 173.4 万件


def test_stored_flags_and_the_2025_assessment_by_value(bundled_tracker: Tracker) -> None:
    obs = bundled_tracker.store.observations(["st_progress_contribution"], ["jiangsu"])
    assert obs.set_index("year").loc[2022, "flag"] == "approx"
    got = bundled_tracker.assessment(2025, "en").set_index(["indicator", "region"])

    def verdict(ind: str, region: str) -> tuple[str, float]:
        row = got.loc[(ind, region)]
        return str(row["verdict"]), round(float(row["value"]), 2)

    # Anhui's 2025 communiqué: urbanisation 63.6% against ≥ 70: missed
    assert verdict("urbanization_rate", "anhui") == ("missed", 63.6)
    # Shanghai's 2025 air quality (official): PM2.5 26 μg/m³ ≤ 35, good-air days 88.5% ≥ 80
    assert verdict("pm25_concentration", "shanghai") == ("met", 26.3)
    assert verdict("good_air_days_ratio", "shanghai") == ("met", 88.5)
    # 4.5%左右: met on an approximate value; 2.17 derived from Anhui's incomes: met
    assert verdict("rd_intensity", "shanghai") == ("met", 4.5)
    assert verdict("urban_rural_income_ratio", "anhui") == ("met", 2.17)
    assert "http" in str(got.loc[("pm25_concentration", "shanghai"), "source"])
    counts = got["verdict"].value_counts()
    assert (counts["met"], counts["missed"]) == (9, 1) and counts["pending"] > 0
    # the region's energy goal (−10% on 2017) has no 2017 value: said so, not a bare "no data"
    energy = bundled_tracker.gaps(milestone=2025).set_index(["indicator", "region"])
    assert energy.loc[("energy_intensity", "yrd"), "reason"].startswith("no 2017 value")
    zh = bundled_tracker.assessment(2025, "zh").set_index(["indicator", "region"])
    assert "（缺少长三角2017年基数）" in zh.loc[("energy_intensity", "yrd"), "text"]


def test_the_cli_assessment_of_2025_on_the_bundled_data(bundled_tracker: Tracker) -> None:
    result = CliRunner().invoke(
        main, ["--db", bundled_tracker.db_url, "assess", "--milestone", "2025", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = {(r["indicator"], r["region"]): r for r in csv.DictReader(io.StringIO(result.output))}
    anhui = rows[("urbanization_rate", "anhui")]
    assert (anhui["value"], anhui["verdict"], anhui["provisional"]) == ("63.6", "missed", "False")
    # Shanghai's 2025 R&D intensity "4.5%左右": met, provisional, and why
    rd = rows[("rd_intensity", "shanghai")]
    assert (rd["value"], rd["verdict"], rd["provisional"]) == ("4.5", "met", "True")
    assert rd["provisional_reason"].startswith("an approximate figure")
    gaps = CliRunner().invoke(
        main, ["--db", bundled_tracker.db_url, "gaps", "--milestone", "2025", "--lang", "zh",
               "--indicator", "st_progress_contribution", "--region", "江苏", "--format", "json"],
    )  # fmt: skip
    (row,) = json.loads(gaps.output)
    assert row["provisional"] is True and row["provisional_reason"].startswith("约数")


def test_headline_reads_right_near_the_goal_year(bundled_tracker: Tracker) -> None:
    from targets.statuses import RANK

    # as of 2024, a year before the 2025 goal year: the headline judges by distance
    gaps = bundled_tracker.gaps(milestone=2025, year=2024).set_index(["indicator", "region"])
    air = gaps.loc[("good_air_days_ratio", "jiangsu")]
    urban = gaps.loc[("urbanization_rate", "anhui")]
    assert (air["year"], air["value"]) == (2023, pytest.approx(79.6))
    assert (urban["year"], urban["value"]) == (2024, pytest.approx(62.57))
    # 79.6 against 80, 0.4 short after a dip: the trend moves away, but the goal is nearly met
    assert air["pace_status"] == "moving_away" and air["status"] == "close"
    # 62.57 against 70 with a year left is far, and reads worse than Jiangsu's air
    assert urban["status"] == "far" and RANK[urban["status"]] > RANK[air["status"]]
    judged = [s for s in gaps["status"] if s not in ("no_data", "insufficient_data")]
    assert RANK[air["status"]] < max(RANK[s] for s in judged)
    # every row says whose goal it is: Jiangsu is compared with the region's goal
    assert (air["role"], air["goal_scope"]) == ("benchmark", "yrd")
    assert (gaps.loc[("good_air_days_ratio", "yrd")]["role"]) == "goal"
    assert gaps.loc[("urban_rural_income_ratio", "anhui")]["goal_scope"] == "central_zone"
