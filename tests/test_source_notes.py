"""Notes read apart into kind, address, quote and remark."""

from __future__ import annotations

from targets.bundled import bundled_files
from targets.source_notes import SourceNote, parse_note


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
