"""Overview (/): the matrix of goals × regions for one goal year, headline counts, who is behind.

URL: /?milestone=2025&cities=1&lang=en. Each matrix cell is a link to the indicator view for
that region, so a keyboard or a screen reader reaches it like any link; status shows as colour,
symbol and word (in the cell's title and the legend).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import format as fmt
from dashboard import ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import (
    add_page,
    attrs,
    bundled_in_force,
    choose,
    default_milestone,
    href,
    int_param,
    lang_from_search,
    milestone_years,
    query_string,
    tracker,
    url_sync,
)
from targets import roles, statuses, verdicts
from targets.display import category_name
from targets.provenance import PROVISIONAL_COLUMNS, provisional_mark, provisional_words
from targets.tracker import Tracker

BASE_COLUMNS = ("yrd", "central_zone")
# what a cell shows and its hover explains (targets.verdicts reads these); the provenance
# columns where the gap table carries them
CELL_COLUMNS = (
    "indicator", "region", "status", "value", "gap", "year", "role", "goal_scope",
    "milestone_year", "target", "comparator", "projected", "distance_share", "status_rule",
    "ratio", "actual_rate", "required_rate", "baseline_year", "linear", "reason",
    *PROVISIONAL_COLUMNS,
)  # fmt: skip
TRUE = ("1", "true", "yes", "on")
# city columns shown at once: the delta's 41 cities fit a matrix a person reads; a country's 340
# (7-13 MB of HTML, 1.3-6.5 s a view) do not, so past this the cities come one province at a time
MAX_CITY_COLUMNS = 60
ALL_CITIES = "all"
# goals listed behind schedule: the most behind first; the reports and the CLI list them all
MAX_BEHIND = 50


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/",
        label=(t("page_overview", "zh"), t("page_overview", "en")),
        order=0,
        layout=layout,
    )
    app.callback(
        Output(ids.OVERVIEW_BODY, "children"),
        Output(ids.OVERVIEW_URL, "search"),
        Output(ids.OVERVIEW_PROVINCE, "options"),
        Output(ids.OVERVIEW_PROVINCE, "value"),
        Output(ids.OVERVIEW_PROVINCE_WRAP, "hidden"),
        Input(ids.OVERVIEW_MILESTONE, "value"),
        Input(ids.OVERVIEW_CITIES, "value"),
        Input(ids.OVERVIEW_PROVINCE, "value"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(update)
    app.callback(
        Output(ids.OVERVIEW_MATRIX_WRAP, "children"),
        Input(ids.OVERVIEW_COUNTS, "value"),
        State(ids.OVERVIEW_MILESTONE, "value"),
        State(ids.OVERVIEW_CITIES, "value"),
        State(ids.OVERVIEW_PROVINCE, "value"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(filter_matrix)


def layout(
    lang: str = "zh",
    milestone: str | None = None,
    cities: str | None = None,
    province: str | None = None,
    **_: Any,
) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    show_cities = str(cities).lower() in TRUE
    scopes, scope = city_scope(tr, year, show_cities, province, lang)
    numeric = set(tr.catalogue.milestone_years())
    options = [
        {
            "label": str(y)
            if y in numeric
            else f"{y}（{t('words_only', lang)}）"
            if lang == "zh"
            else f"{y} ({t('words_only', lang)})",
            "value": y,
        }
        for y in years
    ]
    return html.Div(
        [
            url_sync(ids.OVERVIEW_URL),
            html.H1(t("overview_heading", lang), className="h3"),
            banner(tr, lang),
            dbc.Row(
                [
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(
                                    t("milestone", lang),
                                    className="form-label fs-6 fw-semibold mb-1",
                                ),
                                dbc.RadioItems(
                                    id=ids.OVERVIEW_MILESTONE,
                                    options=options,
                                    value=year,
                                    inline=True,
                                ),
                            ]
                        ),
                        width="auto",
                    ),
                    dbc.Col(
                        cities_switch(tr, show_cities, lang),
                        width="auto",
                        className="d-flex align-items-end",
                    ),
                    dbc.Col(
                        html.Div(
                            province_select(scopes, scope, lang),
                            id=ids.OVERVIEW_PROVINCE_WRAP,
                            hidden=not scopes,
                        ),
                        width="auto",
                    ),
                ],
                className="g-4 mb-3",
            ),
            html.Div(body(tr, year, show_cities, lang, scope), id=ids.OVERVIEW_BODY),
        ]
    )


def has_city_data(tr: Tracker) -> bool:
    """True when any city has a value in force (else the city columns would all be empty)."""
    cities = {rid for rid, reg in tr.regions.regions.items() if reg.level == "city"}
    return bool(cities & tr.regions_with_values())


def cities_switch(tr: Tracker, show_cities: bool, lang: str) -> dbc.Switch:
    """The city-columns switch; without any city data it is off and disabled, and says why."""
    if has_city_data(tr):
        return dbc.Switch(id=ids.OVERVIEW_CITIES, label=t("show_cities", lang), value=show_cities)
    return dbc.Switch(
        id=ids.OVERVIEW_CITIES,
        label=t("show_cities_none", lang),
        value=False,
        disabled=True,
    )


def province_select(options: list[dict[str, str]], value: str | None, lang: str) -> Any:
    """Whose cities the matrix shows (offered while the city columns are on)."""
    return html.Div(
        [
            dbc.Label(t("cities_of", lang), html_for=ids.OVERVIEW_PROVINCE, className="mb-1"),
            dbc.Select(id=ids.OVERVIEW_PROVINCE, options=options, value=value, className="w-auto"),
        ]
    )


def city_scope(
    tr: Tracker, year: int, show_cities: bool, requested: Any, lang: str
) -> tuple[list[dict[str, str]], str | None]:
    """(options, chosen) of the province select: every city while the cities with data fit the
    matrix (MAX_CITY_COLUMNS), else one province's at a time; nothing while cities are off."""
    if not show_cities or tr.store.is_empty():
        return [], None
    gaps = tr.gaps(milestone=year)
    cities = set(region_columns(tr.regions, gaps, True)) - set(
        region_columns(tr.regions, gaps, False)
    )
    options = [
        {"label": tr.regions.name(p.id, lang), "value": p.id}
        for p in tr.regions.provinces()
        if cities & tr.regions.within([p.id])
    ]
    if len(cities) <= MAX_CITY_COLUMNS:
        options.insert(0, {"label": t("cities_all", lang), "value": ALL_CITIES})
    if not options:
        return [], None
    return options, choose(requested, [o["value"] for o in options], options[0]["value"])


