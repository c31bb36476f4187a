"""Assessment (/assessment): the final evaluation of a goal year, its drafted text (a copy button
per paragraph), convergence, methods side by side.

Everything is read from the Tracker (assessment, convergence, spread, methods), so the page shows
the same judgements as `targets assess`, `targets convergence` and the reports.
URL: /assessment?milestone=2025&indicator=rd_intensity&lang=en
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, html

from dashboard import downloads, figures, ids
from dashboard import format as fmt
from dashboard.i18n import TEXT, norm_lang, t
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
from targets import assessment, convergence, roles, status_methods
from targets.contribution import value_words
from targets.display import category_name
from targets.provenance import provisional_words
from targets.reports.drafting import Paragraph
from targets.source_notes import note_text
from targets.tracker import Tracker

# rows a table shows at most: a country's every county (86 MB of HTML, 21 s a view at 10 M
# values) is no table anyone reads; past this the page shows provinces first and drills down
MAX_TABLE_ROWS = 1_000
SCOPE_ALL, SCOPE_TOP = "all", "top"
# the levels shown before a drill-down: the whole region, its zones and its provinces
TOP_LEVELS = ("region", "zone", "province")
# characters of drafted text shown at once: past this (a country's every benchmark region named
# in each goal's paragraph, 1.8 MB at 1 M values) the text is shown one part at a time
DRAFT_MAX_CHARS = 60_000
PART_ALL, PART_OVERVIEW, PART_AREA = "all", "overview", "area:"
# characters of one area's goal paragraphs in one answer: past this an area is shown one goal at
# a time. At 1 M values an area's part is at most ~150,000 characters (280 KiB); at 10 M each
# goal's paragraph names a country's every benchmark county (~4× that), and an area would pass 1 MB
DRAFT_PART_MAX_CHARS = 250_000
PART_GOAL = "goal:"
# rows of the final table shown at once: past this (34 regions × 30 goals at national scale,
# 723 KiB of HTML) the table is shown one area of goals at a time, filtered on the server
TABLE_PART_ROWS = 300


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/assessment",
        label=TEXT["assessment_page"],
        order=35,
        layout=layout,
    )
    app.callback(
        Output(ids.ASSESSMENT_FINAL, "children"),
        Output(ids.ASSESSMENT_CV_GRAPH, "figure"),
        Output(downloads.chart_id(ids.CHART_EXPORT, ids.ASSESSMENT_CV_GRAPH), "data"),
        Output(ids.ASSESSMENT_URL, "search"),
        Output(ids.ASSESSMENT_TABLE_PART, "options"),
        Output(ids.ASSESSMENT_TABLE_PART, "value"),
        Input(ids.ASSESSMENT_MILESTONE, "value"),
        Input(ids.ASSESSMENT_INDICATOR, "value"),
        Input(ids.ASSESSMENT_SCOPE, "value"),
        Input(ids.ASSESSMENT_TABLE_PART, "value"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(update)
    # the methods table and the drafted text come in their own requests, also on the first
    # paint (no prevent_initial_call): the page shows its verdicts while they load, and no
    # response carries all three (3 MB at 1 M values)
    app.callback(
        Output(ids.ASSESSMENT_METHODS, "children"),
        Input(ids.ASSESSMENT_MILESTONE, "value"),
        Input(ids.ASSESSMENT_SCOPE, "value"),
        Input(ids.ASSESSMENT_TABLE_PART, "value"),
        State(ids.PAGES_LOCATION, "search"),
    )(update_methods)
    app.callback(
        Output(ids.ASSESSMENT_DRAFT, "children"),
        Output(ids.ASSESSMENT_DRAFT_PART, "options"),
        Output(ids.ASSESSMENT_DRAFT_PART, "value"),
        Input(ids.ASSESSMENT_MILESTONE, "value"),
        Input(ids.ASSESSMENT_DRAFT_PART, "value"),
        State(ids.PAGES_LOCATION, "search"),
    )(update_draft)
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="copyParagraph"),
        Output({"type": ids.ASSESSMENT_COPY_STATUS, "key": MATCH}, "children"),
        Input({"type": ids.ASSESSMENT_COPY, "key": MATCH}, "n_clicks"),
        State({"type": ids.ASSESSMENT_COPY_TEXT, "key": MATCH}, "children"),
        State(ids.ASSESSMENT_DRAFT_WORDS, "data"),
        prevent_initial_call=True,
    )


def _ind_name(tr: Tracker, ind_id: str, lang: str) -> str:
    ind = tr.catalogue.indicators.get(ind_id)
    return str(ind.name.get(lang)) if ind is not None else ind_id


def _decimals(tr: Tracker, ind_id: str) -> int:
    ind = tr.catalogue.indicators.get(ind_id)
    return int(ind.decimals) if ind is not None else 2


def _table(caption: str, head: list[str], rows: list[Any], table_id: str) -> html.Div:
    """A table that scrolls sideways on its own when the window is narrower than it (a phone)."""
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="table table-sm assessment-table",
            id=table_id + "-table",
        ),
        className="table-responsive",
    )


def scope_options(tr: Tracker, lang: str) -> list[dict[str, str]]:
    """Every region, provinces and above, then each province with its cities and counties."""
    return [
        {"label": t("assessment_scope_all", lang), "value": SCOPE_ALL},
        {"label": t("assessment_scope_top", lang), "value": SCOPE_TOP},
    ] + [
        {"label": t("assessment_scope_of", lang, name=tr.regions.name(p.id, lang)), "value": p.id}
        for p in tr.regions.provinces()
    ]


def default_scope(tr: Tracker, year: int, lang: str) -> str:
    """Every region when the table is one a person reads whole, else provinces first."""
    return SCOPE_ALL if len(tr.assessment(year, lang)) <= MAX_TABLE_ROWS else SCOPE_TOP


def in_scope(tr: Tracker, frame: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The rows of the regions `scope` names (filtered here, on the server)."""
    if scope == SCOPE_ALL or frame.empty:
        return frame
    if scope == SCOPE_TOP:
        keep = {r.id for r in tr.regions if r.level in TOP_LEVELS}
    else:
        keep = set(tr.regions.within([scope]))
    return frame[frame["region"].isin(keep)]


