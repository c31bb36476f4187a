"""Indicator view (/indicator/<id>): one switch among three views of the same selection (the
chart: series with goal, baseline, projection and required path, and gaps by region; the table of
values with their goal and source; the tile map of the milestone), then the verdicts and the goal
as the plans word it.

URL: /indicator/rd_intensity?region=anhui,jiangsu&milestone=2025&view=table&lang=en
(`view`: chart, the default, table or map).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html

from dashboard import downloads, figures, ids
from dashboard import format as fmt
from dashboard.i18n import grid_locale, norm_lang, t
from dashboard.pages import (
    add_page,
    attrs,
    choose,
    href,
    int_param,
    lang_from_search,
    query_string,
    tracker,
    url_sync,
)
from targets import roles, verdicts
from targets.chart_data import chart_frame, gap_bar_regions, gap_chart_frame, value_source
from targets.display import category_name
from targets.flags import flag_label
from targets.provenance import provisional_mark, provisional_text
from targets.source_notes import note_text
from targets.tracker import Tracker
from targets.warm import OPENING_LEVELS, indicator_regions, opening_regions

VIEWS = ("chart", "table", "map")


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path_template="/indicator/<indicator_id>",
        label=(t("page_indicator", "zh"), t("page_indicator", "en")),
        order=10,
        layout=layout,
        nav=False,
        title=title,
    )
    app.callback(
        Output(ids.INDICATOR_SERIES, "figure"),
        Output(ids.INDICATOR_GAPS, "figure"),
        Output(ids.INDICATOR_GAPS_NOTE, "children"),
        Output(ids.INDICATOR_TABLE, "rowData"),
        Output(ids.INDICATOR_PROVENANCE, "children"),
        Output(ids.INDICATOR_VERDICTS, "children"),
        Output(downloads.chart_id(ids.CHART_EXPORT, ids.INDICATOR_SERIES), "data"),
        Output(downloads.chart_id(ids.CHART_EXPORT, ids.INDICATOR_GAPS), "data"),
        Output(ids.INDICATOR_VIEW_MAP, "children"),
        Output(ids.INDICATOR_VIEW_CHART, "hidden"),
        Output(ids.INDICATOR_VIEW_TABLE, "hidden"),
        Output(ids.INDICATOR_VIEW_MAP, "hidden"),
        Output(ids.INDICATOR_URL, "search"),
        Input(ids.INDICATOR_REGIONS, "value"),
        Input(ids.INDICATOR_MILESTONE, "value"),
        Input(ids.INDICATOR_VIEW, "value"),
        State(ids.INDICATOR_ID_STORE, "data"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(update)


def title(indicator_id: str | None = None, **_: Any) -> str:
    ind = tracker().catalogue.indicators.get(indicator_id or "")
    if ind is None:
        return "长三角一体化目标跟踪"
    return f"{ind.name.zh} {ind.name.en} · 长三角一体化目标跟踪"


def numeric_years(ind: Any) -> list[int]:
    return [m.year for m in ind.milestones if m.is_numeric]


def parse_regions(value: Any, available: list[str]) -> list[str]:
    """'anhui,jiangsu' (or a list) -> the known ids among them, in the order given."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [r for r in dict.fromkeys(str(i).strip() for i in items) if r in available]


def available_regions(tr: Tracker, indicator_id: str, obs: pd.DataFrame | None = None) -> list[str]:
    """Regions with at least one value of the indicator, or a goal of their own, in the
    registry's order (targets.warm.indicator_regions: the warmer makes the same choice).

    `obs`: the indicator's observations when the caller has them already (each
    Tracker.observations call costs a pass over every value in force).
    """
    if obs is None:
        obs = tr.observations(indicators=[indicator_id])
    return indicator_regions(tr, indicator_id, set(obs["region"].unique()))


def default_regions(tr: Tracker, available: list[str]) -> list[str]:
    """Regions shown when the URL names none (targets.warm.opening_regions): the whole region,
    the zones, the provinces while all fit in a handful of lines (a country's 31 do not)."""
    return opening_regions(tr, available)