def update(
    milestone: Any, cities: Any, province: Any, search: str | None
) -> tuple[Any, str, list[dict[str, str]], str | None, bool]:
    """Body and address for the controls, and the province select (shown with the cities)."""
    lang = lang_from_search(search)
    tr = tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    show = bool(cities)
    scopes, scope = city_scope(tr, year, show, province, lang)
    search_out = query_string(
        lang,
        milestone=year,
        cities=1 if show else None,
        province=scope if scope not in (None, ALL_CITIES) else None,
    )
    return body(tr, year, show, lang, scope), search_out, scopes, scope, not scopes


def filter_matrix(
    selected: Any, milestone: Any, cities: Any, province: Any, search: str | None
) -> Any:
    """The matrix again, keeping the goals with a cell of a ticked status."""
    lang = lang_from_search(search)
    tr = tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    goals = numeric_goals(tr, year)
    gaps = tr.gaps(milestone=year)
    _, scope = city_scope(tr, year, bool(cities), province, lang)
    columns = region_columns(tr.regions, gaps, bool(cities), scope)
    shown = gaps[gaps["region"].isin(columns)]
    chosen = [str(s) for s in selected or []]
    return matrix(tr, filter_goals(goals, shown, chosen), shown, columns, year, lang)


def numeric_goals(tr: Tracker, year: int) -> list[Any]:
    """The goals with a numeric milestone in `year`, in catalogue order."""
    return [
        ind
        for ind in tr.catalogue.goals()
        if (m := ind.milestone(year)) is not None and m.is_numeric
    ]


