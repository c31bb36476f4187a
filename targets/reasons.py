"""Why a value or a verdict is missing, in the page's language.

targets.aggregate, targets.progress and targets.provenance write their reasons in English, the
stored form ("no gdp for anhui, jiangsu and 2 more in 2024"). `reason_text` words them for a
page, with indicator and region ids as their names; a reason (or a part of one) it does not
recognise is shown as written, never half translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# one reason may join several with "; " (targets.aggregate): each part is worded on its own
_SEP = "; "
_NO_SERIES = re.compile(
    r"^no (?P<sid>\w+) for (?P<who>.+?) in (?P<y>\d{4})(?: \((?P<own>.+)\))?$", re.DOTALL
)
_MORE = re.compile(r"^(?P<names>.+) and (?P<n>\d+) more$")
_WEIGHTS = re.compile(r"^the (?P<weight>\w+) weights add up to 0 in (?P<y>\d{4})$")
_DIVIDES = re.compile(r"^(?P<formula>.+) divides by zero$")
_DIFFERS = re.compile(
    r"^derived (?P<y>\d{4}) = (?P<v>\S+) not used: derived differs from published by "
    r"(?P<diff>\S+) in (?P<y2>\d{4}) \(derived (?P<d>\S+), published (?P<p>\S+); agreement "
    r"needs within (?P<tol>\S+)\)$"
)
_BASE = re.compile(r"^no (?P<y>\d{4}) value \(the base year\) for (?P<who>\w+)$")
_ONE = re.compile(r"^one value only \((?P<y>\d{4})\)$")
_TREND = re.compile(r"^no value for (?P<y>\d{4}): judged by the trend to (?P<t>\d{4})$")
_FIXED_ZH: dict[str, str] = {
    "no value": "无数值",
    "the goal states no comparator": "目标未说明比较方向",
}


def reason_names(catalogue: Any, regions: Any, lang: str) -> dict[str, str]:
    """Indicator and region ids -> their names in `lang`, for `reason_text`."""
    # the catalogue's and the registry's mappings (targets.aggregate's CatalogueLike/RegionsLike)
    names = {i: str(ind.name.get(lang)) for i, ind in catalogue.indicators.items()}
    names.update({r: str(reg.name.get(lang)) for r, reg in regions.regions.items()})
    return names


def reason_text(reason: Any, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A stored reason as a page in `lang` shows it; "" for no reason.

    `no gdp for anhui in 2024` -> `2024年缺少安徽的地区生产总值数据` (zh, with names).
    """
    if not isinstance(reason, str) or reason in ("", "nan"):
        return ""
    named = names or {}
    words = _part_zh if lang == "zh" else _part_en
    return ("；" if lang == "zh" else _SEP).join(words(part, named) for part in _parts(reason))


def _namer(named: Mapping[str, str]) -> Callable[[str], str]:
    return lambda rid: named.get(rid, rid)


def _parts(reason: str) -> list[str]:
    """The reasons joined with "; ", not splitting one quoted in brackets (a component's own)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(reason):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and reason.startswith(_SEP, i):
            parts.append(reason[start:i])
            start = i + len(_SEP)
    return [*parts, reason[start:]]


def _who(text: str, name: Callable[[str], str], zh: bool) -> str | None:
    """'anhui, jiangsu and 2 more' as names; None if it is not a list of ids."""
    more = _MORE.match(text)
    listed = more["names"] if more else text
    ids = listed.split(", ")
    if not all(re.fullmatch(r"\w+", i) for i in ids):
        return None
    if not zh:
        return ", ".join(map(name, ids)) + (f" and {more['n']} more" if more else "")
    # "anqing, … and 21 more": five named of 26, "安庆……等26个地区"
    return "、".join(map(name, ids)) + (f"等{len(ids) + int(more['n'])}个地区" if more else "")


def _part_en(part: str, named: Mapping[str, str]) -> str:
    """English as stored, with ids as names where the part is one this module knows."""
    name = _namer(named)
    if m := _NO_SERIES.match(part):
        who = _who(m["who"], name, zh=False)
        if who is not None:
            own = f" ({reason_text(m['own'], 'en', named)})" if m["own"] else ""
            return f"no {name(m['sid'])} for {who} in {m['y']}{own}"
    if m := _BASE.match(part):
        return f"no {m['y']} value (the base year) for {name(m['who'])}"
    if m := _DIVIDES.match(part):
        return f"{_formula(m['formula'], name)} divides by zero"
    return part


def _formula(text: str, name: Callable[[str], str]) -> str:
    """A formula with its series ids as names ('gdp / population' -> '地区生产总值 / 常住人口')."""
    return re.sub(r"\b[A-Za-z_]\w*\b", lambda m: name(m.group()), text)


def _part_zh(part: str, named: Mapping[str, str]) -> str:
    name = _namer(named)
    if part in _FIXED_ZH:
        return _FIXED_ZH[part]
    if m := _NO_SERIES.match(part):
        who = _who(m["who"], name, zh=True)
        if who is not None:
            own = f"（{reason_text(m['own'], 'zh', named)}）" if m["own"] else ""
            return f"{m['y']}年缺少{who}的{name(m['sid'])}数据{own}"
    if m := _WEIGHTS.match(part):
        return f"{m['y']}年{name(m['weight'])}权重合计为0"
    if m := _DIFFERS.match(part):
        return (
            f"{m['y']}年测算值{m['v']}未采用：{m['y2']}年测算值与公布值相差{m['diff']}"
            f"（测算{m['d']}，公布{m['p']}；一致须相差不超过{m['tol']}）"
        )
    if m := _DIVIDES.match(part):
        return f"{_formula(m['formula'], name)}：除数为零"
    if m := _BASE.match(part):
        return f"缺少{name(m['who'])}{m['y']}年基数"
    if m := _ONE.match(part):
        return f"仅有一个数值（{m['y']}年）"
    if m := _TREND.match(part):
        return f"{m['y']}年无数值：按截至{m['t']}年的趋势判断"
    return part
