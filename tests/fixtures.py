"""A small fixture database built through the library, shared by unit, CLI, report and browser tests.

Values are TEST FIXTURES (round figures near the published ones), not statistics: they exist so
that every status appears and hand-checks are easy. The note of each import says so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from targets.tracker import Tracker

ROOT = Path(__file__).resolve().parents[1]

# indicator, region, {year: value}
SERIES: list[tuple[str, str, dict[int, float]]] = [
    (
        "rd_intensity",
        "shanghai",
        {2018: 4.16, 2019: 4.00, 2020: 4.17, 2021: 4.21, 2022: 4.44, 2023: 4.34},
    ),
    ("rd_intensity", "jiangsu", {2018: 2.70, 2020: 2.93, 2021: 2.95, 2022: 3.12, 2023: 3.29}),
    ("rd_intensity", "zhejiang", {2018: 2.57, 2020: 2.88, 2022: 3.11, 2023: 3.20}),
    ("rd_intensity", "anhui", {2018: 2.16, 2020: 2.28, 2022: 2.56, 2023: 2.69}),
    ("rd_intensity", "yrd", {2018: 2.81, 2022: 3.23, 2023: 3.34}),
    ("urbanization_rate", "anhui", {2018: 54.7, 2020: 58.3, 2022: 60.2, 2023: 61.5}),
    ("urbanization_rate", "yrd", {2018: 66.0, 2023: 71.3}),
    ("pm25_concentration", "yrd", {2018: 44.0, 2020: 35.0, 2022: 31.0, 2023: 32.0}),
    ("pm25_concentration", "anhui", {2018: 49.0, 2023: 35.8}),
    ("pct_applications", "yrd", {2019: 18000.0, 2023: 26000.0}),
    ("life_expectancy", "shanghai", {2023: 83.2}),
]

FIXTURE_NOTE = "test fixture (not published statistics)"


def fixture_rows() -> pd.DataFrame:
    rows = [
        {"indicator": ind, "region": reg, "year": y, "value": v, "unit": None, "note": FIXTURE_NOTE}
        for ind, reg, values in SERIES
        for y, v in values.items()
    ]
    return pd.DataFrame(rows)


def build_fixture_db(url: str) -> Tracker:
    """Fill the database at `url` with the fixture values as one import; return a Tracker on it."""
    tracker = Tracker(db_url=url, catalogue_path=ROOT / "indicators.yaml")
    tracker.store.write_import(
        fixture_rows(), file_name="fixture.csv", sha256="0" * 64, layout="long",
        user="tests", note=FIXTURE_NOTE,
    )  # fmt: skip
    return tracker


# the release the one sourced value below cites
OFFICIAL_ADDRESS = "https://tjj.ah.gov.cn/ssah/qwfbjd/tjgb/sjtjgb/149258011.html"


def add_value(
    tracker: Tracker,
    indicator: str,
    region: str,
    year: int,
    value: float,
    *,
    note: str,
    sha: str,
    flag: str | None = None,
    import_note: str = "test fixture",
) -> Tracker:
    """Add one value as an import of its own (a TEST FIGURE; `note` is the value's note, `sha`
    one hex digit that makes the import's hash distinct). Returns the tracker."""
    row = {"indicator": indicator, "region": region, "year": year, "value": value,
           "unit": None, "note": note}  # fmt: skip
    if flag is not None:
        row["flag"] = flag
    tracker.store.write_import(
        pd.DataFrame([row]), file_name=f"{indicator}-{region}.csv", sha256=sha * 64,
        layout="long", user="tests", note=import_note,
    )  # fmt: skip
    return tracker


def add_official_value(tracker: Tracker) -> Tracker:
    """Add, as a second import, Anhui's 2024 R&D intensity with more digits than shown (2.7456,
    shown 2.75) and its source in the bundled form (official release, address, quote): a TEST
    FIGURE, not a published statistic. Returns the tracker."""
    rows = pd.DataFrame(
        [{"indicator": "rd_intensity", "region": "anhui", "year": 2024, "value": 2.7456,
          "unit": None, "note": f"[test figure] official release: {OFFICIAL_ADDRESS} «2.75%»"}]
    )  # fmt: skip
    tracker.store.write_import(
        rows, file_name="official.csv", sha256="6" * 64, layout="long", user="tests",
        note=FIXTURE_NOTE,
    )  # fmt: skip
    return tracker