def banner(tr: Tracker, lang: str) -> Any:
    """The bundled-data warning, with a link to the sources page; nothing for other data."""
    if not bundled_in_force(tr.store):
        return html.Div(id=ids.BUNDLED_BANNER, hidden=True)
    return dbc.Alert(
        [
            html.Span(t("bundled_banner", lang)),
            " ",
            dcc.Link(t("bundled_link", lang), href=href("/sources", lang), className="alert-link"),
        ],
        id=ids.BUNDLED_BANNER,
        color="warning",
        className="py-2",
    )


def body(
    tr: Tracker, year: int, show_cities: bool, lang: str, province: str | None = None
) -> list[Any]:
    """Counts, matrix and behind-schedule list for one goal year; with cities, those of
    `province` (all of them for None or ALL_CITIES)."""
    if tr.store.is_empty():
        return [dbc.Alert(t("empty_db", lang), color="info")]
    goals = numeric_goals(tr, year)
    words = [
        ind
        for ind in tr.catalogue.goals()
        if (m := ind.milestone(year)) is not None and not m.is_numeric
    ]
    parts: list[Any] = []
    if goals:
        gaps = tr.gaps(milestone=year)
        columns = region_columns(tr.regions, gaps, show_cities, province)
        shown = gaps[gaps["region"].isin(columns)]
        parts += [
            counts_bar(shown, lang),
            dbc.Row(
                [
                    dbc.Col(
                        html.Div(
                            matrix(tr, goals, shown, columns, year, lang),
                            id=ids.OVERVIEW_MATRIX_WRAP,
                        ),
                        lg=9,
                    ),
                    dbc.Col(behind_list(tr, shown, lang, year), lg=3),
                ],
                className="g-3",
            ),
        ]
    if words:
        parts.append(words_list(words, year, lang))
    return parts


def region_columns(
    registry: Any, gaps: pd.DataFrame, show_cities: bool, province: str | None = None
) -> list[str]:
    """yrd, central_zone, other zones with data, the provinces, and (toggle) cities with data:
    all of them, or `province` alone with its cities."""
    with_data = set(gaps.loc[gaps["status"] != "no_data", "region"]) if len(gaps) else set()
    columns = [r for r in BASE_COLUMNS if r in registry.regions]
    columns += [z.id for z in registry.zones() if z.id not in columns and z.id in with_data]
    inside = (
        registry.within([province]) if show_cities and province not in (None, ALL_CITIES) else None
    )
    # one province's cities are read beside that province, not beside every other one
    columns += [p.id for p in registry.provinces() if inside is None or p.id == province]
    if show_cities:
        columns += [
            rid
            for rid, reg in registry.regions.items()
            if reg.level == "city" and rid in with_data and (inside is None or rid in inside)
        ]
    return columns


def counts_bar(gaps: pd.DataFrame, lang: str, selected: list[str] | None = None) -> html.Section:
    """One chip per status present (symbol, word, count of matrix cells); ticking chips keeps
    only the goals with a cell of a ticked status in the matrix."""
    counts = gaps["status"].value_counts() if len(gaps) else pd.Series(dtype="int64")
    options = []
    for status in statuses.IDS:
        n = int(counts.get(status, 0))
        if not n:
            continue
        bg, fg = fmt.status_colours(status)
        options.append(
            {
                "label": html.Span(
                    [
                        html.Span(
                            fmt.status_symbol(status),
                            className="count-symbol",
                            style={"backgroundColor": bg, "color": fg},
                            **attrs(aria_hidden="true"),
                        ),
                        html.Span(fmt.status_label(status, lang), className="count-label"),
                        html.Strong(str(n), className="count-value"),
                    ],
                    className="count-item",
                    id=ids.STATUS_CHIP.format(status=status),
                    title=statuses.meaning(status, lang),
                ),
                "value": status,
            }
        )
    return html.Section(
        [
            html.H2(t("counts_heading", lang), className="visually-hidden"),
            html.P(t("chips_note", lang), className="small text-body-secondary mb-1"),
            dbc.Checklist(
                id=ids.OVERVIEW_COUNTS,
                options=options,
                value=[s for s in (selected or []) if s in counts.index],
                inline=True,
                className="counts",
            ),
            html.Details(
                [
                    html.Summary(t("statuses_meaning", lang)),
                    html.Dl(
                        [
                            item
                            for s in statuses.IDS
                            for item in (
                                html.Dt(fmt.status_text(s, lang)),
                                html.Dd(statuses.meaning(s, lang)),
                            )
                        ],
                        className="small status-meanings",
                    ),
                ],
                id=ids.OVERVIEW_MEANINGS,
                className="mb-2",
            ),
        ],
        **attrs(aria_label=t("counts_heading", lang)),
    )


