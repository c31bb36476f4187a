"""Region view (/region/<id>): a bullet per indicator and the goals sorted by how far off they are.

URL: /region/anhui?milestone=2025&lang=en
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import downloads, figures, ids
from dashboard import format as fmt
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import (
    add_page,
    default_milestone,
    href,
    int_param,
    lang_from_search,
    query_string,
    tracker,
    url_sync,
)
from targets import roles, verdicts
from targets.provenance import provisional_words
from targets.tracker import Tracker


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path_template="/region/<region_id>",
        label=(t("page_region", "zh"), t("page_region", "en")),
        order=20,
        layout=layout,
        nav=False,
        title=title,
    )
    app.callback(
        Output(ids.REGION_BODY, "children"),
        Output(ids.REGION_URL, "search"),
        Input(ids.REGION_MILESTONE, "value"),
        State(ids.REGION_ID_STORE, "data"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(update)


def title(region_id: str | None = None, **_: Any) -> str:
    reg = tracker().regions.regions.get(region_id or "")
    if reg is None:
        return "长三角一体化目标跟踪"
    return f"{reg.name.zh} {reg.name.en} · 长三角一体化目标跟踪"


def layout(
    region_id: str | None = None, lang: str = "zh", milestone: str | None = None, **_: Any
) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    reg = tr.regions.regions.get(region_id or "")
    if reg is None:
        return html.Div(
            [
                html.H1(
                    t("unknown_region", lang, id=region_id or ""),
                    className="h3",
                    id=ids.REGION_TITLE,
                ),
                dcc.Link(t("back_home", lang), href=href("/", lang)),
            ]
        )
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    level = t(f"level_{reg.level}", lang) if f"level_{reg.level}" in TEXT else reg.level
    facts = [level]
    if reg.parent:
        facts.append(tr.regions.name(reg.parent, lang))
    if reg.area_km2:
        facts.append(f"{fmt.number(reg.area_km2, 0)} km²")
    return html.Div(
        [
            url_sync(ids.REGION_URL),
            dcc.Store(id=ids.REGION_ID_STORE, data=reg.id),
            html.H1(reg.name.get(lang), className="h3", id=ids.REGION_TITLE),
            html.P(" · ".join(facts), className="text-body-secondary"),
            html.Fieldset(
                [
                    html.Legend(t("milestone", lang), className="form-label fs-6 fw-semibold mb-1"),
                    dbc.RadioItems(
                        id=ids.REGION_MILESTONE,
                        options=[{"label": str(y), "value": y} for y in years],
                        value=year,
                        inline=True,
                    ),
                ],
                className="mb-3",
            ),
            html.Div(body(tr, reg.id, year, lang), id=ids.REGION_BODY),
        ]
    )


def update(milestone: Any, region_id: str, search: str | None) -> tuple[Any, str]:
    lang = lang_from_search(search)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    return body(tr, region_id, year, lang), query_string(lang, milestone=year)


def body(tr: Tracker, region_id: str, year: int, lang: str) -> list[Any]:
    gaps = tr.gaps(milestone=year, regions=[region_id])
    inds = {ind.id: ind for ind in tr.catalogue}
    names = {i: ind.name.get(lang) for i, ind in inds.items()}
    fig = figures.bullet_figure(
        gaps,
        names=names,
        decimals={i: ind.decimals for i, ind in inds.items()},
        units={i: ind.unit.get(lang) for i, ind in inds.items()},
        lang=lang,
    )
    region_name = tr.regions.name(region_id, lang)
    shown = [inds[i] for i in dict.fromkeys(gaps["indicator"].astype(str))] if len(gaps) else []
    meta = downloads.export_meta(
        tr,
        graph=ids.REGION_BULLET,
        spec={"kind": "gaps", "milestone": year, "regions": [region_id]},
        title=f"{region_name} · {t('bullet_heading', lang)}",
        goal=t("bullet_export_goal", lang, year=year),
        plans=downloads.plan_titles(tr, shown, year, lang),
        filename=f"{region_id}-{year}-goals",
        lang=lang,
    )
    return [
        html.Figure(
            [
                html.H2(t("bullet_heading", lang), className="h5"),
                dcc.Graph(
                    id=ids.REGION_BULLET,
                    figure=fig,
                    config=figures.graph_config(f"{region_id}-goals", lang, zoom=False),
                ),
                html.Figcaption(t("bullet_note", lang), className="small text-body-secondary"),
                downloads.chart_downloads(ids.REGION_BULLET, meta, lang),
            ]
        ),
        html.Section(
            [
                html.H2(t("region_goals_heading", lang), className="h5 mt-3"),
                goals_table(tr, gaps, region_name, year, lang),
            ],
            id=ids.REGION_GOALS,
        ),
    ]


def sort_by_distance(gaps: pd.DataFrame) -> pd.DataFrame:
    """Farthest from the goal first (gap as a share of the goal), rows without a gap last."""
    order = gaps.assign(
        _pct=pd.to_numeric(gaps["gap_pct"], errors="coerce"),
        _sev=gaps["status"].map(fmt.STATUS_SEVERITY).fillna(99),
    )
    order = order.sort_values(
        ["_pct", "_sev"], ascending=[False, True], na_position="last", kind="stable"
    )
    return order.drop(columns=["_pct", "_sev"])


def status_cell(tr: Tracker, rec: dict[str, Any], lang: str, decimals: int, unit: str) -> Any:
    """The verdict in words, whose goal it is, and on a flagged value that it is provisional and
    why (targets.provenance, as the overview and the indicator page say it); the hover says why
    the status is what it is."""
    bg, fg = fmt.status_colours(str(rec["status"]))
    scope = tr.regions.name(str(rec.get("goal_scope", "")), lang)
    title = verdicts.explain(rec, lang, decimals, unit, tr.reason_names(lang))
    children: list[Any] = [verdicts.verdict_text(rec, scope, lang)]
    provisional = provisional_words(rec, lang)
    if provisional:
        children += [html.Br(), html.Span(provisional, className="small cell-provisional")]
        title = "; ".join(p for p in (title, provisional) if p)
    return html.Td(
        children,
        style={"backgroundColor": bg, "color": fg},
        className="status-cell" + (" cell-benchmark" if roles.is_benchmark(rec) else ""),
        title=title,
    )


def unmeasured(rec: dict[str, Any]) -> bool:
    """True for a gap row whose progress and elapsed time mean nothing: achieved, or one value."""
    one_value = not fmt.is_missing(rec.get("baseline_year")) and rec.get(
        "baseline_year"
    ) == rec.get("year")
    return rec.get("status") == "achieved" or one_value


def goals_table(tr: Tracker, gaps: pd.DataFrame, region_name: str, year: int, lang: str) -> Any:
    if gaps.empty:
        return html.P(t("no_data", lang))
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    t(k, lang), scope="col", className="" if k in ("indicator", "status") else "num"
                )
                for k in (
                    "indicator",
                    "status",
                    "latest",
                    "latest_year",
                    "target",
                    "gap",
                    "progress",
                    "time_elapsed",
                )
            ]
        )
    )
    rows = []
    for rec in sort_by_distance(gaps).to_dict("records"):
        ind = tr.catalogue[rec["indicator"]]
        unit = ind.unit.get(lang)
        gap_text = fmt.value_with_unit(rec["gap"], ind.decimals, unit)
        if not fmt.is_missing(rec["gap_pct"]):
            gap_text += f" ({fmt.percent(rec['gap_pct'])})"
        rows.append(
            html.Tr(
                [
                    html.Th(
                        dcc.Link(
                            ind.name.get(lang),
                            href=href(
                                f"/indicator/{ind.id}", lang, region=rec["region"], milestone=year
                            ),
                        ),
                        scope="row",
                    ),
                    status_cell(tr, rec, lang, ind.decimals, unit),
                    html.Td(fmt.value_with_unit(rec["value"], ind.decimals, unit), className="num"),
                    html.Td(fmt.year_text(rec["year"]), className="num"),
                    html.Td(
                        fmt.goal_text(rec["comparator"], rec["target"], ind.decimals, unit),
                        className="num",
                    ),
                    html.Td(gap_text, className="num"),
                    # no share where there is no progress to measure: an achieved goal has none
                    # left (progress and elapsed time read 0% or negative once it is passed), a
                    # goal with one value none yet (it is its own baseline: 0% of 0 years)
                    html.Td(
                        fmt.DASH if unmeasured(rec) else fmt.percent(rec["progress"]),
                        className="num",
                    ),
                    html.Td(
                        fmt.DASH if unmeasured(rec) else fmt.percent(rec["time_elapsed"]),
                        className="num",
                    ),
                ]
            )
        )
    return html.Div(
        html.Table(
            [
                html.Caption(f"{region_name} · {t('goal_year', lang, year=year)}"),
                head,
                html.Tbody(rows),
            ],
            className="table table-sm table-hover region-goals",
        ),
        className="table-responsive",
    )
