"""The data behind a chart, as the CSV its download button gives: one row a value shown.

UTF-8 with a BOM (Excel and WPS then read the Chinese names), values rounded to the indicator's
decimals as on screen, and for each value where it comes from: official release or repost, the
address, the import, the note; text a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from targets.display import is_missing
from targets.formula_injection import neutralise_frame
from targets.source_notes import parse_note

if TYPE_CHECKING:
    from targets.tracker import Tracker

CHART_CSV_COLUMNS: tuple[str, ...] = (
    "indicator", "indicator_name", "region", "region_name", "year", "value", "unit",
    "derived", "source_kind", "source_address", "import_id", "note",
)  # fmt: skip


def chart_frame(
    tracker: Tracker, indicator_id: str, regions: Sequence[str], lang: str
) -> pd.DataFrame:
    """The values of `indicator_id` for `regions` (in that order, then by year), as exported."""
    ind = tracker.catalogue[indicator_id]
    obs = tracker.observations(indicators=[indicator_id], regions=list(regions))
    order = {r: i for i, r in enumerate(regions)}
    obs = obs.assign(_o=obs["region"].map(order)).sort_values(["_o", "year"], kind="stable")
    rows = []
    for rec in obs.to_dict("records"):
        note = None if is_missing(rec.get("note")) else str(rec["note"])
        source = parse_note(note)
        derived = bool(rec.get("derived", False))
        rows.append(
            {
                "indicator": ind.id,
                "indicator_name": ind.name.get(lang),
                "region": rec["region"],
                "region_name": tracker.regions.name(rec["region"], lang),
                "year": int(rec["year"]),
                "value": None
                if is_missing(rec["value"])
                else f"{float(rec['value']):.{max(ind.decimals, 0)}f}",
                "unit": ind.unit.get(lang),
                "derived": "yes" if derived else "no",
                "source_kind": "derived" if derived else (source.kind or "unstated"),
                "source_address": source.address,
                "import_id": None if is_missing(rec.get("import_id")) else int(rec["import_id"]),
                "note": note or "",
            }
        )
    return pd.DataFrame(rows, columns=list(CHART_CSV_COLUMNS))


def chart_csv(tracker: Tracker, indicator_id: str, regions: Sequence[str], lang: str) -> bytes:
    """The CSV file's bytes (CRLF line ends, BOM)."""
    frame = neutralise_frame(chart_frame(tracker, indicator_id, regions, lang))
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
