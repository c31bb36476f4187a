"""Formats (xlrd) and xlwt's never-computed formulas in legacy .xls files (the corpus)."""

from __future__ import annotations

from pathlib import Path

from targets.ingest.xls_cells import scan_xls

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def test_formats_of_number_cells() -> None:
    found = scan_xls((CORPUS / "pct_format.xls").read_bytes())["S"]
    assert found.formats == {(r, 1): "0.00%" for r in range(2, 6)}
    assert found.numbers[(3, 1)] == 0.0329


def test_xlwt_formulas_carry_no_result() -> None:
    found = scan_xls((CORPUS / "formula_uncomputed.xls").read_bytes())["S"]
    assert found.uncomputed == {(3, 1): "=(formula)", (5, 1): "=(formula)"}


def test_a_plain_sheet_has_nothing_to_report() -> None:
    assert scan_xls((CORPUS / "yearbook_two_level.xls").read_bytes()) == {}