def filter_goals(goals: list[Any], gaps: pd.DataFrame, selected: list[str] | None) -> list[Any]:
    """The goals with at least one matrix cell of a selected status (all when none is selected)."""
    if not selected:
        return goals
    keep = set(gaps.loc[gaps["status"].isin(selected), "indicator"])
    return [ind for ind in goals if ind.id in keep]


def goal_text(ind: Any, year: int, lang: str) -> str:
    """'≥ 3 %' for an absolute goal; the plan's wording for a change-from-base goal."""
    m = ind.milestone(year)
    if m is None:
        return ""
    if m.basis == "absolute" and m.value is not None:
        return fmt.goal_text(m.comparator, m.value, ind.decimals, ind.unit.get(lang))
    return m.text.get(lang)


def cell(
    row: Mapping[str, Any] | None,
    ind: Any,
    region_name: str,
    year: int,
    lang: str,
    scope_name: str = "",
    before: Mapping[str, Any] | None = None,
    reason_names: Mapping[str, str] | None = None,
) -> html.Td:
    """One matrix cell: symbol + latest value, gap and latest year, a link to the indicator view.

    A benchmark cell (a region compared with a goal the plan set for another) carries the mark
    ※ and a dashed frame; the hover says whose goal it is and why the status is what it is
    (targets.verdicts); a provisional verdict says so (targets.provenance). `reason_names`
    names the ids in a missing value's reason (Tracker.reason_names).
    """
    if row is None:
        return html.Td(
            html.Span(cell_name(None, ind, region_name, year, lang), className="visually-hidden"),
            className="cell-na",
        )
    status = str(row["status"])
    bg, fg = fmt.status_colours(status)
    unit = ind.unit.get(lang)
    value = fmt.number(row["value"], ind.decimals)
    latest = fmt.year_text(row["year"])
    benchmark = roles.is_benchmark(row)
    main = f"{fmt.status_symbol(status)} {value}"
    lines: list[Any] = [html.Span(main, className="cell-main")]
    if benchmark:
        lines.append(html.Span(roles.tag("benchmark", lang), className="cell-mark"))
    detail = []
    if not fmt.is_missing(row["gap"]) and status != "achieved":
        detail.append(f"{t('gap_short', lang)} {fmt.number(row['gap'], ind.decimals)}")
    if latest != fmt.DASH:
        detail.append(latest)
    if detail:
        lines.append(html.Span(" · ".join(detail), className="cell-detail"))
    mark = provisional_mark(row, lang)
    if mark:
        # a verdict on a preliminary or approximate value says so in words, not by colour
        lines.append(html.Span(mark, className="cell-provisional"))
    title = (
        f"{region_name} · {ind.name.get(lang)}: "
        f"{verdicts.verdict_text(row, scope_name, lang)}; "
        f"{t('latest', lang)} {fmt.value_with_unit(row['value'], ind.decimals, unit)} ({latest}); "
        f"{t('gap', lang)} {fmt.value_with_unit(row['gap'], ind.decimals, unit)}. "
        f"{verdicts.explain(row, lang, ind.decimals, unit, reason_names)}"
    )
    if mark:
        title += f"; {provisional_words(row, lang)}"
    # the status this cell had before its latest value, and why it moved (targets.verdicts)
    changed = verdicts.change_words(before, row, lang, ind.decimals)
    if changed:
        title += f"; {changed}"
    link = dcc.Link(
        [
            # a screen reader hears the whole cell, not "✔ 2.08 2023" (dcc.Link takes no
            # aria-label: the name is the link's text, the visible part hidden from it)
            html.Span(lines, **attrs(aria_hidden="true")),
            html.Span(cell_name(row, ind, region_name, year, lang), className="visually-hidden"),
        ],
        href=href(f"/indicator/{ind.id}", lang, region=row["region"], milestone=year),
        title=title,
        className="cell-link",
        style={"color": fg},
    )
    kind = " cell-benchmark" if benchmark else ""
    return html.Td(
        link, className=f"cell status-{status}{kind}", style={"backgroundColor": bg, "color": fg}
    )


