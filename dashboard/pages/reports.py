"""Reports (/reports): the gap report as Excel, CSV, HTML or PDF, and the assessment document
(drafted text, goal table, charts) in Word, for a goal year, regions, indicators and a language. The file comes from targets.reports, the same code as
`targets report`, so the download shows the same numbers as the screen and the CLI.

The export is a Dash background callback: it runs in a job process (dashboard.background), not
in the web request, so a long PDF cannot hit the web server's timeout. While it runs the format
buttons are disabled, a progress bar shows the real stage of the work (targets.reports reports
them) and a button cancels the job; the browser polls for the result with the same CSRF header
as any callback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, dcc, html

from dashboard import ids
from dashboard.background import job_tracker
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import (
    add_page,
    attrs,
    default_milestone,
    int_param,
    lang_from_search,
    milestone_years,
    tracker,
)
from targets.reports import FORMATS, render_report, stage_label
from targets.reports.steps import DONE

log = logging.getLogger(__name__)

POLL_MS = 500  # how often the page asks for progress while a job runs
BUTTONS: dict[str, str] = {fmt: f"reports-{fmt}" for fmt in FORMATS}
FORMAT_LABELS: dict[str, str] = {
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
    "html": "HTML",
    "pdf": "PDF",
    "docx": "Word (.docx)",
}


def register(app: dash.Dash) -> None:
    add_page(__name__, path="/reports", label=TEXT["reports_page"], order=60, layout=layout)
    app.callback(
        Output(ids.REPORTS_DOWNLOAD, "data"),
        Output(ids.REPORTS_STATUS, "children"),
        *(Input(BUTTONS[fmt], "n_clicks") for fmt in FORMATS),
        State(ids.REPORTS_MILESTONE, "value"),
        State(ids.REPORTS_REGIONS, "value"),
        State(ids.REPORTS_INDICATORS, "value"),
        State(ids.REPORTS_LANG, "value"),
        State(ids.PAGES_LOCATION, "search"),
        State(ids.REPORTS_NONCE, "data"),
        background=True,
        # (output, while running, afterwards): the dashboard shows a job, not a frozen page
        running=[
            *((Output(BUTTONS[fmt], "disabled"), True, False) for fmt in FORMATS),
            (Output(ids.REPORTS_JOB, "hidden"), False, True),
            (Output(ids.REPORTS_CANCEL, "hidden"), False, True),
            (Output(ids.REPORTS_STATUS, "hidden"), True, False),
        ],
        progress=[
            Output(ids.REPORTS_PROGRESS, "value"),
            Output(ids.REPORTS_PROGRESS_TEXT, "children"),
            Output(ids.REPORTS_PROGRESS_LIVE, "children"),
        ],
        progress_default=["0", "", ""],
        cancel=[Input(ids.REPORTS_CANCEL, "n_clicks")],
        interval=POLL_MS,
        on_error=export_failed,
        prevent_initial_call=True,
    )(download)
    app.callback(
        Output(ids.REPORTS_STATUS, "children", allow_duplicate=True),
        Input(ids.REPORTS_CANCEL, "n_clicks"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(cancelled)


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
            html.H1(t("reports_heading", lang), className="h3"),
            html.P(t("reports_intro", lang)),
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
                                    id=ids.REPORTS_MILESTONE,
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
                                    t("reports_lang", lang),
                                    className="form-label fs-6 fw-semibold mb-1",
                                ),
                                dbc.RadioItems(
                                    id=ids.REPORTS_LANG,
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
                        choice_group(
                            ids.REPORTS_REGIONS, t("reports_regions", lang), region_options, lang
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        choice_group(
                            ids.REPORTS_INDICATORS,
                            t("reports_indicators", lang),
                            indicator_options,
                            lang,
                        ),
                        md=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            html.Fieldset(
                [
                    html.Legend(
                        t("reports_format", lang), className="form-label fs-6 fw-semibold mb-1"
                    ),
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
                    html.P(t("reports_pdf_slow", lang), className="small text-body-secondary mb-1"),
                    html.P(t("reports_docx_note", lang), className="small text-body-secondary"),
                ],
                className="mb-3",
            ),
            job_panel(lang),
            html.Div(id=ids.REPORTS_STATUS, role="status", className="mb-3"),
            dcc.Download(id=ids.REPORTS_DOWNLOAD),
            # one per page view: two people asking for the same report at once are two jobs
            # (Dash names a job's result by its inputs)
            dcc.Store(id=ids.REPORTS_NONCE, data=secrets.token_hex(8)),
        ]
    )


def job_panel(lang: str) -> html.Div:
    """The running job: a labelled progress bar, its stage and percentage in words, a cancel
    button; hidden until an export starts (the background callback's `running` shows it)."""
    return html.Div(
        [
            html.Label(
                t("reports_progress", lang),
                htmlFor=ids.REPORTS_PROGRESS,
                className="form-label mb-1",
            ),
            # a native <progress>: role progressbar, value and max come with the element, and
            # the <label> names it; the words beside it say the stage, so not the bar alone
            html.Progress(
                id=ids.REPORTS_PROGRESS,
                value="0",
                max="100",
                className="reports-progress",
                **attrs(aria_describedby=ids.REPORTS_PROGRESS_TEXT),
            ),
            html.P(id=ids.REPORTS_PROGRESS_TEXT, className="reports-progress-text mb-2"),
            # the page numbers and percentages change twice a second: announced, they would
            # drown everything else, so the live region only says when the phase changes
            html.P(
                id=ids.REPORTS_PROGRESS_LIVE,
                role="status",
                className="visually-hidden",
                **attrs(aria_live="polite"),
            ),
            html.Button(
                t("reports_cancel", lang),
                id=ids.REPORTS_CANCEL,
                type="button",
                hidden=True,
                className="btn btn-outline-danger btn-sm",
            ),
        ],
        id=ids.REPORTS_JOB,
        hidden=True,
        className="reports-job mb-3",
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
                    html.Summary(t("reports_choose", lang)),
                    dbc.Checklist(
                        id=component_id,
                        options=options,
                        value=[],
                        inline=True,
                        className="mt-2",
                    ),
                ]
            ),
            html.P(t("reports_none_is_all", lang), className="small text-body-secondary mb-0"),
        ]
    )


