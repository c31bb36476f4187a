"""What a value's note says about its source: official release or repost, the address, the quote.

The bundled statistics (targets.bundled) write each value's note as
`[remark; …] KIND: ADDRESS «QUOTE»`; uploaded files may put any text in a note, often just an
address. `parse_note` reads what it can and leaves the rest as the note's remark, so a page can
show "official" or "repost" with a link instead of one long line of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import pandas as pd

# the first word of the note of an import (or a value) of made-up data: benchmark and test data
# (bench/national.py) start theirs with it, and every page then says the data are synthetic
SYNTHETIC_MARK = "SYNTHETIC"


def is_synthetic(note: str | None) -> bool:
    """Whether an import's or a value's note marks it made-up data (SYNTHETIC_MARK first)."""
    return bool(note) and str(note).lstrip().startswith(SYNTHETIC_MARK)


# What str.lstrip() takes off (every character whose str.isspace() is true): a note is stored as
# written, so one may start with a space, a tab or an ideographic space before the mark
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def any_synthetic(notes: pd.Series) -> bool:
    """Whether any of `notes` (text, missing allowed) is_synthetic, vectorised for a column of
    millions: one startswith over the column, and only the notes that start with whitespace are
    stripped (a copy of every note would cost more than the check). 2,000,000 distinct notes of
    about 70 characters: 72 ms CPU by min, 17 ms of it the startswith (is_synthetic over the
    distinct notes: 4.2 s); 1,000,000: 32 ms."""
    if notes.dtype != "str":  # the frames read hold "str" (models.OBSERVATION_DTYPES): no copy
        notes = notes.astype("str")  # an all-missing column may come as float or object
    if notes.str.startswith(SYNTHETIC_MARK, na=False).to_numpy(dtype=bool).any():
        return True
    spaced = notes[notes.str.slice(0, 1).isin(list(WHITESPACE)).to_numpy(dtype=bool)]
    stripped = spaced.str.lstrip(WHITESPACE).str.startswith(SYNTHETIC_MARK, na=False)
    return bool(stripped.to_numpy(dtype=bool).any())


# the words targets.bundled writes before the address, by kind
KIND_WORDS: dict[str, str] = {
    "official release": "official",
    "NBS table export": "official",
    "compiled from a public repost": "repost",
    "derived": "derived",
}
# ... and the same words on a Chinese page (note_text)
KIND_WORDS_ZH: dict[str, str] = {
    "official release": "官方发布",
    "NBS table export": "国家统计局数据导出",
    "compiled from a public repost": "据公开转载整理",
}

# The words this tool writes into the note of a value it derives (targets.aggregate, and
# targets.bundled for a ratio computed from its parts): written in English, the stored form, and
# worded in Chinese by note_text. "derived: Σ rd_expenditure / Σ gdp × 100 over 4 provinces".
DERIVED_PREFIX = "derived: "
DERIVED_ZH = "推算："
MEMBER_NOUNS_ZH: dict[str, str] = {
    "provinces": "个省市", "cities": "个城市", "counties": "个县", "zones": "个区域",
    "regions": "个地区", "members": "个成员", "province": "个省市", "city": "个城市",
    "county": "个县", "zone": "个区域", "region": "个地区", "member": "个成员",
}  # fmt: skip
RATIO_REMARK = (
    "derived: {top} {num} / {bottom} {den} = {exact}, rounded to {decimals} decimals as the "
    "published ratios are"
)
_SERIES = re.compile(r"^(\w+): (?=\[|" + "|".join(map(re.escape, KIND_WORDS_ZH)) + ")")
_OVER = re.compile(r"^(?P<how>.*) over (?P<n>\d+) (?P<noun>\w+)$")
_WEIGHTED = re.compile(r"^(?P<weight>\w+)-weighted mean of (?P<series>\w+)$")
_RATIO = re.compile(
    r"^derived: (?P<top>\w+) (?P<num>\S+) / (?P<bottom>\w+) (?P<den>\S+) = (?P<exact>\S+), "
    r"rounded to (?P<decimals>\d+) decimals as the published ratios are$"
)


def weighted_mean_words(weight: str, series: str) -> str:
    return f"{weight}-weighted mean of {series}"


def over_words(members: str) -> str:
    """' over 4 provinces': the members a region's value was derived from."""
    return f" over {members}"


def member_words(n: int, noun: str) -> str:
    return f"{n} {noun}"


def note_text(note: str | None, lang: str) -> str:
    """A note as a page in `lang` shows it: the words this tool wrote (what kind of release, how
    a value was derived) in that language; the source's own words, address and quote as written.

    `[approx] compiled from a public repost: https://… «…»` -> `[approx] 据公开转载整理：https://… «…»`.
    """
    text = note or ""
    if lang == "en" or not text:
        return text
    # a ratio derived from two parts quotes each part's note after its series: `a: … | b: …`
    return " | ".join(_part_zh(part) for part in text.split(" | "))


