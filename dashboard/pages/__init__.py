"""The pages of the dashboard, and what they share: registration, URL state and the tracker.

How to add a page (a module `dashboard/pages/NAME.py`, listed in PAGE_MODULES):

    from dashboard.pages import add_page, tracker, href

    def layout(lang: str = "zh", **query: str) -> Component:   # query string -> keyword args
        ...                                                    # read data here, via tracker()

    def register(app: dash.Dash) -> None:
        add_page(__name__, path="/upload", label=("上传", "Upload"), order=50, layout=layout)
        app.callback(Output(...), Input(...))(my_callback)     # app.callback, not dash.callback

Page modules hold no data at import time, and register their callbacks on the app they are given
(Dash's global `dash.callback` list is emptied by the first app that starts, so a second
`create_app` in the same process would lose them). `add_page` keyword arguments beyond Dash's are
kept in `dash.page_registry`: `label` (zh, en) names the page in the navbar, `nav=False` hides it,
`role="editor"` marks it for the auth module. State lives in the URL query string
(`?milestone=2025&lang=en&region=anhui`): a layout renders it, and control callbacks write it back
with a `dcc.Location(refresh=False)` of the page (see `url_sync`) so a copied link reproduces the
view. To navigate from a callback, write the absolute URL to `_pages_location.href`
(ids.PAGES_LOCATION), never its `search` or `pathname`: after a silent update that Location's
props are stale and it would push its old address.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import dash
import flask
from dash import dcc

from dashboard.i18n import norm_lang

if TYPE_CHECKING:
    from targets.tracker import Tracker

# display order of the navbar follows `order`; this tuple is only the import list. Modules that
# do not exist (yet) are skipped, so pages can be added one by one.
PAGE_MODULES: tuple[str, ...] = (
    "overview",
    "indicator",
    "region",
    "map",
    "assessment",
    "upload",
    "submissions",
    "history",
    "reports",
    "method",
    "sources",
    "login",
    "not_found",
)


def register_pages(app: dash.Dash) -> list[str]:
    """Import every page module that exists and let it register itself on `app`."""
    registered = []
    for name in PAGE_MODULES:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(app)
        registered.append(module_name)
    return registered


def add_page(
    module: str,
    *,
    label: tuple[str, str],
    layout: Callable[..., Any],
    order: int,
    path: str | None = None,
    path_template: str | None = None,
    nav: bool = True,
    title: str | Callable[..., str] | None = None,
    **extra: Any,
) -> None:
    """`dash.register_page` with the labels and flags our navbar reads."""
    dash.register_page(
        module,
        path=path,
        path_template=path_template,
        name=label[1],
        title=title or f"{label[0]} {label[1]} · 长三角一体化目标跟踪",
        order=order,
        layout=layout,
        label={"zh": label[0], "en": label[1]},
        nav=nav,
        **extra,
    )


def attrs(**values: Any) -> dict[str, Any]:
    """Dashed HTML attributes as keyword arguments: `**attrs(aria_label="…")` -> aria-label."""
    return {k.replace("_", "-"): v for k, v in values.items()}


def tracker() -> Tracker:
    """The Tracker the app factory stored on the Flask app (call inside a request)."""
    return flask.current_app.config["TRACKER"]


def warmer() -> Any:
    """The app's Warmer (targets.warm) when it warms results, else None (call inside a request)."""
    return flask.current_app.config.get("WARMER") if flask.has_app_context() else None


def is_updating() -> bool:
    """Whether the results of newly imported data are being computed in this process."""
    found = warmer()
    return found is not None and bool(found.updating())


def href(path: str, lang: str, **params: Any) -> str:
    """A link that keeps the view's state: '/indicator/x?region=anhui&milestone=2025&lang=en'.

    Parameters that are None or '' are left out; `lang` always comes last and always appears.
    """
    query = {k: v for k, v in params.items() if v is not None and v != ""}
    query["lang"] = norm_lang(lang)
    # commas stay readable in lists of regions: ?region=anhui,jiangsu
    return f"{path}?{urlencode(query, safe=',')}"


def login_alert(message_key: str, path: str, alert_id: str, lang: str) -> Any:
    """A protected page's refusal: why, and a link to log in that comes back to `path`."""
    import dash_bootstrap_components as dbc
    from dash import html

    from dashboard import sessions
    from dashboard.i18n import t

    return dbc.Alert(
        [
            html.Span(t(message_key, lang) + " "),
            dcc.Link(
                t("log_in", lang),
                href=href(sessions.LOGIN_PATH, lang, next=href(path, lang)),
                className="alert-link",
            ),
        ],
        id=alert_id,
        color="warning",
    )


def query_string(lang: str, **params: Any) -> str:
    """The '?…' part of href, for a page's own URL-sync Location."""
    return "?" + href("", lang, **params).split("?", 1)[1]


def url_sync(component_id: str) -> dcc.Location:
    """The page's own Location: callbacks write its `search`, the browser URL follows silently.

    refresh=False pushes a history entry without telling Dash's page router, so the page is not
    re-rendered (focus stays on the control); back/forward then re-render from the URL.
    """
    return dcc.Location(id=component_id, refresh=False)


def int_param(value: Any, allowed: list[int], default: int) -> int:
    """A year from the URL if it is one of `allowed`, else `default` (never an error page)."""
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        return default
    return year if year in allowed else default


def choose(value: Any, allowed: Mapping[str, Any] | list[str], default: str | None) -> str | None:
    """A string parameter from the URL if it is one of `allowed`, else `default`."""
    text = str(value) if value is not None else ""
    return text if text in allowed else default


# ---------------------------------------------------------------- shared view helpers


def milestone_years(catalogue: Any) -> list[int]:
    """Every goal year of the catalogue, numeric or in words (2025, 2026, 2035 …), sorted."""
    return sorted({m.year for ind in catalogue for m in ind.milestones})


def default_milestone(years: list[int]) -> int:
    """2025 (the Outline's year) when the catalogue has it, else the first goal year."""
    return 2025 if 2025 in years else (years[0] if years else 2025)


def bundled_in_force(store: Any) -> bool:
    """True when an active import is the bundled public statistics (the banner says so)."""
    from targets.bundled import is_bundled

    return any(imp.state == "active" and is_bundled(imp.note) for imp in store.imports())


def import_note(note: str, lang: str) -> str:
    """An import's note as written, but the one `targets init` gives the bundled statistics,
    which is this tool's words: in the page's language."""
    from dashboard.i18n import t
    from targets.bundled import BUNDLED_NOTE

    return t("bundled_import_note", lang) if note == BUNDLED_NOTE else note


def lang_from_search(search: str | None) -> str:
    """The language of a '?…' query string (Dash's router location)."""
    from urllib.parse import parse_qs

    values = parse_qs((search or "").lstrip("?")).get("lang", [])
    return norm_lang(values[0] if values else None)