def more_regions_note(tr: Tracker, available: list[str], chosen: list[str], lang: str) -> Any:
    """What the default selection left out (default_regions), and where to add it; None if
    nothing was left out."""
    more = len([r for r in available if tr.regions.get(r).level in OPENING_LEVELS]) - len(chosen)
    if more <= 0:
        return None
    return html.P(
        t(
            "indicator_more_regions",
            lang,
            shown=len(chosen),
            more=more,
            where=t("choose_regions", lang),
        ),
        className="small text-body-secondary",
    )


def layout(
    indicator_id: str | None = None,
    lang: str = "zh",
    region: str | None = None,
    milestone: str | None = None,
    view: str | None = None,
    **_: Any,
) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    ind = tr.catalogue.indicators.get(indicator_id or "")
    if ind is None:
        return html.Div(
            [
                html.H1(
                    t("unknown_indicator", lang, id=indicator_id or ""),
                    className="h3",
                    id=ids.INDICATOR_TITLE,
                ),
                dcc.Link(t("back_home", lang), href=href("/", lang)),
            ]
        )
    years = numeric_years(ind)
    year = int_param(milestone, years, 2025 if 2025 in years else (years[0] if years else 0))
    obs = tr.observations(indicators=[ind.id])
    available = available_regions(tr, ind.id, obs)
    named = parse_regions(region, available)
    chosen = named or default_regions(tr, available)
    has_charts = bool(years) or not ind.milestones
    shown = shown_view(view, has_charts, bool(years))
    picked = chosen_by_person(tr, available, chosen)
    series, gaps_fig, gaps_line, rows = views(tr, ind.id, chosen, year, lang, obs, picked)
    unit = ind.unit.get(lang)
    facts = [
        f"{t('unit', lang)}: {unit}",
        f"{t('category', lang)}: {category_name(ind.category, lang)}",
    ]
    series_meta, gaps_meta = export_metas(tr, ind, chosen, year, lang, obs)
    return html.Div(
        [
            url_sync(ids.INDICATOR_URL),
            dcc.Store(id=ids.INDICATOR_ID_STORE, data=ind.id),
            html.H1(ind.name.get(lang), className="h3", id=ids.INDICATOR_TITLE),
            html.P(" · ".join(facts), className="text-body-secondary"),
            html.P(ind.description.get(lang), className="small") if ind.description else None,
            html.P(t("component_series", lang)) if ind.is_component else None,
            controls(tr, ind, available, chosen, years, year, lang),
            None if named else more_regions_note(tr, available, chosen, lang),
            view_switch(shown, offered_views(has_charts, bool(years)), lang),
            html.Div(
                dbc.Row(
                    [
                        dbc.Col(
                            html.Figure(
                                [
                                    html.H2(t("series_heading", lang), className="h5"),
                                    dcc.Graph(
                                        id=ids.INDICATOR_SERIES,
                                        figure=series,
                                        config=figures.graph_config(f"{ind.id}-series", lang),
                                    ),
                                    html.Figcaption(
                                        t("series_note", lang),
                                        className="small text-body-secondary",
                                    ),
                                    downloads.chart_downloads(
                                        ids.INDICATOR_SERIES, series_meta, lang
                                    ),
                                ]
                            ),
                            lg=7,
                        ),
                        dbc.Col(
                            html.Figure(
                                [
                                    html.H2(t("gaps_heading", lang), className="h5"),
                                    dcc.Graph(
                                        id=ids.INDICATOR_GAPS,
                                        figure=gaps_fig,
                                        config=figures.graph_config(
                                            f"{ind.id}-gaps", lang, zoom=False
                                        ),
                                    ),
                                    html.Figcaption(
                                        [
                                            html.Span(t("gaps_caption", lang, unit=unit)),
                                            html.Span(
                                                gaps_line,
                                                id=ids.INDICATOR_GAPS_NOTE,
                                                role="note",
                                                className="d-block",
                                            ),
                                        ],
                                        className="small text-body-secondary",
                                    ),
                                    downloads.chart_downloads(ids.INDICATOR_GAPS, gaps_meta, lang),
                                ]
                            ),
                            lg=5,
                        ),
                    ],
                    className="g-3",
                ),
                id=ids.INDICATOR_VIEW_CHART,
                hidden=shown != "chart",
            ),
            html.Section(
                [
                    html.H2(t("table_heading", lang), className="h5"),
                    html.P(t("table_note", lang), className="small text-body-secondary"),
                    values_grid(rows, ind.decimals, lang),
                ],
                className="mt-3",
                id=ids.INDICATOR_VIEW_TABLE,
                hidden=shown != "table",
            ),
            html.Section(
                map_view(tr, ind.id, year, lang) if shown == "map" else [],
                id=ids.INDICATOR_VIEW_MAP,
                hidden=shown != "map",
            ),
            html.Section(
                verdict_items(tr, ind, chosen, year, lang),
                id=ids.INDICATOR_VERDICTS,
                className="mt-2",
                **attrs(aria_live="polite"),
            ),
            html.Section(
                provenance_items(tr, ind, chosen, year, lang),
                id=ids.INDICATOR_PROVENANCE,
                className="mt-2",
                **attrs(aria_live="polite"),
            ),
            goals_section(tr, ind, lang),
        ]
    )


