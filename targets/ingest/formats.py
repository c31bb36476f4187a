"""Cell number formats: what a format code does to the number a person sees.

A cell holds 0.0329 with the format `0.00%` and shows 3.29%; with `0.0"万件"` it holds 12.3 and
shows 12.3万件. The number a person sees is the number they mean, so the importer reads each
kept cell's format and takes the shown number and the unit the format writes:

- `%` (not quoted, not escaped) multiplies by 100, as Excel and LibreOffice both show it;
- text in the format (`"万件"`, `\\元`, a bare `亿元` or `‰`) is the cell's unit: Excel and
  LibreOffice both show a per-mille sign as text, so `0.00‰` shows the number stored, in ‰;
- commas after the last digit placeholder (`#,##0,`) divide by 1,000 each;
- formats that change the shown number in other ways are refused (`number-format`): `%%` (Excel
  multiplies twice, LibreOffice once), digits or a decimal point written as text (`0!.0000`),
  conditions (`[>100]`);
- currency symbols, colours, locales, padding and alignment change nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from targets.ingest.values import normalise_unit

# Built-in format ids a workbook may use without writing their codes (ECMA-376 18.8.30).
BUILTIN: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss",
    47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
# Date and time ids (Excel's East Asian built-ins 27-36 and 50-58 included)
DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})

_GENERAL = re.compile(r"^(general|g/通用格式|g/標準|通用格式|常规|標準)$", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[ymdhs]|am/pm|a/p|上午/下午", re.IGNORECASE)
_CURRENCY = frozenset("$¥￥€£₩₹")
# literal characters that say nothing about the unit: signs, brackets, spaces, separators
_PLAIN_LITERALS = frozenset(" \u00a0\u3000-+()（）:/^'{}<>=~&")


@dataclass(frozen=True)
class Section:
    """One section of a format code (codes have up to four: positive; negative; zero; text)."""

    scale: float = 1.0  # shown number = stored number × scale
    unit: str = ""  # the unit the section writes (normalised), "" when none
    refused: str = ""  # why the shown number cannot be read with certainty
    date: bool = False
    text: str = ""  # the literal text as written, for messages


@dataclass(frozen=True)
class NumberFormat:
    code: str
    sections: tuple[Section, ...]

    @property
    def plain(self) -> bool:
        """Shows the number stored, with no unit: nothing to do."""
        return all(s.scale == 1.0 and not s.unit and not s.refused for s in self.sections)

    @property
    def is_date(self) -> bool:
        return any(s.date for s in self.sections)

    def section(self, value: float) -> Section:
        """The section that formats `value` (Excel's rule: >0; <0; =0 with three or more)."""
        s = self.sections
        if len(s) == 1:
            return s[0]
        if value < 0:
            return s[1]
        if value == 0 and len(s) >= 3:
            return s[2]
        return s[0]


def _split_sections(code: str) -> list[str]:
    out, cur, i = [], [], 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            j = len(code) if j < 0 else j
            cur.append(code[i : j + 1])
            i = j + 1
            continue
        if ch in "\\!" and i + 1 < len(code):
            cur.append(code[i : i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _section(code: str) -> Section:
    """Read one section: its scale, the unit it writes, or why it is refused."""
    if _GENERAL.match(code.strip()) or code.strip() in ("", "@"):
        return Section()
    literal: list[str] = []
    bare: list[str] = []  # outside quotes, for date detection
    percents = 0
    commas_after = 0  # commas since the last digit placeholder
    placeholders = 0
    refused = ""
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            j = len(code) if j < 0 else j
            literal.append(code[i + 1 : j])
            i = j + 1
            continue
        if ch in "\\!":
            literal.append(code[i + 1 : i + 2])
            i += 2
            continue
        if ch in "_*":  # padding to a character's width, fill with a character
            i += 2
            continue
        if ch == "[":
            j = code.find("]", i)
            j = len(code) if j < 0 else j
            token = code[i + 1 : j]
            if token[:1] in "<>=":
                refused = f"the format shows numbers by a condition ([{token}])"
            elif token.lower().startswith(("h", "m", "s")) and token.strip("hmsHMS") == "":
                bare.append("h")  # elapsed time [h]
            elif token.startswith("$"):
                symbol = token[1:].split("-")[0]
                literal.append("" if all(c in _CURRENCY for c in symbol) else symbol)
            i = j + 1
            continue
        if ch in "0#?":
            placeholders += 1
            commas_after = 0
        elif ch == ",":
            commas_after += 1
        elif ch == "%":
            percents += 1
        elif ch in ".Ee@":
            if ch in "Ee" and code[i + 1 : i + 2] in ("+", "-"):
                i += 2
                continue
            bare.append(ch)
        elif ch in _CURRENCY or ch in _PLAIN_LITERALS:
            pass
        elif ch.isascii() and ch.isalpha():
            bare.append(ch)
        else:
            literal.append(ch)  # a bare 万, 元, ‰ …: Excel and LibreOffice show it as text
        i += 1
    text = "".join(literal)
    if _DATE_TOKENS.search("".join(bare)) and placeholders == 0:
        return Section(date=True, text=text)
    if percents > 1:
        refused = refused or "the format has more than one % (Excel and LibreOffice differ)"
    squeezed = "".join(ch for ch in text if not ch.isspace() and ch not in _CURRENCY)
    squeezed = squeezed.strip("-+()（）:")
    if any(ch.isdigit() or ch in ".．" for ch in squeezed):
        refused = refused or f"the format writes digits or a decimal point as text ({text!r})"
    scale = (100.0**percents) / (1000.0**commas_after) if placeholders else 1.0
    unit = normalise_unit(squeezed)
    if percents and unit:
        refused = refused or f"the format shows a percent and the unit {unit!r} at once"
    if percents and not refused:
        unit = "%"
    if not placeholders and not refused:
        refused = f"the format shows {text!r} instead of the number"
    return Section(scale=scale, unit=unit, refused=refused, text=text)


@lru_cache(maxsize=4096)
def read_format(code: str) -> NumberFormat:
    """The sections of a format code (at most three number sections matter; the fourth is text)."""
    parts = _split_sections(code)[:3]
    nothing = Section(refused="the format shows nothing for this number")
    sections = tuple(_section(p) if p or len(parts) == 1 else nothing for p in parts)
    return NumberFormat(code, sections)


def builtin_code(num_fmt_id: int) -> str:
    return BUILTIN.get(num_fmt_id, "General")
