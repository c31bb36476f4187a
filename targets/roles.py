"""Whose goal a verdict is about: the region's own goal, or a benchmark against another's.

The plans set each goal for a scope (the whole region, the central zone); `compare:
all_regions` adds every other region with a value, *compared* with that goal. Such a row is a
benchmark: its verdict must never read as if the plan had set the goal for that region, so every
surface shows it with the mark and the words of `benchmark_note`, and the region's own verdict
comes first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Role = Literal["goal", "benchmark"]
ROLES: tuple[str, ...] = ("goal", "benchmark")
# the mark of a benchmark verdict (in Noto CJK, so the PDF prints it): a note, not a status
MARK = "※"
WORDS: dict[str, tuple[str, str]] = {
    "goal": ("规划目标", "plan goal"),
    "benchmark": ("对标", "benchmark"),
}


def role_of(region: str, scope: list[str] | tuple[str, ...], overrides: Mapping[str, Any]) -> Role:
    """goal where the plan sets the goal for `region` (its scope, or a value of its own)."""
    return "goal" if region in scope or region in overrides else "benchmark"


def goal_scope_of(
    region: str, scope: list[str] | tuple[str, ...], overrides: Mapping[str, Any]
) -> str:
    """The region the plan set the goal for: the region itself, else the goal's first scope."""
    if region in scope or region in overrides or not scope:
        return region
    return scope[0]


def roles_of(
    regions: list[str], scope: list[str] | tuple[str, ...], overrides: Mapping[str, Any]
) -> tuple[list[str], list[Role]]:
    """goal_scope_of and role_of of many regions of one goal at once (a national gap table has
    222,000 rows; the calls one by one took a second of it)."""
    own = set(scope) | set(overrides)
    role: list[Role] = ["goal" if r in own else "benchmark" for r in regions]
    if not scope:
        return list(regions), role
    return [r if r in own else scope[0] for r in regions], role


def word(role: str, lang: str) -> str:
    """'对标' / 'benchmark', '规划目标' / 'plan goal'."""
    zh, en = WORDS.get(role, WORDS["goal"])
    return en if lang == "en" else zh


def is_benchmark(row: Mapping[str, Any]) -> bool:
    """Whether a gap row is a benchmark (rows without a role column count as goals)."""
    return row.get("role") == "benchmark"


def benchmark_note(scope_name: str, lang: str) -> str:
    """'※ 对标：规划为长三角设定此目标' / '※ benchmark: the plan sets this goal for the YRD'."""
    if lang == "en":
        return f"{MARK} benchmark: the plan sets this goal for {scope_name}"
    return f"{MARK} 对标：规划为{scope_name}设定此目标"


def tag(role: str, lang: str) -> str:
    """The short mark a cell shows: '※ 对标' / '※ benchmark'; '' for the region's own goal."""
    return f"{MARK} {word('benchmark', lang)}" if role == "benchmark" else ""
