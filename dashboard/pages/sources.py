"""Sources (/sources): every value in force with its note (source address and quote), and imports.

Notes are shown as plain text in AG Grid (no HTML renderer), whatever an upload put in them.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import numpy as np
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard import ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import add_page, tracker
from targets.tracker import Tracker

# beyond this many rows the browser grid gets slow; the CLI (`targets data`) gives them all
MAX_ROWS = 50_000
GRID_OPTIONS = {
    "enableCellTextSelection": True,
    "ensureDomOrder": True,
    "pagination": True,
    "paginationPageSize": 25,
    "paginationPageSizeSelector": False,
    "animateRows": False,
    "tooltipShowDelay": 300,
}


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/sources",
        label=(t("page_sources", "zh"), t("page_sources", "en")),
        order=90,
        layout=layout,
    )


def newest(obs: pd.DataFrame, n: int) -> pd.DataFrame:
    """The stored (not derived) values, and of those at most `n`: the newest years first
    (stored order within a year) when there are more.

    One pass over the year and derived columns picks the years that hold the newest `n`
    values; only their rows are copied and sorted (at national scale, millions of values,
    filtering and sorting them all took most of the page's time).
    """
    stored = ~obs["derived"].to_numpy(dtype=bool)
    if int(stored.sum()) <= n:
        return obs[stored]
    years = obs["year"].to_numpy(dtype=np.int64)
    per_year = pd.Series(years[stored]).value_counts().sort_index(ascending=False)
    cutoff = per_year.index[int(np.searchsorted(per_year.cumsum().to_numpy(), n))]
    recent = obs[stored & (years >= cutoff)]
    return recent.sort_values("year", ascending=False, kind="stable").head(n)


def observation_rows(tr: Tracker, lang: str) -> list[dict[str, Any]]:
    """Values in force, as stored (no derived ones), as grid rows: indicator and region named in
    `lang`; the newest MAX_ROWS values, newest year first, when there are more.

    Read from the tracker's cached observations (computed once per import) rather than from the
    database on every visit; built column by column rather than row by row.
    """
    obs = newest(tr.observations(), MAX_ROWS)
    inds = {ind.id: ind for ind in tr.catalogue}
    names = {rid: tr.regions.name(rid, lang) for rid in tr.regions.regions}
    ind_ids = obs["indicator"].astype(object).tolist()
    known = [inds.get(i) for i in ind_ids]
    values = [
        None if fmt.is_missing(v) else round(float(v), max(ind.decimals if ind else 2, 0) + 2)
        for v, ind in zip(obs["value"].tolist(), known, strict=True)
    ]
    units = [
        ind.unit.get(lang) if ind else ("" if fmt.is_missing(u) else str(u))
        for ind, u in zip(known, obs["unit"].tolist(), strict=True)
    ]
    notes = ["" if fmt.is_missing(n) else str(n) for n in obs["note"].tolist()]
    import_ids = [None if fmt.is_missing(i) else int(i) for i in obs["import_id"].tolist()]
    return [
        {
            "indicator": ind.name.get(lang) if ind else ind_id,
            "indicator_id": ind_id,
            "region": names.get(region, region),
            "year": int(year),
            "value": value,
            "unit": unit,
            "note": note,
            "import_id": import_id,
        }
        for ind_id, ind, region, year, value, unit, note, import_id in zip(
            ind_ids,
            known,
            obs["region"].tolist(),
            obs["year"].tolist(),
            values,
            units,
            notes,
            import_ids,
            strict=True,
        )
    ]


def import_rows(tr: Tracker) -> list[dict[str, Any]]:
    return [
        {
            "id": imp.id,
            "file_name": imp.file_name,
            "created_at": imp.created_at.strftime("%Y-%m-%d %H:%M"),
            "user": imp.user,
            "rows": imp.rows,
            "state": imp.state,
            "note": imp.note,
        }
        for imp in tr.store.imports()
    ]


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    rows = observation_rows(tr, lang)
    obs_columns = [
        {
            "field": "indicator",
            "headerName": t("indicator", lang),
            "minWidth": 180,
            "flex": 2,
            "tooltipField": "indicator",
        },
        {"field": "region", "headerName": t("region", lang), "width": 110},
        {
            "field": "year",
            "headerName": t("year", lang),
            "width": 95,
            "filter": "agNumberColumnFilter",
        },
        {
            "field": "value",
            "headerName": t("value", lang),
            "width": 110,
            "filter": "agNumberColumnFilter",
            "type": "rightAligned",
        },
        {"field": "unit", "headerName": t("unit", lang), "width": 120},
        {
            "field": "note",
            "headerName": t("note", lang),
            "minWidth": 320,
            "flex": 4,
            "tooltipField": "note",
        },
        {
            "field": "import_id",
            "headerName": t("import_id", lang),
            "width": 100,
            "filter": "agNumberColumnFilter",
        },
        {"field": "indicator_id", "headerName": "id", "width": 150, "hide": False},
    ]
    import_columns = [
        {"field": "id", "headerName": "#", "width": 70},
        {"field": "file_name", "headerName": t("file_name", lang), "flex": 2, "minWidth": 180},
        {"field": "created_at", "headerName": t("created_at", lang), "width": 150},
        {"field": "user", "headerName": t("user", lang), "width": 100},
        {"field": "rows", "headerName": t("rows", lang), "width": 90},
        {"field": "state", "headerName": t("state", lang), "width": 100},
        {
            "field": "note",
            "headerName": t("note", lang),
            "flex": 3,
            "minWidth": 200,
            "tooltipField": "note",
        },
    ]
    default_col = {"sortable": True, "resizable": True, "filter": True, "floatingFilter": True}
    return html.Div(
        [
            html.H1(t("sources_heading", lang), className="h3"),
            html.P(t("sources_note", lang), className="text-body-secondary"),
            dag.AgGrid(
                id=ids.SOURCES_TABLE,
                rowData=rows,
                columnDefs=obs_columns,
                defaultColDef=default_col,
                dashGridOptions=GRID_OPTIONS,
                style={"height": "560px"},
            ),
            html.H2(t("imports_heading", lang), className="h5 mt-4"),
            dag.AgGrid(
                id=ids.SOURCES_IMPORTS,
                rowData=import_rows(tr),
                columnDefs=import_columns,
                defaultColDef=default_col,
                dashGridOptions={**GRID_OPTIONS, "pagination": False, "domLayout": "autoHeight"},
            ),
        ]
    )
