"""targets/reports/text.py: every report word in both languages; times and the method's blocks."""

from __future__ import annotations

from datetime import UTC, datetime

from targets.display import number, percent, with_unit
from targets.reports.text import TEXT, method_blocks, time_text

NOW = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)


def test_every_report_word_in_both_languages() -> None:
    assert set(TEXT["zh"]) == set(TEXT["en"])
    for lang in ("zh", "en"):
        assert all(isinstance(v, str) and v.strip() for v in TEXT[lang].values()), lang


def test_times_in_beijing_time_and_the_formatting_they_use() -> None:
    assert number(1234.5, 1) == "1,234.5"
    assert number(-0.001, 2) == "0.00"
    assert number(float("nan")) == "—"
    assert percent(0.123, 1, sign=True) == "+12.3%"
    assert with_unit("2.69", "%") == "2.69%"
    assert with_unit("507", "公里/万平方公里") == "507 公里/万平方公里"
    assert time_text(NOW, "zh") == "2026-03-01 12:30（北京时间）"


def test_method_blocks_keep_list_items_whole() -> None:
    text = "Title.\n\nMeasures.\n- gap: the distance\n  still to go;\n- progress.\nAfter the list."
    assert method_blocks(text, "en") == [
        ("p", "Title."),
        ("p", "Measures."),
        ("li", "gap: the distance still to go;"),
        ("li", "progress."),
        ("p", "After the list."),
    ]
