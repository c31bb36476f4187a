"""The drafted text of a goal-year assessment (规划实施情况评估): summary, areas, one paragraph a goal.

Deterministic templates, no language model: every figure is read from the Tracker's tables
(`Tracker.assessment` for the verdict, value and margin; `Tracker.gaps(milestone=Y, year=Y)`,
the frame that assessment judged, for the shortfall and the pace of goals not yet judged;
`targets.assessment.pace_text` for the pace in words) and formatted by targets.display, the
rules of the screen. Nothing is recomputed here: a sentence only says what a table holds.

Two steps, so that the wording can be tested on hand-made cases:

- `collect(...)` reads the tables into `GoalFacts` (one per indicator, a `Figure` per region);
- `goal_paragraph`, `area_paragraph`, `summary_paragraph` word facts in Chinese official style
  or in English; `draft_assessment(tracker, milestone, lang)` does both and returns a `Draft`,
  the one model the Word file, the HTML and PDF reports and the assessment page print.

Careful wording: a value the engine computed from component series is "经测算"; a verdict resting
on a preliminary, approximate or other-scope value is "初步测算" with the reason; bundled figures
are "据公开资料整理"; a goal whose value for the goal year is not out yet is never called met, only
"已提前达到目标水平" with the year of the value that shows it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from targets import roles
from targets.assessment import final_verdict_text, pace_text
from targets.display import (
    DASH,
    category_name,
    difference,
    goal_text,
    is_missing,
    number,
    value_with_unit,
    with_unit,
)
from targets.reasons import reason_text
from targets.roles import ROLES

if TYPE_CHECKING:
    from targets.models import Import, Indicator
    from targets.tracker import Tracker


# Every fixed phrase of the drafted text: key -> (zh, en). Sentences are assembled from these
# and from figures; placeholders are filled with str.format.
WORDS: dict[str, tuple[str, str]] = {
    "met": ("已实现", "met"),
    "missed": ("未实现", "missed"),
    "pending": ("待定", "pending"),
    "reached": ("已达到目标水平", "at the goal's level"),
    "provisional": ("初步", "provisional"),
    "derived": ("测算", "computed"),
    "list_sep": ("、", ", "),
    "bundled": (
        "据公开资料整理，正式引用前请以统计部门公布的数据为准",
        "compiled from public releases; check against the official statistics before citing",
    ),
    "computed": ("部分数值由组成序列测算", "some values computed from component series"),
}


def w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


# ---------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Wording:
    """One source of a goal: the plan's title, its section and the sentence quoted from it."""

    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class Figure:
    """One region's value as the text cites it, with its verdict (all read from the tables)."""

    region: str
    region_name: str
    role: str  # goal | benchmark
    verdict: str  # met | missed | pending
    year: int | None  # the year of the value cited: the goal year once judged, else the latest
    value: float | None
    target: float | None
    # met/missed: the assessment's signed margin (positive beyond the goal);
    # pending: minus the gap table's gap (0 once the value meets the goal)
    margin: float | None
    reached: bool  # the value cited meets the goal (met, or pending with status achieved)
    pace: str = ""  # pace_text of the gap row, for a goal not judged and not reached
    derived: bool = False  # computed by the engine from component series
    provisional: bool = False
    provisional_reason: str = ""
    bundled: bool = False  # from the bundled public statistics
    source: int | None = None  # number of its entry in the sources annex
    definite: bool = False  # English prose says "the Yangtze River Delta", "the central zone"
    # why no target could be set (a change goal without its base year), in targets.reasons' words
    reason: str = ""


