"""targets/provenance.py: a verdict resting on a flagged value is provisional, with the reason."""

from __future__ import annotations

from typing import Any

import pandas as pd

from targets.progress import compute_gaps
from targets.provenance import provisional_mark, provisional_text, provisional_words


def obs(*rows: tuple[str, str, int, float, str | None]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "region", "year", "value", "flag"])
    return frame.assign(unit="", note=None, import_id=1)


PROVINCES = ("shanghai", "jiangsu", "zhejiang", "anhui")
# R&D expenditure (亿元) and GDP (亿元) of 2019 and 2023: the region's intensity is derived
COMPONENTS = [
    row
    for year, spend, gdp in (
        (2019, (1524.6, 2779.5, 1669.8, 754.0), (37987.6, 98656.8, 62462.0, 36845.5)),
        (2023, (2049.6, 4212.3, 2640.2, 1264.7), (47218.7, 128222.2, 82553.2, 47050.6)),
    )
    for reg, s, g in zip(PROVINCES, spend, gdp, strict=True)
    for row in (
        ("rd_expenditure", reg, year, s, "prelim" if (reg, year) == ("anhui", 2023) else None),
        ("gdp", reg, year, g, None),
    )
]


def gaps_of(catalogue: Any, regions: Any, frame: pd.DataFrame) -> pd.DataFrame:
    gaps = compute_gaps(catalogue, regions, frame, milestone=2025)
    return gaps[gaps["indicator"] == "rd_intensity"].set_index("region")


def test_a_verdict_on_a_flagged_value_is_provisional(catalogue: Any, regions: Any) -> None:
    frame = obs(
        ("rd_intensity", "shanghai", 2019, 4.0, None),
        ("rd_intensity", "shanghai", 2025, 4.5, "approx"),
        ("rd_intensity", "jiangsu", 2019, 2.79, None),
        ("rd_intensity", "jiangsu", 2024, 3.36, None),
    )
    gaps = gaps_of(catalogue, regions, frame)
    sh = gaps.loc["shanghai"]
    assert (bool(sh["provisional"]), sh["provisional_flag"]) == (True, "approx")
    assert sh["provisional_reason"] == (
        "an approximate figure (左右/超过/突破): the outturn rounded or bounded (2025 value)"
    )
    assert sh["provisional_reason_zh"].endswith("（2025年数值）")
    assert provisional_mark(sh.to_dict(), "zh") == "初步（约数）"
    assert provisional_mark(sh.to_dict(), "en") == "provisional (approximate)"
    js = gaps.loc["jiangsu"]
    assert (bool(js["provisional"]), js["provisional_reason"]) == (False, "")
    assert provisional_text(js.to_dict(), "en") == "" and provisional_mark(js.to_dict()) == ""


def test_a_derived_value_is_provisional_when_a_component_is(catalogue: Any, regions: Any) -> None:
    gaps = gaps_of(catalogue, regions, obs(*COMPONENTS))
    yrd = gaps.loc["yrd"]
    assert bool(yrd["derived"]) and int(yrd["year"]) == 2023
    assert (bool(yrd["provisional"]), yrd["provisional_flag"]) == (True, "prelim")
    assert yrd["provisional_reason"].endswith("(2023 value of anhui rd_expenditure)")
    assert "安徽" in yrd["provisional_reason_zh"]
    # Anhui's own intensity rests on the preliminary expenditure too; Jiangsu's does not
    assert bool(gaps.loc["anhui", "provisional"])
    assert not bool(gaps.loc["jiangsu", "provisional"])
    # a flag on an earlier year leaves the latest verdict final
    earlier = [(i, r, y, v, "prelim" if y == 2019 else None) for i, r, y, v, _ in COMPONENTS]
    assert not gaps_of(catalogue, regions, obs(*earlier))["provisional"].any()


def test_a_frame_without_flags_gives_final_verdicts(catalogue: Any, regions: Any) -> None:
    frame = obs(*COMPONENTS).drop(columns="flag")
    gaps = compute_gaps(catalogue, regions, frame, milestone=2025)
    assert not gaps["provisional"].any()
    assert set(gaps["provisional_reason"]) == {""} and set(gaps["provisional_flag"]) == {""}


def test_value_notes_say_which_figure_stands_and_why(catalogue: Any, regions: Any) -> None:
    from targets.provenance import value_notes

    # the region publishes 3.00 for 2023; its components give Σ R&D / Σ GDP = 3.33
    published = ("rd_intensity", "yrd", 2023, 3.0, None)
    newer = [("rd_intensity", r, 2024, 3.0, None) for r in PROVINCES]
    frame = obs(*COMPONENTS, published, *newer)
    spend = sum(s for i, r, y, s, _ in COMPONENTS if i == "rd_expenditure" and y == 2023)
    gdp = sum(g for i, r, y, g, _ in COMPONENTS if i == "gdp" and y == 2023)
    derived = f"{spend / gdp * 100:.2f}"
    notes = value_notes(catalogue, regions, frame, "rd_intensity", ["yrd", "jiangsu"], "en")
    assert notes == [
        f"Yangtze River Delta: published 2023 value 3.00 in force; derived 2023 = {derived} from "
        "components, not used: a published figure wins for its year",
        "Yangtze River Delta: published value 2023 in force; no 2024 value derived although "
        "members have 2024 values: no gdp, rd_expenditure for anhui, jiangsu, shanghai, zhejiang "
        "in 2024",
    ]
    # without a published figure the derived one is the region's value: nothing to explain
    assert value_notes(catalogue, regions, obs(*COMPONENTS), "rd_intensity", ["yrd"], "zh") == []


