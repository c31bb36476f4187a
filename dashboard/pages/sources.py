"""Sources (/sources): every value in force with its note (source address and quote), and imports.

Notes are shown as plain text in AG Grid (no HTML renderer), whatever an upload put in them.
"""

from __future__ import annotations

import threading
from typing import Any

import dash
import dash_ag_grid as dag
import numpy as np
import pandas as pd
from dash import Input, Output, State, html

from dashboard import format as fmt
from dashboard import ids
from dashboard.i18n import grid_locale, norm_lang, t
from dashboard.pages import add_page, import_note, lang_from_search, tracker
from targets.source_notes import note_text, parse_note
from targets.tracker import Tracker

# beyond this many rows the browser grid gets slow; the CLI (`targets data`) gives them all
MAX_ROWS = 50_000
# up to this many values the grid holds them all in the browser (sorting and filtering there);
# past it the browser asks the server for the block on screen (10.7 MB and 643 ms a visit at 10 M)
CLIENT_ROWS = 5_000
BLOCK_ROWS = 100  # rows per block the grid asks for
MAX_BLOCK_ROWS = 1_000  # the most one request may take, whatever it asks
COLUMNS = [
    "indicator", "indicator_id", "region", "year", "value", "unit", "note",
    "source_kind", "source_word", "source_address", "import_id",
]  # fmt: skip
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
    app.callback(
        Output(ids.SOURCES_TABLE, "getRowsResponse"),
        Input(ids.SOURCES_TABLE, "getRowsRequest"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(serve_rows)


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


def _display_frame(tr: Tracker, lang: str) -> pd.DataFrame:
    """The grid's rows as a frame: indicator and region named in `lang`, values rounded for
    display, missing cells None; the newest MAX_ROWS stored values (see `newest`)."""
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
    # official or repost, and the address, read from each note (targets.source_notes)
    parsed = [parse_note(n) for n in notes]
    return pd.DataFrame(
        {
            "indicator": [
                ind.name.get(lang) if ind else i for i, ind in zip(ind_ids, known, strict=True)
            ],
            "indicator_id": ind_ids,
            "region": [names.get(r, r) for r in obs["region"].tolist()],
            "year": [int(y) for y in obs["year"].tolist()],
            "value": pd.Series(values, dtype=object),
            "unit": units,
            "note": [note_text(n, lang) for n in notes],
            "source_kind": [p.kind or "unstated" for p in parsed],
            "source_word": [t(f"kind_{p.kind or 'unstated'}", lang) for p in parsed],
            "source_address": [p.address for p in parsed],
            "import_id": pd.Series(
                [None if fmt.is_missing(i) else int(i) for i in obs["import_id"].tolist()],
                dtype=object,
            ),
        },
        columns=COLUMNS,
    )


# the display frame of the newest data version per (database, catalogue, language): built once
# per import, not on every block the grid asks for
_frames: dict[tuple[str, str], tuple[str, pd.DataFrame]] = {}
_frames_lock = threading.Lock()


def publishers_of(tr: Tracker) -> dict[str, dict[str, tuple[int, int]]]:
    """Per indicator: host -> (official values, reposted values), most official first
    (Tracker.publishers, counted once per data version and warmed after each import)."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    frame = tr.publishers()
    for ind, host, official, repost in zip(
        frame["indicator"].tolist(),
        frame["host"].tolist(),
        frame["official"].tolist(),
        frame["repost"].tolist(),
        strict=True,
    ):
        out.setdefault(str(ind), {})[str(host)] = (int(official), int(repost))
    return out


def definitions(tr: Tracker, lang: str) -> html.Section:
    """Per indicator, a panel: what is measured, the unit, who publishes the values (the hosts
    of their source addresses, official first) and the plan's wording with its document."""
    by_indicator = publishers_of(tr)
    panels = []
    for ind in tr.catalogue:
        hosts = by_indicator.get(ind.id, {})
        shown = list(hosts.items())[:6]
        wording = []
        for m in ind.milestones:
            for src in m.sources:
                doc = tr.catalogue.documents.get(src.document)
                title = doc.title.get(lang) if doc else src.document
                cite = f"《{title}》{src.section}" if lang == "zh" else f"{title}, {src.section}"
                wording.append(html.Li([html.Q(src.quote, lang="zh-CN"), f" — {cite}"]))
        facts = [
            (
                t("def_measures", lang),
                ind.description.get(lang) if ind.description else ind.name.get(lang),
            ),
            (t("def_unit", lang), ind.unit.get(lang)),
            (
                t("def_publisher", lang),
                html.Ul(
                    [
                        html.Li(t("def_values", lang, host=h, official=o, repost=r))
                        for h, (o, r) in shown
                    ],
                    className="mb-0",
                )
                if shown
                else t("def_publisher_none", lang),
            ),
            (t("def_wording", lang), html.Ul(wording, className="mb-0") if wording else fmt.DASH),
        ]
        panels.append(
            html.Details(
                [
                    html.Summary(ind.name.get(lang)),
                    html.Dl(
                        [part for k, v in facts for part in (html.Dt(k), html.Dd(v))],
                        className="definition mb-2",
                    ),
                ],
                id=f"definition-{ind.id}",
            )
        )
    return html.Section(
        [html.H2(t("definitions_heading", lang), className="h5 mt-4"), *panels],
        id=ids.SOURCES_DEFINITIONS,
    )


def grid_frame(tr: Tracker, lang: str) -> pd.DataFrame:
    """`_display_frame`, kept until the data version moves on."""
    slot = (tr.cache_namespace, lang)
    version = tr.store.data_version()
    with _frames_lock:
        held = _frames.get(slot)
    if held is not None and held[0] == version:
        return held[1]
    frame = _display_frame(tr, lang)
    with _frames_lock:
        _frames[slot] = (version, frame)
    return frame


def observation_rows(tr: Tracker, lang: str) -> list[dict[str, Any]]:
    """Values in force, as stored (no derived ones), as grid rows: indicator and region named in
    `lang`; the newest MAX_ROWS values, newest year first, when there are more.

    Read from the tracker's cached observations (computed once per import) rather than from the
    database on every visit.
    """
    return _records(grid_frame(tr, lang))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in frame.itertuples(index=False)]


# -- the server-side row model: filter, sort and page on the server ---------------------------
_TEXT_TESTS: dict[str, Any] = {
    "contains": lambda col, v: col.str.contains(v, case=False, regex=False),
    "notContains": lambda col, v: ~col.str.contains(v, case=False, regex=False),
    "equals": lambda col, v: col.str.lower() == v.lower(),
    "notEqual": lambda col, v: col.str.lower() != v.lower(),
    "startsWith": lambda col, v: col.str.lower().str.startswith(v.lower()),
    "endsWith": lambda col, v: col.str.lower().str.endswith(v.lower()),
}
_NUMBER_TESTS: dict[str, Any] = {
    "equals": lambda col, a, b: col == a,
    "notEqual": lambda col, a, b: col != a,
    "lessThan": lambda col, a, b: col < a,
    "lessThanOrEqual": lambda col, a, b: col <= a,
    "greaterThan": lambda col, a, b: col > a,
    "greaterThanOrEqual": lambda col, a, b: col >= a,
    "inRange": lambda col, a, b: (col >= a) & (col <= b),
}


def _condition(frame: pd.DataFrame, field: str, spec: dict[str, Any]) -> pd.Series:
    """One AG Grid filter condition as a row mask; a filter it does not know is refused."""
    if "conditions" in spec:  # two conditions joined by AND / OR
        masks = [_condition(frame, field, c) for c in spec["conditions"]]
        out = masks[0]
        for m in masks[1:]:
            out = (out & m) if spec.get("operator", "AND") == "AND" else (out | m)
        return out
    kind, test = spec.get("filterType"), spec.get("type")
    if kind == "text":
        col = frame[field].astype(str).where(frame[field].notna(), "")
        if test == "blank":
            return col == ""
        if test == "notBlank":
            return col != ""
        if test in _TEXT_TESTS:
            return pd.Series(
                _TEXT_TESTS[test](col, str(spec.get("filter") or "")), index=frame.index
            )
    if kind == "number":
        col = pd.to_numeric(frame[field], errors="coerce")
        if test == "blank":
            return col.isna()
        if test == "notBlank":
            return col.notna()
        if test in _NUMBER_TESTS:
            a, b = spec.get("filter"), spec.get("filterTo")
            if a is None:
                raise ValueError(f"filter {test} on {field} has no number")
            return _NUMBER_TESTS[test](col, float(a), None if b is None else float(b)).fillna(False)
    raise ValueError(f"filter {kind}/{test} on {field} is not supported")


def rows_block(frame: pd.DataFrame, request: dict[str, Any]) -> dict[str, Any]:
    """The rows AG Grid's infinite row model asks for (startRow to endRow, after its filter and
    sort models), and how many rows match: only the rows on screen travel."""
    for field, spec in (request.get("filterModel") or {}).items():
        if field not in frame.columns:
            raise ValueError(f"no column {field!r} to filter")
        frame = frame[_condition(frame, field, spec).to_numpy(dtype=bool)]
    sort = [s for s in (request.get("sortModel") or []) if s.get("colId") in frame.columns]
    if sort:
        frame = frame.sort_values(
            [s["colId"] for s in sort],
            ascending=[s.get("sort") != "desc" for s in sort],
            kind="stable",
            na_position="last",
        )
    start = max(int(request.get("startRow") or 0), 0)
    end = min(max(int(request.get("endRow") or start + BLOCK_ROWS), start), start + MAX_BLOCK_ROWS)
    return {"rowData": _records(frame.iloc[start:end]), "rowCount": len(frame)}


def serve_rows(request: dict[str, Any] | None, search: str | None) -> dict[str, Any]:
    """Callback: one block of the grid's rows, from the cached frame of the current data."""
    if not request:
        raise dash.exceptions.PreventUpdate
    return rows_block(grid_frame(tracker(), lang_from_search(search)), request)


def import_rows(tr: Tracker, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": imp.id,
            "file_name": imp.file_name,
            "created_at": imp.created_at.strftime("%Y-%m-%d %H:%M"),
            "user": imp.user,
            "rows": imp.rows,
            "state": t(f"history_{imp.state}", lang),
            "note": import_note(imp.note, lang),
        }
        for imp in tr.store.imports()
    ]


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    frame = grid_frame(tr, lang)
    if len(frame) <= CLIENT_ROWS:
        model: dict[str, Any] = {"rowData": _records(frame)}
        options = GRID_OPTIONS
    else:
        # "infinite": the grid asks `serve_rows` for the block on screen, filters and sorts there
        model = {"rowModelType": "infinite"}
        options = {
            **GRID_OPTIONS,
            "cacheBlockSize": BLOCK_ROWS,
            "maxBlocksInCache": 10,
            "infiniteInitialRowCount": min(len(frame), BLOCK_ROWS),
        }
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
            "field": "source_word",
            "headerName": t("source_kind", lang),
            "width": 110,
            "cellRenderer": "SourceBadge",
        },
        {
            "field": "source_address",
            "headerName": t("source_address", lang),
            "minWidth": 260,
            "flex": 3,
            "cellRenderer": "SourceLink",
            "cellRendererParams": {"newTab": t("opens_new_tab", lang)},
        },
        {
            "field": "note",
            "headerName": t("note", lang),
            "minWidth": 260,
            "flex": 3,
            "tooltipField": "note",
        },
        {
            "field": "import_id",
            "headerName": t("import_id", lang),
            "width": 100,
            "filter": "agNumberColumnFilter",
        },
        {
            "field": "indicator_id",
            "headerName": t("indicator_id", lang),
            "width": 150,
            "hide": False,
        },
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
                columnDefs=obs_columns,
                defaultColDef=default_col,
                dashGridOptions={**options, "localeText": grid_locale(lang)},
                style={"height": "560px"},
                **model,
            ),
            definitions(tr, lang),
            html.H2(t("imports_heading", lang), className="h5 mt-4"),
            dag.AgGrid(
                id=ids.SOURCES_IMPORTS,
                rowData=import_rows(tr, lang),
                columnDefs=import_columns,
                defaultColDef=default_col,
                dashGridOptions={
                    **GRID_OPTIONS,
                    "pagination": False,
                    "domLayout": "autoHeight",
                    "localeText": grid_locale(lang),
                },
            ),
        ]
    )