@dataclass(frozen=True)
class GoalFacts:
    """One indicator's goal for a milestone year and every region's figure for it."""

    indicator: str
    name: str
    category: str
    unit: str
    decimals: int
    direction: str
    milestone: int
    comparator: str
    wording: tuple[Wording, ...]
    goal_text: str  # the plan's goal in the catalogue's words (English readers get these)
    scope_names: tuple[str, ...]
    judged_as: str  # the goal as the tracker reads it: '> 3.00%', '较2017年 −10%（≤ 0.451）'
    figures: tuple[Figure, ...]
    change: float | None = None  # a change_from_base goal: the change in percent …
    base_year: int | None = None  # … from this year
    scope_refs: tuple[str, ...] = ()  # the scope as English prose names it ('the …')

    def of_role(self, role: str) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.role == role)


@dataclass(frozen=True)
class SourceEntry:
    """A line of the sources annex: one value cited, where it comes from, how far it is final."""

    number: int
    indicator: str
    indicator_name: str
    region_name: str
    year: int | None
    note: str
    import_id: int | None
    derived: bool
    bundled: bool
    provisional_reason: str = ""


# ---------------------------------------------------------------------------- the draft


@dataclass(frozen=True)
class Paragraph:
    """One drafted paragraph; `key` is stable (the page's copy buttons and tests use it)."""

    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class Area:
    """A category of goals: its paragraph of counts, then one paragraph per goal."""

    category: str
    title: str
    intro: Paragraph
    goals: tuple[Paragraph, ...]


@dataclass(frozen=True)
class TableRow:
    """A row of the goal table (display strings): goal, scope, value, verdict, source."""

    indicator: str
    goal: str
    scope: str
    value: str
    verdict: str
    source: str
    verdict_code: str
    provisional: bool


@dataclass(frozen=True)
class Draft:
    """The drafted assessment of one milestone year in one language."""

    lang: str
    milestone: int
    summary: Paragraph
    areas: tuple[Area, ...]
    table: tuple[TableRow, ...]
    sources: tuple[SourceEntry, ...]
    facts: tuple[GoalFacts, ...] = field(repr=False, default=())

    def paragraphs(self) -> list[Paragraph]:
        """Summary, then each area's paragraph and its goals' paragraphs, in reading order."""
        out = [self.summary]
        for area in self.areas:
            out.append(area.intro)
            out.extend(area.goals)
        return out


# ---------------------------------------------------------------------------- wording helpers


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def tidy_quote(text: str) -> str:
    """A quote as copied from a PDF ('研发投入强度达到 3%以上') without the spaces the extraction
    put between Chinese and Latin characters; spaces between Latin words stay."""
    return _SPACE_NEAR_CJK.sub("", text.strip())


