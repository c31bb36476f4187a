"""The region registry: counts, the Outline's zones, name resolution, aliases, grid, structure."""

from __future__ import annotations

import copy
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
import yaml

from targets.names import normalize_name
from targets.regions import (
    RegionRegistry,
    UnknownRegionError,
    load_regions,
)

REGIONS_YAML = Path(__file__).resolve().parents[1] / "data" / "regions.yaml"

# 《长江三角洲区域一体化发展规划纲要》前言, copied from the plan's text
OUTLINE_CENTRAL_ZONE = (
    "以上海市，江苏省南京、无锡、常州、苏州、南通、扬州、镇江、盐城、泰州，浙江省杭州、宁波、温州、湖州、"
    "嘉兴、绍兴、金华、舟山、台州，安徽省合肥、芜湖、马鞍山、铜陵、安庆、滁州、池州、宣城27个城市为中心区"
    "（面积22.5万平方公里）"
)
OUTLINE_SCOPE = "规划范围包括上海市、江苏省、浙江省、安徽省全域（面积35.8万平方公里）"
OUTLINE_DEMO_ZONE = (
    "以上海青浦、江苏吴江、浙江嘉善为长三角生态绿色一体化发展示范区（面积约2300平方公里）"
)


@pytest.fixture(scope="module")
def reg() -> RegionRegistry:
    return load_regions(REGIONS_YAML)


def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(REGIONS_YAML.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "regions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def entry(data: dict[str, Any], region_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in data["regions"] if e["id"] == region_id)
    return found


def outline_central_cities() -> list[str]:
    """The 27 names of the Outline's sentence: 上海 and the lists after each province."""
    body = OUTLINE_CENTRAL_ZONE.removeprefix("以").split("27个城市")[0]
    names = []
    for part in re.split(r"[，、]", body):
        names.append(re.sub(r"^(江苏省|浙江省|安徽省)", "", part).removesuffix("市"))
    return names


# -- counts and order ---------------------------------------------------------------------------


def test_forty_one_cities_by_province(reg: RegionRegistry) -> None:
    assert len(reg.cities()) == 41
    counts = {p.id: len(reg.cities(p.id)) for p in reg.provinces()}
    assert counts == {"shanghai": 1, "jiangsu": 13, "zhejiang": 11, "anhui": 16}
    assert [c.id for c in reg.cities("shanghai")] == ["shanghai"]
    assert reg.get("shanghai").level == "province"


def test_display_order(reg: RegionRegistry) -> None:
    ids = list(reg.regions)
    assert ids[:7] == [
        "yrd",
        "central_zone",
        "demo_zone",
        "shanghai",
        "jiangsu",
        "zhejiang",
        "anhui",
    ]
    assert ids[-3:] == ["qingpu", "wujiang", "jiashan"]
    provinces_of_cities = [reg.get(r).parent for r in ids[7:-3]]
    assert provinces_of_cities == ["jiangsu"] * 13 + ["zhejiang"] * 11 + ["anhui"] * 16
    assert [z.id for z in reg.zones()] == ["central_zone", "demo_zone"]
    assert len(reg) == 50


# -- the Outline's zones --------------------------------------------------------------------------


def test_central_zone_is_the_outlines_27_cities(reg: RegionRegistry) -> None:
    names = outline_central_cities()
    assert len(names) == 27
    members = reg.members("central_zone")
    assert len(members) == 27
    assert all(m in reg for m in members)
    assert members == [reg.resolve(n).id for n in names]
    assert members[:2] == ["shanghai", "nanjing"]
    assert [c.id for c in reg.cities_of("central_zone")] == members
    # the YAML cites the sentence it copies
    assert OUTLINE_CENTRAL_ZONE in (reg.get("central_zone").area_source or "")


def test_zone_areas_as_the_outline_states(reg: RegionRegistry) -> None:
    expected = {
        "yrd": (358000, OUTLINE_SCOPE),
        "central_zone": (225000, OUTLINE_CENTRAL_ZONE),
        "demo_zone": (2300, OUTLINE_DEMO_ZONE),
    }
    for rid, (km2, quote) in expected.items():
        region = reg.get(rid)
        assert region.area_km2 == km2
        assert region.area_source is not None and quote in region.area_source


def test_demo_zone_counties(reg: RegionRegistry) -> None:
    assert reg.members("demo_zone") == ["qingpu", "wujiang", "jiashan"]
    parents = {c: reg.get(c).parent for c in reg.members("demo_zone")}
    assert parents == {"qingpu": "shanghai", "wujiang": "suzhou_js", "jiashan": "jiaxing"}
    assert all(reg.get(c).level == "county" for c in parents)
    assert [c.id for c in reg.cities_of("demo_zone")] == ["shanghai", "suzhou_js", "jiaxing"]
    assert [c.id for c in reg.cities_of("wujiang")] == ["suzhou_js"]


def test_province_areas_have_sources_and_cities_no_guesses(reg: RegionRegistry) -> None:
    areas = {p.id: p.area_km2 for p in reg.provinces()}
    assert areas == {"shanghai": 6340.5, "jiangsu": 107200, "zhejiang": 105500, "anhui": 140100}
    assert all(p.area_source for p in reg.provinces())
    for region in reg:
        assert (region.area_km2 is None) or bool(region.area_source), region.id


# -- resolving names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("上海", "shanghai"),
        ("上海市", "shanghai"),
        ("沪", "shanghai"),
        ("ＳＨ", "shanghai"),
        ("310000", "shanghai"),
        ("３１００００", "shanghai"),
        ("310000000000", "shanghai"),
        ("Jiangsu Province", "jiangsu"),
        ("江苏省", "jiangsu"),
        ("苏", "jiangsu"),
        ("  zhejiang ", "zhejiang"),
        ("苏州市", "suzhou_js"),
        ("苏州", "suzhou_js"),
        ("宿州", "suzhou_ah"),
        ("宿州市", "suzhou_ah"),
        ("泰州", "taizhou_js"),
        ("台州市", "taizhou_zj"),
        ("Suzhou (Anhui)", "suzhou_ah"),
        ("suzhou_js", "suzhou_js"),
        ("合肥市", "hefei"),
        ("Hefei City", "hefei"),
        ("Ma'anshan", "maanshan"),
        ("马鞍山", "maanshan"),
        ("341500", "luan"),
        ("长三角", "yrd"),
        ("YRD (41 cities)", "yrd"),
        ("中心区", "central_zone"),
        ("长三角生态绿色一体化发展示范区", "demo_zone"),
        ("青浦", "qingpu"),
        ("嘉善县", "jiashan"),
    ],
)
def test_resolve(reg: RegionRegistry, name: str, expected: str) -> None:
    assert reg.resolve(name).id == expected
    assert reg.try_resolve(name) is reg.get(expected)


