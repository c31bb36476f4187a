"""The 404 page: Dash's router shows the page whose module name ends in `not_found_404`."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import add_page, href

# Dash looks the 404 page up by this suffix of the registered module name
MODULE = "dashboard.pages.not_found_404"


def register(app: dash.Dash) -> None:
    add_page(
        MODULE,
        path="/404",
        label=(t("page_not_found", "zh"), t("page_not_found", "en")),
        order=99,
        layout=layout,
        nav=False,
    )


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    return html.Div(
        [
            html.H1(t("page_not_found", lang), className="h3", id=ids.NOT_FOUND_TITLE),
            html.P(t("not_found_text", lang)),
            dcc.Link(t("back_home", lang), href=href("/", lang)),
        ]
    )
