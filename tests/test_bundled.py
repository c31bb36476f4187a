"""The bundled statistics: built from the gathered published figures, imported on first start."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from targets.bundled import (
    BUNDLED_DIR,
    MAIN_FILE,
    SUPERSEDED_FILE,
    build_bundled,
    ensure_bundled,
    is_bundled,
)
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
    assert list(frame.columns) == ["indicator", "region", "year", "value", "unit", "note"]