def offered_views(has_charts: bool, has_goal_years: bool) -> list[str]:
    """The views an indicator has: charts unless it has goals but none in numbers; the map needs
    a goal year."""
    return [v for v in VIEWS if (v != "chart" or has_charts) and (v != "map" or has_goal_years)]


def shown_view(view: Any, has_charts: bool, has_goal_years: bool) -> str:
    """The view the URL asks for if the indicator has it, else its first."""
    offered = offered_views(has_charts, has_goal_years)
    return choose(view, offered, None) or offered[0]


def view_switch(shown: str, offered: list[str], lang: str) -> html.Fieldset:
    """Chart · Table · Map: native radios (keyboard: Tab to the group, arrows between views),
    drawn as a button group."""
    return html.Fieldset(
        [
            html.Legend(t("indicator_view", lang), className="form-label fs-6 fw-semibold mb-1"),
            dbc.RadioItems(
                id=ids.INDICATOR_VIEW,
                options=[{"label": t(f"view_{v}", lang), "value": v} for v in offered],
                value=shown,
                inline=True,
                className="btn-group view-switch",
                inputClassName="btn-check",
                labelClassName="btn btn-outline-primary",
                labelCheckedClassName="active",
            ),
        ],
        className="mb-3",
    )


def map_view(tr: Tracker, indicator_id: str, year: int, lang: str) -> list[Any]:
    """The map page's tile grid of this indicator and milestone (dashboard/pages/map.py)."""
    from dashboard.pages import map as map_page

    cities_fig, provinces_fig, summary = map_page.views(tr, indicator_id, year, lang)
    return [
        html.P(t("map_note", lang), className="small text-body-secondary"),
        html.P(summary, id=ids.INDICATOR_MAP_SUMMARY, className="small"),
        map_page.figures_row(
            tr,
            indicator_id,
            year,
            lang,
            (cities_fig, provinces_fig),
            ids.INDICATOR_MAP_CITIES,
            ids.INDICATOR_MAP_PROVINCES,
        ),
    ]