def _part_zh(part: str) -> str:
    said = []
    # a remark (`[…] `) and the series a part is of (`urban_disposable_income: `), in any order
    while True:
        if m := REMARK.match(part):
            said.append(f"[{_derived_zh(m[1].strip())}] ")
        elif m := _SERIES.match(part):
            said.append(f"{m[1]}：")
        else:
            break
        part = part[m.end() :]
    for words, zh in KIND_WORDS_ZH.items():
        if part.startswith(words + ":"):
            return "".join(said) + f"{zh}：{part[len(words) + 1 :].lstrip()}"
    return "".join(said) + _derived_zh(part)


def _derived_zh(text: str) -> str:
    """'derived: …' as targets.aggregate or targets.bundled wrote it, in Chinese; else as is."""
    if m := _RATIO.match(text):
        return (
            f"{DERIVED_ZH}{m['top']} {m['num']} / {m['bottom']} {m['den']} = {m['exact']}，"
            f"按已公布比值的位数保留 {m['decimals']} 位小数"
        )
    if not text.startswith(DERIVED_PREFIX):
        return text
    how, members = text[len(DERIVED_PREFIX) :], ""
    if (m := _OVER.match(how)) and m["noun"] in MEMBER_NOUNS_ZH:
        how, members = m["how"], f"（{m['n']} {MEMBER_NOUNS_ZH[m['noun']]}）"
    if m := _WEIGHTED.match(how):
        how = f"{m['series']} 按 {m['weight']} 加权平均"
    return f"{DERIVED_ZH}{how}{members}"


ADDRESS = re.compile(r"https?://[^\s«»<>\"']+", re.IGNORECASE)
QUOTE = re.compile(r"«(.*?)(?:»|$)", re.DOTALL)
REMARK = re.compile(r"^\[([^\]]*)\]\s*")


@dataclass(frozen=True)
class SourceNote:
    """A note read apart: kind 'official', 'repost', 'derived' or '' (not said)."""

    kind: str
    address: str
    quote: str
    remark: str


def parse_note(note: str | None) -> SourceNote:
    """`[prelim] official release: https://… «…»` -> SourceNote('official', 'https://…', '…', 'prelim')."""
    text = (note or "").strip()
    remark = ""
    if m := REMARK.match(text):
        remark, text = m[1].strip(), text[m.end() :]
    # a computed value (the income ratio from incomes): its remark says how, then its sources
    kind = "derived" if remark.startswith("derived") else ""
    for words, k in KIND_WORDS.items():
        if kind:
            break
        if text.startswith(words):
            kind, text = k, text[len(words) :].lstrip(": ")
            break
    address = m[0].rstrip(".,;)") if (m := ADDRESS.search(text)) else ""
    if kind and not address:
        # a reference that is not a web address (an NBS export's file): as written
        address = text.split("«", 1)[0].strip()
    quote = m[1].strip() if (m := QUOTE.search(text)) else ""
    if not kind:
        # a note that is not in the bundled form: all of it, less address and quote, is remark
        rest = ADDRESS.sub("", QUOTE.sub("", text)).strip(" :;,·-")
        remark = "; ".join(p for p in (remark, rest) if p)
    return SourceNote(kind=kind, address=address, quote=quote, remark=remark)


PUBLISHER_COLUMNS = ("indicator", "host", "official", "repost")


def publisher_counts(obs: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and host of the source addresses: how many stored values an official
    release and a repost there give; most official values first within an indicator.

    Each distinct note is parsed once and counted by the values carrying it, the pairs counted
    on integer codes (at 10 million values a Python object per note took 7 s of the first
    sources page after an import).
    """
    import numpy as np
    import pandas as pd

    if not len(obs):
        return pd.DataFrame(columns=list(PUBLISHER_COLUMNS))
    ind_codes, indicators = pd.factorize(obs["indicator"])
    note_codes, notes = pd.factorize(obs["note"])  # a missing note: -1
    pair = ind_codes.astype(np.int64) * (len(notes) + 1) + (note_codes + 1)
    counts = pd.Series(pair).value_counts(sort=False)
    parsed: dict[int, tuple[str, str]] = {}
    tally: dict[tuple[str, str], list[int]] = {}
    for key, n in zip(counts.index.tolist(), counts.tolist(), strict=True):
        ind_code, note_code = divmod(int(key), len(notes) + 1)
        if note_code == 0:
            continue  # no note: no publisher
        if note_code not in parsed:
            one = parse_note(str(notes[note_code - 1]))
            host = urlsplit(one.address).hostname if one.address.startswith("http") else ""
            parsed[note_code] = (host or "", one.kind)
        host, kind = parsed[note_code]
        if not host or kind not in ("official", "repost"):
            continue
        slot = tally.setdefault((str(indicators[ind_code]), host), [0, 0])
        slot[0 if kind == "official" else 1] += int(n)
    frame = pd.DataFrame(
        [(i, h, o, r) for (i, h), (o, r) in tally.items()], columns=list(PUBLISHER_COLUMNS)
    )
    frame = frame.assign(_total=frame["official"] + frame["repost"])
    frame = frame.sort_values(
        ["indicator", "official", "_total", "host"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    return frame.drop(columns="_total").reset_index(drop=True)
