"""Reports (/reports): the gap report as Excel, CSV, HTML or PDF, for a goal year, regions,
indicators and a language. The file comes from targets.reports, the same code as
`targets report`, so the download shows the same numbers as the screen and the CLI.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import ids as shell_ids
from dashboard.i18n import norm_lang
from dashboard.pages import (
    add_page,
    default_milestone,
    int_param,
    lang_from_search,
    milestone_years,
    tracker,
)
from targets.reports import FORMATS, render_report

REPORTS_MILESTONE = "reports-milestone"
REPORTS_REGIONS = "reports-regions"
REPORTS_INDICATORS = "reports-indicators"
REPORTS_LANG = "reports-lang"
REPORTS_DOWNLOAD = "reports-download"
REPORTS_STATUS = "reports-status"
BUTTONS: dict[str, str] = {fmt: f"reports-{fmt}" for fmt in FORMATS}
FORMAT_LABELS: dict[str, str] = {
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
    "html": "HTML",
    "pdf": "PDF",
}

TEXT: dict[str, tuple[str, str]] = {
    "page": ("报告", "Reports"),
    "heading": ("下载差距报告", "Download the gap report"),
    "intro": (
        "报告与总览页和命令行 “targets report” 的数字完全相同。不选地区或指标即包含全部。",
        "The report has the same numbers as the overview and “targets report”. Leave regions "
        "or indicators unchosen to include them all.",
    ),
    "milestone": ("目标年份", "Goal year"),
    "regions": ("地区（可多选）", "Regions (any number)"),
    "indicators": ("指标（可多选）", "Indicators (any number)"),
    "choose": ("展开选择", "Choose"),
    "none_is_all": ("不选即全部。", "None chosen means all."),
    "lang": ("报告语言", "Language of the report"),
    "format": ("下载格式", "Download as"),
    "pdf_slow": ("PDF 需要几秒钟生成。", "A PDF takes a few seconds to make."),
    "ready": ("已生成 {file}（{size} 字节）。", "{file} is ready ({size} bytes)."),
    "failed": ("无法生成报告：{why}", "The report could not be made: {why}"),
}


def tx(key: str, lang: str, **values: Any) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def register(app: dash.Dash) -> None:
    add_page(__name__, path="/reports", label=TEXT["page"], order=60, layout=layout)
    app.callback(
        Output(REPORTS_DOWNLOAD, "data"),
        Output(REPORTS_STATUS, "children"),
        *(Input(BUTTONS[fmt], "n_clicks") for fmt in FORMATS),
        State(REPORTS_MILESTONE, "value"),
        State(REPORTS_REGIONS, "value"),
        State(REPORTS_INDICATORS, "value"),
        State(REPORTS_LANG, "value"),
        State(shell_ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(download)


def layout(lang: str = "zh", milestone: str | None = None, **_: Any) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    region_options = [
        {"label": reg.name.get(lang), "value": rid} for rid, reg in tr.regions.regions.items()
    ]
    indicator_options = [
        {"label": ind.name.get(lang), "value": ind.id} for ind in tr.catalogue.goals()
    ]
    return html.Div(
        [
            html.H1(tx("heading", lang), className="h3"),
            html.P(tx("intro", lang)),
            dbc.Row(
                [
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(
                                    tx("milestone", lang),
                                    className="form-label fs-6 fw-semibold mb-1",
                                ),
                                dbc.RadioItems(
                                    id=REPORTS_MILESTONE,
                                    options=[{"label": str(y), "value": y} for y in years],
                                    value=year,
                                    inline=True,
                                ),
                            ]
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(
                                    tx("lang", lang), className="form-label fs-6 fw-semibold mb-1"
                                ),
                                dbc.RadioItems(
                                    id=REPORTS_LANG,
                                    options=[
                                        {"label": "中文", "value": "zh"},
                                        {"label": "English", "value": "en"},
                                    ],
                                    value=lang,
                                    inline=True,
                                ),
                            ]
                        ),
                        md=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        choice_group(REPORTS_REGIONS, tx("regions", lang), region_options, lang),
                        md=6,
                    ),
                    dbc.Col(
                        choice_group(
                            REPORTS_INDICATORS, tx("indicators", lang), indicator_options, lang
                        ),
                        md=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            html.Fieldset(
                [
                    html.Legend(tx("format", lang), className="form-label fs-6 fw-semibold mb-1"),
                    html.Div(
                        [
                            html.Button(
                                FORMAT_LABELS[fmt],
                                id=BUTTONS[fmt],
                                type="button",
                                className="btn btn-primary me-2 mb-2",
                            )
                            for fmt in FORMATS
                        ]
                    ),
                    html.P(tx("pdf_slow", lang), className="small text-body-secondary"),
                ],
                className="mb-3",
            ),
            # the spinner shows while the file is made (a PDF takes seconds)
            dcc.Loading(
                [dcc.Download(id=REPORTS_DOWNLOAD), html.Div(id=REPORTS_STATUS, role="status")],
                type="default",
            ),
        ]
    )


def choice_group(component_id: str, label: str, options: list[dict[str, str]], lang: str) -> Any:
    """Checkboxes in a collapsible group: native controls, each labelled, reachable with Tab.

    (Dash 4's dcc.Dropdown puts keyboard focus on an aria-hidden element, which screen readers
    cannot announce; plain checkboxes have no such problem.)
    """
    return html.Fieldset(
        [
            html.Legend(label, className="form-label fs-6 fw-semibold mb-1"),
            html.Details(
                [
                    html.Summary(tx("choose", lang)),
                    dbc.Checklist(
                        id=component_id,
                        options=options,
                        value=[],
                        inline=True,
                        className="mt-2",
                    ),
                ]
            ),
            html.P(tx("none_is_all", lang), className="small text-body-secondary mb-0"),
        ]
    )


def download(*args: Any) -> tuple[Any, Any]:
    """Build the report in the format of the button pressed and send it to the browser."""
    milestone, regions, indicators, report_lang, search = args[len(FORMATS) :]
    lang = lang_from_search(search)
    trigger = dash.ctx.triggered_id
    fmt = next((f for f, button in BUTTONS.items() if button == trigger), None)
    if fmt is None:
        return dash.no_update, dash.no_update
    tr = tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    out_lang = norm_lang(report_lang)
    # only ids this app knows reach the library: the dropdowns' values come from the browser
    region_ids = [r for r in regions or [] if r in tr.regions.regions] or None
    indicator_ids = [i for i in indicators or [] if i in tr.catalogue] or None
    try:
        data = render_report(
            tr, fmt, lang=out_lang, milestone=year, regions=region_ids, indicators=indicator_ids
        )
    except (ValueError, KeyError, OSError) as exc:
        return dash.no_update, dbc.Alert(tx("failed", lang, why=str(exc)), color="danger")
    file_name = f"yrd-targets-{year}-{out_lang}.{fmt}"
    status = tx("ready", lang, file=file_name, size=f"{len(data):,}")
    return dcc.send_bytes(data, file_name), status