@pytest.mark.parametrize("name", ["南京市区", "苏州市区", "上海市区", "合肥市区"])
def test_a_citys_urban_districts_are_not_the_city(reg: RegionRegistry, name: str) -> None:
    # a yearbook's 市区 row holds the urban districts only: stored as the city it would be a
    # silently wrong value (南京市区 GDP is not Nanjing's GDP)
    assert reg.try_resolve(name) is None
    assert reg.try_resolve(name.removesuffix("区")) is not None


def test_unknown_name_suggests_the_near_one(reg: RegionRegistry) -> None:
    with pytest.raises(UnknownRegionError) as info:
        reg.resolve("苏洲")
    err = info.value
    assert isinstance(err, LookupError)
    assert err.name == "苏洲"
    assert any("苏州" in s for s in err.suggestions)
    assert err.suggested_ids[0] == "suzhou_js"
    assert str(err) == "unknown region '苏洲'; did you mean 苏州 (suzhou_js)?"
    assert reg.try_resolve("苏洲") is None


def test_unknown_name_without_a_close_one(reg: RegionRegistry) -> None:
    with pytest.raises(UnknownRegionError) as info:
        reg.resolve("北京")
    assert info.value.suggestions == []
    assert str(info.value) == "unknown region '北京'"


def test_english_typo_suggests(reg: RegionRegistry) -> None:
    assert reg.suggest("nanjin") == ["nanjing"]
    assert reg.suggest("hangzou")[0] == "hangzhou"


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("suzhou", ["suzhou_js", "suzhou_ah"]),
        ("Suzhou City", ["suzhou_js", "suzhou_ah"]),
        ("TAIZHOU", ["taizhou_js", "taizhou_zj"]),
    ],
)
def test_shared_pinyin_is_ambiguous(reg: RegionRegistry, name: str, ids: list[str]) -> None:
    with pytest.raises(UnknownRegionError) as info:
        reg.resolve(name)
    err = info.value
    assert err.ambiguous
    assert err.suggested_ids == ids
    assert "ambiguous" in str(err)
    assert reg.try_resolve(name) is None


