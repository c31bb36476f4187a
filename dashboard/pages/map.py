"""Map (/map): a tile-grid map of one indicator's status by city, and the provinces as tiles.

No licensed boundary shapes ship with the tool, so this is a tile grid (one square per city at
its Region.grid position), drawn with plain plotly shapes: it works offline, and the page says
it is not a boundary map. URL: /map?indicator=rd_intensity&milestone=2025&lang=en
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import downloads, figures, ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import (
    add_page,
    attrs,
    choose,
    default_milestone,
    int_param,
    lang_from_search,
    query_string,
    tracker,
    url_sync,
)
from targets.chart_data import gap_chart_frame
from targets.tracker import Tracker


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/map",
        label=(t("page_map", "zh"), t("page_map", "en")),
        order=30,
        layout=layout,
    )
    app.callback(
        Output(ids.MAP_CITIES, "figure"),
        Output(ids.MAP_PROVINCES, "figure"),
        Output(ids.MAP_SUMMARY, "children"),
        Output(downloads.chart_id(ids.CHART_EXPORT, ids.MAP_CITIES), "data"),
        Output(downloads.chart_id(ids.CHART_EXPORT, ids.MAP_PROVINCES), "data"),
        Output(ids.MAP_INDICATOR, "options"),
        Output(ids.MAP_INDICATOR, "value"),
        Output(ids.MAP_URL, "search"),
        Input(ids.MAP_INDICATOR, "value"),
        Input(ids.MAP_MILESTONE, "value"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(update)


def goal_options(tr: Tracker, year: int) -> list[Any]:
    """Indicators with a numeric goal for `year`."""
    return [
        ind
        for ind in tr.catalogue.goals()
        if (m := ind.milestone(year)) is not None and m.is_numeric
    ]


def default_indicator(tr: Tracker, goals: list[Any]) -> str | None:
    """The first goal with city values (the map is about cities), else the first goal."""
    cities = {rid for rid, r in tr.regions.regions.items() if r.level == "city"}
    # read in place: a copy of every goal's values (most of a million rows) cost a second a view
    obs = tr.derived().frame
    with_cities = set(obs.loc[obs["region"].isin(cities), "indicator"].unique())
    for goal in goals:
        if goal.id in with_cities:
            return str(goal.id)
    return str(goals[0].id) if goals else None


def layout(
    lang: str = "zh", indicator: str | None = None, milestone: str | None = None, **_: Any
) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    goals = goal_options(tr, year)
    chosen = choose(indicator, [g.id for g in goals], None) or default_indicator(tr, goals)
    cities_fig, provinces_fig, summary = views(tr, chosen, year, lang)
    return html.Div(
        [
            url_sync(ids.MAP_URL),
            html.H1(t("map_heading", lang), className="h3"),
            dbc.Alert(t("map_note", lang), color="light", className="border py-2", id=ids.MAP_NOTE),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                t("indicator", lang),
                                html_for=ids.MAP_INDICATOR,
                                className="fw-semibold",
                            ),
                            # a native <select>: keyboard and screen readers know it
                            dbc.Select(
                                id=ids.MAP_INDICATOR,
                                options=indicator_options(goals, lang),
                                value=chosen,
                            ),
                        ],
                        md=7,
                    ),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(
                                    t("milestone", lang),
                                    className="form-label fs-6 fw-semibold mb-1",
                                ),
                                dbc.RadioItems(
                                    id=ids.MAP_MILESTONE,
                                    options=[{"label": str(y), "value": y} for y in years],
                                    value=year,
                                    inline=True,
                                ),
                            ]
                        ),
                        md=5,
                    ),
                ],
                className="g-3 mb-2",
            ),
            html.P(summary, id=ids.MAP_SUMMARY, className="small", **attrs(aria_live="polite")),
            figures_row(
                tr,
                chosen,
                year,
                lang,
                (cities_fig, provinces_fig),
                ids.MAP_CITIES,
                ids.MAP_PROVINCES,
            ),
        ]
    )


def figures_row(
    tr: Tracker,
    indicator_id: str | None,
    year: int,
    lang: str,
    figs: tuple[Any, Any],
    cities_id: str,
    provinces_id: str,
) -> dbc.Row:
    """The city tiles beside the province tiles, each with its downloads: the map page's, and
    the indicator page's map view (with its own ids)."""
    meta_cities, meta_provinces = export_metas(
        tr, indicator_id, year, lang, cities_id, provinces_id
    )
    return dbc.Row(
        [
            _figure_column(cities_id, "map_cities", figs[0], meta_cities, lang, width=8),
            _figure_column(provinces_id, "map_provinces", figs[1], meta_provinces, lang, width=4),
        ],
        className="g-3",
    )


