"""Values the engine derives: formula indicators from their components, and region aggregates.

Rules (DESIGN.md, "Progress method"):
1. An indicator with a `formula` over component series (`rd_expenditure / gdp * 100`) is computed
   wherever it is not observed but every component is (observed or itself derived).
2. Aggregates for provinces (from cities), zones and the whole region (from `members`):
   - amounts and counts (no formula, no weight: GDP, population, PCT applications) are the sum
     over the members, taken only when every member has a value for that year;
   - a `weight: population|gdp|area` indicator is the mean of the members' values weighted by that
     component (area: the land_area series, else the region table's `area_km2`);
   - a formula indicator is its formula over the aggregated components, so ratios come from
     Σ numerator / Σ denominator, never from averaging the members' ratios;
   - `weight: none`: no aggregate (the zone's own value must be uploaded).
3. Observed values always win: a derived value is never produced for a key that is observed.
   A derived value newer than a region's latest published one supersedes it (the latest value
   counts) only where the derivation reproduces the published series: in the latest year where
   both exist, derived and published agree within `agreement_tolerance` (the larger of a relative
   AGREE_RELATIVE and half the indicator's last decimal). Where they do not, the newer derived
   values are dropped and `missing_reasons` says why ("derived 2024 = 3.28 not used: …").
4. A formula with region subscripts (`gdp_per_capita[central_zone] / gdp_per_capita[yrd]`) is
   evaluated at the indicator's scope regions.
Where an aggregate cannot be made, `missing_reasons` says why ("no gdp for anhui in 2023").

The engine works on integer codes (`targets.coding.Coded`): one sorted int64 key per observation
(indicator << 40 | region << 16 | year), so that grouping and "latest value up to year Y" are
array operations even on millions of observations; `targets.progress` reuses the same form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from targets.coding import (
    IND_SHIFT,
    REGION_BITS,
    YEAR_BITS,
    YEAR_MASK,
    Coded,
    CodedSeries,
    IntArray,
    encode,
    member_of,
    merge_sorted,
    region_runs,
    union_sorted,
)
from targets.formula import Formula, evaluate, parse
from targets.models import OBSERVATION_COLUMNS, Indicator, Milestone
from targets.source_notes import DERIVED_PREFIX, member_words, over_words, weighted_mean_words

# Derived and published agree when they differ by at most this share of the published value (or
# half the indicator's last shown decimal, if larger): 2% holds a sum or ratio rebuilt from
# rounded components, and not a series on another definition (Shanghai's 2020 R&D intensity 4.17
# published vs 3.88 from revised GDP, −7%).
AGREE_RELATIVE = 0.02


def agreement_tolerance(published: float, decimals: int) -> float:
    """How far a derived value may lie from the published one and still agree."""
    return max(AGREE_RELATIVE * abs(published), 0.5 * 10.0 ** (-decimals))


def agrees(derived_value: float, published: float, decimals: int) -> bool:
    """The derivation reproduces the published figure (agreement_tolerance)."""
    return bool(abs(derived_value - published) <= agreement_tolerance(published, decimals) + 1e-12)


# the series that a `weight:` names; "area" falls back to the region table when not uploaded
WEIGHT_SERIES: dict[str, str] = {"population": "population", "gdp": "gdp", "area": "land_area"}
# how many member names a reason lists before it says "and N more"
MAX_NAMES = 5
REASON_COLUMNS: tuple[str, ...] = ("indicator", "region", "year", "reason")

_PLURAL = {
    "province": "provinces",
    "city": "cities",
    "county": "counties",
    "zone": "zones",
    "region": "regions",
}


class CatalogueLike(Protocol):
    @property
    def indicators(self) -> Mapping[str, Indicator]: ...

    def baseline_year(self, indicator: Indicator, milestone: Milestone) -> int: ...


class RegionsLike(Protocol):
    @property
    def regions(self) -> Mapping[str, Any]: ...

    def members(self, region_id: str) -> Sequence[Any]: ...


@dataclass
class _Made:
    """Values derived for one series, with a note code (into the derivation's notes) per value."""

    series: CodedSeries
    notes: IntArray


def _key_text(names: Sequence[str], keys: IntArray) -> tuple[list[str], list[int]]:
    return [names[k >> YEAR_BITS] for k in keys.tolist()], [k & YEAR_MASK for k in keys.tolist()]


# --------------------------------------------------------------------------- helpers


def _region_id(item: Any) -> str:
    return str(getattr(item, "id", item))


def _aggregation(ind: Indicator) -> str | None:
    """How an indicator's aggregate is made: formula, weighted, sum, or None (no aggregate)."""
    if ind.formula:
        return "formula"
    if ind.weight in WEIGHT_SERIES:
        return "weighted"
    if ind.weight is None:
        return "sum"  # amounts and counts (GDP, population, PCT applications) add up
    return None  # weight: none


def _names_text(names: Sequence[str]) -> str:
    if len(names) <= MAX_NAMES:
        return ", ".join(names)
    return ", ".join(names[:MAX_NAMES]) + f" and {len(names) - MAX_NAMES} more"


def _pretty(text: str) -> str:
    """A formula as a note shows it: × for *, single spaces."""
    return re.sub(r"\s+", " ", text.replace("*", "×")).strip()


@dataclass
class _Aggregates:
    """The regions that have members, bottom-up: each level only needs the levels before it."""

    levels: list[list[int]]
    members: dict[int, IntArray]
    member_text: dict[int, str]


def _aggregates(regions: RegionsLike, coded: Coded) -> _Aggregates:
    known = list(regions.regions)
    members: dict[str, list[str]] = {}
    for rid in known:
        ms = [_region_id(m) for m in regions.members(rid)]
        ms = list(dict.fromkeys(m for m in ms if m != rid))
        if ms:
            members[rid] = ms
    depth: dict[str, int] = {}

    def depth_of(rid: str, seen: frozenset[str]) -> int:
        if rid in depth:
            return depth[rid]
        if rid not in members or rid in seen:
            return 0
        d = 1 + max(depth_of(m, seen | {rid}) for m in members[rid])
        depth[rid] = d
        return d

    for rid in members:
        depth_of(rid, frozenset())
    levels = [
        [coded.reg_code(r) for r in members if depth[r] == d] for d in sorted(set(depth.values()))
    ]
    level_of = {rid: getattr(regions.regions[rid], "level", None) for rid in known}
    text: dict[int, str] = {}
    codes: dict[int, IntArray] = {}
    for rid, ms in members.items():
        code = coded.reg_code(rid)
        codes[code] = np.array(sorted(coded.reg_code(m) for m in ms), dtype=np.int64)
        kinds = {level_of.get(m) for m in ms}
        kind = kinds.pop() if len(kinds) == 1 else None
        noun = _PLURAL.get(str(kind), "members") if len(ms) > 1 else str(kind or "member")
        text[code] = member_words(len(ms), noun)
    return _Aggregates(levels, codes, text)


# --------------------------------------------------------------------------- the derivation


class _Derivation:
    """Derives every catalogue series on demand, components before the series that need them."""

    def __init__(self, catalogue: CatalogueLike, regions: RegionsLike, coded: Coded) -> None:
        self.regions = regions
        self.coded = coded
        self.agg = _aggregates(regions, coded)
        self.indicators: Mapping[str, Indicator] = catalogue.indicators
        self._bounds = np.searchsorted(coded.ind, np.arange(len(coded.indicators) + 1))
        self.full: dict[str, CodedSeries] = {}
        self.made: dict[str, _Made] = {}
        # keys whose value was made by summing or weighting members (a note then says "Σ gdp")
        self.summed: dict[str, IntArray] = {}
        self.reasons: dict[str, pd.Series] = {}  # sorted key → reason text
        self.notes: list[str] = list(coded.notes)
        self._note_code: dict[str, int] = {n: i for i, n in enumerate(self.notes)}
        self._busy: set[str] = set()

    def note(self, text: str) -> int:
        code = self._note_code.get(text)
        if code is None:
            code = self._note_code[text] = len(self.notes)
            self.notes.append(text)
        return code

    # ---- series access

    def observed(self, sid: str) -> CodedSeries:
        code = self.coded.ind_code(sid)
        if code < 0:
            return CodedSeries.empty()
        lo, hi = self._bounds[code], self._bounds[code + 1]
        return CodedSeries(self.coded.key[lo:hi] & ((1 << IND_SHIFT) - 1), self.coded.value[lo:hi])

    def series(self, sid: str) -> CodedSeries:
        """Observed ∪ derived values of a series."""
        if sid in self.full:
            return self.full[sid]
        if sid in self._busy:  # a cycle of formulas (the catalogue refuses them): observed only
            return self.observed(sid)
        self._busy.add(sid)
        try:
            observed = self.observed(sid)
            ind = self.indicators.get(sid)
            kind = _aggregation(ind) if ind is not None else None
            if ind is None or kind is None:
                result = observed
            elif kind == "formula":
                result = self._formula(ind, observed)
            elif kind == "weighted":
                result = self._bottom_up(sid, observed, WEIGHT_SERIES[str(ind.weight)])
            else:
                result = self._bottom_up(sid, observed, None)
        finally:
            self._busy.discard(sid)
        self.full[sid] = result
        return result

    def _record(
        self,
        sid: str,
        observed: CodedSeries,
        new: CodedSeries,
        notes: IntArray,
        overlap: CodedSeries | None = None,
    ) -> CodedSeries:
        """Add the derived values `new` where nothing is observed; `overlap` holds what the
        derivation gives at observed keys (else taken from `new`), to check it agrees."""
        at_observed = member_of(new.keys, observed.keys)
        if overlap is None:
            overlap = new.select(at_observed)
        keep = ~at_observed  # observed values always win
        new, notes = new.select(keep), notes[keep]
        if len(new) and len(observed):
            keep = self._agreeing(sid, observed, new, overlap)
            new, notes = new.select(keep), notes[keep]
        if len(new):
            self.made[sid] = _Made(new, notes)
        return observed.merge(new)

    def _agreeing(
        self, sid: str, observed: CodedSeries, new: CodedSeries, overlap: CodedSeries
    ) -> NDArray[np.bool_]:
        """Which derived values may stand: all but those newer than a region's latest published
        value where, in the latest year with both, the derivation disagrees with the published
        figure (rule 3). The dropped keys get a reason."""
        keep = np.ones(len(new), dtype=bool)
        obs_reg = observed.keys >> YEAR_BITS
        regs, first = np.unique(obs_reg, return_index=True)
        # keys are sorted: a region's last observed key is its latest published year
        last = np.append(first[1:], len(obs_reg)) - 1
        new_reg = new.keys >> YEAR_BITS
        pos = np.minimum(np.searchsorted(regs, new_reg), len(regs) - 1)
        has = regs[pos] == new_reg
        newer = has & ((new.keys & YEAR_MASK) > (observed.keys[last[pos]] & YEAR_MASK))
        if not newer.any():
            return keep
        ind = self.indicators.get(sid)
        decimals = int(ind.decimals) if ind is not None else 2
        why_keys: list[int] = []
        why_texts: list[str] = []
        for reg in np.unique(new_reg[newer]).tolist():
            lo, hi = np.searchsorted(overlap.keys, [reg << YEAR_BITS, (reg + 1) << YEAR_BITS])
            if hi == lo:
                continue  # no year with both: nothing to check the derivation against
            key = int(overlap.keys[hi - 1])
            d_val = float(overlap.values[hi - 1])
            p_val = float(observed.at(np.array([key], dtype=np.int64))[0])
            if agrees(d_val, p_val, decimals):
                continue
            drop = newer & (new_reg == reg)
            keep &= ~drop
            y = key & YEAR_MASK
            for k, v in zip(new.keys[drop].tolist(), new.values[drop].tolist(), strict=True):
                why_keys.append(k)
                why_texts.append(
                    f"derived {k & YEAR_MASK} = {v:.{decimals}f} not used: derived differs from "
                    f"published by {abs(d_val - p_val):.{decimals}f} in {y} (derived "
                    f"{d_val:.{decimals}f}, published {p_val:.{decimals}f}; agreement needs "
                    f"within {agreement_tolerance(p_val, decimals):.{decimals}f})"
                )
        if why_keys:
            self._add_reasons(sid, np.array(why_keys, dtype=np.int64), why_texts, merge=True)
        return keep

    def _add_reasons(
        self, sid: str, keys: IntArray, texts: Sequence[str], merge: bool = False
    ) -> None:
        """Set the reasons of a series (`merge`: add to those it has, the new ones winning)."""
        if len(keys):
            why = pd.Series(list(texts), index=pd.Index(keys, dtype=np.int64), dtype=object)
            if merge and sid in self.reasons:
                why = pd.concat([why, self.reasons[sid]])
            self.reasons[sid] = why[~why.index.duplicated()].sort_index()

    def _reason_at(self, sid: str, keys: IntArray) -> NDArray[Any]:
        """The recorded reasons of a series at keys (None where there is none)."""
        own = self.reasons.get(sid)
        if own is None or len(keys) == 0:
            return np.full(len(keys), None, dtype=object)
        return own.reindex(keys).to_numpy(dtype=object)

    def _plain(self, sid: str, keys: IntArray) -> list[str]:
        regs, years = _key_text(self.coded.regions, keys)
        return [f"no {sid} for {r} in {y}" for r, y in zip(regs, years, strict=True)]

    # ---- sums and weighted means over members

    def _area(self, keys: IntArray) -> CodedSeries:
        """Area weights from the region table, at the given keys."""
        area = np.full(len(self.coded.regions), np.nan)
        for rid, region in self.regions.regions.items():
            km2 = getattr(region, "area_km2", None)
            if km2 is not None:
                area[self.coded.reg_code(rid)] = float(km2)
        values = area[keys >> YEAR_BITS]
        ok = ~np.isnan(values)
        return CodedSeries(keys[ok], values[ok])

    def _bottom_up(self, sid: str, observed: CodedSeries, weight: str | None) -> CodedSeries:
        """Sum (weight None) or weighted mean over members, level by level from the cities up."""
        current = observed
        made: list[CodedSeries] = []
        # what the members give where the aggregate is published: checked against it (_record)
        overlap: list[CodedSeries] = []
        why_keys: list[IntArray] = []
        why_texts: list[str] = []
        weights = self.series(weight) if weight is not None else None
        from_table = weight == WEIGHT_SERIES["area"] and weights is not None and not len(weights)
        for level in self.agg.levels:
            if from_table:
                weights = self._area(current.keys)
            level_made: list[CodedSeries] = []
            for agg in level:
                part, why_k, why_t = self._aggregate(sid, current, agg, weight, weights)
                at_observed = member_of(part.keys, observed.keys)
                level_made.append(part.select(~at_observed))
                overlap.append(part.select(at_observed))
                keep = ~member_of(why_k, observed.keys)
                why_keys.append(why_k[keep])
                why_texts += [t for t, k in zip(why_t, keep.tolist(), strict=True) if k]
            for part in level_made:  # the regions of a level differ: their keys never collide
                current = current.merge(part)
            made += level_made
        if why_keys:
            self._add_reasons(sid, np.concatenate(why_keys), why_texts)
        keys = np.concatenate([m.keys for m in made]) if made else np.array([], dtype=np.int64)
        if not len(keys):
            return observed
        order = np.argsort(keys, kind="stable")
        new = CodedSeries(keys[order], np.concatenate([m.values for m in made])[order])
        self.summed[sid] = new.keys
        both = [o for o in overlap if len(o)]
        o_keys = np.concatenate([o.keys for o in both]) if both else np.array([], dtype=np.int64)
        o_order = np.argsort(o_keys, kind="stable")
        o_values = np.concatenate([o.values for o in both]) if both else np.array([])
        checked = CodedSeries(o_keys[o_order], o_values[o_order])
        return self._record(sid, observed, new, self._notes_for(sid, weight, new.keys), checked)

    def _notes_for(self, sid: str, weight: str | None, keys: IntArray) -> IntArray:
        """The note code of each aggregate key (one note per aggregate region)."""
        reg = keys >> YEAR_BITS
        codes = np.full(len(keys), -1, dtype=np.int64)
        how = weighted_mean_words(weight, sid) if weight else f"Σ {sid}"
        for agg in np.unique(reg).tolist():
            members = self.agg.member_text.get(agg, "members")
            text = f"{DERIVED_PREFIX}{how}{over_words(members)}"
            codes[reg == agg] = self.note(text)
        return codes

    def _aggregate(
        self,
        sid: str,
        values: CodedSeries,
        agg: int,
        weight: str | None,
        weights: CodedSeries | None,
    ) -> tuple[CodedSeries, IntArray, list[str]]:
        """One aggregate region over all years: (values where complete, reason keys, reasons)."""
        members = self.agg.members[agg]
        sel = region_runs(values.keys, members)
        empty = np.array([], dtype=np.int64)
        if not len(sel):
            return CodedSeries.empty(), empty, []
        mk = values.keys[sel]
        mv = values.values[sel]
        if weight is not None:
            w = weights.at(mk) if weights is not None else np.full(len(mk), np.nan)
            ok = ~np.isnan(w)
        else:
            w = np.ones(len(mk))
            ok = np.ones(len(mk), dtype=bool)
        years, inv = np.unique(mk & YEAR_MASK, return_inverse=True)
        n_ok = np.bincount(inv, weights=ok.astype(np.float64), minlength=len(years))
        num = np.bincount(
            inv, weights=np.where(ok, mv * np.where(ok, w, 0.0), 0.0), minlength=len(years)
        )
        complete = n_ok == len(members)
        if weight is not None:
            den = np.bincount(inv, weights=np.where(ok, w, 0.0), minlength=len(years))
            complete &= den != 0
            num = np.divide(num, den, out=np.full(len(years), np.nan), where=den != 0)
        made = CodedSeries((agg << YEAR_BITS) | years[complete], num[complete])
        incomplete = years[~complete]
        if not len(incomplete):
            return made, empty, []
        texts = self._missing_members(sid, members, mk, mk[ok], incomplete, weight)
        return made, (agg << YEAR_BITS) | incomplete, texts

    def _missing_members(
        self,
        sid: str,
        members: IntArray,
        present: IntArray,
        present_w: IntArray,
        years: IntArray,
        weight: str | None,
    ) -> list[str]:
        """For each incomplete year of one aggregate: which members lack the value or the weight."""
        full = (members[None, :] << YEAR_BITS) | years[:, None]
        lacks_v = ~np.isin(full, present)
        lacks_w = ~np.isin(full, present_w) & ~lacks_v
        names = self.coded.regions
        texts: list[str] = []
        for i, y in enumerate(years.tolist()):
            parts = []
            miss = [names[m] for m in members[lacks_v[i]]]
            if miss:
                parts.append(f"no {sid} for {_names_text(miss)} in {y}")
            miss_w = [names[m] for m in members[lacks_w[i]]] if weight is not None else []
            if miss_w:
                parts.append(f"no {weight} for {_names_text(miss_w)} in {y}")
            texts.append("; ".join(parts) if parts else f"the {weight} weights add up to 0 in {y}")
        return texts

    # ---- formulas

    def _formula(self, ind: Indicator, observed: CodedSeries) -> CodedSeries:
        assert ind.formula is not None
        formula = parse(ind.formula)
        if formula.regions:
            return self._cross_region(ind, formula, observed)
        comps = sorted(formula.series)
        parts = {sid: self.series(sid) for sid in comps}
        keys = union_sorted([parts[c].keys for c in comps])
        # every component on one shared index: pandas then skips aligning millions of keys
        index = pd.Index(keys, dtype=np.int64)
        aligned = {c: pd.Series(parts[c].at(keys), index=index, copy=False) for c in comps}
        result = evaluate(formula, lambda sid, region: aligned[sid])
        if not isinstance(result, pd.Series):
            return observed  # a formula of constants only makes no series
        values = result.to_numpy(dtype=np.float64)
        ok = np.isfinite(values)
        at_observed = member_of(keys, observed.keys)
        new = CodedSeries(keys[ok & ~at_observed], values[ok & ~at_observed])
        # what the formula gives where the value is published: checked against it (_record)
        checked = CodedSeries(keys[ok & at_observed], values[ok & at_observed])
        self._formula_reasons(ind.id, formula, parts, observed, keys[~np.isfinite(values)])
        return self._record(ind.id, observed, new, self._formula_notes(formula, new.keys), checked)

    def _formula_notes(self, formula: Formula, keys: IntArray) -> IntArray:
        """'derived: Σ rd_expenditure / Σ gdp × 100 over 4 provinces' (Σ where a component was summed)."""
        comps = sorted(formula.series)
        flags = np.zeros(len(keys), dtype=np.int64)
        for i, sid in enumerate(comps):
            summed = self.summed.get(sid)
            if summed is not None:
                flags |= member_of(keys, summed).astype(np.int64) << i
        n_reg = len(self.coded.regions)
        group = flags * n_reg + np.where(flags > 0, keys >> YEAR_BITS, 0)
        uniq, inv = np.unique(group, return_inverse=True)
        codes = []
        for g in uniq.tolist():
            f, r = divmod(g, n_reg)
            text = formula.text
            for i, sid in enumerate(comps):
                if f >> i & 1:
                    text = re.sub(rf"\b{sid}\b(?!\s*\[)", f"Σ {sid}", text)
            note = DERIVED_PREFIX + _pretty(text)
            if f:
                note += over_words(self.agg.member_text.get(r, "members"))
            codes.append(self.note(note))
        return np.array(codes, dtype=np.int64)[inv] if len(keys) else np.array([], dtype=np.int64)

    def _formula_reasons(
        self,
        sid: str,
        formula: Formula,
        parts: Mapping[str, CodedSeries],
        observed: CodedSeries,
        failed: IntArray,
    ) -> None:
        """Where the formula has no value but some component has a value or a reason: say why."""
        extra = [
            np.asarray(self.reasons[c].index, dtype=np.int64) for c in parts if c in self.reasons
        ]
        cand = union_sorted([failed] + [np.unique(e) for e in extra]) if extra else failed
        cand = cand[~member_of(cand, observed.keys)]
        if not len(cand):
            return
        texts: list[list[str]] = [[] for _ in range(len(cand))]
        all_present = np.ones(len(cand), dtype=bool)
        for comp in sorted(parts):
            lacking = ~member_of(cand, parts[comp].keys)
            all_present &= ~lacking
            idx = np.flatnonzero(lacking)
            if not len(idx):
                continue
            own = self._reason_at(comp, cand[idx])
            plain = self._plain(comp, cand[idx])
            for i, why, default in zip(idx.tolist(), own.tolist(), plain, strict=True):
                texts[i].append(why if isinstance(why, str) else default)
        for i in np.flatnonzero(all_present).tolist():
            texts[i].append(f"{_pretty(formula.text)} divides by zero")
        self._add_reasons(sid, cand, ["; ".join(t) for t in texts])

    def _cross_region(self, ind: Indicator, formula: Formula, observed: CodedSeries) -> CodedSeries:
        """A formula comparing regions, evaluated at each of the indicator's scope regions."""
        made: list[CodedSeries] = []
        why_keys: list[int] = []
        why_texts: list[str] = []
        for scope in dict.fromkeys(ind.scope):
            code = self.coded.reg_code(scope)
            refs: dict[tuple[str, str], pd.Series] = {}

            def lookup(
                sid: str,
                region: str | None,
                _scope: str = scope,
                _refs: dict[tuple[str, str], pd.Series] = refs,
            ) -> pd.Series:
                rid = region or _scope
                _refs[(sid, rid)] = self._by_year(sid, rid)
                return _refs[(sid, rid)]

            result = evaluate(formula, lookup)
            if not isinstance(result, pd.Series):
                continue
            result = result.replace([np.inf, -np.inf], np.nan).dropna()
            years = np.asarray(result.index, dtype=np.int64)
            made.append(CodedSeries((code << YEAR_BITS) | years, result.to_numpy(dtype=np.float64)))
            for y in sorted({int(y) for s in refs.values() for y in s.index} - set(years.tolist())):
                parts = []
                for (sid, rid), s in sorted(refs.items()):
                    if y not in s.index:
                        text = f"no {sid} for {rid} in {y}"
                        own = self._reason_at(
                            sid, np.array([(self.coded.reg_code(rid) << YEAR_BITS) | y])
                        )[0]
                        parts.append(f"{text} ({own})" if isinstance(own, str) else text)
                why_keys.append((code << YEAR_BITS) | y)
                why_texts.append("; ".join(parts) or f"{_pretty(formula.text)} divides by zero")
        keys = np.array(why_keys, dtype=np.int64)
        keep = ~member_of(keys, observed.keys)
        self._add_reasons(
            ind.id, keys[keep], [t for t, k in zip(why_texts, keep.tolist(), strict=True) if k]
        )
        if not made:
            return observed
        new = made[0]
        for other in made[1:]:
            new = new.merge(other.select(~member_of(other.keys, new.keys)))
        notes = np.full(len(new), self.note(DERIVED_PREFIX + _pretty(formula.text)), dtype=np.int64)
        return self._record(ind.id, observed, new, notes)

    def _by_year(self, sid: str, region: str) -> pd.Series:
        s = self.series(sid)
        code = self.coded.reg_code(region)
        lo, hi = np.searchsorted(s.keys, [code << YEAR_BITS, (code + 1) << YEAR_BITS])
        return pd.Series(
            s.values[lo:hi], index=pd.Index(s.keys[lo:hi] & YEAR_MASK), dtype=np.float64
        )

    # ---- results

    def run(self) -> None:
        for sid in self.indicators:
            self.series(sid)

    def merged(self) -> Coded:
        """The coded observations with every derived row added, still sorted by key."""
        coded = self.coded
        codes = {sid: coded.add_indicator(sid) for sid in self.made}
        blocks = sorted(self.made.items(), key=lambda item: codes[item[0]])
        if not blocks:
            return Coded(
                coded.indicators,
                coded.regions,
                coded.key,
                coded.value,
                coded.row,
                coded.note,
                self.notes,
            )
        new_keys = np.concatenate([(codes[sid] << IND_SHIFT) | m.series.keys for sid, m in blocks])
        key, from_new = merge_sorted(coded.key, new_keys)

        def fill(old: NDArray[Any], new: NDArray[Any], dtype: Any) -> NDArray[Any]:
            out = np.empty(len(key), dtype=dtype)
            out[from_new] = new
            out[~from_new] = old
            return out

        return Coded(
            indicators=coded.indicators,
            regions=coded.regions,
            key=key,
            value=fill(
                coded.value, np.concatenate([m.series.values for _, m in blocks]), np.float64
            ),
            row=fill(coded.row, np.full(len(new_keys), -1, dtype=np.int64), np.int64),
            note=fill(coded.note, np.concatenate([m.notes for _, m in blocks]), np.int64),
            notes=self.notes,
        )

    def reason_frame(self) -> pd.DataFrame:
        frames = []
        names = np.array(self.coded.regions, dtype=object)
        for sid, why in self.reasons.items():
            keys = np.asarray(why.index, dtype=np.int64)
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": sid,
                        "region": names[keys >> YEAR_BITS],
                        "year": keys & YEAR_MASK,
                        "reason": why.to_numpy(dtype=object),
                    }
                )
            )
        if not frames:
            return _empty_reasons()
        out = pd.concat(frames, ignore_index=True)
        out = out.astype({"indicator": "str", "region": "str", "year": "Int64", "reason": "str"})
        return out.sort_values(["indicator", "region", "year"], ignore_index=True)