def join_names(names: Sequence[str], lang: str) -> str:
    """'上海、江苏' · 'Shanghai and Jiangsu' · 'Shanghai, Jiangsu and Zhejiang'."""
    if lang != "en":
        return "、".join(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _value(f: Figure, facts: GoalFacts) -> str:
    return value_with_unit(f.value, facts.decimals, facts.unit)


def _ref(f: Figure, lang: str) -> str:
    """The region as prose names it: 'the Yangtze River Delta', 'Anhui', '长三角'."""
    return f"the {f.region_name}" if lang == "en" and f.definite else f.region_name


def value_list(numbers: Sequence[str], marks: Sequence[str], unit: str, lang: str) -> str:
    """Numbers of one unit in a list, the unit said once: '4.35%、3.36%' (a percent sign stays on
    each number) · '2.08、2.24 倍（农村=1）' · '4.50% and 3.30% of GDP'. A mark follows its number
    ('89.8%（测算）')."""
    percent = unit.startswith("%")
    items = []
    for k, (num, mark) in enumerate(zip(numbers, marks, strict=True)):
        last = k == len(numbers) - 1
        text = with_unit(num, unit) if last else num + ("%" if percent else "")
        if mark:
            text += f" ({mark})" if lang == "en" else f"（{mark}）"
        items.append(text)
    return join_names(items, lang)


def _diff(amount: float | None, facts: GoalFacts, lang: str) -> str:
    return difference(amount, facts.decimals, facts.unit, lang)


def _side(f: Figure, facts: GoalFacts, lang: str) -> str:
    """'高于目标0.30个百分点' / '0.30 percentage points above the goal', by the margin's sign and the
    goal's direction (a margin beyond a lower-is-better goal is below it)."""
    assert f.margin is not None
    beyond = f.margin >= 0
    higher = beyond == (facts.direction != "lower_is_better")
    amount = _diff(f.margin, facts, lang)
    if lang == "en":
        return f"{amount} {'above' if higher else 'below'} the goal"
    return f"{'高于' if higher else '低于'}目标{amount}"


def _intro(f: Figure, lang: str) -> str:
    """How a sentence about a value opens: computed or provisional values say so first."""
    if f.provisional:
        return "Provisionally, " if lang == "en" else "初步测算，"
    if f.derived:
        return "As computed from component series, " if lang == "en" else "经测算，"
    return ""


def _provisional_tail(f: Figure, lang: str) -> str:
    if not f.provisional:
        return ""
    why = f.provisional_reason
    if lang == "en":
        return f" The verdict is provisional{': ' + why if why else ''}."
    return f"该结论为初步判断{'（' + why + '）' if why else ''}。"


# ---------------------------------------------------------------------------- a goal


def goal_sentence(facts: GoalFacts, lang: str) -> str:
    """The plan's goal in its own words, and how the tracker reads it."""
    scope = join_names(facts.scope_names, lang)
    if lang == "en":
        scope = join_names(facts.scope_refs or facts.scope_names, lang)
        docs = "; ".join(dict.fromkeys(x.document for x in facts.wording))
        judged = f" It is judged here as {facts.judged_as}." if facts.judged_as != DASH else ""
        return (
            f"{facts.name}: the goal for {facts.milestone}, set for {scope}, is "
            f"“{facts.goal_text}” ({docs}).{judged}"
        )
    quotes = [tidy_quote(x.quote) for x in facts.wording]
    quoted = "、".join(
        f"“{q}”（《{x.document}》）" for q, x in zip(quotes, facts.wording, strict=True)
    )
    # "中心区“中心区城乡居民收入差距…”": the quote names its scope already
    if quotes and any(quotes[0].startswith(name) for name in facts.scope_names):
        scope = ""
    judged = f"，本报告按“{facts.judged_as}”评估" if facts.judged_as != DASH else ""
    return f"{facts.name}：规划目标为到{facts.milestone}年，{scope}{quoted}{judged}。"


def figure_sentence(f: Figure, facts: GoalFacts, lang: str) -> str:
    """One goal region's standing: judged met or missed, pending (ahead or behind), or no data."""
    en = lang == "en"
    y = facts.milestone
    if f.value is None:
        return (
            f"No data for {_ref(f, lang)} yet: it cannot be assessed."
            if en
            else (f"{f.region_name}暂无数据，无法评估。")
        )
    value = _value(f, facts)
    at = (
        f"in {f.year} {_ref(f, lang)} stood at {value}"
        if en
        else f"{f.year}年{f.region_name}为{value}"
    )
    opening = _intro(f, lang)
    at = opening + at if opening else (at[0].upper() + at[1:] if en else at)
    if f.target is None:
        if facts.change is not None and f.reason:
            if en:
                return (
                    f"{at}; {f.reason}, so the goal ({facts.judged_as}) cannot be turned into "
                    "a level: not assessed."
                )
            return f"{at}，但{f.reason}，目标值无法折算，暂无法评估。"
        return (
            f"{at}; the goal has no value to judge against."
            if en
            else (f"{at}，目标值无法确定，暂无法评估。")
        )
    if f.verdict in ("met", "missed"):
        side = _side(f, facts, lang)
        if en:
            return f"{at}, {side}: {w(f.verdict, lang)}." + _provisional_tail(f, lang)
        return f"{at}，{side}，{w(f.verdict, lang)}目标。" + _provisional_tail(f, lang)
    # pending: the goal year's value is not out yet
    if f.reached:
        if en:
            return (
                f"{at}, already at the goal's level; the {y} value is not yet published, so the "
                "verdict is pending." + _provisional_tail(f, lang)
            )
        return f"{at}，已提前达到目标水平；{y}年数据尚未公布，终期结论待定。" + _provisional_tail(
            f, lang
        )
    short = _diff(-f.margin if f.margin is not None else None, facts, lang)
    pace = f.pace
    if en:
        pace_part = f"; {pace}" if pace else ""
        return (
            f"{at}, {short} short of the goal{pace_part}. The {y} value is not yet published: "
            "pending." + _provisional_tail(f, lang)
        )
    pace_part = f"；{pace}" if pace else ""
    return f"{at}，距目标尚差{short}{pace_part}。{y}年数据尚未公布，结论待定。" + _provisional_tail(
        f, lang
    )


def _mark(f: Figure, lang: str) -> str:
    """What qualifies a benchmark's value: '初步' (provisional), '测算' (computed), or nothing."""
    return w("provisional", lang) if f.provisional else w("derived", lang) if f.derived else ""


def benchmark_sentence(figures: Sequence[Figure], facts: GoalFacts, lang: str) -> str:
    """Regions compared with a goal set for a larger scope: their values by year, then which
    ones are at the goal's level and how far the others are below it."""
    en = lang == "en"
    with_value = [f for f in figures if f.value is not None and f.year is not None]
    if not with_value:
        return ""
    by_year: dict[int, list[Figure]] = {}
    for f in with_value:
        by_year.setdefault(int(f.year), []).append(f)  # type: ignore[arg-type]
    groups = []
    for year in sorted(by_year, reverse=True):
        figs = by_year[year]
        names = join_names([_ref(f, lang) for f in figs], lang)
        values = value_list(
            [number(f.value, facts.decimals) for f in figs],
            [_mark(f, lang) for f in figs],
            facts.unit,
            lang,
        )
        if en:
            groups.append(f"in {year} {names} stood at {values}")
        elif len(figs) > 1:
            groups.append(f"{year}年{names}分别为{values}")
        else:
            groups.append(f"{year}年{names}为{values}")
    change = facts.change is not None
    goal_word = (
        ("its own goal" if change else "the regional goal")
        if en
        else ("本地区目标" if change else "全域目标")
    )
    if en:
        listing = "By region, " + "; ".join(groups) + "."
    else:
        listing = "分地区看，" + "；".join(groups) + "。"
    reached = [f for f in with_value if f.reached]
    short = [
        f for f in with_value if not f.reached and f.margin is not None and f.target is not None
    ]
    judged: list[str] = []
    if reached:
        names = join_names([_ref(f, lang) for f in reached], lang)
        if en:
            verb = "is" if len(reached) == 1 else "are"
            judged.append(f"{names} {verb} at or beyond {goal_word}")
        else:
            judged.append(f"{names}已达到{goal_word}水平")
    for f in short:
        amount = _diff(f.margin, facts, lang)
        higher = facts.direction == "lower_is_better"  # short of a ≤ goal means above it
        if en:
            judged.append(
                f"{_ref(f, lang)} is {amount} {'above' if higher else 'below'} {goal_word}"
            )
        else:
            judged.append(f"{f.region_name}{'高于' if higher else '低于'}{goal_word}{amount}")
    if not judged:
        return listing
    if en:
        return listing + " " + "; ".join(judged) + "."
    return listing + "其中" + "，".join(judged) + "。"


def source_sentence(facts: GoalFacts, lang: str) -> str:
    """Where the figures come from: the annex entries, and how final they are."""
    numbers = sorted({f.source for f in facts.figures if f.source is not None})
    if not numbers:
        return ""
    refs = "".join(f"[{n}]" for n in numbers)
    notes = []
    if any(f.bundled for f in facts.figures if f.value is not None):
        notes.append(w("bundled", lang))
    if any(f.derived for f in facts.figures if f.value is not None):
        notes.append(w("computed", lang))
    if lang == "en":
        tail = f" ({'; '.join(notes)})" if notes else ""
        return f"Sources: annex {refs}{tail}."
    tail = f"（{'；'.join(notes)}）" if notes else ""
    return f"资料来源见附录{refs}{tail}。"


def goal_paragraph(facts: GoalFacts, lang: str) -> str:
    """The paragraph of one goal: wording, each goal region, the benchmarks, the sources."""
    parts = [goal_sentence(facts, lang)]
    parts += [figure_sentence(f, facts, lang) for f in facts.of_role("goal")]
    parts.append(benchmark_sentence(facts.of_role("benchmark"), facts, lang))
    parts.append(source_sentence(facts, lang))
    return (" " if lang == "en" else "").join(p for p in parts if p)


# ---------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class Counts:
    """How the plan's own goals (role goal) stand: one count per verdict, and the qualifiers."""

    total: int = 0
    met: int = 0
    missed: int = 0
    pending: int = 0
    ahead: int = 0  # pending, but the latest value already meets the goal
    no_data: int = 0  # pending without any value
    provisional: int = 0
    benchmarks: int = 0  # benchmark figures with a value
    benchmarks_reached: int = 0


def count(facts: Iterable[GoalFacts]) -> Counts:
    facts = list(facts)
    goals = [f for fact in facts for f in fact.of_role("goal")]
    benches = [f for fact in facts for f in fact.of_role("benchmark") if f.value is not None]
    return Counts(
        total=len(goals),
        met=sum(f.verdict == "met" for f in goals),
        missed=sum(f.verdict == "missed" for f in goals),
        pending=sum(f.verdict == "pending" for f in goals),
        ahead=sum(f.verdict == "pending" and f.reached for f in goals),
        no_data=sum(f.value is None for f in goals),
        provisional=sum(f.provisional for f in goals),
        benchmarks=len(benches),
        benchmarks_reached=sum(f.reached for f in benches),
    )


def _tally(c: Counts, lang: str) -> str:
    """'已实现2项，未实现1项，待定5项' (zero counts left out, except when all are zero)."""
    parts = [(k, n) for k, n in (("met", c.met), ("missed", c.missed), ("pending", c.pending)) if n]
    if lang == "en":
        return ", ".join(f"{n} {w(k, lang)}" for k, n in parts) or "none judged"
    return "，".join(f"{w(k, lang)}{n}项" for k, n in parts) or "均无法评估"


def area_paragraph(title: str, facts: Sequence[GoalFacts], lang: str) -> str:
    c = count(facts)
    if lang == "en":
        extra = f" ({c.ahead} of the pending already at the goal's level)" if c.ahead else ""
        prov = f"; {c.provisional} provisional" if c.provisional else ""
        return f"{title}: {c.total} quantified goals; {_tally(c, lang)}{extra}{prov}."
    extra = f"（其中{c.ahead}项已提前达到目标水平）" if c.ahead else ""
    prov = f"；{c.provisional}项为初步判断" if c.provisional else ""
    return f"{title}领域共有量化目标{c.total}项：{_tally(c, lang)}{extra}{prov}。"


def summary_paragraph(
    milestone: int, areas: Sequence[tuple[str, Sequence[GoalFacts]]], lang: str
) -> str:
    """The overall summary: the plan's goals by verdict, by area, and the benchmarks."""
    c = count(f for _, facts in areas for f in facts)
    en = lang == "en"
    by_area = [(title, count(facts)) for title, facts in areas]
    if en:
        text = (
            f"Assessment of the {milestone} goals: {c.total} quantified goals of the plans "
            f"(one per indicator and region the plan sets it for); {_tally(c, lang)}."
        )
        if c.pending:
            text += f" The {milestone} values of the pending goals are not yet published"
            text += f"; {c.ahead} of them are already at the goal's level" if c.ahead else ""
            text += f"; {c.no_data} have no data at all" if c.no_data else ""
            text += "."
        if c.provisional:
            text += f" {c.provisional} verdicts are provisional (see the paragraphs)."
        text += (
            " By area: "
            + "; ".join(f"{title} {a.total} ({_tally(a, lang)})" for title, a in by_area)
            + "."
        )
        if c.benchmarks:
            text += (
                f" Compared with goals set for the whole region, {c.benchmarks_reached} of "
                f"{c.benchmarks} provincial or city values are at or beyond the goal's level."
            )
        return text
    text = (
        f"{milestone}年目标评估概况：纳入评估的量化目标共{c.total}项（按指标和规划确定的适用地区计），"
        f"其中{_tally(c, lang)}。"
    )
    if c.pending:
        text += f"待定目标的{milestone}年数据尚未公布"
        text += f"，其中{c.ahead}项最新数据已提前达到目标水平" if c.ahead else ""
        text += f"，{c.no_data}项暂无数据" if c.no_data else ""
        text += "。"
    if c.provisional:
        text += f"另有{c.provisional}项结论为初步判断，详见各段说明。"
    text += (
        "分领域看，"
        + "；".join(f"{title}{a.total}项（{_tally(a, lang)}）" for title, a in by_area)
        + "。"
    )
    if c.benchmarks:
        text += f"对照全域目标，各省市及城市的{c.benchmarks}个数值中有{c.benchmarks_reached}个已达到目标水平。"
    return text


# ---------------------------------------------------------------------------- the table


def table_rows(facts: GoalFacts, lang: str) -> list[TableRow]:
    en = lang == "en"
    rows = []
    for f in facts.figures:
        role = roles.word(f.role, lang)
        value = DASH if f.value is None else f"{_value(f, facts)} ({f.year})"
        if f.derived and f.value is not None:
            value += f" ({w('derived', lang)})" if en else f"（{w('derived', lang)}）"
        verdict = final_verdict_text(f.verdict, lang)
        if f.verdict == "pending" and f.reached:
            verdict += f" ({w('reached', lang)})" if en else f"（{w('reached', lang)}）"
        if f.provisional:
            verdict += f" ({w('provisional', lang)})" if en else f"（{w('provisional', lang)}）"
        rows.append(
            TableRow(
                indicator=facts.indicator,
                goal=f"{facts.name} {facts.judged_as if f.role == 'goal' else _goal_of(f, facts)}",
                scope=f"{f.region_name} · {role}",
                value=value,
                verdict=verdict,
                source=DASH if f.source is None else f"[{f.source}]",
                verdict_code=f.verdict,
                provisional=f.provisional,
            )
        )
    return rows


def _goal_of(f: Figure, facts: GoalFacts) -> str:
    """The goal a benchmark is held to (its own level for a change-from-base goal)."""
    if f.target is None:
        return facts.judged_as
    return goal_text(facts.comparator, f.target, facts.decimals, facts.unit)


# ---------------------------------------------------------------------------- from the tables


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value)