def controls(
    tr: Tracker,
    ind: Any,
    available: list[str],
    chosen: list[str],
    years: list[int],
    year: int,
    lang: str,
) -> dbc.Row:
    region_options = [{"label": tr.regions.name(r, lang), "value": r} for r in available]
    return dbc.Row(
        [
            dbc.Col(
                # native checkboxes in a fieldset: Dash's dropdown keeps an aria-hidden input in
                # the tab order (an axe "serious" violation), checkboxes have no such trap
                html.Fieldset(
                    [
                        html.Legend(
                            t("choose_regions", lang), className="form-label fs-6 fw-semibold mb-1"
                        ),
                        dbc.Checklist(
                            id=ids.INDICATOR_REGIONS,
                            options=region_options,
                            value=chosen,
                            inline=True,
                            # a country's thousand regions scroll in a box of a few lines, not
                            # pages of checkboxes above the chart (tracker.css)
                            className="region-choices",
                        ),
                    ]
                ),
                md=8,
            ),
            dbc.Col(
                html.Fieldset(
                    [
                        html.Legend(
                            t("milestone", lang), className="form-label fs-6 fw-semibold mb-1"
                        ),
                        dbc.RadioItems(
                            id=ids.INDICATOR_MILESTONE,
                            options=[{"label": str(y), "value": y} for y in years],
                            value=year if years else None,
                            inline=True,
                        ),
                    ]
                ),
                md=4,
            ),
        ],
        className="g-3 mb-3",
    )


