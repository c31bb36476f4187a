"""targets/tracker.py: one store read per data version feeds every analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from targets import aggregate
from targets.bundled import ensure_bundled
from targets.models import OBSERVATION_COLUMNS
from targets.tracker import Tracker


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    url = f"sqlite:///{tmp_path / 'bundled.db'}"
    ensure_bundled(Tracker(db_url=url))
    # a fresh one: the importing Tracker has derived and cached the imported version already
    return Tracker(db_url=url)


def test_the_derivation_keeps_exactly_the_rows_the_store_holds(tracker: Tracker) -> None:
    observed = tracker.derived().observed[list(OBSERVATION_COLUMNS)]
    stored = tracker.store.observations()
    pd.testing.assert_frame_equal(observed.astype(stored.dtypes.to_dict()), stored)
    assert len(tracker.derived().frame) > len(stored)  # and adds the derived rows


@pytest.mark.parametrize(
    ("indicators", "regions"),
    [
        (None, ["anhui"]),
        (None, ["shanghai", "anhui", "no_such_region", "anhui"]),
        (["gdp", "population"], None),
        (["rd_intensity"], ["jiangsu", "zhejiang", "yrd"]),
        (["no_such_indicator"], ["anhui"]),
        (None, ["no_such_region"]),
    ],
)
def test_a_filtered_read_is_exactly_the_filter_of_the_whole_read(
    tracker: Tracker, indicators: list[str] | None, regions: list[str] | None
) -> None:
    """Read by the row index (Tracker._rows_index): the same rows, order and values as a
    filter over every value in force, before and after an import moves the data version."""
    for round_ in range(2):
        whole = tracker.observations()
        keep = pd.Series(True, index=whole.index)
        if indicators:
            keep &= whole["indicator"].isin(indicators)
        if regions:
            keep &= whole["region"].isin(regions)
        expected = whole[keep].reset_index(drop=True)
        got = tracker.observations(indicators=indicators, regions=regions)
        pd.testing.assert_frame_equal(got, expected)
        if regions == ["anhui"] and indicators is None:
            assert len(got) > 10 and set(got["region"]) == {"anhui"}
        if round_:
            break
        # a new value for Anhui: the index of the version before must not be served
        tracker.store.write_import(
            pd.DataFrame(
                {"indicator": ["gdp"], "region": ["anhui"], "year": [2030], "value": [1.5]}
            ),
            file_name="later.csv",
            sha256="a" * 64,
            note="test fixture (not published statistics)",
        )


def test_every_analysis_shares_one_derivation_per_data_version(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    derive_coded = aggregate.derive_coded

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return derive_coded(*args, **kwargs)

    monkeypatch.setattr(aggregate, "derive_coded", counted)
    tracker.gaps()
    tracker.gaps(milestone=2025)
    tracker.convergence()
    tracker.regional_contributions()
    tracker.observations()
    assert len(runs) == 1
    # the assessment judges values as of its milestone year: derived again from those only
    tracker.assessment(2025)
    assert len(runs) == 2


def test_every_analysis_shares_one_store_read_per_data_version(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Any] = []
    read = tracker.store.observations

    def counted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        reads.append((args, kwargs))
        return read(*args, **kwargs)

    monkeypatch.setattr(tracker.store, "observations", counted)

    def everything() -> None:
        tracker.gaps()
        tracker.gaps(milestone=2025)
        tracker.assessment(2025)
        tracker.behind_schedule()
        tracker.convergence()
        tracker.regional_contributions()
        tracker.methods()

    everything()
    assert len(reads) == 1  # the first analysis read the store; the rest took its rows
    everything()
    assert len(reads) == 1  # all cached

    # an import moves the data version: one new read, shared again
    rows = tracker.store.observations().head(1).assign(value=lambda f: f["value"] + 0.01)
    tracker.store.write_import(rows, file_name="rev.csv", sha256="e" * 64)
    reads.clear()
    everything()
    assert len(reads) == 1


def test_value_notes_are_made_once_per_region_and_data_version(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targets.provenance import value_notes

    regions = ["yrd", "central_zone", "shanghai", "jiangsu", "zhejiang", "anhui"]
    observed = tracker.derived().observed
    expected = {
        ind.id: value_notes(tracker.catalogue, tracker.regions, observed, ind.id, regions, "en")
        for ind in tracker.catalogue.goals()
    }
    assert any(expected.values())  # the bundled data has published and derived figures to tell
    runs: list[int] = []
    derive_coded = aggregate.derive_coded

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return derive_coded(*args, **kwargs)

    monkeypatch.setattr(aggregate, "derive_coded", counted)
    for ind, notes in expected.items():
        assert tracker.value_notes(ind, regions, "en") == notes, ind
    made = len(runs)
    assert made > 0
    # a page view after the first derives nothing: every region's notes come from the cache
    for ind in expected:
        assert tracker.value_notes(ind, list(reversed(regions)), "en") == [
            n for r in reversed(regions) for n in tracker.value_notes(ind, [r], "en")
        ]
    assert len(runs) == made
    # a new data version makes them again
    row = tracker.store.observations(indicators=["gdp"], regions=["anhui"]).tail(1)
    tracker.store.write_import(row[["indicator", "region", "year", "value"]],
                               file_name="again.csv", sha256="e" * 64)  # fmt: skip
    tracker.value_notes("rd_intensity", ["yrd"], "en")
    assert len(runs) > made


def test_regions_with_values_are_those_of_the_values_in_force(tracker: Tracker) -> None:
    before = tracker.regions_with_values()
    assert before == set(tracker.observations()["region"].unique())
    assert "anhui" in before and "hefei" not in before  # the bundled data has no city value
    tracker.store.write_import(
        pd.DataFrame({"indicator": ["gdp"], "region": ["hefei"], "year": [2024], "value": [1.5]}),
        file_name="hefei.csv",
        sha256="b" * 64,
        note="test fixture (not published statistics)",
    )
    assert tracker.regions_with_values() == before | {"hefei"}


def test_synthetic_values_in_force_are_told_once_per_data_version(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import whose note starts with SYNTHETIC makes synthetic_in_force true while one of
    its values is in force; restated by a later import it is false again; asked twice on one
    version the imports are read once."""
    from targets.source_notes import SYNTHETIC_MARK, is_synthetic

    assert is_synthetic(f"{SYNTHETIC_MARK} test data") and not is_synthetic("a synthetic index")
    assert tracker.synthetic_in_force() is False
    row = pd.DataFrame({"indicator": ["gdp"], "region": ["anhui"], "year": [2031], "value": [1.0]})
    tracker.store.write_import(
        row, file_name="made_up.csv", sha256="d" * 64, note=f"{SYNTHETIC_MARK} test values"
    )
    reads: list[int] = []
    imports = tracker.store.imports
    monkeypatch.setattr(tracker.store, "imports", lambda: reads.append(1) or imports())
    assert tracker.synthetic_in_force() is True
    assert tracker.synthetic_in_force() is True
    assert reads == [1]
    tracker.store.write_import(
        row.assign(value=2.0), file_name="real.csv", sha256="e" * 64, note="a later release"
    )
    assert tracker.synthetic_in_force() is False


