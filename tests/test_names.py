"""targets/names.py: one key for names however they are typed; every name of an indicator."""

from __future__ import annotations

from targets.catalogue import Catalogue
from targets.names import indicator_names, normalize_name


def test_normalize_name() -> None:
    assert normalize_name("Ｒ＆Ｄ 经费\u3000投入强度（％）") == "r&d经费投入强度(%)"
    assert normalize_name(" ＳＨ\u3000") == "sh"
    assert normalize_name("Jiangsu  Province") == "jiangsuprovince"
    assert normalize_name("３１００００") == "310000"


def test_indicator_names_with_their_yaml_location(catalogue: Catalogue) -> None:
    names = dict(indicator_names(catalogue["rd_intensity"]))
    assert names[("id",)] == "rd_intensity"
    assert names[("name", "zh")] == "研发投入强度"
    assert names[("name", "en")] == "R&D intensity"
    assert all(loc[0] == "synonyms" for loc in list(names)[3:])
