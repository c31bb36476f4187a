"""The shared words of the tracker: Indicator, Milestone, Region, Import, Observation.

The same names are used in code, CLI, dashboard and reports, as DESIGN.md uses them.
Models are frozen: the catalogue and the region registry are read once and never mutated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from targets.issues import Notice

Comparator = Literal[">=", ">", "<=", "<"]
Direction = Literal["higher_is_better", "lower_is_better"]
Basis = Literal["absolute", "change_from_base"]
Weight = Literal["population", "gdp", "area", "none"]
Nature = Literal["binding", "indicative"]
Level = Literal["region", "zone", "province", "city", "county"]
# where a goal is judged: only the regions the plan names (counts such as PCT applications), or
# also every province and city as a benchmark (rates and intensities such as R&D intensity)
Compare = Literal["scope_only", "all_regions"]

CATEGORIES: tuple[str, ...] = (
    "城乡区域协调",
    "科创产业",
    "基础设施",
    "生态环境",
    "公共服务",
    "科技创新共同体",
    "三年行动计划",
    "组成序列",  # component series (no goal of their own)
)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class I18n(Frozen):
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Source(Frozen):
    """Where a goal stands in the plans: document id (see Document), section, quote copied from the seed."""

    document: str
    section: str
    quote: str
    note: str | None = None


class Milestone(Frozen):
    """One goal of an indicator for one year; value None means the plan states it in words only."""

    year: int
    value: float | None = None
    comparator: Comparator | None = None
    basis: Basis = "absolute"
    base_year: int | None = None
    text: I18n
    sources: list[Source] = Field(min_length=1)
    # per-region goal values where the plan sets a different number for a region
    overrides: dict[str, float] = Field(default_factory=dict)

    @property
    def is_numeric(self) -> bool:
        return self.value is not None


class Document(Frozen):
    """A plan in seeds/: goals cite it by id; its issue date fixes the default baseline year."""

    id: str
    title: I18n
    issuer: str
    issued: date
    seed: str
    baseline_year: int


class Baseline(Frozen):
    year: int


class Indicator(Frozen):
    """A catalogue entry: a goal-bearing indicator, or a component series (no milestones)."""

    id: str
    name: I18n
    unit: I18n
    category: str
    direction: Direction | None = None
    scope: list[str] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    baseline: Baseline | None = None
    valid_range: tuple[float, float] | None = None
    decimals: int = 1
    synonyms: list[str] = Field(default_factory=list)
    formula: str | None = None
    weight: Weight | None = None
    nature: Nature | None = None
    compare: Compare = "all_regions"
    description: I18n | None = None

    @property
    def is_component(self) -> bool:
        return not self.milestones

    def milestone(self, year: int) -> Milestone | None:
        return next((m for m in self.milestones if m.year == year), None)


class Region(Frozen):
    id: str
    name: I18n
    level: Level
    aliases: list[str] = Field(default_factory=list)
    code: str | None = None
    parent: str | None = None
    members: list[str] = Field(default_factory=list)
    area_km2: float | None = None
    area_source: str | None = None
    # rough position for the tile-grid map: (column, row)
    grid: tuple[int, int] | None = None


class Import(Frozen):
    """One stored upload (a vintage)."""

    id: int
    file_name: str
    sha256: str
    sheets: str = ""
    layout: str = ""
    user: str = ""
    created_at: datetime
    rows: int = 0
    state: Literal["active", "reverted"] = "active"
    note: str = ""
    # what validation noted but did not refuse (e.g. a value outside its usual range), in both
    # languages
    warnings: list[Notice] = Field(default_factory=list)


# Columns of an observations frame, as the store returns them and the engine reads them.
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "year",
    "value",
    "unit",
    "note",
    "import_id",
    "flag",
)
# Their dtypes in such a frame (text as pandas' str, missing text as NaN).
OBSERVATION_DTYPES: dict[str, str] = {
    "indicator": "str",
    "region": "str",
    "year": "int64",
    "value": "float64",
    "unit": "str",
    "note": "str",
    "import_id": "int64",
    "flag": "str",  # targets.flags: prelim, approx, … ; missing (NaN) for a final value
}
