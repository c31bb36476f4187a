"""The Dash app factory: `create_app(tracker)` builds the shell, registers the pages, hooks in auth.

Pages hold no data at import time; they read through the tracker stored on the Flask app
(`app.server.config["TRACKER"]`, see `dashboard.pages.tracker`). Everything is served locally
(Bootstrap from assets/, Dash and plotly bundles from the installed packages): the dashboard
works on a machine without internet access.

For gunicorn: `server = create_app(Tracker()).server` (targets/wsgi.py does this).
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, html

from dashboard import background, downloads, ids
from dashboard.headers import init_headers
from dashboard.i18n import t
from dashboard.pages import (
    attrs,
    href,
    is_updating,
    lang_from_search,
    register_pages,
    tracker,
)
from targets.tracker import Tracker
from targets.warm import Warmer, warm

ASSETS = Path(__file__).resolve().parent / "assets"

# <html lang> starts as Chinese (the default language); a clientside callback follows `lang=`
INDEX_STRING = """<!DOCTYPE html>
<html lang="zh-CN">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def reset_pages() -> None:
    """Forget pages registered by an earlier app in this process (tests build many apps).

    Dash keeps the page registry in a module global; this is what plotly/dash's own
    tests/conftest.py does between tests.
    """
    dash._pages.PAGE_REGISTRY.clear()


def create_app(
    tracker: Tracker,
    *,
    debug: bool = False,
    background_manager: Any = None,
    warm: bool = False,
) -> dash.Dash:
    """The dashboard over `tracker`; `debug` turns on Dash's dev tools (tracebacks in the page).

    With `warm` (a served dashboard) each worker computes the results of every new data version
    in the background as soon as it sees it (targets.warm): no visitor waits for the cold read.

    Background jobs (the report exports) run where `background_manager` says, by default where
    the environment says (dashboard.background: Celery with TARGETS_REDIS, else diskcache).
    """
    reset_pages()
    # a job runs in another process, outside any request: it finds the tracker there
    background.set_tracker(tracker)
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        serve_locally=True,
        external_stylesheets=[],
        # page layouts are functions of the URL; the router validates nothing up front
        suppress_callback_exceptions=True,
        title=t("app_title", "zh"),
        update_title="",  # no "Updating..." flicker in the tab title
        index_string=INDEX_STRING,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        background_callback_manager=background_manager or background.make_manager(),
    )
    app.server.config["TRACKER"] = tracker
    register_pages(app)
    downloads.register(app)
    app.layout = shell_layout
    register_shell_callbacks(app)
    if importlib.util.find_spec("dashboard.sessions") is not None:
        importlib.import_module("dashboard.sessions").init_auth(app, tracker, debug=debug)
    init_headers(app)
    if warm:
        start_warmer(app, tracker)
        freeze_startup_objects()
    if debug:
        app.enable_dev_tools(debug=True)
    return app


def freeze_startup_objects() -> None:
    """Keep what a served app has loaded (modules, layouts, catalogue) out of the cyclic garbage
    collector's full passes: each walked all of it and doubled a page's slowest answers (bundled
    data, 30 calls each: p95 87 -> 43 ms for the overview, 120 -> 55 ms for the assessment page,
    p50 unchanged). Under gunicorn --preload this runs in the master before the fork, so the
    workers also share those pages of memory instead of copying them when a pass touches them."""
    gc.collect()
    gc.freeze()


def warm_pages(tracker: Tracker) -> str:
    """targets.warm.warm, then what a page keeps of its own per data version: the sources
    grid's rows in both languages (1.5 s at 10 M values on the first view after an import)."""
    from dashboard.pages import sources

    version = warm(tracker)
    if not tracker.store.is_empty():
        for lang in ("zh", "en"):
            sources.grid_frame(tracker, lang)
    return version


def start_warmer(app: dash.Dash, tracker: Tracker) -> Warmer:
    """Warm results in the background of each worker process, from its first request: a thread
    started in a `--preload` master would not follow the fork, and a fork while it held a lock
    would leave the worker's copy locked. `targets serve` (no fork) starts it at once."""
    found = Warmer(tracker, work=warm_pages)
    app.server.config["WARMER"] = found
    app.server.before_request(found.start)  # returns None (the request goes on), at once if running
    return found


