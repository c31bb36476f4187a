"""The one status vocabulary: id, words (zh, en), symbol, colours, order and meaning.

Every surface that shows a status — the overview's chips and cells, hovers, legends, the method
page, the CLI and every report format — takes its words from here, so a status reads the same
everywhere. A status is never shown by colour alone: the symbol and the word go with it.

The palette is colour-blind safe (blue for good, yellow to brown for bad, grey for no judgement,
after ColorBrewer Blues/Oranges); each background is paired with the text colour that gives a
WCAG contrast of at least 4.5:1. Screen and paper use these same colours. The symbols are all in
Noto CJK's repertoire, the font the PDF embeds.

Two rules set the headline status (targets.progress): the *pace* rule (the published ratio
method) while the goal year is more than a year away, the *distance* rule once it is within one
year or past. `rule` says which statuses each rule gives; achieved, missed and the two
no-judgement statuses belong to both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from targets.models import I18n

Rule = Literal["pace", "distance", "both"]


@dataclass(frozen=True)
class Status:
    """One status: its words, symbol, colours, the rule that gives it and what it means."""

    id: str
    label: I18n
    symbol: str
    colour: str
    text_colour: str
    rule: Rule
    means: I18n

    @property
    def zh(self) -> str:
        return self.label.zh

    @property
    def en(self) -> str:
        return self.label.en


def _s(
    id: str, zh: str, en: str, symbol: str, colour: str, text: str, rule: Rule, mzh: str, men: str
) -> Status:
    return Status(id, I18n(zh=zh, en=en), symbol, colour, text, rule, I18n(zh=mzh, en=men))


# The thresholds. Pace: the ratio of actual to required yearly growth (Statistics Canada's
# method). Distance: the shortfall as a share of the distance still to go, in the spirit of
# Destatis' weather symbols (sun under 5%, partly cloudy under 20%).
ON_TRACK = 0.95
MODERATE = 0.6
CLOSE = 0.05
SHORT = 0.20

_on, _mod, _close, _short = ON_TRACK, MODERATE, f"{CLOSE:.0%}", f"{SHORT:.0%}"

# Best first: this order is the rank used to sort and compare statuses (the headline's order).
STATUSES: tuple[Status, ...] = (
    _s("achieved", "已实现", "Achieved", "✔", "#08519c", "#ffffff", "both",
       "最新值按规划措辞的比较符达到目标",
       "the latest value meets the goal, with the comparator as the plan words it"),
    _s("on_track", "进展顺利", "On track", "▲", "#9ecae1", "#000000", "pace",
       f"按增速法：实际增速 / 所需增速 ≥ {_on}",
       f"pace rule: ratio of actual to required yearly growth ≥ {_on}"),
    _s("close", "接近目标", "Close to the goal", "≈", "#c6dbef", "#000000", "distance",
       f"按距离法（目标年临近或已过）：差距不超过尚需距离的{_close}",
       f"distance rule (goal year within a year or past): short by at most {_close} "
       "of the distance to go"),
    _s("moderate", "进展一般", "Moderate progress", "◆", "#fee391", "#000000", "pace",
       f"按增速法：{_mod} ≤ 比值 < {_on}", f"pace rule: {_mod} ≤ ratio < {_on}"),
    _s("short", "尚有差距", "Some way short", "◇", "#fff7bc", "#000000", "distance",
       f"按距离法：差距为尚需距离的{_close}–{_short}",
       f"distance rule: short by {_close} to {_short} of the distance to go"),
    _s("insufficient", "进展不足", "Insufficient progress", "▼", "#fdae6b", "#000000", "pace",
       f"按增速法：0 ≤ 比值 < {_mod}", f"pace rule: 0 ≤ ratio < {_mod}"),
    _s("far", "差距较大", "Far from the goal", "▽", "#e6550d", "#000000", "distance",
       f"按距离法：差距超过尚需距离的{_short}",
       f"distance rule: short by more than {_short} of the distance to go"),
    _s("moving_away", "反向变化", "Moving away", "✖", "#a63603", "#ffffff", "pace",
       "按增速法：比值 < 0，数值背离目标", "pace rule: ratio < 0, the value moves away from the goal"),
    _s("missed", "未实现", "Missed", "✗", "#7f2704", "#ffffff", "both",
       "目标年份已过且该年数值未达到目标", "the goal year has passed and its value misses the goal"),
    _s("insufficient_data", "仅一个数值", "One value only", "…", "#e0e0e0", "#000000", "both",
       "仅有一个数值，无法判断趋势", "a single value: no trend to judge yet"),
    _s("no_data", "无数据", "No data", "?", "#ffffff", "#4d4d4d", "both",
       "没有数值（或按基年变化设定的目标缺少基年值）",
       "no value (or no base-year value for a goal set as a change)"),
)  # fmt: skip

BY_ID: dict[str, Status] = {s.id: s for s in STATUSES}
IDS: tuple[str, ...] = tuple(BY_ID)
# best first (0 = achieved); sorting by it puts the best first
RANK: dict[str, int] = {s.id: i for i, s in enumerate(STATUSES)}
# worst first among the judged statuses, then the two without a judgement: how lists of goals
# put the ones needing attention first
JUDGED: tuple[str, ...] = tuple(s for s in IDS if s not in ("insufficient_data", "no_data"))
SEVERITY: dict[str, int] = {
    s: i for i, s in enumerate([*reversed(JUDGED), "insufficient_data", "no_data"])
}
# status -> (background, text colour): the one palette of the dashboard and the reports
COLOURS: dict[str, tuple[str, str]] = {s.id: (s.colour, s.text_colour) for s in STATUSES}


def get(status: str) -> Status:
    """The status of an id; an unknown id reads as no data (never a KeyError on a page)."""
    return BY_ID.get(status, BY_ID["no_data"])


def label(status: str, lang: str = "zh") -> str:
    """The status's word in zh or en."""
    return get(status).label.get(lang)


def symbol(status: str) -> str:
    """The status's symbol (shown beside the colour so that status never rests on colour alone)."""
    return get(status).symbol


def colour(status: str) -> str:
    return get(status).colour


def colours(status: str) -> tuple[str, str]:
    """(background, text) colours of a status; unknown statuses look like no data."""
    return COLOURS.get(status, COLOURS["no_data"])


def text(status: str, lang: str) -> str:
    """Symbol and word together: '✔ 已实现', '≈ Close to the goal'."""
    return f"{symbol(status)} {label(status, lang)}"


def meaning(status: str, lang: str) -> str:
    """The status's rule with its threshold, in one line (legends, the method page, hovers)."""
    return get(status).means.get(lang)


def labels(lang: str = "zh") -> Mapping[str, str]:
    """Status id → word, in rank order (for legends)."""
    return {s.id: s.label.get(lang) for s in STATUSES}