def _empty_reasons() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.Series([], dtype="str"),
            "region": pd.Series([], dtype="str"),
            "year": pd.Series([], dtype="Int64"),
            "reason": pd.Series([], dtype="str"),
        }
    )


# --------------------------------------------------------------------------- public API


def derive_coded(
    catalogue: CatalogueLike, regions: RegionsLike, coded: Coded
) -> tuple[Coded, pd.DataFrame]:
    """Coded observations → (coded observations with derived rows, reasons for missing aggregates)."""
    run = _Derivation(catalogue, regions, coded)
    run.run()
    return run.merged(), run.reason_frame()


def observed_rows(obs: pd.DataFrame) -> pd.DataFrame:
    """The observed rows only (a frame that went through derive() before loses its derived rows)."""
    if "derived" in obs.columns:
        obs = obs[~obs["derived"].fillna(False).astype(bool)]
    return obs.reset_index(drop=True)


@dataclass(frozen=True)
class Derived:
    """Values in force with the values the engine derives from them, made once (derive_all).

    The Tracker makes one per data version and hands it to every analysis, which would otherwise
    encode and derive the same observations again.
    """

    frame: pd.DataFrame  # observed rows first (derived False), then the derived rows
    coded: Coded  # the same values coded; a derived row has row -1 and a note
    reasons: pd.DataFrame  # why a value could not be derived (REASON_COLUMNS)

    @property
    def observed(self) -> pd.DataFrame:
        """The observed rows of `frame`."""
        return observed_rows(self.frame)


