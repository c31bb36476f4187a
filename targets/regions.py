"""The region registry: the whole region, its zones, provinces, cities and counties, with aliases.

Read once from data/regions.yaml (yaml.safe_load), validated, and shared read-only: every name a
spreadsheet or a user may type resolves here to one region id, or fails with suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import ValidationError

from targets.config import default_regions_path
from targets.matching import closest
from targets.models import Region
from targets.names import normalize_name

# Suffixes a name may carry or omit: 江苏省 = 江苏, Hefei City = Hefei. Longest first, so that
# 自治区 goes before 区. Keys have no spaces, so "Jiangsu Province" arrives as "jiangsuprovince".
SUFFIXES: tuple[str, ...] = (
    "自治区",
    "省",
    "市",
    "区",
    "县",
    "municipality",
    "province",
    "district",
    "county",
    "city",
)
LEVEL_ORDER: tuple[str, ...] = ("region", "zone", "province", "city", "county")
_CODE = re.compile(r"^\d{6}$")
# a code as a spreadsheet cell may give it: 310000.0, or the 12-digit statistical code 310000000000
_CODE_LIKE = re.compile(r"^(\d{6})(?:\.0+|000000)?$")
MAX_SUGGESTIONS = 3


def _key(text: str) -> str:
    """A lookup key: normalised, punctuation dropped (`Huai'an` = `Huaian`, `suzhou_js` = `suzhoujs`)."""
    return "".join(
        ch for ch in normalize_name(text) if not unicodedata.category(ch).startswith("P")
    )


def _strip_suffix(key: str) -> str:
    """The key without one administrative suffix, or the key itself if none (or nothing would remain).

    `南京市区` keeps its 区: a city's 市区 (its urban districts, a yearbook row of its own) is not
    the city, and 南京市 left after taking 区 off would name the whole city.
    """
    for suffix in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            rest = key[: -len(suffix)]
            if suffix == "区" and rest.endswith("市"):
                return key
            return rest
    return key


def _lookup_keys(text: str) -> list[str]:
    """The keys to try for a typed name, most literal first."""
    key = _key(text)
    keys = [key, _strip_suffix(key)]
    m = _CODE_LIKE.match(normalize_name(text))
    if m:
        keys.append(m.group(1))
    return list(dict.fromkeys(k for k in keys if k))


class UnknownRegionError(LookupError):
    """A name that resolves to no region, or to more than one (`ambiguous`), with suggestions.

    `suggestions` are display strings (`苏州 (suzhou_js)`), `suggested_ids` the region ids.
    """

    def __init__(
        self,
        name: str,
        suggestions: Sequence[str] = (),
        *,
        suggested_ids: Sequence[str] = (),
        ambiguous: bool = False,
    ) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        self.suggested_ids = list(suggested_ids)
        self.ambiguous = ambiguous
        super().__init__(str(self))

    def __str__(self) -> str:
        head = (
            f"ambiguous region {self.name!r}" if self.ambiguous else f"unknown region {self.name!r}"
        )
        if not self.suggestions:
            return head
        return f"{head}; did you mean {', '.join(self.suggestions)}?"


class RegionRegistry:
    """Regions in display order, and every way of naming them.

    Display order: the whole region, the zones, the provinces, the cities by province, the
    counties (the order of data/regions.yaml, which validation enforces by level).
    """

    def __init__(
        self, regions: Sequence[Region], ambiguous: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        by_id: dict[str, Region] = {}
        for region in regions:
            if region.id in by_id:
                raise ValueError(f"region id {region.id!r} appears twice")
            by_id[region.id] = region
        # read-only: the registry is cached and shared by every caller in the process
        self.regions: Mapping[str, Region] = MappingProxyType(by_id)
        self._ambiguous: dict[str, list[str]] = {
            _key(k): list(v) for k, v in (ambiguous or {}).items()
        }
        _validate(self)
        self._index = self._build_index()
        self._suggest_keys = self._build_suggest_keys()

    def __reduce__(self) -> tuple[Any, ...]:
        # the mappings are read-only views, which pickle cannot copy: rebuild from the regions
        # (a child process that checks an upload gets the registry this way)
        return (type(self), (list(self.regions.values()), self._ambiguous))

    # -- building -----------------------------------------------------------------------------
    def _names_of(self, region: Region) -> list[str]:
        return [region.id, region.name.zh, region.name.en, *region.aliases] + (
            [region.code] if region.code else []
        )

    def _build_index(self) -> dict[str, str]:
        """key → region id; a key claimed by two regions is a data error, named in the message."""
        index: dict[str, str] = {}
        origin: dict[str, str] = {}
        for region in self.regions.values():
            for name in self._names_of(region):
                key = _key(name)
                if not key:
                    raise ValueError(f"region {region.id!r} has an empty name or alias {name!r}")
                owner = index.get(key)
                if owner is not None and owner != region.id:
                    raise ValueError(
                        f"duplicate alias {name!r}: used by both {owner!r} "
                        f"(as {origin[key]!r}) and {region.id!r}"
                    )
                if key in self._ambiguous:
                    raise ValueError(
                        f"alias {name!r} of {region.id!r} is listed as ambiguous "
                        f"({', '.join(self._ambiguous[key])})"
                    )
                index[key] = region.id
                origin.setdefault(key, name)
        # the suffix-less forms (南京市 → 南京) never shadow a literal name, and one claimed by
        # two regions resolves to neither: a guess would be worse than an error with suggestions
        stripped: dict[str, set[str]] = {}
        for key, rid in index.items():
            short = _strip_suffix(key)
            if short not in index:
                stripped.setdefault(short, set()).add(rid)
        index.update({k: next(iter(v)) for k, v in stripped.items() if len(v) == 1})
        return index

    def _build_suggest_keys(self) -> dict[str, list[str]]:
        """Keys worth suggesting: names and aliases, not one-character abbreviations or codes."""
        keys: dict[str, list[str]] = {}
        for key, rid in self._index.items():
            if len(key) > 1 and not key.isdigit():
                keys.setdefault(key, []).append(rid)
        for key, rids in self._ambiguous.items():
            keys.setdefault(key, []).extend(rids)
        return keys

    # -- lookups ------------------------------------------------------------------------------
    def __contains__(self, region_id: object) -> bool:
        return region_id in self.regions

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions.values())

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, region_id: str) -> Region:
        """The region with exactly this id (no aliases); UnknownRegionError otherwise."""
        region = self.regions.get(region_id)
        if region is None:
            raise self._unknown(region_id)
        return region

    def resolve(self, name: str) -> Region:
        """Any id, name, alias or code, with or without 省/市/区/县/Province/City, full-width or not."""
        found = self._find(name)
        if found is None:
            raise self._unknown(str(name))
        return found

    def try_resolve(self, name: str) -> Region | None:
        """Like resolve, but None for an unknown or ambiguous name (and no suggestions made: the
        layout detector asks this of every header cell, long texts included)."""
        try:
            return self._find(name)
        except UnknownRegionError:
            return None

    def _find(self, name: str) -> Region | None:
        """The region a name means; None when unknown; UnknownRegionError when ambiguous."""
        for key in _lookup_keys(name):
            rid = self._index.get(key)
            if rid is not None:
                return self.regions[rid]
            if key in self._ambiguous:
                ids = self._ambiguous[key]
                raise UnknownRegionError(
                    str(name), [self._label(r) for r in ids], suggested_ids=ids, ambiguous=True
                )
        return None

    def suggest(self, name: str) -> list[str]:
        """Ids of the regions whose names are closest to a mistyped one (best first, at most 3)."""
        ids: list[str] = []
        # every key of a region is a candidate; keep the closest keys' regions, in order
        for cand in closest(_key(name), self._suggest_keys, n=len(self._suggest_keys)):
            ids.extend(r for r in self._suggest_keys[cand] if r not in ids)
        return ids[:MAX_SUGGESTIONS]

    def _label(self, region_id: str) -> str:
        return f"{self.regions[region_id].name.zh} ({region_id})"

    def _unknown(self, name: str) -> UnknownRegionError:
        ids = self.suggest(name)
        return UnknownRegionError(name, [self._label(r) for r in ids], suggested_ids=ids)

    # -- structure ----------------------------------------------------------------------------
    def _level(self, level: str) -> list[Region]:
        return [r for r in self.regions.values() if r.level == level]

    def provinces(self) -> list[Region]:
        return self._level("province")

    def zones(self) -> list[Region]:
        return self._level("zone")

    def is_city(self, region_id: str) -> bool:
        """City level: a prefecture-level city, or a province-level city without members (Shanghai)."""
        region = self.get(region_id)
        return region.level == "city" or (region.level == "province" and not region.members)

    def cities(self, province_id: str | None = None) -> list[Region]:
        """The city-level regions (the 41, Shanghai included), or those of one province."""
        if province_id is not None:
            province = self.get(province_id)
            if province.level != "province":
                raise ValueError(f"{province_id!r} is a {province.level}, not a province")
            return self.cities_of(province_id)
        return [r for r in self.regions.values() if self.is_city(r.id)]

    def members(self, region_id: str) -> list[str]:
        """Direct members' ids: yrd → the provinces, a province → its cities, a zone → its members."""
        return list(self.get(region_id).members)

    def cities_of(self, region_id: str) -> list[Region]:
        """The city-level regions covering a region: itself for a city, a county's city, else its members'."""
        region = self.get(region_id)
        if self.is_city(region_id):
            return [region]
        if region.level == "county":
            return self.cities_of(region.parent or "")
        out: list[Region] = []
        for member in region.members:
            out.extend(c for c in self.cities_of(member) if c not in out)
        return out

    def within(self, region_ids: Iterable[str]) -> frozenset[str]:
        """The regions and every region inside them: their members, the members' members, and
        the counties of their cities (an editor limited to Anhui may give Hefei's values)."""
        found: set[str] = set()
        todo = [self.get(r).id for r in region_ids]
        children: dict[str, list[str]] = {}
        for region in self.regions.values():
            if region.parent:
                children.setdefault(region.parent, []).append(region.id)
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            todo += self.get(current).members
            todo += children.get(current, [])
        return frozenset(found)

    def name(self, region_id: str, lang: str = "zh") -> str:
        """The region's name in `lang` (zh or en); an unknown id is returned as it is."""
        region = self.regions.get(region_id)
        return region.name.get(lang) if region else region_id