def _figure_column(
    graph: str,
    heading: str,
    fig: Any,
    meta: dict[str, Any],
    lang: str,
    *,
    width: int,
) -> dbc.Col:
    """One tile grid under its heading (catalogue key `heading`, which also names its PNG:
    map_cities -> map-cities.png), with its downloads."""
    return dbc.Col(
        html.Figure(
            [
                html.H2(t(heading, lang), className="h5"),
                dcc.Graph(
                    id=graph,
                    figure=fig,
                    config=figures.graph_config(heading.replace("_", "-"), lang, zoom=False),
                ),
                downloads.chart_downloads(graph, meta, lang),
            ]
        ),
        lg=width,
    )


def export_metas(
    tr: Tracker, indicator_id: str | None, year: int, lang: str, cities_id: str, provinces_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the downloads of the city and the province tiles carry: their tiles' gap rows."""
    ind = tr.catalogue.indicators.get(indicator_id or "")
    inds = [ind] if ind is not None else []
    name = ind.name.get(lang) if ind is not None else t("no_data", lang)
    # the indicator's values read once for both grids' source lines (each read is a pass over
    # every value in force)
    obs = tr.observations(indicators=[ind.id]) if ind is not None else None
    out = []
    for graph, heading, tiles in (
        (cities_id, "map_cities", city_tiles(tr, lang)),
        (provinces_id, "map_provinces", province_tiles(tr, lang)),
    ):
        spec: dict[str, Any] = (
            {
                "kind": "gaps",
                "milestone": year,
                "indicators": [ind.id],
                "regions": [tile["region"] for tile in tiles],
            }
            if ind is not None
            else {"kind": "empty"}
        )
        out.append(
            downloads.export_meta(
                tr,
                graph=graph,
                spec=spec,
                title=f"{name} · {t(heading, lang)}",
                goal=downloads.goal_words(ind, year, lang) if ind is not None else "",
                plans=downloads.plan_titles(tr, inds, year, lang),
                filename=f"{indicator_id or 'map'}-{year}-{heading.removeprefix('map_')}",
                lang=lang,
                frame=None
                if ind is None
                else gap_chart_frame(
                    tr, year, lang, indicators=[ind.id], regions=spec["regions"], obs=obs
                ),
            )
        )
    return out[0], out[1]


def city_tiles(tr: Tracker, lang: str) -> list[dict[str, Any]]:
    """The 41 city-level regions with a grid position, grouped by province for the outlines.

    Shanghai is a province-level city: it is its own group.
    """
    out = []
    for reg in tr.regions.cities():
        if reg.grid is None:
            continue
        group = reg.parent if reg.level == "city" and reg.parent else reg.id
        out.append(
            {
                "region": reg.id,
                "name": reg.name.get(lang),
                "col": int(reg.grid[0]),
                "row": int(reg.grid[1]),
                "group": group,
                "group_name": tr.regions.name(group, lang),
            }
        )
    return out


def province_tiles(tr: Tracker, lang: str) -> list[dict[str, Any]]:
    """The provinces side by side in one row."""
    return [
        {"region": p.id, "name": p.name.get(lang), "col": i, "row": 0}
        for i, p in enumerate(tr.regions.provinces())
    ]


def views(tr: Tracker, indicator_id: str | None, year: int, lang: str) -> tuple[Any, Any, str]:
    if indicator_id is None:
        empty = figures.blank(t("no_data", lang))
        return empty, empty, ""
    ind = tr.catalogue[indicator_id]
    gaps = tr.gaps(milestone=year, indicators=[indicator_id])
    cities = city_tiles(tr, lang)
    city_frame = figures.tiles_frame(cities, gaps, decimals=ind.decimals)
    prov_frame = figures.tiles_frame(province_tiles(tr, lang), gaps, decimals=ind.decimals)
    cities_fig = figures.tile_map_figure(city_frame, lang=lang, outline=True, tile_px=72)
    provinces_fig = figures.tile_map_figure(prov_frame, lang=lang, outline=False, tile_px=90)
    with_data = int((city_frame["status"] != "no_data").sum()) if len(city_frame) else 0
    summary = f"{ind.name.get(lang)} · {ind.unit.get(lang)} · " + t(
        "map_summary", lang, n=with_data, total=len(cities)
    )
    return cities_fig, provinces_fig, summary


def indicator_options(goals: list[Any], lang: str) -> list[dict[str, str]]:
    return [{"label": g.name.get(lang), "value": g.id} for g in goals]


def update(indicator: Any, milestone: Any, search: str | None) -> tuple[Any, ...]:
    lang = lang_from_search(search)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    goals = goal_options(tr, year)
    chosen = choose(indicator, [g.id for g in goals], None) or default_indicator(tr, goals)
    cities_fig, provinces_fig, summary = views(tr, chosen, year, lang)
    meta_cities, meta_provinces = export_metas(
        tr, chosen, year, lang, ids.MAP_CITIES, ids.MAP_PROVINCES
    )
    return (
        cities_fig,
        provinces_fig,
        summary,
        meta_cities,
        meta_provinces,
        indicator_options(goals, lang),
        chosen,
        query_string(lang, indicator=chosen, milestone=year),
    )
