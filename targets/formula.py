"""Formulas over series: `rd_expenditure / gdp * 100`, `gdp_per_capita[central_zone] / gdp_per_capita[yrd]`.

A formula is arithmetic (+ - * /, unary minus, numbers, parentheses) over series ids; a series may
carry a region subscript for goals that compare two regions. Formulas come from a YAML file a
user edits, so they are parsed with `ast` and walked by hand: nothing is ever passed to eval.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeAlias

import numpy as np
import pandas as pd

Value: TypeAlias = "pd.Series | float"
Lookup: TypeAlias = Callable[[str, str | None], "pd.Series | float | None"]

# series and region ids are lowercase slugs; a leading letter also rules out dunder names
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
# long enough for any real goal, short enough that nesting cannot exhaust the parser
MAX_LENGTH = 500

_BINOPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over series ids."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, the series it reads and the regions its subscripts name."""

    text: str
    series: frozenset[str]
    regions: frozenset[str]
    tree: ast.expr = field(repr=False, compare=False)

    def __str__(self) -> str:
        return self.text


def _check(node: ast.expr, text: str, series: set[str], regions: set[str]) -> None:
    """Walk the tree, collecting names; raise on anything that is not allowed."""
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise FormulaError(f"formula {text!r}: only + - * / are allowed")
        _check(node.left, text, series, regions)
        _check(node.right, text, series, regions)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub):
            raise FormulaError(f"formula {text!r}: only unary minus is allowed")
        _check(node.operand, text, series, regions)
    elif isinstance(node, ast.Constant):
        # bool is an int subclass: `True` is a name in a formula, not a number
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"formula {text!r}: {node.value!r} is not a number")
    elif isinstance(node, ast.Name):
        series.add(_id(node.id, "series", text))
    elif isinstance(node, ast.Subscript):
        if not isinstance(node.value, ast.Name) or not isinstance(node.slice, ast.Name):
            raise FormulaError(
                f"formula {text!r}: a subscript must be series[region], e.g. gdp[yrd]"
            )
        series.add(_id(node.value.id, "series", text))
        regions.add(_id(node.slice.id, "region", text))
    else:
        what = {ast.Call: "a function call", ast.Attribute: "an attribute"}.get(
            type(node), type(node).__name__
        )
        raise FormulaError(
            f"formula {text!r}: {what} is not allowed "
            "(only series ids, numbers, + - * /, parentheses and series[region])"
        )


def _id(name: str, kind: str, text: str) -> str:
    if not _ID.match(name):
        raise FormulaError(f"formula {text!r}: {name!r} is not a {kind} id (lowercase, a-z0-9_)")
    return name


@lru_cache(maxsize=512)
def parse(formula: str) -> Formula:
    """Parse and check a formula; raise FormulaError saying what is wrong."""
    text = formula.strip()
    if not text:
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {text!r}: syntax error ({exc.msg})") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(f"formula {text!r}: too deeply nested or not parsable") from None
    series: set[str] = set()
    regions: set[str] = set()
    _check(tree.body, text, series, regions)
    return Formula(text, frozenset(series), frozenset(regions), tree.body)


def _divide(a: Value, b: Value) -> Value:
    """a / b with NaN, never inf, where b is zero."""
    if isinstance(a, pd.Series) or isinstance(b, pd.Series):
        out = a / b
        return out.replace([np.inf, -np.inf], np.nan)  # type: ignore[union-attr]
    if b == 0 or (isinstance(b, float) and math.isnan(b)):
        return math.nan
    return float(a) / float(b)


def _eval(node: ast.expr, lookup: Lookup) -> Value:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # parse() admits only numbers
    if isinstance(node, ast.Name):
        return _number(lookup(node.id, None))
    if isinstance(node, ast.Subscript):
        assert isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Name)
        return _number(lookup(node.value.id, node.slice.id))
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, lookup)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, lookup), _eval(node.right, lookup)
        op = _BINOPS[type(node.op)]
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        return _divide(left, right)
    raise FormulaError(f"unexpected node {type(node).__name__}")  # parse() rules this out


def _number(value: pd.Series | float | None) -> Value:
    if value is None:
        return math.nan
    if isinstance(value, pd.Series):
        return value
    return float(value)


def evaluate(formula: Formula | str, lookup: Lookup) -> Value:
    """Compute a formula; lookup(series_id, region or None) returns aligned Series or numbers."""
    parsed = parse(formula) if isinstance(formula, str) else formula
    return _eval(parsed.tree, lookup)
