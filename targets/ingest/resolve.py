"""Names in a spreadsheet -> catalogue indicators and registry regions, each distinct name once.

The catalogue and the region registry are passed in (duck-typed by the protocols below) so the
readers and layout detection can be tested with tiny in-test objects.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from targets.ingest.values import normalise_text
from targets.models import Indicator, Region

_BRACKET_UNIT = re.compile(r"^(.*?)\s*[(（\[【]\s*([^()（）\[\]【】]*?)\s*[)）\]】]\s*$")
_YEAR_LABEL = re.compile(r"^((?:19|20)\d{2})(?:\.0+)?\s*(?:年|年度|年末|年底)?$")
MIN_YEAR, MAX_YEAR = 1949, 2100
# A title or sheet name naming part of a year (2023年1-6月, 上半年, 前三季度): its figures are
# not the year's (a half-year GDP is about half the annual one), and the goals are annual.
# 1-12月 is the whole year and 12月(末) its end, so those pass.
_MONTH_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*[-‐‑‒–—―~～至到]\s*(\d{1,2})\s*月")
_ONE_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*月")
_PART_WORDS = re.compile(r"半年|季度|[一二三四]季|前[一二三]季")
# A row (or column) that totals the regions listed beside it: 合计, 总计, 全省, 长三角合计 …
_TOTAL_WORDS = re.compile(
    r"(合计数|合计|总计|总和|总数|全域|全省|全市|\btotal\b|\ball\b)", re.IGNORECASE
)


class CatalogueLike(Protocol):
    @property
    def indicators(self) -> Mapping[str, Indicator]: ...

    def lookup(self, name: str) -> Indicator | None: ...

    def suggest(self, name: str) -> list[str]: ...


class RegionsLike(Protocol):
    def try_resolve(self, name: str) -> Region | None: ...

    def resolve(self, name: str) -> Region: ...


def split_unit(text: str) -> tuple[str, str | None]:
    """`研发经费投入强度（%）` -> ("研发经费投入强度", "%"); no bracket -> (text, None)."""
    m = _BRACKET_UNIT.match(text)
    if m and m.group(1):
        return m.group(1), m.group(2) or None
    return text, None


def parse_year(cell: Any) -> int | None:
    """2023, 2023.0, "2023", "2023年", "２０２３年度" -> 2023; anything else -> None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        if cell != cell or int(cell) != cell:
            return None
        year = int(cell)
    else:
        m = _YEAR_LABEL.match(normalise_text(str(cell)))
        if not m:
            return None
        year = int(m.group(1))
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def part_of_year(text: str) -> bool:
    """Whether a title names part of a year: 1-6月, 9月, 上半年, 一季度 (not 1-12月 or 12月)."""
    if _PART_WORDS.search(text):
        return True
    for m in _MONTH_RANGE.finditer(text):
        if (int(m.group(1)), int(m.group(2))) != (1, 12):
            return True
    rest = _MONTH_RANGE.sub("", text)
    return any(int(m.group(1)) != 12 for m in _ONE_MONTH.finditer(rest))


# What a title may say besides the indicator's name (see Resolver._title_says_only)
_TITLE_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_TITLE_YEARS = re.compile(r"(?:19|20)\d{2}\s*(?:年度|年末|年底|年)?")
_TITLE_FILLER = re.compile(
    "|".join(
        sorted(
            (
                "各省区市", "各省市", "各省份", "各省", "各城市", "各地市", "各市", "各地区", "各地",
                "分地区", "分省市", "分省", "分市", "按地区分", "按地区", "主要指标", "主要", "指标",
                "完成情况", "情况", "统计表", "统计", "数据", "资料", "一览表", "一览", "汇总表",
                "汇总", "续表", "续", "表", "历年", "年度", "年", "单位", "地区", "省份", "城市",
                "全省", "全市", "全国", "全社会", "的", "和", "及", "与", "by", "and", "of", "in", "the",
                "table", "main", "indicators", "province", "provinces", "region", "regions",
                "city", "cities",
            ),
            key=len,
            reverse=True,
        )
    )
)  # fmt: skip


