"""targets/catalogue.py and indicators.yaml: the goals as the plans word them, lookup, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from targets.catalogue import (
    Catalogue,
    CatalogueError,
    CatalogueProblem,
    load_catalogue,
    validate_catalogue,
)
from targets.issues import CODES
from targets.models import CATEGORIES
from tests.conftest import ROOT, require

CATALOGUE = ROOT / "indicators.yaml"
FIXTURES = Path(__file__).resolve().parent / "data" / "catalogue"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REGION_IDS = {"yrd", "central_zone", "demo_zone", "shanghai", "jiangsu", "zhejiang", "anhui"}

OUTLINE_GOALS = {
    "urban_rural_income_ratio",
    "gdp_per_capita_ratio",
    "urbanization_rate",
    "rd_intensity",
    "st_progress_contribution",
    "high_tech_output_share",
    "railway_density",
    "expressway_density",
    "coverage_5g",
    "pm25_concentration",
    "good_air_days_ratio",
    "cross_border_water_quality",
    "energy_intensity",
    "public_expenditure_per_capita",
    "schooling_years",
    "life_expectancy",
}
ST_GOALS = {
    "rd_intensity",
    "intl_coauthored_papers",
    "invention_patents_per_10k",
    "pct_applications",
    "cross_province_patent_coapplications",
    "cross_province_patent_transfers",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(CATALOGUE)


def line_of(text: str, marker: str) -> int:
    """1-based line of the only occurrence of marker in text."""
    assert text.count(marker) == 1, f"marker {marker!r} is not unique"
    return text[: text.index(marker)].count("\n") + 1


def goals_of(cat: Catalogue, document: str, year: int = 2025) -> set[str]:
    return {
        i.id
        for i in cat.goals()
        for m in i.milestones
        if m.year == year and any(s.document == document for s in m.sources)
    }


# ---------------------------------------------------------------- the real catalogue


def test_real_catalogue_is_clean() -> None:
    assert validate_catalogue(CATALOGUE) == []
    assert validate_catalogue(CATALOGUE, region_ids=REGION_IDS) == []


def test_real_catalogue_against_the_region_registry() -> None:
    regions = pytest.importorskip("targets.regions")
    ids = set(regions.load_regions().regions)
    assert validate_catalogue(CATALOGUE, region_ids=ids) == []


def test_documents_and_baseline_years(cat: Catalogue) -> None:
    docs = {d.id: (d.issued.isoformat(), d.baseline_year, d.seed) for d in cat.documents.values()}
    assert docs == {
        "outline": ("2019-12-01", 2018, "001_bf7f4692ddf9924a.txt"),
        "st_community": ("2020-12-20", 2019, "002_1c4a45afbc0492a6.txt"),
        "action_plan_2024": ("2024-07-25", 2023, "004_9fca3d7cf15168d2.txt"),
    }
    assert (
        cat.baseline_year(cat["urbanization_rate"], cat["urbanization_rate"].milestones[0]) == 2018
    )
    assert cat.baseline_year(cat["pct_applications"], cat["pct_applications"].milestones[0]) == 2019
    # a goal in both plans takes the earlier baseline
    assert cat.baseline_year(cat["rd_intensity"], cat["rd_intensity"].milestones[0]) == 2018
    assert cat.baseline_year("tasks_market") == 2023
    with pytest.raises(ValueError, match="no milestones"):
        cat.baseline_year("gdp")


def test_all_goals_of_both_plans(cat: Catalogue) -> None:
    assert goals_of(cat, "outline") == OUTLINE_GOALS
    assert goals_of(cat, "st_community") == ST_GOALS
    rd = cat["rd_intensity"].milestone(2025)
    assert rd is not None
    assert [s.document for s in rd.sources] == ["outline", "st_community"]
    assert all(s.note and '">"' in s.note for s in rd.sources)
    assert "stricter" in (rd.sources[0].note or "")
    # one indicator for R&D intensity, not two
    assert sum(1 for i in cat if "研发投入强度" in i.name.zh) == 1


def test_three_year_plan_tasks(cat: Catalogue) -> None:
    tasks = [i for i in cat if i.category == "三年行动计划"]
    assert [i.milestones[0].value for i in tasks] == [20, 20, 25, 23, 22, 17, 10, 15, 13]
    assert sum(i.milestones[0].value or 0 for i in tasks) == 165
    for task in tasks:
        (m,) = task.milestones
        assert (m.year, m.comparator, m.basis) == (2026, ">=", "absolute")
        assert (task.scope, task.compare, task.direction) == (
            ["yrd"],
            "scope_only",
            "higher_is_better",
        )
        assert m.sources[0].document == "action_plan_2024"
        assert task.valid_range == (0, m.value)
    assert tasks[0].name.zh.endswith("加强长三角科技创新跨区域协同")
    assert tasks[-1].name.zh.endswith("着力提升安全发展能力")


@pytest.mark.parametrize(
    ("indicator", "value", "comparator", "scope", "direction"),
    [
        ("urban_rural_income_ratio", 2.2, "<=", ["central_zone"], "lower_is_better"),
        ("gdp_per_capita_ratio", 1.2, "<=", ["central_zone"], "lower_is_better"),
        ("urbanization_rate", 70, ">=", ["yrd"], "higher_is_better"),
        ("rd_intensity", 3, ">", ["yrd"], "higher_is_better"),
        ("st_progress_contribution", 65, ">=", ["yrd"], "higher_is_better"),
        ("high_tech_output_share", 18, ">=", ["yrd"], "higher_is_better"),
        ("railway_density", 507, ">=", ["yrd"], "higher_is_better"),
        ("expressway_density", 5, ">=", ["yrd"], "higher_is_better"),
        ("coverage_5g", 80, ">=", ["yrd"], "higher_is_better"),
        ("pm25_concentration", 35, "<=", ["yrd"], "lower_is_better"),
        ("good_air_days_ratio", 80, ">=", ["yrd"], "higher_is_better"),
        ("cross_border_water_quality", 80, ">=", ["yrd"], "higher_is_better"),
        ("energy_intensity", -10, "<=", ["yrd"], "lower_is_better"),
        ("public_expenditure_per_capita", 21000, ">=", ["yrd"], "higher_is_better"),
        ("schooling_years", 11.5, ">=", ["yrd"], "higher_is_better"),
        ("life_expectancy", 79, ">=", ["yrd"], "higher_is_better"),
        ("intl_coauthored_papers", 25000, ">=", ["yrd"], "higher_is_better"),
        ("invention_patents_per_10k", 35, ">=", ["yrd"], "higher_is_better"),
        ("pct_applications", 30000, ">=", ["yrd"], "higher_is_better"),
        ("cross_province_patent_coapplications", 3500, ">=", ["yrd"], "higher_is_better"),
        ("cross_province_patent_transfers", 15000, ">", ["yrd"], "higher_is_better"),
    ],
)
def test_2025_goals_as_worded(
    cat: Catalogue, indicator: str, value: float, comparator: str, scope: list[str], direction: str
) -> None:
    ind = cat[indicator]
    m = ind.milestone(2025)
    assert m is not None
    assert (m.value, m.comparator, ind.scope, ind.direction) == (
        value,
        comparator,
        scope,
        direction,
    )


def test_special_cases(cat: Catalogue) -> None:
    energy = cat["energy_intensity"].milestone(2025)
    assert energy is not None
    assert (energy.basis, energy.base_year, energy.value) == ("change_from_base", 2017, -10)
    pm = cat["pm25_concentration"].milestone(2025)
    assert pm is not None and "GB 3095-2012" in (pm.sources[0].note or "")
    assert cat["pm25_concentration"].unit.en == "μg/m³"
    ratio = cat["gdp_per_capita_ratio"]
    assert ratio.formula == "gdp_per_capita[central_zone] / gdp_per_capita[yrd]"
    f = cat.formula("gdp_per_capita_ratio")
    assert f is not None and f.regions == {"central_zone", "yrd"}
    assert cat["gdp_per_capita"].formula == "gdp / population * 10000"
    assert cat["public_expenditure_per_capita"].unit.zh == "元/人"
    assert cat["public_expenditure_per_capita"].decimals == 0
    assert cat["urban_rural_income_ratio"].compare == "all_regions"
    assert cat["pct_applications"].compare == "scope_only"
    assert cat["rd_intensity"].compare == "all_regions"


def test_formulas_as_specified(cat: Catalogue) -> None:
    assert {i.id: i.formula for i in cat if i.formula} == {
        "gdp_per_capita_ratio": "gdp_per_capita[central_zone] / gdp_per_capita[yrd]",
        "urbanization_rate": "urban_population / population * 100",
        "rd_intensity": "rd_expenditure / gdp * 100",
        "high_tech_output_share": "high_tech_output / industrial_output * 100",
        "railway_density": "railway_km / land_area * 10000",
        "expressway_density": "expressway_km / land_area * 100",
        "public_expenditure_per_capita": "public_budget_expenditure / population * 10000",
        "invention_patents_per_10k": "valid_invention_patents / population",
        "gdp_per_capita": "gdp / population * 10000",
    }
    # what has no formula and does not add up says how it aggregates
    for ind_id in ("life_expectancy", "schooling_years"):
        assert cat[ind_id].weight == "population"
    # ratios and city means whose regional value provinces cannot reproduce: never averaged
    for ind_id in ("urban_rural_income_ratio", "pm25_concentration", "good_air_days_ratio"):
        assert cat[ind_id].weight == "none"


def test_every_goal_is_complete(cat: Catalogue) -> None:
    for ind in cat.goals():
        assert ind.direction is not None and ind.scope, ind.id
        assert ind.category in CATEGORIES[:-1], ind.id
        assert ind.valid_range is not None, ind.id
        for m in ind.milestones:
            assert m.text.zh and m.text.en, ind.id
            assert (m.value is None) == (m.comparator is None), ind.id
            for s in m.sources:
                assert "\n" not in s.quote and s.section, ind.id
    # the Outline's and the S&T plan's goals have their 2035 goal in words
    for ind_id in OUTLINE_GOALS | ST_GOALS:
        m2035 = cat[ind_id].milestone(2035)
        assert m2035 is not None and m2035.value is None and m2035.comparator is None, ind_id
    assert cat.milestone_years() == [2025, 2026]


def test_components(cat: Catalogue) -> None:
    ids = [i.id for i in cat.components()]
    for needed in (
        "gdp",
        "population",
        "urban_population",
        "rd_expenditure",
        "railway_km",
        "expressway_km",
        "land_area",
        "public_budget_expenditure",
        "urban_disposable_income",
        "rural_disposable_income",
        "high_tech_output",
        "industrial_output",
        "energy_consumption",
        "gdp_per_capita",
    ):
        assert needed in ids
    assert all(i.category == "组成序列" and i.direction is None for i in cat.components())
    assert len(cat.goals()) == 16 + 5 + 9
    assert len(cat) == len(cat.goals()) + len(cat.components())
    assert [i.id for i in cat][0] == "urban_rural_income_ratio"


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_quote_is_in_its_seed(cat: Catalogue) -> None:
    require(SEEDS.is_dir(), f"seed texts not found at {SEEDS}")
    seeds = {
        d.id: _squash((SEEDS / d.seed).read_text(encoding="utf-8")) for d in cat.documents.values()
    }
    quotes = 0
    for ind in cat:
        for m in ind.milestones:
            for s in m.sources:
                assert _squash(s.quote) in seeds[s.document], f"{ind.id} {m.year}: {s.quote}"
                quotes += 1
    assert quotes >= 16 + 6 + 9


def test_line_of(cat: Catalogue) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert cat.line_of("rd_intensity") == line_of(text, "  - id: rd_intensity\n")
    assert cat.line_of("gdp") == line_of(text, "  - id: gdp\n")


# ---------------------------------------------------------------- lookup and suggest


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("研发投入强度", "rd_intensity"),
        ("研发经费投入强度", "rd_intensity"),
        ("R&D经费投入强度", "rd_intensity"),
        ("r&d intensity", "rd_intensity"),
        ("ＲＤ_ＩＮＴＥＮＳＩＴＹ", "rd_intensity"),  # full-width id
        ("Ｒ＆Ｄ经费投入强度（％）", "rd_intensity"),  # full-width with a unit in brackets
        ("研发投入强度(%)", "rd_intensity"),
        ("  研发 投入 强度 ", "rd_intensity"),
        ("城镇化率", "urbanization_rate"),
        ("常住人口城镇化率（%）", "urbanization_rate"),
        ("地区生产总值（亿元）", "gdp"),
        ("GDP", "gdp"),
        ("人均GDP（元）", "gdp_per_capita"),
        ("细颗粒物（PM2.5）平均浓度", "pm25_concentration"),  # brackets inside the name stay
        ("细颗粒物(PM2.5)平均浓度(微克/立方米)", "pm25_concentration"),
        ("PM2.5年均浓度", "pm25_concentration"),
        ("人均期望寿命", "life_expectancy"),
        ("人均预期寿命（岁）", "life_expectancy"),
    ],
)
def test_lookup(cat: Catalogue, name: str, expected: str) -> None:
    found = cat.lookup(name)
    assert found is not None and found.id == expected


def test_lookup_misses(cat: Catalogue) -> None:
    assert cat.lookup("研发") is None
    assert cat.lookup("") is None
    assert cat.lookup("（%）") is None


def test_suggest(cat: Catalogue) -> None:
    assert cat.suggest("城镇化")[0] == "城镇化率"
    assert "研发投入强度" in cat.suggest("研发投入强度率")
    suggestions = cat.suggest("R&D intensty（%）")
    assert suggestions[0] == "R&D intensity"
    assert len(cat.suggest("人均", n=2)) <= 2
    assert cat.suggest("完全无关的东西") == []
    # one suggestion per indicator
    found = [cat.lookup(s) for s in cat.suggest("研发经费投入强", n=5)]
    ids = [f.id for f in found if f is not None]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- located errors


def test_problem_str_and_error() -> None:
    p = CatalogueProblem("indicators.yaml", 12, "catalogue-schema", "x: bad")
    assert str(p) == "indicators.yaml:12: x: bad"
    err = CatalogueError([p])
    assert err.problems == [p]
    assert str(err) == "indicators.yaml:12: x: bad"


def test_minimal_fixture() -> None:
    cat = load_catalogue(FIXTURES / "minimal.yaml", region_ids={"yrd"})
    assert [i.id for i in cat.goals()] == ["rd_intensity", "energy_intensity"]
    assert [i.id for i in cat.components()] == ["gdp", "rd_expenditure"]
    assert cat.baseline_year(cat["energy_intensity"], cat["energy_intensity"].milestones[0]) == 2017
    assert cat.milestone_years() == [2025, 2030]
    assert cat.lookup("研发经费投入强度（％）") is cat["rd_intensity"]
    assert cat.path == FIXTURES / "minimal.yaml"


def test_invalid_fixture_reports_every_problem() -> None:
    """One fixture that triggers every check (frictionless style): line and code pinned."""
    path = FIXTURES / "invalid.yaml"
    problems = validate_catalogue(path, region_ids={"yrd"})
    assert [(p.line, p.code) for p in problems] == [
        (9, "catalogue-duplicate-id"),
        (17, "catalogue-schema"),  # milestones but no direction
        (24, "catalogue-schema"),  # numeric value without comparator
        (27, "catalogue-schema"),  # unknown source document
        (29, "catalogue-schema"),  # unknown key
        (36, "catalogue-unknown-region"),
        (39, "catalogue-out-of-range"),
        (45, "catalogue-unknown-series"),
        (54, "catalogue-schema"),  # missing sources: the milestone's line
        (55, "catalogue-schema"),  # value of the wrong type
        (59, "catalogue-duplicate-id"),
    ]
    assert all(p.code in CODES for p in problems)
    assert all(str(p).startswith(f"{path}:{p.line}: ") for p in problems)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, region_ids={"yrd"})
    assert info.value.problems == problems


# Each break: (replace this, with this, code, message substring, marker of the expected line).
# The marker is looked up in the broken text, so the tests follow the file as it grows.
BREAKS = {
    "yaml-syntax": (
        "  - id: urbanization_rate\n",
        "  - id: urbanization_rate: oops\n",
        "catalogue-yaml",
        "YAML syntax: mapping values are not allowed",
        "  - id: urbanization_rate: oops\n",
    ),
    "unknown-key": (
        "    formula: railway_km / land_area * 10000\n",
        "    formula: railway_km / land_area * 10000\n    colour: red\n",
        "catalogue-schema",
        "railway_density: unknown key 'colour' (allowed: id, name, unit",
        "    colour: red\n",
    ),
    "unknown-milestone-key": (
        "        value: 507\n",
        "        value: 507\n        valu: 508\n",
        "catalogue-schema",
        "railway_density: milestones[0]: unknown key 'valu' (allowed: year, value, comparator",
        "        valu: 508\n",
    ),
    "wrong-type": (
        "        value: 507\n",
        "        value: lots\n",
        "catalogue-schema",
        "railway_density: milestones[0].value: Input should be a valid number",
        "        value: lots\n",
    ),
    "wrong-comparator": (
        '        value: 507\n        comparator: ">="\n',
        '        value: 507\n        comparator: "=>"\n',
        "catalogue-schema",
        "railway_density: milestones[0].comparator: Input should be '>=', '>', '<=' or '<'",
        '        comparator: "=>"\n',
    ),
    "missing-source": (
        "        sources:\n          - document: st_community\n            section: 一、（四）发展目标\n"
        "            quote: PCT国际专利申请量达到 3万件\n"
        "            note: 3万件 stored as 30000 applications\n",
        "",
        "catalogue-schema",
        "pct_applications: milestones[0].sources: required key is missing",
        "      - year: 2025\n        value: 30000\n",
    ),
    "empty-sources": (
        "        sources:\n          - document: st_community\n            section: 一、（四）发展目标\n"
        "            quote: PCT国际专利申请量达到 3万件\n            note: 3万件 stored as 30000 applications\n",
        "        sources: []\n",
        "catalogue-schema",
        "pct_applications: milestones[0].sources: List should have at least 1 item",
        "        sources: []\n",
    ),
    "unknown-series": (
        "    formula: rd_expenditure / gdp * 100\n",
        "    formula: rd_spending / gdp * 100\n",
        "catalogue-unknown-series",
        "rd_intensity: formula names unknown series 'rd_spending' (did you mean 'rd_expenditure'?)",
        "    formula: rd_spending / gdp * 100\n",
    ),
    "bad-formula": (
        "    formula: rd_expenditure / gdp * 100\n",
        "    formula: __import__('os').system('x')\n",
        "catalogue-schema",
        "rd_intensity: formula \"__import__('os').system('x')\": a function call is not allowed",
        "    formula: __import__",
    ),
    "formula-cycle": (
        "    formula: gdp / population * 10000\n",
        "    formula: gdp_per_capita_ratio * 2\n",
        "catalogue-schema",
        # reported once, at the cycle's first member in file order
        "gdp_per_capita_ratio: formula refers back to itself "
        "(gdp_per_capita_ratio -> gdp_per_capita -> gdp_per_capita_ratio)",
        "    formula: gdp_per_capita[central_zone] / gdp_per_capita[yrd]\n",
    ),
    "out-of-range": (
        "        value: 70\n",
        "        value: 170\n",
        "catalogue-out-of-range",
        "urbanization_rate: milestones[0] (2025): value 170 is outside valid_range [0, 100]",
        "        value: 170\n",
    ),
    "unknown-region": (
        "    scope: [central_zone]\n    compare: all_regions\n",
        "    scope: [centre_zone]\n    compare: all_regions\n",
        "catalogue-unknown-region",
        "urban_rural_income_ratio: scope names unknown region 'centre_zone'",
        "    scope: [centre_zone]\n",
    ),
    "unknown-formula-region": (
        "gdp_per_capita[central_zone] / gdp_per_capita[yrd]\n",
        "gdp_per_capita[middle] / gdp_per_capita[yrd]\n",
        "catalogue-unknown-region",
        "gdp_per_capita_ratio: formula names unknown region 'middle'",
        "gdp_per_capita[middle]",
    ),
    "unknown-document": (
        "            section: 一、（四）发展目标\n            quote: 研发投入强度超过 3%\n",
        "            section: 一、（四）发展目标\n            quote: 研发投入强度超过 3%\n"
        "          - document: st_plan\n            section: x\n            quote: x\n",
        "catalogue-schema",
        "rd_intensity: milestones[0] (2025): source document 'st_plan' is not in documents (known: outline, st_community, action_plan_2024)",
        "          - document: st_plan\n",
    ),
    "duplicate-id": (
        "  - id: expressway_density\n",
        "  - id: railway_density\n",
        "catalogue-duplicate-id",
        "duplicate indicator id 'railway_density' (first at line",
        "  - id: railway_density\n    name:\n      zh: 高速公路密度\n",
    ),
    "duplicate-synonym": (
        "      - 高速公路网密度\n",
        "      - 铁路密度\n",
        "catalogue-duplicate-id",
        "expressway_density: name '铁路密度' is already a name of 'railway_density'",
        "      - 铁路密度\n      - expressway",
    ),
    "duplicate-yaml-key": (
        "        value: 507\n",
        "        value: 507\n        value: 508\n",
        "catalogue-yaml",
        "duplicate key 'value'",
        "        value: 508\n",
    ),
    "no-comparator": (
        '        value: 507\n        comparator: ">="\n',
        "        value: 507\n",
        "catalogue-schema",
        "railway_density: milestones[0] (2025): value 507 has no comparator",
        "        value: 507\n",
    ),
    "no-direction": (
        "    category: 城乡区域协调\n    direction: higher_is_better\n",
        "    category: 城乡区域协调\n",
        "catalogue-schema",
        "urbanization_rate: has milestones but no direction",
        "  - id: urbanization_rate\n",
    ),
    "comparator-against-direction": (
        '        value: 35\n        comparator: "<="\n',
        '        value: 35\n        comparator: ">="\n',
        "catalogue-schema",
        "pm25_concentration: milestones[0] (2025): comparator '>=' contradicts direction lower_is_better",
        '        comparator: ">="\n        text:\n          zh: 细颗粒物',
    ),
    "change-without-base-year": (
        "        base_year: 2017\n",
        "",
        "catalogue-schema",
        "energy_intensity: milestones[0] (2025): basis change_from_base needs a base_year",
        "        basis: change_from_base\n",
    ),
    "unknown-category": (
        "    category: 基础设施\n    direction: higher_is_better\n    scope: [yrd]\n    compare: all_regions\n"
        "    milestones:\n      - year: 2025\n        value: 507\n",
        "    category: 交通\n    direction: higher_is_better\n    scope: [yrd]\n    compare: all_regions\n"
        "    milestones:\n      - year: 2025\n        value: 507\n",
        "catalogue-schema",
        "railway_density: category '交通' is not one of: 城乡区域协调, 科创产业",
        "    category: 交通\n",
    ),
    "document-missing-key": (
        "    seed: 002_1c4a45afbc0492a6.txt\n",
        "",
        "catalogue-schema",
        "st_community: seed: required key is missing",
        "  - id: st_community\n",
    ),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_broken_copy(case: str, tmp_path: Path) -> None:
    old, new, code, message, marker = BREAKS[case]
    text = CATALOGUE.read_text(encoding="utf-8")
    assert old in text, f"{case}: the text to break is no longer in indicators.yaml"
    broken = text.replace(old, new, 1)
    path = tmp_path / "indicators.yaml"
    path.write_text(broken, encoding="utf-8")
    problems = validate_catalogue(path, region_ids=REGION_IDS)
    assert len(problems) == 1, "\n".join(map(str, problems))
    (problem,) = problems
    assert problem.code == code
    assert message in problem.message
    assert problem.line == line_of(broken, marker)
    assert str(problem) == f"{path}:{problem.line}: {problem.message}"
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, region_ids=REGION_IDS)
    assert info.value.problems == problems


def test_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    path = tmp_path / "indicators.yaml"
    path.write_text(
        text.replace("  - id: expressway_density\n", "  - id: railway_density\n", 1),
        encoding="utf-8",
    )
    (problem,) = validate_catalogue(path)
    assert problem.message.endswith(f"(first at line {line_of(text, '  - id: railway_density')})")


def test_regions_are_checked_only_when_given(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8").replace(
        "scope: [central_zone]", "scope: [atlantis]"
    )
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    assert validate_catalogue(path) == []
    assert {p.code for p in validate_catalogue(path, region_ids=REGION_IDS)} == {
        "catalogue-unknown-region"
    }


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "documents: !!python/object/apply:os.system ['echo hacked']\nindicators: []\n",
        encoding="utf-8",
    )
    (problem,) = validate_catalogue(path)
    assert (problem.line, problem.code) == (1, "catalogue-yaml")
    assert "python/object/apply" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the catalogue is empty"),
        ("- a\n- b\n", 1, "the catalogue must be a mapping with keys documents and indicators"),
        ("documents: []\n", 1, "indicators: must be a list of entries"),
        ("documents: []\nindicators: {}\n", 2, "indicators: must be a list of entries"),
        (
            "documents: []\nindicators: []\nextra: 1\n",
            3,
            "unknown top-level key 'extra' (allowed: documents, indicators)",
        ),
        (
            "documents: []\nindicators:\n  - 3\n",
            3,
            "indicators[0]: Input should be a valid dictionary",
        ),
        # the line yaml reports: where the parser stopped
        (
            "documents: [\nindicators: []\n",
            3,
            "YAML syntax: while parsing a flow sequence",
        ),
    ],
)
def test_structure_problems(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    problems = validate_catalogue(path)
    assert problems, text
    assert (problems[0].line, message in problems[0].message) == (line, True), str(problems[0])


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = validate_catalogue(tmp_path / "nope.yaml")
    assert problem.code == "catalogue-yaml" and "cannot read the catalogue" in problem.message


def test_conftest_fixture_loads_the_same_catalogue(catalogue: Catalogue) -> None:
    assert list(catalogue.indicators) == list(load_catalogue(CATALOGUE).indicators)