def export_metas(
    tr: Tracker, ind: Any, regions: list[str], year: int, lang: str, obs: pd.DataFrame
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the downloads of the series and of the gaps chart carry (dashboard/downloads.py)."""
    goal = downloads.goal_words(ind, year, lang)
    plans = downloads.plan_titles(tr, [ind], year, lang)
    series_spec = {"kind": "series", "indicator": ind.id, "regions": list(regions)}
    series_frame = chart_frame(tr, ind.id, regions, lang, obs)
    series = downloads.export_meta(
        tr,
        graph=ids.INDICATOR_SERIES,
        spec=series_spec,
        title=ind.name.get(lang),
        goal=goal,
        plans=plans,
        filename=f"{ind.id}-{year}" if year else ind.id,
        lang=lang,
        frame=series_frame,
    )
    gaps = (
        downloads.export_meta(
            tr,
            graph=ids.INDICATOR_GAPS,
            spec={"kind": "gaps", "milestone": year, "indicators": [ind.id]},
            title=f"{ind.name.get(lang)} · {t('gaps_heading', lang)}",
            goal=goal,
            plans=plans,
            filename=f"{ind.id}-{year}-gaps",
            lang=lang,
            frame=gap_chart_frame(tr, year, lang, indicators=[ind.id], obs=obs),
        )
        if year
        else downloads.export_meta(
            tr,
            graph=ids.INDICATOR_GAPS,
            spec=series_spec,
            title=ind.name.get(lang),
            goal="",
            plans=plans,
            filename=f"{ind.id}-gaps",
            lang=lang,
            frame=series_frame,
        )
    )
    return series, gaps


def chosen_by_person(tr: Tracker, available: list[str], chosen: list[str]) -> list[str]:
    """The ticked regions unless they are the page's opening ones (default_regions): those the
    person chose, or none."""
    return [] if set(chosen) == set(default_regions(tr, available)) else chosen


def gaps_note(shown: int, total: int, picked: list[str], lang: str) -> str:
    """The line under the gaps chart when it draws fewer regions than have a gap ("" if all)."""
    if shown >= total:
        return ""
    if picked:
        return t("gaps_shown", lang, shown=shown, total=total)
    return t("gaps_shown_behind", lang, shown=shown, total=total, where=t("choose_regions", lang))


def views(
    tr: Tracker,
    indicator_id: str,
    regions: list[str],
    year: int,
    lang: str,
    obs: pd.DataFrame | None = None,
    picked: list[str] | None = None,
) -> tuple[Any, Any, str, list[dict[str, Any]]]:
    """The series figure, the gaps figure, the line saying how many regions it draws and the
    table rows for one state of the page.

    `obs`: the indicator's observations, if the caller has read them already; `picked`: the
    regions the person chose (chosen_by_person), the gaps chart's bars when not all fit.
    """
    ind = tr.catalogue[indicator_id]
    unit = ind.unit.get(lang)
    names = {rid: tr.regions.name(rid, lang) for rid in tr.regions.regions}
    if obs is None:
        obs = tr.observations(indicators=[indicator_id])
    chosen = obs[obs["region"].isin(regions)]
    # the registry's order, so colours stay with a region whatever the selection order
    chosen = chosen.assign(
        _o=chosen["region"].map({r: i for i, r in enumerate(tr.regions.regions)})
    )
    chosen = chosen.sort_values(["_o", "year"]).drop(columns="_o")
    gaps = tr.gaps(milestone=year, indicators=[indicator_id]) if year else pd.DataFrame()
    goals = (
        {
            str(g["region"]): fmt.goal_text(g["comparator"], g["target"], ind.decimals, unit)
            for g in gaps.to_dict("records")
        }
        if len(gaps)
        else {}
    )
    series = figures.series_figure(
        chosen,
        gaps[gaps["region"].isin(regions)] if len(gaps) else gaps,
        region_names=names,
        lang=lang,
        decimals=ind.decimals,
        unit=unit,
    )
    bars, total = gap_bar_regions(gaps, picked or []) if len(gaps) else ([], 0)
    gap_fig = (
        figures.gap_bar_figure(
            gaps[gaps["region"].isin(bars)],
            region_names=names,
            lang=lang,
            decimals=ind.decimals,
            unit=unit,
        )
        if len(gaps)
        else figures.blank(t("no_data", lang), height=200)
    )
    note = gaps_note(len(bars), total, picked or [], lang)
    return series, gap_fig, note, table_rows(chosen, names, goals, lang)


def verdict_items(tr: Any, ind: Any, regions: list[str], year: int, lang: str) -> list[Any]:
    """Per chosen region: whose goal it is, the headline status beside the pace status, and the
    rule that made the headline with its numbers, in words (targets.verdicts)."""
    if not year or not ind.milestones:
        return []
    gaps = tr.gaps(milestone=year, indicators=[ind.id])
    gaps = gaps[gaps["region"].isin(regions)]
    if gaps.empty:
        return []
    unit = ind.unit.get(lang)
    rows = []
    # the regions' own goals first, then the benchmarks
    for r in sorted(gaps.to_dict("records"), key=roles.is_benchmark):
        status = str(r["status"])
        pace = str(r.get("pace_status", status))
        scope = tr.regions.name(str(r.get("goal_scope", "")), lang)
        bg, fg = fmt.status_colours(status)
        pbg, pfg = fmt.status_colours(pace)
        rows.append(
            html.Tr(
                [
                    html.Th(tr.regions.name(str(r["region"]), lang), scope="row"),
                    html.Td(
                        roles.benchmark_note(scope, lang)
                        if roles.is_benchmark(r)
                        else roles.word("goal", lang),
                        className="small",
                    ),
                    html.Td(
                        fmt.status_text(status, lang),
                        style={"backgroundColor": bg, "color": fg},
                        className="status-cell",
                    ),
                    html.Td(
                        fmt.status_text(pace, lang),
                        style={"backgroundColor": pbg, "color": pfg},
                        className="status-cell",
                    ),
                    html.Td(
                        verdicts.explain(r, lang, ind.decimals, unit, tr.reason_names(lang)),
                        className="small",
                    ),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang), scope="col")
                for k in ("region", "whose_goal", "headline_status", "pace_status", "why")
            ]
        )
    )
    return [
        html.H2(t("verdicts_heading", lang, year=year), className="h6"),
        html.P(t("verdicts_note", lang), className="small text-body-secondary"),
        html.Div(
            html.Table([head, html.Tbody(rows)], className="table table-sm verdicts-table"),
            className="table-responsive",
        ),
    ]


def provenance_items(tr: Any, ind: Any, regions: list[str], year: int, lang: str) -> list[Any]:
    """Which verdicts are provisional and why, and which figure is in force where a published
    and a derived one could both stand (targets.provenance): sentences, never colour alone."""
    items: list[Any] = []
    if year and ind.milestones:
        gaps = tr.gaps(milestone=year, indicators=[ind.id])
        gaps = gaps[gaps["region"].isin(regions)]
        for r in gaps.to_dict("records"):
            mark = provisional_mark(r, lang)
            if mark:
                name = tr.regions.name(str(r["region"]), lang)
                items.append(html.Li(f"{name}: {mark} — {provisional_text(r, lang)}"))
    items += [html.Li(n) for n in tr.value_notes(ind.id, regions, lang)]
    if not items:
        return []
    return [
        html.H2(t("provenance_heading", lang), className="h6"),
        html.Ul(items, className="small provenance-notes"),
    ]


def table_rows(
    obs: pd.DataFrame, names: dict[str, str], goals: dict[str, str], lang: str
) -> list[dict[str, Any]]:
    """Rows of the values grid: plain values (text stays text: AG Grid renders it as text), each
    with the milestone's goal for its region and where it comes from (targets.chart_data)."""
    rows = []
    for rec in obs.to_dict("records"):
        kind, address = value_source(rec.get("note"), rec.get("derived", False))
        rows.append(
            {
                "region": names.get(rec["region"], rec["region"]),
                "year": int(rec["year"]),
                "value": None if fmt.is_missing(rec["value"]) else float(rec["value"]),
                "goal": goals.get(str(rec["region"]), fmt.DASH),
                "source_kind": t(f"kind_{kind}", lang),
                "source_address": address,
                # the source's words as written, this tool's words around them in `lang`
                "note": ""
                if fmt.is_missing(rec.get("note"))
                else note_text(str(rec["note"]), lang),
                # preliminary, approximate …: a verdict on the value is provisional
                "flag": flag_label(
                    "" if fmt.is_missing(rec.get("flag")) else str(rec["flag"]), lang
                ),
                "import_id": None
                if fmt.is_missing(rec.get("import_id"))
                else int(rec["import_id"]),
                "derived": t("yes", lang) if bool(rec.get("derived", False)) else t("no", lang),
            }
        )
    return rows


def values_grid(rows: list[dict[str, Any]], decimals: int, lang: str) -> dag.AgGrid:
    columns = [
        {
            "field": "region",
            "headerName": t("region", lang),
            "filter": "agTextColumnFilter",
            "width": 120,
        },
        {
            "field": "year",
            "headerName": t("year", lang),
            "filter": "agNumberColumnFilter",
            "width": 100,
            "sort": "desc",
        },
        {
            "field": "value",
            "headerName": t("value", lang),
            "filter": "agNumberColumnFilter",
            "width": 120,
            "valueFormatter": {
                "function": f"params.value == null ? '—' : d3.format(',.{decimals}f')(params.value)"
            },
            "type": "rightAligned",
        },
        {
            "field": "goal",
            "headerName": t("goal", lang),
            "filter": "agTextColumnFilter",
            "width": 120,
        },
        {
            "field": "source_kind",
            "headerName": t("source_kind", lang),
            "filter": "agTextColumnFilter",
            "width": 120,
        },
        {
            "field": "source_address",
            "headerName": t("source_address", lang),
            "filter": "agTextColumnFilter",
            "width": 220,
            "tooltipField": "source_address",
        },
        {
            "field": "flag",
            "headerName": t("flag", lang),
            "filter": "agTextColumnFilter",
            "width": 110,
        },
        {
            "field": "note",
            "headerName": t("note", lang),
            "filter": "agTextColumnFilter",
            "flex": 1,
            "minWidth": 300,
            "tooltipField": "note",
        },
        {
            "field": "import_id",
            "headerName": t("import_id", lang),
            "filter": "agNumberColumnFilter",
            "width": 110,
        },
        {
            "field": "derived",
            "headerName": t("derived", lang),
            "filter": "agTextColumnFilter",
            "width": 100,
        },
    ]
    return dag.AgGrid(
        id=ids.INDICATOR_TABLE,
        rowData=rows,
        columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True, "floatingFilter": True},
        dashGridOptions={
            "enableCellTextSelection": True,
            "ensureDomOrder": True,
            "pagination": True,
            "paginationPageSize": 20,
            "paginationPageSizeSelector": False,
            "animateRows": False,
            "tooltipShowDelay": 300,
            "localeText": grid_locale(lang),
        },
        style={"height": "420px"},
    )


