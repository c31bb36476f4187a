"""The one status vocabulary: order, distinct symbols and words, contrast, and its use."""

from __future__ import annotations

from dashboard import format as fmt
from targets import display, progress, statuses


def test_the_vocabulary_is_ordered_best_first_with_distinct_symbols_and_words() -> None:
    assert statuses.IDS == (
        "achieved", "on_track", "close", "moderate", "short", "insufficient", "far",
        "moving_away", "missed", "insufficient_data", "no_data",
    )  # fmt: skip
    for lang in ("zh", "en"):
        words = [statuses.label(s, lang) for s in statuses.IDS]
        assert len(set(words)) == len(words), words
    symbols = [statuses.symbol(s) for s in statuses.IDS]
    assert len(set(symbols)) == len(symbols) and all(symbols)
    assert statuses.label("on_track", "en") == "On track"
    assert statuses.label("on_track", "zh") == "进展顺利"
    assert statuses.label("no_data") == "无数据"
    # one value only is its own status, not "no data"
    assert statuses.label("insufficient_data", "en") == "One value only"
    assert statuses.label("insufficient_data", "zh") == "仅一个数值"


def test_every_colour_pair_reads_at_wcag_aa() -> None:
    for status in statuses.IDS:
        bg, fg = statuses.colours(status)
        assert fmt.contrast_ratio(bg, fg) >= 4.5, status


def test_severity_puts_the_worst_judged_status_first_and_no_judgement_last() -> None:
    order = sorted(statuses.IDS, key=statuses.SEVERITY.__getitem__)
    assert order[0] == "missed" and order[-2:] == ["insufficient_data", "no_data"]
    judged = order[:-2]
    assert judged == sorted(judged, key=statuses.RANK.__getitem__, reverse=True)


def test_the_meanings_carry_the_thresholds() -> None:
    assert str(statuses.ON_TRACK) in statuses.meaning("on_track", "en")
    assert str(statuses.MODERATE) in statuses.meaning("moderate", "zh")
    assert "5%" in statuses.meaning("close", "en") and "20%" in statuses.meaning("far", "zh")


def test_an_unknown_id_reads_as_no_data() -> None:
    assert statuses.text("bogus", "en") == statuses.text("no_data", "en") == "? No data"


def test_the_engine_and_the_screen_use_the_same_vocabulary() -> None:
    assert progress.STATUS_IDS == statuses.IDS
    assert fmt.STATUS_COLOURS is statuses.COLOURS
    for status in statuses.IDS:
        for lang in ("zh", "en"):
            assert display.status_text(status, lang) == statuses.text(status, lang)
            assert progress.status_label(status, lang) == fmt.status_label(status, lang)
