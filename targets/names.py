"""Names as people type them, compared one way: the key an indicator or region name is matched on.

`normalize_name` is used by the catalogue's lookup and checks and by the region registry, so
`Ｒ＆Ｄ 经费投入强度` and `r&d经费投入强度` find the same indicator and ` ＳＨ ` the same region.
"""

from __future__ import annotations

import unicodedata

from targets.models import Indicator

# where a name sits inside an indicator's YAML mapping: ("name", "zh"), ("synonyms", 2)
Loc = tuple[int | str, ...]


def normalize_name(name: str) -> str:
    """The key names are matched on: NFKC (full-width to half-width), case-folded, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(name)).casefold().split())


def indicator_names(indicator: Indicator) -> list[tuple[Loc, str]]:
    """Every name of an indicator (id, zh, en, synonyms) with its location in its YAML mapping."""
    found: list[tuple[Loc, str]] = [
        (("id",), indicator.id),
        (("name", "zh"), indicator.name.zh),
        (("name", "en"), indicator.name.en),
    ]
    found += [(("synonyms", k), s) for k, s in enumerate(indicator.synonyms)]
    return found