def _float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def _definite(tracker: Tracker, region: str) -> bool:
    """Whether English prose puts "the" before the region's name (the delta, a zone)."""
    reg = tracker.regions.regions.get(region)
    return reg is not None and reg.level in ("region", "zone")


def _role(row: Mapping[str, Any], ind: Indicator) -> str:
    """The gap table's role where it carries one; else goal for the plan's scope, benchmark for
    any other region (the same rule: `compare: all_regions` adds the benchmarks)."""
    role = row.get("role")
    if isinstance(role, str) and role in ROLES:
        return role
    return "goal" if row["region"] in ind.scope else "benchmark"


def collect(
    tracker: Tracker,
    milestone: int,
    lang: str,
    *,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
) -> tuple[list[GoalFacts], list[SourceEntry]]:
    """GoalFacts of every numeric goal of `milestone` in scope, and the sources they cite."""
    from targets.bundled import is_bundled
    from targets.reports.model import goal_display

    assessed = tracker.assessment(milestone, lang)
    gaps = tracker.gaps(milestone=milestone, year=milestone)
    if regions:
        assessed = assessed[assessed["region"].isin(list(regions))]
    if indicators:
        assessed = assessed[assessed["indicator"].isin(list(indicators))]
    gap_rows = {(r["indicator"], r["region"]): r for r in gaps.to_dict("records")}
    names = tracker.reason_names(lang)
    imports: dict[int, Import] = {i.id: i for i in tracker.store.imports()}
    catalogue = tracker.catalogue
    docs = catalogue.documents
    sources: list[SourceEntry] = []
    numbered: dict[tuple[str, str, int | None], int] = {}
    out: list[GoalFacts] = []
    for ind_id, rows in assessed.groupby("indicator", sort=False):
        ind = catalogue[str(ind_id)]
        ms = ind.milestone(milestone)
        if ms is None or not ms.is_numeric:
            continue
        unit, decimals = ind.unit.get(lang), int(ind.decimals)
        change = (
            float(ms.value) if ms.basis == "change_from_base" and ms.value is not None else None
        )
        figures = []
        goal_row: dict[str, Any] | None = None
        for r in rows.to_dict("records"):
            gap = gap_rows.get((r["indicator"], r["region"]), {})
            role = _role({**gap, **r}, ind)
            judged = r["verdict"] in ("met", "missed")
            year = r["milestone_year"] if judged else r["latest_year"]
            value = _float(r["value"] if judged else r["latest_value"])
            target = _float(r["target"])
            margin = (
                _float(r["margin"])
                if judged
                else (None if is_missing(gap.get("gap")) else -float(gap["gap"]))
            )
            reached = r["verdict"] == "met" or (
                r["verdict"] == "pending" and gap.get("status") == "achieved"
            )
            import_id = None if is_missing(r["import_id"]) else int(r["import_id"])
            imp = imports.get(import_id) if import_id is not None else None
            bundled = imp is not None and is_bundled(imp.note)
            # the assessment's word: only a judged verdict is provisional, why in `lang`
            provisional = bool(r.get("provisional", False)) and not is_missing(
                r.get("provisional", False)
            )
            reason = _text(r.get("provisional_reason"))
            number_ = None
            if value is not None:
                key = (str(ind_id), str(r["region"]), None if year is None else int(year))
                if key not in numbered:
                    numbered[key] = len(sources) + 1
                    sources.append(
                        SourceEntry(
                            number=numbered[key],
                            indicator=str(ind_id),
                            indicator_name=ind.name.get(lang),
                            region_name=tracker.regions.name(str(r["region"]), lang),
                            year=key[2],
                            note=_text(r["source"]),
                            import_id=import_id,
                            derived=bool(r["derived"]),
                            bundled=bundled,
                            provisional_reason=reason if provisional else "",
                        )
                    )
                number_ = numbered[key]
            pace = ""
            if not judged and not reached and value is not None and gap:
                pace = pace_text(gap, lang, decimals)
            fig = Figure(
                region=str(r["region"]),
                region_name=tracker.regions.name(str(r["region"]), lang),
                definite=_definite(tracker, str(r["region"])),
                role=role,
                verdict=str(r["verdict"]),
                year=None if is_missing(year) or value is None else int(year),
                value=value,
                target=target,
                margin=margin,
                reached=bool(reached),
                pace=pace,
                derived=bool(r["derived"]) and value is not None,
                provisional=provisional,
                provisional_reason=reason if provisional else "",
                bundled=bundled,
                source=number_,
                reason=reason_text(gap.get("reason"), lang, names) if target is None else "",
            )
            figures.append(fig)
            if role == "goal" and goal_row is None:
                goal_row = {
                    "comparator": r["comparator"],
                    "target": r["target"],
                    "decimals": decimals,
                    "unit": unit,
                    "goal_change": change if change is not None else float("nan"),
                    "goal_base_year": ms.base_year,
                }
        if goal_row is None:  # no region of the plan's scope in this selection
            first = rows.iloc[0]
            goal_row = {
                "comparator": first["comparator"],
                "target": first["target"] if change is None else float("nan"),
                "decimals": decimals,
                "unit": unit,
                "goal_change": change if change is not None else float("nan"),
                "goal_base_year": ms.base_year,
            }
        wording = tuple(
            Wording(
                document=docs[s.document].title.get(lang) if s.document in docs else s.document,
                section=s.section,
                quote=s.quote,
            )
            for s in ms.sources
        )
        out.append(
            GoalFacts(
                indicator=ind.id,
                name=ind.name.get(lang),
                category=ind.category,
                unit=unit,
                decimals=decimals,
                direction=str(ind.direction),
                milestone=milestone,
                comparator=str(ms.comparator),
                wording=wording,
                goal_text=ms.text.get(lang),
                scope_names=tuple(tracker.regions.name(s, lang) for s in ind.scope),
                scope_refs=tuple(
                    f"the {tracker.regions.name(s, lang)}"
                    if _definite(tracker, s)
                    else tracker.regions.name(s, lang)
                    for s in ind.scope
                ),
                judged_as=goal_display(goal_row, lang),
                figures=tuple(figures),
                change=change,
                base_year=ms.base_year if change is not None else None,
            )
        )
    return out, sources