def goals_section(tr: Tracker, ind: Any, lang: str) -> html.Section:
    """Each milestone: the wording, the number and comparator, and the source quotes (as text)."""
    items = []
    for m in ind.milestones:
        quotes = []
        for src in m.sources:
            doc = tr.catalogue.documents.get(src.document)
            doc_title = doc.title.get(lang) if doc else src.document
            quotes.append(
                html.Figure(
                    [
                        html.Blockquote(
                            html.P(src.quote, lang="zh-CN"), className="blockquote fs-6 mb-1"
                        ),
                        html.Figcaption(
                            f"— 《{doc_title}》 {src.section}"
                            if lang == "zh"
                            else f"— {doc_title}, {src.section}",
                            className="blockquote-footer mb-0",
                        ),
                        # the catalogue's reading notes are in English: English pages only
                        # (as in the reports), a Chinese page shows no English around the data
                        html.P(src.note, className="small text-body-secondary")
                        if src.note and lang == "en"
                        else None,
                    ],
                    className="quote",
                )
            )
        number = (
            f" ({fmt.goal_text(m.comparator, m.value, ind.decimals, ind.unit.get(lang))})"
            if m.value is not None and m.basis == "absolute"
            else ""
        )
        items.append(
            html.Div(
                [
                    html.H3(f"{t('goal_year', lang, year=m.year)}{number}", className="h6"),
                    html.P(m.text.get(lang)),
                    *quotes,
                ],
                className="goal mb-3",
            )
        )
    return html.Section(
        [html.H2(t("goals_heading", lang), className="h5 mt-3"), *items], id=ids.INDICATOR_GOALS
    )


