"""Notes read apart into kind, address, quote and remark."""

from __future__ import annotations

import pandas as pd
import pytest

from targets.bundled import bundled_files
from targets.source_notes import (
    SYNTHETIC_MARK,
    WHITESPACE,
    SourceNote,
    any_synthetic,
    is_synthetic,
    parse_note,
)


def test_bundled_forms() -> None:
    assert parse_note(
        "[prelim] compiled from a public repost: http://js.people.com.cn/n2/1.html «占GDP比重达2.72%»"
    ) == SourceNote("repost", "http://js.people.com.cn/n2/1.html", "占GDP比重达2.72%", "prelim")
    assert parse_note("official release: https://tjj.sh.gov.cn/a.html «4.17%»") == SourceNote(
        "official", "https://tjj.sh.gov.cn/a.html", "4.17%", ""
    )
    assert (
        parse_note("NBS table export: https://data.stats.gov.cn/x?y=1 «72.17»").kind == "official"
    )


def test_free_notes_keep_their_text_as_remark() -> None:
    assert parse_note("test fixture (not published statistics)") == SourceNote(
        "", "", "", "test fixture (not published statistics)"
    )
    assert parse_note("见 https://tjj.zj.gov.cn/art/1.html 第3页") == SourceNote(
        "", "https://tjj.zj.gov.cn/art/1.html", "", "见  第3页"
    )
    assert parse_note(None) == SourceNote("", "", "", "")


def test_every_bundled_note_has_a_kind_and_an_address() -> None:
    import csv

    for path in bundled_files():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                parsed = parse_note(row["note"])
                assert parsed.kind in ("official", "repost", "derived"), row["note"]
                assert parsed.address, row["note"]
                if parsed.kind == "repost":
                    assert parsed.address.startswith("http"), row["note"]


def test_a_note_on_a_chinese_page_has_this_tools_words_in_chinese_and_the_sources_as_written() -> (
    None
):
    from targets.source_notes import RATIO_REMARK, note_text

    repost = "[approx; 十四五 end value] compiled from a public repost: https://a.cn/x «约3.3%»"
    assert (
        note_text(repost, "zh")
        == "[approx; 十四五 end value] 据公开转载整理：https://a.cn/x «约3.3%»"
    )
    assert note_text(repost, "en") == repost
    assert note_text("official release: https://b.gov.cn «26.3»", "zh") == (
        "官方发布：https://b.gov.cn «26.3»"
    )
    # what targets.aggregate writes for a region's value, and for a weighted mean
    assert note_text("derived: Σ rd_expenditure / Σ gdp × 100 over 4 provinces", "zh") == (
        "推算：Σ rd_expenditure / Σ gdp × 100（4 个省市）"
    )
    assert note_text(
        "derived: population-weighted mean of life_expectancy over 4 provinces", "zh"
    ) == ("推算：life_expectancy 按 population 加权平均（4 个省市）")
    # a ratio targets.bundled derives from its parts, each part's source after its series
    how = RATIO_REMARK.format(
        top="u", num="51737", bottom="r", den="23828", exact="2.17127", decimals=2
    )
    both = f"[{how}] u: official release: https://c.cn «51737» | r: [+5.9%] compiled from a public repost: https://d.cn «23828»"
    assert note_text(both, "zh") == (
        "[推算：u 51737 / r 23828 = 2.17127，按已公布比值的位数保留 2 位小数] "
        "u：官方发布：https://c.cn «51737» | r：[+5.9%] 据公开转载整理：https://d.cn «23828»"
    )
    # a note an uploader wrote is theirs, word for word
    assert note_text("yearbook 2022, table 3-1: see official release", "zh") == (
        "yearbook 2022, table 3-1: see official release"
    )


def test_whitespace_is_what_lstrip_takes_off() -> None:
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


NOTES = [
    f"{SYNTHETIC_MARK} national-scale benchmark data",
    f"{SYNTHETIC_MARK}",
    f" {SYNTHETIC_MARK} x",
    f"\t\u3000\xa0{SYNTHETIC_MARK}: test",
    f"\x1c{SYNTHETIC_MARK}",
    f"not {SYNTHETIC_MARK}",
    f"composite index ({SYNTHETIC_MARK})",
    f"{SYNTHETIC_MARK.lower()} data",
    f"\u200b{SYNTHETIC_MARK}",  # a zero-width space is not whitespace to str.lstrip
    " ",
    "",
    "official release: https://tjj.sh.gov.cn/a.html «4.17%»",
]


@pytest.mark.parametrize("note", NOTES)
@pytest.mark.parametrize("dtype", ["str", object])
def test_any_synthetic_reads_each_note_as_is_synthetic(note: str, dtype: object) -> None:
    others = ["official release: https://a.example/1", None, "derived: Σ gdp over 4 provinces"]
    notes = pd.Series([*others, note, *others], dtype=dtype)
    assert any_synthetic(notes) is is_synthetic(note)
    assert any_synthetic(notes.drop(3)) is False


def test_any_synthetic_of_no_notes() -> None:
    assert any_synthetic(pd.Series([], dtype="str")) is False
    assert any_synthetic(pd.Series([None, None], dtype="str")) is False
    assert any_synthetic(pd.Series([float("nan")] * 3)) is False  # an all-missing column