def draft_from_facts(
    facts: Sequence[GoalFacts], sources: Sequence[SourceEntry], milestone: int, lang: str
) -> Draft:
    """Word collected facts: areas in catalogue order, goals in catalogue order within each."""
    groups: dict[str, list[GoalFacts]] = {}
    for f in facts:
        groups.setdefault(f.category, []).append(f)
    titled = [(category_name(cat, lang), items) for cat, items in groups.items()]
    areas = []
    for (title, items), cat in zip(titled, groups, strict=True):
        areas.append(
            Area(
                category=cat,
                title=title,
                intro=Paragraph(f"area:{cat}", title, area_paragraph(title, items, lang)),
                goals=tuple(
                    Paragraph(f"goal:{f.indicator}", f.name, goal_paragraph(f, lang)) for f in items
                ),
            )
        )
    heading = "概况" if lang == "zh" else "Summary"
    return Draft(
        lang=lang,
        milestone=milestone,
        summary=Paragraph("summary", heading, summary_paragraph(milestone, titled, lang)),
        areas=tuple(areas),
        table=tuple(row for f in facts for row in table_rows(f, lang)),
        sources=tuple(sources),
        facts=tuple(facts),
    )


def draft_assessment(
    tracker: Tracker,
    milestone: int,
    lang: str = "zh",
    *,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
) -> Draft:
    """The drafted assessment of `milestone` in `lang`, from the Tracker's tables."""
    facts, sources = collect(tracker, milestone, lang, regions=regions, indicators=indicators)
    return draft_from_facts(facts, sources, milestone, lang)


PARAGRAPH_COLUMNS = ("key", "heading", "text", "kind", "area", "area_title")


def paragraph_frame(draft: Draft) -> pd.DataFrame:
    """The draft's paragraphs in reading order, one row each (PARAGRAPH_COLUMNS): `kind` is
    summary, area or goal; `area` the category of an area's paragraphs ("" for the summary)."""
    rows = [(draft.summary.key, draft.summary.heading, draft.summary.text, "summary", "", "")]
    for area in draft.areas:
        rows.append((area.intro.key, area.intro.heading, area.intro.text, "area", area.category,
                     area.title))  # fmt: skip
        rows += [(g.key, g.heading, g.text, "goal", area.category, area.title) for g in area.goals]
    return pd.DataFrame(rows, columns=list(PARAGRAPH_COLUMNS)).astype("str")


def draft_paragraphs(tracker: Tracker, milestone: int, lang: str = "zh") -> pd.DataFrame:
    """paragraph_frame of the drafted assessment of `milestone` (what the page shows)."""
    return paragraph_frame(draft_assessment(tracker, milestone, lang))