def progress_values(fraction: float, stage: str, lang: str) -> tuple[str, str, str]:
    """For one stage of the job: the bar's value (a percentage, as <progress> takes it), the
    words shown beside it, and the phase announced to screen readers."""
    pct = max(0, min(100, round(100 * fraction)))
    if stage == DONE:
        return "100", t("reports_finished", lang), t("reports_live_finished", lang)
    kind = stage.split(":", 1)[0]
    if kind == "sheet":
        live = t("reports_live_sheets", lang)
    elif kind == "section":
        live = t("reports_live_sections", lang)
    else:
        # the layout's steps and pages are one phase for the ear
        layout = stage.startswith("pdf:") and stage != "pdf:write"
        phase = "pdf:layout" if layout else stage
        live = t("reports_live", lang, stage=stage_label(phase, lang))
    return str(pct), t("reports_working", lang, stage=stage_label(stage, lang), pct=pct), live


def download(set_progress: Callable[[Any], None], *args: Any) -> tuple[Any, Any]:
    """Build the report in the format of the button pressed and send it to the browser.

    Runs as a background job (another process): the tracker comes from `job_tracker()`, and
    `set_progress((value, words, phase))` moves the page's progress bar.
    """
    milestone, regions, indicators, report_lang, search, _nonce = args[len(FORMATS) :]
    lang = lang_from_search(search)
    trigger = dash.ctx.triggered_id
    fmt = next((f for f, button in BUTTONS.items() if button == trigger), None)
    if fmt is None:
        return dash.no_update, dash.no_update
    tr = job_tracker()
    years = milestone_years(tr.catalogue)
    year = int_param(milestone, years, default_milestone(years))
    out_lang = norm_lang(report_lang)
    # only ids this app knows reach the library: the dropdowns' values come from the browser
    region_ids = [r for r in regions or [] if r in tr.regions.regions] or None
    indicator_ids = [i for i in indicators or [] if i in tr.catalogue] or None

    def progress(fraction: float, stage: str) -> None:
        set_progress(progress_values(fraction, stage, lang))

    try:
        data = render_report(
            tr,
            fmt,
            lang=out_lang,
            milestone=year,
            regions=region_ids,
            indicators=indicator_ids,
            progress=progress,
        )
    except (ValueError, KeyError, OSError) as exc:
        return dash.no_update, dbc.Alert(t("reports_failed", lang, why=str(exc)), color="danger")
    stem = "yrd-assessment" if fmt == "docx" else "yrd-targets"
    file_name = f"{stem}-{year}-{out_lang}.{fmt}"
    status = t("reports_ready", lang, file=file_name, size=f"{len(data):,}")
    return dcc.send_bytes(data, file_name), status


def export_failed(error: Exception) -> tuple[Any, Any]:
    """What goes wrong around the report, not in it (the job queue unreachable, a job that
    died): logged here, and said in the status line without the server's details."""
    log.error("report export failed: %s", error, exc_info=error)
    # a poll carries no input values: the page's address (Referer) still has its language
    search = dash.ctx.states.get(f"{ids.PAGES_LOCATION}.search")
    if search is None and flask.has_request_context():
        search = urlsplit(flask.request.referrer or "").query
    lang = lang_from_search(search)
    alert = dbc.Alert(t("reports_failed", lang, why=t("reports_job_failed", lang)), color="danger")
    return dash.no_update, alert


def cancelled(n_clicks: int | None, search: str | None) -> str:
    """The status line after Cancel (Dash's own cancel callback stops the job itself)."""
    return t("reports_cancelled", lang_from_search(search))
