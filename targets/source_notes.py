"""What a value's note says about its source: official release or repost, the address, the quote.

The bundled statistics (targets.bundled) write each value's note as
`[remark; …] KIND: ADDRESS «QUOTE»`; uploaded files may put any text in a note, often just an
address. `parse_note` reads what it can and leaves the rest as the note's remark, so a page can
show "official" or "repost" with a link instead of one long line of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the words targets.bundled writes before the address, by kind
KIND_WORDS: dict[str, str] = {
    "official release": "official",
    "NBS table export": "official",
    "compiled from a public repost": "repost",
    "derived": "derived",
}
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