def test_provisional_words_are_the_mark_and_why_every_surface_shows() -> None:
    row = {"provisional": True, "provisional_flag": "approx",
           "provisional_reason": "an approximate figure (2024 value)",
           "provisional_reason_zh": "约数（2024年数值）"}  # fmt: skip
    assert provisional_words(row, "zh") == "初步（约数）：约数（2024年数值）"
    assert provisional_words(row, "en") == (
        "provisional (approximate): an approximate figure (2024 value)"
    )
    assert provisional_words({**row, "provisional": False}, "en") == ""
    assert provisional_words({"status": "achieved"}, "zh") == ""  # a table from before flags


# 2024 components for all four provinces: the region's 2024 intensity can be derived
COMPONENTS_2024 = [
    row
    for i, r, y, v, _ in COMPONENTS
    if y == 2023
    for row in [(i, r, 2024, round(v * (1.05 if i == "rd_expenditure" else 1.04), 1), None)]
]


def _derived(year: int) -> float:
    rows = [*COMPONENTS, *COMPONENTS_2024]
    spend = sum(v for i, r, y, v, _ in rows if i == "rd_expenditure" and y == year)
    gdp = sum(v for i, r, y, v, _ in rows if i == "gdp" and y == year)
    return spend / gdp * 100


def test_a_newer_derived_value_supersedes_the_published_one_only_where_they_agree(
    catalogue: Any, regions: Any
) -> None:
    """README "One number per fact", rule 2: the derivation must reproduce the published 2023
    figure within 2% (aggregate.AGREE_RELATIVE) before its 2024 value replaces it."""
    from targets.provenance import value_notes

    d23, d24 = _derived(2023), _derived(2024)
    assert (f"{d23:.2f}", f"{d24:.2f}") == ("3.33", "3.36")
    # the region publishes 3.00 for 2023: 0.33 off the derivation, beyond 2% of 3.00 (0.06)
    off = obs(*COMPONENTS, *COMPONENTS_2024, ("rd_intensity", "yrd", 2023, 3.0, None))
    yrd = gaps_of(catalogue, regions, off).loc["yrd"]
    assert (int(yrd["year"]), yrd["value"], bool(yrd["derived"])) == (2023, 3.0, False)
    notes = value_notes(catalogue, regions, off, "rd_intensity", ["yrd"], "en")
    assert notes[-1] == (
        "Yangtze River Delta: published 2023 value 3.00 in force; derived 2024 = 3.36 not used: "
        "derived differs from published by 0.33 in 2023 (derived 3.33, published 3.00; "
        "agreement needs within 0.06)"
    )
    zh = value_notes(catalogue, regions, off, "rd_intensity", ["yrd"], "zh")
    assert zh[-1] == (
        "长三角：采用2023年公布值3.00；2024年按分项测算为3.36，未采用：2023年测算值与公布值相差0.33"
        "（测算3.33，公布3.00；一致须相差不超过0.06）"
    )
    # the engine's reason, for the CLI and the reports
    from targets.aggregate import derive_all

    reasons = derive_all(catalogue, regions, off).reasons
    said = reasons[(reasons["region"] == "yrd") & (reasons["indicator"] == "rd_intensity")]
    assert said["reason"].tolist() == [
        "derived 2024 = 3.36 not used: derived differs from published by 0.33 in 2023 (derived "
        "3.33, published 3.00; agreement needs within 0.06)"
    ]

    # published 3.30: 0.03 off, within 0.066 (2% of 3.30): the derived 2024 value is the latest
    near = obs(*COMPONENTS, *COMPONENTS_2024, ("rd_intensity", "yrd", 2023, 3.30, None))
    yrd = gaps_of(catalogue, regions, near).loc["yrd"]
    assert (int(yrd["year"]), round(yrd["value"], 2), bool(yrd["derived"])) == (2024, 3.36, True)
    assert value_notes(catalogue, regions, near, "rd_intensity", ["yrd"], "en")[-1] == (
        "Yangtze River Delta: derived 2024 = 3.36 from components is the latest value (no "
        "published 2024 value); published 2023 = 3.30; derived 2023 = 3.33 agrees with "
        "published 3.30 (within 0.07)"
    )


def test_agreement_is_two_percent_or_half_the_last_decimal() -> None:
    from targets.aggregate import agreement_tolerance, agrees

    assert agrees(3.06, 3.0, 2) and not agrees(3.07, 3.0, 2)  # 2% of 3.00 is 0.06
    assert agreement_tolerance(0.1, 1) == 0.05  # half of 0.1, more than 2% of 0.1
    assert agrees(0.14, 0.1, 1) and not agrees(0.16, 0.1, 1)