def _import_csv(tracker: Tracker, name: str, notes: list[str], note: str = "") -> int:
    """Two values of 2024 through the normal import path (as `targets import` and the upload
    page store them), each with its own note from the file's note column; the import's id."""
    from targets.ingest import import_files

    lines = ["indicator,region,year,value,note"] + [
        f"rd_intensity,{region},2024,{value},{text}"
        for region, value, text in zip(["anhui", "jiangsu"], [2.8, 3.4], notes, strict=True)
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    result = import_files(
        tracker.store, tracker.catalogue, tracker.regions, [(name, data)], note=note
    )
    (fr,) = result.report.files
    assert result.report.ok and fr.errors == [] and fr.rows == 2, fr.errors
    assert fr.import_id is not None
    stored = tracker.store.observations()
    anhui = stored[(stored["indicator"] == "rd_intensity") & (stored["region"] == "anhui")]
    assert anhui.loc[anhui["year"] == 2024, "note"].tolist() == [notes[0]]
    return fr.import_id


def test_synthetic_values_are_told_by_their_own_notes_too(tracker: Tracker) -> None:
    """A file whose note column marks its values SYNTHETIC, imported without an import note,
    shows the banner while one of them is in force; reverted, it is gone."""
    from targets.source_notes import SYNTHETIC_MARK

    assert tracker.synthetic_in_force() is False
    made_up = _import_csv(
        tracker, "made_up.csv", ["an official-looking address", f"{SYNTHETIC_MARK} made up"]
    )
    assert tracker.store.get_import(made_up).note == ""
    assert tracker.synthetic_in_force() is True
    assert Tracker(db_url=tracker.store.url).synthetic_in_force() is True  # a new worker too
    tracker.store.revert(made_up)
    assert tracker.synthetic_in_force() is False
    # as is_synthetic reads a note: the mark after leading whitespace (an ideographic space) counts
    spaced = _import_csv(tracker, "spaced.csv", [f"\u3000 {SYNTHETIC_MARK}: test", "x"])
    assert tracker.synthetic_in_force() is True
    # restated by a later import, the marked value is no longer in force
    _import_csv(tracker, "real.csv", ["a later release", "a later release"])
    assert tracker.synthetic_in_force() is False
    assert tracker.store.get_import(spaced).state == "active"


def test_a_value_note_with_synthetic_later_in_its_text_is_not_made_up_data(
    tracker: Tracker,
) -> None:
    from targets.source_notes import SYNTHETIC_MARK

    _import_csv(
        tracker,
        "index.csv",
        [f"composite index; not {SYNTHETIC_MARK} data", f"a {SYNTHETIC_MARK.lower()} indicator"],
    )
    assert tracker.synthetic_in_force() is False