def shell_layout() -> html.Div:
    """Header (brand, navigation, language switch), the page container, footer."""
    return html.Div(
        [
            html.A(
                t("skip_to_content", "zh"),
                id=ids.SKIP_LINK,
                href=f"#{ids.MAIN}",
                className="visually-hidden-focusable skip-link",
            ),
            html.Header(
                dbc.Navbar(
                    dbc.Container(
                        [
                            html.A(
                                t("app_title", "zh"),
                                id=ids.BRAND,
                                href="/",
                                className="navbar-brand",
                            ),
                            html.Nav(
                                id=ids.NAV_LINKS,
                                className="nav me-auto",
                                **attrs(aria_label=t("main_nav", "zh")),
                            ),
                            # words, not a colour: the results of new data are being computed
                            html.Span(
                                id=ids.UPDATING,
                                role="status",
                                className="badge text-bg-warning me-2",
                            ),
                            html.Div(id=ids.ACCOUNT, className="d-flex align-items-center me-2"),
                            html.Button(
                                t("switch_to_other", "zh"),
                                id=ids.LANG_SWITCH,
                                type="button",
                                lang="en",
                                className="btn btn-light btn-sm lang-switch",
                                **attrs(aria_label=t("switch_label", "zh")),
                            ),
                        ],
                        fluid=True,
                    ),
                    id=ids.NAVBAR,
                    color="#0b3d6e",
                    dark=True,
                    className="mb-3",
                )
            ),
            html.Main(
                [
                    # words on every page, not a colour: the values shown are made up
                    html.Div(
                        id=ids.SYNTHETIC_BANNER,
                        role="note",
                        hidden=True,
                        className="alert alert-warning py-2 fw-semibold",
                    ),
                    dash.page_container,
                ],
                id=ids.MAIN,
                tabIndex="-1",
                className="container-fluid",
            ),
            html.Footer(
                html.P(t("footer", "zh"), id=ids.FOOTER, className="small text-body-secondary"),
                className="container-fluid mt-4 mb-3",
            ),
            html.Div(id=ids.LANG_DUMMY, hidden=True),
        ]
    )


def account_slot(pathname: str | None, search: str | None, lang: str) -> Any:
    """Who is logged in (with a logout button), or a login link; nothing without dashboard.sessions."""
    if importlib.util.find_spec("dashboard.sessions") is None:
        return None
    sessions = importlib.import_module("dashboard.sessions")
    user = sessions.current_user()
    if user is not None:
        return [
            html.Span(user["name"], className="text-white small me-2", id=ids.USER_NAME),
            sessions.logout_form(lang),
        ]
    back = (pathname or "/") + (search or "")
    return dbc.NavLink(
        t("log_in", lang), href=href(sessions.LOGIN_PATH, lang, next=back), id=ids.LOGIN_LINK
    )


def nav_links(pathname: str | None, lang: str) -> list[dash.development.base_component.Component]:
    """Navbar links from dash.page_registry (pages registered with nav=True), in page order."""
    links = []
    current = pathname or "/"
    for page in dash.page_registry.values():
        if not page.get("nav"):
            continue
        label = page.get("label", {}).get(lang, page["name"])
        active = current == page["path"] or (
            page["path"] != "/" and current.startswith(page["path"] + "/")
        )
        children: list[str | html.Span] = [label]
        if active:
            children.append(html.Span(t("current_page", lang), className="visually-hidden"))
        links.append(
            dbc.NavLink(
                children, href=href(page["relative_path"], lang), active=active, className="px-2"
            )
        )
    return links


def synthetic_banner(lang: str) -> tuple[str | None, bool]:
    """The banner's words and whether it is hidden: shown while made-up data are in force."""
    if tracker().synthetic_in_force():
        return t("synthetic_banner", lang), False
    return None, True


def register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.NAV_LINKS, "children"),
        Output(ids.NAV_LINKS, "aria-label"),
        Output(ids.LANG_SWITCH, "children"),
        Output(ids.LANG_SWITCH, "aria-label"),
        Output(ids.LANG_SWITCH, "lang"),
        Output(ids.BRAND, "children"),
        Output(ids.BRAND, "href"),
        Output(ids.SKIP_LINK, "children"),
        Output(ids.FOOTER, "children"),
        Output(ids.ACCOUNT, "children"),
        Output(ids.UPDATING, "children"),
        Output(ids.SYNTHETIC_BANNER, "children"),
        Output(ids.SYNTHETIC_BANNER, "hidden"),
        Input(ids.PAGES_LOCATION, "pathname"),
        Input(ids.PAGES_LOCATION, "search"),
    )
    def update_shell(pathname: str | None, search: str | None) -> tuple:
        lang = lang_from_search(search)
        return (
            nav_links(pathname, lang),
            t("main_nav", lang),
            t("switch_to_other", lang),
            t("switch_label", lang),
            "zh" if lang == "en" else "en",
            t("app_title", lang),
            href("/", lang),
            t("skip_to_content", lang),
            t("footer", lang),
            account_slot(pathname, search, lang),
            t("updating", lang) if is_updating() else None,
            *synthetic_banner(lang),
        )

    # the switch rewrites `lang=` in the current URL (keeping every other parameter, including
    # those a page wrote silently) and lets Dash's router re-render the page
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="switchLanguage"),
        Output(ids.PAGES_LOCATION, "href"),
        Input(ids.LANG_SWITCH, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="setDocumentLanguage"),
        Output(ids.LANG_DUMMY, "children"),
        Input(ids.PAGES_LOCATION, "search"),
    )