def _cut(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[Any]]:
    """At most MAX_TABLE_ROWS rows, and a sentence saying so when rows were left out."""
    if len(frame) <= MAX_TABLE_ROWS:
        return frame, []
    note = t("assessment_rows_cut", lang, total=f"{len(frame):,}", shown=f"{MAX_TABLE_ROWS:,}")
    return frame.head(MAX_TABLE_ROWS), [html.P(note, className="alert alert-warning small")]


def table_parts(tr: Tracker, frame: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """The parts the final table is shown in: all at once while it has at most TABLE_PART_ROWS
    rows, else one area of goals at a time (targets.assessment.areas, the drafted text's areas),
    each part labelled with its rows."""
    parts = [
        {
            "label": t(
                "assessment_table_part_label",
                lang,
                part=category_name(area, lang),
                rows=f"{len(assessment.in_area(tr.catalogue, frame, area)):,}",
            ),
            "value": PART_AREA + area,
        }
        for area in assessment.areas(tr.catalogue, frame)
    ]
    if len(frame) <= TABLE_PART_ROWS or not parts:
        every = t("assessment_table_all", lang)
        parts.insert(
            0,
            {
                "label": t("assessment_table_part_label", lang, part=every, rows=f"{len(frame):,}"),
                "value": PART_ALL,
            },
        )
    return parts


def table_part(tr: Tracker, frame: pd.DataFrame, part: str) -> pd.DataFrame:
    """The rows of one part of the final table (table_parts), filtered here, on the server."""
    if part == PART_ALL:
        return frame
    return assessment.in_area(tr.catalogue, frame, part.removeprefix(PART_AREA))


def _final_parts(
    tr: Tracker, year: int, lang: str, scope: str, part: Any
) -> tuple[pd.DataFrame, list[dict[str, str]], str | None]:
    """The final table's rows in `scope`, its parts and the part shown (None: no rows)."""
    frame = in_scope(tr, tr.assessment(year, lang), scope)
    if frame.empty:
        return frame, [], None
    parts = table_parts(tr, frame, lang)
    values = [p["value"] for p in parts]
    return frame, parts, choose(part, values, values[0]) or values[0]


def final_table(
    tr: Tracker, year: int, lang: str, scope: str = SCOPE_ALL, part: Any = None
) -> list[Any]:
    """The final-evaluation table of `year` (Tracker.assessment) for the regions of `scope`,
    the part chosen only (table_parts)."""
    return final_view(tr, year, lang, scope, part)[0]


def final_view(
    tr: Tracker, year: int, lang: str, scope: str, part: Any
) -> tuple[list[Any], list[dict[str, str]], str | None]:
    """The final table's part `part` (the first where it is not one: every row while they are
    few), with a sentence saying how many rows there are in all and which are shown; the
    table's parts, and the part shown (None for no rows)."""
    frame, parts, chosen = _final_parts(tr, year, lang, scope, part)
    if chosen is None:
        return [html.P(t("assessment_none", lang))], [], None
    shown = table_part(tr, frame, chosen)
    if chosen == PART_ALL:
        words = t("assessment_table_whole", lang, total=f"{len(frame):,}")
    else:
        area = category_name(chosen.removeprefix(PART_AREA), lang)
        words = t(
            "assessment_table_shown",
            lang,
            total=f"{len(frame):,}",
            shown=f"{len(shown):,}",
            part=area,
        )
    said = html.P(words, className="small text-body-secondary assessment-table-shown")
    frame, cut = _cut(shown, lang)
    rows = []
    for r in frame.to_dict("records"):
        ind = tr.catalogue.indicators.get(r["indicator"])
        unit = ind.unit.get(lang) if ind is not None else ""
        dec = _decimals(tr, r["indicator"])
        goal = fmt.goal_text(r["comparator"], r["target"], dec, unit)
        if r["verdict"] == "pending" and not fmt.is_missing(r["latest_value"]):
            value = f"{fmt.value_with_unit(r['latest_value'], dec, unit)} ({fmt.year_text(r['latest_year'])})"
        else:
            value = fmt.value_with_unit(r["value"], dec, unit)
        margin = fmt.number(r["margin"], dec)
        if not fmt.is_missing(r["margin_pct"]):
            margin += f" ({fmt.number(r['margin_pct'], 1)}%)"
        source = "" if fmt.is_missing(r["source"]) else note_text(str(r["source"]), lang)
        verdict: list[Any] = [assessment.final_verdict_text(str(r["verdict"]), lang)]
        if roles.is_benchmark(r):
            # a province judged against the delta's goal: said beside the verdict
            scope = tr.regions.name(str(r.get("goal_scope", "")), lang)
            verdict += [html.Br(), html.Span(roles.benchmark_note(scope, lang),
                                             className="small verdict-benchmark")]  # fmt: skip
        provisional = provisional_words(r, lang)
        if provisional:
            # a verdict on a preliminary or approximate value: said beside it, with why, in the
            # words of every surface (targets.provenance)
            verdict += [html.Br(), html.Span(provisional, className="small verdict-provisional")]
        rows.append(
            html.Tr(
                [
                    html.Th(_ind_name(tr, r["indicator"], lang), scope="row"),
                    html.Td(tr.regions.name(r["region"], lang), className="short"),
                    html.Td(goal, className="num"),
                    html.Td(value, className="num"),
                    html.Td(verdict, title=str(r["text"]), className="short"),
                    html.Td(margin, className="num"),
                    html.Td(source, className="small src"),
                ],
                className=f"verdict-{r['verdict']}",
            )
        )
    head = [t("indicator", lang), t("region", lang)] + [
        t(k, lang)
        for k in ("goal", "value", "assessment_verdict", "assessment_margin", "assessment_source")
    ]
    table = _table(t("assessment_final", lang, year=year), head, rows, ids.ASSESSMENT_FINAL)
    return [said, *cut, table], parts, chosen


def _copyable(p: Paragraph, lang: str, heading_tag: Any) -> html.Div:
    """A drafted paragraph with its heading, a labelled copy button and the button's status."""
    return html.Div(
        [
            html.Div(
                [
                    heading_tag(p.heading, className="h6 mb-1 me-2"),
                    html.Button(
                        t("assessment_copy", lang),
                        id={"type": ids.ASSESSMENT_COPY, "key": p.key},
                        type="button",
                        className="btn btn-outline-secondary btn-sm py-0",
                        title=t("assessment_copy_label", lang, heading=p.heading),
                        **attrs(aria_label=t("assessment_copy_label", lang, heading=p.heading)),
                    ),
                    html.Span(
                        id={"type": ids.ASSESSMENT_COPY_STATUS, "key": p.key},
                        role="status",
                        className="small text-body-secondary ms-2",
                    ),
                ],
                className="d-flex align-items-baseline",
            ),
            html.P(
                p.text,
                id={"type": ids.ASSESSMENT_COPY_TEXT, "key": p.key},
                className="drafted mb-3",
            ),
        ],
        className="drafted-paragraph",
    )


def loading(lang: str) -> html.P:
    """What a section shows until its own request has answered."""
    return html.P(t("assessment_loading", lang), className="small text-body-secondary")


def draft_parts(paragraphs: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """The parts the drafted text is shown in: all at once while it is short, else the summary
    with each area's overview, then one area at a time, or one goal at a time for an area whose
    goals' paragraphs together pass DRAFT_PART_MAX_CHARS (the Word document and the reports keep
    the whole text: only what one answer carries is cut)."""
    areas = paragraphs[paragraphs["kind"] == "area"]
    goals = paragraphs[paragraphs["kind"] == "goal"]
    size = goals.groupby("area", sort=False)["text"].agg(lambda x: int(x.str.len().sum()))
    parts = [{"label": t("assessment_draft_overview", lang), "value": PART_OVERVIEW}]
    for area, title in zip(areas["area"], areas["area_title"], strict=True):
        if int(size.get(area, 0)) <= DRAFT_PART_MAX_CHARS:
            parts.append({"label": str(title), "value": PART_AREA + str(area)})
            continue
        parts += [
            {"label": f"{title} · {heading}", "value": str(key)}
            for key, heading in zip(
                goals.loc[goals["area"] == area, "key"],
                goals.loc[goals["area"] == area, "heading"],
                strict=True,
            )
        ]
    if int(paragraphs["text"].str.len().sum()) <= DRAFT_MAX_CHARS:
        parts.insert(0, {"label": t("assessment_draft_all", lang), "value": PART_ALL})
    return parts


def draft_part(paragraphs: pd.DataFrame, part: str) -> pd.DataFrame:
    """The paragraphs of one part (draft_parts)."""
    if part == PART_ALL:
        return paragraphs
    if part == PART_OVERVIEW:
        return paragraphs[paragraphs["kind"].isin(["summary", "area"])]
    if part.startswith(PART_GOAL):
        return paragraphs[(paragraphs["kind"] == "goal") & (paragraphs["key"] == part)]
    area = part.removeprefix(PART_AREA)
    return paragraphs[(paragraphs["kind"] != "summary") & (paragraphs["area"] == area)]


def draft_view(paragraphs: pd.DataFrame, lang: str) -> list[Any]:
    """The drafted paragraphs (targets.reports.drafting, Tracker.draft), each copyable: the
    summary and each area's paragraph under an h3, each goal's under an h4."""
    return [
        _copyable(
            Paragraph(key=str(p["key"]), heading=str(p["heading"]), text=str(p["text"])),
            lang,
            html.H4 if p["kind"] == "goal" else html.H3,
        )
        for p in paragraphs.to_dict("records")
    ]


def update_draft(
    milestone: Any, part: Any, search: str | None
) -> tuple[list[Any], list[dict[str, str]], str]:
    """The drafted text of the goal year, the part chosen (the first part where it is not one)."""
    lang = lang_from_search(search)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    paragraphs = tr.draft(year, lang)
    parts = draft_parts(paragraphs, lang)
    chosen = choose(part, [p["value"] for p in parts], parts[0]["value"]) or parts[0]["value"]
    return draft_view(draft_part(paragraphs, chosen), lang), parts, chosen


def update_methods(milestone: Any, scope: Any, part: Any, search: str | None) -> list[Any]:
    """The three methods' table for the goal year, the regions chosen and the final table's
    part (its area of goals: the rows the final table shows, compared)."""
    lang = lang_from_search(search)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    _, region_scope = _scope(tr, scope, year, lang)
    _, _, chosen = _final_parts(tr, year, lang, region_scope, part)
    return methods_table(tr, year, lang, region_scope, chosen or PART_ALL)


def convergence_table(tr: Tracker, lang: str) -> html.Div:
    frame = tr.convergence("province")
    rows = []
    for r in frame.to_dict("records"):
        years = (
            fmt.DASH
            if fmt.is_missing(r["first_year"])
            else f"{fmt.year_text(r['first_year'])}–{fmt.year_text(r['last_year'])}"
        )
        rows.append(
            html.Tr(
                [
                    html.Th(_ind_name(tr, r["indicator"], lang), scope="row"),
                    html.Td(years, className="num"),
                    html.Td(
                        f"{fmt.number(r['cv_first'], 3)} → {fmt.number(r['cv_last'], 3)}",
                        className="num",
                    ),
                    html.Td(
                        f"{fmt.number(r['maxmin_first'], 2)} → {fmt.number(r['maxmin_last'], 2)}",
                        className="num",
                    ),
                    html.Td(convergence.verdict_label(str(r["verdict"]), lang)),
                ]
            )
        )
    head = [t("indicator", lang)] + [
        t(k, lang)
        for k in ("assessment_years", "assessment_cv", "assessment_maxmin", "assessment_trend")
    ]
    return _table(t("assessment_convergence", lang), head, rows, ids.ASSESSMENT_CONVERGENCE)


def contribution_table(tr: Tracker, lang: str) -> html.Div:
    rows = []
    for ind_id, year, frame in tr.regional_contributions():
        ratio = frame.attrs.get("method") != "additive"
        share_col = "share_of_gap" if ratio else "share_of_total"
        label = t("assessment_share_gap" if ratio else "assessment_share_total", lang)
        for r in frame[frame["region"] != "yrd"].to_dict("records"):
            rows.append(
                html.Tr(
                    [
                        html.Th(f"{_ind_name(tr, ind_id, lang)} ({year})", scope="row"),
                        html.Td(tr.regions.name(r["region"], lang), className="short"),
                        html.Td(
                            value_words(r, _decimals(tr, ind_id), lang),
                            className="num",
                            title=t("contribution_value_note", lang),
                        ),
                        html.Td(f"{label}: {fmt.number(100 * r[share_col], 1)}%", className="num"),
                    ]
                )
            )
    if not rows:
        rows = [html.Tr(html.Td(t("assessment_none", lang), colSpan=4))]
    head = [
        t("indicator", lang),
        t("region", lang),
        t("value", lang),
        t("assessment_share_gap", lang),
    ]
    return _table(t("assessment_contribution", lang), head, rows, ids.ASSESSMENT_CONTRIBUTION)


def agree_text(value: Any, lang: str) -> str:
    if value is pd.NA or value is None:
        return t("assessment_agree_na", lang)
    return t("assessment_agree_yes" if bool(value) else "assessment_agree_no", lang)


def methods_table(
    tr: Tracker, year: int, lang: str, scope: str = SCOPE_ALL, part: str = PART_ALL
) -> list[Any]:
    """compare_methods for the goal year, rows with data only, of the final table's part
    `part` (table_parts); disagreements said in words."""
    frame = in_scope(tr, tr.methods(year), scope)
    frame = frame[frame["status_ratio"] != "no_data"]
    if frame.empty:
        return [html.P(t("assessment_none", lang))]
    said = []
    if part != PART_ALL:
        shown = table_part(tr, frame, part)
        words = t(
            "assessment_methods_shown",
            lang,
            total=f"{len(frame):,}",
            shown=f"{len(shown):,}",
            part=category_name(part.removeprefix(PART_AREA), lang),
        )
        said = [html.P(words, className="small text-body-secondary assessment-methods-shown")]
        frame = shown
        if frame.empty:
            return [*said, html.P(t("assessment_none", lang))]
    frame, cut = _cut(frame, lang)
    rows = []
    for r in frame.to_dict("records"):
        agree = r["agree"]
        disagree = agree is not pd.NA and agree is not None and not bool(agree)
        rows.append(
            html.Tr(
                [
                    html.Th(_ind_name(tr, r["indicator"], lang), scope="row"),
                    html.Td(tr.regions.name(r["region"], lang), className="short"),
                    html.Td(fmt.status_text(str(r["status_ratio"]), lang), className="short"),
                    html.Td(
                        status_methods.label(str(r["status_projection"]), lang), className="short"
                    ),
                    html.Td(
                        status_methods.label(str(r["status_germany"]), lang), className="short"
                    ),
                    html.Td(agree_text(agree, lang), className="fw-bold" if disagree else ""),
                ],
                className="table-warning disagree" if disagree else "",
            )
        )
    head = [t("indicator", lang), t("region", lang)] + [
        t(k, lang)
        for k in (
            "assessment_ratio",
            "assessment_projection",
            "assessment_germany",
            "assessment_agree",
        )
    ]
    table = _table(t("assessment_methods", lang), head, rows, ids.ASSESSMENT_METHODS)
    return [*said, *cut, table]


def cv_options(tr: Tracker, lang: str) -> list[dict[str, str]]:
    frame = tr.convergence("province")
    return [{"label": _ind_name(tr, i, lang), "value": str(i)} for i in frame["indicator"].tolist()]


def default_cv_indicator(tr: Tracker) -> str | None:
    """The first indicator with a trend to show, else the first one."""
    frame = tr.convergence("province")
    judged = frame[frame["verdict"] != "insufficient_data"]
    pick = judged if not judged.empty else frame
    return str(pick["indicator"].iloc[0]) if not pick.empty else None


def cv_view(tr: Tracker, indicator: str | None, lang: str) -> Any:
    if indicator is None:
        return figures.empty_figure(t("no_data", lang))
    title = t("assessment_cv_of", lang, name=_ind_name(tr, indicator, lang))
    return figures.cv_figure(tr.spread(indicator, "province"), title=title, lang=lang)


def cv_meta(tr: Tracker, indicator: str | None, year: int, lang: str) -> dict[str, Any]:
    """What the convergence chart's downloads carry: the spread by year, the goal of `year`."""
    ind = tr.catalogue.indicators.get(indicator or "")
    if ind is None:
        return downloads.export_meta(
            tr, graph=ids.ASSESSMENT_CV_GRAPH, spec={"kind": "empty"},
            title=t("assessment_convergence", lang), goal="", plans=[],
            filename="convergence", lang=lang,
        )  # fmt: skip
    return downloads.export_meta(
        tr,
        graph=ids.ASSESSMENT_CV_GRAPH,
        spec={"kind": "spread", "indicator": ind.id, "level": "province"},
        title=t("assessment_cv_of", lang, name=ind.name.get(lang)),
        goal=downloads.goal_words(ind, year, lang),
        plans=downloads.plan_titles(tr, [ind], year, lang),
        filename=f"{ind.id}-convergence",
        lang=lang,
    )


def _scope(tr: Tracker, scope: Any, year: int, lang: str) -> tuple[list[dict[str, str]], str]:
    options = scope_options(tr, lang)
    return options, choose(scope, [o["value"] for o in options], None) or default_scope(
        tr, year, lang
    )


def layout(
    lang: str = "zh",
    milestone: str | None = None,
    indicator: str | None = None,
    scope: str | None = None,
    table: str | None = None,
    **_: Any,
) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    options = cv_options(tr, lang)
    chosen = choose(indicator, [o["value"] for o in options], None) or default_cv_indicator(tr)
    scopes, region_scope = _scope(tr, scope, year, lang)
    final, parts, part = final_view(tr, year, lang, region_scope, table)
    return html.Div(
        [
            url_sync(ids.ASSESSMENT_URL),
            html.H1(t("assessment_heading", lang), className="h3"),
            dbc.Label(
                t("milestone", lang), html_for=ids.ASSESSMENT_MILESTONE, className="fw-semibold"
            ),
            dbc.Select(
                id=ids.ASSESSMENT_MILESTONE,
                options=[{"label": str(y), "value": y} for y in years],
                value=year,
                className="w-auto mb-2",
            ),
            dbc.Label(
                t("assessment_scope", lang), html_for=ids.ASSESSMENT_SCOPE, className="fw-semibold"
            ),
            dbc.Select(
                id=ids.ASSESSMENT_SCOPE, options=scopes, value=region_scope, className="w-auto mb-2"
            ),
            dbc.Label(
                t("assessment_table_part", lang),
                html_for=ids.ASSESSMENT_TABLE_PART,
                className="fw-semibold",
            ),
            dbc.Select(
                id=ids.ASSESSMENT_TABLE_PART, options=parts, value=part, className="w-auto mb-2"
            ),
            html.P(t("assessment_final_note", lang), className="small text-body-secondary"),
            html.Section(
                final,
                id=ids.ASSESSMENT_FINAL,
                **attrs(aria_live="polite"),
            ),
            html.H2(t("assessment_draft", lang), className="h5 mt-4"),
            html.P(t("assessment_draft_note", lang), className="small text-body-secondary"),
            dcc.Store(
                id=ids.ASSESSMENT_DRAFT_WORDS,
                data={
                    "copied": t("assessment_copied", lang),
                    "failed": t("assessment_copy_failed", lang),
                },
            ),
            dbc.Label(
                t("assessment_draft_part", lang),
                html_for=ids.ASSESSMENT_DRAFT_PART,
                className="fw-semibold",
            ),
            dbc.Select(id=ids.ASSESSMENT_DRAFT_PART, options=[], className="w-auto mb-2"),
            html.Section(loading(lang), id=ids.ASSESSMENT_DRAFT, **attrs(aria_live="polite")),
            html.H2(t("assessment_convergence", lang), className="h5 mt-4"),
            html.P(t("assessment_conv_note", lang), className="small text-body-secondary"),
            dbc.Row(
                [
                    dbc.Col(convergence_table(tr, lang), lg=7),
                    dbc.Col(
                        [
                            dbc.Label(t("indicator", lang), html_for=ids.ASSESSMENT_INDICATOR),
                            dbc.Select(id=ids.ASSESSMENT_INDICATOR, options=options, value=chosen),
                            dcc.Graph(
                                id=ids.ASSESSMENT_CV_GRAPH,
                                figure=cv_view(tr, chosen, lang),
                                config=figures.graph_config("convergence", lang, zoom=False),
                            ),
                            downloads.chart_downloads(
                                ids.ASSESSMENT_CV_GRAPH, cv_meta(tr, chosen, year, lang), lang
                            ),
                        ],
                        lg=5,
                    ),
                ],
                className="g-3",
                id=ids.ASSESSMENT_CONVERGENCE,
            ),
            html.H2(t("assessment_contribution", lang), className="h5 mt-4"),
            html.P(t("assessment_contrib_note", lang), className="small text-body-secondary"),
            html.Section(contribution_table(tr, lang), id=ids.ASSESSMENT_CONTRIBUTION),
            html.H2(t("assessment_methods", lang), className="h5 mt-4"),
            html.P(t("assessment_methods_note", lang), className="small text-body-secondary"),
            html.Section(loading(lang), id=ids.ASSESSMENT_METHODS, **attrs(aria_live="polite")),
        ],
        className="assessment-page",
    )


def update(
    milestone: Any, indicator: Any, scope: Any, part: Any, search: str | None
) -> tuple[Any, ...]:
    """The final table (the part chosen) and the cv chart for the controls, the page's address,
    and the table's parts for the regions chosen."""
    lang = lang_from_search(search)
    tr = tracker()
    years = tr.catalogue.milestone_years()
    year = int_param(milestone, years, default_milestone(years))
    options = cv_options(tr, lang)
    chosen = choose(indicator, [o["value"] for o in options], None) or default_cv_indicator(tr)
    _, region_scope = _scope(tr, scope, year, lang)
    final, parts, shown = final_view(tr, year, lang, region_scope, part)
    return (
        final,
        cv_view(tr, chosen, lang),
        cv_meta(tr, chosen, year, lang),
        # the whole table is the default: its address stays as it was
        query_string(
            lang,
            milestone=year,
            indicator=chosen,
            scope=region_scope,
            table=None if shown == PART_ALL else shown,
        ),
        parts,
        shown,
    )
