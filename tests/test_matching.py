"""The one fuzzy matcher behind every `did you mean …?`."""

from __future__ import annotations

import pytest

from targets.matching import closest, similarity


def test_a_typo_in_a_short_chinese_name_finds_the_name() -> None:
    assert closest("苏洲", ["苏州", "杭州", "徐州"]) == ["苏州"]


def test_a_different_city_is_not_suggested() -> None:
    # 北京 shares a character with 南京 but is another city: the first character decides
    assert similarity("北京", "南京") < similarity("苏洲", "苏州")
    assert closest("北京", ["南京"]) == []


def test_only_candidates_near_the_best_are_kept() -> None:
    # anhui 0.73, shanghai 0.62 (within 0.15 of the best), anhuisheng 0.53 (below the cutoff)
    assert closest("anhiu", ["anhuisheng", "shanghai", "anhui"]) == ["anhui", "shanghai"]
    assert closest("anhiu", ["anhuisheng", "shanghai", "anhui"], window=0.1) == ["anhui"]


def test_at_most_n_and_nothing_for_an_empty_query() -> None:
    assert len(closest("ab", ["ab", "ab1", "ab2", "ab3"], n=2, window=1.0)) == 2
    assert closest("", ["a"]) == []


def test_a_name_longer_than_the_bound_is_never_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    from targets import config, matching

    name = "研发投入强度" * (config.MAX_LABEL_CHARS // 6 + 1)  # a whole cell, not a name
    assert len(name) > config.MAX_LABEL_CHARS

    def never(*_: object) -> float:
        raise AssertionError("a whole cell of text was fuzzy-matched")

    monkeypatch.setattr(matching, "similarity", never)
    assert closest(name, ["研发投入强度"]) == []
    monkeypatch.setattr(config, "MAX_LABEL_CHARS", len(name))
    with pytest.raises(AssertionError, match="fuzzy-matched"):
        closest(name, ["研发投入强度"])
