"""targets/formula.py: parsing by ast (never eval), evaluation over Series and numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from targets.formula import FormulaError, evaluate, parse

YEARS = pd.Index([2018, 2019, 2020], name="year")
SERIES = {
    "rd_expenditure": pd.Series([100.0, 120.0, 0.0], index=YEARS),
    "gdp": pd.Series([4000.0, 4000.0, 0.0], index=YEARS),
    "population": pd.Series([10.0, 20.0, 40.0], index=YEARS),
}


def lookup(series: str, region: str | None) -> pd.Series:
    return SERIES[series]


def test_parse_collects_series_and_regions() -> None:
    f = parse("gdp_per_capita[central_zone] / gdp_per_capita[yrd]")
    assert f.text == "gdp_per_capita[central_zone] / gdp_per_capita[yrd]"
    assert f.series == frozenset({"gdp_per_capita"})
    assert f.regions == frozenset({"central_zone", "yrd"})
    g = parse("  rd_expenditure / gdp * 100 ")
    assert g.text == "rd_expenditure / gdp * 100"
    assert g.series == frozenset({"rd_expenditure", "gdp"})
    assert g.regions == frozenset()
    assert str(g) == g.text


def test_formula_is_frozen_and_compares_by_text() -> None:
    f = parse("gdp / population * 10000")
    with pytest.raises(AttributeError):
        f.text = "gdp"  # type: ignore[misc]
    assert f == parse("gdp / population * 10000")


def test_evaluate_series_arithmetic_and_division_by_zero() -> None:
    out = evaluate("rd_expenditure / gdp * 100", lookup)
    assert isinstance(out, pd.Series)
    assert out.iloc[0] == pytest.approx(2.5)
    assert out.iloc[1] == pytest.approx(3.0)
    assert math.isnan(out.iloc[2])  # 0 / 0
    # x / 0 is NaN, never inf
    per_gdp = evaluate("population / gdp", lookup)
    assert isinstance(per_gdp, pd.Series)
    assert math.isnan(per_gdp.iloc[2])
    assert not (per_gdp == math.inf).any()


def test_evaluate_constants_unary_minus_and_parentheses() -> None:
    assert evaluate("-(2 + 3) * 4 / 5 - 1", lookup) == pytest.approx(-5.0)
    assert evaluate("1 - 2 - 3", lookup) == pytest.approx(-4.0)  # left-associative
    assert evaluate("2 * (population - population)", lookup).tolist() == [0.0, 0.0, 0.0]  # type: ignore[union-attr]


def test_evaluate_scalars_and_scalar_division_by_zero() -> None:
    values = {("gdp", "central_zone"): 120.0, ("gdp", "yrd"): 100.0, ("gdp", "demo_zone"): 0.0}

    def scalar(series: str, region: str | None) -> float:
        return values[(series, region or "yrd")]

    assert evaluate("gdp[central_zone] / gdp[yrd]", scalar) == pytest.approx(1.2)
    assert evaluate("gdp / gdp[central_zone]", scalar) == pytest.approx(100 / 120)
    assert math.isnan(evaluate("gdp[yrd] / gdp[demo_zone]", scalar))  # type: ignore[arg-type]


def test_lookup_receives_the_subscript_region() -> None:
    calls: list[tuple[str, str | None]] = []

    def spy(series: str, region: str | None) -> float:
        calls.append((series, region))
        return 2.0

    assert evaluate(parse("gdp_per_capita[central_zone] / gdp_per_capita"), spy) == 1.0
    assert calls == [("gdp_per_capita", "central_zone"), ("gdp_per_capita", None)]


def test_cross_region_series_align_on_index() -> None:
    zone = pd.Series([120.0, 130.0], index=[2019, 2020])
    whole = pd.Series([100.0, 100.0, 110.0], index=[2018, 2019, 2020])
    out = evaluate("x[central_zone] / x[yrd]", lambda s, r: zone if r == "central_zone" else whole)
    assert isinstance(out, pd.Series)
    assert math.isnan(out.loc[2018])
    assert out.loc[2019] == pytest.approx(1.2)
    assert out.loc[2020] == pytest.approx(130 / 110)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('true')", "a function call is not allowed"),
        ("abs(gdp)", "a function call is not allowed"),
        ("gdp.sum", "an attribute is not allowed"),
        ("__import__", "'__import__' is not a series id"),
        ("gdp ** 2", "only + - * / are allowed"),
        ("gdp // 2", "only + - * / are allowed"),
        ("gdp % 2", "only + - * / are allowed"),
        ("not gdp", "only unary minus is allowed"),
        ("+gdp", "only unary minus is allowed"),
        ("'gdp'", "is not a number"),
        ("True * gdp", "is not a number"),
        ("gdp[0]", "a subscript must be series[region]"),
        ("gdp[yrd][2020]", "a subscript must be series[region]"),
        ("gdp[yrd:central_zone]", "a subscript must be series[region]"),
        ("gdp if population else 0", "IfExp is not allowed"),
        ("[gdp for gdp in population]", "ListComp is not allowed"),
        ("lambda: 0", "Lambda is not allowed"),
        ("gdp < population", "Compare is not allowed"),
        ("GDP / population", "'GDP' is not a series id"),
        ("gdp[Yrd]", "'Yrd' is not a region id"),
        ("gdp /", "syntax error"),
        ("gdp = 1", "syntax error"),
        ("", "formula is empty"),
        ("(" * 300 + "gdp" + ")" * 300, "longer than 500"),
    ],
)
def test_rejects_everything_but_arithmetic(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert message in str(info.value)


def test_evaluate_never_runs_code() -> None:
    # a formula reaching evaluate as text goes through parse first
    with pytest.raises(FormulaError):
        evaluate("__import__('os').getcwd()", lookup)


def test_missing_lookup_value_is_nan() -> None:
    assert math.isnan(evaluate("gdp * 2", lambda s, r: None))  # type: ignore[arg-type]
