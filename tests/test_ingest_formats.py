"""Number format codes: the number a person sees and the unit the format writes."""

from __future__ import annotations

import pytest

from targets.ingest.formats import read_format


@pytest.mark.parametrize(
    ("code", "value", "scale", "unit"),
    [
        ("0.00%", 0.0329, 100.0, "%"),
        ("0%", 0.5, 100.0, "%"),
        ("[Red]0.00%;-0.00%", -0.01, 100.0, "%"),
        ("0.00‰", 3.29, 1.0, "‰"),  # Excel and LibreOffice show ‰ as text: no scaling
        ('0.00"‰"', 3.29, 1.0, "‰"),
        ('0.0"万件"', 12.3, 1.0, "万件"),
        ('#,##0"亿元"', 12345.0, 1.0, "亿元"),
        ('0.0" 万人 "', 1.0, 1.0, "万人"),
        ('0.0"元/人"', 1.0, 1.0, "元/人"),
        ('0.00"%"', 3.29, 1.0, "%"),  # a quoted % is text: the number is shown as stored
        ("0.00\\%", 3.29, 1.0, "%"),
        ("#,##0,", 12_345_678.0, 0.001, ""),  # a trailing comma shows thousands
        ("G/通用格式", 3.29, 1.0, ""),  # the Chinese Excel's General
        ("General", 3.29, 1.0, ""),
        ("[$¥-804]#,##0.00", 3.0, 1.0, ""),  # a currency symbol is not a unit
        ("#,##0.00_);[Red](#,##0.00)", -3.0, 1.0, ""),
        ("[DBNum1]0", 3.0, 1.0, ""),
        ("0.00E+00", 3.0, 1.0, ""),
        ("0.00_ ", 3.0, 1.0, ""),
    ],
)
def test_the_shown_number_and_unit(code: str, value: float, scale: float, unit: str) -> None:
    section = read_format(code).section(value)
    assert (section.scale, section.unit, section.refused) == (scale, unit, "")


@pytest.mark.parametrize(
    ("code", "value", "why"),
    [
        ("0.0%%", 0.1, "more than one %"),
        ('0!.0000"万"', 12345678.0, "digits or a decimal point"),
        ('0"."0000', 12345678.0, "digits or a decimal point"),
        ("[>100]0;0.0", 120.0, "condition"),
        ('0%;-0%;"-"', 0.0, "instead of the number"),  # zero shown as a dash
        ("0.0;-0.0;", 0.0, "nothing"),
        ('0.0%"万人"', 0.1, "percent and the unit"),
    ],
)
def test_formats_that_hide_the_number_are_refused(code: str, value: float, why: str) -> None:
    assert why in read_format(code).section(value).refused


def test_sections_by_sign() -> None:
    fmt = read_format('0.0"万人";-0.0"万人";"-"')
    assert fmt.section(1.0).unit == "万人" and fmt.section(-1.0).unit == "万人"
    assert fmt.section(0.0).refused


def test_dates_are_dates() -> None:
    assert read_format('yyyy"年"m"月"d"日"').is_date
    assert read_format("[h]:mm").is_date
    assert not read_format("0.00%").is_date