def test_suzhou_message(reg: RegionRegistry) -> None:
    with pytest.raises(
        UnknownRegionError, match=r"did you mean 苏州 \(suzhou_js\), 宿州 \(suzhou_ah\)\?"
    ):
        reg.resolve("suzhou")


def test_get_is_by_id_only(reg: RegionRegistry) -> None:
    assert reg.get("hefei").name.zh == "合肥"
    with pytest.raises(UnknownRegionError):
        reg.get("合肥")


def test_names(reg: RegionRegistry) -> None:
    assert reg.name("suzhou_js", "en") == "Suzhou (Jiangsu)"
    assert reg.name("suzhou_ah", "zh") == "宿州"
    assert reg.name("yrd", "en") == "Yangtze River Delta"


# -- aliases and codes ----------------------------------------------------------------------------


def test_every_alias_unique_across_regions() -> None:
    owner: dict[str, str] = {}
    for e in raw()["regions"]:
        names = {
            normalize_name(a)
            for a in [e["id"], e["name"]["zh"], e["name"]["en"], *e.get("aliases", [])]
        }
        for name in names:
            assert name not in owner, f"{name!r}: {owner.get(name)} and {e['id']}"
            owner[name] = e["id"]
    for key in raw()["ambiguous"]:
        assert key not in owner


def test_every_alias_resolves_to_its_region(reg: RegionRegistry) -> None:
    for region in reg:
        for alias in [*region.aliases, region.name.zh, region.id]:
            assert reg.resolve(alias).id == region.id, alias


def test_codes(reg: RegionRegistry) -> None:
    codes = [r.code for r in reg if r.code]
    assert len(codes) == len(set(codes)) == 47  # 4 provinces, 40 cities, 3 counties
    for city in reg.cities():
        assert city.code is not None and city.code in city.aliases
        province = reg.get(city.parent) if city.level == "city" and city.parent else city
        assert province.code is not None and city.code[:2] == province.code[:2]
    assert reg.get("suzhou_js").code == "320500"
    assert reg.get("suzhou_ah").code == "341300"


def test_duplicate_alias_is_refused(tmp_path: Path) -> None:
    data = raw()
    entry(data, "suzhou_ah")["aliases"].append("苏州市")
    with pytest.raises(ValueError, match=r"duplicate alias '苏州市'.*suzhou_js.*suzhou_ah"):
        load_regions(write(tmp_path, data))


def test_alias_equal_to_an_ambiguous_name_is_refused(tmp_path: Path) -> None:
    data = raw()
    entry(data, "suzhou_js")["aliases"].append("Suzhou")
    with pytest.raises(ValueError, match="ambiguous"):
        load_regions(write(tmp_path, data))


# -- the tile grid --------------------------------------------------------------------------------


def test_every_city_has_its_own_tile(reg: RegionRegistry) -> None:
    tiles = [c.grid for c in reg.cities()]
    assert all(t is not None for t in tiles)
    assert len(set(tiles)) == 41
    assert reg.get("shanghai").grid == (7, 4)


def test_tiles_roughly_geographic(reg: RegionRegistry) -> None:
    def grid(rid: str) -> tuple[int, int]:
        tile = reg.get(rid).grid
        assert tile is not None
        return tile

    assert grid("xuzhou")[1] < grid("nanjing")[1] < grid("hangzhou")[1] < grid("wenzhou")[1]
    assert grid("hefei")[0] < grid("nanjing")[0] < grid("suzhou_js")[0] < grid("shanghai")[0]


def test_provinces_are_contiguous(reg: RegionRegistry) -> None:
    for province in reg.provinces():
        tiles = {c.grid for c in reg.cities(province.id) if c.grid is not None}
        assert len(tiles) == len(reg.cities(province.id))
        start = next(iter(tiles))
        seen, todo = {start}, deque([start])
        while todo:
            col, row = todo.popleft()
            for nxt in ((col + 1, row), (col - 1, row), (col, row + 1), (col, row - 1)):
                if nxt in tiles and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert seen == tiles, province.id


