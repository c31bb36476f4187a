"""Formats and never-computed formulas of .ods files, as LibreOffice writes them (the corpus)."""

from __future__ import annotations

from pathlib import Path

from targets.ingest.ods_cells import scan_ods

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def test_a_percentage_style_reads_as_a_percent_format() -> None:
    found = scan_ods((CORPUS / "pct_format.ods").read_bytes())["S"]
    assert found.formats == {(r, 1): "0.00%" for r in range(2, 6)}
    assert found.numbers[(2, 1)] == 0.0434


def test_a_number_style_with_text_reads_as_a_unit() -> None:
    found = scan_ods((CORPUS / "unit_format_wanjian.ods").read_bytes())["S"]
    assert set(found.formats.values()) == {'0.00"万件"'}


def test_computed_formulas_are_not_reported() -> None:
    assert scan_ods((CORPUS / "formula_cached_lo.ods").read_bytes()) == {}
