"""One entry point over catalogue, regions, store and engine, shared by the CLI, dashboard and reports.

Every screen, command and report asks this object, so they cannot disagree: the gap table is
computed in one place (`Tracker.gaps`) and cached per data version (invalidated by any import
or revert, in this process or another one writing to the same database). The cache is this
process's memory, or Redis shared by all workers when `TARGETS_REDIS` is set (targets.cache).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from targets import config
from targets.cache import CacheStats, ResultCache, ResultKey, make_cache, namespace
from targets.catalogue import Catalogue, load_catalogue
from targets.regions import RegionRegistry, load_regions
from targets.store import Store

if TYPE_CHECKING:
    from targets.aggregate import Derived


class Tracker:
    """The tracker as one object: catalogue + region registry + store + cached engine results."""

    def __init__(
        self,
        db_url: str | None = None,
        catalogue_path: Path | str | None = None,
        regions_path: Path | str | None = None,
        *,
        cache: ResultCache | None = None,
    ) -> None:
        self.db_url = db_url or config.default_db_url()
        self.catalogue_path = Path(catalogue_path or config.default_catalogue_path())
        self.regions_path = Path(regions_path or config.default_regions_path())
        # Redis when TARGETS_REDIS is set (a malformed URL fails here, at start), else memory
        self.cache = cache if cache is not None else make_cache()
        # the values in force derived once per data version: (version, Derived)
        self._derived: tuple[str, Derived] | None = None
        self._derive_lock = threading.Lock()
        # row positions of the values in force by region and by indicator: (version, rows, index)
        self._rows_by: dict[str, tuple[str, int, dict[str, np.ndarray]]] = {}

    @cached_property
    def _reason_names(self) -> dict[str, dict[str, str]]:
        return {}

    def reason_names(self, lang: str) -> dict[str, str]:
        """Indicator and region ids -> names in `lang`, for targets.reasons (once per language)."""
        from targets.reasons import reason_names

        if lang not in self._reason_names:
            self._reason_names[lang] = reason_names(self.catalogue, self.regions, lang)
        return self._reason_names[lang]

    @cached_property
    def regions(self) -> RegionRegistry:
        return load_regions(self.regions_path)

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue(self.catalogue_path, region_ids=self.regions.regions.keys())

    @cached_property
    def store(self) -> Store:
        return Store(self.db_url)

    # -- cached engine results ---------------------------------------------------------------
    @cached_property
    def cache_namespace(self) -> str:
        """The cache's name for this database + catalogue + regions file + engine code."""
        # load first: the key then names the files as this process read them
        self.catalogue  # noqa: B018
        return namespace(self.db_url, self.catalogue_path, self.regions_path)

    def cache_stats(self) -> CacheStats:
        """Hits (in memory, in Redis), misses and computations of the result cache so far."""
        return self.cache.snapshot()

    def _cached(
        self,
        key: ResultKey,
        compute: Callable[[], pd.DataFrame],
        version: str | None = None,
        *,
        prefer_local: Callable[[], bool] | None = None,
    ) -> pd.DataFrame:
        """compute() once per data version (and per key), or its cached result; always a copy
        (`prefer_local`: see targets.cache)."""
        version = version or self.store.data_version()
        return self.cache.get_or_compute(
            self.cache_namespace, version, key, compute, prefer_local=prefer_local
        )

    def observations(
        self,
        indicators: Collection[str] | None = None,
        regions: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """Values in force, plus the values the engine derives (flag `derived`)."""
        version = self.store.data_version()
        frame = self._values(version)
        if not indicators and not regions:
            return frame.reset_index(drop=True)
        # a region's or an indicator's rows by position, not a scan of the country's values:
        # at 10 million values the two scans and copies took 1 s of every region page
        column, wanted = ("region", regions) if regions else ("indicator", indicators or ())
        index = self._rows_index(version, frame, column)
        parts = [index[key] for key in dict.fromkeys(wanted) if key in index]
        rows = np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
        frame = frame.take(rows)  # in the frame's own order, as a filter would keep it
        if indicators and regions:
            frame = frame[frame["indicator"].isin(list(indicators))]
        return frame.reset_index(drop=True)

    def publishers(self) -> pd.DataFrame:
        """Per indicator and host, the stored values an official release or a repost there
        gives (targets.source_notes.publisher_counts), once per data version."""
        from targets.source_notes import publisher_counts

        def compute() -> pd.DataFrame:
            obs = self.derived().frame  # read in place: a copy would cost more than the counts
            return publisher_counts(obs[~obs["derived"].to_numpy(dtype=bool)])

        return self._cached(("publishers",), compute)

    def synthetic_in_force(self) -> bool:
        """Whether a value in force is made-up data, once per data version: it came from an
        import whose note starts with targets.source_notes.SYNTHETIC_MARK, or its own note does
        (a file's note column, imported with no import note)."""
        from targets.source_notes import any_synthetic, is_synthetic

        def compute() -> pd.DataFrame:
            marked = [
                imp.id
                for imp in self.store.imports()
                if imp.state == "active" and is_synthetic(imp.note)
            ]
            frame = self.derived().frame  # read in place: the values in force, restated ones gone
            # an active import's values may all be restated by later ones: ask the values in force
            found = bool(marked) and bool(
                frame["import_id"].isin(marked).to_numpy(dtype=bool).any()
            )
            # or a value's own note does (a derived value's starts "derived: ", never the mark)
            found = found or any_synthetic(frame["note"])
            return pd.DataFrame({"synthetic": [found]})

        return bool(self._cached(("synthetic",), compute)["synthetic"].iloc[0])

    def indicators_with_values(self) -> frozenset[str]:
        """The indicators with a value in force or derived (keys of the row index, no scan)."""
        return self._with_values("indicator")

    def regions_with_values(self) -> frozenset[str]:
        """The regions with a value in force or derived (keys of the row index, no scan)."""
        return self._with_values("region")

    def _with_values(self, column: str) -> frozenset[str]:
        version = self.store.data_version()
        return frozenset(self._rows_index(version, self._values(version), column))

    def _values(self, version: str) -> pd.DataFrame:
        """The values in force and derived of `version` (the cached `observations` frame)."""
        # where a columnar snapshot of this version is on disk, mapping it and deriving beats
        # fetching the frame from Redis (make bench, 2 M rows: 0.15 s against 0.67 s for 191 MiB
        # unpickled); without one, Redis still spares a worker the database read
        return self._cached(
            ("observations",),
            lambda: self._derive_stored(version).frame,
            version,
            prefer_local=lambda: self.store.snapshot_ready(version),
        )

    def _rows_index(self, version: str, frame: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
        """Each value of `column` -> the positions of its rows in `frame`, once per data version."""
        held = self._rows_by.get(column)
        if held is not None and held[0] == version and held[1] == len(frame):
            return held[2]
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        dtype = np.int32 if len(frame) < 2**31 else np.int64
        order = np.argsort(codes, kind="stable").astype(dtype)
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        index = {str(key): order[bounds[i] : bounds[i + 1]] for i, key in enumerate(uniques)}
        self._rows_by[column] = (version, len(frame), index)
        return index

    def _derive_stored(self, version: str | None = None) -> Derived:
        """Read the store and derive; kept as this process's derivation of `version`."""
        from targets.aggregate import derive_all

        version = version or self.store.data_version()
        made = derive_all(self.catalogue, self.regions, self.store.observations())
        self._derived = (version, made)
        return made

    def derived(self) -> Derived:
        """The values in force and the values derived from them, made once per data version.

        Every analysis is handed this one derivation instead of reading the store and deriving
        again (at 10 million rows each read cost 20-60 s on the first visit after an import).
        Its frame is the cached `observations`: where another worker put that in Redis, this
        process derives from it instead of reading the store (without a columnar snapshot).
        """
        from targets.aggregate import derive_all

        version = self.store.data_version()
        held = self._derived
        if held is not None and held[0] == version:
            return held[1]
        # one derivation at a time; observations()'s computation never takes this lock, so a
        # thread waiting here for the cached frame cannot hold up the thread computing it
        with self._derive_lock:
            held = self._derived
            if held is not None and held[0] == version:
                return held[1]
            self._derived = None  # two versions of 10 million rows need not coexist
            frame = self._values(version)
            held = self._derived
            if held is not None and held[0] == version:
                return held[1]
            made = derive_all(self.catalogue, self.regions, frame)
            self._derived = (version, made)
            return made

    def gaps(
        self,
        *,
        milestone: int | None = None,
        year: int | None = None,
        indicators: Collection[str] | None = None,
        regions: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """The gap table: one row per indicator × region × milestone (see targets.progress)."""
        from targets.progress import compute_gaps

        def compute() -> pd.DataFrame:
            return compute_gaps(
                self.catalogue,
                self.regions,
                self.derived(),
                milestone=milestone,
                year=year,
            )

        frame = self._cached(("gaps", milestone, year), compute)
        if indicators:
            frame = frame[frame["indicator"].isin(list(indicators))]
        if regions:
            frame = frame[frame["region"].isin(list(regions))]
        return frame.reset_index(drop=True)

    def gaps_before_latest(self, milestone: int | None = None) -> pd.DataFrame:
        """The gap table before each series' latest value (targets.verdicts.gaps_before_latest):
        what a cell's hover compares with to say why its status changed."""
        from targets.verdicts import gaps_before_latest

        def compute() -> pd.DataFrame:
            return gaps_before_latest(
                self.catalogue, self.regions, self.derived().observed, milestone
            )

        return self._cached(("gaps_before_latest", milestone), compute)

    def resolve_regions(self, names: Collection[str] | None) -> list[str] | None:
        """Region names/aliases as a user types them -> ids (raises UnknownRegionError)."""
        if not names:
            return None
        return [self.regions.resolve(n).id for n in names]

    def resolve_indicators(self, names: Collection[str] | None) -> list[str] | None:
        """Indicator ids or names -> ids (raises KeyError with suggestions)."""
        if not names:
            return None
        out = []
        for name in names:
            ind = self.catalogue.lookup(name)
            if ind is None:
                hint = ", ".join(self.catalogue.suggest(name))
                raise KeyError(
                    f"unknown indicator {name!r}" + (f"; did you mean {hint}?" if hint else "")
                )
            out.append(ind.id)
        return out

    # -- analyses (targets.assessment, convergence, contribution, methods) --------------------
    def assessment(self, milestone: int, lang: str = "zh") -> pd.DataFrame:
        """The final-evaluation table of one milestone year (targets.assessment.final_assessment)."""
        from targets.assessment import final_assessment

        def compute() -> pd.DataFrame:
            return final_assessment(self.catalogue, self.regions, self.derived(), milestone, lang)

        return self._cached(("assessment", milestone, lang), compute)

    def behind_schedule(self, milestone: int | None = None, lang: str = "zh") -> pd.DataFrame:
        """Gap rows behind schedule: binding goals (约束性) first, then most behind first."""
        from targets.assessment import behind_schedule

        def compute() -> pd.DataFrame:
            # read inside: a cached answer must not cost a copy of the whole gap table first
            frame = behind_schedule(self.gaps(milestone=milestone), lang)
            binding = frame["indicator"].map(
                lambda i: (
                    i in self.catalogue.indicators
                    and self.catalogue.indicators[i].nature == "binding"
                )
            )
            # a stable sort keeps "most behind first" within each group
            order = binding.astype(bool).map({True: 0, False: 1})
            return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)

        return self._cached(("behind", milestone, lang), compute)

    def convergence(self, level: str = "province") -> pd.DataFrame:
        """Per benchmarked indicator: the trend of the spread across regions of `level`."""
        from targets.convergence import convergence_table

        def compute() -> pd.DataFrame:
            return convergence_table(
                self.catalogue,
                self.regions,
                self.derived(),
                level,  # type: ignore[arg-type]
            )

        return self._cached(("convergence", level), compute)

    def spread(self, indicator: str, level: str = "province") -> pd.DataFrame:
        """Per complete year: the spread of `indicator` across regions of `level` (cv, max/min)."""
        from targets.convergence import spread

        def compute() -> pd.DataFrame:
            return spread(self.observations(), self.regions, indicator, level)  # type: ignore[arg-type]

        return self._cached(("spread", indicator, level), compute)

    def contributions(self, indicator: str, year: int | None = None) -> pd.DataFrame:
        """Each member's part of the regional gap of `indicator` (default: its latest year)."""
        from targets.contribution import regional_gap_contributions

        if year is None:
            years = pd.to_numeric(self.observations([indicator])["year"], errors="coerce")
            if years.dropna().empty:
                raise ValueError(f"no value of {indicator} yet")
            year = int(years.max())

        def compute() -> pd.DataFrame:
            return regional_gap_contributions(
                self.catalogue, self.regions, self.derived(), indicator, int(year)
            )

        return self._cached(("contributions", indicator, year), compute)

    def regional_contributions(self) -> list[tuple[str, int, pd.DataFrame]]:
        """(indicator, year, contributions) for each whole-region goal the region still misses.

        The year is the latest one in which every member has the components: a regional ratio
        from an incomplete set of provinces would be a different quantity.
        """

        def compute() -> pd.DataFrame:
            chosen: list[tuple[str, int]] = []
            obs = self.observations()
            for ind in self.catalogue.goals():
                if "yrd" not in ind.scope or ind.weight == "none":
                    continue
                years = sorted(set(obs.loc[obs["indicator"] == ind.id, "year"].astype(int)))
                for year in reversed(years[-8:]):
                    try:
                        frame = self.contributions(ind.id, year)
                    except (ValueError, KeyError):
                        break
                    total = frame[frame["region"] == "yrd"]
                    # every member's components: the value from them (a published regional
                    # figure alone gives no shares)
                    made = "derived_value" if "derived_value" in frame.columns else "value"
                    if not total.empty and pd.notna(total[made].iloc[0]):
                        # a goal the region already meets has no gap to attribute
                        if total["shortfall"].iloc[0] > 0:
                            chosen.append((ind.id, year))
                        break
            return pd.DataFrame(chosen, columns=["indicator", "year"])

        # the choice is cached, so that a goal whose contributions cannot be computed is tried
        # once per import, not on every view of the assessment page (30 s at national scale)
        chosen = self._cached(("regional_contributions",), compute)
        return [
            (str(ind), int(year), self.contributions(str(ind), int(year)))
            for ind, year in chosen.itertuples(index=False)
        ]

    def value_notes(self, indicator: str, regions: Collection[str], lang: str = "zh") -> list[str]:
        """Which figure is in force where a published and a derived one could both stand, per
        region (targets.provenance.value_notes); each region's notes made once per data version.

        Made on every view of the indicator page they cost a derivation of each chosen region's
        subtree, the whole country for the delta (16-27 s a view at 1 M values under load).
        """
        from targets.provenance import input_series, value_notes

        inputs: list[pd.DataFrame] = []  # the observed values of its inputs, read at most once

        def notes_of(region: str) -> Callable[[], pd.DataFrame]:
            def compute() -> pd.DataFrame:
                if not inputs:
                    frame = self.derived().frame
                    mine = frame["indicator"].isin(list(input_series(self.catalogue, indicator)))
                    inputs.append(frame[mine & ~frame["derived"].astype(bool)])
                made = value_notes(
                    self.catalogue, self.regions, inputs[0], indicator, [region], lang
                )
                return pd.DataFrame({"note": pd.array(made, dtype="str")})

            return compute

        version = self.store.data_version()  # one query for the page, not one per region
        out: list[str] = []
        for region in regions:
            key = ("value_notes", indicator, region, lang)
            frame = self._cached(key, notes_of(region), version)
            out += [str(n) for n in frame["note"].tolist()]
        return out

    def draft(self, milestone: int, lang: str = "zh") -> pd.DataFrame:
        """The drafted assessment's paragraphs in reading order (targets.reports.drafting), made
        once per data version: key, heading, text, kind (summary | area | goal), area, area_title.

        Drafted on every view of the assessment page it cost 4.5 s a view at 1 M values.
        """
        from targets.reports.drafting import draft_paragraphs

        return self._cached(
            ("draft", milestone, lang), lambda: draft_paragraphs(self, milestone, lang)
        )

    def methods(self, milestone: int | None = None) -> pd.DataFrame:
        """The three methods side by side per gap row, with `agree` (targets.status_methods)."""
        from targets.status_methods import compare_methods

        return self._cached(
            ("methods", milestone), lambda: compare_methods(self.gaps(milestone=milestone))
        )