def derive_all(catalogue: CatalogueLike, regions: RegionsLike, obs: pd.DataFrame) -> Derived:
    """Observations (derived rows, if any, are dropped first) → Derived, in one pass."""
    obs = observed_rows(obs)
    coded = encode(obs, regions.regions)
    merged, reasons = derive_coded(catalogue, regions, coded)
    return Derived(to_frame(merged, obs), merged, reasons)


def derived(catalogue: CatalogueLike, regions: RegionsLike, obs: pd.DataFrame | Derived) -> Derived:
    """`obs` as Derived: derived here when the caller has not derived it already."""
    return obs if isinstance(obs, Derived) else derive_all(catalogue, regions, obs)


def derive_with_reasons(
    catalogue: CatalogueLike, regions: RegionsLike, obs: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """derive() and missing_reasons() in one pass."""
    out = derive_all(catalogue, regions, obs)
    return out.frame, out.reasons


def to_frame(coded: Coded, source: pd.DataFrame) -> pd.DataFrame:
    """Observed rows of `source` (all columns kept, derived=False) followed by the derived rows."""
    # shallow: pandas copies on write, so the caller's frame stays untouched; a deep copy of
    # millions of rows took a third of this function's time at national scale
    observed = source.copy(deep=False)
    for col in OBSERVATION_COLUMNS:
        if col not in observed.columns:
            observed[col] = pd.NA
    # values are measurements: an all-integer column must not make derived ratios integers
    observed["value"] = observed["value"].astype("float64")
    observed["derived"] = False
    is_new = coded.row < 0
    if not is_new.any():
        return observed
    keys = coded.key[is_new]
    inds = np.array(coded.indicators, dtype=object)[keys >> IND_SHIFT]
    regs = np.array(coded.regions, dtype=object)[(keys >> YEAR_BITS) & ((1 << REGION_BITS) - 1)]
    notes = np.array(coded.notes, dtype=object)[coded.note[is_new]]
    new = pd.DataFrame(
        {
            "indicator": pd.array(inds, dtype="str"),
            "region": pd.array(regs, dtype="str"),
            "year": keys & YEAR_MASK,
            "value": coded.value[is_new],
            "unit": pd.NA,
            "note": pd.array(notes, dtype="str"),
            "import_id": pd.NA,
            "derived": True,
        }
    )
    if len(observed) == 0:
        out = new
    else:
        new = new.astype(
            {c: observed[c].dtype for c in ("year", "value") if c in observed}, errors="ignore"
        )
        out = pd.concat([observed, new], ignore_index=True)
    out["derived"] = out["derived"].astype(bool)
    return out


def derive(catalogue: CatalogueLike, regions: RegionsLike, obs: pd.DataFrame) -> pd.DataFrame:
    """Observations plus derived rows (`derived` True, `note` says how each was made)."""
    return derive_with_reasons(catalogue, regions, obs)[0]


def missing_reasons(
    catalogue: CatalogueLike, regions: RegionsLike, obs: pd.DataFrame
) -> pd.DataFrame:
    """Why aggregates/derived values could not be made: indicator, region, year, reason."""
    return derive_with_reasons(catalogue, regions, obs)[1]