def _validate(reg: RegionRegistry) -> None:
    """Structure checks; each failure is a ValueError naming the region and what is wrong."""
    regions = reg.regions
    ranks = [LEVEL_ORDER.index(r.level) for r in regions.values()]
    if ranks != sorted(ranks):
        raise ValueError(
            "regions must be listed by level: region, zones, provinces, cities, counties"
        )
    if len([r for r in regions.values() if r.level == "region"]) != 1:
        raise ValueError("there must be exactly one region of level 'region' (the whole region)")
    for region in regions.values():
        where = f"region {region.id!r}"
        if region.id != region.id.strip().lower() or not region.id:
            raise ValueError(f"{where}: the id must be a lowercase slug")
        if region.code is not None and not _CODE.match(region.code):
            raise ValueError(f"{where}: code {region.code!r} is not a 6-digit GB/T 2260 code")
        if region.area_km2 is not None and not region.area_source:
            raise ValueError(f"{where}: area_km2 needs an area_source")
        if region.parent is not None and region.parent not in regions:
            raise ValueError(f"{where}: unknown parent {region.parent!r}")
        if region.level in ("province", "city", "county", "zone") and region.parent is None:
            raise ValueError(f"{where}: a {region.level} needs a parent")
        for member in region.members:
            if member not in regions:
                raise ValueError(f"{where}: unknown member {member!r}")
        if len(set(region.members)) != len(region.members):
            raise ValueError(f"{where}: a member is listed twice")
        # a region's members (zones aside, which cut across provinces) are the regions whose
        # parent it is, and the other way round; cities do not list counties (only three are here)
        if region.level in ("region", "province"):
            for member in region.members:
                if regions[member].parent != region.id:
                    raise ValueError(
                        f"{where}: member {member!r} has parent {regions[member].parent!r}"
                    )
        if region.level == "city" and region.parent is not None:
            parent = regions[region.parent]
            if region.id not in parent.members:
                raise ValueError(f"{where}: its parent {parent.id!r} does not list it as a member")
    for key, ids in reg._ambiguous.items():
        for rid in ids:
            if rid not in regions:
                raise ValueError(f"ambiguous name {key!r}: unknown region {rid!r}")
    seen: dict[tuple[int, int], str] = {}
    for region in regions.values():
        if region.grid is None:
            continue
        if region.grid in seen:
            raise ValueError(
                f"regions {seen[region.grid]!r} and {region.id!r} share grid tile {region.grid}"
            )
        seen[region.grid] = region.id


def _parse(path: Path) -> RegionRegistry:
    with path.open(encoding="utf-8") as fh:
        # SafeLoader's construction in C where libyaml is present: the same data, 10x sooner
        data: Any = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise ValueError(f"{path}: expected a mapping with a 'regions' list")
    regions: list[Region] = []
    for i, entry in enumerate(data["regions"]):
        label = entry.get("id", f"#{i + 1}") if isinstance(entry, dict) else f"#{i + 1}"
        try:
            regions.append(Region.model_validate(entry))
        except ValidationError as exc:
            raise ValueError(f"{path}: region {label!r}: {exc}") from exc
    ambiguous = data.get("ambiguous") or {}
    if not isinstance(ambiguous, dict):
        raise ValueError(f"{path}: 'ambiguous' must map a name to region ids")
    try:
        return RegionRegistry(regions, ambiguous)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> RegionRegistry:
    return _parse(path)


def load_regions(path: Path | str | None = None) -> RegionRegistry:
    """The registry from `path` (default: config.default_regions_path()), read once per path."""
    return _load_cached(Path(path or default_regions_path()).resolve())