def test_shared_tile_is_refused(tmp_path: Path) -> None:
    data = raw()
    entry(data, "wuxi")["grid"] = entry(data, "suzhou_js")["grid"]
    with pytest.raises(ValueError, match="share grid tile"):
        load_regions(write(tmp_path, data))


# -- structure ------------------------------------------------------------------------------------


def test_parents_and_members_agree(reg: RegionRegistry) -> None:
    assert reg.members("yrd") == ["shanghai", "jiangsu", "zhejiang", "anhui"]
    for region in reg:
        if region.level == "city":
            assert region.parent is not None
            assert region.id in reg.members(region.parent)
            assert reg.get(region.parent).level == "province"
        if region.level in ("region", "province"):
            assert all(reg.get(m).parent == region.id for m in reg.members(region.id))
    assert reg.members("jiangsu")[0] == "nanjing"
    assert reg.members("shanghai") == []


def test_cities_of(reg: RegionRegistry) -> None:
    yrd = [c.id for c in reg.cities_of("yrd")]
    assert len(yrd) == len(set(yrd)) == 41
    assert yrd[0] == "shanghai"
    assert yrd == [c.id for c in reg.cities()]
    assert [c.id for c in reg.cities_of("shanghai")] == ["shanghai"]
    assert [c.id for c in reg.cities_of("hefei")] == ["hefei"]
    assert len(reg.cities_of("anhui")) == 16
    with pytest.raises(ValueError, match="not a province"):
        reg.cities("hefei")


def test_unknown_member_is_refused(tmp_path: Path) -> None:
    data = raw()
    entry(data, "central_zone")["members"].append("beijing")
    with pytest.raises(ValueError, match="central_zone.*unknown member 'beijing'"):
        load_regions(write(tmp_path, data))


def test_city_missing_from_its_province_is_refused(tmp_path: Path) -> None:
    data = raw()
    entry(data, "anhui")["members"].remove("bozhou")
    with pytest.raises(ValueError, match="bozhou.*does not list it"):
        load_regions(write(tmp_path, data))


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(raw())
    entry(data, "hefei")["population"] = 1
    with pytest.raises(ValueError, match="hefei"):
        load_regions(write(tmp_path, data))


# -- loading --------------------------------------------------------------------------------------


def test_load_is_cached_per_path(tmp_path: Path) -> None:
    assert load_regions(REGIONS_YAML) is load_regions(str(REGIONS_YAML))
    other = load_regions(write(tmp_path, raw()))
    assert other is not load_regions(REGIONS_YAML)
    assert list(other.regions) == list(load_regions(REGIONS_YAML).regions)


def test_default_path_is_the_bundled_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETS_REGIONS", raising=False)
    assert load_regions() is load_regions(REGIONS_YAML)


def test_registry_is_read_only(reg: RegionRegistry) -> None:
    with pytest.raises(TypeError):
        reg.regions["x"] = reg.get("yrd")  # type: ignore[index]


def test_only_safe_yaml(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("regions: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        load_regions(path)


def test_try_resolve_makes_no_suggestions(monkeypatch: pytest.MonkeyPatch) -> None:
    from targets import matching

    registry = load_regions()
    assert registry.suggest("上梅") == ["shanghai"]

    def never(*_: object) -> float:
        raise AssertionError("try_resolve fuzzy-matched a name")

    monkeypatch.setattr(matching, "similarity", never)
    # the layout detector asks try_resolve of every header cell, long ones too
    assert registry.try_resolve("上梅" * 30) is None
    assert registry.try_resolve("上梅") is None


def test_within_a_region_are_its_members_and_their_counties(reg: RegionRegistry) -> None:
    anhui = reg.within(["anhui"])
    assert len(anhui) == 17 and {"anhui", "hefei", "suzhou_ah"} <= anhui
    assert "suzhou_js" not in anhui
    shanghai = reg.within(["shanghai"])
    assert "qingpu" in shanghai  # a county of Shanghai, named by its parent
    assert reg.within(["yrd"]) == frozenset(r.id for r in reg)
    with pytest.raises(LookupError):
        reg.within(["atlantis"])