def update(
    regions: Any, milestone: Any, view: Any, indicator_id: str, search: str | None
) -> tuple[Any, ...]:
    view_only = ctx.triggered_id == ids.INDICATOR_VIEW
    return page_state(regions, milestone, view, indicator_id, search, view_only=view_only)


def page_state(
    regions: Any,
    milestone: Any,
    view: Any,
    indicator_id: str,
    search: str | None,
    *,
    view_only: bool = False,
) -> tuple[Any, ...]:
    """The page for a new selection (the update callback's outputs, in order); when only the
    view changed (`view_only`), the charts and table stand and only the map is made, if shown."""
    lang = lang_from_search(search)
    tr = tracker()
    ind = tr.catalogue[indicator_id]
    years = numeric_years(ind)
    year = int_param(milestone, years, 2025 if 2025 in years else (years[0] if years else 0))
    has_charts = bool(years) or not ind.milestones
    shown = shown_view(view, has_charts, bool(years))
    obs = tr.observations(indicators=[indicator_id])
    available = available_regions(tr, indicator_id, obs)
    chosen = parse_regions(regions, available)
    visibility = (shown != "chart", shown != "table", shown != "map")
    search_out = query_string(
        lang,
        region=",".join(chosen) or None,
        milestone=year or None,
        view=None if shown == offered_views(has_charts, bool(years))[0] else shown,
    )
    map_children = map_view(tr, indicator_id, year, lang) if shown == "map" else []
    if view_only:
        # the selection is as it was: its charts and table stand, only the map may be new
        keep = (dash.no_update,) * 8
        return (*keep, map_children, *visibility, search_out)
    picked = chosen_by_person(tr, available, chosen)
    series, gaps_fig, note, rows = views(tr, indicator_id, chosen, year, lang, obs, picked)
    series_meta, gaps_meta = export_metas(tr, ind, chosen, year, lang, obs)
    return (
        series,
        gaps_fig,
        note,
        rows,
        provenance_items(tr, ind, chosen, year, lang),
        verdict_items(tr, ind, chosen, year, lang),
        series_meta,
        gaps_meta,
        map_children if shown == "map" else dash.no_update,
        *visibility,
        search_out,
    )
