"""A chart's downloads, the same beside every figure of every page: its data as CSV, its picture
as PNG or SVG carrying the title, the goal and a source line.

One component (`chart_downloads`) and one set of callbacks (`register`, pattern-matching on the
chart's id): a page builds the chart's `export_meta` (what the picture says, and the `spec` the
CSV is built from by targets.chart_data) and puts the component under its dcc.Graph. The CSV is
made on the server from the spec, never from the figure; the picture in the browser
(tracker.js `downloadChart`) from the figure on screen.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, html

from dashboard import ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import attrs, tracker
from targets.chart_data import source_counts, spec_frame, to_csv
from targets.display import goal_text
from targets.tracker import Tracker

SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def chart_id(kind: str, chart: Any) -> dict[str, Any]:
    """The pattern-matching id of one part of `chart`'s downloads (`kind`: an ids.CHART_* type;
    `chart`: the graph's id, or MATCH in a callback)."""
    return {"type": kind, "chart": chart}


def register(app: dash.Dash) -> None:
    """The callbacks of every chart's downloads, once for the app."""
    app.callback(
        Output(chart_id(ids.CHART_CSV, MATCH), "data"),
        Input(chart_id(ids.CHART_CSV_BUTTON, MATCH), "n_clicks"),
        State(chart_id(ids.CHART_EXPORT, MATCH), "data"),
        prevent_initial_call=True,
    )(download_csv)
    # the picture is made in the browser (plotly.js), with the title, goal and source line added
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="downloadChart"),
        Output(chart_id(ids.CHART_EXPORT_STATUS, MATCH), "children"),
        Input(chart_id(ids.CHART_PNG, MATCH), "n_clicks"),
        Input(chart_id(ids.CHART_SVG, MATCH), "n_clicks"),
        State(chart_id(ids.CHART_EXPORT, MATCH), "data"),
        prevent_initial_call=True,
    )


def chart_downloads(graph: str, meta: Mapping[str, Any], lang: str) -> html.Div:
    """The download buttons of the dcc.Graph `graph`, with what they download (`export_meta`)."""
    button = {"size": "sm", "outline": True, "color": "secondary"}
    return html.Div(
        [
            dbc.Button(t("download_csv", lang), id=chart_id(ids.CHART_CSV_BUTTON, graph), **button),
            dbc.Button(t("download_png", lang), id=chart_id(ids.CHART_PNG, graph), **button),
            dbc.Button(t("download_svg", lang), id=chart_id(ids.CHART_SVG, graph), **button),
            dcc.Download(id=chart_id(ids.CHART_CSV, graph)),
            dcc.Store(id=chart_id(ids.CHART_EXPORT, graph), data=dict(meta)),
            html.Span(
                id=chart_id(ids.CHART_EXPORT_STATUS, graph),
                className="small text-body-secondary align-self-center",
                **attrs(aria_live="polite"),
            ),
        ],
        id=chart_id(ids.CHART_DOWNLOADS, graph),
        role="group",
        className="d-flex flex-wrap gap-2 mt-1 chart-downloads",
        **attrs(aria_label=t("downloads_of", lang, title=meta.get("title", ""))),
    )


def export_meta(
    tr: Tracker,
    *,
    graph: str,
    spec: Mapping[str, Any],
    title: str,
    goal: str,
    plans: list[str],
    filename: str,
    lang: str,
    frame: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """What a chart's downloads carry: the picture's title, goal and source line (the sources
    counted in the chart's own CSV frame), the file name, and the `spec` of its CSV.

    `frame`: the spec's frame (targets.chart_data.spec_frame) when the caller has it already.
    """
    if frame is None:
        frame = spec_frame(tr, spec, lang)
    sources = t("export_sources", lang, **source_counts(frame))
    joiner = "、" if lang == "zh" else "; "
    return {
        "title": title,
        "goal": goal,
        "source": t("export_source", lang, sources=sources, plans=joiner.join(plans) or "—"),
        "filename": SAFE_NAME.sub("-", filename).strip("-") or "chart",
        "done": t("downloaded", lang, format="{format}"),
        "graph": graph,
        "spec": dict(spec),
        "lang": lang,
    }


def goal_words(ind: Any, year: int, lang: str) -> str:
    """'2025年目标：> 3.00%' (the goal's number, or its words where it has none); '' if none."""
    goal = ind.milestone(year) if year else None
    if goal is None:
        return ""
    number = (
        goal_text(goal.comparator, goal.value, ind.decimals, ind.unit.get(lang))
        if goal.value is not None and goal.basis == "absolute"
        else goal.text.get(lang)
    )
    colon = "：" if lang == "zh" else ": "
    return f"{t('goal_year', lang, year=year)}{colon}{number}"


def plan_titles(tr: Tracker, inds: list[Any], year: int, lang: str) -> list[str]:
    """The titles of the plans that set the goals of `inds` for `year`, each once."""
    titles: list[str] = []
    for ind in inds:
        goal = ind.milestone(year) if year else None
        for src in goal.sources if goal is not None else []:
            doc = tr.catalogue.documents.get(src.document)
            name = doc.title.get(lang) if doc else src.document
            titles.append(f"《{name}》" if lang == "zh" else name)
    return list(dict.fromkeys(titles))


def download_csv(n_clicks: Any, meta: Mapping[str, Any] | None) -> Any:
    """The chart's data as CSV (targets.chart_data), from the spec its store holds."""
    if not n_clicks or not meta or not isinstance(meta.get("spec"), Mapping):
        return dash.no_update
    lang = norm_lang(meta.get("lang"))
    data = to_csv(spec_frame(tracker(), meta["spec"], lang))
    name = SAFE_NAME.sub("-", str(meta.get("filename", ""))).strip("-") or "chart"
    return {
        "content": base64.b64encode(data).decode("ascii"),
        "base64": True,
        "filename": f"{name}.csv",
        "type": "text/csv",
    }