def cell_name(
    row: Mapping[str, Any] | None, ind: Any, region_name: str, year: int, lang: str
) -> str:
    """A cell's accessible name: '上海，城乡居民收入比，2023年2.08，已达标，目标≤ 2.20'.

    The status word is the one of targets.statuses (legend, method page and reports say the same).
    """
    goal = goal_text(ind, year, lang)
    name = ind.name.get(lang)
    if row is None or str(row["status"]) == "no_data" or fmt.is_missing(row["value"]):
        word = statuses.label("no_data", lang)
        return (
            f"{region_name}，{name}，{word}，{t('goal', lang)}{goal}"
            if lang == "zh"
            else f"{region_name}, {name}, {word}, {t('goal', lang).lower()} {goal}"
        )
    value = fmt.number(row["value"], ind.decimals)
    latest = fmt.year_text(row["year"])
    word = statuses.label(str(row["status"]), lang)
    if lang == "zh":
        return f"{region_name}，{name}，{latest}年{value}，{word}，{t('goal', lang)}{goal}"
    return f"{region_name}, {name}, {latest}: {value}, {word}, {t('goal', lang).lower()} {goal}"


def matrix(
    tr: Tracker, goals: list[Any], gaps: pd.DataFrame, columns: list[str], year: int, lang: str
) -> html.Div:
    """The HTML table: a row group per category, a row per goal, a column per region."""
    names = {rid: tr.regions.name(rid, lang) for rid in columns}
    reason_names = tr.reason_names(lang)
    # only the columns a cell shows: turning every gap column into Python objects cost more
    # than the cells themselves at national scale
    shown = gaps[[c for c in CELL_COLUMNS if c in gaps.columns]]
    lookup = {(r["indicator"], r["region"]): r for r in shown.to_dict("records")}
    earlier = tr.gaps_before_latest(milestone=year)
    earlier = earlier.loc[
        earlier["region"].isin(columns).to_numpy(dtype=bool),
        [c for c in CELL_COLUMNS if c in earlier.columns],
    ]
    before = {(r["indicator"], r["region"]): r for r in earlier.to_dict("records")}
    head = html.Thead(
        html.Tr(
            [html.Th(t("indicator", lang), scope="col", className="row-head")]
            + [
                html.Th(
                    dcc.Link(names[rid], href=href(f"/region/{rid}", lang, milestone=year)),
                    scope="col",
                    className="region-head",
                )
                for rid in columns
            ]
        )
    )
    bodies = []
    for category in dict.fromkeys(ind.category for ind in goals):
        rows = [
            html.Tr(
                html.Th(
                    category_name(category, lang),
                    scope="colgroup",
                    colSpan=len(columns) + 1,
                    className="category-head",
                )
            )
        ]
        for ind in (i for i in goals if i.category == category):
            rows.append(
                html.Tr(
                    [
                        html.Th(
                            [
                                dcc.Link(
                                    ind.name.get(lang),
                                    href=href(f"/indicator/{ind.id}", lang, milestone=year),
                                ),
                                html.Span(
                                    f"{t('goal', lang)} {goal_text(ind, year, lang)}",
                                    className="goal-text",
                                ),
                            ],
                            scope="row",
                            className="row-head",
                        )
                    ]
                    + [
                        cell(
                            lookup.get((ind.id, rid)),
                            ind,
                            names[rid],
                            year,
                            lang,
                            scope_name=tr.regions.name(ind.scope[0], lang) if ind.scope else "",
                            before=before.get((ind.id, rid)),
                            reason_names=reason_names,
                        )
                        for rid in columns
                    ]
                )
            )
        bodies.append(html.Tbody(rows))
    return html.Div(
        html.Table(
            [html.Caption(t("matrix_caption", lang, year=year)), head, *bodies],
            id=ids.OVERVIEW_MATRIX,
            className="table table-sm matrix",
        ),
        className="table-responsive matrix-wrap",
        tabIndex="0",
        role="region",
        **attrs(aria_label=t("matrix_caption", lang, year=year)),
    )