@dataclass
class Resolver:
    """Cached lookups of indicator and region names, with suggestions for unknown ones."""

    catalogue: CatalogueLike
    regions: RegionsLike
    _ind: dict[str, Indicator | None] = field(default_factory=dict)
    _reg: dict[str, Region | None] = field(default_factory=dict)
    _names: list[tuple[str, str]] | None = None

    def indicator(self, name: str) -> Indicator | None:
        if name not in self._ind:
            self._ind[name] = self._lookup_indicator(name)
        return self._ind[name]

    def _lookup_indicator(self, name: str) -> Indicator | None:
        if not name:
            return None
        found = self.catalogue.lookup(name)
        if found is None:
            base, _unit = split_unit(name)
            if base != name:
                found = self.catalogue.lookup(base)
        return found

    def region(self, name: str) -> Region | None:
        if name not in self._reg:
            self._reg[name] = self.regions.try_resolve(name) if name else None
        return self._reg[name]

    def total_of(self, label: str, listed: set[str]) -> tuple[Region | None, bool]:
        """For a totals label, the region it totals, and whether the label says a total at all.

        `长三角合计` / `三省一市合计` name their region; a bare `合计` / `总计` / `全省` totals
        the regions listed beside it, so it is the region whose members (or cities) are exactly
        those. Anything else (a total of some members, 小计) is not a region: None.
        """
        core = _TOTAL_WORDS.sub("", label).strip(" :：-—()（）")
        if core == label or not label:
            return None, False
        if core:
            return self.region(core), True
        regions = getattr(self.regions, "regions", None)
        if not listed or not isinstance(regions, Mapping):
            return None, True
        found = [
            r
            for r in regions.values()
            if r.members and (set(r.members) == listed or self._city_ids(r.id) == listed)
        ]
        return (found[0], True) if len(found) == 1 else (None, True)

    def _city_ids(self, region_id: str) -> set[str]:
        cities_of = getattr(self.regions, "cities_of", None)
        if cities_of is None:
            return set()
        return {c.id for c in cities_of(region_id)}

    def indicator_suggestions(self, name: str) -> list[str]:
        try:
            return list(self.catalogue.suggest(name))[:3]
        except Exception:  # noqa: BLE001 - a suggestion is a courtesy, never a failure
            return []

    def region_suggestions(self, name: str) -> list[str]:
        try:
            self.regions.resolve(name)
        except Exception as exc:  # noqa: BLE001 - UnknownRegionError carries .suggestions
            return list(getattr(exc, "suggestions", []) or [])[:3]
        return []

    def indicator_in_text(self, text: str) -> Indicator | None:
        """The indicator a title names: exact, or the one whose longest name the text contains."""
        text = normalise_text(text)
        if not text:
            return None
        exact = self.indicator(text)
        if exact is not None:
            return exact
        squeezed = text.replace(" ", "").lower()
        if self._names is None:
            names: list[tuple[str, str]] = []
            for ind in self.catalogue.indicators.values():
                for n in (ind.name.zh, ind.name.en, *ind.synonyms):
                    key = normalise_text(n).replace(" ", "").lower()
                    if len(key) >= 2:
                        names.append((key, ind.id))
            self._names = sorted(names, key=lambda kv: -len(kv[0]))
        hits = [(k, i) for k, i in self._names if k in squeezed]
        # a hit inside a longer hit is part of that name (研发经费投入 inside 研发经费投入强度)
        kept = [(k, i) for k, i in hits if not any(k != k2 and k in k2 for k2, _ in hits)]
        ids = {i for _, i in kept}
        if len(ids) != 1:
            return None  # none, or a title naming two indicators: do not guess
        if not self._title_says_only(squeezed, [k for k, _ in kept]):
            return None
        return self.catalogue.indicators[ids.pop()]

    def _title_says_only(self, squeezed: str, names: list[str]) -> bool:
        """Whether a title says nothing but the indicator's name, years, units, a region and
        filler (各省市, 主要指标, 表3-1). Anything else qualifies the name into another series:
        户籍人口城镇化率 is not 城镇化率 (resident population), 地区生产总值增速 not GDP,
        规模以上工业企业研发投入强度 not the region's R&D intensity, 研发投入强度目标 a goal."""
        rest = squeezed
        for name in sorted(names, key=len, reverse=True):
            rest = rest.replace(name, " ")
        rest = _TITLE_BRACKETS.sub(" ", rest)
        rest = _TITLE_YEARS.sub(" ", rest)
        rest = _TITLE_FILLER.sub(" ", rest)
        words = [
            w
            for w in re.split(r"[\s\d\W_]+", rest)
            if w and not all(unicodedata.category(ch)[0] in "PSNZ" for ch in w)
        ]
        return all(self._only_regions(w) for w in words)

    def _only_regions(self, word: str) -> bool:
        """`长三角三省一市` -> True: the word is region names one after another (each of two
        characters or more: one-character abbreviations would swallow any word)."""
        while word:
            size = next(
                (k for k in range(len(word), 1, -1) if self.region(word[:k]) is not None), 0
            )
            if not size:
                return False
            word = word[size:]
        return True
