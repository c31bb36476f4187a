"""Per-value flags: what a release says of a figure beyond its number, in one vocabulary.

A flagged value is a real outturn that is not (yet) the final, like-for-like figure: a verdict
that rests on it is provisional (初步) and says why. An estimate (预计, a forecast made before the
year closed) is not a flag: it is never stored as the year's value, and an import that gives one
is refused at the cell (`read_flag` returns the issue code).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from targets.models import I18n


@dataclass(frozen=True)
class Flag:
    """A flag: its id (stored), its name and why a verdict on it is provisional."""

    id: str
    label: I18n
    reason: I18n


FLAGS: tuple[Flag, ...] = (
    Flag(
        "prelim",
        I18n(zh="初步数", en="preliminary"),
        I18n(zh="初步数，正式数据可能修订", en="a preliminary figure; the final one may differ"),
    ),
    Flag(
        "approx",
        I18n(zh="约数", en="approximate"),
        I18n(
            zh="约数（左右/超过/突破），实际值经取整或只给出界限",
            en="an approximate figure (左右/超过/突破): the outturn rounded or bounded",
        ),
    ),
    Flag(
        "different-scope",
        I18n(zh="口径不同", en="different scope"),
        I18n(
            zh="统计范围与规划口径不同", en="a different scope from the plan's (e.g. fewer cities)"
        ),
    ),
    Flag(
        "different-definition",
        I18n(zh="定义不同", en="different definition"),
        I18n(zh="指标定义与规划不同", en="a different definition from the plan's indicator"),
    ),
)
FLAG_IDS: tuple[str, ...] = tuple(f.id for f in FLAGS)
_BY_ID: dict[str, Flag] = {f.id: f for f in FLAGS}

# How a flag cell may spell each flag (compared after NFKC, lower case, no spaces).
_SPELLINGS: dict[str, str] = {
    **{w: "prelim" for w in ("prelim", "preliminary", "p", "(p)", "初步", "初步数", "初步核算")},
    **{w: "approx" for w in ("approx", "approximate", "约", "约数", "左右", "超过", "突破", "超")},
    **{w: "different-scope" for w in ("different-scope", "scope", "口径不同", "范围不同")},
    **{w: "different-definition" for w in ("different-definition", "definition", "定义不同")},
    **{w: "" for w in ("", "final", "正式", "正式数", "终核", "-", "—")},
}
# A forecast is not an outturn: never stored as the year's value.
ESTIMATE_WORDS = frozenset({"estimate", "estimated", "forecast", "预计", "预计数", "预测", "预估"})
ESTIMATE_CODE = "estimate-value"
UNKNOWN_CODE = "unknown-flag"


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


def read_flag(text: object) -> tuple[str, str | None]:
    """A flag cell as written -> (flag id or "" for final, issue code or None).

    The issue code is ESTIMATE_CODE for an estimate (预计) and UNKNOWN_CODE for a word outside
    the vocabulary; the flag is then "".
    """
    if text is None or (isinstance(text, float) and text != text):
        return "", None
    key = _key(str(text))
    if key in ESTIMATE_WORDS:
        return "", ESTIMATE_CODE
    flag = _SPELLINGS.get(key)
    if flag is None:
        return "", UNKNOWN_CODE
    return flag, None


def flag_label(flag: str, lang: str = "zh") -> str:
    """The flag's name in zh or en ("" for no flag; an id outside the vocabulary as itself)."""
    if not flag:
        return ""
    found = _BY_ID.get(flag)
    return found.label.get(lang) if found else flag


def flag_reason(flag: str, lang: str = "zh") -> str:
    """Why a verdict resting on a value with this flag is provisional ("" for no flag)."""
    if not flag:
        return ""
    found = _BY_ID.get(flag)
    return found.reason.get(lang) if found else flag


def is_flag(flag: object) -> bool:
    """True for a stored flag that makes a verdict provisional."""
    return isinstance(flag, str) and flag in _BY_ID