def behind_list(
    tr: Tracker, gaps: pd.DataFrame, lang: str, year: int | None = None
) -> html.Section:
    """Goals whose progress lags the time elapsed, most behind first, with their pace in words.

    The rows come from Tracker.behind_schedule (one definition for CLI, reports and here),
    restricted to the regions shown in `gaps`.
    """
    behind = tr.behind_schedule(year, lang)
    behind = behind[behind["region"].isin(set(gaps["region"]))]
    total = len(behind)
    # most behind first (binding goals lead): the head of the list is what a person reads
    behind = behind.head(MAX_BEHIND)
    items = []
    # plain dicts: iterrows builds a Series per row (thousands of rows with cities shown)
    fields = ["indicator", "region", "status", "milestone_year", "pace"]
    fields += [c for c in ("role", "goal_scope", *PROVISIONAL_COLUMNS) if c in behind]
    records = behind[fields].to_dict("records")
    # the regions' own goals lead; benchmarks (compared with another scope's goal) follow
    records.sort(key=roles.is_benchmark)
    for row in records:
        ind = tr.catalogue[row["indicator"]]
        status = str(row["status"])
        scope = tr.regions.name(str(row.get("goal_scope") or ""), lang)
        items.append(
            html.Li(
                [
                    dcc.Link(
                        f"{tr.regions.name(row['region'], lang)} · {ind.name.get(lang)}",
                        href=href(
                            f"/indicator/{ind.id}",
                            lang,
                            region=row["region"],
                            milestone=int(row["milestone_year"]),
                        ),
                    ),
                    html.Br(),
                    html.Span(
                        f"{row['pace']} · {verdicts.verdict_text({**row, 'status': status}, scope, lang)}",
                        className="small",
                    ),
                    *provisional_line(row, lang),
                ],
                className="list-group-item",
            )
        )
    content: Any = (
        html.Ol(items, className="list-group list-group-numbered behind-list")
        if items
        else html.P(t("behind_none", lang))
    )
    cut = (
        [html.P(t("behind_cut", lang, shown=MAX_BEHIND, total=f"{total:,}"), className="small")]
        if total > MAX_BEHIND
        else []
    )
    return html.Section(
        [
            html.H2(t("behind_heading", lang), className="h5"),
            html.P(t("behind_note", lang), className="small text-body-secondary"),
            *cut,
            content,
        ],
        id=ids.OVERVIEW_BEHIND,
        **attrs(aria_label=t("behind_heading", lang)),
    )


def provisional_line(row: Mapping[str, Any], lang: str) -> list[Any]:
    """A line saying the verdict is provisional, and why (targets.provenance); none when final."""
    words = provisional_words(row, lang)
    if not words:
        return []
    return [html.Br(), html.Span(words, className="small cell-provisional")]


def words_list(goals: list[Any], year: int, lang: str) -> html.Section:
    """Goals the plans state in words only for this year (2035): the wording, no gap."""
    return html.Section(
        [
            html.H2(
                f"{t('goal_year', lang, year=year)} · {t('words_only', lang)}", className="h5 mt-4"
            ),
            html.P(t("words_only_note", lang), className="small text-body-secondary"),
            html.Dl(
                [
                    item
                    for ind in goals
                    for item in (
                        html.Dt(
                            dcc.Link(
                                ind.name.get(lang),
                                href=href(f"/indicator/{ind.id}", lang, milestone=year),
                            )
                        ),
                        html.Dd(ind.milestone(year).text.get(lang)),
                    )
                ],
                className="words-list",
            ),
        ],
        id=ids.OVERVIEW_WORDS,
    )
